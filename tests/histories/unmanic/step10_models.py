"""Unmanic's Peewee models at d5c4271 (step 10); see SOURCE.md."""
import datetime
import os
import uuid

from peewee import *

HOME_DIR = os.path.expanduser("~")

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class CompletedTasks(BaseModel):
    task_label = TextField(null=False)
    abspath = TextField(null=False, default='')
    task_success = BooleanField(null=False)
    start_time = DateTimeField(null=False, default=datetime.datetime.now)
    finish_time = DateTimeField(null=False, default=datetime.datetime.now)
    processed_by_worker = TextField(null=False)


class CompletedTasksCommandLogs(BaseModel):
    completedtask_id = ForeignKeyField(CompletedTasks)
    dump = TextField(null=False, default='')


class Installation(BaseModel):
    uuid = UUIDField(null=False, default=uuid.uuid4, unique=True)


class Plugins(BaseModel):
    plugin_id = TextField(null=False, unique=True)
    name = TextField(null=False)
    author = TextField(null=False)
    version = TextField(null=False)
    tags = TextField(null=False)
    description = TextField(null=False)
    icon = TextField(null=False)
    local_path = TextField(null=False)
    enabled = BooleanField(null=False, default=False)
    update_available = BooleanField(null=False, default=False)
    position = IntegerField(null=False, default=9999)


class PluginFlow(BaseModel):
    plugin_id = ForeignKeyField(Plugins, backref='flow', on_delete='CASCADE', on_update='CASCADE')
    plugin_name = TextField(null=False)
    plugin_type = TextField(null=False)
    position = IntegerField(null=False, default=9999)


class PluginRepos(BaseModel):
    path = TextField(null=False)


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
    enable_inotify = BooleanField(null=False, default=False)
    enable_video_encoding = BooleanField(null=False, default=True)
    library_path = TextField(null=False, default='/library')
    log_path = TextField(null=False, default=os.path.join(HOME_DIR, '.unmanic', 'logs'))
    number_of_workers = IntegerField(null=False, default=3)
    keep_original_container = BooleanField(null=False, default=False)
    out_container = TextField(null=False, default='matroska')
    remove_subtitle_streams = BooleanField(null=False, default=False)
    run_full_scan_on_start = BooleanField(null=False, default=False)
    schedule_full_scan_minutes = IntegerField(null=False, default=1440)
    search_extensions = TextField(null=False, default='mkv,avi,mov,ts,rmvb,mp4,')
    video_codec = TextField(null=False, default='hevc')
    video_stream_encoder = TextField(null=False, default='libx265')
    overwrite_additional_ffmpeg_options = BooleanField(null=False, default=False)
    additional_ffmpeg_options = TextField(null=True, default='')
    enable_hardware_accelerated_decoding = BooleanField(null=False, default=False)


class Tasks(BaseModel):
    abspath = TextField(null=False, unique=True)
    cache_path = TextField(null=True, unique=True)
    priority = BigIntegerField(null=True)
    status = TextField(null=False)
    success = BooleanField(null=True)
    start_time = DateTimeField(null=True, default=datetime.datetime.now)
    finish_time = DateTimeField(null=True, default=datetime.datetime.now)
    processed_by_worker = TextField(null=True)
    log = TextField(null=False, default='')


MODELS = [  # as the application lists them for create_tables(), through models included
    CompletedTasks, CompletedTasksCommandLogs, Installation, Plugins, PluginFlow, PluginRepos, Settings, Tasks,
]
