"""The live schema as plain data, read through Peewee's introspection."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    null: bool
    default: str | None  # as the database reports it, in SQL
    primary_key: bool = False
    auto_increment: bool = False


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple
    unique: bool


@dataclass(frozen=True)
class ForeignKey:
    column: str
    dest_table: str
    dest_column: str
    on_delete: str | None
    on_update: str | None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple
    indexes: tuple
    foreign_keys: tuple

    def column(self, name):
        return next((c for c in self.columns if c.name == name), None)

    def index(self, name):
        return next((i for i in self.indexes if i.name == name), None)

    def foreign_key(self, column):
        return next((fk for fk in self.foreign_keys if fk.column == column), None)

    def indexes_on(self, column):
        return [i for i in self.indexes if column in i.columns]

    def to_json(self):
        return {
            "columns": [{"name": c.name, "type": c.type, "null": c.null, "default": c.default,
                         "primary_key": c.primary_key} for c in self.columns],
            "indexes": [{"name": i.name, "columns": list(i.columns), "unique": i.unique}
                        for i in sorted(self.indexes, key=lambda i: i.name)],
            "foreign_keys": [{"column": f.column, "references": f"{f.dest_table}.{f.dest_column}",
                              "on_delete": f.on_delete, "on_update": f.on_update}
                             for f in sorted(self.foreign_keys, key=lambda f: f.column)],
        }


def read_table(db, dialect, name):
    """The table as it is now, or None when there is no such table: one round trip to the database."""
    found = dialect.table_metadata(name)
    if found is None:
        return None
    raw_columns, raw_indexes, raw_foreign_keys = found
    columns = tuple(dialect.column(meta) for meta in raw_columns)
    foreign_keys = tuple(
        ForeignKey(fk.column, fk.dest_table, fk.dest_column,
                   dialect.referential_action(fk.on_delete), dialect.referential_action(fk.on_update))
        for fk in raw_foreign_keys)
    indexes = tuple(Index(i.name, tuple(i.columns), bool(i.unique)) for i in raw_indexes)
    return Table(name, columns, indexes, foreign_keys)


def read_schema(db, dialect, exclude=()):
    """Every user table, by name; `exclude` names tables of the migrator's own."""
    hidden = {name.lower() for name in exclude}
    return {name: read_table(db, dialect, name) for name in sorted(dialect.table_names())
            if name.lower() not in hidden and not name.lower().startswith("_migrator_")}


def schema_json(tables):
    """The schema as canonical data: columns by name, so that a restored column's position is not a change."""
    result = {}
    for name, table in sorted(tables.items()):
        data = table.to_json()
        data["columns"] = sorted(data["columns"], key=lambda c: c["name"])
        result[name] = data
    return result


def fingerprint(data):
    import hashlib
    import json

    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def differences(before, after):
    """What changed from one schema_json to another, as sentences."""
    found = [f"table {t} was added" for t in sorted(set(after) - set(before))]
    found += [f"table {t} was dropped" for t in sorted(set(before) - set(after))]
    for name in sorted(set(before) & set(after)):
        for part, key in (("columns", "name"), ("indexes", "name"), ("foreign_keys", "column")):
            old = {item[key]: item for item in before[name][part]}
            new = {item[key]: item for item in after[name][part]}
            label = {"columns": "column", "indexes": "index", "foreign_keys": "foreign key on"}[part]
            found += [f"{label} {name}.{k} was added" for k in sorted(set(new) - set(old))]
            found += [f"{label} {name}.{k} was dropped" for k in sorted(set(old) - set(new))]
            found += [f"{label} {name}.{k} changed: {_changed(old[k], new[k])}"
                      for k in sorted(set(old) & set(new)) if old[k] != new[k]]
    return found


def _changed(old, new):
    return ", ".join(f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in sorted(set(old) | set(new))
                     if old.get(k) != new.get(k))
