"""Frigate's schema history replayed with Peewee itself: the reference the spec versions are held to.

One function per upstream migration file (see SOURCE.md), in the order of the spec versions: new tables as
Peewee models made by `db.create_tables`, every other change through playhouse.migrate's
`SchemaMigrator.from_database(db)`. Written for this test suite from the upstream schema steps; no upstream
code is copied. Steps that are pure data updates do nothing here, as in the specs.
"""
import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate


class JSONColumn(pw.Field):
    """A column declared JSON, as playhouse.sqlite_ext's JSONField declares it (on every backend)."""
    field_type = "JSON"


def model(db, table, fields, primary_key=None):
    """A Peewee model of `table` in `db` with these fields, in this order."""
    meta = {"database": db, "table_name": table}
    if primary_key is not None:
        meta["primary_key"] = primary_key
    # Named as the table: Peewee names an index after the model's class (legacy_table_names), as the app's own
    # model classes (Event, User...) name theirs after the table.
    return type(table, (pw.Model,), {**fields, "Meta": type("Meta", (), meta)})


def text_key(db, table, length):
    """A stand-in for a table keyed by `id` VARCHAR(length), for foreign keys to point at (never created)."""
    return model(db, table, {"id": pw.CharField(max_length=length, primary_key=True)})


def m001(db, m):  # 001_create_events_table.py
    db.create_tables([model(db, "event", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "label": pw.CharField(max_length=20, index=True),
        "camera": pw.CharField(max_length=20, index=True),
        "start_time": pw.DateTimeField(),
        "end_time": pw.DateTimeField(),
        "top_score": pw.FloatField(),
        "false_positive": pw.BooleanField(),
        "zones": JSONColumn(),
        "thumbnail": pw.TextField(),
    })])


def m002(db, m):  # 002_add_clip_snapshot.py
    migrate(m.add_column("event", "has_clip", pw.BooleanField(default=True)),
            m.add_column("event", "has_snapshot", pw.BooleanField(default=True)))


def m003(db, m):  # 003_create_recordings_table.py
    db.create_tables([model(db, "recordings", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "camera": pw.CharField(max_length=20, index=True),
        "path": pw.CharField(max_length=255, unique=True),
        "start_time": pw.DateTimeField(),
        "end_time": pw.DateTimeField(),
        "duration": pw.FloatField(),
    })])
    migrate(m.add_index("recordings", ("start_time", "end_time")))


def m004(db, m):  # 004_add_bbox_region_area.py
    migrate(m.add_column("event", "region", JSONColumn(default="[]")),
            m.add_column("event", "box", JSONColumn(default="[]")),
            m.add_column("event", "area", pw.IntegerField(default=0)))


def m005(db, m):  # 005_make_end_time_nullable.py
    migrate(m.drop_not_null("event", "end_time"))


def m006(db, m):  # 006_add_motion_active_objects.py (its index names a column that does not exist yet: left out)
    migrate(m.add_column("recordings", "objects", pw.IntegerField(null=True)),
            m.add_column("recordings", "motion", pw.IntegerField(null=True)))


def m007(db, m):  # 007_add_retain_indefinitely.py
    migrate(m.add_column("event", "retain_indefinitely", pw.BooleanField(default=False)))


def m008(db, m):  # 008_add_sub_label.py
    migrate(m.add_column("event", "sub_label", pw.CharField(max_length=20, null=True)))


def m009(db, m):  # 009_add_object_filter_ratio.py
    migrate(m.add_column("event", "ratio", pw.FloatField(default=1.0)))


def m010(db, m):  # 010_add_plus_image_id.py
    migrate(m.add_column("event", "plus_id", pw.CharField(max_length=30, null=True)))


def m011(db, m):  # 011_update_indexes.py (ascending: neither add_index says DESC)
    migrate(m.add_index("event", ("start_time", "end_time"), name="event_start_time_end_time"),
            m.drop_index("recordings", "recordings_start_time_end_time"),
            m.add_index("recordings", ("end_time", "start_time"), name="recordings_end_time_start_time"))


def m012(db, m):  # 012_add_segment_size.py
    migrate(m.add_column("recordings", "segment_size", pw.FloatField(default=0)))


def m013(db, m):  # 013_create_timeline_table.py: a table without a primary key
    db.create_tables([model(db, "timeline", {
        "timestamp": pw.DateTimeField(),
        "camera": pw.CharField(max_length=20, index=True),
        "source": pw.CharField(max_length=20, index=True),
        "source_id": pw.CharField(max_length=30, null=True, index=True),
        "class_type": pw.CharField(max_length=50),
        "data": JSONColumn(null=True),
    }, primary_key=False)])


def m014(db, m):  # 014_event_updates_for_fp.py (its add_default is an UPDATE of every row: left out)
    migrate(m.add_column("event", "score", pw.FloatField(null=True)),
            m.add_column("event", "model_hash", pw.CharField(max_length=32, null=True)),
            m.add_column("event", "detector_type", pw.CharField(max_length=32, null=True)),
            m.add_column("event", "model_type", pw.CharField(max_length=32, null=True)),
            m.drop_not_null("event", "area"),
            m.drop_not_null("event", "false_positive"))


def m015(db, m):  # 015_event_refactor.py
    migrate(*[m.drop_not_null("event", column) for column in ("top_score", "score", "region", "box", "area", "ratio")],
            m.add_column("event", "data", JSONColumn(default="{}")))


def m016(db, m):  # 016_sublabel_increase.py
    migrate(m.alter_column_type("event", "sub_label", pw.CharField(max_length=100, null=True)))


def m017(db, m):  # 017_update_indexes.py
    migrate(m.add_index("recordings", ("camera", "segment_size"), name="recordings_camera_segment_size"))


def m018(db, m):  # 018_add_dbfs.py
    migrate(m.add_column("recordings", "dBFS", pw.IntegerField(null=True)))


def m019(db, m):  # 019_create_regions_table.py
    db.create_tables([model(db, "regions", {
        "camera": pw.CharField(max_length=20, primary_key=True),
        "last_update": pw.DateTimeField(),
        "grid": JSONColumn(null=True),
    })])


def m020(db, m):  # 020_update_index_recordings.py (ascending, as in m011)
    migrate(m.drop_index("recordings", "recordings_end_time_start_time"),
            m.add_index("recordings", ("camera", "start_time", "end_time"),
                        name="recordings_camera_start_time_end_time"),
            m.add_index("recordings", ("camera", "start_time", "duration", "motion", "objects"),
                        name="recordings_api_recordings_summary"),
            m.add_index("recordings", ("start_time",), name="recordings_start_time"))


def m021(db, m):  # 021_create_previews_table.py
    db.create_tables([model(db, "previews", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "camera": pw.CharField(max_length=20),
        "path": pw.CharField(max_length=255),
        "start_time": pw.DateTimeField(),
        "end_time": pw.DateTimeField(),
        "duration": pw.FloatField(),
    })])


def m022(db, m):  # 022_create_review_segment_table.py
    db.create_tables([model(db, "reviewsegment", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "camera": pw.CharField(max_length=20),
        "start_time": pw.DateTimeField(),
        "end_time": pw.DateTimeField(null=True),
        "has_been_reviewed": pw.BooleanField(),
        "severity": pw.CharField(max_length=30),
        "thumb_path": pw.CharField(max_length=255),
        "data": JSONColumn(),
    })])
    migrate(m.add_index("reviewsegment", ("camera",), name="review_segment_camera"),
            m.add_index("reviewsegment", ("start_time", "end_time"), name="review_segment_start_time_end_time"))


def m023(db, m):  # 023_add_regions.py
    migrate(m.add_column("recordings", "regions", pw.IntegerField(null=True)))


def m024(db, m):  # 024_create_export_table.py
    db.create_tables([model(db, "export", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "camera": pw.CharField(max_length=20, index=True),
        "name": pw.CharField(max_length=100),
        "date": pw.DateTimeField(),
        "video_path": pw.CharField(max_length=255),
        "thumb_path": pw.CharField(max_length=255),
        "in_progress": pw.BooleanField(),
    })])


def m025(db, m):  # 025_create_user_table.py
    db.create_tables([model(db, "user", {
        "username": pw.CharField(max_length=30, primary_key=True),
        "password_hash": pw.CharField(max_length=120),
    })])


def m026(db, m):  # 026_add_notification_tokens.py
    migrate(m.add_column("user", "notification_tokens", JSONColumn(default="[]")))


def m027(db, m):  # 027_create_explore_index.py (ascending, as in m011)
    migrate(m.add_index("event", ("label", "start_time"), name="event_label_start_time"))


def m028(db, m):  # 028_optional_event_thumbnail.py
    migrate(m.drop_not_null("event", "thumbnail"))


def m029(db, m):  # 029_add_user_role.py: NOT NULL, and the server default stays (its UPDATE is a no-op)
    migrate(m.add_column("user", "role", pw.CharField(max_length=20, default="admin")),
            m.add_column_default("user", "role", "admin"))


def m030(db, m):  # 030_create_user_review_status.py (the copy of review states between the tables is left out)
    reviewsegment = text_key(db, "reviewsegment", 30)
    db.create_tables([model(db, "userreviewstatus", {
        "user_id": pw.CharField(max_length=30),
        # A key to a VARCHAR(30) primary key: Peewee makes the column VARCHAR(30).
        "review_segment": pw.ForeignKeyField(reviewsegment, on_delete="CASCADE", index=False),
        # Upstream's CREATE TABLE gives the column the server default 0; PostgreSQL's boolean takes FALSE.
        "has_been_reviewed": pw.BooleanField(default=False, constraints=[
            pw.SQL("DEFAULT FALSE" if isinstance(db, pw.PostgresqlDatabase) else "DEFAULT 0")]),
    })])
    migrate(m.add_index("userreviewstatus", ("user_id", "review_segment_id"), True,
                        name="userreviewstatus_user_segment"),
            m.drop_column("reviewsegment", "has_been_reviewed"))


def m031(db, m):  # 031_create_trigger_table.py: a composite primary key
    db.create_tables([model(db, "trigger", {
        "camera": pw.CharField(max_length=20),
        "name": pw.CharField(),
        "type": pw.CharField(max_length=10),
        "model": pw.CharField(max_length=30),
        "data": pw.TextField(),
        "threshold": pw.FloatField(null=True),
        "embedding": pw.BlobField(null=True),
        "triggering_event_id": pw.CharField(max_length=30, null=True),
        "last_triggered": pw.DateTimeField(null=True),
    }, primary_key=pw.CompositeKey("camera", "name"))])


def m032(db, m):  # 032_add_password_changed_at.py
    migrate(m.add_column("user", "password_changed_at", pw.DateTimeField(null=True)))


def m033(db, m):  # 033_create_export_case_table.py
    db.create_tables([model(db, "exportcase", {
        "id": pw.CharField(max_length=30, primary_key=True),
        "name": pw.CharField(max_length=100, index=True),
        "description": pw.TextField(null=True),
        "created_at": pw.DateTimeField(index=True),
        "updated_at": pw.DateTimeField(),
    })])


def m034(db, m):  # 034_add_export_case_to_exports.py: a plain column, as upstream's SQL adds it
    migrate(m.add_column("export", "export_case_id", pw.CharField(max_length=30, null=True)),
            m.add_index("export", ("export_case_id",)))


def m035(db, m):  # 035_add_motion_heatmap.py
    migrate(m.add_column("recordings", "motion_heatmap", pw.TextField(null=True)))


STEPS = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017,
         m018, m019, m020, m021, m022, m023, m024, m025, m026, m027, m028, m029, m030, m031, m032, m033, m034, m035]
VERSIONS = [f"v1.{minor}.0" for minor in range(len(STEPS))]  # the spec version of each step


def replay(db, through=None):
    """Apply every step to `db` (a connected Peewee database), or those up to the spec version `through`."""
    m = SchemaMigrator.from_database(db)
    for version, step in zip(VERSIONS, STEPS):
        step(db, m)
        if version == through:
            break
