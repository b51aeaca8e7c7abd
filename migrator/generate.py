"""`migrator generate`: the next spec file, from the application's Peewee models.

Like with like: the models' tables are made by Peewee's own `create_tables()` in an empty scratch database of the
backend in use, the schema the specs build is replayed into another (or, with `against_live`, the live database is
read), and both are read by the same introspection, so types compare in the server's own spelling. The operations
that take one to the other are then proven before anything is written: applied after the specs on a scratch
database they must give exactly the models' schema, and rolled back, exactly the schema before.
"""
import ast
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field, replace
from pathlib import Path

from .errors import Cancelled, MigratorError, OperationFailed, SpecError
from .fields import FieldSpec
from .introspect import differences, read_schema
from .models import Unexpressible, callable_default, field_spec, load_models
from .operations import (AddColumn, AddDefault, AddForeignKey, AddIndex, AddNotNull, AlterColumnType, CreateTable,
                         DropColumn, DropDefault, DropForeignKey, DropIndex, DropNotNull, DropTable, RenameColumn,
                         RenameTable, Sql, field_index)

MODES = ("write", "dry_run", "check")
_INTEGERS = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")  # narrowest first
_WIDER_TYPES = {(a, b) for i, a in enumerate(_INTEGERS) for b in _INTEGERS[i + 1:] if {a, b} != {"int", "integer"}} | {
    ("real", "double precision"), ("float", "double"), ("real", "double")}


@dataclass
class Decisions:
    """What the user decided, by flags or on a terminal (`ask(question) -> answer`, None without one)."""
    renames: dict = dc_field(default_factory=dict)  # (table, old column) -> new column
    table_renames: dict = dc_field(default_factory=dict)  # old table -> new table
    no_renames: bool = False
    allow_destructive: bool = False
    allow_sql: bool = False
    ask: object = None

    def answer(self, question):
        """The answer typed, "" when input ended (Ctrl-D, a closed stdin)."""
        try:
            return self.ask(question)
        except EOFError:
            return ""

    def yes(self, question):
        return self.ask is not None and self.answer(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def generate(migrator, model_paths, decisions, *, description="", version=None, against_live=False,
             from_empty=False, mode="write"):
    """The operations that take the schema the specs build (or the live one) to the models'. `mode`: "write" proves
    them and writes the spec file, "dry_run" proves them and writes nothing, "check" only compares. Returns a
    report (see Migrator.generate)."""
    from .spec import find_specs

    loaded = load_models(model_paths)
    if mode == "check":  # compares only: nothing to ask, and a drop is listed like any other difference
        decisions = replace(decisions, ask=None, allow_destructive=True)
    if against_live and from_empty:
        raise SpecError("--against-live and --from-empty each say what the models are compared with: give one")
    folder = Path(migrator.settings.specs_dir)
    if from_empty and folder.is_dir() and find_specs(folder):
        raise SpecError(f"--from-empty writes the first spec of a specs folder, and {folder} holds some already (a "
                        "version that makes every table could never run after them): give a new --specs-dir")
    specs = [] if from_empty or not folder.is_dir() else migrator._specs()  # no folder: the project's first spec
    if not from_empty:
        _refuse_other_history(migrator, specs, folder, against_live)
    existing = find_specs(folder) if folder.is_dir() else {}
    version = _next_version(existing, version)
    target = _models_schema(migrator, loaded.models)
    against = "the live database" if against_live else "an empty database" if from_empty else "the specs"
    report = {"database": migrator.settings.masked_url, "no_database_yet": False, "version": str(version),
              "path": None, "against": against, "models": [m.__name__ for m in loaded.models],
              "skipped_models": list(loaded.skipped), "operations": [], "destructive": [], "renames": [],
              "notes": [], "differences": [], "problems": [], "proof": None}
    with _starting_point(migrator, specs, against_live) as (runner, current):
        spec_tables = _spec_tables(specs, current, against_live)
        ignored = {t for t in current if t not in target and t not in spec_tables}
        report["differences"] = differences(_compared(current, migrator.dialect, ignored),
                                            _compared(target, migrator.dialect, ()),
                                            added="is in the models only", dropped=f"is in {against} only",
                                            changed=f"differs ({against} -> models)")
        report["agree"] = not report["differences"]
        if report["agree"]:
            return report
        differ = Differ(migrator, current, target, _model_fields(loaded.models), spec_tables, decisions)
        try:
            changes = differ.operations()
        except SpecError as error:
            if mode != "check":
                raise
            report["problems"] = differ.problems or [error.reason]
            return report
        report.update(operations=[_written(op) for op in changes.operations], destructive=changes.destructive,
                      renames=changes.renames, notes=changes.notes)
        if mode == "check":
            return report
        body = {"$schema": "spec.schema.json", "description": description, "operations": report["operations"]}
        report["text"] = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
        report["proof"] = _prove(migrator, runner, version, report["text"], target, ignored)
    if not report["proof"]["exact"]:
        raise OperationFailed("the generated spec does not build the models' schema exactly, so nothing was written: "
                              + "; ".join(report["proof"]["differences"] + report["proof"]["rollback_differences"]),
                              proof=report["proof"])
    if mode == "write":
        report["path"] = str(_write(migrator, version, report["text"]))
    return report


def _refuse_other_history(migrator, specs, folder, against_live):
    """A database with applied versions and no file of theirs here is another folder's (a mistyped --specs-dir would
    start a second history); with `against_live`, pending versions would run before the new one, on a schema it was
    not made for."""
    from . import selection
    from .errors import HistoryMismatch
    from .spec import require_folder

    if against_live:
        migrator._refuse_run_in_progress()  # the live schema is half a version then
    rows = migrator.history.rows()
    if rows:
        if not folder.is_dir():
            require_folder(folder)
        selection.refuse_foreign_folder(rows, specs)
    waiting = selection.pending(specs, rows)  # a database without a history has every version still to run
    if against_live and waiting:
        raise HistoryMismatch(f"{', '.join(str(s.version) for s in waiting)} "
                              f"{'is' if len(waiting) == 1 else 'are'} not applied to the live database: a spec made "
                              "against it would run after them, on a schema it was not made for. Migrate first, or "
                              "generate without --against-live (against what the specs build)")


def _written(operation):
    """The operation as the spec file holds it, each field as Peewee constructor text."""
    data = operation.to_dict()
    if "field" in data:
        data["field"] = operation.field.text()
    if operation.action == "create_table":
        data["columns"] = {name: spec.text() for name, spec in operation.columns}
    return data


def _next_version(existing, version):
    from .versions import Version

    newest = max(existing, default=None)
    version = Version(version) if version else newest.next_minor() if newest else Version("v1.0.0")
    if version in existing:
        raise SpecError(f"{version} already exists", file=existing[version])
    if newest and version < newest:
        raise SpecError(f"{version} is below the newest spec, {newest}: the next version must come after it")
    return version


def _write(migrator, version, text):
    from .spec import SCHEMA_COPY

    folder = Path(migrator.settings.specs_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / SCHEMA_COPY).exists():
        migrator.schema_file()
    path = folder / f"{version}.json"
    try:
        with path.open("x", encoding="utf-8") as file:  # another run may have written it meanwhile: never replaced
            file.write(text)
    except FileExistsError:
        raise SpecError(f"{version} was written meanwhile (by another run?); nothing was written", file=path) from None
    return path


# -- the two schemas ----------------------------------------------------------------------------------------------
def _models_schema(migrator, models):
    """The models' tables, as Peewee's create_tables() makes them on an empty database of this backend."""
    import peewee

    from .database import alike

    name = f"_migrator_models_{os.getpid()}_{os.urandom(3).hex()}"
    with migrator.dialect.scratch_space(migrator.settings, name, copy=False) as (settings, _, _):
        with alike(migrator, settings) as scratch:
            try:
                with scratch.db.bind_ctx(models, bind_refs=False, bind_backrefs=False):
                    scratch.db.create_tables(models)
                    _add_deferred_keys(scratch.dialect, models)
            except peewee.DatabaseError as error:
                raise SpecError(f"Peewee's create_tables() of the models fails on {migrator.dialect.label}: "
                                f"{str(error).strip().splitlines()[0]}") from None
            return read_schema(scratch.db, scratch.dialect)


def _add_deferred_keys(dialect, models):
    """A DeferredForeignKey (how Peewee writes a cycle) gets no constraint from create_tables(): the application adds
    it after, by create_foreign_key(), as here; where ALTER TABLE cannot add one (SQLite), its column has none."""
    if not dialect.adds_foreign_keys:
        return
    for model in models:
        for field in model._meta.refs:
            if field.deferred:
                model._schema.create_foreign_key(field)


@contextmanager
def _starting_point(migrator, specs, against_live):
    """(a Runner on a scratch database standing where the new version will run, the tables there): the specs
    replayed on an empty one, or with `against_live`, a copy of the live database's schema."""
    if against_live:
        with _live_copy(migrator) as runner:
            from .introspect import LiveSchema

            yield runner, LiveSchema(migrator.db, migrator.dialect, exclude=(migrator.settings.table,)).tables()
        return
    from .replay import replaying

    with replaying(migrator) as runner:
        for spec in specs:
            try:
                runner.apply_version(spec)
            except MigratorError as error:
                raise SpecError(f"the specs cannot be replayed on an empty database, so what they build is not "
                                f"known: {error.message}") from None
        yield runner, runner.ctx.schema.tables()


@contextmanager
def _live_copy(migrator):
    from .database import alike
    from .runner import Runner
    from .verify import scratch_copy

    with scratch_copy(migrator, 0) as (settings, _):  # the tables without their rows: the schema is the question
        with alike(migrator, settings) as scratch:
            scratch.history.ensure(upgrade=False)
            with scratch.dialect.batch():
                yield Runner(scratch.db, scratch.dialect, scratch.history)


def _spec_tables(specs, current, against_live):
    """The tables a spec made (and which may be dropped when no model has them): on a replay every table; against
    the live database, those the spec files create (renames followed)."""
    if not against_live:
        return set(current)
    made = set()
    for spec in specs:
        for op in spec.operations:
            if op.action == "create_table":
                made.add(op.table)
            elif op.action == "rename_table" and op.old_name in made:
                made.add(op.new_name)
    return made


def _model_fields(models):
    """{table: (model, {column: Peewee field})}."""
    return {m._meta.table_name: (m, {f.column_name: f for f in m._meta.sorted_fields}) for m in models}


# -- the proof ------------------------------------------------------------------------------------------------------
def _prove(migrator, runner, version, text, target, ignored):
    """Apply the new spec where it will run (the runner's scratch database), as migrate would, and compare what it
    builds with the models' schema; roll it back, as rollback would, and compare with the schema before."""
    from . import history as hist
    from .preflight import Probe, Shape, check_plan

    db, dialect = runner.db, runner.dialect
    before = _compared(_read(runner), dialect, ignored)
    wanted = _compared(target, dialect, ())
    spec = _load_written(migrator, version, text)
    proof = {"exact": False, "differences": [], "rollback_differences": [], "reversible": False}
    try:
        shape = Shape.from_live(runner.ctx.schema.tables(), Probe(db, dialect), dialect.views(), dialect)
        check_plan(shape, [(spec.version, spec.operations)], structural=SpecError)
        runner.apply_version(spec)
    except MigratorError as error:
        proof["differences"] = [f"it cannot be applied after the specs: {error.message}"]
        return proof
    proof["differences"] = differences(wanted, _compared(_read(runner), dialect, ignored),
                                       added="would be made by the spec, but the models have none",
                                       dropped="is in the models, but the spec does not make it",
                                       changed="differs (models -> spec)")
    row = runner.history.newest_applied()
    try:
        runner.revert_version(row, hist.stored_inverse(row))
    except MigratorError as error:
        proof["rollback_differences"] = [f"it cannot be rolled back: {error.message}"]
        return proof
    proof["rollback_differences"] = differences(before, _compared(_read(runner), dialect, ignored),
                                                added="is left by its rollback", dropped="is lost by its rollback",
                                                changed="is not given back by its rollback")
    proof["reversible"] = not proof["rollback_differences"]
    proof["exact"] = not proof["differences"] and proof["reversible"]
    return proof


def _read(runner):
    return read_schema(runner.db, runner.dialect, exclude=(runner.history.table,))


def _compared(tables, dialect, ignored):
    """The schema as generate compares it: a foreign key by its columns, target and actions (its constraint's name
    is the server's choice when a table is created), without triggers (no model has one)."""
    from .introspect import schema_json

    data = schema_json({n: t for n, t in tables.items() if n not in ignored}, dialect=dialect)
    for table in data.values():
        table.pop("triggers", None)
        for fk in table["foreign_keys"]:
            fk.pop("name", None)
    return data


def _load_written(migrator, version, text):
    """The new spec as `migrate` will read it from its file: a file that does not read back is a defect here."""
    import shutil

    from .spec import load_spec

    folder = tempfile.mkdtemp(prefix="migrator-generate-")
    try:
        path = Path(folder) / f"{version}.json"
        path.write_text(text, encoding="utf-8")
        return load_spec(version, path, migrator.settings.table)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the difference, as operations ----------------------------------------------------------------------------------
@dataclass
class Changes:
    """What a generated spec does: its operations, those that destroy data, the renames it takes, notes."""
    operations: list
    destructive: list  # descriptions of the operations that destroy data
    renames: list  # "users.name -> users.full_name"
    notes: list


def _definition(table, column):
    """What a column is, its name aside: compared to find a rename."""
    fk = table.foreign_key(column.name)
    return (column.type, column.null, column.default, column.primary_key,
            fk and (fk.dest_table, fk.dest_column, fk.on_delete, fk.on_update))


class Differ:
    def __init__(self, migrator, current, target, fields, spec_tables, decisions):
        self.migrator, self.dialect = migrator, migrator.dialect
        self.current, self.target, self.fields = dict(current), target, fields
        self.spec_tables, self.decide = set(spec_tables), decisions
        self.problems, self.notes, self.renames, self.destructive = [], [], [], []
        self.phases = {name: [] for name in ("rename", "create", "drop_index", "columns", "add_index", "drop_column",
                                             "drop_table")}
        self.made_indexes = set()  # (table, index name) an add_column or create_table makes by itself
        self.undecided, self.unclear = [], False  # rename candidates no flag or answer decided
        self.original_names = {}  # current table name -> its name in the live database (before a rename)

    def operations(self):
        self._rename_tables()
        for table, old in self.decide.renames:
            if table not in self.current or table not in self.target:
                raise SpecError(f"--rename {table}.{old}={self.decide.renames[table, old]}: {table} is not a table "
                                "both the specs and the models have (a renamed table goes by its new name)")
        new = [t for t in self.target if t not in self.current]
        self._create_tables(new)
        for name in sorted(self.target):
            if name in self.current:
                self._rename_columns(name)
        self._refuse_undecided()
        for name in sorted(self.target):
            if name in self.current:
                self._change_columns(name)
        for name in sorted(self.target):
            self._change_indexes(name)
            self._refuse_checks(name)
        self._drop_tables()
        if self.problems:
            raise SpecError("the models cannot be written as spec operations, so no file was written:\n  "
                            + "\n  ".join(self.problems))
        self._confirm_destructive()
        ops = [op for phase in self.phases.values() for op in phase]
        return Changes(ops, self.destructive, self.renames, self.notes)

    def _spec(self, table, column, failed):
        """The model field's description for the column, or None, its reason added to `failed`. Where Peewee names
        the field's index after the model's class (legacy_table_names) and not its table, as create_table and
        add_column would, the field leaves the index out, and add_index makes it with the model's name."""

        model, fields = self.fields[table]
        try:
            spec = field_spec(model, fields[column], self._constrained(table, column))
            self._same_type(model, fields[column], spec)
        except Unexpressible as reason:
            failed.append(str(reason))
            return None
        wanted = {(i.name, tuple(i.columns), i.unique) for i in self.target[table].indexes}
        if any((name, columns, unique) not in wanted for name, (columns, unique) in
               field_index(table, column, spec).items()):
            spec = spec.replace(index=False if spec.type == "ForeignKeyField" else None, unique=None)
        return spec

    def _same_type(self, model, field, spec):
        """The field text makes the column type the model's field makes (a Peewee field class field text names by
        its column type, such as an array's, may not)."""
        if spec.referenced:
            return  # the type of the key it points to
        ctx = self.migrator.db.get_sql_context()
        wanted = ctx.sql(field.ddl_datatype(ctx)).query()[0]
        if self.dialect.type_sql(spec) != wanted:
            raise Unexpressible(f"{model.__name__}.{field.name} ({model._meta.table_name}.{field.column_name}) is a "
                                f"{type(field).__name__} ({wanted}), which field text has no name for")

    def _text(self, table, column):
        model, fields = self.fields[table]
        try:
            return field_spec(model, fields[column], self._constrained(table, column)).text()
        except Unexpressible:
            return f"a {type(fields[column]).__name__}"

    def _constrained(self, table, column):
        return self.target[table].foreign_key(column) is not None

    def _confirm_destructive(self):
        """Operations that destroy data are listed apart: asked on a terminal, else they need the flag."""
        if not self.destructive or self.decide.allow_destructive:
            return
        listed = "; ".join(self.destructive)
        if self.decide.ask is None:
            raise SpecError(f"the models drop data: {listed}. Give --allow-destructive to write these operations (the "
                            "spec keeps backups of what they drop, for rollback); no file was written")
        if not self.decide.yes(f"These operations drop data (a backup is kept for rollback): {listed}. Write them?"):
            raise Cancelled("no spec was written")

    # -- renames
    def _rename_tables(self):
        dropped = [t for t in self.current if t not in self.target and t in self.spec_tables]
        added = [t for t in self.target if t not in self.current]
        for old, new in self.decide.table_renames.items():
            if old not in dropped or new not in added:
                raise SpecError(f"--rename-table {old}={new}: {old} must be a table the models no longer have, and "
                                f"{new} a table only the models have")
        shape = {t: self._table_shape(self.current[t]) for t in dropped}
        candidates = [(old, new) for old in dropped for new in added if old not in self.decide.table_renames
                      and new not in self.decide.table_renames.values()
                      and shape[old] == self._table_shape(self.target[new])]
        chosen = dict(self.decide.table_renames)
        chosen.update(self._choose(candidates, "table", lambda old, new: f"table {old} -> {new}",
                                   lambda old, new: f"Did you rename table {old} to {new}?",
                                   lambda old, new: f"--rename-table {old}={new}"))
        for old, new in chosen.items():
            self.phases["rename"].append(RenameTable(old, new))
            self.renames.append(f"table {old} -> {new}")
            table = self.current.pop(old)
            self.current[new] = replace(table, name=new)
            self.original_names[new] = self.original_names.get(old, old)
            for name, other in self.current.items():
                self.current[name] = replace(other, foreign_keys=tuple(
                    replace(f, dest_table=new) if f.dest_table == old else f for f in other.foreign_keys))
            if old in self.spec_tables:
                self.spec_tables.add(new)

    @staticmethod
    def _table_shape(table):
        return sorted((c.name, _definition(table, c)[:4]) for c in table.columns)

    def _rename_columns(self, name):
        current, target = self.current[name], self.target[name]
        dropped = [c for c in current.columns if not target.column(c.name)]
        added = [c for c in target.columns if not current.column(c.name)]
        chosen = {}
        for (table, old), new in self.decide.renames.items():
            if table != name:
                continue
            if old not in [c.name for c in dropped] or new not in [c.name for c in added]:
                raise SpecError(f"--rename {table}.{old}={new}: {table}.{old} must be a column the models no longer "
                                f"have, and {new} a column only the models have")
            chosen[old] = new
        candidates = [(old.name, new.name) for old in dropped for new in added
                      if old.name not in chosen and new.name not in chosen.values()
                      and _definition(current, old) == _definition(target, new)]
        chosen.update(self._choose(
            candidates, "column", lambda old, new: f"{name}.{old} -> {name}.{new}",
            lambda old, new: f"Did you rename {name}.{old} to {name}.{new} ({self._text(name, new)})?",
            lambda old, new: f"--rename {name}.{old}={new}"))
        for old, new in chosen.items():
            self.phases["rename"].append(RenameColumn(name, old, new))
            self.renames.append(f"{name}.{old} -> {name}.{new}")
            self.current[name] = self.current[name].with_column_renamed(old, new)

    def _choose(self, candidates, kind, label, question, flag):
        """The renames decided among `candidates` ((old, new) pairs of the same definition): each clear one asked on
        a terminal; several for one name are listed, not guessed; without a terminal, none is guessed."""
        if not candidates or self.decide.no_renames:
            return {}
        olds = [old for old, _ in candidates]
        news = [new for _, new in candidates]
        clear = [(o, n) for o, n in candidates if olds.count(o) == 1 and news.count(n) == 1]
        unclear = [pair for pair in candidates if pair not in clear]
        if self.decide.ask is None or unclear:  # listed at the end, with every other one not decided
            self.undecided += [f"{label(o, n)} ({flag(o, n)})" for o, n in candidates]
            self.unclear = self.unclear or bool(unclear)
            return {}
        return {o: n for o, n in clear if self.decide.yes(question(o, n))}

    def _refuse_undecided(self):
        if not self.undecided:
            return
        why = ("several candidates share a name, and are not guessed" if self.unclear else
               "there is no terminal to ask on (or --no-input), and renames are not guessed")
        raise SpecError(f"a column or table was removed and another added with the same definition: a rename? ({why}) "
                        f"Candidates: {'; '.join(self.undecided)}. Decide each with the flag shown, or give "
                        "--no-renames to drop and add")

    # -- tables
    def _create_tables(self, names):
        created = set(self.current)
        waiting = sorted(names)
        while waiting:
            ready = [t for t in waiting if all(dest in created or dest == t for dest in self._points_to(t))]
            if not ready:  # a cycle: the table whose model defers a key (DeferredForeignKey), else the first, now;
                # its keys to tables not made yet are added after (as Peewee's create_foreign_key() adds them)
                ready = [next((t for t in waiting if self._defers(t)), waiting[0])]
            for name in ready:
                self._create_table(name, later=[fk.column for fk in self.target[name].foreign_keys
                                                if fk.dest_table not in created and fk.dest_table != name])
                created.add(name)
                waiting.remove(name)

    def _defers(self, name):
        return any(getattr(field, "deferred", False) for field in self.fields[name][0]._meta.refs)

    def _points_to(self, name):
        return {fk.dest_table for fk in self.target[name].foreign_keys}

    def _create_table(self, name, later):
        model, fields = self.fields[name]
        table = self.target[name]
        key = table.primary_key
        columns, failed = [], []
        for column in table.columns:
            field = fields.get(column.name)
            if column.name in later:
                continue
            if field is not None and _implicit_id(model, field):
                continue
            spec = self._spec(name, column.name, failed)
            if spec is not None:
                columns.append((column.name, spec))
        if failed:
            self._unexpressible_table(model, name, failed)
            return
        primary_key = tuple(key) if len(key) > 1 else False if not key else None
        self.phases["create"].append(CreateTable(name, tuple(columns), primary_key))
        self._made_by_fields(name, columns)
        self._server_defaults(name, [c for c in table.columns if c.name not in later], "create")
        present = {c.name for c in table.columns if c.name not in later}
        for column in [c.name for c in table.columns if c.name in later]:
            self._add_column(name, column, present, empty=True)
            present.add(column)
            self.notes.append(f"{name}.{column} is added after the tables it points to are made (a cycle of "
                              "foreign keys)")

    def _unexpressible_table(self, model, name, failed):
        if not self.decide.allow_sql:
            self.problems.extend(failed)
            return
        with self.migrator.db.bind_ctx([model], bind_refs=False, bind_backrefs=False):  # this backend's SQL
            statements = [self._sql_text(model._schema._create_table(safe=False))]
            statements += [self._sql_text(index) for index in model._schema._create_indexes(safe=False)]
        self.phases["create"].append(Sql(tuple(statements), (f"DROP TABLE {self.dialect.quote(name)}",)))
        self.made_indexes.update((name, i.name) for i in self.target[name].indexes)
        self.notes.append(f"{name} is created by an sql operation (--allow-sql): " + "; ".join(failed))

    def _sql_text(self, node):
        """A Peewee query node as SQL for this database, its parameters written in (DDL takes none)."""
        sql, params = self.migrator.db.get_sql_context().sql(node).query()
        if params:
            sql = sql.replace(self.migrator.db.param, "%s") % tuple(self.dialect.literal(p) for p in params)
        return sql

    def _drop_tables(self):
        """Drop the tables a spec made and no model has, each before the tables it points to."""
        from .verify import in_dependency_order

        gone = {t: self.current[t] for t in self.current if t not in self.target and t in self.spec_tables}
        for name in reversed(in_dependency_order(gone)):
            self.phases["drop_table"].append(DropTable(name))
            self.destructive.append(f"drop_table {name}")

    # -- columns
    def _change_columns(self, name):
        current, target = self.current[name], self.target[name]
        present = {c.name for c in current.columns}
        for column in target.columns:
            if not current.column(column.name):
                self._add_column(name, column.name, present)
                present.add(column.name)
        for column in current.columns:
            if not target.column(column.name):
                self.phases["drop_column"].append(DropColumn(name, column.name))
                self.destructive.append(f"drop_column {name}.{column.name}")
        for column in target.columns:
            before = current.column(column.name)
            if before:
                self._change_column(name, before, column)

    def _add_column(self, name, column_name, present, empty=False):
        """Add the column; `present`: the table's columns at that point."""
        target_column = self.target[name].column(column_name)
        failed = []
        spec = self._spec(name, column_name, failed)
        if spec is None:
            self._unexpressible_column(name, column_name, failed)
            return
        ops, place = self.phases["columns"], self._place(name, column_name, present)
        if not spec.null and not spec.has("default"):
            rows = 0 if empty else self._live_rows(name)
            value = self._one_off_default(name, column_name, spec, rows) if rows else None
            if value is None:  # no rows to fill: added NULL-able, then made NOT NULL
                ops.append(AddColumn(name, column_name, spec.replace(null=True), **place))
                ops.append(AddNotNull(name, column_name))
            else:
                ops.append(AddColumn(name, column_name, spec.replace(default=value), **place))
        else:
            ops.append(AddColumn(name, column_name, spec, **place))
        self._made_by_fields(name, [(column_name, spec)])
        self._server_defaults(name, [target_column], "columns")

    def _place(self, name, column_name, present):
        """Where the models have the column, when a column it comes before is there already and the backend can
        place one (PostgreSQL can only add a column last); else nothing: last, where it comes anyway."""
        names = [c.name for c in self.target[name].columns]
        at = names.index(column_name)
        if not self.dialect.places_columns or not present.intersection(names[at + 1:]):
            return {}
        return {"after": names[at - 1]} if at else {"first": True}

    def _one_off_default(self, name, column_name, spec, rows):
        """The value the table's existing rows take: the server default the model gives, or one asked for on a
        terminal (asked again until it is a literal of the column's kind), or None, the problem noted."""
        column = self.target[name].column(column_name)
        literal = column.default is not None and self.dialect.portable_default(column)
        if literal is not False and not isinstance(literal, dict):
            self.notes.append(f"{name}.{column_name}: its {rows} existing rows take {literal!r}, its server default")
            return literal
        field = self.fields[name][1][column_name]
        why = (f"{name}.{column_name} is NOT NULL, and {name} has {rows} row{'s' * (rows != 1)} in the database, "
               "which need a value for it")
        for _ in range(3 if self.decide.ask is not None else 0):
            kind = type(field.rel_field).__name__ if spec.referenced else spec.type  # a key takes its target's
            answer = self.decide.answer(f"{why}. A one-off value for them, as Python writes it ({_example(kind)}): ")
            if not answer.strip():
                break  # nothing typed, or input ended: no value
            length = spec.get("max_length", 255) if spec.type in ("CharField", "FixedCharField") else None
            value, wrong = _one_off(answer.strip(), kind, length)
            if wrong is None:
                self.notes.append(f"{name}.{column_name}: its {rows} existing rows take {value!r} (a one-off value)")
                return value
            print(f"  {wrong}", file=sys.stderr, flush=True)
        hint = ("its default is computed in Python (a callable), which cannot fill them; " if callable_default(field)
                else "")
        asked = "no one-off value was given" if self.decide.ask is not None else \
            "run generate on a terminal to give a one-off value"
        self.problems.append(f"{why}: {hint}give the field a default (default=...), or null=True; or {asked}")
        return None

    def _live_rows(self, name):
        """The rows of the table in the live database (the scratch databases have none)."""
        from .api import _missing_database

        live_name = self.original_names.get(name, name)
        if _missing_database(self.migrator.settings) or live_name not in self.dialect.table_names():
            return 0
        q = self.dialect.quote
        return self.migrator.db.execute_sql(f"SELECT COUNT(*) FROM {q(live_name)}").fetchone()[0]

    def _unexpressible_column(self, name, column_name, failed):
        if not self.decide.allow_sql:
            self.problems.extend(failed)
            return
        model, fields = self.fields[name]
        ctx = self.migrator.db.get_sql_context()
        definition = self._sql_text(fields[column_name].ddl(ctx))
        q = self.dialect.quote
        self.phases["columns"].append(Sql((f"ALTER TABLE {q(name)} ADD COLUMN {definition}",),
                                          (f"ALTER TABLE {q(name)} DROP COLUMN {q(column_name)}",)))
        self.notes.append(f"{name}.{column_name} is added by an sql operation (--allow-sql): " + "; ".join(failed))

    def _change_column(self, name, before, after):
        table, target = self.current[name], self.target[name]
        where = f"{name}.{after.name}"
        old, new = _definition(table, before), _definition(target, after)
        if old == new:
            return
        if old[3] != new[3]:
            self.problems.append(f"{where}: the primary key changes, which no operation does yet (write it as an "
                                 "sql operation)")
            return
        if old[4] != new[4]:
            self._change_foreign_key(name, after.name, table.foreign_key(after.name), target.foreign_key(after.name))
            if old[:4] == new[:4]:
                return
        ops = self.phases["columns"]
        if before.type != after.type:
            failed = []
            spec = self._spec(name, after.name, failed)
            if spec is None:
                self.problems.extend(failed)
                return
            retyped = FieldSpec.make(spec.type, **{k: v for k, v in spec.params
                                                   if k not in ("index", "unique", "default", "null")},
                                     null=after.null)
            ops.append(AlterColumnType(name, after.name, retyped))
            if not _widens(before.type, after.type):
                self.destructive.append(f"alter_column_type {where} ({before.type} -> {after.type})")
        elif before.null != after.null:
            ops.append(DropNotNull(name, after.name) if after.null else AddNotNull(name, after.name))
        if before.default != after.default:
            ops.append(DropDefault(name, after.name) if after.default is None else
                       AddDefault(name, after.name, self.dialect.portable_default(after)))

    def _change_foreign_key(self, name, column, before, after):
        """An existing column's foreign key added, dropped or changed: drop_foreign_key, then add_foreign_key, the
        new key named as Peewee names the one add_column makes."""
        ops = self.phases["columns"]
        if before:
            ops.append(DropForeignKey(name, columns=(column,)))
        if after:
            ops.append(AddForeignKey(name, (column,), after.dest_table, (after.dest_column,), after.on_delete,
                                     after.on_update))

    def _server_defaults(self, name, columns, phase):
        """A default the models give in SQL (constraints=[SQL('DEFAULT ...')]) is part of the schema: added after."""
        for column in columns:
            if column.default is not None and not column.auto_increment:
                self.phases[phase].append(AddDefault(name, column.name, self.dialect.portable_default(column)))

    def _refuse_checks(self, name):
        """A CHECK constraint the models add or drop: no operation makes one yet."""
        form = self.dialect.compared_sql
        have = {form(c.expression) for c in self.current[name].checks} if name in self.current else set()
        for check in self.target[name].checks:
            if form(check.expression) not in have:
                self.problems.append(f"{name}: the CHECK constraint {check.name} ({check.expression}) is in the models "
                                     "only, and no operation makes one yet (write it as an sql operation)")
        wanted = {form(c.expression) for c in self.target[name].checks}
        for check in self.current[name].checks if name in self.current else ():
            if form(check.expression) not in wanted:
                self.problems.append(f"{name}: the CHECK constraint {check.name} ({check.expression}) is not in the "
                                     "models, and no operation drops one yet (write it as an sql operation)")

    # -- indexes
    def _made_by_fields(self, name, columns):

        for column, spec in columns:
            self.made_indexes.update((name, index) for index in field_index(name, column, spec))

    def _change_indexes(self, name):
        target = self.target[name]
        current = self.current.get(name)
        have = sorted(current.indexes, key=lambda i: i.name) if current else []
        for index in sorted(target.indexes, key=lambda i: i.name):
            same = next((i for i in have if _index_key(i) == _index_key(index) and i.name == index.name), None)
            if same:
                have.remove(same)
                continue
            if (name, index.name) in self.made_indexes:
                continue
            if not all(index.columns) or " where " in (index.definition or "").lower():
                self.problems.append(f"{name}: index {index.name} ({index.definition}) is more than columns (an "
                                     "expression or a WHERE), which add_index cannot make yet (write it as an sql "
                                     "operation)")
                continue
            from playhouse.migrate import make_index_name

            given = None if index.name == make_index_name(name, index.columns) else index.name
            self.phases["add_index"].append(AddIndex(name, tuple(index.columns), index.unique, given))
        for index in have:
            self.phases["drop_index"].append(DropIndex(name, index.name))


_KINDS = {  # field type -> (the Python types a one-off value of it may be, an example)
    **{t: ((int,), "0") for t in ("IntegerField", "BigIntegerField", "SmallIntegerField", "TimestampField",
                                  "AutoField", "BigAutoField")},
    **{t: ((int, float), "0.0") for t in ("FloatField", "DoubleField", "DecimalField")},
    "BooleanField": ((bool,), "False"),
    **{t: ((str,), "'2024-01-01 00:00:00'") for t in ("DateTimeField", "DateField", "TimeField")},
    "Field": ((str, int, float, bool), "'none'"),
}


def _example(kind):
    return _KINDS.get(kind, ((str,), "'none'"))[1]


def _one_off(answer, kind, max_length=None):
    """(value, None) for an answer that is a literal of the field type `kind` (as long as the column takes), else
    (None, why not)."""
    try:
        value = ast.literal_eval(answer)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None, f"{answer!r} is not a Python literal: write text in quotes ('none'), a number as it is (0)"
    kinds, example = _KINDS.get(kind, ((str,), "'none'"))
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        return None, f"{answer} is not a value for {kind} (such as {example})"
    if max_length and isinstance(value, str) and len(value) > max_length:
        return None, f"{value!r} is longer than the column's {max_length} characters"
    if kind in ("DateTimeField", "DateField", "TimeField") and not _iso(value, kind):
        return None, f"{value!r} is not a {kind[:-5].lower()} as ISO 8601 writes it (such as {example})"
    return value, None


def _iso(text, type_name):
    from datetime import date, datetime, time

    parse = {"DateTimeField": datetime.fromisoformat, "DateField": date.fromisoformat,
             "TimeField": time.fromisoformat}[type_name]
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _implicit_id(model, field):
    return field.name == "id" and type(field).__name__ == "AutoField" and model._meta.primary_key is field


def _index_key(index):
    return tuple(index.columns), index.unique, index.definition


def _widens(old, new):
    """Whether a type change keeps every value (a longer text, a larger number), judged from the server's words."""
    import re

    old, new = old.lower(), new.lower()
    pattern = re.compile(r"([a-z ]+?)\s*(?:\((\d+)(?:,\s*(\d+))?\))?(?: unsigned)?")
    a, b = pattern.fullmatch(old), pattern.fullmatch(new)
    if not (a and b):
        return False
    (base_a, size_a, scale_a), (base_b, size_b, scale_b) = a.groups(), b.groups()
    if base_a == base_b:
        return (int(size_b or 0) >= int(size_a or 0) and int(scale_b or 0) >= int(scale_a or 0)
                and int(size_b or 0) - int(scale_b or 0) >= int(size_a or 0) - int(scale_a or 0))
    texty = ("character varying", "varchar", "character", "char", "text", "mediumtext", "longtext")
    if base_a in texty and base_b in ("text", "mediumtext", "longtext"):
        return True
    return (base_a, base_b) in _WIDER_TYPES


