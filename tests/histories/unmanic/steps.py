"""The decisions of each step of Unmanic's history, as tests/test_generate_history.py replays it (SOURCE.md says
where each step's models come from). Each step:

- `commit`: upstream's, abbreviated (SOURCE.md has it in full);
- `flags`: for `migrator generate` (renames, --allow-destructive);
- `answers`: typed on the terminal, in order, when generate asks (None: no terminal, `--no-input`); each a
  (subject, line typed) pair, the subject `table.column` for a one-off value (the rows already there must then
  hold it) or `table.old -> table.new` for a rename generate asks about;
- `rows`: written through the step's models after it is migrated, so that later steps meet tables holding data
  (NULLs, duplicates in non-unique columns, text beyond ASCII);
- `fix`: what `migrate` is refused for because of the data, and the SQL that fixes the data (then it migrates);
- `rollback_accept_loss`: what the final rollback of the step is refused for, before it is given --accept-loss;
- `backends`: where Peewee itself can make the step's tables (all three unless it says).
"""
from datetime import datetime

WHEN = datetime(2019, 10, 2, 21, 15, 0)
LATER = datetime(2021, 3, 1, 8, 30, 0)

# The 22 settings columns copied onto each historic task at 8dcdf18 (step 04), in the models' order: what the
# settings row held, as one-off values for the task settings rows already there.
SETTINGS_COPY = [
    ("audio_codec", "'aac'"), ("audio_stream_encoder", "'aac'"), ("audio_codec_cloning", "'aac'"),
    ("audio_stream_encoder_cloning", "'aac'"), ("audio_stereo_stream_bitrate", "'128k'"),
    ("cache_path", "'/tmp/unmanic'"), ("config_path", "'/config/.unmanic/config'"), ("debugging", "False"),
    ("enable_audio_encoding", "True"), ("enable_audio_stream_transcoding", "True"),
    ("enable_audio_stream_stereo_cloning", "True"), ("enable_inotify", "True"), ("enable_video_encoding", "True"),
    ("library_path", "'/bibliothèque/Filme'"), ("log_path", "'/config/.unmanic/logs'"), ("number_of_workers", "3"),
    ("out_container", "'matroska'"), ("remove_subtitle_streams", "True"), ("run_full_scan_on_start", "False"),
    ("schedule_full_scan_minutes", "60"), ("search_extensions", "'mkv,avi,mov,ts,rmvb,mp4,'"),
    ("video_codec", "'hevc'"),
]

TASK_SETTINGS = dict(
    audio_codec="aac", audio_stream_encoder="aac", audio_codec_cloning="aac", audio_stream_encoder_cloning="aac",
    audio_stereo_stream_bitrate="128k", cache_path="/tmp/unmanic", config_path="/config/.unmanic/config",
    keep_filename_history=True, debugging=False, enable_audio_encoding=True, enable_audio_stream_transcoding=True,
    enable_audio_stream_stereo_cloning=False, enable_inotify=False, enable_video_encoding=True,
    library_path="/bibliothèque/Filme", log_path="/config/.unmanic/logs", number_of_workers=2,
    out_container="matroska", remove_subtitle_streams=True, run_full_scan_on_start=False,
    schedule_full_scan_minutes=60, search_extensions="mkv,avi,mov,ts,rmvb,mp4,", video_codec="hevc",
    video_stream_encoder="libx265",
)

STREAM = dict(codec_long_name="H.265 / HEVC", avg_frame_rate="24000/1001", bit_rate="", coded_height="2160",
              coded_width="3840", height="2160", width="3840", duration="6312.5", channels="", channel_layout="")


STEPS = [
    {"step": "01", "commit": "0c0dad6", "flags": [], "answers": None,
     "rows": {"Settings": [{"library_path": "/bibliothèque/Filme", "number_of_workers": 2}]}},

    {"step": "02", "commit": "b4c310b", "flags": [], "answers": None,
     "rows": {
         "HistoricTasks": [
             {"task_success": True, "time_complete": WHEN, "description": "Amélie (2001).mkv",
              "abspath": "/bibliothèque/Filme/Amélie (2001).mkv"},
             {"task_success": False, "time_complete": WHEN, "description": "Amélie (2001).mkv",
              "abspath": "/bibliothèque/Filme/Amélie (2001).mkv"},
             {"task_success": True, "time_complete": WHEN, "description": "東京物語 (1953).avi",
              "abspath": "/library/東京物語 (1953).avi"},
         ],
         "HistoricTaskStatistics": [
             {"historic_task": 1, "start_time": WHEN, "finish_time": WHEN, "processed_by_worker": "Worker-0",
              "audio_encoder": "aac", "video_encoder": None},
             {"historic_task": 2, "start_time": WHEN, "finish_time": WHEN, "processed_by_worker": "Worker-0",
              "audio_encoder": None, "video_encoder": None},
         ]}},

    # The WIP table of statistics becomes the task settings (git sees the file renamed); the task's time and
    # description are its finish time and label; its path goes.
    {"step": "03", "commit": "acc16ba",
     "flags": ["--rename-table", "historictaskstatistics=historictasksettings",
               "--rename", "historictasksettings.historic_task_id=historictask_id",
               "--rename", "historictasks.time_complete=finish_time",
               "--rename", "historictasks.description=task_label", "--allow-destructive"],
     # Rolled back at the end, historictasks.abspath comes back NOT NULL over the task completed at step 10:
     # refused, naming it, then done with --accept-loss (it gets '').
     "rollback_accept_loss": "historictasks.abspath comes back NOT NULL without a default",
     "answers": [("historictasks.abspath -> historictasks.processed_by_worker", "n"),
                 ("historictasks.start_time", "'2019-10-02 21:00:00'"),
                 ("historictasks.processed_by_worker", "'Worker-0'")],
     "rows": {
         "HistoricTaskProbe": [
             {"historictask_id": 1, "abspath": "/bibliothèque/Filme/Amélie (2001).mkv",
              "basename": "Amélie (2001).mkv", "bit_rate": "8123456", "format_long_name": "Matroska / WebM",
              "format_name": "matroska,webm", "size": "6123456789"},
             {"historictask_id": 3, "type": "destination", "abspath": "/library/東京物語 (1953).mkv",
              "basename": "東京物語 (1953).mkv", "bit_rate": "", "format_long_name": "Matroska / WebM",
              "format_name": "matroska,webm", "size": "0"},
         ],
         "HistoricTaskProbeStreams": [
             {"historictaskprobe_id": 1, "codec_type": "video", **STREAM},
             {"historictaskprobe_id": 1, "codec_type": "audio", **{**STREAM, "channels": "6",
                                                                   "channel_layout": "5.1(side)"}},
         ]}},

    {"step": "04", "commit": "8dcdf18", "flags": ["--allow-destructive"],
     "answers": [(f"historictasksettings.{column}", typed) for column, typed in SETTINGS_COPY],
     "rows": {"HistoricTaskFfmpegLog": [
         {"historictask_id": 2, "dump": "[matroska @ 0x55d5] Could not find codec parameters — «Übersetzung»"},
         {"historictask_id": 2},
     ]}},

    {"step": "05", "commit": "5aa94b4", "flags": [], "answers": None,
     "rows": {
         "Tasks": [
             {"abspath": "/bibliothèque/Filme/Léon (1994).mkv", "cache_path": None, "status": "pending"},
             {"abspath": "/library/Spirited Away 千と千尋の神隠し.mkv", "cache_path": None, "status": "pending"},
             {"abspath": "/library/Heat (1995).avi", "cache_path": "/tmp/unmanic/Heat (1995)-1589.mkv",
              "status": "in_progress"},
         ],
         "TaskProbe": [{"task_id": 1, "abspath": "/bibliothèque/Filme/Léon (1994).mkv",
                        "basename": "Léon (1994).mkv", "bit_rate": "4500000", "format_long_name": "Matroska / WebM",
                        "format_name": "matroska,webm", "size": "3987654321", "duration": "6402.0"}],
         "TaskProbeStreams": [{"taskprobe_id": 1, "codec_type": "video", **STREAM},
                              {"taskprobe_id": 1, "codec_type": "subtitle", **STREAM}],
         "TaskSettings": [{"task_id": 1, **TASK_SETTINGS}, {"task_id": 3, **TASK_SETTINGS}],
     }},

    {"step": "06", "commit": "c23bd63", "flags": [], "answers": [("tasksettings.overwrite_additional_ffmpeg_options",
                                                                   "False")], "rows": {}},

    {"step": "07", "commit": "40a2174", "flags": [], "answers": None,
     "rows": {"Tasks": [{"abspath": "/library/Léon (1994) [Director's Cut].mkv", "cache_path": None,
                         "priority": 200, "status": "pending", "start_time": None, "finish_time": None}]}},

    {"step": "08", "commit": "06166c1", "flags": [],
     "answers": [("historictasksettings.keep_original_container", "False"),
                 ("tasksettings.keep_original_container", "True")],
     "rows": {
         "Plugins": [
             {"plugin_id": "encoder_video_hevc_vaapi", "name": "Transcode Video Files (VAAPI)", "author": "Josh.5",
              "version": "0.0.4", "tags": "video,ffmpeg", "description": "", "icon": "", "local_path": "/p/1"},
             {"plugin_id": "notify_plex", "name": "Notify Plex — Bibliothek", "author": "Josh.5", "version": "0.0.2",
              "tags": "post-processor", "description": "Tells Plex about new files", "icon": "",
              "local_path": "/p/2", "enabled": True, "position": 1},
         ],
         "PluginRepos": [{"path": "https://repo.example/unmanic-plugins/repo.json"}],
         "Installation": [{}],
         "PluginFlow": [
             {"plugin_id": 1, "plugin_name": "Transcode Video Files (VAAPI)", "plugin_type": "worker.process_item",
              "position": 1},
             {"plugin_id": 2, "plugin_name": "Notify Plex — Bibliothek", "plugin_type": "postprocessor.task_result"},
         ]}},

    {"step": "09", "commit": "0fd46a0", "flags": ["--rename", "tasks.ffmpeg_log=log"], "answers": None,
     "rows": {}},

    # The historic tables become the completed ones (Unmanic left the old tables behind and made new ones; here
    # they are renamed, rows kept); the probe and settings copies go.
    {"step": "10", "commit": "d5c4271",
     "flags": ["--rename-table", "historictasks=completedtasks",
               "--rename-table", "historictaskffmpeglog=completedtaskscommandlogs",
               "--rename", "completedtaskscommandlogs.historictask_id=completedtask_id", "--allow-destructive"],
     "answers": None,
     "rows": {"CompletedTasks": [{"task_label": "Léon (1994).mkv", "task_success": True, "start_time": LATER,
                                  "finish_time": LATER, "processed_by_worker": "W1",
                                  "abspath": "/bibliothèque/Filme/Léon (1994).mkv"}],
              "CompletedTasksCommandLogs": [{"completedtask_id": 4, "dump": "ffmpeg -i … -c:v libx265"}]}},

    {"step": "11", "commit": "f7fd522", "flags": ["--allow-destructive"], "answers": None,
     "rows": {
         "Libraries": [{"name": "Filme", "path": "/bibliothèque/Filme", "enable_scanner": True},
                       {"name": "Filme", "path": "/bibliothèque/Filme 4K"}],
         "EnabledPlugins": [{"library_table_id": 1, "plugin_table_id": 1, "plugin_name": "encoder_video_hevc_vaapi"},
                            {"library_table_id": 2, "plugin_table_id": 1, "plugin_name": "encoder_video_hevc_vaapi"}],
     }},

    # The plugin flow becomes the library's: a NOT NULL foreign key library_id (no default) over the two flows of
    # step 08, which generate asks a one-off value for: the library "Filme", id 1. One version, as the models give
    # it (add_column makes the key's index, and on MariaDB its constraint, with the value as its default). The id
    # is typed as Python writes it, 1: a value of the primary key the foreign key points to.
    {"step": "12", "commit": "11132c6",
     "flags": ["--rename-table", "pluginflow=librarypluginflow",
               "--rename", "enabledplugins.library_table_id=library_id",
               "--rename", "enabledplugins.plugin_table_id=plugin_id"],
     "answers": [("librarypluginflow.library_id", "1")], "rows": {}},

    # b1c1554 makes library names unique: the two libraries named "Filme" stop migrate until one is renamed.
    {"step": "13", "commit": "3c72001", "flags": [], "answers": None,
     "fix": {"refused": "libraries has 1 duplicated value of (name), so a unique index cannot be built",
             "sql": ["UPDATE libraries SET name = 'Filme (4K)' WHERE id = 2"]}, "rows": {}},

    {"step": "14", "commit": "f9c7b2e", "flags": [], "answers": None,
     "rows": {
         "Tags": [{"name": "Anime"}, {"name": "Ärzte-Doku"}],
         "LibraryTags": [{"libraries": 1, "tags": 1}, {"libraries": 2, "tags": 1}, {"libraries": 2, "tags": 2}],
         "WorkerGroups": [{"name": "GPU — Nacht", "number_of_workers": 1}],
         "WorkerGroupTags": [{"workergroups": 1, "tags": 2}],
         "WorkerSchedules": [{"repetition": "daily", "schedule_task": "pause", "schedule_time": "06:00",
                              "schedule_worker_count": None, "worker_group_id": 1}],
     }},

    {"step": "15", "commit": "0fcdde4", "flags": [], "answers": None, "rows": {}},

    # Peewee's create_tables() itself fails on MariaDB here: the (file_metadata_id, path) index takes a TEXT column
    # whole, longer than InnoDB's key limit (Unmanic runs on SQLite only).
    {"step": "16", "commit": "ce45c46", "flags": [], "answers": None, "backends": ("sqlite", "postgres"),
     "rows": {}},
]
