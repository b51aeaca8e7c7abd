"""`migrator verify`: prove on a scratch copy that each pending version rolls back exactly.

The copy is made by migrator itself: on SQLite a copy of the file; on PostgreSQL a scratch
schema and on MySQL/MariaDB a scratch database, each table re-created from the backend's own
definition of it (as rollback re-creates a dropped table) with its rows, indexes and triggers,
then the views. The real database is only read.
"""
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace

from .database import alike
from .errors import OperationFailed
from .introspect import differences, read_schema, schema_json

SAMPLE_ABOVE = 100_000


def verify(migrator, pending, sample_above=SAMPLE_ABOVE, repeatables=({}, [])):
    """Check each of `pending` (spec files, in order) on a scratch copy of `migrator`'s database; then, given
    `repeatables` (the real database's applied records, and the files a migrate to the newest version runs),
    that the repeatable specs are taken down exactly."""
    report, repeated = [], []
    applied, files = repeatables
    with scratch_copy(migrator, sample_above) as (settings, method):
        # on the copy, a version that does not undo itself leaves drift for the next: that is what is reported
        with alike(migrator, replace(settings, strict=False), on_warning=lambda message: None) as scratch:
            scratch.dialect.reach(migrator.dialect)
            scratch._take_down_repeatables_as(applied)  # as rollback does first: the versions are checked alone
            for spec in pending:
                report.append(_check(scratch, str(spec.version)))
                if "failed" in report[-1]:
                    break  # the versions after it would run on a schema it did not make
            if files and not any("failed" in v for v in report):
                repeated.append(_check_repeatables(scratch))
    return {"database": migrator.settings.masked_url, "copy": method, "versions": report,
            "repeatables": repeated, "reversible": all(v["reversible"] for v in report + repeated)}


def _check_repeatables(scratch):
    """Apply every repeatable spec (none is applied on the copy now), take them down, compare with before, views
    included: they are what repeatables make."""
    from .errors import MigratorError

    before = _snapshot(scratch), scratch.dialect.views()
    try:
        names = [r["name"] for r in scratch.migrate(accept_loss=True).repeatables]
        scratch._take_down_repeatables_as(scratch._repeatable_store().rows())
    except MigratorError as error:
        return {"version": "repeatable specs", "reversible": False, "differences": [], "failed": error.message}
    after = _snapshot(scratch), scratch.dialect.views()
    views = sorted(name for name in set(before[1]) | set(after[1]) if before[1].get(name) != after[1].get(name))
    found = _compare(before[0], after[0]) + [f"view {name} is not as before after their down" for name in views]
    return {"version": f"repeatable specs ({', '.join(names)})", "reversible": not found, "differences": found}


def _check(scratch, version):
    """Apply, roll back, compare with before, apply again."""
    from .errors import MigratorError

    before = _snapshot(scratch)
    try:
        # Whether the version rolls back is the question: a type change that changes values is allowed here
        # (migrate itself still refuses it without --accept-loss), as its backup brings them back.
        scratch.migrate(version, out_of_order=True, accept_loss=True, repeatables=False)
        scratch.rollback(steps=1, repeatables=False)
    except MigratorError as error:
        return {"version": version, "reversible": False, "differences": [], "failed": error.message}
    found = _compare(before, _snapshot(scratch))
    result = {"version": version, "reversible": not found, "differences": found}
    try:
        scratch.migrate(version, out_of_order=True, accept_loss=True, repeatables=False)
    except MigratorError as error:
        result["failed"] = f"applying it again after the rollback failed: {error.message}"
    return result


def _snapshot(migrator):
    db, dialect = migrator.db, migrator.dialect
    tables = read_schema(db, dialect, exclude=(migrator.settings.table,))
    return schema_json(tables, dialect=dialect), {name: _rows(db, dialect, table) for name, table in tables.items()}


def _rows(db, dialect, table):
    """The table's rows as a multiset, columns by name: duplicates count, and NULLs, NaN and bytes compare."""
    names = sorted(c.name for c in table.columns)
    q = dialect.quote
    cursor = db.execute_sql(f"SELECT {', '.join(q(c) for c in names)} FROM {q(table.name)}")
    return names, Counter(tuple(_comparable(value) for value in row) for row in cursor)


_NAN = ("NaN",)  # NaN is not equal to itself: a marker that is


def _comparable(value):
    """A value that compares and hashes as the database value does."""
    if isinstance(value, float) and value != value:
        return _NAN
    if isinstance(value, (memoryview, bytearray)):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _compare(before, after):
    found = differences(before[0], after[0])
    for table in sorted(set(before[1]) & set(after[1])):
        (old_names, old), (new_names, new) = before[1][table], after[1][table]
        if old_names == new_names and old != new:
            lost, added = sum((old - new).values()), sum((new - old).values())
            found.append(f"rows of {table} differ: {lost} rows lost or changed, {added} rows new")
    return found


@contextmanager
def scratch_copy(migrator, sample_above):
    name = f"_migrator_verify_{os.getpid()}_{os.urandom(3).hex()}"
    with migrator.dialect.scratch_space(migrator.settings, name) as (settings, label, complete):
        if complete:
            yield settings, f"{label}, with all rows"
            return
        sampled = _copy_tables(migrator, settings, sample_above)
        yield settings, f"{label}, with " + (
            f"the first {sample_above} rows of {', '.join(sampled)} (tables above {sample_above} rows) "
            "and all rows of the rest" if sampled else "all rows")


def _copy_tables(migrator, settings, sample_above):
    """Re-create each table (the history too) in the scratch space from the backend's own definition of it, as
    rollback re-creates a dropped table, copy its rows, then its indexes, its triggers and every view."""
    from .operations import recreation
    from .context import Context

    source, dialect = migrator.db, migrator.dialect
    tables = read_schema(source, dialect)
    sampled = []
    with alike(migrator, settings) as scratch:
        scratch.dialect.reach(dialect)
        ctx = Context(scratch.db, scratch.dialect, backups=False)
        partial = set()  # the tables of which only some rows are copied
        with ctx.dialect.foreign_key_checks_off(ctx):
            for name in in_dependency_order(tables):
                create, after_rows = recreation(dialect, tables[name])
                create.apply(ctx)
                if _copy_rows(migrator, ctx, tables[name], sample_above, partial):
                    sampled.append(name)
                for step in after_rows:
                    step.apply(ctx)
        _copy_views(dialect.views(), ctx)
    return sampled


def _copy_views(views, ctx):
    """Create the views, each once the views it reads exist: in rounds, until a round creates none."""
    import peewee

    left = {name: ctx.dialect.view_sql(name, sql) for name, sql in views.items()}
    while left:
        failed = {}
        for name, statement in left.items():
            try:
                with ctx.db.atomic():
                    ctx.execute_sql(statement)
            except peewee.DatabaseError as error:
                failed[name] = (statement, error)
        if len(failed) == len(left):
            name, (_, error) = next(iter(failed.items()))
            raise OperationFailed(f"cannot copy view {name} to the scratch space: {str(error).splitlines()[0]}")
        left = {name: statement for name, (statement, _) in failed.items()}


def _copy_rows(migrator, ctx, table, sample_above, partial):
    """Copy the table's rows, the first `sample_above` of a larger one, and of those only the rows whose foreign
    keys find their row among the rows copied of a table copied in part (`partial`, which it joins then), so that
    the copy holds no row pointing nowhere that the database does not hold. True when the table was sampled."""
    q = migrator.dialect.quote
    names = [c.name for c in table.columns]
    key = ", ".join(q(c) for c in table.primary_key) or ", ".join(q(c) for c in names)
    count = migrator.db.execute_sql(f"SELECT COUNT(*) FROM {q(table.name)}").fetchone()[0]
    pointing = _pointing_into(q, table, partial)
    where = f" WHERE {' AND '.join(pointing)}" if pointing else ""
    limit = f" ORDER BY {key} LIMIT {sample_above}" if count > sample_above else ""
    source = migrator.dialect.qualified(table.name)
    select = f"SELECT {', '.join(q(c) for c in names)} FROM {source} AS copied{where}{limit}"
    ctx.execute_sql(ctx.dialect.insert_select(table.name, names, select))
    ctx.dialect.after_rows_restored(ctx, table)
    if count > sample_above or pointing:
        partial.add(table.name)
    return count > sample_above


def _pointing_into(q, table, partial):
    """The conditions that a row's foreign keys into the tables copied in part find their row in the copy (read
    where the copy is made: unqualified), one per key, its columns together."""
    keys = {}
    for fk in table.foreign_keys:
        if fk.dest_table in partial and fk.dest_table != table.name:
            keys.setdefault((fk.name, fk.dest_table), []).append(fk)
    conditions = []
    for (_, dest), columns in keys.items():
        nulls = " OR ".join(f"copied.{q(fk.column)} IS NULL" for fk in columns)
        match = " AND ".join(f"target.{q(fk.dest_column)} = copied.{q(fk.column)}" for fk in columns)
        conditions.append(f"({nulls} OR EXISTS (SELECT 1 FROM {q(dest)} AS target WHERE {match}))")
    return conditions


def in_dependency_order(tables):
    ordered, seen = [], set()

    def visit(name):
        if name in seen or name not in tables:
            return
        seen.add(name)
        for fk in tables[name].foreign_keys:
            if fk.dest_table != name:
                visit(fk.dest_table)
        ordered.append(name)

    for name in sorted(tables):
        visit(name)
    return ordered
