"""The database as its own catalog describes it, and its rows: for checking migrator from outside.

`catalog(test_database)` reads the backend's catalog (not migrator's reader) into plain, comparable
data, on one connection (conftest's `snapshot(database, catalog=True)` adds every table's rows). It leaves out
the history table `schema_migrations` and tables whose names start with `_migrator_` (with their indexes,
triggers and sequences). `differences(a, b)` names what differs between two readings (catalogs or rows), one
line per difference.

- SQLite: every row of sqlite_master (but sqlite_% internals); per table PRAGMA table_xinfo in column
  order, index_list with index_xinfo, foreign_key_list; the rows of sqlite_sequence.
- PostgreSQL (the current schema): per table its columns in attnum order (format_type, attnotnull, the
  default's pg_get_expr, attidentity, attgenerated, collation), pg_constraint (contype and
  pg_get_constraintdef), every index's pg_get_indexdef, the non-internal triggers' pg_get_triggerdef;
  each view's pg_get_viewdef; each sequence with its definition, owner, last_value and is_called.
- MariaDB/MySQL: per table SHOW CREATE TABLE, information_schema COLUMNS (ordinal order), STATISTICS
  (COLLATION gives the order, SUB_PART the prefix), CHECK_CONSTRAINTS and TRIGGERS; each view's VIEWS row.

Columns, indexes, constraints and foreign keys are keyed by name, with the column order kept as a list of
its own, so that a difference reads as the thing that changed.

A few helpers read one thing out of a catalog the same way on every backend (`column`, `index_names`,
`foreign_key`...), for checks that an operation's change is visible.
"""
import difflib
import re
from collections import Counter

from conftest import value

HISTORY = "schema_migrations"


def excluded(name):
    return name.lower() == HISTORY or name.lower().startswith("_migrator_")


# -- reading the catalog ------------------------------------------------------------------------

def catalog(test_database):
    """The database as its own catalog describes it (the history and migrator's own tables left out), read on
    one connection."""
    backend = test_database.backend
    db = test_database.connect()
    try:
        names = [name for name, in _all(db, _TABLES[backend]) if not excluded(name)]
        return {"sqlite": _sqlite, "postgres": _postgres, "mysql": _mysql}[backend](db, sorted(names))
    finally:
        db.close()


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
    "postgres": "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
    "mysql": "SELECT TABLE_NAME FROM information_schema.TABLES "
             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
}


def _all(db, sql, params=()):
    return [tuple(value(v) for v in row) for row in db.execute_sql(sql, params).fetchall()]


def _grouped(rows):
    """{first value: [the rest of each row]}, in the rows' order."""
    found = {}
    for row in rows:
        found.setdefault(row[0], []).append(row[1:])
    return found


def _sqlite(db, names):
    master = {f"{type_} {name}": {"tbl_name": table, "sql": sql}
              for type_, name, table, sql in _all(db, "SELECT type, name, tbl_name, sql FROM sqlite_master")
              if not name.startswith("sqlite_") and not excluded(name) and not excluded(table)}
    tables = {}
    for name in names:
        columns = _all(db, 'SELECT name, cid, type, "notnull", dflt_value, pk, hidden '
                           "FROM pragma_table_xinfo(?) ORDER BY cid", (name,))
        indexes = {}
        # index_list's seq is only the list's enumeration (newest first), not a property of the index
        for index, unique, origin, partial in _all(
                db, 'SELECT name, "unique", origin, partial FROM pragma_index_list(?)', (name,)):
            indexes[index] = {
                "unique": unique, "origin": origin, "partial": partial,
                "columns": _all(db, 'SELECT seqno, cid, name, "desc", coll, "key" FROM pragma_index_xinfo(?) '
                                    "ORDER BY seqno", (index,)),
            }
        foreign_keys = _all(db, 'SELECT "from", id, seq, "table", "to", on_update, on_delete, "match" '
                                "FROM pragma_foreign_key_list(?) ORDER BY id, seq", (name,))
        tables[name] = {
            "column_order": [c[0] for c in columns],
            "columns": {c[0]: dict(zip(("cid", "type", "notnull", "dflt_value", "pk", "hidden"), c[1:]))
                        for c in columns},
            "indexes": indexes,
            "foreign_key_order": [f[0] for f in foreign_keys],
            "foreign_keys": {f[0]: dict(zip(("id", "seq", "table", "to", "on_update", "on_delete", "match"), f[1:]))
                             for f in foreign_keys},
        }
    has_sequence = _all(db, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    sequence = {name: seq for name, seq in _all(db, "SELECT name, seq FROM sqlite_sequence")
                if not excluded(name)} if has_sequence else {}
    return {"backend": "sqlite", "master": master, "tables": tables, "sqlite_sequence": sequence}


_IN_SCHEMA = "JOIN pg_namespace AS n ON n.oid = t.relnamespace AND n.nspname = current_schema()"


def _postgres(db, names):
    columns = _grouped(_all(db, f"""
        SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, co.collname
        FROM pg_class AS t {_IN_SCHEMA}
        JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
        WHERE t.relkind IN ('r', 'p') ORDER BY t.relname, a.attnum"""))
    constraints = _grouped(_all(db, f"""
        SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid {_IN_SCHEMA}"""))
    indexes = _grouped(_all(db, f"""
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid)
        FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid
        {_IN_SCHEMA}"""))
    triggers = _grouped(_all(db, f"""
        SELECT t.relname, g.tgname, pg_get_triggerdef(g.oid)
        FROM pg_trigger AS g JOIN pg_class AS t ON t.oid = g.tgrelid {_IN_SCHEMA} WHERE NOT g.tgisinternal"""))
    kinds = dict(_all(db, f"SELECT t.relname, t.relkind FROM pg_class AS t {_IN_SCHEMA}"))
    tables = {}
    for name in names:
        found = columns.get(name, [])
        tables[name] = {
            "kind": kinds[name],
            "column_order": [c[0] for c in found],
            "columns": {c[0]: dict(zip(("type", "notnull", "default", "identity", "generated", "collation"), c[1:]))
                        for c in found},
            "constraints": {c[0]: c[1:] for c in constraints.get(name, [])},
            "indexes": dict(indexes.get(name, [])),
            "triggers": dict(triggers.get(name, [])),
        }
    views = {name: {"kind": kind, "definition": definition} for name, kind, definition in _all(db, f"""
        SELECT t.relname, t.relkind, pg_get_viewdef(t.oid) FROM pg_class AS t {_IN_SCHEMA}
        WHERE t.relkind IN ('v', 'm')""") if not excluded(name)}
    sequences = {}
    for name, owner, column, *definition in _all(db, f"""
            SELECT t.relname, o.relname, a.attname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                   s.seqmax, s.seqmin, s.seqcache, s.seqcycle
            FROM pg_sequence AS s JOIN pg_class AS t ON t.oid = s.seqrelid {_IN_SCHEMA}
            LEFT JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = t.oid
                 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
            LEFT JOIN pg_class AS o ON o.oid = d.refobjid
            LEFT JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"""):
        if excluded(name) or owner and excluded(owner):
            continue  # the history table's own key sequence
        last_value, is_called = _all(db, f'SELECT last_value, is_called FROM "{name}"')[0]
        sequences[name] = {"owned_by": f"{owner}.{column}" if owner else None, "definition": tuple(definition),
                           "last_value": last_value, "is_called": is_called}
    return {"backend": "postgres", "tables": tables, "views": views, "sequences": sequences}


def _mysql(db, names):
    columns = _grouped(_all(db, """
        SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, CHARACTER_SET_NAME,
               COLLATION_NAME, COLUMN_KEY, GENERATION_EXPRESSION, COLUMN_COMMENT
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION"""))
    statistics = _grouped(_all(db, """
        SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, COLLATION, SUB_PART, NULLABLE, INDEX_TYPE
        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
        ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""))
    checks = _grouped(_all(db, """
        SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = DATABASE()"""))
    triggers = _grouped(_all(db, """
        SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORIENTATION,
               ACTION_CONDITION, ACTION_STATEMENT, ACTION_ORDER
        FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"""))
    tables = {}
    for name in names:
        found = columns.get(name, [])
        indexes = {}
        for index, *rest in statistics.get(name, []):
            indexes.setdefault(index, []).append(tuple(rest))
        tables[name] = {
            "create": _all(db, f"SHOW CREATE TABLE `{name}`")[0][1],
            "column_order": [c[0] for c in found],
            "columns": {c[0]: dict(zip(("COLUMN_TYPE", "IS_NULLABLE", "COLUMN_DEFAULT", "EXTRA", "CHARACTER_SET_NAME",
                                        "COLLATION_NAME", "COLUMN_KEY", "GENERATION_EXPRESSION", "COLUMN_COMMENT"),
                                       c[1:])) for c in found},
            "statistics": indexes,
            "checks": {c[0]: c[1:] for c in checks.get(name, [])},
            "triggers": {t[0]: t[1:] for t in triggers.get(name, [])},
        }
    views = {r[0]: dict(zip(("VIEW_DEFINITION", "CHECK_OPTION", "IS_UPDATABLE", "SECURITY_TYPE", "ALGORITHM"), r[1:]))
             for r in _all(db, """
                SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE, SECURITY_TYPE, ALGORITHM
                FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()""") if not excluded(r[0])}
    return {"backend": "mysql", "tables": tables, "views": views}


# -- rows -----------------------------------------------------------------------------------------

# -- comparing ------------------------------------------------------------------------------------

def differences(before, after, path=""):
    """What differs between two readings (catalogs or rows), as lines naming the place."""
    if isinstance(before, dict) and isinstance(after, dict) and not isinstance(before, Counter):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in after:
                found.append(f"{where}: gone (was {_short(before[key])})")
            elif key not in before:
                found.append(f"{where}: new ({_short(after[key])})")
            else:
                found += differences(before[key], after[key], where)
        return found
    if isinstance(before, Counter) and isinstance(after, Counter):
        if before == after:
            return []
        lost, new = before - after, after - before
        return [f"{path}: {sum(lost.values())} rows lost or changed {_short(list(lost.elements()))}, "
                f"{sum(new.values())} rows new {_short(list(new.elements()))}"]
    if isinstance(before, tuple) and isinstance(after, tuple) and len(before) == 2 and len(after) == 2 \
            and isinstance(before[1], Counter) and isinstance(after[1], Counter):  # rows: (columns, Counter)
        if before[0] != after[0]:
            return [f"{path}: columns {before[0]} -> {after[0]}"]
        return differences(before[1], after[1], path)
    if isinstance(before, str) and isinstance(after, str) and before != after:
        layout = (" [layout only: the same once whitespace is ignored]" if _squeezed(before) == _squeezed(after) else
                  " [order only: the same lines in another order]" if _lines(before) == _lines(after) else "")
        return [f"{path}{layout}:\n" + "\n".join("      " + line for line in _text_diff(before, after))]
    if isinstance(before, list) and isinstance(after, list) and before != after:
        gone = [item for item in before if item not in after]
        new = [item for item in after if item not in before]
        if not gone and not new:
            return [f"{path}: the same items in another order: {_short(before)} -> {_short(after)}"]
        return [f"{path}: " + "; ".join([f"gone {_short(i)}" for i in gone] + [f"new {_short(i)}" for i in new])]
    if before != after:
        return [f"{path}: {_short(before)} -> {_short(after)}"]
    return []


def _lines(text):
    return sorted(line.strip().rstrip(",") for line in text.splitlines())


def _squeezed(text):
    return re.sub(r"\s*([(),])\s*", r"\1", re.sub(r"\s+", " ", text)).strip()


def _text_diff(before, after):
    """The lines that differ, as '- old' and '+ new'; a one-line text is shown whole."""
    old, new = before.splitlines(), after.splitlines()
    if len(old) <= 1 and len(new) <= 1:
        return [f"- {before}", f"+ {after}"]
    return [line for line in difflib.ndiff(old, new) if line[:1] in "-+"]


def _short(value, limit=400):
    text = repr(value)
    text = re.sub(r"'x{20,}y?'", lambda m: f"'x...({len(m.group(0)) - 2} chars)'", text)
    return text if len(text) <= limit else text[:limit] + "..."


# -- one thing out of a catalog, the same way on every backend --------------------------------------

def table_names(cat):
    return set(cat["tables"])


def columns(cat, table):
    """[{name, type, null, default}] in column order; type lower-cased as the backend spells it."""
    t = cat["tables"][table]
    found = []
    for name in t["column_order"]:
        c = t["columns"][name]
        if cat["backend"] == "sqlite":
            found.append({"name": name, "type": c["type"].lower(), "null": not c["notnull"],
                          "default": c["dflt_value"]})
        elif cat["backend"] == "postgres":
            found.append({"name": name, "type": c["type"], "null": not c["notnull"], "default": c["default"]})
        else:
            default = c["COLUMN_DEFAULT"]
            found.append({"name": name, "type": c["COLUMN_TYPE"], "null": c["IS_NULLABLE"] == "YES",
                          "default": None if default in (None, "NULL") else default})
    return found


def column(cat, table, name):
    return next((c for c in columns(cat, table) if c["name"] == name), None) if table in cat["tables"] else None


def plain_type(text):
    """A type in one spelling for all backends: varchar(60), int, bigint, char(36), uuid, real..."""
    text = text.lower().strip().replace("character varying", "varchar").replace("integer", "int")
    text = re.sub(r"^character\((\d+)\)$", r"char(\1)", text)
    return re.sub(r"^(int|bigint)\(\d+\)$", r"\1", text)


def plain_default(raw):
    """A default as a plain value: 'draft' for 'draft'::character varying, '5' for 5."""
    if raw is None:
        return None
    raw = re.sub(r"::[a-z ]+$", "", str(raw).strip())
    return raw[1:-1].replace("''", "'") if len(raw) > 1 and raw.startswith("'") and raw.endswith("'") else raw


def index_names(cat, table):
    t = cat["tables"][table]
    return set(t["statistics"] if cat["backend"] == "mysql" else t["indexes"])


def foreign_key(cat, table, column_name):
    """'dest_table.dest_column' the column references, or None."""
    t = cat["tables"][table]
    if cat["backend"] == "sqlite":
        fk = t["foreign_keys"].get(column_name)
        return fk and f"{fk['table']}.{fk['to']}"
    if cat["backend"] == "postgres":
        for kind, definition in t["constraints"].values():
            found = kind == "f" and re.match(r'FOREIGN KEY \("?([^)"]+)"?\) REFERENCES "?([^("]+)"?\("?([^)"]+)"?\)',
                                             definition)
            if found and found.group(1) == column_name:
                return f"{found.group(2)}.{found.group(3)}"
        return None
    for line in t["create"].splitlines():
        found = re.search(r"FOREIGN KEY \(`([^`]+)`\) REFERENCES `([^`]+)` \(`([^`]+)`\)", line)
        if found and found.group(1) == column_name:
            return f"{found.group(2)}.{found.group(3)}"
    return None
