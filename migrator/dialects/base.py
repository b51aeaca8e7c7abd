"""What every backend shares, and the methods a backend overrides: DDL, transactional DDL,
how a table is read back, quoting."""
import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import replace

from ..errors import SpecError

UNSET = object()
_TYPE = re.compile(r"([a-z][a-z ]*?)\s*(?:\((\d+)(?:,\s*(\d+))?\))?")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_STRING = re.compile(r"'((?:[^']|'')*)'")


class Dialect(ABC):
    name = "base"  # also the SQL dialect's name for reading SQL text (sqltext)
    label = "this database"
    scheme = None  # in a URL
    sql_keys = ()  # the keys of an sql operation's statements for this backend (`"sql": {"<key>": ...}`)
    transactional_ddl = True
    planned_as_written = ""  # what `migrate` adds to a statement `plan` shows as written (where it only generates)
    places_columns = False  # can add a column at a given place (SQLite by a rebuild, MySQL/MariaDB by AFTER)
    renames_follow = True  # views and triggers follow a renamed table or column (not on MySQL/MariaDB)
    index_names_per_table = False  # index names are per schema (PostgreSQL, SQLite) or per table (MySQL)
    indexes_in_definition = False  # table_definition makes the indexes too (in the order the server keeps them)
    retypes_referenced_keys = True  # can change the type of a column a foreign key points to
    retypes_viewed_columns = True  # can change the type of a column a view uses
    cuts_long_values = True  # a shorter max_length cuts longer values (SQLite keeps them as they are)
    adds_foreign_keys = True  # ALTER TABLE can add a foreign key to a table (Peewee's create_foreign_key)
    reports_foreign_key_names = True  # the catalog names each foreign key (compared by status)
    foreign_key_names_per_schema = False  # two tables may not have foreign keys of one name (InnoDB)
    default_referential_action = "NO ACTION"
    longest_name = None  # the characters of a name the server keeps (PostgreSQL cuts a longer one short)
    # read-back type name -> (Peewee field class, names of the numbers in parentheses)
    types = {}

    lock_class = None  # locks.py: the lock that keeps two runs apart on this backend

    def __init__(self, db):
        self.db = db
        self._migrator = None
        self._reported = {}  # declared type -> the NULL-able column without a default the server made of it

    @classmethod
    def prepare_driver(cls):
        """Before the first connection of a process to this backend: what its driver needs (nothing here)."""

    @classmethod
    def missing_database(cls, url):
        """Why the database cannot be looked at without creating it, or None (a server's database is never made
        by connecting to it)."""
        return None

    @classmethod
    def refuse_unreachable(cls, url):
        """Before connecting, a URL that can reach or make no database: SpecError when it is malformed for this
        backend, ConnectionFailed when the place it names does not exist (nothing to see here: the server says)."""

    @classmethod
    def empty_stand_in(cls, url):
        """The URL of an empty database that stands for one not created yet, for a read-only command (only a
        backend whose database a connection creates has one)."""
        raise NotImplementedError

    @property
    def migrator(self):
        """Peewee's SchemaMigrator for the database: the DDL Peewee does right is made by it, through here."""
        if self._migrator is None:
            self._migrator = self.schema_migrator()
        return self._migrator

    def add_own_columns(self, table, fields):
        """Add Peewee fields to a table of migrator's own (a newer layout of the history table)."""
        from playhouse.migrate import migrate

        migrate(*(self.migrator.add_column(table, field.column_name, field) for field in fields))

    # -- reading the schema back -------------------------------------------------
    def table_names(self):
        return set(self.db.get_tables())

    @abstractmethod
    def table_metadata(self, name):
        """(columns, indexes, foreign keys, extras) as Peewee's introspection gives them, or None: one query.

        The indexes are those made by CREATE INDEX; those a key or constraint made by itself are left out. An
        index's `sql` is its definition only when add_index cannot make it. `extras` may hold "key" (the primary
        key's columns in order), "checks" and "triggers" ((name, SQL) pairs), "constraints" (the names of the
        indexes that are UNIQUE constraints).
        """

    @abstractmethod
    def views(self):
        """Every view: {name: its SQL}."""

    @abstractmethod
    def table_definition(self, table):
        """The backend's own SQL statements that create the table exactly as it is, with its keys, constraints
        and counters; not its indexes and triggers, which come after its rows. Names unqualified."""

    def recreate(self, table, from_catalog=True):
        """The create_table that re-creates a table exactly (its columns also listed, for plan and preflight),
        and the add_index steps of its indexes (made after its rows are back). Without `from_catalog` (a table
        only planned, in `plan` on MySQL/MariaDB), from its columns only."""
        from ..operations import CreateTable, add_index_of

        key = table.primary_key
        columns = tuple((c.name, self.field_for(c, table.foreign_key(c.name), composite_key=len(key) > 1))
                        for c in table.columns)
        primary_key = False if not key else tuple(key) if len(key) > 1 else None
        indexes = [i for i in table.indexes if not i.constraint]
        if not from_catalog:
            return CreateTable(table.name, columns, primary_key), [add_index_of(table.name, i, i.definition)
                                                                   for i in indexes]
        if self.indexes_in_definition:
            names = tuple(i.name for i in indexes)
            return CreateTable(table.name, columns, primary_key, tuple(self.table_definition(table)), names), []
        create = CreateTable(table.name, columns, primary_key, tuple(self.table_definition(table)))
        return create, [add_index_of(table.name, i, self.index_definition(table, i)) for i in indexes]

    def column_text(self, table, column):
        """The column's own definition as the backend keeps it in its table's text (SQLite, MySQL/MariaDB), to
        restore it exactly with its collation, checks and all; None where the backend keeps no such text."""
        return None

    def place_of(self, table, column):
        """add_column's place parameters that put the column back where it is in `table`."""
        names = [c.name for c in table.columns]
        position = names.index(column)
        if not self.places_columns or position == len(names) - 1:
            return {}
        return {"first": True} if position == 0 else {"after": names[position - 1]}

    def index_definition(self, table, index):
        """The SQL that makes the index again exactly, or None when add_index makes it from its columns."""
        return index.definition

    def exactly(self, value):
        """SQL for a value that two rows share only when they hold the same value (GROUP BY compares it so)."""
        return value

    def compared_sql(self, sql):
        """SQL text this backend keeps (a definition, a check), in the form two schemas compare it in."""
        return sql

    def equivalent_column(self, column, table):
        """A column of canonical schema data as `baseline` compares it: where two spellings build the same
        column, the one the specs give (nothing to change here)."""
        return column

    def mentions(self, sql, *names):
        """Whether SQL this backend keeps (a check, an index's definition...) may name any of `names`."""
        from ..sqltext import mentions

        return any(name.lower() in sql.lower() for name in names) and mentions(sql, self.name, *names)

    def replace_check(self, ctx, table, name, check):
        q = self.quote
        ctx.execute_sql(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}, ADD CONSTRAINT {q(name)} {check}")

    # -- CHECK and UNIQUE constraints ------------------------------------------------------
    uniques_in_table_text = False  # a UNIQUE constraint lives in the table's text, not as an index (SQLite)

    def unenforced_check(self):
        """Why the server would accept a CHECK constraint and ignore it, or None when it enforces it."""
        return None

    def broken_view(self, name):
        """Why the view cannot be queried, where the backend makes a view without checking what it names (SQLite);
        None when it works, or when the server checked it as it made it."""
        return None

    def strings_naming_columns(self, sql, columns):
        """The quoted words of `sql` that name one of `columns` but that this backend reads as strings."""
        return []

    def check_expression(self, check):
        """A CHECK constraint's expression alone, as add_check takes it (None when it is no CHECK)."""
        return check.expression

    def check_constraints(self, table):
        """{name: expression} of the table's CHECK constraints that are the table's own (not a column's)."""
        found = {c.name: self.check_expression(c) for c in table.checks if not self.goes_with_column(table, c)}
        return {name: expression for name, expression in found.items() if expression is not None}

    def unique_constraints(self, table):
        """{name: columns} of the table's UNIQUE constraints."""
        return {i.name: tuple(i.columns) for i in table.indexes if i.constraint}

    def constraint_text(self, table, name):
        """A constraint's own text in its table's, where the backend keeps one (SQLite), to restore it exactly."""
        return None

    def add_check(self, ctx, op):
        q = self.quote
        ctx.execute_sql(f"ALTER TABLE {q(op.table)} ADD CONSTRAINT {q(op.name)} CHECK ({op.expression})")

    def drop_check(self, ctx, table, name):
        ctx.execute_sql(f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}")

    def add_unique(self, ctx, op):
        q = self.quote
        ctx.execute_sql(f"ALTER TABLE {q(op.table)} ADD CONSTRAINT {q(op.constraint_name)} "
                        f"UNIQUE ({', '.join(q(c) for c in op.columns)})")

    def drop_unique(self, ctx, table, name):
        ctx.execute_sql(f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}")

    def with_unique(self, table, name, columns):
        """The table with a UNIQUE constraint added, as reading it back would give it (for `plan`)."""
        from dataclasses import replace

        from ..introspect import Index

        return replace(table, indexes=table.indexes + (Index(name, columns, True, None, True),))

    def without_unique(self, table, name):
        from dataclasses import replace

        return replace(table, indexes=tuple(i for i in table.indexes if i.name != name),
                       checks=tuple(c for c in table.checks if c.name != name))

    def indexes_using(self, table, column):
        """The indexes that cover the column or whose definition names it (an expression, a WHERE)."""
        return [i for i in table.indexes if column in i.columns or i.definition and self.mentions(i.definition, column)]

    def column(self, meta):
        from ..introspect import Column

        default = None if meta.identity else meta.default
        return Column(meta.name, meta.full_type or meta.data_type, bool(meta.null), default,
                      bool(meta.primary_key), bool(meta.identity))

    def referential_action(self, rule):
        rule = (rule or "").upper()
        return None if rule in ("", self.default_referential_action) else rule

    def field_for(self, column, foreign_key, composite_key=False):
        """The field description that re-creates this column as it is (a column of a composite key is marked
        by create_table's primary_key, not by its field)."""
        from ..fields import FieldSpec

        if foreign_key:
            params = {"model": foreign_key.dest_table, "index": False, "null": column.null}
            if foreign_key.dest_column != "id":
                params["field"] = foreign_key.dest_column
            for name in ("on_delete", "on_update"):
                if getattr(foreign_key, name):
                    params[name] = getattr(foreign_key, name)
            if foreign_key.name and foreign_key.compared:
                params["constraint_name"] = foreign_key.name
            return FieldSpec.make("ForeignKeyField", **params)
        if column.primary_key and column.auto_increment and not composite_key:
            return FieldSpec.make("BigAutoField" if "big" in column.type.lower() else "AutoField")
        spec = self._mapped_type(column.type) or FieldSpec.make("Field", column_type=column.type)
        key = column.primary_key and not composite_key
        return spec.replace(null=column.null, primary_key=True if key else None)

    def _mapped_type(self, type_text):
        from ..fields import FieldSpec

        match = _TYPE.fullmatch(type_text.lower().strip())
        known = match and self.types.get(match.group(1))
        if not known or len(known[1]) != len([g for g in match.groups()[1:] if g]):
            return None
        numbers = [int(g) for g in match.groups()[1:] if g]
        return FieldSpec.make(known[0], **dict(zip(known[1], numbers)))

    def portable_default(self, column):
        """The column's default as a spec value that builds it on every backend (a literal where one builds it)."""
        return self.default_value(column.default)

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

    def type_sql(self, spec, referenced=None):
        field = spec.build(referenced)
        field.name = field.column_name = "_"
        ctx = self.db.get_sql_context()
        return ctx.sql(field.ddl_datatype(ctx)).query()[0]

    def schema_migrator(self):
        from playhouse.migrate import SchemaMigrator

        return SchemaMigrator.from_database(self.db)

    def length_sql(self, expression):
        return f"LENGTH({expression})"

    def changed_values(self, db, table, column, old_type, spec):
        """How many of the column's values the new type would store differently, or None when not known.
        (SQLite keeps a value that its column's type cannot hold exactly as it is: none.)"""
        return None

    def conversion_problem(self, db, table, column, spec):
        """(Why the column's values cannot take the new type, whether the problem is only that some would be cut
        short), or None."""
        length = spec.get("max_length")
        if length:
            sql = f"SELECT COUNT(*) FROM {self.quote(table)} WHERE {self.length_sql(self.quote(column))} > {length}"
            count = db.execute_sql(sql).fetchone()[0]
            if count:
                return f"has {count} value{'s' * (count != 1)} longer than {length} characters", True
        return None

    # -- DDL that differs -----------------------------------------------------------
    def create_table(self, ctx, op):
        """A Peewee model's table, so keys, types and index names follow Peewee; or, in a stored inverse, the
        backend's own definition of the table that was dropped."""
        for statement in op.definition or ():
            ctx.execute_sql(statement)
        if op.definition:
            return
        model = _model_for(self.db, op.table, op.columns, op.primary_key, ctx.referenced)
        ctx.run(model._schema._create_table(safe=False))
        for statement in model._schema._create_indexes(safe=False):
            ctx.run(statement)

    def add_column(self, ctx, table, name, spec, place=None, definition=None):
        """Add a column as Peewee does, a foreign key taking its target's type (and its given constraint name);
        the existing rows of a NOT NULL column take its value from a server default added with it, not from an
        UPDATE of every row, and the default is then dropped: a Peewee default lives in Python. `definition` is
        the column's own text, where the backend keeps one (see column_text)."""
        if self.add_to_rebuild(ctx, table, name, spec, place):
            return
        from peewee import SQL

        from ..fields import FieldSpec

        referenced = ctx.referenced(spec)
        named_key = spec.referenced and spec.get("constraint_name")
        added = FieldSpec.make("Field", column_type=self.type_sql(spec, referenced), null=True,
                               index=spec.get("index", True), unique=spec.get("unique", False)) if named_key else spec
        default = spec.get("default")
        if spec.null or default is None:
            self._add(ctx, self.migrator.add_column(table, name, added.replace(null=True).build(referenced)), place)
            if not spec.null:
                self.alter_column(ctx, table, name, null=False)
        else:
            field = added.replace(null=False).build(referenced)
            field.constraints = [SQL(f"DEFAULT {self.literal(default)}")]
            self._add(ctx, self.migrator.add_column(table, name, field, allow_not_null=True), place)
            self.alter_column(ctx, table, name, default=None)
        if named_key:
            ctx.execute_sql(self.foreign_key_sql(table, name, spec))
        self.place_column(ctx, table, name, place)

    def _add(self, ctx, operation, place):
        """Run Peewee's add-column operation (where the backend places a column, at `place`)."""
        ctx.run(operation)

    def place_column(self, ctx, table, name, place):
        """Move a column just added to `place`, where that takes more than the ADD COLUMN itself."""

    def planned_foreign_key(self, table, column, spec):
        """The foreign key a column of this field gets, named as Peewee names the one it adds."""
        from playhouse.migrate import _truncate_constraint_name

        from ..introspect import ForeignKey

        dest, dest_column = spec.referenced
        name = spec.get("constraint_name") or _truncate_constraint_name(f"fk_{table}_{column}_refs_{dest}")
        return ForeignKey(column, dest, dest_column, spec.get("on_delete"), spec.get("on_update"), name)

    def foreign_key_sql(self, table, column, spec):
        q = self.quote
        dest, dest_column = spec.referenced
        sql = (f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(spec.get('constraint_name'))} FOREIGN KEY ({q(column)}) "
               f"REFERENCES {q(dest)} ({q(dest_column)})")
        sql += f" ON DELETE {spec.get('on_delete')}" if spec.get("on_delete") else ""
        return sql + (f" ON UPDATE {spec.get('on_update')}" if spec.get("on_update") else "")

    def drop_foreign_key_sql(self, table, name, indexed=True):
        """The statements that drop a foreign key; `indexed`: whether an index of the table led by its column was
        there before the key was added (where adding a key makes one otherwise, it goes with the key)."""
        return [f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}"]

    def add_foreign_key(self, ctx, op, ref_columns):
        """add_foreign_key's constraint, by ALTER TABLE (`ref_columns`: the referenced columns, the key's when the
        operation names none)."""
        ctx.execute_sql(self.add_foreign_key_sql(op.table, op.key_name, op.columns, op.ref_table, ref_columns,
                                                 op.on_delete, op.on_update))

    def add_foreign_key_sql(self, table, name, columns, ref_table, ref_columns, on_delete=None, on_update=None):
        q = self.quote
        sql = (f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} FOREIGN KEY ({', '.join(map(q, columns))}) "
               f"REFERENCES {q(ref_table)} ({', '.join(map(q, ref_columns))})")
        sql += f" ON DELETE {on_delete}" if on_delete else ""
        return sql + (f" ON UPDATE {on_update}" if on_update else "")

    def drop_foreign_key(self, ctx, table, name, columns):
        """drop_foreign_key's constraint, found by its name (by its columns where the backend names none)."""
        for statement in self.drop_foreign_key_sql(table, name):
            ctx.execute_sql(statement)

    def foreign_key_definition(self, table, name, columns):
        """The key's own text as the backend keeps it in its table's text (SQLite), to give it back exactly; None
        where the backend keeps no such text."""
        return None

    def unique_column_sets(self, table):
        """The column sets of the table's UNIQUE constraints that its indexes as read leave out (SQLite keeps
        them in the table's text), for a foreign key to point to."""
        return []

    def compatible_key_types(self, column_type, referenced_type):
        """Whether the server accepts a foreign key from a column of one type to a column of the other (SQLite
        takes any)."""
        return True

    def add_index(self, ctx, op):
        if op.definition:
            ctx.execute_sql(op.definition)
        elif op.constraint:
            q = self.quote
            ctx.execute_sql(f"ALTER TABLE {q(op.table)} ADD CONSTRAINT {q(op.index_name)} "
                            f"UNIQUE ({', '.join(q(c) for c in op.columns)})")
        elif op.shaped:
            ctx.execute_sql(self.index_sql(op))
        else:
            ctx.run(self.migrator.add_index(op.table, op.column_names, op.unique, name=op.index_name))

    def index_sql(self, op):
        """CREATE INDEX for an index with an order, a WHERE or expressions: the columns, then each expression in
        parentheses of its own (which every backend reads as one key part), then the condition."""
        q = self.quote
        parts = [q(c["column"]) + (" DESC" if c["order"] == "desc" else "") if isinstance(c, dict) else q(c)
                 for c in op.columns] + [f"({e})" for e in op.expressions]
        return (f"CREATE {'UNIQUE ' if op.unique else ''}INDEX {q(op.index_name)} ON {q(op.table)} "
                f"({', '.join(parts)})" + (f" WHERE {op.where}" if op.where else ""))

    @classmethod
    def refuse_referential_action(cls, action, param, where=""):
        """SpecError (param `param`) where the backend cannot keep a foreign key's ON DELETE or ON UPDATE `action`
        (`where`: the column it is given for, in a field)."""

    def refuse_partial_index(self):
        """SpecError (param 'where') where the backend has no partial indexes."""

    def refuse_expression_index(self):
        """SpecError (param 'expressions') where the backend cannot index an expression."""

    def refuse_descending_index(self):
        """SpecError (param 'columns') where the backend would build a DESC column ascending."""

    def refuse_rename_index(self):
        """SpecError where the server cannot rename an index."""

    def unrenamable_index(self, table, name):
        """Why the index `name`, not one rename_index sees, cannot be renamed (a key's own), or None."""
        return None

    def in_column_definition(self, table, name):
        """(the column, CHECK or UNIQUE...) of a constraint `name` written inside a column's own definition in the
        table's text (SQLite), which the constraint actions cannot cut alone; None where there is none such."""
        return None

    def index_namespace(self):
        """{name: what it is} of the schema's objects other than tables and indexes whose names an index's name
        must not take (PostgreSQL: every relation of the schema), read in one query; {} where index names are
        apart from them."""
        return {}

    def unseen_index(self, table, name):
        """What the index `name` of `table` is when the migrator's reader leaves it out (the server's own index for a
        key or a constraint), and what to do instead of dropping or renaming it; None when there is none such."""
        return None

    def rename_index(self, ctx, table, old, new):
        ctx.execute_sql(f"ALTER INDEX {self.quote(old)} RENAME TO {self.quote(new)}")

    def indexes_as_asked(self, table, columns):
        """Whether add_index makes on these columns of `table` exactly the index asked for (MariaDB indexes a
        TEXT or BLOB column by a prefix of its own choosing)."""
        return True

    def drop_index(self, ctx, table, name):
        index = ctx.require_table(table).index(name)
        if index and index.constraint:
            ctx.execute_sql(f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}")
        else:
            ctx.run(self.migrator.drop_index(table, name))

    def drop_trigger(self, ctx, table, name):
        ctx.execute_sql(f"DROP TRIGGER {self.quote(name)}")

    def add_not_null(self, ctx, op):
        self.alter_column(ctx, op.table, op.column, null=False)

    def rename_column(self, ctx, table, old, new):
        ctx.run(self.migrator.rename_column(table, old, new))

    def rename_table(self, ctx, old, new):
        ctx.run(self.migrator.rename_table(old, new))

    def drop_table(self, ctx, table):
        ctx.run(self.migrator.drop_table(table))

    def drop_column(self, ctx, table, column, cascade):
        """Drop the column with its foreign key and every index that uses it; `table`: the Table as it is."""
        using = self.indexes_using(table, column)
        for index in using:
            self.drop_index(ctx, table.name, index.name)
        self._drop_column(ctx, ctx.require_table(table.name) if using else table, column, cascade)

    def _drop_column(self, ctx, table, column, cascade):
        # Written here, not by Peewee's migrator: it asks the server for the table's foreign keys each time.
        ctx.execute_sql(f"ALTER TABLE {self.quote(table.name)} DROP COLUMN {self.quote(column)}"
                        + (" CASCADE" if cascade else ""))

    def add_to_rebuild(self, ctx, table, column, spec, place=None):
        """Whether a new column went into a table rebuild already asked for, instead of being added now."""
        return False

    def added_column(self, ctx, table, name, spec):
        """The column add_column just added, as reading the table back would give it, or None when the table must
        be read again: the field made more than the column (an index, a key), or it went into a rebuild. A server
        reports a type in words of its own: the one column is read back, not the whole table."""
        makes_more = spec.type == "ForeignKeyField" or spec.get("index") or spec.get("unique") or spec.is_primary_key
        if makes_more:
            return None
        # A NULL-able column without a default is what the server made of its declared type alone: read once per
        # type in a run, the others like it are known.
        declared = spec.null and not spec.has("default") and self.type_sql(spec)
        if declared in self._reported:
            return replace(self._reported[declared], name=name)
        column = self.read_column(table, name)
        if declared and column is not None and not (column.primary_key or column.auto_increment):
            self._reported[declared] = column
        return column

    def catalog_digest(self):
        """A hash of the catalog text the whole schema is read from, where the backend keeps one (SQLite), else None:
        the same hash, the same schema (cache.py)."""
        return None

    def database_key(self):
        """What names this database in the cache (catalog_digest)."""
        return None

    def read_column(self, table, name):
        """One column of a table as read_table reads it, or None when there is no such column."""
        return None

    @abstractmethod
    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        """Change a column's type, nullability or default (UNSET: leave it; None: drop it)."""

    # -- keeping data for rollback ----------------------------------------------------
    def back_up(self, ctx, backup, table, columns, where=None):
        """Copy `columns` with the primary key (every column when there is no key or no columns) to `backup`, of
        the rows `where` (SQL) holds when given."""
        q = self.quote
        key = list(table.primary_key) if columns else []  # rollback matches rows on it: one lookup each, not a scan
        kept = ", ".join(q(c) for c in key + [c for c in columns if c not in key]) if key else "*"
        ctx.made_backups.append(backup)
        select = f"SELECT {kept} FROM {q(table.name)}" + (f" WHERE {where}" if where else "")
        self.make_backup(ctx, backup, self.backup_statements(backup, select, key))

    def make_backup(self, ctx, backup, statements):
        """Run the statements that make `backup`, in place of any table of that name a killed run left."""
        ctx.execute_sql(f"DROP TABLE IF EXISTS {self.quote(backup)}")
        for statement in statements:
            ctx.execute_sql(statement)

    def backup_statements(self, backup, select, key):
        """The statements that make the table `backup` of the rows `select` reads, unique on `key` (if any)."""
        q = self.quote
        made = [f"CREATE TABLE {q(backup)} AS {select}"]
        if key:
            made.append(f"CREATE UNIQUE INDEX {q(backup + '_key')} ON {q(backup)} ({', '.join(map(q, key))})")
        return made

    def restore(self, ctx, step):
        """Copy the kept values back; the backup is dropped once the whole unit has succeeded."""
        q = self.quote
        table, backup = q(step.table), q(step.backup)
        ctx.consumed_backups.append(step.backup)
        if step.key:
            ctx.execute_sql(self._update_from_backup(table, backup, step.columns, step.key))
        else:
            names = [c.name for c in ctx.require_table(step.backup).columns]
            ctx.execute_sql(f"DELETE FROM {table}")
            ctx.execute_sql(self.insert_select(step.table, names, f"SELECT {', '.join(map(q, names))} FROM {backup}"))
            self.after_rows_restored(ctx, ctx.require_table(step.table))

    def drop_backups(self, names):
        for name in dict.fromkeys(names):
            self.db.execute_sql(f"DROP TABLE IF EXISTS {self.quote(name)}")

    def _update_from_backup(self, table, backup, columns, key):
        q = self.quote
        values = ", ".join(f"{q(c)} = {backup}.{q(c)}" for c in columns)
        match = " AND ".join(f"{backup}.{q(k)} = {table}.{q(k)}" for k in key)
        return f"UPDATE {table} SET {values} FROM {backup} WHERE {match}"

    def after_rows_restored(self, ctx, table):
        """Rows came back with their keys; make the next generated key follow them."""

    def fill_nulls(self, ctx, table, column):
        """Give NULLs the column's default, or a placeholder of its type, so NOT NULL can come back without the
        data."""
        q = self.quote
        value = column.default if column.default is not None else self.placeholder(column.type)
        ctx.execute_sql(f"UPDATE {q(table)} SET {q(column.name)} = {value} WHERE {q(column.name)} IS NULL")

    def placeholder(self, type_text):
        """A value of the type for a row whose value was not kept: 0, '', 1970-01-01..."""
        kind = type_text.lower()
        if "bool" in kind:
            return self.literal(False)
        if any(word in kind for word in ("int", "dec", "num", "real", "float", "double", "serial")):
            return "0"
        if "timestamp" in kind or "datetime" in kind:
            return "'1970-01-01 00:00:00'"
        if "date" in kind:
            return "'1970-01-01'"
        return "'00:00:00'" if "time" in kind else "''"

    @contextmanager
    def reading_beside(self, holder):
        """Reads made while `holder` (another run, or None) holds the migration lock: a run stops no reader of a
        server's database."""
        yield

    @contextmanager
    def migration_context(self):
        yield

    # -- a table's rows ---------------------------------------------------------------------------------------
    def estimated_rows(self, table):
        """The table's rows, for a fill's progress: the catalog's estimate, counted where it has none."""
        return self.catalog_rows(table) or self.rows(table)

    def rows(self, table):
        """The table's rows, counted."""
        return self.db.execute_sql(f"SELECT COUNT(*) FROM {self.quote(table)}").fetchone()[0]

    def rows_past(self, table, limit):
        """The table's rows when at most `limit`, else limit + 1: counted, reading no more rows than that."""
        return self.db.execute_sql(f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.quote(table)} LIMIT {int(limit) + 1}) "
                                   "AS counted").fetchone()[0]

    # -- backfill ---------------------------------------------------------------------------------------------
    @abstractmethod
    def update_some(self, table, assignment, where, limit):
        """An UPDATE of at most `limit` of the rows `where` holds for, in a table without a primary key."""

    # -- a live database: locks and the safe forms ------------------------------------------------------------
    @contextmanager
    def operation_statements(self, ctx):
        """Around an operation's apply, where the backend asks for more than its statements say (MySQL/MariaDB:
        an online algorithm, refusing to copy a large table)."""
        yield

    refuses_large_copies = False  # an operation lint rates a copy of a large table is refused before a run

    def runs_outside_transaction(self, ctx, operation):
        """Whether `operation` runs as steps of its own, each committed (PostgreSQL's CONCURRENTLY, NOT VALID then
        VALIDATE; a fill in batches): then its version is journaled operation by operation, as where DDL is not
        transactional, and the operation's own steps open their transactions with `step_transaction`."""
        return False

    @contextmanager
    def step_transaction(self, ctx):
        """A transaction of one journaled step, waiting for locks no longer than the run's lock wait."""
        with self.db.atomic():
            self.wait_for_locks(ctx.settings.lock_wait, local=True)
            yield

    def clear_leftovers(self, ctx, undo):
        """Take away what an operation killed part way left that its undo, `undo`, does not (PostgreSQL: an invalid
        index of a concurrent build), before `repair` weighs that undo."""

    def wait_for_locks(self, seconds, local=False, run=False):
        """Make a statement that cannot have its lock within `seconds` fail (in the current transaction only, with
        `local`), instead of queueing behind the lock's holder while every later query waits behind it. `seconds`
        None puts back the session's own value. `run`: for a whole command, within which the session keeps it."""

    def error_text(self, error):
        """A database error's message, its first line."""
        text = str(error).strip() or type(error).__name__
        return text.splitlines()[0]

    def lock_not_had(self, error):
        """Whether a database error is a statement giving up on a lock after the lock wait."""
        return False

    def lock_holders(self, tables):
        """The other sessions that hold locks on `tables`, each described for a message (pid, user, what it runs)."""
        return []

    # -- what an operation costs a live database (safety.py: lint, plan) -----------------------------------------
    ratings = {}  # action -> rating where nothing else decides it; an action of its own has a _rate_<action>

    def rate(self, operation, table):
        """The Rating of `operation` as migrator runs it on this server; `table` is the live table it works on
        (None: a pending operation makes it)."""
        from ..safety import Rating

        special = getattr(self, f"_rate_{operation.action}", None)
        return special(operation, table) if special else Rating(self.ratings.get(operation.action))

    def catalog_rows(self, table):
        """The catalog's estimate of the table's rows, or None when it has none."""
        return None

    @contextmanager
    def batch(self):
        """Around a run of versions, each of which is atomic by itself."""
        yield

    def run_deferred(self, ctx, operation=None):
        """Run the work deferred so far (in ctx.deferred), unless `operation`, the next one, can share it (None:
        the version's end). Only a backend with transactional DDL may defer work: where a version is journaled
        operation by operation, each operation's DDL must have run when the next journal entry is written."""

    @abstractmethod
    def scratch_space(self, settings, name, copy=True):
        """A context manager for `verify` (and, empty, `copy` False, for replaying spec files): (the scratch
        settings, a label, whether it already holds the data). On the servers it starts empty either way."""

    def goes_with_column(self, table, check):
        """Whether a check is part of one column's own definition, dropped and restored with it."""
        return False

    def as_written(self, sql):
        """A statement without parameters as the driver must be given it to run it as written."""
        return sql

    def reach(self, source):
        """In verify's scratch space: let SQL copied from `source` find what stays there (functions)."""

    def view_sql(self, name, sql):
        """The statement that creates the view `name` of `sql` (as views() gives it) in verify's scratch space."""
        return f"CREATE VIEW {self.quote(name)} AS {sql}"

    def insert_select(self, table, columns, select):
        return f"INSERT INTO {self.quote(table)} ({', '.join(self.quote(c) for c in columns)}) {select}"

    @contextmanager
    def foreign_key_checks_off(self, ctx, off=True):
        """Rows that held their keys come back in any order (where the backend checks each row as it comes)."""
        yield

    def fresh_connection(self):
        """A new connection to the same database, apart from the one a run may have left mid-transaction."""
        from ..database import separate

        return separate(self.db)

    def clean_up(self, sql):
        """Run a clean-up statement on a connection of its own, Ctrl-C held back until it is done."""
        with uninterrupted():
            connection = self.fresh_connection()
            try:
                connection.execute_sql(sql)
            finally:
                connection.close()

    @abstractmethod
    def qualified(self, table):
        """The table's name as another schema or database of the same server reaches it."""

    def shown_url(self):
        """The database as a URL to show, made from the Database itself: never with its password."""
        from ..config import mask_url

        name, params = str(self.db.database), self.db.connect_params
        if "://" in name:  # PostgreSQL takes a whole connection URL as the database
            return mask_url(name)
        user = f"{params['user']}@" if params.get("user") else ""
        port = f":{params['port']}" if params.get("port") else ""
        return f"{self.scheme}://{user}{params.get('host') or ''}{port}/{name}"

    def use_schema(self, schema):
        raise SpecError(f"--schema is for PostgreSQL; on {self.name} put the tables in a database of their own")

    # -- a fleet (fleet.py) ---------------------------------------------------------------
    connections_per_run = 2  # a run's own connection and its lock's (locks.py)
    fleet_parallel = 4  # targets at a time unless told: a run on a server mostly waits for it

    @classmethod
    def databases_named(cls, url):
        """The database URLs `url` names: itself (an SQLite pattern or folder names each file)."""
        return [url]

    default_port = None

    @classmethod
    def server_of(cls, url):
        """What names the server of `url` (whose connections a fleet shares), or None (a file)."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return cls.name, parts.hostname, parts.port or cls.default_port

    @classmethod
    def identity(cls, url):
        """What names the database of `url`, however the URL is written."""
        from urllib.parse import urlsplit

        return cls.server_of(url), urlsplit(url).path.strip("/")

    tenant_kind = None  # what a tenant has of its own on this server (--all-schemas): a schema, a database

    @classmethod
    def listing_url(cls, url):
        """The URL to connect to for listing the server's tenants (tenant_spaces)."""
        return url

    @classmethod
    def refuse_without_tenants(cls):
        if cls.tenant_kind is None:
            raise SpecError("--all-schemas is for PostgreSQL (a schema per tenant) and MySQL/MariaDB (a database "
                            "per tenant); for SQLite files give --targets 'sqlite:///folder/*.db'")

    def tenant_spaces(self):
        """The names of the tenant spaces on this server (--all-schemas), sorted; migrator's own scratch spaces
        and the server's own left out."""
        raise NotImplementedError

    @classmethod
    def tenant_target(cls, url, name):
        """(database URL, schema) of the tenant space `name` listed by tenant_spaces on the server of `url`."""
        raise NotImplementedError

    def connection_room(self):
        """How many more connections the server takes now (its limit less those in use and those it keeps for
        its administrators), or None where there is no such limit."""
        return None

    def check_integrity(self, ctx, version):
        """Called before a version commits."""


@contextmanager
def uninterrupted():
    """Hold Ctrl-C back while cleaning up, so that a second one cannot leave the clean-up half done; one pressed
    meanwhile interrupts once the clean-up is done."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda *_: pressed.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed and previous is signal.default_int_handler:
        raise KeyboardInterrupt


def _model_for(db, table, columns, primary_key, referenced):
    """A Peewee model for create_table, so that keys, types and index names follow Peewee: a foreign key takes
    the type of the column it points to (`referenced(spec)` finds it), `primary_key` is Meta.primary_key."""
    import peewee

    attribute = {name: name if name.isidentifier() and not hasattr(peewee.Model, name) else f"column_{position}"
                 for position, (name, _) in enumerate(columns)}
    attrs = {}
    for name, spec in columns:
        field = _self_reference(spec, attribute) if spec.referenced and spec.referenced[0] == table else \
            spec.build(referenced(spec))
        field.column_name = name
        attrs[attribute[name]] = field
    meta = {"database": db, "table_name": table, "legacy_table_names": False}
    if primary_key is False:
        meta["primary_key"] = False
    elif primary_key and len(primary_key) > 1:
        meta["primary_key"] = peewee.CompositeKey(*(attribute[c] for c in primary_key))
    elif primary_key:
        attrs[attribute[primary_key[0]]].primary_key = True
    attrs["Meta"] = type("Meta", (), meta)
    return type(f"Create_{table}", (peewee.Model,), attrs)


def _self_reference(spec, attribute):
    """A foreign key to the table being created: Peewee's 'self', pointing at the field of that column."""
    import peewee

    params = {k: v for k, v in spec.params if k not in ("model", "field")}
    column = spec.get("field", "id")
    return peewee.ForeignKeyField("self", field=attribute.get(column, column), backref="+", **params)


def driver_error(error):
    """The driver's own exception behind a Peewee one (raised while handling it)."""
    cause = error.__cause__ or error.__context__
    return cause if cause is not None and type(cause).__module__ != "peewee" else error


def session_text(pid, user, origin, state, seconds, query):
    """One session holding a lock, for a message; `origin`: where it comes from, in words ("program psql")."""
    who = ", ".join(part for part in (f"user {user}" if user else "", origin) if part)
    doing = f"{state or 'busy'}{f' for {seconds:.0f} s' if seconds is not None else ''}"
    query = " ".join((query or "").split())
    shown = f": {query[:80]}{'...' if len(query) > 80 else ''}" if query else ""
    return f"session {pid} ({who}; {doing}{shown})" if who else f"session {pid} ({doing}{shown})"
