"""What every backend shares, and the methods a backend overrides: DDL, transactional DDL,
how a table is read back, quoting."""
import re
from abc import ABC, abstractmethod
from contextlib import contextmanager

from ..errors import SpecError
from ..fields import FieldSpec
from ..introspect import Column

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
