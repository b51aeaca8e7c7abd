"""The history table: one row per applied version, with the inverse that undoes it."""
import datetime
import functools
import getpass
import json
import socket

APPLIED, RUNNING, FAILED = "applied", "running", "failed"


def _model(db, table):
    import peewee

    class Meta:
        database = db
        table_name = table
        legacy_table_names = False

    return type("HistoryRow", (peewee.Model,), {
        "Meta": Meta,
        "id": peewee.AutoField(),  # the order of application
        "version": peewee.CharField(max_length=64, unique=True),
        "description": peewee.TextField(null=True),
        "checksum": peewee.CharField(max_length=64, null=True),
        "applied_at": peewee.DateTimeField(),
        "execution_ms": peewee.IntegerField(default=0),
        "inverse": peewee.TextField(null=True),  # JSON list of operations; null for a baseline
        "state": peewee.CharField(max_length=16, default=APPLIED),
        "detail": peewee.TextField(null=True),  # JSON journal of a run that did not finish
        "applied_by": peewee.CharField(max_length=255, null=True),
        "tool_version": peewee.CharField(max_length=32, null=True),
        "fingerprint": peewee.CharField(max_length=64, null=True),  # hash of the schema after this version
        "schema_after": peewee.TextField(null=True),  # that schema, on the newest row only: to name what drifted
    })


class History:
    def __init__(self, db, table):
        self.db = db
        self.table = table
        self.Row = _model(db, table)

    def exists(self):
        return self.table in self.db.get_tables()

    def ensure(self):
        if not self.exists():
            self.db.create_tables([self.Row])

    def rows(self):
        """Every row, in the order of application."""
        if not self.exists():
            return []
        return list(self._select().order_by(self.Row.id))

    def _select(self):
        """Rows as plain records (a model instance each costs three times as much), without the schema,
        which is read on demand."""
        import types

        light = [f for f in self.Row._meta.sorted_fields if f.name != "schema_after"]
        return self.Row.select(*light).objects(types.SimpleNamespace)

    def schema_after(self, row):
        """The schema recorded after the row's version, or None (only the newest row keeps it)."""
        found = self.Row.select(self.Row.schema_after).where(self.Row.id == row.id).scalar()
        return json.loads(found) if found else None

    def keep_schema(self, row, schema):
        """Record the schema (canonical JSON text) on the row and drop it from every other row, so that the
        history grows by a fingerprint per version, not by a whole schema."""
        with self.db.atomic():
            self.Row.update(schema_after=None).where(
                (self.Row.id != row.id) & self.Row.schema_after.is_null(False)).execute()
            self.Row.update(schema_after=schema).where(self.Row.id == row.id).execute()

    def newest_applied(self):
        """The row of the version applied last, or None."""
        return self._select().where(self.Row.state == APPLIED).order_by(self.Row.id.desc()).first()

    def current(self):
        """The highest applied version's name, or None."""
        from .versions import Version

        if not self.exists():
            return None
        names = [r.version for r in self.Row.select(self.Row.version).where(self.Row.state == APPLIED)]
        return str(max(map(Version, names))) if names else None

    def insert(self, version, description, checksum, *, inverse=None, state=APPLIED, detail=None, execution_ms=0,
               schema=None):
        from . import __version__

        return self.Row.create(
            version=str(version), description=description, checksum=checksum,
            applied_at=datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0),
            execution_ms=execution_ms, inverse=_json(inverse), state=state, detail=_json(detail),
            applied_by=_applied_by(), tool_version=__version__, **_schema_fields(schema))

    def update(self, row, *, schema=None, **changes):
        changes.update(_schema_fields(schema))
        for name in ("inverse", "detail"):
            if name in changes:
                changes[name] = _json(changes[name])
        self.Row.update(**changes).where(self.Row.id == row.id).execute()
        for name, value in changes.items():
            setattr(row, name, value)

    def delete(self, row):
        self.Row.delete().where(self.Row.id == row.id).execute()


def legacy_schema(row):
    """Whether the row's fingerprint and schema were recorded by a release before 0.2, in the form it used."""
    return (row.tool_version or "0.1").split(".")[:2] == ["0", "1"]


def inverse_of(row):
    """The row's stored inverse as JSON data (None for a baseline row, which stored none)."""
    return None if row.inverse is None else json.loads(row.inverse)


def stored_inverse(row):
    """The row's stored inverse as operations, each marked with the operation it undoes (None for a baseline)."""
    from .operations import load_stored

    steps = inverse_of(row)
    return None if steps is None else load_stored(steps)


def detail_of(row):
    return json.loads(row.detail) if row.detail else {}


def _schema_fields(schema):
    from .introspect import fingerprint

    return {} if schema is None else {"fingerprint": fingerprint(schema)}


def _json(value):
    # Keys keep their order: the columns of a stored create_table are the table's columns in order.
    return None if value is None else json.dumps(value)


@functools.lru_cache(maxsize=1)
def _applied_by():
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
