"""SQLite: one transaction per run, table rebuilds by SQLite's documented procedure."""
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field, replace

from ..errors import OperationFailed
from ..introspect import Column, Table
from .base import UNSET, Dialect


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
