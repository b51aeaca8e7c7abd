"""What differs between SQLite, PostgreSQL and MySQL/MariaDB: DDL, transactional DDL,
how a column is read back, quoting. The only module that names a backend's Database class.
"""
import os
import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field, replace
from urllib.parse import urlsplit, urlunsplit

from .errors import OperationFailed, SpecError
from .fields import IDENTIFIER, FieldSpec
from .introspect import Column, Table

UNSET = object()
_TYPE = re.compile(r"([a-z][a-z ]*?)\s*(?:\((\d+)(?:,\s*(\d+))?\))?")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_STRING = re.compile(r"'((?:[^']|'')*)'")


class Dialect(ABC):
    name = "base"
    transactional_ddl = True
    default_referential_action = "NO ACTION"
    # read-back type name -> (Peewee field class, names of the numbers in parentheses)
    types = {}

    def __init__(self, db):
        self.db = db

    # -- reading the schema back -------------------------------------------------
    def table_names(self):
        return set(self.db.get_tables())

    @abstractmethod
    def table_metadata(self, name):
        """(columns, indexes, foreign keys) as Peewee's introspection gives them, or None: one query.

        The indexes are those made by CREATE INDEX; those a key or constraint made by itself are left out.
        """

    def column(self, meta):
        default = None if meta.identity else meta.default
        return Column(meta.name, meta.full_type or meta.data_type, bool(meta.null), default,
                      bool(meta.primary_key), bool(meta.identity))

    def referential_action(self, rule):
        rule = (rule or "").upper()
        return None if rule in ("", self.default_referential_action) else rule

    def field_for(self, column, foreign_key):
        """The field description that re-creates this column as it is."""
        if foreign_key:
            params = {"model": foreign_key.dest_table, "index": False, "null": column.null}
            if foreign_key.dest_column != "id":
                params["field"] = foreign_key.dest_column
            for name in ("on_delete", "on_update"):
                if getattr(foreign_key, name):
                    params[name] = getattr(foreign_key, name)
            return FieldSpec.make("ForeignKeyField", **params)
        if column.primary_key and column.auto_increment:
            return FieldSpec.make("BigAutoField" if "big" in column.type.lower() else "AutoField")
        spec = self._mapped_type(column.type) or FieldSpec.make("Field", column_type=column.type)
        return spec.replace(null=column.null, primary_key=True if column.primary_key else None)

    def _mapped_type(self, type_text):
        match = _TYPE.fullmatch(type_text.lower().strip())
        known = match and self.types.get(match.group(1))
        if not known or len(known[1]) != len([g for g in match.groups()[1:] if g]):
            return None
        numbers = [int(g) for g in match.groups()[1:] if g]
        return FieldSpec.make(known[0], **dict(zip(known[1], numbers)))

    def default_value(self, raw):
        """A default as the database reports it, as a spec value: a literal when plain, else SQL."""
        string = _STRING.fullmatch(raw)
        if string:
            return string.group(1).replace("''", "'")
        if _NUMBER.fullmatch(raw):
            return float(raw) if "." in raw else int(raw)
        return {"expression": raw}

    # -- writing SQL ----------------------------------------------------------------
    def quote(self, name):
        return f'"{name}"'  # names are validated: letters, digits and underscores only

    def literal(self, value):
        if isinstance(value, dict):
            return value["expression"]
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (int, float)):
            return repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    def type_sql(self, spec):
        field = spec.build()
        field.name = field.column_name = "_"
        ctx = self.db.get_sql_context()
        return ctx.sql(field.ddl_datatype(ctx)).query()[0]

    def schema_migrator(self):
        from playhouse.migrate import SchemaMigrator

        return SchemaMigrator.from_database(self.db)

    def length_sql(self, expression):
        return f"LENGTH({expression})"

    def conversion_problem(self, db, table, column, spec):
        """Why the column's values cannot take the new type, or None."""
        length = spec.get("max_length")
        if length:
            sql = f"SELECT COUNT(*) FROM {self.quote(table)} WHERE {self.length_sql(self.quote(column))} > {length}"
            count = db.execute_sql(sql).fetchone()[0]
            if count:
                return f"has {count} values longer than {length} characters"
        return None

    # -- DDL that differs -----------------------------------------------------------
    def create_table(self, ctx, table, columns):
        model = _model_for(self.db, table, columns)
        ctx.run(model._schema._create_table(safe=False))
        for statement in model._schema._create_indexes(safe=False):
            ctx.run(statement)

    def rename_column(self, ctx, table, old, new):
        return ctx.migrator.rename_column(table, old, new)

    def drop_column(self, ctx, table, column, cascade):
        """Drop the column with its foreign key and every index that covers it."""
        found = ctx.require_table(table)
        for index in found.indexes_on(column):
            ctx.run(ctx.migrator.drop_index(table, index.name))
        self._drop_column(ctx, found, column, cascade)

    def _drop_column(self, ctx, table, column, cascade):
        # Written here, not by Peewee's migrator: it asks the server for the table's foreign keys each time.
        ctx.execute_sql(f"ALTER TABLE {self.quote(table.name)} DROP COLUMN {self.quote(column)}"
                        + (" CASCADE" if cascade else ""))

    def add_to_rebuild(self, ctx, table, column, spec):
        """Whether a new column went into a table rebuild already asked for, instead of being added now."""
        return False

    def added_column(self, ctx, table, name, spec):
        """The column add_column just added, as reading it back would give it, or None when that cannot be told
        without reading (a server reports a type in words of its own)."""
        return None

    @abstractmethod
    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        """Change a column's type, nullability or default (UNSET: leave it; None: drop it)."""

    # -- keeping data for rollback ----------------------------------------------------
    def back_up(self, ctx, backup, table, columns):
        """Copy `columns` with the primary key (every column when there is no key or no columns) to `backup`."""
        q = self.quote
        key = [c.name for c in table.columns if c.primary_key]
        kept = "*" if not (key and columns) else ", ".join(q(c) for c in key + list(columns))
        ctx.execute_sql(f"DROP TABLE IF EXISTS {q(backup)}")
        ctx.execute_sql(f"CREATE TABLE {q(backup)} AS SELECT {kept} FROM {q(table.name)}")
        if key and columns:  # rollback matches rows on the key: one lookup each, not a scan
            ctx.execute_sql(f"CREATE UNIQUE INDEX {q(backup + '_key')} ON {q(backup)} "
                            f"({', '.join(q(k) for k in key)})")

    def restore(self, ctx, step):
        q = self.quote
        table, backup = q(step.table), q(step.backup)
        if step.key:
            ctx.execute_sql(self._update_from_backup(table, backup, step.columns, step.key))
        else:
            names = ", ".join(q(c.name) for c in ctx.require_table(step.backup).columns)
            ctx.execute_sql(f"DELETE FROM {table}")
            ctx.execute_sql(f"INSERT INTO {table} ({names}) SELECT {names} FROM {backup}")
            self.after_rows_restored(ctx, ctx.require_table(step.table))
        ctx.execute_sql(f"DROP TABLE {backup}")

    def _update_from_backup(self, table, backup, columns, key):
        q = self.quote
        values = ", ".join(f"{q(c)} = {backup}.{q(c)}" for c in columns)
        match = " AND ".join(f"{backup}.{q(k)} = {table}.{q(k)}" for k in key)
        return f"UPDATE {table} SET {values} FROM {backup} WHERE {match}"

    def after_rows_restored(self, ctx, table):
        """Rows came back with their keys; make the next generated key follow them."""

    def fill_nulls(self, ctx, table, column):
        """Give NULLs a placeholder of the column's type, so NOT NULL can come back without the data."""
        kind = column.type.lower()
        if "bool" in kind:
            placeholder = self.literal(False)
        elif any(word in kind for word in ("int", "dec", "num", "real", "float", "double", "serial")):
            placeholder = "0"
        elif "timestamp" in kind or "datetime" in kind:
            placeholder = "'1970-01-01 00:00:00'"
        elif "date" in kind:
            placeholder = "'1970-01-01'"
        elif "time" in kind:
            placeholder = "'00:00:00'"
        else:
            placeholder = "''"
        q = self.quote
        ctx.execute_sql(f"UPDATE {q(table)} SET {q(column.name)} = {placeholder} WHERE {q(column.name)} IS NULL")

    @contextmanager
    def migration_context(self):
        yield

    @contextmanager
    def batch(self):
        """Around a run of versions, each of which is atomic by itself."""
        yield

    def settle(self, ctx, operation=None):
        """Run the work deferred so far, before an operation that cannot share it (None: the version's end)."""

    @abstractmethod
    def scratch_space(self, settings, name):
        """A context manager for `verify`: (the scratch settings, a label, whether it already holds the data)."""

    @abstractmethod
    def qualified(self, table):
        """The table's name as another schema or database of the same server reaches it."""

    def use_schema(self, schema):
        raise SpecError(f"--schema is for PostgreSQL; on {self.name} put the tables in a database of their own")

    def check_integrity(self, ctx):
        """Called before a version commits."""


class SqliteDialect(Dialect):
    name = "sqlite"
    types = {
        "integer": ("IntegerField", ()), "bigint": ("BigIntegerField", ()), "smallint": ("SmallIntegerField", ()),
        "varchar": ("CharField", ("max_length",)), "char": ("FixedCharField", ("max_length",)),
        "text": ("TextField", ()), "real": ("FloatField", ()), "blob": ("BlobField", ()),
        "decimal": ("DecimalField", ("max_digits", "decimal_places")), "datetime": ("DateTimeField", ()),
        "date": ("DateField", ()), "time": ("TimeField", ()),
    }
    # A rebuild re-creates a table from what introspection reads; these it cannot carry.
    _unsupported = re.compile(r"\b(CHECK|COLLATE|GENERATED|AUTOINCREMENT|UNIQUE|WITHOUT\s+ROWID|STRICT)\b", re.I)

    _TABLE = """
        SELECT 'table', 0, name, NULL, NULL, NULL, NULL FROM sqlite_master WHERE type = 'table' AND name = :t
        UNION ALL SELECT 'column', cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(:t)
        UNION ALL SELECT 'index', ii.seqno, il.name, ii.name, il."unique", NULL, NULL
            FROM pragma_index_list(:t) AS il JOIN pragma_index_info(il.name) AS ii WHERE il.origin = 'c'
        UNION ALL SELECT 'fk', f.seq, f."from", f."table", f.on_delete, f.on_update,
            COALESCE(f."to", (SELECT p.name FROM pragma_table_info(f."table") AS p WHERE p.pk = f.seq + 1))
            FROM pragma_foreign_key_list(:t) AS f"""

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata

        rows = self.db.execute_sql(self._TABLE, {"t": name}).fetchall()
        if not any(kind == "table" for kind, *_ in rows):
            return None
        columns = sorted((r for r in rows if r[0] == "column"), key=lambda r: r[1])
        keys = [r for r in columns if r[6]]
        rowid = len(keys) == 1 and (keys[0][3] or "").upper() == "INTEGER"
        indexes = {}
        for _, _, index, column, unique, _, _ in sorted((r for r in rows if r[0] == "index"),
                                                          key=lambda r: (r[2], r[1])):
            indexes.setdefault(index, IndexMetadata(index, None, [], bool(unique), name)).columns.append(column)
        return ([ColumnMetadata(n, t, not notnull, bool(pk), name, default, t, bool(pk) and rowid)
                 for _, _, n, t, notnull, default, pk in columns],
                list(indexes.values()),
                [ForeignKeyMetadata(column, dest, dest_column, name, None, on_delete, on_update)
                 for kind, _, column, dest, on_delete, on_update, dest_column in rows if kind == "fk"])

    def _mapped_type(self, type_text):
        spec = super()._mapped_type(type_text)
        # SQLite keeps the declared text, so only a field that writes it back verbatim will do.
        return spec if spec and self.type_sql(spec) == type_text else None

    def schema_migrator(self):
        from playhouse.migrate import SqliteMigrator

        return SqliteMigrator(self.db)

    @contextmanager
    def migration_context(self):
        # Foreign keys must be off while a table is rebuilt; the pragma only works outside a transaction.
        enabled = bool(self.db.pragma("foreign_keys"))
        if enabled:
            self.db.pragma("foreign_keys", 0)
        try:
            yield
        finally:
            if enabled:
                self.db.pragma("foreign_keys", 1)

    @contextmanager
    def batch(self):
        """One transaction for a whole run, each version a savepoint in it: a writer locks the whole file
        anyway, and one commit saves a disk flush per version. The versions before a failing one are kept."""
        with self.migration_context(), self.db.atomic() as transaction:
            try:
                yield
            except BaseException:
                transaction.commit()  # the failing version's savepoint is already rolled back
                raise

    @contextmanager
    def scratch_space(self, settings, name):
        import shutil
        import sqlite3
        import tempfile

        folder = tempfile.mkdtemp(prefix="migrator-verify-")
        try:
            path = os.path.join(folder, f"{name}.db")
            copy = sqlite3.connect(path)
            self.db.connection().backup(copy)
            copy.close()
            yield replace(settings, database_url=f"sqlite:///{path}"), "a copy of the SQLite file", True
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def qualified(self, table):
        return self.quote(table)  # the scratch copy is the whole file: nothing is reached from outside

    def check_integrity(self, ctx):
        broken = self.db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise OperationFailed(f"foreign key check failed: table {broken[0][0]} row {broken[0][1]} "
                                  f"references a missing row of {broken[0][2]}")

    # Operations that can share a table rebuild asked for by one before them in the same version.
    _SHARE_A_REBUILD = {"add_column", "rename_column", "drop_column", "add_not_null", "drop_not_null",
                        "alter_column_type", "add_default", "drop_default", "restore_data", "data_not_kept"}

    def settle(self, ctx, operation=None):
        if ctx.rebuilds and (operation is None or operation.action not in self._SHARE_A_REBUILD):
            self._run_rebuilds(ctx)

    def _run_rebuilds(self, ctx):
        for name in list(ctx.rebuilds):
            self._run_rebuild(ctx, ctx.rebuilds.pop(name))

    def add_to_rebuild(self, ctx, table, column, spec):
        rebuild = ctx.rebuilds.get(table)
        if rebuild and spec.null and spec.type != "ForeignKeyField":
            rebuild.add(Column(column, self.type_sql(spec), True, None))
            return True
        self._run_rebuilds(ctx)
        return False

    def added_column(self, ctx, table, name, spec):
        # SQLite keeps the declared type as written; an index, a key or a rebuild would change more.
        plain = spec.null and spec.type != "ForeignKeyField" and not (spec.get("index") or spec.get("unique"))
        return Column(name, self.type_sql(spec), True, None) if plain and table not in ctx.rebuilds else None

    def fill_nulls(self, ctx, table, column):
        rebuild = ctx.rebuilds.get(table)
        if rebuild and column.name in rebuild.sources:  # its values are not in the table yet
            self._run_rebuilds(ctx)
        super().fill_nulls(ctx, table, column)

    def back_up(self, ctx, backup, table, columns):
        rebuild = ctx.rebuilds.get(table.name)
        if rebuild and (not columns or set(columns) & set(rebuild.sources)):  # values not in the table yet
            self._run_rebuilds(ctx)
        super().back_up(ctx, backup, table, columns)

    def restore(self, ctx, step):
        rebuild = ctx.rebuilds.get(step.table)
        if rebuild and step.key:  # the rebuild copies the kept values in as it copies the rows
            rebuild.take_from(step.backup, step.columns, step.key, self.quote)
        else:
            self._run_rebuilds(ctx)
            super().restore(ctx, step)

    def rename_column(self, ctx, table, old, new):
        rebuild = ctx.rebuilds.get(table)
        if rebuild and old in rebuild.sources:  # its source names the old column: copy it before the rename
            self._run_rebuilds(ctx)
        elif rebuild:
            rebuild.rename(old, new)  # renamed in place now; the rebuild copies the new name
        return super().rename_column(ctx, table, old, new)

    def _drop_column(self, ctx, table, column, cascade):
        info = table.column(column)
        if table.name in ctx.rebuilds or info and (info.primary_key or table.foreign_key(column)):
            self._defer_rebuild(ctx, table.name, [c for c in table.columns if c.name != column])
        else:  # native DROP COLUMN refuses a key column
            super()._drop_column(ctx, table, column, cascade=False)

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        planned = ctx.require_table(table)
        current = ctx.require_column(table, column)
        changed = Column(
            column, self.type_sql(type) if type else current.type,
            current.null if null is None else null,
            current.default if default is UNSET else default if default is None else self.literal(default),
            current.primary_key, current.auto_increment)
        self._defer_rebuild(ctx, table, [changed if c.name == column else c for c in planned.columns])

    def _defer_rebuild(self, ctx, name, columns):
        """Ask for the table to be rebuilt with these columns: the rebuild runs once, before the next operation
        that cannot share it or at the end of the version, however many operations change the table till then."""
        if name not in ctx.rebuilds:
            self._check_rebuildable(name)
            ctx.rebuilds[name] = _Rebuild(ctx.require_table(name), columns)
        ctx.rebuilds[name].columns = tuple(columns)
        ctx.rebuilds[name].by.append((*ctx.position, ctx.operation.action if ctx.operation else ""))

    def _check_rebuildable(self, name):
        create_sql, = self.db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        found = self._unsupported.search(create_sql)
        if found:
            raise OperationFailed(f"table {name} uses {found.group(1).upper()}, which a table rebuild "
                                  "would lose; change it with an sql operation instead")

    def _run_rebuild(self, ctx, rebuild):
        import peewee

        try:
            self._rebuild(ctx, rebuild.table, rebuild.columns, rebuild.sources, rebuild.joins)
            for backup in rebuild.backups:
                ctx.execute_sql(f"DROP TABLE {self.quote(backup)}")
        except (peewee.PeeweeException, ValueError) as error:
            version, index, action = rebuild.by[0]
            shared = ", ".join(f"{i} ({a})" for _, i, a in rebuild.by)
            raise OperationFailed(f"{version}, operation {index} ({action}): rebuilding table {rebuild.table.name} "
                                  f"for operations {shared} failed: {str(error).strip().splitlines()[0]}",
                                  version=version, index=index, action=action) from None
        finally:
            ctx.schema.forget([rebuild.table.name])

    def _rebuild(self, ctx, table, columns, sources=None, joins=()):
        """SQLite's documented 12-step table change: create, copy, drop, rename, re-index.

        `sources` gives the SQL that fills a column (its own value by default), with `joins` to the tables
        it reads from: a column added by the rebuild, or values coming back from a backup.
        """
        # Dropping the table drops its indexes and triggers: keep their SQL to run again after.
        extras = self.db.execute_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL", (table.name,)).fetchall()
        names = {c.name for c in columns}
        kept = {i.name for i in table.indexes if set(i.columns) <= names}
        temp = f"_migrator_rebuild_{table.name}"
        copied = ", ".join(self.quote(c.name) for c in columns)
        values = ", ".join((sources or {}).get(c.name, f"t.{self.quote(c.name)}") for c in columns)
        ctx.execute_sql(f"CREATE TABLE {self.quote(temp)} ({self._table_body(table, columns)})")
        ctx.execute_sql(f"INSERT INTO {self.quote(temp)} ({copied}) SELECT {values} "
                        f"FROM {self.quote(table.name)} AS t{''.join(' ' + j for j in joins)}")
        ctx.execute_sql(f"DROP TABLE {self.quote(table.name)}")
        ctx.execute_sql(f"ALTER TABLE {self.quote(temp)} RENAME TO {self.quote(table.name)}")
        for kind, name, sql in extras:
            if kind == "trigger" or name in kept:
                ctx.execute_sql(sql)

    def _table_body(self, table, columns):
        keys = [c.name for c in columns if c.primary_key]
        parts = []
        for c in columns:
            part = f"{self.quote(c.name)} {c.type}".rstrip()
            part += "" if c.null else " NOT NULL"
            part += f" DEFAULT {c.default}" if c.default is not None else ""
            part += " PRIMARY KEY" if keys == [c.name] else ""
            parts.append(part)
        if len(keys) > 1:
            parts.append(f"PRIMARY KEY ({', '.join(self.quote(k) for k in keys)})")
        names = {c.name for c in columns}
        for fk in table.foreign_keys:
            if fk.column in names:
                part = (f"FOREIGN KEY ({self.quote(fk.column)}) REFERENCES {self.quote(fk.dest_table)} "
                        f"({self.quote(fk.dest_column)})")
                part += f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
                part += f" ON UPDATE {fk.on_update}" if fk.on_update else ""
                parts.append(part)
        return ", ".join(parts)

    def literal(self, value):
        if isinstance(value, bool):
            return "1" if value else "0"
        return super().literal(value)


class PostgresDialect(Dialect):
    name = "postgres"
    types = {
        "integer": ("IntegerField", ()), "bigint": ("BigIntegerField", ()), "smallint": ("SmallIntegerField", ()),
        "character varying": ("CharField", ("max_length",)), "character": ("FixedCharField", ("max_length",)),
        "text": ("TextField", ()), "real": ("FloatField", ()), "double precision": ("DoubleField", ()),
        "numeric": ("DecimalField", ("max_digits", "decimal_places")),
        "timestamp without time zone": ("DateTimeField", ()), "date": ("DateField", ()),
        "time without time zone": ("TimeField", ()), "bytea": ("BlobField", ()), "boolean": ("BooleanField", ()),
        "uuid": ("UUIDField", ()),
    }

    def after_rows_restored(self, ctx, table):
        for column in table.columns:
            if column.auto_increment:
                q = self.quote
                ctx.execute_sql(f"SELECT setval(pg_get_serial_sequence('{q(table.name)}', '{column.name}'), "
                                f"MAX({q(column.name)})) FROM {q(table.name)} HAVING MAX({q(column.name)}) IS NOT NULL")

    def conversion_problem(self, db, table, column, spec):
        import peewee

        problem = super().conversion_problem(db, table, column, spec)
        if problem:
            return problem
        new = self.type_sql(spec)
        try:
            with db.atomic():
                db.execute_sql(f"SELECT COUNT({self.quote(column)}::{new}) FROM {self.quote(table)}")
        except peewee.DatabaseError as error:
            return f"has values that cannot be converted to {new}: {str(error).strip().splitlines()[0]}"
        return None

    @contextmanager
    def scratch_space(self, settings, name):
        try:
            yield replace(settings, schema=name), f"a scratch schema {name}", False
        finally:
            self.db.execute_sql(f"DROP SCHEMA IF EXISTS {self.quote(name)} CASCADE")

    def qualified(self, table):
        schema = self.db.execute_sql("SELECT current_schema()").fetchone()[0]
        return f"{self.quote(schema)}.{self.quote(table)}"

    def use_schema(self, schema):
        if not IDENTIFIER.fullmatch(schema):
            raise SpecError(f"'{schema}' is not a valid schema name")
        import peewee

        try:
            self.db.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {self.quote(schema)}")
        except peewee.IntegrityError:
            pass  # IF NOT EXISTS still races: another run created it at the same moment
        self.db.execute_sql(f"SET search_path TO {self.quote(schema)}")

    _TABLE = """
        SELECT json_build_object(
            'columns', (SELECT json_agg(json_build_array(
                    a.attname, NOT a.attnotnull, format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    a.attidentity <> '', a.attnum = ANY(k.indkey::int2[])) ORDER BY a.attnum)
                FROM pg_attribute AS a LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
            'indexes', (SELECT json_agg(json_build_array(i.relname, x.indisunique, ARRAY(
                    SELECT pg_get_indexdef(x.indexrelid, p + 1, TRUE) FROM generate_subscripts(x.indkey, 1) AS p
                    ORDER BY p)) ORDER BY x.indisunique DESC, i.relname)
                FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                WHERE x.indrelid = t.oid AND NOT x.indisprimary),
            'foreign_keys', (SELECT json_agg(json_build_array(
                    a.attname, f.relname, fa.attname, c.conname, c.confdeltype, c.confupdtype))
                FROM pg_constraint AS c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS u(col, fcol)
                JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = u.col
                JOIN pg_class AS f ON f.oid = c.confrelid
                JOIN pg_attribute AS fa ON fa.attrelid = c.confrelid AND fa.attnum = u.fcol
                WHERE c.conrelid = t.oid AND c.contype = 'f'))
        FROM pg_class AS t JOIN pg_namespace AS n ON n.oid = t.relnamespace
        LEFT JOIN pg_index AS k ON k.indrelid = t.oid AND k.indisprimary
        WHERE t.relname = %s AND n.nspname = current_schema() AND t.relkind IN ('r', 'p')"""
    _prepared_on = None  # the connection the table read is prepared on

    def _prepare_table_read(self):
        """Prepare the table read once per connection: planning it costs twice what running it does."""
        connection = self.db.connection()
        if self._prepared_on is not connection:
            found = self.db.execute_sql("SELECT 1 FROM pg_prepared_statements WHERE name = '_migrator_read_table'")
            if found.fetchone() is None:
                self.db.execute_sql("PREPARE _migrator_read_table(text) AS " + self._TABLE.replace("%s", "$1"))
            self._prepared_on = connection

    _RULES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata, unqesc

        self._prepare_table_read()
        row = self.db.execute_sql("EXECUTE _migrator_read_table(%s)", (name,)).fetchone()
        if row is None:
            return None
        found = row[0]
        columns = [ColumnMetadata(column, full_type, null, key, name, default, full_type,
                                  identity or (default or "").startswith("nextval("))
                   for column, null, full_type, default, identity, key in found["columns"] or []]
        indexes = [IndexMetadata(index, None, [unqesc(c) for c in parts], unique, name)
                   for index, unique, parts in found["indexes"] or []]
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint,
                                           self._RULES[on_delete], self._RULES[on_update])
                        for column, dest, dest_column, constraint, on_delete, on_update in found["foreign_keys"] or []]
        return columns, indexes, foreign_keys

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        prefix = f"ALTER TABLE {self.quote(table)} ALTER COLUMN {self.quote(column)}"
        if type is not None:
            new = self.type_sql(type)
            ctx.execute_sql(f"{prefix} TYPE {new} USING {self.quote(column)}::{new}")
        if null is not None:
            ctx.execute_sql(f"{prefix} {'DROP' if null else 'SET'} NOT NULL")
        if default is not UNSET:
            ctx.execute_sql(f"{prefix} DROP DEFAULT" if default is None else
                            f"{prefix} SET DEFAULT {self.literal(default)}")


class MysqlDialect(Dialect):
    name = "mysql"
    transactional_ddl = False
    default_referential_action = "RESTRICT"
    types = {
        "int": ("IntegerField", ("display",)), "bigint": ("BigIntegerField", ("display",)),
        "smallint": ("SmallIntegerField", ("display",)), "varchar": ("CharField", ("max_length",)),
        "char": ("FixedCharField", ("max_length",)), "text": ("TextField", ()), "float": ("FloatField", ()),
        "double": ("DoubleField", ()), "decimal": ("DecimalField", ("max_digits", "decimal_places")),
        "datetime": ("DateTimeField", ()), "date": ("DateField", ()), "time": ("TimeField", ()),
        "blob": ("BlobField", ()), "tinyint": ("BooleanField", ("display",)),
    }

    _TABLE = """
        SELECT 'table', 0, TABLE_NAME, NULL, NULL, NULL, NULL FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s AND TABLE_TYPE != 'VIEW'
        UNION ALL SELECT 'column', ORDINAL_POSITION, COLUMN_NAME, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_TYPE, EXTRA
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'index', SEQ_IN_INDEX, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULL, NULL
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'fk', 0, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME, CONSTRAINT_NAME, NULL
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
                AND REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_COLUMN_NAME IS NOT NULL
        UNION ALL SELECT 'rule', 0, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE, NULL, NULL
            FROM information_schema.REFERENTIAL_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s"""
    # (Joining the two views in the server makes it read every constraint of the database: 25 times slower.)

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata

        rows = self.db.execute_sql(self._TABLE, {"t": name}).fetchall()
        if not any(kind == "table" and found == name for kind, _, found, *_ in rows):
            return None
        rules = {constraint: (on_delete, on_update) for kind, _, constraint, on_delete, on_update, *_ in rows
                 if kind == "rule"}
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint, *rules[constraint])
                        for kind, _, column, dest, dest_column, constraint, _ in rows if kind == "fk"]
        implicit = {"PRIMARY"} | {fk.name for fk in foreign_keys}  # made by the key, or for a foreign key
        indexes, keys = {}, []
        for _, _, index, column, non_unique, _, _ in sorted((r for r in rows if r[0] == "index"),
                                                            key=lambda r: (r[2], int(r[1]))):
            if index == "PRIMARY":
                keys.append(column)
            elif index not in implicit:
                metadata = indexes.setdefault(index, IndexMetadata(index, None, [], not int(non_unique), name))
                metadata.columns.append(column)
        columns = []
        for _, _, column, null, default, full_type, extra in sorted((r for r in rows if r[0] == "column"),
                                                                  key=lambda r: int(r[1])):
            null = null == "YES"
            default = None if null and default == "NULL" else default  # MariaDB's word for no default
            columns.append(ColumnMetadata(column, full_type, null, column in keys, name, default, full_type,
                                          "auto_increment" in (extra or "")))
        return columns, list(indexes.values()), foreign_keys

    def _mapped_type(self, type_text):
        match = _TYPE.fullmatch(type_text.lower().strip())
        known = match and self.types.get(match.group(1))
        if known and known[1] == ("display",):  # int(11): a display width, not a parameter
            if known[0] == "BooleanField" and match.group(2) != "1":
                return None
            return FieldSpec.make(known[0])
        return super()._mapped_type(type_text)

    def quote(self, name):
        return f"`{name}`"

    def length_sql(self, expression):
        return f"CHAR_LENGTH({expression})"

    def _update_from_backup(self, table, backup, columns, key):
        q = self.quote
        values = ", ".join(f"{table}.{q(c)} = {backup}.{q(c)}" for c in columns)
        match = " AND ".join(f"{backup}.{q(k)} = {table}.{q(k)}" for k in key)
        return f"UPDATE {table} JOIN {backup} ON {match} SET {values}"

    def literal(self, value):
        if isinstance(value, str):
            return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        return super().literal(value)

    def drop_column(self, ctx, table, column, cascade):
        # An index that backs a foreign key cannot be dropped while the key exists.
        if ctx.require_table(table).foreign_key(column):
            ctx.run(ctx.migrator.drop_foreign_key_constraint(table, column))
        super().drop_column(ctx, table, column, cascade=False)

    @contextmanager
    def scratch_space(self, settings, name):
        self.db.execute_sql(f"CREATE DATABASE {self.quote(name)}")
        try:
            parts = urlsplit(settings.database_url)
            url = urlunsplit(parts._replace(path=f"/{name}"))
            yield replace(settings, database_url=url, schema=None), f"a scratch database {name}", False
        finally:
            self.db.execute_sql(f"DROP DATABASE IF EXISTS {self.quote(name)}")

    def qualified(self, table):
        return f"{self.quote(self.db.database)}.{self.quote(table)}"

    def rename_column(self, ctx, table, old, new):
        from playhouse.migrate import SchemaMigrator

        # Peewee's MySQL rename re-declares the column from DESCRIBE and loses its default.
        return SchemaMigrator.rename_column(ctx.migrator, table, old, new)

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        current = ctx.require_column(table, column)
        definition = self.type_sql(type) if type else current.type
        definition += " NULL" if (current.null if null is None else null) else " NOT NULL"
        default = (None if current.default is None else {"expression": current.default}) if default is UNSET else default
        definition += f" DEFAULT {self.literal(default)}" if default is not None else ""
        definition += " AUTO_INCREMENT" if current.auto_increment else ""
        ctx.execute_sql(f"ALTER TABLE {self.quote(table)} MODIFY {self.quote(column)} {definition}")


@dataclass
class _Rebuild:
    """An SQLite table rebuild asked for and not yet run."""
    table: Table  # as it is in the database now
    columns: tuple  # the columns it will have
    by: list = dc_field(default_factory=list)  # (version, index, action) of each operation sharing it

    def planned(self):
        """The table as it will be after the rebuild."""
        names = {c.name for c in self.columns}
        return replace(self.table, columns=self.columns,
                       indexes=tuple(i for i in self.table.indexes if set(i.columns) <= names),
                       foreign_keys=tuple(f for f in self.table.foreign_keys if f.column in names))

    sources: dict = dc_field(default_factory=dict)  # column -> the SQL that fills it, when not its own value
    joins: list = dc_field(default_factory=list)  # the backups that SQL reads, joined on the key
    backups: list = dc_field(default_factory=list)  # to drop once their values are copied

    def rename(self, old, new):
        self.table = self.table.with_column_renamed(old, new)
        self.columns = tuple(replace(c, name=new) if c.name == old else c for c in self.columns)

    def add(self, column):
        self.columns += (column,)
        self.sources[column.name] = "NULL"

    def take_from(self, backup, columns, key, quote):
        """Fill `columns` from the backup's rows, matched on the key; rows added since keep what they have."""
        alias = f"b{len(self.joins)}"
        match = " AND ".join(f"{alias}.{quote(k)} = t.{quote(k)}" for k in key)
        self.joins.append(f"LEFT JOIN {quote(backup)} AS {alias} ON {match}")
        for name in columns:
            current = self.sources.get(name, f"t.{quote(name)}")
            kept = f"{alias}.{quote(name)}"
            self.sources[name] = f"CASE WHEN {alias}.{quote(key[0])} IS NULL THEN {current} ELSE {kept} END"
        self.backups.append(backup)


def _model_for(db, table, columns):
    """A Peewee model for create_table, so that keys, types and index names follow Peewee."""
    import peewee

    attrs = {}
    for position, (name, spec) in enumerate(columns):
        field = spec.build()
        field.column_name = name
        attrs[name if name.isidentifier() and not hasattr(peewee.Model, name) else f"column_{position}"] = field
    attrs["Meta"] = type("Meta", (), {"database": db, "table_name": table, "legacy_table_names": False})
    return type(f"Create_{table}", (peewee.Model,), attrs)


# Each backend's URL schemes (as playhouse.db_url names them) and the drivers Peewee would import for it.
_DRIVERS = {("sqlite", "apsw"): (), ("postgres", "psql", "cockroach", "crdb"): ("psycopg2", "psycopg"),
            ("mysql", "mariadb"): ("pymysql", "MySQLdb")}


def keep_out_unused_drivers(url):
    """Make Peewee's import skip the drivers of the backends `url` does not use: it imports every driver it
    finds, which costs a command that needs one of them a fifth of its start-up. Only for a process that will
    use nothing but `url`, before Peewee is imported: in a program that imports migrator it would hide them."""
    import sys

    if "peewee" in sys.modules:
        return
    scheme = url.split(":", 1)[0].lower()
    if not any(scheme.startswith(schemes) for schemes in _DRIVERS):
        return
    for schemes, drivers in _DRIVERS.items():
        if not scheme.startswith(schemes):
            for driver in drivers:
                sys.modules.setdefault(driver, None)  # `import driver` now raises ImportError


def dialect_for(db):
    import peewee

    if isinstance(db, peewee.PostgresqlDatabase):
        return PostgresDialect(db)
    if isinstance(db, peewee.MySQLDatabase):
        return MysqlDialect(db)
    if isinstance(db, peewee.SqliteDatabase):
        return SqliteDialect(db)
    raise OperationFailed(f"unsupported database {type(db).__name__}: use sqlite, postgres or mysql")
