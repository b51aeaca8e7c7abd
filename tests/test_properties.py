"""Property: whatever valid versions run over whatever tables and rows, `migrate` then `rollback`
brings back exactly the schema and every row that were there before.

Hypothesis draws 2-4 tables of the shapes real databases hold, created by v1.0.0:

- Peewee's `id` key; no primary key at all (`"primary_key": false`), holding duplicate rows; a text
  key (`CharField(max_length=N, primary_key=True)`, named `id` or not); a composite key
  (`"primary_key": [a, b]`), whose columns may be foreign keys (a join table);
- foreign key columns (`ForeignKeyField('that_table')`, so of the type of its key: text or integer),
  nullable or not, with or without an on_delete;
- random column types, nullable or not, NULL-heavy (half, nine in ten or all of the rows NULL), empty
  strings, some columns indexed, some server defaults;
- the indexes Peewee's add_index cannot make, made by an `sql` operation with its `down`: expression
  (`lower(col)`) and partial (`WHERE col IS NOT NULL`) on SQLite and PostgreSQL, descending (`col DESC`)
  everywhere, prefix (`col(5)`) on MySQL/MariaDB; unique where the rows allow it.

Then rows for each table, then a random sequence of operations spread over 2-4 versions. A model of the
schema and its rows, kept in step with each drawn operation, makes sure every operation is valid at its
point (the column exists, no NULLs before add_not_null, no drop of a table or key a foreign key points
to, no drop of a primary key's column, which migrator refuses, a type change the indexes allow...),
so a failure to migrate is a failure of the package, not of the test. After `migrate`,
`rollback v1.0.0` must give back exactly the introspected schema and all rows (as a multiset: a table
without a key may hold the same row twice) as they were right after v1.0.0 and the inserts.

On failure Hypothesis prints the drawn example (the spec files and rows, through `note`) and a
`@reproduce_failure` blob.
"""
import datetime
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, note, settings, strategies as st

from conftest import flags, snapshot

# Servers are slower (MySQL/MariaDB commits and journals each DDL statement): fewer examples there,
# so the whole file stays well under a minute and a half on all three backends.
EXAMPLES = {"sqlite": 40, "postgres": 20, "mysql": 15}
# The same examples on every run (a CI run does not fail on a case no one has seen), unless asked to look for
# new ones: MIGRATOR_PROPERTY_EXPLORE=1, with as many examples per backend as it says when above 1.
EXPLORE = int(os.environ.get("MIGRATOR_PROPERTY_EXPLORE") or 0)

CLASSES = {"int": "IntegerField", "bigint": "BigIntegerField", "char": "CharField", "text": "TextField",
           "decimal": "DecimalField", "datetime": "DateTimeField", "bool": "BooleanField"}
# Printable ASCII with a quote and a space: values and defaults must survive SQL quoting.
ALPHABET = st.sampled_from("abcXYZ019 '_-")
SHAPES = ("id", "keyless", "text_key", "composite")
# the index kinds each backend has beyond add_index's, made by an sql operation
SQL_INDEXES = {"sqlite": ("expression", "partial", "desc"), "postgres": ("expression", "partial", "desc"),
               "mysql": ("desc", "prefix")}
PREFIX = 5  # the prefix length of a prefix index (MySQL/MariaDB), on VARCHAR longer than that, or TEXT


# -- the model: what the schema and rows are after each drawn operation ----------------------

@dataclass
class Column:
    kind: tuple  # ("int",), ("bigint",), ("char", n), ("text",), ("decimal", digits), ("datetime",), ("bool",)
    null: bool
    default: object = None  # the spec value of the server default, or None
    ref: int | None = None  # a foreign key: the uid of the table it points to (at that table's key)
    set_null: bool = False  # a foreign key ON DELETE SET NULL


@dataclass
class Index:
    columns: tuple  # every column it uses: in its key, its expression or its WHERE
    unique: bool
    kind: str = "plain"  # plain (add_index, index=True), desc, expression, partial, prefix (on its first column)


@dataclass
class Table:
    uid: int
    columns: dict  # name -> Column, in order; the `id` Peewee adds (implicit_id) is not listed
    implicit_id: bool = True  # Peewee's integer `id` key, added by create_table
    key: tuple = ()  # the primary key's columns, when it is not the implicit id; () for none
    indexes: dict = field(default_factory=dict)  # name -> Index
    rows: list = field(default_factory=list)  # dicts: column name -> value, `id` included

    @property
    def key_column(self):
        """The one column a foreign key can point to, or None (no key, or a composite one)."""
        return "id" if self.implicit_id else self.key[0] if len(self.key) == 1 else None

    @property
    def key_kind(self):
        return ("int",) if self.implicit_id else self.columns[self.key[0]].kind


@dataclass
class Model:
    backend: str
    tables: dict = field(default_factory=dict)
    counter: int = 0
    names: set = field(default_factory=set)  # every table name used so far

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def index_names(self):
        # index names are per schema on PostgreSQL and SQLite: keep them unique across tables
        return {name for table in self.tables.values() for name in table.indexes}

    def indexable(self, column):
        # MySQL/MariaDB cannot index a TEXT column without a prefix length
        return not (self.backend == "mysql" and column.kind[0] == "text")

    def referenced(self):
        """The uids of the tables a foreign key (of another table) points to."""
        return {c.ref for table in self.tables.values() for c in table.columns.values() if c.ref is not None}

    def targets(self, rows=False):
        """The tables a foreign key can point to (a key of one column; holding rows, if asked)."""
        return sorted(n for n, t in self.tables.items() if t.key_column and (t.rows or not rows))

    def by_uid(self, uid):
        return next((name, t) for name, t in self.tables.items() if t.uid == uid)

    def distinct(self, tuples):
        """Whether these tuples of values hold no two the backend finds equal (a unique index takes them).
        MySQL/MariaDB compare strings without case and trailing spaces (their default collations)."""
        if self.backend == "mysql":
            tuples = [tuple(fold(v) for v in t) for t in tuples]
        return len(tuples) == len(set(tuples))


def fold(value):
    """A string as MySQL/MariaDB's default collations compare it; other values as they are."""
    return value.lower().rstrip(" ") if isinstance(value, str) else value


def field_text(kind, null=None, index=False, primary_key=False):
    args = []
    if kind[0] == "char":
        args.append(f"max_length={kind[1]}")
    if kind[0] == "decimal":
        args += [f"max_digits={kind[1]}", "decimal_places=2"]
    if primary_key:
        args.append("primary_key=True")
    if null is not None:
        args.append(f"null={null}")
    if index:
        args.append("index=True")
    return f"{CLASSES[kind[0]]}({', '.join(args)})"


def foreign_key_text(target_name, target, null, on_delete=None):
    args = [repr(target_name)]
    if target.key_column != "id":
        args.append(f"field={target.key_column!r}")
    args.append(f"null={null}")
    if on_delete:
        args.append(f"on_delete={on_delete!r}")
    return f"ForeignKeyField({', '.join(args)})"


kinds = st.one_of(
    st.just(("int",)), st.just(("bigint",)), st.integers(1, 30).map(lambda n: ("char", n)), st.just(("text",)),
    st.integers(8, 12).map(lambda n: ("decimal", n)), st.just(("datetime",)), st.just(("bool",)))
# the kinds of a composite key's columns
key_kinds = st.one_of(st.just(("int",)), st.just(("bigint",)), st.integers(1, 20).map(lambda n: ("char", n)),
                      st.just(("datetime",)))


def values(kind):
    """Values a column of this kind holds exactly on every backend."""
    name = kind[0]
    if name in ("int", "bigint"):
        return st.integers(-10 ** 6, 10 ** 6)
    if name == "char":
        return st.just("") | st.text(ALPHABET, max_size=kind[1])
    if name == "text":
        return st.just("") | st.text(ALPHABET, max_size=40)
    if name == "decimal":
        return st.decimals(min_value=-99999, max_value=99999, places=2, allow_nan=False, allow_infinity=False)
    if name == "datetime":
        return st.datetimes(datetime.datetime(2000, 1, 1), datetime.datetime(2030, 12, 31)).map(
            lambda d: d.replace(microsecond=0))
    return st.booleans()


def defaults(kind):
    """Server defaults, as spec values, for a column of this kind."""
    name = kind[0]
    if name == "decimal":
        return values(kind).map(float)
    if name == "datetime":
        return st.one_of(values(kind).map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
                         st.just({"expression": "CURRENT_TIMESTAMP"}))
    if name == "text":
        return st.text(ALPHABET, max_size=10)
    return values(kind)


def wider(kind, indexed, backend):
    """Types a column of this kind can be altered to without losing anything."""
    name = kind[0]
    if name == "int":
        return st.just(("bigint",))
    if name == "char":
        longer = st.integers(kind[1] + 1, kind[1] + 50).map(lambda n: ("char", n))
        # MySQL/MariaDB cannot keep a key or an index (but a prefix index) on a TEXT column
        return longer if indexed and backend == "mysql" else st.one_of(longer, st.just(("text",)))
    if name == "decimal":
        return st.integers(kind[1] + 1, kind[1] + 6).map(lambda n: ("decimal", n))
    return None


# -- drawing ------------------------------------------------------------------------------------

def draw_tables(data, model):
    """v1.0.0: 2-4 tables of every shape, some server defaults and sql indexes; the rows of each table."""
    creates, later = [], []
    for t in range(data.draw(st.integers(2, 4), label="tables")):
        name = f"t{t}"
        shape = data.draw(st.sampled_from(SHAPES), label=f"shape of {name}")
        event(f"table: {shape}")
        table = Table(model.counter, {}, implicit_id=shape == "id")
        model.counter += 1
        spec = {}
        if shape == "text_key":
            key_name = "id" if data.draw(st.booleans(), label="key named id") else model.fresh("c")
            table.columns[key_name] = Column(("char", data.draw(st.integers(1, 20))), False)
            table.key = (key_name,)
            spec[key_name] = field_text(table.columns[key_name].kind, primary_key=True)
        if shape == "composite":
            for _ in range(2):
                column_name = model.fresh("c")
                targets = model.targets(rows=True)  # a join table's key: foreign keys, NOT NULL
                if targets and data.draw(st.integers(0, 2)) == 0:
                    target_name = data.draw(st.sampled_from(targets))
                    target = model.tables[target_name]
                    table.columns[column_name] = Column(target.key_kind, False, ref=target.uid)
                    spec[column_name] = foreign_key_text(target_name, target, False)
                    table.indexes[f"{name}_{column_name}"] = Index((column_name,), False)  # Peewee's index=True
                else:
                    table.columns[column_name] = Column(data.draw(key_kinds), False)
                    spec[column_name] = field_text(table.columns[column_name].kind)
            table.key = tuple(table.columns)
        for _ in range(data.draw(st.integers(0 if table.columns else 1, 4), label=f"columns of {name}")):
            column_name = model.fresh("c")
            targets = model.targets()
            if targets and data.draw(st.integers(0, 3)) == 0:
                target_name = data.draw(st.sampled_from(targets), label="foreign key to")
                target = model.tables[target_name]
                null = not target.rows or data.draw(st.booleans())
                on_delete = data.draw(st.sampled_from([None, "CASCADE", "SET NULL"] if null else [None, "CASCADE"]))
                table.columns[column_name] = Column(target.key_kind, null, ref=target.uid,
                                                    set_null=on_delete == "SET NULL")
                spec[column_name] = foreign_key_text(target_name, target, null, on_delete)
                table.indexes[f"{name}_{column_name}"] = Index((column_name,), False)  # Peewee's index=True
                event("foreign key to a text key" if target.key_kind[0] == "char" else "foreign key to an id")
                continue
            column = Column(data.draw(kinds), data.draw(st.booleans()))
            table.columns[column_name] = column
            index = model.indexable(column) and data.draw(st.booleans())
            spec[column_name] = field_text(column.kind, column.null, index=index)
            if index:
                table.indexes[f"{name}_{column_name}"] = Index((column_name,), False)  # Peewee's name
        # the columns in any order, the key's among them
        order = data.draw(st.permutations(list(table.columns)), label="column order")
        table.columns = {n: table.columns[n] for n in order}
        create = {"action": "create_table", "table": name, "columns": {n: spec[n] for n in order}}
        if shape == "keyless":
            create["primary_key"] = False
        if shape == "composite":
            create["primary_key"] = list(table.key)
        creates.append(create)
        for column_name, column in table.columns.items():
            if data.draw(st.integers(0, 3)) == 0:
                column.default = data.draw(defaults(column.kind))
                later.append({"action": "add_default", "table": name, "column": column_name,
                              "default": column.default})
        model.tables[name] = table
        model.names.add(name)
        draw_rows(data, model, name, table)
        later += draw_sql_indexes(data, model, name, table)
    return creates + later


def draw_rows(data, model, name, table):
    count = data.draw(st.integers(0, 6), label=f"rows of {name}")
    # how often each nullable column is NULL, in tenths: never, half, nine in ten, always
    nulls = {n: data.draw(st.sampled_from([5, 0, 9, 10])) if c.null else 0 for n, c in table.columns.items()}
    for n, tenths in nulls.items():
        if tenths >= 9:
            event("NULL-heavy column")

    def draw_value(column_name):
        column = table.columns[column_name]
        if nulls[column_name] and data.draw(st.integers(0, 9)) < nulls[column_name]:
            return None
        if column.ref is not None:
            target = model.by_uid(column.ref)[1]
            keys = [r[target.key_column] for r in target.rows]
            return data.draw(st.sampled_from(keys)) if keys else None
        return data.draw(values(column.kind))

    seen = set()  # the keys drawn so far, as the backend compares them
    for row_id in range(1, count + 1):
        if not table.implicit_id and not table.key and table.rows and data.draw(st.integers(0, 2)) == 0:
            table.rows.append(dict(data.draw(st.sampled_from(table.rows))))  # a duplicate row
            event("duplicate row")
            continue
        row = {"id": row_id} if table.implicit_id else {}
        for column_name in table.columns:
            row[column_name] = draw_value(column_name)
        if table.key:
            key = tuple(fold(row[k]) for k in table.key)
            if key in seen:
                continue  # the key is taken: one row fewer
            seen.add(key)
        table.rows.append(row)


def draw_sql_indexes(data, model, name, table):
    """0-2 indexes of the kinds add_index cannot make, each by an sql operation with its down, written with
    names quoted or not (SQLite keeps the text as written)."""
    operations = []
    for _ in range(data.draw(st.integers(0, 2), label=f"sql indexes of {name}")):
        kind = data.draw(st.sampled_from(SQL_INDEXES[model.backend]), label="index kind")
        mark = ("`" if model.backend == "mysql" else '"') if data.draw(st.booleans(), label="quoted") else ""
        q = lambda n: f"{mark}{n}{mark}"  # noqa: E731
        columns = table.columns
        usable = sorted(n for n, c in columns.items() if model.indexable(c))
        strings = sorted(n for n, c in columns.items() if c.kind[0] in ("char", "text"))
        rows = table.rows
        unique, where = False, ""
        if kind == "desc" and usable:
            chosen = data.draw(st.lists(st.sampled_from(usable), min_size=1, max_size=2, unique=True))
            descending = data.draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
            descending[data.draw(st.integers(0, len(chosen) - 1))] = True
            keys = [tuple(r[c] for c in chosen) for r in rows if all(r[c] is not None for c in chosen)]
            unique = model.distinct(keys) and data.draw(st.booleans())
            body = ", ".join(f"{q(c)} DESC" if d else q(c) for c, d in zip(chosen, descending))
            used = tuple(chosen)
        elif kind == "expression" and strings:
            column = data.draw(st.sampled_from(strings))
            keys = [(r[column].lower(),) for r in rows if r[column] is not None]
            unique = model.distinct(keys) and data.draw(st.booleans())
            body, used = f"lower({q(column)})", (column,)
        elif kind == "partial" and usable:
            column = data.draw(st.sampled_from(usable))
            condition = data.draw(st.sampled_from(sorted(columns)))
            keys = [(r[column],) for r in rows if r[column] is not None and r[condition] is not None]
            unique = model.distinct(keys) and data.draw(st.booleans())
            body, used, where = q(column), tuple(dict.fromkeys([column, condition])), f" WHERE {q(condition)} IS NOT NULL"
        elif kind == "prefix":
            prefixable = sorted(n for n, c in columns.items() if c.kind == ("text",) or
                                c.kind[0] == "char" and c.kind[1] > PREFIX)
            if not prefixable:
                continue
            column = data.draw(st.sampled_from(prefixable))
            others = [n for n in usable if n != column]
            second = data.draw(st.sampled_from(others)) if others and data.draw(st.booleans()) else None
            body = f"{q(column)}({PREFIX})" + (f", {q(second)}" if second else "")
            used = (column, second) if second else (column,)
        else:
            continue
        event(f"sql index: {kind}{' unique' if unique else ''}")
        index_name = model.fresh("ix")
        table.indexes[index_name] = Index(used, unique, kind)
        drop = f"DROP INDEX {q(index_name)}" + (f" ON {q(name)}" if model.backend == "mysql" else "")
        operations.append({"action": "sql", "sql": f"CREATE {'UNIQUE ' if unique else ''}INDEX {q(index_name)} "
                                                   f"ON {q(name)} ({body}){where}", "down": drop})
    return operations


def candidates(model):
    """The operations that can be drawn now: action -> the tables it can be applied to."""
    found = {}
    referenced = model.referenced()
    for name, table in model.tables.items():
        columns = table.columns.values()
        pointed_to = table.uid in referenced
        possible = {
            "add_column": True, "rename_table": True,
            "drop_table": not pointed_to,  # migrator refuses it while a foreign key points to the table
            "drop_column": bool(droppable(table)),
            "rename_column": bool(columns), "add_default": bool(columns),
            "add_index": any(model.indexable(c) for c in columns),
            "drop_index": bool(droppable_indexes(model, table)),
            "alter_column_type": bool(retypable(model, table, pointed_to)),
            "add_not_null": bool(nullable(model, table)),
            "drop_not_null": any(not c.null and n not in table.key for n, c in table.columns.items()),
            "drop_default": any(c.default is not None for c in columns),
        }
        for action, ok in possible.items():
            if ok:
                found.setdefault(action, []).append(name)
    return found


def droppable(table):
    """The columns drop_column can take: not the last one; not one of the primary key (migrator refuses it:
    rollback could not match the rows to give the key back)."""
    if len(table.columns) + table.implicit_id < 2:
        return []
    return [n for n in table.columns if n not in table.key]


def droppable_indexes(model, table):
    """The indexes drop_index can take. On MySQL/MariaDB, not one that may be the index a foreign key needs
    (the server refuses it, error 1553, and migrator finds that only as the operation runs)."""
    return [n for n, index in table.indexes.items()
            if not (model.backend == "mysql" and table.columns[index.columns[0]].ref is not None)]


def nullable(model, table):
    """The columns add_not_null can take: NULL-able, holding no NULL; on MySQL/MariaDB, not a foreign key
    ON DELETE SET NULL (the server refuses it)."""
    return [n for n, c in table.columns.items() if c.null and all(r[n] is not None for r in table.rows)
            and not (model.backend == "mysql" and c.set_null)]


def retypable(model, table, pointed_to):
    """The columns alter_column_type can take. On MySQL/MariaDB, whose foreign keys must be of their key's type,
    not a foreign key, and not a key a foreign key points to (migrator refuses it); elsewhere a foreign key
    or the key it points to may be widened on its own."""
    fixed = model.backend == "mysql"
    return [n for n, c in table.columns.items() if not (fixed and (c.ref is not None or pointed_to and n in table.key))
            and wider(c.kind, False, model.backend) is not None]


def draw_operation(data, model):
    """One operation valid on the model as it is; the model is changed as the operation would."""
    options = candidates(model)
    if not options:
        return None
    # the action first, then the table, so that rarely possible actions are not drowned out
    action = data.draw(st.sampled_from(sorted(options)), label="operation")
    name = data.draw(st.sampled_from(options[action]), label="table")
    event(action)
    table = model.tables[name]
    columns = list(table.columns)
    pick = lambda names: data.draw(st.sampled_from(sorted(names)))  # noqa: E731

    if action == "add_column":
        column_name = model.fresh("c")
        targets = [t for t in model.targets() if t != name]
        if targets and data.draw(st.integers(0, 3)) == 0:
            target_name = data.draw(st.sampled_from(targets), label="foreign key to")
            target = model.tables[target_name]
            table.columns[column_name] = Column(target.key_kind, True, ref=target.uid)
            field_spec = foreign_key_text(target_name, target, True)
            table.indexes[f"{name}_{column_name}"] = Index((column_name,), False)  # Peewee's index=True
            event("add_column: foreign key")
        else:
            kind = data.draw(kinds)
            table.columns[column_name] = Column(kind, True)
            field_spec = field_text(kind, True)
        for row in table.rows:
            row[column_name] = None
        return {"action": action, "table": name, "column_name": column_name, "field": field_spec}

    if action == "drop_column":
        column_name = pick(droppable(table))
        del table.columns[column_name]
        for row in table.rows:
            del row[column_name]
        # migrator drops every index that uses the column (its key, expression or WHERE), and restores it
        table.indexes = {i: index for i, index in table.indexes.items() if column_name not in index.columns}
        return {"action": action, "table": name, "column_name": column_name}

    if action == "rename_column":
        old, new = pick(columns), model.fresh("c")
        table.columns = {new if n == old else n: c for n, c in table.columns.items()}
        for row in table.rows:
            row[new] = row.pop(old)
        table.key = tuple(new if c == old else c for c in table.key)
        for index in table.indexes.values():
            index.columns = tuple(new if c == old else c for c in index.columns)
        return {"action": action, "table": name, "old_name": old, "new_name": new}

    if action == "add_index":
        usable = [n for n in columns if model.indexable(table.columns[n])]
        chosen = tuple(data.draw(st.lists(st.sampled_from(usable), min_size=1, max_size=2, unique=True)))
        # unique only where the rows allow it (rows with a NULL never collide)
        keys = [tuple(r[c] for c in chosen) for r in table.rows if all(r[c] is not None for c in chosen)]
        unique = model.distinct(keys) and data.draw(st.booleans())
        from playhouse.migrate import make_index_name

        operation = {"action": action, "table": name, "columns": list(chosen), "unique": unique}
        index_name = make_index_name(name, chosen)
        if index_name in model.index_names() or data.draw(st.booleans()):
            index_name = model.fresh("ix")
            operation["name"] = index_name
        table.indexes[index_name] = Index(chosen, unique)
        return operation

    if action == "drop_index":
        index_name = pick(droppable_indexes(model, table))
        event(f"drop_index: {table.indexes[index_name].kind}")
        del table.indexes[index_name]
        return {"action": action, "table": name, "index_name": index_name}

    if action == "alter_column_type":
        # MySQL/MariaDB: a key or an index but a prefix one keeps a column from becoming TEXT
        indexed = set(table.key) | {c for index in table.indexes.values() for i, c in enumerate(index.columns)
                                    if not (index.kind == "prefix" and i == 0)}
        column_name = pick(retypable(model, table, table.uid in model.referenced()))
        column = table.columns[column_name]
        column.kind = data.draw(wider(column.kind, column_name in indexed, model.backend))
        return {"action": action, "table": name, "column": column_name, "field": field_text(column.kind)}

    if action == "add_not_null":
        column_name = pick(nullable(model, table))
        table.columns[column_name].null = False
        return {"action": action, "table": name, "column": column_name}

    if action == "drop_not_null":
        column_name = pick([n for n, c in table.columns.items() if not c.null and n not in table.key])
        table.columns[column_name].null = True
        return {"action": action, "table": name, "column": column_name}

    if action == "add_default":
        column_name = pick(columns)
        column = table.columns[column_name]
        column.default = data.draw(defaults(column.kind))
        return {"action": action, "table": name, "column": column_name, "default": column.default}

    if action == "drop_default":
        column_name = pick([n for n, c in table.columns.items() if c.default is not None])
        table.columns[column_name].default = None
        return {"action": action, "table": name, "column": column_name}

    if action == "drop_table":
        del model.tables[name]
        return {"action": action, "table": name}

    # rename_table: to a fresh name, or to a name an earlier table had (renamed away or dropped)
    free = sorted(model.names - set(model.tables))
    new = data.draw(st.sampled_from(free)) if free and data.draw(st.booleans()) else model.fresh("r")
    model.names.add(new)
    model.tables[new] = model.tables.pop(name)
    return {"action": "rename_table", "old_name": name, "new_name": new}


def draw_versions(data, model):
    versions = []
    for _ in range(data.draw(st.integers(2, 4), label="versions")):
        operations = []
        for _ in range(data.draw(st.integers(1, 4), label="operations")):
            operation = draw_operation(data, model)
            if operation is None:
                break
            operations.append(operation)
        if operations:
            versions.append(operations)
    return versions


# -- the database ---------------------------------------------------------------------------

def clean(database):
    """Drop every table (the history and backups too), so each example starts from nothing."""
    db = database.connect()
    try:
        if database.backend == "postgres":
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
            return
        quote = "`" if database.backend == "mysql" else '"'
        if database.backend == "mysql":
            db.execute_sql("SET FOREIGN_KEY_CHECKS = 0")  # this session only: tables pointed to go first
        else:
            db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in db.get_tables():
            db.execute_sql(f"DROP TABLE {quote}{table}{quote}")
    finally:
        db.close()


def insert_rows(database, initial):
    """The rows, table by table in the order they were made (a table a foreign key points to first)."""
    db = database.connect()
    try:
        for name, rows in initial.items():
            for row in rows:
                names = list(row)
                params = [_bindable(database.backend, row[n]) for n in names]
                db.execute_sql(f"INSERT INTO {name} ({', '.join(names)}) VALUES "
                               f"({', '.join([db.param] * len(names))})", params)
    finally:
        db.close()


def _bindable(backend, value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Decimal) and backend == "sqlite":  # sqlite3 binds no Decimal
        return str(value)
    return value


# -- the property ------------------------------------------------------------------------------

def drift(cli, common):
    code, out, err = cli("status", "--json", *common)
    assert code == 0, err
    return json.loads(out)["drift"]


def migrate_then_rollback(database, specs, cli, data):
    """One example: draw, apply v1.0.0, insert the rows, migrate, `rollback v1.0.0`, compare."""
    common = flags(database.url, specs.folder)
    # the database and the specs folder live as long as the test, across examples: start from nothing
    clean(database)
    for old in specs.folder.glob("*.json"):
        old.unlink()

    model = Model(database.backend)
    base = draw_tables(data, model)
    # the rows as inserted; drawing the versions changes the model's rows as the operations would
    initial = {name: [dict(row) for row in table.rows] for name, table in model.tables.items()}
    versions = draw_versions(data, model)
    specs("v1.0.0", base)
    note(f"v1.0.0: {json.dumps(base)}")
    note(f"rows: {json.dumps(initial, default=str)}")
    for number, operations in enumerate(versions, start=1):
        specs(f"v1.{number}.0", operations)
        note(f"v1.{number}.0: {json.dumps(operations)}")

    code, _, err = cli("migrate", "v1.0.0", *common)
    assert code == 0, err
    insert_rows(database, initial)
    before = snapshot(database)
    tables = database.tables()

    code, _, err = cli("migrate", *common)
    assert code == 0, err
    # the model the operations were drawn from is what the database now has
    after = database.schema()
    assert {n: sorted(c["name"] for c in t["columns"]) for n, t in after.items()} == \
        {n: sorted(["id"] * t.implicit_id + list(t.columns)) for n, t in model.tables.items()}
    assert {n: sorted(i["name"] for i in t["indexes"]) for n, t in after.items()} == \
        {n: sorted(t.indexes) for n, t in model.tables.items()}

    assert drift(cli, common) is None  # the schema recorded for the run, kept up to date without reading, is the live one

    code, _, err = cli("rollback", "v1.0.0", *common)
    assert code == 0, err
    assert drift(cli, common) is None
    restored = snapshot(database)
    assert restored[0] == before[0]  # the schema: columns, types, NULLs, defaults, keys, foreign keys, indexes
    assert restored[1] == before[1]  # every row, every value
    assert database.tables() == tables  # no backup table left behind
    assert database.history() == [("v1.0.0", "applied")]


def property_on(backend):
    """The property as a test of its own per backend, so each has its number of examples and
    Hypothesis keeps each backend's failing examples apart (its database key is the test's node id)."""
    @pytest.mark.parametrize("database", [backend], indirect=True)
    @settings(max_examples=EXPLORE if EXPLORE > 1 else EXAMPLES[backend], derandomize=not EXPLORE, deadline=None,
              print_blob=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=st.data())
    def test(database, specs, cli, data):
        migrate_then_rollback(database, specs, cli, data)

    return test


test_migrate_then_rollback_restores_exactly_the_schema_and_every_row_on_sqlite = property_on("sqlite")
test_migrate_then_rollback_restores_exactly_the_schema_and_every_row_on_postgres = property_on("postgres")
test_migrate_then_rollback_restores_exactly_the_schema_and_every_row_on_mysql = property_on("mysql")


def test_dropping_a_table_renamed_into_a_freed_name_rolls_back_to_the_same_schema(database, specs, cli, common):
    # A case the property found on PostgreSQL, kept as a fixed example: renaming a table keeps its
    # primary key's index name (a_pkey stays with old_a), so when rollback re-creates the dropped
    # table "a", PostgreSQL must name its key a_pkey1. That is still the primary key, not a user index,
    # and rollback must come back to exactly the schema before (no index, no drift).
    specs("v1.0.0", [{"action": "create_table", "table": "a", "columns": {"x": "IntegerField(null=True)"}},
                     {"action": "create_table", "table": "b", "columns": {"y": "IntegerField(null=True)"}}])
    specs("v1.1.0", [{"action": "rename_table", "old_name": "a", "new_name": "old_a"},
                     {"action": "rename_table", "old_name": "b", "new_name": "a"},
                     {"action": "drop_table", "table": "a"}])
    code, _, err = cli("migrate", "v1.0.0", *common)
    assert code == 0, err
    database.execute("INSERT INTO a (x) VALUES (1)", "INSERT INTO b (y) VALUES (2)", "INSERT INTO b (y) VALUES (3)")
    before = snapshot(database)

    code, _, err = cli("migrate", *common)
    assert code == 0, err
    code, _, err = cli("rollback", "v1.0.0", *common)
    assert code == 0, err
    assert snapshot(database) == before
    code, out, err = cli("status", "--json", *common)
    assert code == 0, err
    assert json.loads(out)["drift"] is None
