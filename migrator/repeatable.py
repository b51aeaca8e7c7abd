"""Repeatable specs: `r__name.json` files of sql operations (views, functions, triggers), applied after the
versioned ones whenever their checksum changes, the stored `down` of what is there run first (Flyway's R__).

Their applied state is kept in a table of the migrator's own, `_migrator_repeatable` (hidden as every _migrator_
table is), one row per history table and name: the history table's rows and layout, and every reader of versions
(status, rollback, baseline, repair, verify, generate's replay), are untouched by them.
"""
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import OperationFailed, SpecError

PREFIXES = ("r__", "R__")  # Flyway writes R__; both name the same repeatable
TABLE = "_migrator_repeatable"
_NAME = re.compile(r"[\w.-]+")
PENDING, APPLIED, CHANGED, MISSING = "pending", "applied", "changed", "missing"


@dataclass(frozen=True)
class RepeatableFile:
    """A repeatable spec file, read."""
    name: str
    path: Path
    description: str
    checksum: str
    operations: tuple | None  # None when read for its checksum only

    @property
    def label(self):
        return label(self.name)


def label(name):
    return f"r__{name}"


def is_repeatable(filename):
    return filename.startswith(PREFIXES)


# -- files --------------------------------------------------------------------------------------------------
def find_repeatables(specs_dir):
    """{name: path} of the repeatable specs in the folder, by name; a bad name or two files for one name is an
    error."""
    from .spec import require_folder

    folder, found = require_folder(specs_dir), {}
    for filename in sorted(os.listdir(folder)):
        if not (filename.endswith(".json") and is_repeatable(filename)):
            continue
        path, name = folder / filename, filename[len("r__"):-len(".json")]
        if not _NAME.fullmatch(name):
            raise SpecError(f"a repeatable spec is named r__NAME.json, NAME being letters, digits, _, - and . "
                            f"({'nothing' if not name else repr(name)} follows r__)", file=path)
        if name in found:
            raise SpecError(f"repeatable {label(name)} is also defined by {found[name].name}", file=path)
        found[name] = path
    return dict(sorted(found.items()))


def files_there(specs_dir, names):
    """{name: its file's name} of those of `names` whose file is in the folder (a rollback needs no file: it
    only tells whether the next migrate applies a repeatable again)."""
    folder = Path(specs_dir)
    there = {}
    for name in names:
        found = [f"{prefix}{name}.json" for prefix in PREFIXES if (folder / f"{prefix}{name}.json").is_file()]
        if found:
            there[name] = found[0]
    return there


def load_repeatable(name, path, build=True):
    """The repeatable spec, validated: sql operations only."""
    from .spec import _read_json, _split_body

    body, digest, _ = _read_json(path)
    items, description, _ = _split_body(body, path)
    if not build:
        return RepeatableFile(name, path, description, digest, None)
    if not items:
        raise SpecError(f"{label(name)} has no operations: add sql operations to it, or delete the file", file=path)
    return RepeatableFile(name, path, description, digest, tuple(_operation(item, index, path)
                                                                 for index, item in enumerate(items)))


def _operation(item, index, path):
    from .operations import ACTIONS, from_dict
    from .spec import _validate_operation

    action = item.get("action") if isinstance(item, dict) and isinstance(item.get("action"), str) else None
    try:
        _validate_operation(item)
        if action != "sql":
            raise SpecError(f"a repeatable spec holds sql operations only (views, functions, triggers): "
                            f"{action} belongs in a versioned spec", param="action")
        operation = from_dict(item)
        operation.check()
    except SpecError as error:
        raise error.at(file=path, index=index, action=action if action in ACTIONS else None) from None
    return operation


def load_all(specs_dir, build=True):
    return [load_repeatable(name, path, build) for name, path in find_repeatables(specs_dir).items()]


# -- where their applied state is kept ---------------------------------------------------------------------
def _model(db):
    import peewee

    class RepeatableRow(peewee.Model):
        history_table = peewee.CharField(max_length=255)  # the history table (--table) the repeatable goes with
        name = peewee.CharField(max_length=255)
        description = peewee.TextField(null=True)
        checksum = peewee.CharField(max_length=64)
        applied_at = peewee.DateTimeField()
        execution_ms = peewee.IntegerField(default=0)
        up = peewee.TextField()  # JSON: the operations as applied (what is there)
        down = peewee.TextField()  # JSON: their stored inverse, newest first, run before an edited file runs
        applied_by = peewee.CharField(max_length=255, null=True)
        tool_version = peewee.CharField(max_length=32, null=True)

        class Meta:
            database = db
            table_name = TABLE
            legacy_table_names = False
            indexes = ((("history_table", "name"), True),)

    return RepeatableRow


class Store:
    """The applied repeatables of one history table."""

    def __init__(self, db, history_table):
        self.db, self.history_table = db, history_table
        self.Row = _model(db)

    def rows(self):
        """{name: row} of the applied repeatables; none when the table was never made (nothing is created)."""
        if TABLE not in self.db.get_tables():
            return {}
        query = self.Row.select().where(self.Row.history_table == self.history_table).order_by(self.Row.name)
        return {row.name: row for row in query}

    def ensure(self):
        self.db.create_tables([self.Row])  # safe: kept if there

    def record(self, file, up, down, ms):
        from . import __version__
        from .history import _applied_by, _now

        self.forget(file.name)
        self.Row.create(history_table=self.history_table, name=file.name, description=file.description,
                        checksum=file.checksum, applied_at=_now(), execution_ms=ms, up=json.dumps(up),
                        down=json.dumps(down), applied_by=_applied_by(), tool_version=__version__)

    def forget(self, name):
        if TABLE not in self.db.get_tables():
            return  # verify's scratch copy of a server's database, made without migrator's own tables
        self.Row.delete().where((self.Row.history_table == self.history_table) & (self.Row.name == name)).execute()


def states(files, rows):
    """Each repeatable known from the files or the store, by name, with its state, as `status` lists them."""
    from .selection import recorded, repeatable_state

    files = {f.name: f for f in files}
    listed = []
    for name in sorted(set(files) | set(rows)):
        file, row = files.get(name), rows.get(name)
        listed.append({
            "name": label(name),
            "state": repeatable_state(file, row),
            "file": file.path.name if file else None,
            **recorded(file, row),
        })
    return listed


def stored_down(row):
    from .operations import load_stored

    return load_stored(json.loads(row.down))


def objects_of(row, dialect):
    """The views and triggers an applied repeatable's stored sql creates on this backend: {"view v", "trigger t"}
    (lowercased), read from its CREATE statements."""
    from .operations import from_dict
    from .sqltext import objects_created

    made = set()
    for item in json.loads(row.up):
        operation = from_dict(item)
        for statement in (operation.statements("sql", dialect) if operation.action == "sql" else None) or ():
            made.update(f"{kind} {name}" for kind, name in objects_created(statement, dialect.name) or ())
    return made


def stored_file(name, row):
    """An applied repeatable as it was applied (its stored up), for putting it back."""
    from .operations import from_dict

    return RepeatableFile(name, None, row.description, row.checksum,
                          tuple(from_dict(item) for item in json.loads(row.up)))


# -- running them ------------------------------------------------------------------------------------------
class Repeatables:
    """Runs repeatables with a Runner's context, under the run's lock."""

    def __init__(self, runner, store):
        self.runner, self.store = runner, store
        self.dialect = runner.dialect

    def apply(self, file, row):
        """Run the stored down of what is there (an edited file), then the file's sql, and record it; on failure
        what was there stays (one transaction where DDL has them; put back on MySQL/MariaDB). Returns a result."""
        started = time.monotonic()
        old_down = [s for s in (stored_down(row) if row else []) if s.action != "irreversible"]
        if self.dialect.transactional_ddl:
            try:
                with self.dialect.migration_context(), self.runner.db.atomic():
                    self._run_down(file.label, old_down)
                    up, down = self._run_up(file.label, file.operations)
                    self._refuse_broken_views(file)
                    self.store.record(file, up, down, _ms(started))
            except OperationFailed as error:
                there = f"the previous {file.label} is still in place" if row else f"{file.label} is not applied"
                raise OperationFailed(f"{error.message}; rolled back: {there}") from None
        else:
            up, down = self._apply_journaled(file, old_down)
            self.store.record(file, up, down, _ms(started))
        # sql per backend whose statements here are all an empty list: nothing ran, and it is recorded all the same
        nothing_here = all(op.statements("sql", self.dialect) == () for op in file.operations)
        return {"name": file.label, "state": CHANGED if row else PENDING, "execution_ms": _ms(started),
                "description": file.description, "took_down_first": bool(old_down), "nothing_here": nothing_here}

    def _refuse_broken_views(self, file):
        """SQLite makes a view over a column that does not exist without a word: each view the repeatable made
        must answer a query, or it fails like any statement."""
        from .sqltext import objects_created

        for operation in file.operations:
            for statement in operation.statements("sql", self.dialect) or ():
                for kind, name in objects_created(statement, self.dialect.name) or ():
                    broken = kind == "view" and self.dialect.broken_view(name)
                    if broken:
                        raise OperationFailed(f"{file.label}: view {name} it makes does not work: {broken}")

    def take_down(self, name, row):
        """Run the stored down of an applied repeatable (a rollback does, before it undoes versions) and forget
        it, so that the next migrate applies it again."""
        steps = [s for s in stored_down(row) if s.action != "irreversible"]
        if self.dialect.transactional_ddl:
            with self.dialect.migration_context(), self.runner.db.atomic():
                self._run_down(label(name), steps)
                self.store.forget(name)
            return
        done = []
        try:
            for index, step in enumerate(steps):
                self._step(label(name), index, step, undoing=True)
                done.append(step)
        except OperationFailed as error:
            raise self._put_back(error, label(name), [], done) from None
        self.store.forget(name)

    def _apply_journaled(self, file, old_down):
        """MySQL/MariaDB: each statement commits by itself, so a failure is undone by running, newest first, the
        down of what ran of the new sql, then the old sql again for the old downs that ran."""
        downs_done, new_inverses = [], []
        try:
            for index, step in enumerate(old_down):
                self._step(file.label, index, step, undoing=True)
                downs_done.append(step)
            up, down = [], []
            for index, operation in enumerate(file.operations):
                inverse = self._step(file.label, index, operation)
                new_inverses = inverse + new_inverses
                up.append(operation.to_dict())
            down = [_stored(s) for s in new_inverses]
        except OperationFailed as error:
            raise self._put_back(error, file.label, new_inverses, downs_done) from None
        return up, down

    def _put_back(self, error, name, new_inverses, downs_done):
        """After a failure on MySQL/MariaDB: undo the new sql that ran (where it has a down), then run the old sql
        of each old down that ran again, newest first. The error to raise."""
        back = [s for s in new_inverses if s.action != "irreversible"]
        back += [s.inverse(self.runner.ctx)[0] for s in reversed(downs_done)]
        try:
            for index, step in enumerate(back):
                self._step(name, index, step, undoing=True)
        except OperationFailed as second:
            return OperationFailed(f"{error.message}; putting back what was there then failed ({second.message}): "
                                   f"look at the objects {name} makes; its record is as before")
        return OperationFailed(f"{error.message}; what was there is back (MySQL/MariaDB ran it again: each "
                               f"statement commits by itself), and {name} is recorded as before")

    def _run_down(self, name, steps):
        for index, step in enumerate(steps):
            self._step(name, index, step, undoing=True)

    def _run_up(self, name, operations):
        up, inverses = [], []
        for index, operation in enumerate(operations):
            inverses = self._step(name, index, operation) + inverses
            up.append(operation.to_dict())
        return up, [_stored(s) for s in inverses]

    def _step(self, name, index, operation, undoing=False):
        """Run one operation (no preflight: sql's effect is not known before it runs); its inverse steps."""
        ctx = self.runner.ctx
        saved, ctx.undoing = ctx.undoing, undoing  # for messages: "undoing r__views, operation 0 (sql) by sql"
        try:
            return self.runner.run_unchecked(name, index, operation, with_inverse=not undoing)
        finally:
            ctx.undoing = saved


def _stored(step):
    from .operations import stored_form

    return stored_form(step)


def _ms(started):
    return int((time.monotonic() - started) * 1000)
