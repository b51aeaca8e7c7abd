"""The live schema as plain data, read one table per query, and kept between reads."""
import json
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from operator import attrgetter, is_


@dataclass(frozen=True)
class Column:
    """A column as the database has it."""
    name: str
    type: str
    null: bool
    default: str | None  # as the database reports it, in SQL
    primary_key: bool = False
    auto_increment: bool = False


@dataclass(frozen=True)
class Index:
    """An index as the database has it."""
    name: str
    columns: tuple
    unique: bool
    definition: str | None = None  # the backend's own SQL for it: what add_index cannot say (an expression...)
    constraint: bool = False  # the index of a UNIQUE constraint, dropped and restored as the constraint


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key as the database has it."""
    column: str
    dest_table: str
    dest_column: str
    on_delete: str | None
    on_update: str | None
    name: str | None = None  # the constraint's name, where the backend names it
    # whether its name is part of the schema `status` compares (SQLite's is read from the table's text): how the
    # name was found, not part of the key
    compared: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class Check:
    """A CHECK constraint as the database has it."""
    name: str
    expression: str  # as the backend reports it


@dataclass(frozen=True)
class Trigger:
    """A trigger on a table."""
    name: str
    definition: str  # the backend's own CREATE TRIGGER, its table unqualified


@dataclass(frozen=True)
class Table:
    """A table as the database has it: columns in their order, indexes, keys, checks and triggers."""
    name: str
    columns: tuple
    indexes: tuple
    foreign_keys: tuple
    checks: tuple = ()
    triggers: tuple = ()
    key: tuple = ()  # the primary key's columns, in the key's order
    legacy_indexes: tuple = ()  # indexes releases before 0.2 listed and this one leaves out (made by the server)

    @property
    def primary_key(self):
        """The primary key's columns in the key's order (empty for a table without one)."""
        return self.key or tuple(c.name for c in self.columns if c.primary_key)

    def column(self, name):
        return next((c for c in self.columns if c.name == name), None)

    def index(self, name):
        return next((i for i in self.indexes if i.name == name), None)

    def foreign_key(self, column):
        return next((fk for fk in self.foreign_keys if fk.column == column), None)

    def without_column(self, name):
        return replace(self, columns=tuple(c for c in self.columns if c.name != name),
                       indexes=tuple(i for i in self.indexes if name not in i.columns),
                       foreign_keys=tuple(f for f in self.foreign_keys if f.column != name),
                       key=tuple(k for k in self.key if k != name))

    def with_column_renamed(self, old, new):
        def rename(names):
            return tuple(new if name == old else name for name in names)

        return replace(
            self, columns=tuple(replace(c, name=new) if c.name == old else c for c in self.columns),
            indexes=tuple(replace(i, columns=rename(i.columns)) if old in i.columns else i for i in self.indexes),
            foreign_keys=tuple(replace(f, column=new) if f.column == old else f for f in self.foreign_keys),
            key=rename(self.key))

    def canonical(self, legacy=False, sql_form=str):
        """The table as canonical data, columns by name; `legacy`: as releases before 0.2 recorded it;
        `sql_form`: the form its SQL texts (definitions, checks) are compared in."""
        data = self.to_json(legacy, sql_form)
        data["columns"] = sorted(data["columns"], key=lambda c: c["name"])
        return data

    def canonical_text(self, legacy, sql_form, memo):
        """json.dumps(self.canonical(legacy, sql_form), sort_keys=True), from the text of each column, index and
        foreign key kept in `memo` (a run records the schema after every version, and a version changes little)."""
        parts = {"columns": _list_text(memo, ("columns", self.name), self.columns, _by_name, _column_json),
                 "indexes": _list_text(memo, ("indexes", self.name), self._indexes(legacy), _by_name,
                                       lambda i: _index_json(i, legacy, sql_form)),
                 "foreign_keys": _list_text(memo, ("foreign_keys", self.name), self.foreign_keys, _by_column,
                                            lambda f: _foreign_key_json(f, legacy))}
        rest = self._other_json(legacy, sql_form)
        parts.update((key, json.dumps(value, sort_keys=True)) for key, value in rest.items())
        return "{" + ", ".join(f'"{key}": {parts[key]}' for key in sorted(parts)) + "}"

    def to_json(self, legacy=False, sql_form=str):
        data = {
            "columns": [_column_json(c) for c in self.columns],
            "indexes": [_index_json(i, legacy, sql_form) for i in sorted(self._indexes(legacy), key=_by_name)],
            "foreign_keys": [_foreign_key_json(f, legacy) for f in sorted(self.foreign_keys, key=_by_column)],
        }
        data.update(self._other_json(legacy, sql_form))
        return data

    def _indexes(self, legacy):
        """The indexes, with those releases before 0.2 listed and this one leaves out when `legacy`."""
        return self.indexes + (self.legacy_indexes if legacy else ())

    def _other_json(self, legacy, sql_form):
        """The parts of the table's JSON only some tables have."""
        data = {}
        if legacy:
            return data
        if len(self.primary_key) > 1:
            data["primary_key"] = list(self.primary_key)
        if self.checks:
            data["checks"] = [{"name": c.name, "check": sql_form(c.expression)}
                              for c in sorted(self.checks, key=lambda c: c.name)]
        if self.triggers:
            data["triggers"] = [{"name": g.name, "definition": sql_form(g.definition)}
                                for g in sorted(self.triggers, key=lambda g: g.name)]
        return data


def _list_text(memo, place, items, key, to_json):
    """The JSON list of `items` sorted by `key` (ties in their order, as sorted() keeps them), from each item's
    text kept in `memo` by the item's identity (the memo holds the item, so its id is not reused; hashing a
    dataclass costs more, and equal items need not have the same text: 1 == True). The list last made at `place`
    is kept too: a version that adds a column or an index leaves the items before it as they were (the same
    objects), and the new ones' texts are put in their places instead of the whole list being sorted again."""
    last = memo.get(place)
    if last is not None and len(items) >= len(last[0]) and all(map(is_, last[0], items)):
        kept, keys, texts, text = last
        if len(items) == len(kept):
            return text
        keys, texts = list(keys), list(texts)
        for item in items[len(kept):]:
            at = bisect_right(keys, key(item))
            keys.insert(at, key(item))
            texts.insert(at, _item_text(memo, item, to_json))
    else:
        ordered = sorted(items, key=key)
        keys = [key(item) for item in ordered]
        texts = [_item_text(memo, item, to_json) for item in ordered]
    text = "[" + ", ".join(texts) + "]"
    memo[place] = items, keys, texts, text
    return text


def _item_text(memo, item, to_json):
    kept = memo.get(id(item))
    if kept is None or kept[0] is not item:
        kept = memo[id(item)] = item, json.dumps(to_json(item), sort_keys=True)
    return kept[1]


_by_name = attrgetter("name")
_by_column = attrgetter("column")


def _column_json(column):
    return {"name": column.name, "type": column.type, "null": column.null, "default": column.default,
            "primary_key": column.primary_key}


def _index_json(index, legacy, sql_form):
    data = {"name": index.name, "columns": list(index.columns), "unique": index.unique}
    if not legacy and index.definition:
        data["definition"] = sql_form(index.definition)
    if not legacy and index.constraint:
        data["constraint"] = True
    return data


def _foreign_key_json(foreign_key, legacy):
    data = {"column": foreign_key.column, "references": f"{foreign_key.dest_table}.{foreign_key.dest_column}",
            "on_delete": foreign_key.on_delete, "on_update": foreign_key.on_update}
    if not legacy and foreign_key.name and foreign_key.compared:
        data["name"] = foreign_key.name
    return data


def read_table(db, dialect, name):
    """The table as it is now, or None when there is no such table: one round trip to the database."""
    found = dialect.table_metadata(name)
    if found is None:
        return None
    raw_columns, raw_indexes, raw_foreign_keys, extras = found
    columns = tuple(dialect.column(meta) for meta in raw_columns)
    foreign_keys = tuple(
        ForeignKey(fk.column, fk.dest_table, fk.dest_column,
                   dialect.referential_action(fk.on_delete), dialect.referential_action(fk.on_update), fk.name,
                   dialect.reports_foreign_key_names)
        for fk in raw_foreign_keys)
    constraints = extras.get("constraints", ())
    indexes = tuple(Index(i.name, tuple(i.columns), bool(i.unique), i.sql or None, i.name in constraints)
                    for i in raw_indexes)
    return Table(name, columns, indexes, foreign_keys,
                 checks=tuple(Check(n, e) for n, e in extras.get("checks", ())),
                 triggers=tuple(Trigger(n, d) for n, d in extras.get("triggers", ())),
                 key=tuple(extras.get("key", ())),
                 legacy_indexes=tuple(Index(i.name, tuple(i.columns), bool(i.unique))
                                      for i in extras.get("implicit_indexes", ())))


class LiveSchema:
    """The live schema as far as it was read: each table is read once, then kept up to date from the
    operations that change it, or read again when an operation cannot tell how it changed it."""

    def __init__(self, db, dialect, exclude=()):
        self.db, self.dialect = db, dialect
        self._hidden = {name.lower() for name in exclude}
        self._tables = {}  # name -> Table, or None for no such table; a name not here is not read yet
        self._names = None  # every table's name, once listed; kept up to date from then on
        self._texts = {}  # name -> (Table, its canonical JSON)
        # legacy or not -> {id: (item, its JSON)} and {(kind, table): see _list_text}
        self._memo = {False: {}, True: {}}
        self._hashed = {False: [], True: []}  # legacy or not -> see _fingerprint

    def table(self, name):
        if name not in self._tables:
            self._tables[name] = read_table(self.db, self.dialect, name)
        return self._tables[name]

    def cached(self):
        """Every table read so far: {name: Table}."""
        return {name: table for name, table in self._tables.items() if table is not None}

    def known(self, name):
        """The table if it is already read (None otherwise): for updating what is kept without reading."""
        return self._tables.get(name)

    def put(self, name, table):
        self._tables[name] = table
        if self._names is not None:
            (self._names.add if table else self._names.discard)(name)

    def forget(self, names=None):
        """These tables (None: every table) changed in a way not known: read them again when asked."""
        if names is None:
            self._tables.clear()
            self._names = None
            return
        for name in names:
            self._tables.pop(name, None)
            if self._names is not None:
                self._names.add(name)  # it may be new: reading it tells

    def tables(self):
        """Every user table, by name (the migrator's own left out)."""
        if self._names is None:
            self._names = set(self.dialect.table_names())
        found = {name: self.table(name) for name in sorted(self._names) if not self._is_hidden(name)}
        return {name: table for name, table in found.items() if table is not None}

    def canonical_json(self, legacy=False):
        """The whole schema as canonical JSON text, the same as json.dumps(schema_json(..., dialect=...),
        sort_keys=True); each table's text is kept while the table is unchanged. `legacy`: as releases before 0.2
        recorded it."""
        return "{" + ", ".join(self._parts(legacy)) + "}"

    def schema_text(self, legacy=False):
        """canonical_json as a SchemaText: its fingerprint hashed on from the tables it shares with the schema
        hashed last (a run records one after every version, and a version changes a table or two)."""
        parts = self._parts(legacy)
        return SchemaText(parts, self._fingerprint(parts, legacy))

    def _parts(self, legacy):
        parts = []
        for name, table in self.tables().items():
            kept = self._texts.get((name, legacy))
            if kept is None or kept[0] is not table:
                text = table.canonical_text(legacy, self.dialect.compared_sql, self._memo[legacy])
                kept = self._texts[name, legacy] = (table, f"{json.dumps(name)}: {text}")
            parts.append(kept[1])
        return parts

    def _fingerprint(self, parts, legacy):
        """fingerprint("{" + ", ".join(parts) + "}"), from the hash state after the longest run of parts it shares
        with the parts hashed last."""
        import hashlib

        hashed = self._hashed[legacy]  # [(part, the hash state after it)]
        same = 0
        while same < min(len(parts), len(hashed)) and hashed[same][0] is parts[same]:
            same += 1
        del hashed[same:]
        state = hashed[-1][1].copy() if hashed else hashlib.sha256(b"{")
        for index in range(same, len(parts)):
            state.update(((", " if index else "") + parts[index]).encode())
            hashed.append((parts[index], state.copy()))
        state.update(b"}")
        return state.hexdigest()

    def _is_hidden(self, name):
        return name.lower() in self._hidden or name.lower().startswith("_migrator_")


class SchemaText:
    """A schema's canonical JSON text, kept as its tables' parts until the text itself is asked for, and its
    fingerprint."""

    def __init__(self, parts, fingerprint):
        self.parts, self.fingerprint = parts, fingerprint

    def __str__(self):
        return "{" + ", ".join(self.parts) + "}"


def read_schema(db, dialect, exclude=()):
    """Every user table, by name; `exclude` names tables of the migrator's own."""
    return LiveSchema(db, dialect, exclude).tables()


def schema_json(tables, legacy=False, dialect=None):
    """The schema as canonical data: columns by name, so that a restored column's position is not a change;
    given the dialect, its SQL texts in the form the dialect compares them (as written otherwise)."""
    sql_form = dialect.compared_sql if dialect else str
    return {name: table.canonical(legacy, sql_form) for name, table in sorted(tables.items())}


def fingerprint(text):
    """The hash of a schema's canonical JSON text."""
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def differences(before, after, added="was added", dropped="was dropped", changed="changed"):
    """What changed from one schema_json to another, as sentences; the words say how `after` stands to
    `before`."""
    found = [f"table {t} {added}" for t in sorted(set(after) - set(before))]
    found += [f"table {t} {dropped}" for t in sorted(set(before) - set(after))]
    for name in sorted(set(before) & set(after)):
        if before[name].get("primary_key") != after[name].get("primary_key"):
            found.append(f"the primary key of {name} {changed}: {before[name].get('primary_key')} -> "
                         f"{after[name].get('primary_key')}")
        for part, key in (("columns", "name"), ("indexes", "name"), ("foreign_keys", "column"), ("checks", "name"),
                          ("triggers", "name")):
            old = {item[key]: item for item in before[name].get(part, ())}
            new = {item[key]: item for item in after[name].get(part, ())}
            label = {"columns": "column", "indexes": "index", "foreign_keys": "foreign key on", "checks": "check",
                     "triggers": "trigger"}[part]
            found += [f"{label} {name}.{k} {added}" for k in sorted(set(new) - set(old))]
            found += [f"{label} {name}.{k} {dropped}" for k in sorted(set(old) - set(new))]
            found += [f"{label} {name}.{k} {changed}: {_changed(old[k], new[k])}"
                      for k in sorted(set(old) & set(new)) if old[k] != new[k]]
    return found


def _changed(old, new):
    return ", ".join(f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in sorted(set(old) | set(new))
                     if old.get(k) != new.get(k))
