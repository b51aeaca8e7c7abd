"""The history table: one row per applied version, with the inverse that undoes it; and its own layout.

The table's layout is versioned, as yoyo versions its internal tables: `LAYOUT_TABLE` records, per history
table, the layout it has. A release that knows a newer layout upgrades an older one in place, under the run's
lock, just before a command first writes to the database (`ensure`); read-only commands, and commands refused
before they write, read an older layout as it is.
A layout newer than this release knows is refused by every command.
"""
import datetime
import functools
import json

from .config import DEFAULTS, ENVIRONMENT
from .errors import HistoryMismatch, SpecError

APPLIED, RUNNING, FAILED = "applied", "running", "failed"

LAYOUT_TABLE = "_migrator_layout"  # hidden as every _migrator_ table is: never part of a schema or drift
# What each layout after the first adds to the one before it: {layout: (what it adds, how, given the History)}.
# Layout 1 is the table as releases up to 0.2 made it, 13 columns, its layout not recorded.
UPGRADES = {
    2: ("the layout recorded", lambda history: None),
    3: ("each version's lock retries and accepted unsafe operations", lambda history: history.add_columns(3)),
}
LAYOUT = max(UPGRADES)  # the layout this release makes and writes


def _model(db, table):
    import peewee

    return _table_model(db, table, "HistoryRow", {
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
        # layout 3
        "retries": peewee.IntegerField(default=0),  # times the version was tried again, a lock being held
        "unsafe_ok": peewee.TextField(null=True),  # JSON list: {operation, action, reason} of each accepted
    })


ADDED_IN = {3: ("retries", "unsafe_ok")}  # the columns each layout adds, absent from a table at an older one


def _layout_model(db):
    import peewee

    return _table_model(db, LAYOUT_TABLE, "HistoryLayout", {
        "history_table": peewee.CharField(max_length=255, primary_key=True),
        "layout": peewee.IntegerField(),
        "tool_version": peewee.CharField(max_length=32),  # the release that recorded it
        "recorded_at": peewee.DateTimeField(),
    })


def _table_model(db, table, class_name, fields):
    import peewee

    class Meta:
        database = db
        table_name = table
        legacy_table_names = False

    return type(class_name, (peewee.Model,), {"Meta": Meta, **fields})


class History:
    def __init__(self, db, table):
        self.db = db
        self.table = table
        self.Row = _model(db, table)
        self.Layout = _layout_model(db)
        self._layout_known = False  # checked once: not newer than this release knows
        self._found = None  # the table's layout, once read
        self._statements = {}  # (insert or update, column names) -> (its SQL, its fields in its order); "delete" -> SQL

    def exists(self):
        return self.table in self.db.get_tables()

    def ensure(self, upgrade=True):
        """Under the run's lock, just before a command first writes: make the table at this release's layout, or
        (`upgrade`) bring an older layout to it."""
        tables = self.db.get_tables()
        if self.table not in tables:
            with self.db.atomic():
                self.db.create_tables([self.Row])
                self._record_layout(LAYOUT)
            self._found = LAYOUT
        elif upgrade:
            self._upgrade(tables)
            self._found = LAYOUT

    def layout(self, tables=None):
        """The table's layout: the one recorded, 1 for a table made before layouts were recorded, None for no
        table. `tables`: the database's tables, when already read."""
        tables = self.db.get_tables() if tables is None else tables
        if self.table not in tables:
            return None
        if LAYOUT_TABLE not in tables:
            return self._first_layout()
        query = self.Layout.select(self.Layout.layout).where(self.Layout.history_table == self.table)
        row = self.db.execute_sql(*query.sql()).fetchone()  # as stored: SQLite keeps any value in the column
        found = row and row[0]
        if found is None:
            return self._first_layout()  # another history table's layout is recorded, not this one's
        if isinstance(found, bool) or not isinstance(found, int) or found < 2:
            raise HistoryMismatch(f"the layout recorded for the history table {self.table} in {LAYOUT_TABLE} is "
                                  f"{found!r}, not a layout this or any release writes (2 or more): restore the "
                                  "record, or delete its row to have the table read as layout 1. Nothing was "
                                  "read or changed", layout=found)
        return found

    def _first_layout(self):
        """1, for a history table made before layouts were recorded; a table of the application's (--table naming
        it by mistake) is refused before anything reads or writes it as a history."""
        import peewee

        cursor = self.db.execute_sql(*self.Row.select(peewee.SQL("*")).where(peewee.SQL("1 = 0")).sql())
        if not {"version", "checksum"} <= {column[0].lower() for column in cursor.description}:
            raise SpecError(f"the table {self.table} is not a migrator history table (it has no version and checksum "
                            f"columns): --table ({ENVIRONMENT['table']}) names the history table, "
                            f"{DEFAULTS['table']} unless set. Nothing was read or changed")
        return 1

    def _upgrade(self, tables):
        """Bring an older layout to this release's, in place, each step once."""
        found = self._refuse_newer(tables)
        if found == LAYOUT:
            return
        with self.db.atomic():  # where DDL is not transactional (MariaDB) each step is safe to run again
            for layout in range(found + 1, LAYOUT + 1):
                UPGRADES[layout][1](self)
            self._record_layout(LAYOUT)

    def _record_layout(self, layout):
        from . import __version__

        self.db.create_tables([self.Layout])  # safe: kept if there
        self.Layout.delete().where(self.Layout.history_table == self.table).execute()
        self.Layout.create(history_table=self.table, layout=layout, tool_version=__version__, recorded_at=_now())

    def _refuse_newer(self, tables=None):
        found = self.layout(tables)
        if found is not None and found > LAYOUT:
            from . import __version__

            by = self.Layout.select(self.Layout.tool_version).where(self.Layout.history_table == self.table).scalar()
            raise HistoryMismatch(
                f"the history table {self.table} has layout {found}, recorded by migrator {by}; this migrator "
                f"({__version__}) knows layouts up to {LAYOUT}: upgrade migrator to use this database. Nothing was "
                "read or changed", layout=found, known=LAYOUT)
        self._layout_known, self._found = True, found
        return found

    def add_columns(self, layout):
        """The columns `layout` adds, each added unless there (a step run again where DDL is not transactional)."""
        from .dialects import dialect_for

        have = {c.name for c in self.db.get_columns(self.table)}
        dialect_for(self.db).add_own_columns(self.table, [getattr(self.Row, name) for name in ADDED_IN[layout]
                                                          if name not in have])

    def rows(self):
        """Every row, in the order of application."""
        tables = self.db.get_tables()
        if self.table not in tables:
            return []
        if not self._layout_known:
            self._refuse_newer(tables)
        fields = self._light_fields()
        return self._records(self.Row.select(*fields).order_by(self.Row.id), fields)

    def _records(self, query, fields):
        """The rows a select of `fields` reads, as plain records: each value as the driver gives it, but a date and
        time read as Peewee reads it (Peewee's conversion of every value was most of a thousand rows' time; the
        others are of the right type as the drivers give them)."""
        import types

        import peewee

        names = [f.name for f in fields]
        dates = [(f.name, f.python_value) for f in fields if isinstance(f, peewee.DateTimeField)]
        records = []
        for values in self.db.execute_sql(*query.sql()):
            record = types.SimpleNamespace(**dict(zip(names, values)))
            for name, convert in dates:
                value = getattr(record, name)
                if value is not None:
                    setattr(record, name, convert(value))
            records.append(self._complete(record))
        return records

    def _select(self):
        """Rows as plain records (a model instance each costs three times as much), without the schema, which is
        read on demand, and without the columns of a newer layout than the table has (a read-only command reads
        an older layout as it is)."""
        import types

        return self.Row.select(*self._light_fields()).objects(types.SimpleNamespace)

    def _light_fields(self):
        missing = self._missing_columns()
        return [f for f in self.Row._meta.sorted_fields if f.name != "schema_after" and f.name not in missing]

    def _missing_columns(self):
        found = self._found or self.layout() or LAYOUT
        return {name for layout, names in ADDED_IN.items() if layout > found for name in names}

    def _complete(self, row):
        """A row read from an older layout, with the values a newer layout's columns would have held."""
        if row is not None:
            for name in ADDED_IN[3]:
                if not hasattr(row, name):
                    setattr(row, name, getattr(self.Row, name).default)
        return row

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
        return self._complete(self._select().where(self.Row.state == APPLIED).order_by(self.Row.id.desc()).first())

    def current(self):
        """The highest applied version's name, or None."""
        from .versions import Version

        if not self.exists():
            return None
        names = [r.version for r in self.Row.select(self.Row.version).where(self.Row.state == APPLIED)]
        return str(max(map(Version, names))) if names else None

    def insert(self, version, description, checksum, *, inverse=None, state=APPLIED, detail=None, execution_ms=0,
               schema=None, retries=0, unsafe_ok=None):
        import types

        from . import __version__

        values = dict(
            version=str(version), description=description, checksum=checksum, applied_at=_now(),
            execution_ms=execution_ms, inverse=_json(inverse), state=state, detail=_json(detail),
            applied_by=_applied_by(), tool_version=__version__, retries=retries, unsafe_ok=_json(unsafe_ok or None),
            **_schema_fields(schema))
        cursor = self._write("insert", values)
        new_id = cursor.fetchone()[0] if self.db.returning_clause else cursor.lastrowid
        return types.SimpleNamespace(**{"id": new_id, "fingerprint": None, "schema_after": None, **values})

    def update(self, row, *, schema=None, **changes):
        changes.update(_schema_fields(schema))
        if "unsafe_ok" in changes:
            changes["unsafe_ok"] = changes["unsafe_ok"] or None
        for name in ("inverse", "detail", "unsafe_ok"):
            if name in changes:
                changes[name] = _json(changes[name])
        self._write("update", changes, row.id)
        for name, value in changes.items():
            setattr(row, name, value)

    def _write(self, kind, values, row_id=None):
        """An insert of a row, or an update of the row `row_id`, with `values` ({column: value}): its SQL is built
        by Peewee once per run for each set of columns (building it was most of the time of a history write)."""
        names = tuple(values)
        if (kind, names) not in self._statements:
            fields = sorted((getattr(self.Row, name) for name in names), key=lambda f: f._sort_key)
            blank = {f: None for f in fields}
            query = self.Row.insert(blank) if kind == "insert" else self.Row.update(blank).where(self.Row.id == 0)
            self._statements[kind, names] = query.sql()[0], fields
        sql, fields = self._statements[kind, names]
        params = [field.db_value(values[field.name]) for field in fields]
        return self.db.execute_sql(sql, params if row_id is None else params + [row_id])

    def delete(self, row):
        if "delete" not in self._statements:  # (built once per run, as _write's statements)
            self._statements["delete"] = self.Row.delete().where(self.Row.id == 0).sql()[0]
        self.db.execute_sql(self._statements["delete"], [row.id])


def unsafe_accepted(row):
    """The row's accepted unsafe operations: [{operation, action, reason}], or None (as its column) when none was."""
    return json.loads(row.unsafe_ok) if getattr(row, "unsafe_ok", None) else None


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


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


def _schema_fields(schema):
    """The fingerprint of `schema`: canonical JSON text, or an introspect.SchemaText that knows its own."""
    from .introspect import fingerprint

    if schema is None:
        return {}
    return {"fingerprint": fingerprint(schema) if isinstance(schema, str) else schema.fingerprint}


def _json(value):
    # Keys keep their order: the columns of a stored create_table are the table's columns in order.
    return None if value is None else json.dumps(value)


@functools.lru_cache(maxsize=1)
def _applied_by():
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
