"""One class per action: its parameters, how it applies, and how its inverse is derived.

An inverse is itself a list of operations in the spec format, computed from the live
schema just before the operation runs, so rollback replays what was really there.
"""
from abc import ABC, abstractmethod
from dataclasses import MISSING, dataclass, field as dc_field, fields, replace

from .backfill import literal_problem
from .code import load_function, raised
from .errors import OperationFailed, SpecError
from .fields import FieldSpec
from .introspect import Check, Column, ForeignKey, Index, Table
from .preflight import ColumnShape, DataProblem, InvalidSql, Probe, Problem, TableShape


def action_class(cls):
    """An action's class: a frozen dataclass whose ==, hash() and repr() are Operation's, made once from its fields.
    (dataclass writes each method it makes as text and compiles it: for 29 classes, half of what importing this
    module costs each run.)"""
    return dataclass(frozen=True, eq=False, repr=False)(cls)


@action_class
class Operation(ABC):
    """An action of a spec, with its parameters."""
    checked_when_run = False  # its preflight check is made again just before it runs, on the data as it is then
    opaque = False  # what it does to the schema is not known before it runs (SQL, the application's code)
    own_transaction = False  # it runs in a transaction of its own where DDL is not transactional
    fills_in_batches = False  # it gives rows a value in batches, each committed by itself (backfill.py)

    action = None  # each action's class names its action (class attributes, not annotated: not fields)
    column_param = None  # the spelling written back for one-column actions
    # In a stored inverse, the version's operation the step undoes, {"operation": index, "action": ...}, as
    # recorded since 0.2 (None before, and in spec files); set by `undoing`, not a field: no part of what it does.
    undoes = None
    # Every action's: why an operation that blocks writes on a large table is accepted (`lint`, MariaDB's copy),
    # kept in the history; and whether PostgreSQL's safe form (CONCURRENTLY, NOT VALID then VALIDATE) is used.
    unsafe_ok: str | None = dc_field(default=None, kw_only=True)
    online: bool = dc_field(default=True, kw_only=True)

    def _values(self):
        return tuple(getattr(self, f.name) for f in fields(self))

    def __eq__(self, other):
        return self._values() == other._values() if other.__class__ is self.__class__ else NotImplemented

    def __hash__(self):
        return hash(self._values())

    def __repr__(self):
        return f"{self.__class__.__qualname__}({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in fields(self))})"

    @property
    def runs_as(self):
        """The operations it runs as, each rated by itself (safety.py): itself, unless it is several in one."""
        return (self,)

    @classmethod
    def from_dict(cls, data):
        data = {k: v for k, v in data.items() if k != "action"}
        if cls.column_param:
            data["column"] = data.pop("column", None) or data.pop("column_name", None)
        return cls(**{f.name: _load(f.name, data[f.name]) for f in fields(cls) if f.name in data})

    def to_dict(self):
        out = {"action": self.action}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or f.default is not MISSING and value == f.default:
                continue
            name = self.column_param if f.name == "column" and self.column_param else f.name
            out[name] = _dump(value)
        return out

    def check(self):
        """Static checks that need no database."""

    def check_here(self, dialect):
        """The checks that need to know where it will run (`dialect`, a Dialect or its class), made before anything
        runs; SpecError when it cannot run there."""

    def shown_in_plan(self):
        """What `plan` says runs, where it cannot show SQL; None when the SQL shows it."""
        return None

    def touches(self):
        """The tables whose definition this operation can change; None when that is not known."""
        return (self.table,)

    def simulate(self, shape):
        """Check this operation's preconditions against the planned schema, then change it."""

    def changed_tables(self, ctx, before):
        """The tables this operation changed, as it left them, told from `before` (each touched table as it was,
        or None if not read) without reading them; a table left out is read again when next needed."""
        return {}

    def planned_tables(self, ctx, before):
        """As `changed_tables`, where SQL is generated without running it (`plan` on MySQL/MariaDB): the tables as the
        operation would leave them, types in Peewee's words where the server's own are not known."""
        return self.changed_tables(ctx, before)

    @abstractmethod
    def inverse(self, ctx):
        """The operations that undo this one, read from the live schema just before it runs."""

    @abstractmethod
    def apply(self, ctx):
        """Run it."""


def _fill_done(ctx):
    """(the last key filled, the rows done) by the killed run the operation running goes on from: (None, 0) when
    it is not resumed, or its fill had committed no batch."""
    fill = (ctx.resumed or {}).get("fill")
    if fill and fill.get("operation") == ctx.position.index:
        return fill.get("after"), fill.get("done", 0)
    return None, 0


def _probe_fill(shape, table, fill):
    """A fill's SQL expression must run against the table (where it exists already)."""
    live = isinstance(fill, dict) and shape.live_table(table)
    if live:
        try:
            shape.probe.fill_sql(live, fill["expression"])
        except InvalidSql as invalid:
            raise Problem(f"parameter '{invalid.param}': {invalid}") from None


def _refuse_field_actions(dialect, field, column, param):
    """A ForeignKeyField's on_delete and on_update the backend cannot keep: SpecError (param `param`)."""
    if field.referenced:
        for action in ("on_delete", "on_update"):
            try:
                dialect.refuse_referential_action(field.get(action), action, f" (column {column})")
            except SpecError as refused:
                raise SpecError(refused.reason, param=param) from None


def _with_column(table, name, **changes):
    """{table name: the table with the column changed}, for `planned`; nothing when the table is not known."""
    if table is None:
        return {}
    return {table.name: replace(table, columns=tuple(replace(c, **changes) if c.name == name else c
                                                     for c in table.columns))}


def _load(name, value):
    if name == "field":
        return FieldSpec.parse(value)
    if name == "columns" and isinstance(value, dict):
        return tuple((column, FieldSpec.parse(spec)) for column, spec in value.items())
    if name in ("columns", "sql", "down", "key", "primary_key", "definition", "indexes", "required",
                "expressions", "ref_columns") and isinstance(value, list):
        return tuple(value)
    if name in ("sql", "down") and isinstance(value, str):
        return (value,)
    if name in ("sql", "down") and isinstance(value, dict):  # statements per backend
        return {key: _load(name, statements) for key, statements in value.items()}
    return value


def _dump(value):
    if isinstance(value, FieldSpec):
        return value.to_json()
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return {name: spec.to_json() for name, spec in value}
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {key: _dump(item) for key, item in value.items()}
    return value


@action_class
class AddColumn(Operation):
    """add_column: its inverse drops the column."""
    action = "add_column"
    column_param = "column_name"
    table: str
    column: str
    field: FieldSpec
    after: str | None = None  # the column it is placed after (SQLite, MySQL/MariaDB); last when not given
    first: bool = False  # placed first
    # in stored inverses: the column as its table's text had it (MySQL/MariaDB); on SQLite, with the text of
    # the table constraints that go with it (its FOREIGN KEY)
    definition: str | tuple | None = None
    fill: object = None  # the existing rows' value: a JSON literal or {"expression": SQL} (backfill.py)

    @property
    def fills_in_batches(self):
        return self.fill is not None

    def check(self):
        if not self.field.null and not self.field.has("default") and not self.field.is_primary_key \
                and self.fill is None:
            raise SpecError(f"column '{self.column}' is NOT NULL without a default or a fill, so existing rows would "
                            "have no value: add null=True, a default or a fill", param="field")
        if self.field.is_primary_key:
            raise SpecError("add_column cannot add a primary key; use create_table", param="field")
        if self.after and self.first:
            raise SpecError("give 'after' or 'first', not both", param="after")
        for name, value, param in (("fill", self.fill, "fill"), ("default", self.field.get("default"), "field")):
            expected = value is not None and not isinstance(value, dict) and \
                literal_problem(self.field.type, value, self.field.get("max_length"), strict=True)
            if expected:  # the default, too, is what every row already there gets
                raise SpecError(f"{name} {_json(value)} is not {expected}, as {self.field.type} needs", param=param)

    def check_here(self, dialect):
        _refuse_field_actions(dialect, self.field, self.column, "field")

    @property
    def place(self):
        """None (last), ("first",) or ("after", column)."""
        return ("first",) if self.first else ("after", self.after) if self.after else None

    def simulate(self, shape):
        shape.absent_column(self.table, self.column)
        if self.after:
            shape.column(self.table, self.after)
        if self.place and not shape.places_columns():
            raise Problem(f"{shape.backend} can only add a column last; leave out 'after' and 'first'")
        if self.field.referenced:
            shape.referred("field", *self.field.referenced)
            shape.table(self.table).point(self.column, self.field.referenced)
        _probe_fill(shape, self.table, self.fill)
        empty = self.field.null and self.field.get("default") is None and self.fill is None
        shape.table(self.table).columns[self.column] = ColumnShape(self.field.null, None, empty=empty)
        shape.table(self.table).indexes.update(field_index(self.table, self.column, self.field))

    def inverse(self, ctx):
        return [DropColumn(self.table, self.column)]

    def apply(self, ctx):
        if self.fill is None:
            ctx.dialect.add_column(ctx, self.table, self.column, self.field, self.place, self.definition)
            return
        # Added NULL-able, filled batch by batch, then made NOT NULL: no long statement holds the table
        if ctx.resumed is None or ctx.column(self.table, self.column) is None:  # a killed run may have added it
            with ctx.dialect.step_transaction(ctx):
                ctx.dialect.add_column(ctx, self.table, self.column, self.field.replace(null=True), self.place)
        self.continue_fill(ctx, *_fill_done(ctx))

    @property
    def as_added(self):
        """The column as a fill adds it: NULL-able, made NOT NULL after the fill."""
        return replace(self, field=self.field.replace(null=True), fill=None)

    @property
    def runs_as(self):
        if self.fill is None or self.field.null:
            return (self,)
        # as apply runs it: added NULL-able (the fill's batches hold no lock), then made NOT NULL
        return self.as_added, AddNotNull(self.table, self.column, online=self.online)

    def continue_fill(self, ctx, after=None, done=0):
        """The fill and what follows it, from the key after `after` (where a killed run's last batch ended)."""
        from .backfill import fill

        fill(ctx, self.table, self.column, self.fill, after, done)
        if self.field.null:
            return
        if not ctx.executing:  # SQL generated only (plan): NOT NULL is planned on the column as added
            for name, table in self.as_added.planned_tables(ctx, {self.table: ctx.table(self.table)}).items():
                ctx.schema.put(name, table)
        AddNotNull(self.table, self.column, online=self.online).continue_fill(ctx)  # a new column: nothing to keep

    def changed_tables(self, ctx, before):
        table = before[self.table]
        # (a column added as written, `definition`, may carry more than the column: the table is read again)
        column = table and not self.place and not self.definition and \
            ctx.dialect.added_column(ctx, self.table, self.column, self.field)
        return {self.table: replace(table, columns=table.columns + (column,))} if column else {}

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        column = Column(self.column, ctx.dialect.type_sql(self.field, ctx.referenced(self.field)), self.field.null,
                        None)
        names = [c.name for c in table.columns]
        at = 0 if self.first else names.index(self.after) + 1 if self.after in names else len(names)
        columns = table.columns[:at] + (column,) + table.columns[at:]
        keys = table.foreign_keys + ((ctx.dialect.planned_foreign_key(self.table, self.column, self.field),)
                                     if self.field.referenced else ())
        return {self.table: replace(table, columns=columns, foreign_keys=keys)}


@action_class
class DropColumn(Operation):
    """drop_column: its inverse adds the column back as it was, with its data where any was kept."""
    action = "drop_column"
    column_param = "column_name"
    table: str
    column: str
    cascade: bool = False
    backup: bool | None = None

    def simulate(self, shape):
        shape.column(self.table, self.column)
        key = shape.table(self.table).key
        if self.column in key:  # found in the live database, as a data problem is
            raise DataProblem(f"{self.table}.{self.column} is {'part of ' if len(key) > 1 else ''}the primary key "
                              f"({', '.join(key)}): rollback could not match the rows to give the key back. Drop or "
                              "change the key first (with an sql operation)")
        shape.refuse_dependents(f"{self.table}.{self.column}", shape.dependents(self.table, self.column),
                                "dropping the column would break or lose them")
        shape.note_dropped(self.table, self.column)
        table = shape.table(self.table)
        del table.columns[self.column]
        for name in [n for n, (cols, _) in table.indexes.items() if self.column in cols]:
            del table.indexes[name]
        table.uniques = {n: cols for n, cols in table.uniques.items() if self.column not in cols}
        table.pointing = {k: pointed for k, pointed in table.pointing.items() if pointed[0] != self.column}

    def inverse(self, ctx):
        """The column back where it was, with its type, foreign key, values, default, NOT NULL and every index
        that used it."""
        table = ctx.table(self.table)
        column = table and table.column(self.column)
        if column is None:
            return []
        field = ctx.dialect.field_for(column, table.foreign_key(self.column)).replace(null=True)
        text = ctx.dialect.column_text(table, self.column) if ctx.executing else None  # a planned table has none
        add = AddColumn(self.table, self.column, field, definition=text, **ctx.dialect.place_of(table, self.column))
        if not ctx.keeps_backup(self):
            restore = [add, DataNotKept(self.table, (self.column,))]
        elif self._holds_values(ctx, column):
            restore = [add, _restore(ctx, table, (self.column,), required=True)]
        else:
            restore = [add]  # it comes back as it was: NULL in every row
        if column.default is not None and not text:  # the column's text has its default and NOT NULL
            restore.append(AddDefault(self.table, self.column, ctx.dialect.default_value(column.default)))
        if not column.null and not text:
            restore.append(AddNotNull(self.table, self.column, placeholder=True))  # rows added since have no kept value
        return restore + [add_index_of(self.table, i, ctx.dialect.index_definition(table, i))
                          for i in ctx.dialect.indexes_using(table, self.column)]

    def apply(self, ctx):
        table = ctx.require_table(self.table)  # as it is, before the backup's statements (which do not change it)
        if ctx.keeps_backup(self) and self._holds_values(ctx, table.column(self.column)):
            ctx.dialect.back_up(ctx, ctx.backup_name(), table, (self.column,))
        ctx.dialect.drop_column(ctx, table, self.column, self.cascade)

    def _holds_values(self, ctx, column):
        """Whether the column may hold values to keep: not a NULL-able column without a default that is NULL in
        every row, which comes back as it was without a backup table (a column added and never filled, say).
        Asked once per run of the operation, so that its inverse and its apply agree."""
        if column is None or not column.null or column.default is not None or not ctx.executing \
                or self.table in ctx.deferred:  # (a table rebuild to come may still bring values)
            return True
        return ctx.answer("holds values", lambda: Probe(ctx.db, ctx.dialect).has_values(self.table, self.column))

    def changed_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        gone = {i.name for i in ctx.dialect.indexes_using(table, self.column)}  # an expression index, say
        narrower = table.without_column(self.column)
        return {self.table: replace(narrower, indexes=tuple(i for i in narrower.indexes if i.name not in gone))}


@action_class
class RenameColumn(Operation):
    """rename_column: its inverse renames it back."""
    action = "rename_column"
    table: str
    old_name: str
    new_name: str

    def simulate(self, shape):
        shape.column(self.table, self.old_name)
        shape.absent_column(self.table, self.new_name)
        shape.refuse_dependents(f"{self.table}.{self.old_name}", shape.stale_after_rename(self.table, self.old_name),
                                f"{shape.backend} does not rename the column in them")
        shape.column_renamed(self.table, self.old_name, self.new_name)

    def inverse(self, ctx):
        return [RenameColumn(self.table, self.new_name, self.old_name)]

    def apply(self, ctx):
        ctx.dialect.rename_column(ctx, self.table, self.old_name, self.new_name)

    def changed_tables(self, ctx, before):
        table = before[self.table]
        pointing = {name: replace(other, foreign_keys=tuple(
                        replace(f, dest_column=self.new_name) if (f.dest_table, f.dest_column) == (self.table,
                                                                                                  self.old_name)
                        else f for f in other.foreign_keys))
                    for name, other in ctx.schema.cached().items()
                    if name != self.table and any((f.dest_table, f.dest_column) == (self.table, self.old_name)
                                                  for f in other.foreign_keys)}
        if table is None or table.checks or table.triggers or any(i.definition for i in table.indexes):
            return pointing  # their SQL names the column too, as the backend rewrote it: read the table again
        return {**pointing, self.table: table.with_column_renamed(self.old_name, self.new_name)}


@action_class
class AddNotNull(Operation):
    """add_not_null: its inverse makes the column nullable again."""
    action = "add_not_null"
    column_param = "column"
    table: str
    column: str
    fill: object = None  # the value of the rows that are NULL: a JSON literal or {"expression": SQL} (backfill.py)
    # In stored inverses only (written `"fill": true` there, as since 0.2): give NULLs (values not kept) a
    # placeholder first
    placeholder: bool = False

    @property
    def fills_in_batches(self):
        return self.fill is not None

    def to_dict(self):
        out = super().to_dict()
        return {("fill" if key == "placeholder" else key): value for key, value in out.items()}

    def simulate(self, shape):
        column = shape.column(self.table, self.column)
        _probe_fill(shape, self.table, self.fill)
        self._refuse_literal_of_another_type(shape, column)
        live = shape.live(column)
        filled = self.placeholder or self.fill is not None or shape.accept_loss
        nulls = live and not filled and shape.probe.nulls(live[0], live[1][0])
        if nulls:
            raise DataProblem(f"{self.table}.{self.column} has {nulls} NULL {_rows(nulls)} (give --accept-loss to give "
                              "them the column's default, or a placeholder: 0, '', 1970-01-01)")
        column.null = False

    def _refuse_literal_of_another_type(self, shape, column):
        """The column's type is known from the live schema only: a literal fill must fit it."""
        if self.fill is None or isinstance(self.fill, dict) or not (column.type and shape.dialect):
            return
        field = shape.dialect.field_for(Column(self.column, column.type, True, None), None)
        expected = literal_problem(field.type, self.fill, field.get("max_length"))
        if expected:
            raise Problem(f"parameter 'fill': {_json(self.fill)} is not {expected}, as {self.table}.{self.column} "
                          f"({column.type}) needs")

    def inverse(self, ctx):
        """NULLs allowed again; and where it gives the NULLs a value, they are put back (the rows were kept)."""
        column = ctx.column(self.table, self.column)
        kept = self._kept_by_killed_run(ctx)
        if not (column and column.null or kept):
            return []
        if not (self._gives_nulls_values(ctx) or kept):
            return [DropNotNull(self.table, self.column)]
        table = ctx.require_table(self.table)
        nulls = _restore(ctx, table, (self.column,)) if ctx.keeps_backup(self) or kept else \
            DataNotKept(self.table, (self.column,))
        return [DropNotNull(self.table, self.column), nulls]

    def apply(self, ctx):
        if ctx.keeps_backup(self) and self._gives_nulls_values(ctx) and not self._kept_by_killed_run(ctx):
            self._keep_nulls(ctx)
        self.continue_fill(ctx, *_fill_done(ctx))

    def _gives_nulls_values(self, ctx):
        """Whether the rows whose column is NULL get a value: a fill, the placeholder, --accept-loss."""
        column = ctx.column(self.table, self.column)
        filled = self.fill is not None or self.placeholder or ctx.accept_loss
        return bool(filled and column and column.null)

    def _kept_by_killed_run(self, ctx):
        """Whether a killed run this one goes on from kept the NULL rows already (some may be filled since)."""
        return bool(ctx.resumed) and ctx.table(ctx.backup_name()) is not None

    def _keep_nulls(self, ctx):
        """The keys of the rows whose column is NULL, in a backup committed before the first batch (a table without
        a key: all its rows, which rollback puts back whole, as other backups of such tables)."""
        table = ctx.require_table(self.table)
        nulls = f"{ctx.dialect.quote(self.column)} IS NULL" if table.primary_key else None
        with ctx.dialect.step_transaction(ctx):
            ctx.dialect.back_up(ctx, ctx.backup_name(), table, (self.column,), where=nulls)

    def continue_fill(self, ctx, after=None, done=0):
        """The fill (if any) and NOT NULL, from the key after `after` (where a killed run's last batch ended)."""
        if self.fill is not None:
            from .backfill import fill

            fill(ctx, self.table, self.column, self.fill, after, done)
        if self.placeholder or ctx.accept_loss:
            ctx.dialect.fill_nulls(ctx, self.table, ctx.require_column(self.table, self.column))
        ctx.dialect.add_not_null(ctx, self)

    def planned_tables(self, ctx, before):
        return _with_column(before[self.table], self.column, null=False)


@action_class
class DropNotNull(Operation):
    """drop_not_null: its inverse makes the column NOT NULL again."""
    action = "drop_not_null"
    column_param = "column"
    table: str
    column: str

    def simulate(self, shape):
        shape.column(self.table, self.column).null = True

    def inverse(self, ctx):
        column = ctx.column(self.table, self.column)
        return [AddNotNull(self.table, self.column)] if column and not column.null else []

    def apply(self, ctx):
        ctx.dialect.alter_column(ctx, self.table, self.column, null=True)

    def planned_tables(self, ctx, before):
        return _with_column(before[self.table], self.column, null=True)


@action_class
class RenameTable(Operation):
    """rename_table: its inverse renames it back."""
    action = "rename_table"
    old_name: str
    new_name: str

    def simulate(self, shape):
        shape.table(self.old_name)
        shape.absent_table(self.new_name)
        shape.refuse_dependents(self.old_name, shape.stale_after_rename(self.old_name),
                                f"{shape.backend} does not rename the table in them")
        shape.table_renamed(self.old_name, self.new_name)

    def touches(self):
        return (self.old_name, self.new_name)

    def inverse(self, ctx):
        return [RenameTable(self.new_name, self.old_name)]

    def apply(self, ctx):
        ctx.dialect.rename_table(ctx, self.old_name, self.new_name)

    def changed_tables(self, ctx, before):
        """Foreign keys elsewhere that point to the table now name its new name (every backend renames them)."""
        return {name: replace(table, foreign_keys=tuple(replace(f, dest_table=self.new_name)
                                                        if f.dest_table == self.old_name else f
                                                        for f in table.foreign_keys))
                for name, table in ctx.schema.cached().items()
                if name not in (self.old_name, self.new_name) and any(f.dest_table == self.old_name
                                                                       for f in table.foreign_keys)}

    def planned_tables(self, ctx, before):
        table = before[self.old_name]
        moved = {self.old_name: None, self.new_name: replace(table, name=self.new_name)} if table else {}
        return {**self.changed_tables(ctx, before), **moved}


@action_class
class AddIndex(Operation):
    """add_index: its inverse drops the index."""
    action = "add_index"
    table: str
    columns: tuple = ()  # names, or {"column": name, "order": "asc"/"desc"}
    unique: bool = False
    name: str | None = None
    definition: str | None = None  # in stored inverses: the backend's own SQL for an index add_index cannot make
    constraint: bool = False  # in stored inverses: a UNIQUE constraint's index, restored as the constraint
    where: str | None = None  # SQL: a partial index of the rows it holds for
    expressions: tuple = ()  # SQL expressions indexed after the columns

    def check(self):
        if not self.columns and not self.expressions:
            raise SpecError("give 'columns', 'expressions' or both: what the index is on", param="columns")
        if self.where is not None and not self.where.strip():
            raise SpecError("an empty condition: give the SQL condition of the rows to index, or leave out 'where'",
                            param="where")
        if any(not e.strip() for e in self.expressions):
            raise SpecError("an empty expression: each is the SQL of a value to index", param="expressions")
        if self.expressions and not self.name:
            # Peewee names an index after its columns and cannot name one on SQL expressions (ModelIndex)
            raise SpecError("an index on expressions needs a 'name'", param="name")
        names = self.column_names
        repeated = sorted({c for c in names if names.count(c) > 1})
        if repeated:
            raise SpecError(f"column {repeated[0]} is given twice", param="columns")

    def check_here(self, dialect):
        if isinstance(dialect, type):
            return  # which server it is, of which version, is known once connected
        if self.where:
            dialect.refuse_partial_index()
        if self.expressions:
            dialect.refuse_expression_index()
        if self.descending:
            dialect.refuse_descending_index()

    @property
    def column_names(self):
        return tuple(c["column"] if isinstance(c, dict) else c for c in self.columns)

    @property
    def descending(self):
        return tuple(c["column"] for c in self.columns if isinstance(c, dict) and c["order"] == "desc")

    @property
    def shaped(self):
        """Whether it is more than an index on plain columns: an order, a WHERE or expressions, written as SQL."""
        return bool(self.descending or self.where or self.expressions)

    @property
    def index_name(self):
        from playhouse.migrate import make_index_name

        return self.name or make_index_name(self.table, self.column_names)

    def simulate(self, shape):
        columns = self.simulate_columns(shape)
        name = kept_name(self.index_name, shape.dialect)
        owner = shape.index_table(name, self.table)
        if owner:
            raise Problem(f"an index named {name} already exists (on {owner})")
        shape.refuse_taken_relation_name(name)
        if self.where or self.expressions:
            self._probe_sql(shape)
        elif self.unique and columns:
            self._refuse_duplicates(shape, columns)
        shape.table(self.table).indexes[name] = (self.column_names, self.unique)

    def _refuse_duplicates(self, shape, columns):
        live = shape.live(*columns)
        duplicates = live and shape.probe.duplicates(*live)
        if duplicates:
            raise DataProblem(f"{self.table} has {duplicates} duplicated {_values(duplicates)} of "
                              f"({', '.join(self.column_names)}), so a unique index cannot be built")

    def _probe_sql(self, shape):
        """With the table's data at hand: the expressions and condition must be valid SQL on it, and a unique
        index must find no duplicated values among the rows it covers."""
        table = shape.table(self.table)
        if not shape.probe or any(c.origin != (self.table, name) for name, c in table.columns.items()):
            return  # the table is not in the database as the plan has it yet: checked as it runs
        try:
            duplicates = shape.probe.expression_duplicates(self.table, self.column_names, self.expressions,
                                                            self.where, self.unique)
        except InvalidSql as invalid:
            raise Problem(f"parameter '{invalid.param}': {invalid}") from None
        if duplicates:
            what = ", ".join(self.column_names + self.expressions)
            rows = f" among the rows where {self.where}" if self.where else ""
            raise DataProblem(f"{self.table} has {duplicates} duplicated {_values(duplicates)} of ({what}){rows}, "
                              "so a unique index cannot be built")

    def simulate_columns(self, shape):
        return [shape.column(self.table, c) for c in self.column_names] if not self.definition else []

    def inverse(self, ctx):
        return [DropIndex(self.table, kept_name(self.index_name, ctx.dialect))]

    def apply(self, ctx):
        ctx.dialect.add_index(ctx, self)

    def changed_tables(self, ctx, before):
        table = before[self.table]
        if self.shaped or table is None or not self.definition and not ctx.dialect.indexes_as_asked(table,
                                                                                                   self.column_names):
            return {}  # read again: the server chose part of the index, or has its own text of it
        index = Index(kept_name(self.index_name, ctx.dialect), self.column_names, bool(self.unique), self.definition,
                      self.constraint)
        return {self.table: replace(table, indexes=table.indexes + (index,))}

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if not self.shaped or table is None:
            return self.changed_tables(ctx, before)
        index = Index(kept_name(self.index_name, ctx.dialect), self.column_names, bool(self.unique),
                      ctx.dialect.index_sql(self))
        return {self.table: replace(table, indexes=table.indexes + (index,))}


@action_class
class DropIndex(Operation):
    """drop_index: its inverse creates the index again as it was."""
    action = "drop_index"
    table: str
    index_name: str

    def simulate(self, shape):
        if self.index_name not in shape.table(self.table).indexes:
            raise Problem(_no_index(shape, self.table, self.index_name, "drop"))
        del shape.table(self.table).indexes[self.index_name]

    def inverse(self, ctx):
        table = ctx.table(self.table)
        index = table and table.index(self.index_name)
        return [add_index_of(self.table, index, ctx.dialect.index_definition(table, index))] if index else []

    def apply(self, ctx):
        ctx.dialect.drop_index(ctx, self.table, self.index_name)

    def changed_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        return {self.table: replace(table, indexes=tuple(i for i in table.indexes if i.name != self.index_name))}


def _no_index(shape, table, name, verb):
    """Why the table has no index `name` to drop or rename, as the plan has the table."""
    if name in shape.table(table).uniques:
        where = " (SQLite keeps it in the table's text, not as an index)" if shape.dialect and \
            shape.dialect.uniques_in_table_text else ""
        instead = "use drop_unique" if verb == "drop" else "drop_unique it and add_unique it under the new name"
        return f"{name} is a UNIQUE constraint of {table}{where}, not an index: {instead}"
    why = shape.dialect and not shape.opaque and shape.dialect.unseen_index(table, name)
    return f"{name} {why}" if why else f"table {table} has no index {name}"


@action_class
class RenameIndex(Operation):
    """rename_index: its inverse renames it back."""
    action = "rename_index"
    table: str
    old_name: str
    new_name: str

    def simulate(self, shape):
        table = shape.table(self.table)
        if self.old_name not in table.indexes:
            why = shape.dialect and shape.dialect.unrenamable_index(self.table, self.old_name)
            raise Problem(f"{self.old_name} {why}" if why else _no_index(shape, self.table, self.old_name, "rename"))
        owner = shape.index_table(self.new_name, self.table)
        if owner:
            raise Problem(f"an index named {self.new_name} already exists (on {owner})")
        shape.refuse_taken_relation_name(self.new_name)
        table.indexes[self.new_name] = table.indexes.pop(self.old_name)
        if self.old_name in table.uniques:  # a UNIQUE constraint's index: the constraint is renamed with it
            table.uniques[self.new_name] = table.uniques.pop(self.old_name)

    def check_here(self, dialect):
        if not isinstance(dialect, type):  # which server it is, of which version, is known once connected
            dialect.refuse_rename_index()

    def inverse(self, ctx):
        return [RenameIndex(self.table, self.new_name, self.old_name)]

    def apply(self, ctx):
        ctx.dialect.rename_index(ctx, self.table, self.old_name, self.new_name)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        return {self.table: replace(table, indexes=tuple(replace(i, name=self.new_name) if i.name == self.old_name
                                                         else i for i in table.indexes))}


@action_class
class CreateTable(Operation):
    """create_table: its inverse drops the table."""
    action = "create_table"
    table: str
    columns: tuple  # (name, FieldSpec) pairs, in order
    primary_key: tuple | bool | None = None  # Peewee's Meta.primary_key: the key's columns, or False for none
    definition: tuple | None = None  # in stored inverses: the backend's own SQL that re-creates the table exactly
    indexes: tuple = ()  # in stored inverses: the indexes that definition makes too (MySQL/MariaDB)

    def check(self):
        keys = [name for name, spec in self.columns if spec.is_primary_key]
        if len(keys) > 1:
            raise SpecError(f"more than one primary key ({', '.join(keys)}): give a composite key as "
                            "\"primary_key\": [...]", param="columns")
        if keys and self.primary_key is not None:
            raise SpecError(f"{keys[0]} is a primary key already; give the key in one place", param="primary_key")
        names = {name for name, _ in self.columns}
        for name in self.primary_key or ():
            if name not in names:
                raise SpecError(f"'{name}' is not one of the table's columns", param="primary_key")

    def check_here(self, dialect):
        for name, spec in self.columns:
            _refuse_field_actions(dialect, spec, name, "columns")

    @property
    def implicit_id(self):
        """Whether Peewee adds its `id` AutoField: no column is a key and no key is given."""
        return self.primary_key is None and not any(spec.is_primary_key for _, spec in self.columns)

    @property
    def key(self):
        """The primary key's columns, in the key's order."""
        return ("id",) if self.implicit_id else tuple(self.primary_key or ()) or tuple(
            name for name, spec in self.columns if spec.is_primary_key)

    def simulate(self, shape):
        shape.absent_table(self.table)
        for _, spec in self.columns:
            if spec.referenced and spec.referenced[0] != self.table:
                shape.referred("columns", *spec.referenced)
        columns = {"id": ColumnShape(False, None)} if self.implicit_id else {}
        columns.update({name: ColumnShape(spec.null, None) for name, spec in self.columns})
        table = shape.tables[self.table] = TableShape(columns, {name: ((), False) for name in self.indexes},
                                                      key=self.key)
        for name, spec in self.columns:
            if spec.referenced:
                table.point(name, spec.referenced)
            if not self.definition:
                table.indexes.update(field_index(self.table, name, spec))

    def inverse(self, ctx):
        return [DropTable(self.table)]

    def apply(self, ctx):
        ctx.dialect.create_table(ctx, self)

    def planned_tables(self, ctx, before):
        key = self.key
        columns = [Column("id", ctx.dialect.type_sql(FieldSpec.make("AutoField")), False, None, True, True)
                   ] if self.implicit_id else []
        columns += [Column(name, ctx.dialect.type_sql(spec, ctx.referenced(spec)), spec.null and name not in key,
                           None, name in key, spec.is_primary_key and spec.type.endswith("AutoField"))
                    for name, spec in self.columns]
        keys = tuple(ctx.dialect.planned_foreign_key(self.table, name, spec) for name, spec in self.columns
                     if spec.referenced)
        return {self.table: Table(self.table, tuple(columns), (), keys, key=tuple(self.primary_key or ()))}


def kept_name(name, dialect):
    """A name as the server keeps it: Peewee's names may be 64 characters long, and PostgreSQL keeps the first 63
    of a longer one, as it does for Peewee's own (None: the backend is not known yet)."""
    limit = dialect and dialect.longest_name
    return name[:limit] if limit else name


def field_index(table, column, spec):
    """The index Peewee makes for a field (index=True, unique=True, a foreign key), as {name: (columns, unique)}."""
    unique = bool(spec.get("unique"))
    if spec.is_primary_key or not (unique or spec.get("index", spec.type == "ForeignKeyField")):
        return {}
    from playhouse.migrate import make_index_name

    return {make_index_name(table, [column]): ((column,), unique)}


@action_class
class DropTable(Operation):
    """drop_table: its inverse creates the table again as it was, with its rows where kept."""
    action = "drop_table"
    table: str
    backup: bool | None = None

    def simulate(self, shape):
        shape.table(self.table)
        shape.refuse_dependents(self.table, shape.dependents(self.table), "dropping the table would break them")
        shape.note_dropped(self.table)
        del shape.tables[self.table]

    def inverse(self, ctx):
        """The table as it was, from the backend's own definition of it; its rows; then its triggers."""
        table = ctx.table(self.table)
        if table is None:
            return []
        data = _restore(ctx, table, ()) if ctx.keeps_backup(self) else DataNotKept(self.table, ())
        create, after_rows = recreation(ctx.dialect, table, from_catalog=ctx.executing)
        return [create, data, *after_rows]

    def apply(self, ctx):
        if ctx.keeps_backup(self):
            ctx.dialect.back_up(ctx, ctx.backup_name(), ctx.require_table(self.table), ())
        ctx.dialect.drop_table(ctx, self.table)

    def planned_tables(self, ctx, before):
        return {self.table: None}


@action_class
class AlterColumnType(Operation):
    """alter_column_type: its inverse gives the column its type back."""
    action = "alter_column_type"
    column_param = "column"
    table: str
    column: str
    field: FieldSpec
    backup: bool | None = None

    def check(self):
        if self.field.is_primary_key or self.field.type == "ForeignKeyField":
            raise SpecError("alter_column_type changes a type; it cannot make a key", param="field")

    def simulate(self, shape):
        column = shape.column(self.table, self.column)
        if shape.dialect and not shape.dialect.retypes_viewed_columns:
            shape.refuse_dependents(f"{self.table}.{self.column}", shape.viewing(self.table, self.column),
                                    f"{shape.backend} cannot change the type of a column a view uses")
        if shape.dialect and not shape.dialect.retypes_referenced_keys:
            shape.refuse_dependents(f"{self.table}.{self.column}", shape.pointing_to(self.table, self.column),
                                    f"{shape.backend} cannot change the type of a key a foreign key points to")
        live = shape.live(column)
        problem, lossy = live and shape.probe.unconvertible(live[0], live[1][0], self.field) or (None, False)
        if problem and not (lossy and shape.accept_loss):
            cuts = not shape.dialect or shape.dialect.cuts_long_values
            hint = "cut them short" if cuts else f"go ahead: {shape.backend} keeps them as they are"
            raise DataProblem(f"{self.table}.{self.column} {problem}"
                              + (f" (give --accept-loss to {hint})" if lossy else ""))
        if live and not shape.accept_loss:
            self._refuse_changed_values(shape, live, column.type)
        nulls = live and self.field.has("null") and not self.field.null and shape.probe.nulls(live[0], live[1][0])
        if nulls:
            raise DataProblem(f"{self.table}.{self.column} has {nulls} NULL rows, and the type would be NOT NULL")
        if self.field.has("null"):
            column.null = self.field.null
        column.type = None

    def _refuse_changed_values(self, shape, live, old_type):
        try:
            changed = old_type and shape.probe.changed_by(live[0], live[1][0], old_type, self.field)
        except DataProblem as refused:
            raise DataProblem(f"{self.table}.{self.column} {refused}") from None
        if changed:
            raise DataProblem(f"{self.table}.{self.column} has {changed} {_values(changed)} that {self.field.type} "
                              "would store differently (rounded, cut short or out of range): they would be lost. "
                              "Change them first, or give --accept-loss")

    def inverse(self, ctx):
        table = ctx.table(self.table)
        column = table and table.column(self.column)
        if column is None:
            return []
        before = ctx.dialect.field_for(column, None).replace(null=column.null)
        data = _restore(ctx, table, (self.column,)) if ctx.keeps_backup(self) else DataNotKept(self.table, ())
        # PostgreSQL writes a check on the column anew for the new type (qty::numeric > 0::numeric): give it back
        # as it was written
        checks = [RestoreCheck(self.table, c.name, c.expression) for c in table.checks
                  if ctx.dialect.mentions(c.expression, self.column)]
        return [AlterColumnType(self.table, self.column, before), data] + checks

    def apply(self, ctx):
        if ctx.keeps_backup(self):
            ctx.dialect.back_up(ctx, ctx.backup_name(), ctx.require_table(self.table), (self.column,))
        null = self.field.null if self.field.has("null") else None
        ctx.dialect.alter_column(ctx, self.table, self.column, type=self.field, null=null)

    def planned_tables(self, ctx, before):
        changes = {"type": ctx.dialect.type_sql(self.field)}
        changes.update({"null": self.field.null} if self.field.has("null") else {})
        return _with_column(before[self.table], self.column, **changes)


@action_class
class AddDefault(Operation):
    """add_default: its inverse puts back the default there was, or drops it."""
    action = "add_default"
    column_param = "column"
    table: str
    column: str
    default: object

    def simulate(self, shape):
        shape.column(self.table, self.column)

    def inverse(self, ctx):
        return _restore_default(ctx, self.table, self.column)

    def apply(self, ctx):
        ctx.dialect.alter_column(ctx, self.table, self.column, default=self.default)

    def planned_tables(self, ctx, before):
        return _with_column(before[self.table], self.column, default=ctx.dialect.literal(self.default))


@action_class
class DropDefault(Operation):
    """drop_default: its inverse sets the default again."""
    action = "drop_default"
    column_param = "column"
    table: str
    column: str

    def simulate(self, shape):
        shape.column(self.table, self.column)

    def inverse(self, ctx):
        return _restore_default(ctx, self.table, self.column)

    def apply(self, ctx):
        ctx.dialect.alter_column(ctx, self.table, self.column, default=None)

    def planned_tables(self, ctx, before):
        return _with_column(before[self.table], self.column, default=None)


def _restore_default(ctx, table, column_name):
    column = ctx.column(table, column_name)
    if column is None:
        return []
    if column.default is None:
        return [DropDefault(table, column_name)]
    return [AddDefault(table, column_name, ctx.dialect.default_value(column.default))]


@action_class
class Sql(Operation):
    """sql: its inverse is its `down`, when it has one."""
    action = "sql"
    opaque = True
    sql: tuple | dict  # the statements, or {backend's key: its statements}
    down: tuple | dict | None = None

    def check(self):
        for param in ("sql", "down"):
            _refuse_one_backend_twice(getattr(self, param), param)
        if isinstance(self.sql, dict) and isinstance(self.down, dict):
            lacking = [key for key, statements in self.sql.items()  # an empty list runs nothing: nothing to undo
                       if statements and _statements_for(self.down, _backend_keys(key)) is None]
            if lacking:
                raise SpecError(f"'down' has no statements for {', '.join(map(repr, lacking))}, which 'sql' has: a "
                                f"rollback there would find none (give 'down' every backend of 'sql', or leave "
                                "'down' out: the version is then irreversible)", param="down")

    def check_here(self, dialect):
        for param in ("sql", "down"):
            if param == "down" and self.statements("sql", dialect) == ():
                continue  # nothing runs here, so nothing is undone here
            if self.statements(param, dialect) is None and getattr(self, param) is not None:
                raise SpecError(f"no statements for {dialect.label}, where this runs: add a '{dialect.sql_keys[0]}' "
                                f"entry to '{param}'", param=param)

    def statements(self, param, dialect):
        """The statements of `param` ('sql' or 'down') that run on `dialect`'s backend (None: none given)."""
        return _statements_for(getattr(self, param), dialect.sql_keys)

    def simulate(self, shape):
        shape.opaque = True  # what SQL does to the schema is not known before it runs

    def touches(self):
        return None

    def inverse(self, ctx):
        self.check_here(ctx.dialect)
        if self.statements("sql", ctx.dialect) == ():
            return []  # an empty list: nothing runs on this backend, so nothing is to be undone
        if self.down is None:
            return [_irreversible(ctx, "sql")]
        # the statements of this backend only: the rollback needs neither the file nor the other backends'
        return [Sql(self.statements("down", ctx.dialect), self.statements("sql", ctx.dialect))]

    def apply(self, ctx):
        import peewee

        self.check_here(ctx.dialect)
        for number, statement in enumerate(self.statements("sql", ctx.dialect)):
            try:
                ctx.execute_sql(statement)
            except peewee.PeeweeException as error:
                if not number or ctx.dialect.transactional_ddl:
                    raise
                # what ran before commits by itself where DDL does: no inverse is known for part of an sql operation
                raise OperationFailed(f"statement {number + 1} failed: {str(error).strip().splitlines()[0]}",
                                      statements_left=number) from None


def _irreversible(ctx, action):
    """The stored step of an operation without `down`, said as the version is applied, not first at rollback."""
    ctx.notes.append(f"operation {ctx.position.index} ({action}) has no 'down': this version cannot be rolled back")
    return Irreversible(f"operation {ctx.position.index} ({action}) is {'an' if action == 'sql' else 'a'} {action} "
                        "operation without 'down'")


def _statements_for(value, keys):
    """The statements for the backend `keys` name, of a value given for every backend or per backend."""
    if not isinstance(value, dict):
        return value
    return next((statements for key, statements in value.items() if key in keys), None)


def _backend_keys(key):
    from .dialects import sql_keys

    return sql_keys()[key]


def _refuse_one_backend_twice(value, param):
    if not isinstance(value, dict):
        return
    for key in value:
        twice = [other for other in _backend_keys(key) if other in value]
        if len(twice) > 1:
            raise SpecError(f"{' and '.join(map(repr, twice))} name the same backend: give one of them", param=param)


@action_class
class Python(Operation):
    """A data migration in the application's own code: `up` ("package.module:function") is called with the run's
    Peewee database, inside the version's transaction where DDL is transactional, and in a transaction of its own
    otherwise; `down` undoes it."""
    action = "python"
    opaque = True
    own_transaction = True
    up: str
    down: str | None = None

    @classmethod
    def from_dict(cls, data):
        own = {name: data[name] for name in ("unsafe_ok", "online") if name in data}
        return cls(data["up"], data.get("down"), **own)  # names as written (an sql operation's `down` is statements)

    def check_here(self, dialect):
        for param in ("up", "down"):
            path = getattr(self, param)
            if path is not None:
                try:
                    load_function(path)
                except SpecError as error:
                    raise SpecError(error.reason, param=param) from None

    def shown_in_plan(self):
        return f"python {self.up}"

    def simulate(self, shape):
        shape.opaque = True  # what the code does is not known before it runs

    def touches(self):
        return None

    def inverse(self, ctx):
        if self.down is None:
            return [_irreversible(ctx, "python")]
        return [Python(self.down, self.up)]  # names, not code: the module is imported again when it runs

    def apply(self, ctx):
        if ctx.planning:
            return  # application code is not run to show a plan
        function = load_function(self.up)
        try:
            with ctx.db.atomic():  # undone by itself where the version's DDL cannot be
                function(ctx.db)
        except Exception as error:  # the application's own code: any error it raises fails the version
            raise OperationFailed(f"{self.up} raised {raised(error)}") from None
        finally:
            ctx.schema.forget()  # it may have changed any table
@action_class
class AddCheck(Operation):
    """add_check: its inverse drops the constraint."""
    action = "add_check"
    table: str
    name: str
    expression: str  # the spec's `check` (which would hide Operation.check): an SQL expression, as written
    definition: str | None = None  # in stored inverses: the constraint's own text in its table's (SQLite)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        if "check" in data:
            data["expression"] = data.pop("check")
        return super().from_dict(data)

    def to_dict(self):
        return {("check" if key == "expression" else key): value for key, value in super().to_dict().items()}

    def check(self):
        # The preflight runs the expression in a count: it must be one expression, not statements after it.
        from .dialects import ANY_BACKEND_SQL
        from .sqltext import TokenError, tokens

        try:
            statements = any(t.token_type.name == "SEMICOLON" for t in tokens(self.expression, ANY_BACKEND_SQL))
        except TokenError:
            return  # not readable here: the database says what is wrong with it
        if statements:
            raise SpecError("a check is one SQL expression, without ';'", param="check")

    def simulate(self, shape):
        table = shape.table(self.table)
        refused = shape.dialect and shape.dialect.unenforced_check()
        if refused:
            raise Problem(refused)
        if self.name in table.checks or self.name in table.uniques or f"constraint {self.name}" in table.objects:
            raise Problem(f"table {self.table} already has a constraint named {self.name}")
        quoted = shape.dialect and shape.dialect.strings_naming_columns(self.expression, table.columns)
        if quoted:
            raise Problem(f"parameter 'check': {shape.backend} reads \"{quoted[0]}\" as a string, not as the column "
                          f"{quoted[0]}: write it as `{quoted[0]}` or {quoted[0]} there (an sql operation per backend "
                          "can give each its own quoting)")
        live, planned = shape.live_table(self.table), None
        if live is None:  # columns the plan renamed or added: the rows as the plan has them
            live, planned = shape.rows_as_planned(self.table) or (None, None)
        try:
            violating = live and shape.probe.violating(live, self.expression, planned)
        except Problem as cannot:
            raise Problem(f"parameter 'check': check {self.name} {cannot}") from None
        if violating:
            raise DataProblem(f"{self.table} has {violating} {_rows(violating)} that "
                              f"{'violates' if violating == 1 else 'violate'} check {self.name} ({self.expression}): "
                              "change or delete them first")
        table.checks[self.name] = self.expression
        table.objects[f"constraint {self.name}"] = shape.names_in(self.expression)

    def inverse(self, ctx):
        return [DropCheck(self.table, self.name)]

    def apply(self, ctx):
        ctx.dialect.add_check(ctx, self)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        return {self.table: replace(table, checks=table.checks + (Check(self.name, self.expression),))}


@action_class
class DropCheck(Operation):
    """drop_check: its inverse adds the constraint back as the backend had it."""
    action = "drop_check"
    table: str
    name: str

    def simulate(self, shape):
        table = shape.table(self.table)
        if self.name not in table.checks:
            _refuse_in_column_definition(shape, self.table, self.name, self.action)
            raise Problem(f"table {self.table} has no check constraint {self.name}")
        del table.checks[self.name]
        table.objects.pop(f"constraint {self.name}", None)

    def inverse(self, ctx):
        table = ctx.table(self.table)
        check = table and next((c for c in table.checks if c.name == self.name), None)
        if check is None:
            return []
        definition = ctx.dialect.constraint_text(table, self.name) if ctx.executing else None
        return [AddCheck(self.table, self.name, ctx.dialect.check_expression(check), definition)]

    def apply(self, ctx):
        ctx.dialect.drop_check(ctx, self.table, self.name)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        return {self.table: replace(table, checks=tuple(c for c in table.checks if c.name != self.name))}


@action_class
class AddUnique(Operation):
    """add_unique: its inverse drops the constraint."""
    action = "add_unique"
    table: str
    columns: tuple
    name: str | None = None  # Peewee's name for an index on the columns otherwise (make_index_name)
    definition: str | None = None  # in stored inverses: the constraint's own text in its table's (SQLite)

    @property
    def constraint_name(self):
        from playhouse.migrate import make_index_name

        return self.name or make_index_name(self.table, self.columns)

    def simulate(self, shape):
        columns = [shape.column(self.table, c) for c in self.columns]
        name = kept_name(self.constraint_name, shape.dialect)
        shape.absent_constraint(self.table, name)
        live = shape.live(*columns)
        duplicates = live and shape.probe.duplicates(*live)
        if duplicates:
            raise DataProblem(f"{self.table} has {duplicates} duplicated {_values(duplicates)} of "
                              f"({', '.join(self.columns)}), so unique constraint {name} cannot be "
                              "added: change or delete those rows first")
        shape.add_unique(self.table, name, tuple(self.columns))

    def inverse(self, ctx):
        return [DropUnique(self.table, kept_name(self.constraint_name, ctx.dialect))]

    def apply(self, ctx):
        ctx.dialect.add_unique(ctx, self)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        return {self.table: ctx.dialect.with_unique(table, kept_name(self.constraint_name, ctx.dialect),
                                                    tuple(self.columns))}
REFERENTIAL_ACTIONS = ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT")


@action_class
class AddForeignKey(Operation):
    """add_foreign_key: its inverse drops the foreign key."""
    action = "add_foreign_key"
    table: str
    columns: tuple
    ref_table: str
    ref_columns: tuple | None = None  # the referenced table's primary key when not given
    on_delete: str | None = None
    on_update: str | None = None
    name: str | None = None  # Peewee's fk_<table>_<columns>_refs_<ref_table> when not given
    definition: str | None = None  # in stored inverses: the key's own text in its table's text (SQLite)

    def check(self):
        if len(set(self.columns)) != len(self.columns):
            raise SpecError("a column is named twice", param="columns")
        if self.ref_columns is not None and len(self.ref_columns) != len(self.columns):
            raise SpecError(f"{len(self.columns)} columns refer to {len(self.ref_columns)} referenced columns: give "
                            "as many of each", param="ref_columns")
        for param in ("on_delete", "on_update"):
            if getattr(self, param) and getattr(self, param) not in REFERENTIAL_ACTIONS:
                raise SpecError(f"'{getattr(self, param)}' is not one of {', '.join(REFERENTIAL_ACTIONS)}",
                                param=param)

    def check_here(self, dialect):
        for param in ("on_delete", "on_update"):
            dialect.refuse_referential_action(getattr(self, param), param)

    @property
    def key_name(self):
        from playhouse.migrate import _truncate_constraint_name

        return self.name or _truncate_constraint_name(
            f"fk_{self.table}_{'_'.join(self.columns)}_refs_{self.ref_table}")

    def simulate(self, shape):
        table = shape.table(self.table)
        columns = [shape.column(self.table, c) for c in self.columns]
        referenced = shape.referred("ref_table", self.ref_table)
        ref_columns = self.ref_columns or referenced.key
        if not ref_columns:
            raise Problem(f"table {self.ref_table} has no primary key: give ref_columns")
        if len(ref_columns) != len(self.columns):
            raise Problem(f"{', '.join(self.columns)} cannot refer to the key of {self.ref_table} "
                          f"({', '.join(ref_columns)}): give as many columns as the key has, or ref_columns")
        targets = [shape.referred("ref_columns", self.ref_table, c) for c in ref_columns]
        if set(ref_columns) not in referenced.unique_sets() and not self._unique_live(shape, targets):
            raise Problem(f"{_columns_text(self.ref_table, ref_columns)} is neither the primary key nor unique: "
                          f"{shape.backend} refuses a foreign key to it. Add a unique index on it first")
        name = kept_name(self.key_name, shape.dialect)
        owner = self._owner_of_name(shape, name)
        if owner:
            raise Problem(f"table {owner} has a foreign key named {name} already")
        same = table.key_entries(columns=self.columns)
        if same and [p[1:] for p in same.values()] == [(self.ref_table, c) for c in ref_columns]:
            # as a dependent is: what stands in the way is in the database (exit 1 everywhere, validate too)
            raise DataProblem(f"{_columns_text(self.table, self.columns)} has a foreign key to "
                              f"{_columns_text(self.ref_table, ref_columns)} already ({next(iter(same))})")
        self._refuse_other_types(shape, columns, targets, ref_columns)
        self._refuse_orphans(shape, columns, targets, ref_columns)
        table.point_key(name, self.columns, self.ref_table, ref_columns)

    def _owner_of_name(self, shape, name):
        """The table with a foreign key of this key's name where it would clash: this table, or any table where
        the backend names foreign keys per schema."""
        per_schema = shape.dialect is not None and shape.dialect.foreign_key_names_per_schema
        tables = list(shape.tables) if per_schema else [self.table]
        return next((t for t in tables if shape.tables[t].key_entries(name)), None)

    @staticmethod
    def _unique_live(shape, targets):
        """Whether the referenced columns, as the live table names them, are a UNIQUE constraint the shape does
        not hold (SQLite keeps those in the table's text only)."""
        live = shape.dialect and shape.live(*targets)
        return bool(live) and set(live[1]) in shape.dialect.unique_column_sets(live[0])

    def _refuse_other_types(self, shape, columns, targets, ref_columns):
        for name, column, ref_name, target in zip(self.columns, columns, ref_columns, targets):
            known = shape.dialect and column.type and target.type
            if known and not shape.dialect.compatible_key_types(column.type, target.type):
                raise Problem(f"{self.table}.{name} is {column.type} and {self.ref_table}.{ref_name} is "
                              f"{target.type}: {shape.backend} refuses a foreign key between these types")

    def _refuse_orphans(self, shape, columns, targets, ref_columns):
        live, ref_live = shape.live(*columns), shape.live(*targets)
        if not (live and ref_live):
            return
        count, values = shape.probe.orphans(*live, *ref_live)
        if count:
            where = _columns_text(self.table, self.columns)
            shown = ", ".join(str(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
            raise DataProblem(f"{where}: {count} {_rows(count)} {'points' if count == 1 else 'point'} to no row of "
                              f"{_columns_text(self.ref_table, ref_columns)} ({_values(len(values))} {shown}). Delete "
                              "them or set them to NULL first")

    def inverse(self, ctx):
        return [DropForeignKey(self.table, kept_name(self.key_name, ctx.dialect))]

    def apply(self, ctx):
        ref_columns = self.ref_columns or ctx.require_table(self.ref_table).primary_key
        ctx.dialect.add_foreign_key(ctx, self, ref_columns)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        referenced = ctx.table(self.ref_table)
        if table is None or referenced is None:
            return {}
        ref_columns = self.ref_columns or referenced.primary_key
        name = kept_name(self.key_name, ctx.dialect)
        added = tuple(ForeignKey(c, self.ref_table, rc, self.on_delete, self.on_update, name)
                      for c, rc in zip(self.columns, ref_columns))
        return {self.table: replace(table, foreign_keys=table.foreign_keys + added)}


@action_class
class DropForeignKey(Operation):
    """drop_foreign_key: its inverse adds the foreign key back as it was."""
    action = "drop_foreign_key"
    table: str
    name: str | None = None
    columns: tuple | None = None

    def check(self):
        if (self.name is None) == (self.columns is None):
            raise SpecError("give the key's 'name' or its 'columns', not both", param="name")

    def simulate(self, shape):
        table = shape.table(self.table)
        if self.name is None:
            _refuse_ambiguous_columns(self.table, self.columns, table.keys_over(self.columns))
        entries = table.key_entries(self.name, self.columns)
        if not entries:
            which = f"named {self.name}" if self.name else f"on ({', '.join(self.columns)})"
            raise Problem(f"table {self.table} has no foreign key {which}")
        for entry in entries:
            del table.pointing[entry]

    def inverse(self, ctx):
        table = ctx.table(self.table)
        keys = table and foreign_key_named(table, self.name, self.columns)
        if not keys:
            return []
        first = keys[0]
        definition = ctx.dialect.foreign_key_definition(table, first.name, tuple(k.column for k in keys)) \
            if ctx.executing else None
        return [AddForeignKey(self.table, tuple(k.column for k in keys), first.dest_table,
                              tuple(k.dest_column for k in keys), first.on_delete, first.on_update, first.name,
                              definition)]

    def apply(self, ctx):
        table = ctx.require_table(self.table)
        if self.name is None:
            try:
                _refuse_ambiguous_columns(self.table, self.columns, _key_names_over(table, self.columns))
            except Problem as ambiguous:
                raise OperationFailed(str(ambiguous)) from None
        keys = foreign_key_named(table, self.name, self.columns)
        if not keys:
            which = f"named {self.name}" if self.name else f"on ({', '.join(self.columns)})"
            raise OperationFailed(f"table {self.table} has no foreign key {which}")
        ctx.dialect.drop_foreign_key(ctx, self.table, keys[0].name, tuple(k.column for k in keys))

    def planned_tables(self, ctx, before):
        table = before[self.table]
        if table is None:
            return {}
        gone = set(foreign_key_named(table, self.name, self.columns))
        return {self.table: replace(table, foreign_keys=tuple(f for f in table.foreign_keys if f not in gone))}


@action_class
class DropUnique(Operation):
    """drop_unique: its inverse adds the constraint back over the same columns."""
    action = "drop_unique"
    table: str
    name: str

    def simulate(self, shape):
        table = shape.table(self.table)
        if self.name not in table.uniques:
            _refuse_in_column_definition(shape, self.table, self.name, self.action)
            raise Problem(f"table {self.table} has no unique constraint {self.name}"
                          + (" (it is a unique index: use drop_index)" if self.name in table.indexes else ""))
        columns = table.uniques[self.name]
        if set(columns) != set(table.key):
            shape.refuse_dependents(f"unique constraint {self.name}", shape.keys_pointing_to(self.table, columns),
                                    "a foreign key needs a unique key on the columns it points to")
        shape.drop_unique(self.table, self.name)

    def inverse(self, ctx):
        table = ctx.table(self.table)
        columns = table and ctx.dialect.unique_constraints(table).get(self.name)
        if columns is None:
            return []
        definition = ctx.dialect.constraint_text(table, self.name) if ctx.executing else None
        return [AddUnique(self.table, tuple(columns), self.name, definition)]

    def apply(self, ctx):
        ctx.dialect.drop_unique(ctx, self.table, self.name)

    def planned_tables(self, ctx, before):
        table = before[self.table]
        return {self.table: ctx.dialect.without_unique(table, self.name)} if table else {}


def _refuse_ambiguous_columns(table, columns, names):
    """Problem when more than one foreign key of the table is over exactly `columns` (`names`: theirs)."""
    if len(names) > 1:
        raise Problem(f"table {table} has {len(names)} foreign keys on ({', '.join(columns)}): "
                      f"{', '.join(str(n) for n in names)}. Give the key's 'name' instead of 'columns', to say "
                      "which to drop")


def _key_names_over(table, columns):
    keys = {}
    for position, key in enumerate(table.foreign_keys):
        keys.setdefault(key.name or position, []).append(key.column)
    return [name for name, over in keys.items() if tuple(over) == tuple(columns)]


def _refuse_in_column_definition(shape, table, name, action):
    """Problem when the constraint `name` is written inside a column's own definition (SQLite's table text)."""
    inside = shape.dialect and not shape.opaque and shape.live_table(table) and \
        shape.dialect.in_column_definition(table, name)
    if inside:
        raise Problem(f"{name} is a {inside[1]} constraint written in column {inside[0]}'s own definition (in the "
                      f"table's text), not a table constraint: {action} cannot cut it from the column alone. Rebuild "
                      "the table with an sql operation")


def foreign_key_named(table, name=None, columns=None):
    """The entries of the table's foreign key named `name`, or over exactly `columns` (one per column, in the
    key's order); [] when there is none."""
    keys = {}
    for position, key in enumerate(table.foreign_keys):
        keys.setdefault(key.name or position, []).append(key)  # a key without a name has one column
    if name is not None:
        return keys.get(name, [])
    return next((found for found in keys.values() if tuple(k.column for k in found) == tuple(columns)), [])


def _columns_text(table, columns):
    return f"{table}.{columns[0]}" if len(columns) == 1 else f"{table}.({', '.join(columns)})"


def _restore(ctx, table, columns, required=False):
    """The step that puts back what a backup of `columns` (every column when empty) kept. `required`: the columns
    come back (a dropped column), and a row added since has no value of them unless a default gives one."""
    key = table.primary_key
    needed = tuple(c.name for c in table.columns if c.name in columns and not c.null and c.default is None)
    return RestoreData(table.name, columns, ctx.backup_name(), key if columns else (),
                       needed if key and required else ())


def _json(value):
    import json

    return json.dumps(value)


def _values(count):
    return "value" if count == 1 else "values"


def _rows(count):
    return "row" if count == 1 else "rows"


def recreation(dialect, table, from_catalog=True):
    """How to re-create a table exactly: its create_table, then the steps that follow its rows (its indexes, then
    its triggers). Shared by drop_table's inverse and `verify`'s copy."""
    create, indexes = dialect.recreate(table, from_catalog)
    return create, indexes + [AddTrigger(table.name, g.name, g.definition) for g in table.triggers]


def add_index_of(table, index, definition):
    """The add_index that re-creates an index exactly as it is (from `definition`, when add_index cannot)."""
    return AddIndex(table, index.columns, index.unique, index.name, definition, index.constraint)


@action_class
class RestoreCheck(Operation):
    """In stored inverses: a CHECK constraint written again as it was, where the backend rewrote it."""
    action = "restore_check"
    table: str
    name: str
    check: str  # as the backend reported it

    def inverse(self, ctx):
        return []

    def apply(self, ctx):
        found = next((c for c in ctx.require_table(self.table).checks if c.name == self.name), None)
        if found and found.expression != self.check:
            ctx.dialect.replace_check(ctx, self.table, self.name, self.check)


@action_class
class AddTrigger(Operation):
    """In stored inverses: re-create a trigger from the backend's own definition of it."""
    action = "add_trigger"
    table: str
    name: str
    definition: str

    def inverse(self, ctx):
        return [DropTrigger(self.table, self.name)]

    def apply(self, ctx):
        ctx.execute_sql(self.definition)


@action_class
class DropTrigger(Operation):
    """In stored inverses: the undo of add_trigger."""
    action = "drop_trigger"
    table: str
    name: str

    def inverse(self, ctx):
        table = ctx.table(self.table)
        trigger = table and next((g for g in table.triggers if g.name == self.name), None)
        return [AddTrigger(self.table, self.name, trigger.definition)] if trigger else []

    def apply(self, ctx):
        ctx.dialect.drop_trigger(ctx, self.table, self.name)


@action_class
class RestoreData(Operation):
    """In stored inverses: copy kept values back from a backup table, then drop it.

    With `key`, the values of `columns` go back row by row, matched on the key; without,
    the backup's whole rows replace the table's: all of them when the table was dropped (no `columns`), and
    over the rows it kept when only `columns` were lost (a table without a key), which is refused when those
    rows changed since, unless --accept-loss.
    """
    action = "restore_data"
    table: str
    columns: tuple
    backup: str
    key: tuple = ()
    required: tuple = ()  # the columns that come back NOT NULL without a default: each row needs a kept value

    def touches(self):
        return (self.table, self.backup)

    @property
    def checked_when_run(self):
        return self.replaces_rows  # rows may change between the preflight and the restore (an earlier undo)

    @property
    def replaces_rows(self):
        """Whether the backup's whole rows replace rows the table kept (it has no key to match them on)."""
        return bool(self.columns and not self.key)

    def simulate(self, shape):
        shape.kept_in(self.table, self.backup, self.columns, self.key)
        if shape.accept_loss:
            return
        if self.replaces_rows:
            self._refuse_changed_rows(shape)
        if self.required:
            self._refuse_invented_values(shape)

    def _refuse_changed_rows(self, shape):
        """Without a key, the kept values can only go back with the rows as they were: rows added, changed or
        deleted since would be undone."""
        kept = {name: c for name, c in shape.table(self.table).columns.items() if name not in self.columns}
        live = all(c.type for c in kept.values()) and shape.live(*kept.values())  # not retyped since
        changed = live and shape.probe.rows_changed(*live, self.backup, list(kept))
        if changed:
            raise DataProblem(f"{self.table} has no primary key, and its rows changed since {', '.join(self.columns)} "
                              f"was kept ({changed} {_rows(changed)} added or deleted, a changed row counting as "
                              "both): the kept values can only come back with the rows as they were then, undoing "
                              "those changes. Give --accept-loss to do so")

    def _refuse_invented_values(self, shape):
        """Rows added since the column was dropped have no kept value: a NOT NULL column without a default would
        need one invented for them (a placeholder), which is refused unless --accept-loss."""
        live = shape.live(*(shape.column(self.table, k) for k in self.key))  # the table's name in the database now
        missing = live and shape.probe.unmatched(*live, self.backup, self.key)
        if missing:
            raise DataProblem(f"{self.table}.{', '.join(self.required)} comes back NOT NULL without a default, and "
                              f"{missing} {_rows(missing)} added since it was dropped "
                              f"{'has' if missing == 1 else 'have'} no value kept for it. Give them one first, or "
                              "give --accept-loss to fill them with a placeholder (0, '', 1970-01-01)")

    def inverse(self, ctx):
        return []

    def apply(self, ctx):
        ctx.dialect.restore(ctx, self)


@action_class
class DataNotKept(Operation):
    """In stored inverses: marks a restore of schema whose data was not kept (backups were off)."""
    action = "data_not_kept"
    table: str
    columns: tuple = ()

    def inverse(self, ctx):
        return []

    def apply(self, ctx):
        ctx.notes.append(f"{self.table}{'.' + ', '.join(self.columns) if self.columns else ''}: "
                         "the schema is restored, but its data was not kept")


@action_class
class Irreversible(Operation):
    """Stands in a stored inverse for an operation that cannot be undone."""
    action = "irreversible"
    reason: str = dc_field(default="")

    def touches(self):
        return ()

    def inverse(self, ctx):
        return []

    def apply(self, ctx):
        raise SpecError(f"cannot be rolled back: {self.reason}")


ACTIONS = {cls.action: cls for cls in (
    AddColumn, DropColumn, RenameColumn, AddNotNull, DropNotNull, RenameTable, AddIndex, DropIndex,
    CreateTable, DropTable, AlterColumnType, AddDefault, DropDefault, Sql,
    Python, AddCheck, DropCheck, AddUnique, DropUnique, RenameIndex, AddForeignKey, DropForeignKey,
)}
STORED_ACTIONS = {**ACTIONS, **{cls.action: cls for cls in (
    Irreversible, RestoreData, DataNotKept, AddTrigger, DropTrigger, RestoreCheck)}}


def from_dict(data, actions=ACTIONS):
    if actions is STORED_ACTIONS and data["action"] == "add_not_null" and data.get("fill") is True:
        data = {**data, "fill": None, "placeholder": True}  # a stored step's `fill: true`: the placeholder
    return actions[data["action"]].from_dict(data)


def load_stored(items):
    """Operations from a history row's stored inverse, each with the spec operation it undoes (when recorded)."""
    return [undoing(from_dict(item, STORED_ACTIONS), item.get("undoes")) for item in items]


def stored_form(operation):
    """An inverse step as the history stores it: the operation, and which of the version's operations it undoes
    ({"operation": index, "action": ...}), for messages to name the operation the spec file has."""
    undoes = operation.undoes
    return {**operation.to_dict(), "undoes": undoes} if undoes else operation.to_dict()


def undoing(operation, undoes):
    """The inverse step, marked as undoing a version's operation (older releases stored no mark: None)."""
    if undoes:
        object.__setattr__(operation, "undoes", undoes)  # frozen, and not a field (see Operation.undoes)
    return operation
