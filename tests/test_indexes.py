"""add_index with per-column order, `where` and `expressions`, and rename_index, on every backend: each case
migrates, reads the index from the backend's own catalog (sqlite_master, pg_get_indexdef, SHOW INDEX), shows no
drift, rolls back, and finds the catalog and rows exactly as before. A backend that cannot build an index is
refused before anything runs."""
import json
import re

import pytest

from conftest import ok, snapshot, sqlite_only

BASE = [
    {"action": "create_table", "table": "person", "columns": {
        "email": "CharField(max_length=100)",
        "camera": "CharField(max_length=20, null=True)",
        "start_time": "IntegerField(null=True)",
        "active": "IntegerField(null=True)",
    }},
]
ROWS = [
    "INSERT INTO person (email, camera, start_time, active) VALUES ('Ann@example.com', 'front', 10, 1)",
    "INSERT INTO person (email, camera, start_time, active) VALUES ('bob@example.com', 'front', 20, 0)",
    "INSERT INTO person (email, camera, start_time, active) VALUES ('carl@example.com', 'back', 30, 1)",
]
SP = ("sqlite", "postgres")


def add_index(**params):
    return {"action": "add_index", "table": "person", **params}


def rename_index(old, new, table="person"):
    return {"action": "rename_index", "table": table, "old_name": old, "new_name": new}


def drop_index(name, table="person"):
    return {"action": "drop_index", "table": table, "index_name": name}


def only(database, *backends):
    if database.backend not in backends:
        pytest.skip(f"not on {database.backend} (its refusal is tested on its own)")


# -- the backend's own word on an index ---------------------------------------------------------

def index_sql(database, name):
    """The index as the backend's catalog gives it: SQLite's CREATE INDEX as kept in sqlite_master,
    PostgreSQL's pg_get_indexdef, MySQL/MariaDB's SHOW INDEX (column, collation 'A'/'D', non-unique) rows."""
    if database.backend == "sqlite":
        found = database.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,))
        return found[0][0] if found else None
    if database.backend == "postgres":
        found = database.query("SELECT pg_get_indexdef(c.oid) FROM pg_class AS c WHERE c.relkind = 'i' AND "
                               "c.relname = %s AND c.relnamespace = quote_ident(current_schema())::regnamespace", (name,))
        return found[0][0].replace(" public.", " ") if found else None
    rows = database.query("SELECT COLUMN_NAME, COLLATION, NON_UNIQUE FROM information_schema.STATISTICS WHERE "
                          "TABLE_SCHEMA = DATABASE() AND INDEX_NAME = %s ORDER BY TABLE_NAME, SEQ_IN_INDEX", (name,))
    return rows or None


def no_drift(run):
    out = ok(run, "status", "--json")
    assert json.loads(out)["drift"] is None, out


def set_up(database, specs, run, base=BASE, rows=ROWS):
    specs("v1.0.0", base)
    ok(run, "migrate")
    database.execute(*rows)
    return snapshot(database, catalog=True)


def round_trip(database, specs, run, operations, expected, base=BASE, rows=ROWS):
    """Migrate v1.1.0 (`operations`), check each index of `expected` ({name: the backend's definition}) in the
    catalog, no drift; then roll back to exactly the catalog and rows of before."""
    before = set_up(database, specs, run, base, rows)
    specs("v1.1.0", operations)
    assert re.search(r"v1\.1\.0 +reversible", ok(run, "verify"))
    ok(run, "migrate")
    for name, definition in expected.items():
        assert index_sql(database, name) == definition, name
    no_drift(run)
    ok(run, "rollback", "v1.0.0", "--yes")
    assert snapshot(database, catalog=True) == before
    no_drift(run)


# -- add_index: order, where, expressions ----------------------------------------------------------

DESC = {
    "sqlite": 'CREATE INDEX "person_camera_start_time" ON "person" ("camera", "start_time" DESC)',
    "postgres": "CREATE INDEX person_camera_start_time ON person USING btree (camera, start_time DESC)",
    "mysql": [("camera", "A", 1), ("start_time", "D", 1)],
}


def test_a_descending_column_is_kept_descending_and_the_index_named_as_peewee_names_it(database, specs, run):
    columns = ["camera", {"column": "start_time", "order": "desc"}]
    round_trip(database, specs, run, [add_index(columns=columns)], {"person_camera_start_time": DESC[database.backend]})


def test_an_ascending_order_is_a_plain_column(database, specs, run):
    before = set_up(database, specs, run)
    specs("v1.1.0", [add_index(columns=[{"column": "camera", "order": "asc"}])])
    ok(run, "migrate")
    assert index_sql(database, "person_camera") == {
        "sqlite": 'CREATE INDEX "person_camera" ON "person" ("camera")',
        "postgres": "CREATE INDEX person_camera ON person USING btree (camera)",
        "mysql": [("camera", "A", 1)]}[database.backend]
    no_drift(run)
    ok(run, "rollback", "v1.0.0", "--yes")
    assert snapshot(database, catalog=True) == before


PARTIAL = {
    "sqlite": 'CREATE INDEX "person_active_camera" ON "person" ("camera") WHERE active = 1',
    "postgres": "CREATE INDEX person_active_camera ON person USING btree (camera) WHERE (active = 1)",
}


def test_a_partial_index(database, specs, run):
    only(database, *SP)
    round_trip(database, specs, run, [add_index(columns=["camera"], where="active = 1", name="person_active_camera")],
               {"person_active_camera": PARTIAL[database.backend]})


UNIQUE_LOWER = {
    "sqlite": 'CREATE UNIQUE INDEX "person_email_lower" ON "person" ((lower(email)))',
    "postgres": "CREATE UNIQUE INDEX person_email_lower ON person USING btree (lower((email)::text))",
}


def test_a_unique_expression_index(database, specs, run):
    only(database, *SP)
    round_trip(database, specs, run, [add_index(expressions=["lower(email)"], unique=True, name="person_email_lower")],
               {"person_email_lower": UNIQUE_LOWER[database.backend]})


MIXED = {
    "sqlite": 'CREATE INDEX "person_mixed" ON "person" ("camera" DESC, (lower(email)), (start_time + 1)) '
              "WHERE start_time > 0",
    "postgres": "CREATE INDEX person_mixed ON person USING btree (camera DESC, lower((email)::text), "
                "((start_time + 1))) WHERE (start_time > 0)",
}


def test_columns_then_expressions_with_a_condition(database, specs, run):
    only(database, *SP)
    operation = add_index(columns=[{"column": "camera", "order": "desc"}], expressions=["lower(email)", "start_time + 1"],
                          where="start_time > 0", name="person_mixed")
    round_trip(database, specs, run, [operation], {"person_mixed": MIXED[database.backend]})


def test_a_unique_expression_index_over_duplicated_values_is_refused_before_anything_runs(database, specs, run):
    only(database, *SP)
    before = set_up(database, specs, run, rows=ROWS + [
        "INSERT INTO person (email, camera, start_time, active) VALUES ('ann@example.com', 'side', 40, 1)"])
    specs("v1.1.0", [add_index(expressions=["lower(email)"], unique=True, name="person_email_lower")])
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err
    assert "v1.1.0, operation 0 (add_index)" in err and "1 duplicated value of (lower(email))" in err, err
    assert snapshot(database, catalog=True) == before and database.versions() == ["v1.0.0"]


def test_a_unique_partial_index_counts_duplicates_among_the_rows_it_covers_only(database, specs, run):
    only(database, *SP)
    set_up(database, specs, run)
    database.execute("UPDATE person SET active = 1")  # both 'front' cameras active
    specs("v1.1.0", [add_index(columns=["camera"], unique=True, where="active = 1", name="person_camera_active")])
    code, out, err = run("migrate")
    assert code == 1 and "1 duplicated value of (camera) among the rows where active = 1" in err, err
    database.execute("UPDATE person SET active = 0 WHERE email = 'bob@example.com'")
    ok(run, "migrate")
    assert "WHERE" in index_sql(database, "person_camera_active")


@pytest.mark.parametrize("param, operation", [
    ("expressions", add_index(expressions=["lower(no_such_column)"], name="person_bad")),
    ("where", add_index(columns=["camera"], where="no_such_column = 1", name="person_bad")),
])
def test_sql_the_database_cannot_run_is_refused_before_anything_runs(database, specs, run, param, operation):
    only(database, *SP)
    before = set_up(database, specs, run)
    specs("v1.1.0", [operation])
    code, out, err = run("validate")
    assert code == 2 and f"v1.1.0, operation 0 (add_index): parameter '{param}': the database cannot run it" in err
    code, out, err = run("migrate")
    assert code == 1 and f"parameter '{param}'" in err and "Traceback" not in err, err
    assert snapshot(database, catalog=True) == before and database.versions() == ["v1.0.0"]


def test_an_index_on_expressions_needs_a_name(database, specs, run):
    set_up(database, specs, run)
    path = specs("v1.1.0", [add_index(expressions=["lower(email)"])])
    code, out, err = run("migrate")
    assert code == 2 and f"{path}, operation 0 (add_index), parameter 'name'" in err, err


@pytest.mark.parametrize("param, operation, words", [
    ("where", add_index(columns=["camera"], where="active = 1", name="person_active_camera"),
     "MariaDB has no partial indexes"),
    ("expressions", add_index(expressions=["lower(email)"], name="person_email_lower"),
     "MariaDB has no expression (functional) indexes: index a virtual column instead"),
])
def test_mariadb_refuses_what_it_cannot_index_before_anything_runs(database, specs, run, param, operation, words):
    only(database, "mysql")
    before = set_up(database, specs, run)
    path = specs("v1.1.0", [add_index(columns=["email"], name="person_email_first"), operation])
    for command in ("validate", "plan", "verify", "migrate"):
        code, out, err = run(command)
        assert code == 2 and "Traceback" not in err, (command, err)
        assert f"{path}, operation 1 (add_index), parameter '{param}': {words}" in err, (command, err)
    assert snapshot(database, catalog=True) == before and database.versions() == ["v1.0.0"]


def test_a_sqlite_rebuild_in_the_same_version_keeps_the_index_as_written(database, specs, run):
    only(database, "sqlite")
    operations = [add_index(columns=[{"column": "camera", "order": "desc"}], expressions=["lower(email)"],
                            where="start_time > 0", name="person_mixed"),
                  {"action": "add_not_null", "table": "person", "column": "camera"}]
    expected = ('CREATE INDEX "person_mixed" ON "person" ("camera" DESC, (lower(email))) WHERE start_time > 0')
    round_trip(database, specs, run, operations, {"person_mixed": expected})


# -- drop_index gives back exactly the index it dropped -------------------------------------------

KINDS = {
    "sqlite": [add_index(columns=[{"column": "start_time", "order": "desc"}], name="k_desc"),
               add_index(columns=["camera"], where="active = 1", name="k_partial"),
               add_index(expressions=["lower(email)"], unique=True, name="k_expression"),
               {"action": "sql", "sql": 'CREATE INDEX "k_collate" ON "person" ("email" COLLATE NOCASE)',
                "down": 'DROP INDEX "k_collate"'}],
    "postgres": [add_index(columns=[{"column": "start_time", "order": "desc"}], name="k_desc"),
                 add_index(columns=["camera"], where="active = 1", name="k_partial"),
                 add_index(expressions=["lower(email)"], unique=True, name="k_expression"),
                 {"action": "sql", "sql": 'CREATE INDEX k_collate ON person (email COLLATE "C")',
                  "down": "DROP INDEX k_collate"}],
    "mysql": [add_index(columns=["camera", {"column": "start_time", "order": "desc"}], name="k_desc")],
}


def test_drop_index_of_each_kind_rolls_back_to_the_identical_index(database, specs, run):
    kinds = KINDS[database.backend]
    names = [k.get("name") or k["sql"].split()[2].strip('"') for k in kinds]
    before = set_up(database, specs, run, base=BASE + kinds)
    specs("v1.1.0", [drop_index(name) for name in names])
    assert re.search(r"v1\.1\.0 +reversible", ok(run, "verify"))
    ok(run, "migrate")
    assert all(index_sql(database, name) is None for name in names)
    no_drift(run)
    ok(run, "rollback", "v1.0.0", "--yes")
    assert snapshot(database, catalog=True) == before
    no_drift(run)


# -- rename_index -----------------------------------------------------------------------------------

def test_rename_index(database, specs, run):
    base = BASE + [add_index(columns=["camera", "start_time"], name="person_when")]
    renamed = {"sqlite": 'CREATE INDEX "person_seen" ON "person" ("camera", "start_time")',
               "postgres": "CREATE INDEX person_seen ON person USING btree (camera, start_time)",
               "mysql": [("camera", "A", 1), ("start_time", "A", 1)]}[database.backend]
    round_trip(database, specs, run, [rename_index("person_when", "person_seen")], {"person_seen": renamed,
                                                                                      "person_when": None}, base=base)


def test_rename_an_expression_index_keeps_its_text(database, specs, run):
    only(database, *SP)
    base = BASE + [add_index(expressions=["lower(email)"], where="active = 1", unique=True, name="person_lower")]
    renamed = {"sqlite": 'CREATE UNIQUE INDEX "person_email_key" ON "person" ((lower(email))) WHERE active = 1',
               "postgres": "CREATE UNIQUE INDEX person_email_key ON person USING btree (lower((email)::text)) "
                           "WHERE (active = 1)"}[database.backend]
    round_trip(database, specs, run, [rename_index("person_lower", "person_email_key")],
               {"person_email_key": renamed}, base=base)


def test_rename_the_index_of_a_unique_constraint_renames_the_constraint(database, specs, run):
    only(database, "postgres")
    base = BASE + [{"action": "sql", "sql": "ALTER TABLE person ADD CONSTRAINT person_email_uniq UNIQUE (email)",
                    "down": "ALTER TABLE person DROP CONSTRAINT person_email_uniq"}]
    before = set_up(database, specs, run, base=base)
    specs("v1.1.0", [rename_index("person_email_uniq", "person_email_unique")])
    ok(run, "migrate")
    assert database.query("SELECT conname, contype FROM pg_constraint WHERE conrelid = 'person'::regclass AND "
                          "contype = 'u'") == [("person_email_unique", "u")]
    no_drift(run)
    ok(run, "rollback", "v1.0.0", "--yes")
    assert snapshot(database, catalog=True) == before


QUOTED = {"sqlite": '"', "postgres": '"', "mysql": "`"}


def test_rename_an_index_of_a_mixed_case_table_named_by_a_reserved_word(database, specs, run):
    q = QUOTED[database.backend]
    base = [{"action": "sql", "sql": [f"CREATE TABLE {q}Order{q} ({q}Id{q} INTEGER PRIMARY KEY, {q}Select{q} "
                                      "INTEGER)",
                                      f"CREATE INDEX {q}Order_Select{q} ON {q}Order{q} ({q}Select{q})"],
             "down": f"DROP TABLE {q}Order{q}"}]
    before = set_up(database, specs, run, base=base, rows=[f"INSERT INTO {q}Order{q} VALUES (1, 2)"])
    specs("v1.1.0", [rename_index("Order_Select", "Order_Choice", table="Order")])
    assert re.search(r"v1\.1\.0 +reversible", ok(run, "verify"))
    ok(run, "migrate")
    assert index_sql(database, "Order_Select") is None and index_sql(database, "Order_Choice")
    no_drift(run)
    ok(run, "rollback", "v1.0.0", "--yes")
    assert snapshot(database, catalog=True) == before
    no_drift(run)


def test_rename_index_refuses_a_name_taken_and_a_key_before_anything_runs(database, specs, run):
    base = BASE + [add_index(columns=["camera"]), add_index(columns=["email"])]
    before = set_up(database, specs, run, base=base)
    specs("v1.1.0", [rename_index("person_camera", "person_email")])
    code, out, err = run("migrate")
    assert code == 1 and "an index named person_email already exists (on person)" in err, err
    key = {"sqlite": None, "postgres": "person_pkey", "mysql": "PRIMARY"}[database.backend]
    if key:
        specs("v1.1.0", [rename_index(key, "person_key")])
        code, out, err = run("migrate")
        assert code == 1 and f"{key} is the primary key of person" in err, err
    assert snapshot(database, catalog=True) == before and database.versions() == ["v1.0.0"]


def test_rename_index_refuses_an_index_sqlite_made_for_a_constraint(database, specs, run):
    only(database, "sqlite")
    base = [{"action": "sql", "sql": "CREATE TABLE tag (name TEXT UNIQUE)", "down": "DROP TABLE tag"}]
    before = set_up(database, specs, run, base=base, rows=[])
    specs("v1.1.0", [rename_index("sqlite_autoindex_tag_1", "tag_name", table="tag")])
    code, out, err = run("migrate")
    assert code == 1 and "is the index SQLite made for a PRIMARY KEY or UNIQUE constraint" in err, err
    assert snapshot(database, catalog=True) == before


def test_plan_shows_the_index_s_sql_and_its_inverse(database, specs, run):
    q = QUOTED[database.backend]
    before = set_up(database, specs, run)
    operations = [add_index(columns=["camera", {"column": "start_time", "order": "desc"}]),
                  rename_index("person_camera_start_time", "person_recent")]
    create = "CREATE INDEX CONCURRENTLY" if database.backend == "postgres" else "CREATE INDEX"  # a table with rows
    expected = [f"{create} {q}person_camera_start_time{q} ON {q}person{q} ({q}camera{q}, {q}start_time{q} DESC)"]
    if database.backend != "mysql":
        operations.append(add_index(columns=["camera"], where="active = 1", name="person_active_camera"))
        expected.append(f"{create} {q}person_active_camera{q} ON {q}person{q} ({q}camera{q}) WHERE active = 1")
    specs("v1.1.0", operations)
    out = ok(run, "plan", "--json")
    steps = json.loads(out)["versions"][0]["operations"]
    text = json.dumps(steps)
    for statement in expected:
        assert json.dumps(statement)[1:-1] in text, out
    assert steps[1]["inverse"] == [rename_index("person_recent", "person_camera_start_time")]
    assert steps[0]["inverse"] == [drop_index("person_camera_start_time")]
    assert snapshot(database, catalog=True) == before


@sqlite_only
@pytest.mark.parametrize("operation, param, words", [
    (add_index(columns=[{"column": "camera", "order": "down"}]), "columns",
     "invalid value \"down\": 'down' is not one of ['asc', 'desc']"),
    (add_index(unique=True), "columns", "give 'columns', 'expressions' or both"),
    (add_index(columns=["camera", {"column": "camera", "order": "desc"}]), "columns", "column camera is given twice"),
    (add_index(columns=["camera"], where=" "), "where", "an empty condition"),
    (add_index(expressions=["lower(email)", ""], name="person_x"), "expressions", "an empty expression"),
    (add_index(expressions=[], name="person_x"), "expressions", "invalid value"),
    (rename_index("person_camera", "person camera"), "new_name", "is not a valid name"),
])
def test_bad_input_is_refused_naming_the_file_operation_and_parameter(database, specs, run, operation, param, words):
    before = set_up(database, specs, run)
    path = specs("v1.1.0", [operation])
    code, out, err = run("migrate")
    assert code == 2 and "Traceback" not in err, err
    assert f"{path}, operation 0 ({operation['action']}), parameter '{param}': " in err and words in err, err
    assert snapshot(database, catalog=True) == before and database.versions() == ["v1.0.0"]


def test_a_version_refused_halfway_leaves_nothing_behind(database, specs, run):
    """The first index is built, then the second cannot be (the version's sql operation duplicates a value): the version is rolled back, or undone on MySQL/MariaDB, to exactly the catalog and rows of before."""
    before = set_up(database, specs, run)
    specs("v1.1.0", [
        add_index(columns=["camera", {"column": "start_time", "order": "desc"}]),
        {"action": "sql", "sql": "UPDATE person SET camera = 'front' WHERE email = 'carl@example.com'",
         "down": "UPDATE person SET camera = 'back' WHERE email = 'carl@example.com'"},
        add_index(columns=[{"column": "camera", "order": "desc"}], unique=True, name="person_camera_unique"),
    ])
    code, out, err = run("migrate")
    assert code == 1 and "operation 2 (add_index)" in err and "Traceback" not in err, err
    assert snapshot(database, catalog=True) == before
    assert [v for v, state in database.history() if state == "applied"] == ["v1.0.0"]
