"""Unmanic's Peewee models at 0fcdde4 (step 15); see SOURCE.md."""
import datetime
import uuid

from peewee import *

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class CompletedTasks(BaseModel):
    task_label = TextField(null=False)
    abspath = TextField(null=False, default='', index=True)
    task_success = BooleanField(null=False, index=True)
    start_time = DateTimeField(null=False, default=datetime.datetime.now)
    finish_time = DateTimeField(null=False, default=datetime.datetime.now, index=True)
    processed_by_worker = TextField(null=False)


class CompletedTasksCommandLogs(BaseModel):
    completedtask_id = ForeignKeyField(CompletedTasks)
    dump = TextField(null=False, default='')


class Tags(BaseModel):
    name = TextField(null=False, unique=True)
    created = DateTimeField(null=False, default=datetime.datetime.now)


class Libraries(BaseModel):
    name = TextField(null=False, unique=True)
    path = TextField(null=False)
    locked = BooleanField(null=False, default=False)
    enable_remote_only = BooleanField(null=False, default=False)
    enable_scanner = BooleanField(null=False, default=False)
    enable_inotify = BooleanField(null=False, default=False)
    priority_score = BigIntegerField(null=False, default=0)
    tags = ManyToManyField(Tags, backref='tags')

LibraryTags = Libraries.tags.get_through_model()


class Plugins(BaseModel):
    plugin_id = TextField(null=False, unique=True)
    name = TextField(null=False)
    author = TextField(null=False)
    version = TextField(null=False)
    tags = TextField(null=False)
    description = TextField(null=False)
    icon = TextField(null=False)
    local_path = TextField(null=False)
    enabled = BooleanField(null=True, default=False)
    update_available = BooleanField(null=False, default=False)
    position = IntegerField(null=False, default=9999)


class EnabledPlugins(BaseModel):
    library_id = ForeignKeyField(Libraries, backref='enabled_plugins', on_delete='CASCADE', on_update='CASCADE')
    plugin_id = ForeignKeyField(Plugins, backref='enabled_libraries', on_delete='CASCADE', on_update='CASCADE')
    plugin_name = TextField(null=False)


class Installation(BaseModel):
    uuid = UUIDField(null=False, default=uuid.uuid4, unique=True)
    level = IntegerField(null=False, default=0)
    picture_uri = TextField(null=True)
    name = TextField(null=True)
    email = TextField(null=True)
    created = DateTimeField(null=True, default=datetime.datetime.now)
    user_access_token = TextField(null=True)
    user_refresh_token = TextField(null=True)
    application_token = TextField(null=True)
    session_cookies = TextField(null=True)


class LibraryPluginFlow(BaseModel):
    plugin_id = ForeignKeyField(Plugins, backref='flow', on_delete='CASCADE', on_update='CASCADE')
    library_id = ForeignKeyField(Libraries, backref='plugin_flow', on_delete='CASCADE', on_update='CASCADE')
    plugin_name = TextField(null=False)
    plugin_type = TextField(null=False)
    position = IntegerField(null=False, default=9999)


class PluginRepos(BaseModel):
    path = TextField(null=False)


class Tasks(BaseModel):
    abspath = TextField(null=False, unique=True)
    cache_path = TextField(null=True, unique=True)
    priority = BigIntegerField(null=True, index=True)
    type = TextField(null=False, default='local', index=True)
    library_id = IntegerField(null=False, default=1, index=True)
    status = TextField(null=False, index=True)
    success = BooleanField(null=True)
    start_time = DateTimeField(null=True, default=datetime.datetime.now)
    finish_time = DateTimeField(null=True, default=datetime.datetime.now)
    processed_by_worker = TextField(null=True)
    log = TextField(null=False, default='')


class WorkerGroups(BaseModel):
    name = TextField(null=False)
    locked = BooleanField(null=False, default=False)
    number_of_workers = IntegerField(null=False, default=0)
    tags = ManyToManyField(Tags, backref='tags')

WorkerGroupTags = WorkerGroups.tags.get_through_model()


class WorkerSchedules(BaseModel):
    repetition = TextField(null=False)
    schedule_task = TextField(null=False)
    schedule_time = TextField(null=False)
    schedule_worker_count = IntegerField(null=True)
    worker_group_id = ForeignKeyField(WorkerGroups, backref='worker_schedules', on_delete='CASCADE',
                                      on_update='CASCADE')


MODELS = [  # as the application lists them for create_tables(), through models included
    CompletedTasks, CompletedTasksCommandLogs, Tags, Libraries, LibraryTags, Plugins, EnabledPlugins,
    Installation, LibraryPluginFlow, PluginRepos, Tasks, WorkerGroups, WorkerGroupTags, WorkerSchedules,
]
