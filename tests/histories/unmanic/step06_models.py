"""Unmanic's Peewee models at c23bd63 (step 06); see SOURCE.md."""
import datetime
import os

from peewee import *

HOME_DIR = os.path.expanduser("~")

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class HistoricTasks(BaseModel):
    task_label = TextField(null=False)
    task_success = BooleanField(null=False)
    start_time = DateTimeField(null=False, default=datetime.datetime.now)
    finish_time = DateTimeField(null=False, default=datetime.datetime.now)
    processed_by_worker = TextField(null=False)


class HistoricTaskFfmpegLog(BaseModel):
    historictask_id = ForeignKeyField(HistoricTasks)
    dump = TextField(null=False, default='')


class HistoricTaskProbe(BaseModel):
    historictask_id = ForeignKeyField(HistoricTasks)
    type = TextField(null=False, default='source')
    abspath = TextField(null=False)
    basename = TextField(null=False)
    bit_rate = TextField(null=False)
    format_long_name = TextField(null=False)
    format_name = TextField(null=False)
    size = TextField(null=False)


class HistoricTaskProbeStreams(BaseModel):
    historictaskprobe_id = ForeignKeyField(HistoricTaskProbe)
    codec_type = TextField(null=False)
    codec_long_name = TextField(null=False)
    avg_frame_rate = TextField(null=False)
    bit_rate = TextField(null=False)
    coded_height = TextField(null=False)
    coded_width = TextField(null=False)
    height = TextField(null=False)
    width = TextField(null=False)
    duration = TextField(null=False)
    channels = TextField(null=False)
    channel_layout = TextField(null=False)


class HistoricTaskSettings(BaseModel):
    historictask_id = ForeignKeyField(HistoricTasks)
    audio_codec = TextField(null=False)
    audio_stream_encoder = TextField(null=False)
    audio_codec_cloning = TextField(null=False)
    audio_stream_encoder_cloning = TextField(null=False)
    audio_stereo_stream_bitrate = TextField(null=False)
    cache_path = TextField(null=False)
    config_path = TextField(null=False)
    debugging = BooleanField(null=False)
    enable_audio_encoding = BooleanField(null=False)
    enable_audio_stream_transcoding = BooleanField(null=False)
    enable_audio_stream_stereo_cloning = BooleanField(null=False)
    enable_inotify = BooleanField(null=False)
    enable_video_encoding = BooleanField(null=False)
    library_path = TextField(null=False)
    log_path = TextField(null=False)
    number_of_workers = IntegerField(null=False)
    out_container = TextField(null=False)
    remove_subtitle_streams = BooleanField(null=False)
    run_full_scan_on_start = BooleanField(null=False)
    schedule_full_scan_minutes = IntegerField(null=False)
    search_extensions = TextField(null=False)
    video_codec = TextField(null=False)
    additional_ffmpeg_options = TextField(null=True)


class Settings(BaseModel):
    audio_codec = TextField(null=False, default='aac')
    audio_stream_encoder = TextField(null=False, default='aac')
    audio_codec_cloning = TextField(null=False, default='aac')
    audio_stream_encoder_cloning = TextField(null=False, default='aac')
    audio_stereo_stream_bitrate = TextField(null=False, default='128k')
    cache_path = TextField(null=False, default='/tmp/unmanic')
    config_path = TextField(null=False, default=os.path.join(HOME_DIR, '.unmanic', 'config'))
    keep_filename_history = BooleanField(null=False, default=True)
    debugging = BooleanField(null=False, default=False)
    enable_audio_encoding = BooleanField(null=False, default=True)
    enable_audio_stream_transcoding = BooleanField(null=False, default=True)
    enable_audio_stream_stereo_cloning = BooleanField(null=False, default=True)
    enable_inotify = BooleanField(null=False, default=True)
    enable_video_encoding = BooleanField(null=False, default=True)
    library_path = TextField(null=False, default='/library')
    log_path = TextField(null=False, default=os.path.join(HOME_DIR, '.unmanic', 'logs'))
    number_of_workers = IntegerField(null=False, default=3)
    out_container = TextField(null=False, default='matroska')
    remove_subtitle_streams = BooleanField(null=False, default=True)
    run_full_scan_on_start = BooleanField(null=False, default=False)
    schedule_full_scan_minutes = IntegerField(null=False, default=60)
    search_extensions = TextField(null=False, default='mkv,avi,mov,ts,rmvb,mp4,')
    video_codec = TextField(null=False, default='hevc')
    video_stream_encoder = TextField(null=False, default='libx265')
    overwrite_additional_ffmpeg_options = BooleanField(null=False, default=False)
    additional_ffmpeg_options = TextField(null=True, default='')


class Tasks(BaseModel):
    abspath = TextField(null=False, unique=True)
    cache_path = TextField(null=True, unique=True)
    status = TextField(null=False)
    success = BooleanField(null=True)
    start_time = DateTimeField(null=True, default=datetime.datetime.now)
    finish_time = DateTimeField(null=True, default=datetime.datetime.now)
    processed_by_worker = TextField(null=True)
    ffmpeg_log = TextField(null=False, default='')


class TaskProbe(BaseModel):
    task_id = ForeignKeyField(Tasks, backref='probe', on_delete='CASCADE')
    abspath = TextField(null=False)
    basename = TextField(null=False)
    bit_rate = TextField(null=False)
    format_long_name = TextField(null=False)
    format_name = TextField(null=False)
    size = TextField(null=False)
    duration = TextField(null=False)


class TaskProbeStreams(BaseModel):
    taskprobe_id = ForeignKeyField(TaskProbe, backref='streams', on_delete='CASCADE')
    codec_type = TextField(null=False)
    codec_long_name = TextField(null=False)
    avg_frame_rate = TextField(null=False)
    bit_rate = TextField(null=False)
    coded_height = TextField(null=False)
    coded_width = TextField(null=False)
    height = TextField(null=False)
    width = TextField(null=False)
    duration = TextField(null=False)
    channels = TextField(null=False)
    channel_layout = TextField(null=False)


class TaskSettings(BaseModel):
    task_id = ForeignKeyField(Tasks, backref='settings', unique=True, on_delete='CASCADE')
    audio_codec = TextField(null=False)
    audio_stream_encoder = TextField(null=False)
    audio_codec_cloning = TextField(null=False)
    audio_stream_encoder_cloning = TextField(null=False)
    audio_stereo_stream_bitrate = TextField(null=False)
    cache_path = TextField(null=False)
    config_path = TextField(null=False)
    keep_filename_history = BooleanField(null=False)
    debugging = BooleanField(null=False)
    enable_audio_encoding = BooleanField(null=False)
    enable_audio_stream_transcoding = BooleanField(null=False)
    enable_audio_stream_stereo_cloning = BooleanField(null=False)
    enable_inotify = BooleanField(null=False)
    enable_video_encoding = BooleanField(null=False)
    library_path = TextField(null=False)
    log_path = TextField(null=False)
    number_of_workers = IntegerField(null=False)
    out_container = TextField(null=False)
    remove_subtitle_streams = BooleanField(null=False)
    run_full_scan_on_start = BooleanField(null=False)
    schedule_full_scan_minutes = IntegerField(null=False)
    search_extensions = TextField(null=False)
    video_codec = TextField(null=False)
    video_stream_encoder = TextField(null=False)
    overwrite_additional_ffmpeg_options = BooleanField(null=False)
    additional_ffmpeg_options = TextField(null=True)


MODELS = [  # as the application lists them for create_tables(), through models included
    HistoricTasks, HistoricTaskFfmpegLog, HistoricTaskProbe, HistoricTaskProbeStreams, HistoricTaskSettings,
    Settings, Tasks, TaskProbe, TaskProbeStreams, TaskSettings,
]
