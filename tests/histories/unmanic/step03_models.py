"""Unmanic's Peewee models at acc16ba (step 03); see SOURCE.md."""
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
    audio_encoder = TextField(null=True)
    video_encoder = TextField(null=True)


class Settings(BaseModel):
    audio_codec = TextField(null=False, default='aac')
    audio_stream_encoder = TextField(null=False, default='aac')
    audio_codec_cloning = TextField(null=False, default='aac')
    audio_stream_encoder_cloning = TextField(null=False, default='aac')
    audio_stereo_stream_bitrate = TextField(null=False, default='128k')
    cache_path = TextField(null=False, default='/tmp/unmanic')
    config_path = TextField(null=False, default=os.path.join(HOME_DIR, '.unmanic', 'config'))
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


MODELS = [  # as the application lists them for create_tables(), through models included
    HistoricTasks, HistoricTaskProbe, HistoricTaskProbeStreams, HistoricTaskSettings, Settings,
]
