"""Real histories: public projects' own Peewee migration histories, as spec versions, against Peewee itself.

Each folder of tests/histories/ holds one project's history (SOURCE.md says where each version comes from):
`specs/` re-expresses every upstream step as a spec version, and `replay.py` performs the same steps with Peewee
itself (models with `db.create_tables`, and playhouse.migrate). For each project and backend, `migrate` runs the
specs into the test database and the replay runs into a second database of the same backend; the two schemas
must be equal, read by migrator's own reader (`TestDatabase.schema()`) and by the backend's catalog. Then
`rollback base` must leave only the history table, and a second `migrate` must give Peewee's schema again.

Peewee's schema is the reference. Where the two differ because Peewee itself is wrong, the comparison below says
so and why; otherwise a difference is migrator's to fix.

MIGRATOR_HISTORY_STEPWISE=1 compares after every version instead of only at the end, naming the first version
whose schema differs (slower: for finding which step a difference comes from).
"""
import importlib.util
import os
from pathlib import Path

import pytest
from playhouse.migrate import SchemaMigrator

from conftest import make_database

HISTORIES = Path(__file__).resolve().parent / "histories"
PROJECTS = ("frigate", "nzbhydra")
STEPWISE = os.environ.get("MIGRATOR_HISTORY_STEPWISE") == "1"
OWN_TABLES = ("schema_migrations",)  # and every _migrator_ backup table


def load_history(project):
    spec = importlib.util.spec_from_file_location(f"history_{project}", HISTORIES / project / "replay.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_app_table(name):
    return name not in OWN_TABLES and not name.startswith("_migrator_")


# -- the backend's own catalog -------------------------------------------------------------------------------
def catalog(database):
    """Every app table as the backend's catalog describes it: {table: {part: sorted rows}}, columns in order."""
    db = database.connect()
    try:
        read = {"sqlite": _sqlite_catalog, "postgres": _postgres_catalog, "mysql": _mysql_catalog}[database.backend]
        return {table: parts for table, parts in read(db).items() if is_app_table(table)}
    finally:
        db.close()


def _rows(db, sql, params=()):
    return [tuple(row) for row in db.execute_sql(sql, params).fetchall()]


def _sqlite_catalog(db):
    found = {}
    for (table,) in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        # PRAGMA table_xinfo: (cid, name, type, notnull, dflt_value, pk, hidden), in column order
        columns = [row[1:] for row in _rows(db, "SELECT * FROM pragma_table_xinfo(?) ORDER BY cid", (table,))]
        indexes = []
        for _, name, unique, origin, partial in _rows(db, "SELECT * FROM pragma_index_list(?)", (table,)):
            # index_xinfo is index_info with each key column's direction and collation
            keys = tuple((column, desc, collation) for _, _, column, desc, collation, key in
                         _rows(db, "SELECT * FROM pragma_index_xinfo(?) ORDER BY seqno", (name,)) if key)
            indexes.append((name, unique, origin, partial, keys))
        keys = {}
        for fk_id, seq, target, source, dest, on_update, on_delete, match in _rows(
                db, "SELECT * FROM pragma_foreign_key_list(?)", (table,)):
            keys.setdefault(fk_id, [target, [], [], on_update, on_delete, match])
            keys[fk_id][1].append((seq, source))
            keys[fk_id][2].append((seq, dest))
        foreign_keys = [(t, tuple(c for _, c in sorted(s)), tuple(c for _, c in sorted(d)), u, de, m)
                        for t, s, d, u, de, m in keys.values()]  # the id numbers the keys: not compared
        found[table] = {"columns": columns, "indexes": sorted(indexes), "foreign_keys": sorted(foreign_keys)}
    return found


def _postgres_catalog(db):
    found = {}
    # ordinal_position counts dropped columns too, so the order is compared, not the number
    for table, *column in _rows(db, """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = current_schema()
            ORDER BY table_name, ordinal_position"""):
        found.setdefault(table, {"columns": [], "indexes": [], "constraints": []})["columns"].append(tuple(column))
    for table, name, definition in _rows(db, """
            SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"""):
        found[table]["indexes"].append((name, definition))
    for table, kind, definition in _rows(db, """
            SELECT c.relname, k.contype, pg_get_constraintdef(k.oid)
            FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid
            WHERE c.relnamespace = quote_ident(current_schema())::regnamespace"""):
        found[table]["constraints"].append((kind, definition))
    for parts in found.values():
        parts["indexes"].sort()
        parts["constraints"].sort()
    return found


def _mysql_catalog(db):
    found = {}
    for table, *column in _rows(db, """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE,
                   COLUMN_DEFAULT, EXTRA
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION"""):
        found.setdefault(table, {"columns": [], "indexes": [], "foreign_keys": [], "checks": []})["columns"].append(
            tuple(column))
    for table, *index in _rows(db, """
            SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, SUB_PART, COLLATION, INDEX_TYPE
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"""):
        found[table]["indexes"].append(tuple(index))
    rules = {(table, name): (update, delete) for table, name, update, delete in _rows(db, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
            FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()""")}
    keys = {}
    for table, name, position, column, target, dest in _rows(db, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME, REFERENCED_TABLE_NAME,
                   REFERENCED_COLUMN_NAME
            FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL"""):
        keys.setdefault((table, name), []).append((position, column, target, dest))
    for (table, name), parts in keys.items():
        parts.sort()
        # The constraint's name is left out: Peewee's MySQL rename_column drops a foreign key and adds it back
        # under a name of its own (fk_<table>_<column>_refs_<table>), where migrator's RENAME COLUMN keeps the
        # key's name. Peewee is not the reference for that name: it is an artefact of how Peewee renames (from
        # MySQL versions without RENAME COLUMN), not part of the schema the steps describe.
        found[table]["foreign_keys"].append((tuple(p[1] for p in parts), parts[0][2], tuple(p[3] for p in parts),
                                             *rules[(table, name)]))
    mariadb = "mariadb" in _rows(db, "SELECT VERSION()")[0][0].lower()
    for table, name, clause in _rows(db, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = DATABASE()""" if mariadb else """
            SELECT k.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE
            FROM information_schema.TABLE_CONSTRAINTS AS k JOIN information_schema.CHECK_CONSTRAINTS AS c
                ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.CONSTRAINT_TYPE = 'CHECK'"""):  # MySQL names checks per schema
        if not _json_check(name, clause):
            found[table]["checks"].append((name, clause))
    for parts in found.values():
        # The index MySQL keeps for a foreign key is compared without its name, for the same reason: after
        # Peewee's rename it is named after Peewee's new constraint, after migrator's it keeps its name (MySQL
        # named it after the column when the key was made). Peewee's names are not the reference here: renaming
        # a column does not ask for its key and index to be renamed, and PostgreSQL keeps both names too.
        key_columns = {columns for columns, *_ in parts["foreign_keys"]}
        index_columns = {}
        for name, _, column, non_unique, *_ in sorted(parts["indexes"], key=lambda row: (row[0], row[1])):
            index_columns.setdefault(name, ((), non_unique))
            index_columns[name] = (index_columns[name][0] + (column,), non_unique)
        for_keys = {name for name, (columns, non_unique) in index_columns.items()
                    if name != "PRIMARY" and non_unique and columns in key_columns}
        parts["indexes"] = [("(the index of a foreign key)", *rest) if name in for_keys else (name, *rest)
                            for name, *rest in parts["indexes"]]
        for name in ("indexes", "foreign_keys", "checks"):
            parts[name].sort(key=repr)
    return found


def _json_check(name, clause):
    """MariaDB's check of a JSON column (its type is LONGTEXT with CHECK (json_valid(column))). It is left out:
    Peewee's MySQL add_not_null and drop_not_null re-declare the column from DESCRIBE with MODIFY, which loses
    the check, where migrator's MODIFY keeps the column's whole definition. Peewee is wrong here: changing a
    column's NULL does not ask for its JSON validation to go."""
    return clause == f"json_valid(`{name}`)"


# -- comparing --------------------------------------------------------------------------------------------------
def differences(label, ours, theirs):
    """What differs between migrator's schema (ours) and Peewee's (theirs), as lines naming table and part."""
    lines = [f"{label}: table {t} only in migrator's database" for t in sorted(set(ours) - set(theirs))]
    lines += [f"{label}: table {t} only in Peewee's database" for t in sorted(set(theirs) - set(ours))]
    for table in sorted(set(ours) & set(theirs)):
        for part in sorted(set(ours[table]) | set(theirs[table])):
            mine, peewee = ours[table].get(part), theirs[table].get(part)
            if mine == peewee:
                continue
            if isinstance(mine, list) and isinstance(peewee, list):
                only_mine = [row for row in mine if row not in peewee]
                only_peewee = [row for row in peewee if row not in mine]
                if not only_mine and not only_peewee:  # the same rows in another order
                    lines.append(f"{label}: {table}.{part} in another order: migrator {mine}, Peewee {peewee}")
                    continue
                lines += [f"{label}: {table}.{part} migrator has {row}" for row in only_mine]
                lines += [f"{label}: {table}.{part} Peewee has   {row}" for row in only_peewee]
            else:
                lines.append(f"{label}: {table}.{part}: migrator {mine!r}, Peewee {peewee!r}")
    return lines


def reader_schema(database):
    """The schema as migrator's reader gives it (TestDatabase.schema()), with MySQL's foreign key names left out."""
    schema = database.schema()
    if database.backend == "mysql":  # as in _mysql_catalog, and for the same reasons
        for table in schema.values():
            keys = table.get("foreign_keys", [])
            for key in keys:
                key.pop("name", None)
            # The reader counts the index MySQL keeps for a foreign key as an index unless it bears the key's name,
            # which it does after Peewee's rename and not after migrator's: so it is left out here (the catalog
            # still compares it, without its name).
            table["checks"] = [c for c in table.get("checks", []) if not _json_check(c["name"], c["check"])]
            if not table["checks"]:
                del table["checks"]
            key_columns = [[key["column"]] for key in keys]
            table["indexes"] = [i for i in table.get("indexes", []) if i["unique"] or i["columns"] not in key_columns]
    return schema


def compare(ours, theirs, when):
    """Both readings of both databases; the differences as lines (none when equal)."""
    return (differences(f"{when}, migrator's reader", reader_schema(ours), reader_schema(theirs))
            + differences(f"{when}, {ours.backend} catalog", catalog(ours), catalog(theirs)))


def peewee_replay(peewee_db, run):
    """`run(db)` on a connection to the Peewee database."""
    db = peewee_db.connect()
    try:
        run(db)
    finally:
        db.close()


# -- the test -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("project", PROJECTS)
def test_history_gives_peewee_schema(project, database, cli, tmp_path):
    history = load_history(project)
    specs = HISTORIES / project / "specs"
    assert [p.stem for p in sorted(specs.glob("*.json"), key=lambda p: [int(n) for n in p.stem[1:].split(".")])] \
        == history.VERSIONS, "one spec version per replayed step"
    (tmp_path / "peewee").mkdir()
    peewee, drop = make_database(database.backend, tmp_path / "peewee")  # a second database, same backend

    def command(*args):
        code, out, err = cli(*args, "--database-url", database.url, "--specs-dir", specs)
        assert code == 0, f"migrator {' '.join(args)} exited {code}:\n{out}{err}"

    try:
        problems = []
        if STEPWISE:
            for version, step in zip(history.VERSIONS, history.STEPS):
                command("migrate", version)
                peewee_replay(peewee, lambda db: step(db, SchemaMigrator.from_database(db)))
                problems = compare(database, peewee, f"after migrate {version}")
                assert not problems, f"{project} on {database.backend}:\n" + "\n".join(problems)
        else:
            command("migrate")
            peewee_replay(peewee, history.replay)
            problems = compare(database, peewee, "after migrate")

        command("rollback", "base")
        left = database.tables()
        if left != ["_migrator_layout", "schema_migrations"]:
            problems.append(f"after rollback base: tables left {left}, not only the history and its layout's record")

        command("migrate")
        problems += compare(database, peewee, "after migrate, rollback base, migrate")
        assert not problems, f"{project} on {database.backend}:\n" + "\n".join(problems)
    finally:
        if drop:
            drop()
