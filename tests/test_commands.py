"""The commands beyond migrate and rollback, checked against the database itself: validate, preflight,
plan and --dry-run, repair, drift, baseline, new, out-of-order versions, schema, --json and -q on every
command, the history's provenance columns, progress lines, --help and --version."""
import getpass
import json
import re
import socket

import jsonschema
import pytest

import migrator
import processes
from conftest import _by_name, column_order, error_document, ok, snapshot, sqlite_only
from migrator.spec import checksum, schema_path

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/x"

ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=50, null=True)", "code": "CharField(max_length=20, null=True)"}}]}
ADD_NOTE = {"description": "Notes", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]}
ADD_OTHER = {"operations": [
    {"action": "add_column", "table": "items", "column_name": "other", "field": "IntegerField(null=True)"}]}
# Two rows whose names are longer than 5 characters, two duplicated codes ('a', 'b'), NULLs in both.
ITEM_ROWS = ("INSERT INTO items (name, code) VALUES ('alpha-long', 'a')",
             "INSERT INTO items (name, code) VALUES ('beta-long', 'a')",
             "INSERT INTO items (name, code) VALUES ('gam', 'b')",
             "INSERT INTO items (name, code) VALUES ('del', 'b')",
             "INSERT INTO items (name, code) VALUES (NULL, NULL)",
             "INSERT INTO items (name, code) VALUES (NULL, NULL)")


def mentions(sql, column):
    return any(column in statement for statement in sql)


# -- validate --------------------------------------------------------------------------------

def test_validate_exits_0_on_good_specs_and_writes_nothing(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    ok(cli, "migrate", "v1.0.0", *common)
    database.execute(*ITEM_ROWS)
    before = snapshot(database, everything=True)
    out = ok(cli, "validate", *common)
    assert "2 spec files are valid and checked against" in out
    report = json.loads(ok(cli, "validate", "--json", *common))
    assert report["valid"] is True and report["database"] is not None
    assert snapshot(database, everything=True) == before  # on SQLite this includes the file's bytes


def test_validate_on_a_database_without_history_creates_no_history_table(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    before = snapshot(database, everything=True)
    ok(cli, "validate", *common)
    assert "schema_migrations" not in database.tables()
    assert snapshot(database, everything=True) == before


def test_validate_of_an_sqlite_file_that_does_not_exist_creates_no_file(cli, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    path = tmp_path / "missing.db"
    # A mistyped path must not leave an empty database behind: validate writes nothing.
    code, out, err = cli("validate", "--database-url", f"sqlite:///{path}", "--specs-dir", specs.folder)
    assert code == 0, err
    assert not path.exists()


@sqlite_only
def test_validate_exits_2_on_an_invalid_spec(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [{"action": "add_column", "table": "items", "column_name": "x",
                                      "field": "IntegerField(nul=True)"}]})
    code, out, err = cli("validate", *common)
    assert code == 2
    assert "v1.1.0.json, operation 0 (add_column)" in err
    assert "schema_migrations" not in database.tables()


OUT_OF_SEQUENCE = {
    "renamed-before-it-exists": (
        [{"action": "rename_column", "table": "items", "old_name": "title", "new_name": "heading"}],
        [{"action": "add_column", "table": "items", "column_name": "title", "field": "TextField(null=True)"}],
        "v1.1.0, operation 0 (rename_column): column items.title does not exist"),
    "index-on-a-dropped-column": (
        [{"action": "drop_column", "table": "items", "column_name": "code"}],
        [{"action": "add_index", "table": "items", "columns": ["code"]}],
        "v1.2.0, operation 0 (add_index): column items.code does not exist"),
}


@pytest.mark.parametrize("case", OUT_OF_SEQUENCE, ids=list(OUT_OF_SEQUENCE))
def test_validate_exits_2_when_operations_do_not_make_sense_in_order(database, cli, common, specs, case):
    second, third, message = OUT_OF_SEQUENCE[case]
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", second)
    specs("v1.2.0", third)
    before = snapshot(database, everything=True)
    code, out, err = cli("validate", *common)
    # The files contradict each other whatever the database holds: an invalid spec set, not a preflight finding.
    assert code == 2, err
    assert message in err
    assert snapshot(database, everything=True) == before


@pytest.mark.parametrize("case", OUT_OF_SEQUENCE, ids=list(OUT_OF_SEQUENCE))
def test_validate_without_a_reachable_database_checks_the_order_from_files_only(cli, specs, case):
    second, third, message = OUT_OF_SEQUENCE[case]
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", second)
    specs("v1.2.0", third)
    code, out, err = cli("validate", "--database-url", UNREACHABLE, "--specs-dir", specs.folder)
    assert code == 2
    assert message in err


def test_validate_without_a_reachable_database_says_it_was_not_reached(cli, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    code, out, err = cli("validate", "--database-url", UNREACHABLE, "--specs-dir", specs.folder)
    assert code == 0, err
    assert "files only" in out and "cannot connect to postgresql://postgres@127.0.0.1:1/x" in out
    report = json.loads(ok(cli, "validate", "--json", "--database-url", UNREACHABLE, "--specs-dir", specs.folder))
    assert report["valid"] is True and report["database"] is None and "cannot connect" in report["reason"]


def test_validate_exits_4_when_an_applied_spec_checksum_differs(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    specs("v1.0.0", {**ITEMS, "description": "Items, edited"})
    before = snapshot(database, everything=True)
    code, out, err = cli("validate", *common)
    assert code == 4
    assert "v1.0.0" in err and "changed" in err
    # lint and verify refuse it as migrate does (a new-user trial: they said "nothing pending", exit 0)
    for command in ("lint", "verify", "migrate"):
        assert cli(command, *common) == (code, out, err), command
    assert snapshot(database, everything=True) == before


# -- preflight -------------------------------------------------------------------------------

COMMENTS = {"operations": [{"action": "create_table", "table": "comments", "columns": {
    "post_id": "IntegerField(null=True)", "body": "TextField(null=True)"}}]}


def test_add_not_null_over_null_rows_fails_preflight_and_nothing_runs(database, cli, common, specs):
    specs("v1.0.0", COMMENTS)
    ok(cli, "migrate", *common)
    database.execute("INSERT INTO comments (post_id, body) VALUES (1, 'kept')",
                     *["INSERT INTO comments (post_id, body) VALUES (NULL, 'orphan')"] * 3)
    # v1.1.0 alone would apply; it must not run either, as the run stops before its first statement.
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "comments", "column_name": "note", "field": "TextField(null=True)"}]})
    specs("v1.2.0", {"operations": [
        {"action": "add_index", "table": "comments", "columns": ["body"]},
        {"action": "add_not_null", "table": "comments", "column": "post_id"}]})
    before = snapshot(database, everything=True)
    expected = "v1.2.0, operation 1 (add_not_null): comments.post_id has 3 NULL rows"
    for command in (["migrate"], ["plan"], ["migrate", "--dry-run"], ["validate"]):
        code, out, err = cli(*command, *common)
        assert code == 1, (command, out, err)
        assert expected in err, command
        assert snapshot(database, everything=True) == before, command
    assert database.versions() == ["v1.0.0"]
    assert "note" not in {c["name"] for c in database.schema()["comments"]["columns"]}


PREFLIGHT = {
    "duplicates-before-unique-index": (
        {"action": "add_index", "table": "items", "columns": ["code"], "unique": True},
        "v1.1.0, operation 0 (add_index): items has 2 duplicated values of (code)"),
    "values-longer-than-new-max-length": (
        {"action": "alter_column_type", "table": "items", "column": "name", "field": "CharField(max_length=5)"},
        "v1.1.0, operation 0 (alter_column_type): items.name has 2 values longer than 5 characters"),
    "missing-table": (
        {"action": "add_column", "table": "products", "column_name": "x", "field": "IntegerField(null=True)"},
        "v1.1.0, operation 0 (add_column): table products does not exist"),
    "foreign-key-to-a-missing-table": (
        {"action": "add_column", "table": "items", "column_name": "coupon",
         "field": "ForeignKeyField('coupon', null=True)"},
        "v1.1.0, operation 0 (add_column): parameter 'field': the foreign key refers to table coupon, which does "
        "not exist"),
    "missing-column": (
        {"action": "drop_not_null", "table": "items", "column": "price"},
        "v1.1.0, operation 0 (drop_not_null): column items.price does not exist"),
    "create-existing-table": (
        {"action": "create_table", "table": "items", "columns": {"x": "IntegerField()"}},
        "v1.1.0, operation 0 (create_table): table items already exists"),
}


def test_preflight_refuses_an_operation_the_live_database_cannot_take(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    database.execute(*ITEM_ROWS)
    before = snapshot(database, everything=True)
    # Nothing runs in any case, so every case starts from the same database.
    for case, (operation, expected) in PREFLIGHT.items():
        specs("v1.1.0", {"operations": [operation]})
        code, out, err = cli("migrate", "--json", *common)
        assert code == 1, (case, out, err)
        error = error_document(out)
        assert error["code"] == 1 and expected in error["message"], case
        # lint and verify refuse it as validate does (found by a new-user trial: lint rated it and exited 0, and
        # verify called the version not reversible): exit 2 for what does not fit the schema, 1 for the data
        refused = cli("validate", *common)
        assert refused[0] in (1, 2) and expected in refused[2], case
        assert cli("lint", *common) == refused, case
        if "--accept-loss" not in refused[2]:  # verify accepts a loss: whether the backup brings it back is its question
            assert cli("verify", *common) == refused, case
        assert snapshot(database, everything=True) == before, case
    assert database.versions() == ["v1.0.0"]


ORDERS = {"action": "create_table", "table": "orders", "columns": {"item": "ForeignKeyField('items', null=True)"}}
FOLLOWED = {
    "foreign-key-made-in-the-version": (
        [ORDERS, {"action": "drop_table", "table": "items"}],
        "operation 1 (drop_table): items is used by the foreign key of table orders"),
    "foreign-key-to-a-renamed-table": (
        [ORDERS, {"action": "rename_table", "old_name": "items", "new_name": "products"},
         {"action": "drop_table", "table": "products"}],
        "operation 2 (drop_table): products is used by the foreign key of table orders"),
    "renamed-key": (
        [{"action": "rename_column", "table": "items", "old_name": "id", "new_name": "item_id"},
         {"action": "drop_column", "table": "items", "column_name": "item_id"}],
        "operation 1 (drop_column): items.item_id is the primary key"),
}


def test_preflight_follows_the_keys_and_foreign_keys_the_version_itself_makes_and_changes(
        database, cli, common, specs):
    # Found by the property test: a dropped foreign key still counted, one made or renamed in the version did
    # not, and a renamed key column was no longer known as the key.
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    database.execute(*ITEM_ROWS)
    before = snapshot(database, everything=True)
    for case, (operations, expected) in FOLLOWED.items():
        specs("v1.1.0", {"operations": operations})
        code, out, err = cli("migrate", "--json", *common)
        assert code == 1 and expected in error_document(out)["message"], (case, out, err)
        assert snapshot(database, everything=True) == before, case
    specs("v1.1.0", {"operations": [ORDERS, {"action": "drop_column", "table": "orders", "column_name": "item"},
                                    {"action": "drop_table", "table": "items"}]})
    ok(cli, "migrate", *common)  # the foreign key went with its column
    assert "items" not in database.tables() and "orders" in database.tables()
    ok(cli, "rollback", *common)
    (schema, rows, _), (schema_before, rows_before, _) = snapshot(database, everything=True), before
    assert schema == schema_before  # and every table's rows but the history's; not the file
    assert {t: r for t, r in rows.items() if t != "schema_migrations"} == \
        {t: r for t, r in rows_before.items() if t != "schema_migrations"}
    # the indexes Peewee makes for a foreign key or index=True, known before they exist: one run, two versions
    specs("v1.1.0", {"operations": [ORDERS, {"action": "add_column", "table": "orders", "column_name": "code",
                                             "field": "CharField(max_length=5, null=True, index=True)"}]})
    specs("v1.2.0", {"operations": [{"action": "drop_index", "table": "orders", "index_name": "orders_item"},
                                    {"action": "drop_index", "table": "orders", "index_name": "orders_code"}]})
    ok(cli, "migrate", *common)


# -- plan and migrate --dry-run --------------------------------------------------------------

PLANNED = {"description": "Rename, note, index, drop", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
    {"action": "rename_column", "table": "items", "old_name": "name", "new_name": "title"},
    {"action": "add_index", "table": "items", "columns": ["code"]},
    {"action": "drop_column", "table": "items", "column_name": "code"},
]}


def test_plan_shows_sql_and_inverse_per_operation_and_changes_nothing(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    database.execute(*ITEM_ROWS)
    specs("v1.1.0", PLANNED)
    before = snapshot(database, everything=True)

    # MySQL/MariaDB cannot roll back DDL, so there the SQL is generated without running.
    how = "generated only" if database.backend == "mysql" else "rolled back"
    plan = json.loads(ok(cli, "plan", "v1.1.0", "--json", *common))
    assert {"database", "method", "versions"} <= set(plan)
    assert how in plan["method"]
    # what migrate adds there, that a plan which runs nothing cannot know the server takes, is said
    assert ("ALGORITHM=INSTANT first, then with ALGORITHM=INPLACE, LOCK=NONE" in plan["method"]) == \
        (database.backend == "mysql")
    [version] = plan["versions"]
    assert version["version"] == "v1.1.0"
    steps = version["operations"]
    assert [s["action"] for s in steps] == ["add_column", "rename_column", "add_index", "drop_column"]
    for step in steps:
        assert "error" not in step, step
        assert step["sql"] and all(isinstance(s, str) for s in step["sql"]), step
    assert mentions(steps[0]["sql"], "note")
    assert mentions(steps[1]["sql"], "title")
    assert steps[0]["inverse"] == [{"action": "drop_column", "table": "items", "column_name": "note"}]
    assert steps[1]["inverse"] == [{"action": "rename_column", "table": "items", "old_name": "title",
                                    "new_name": "name"}]
    assert steps[2]["inverse"] == [{"action": "drop_index", "table": "items", "index_name": "items_code"}]
    # The inverse of the drop brings the column back and its data from a backup.
    assert steps[3]["inverse"][0]["action"] == "add_column" and steps[3]["inverse"][0]["column_name"] == "code"
    assert snapshot(database, everything=True) == before

    for command in (["plan"], ["migrate", "--dry-run"]):
        out = ok(cli, *command, *common)
        assert how in out
        assert "v1.1.0" in out and "add_column" in out and "inverse: " in out
        assert snapshot(database, everything=True) == before, command
    assert json.loads(ok(cli, "migrate", "--dry-run", "--json", *common)) == plan
    assert snapshot(database, everything=True) == before
    assert database.versions() == ["v1.0.0"]


def test_plan_of_several_pending_versions_plans_each_on_the_schema_the_earlier_ones_make(
        database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    before = snapshot(database, everything=True)
    plan = json.loads(ok(cli, "plan", "--json", *common))
    # (MySQL/MariaDB: generated only, each statement from the schema as planned so far)
    assert [v["version"] for v in plan["versions"]] == ["v1.0.0", "v1.1.0"]
    add_note = plan["versions"][1]["operations"][0]
    assert "error" not in add_note, add_note  # v1.1.0 must be planned with v1.0.0's items table in place
    assert mentions(add_note["sql"], "note")
    assert snapshot(database, everything=True) == before


# -- repair ----------------------------------------------------------------------------------

def test_repair_yes_records_the_edited_spec_checksum(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    edited = {**ITEMS, "description": "Items, described better"}
    specs("v1.0.0", edited)
    specs("v1.1.0", ADD_NOTE)
    assert json.loads(ok(cli, "status", "--json", *common))["versions"][0]["state"] == "changed"
    assert cli("migrate", *common)[0] == 4

    out = ok(cli, "repair", "--yes", *common)
    assert "recorded the new checksums of v1.0.0" in out
    assert database.query("SELECT checksum FROM schema_migrations") == [(checksum(edited),)]
    assert [v["state"] for v in json.loads(ok(cli, "status", "--json", *common))["versions"]] == \
        ["applied", "pending"]
    ok(cli, "migrate", *common)
    assert database.versions() == ["v1.0.0", "v1.1.0"]
    assert "note" in {c["name"] for c in database.schema()["items"]["columns"]}


@sqlite_only
def test_repair_without_yes_refuses_when_stdin_is_not_a_terminal(database, common, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    run = processes.run(tmp_path, "migrate", *common)
    assert run.returncode == 0, run.stderr
    recorded = database.query("SELECT checksum FROM schema_migrations")
    specs("v1.0.0", {**ITEMS, "description": "edited"})
    # A "y" arriving on a pipe is not a person answering: without a terminal repair must not ask.
    run = processes.run(tmp_path, "repair", *common, input="y\n")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--yes" in run.stderr
    assert database.query("SELECT checksum FROM schema_migrations") == recorded


# -- drift -----------------------------------------------------------------------------------

def test_drift_is_reported_for_a_change_made_outside_migrator(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)

    def drift():
        return json.loads(ok(cli, "status", "--json", *common))["drift"]

    ok(cli, "migrate", *common)
    assert drift() is None
    ok(cli, "rollback", *common)
    assert database.versions() == ["v1.0.0"]
    assert drift() is None
    ok(cli, "migrate", *common)
    assert drift() is None
    ok(cli, "validate", *common)

    database.execute("ALTER TABLE items ADD COLUMN extra INTEGER")
    found = drift()
    assert found["version"] == "v1.1.0"
    assert any("items.extra" in d and "added" in d for d in found["differences"]), found
    assert "items.extra" in ok(cli, "status", *common)
    code, out, err = cli("validate", *common)
    assert code == 4
    assert "items.extra" in err


def test_only_the_newest_version_keeps_the_whole_schema_and_a_fingerprint_alone_still_finds_drift(
        database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)

    def kept():
        return [(version, fingerprint is not None, schema is not None) for version, fingerprint, schema in
                database.history(columns="version, fingerprint, schema_after")]

    def drift():
        return json.loads(ok(cli, "status", "--json", *common))["drift"]

    ok(cli, "migrate", *common)
    assert kept() == [("v1.0.0", True, False), ("v1.1.0", True, True)]
    ok(cli, "rollback", *common)
    assert kept() == [("v1.0.0", True, True)]  # the rollback left the schema v1.0.0 recorded
    ok(cli, "migrate", *common)
    database.execute("UPDATE schema_migrations SET schema_after = NULL")  # as a run killed before its end leaves it
    assert drift() is None
    database.execute("ALTER TABLE items ADD COLUMN extra INTEGER")
    found = drift()
    assert found["version"] == "v1.1.0" and "only its fingerprint was kept" in found["differences"][0], found


# -- baseline --------------------------------------------------------------------------------

EXISTING_ITEMS = {
    "sqlite": "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50), code VARCHAR(20))",
    "postgres": "CREATE TABLE items (id SERIAL NOT NULL PRIMARY KEY, name VARCHAR(50), code VARCHAR(20))",
    "mysql": "CREATE TABLE items (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), "
             "code VARCHAR(20))",
}


def test_baseline_adopts_an_existing_schema_without_running_anything(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [{"action": "add_index", "table": "items", "columns": ["code"]}]})
    specs("v1.2.0", ADD_NOTE)
    database.execute(EXISTING_ITEMS[database.backend], "CREATE INDEX items_code ON items (code)", *ITEM_ROWS)
    schema, rows = database.schema(), snapshot(database)[1]["items"]

    out = ok(cli, "baseline", "v1.1.0", *common)
    assert "v1.0.0, v1.1.0" in out
    assert database.history(columns="version, state, inverse") == \
        [("v1.0.0", "applied", None), ("v1.1.0", "applied", None)]
    assert database.schema() == schema  # nothing ran: not a single DDL statement
    assert snapshot(database)[1]["items"] == rows
    status = json.loads(ok(cli, "status", "--json", *common))
    assert [v["state"] for v in status["versions"]] == ["applied", "applied", "pending"]
    assert status["drift"] is None

    ok(cli, "migrate", *common)
    assert database.versions() == ["v1.0.0", "v1.1.0", "v1.2.0"]
    assert "note" in {c["name"] for c in database.schema()["items"]["columns"]}

    before = snapshot(database, everything=True)
    code, out, err = cli("rollback", "v1.0.0", *common)
    assert code == 2
    assert "v1.1.0 was recorded by baseline" in err
    assert "`migrator rollback v1.1.0` undoes the versions applied after it" in err
    assert snapshot(database, everything=True) == before  # not even v1.2.0, above the baseline, was undone
    ok(cli, "rollback", "v1.1.0", *common)  # as the message says
    assert database.versions() == ["v1.0.0", "v1.1.0"]
    ok(cli, "migrate", *common)

    before = snapshot(database, everything=True)
    code, out, err = cli("baseline", "v1.0.0", *common)
    assert code == 4
    assert "history is not empty" in err
    assert snapshot(database, everything=True) == before


# -- new -------------------------------------------------------------------------------------

def spec_validator():
    return jsonschema.Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))


def test_new_writes_the_next_minor_version_with_a_description(cli, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.2.0", ADD_NOTE)
    out = ok(cli, "new", "-m", "Tags for items", "--specs-dir", specs.folder)
    path = specs.folder / "v1.3.0.json"
    assert str(path) in out
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["description"] == "Tags for items" and body["operations"] == []
    assert (path.parent / body["$schema"]).read_bytes() == schema_path().read_bytes()  # the copy beside it
    spec_validator().validate(body)
    code, _, err = cli("validate", "--database-url", UNREACHABLE, "--specs-dir", specs.folder)
    assert code == 2 and "v1.3.0 has no operations" in err  # until it has some


def test_new_with_an_explicit_version_and_numeric_ordering(cli, specs):
    specs("v1.9.0", ITEMS)
    specs("v1.10.0", ADD_NOTE)
    ok(cli, "new", "--specs-dir", specs.folder)
    assert (specs.folder / "v1.11.0.json").is_file()  # after v1.10.0, not v1.10.0 again after v1.9.0
    ok(cli, "new", "v2.0.0", "-m", "Two", "--specs-dir", specs.folder)
    body = json.loads((specs.folder / "v2.0.0.json").read_text(encoding="utf-8"))
    assert body["description"] == "Two"
    spec_validator().validate(body)


def test_new_writes_v1_0_0_into_an_empty_folder(cli, specs):
    ok(cli, "new", "--specs-dir", specs.folder)
    assert sorted(p.name for p in specs.folder.iterdir()) == ["spec.schema.json", "v1.0.0.json"]


@pytest.mark.parametrize("version", ["v1.2.0", "v1.2"])
def test_new_of_an_existing_version_exits_2_and_writes_nothing(cli, specs, version):
    specs("v1.2.0", ADD_NOTE)
    before = (specs.folder / "v1.2.0.json").read_bytes()
    code, out, err = cli("new", version, "--specs-dir", specs.folder)
    assert code == 2
    assert "already exists" in err
    assert [p.name for p in specs.folder.iterdir()] == ["v1.2.0.json"]
    assert (specs.folder / "v1.2.0.json").read_bytes() == before


# -- out-of-order versions -------------------------------------------------------------------

def test_a_pending_version_below_the_newest_applied_needs_out_of_order(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.2.0", ADD_NOTE)
    ok(cli, "migrate", *common)
    specs("v1.1.0", ADD_OTHER)
    states = {v["version"]: v["state"] for v in json.loads(ok(cli, "status", "--json", *common))["versions"]}
    assert states == {"v1.0.0": "applied", "v1.1.0": "out_of_order", "v1.2.0": "applied"}

    before = snapshot(database, everything=True)
    code, out, err = cli("migrate", *common)
    assert code == 4
    assert "v1.1.0" in err and "--out-of-order" in err
    assert snapshot(database, everything=True) == before

    ok(cli, "migrate", "--out-of-order", *common)
    assert database.versions() == ["v1.0.0", "v1.2.0", "v1.1.0"]
    assert "other" in {c["name"] for c in database.schema()["items"]["columns"]}
    states = [v["state"] for v in json.loads(ok(cli, "status", "--json", *common))["versions"]]
    assert states == ["applied"] * 3


# -- schema ----------------------------------------------------------------------------------

LIBRARY = {"operations": [
    {"action": "create_table", "table": "authors", "columns": {"name": "CharField(max_length=80, unique=True)"}},
    {"action": "create_table", "table": "books", "columns": {
        "author_id": "ForeignKeyField('authors', on_delete='CASCADE')",
        "title": "CharField(max_length=100, null=True)",
        "status": "CharField(max_length=20, default='draft')"}},
    {"action": "add_default", "table": "books", "column": "status", "default": "draft"},
]}


def test_schema_json_shows_tables_columns_indexes_and_foreign_keys_only(database, cli, common, specs):
    specs("v1.0.0", LIBRARY)
    specs("v1.1.0", {"operations": [{"action": "drop_column", "table": "books", "column_name": "title"}]})
    ok(cli, "migrate", "v1.0.0", *common)
    database.execute("INSERT INTO authors (name) VALUES ('ann')",
                     "INSERT INTO books (author_id, title) VALUES (1, 'Alpha')")
    ok(cli, "migrate", *common)
    # The dropped column's values were kept in a backup table, which must not show.
    assert any(t.startswith("_migrator_backup_") for t in database.tables())

    schema = json.loads(ok(cli, "schema", "--json", *common))
    assert set(schema["tables"]) == {"authors", "books"}
    books = schema["tables"]["books"]
    columns = {c["name"]: c for c in books["columns"]}
    assert set(columns) == {"id", "author_id", "status"}
    assert columns["id"]["primary_key"] is True
    assert columns["author_id"]["null"] is False and "int" in columns["author_id"]["type"].lower()
    assert "char" in columns["status"]["type"].lower() and "20" in columns["status"]["type"]
    assert columns["status"]["null"] is False and "draft" in columns["status"]["default"]
    assert {(i["name"], tuple(i["columns"]), i["unique"]) for i in books["indexes"]} == \
        {("books_author_id", ("author_id",), False)}
    [fk] = books["foreign_keys"]
    assert (fk["column"], fk["references"], fk["on_delete"]) == ("author_id", "authors.id", "CASCADE")
    authors = schema["tables"]["authors"]
    assert {(i["name"], tuple(i["columns"]), i["unique"]) for i in authors["indexes"]} == \
        {("authors_name", ("name",), True)}
    assert [c["name"] for c in books["columns"]] == column_order(database, "books")  # as the table has them
    # the same as introspection, nothing added or left out
    assert {name: _by_name(table) for name, table in schema["tables"].items()} == database.schema()
    text = ok(cli, "schema", *common)
    assert "schema_migrations" not in text and "_migrator_" not in text
    assert "foreign key author_id -> authors.id on delete CASCADE" in text


# -- --json and -q on every command -----------------------------------------------------------

def test_json_prints_one_document_for_every_command(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [{"action": "drop_column", "table": "items", "column_name": "code"}]})

    def document(*args):
        code, out, err = cli(*args, "--json", *common)
        assert code == 0, out + err
        assert "Traceback" not in err
        return json.loads(out)  # fails unless stdout is exactly one JSON document

    assert document("validate")["valid"] is True
    assert document("plan")["versions"]
    assert document("verify")["reversible"] is True
    assert document("migrate", "v1.0.0")["current"] == "v1.0.0"
    database.execute(*ITEM_ROWS)
    assert [v["version"] for v in document("migrate")["applied"]] == ["v1.1.0"]
    assert document("status")["versions"][1]["backups"] == {"tables": 1, "rows": 6}
    assert set(document("schema")["tables"]) == {"items"}
    assert document("prune", "--yes")["pruned"] == {"v1.1.0": ["_migrator_backup_1_1_0_0"]}
    assert document("repair", "--yes") == {"resolved": [], "checksums_recorded": [], "changes": {}}
    assert [v["version"] for v in document("rollback", "base")["rolled_back"]] == ["v1.1.0", "v1.0.0"]
    assert document("baseline", "v1.0.0", "--force")["baseline"] == ["v1.0.0"]  # items is gone
    assert document("new", "-m", "next")["path"].endswith("v1.2.0.json")


def test_json_errors_are_one_document_with_the_exit_code(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    database.execute(*ITEM_ROWS)
    specs("v1.1.0", {"operations": [{"action": "add_not_null", "table": "items", "column": "name"}]})
    unreachable = ["--database-url", UNREACHABLE, "--specs-dir", specs.folder]
    cases = [
        (["migrate", "v9.0.0", *common], 2),
        (["rollback", "v9.0.0", *common], 2),
        (["status", *unreachable], 1),
        (["plan", *common], 1),  # preflight: NULL names
        (["schema", *unreachable], 1),
        (["baseline", "v1.0.0", *common], 4),
        (["new", "v1.0.0", *common], 2),
        (["verify", "v9.0.0", *common], 2),
        (["prune", "v9.0.0", *common], 2),  # not a version (without backups to drop, prune asks nothing)
    ]
    for args, expected in cases:
        code, out, err = cli(*args, "--json")
        assert code == expected, (args, out, err)
        assert error_document(out)["code"] == expected, args
        assert err == "", args  # the error is in the document, nothing else is printed
    specs("v1.0.0", {**ITEMS, "description": "edited"})
    for args, expected in ((["validate", *common], 4), (["repair", *common], 2)):
        code, out, err = cli(*args, "--json")
        assert code == expected, (args, out, err)
        assert error_document(out)["code"] == expected, args
        assert err == "", args
    assert database.versions() == ["v1.0.0"]


@sqlite_only
def test_json_reports_bad_arguments_as_an_error_document(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    code, out, err = cli("rollback", "--steps", "two", "--json", *common)
    assert code == 2
    assert error_document(out)["code"] == 2


@sqlite_only  # what is printed does not depend on the backend
def test_quiet_prints_nothing_on_success(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [{"action": "drop_column", "table": "items", "column_name": "code"}]})
    runs = [["validate"], ["plan"], ["verify"], ["migrate", "v1.0.0"], ["migrate"], ["status"], ["schema"],
            ["prune", "--yes"], ["repair", "--yes"], ["rollback", "base"], ["baseline", "v1.0.0", "--force"], ["new"]]
    for args in runs:
        assert cli(*args, "-q", *common) == (0, "", ""), args
    assert database.versions() == ["v1.0.0"]  # the quiet runs did their work
    assert (specs.folder / "v1.2.0.json").is_file()


# -- the history table -----------------------------------------------------------------------

def test_history_records_who_applied_each_version_and_with_which_migrator(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    ok(cli, "migrate", *common)
    db = database.connect()
    try:
        columns = {c.name for c in db.get_columns("schema_migrations")}
    finally:
        db.close()
    assert {"applied_by", "tool_version", "fingerprint", "schema_after"} <= columns
    rows = database.history(columns="version, applied_by, tool_version")
    who = f"{getpass.getuser()}@{socket.gethostname()}"
    assert rows == [("v1.0.0", who, migrator.__version__), ("v1.1.0", who, migrator.__version__)]
    status = json.loads(ok(cli, "status", "--json", *common))
    assert {(v["applied_by"], v["tool_version"]) for v in status["versions"]} == {(who, migrator.__version__)}


# -- progress, --help, --version -------------------------------------------------------------

@sqlite_only
def test_progress_without_a_terminal_is_one_plain_line_per_version(database, common, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    specs("v1.2.0", ADD_OTHER)
    for command, verb, order in ((["migrate"], "applied", ["v1.0.0", "v1.1.0", "v1.2.0"]),
                                 (["rollback", "base"], "rolled back", ["v1.2.0", "v1.1.0", "v1.0.0"])):
        run = processes.run(tmp_path, *command, *common, text=False)
        assert run.returncode == 0, run.stderr
        assert b"\r" not in run.stdout and b"\x1b" not in run.stdout
        lines = run.stdout.decode().splitlines()
        assert len(lines) == 4, lines
        for line, version in zip(lines, order):
            assert re.fullmatch(rf"{verb} {version} in \d+ ms.*", line), line
        assert lines[3].endswith("is at v1.2.0" if verb == "applied" else "is at no version")


COMMON_OPTIONS = [("--database-url", "DATABASE_URL", "sqlite:///app.db"),
                  ("--specs-dir", "MIGRATOR_SPECS_DIR", "specs"),
                  ("--table", "MIGRATOR_TABLE", "schema_migrations"),
                  ("--lock-timeout", "MIGRATOR_LOCK_TIMEOUT", "60"),
                  ("--schema", "MIGRATOR_SCHEMA", "none")]
COMMAND_OPTIONS = {
    None: ["--version"], "migrate": ["VERSION", "--out-of-order", "--no-backup", "--dry-run"],
    "rollback": ["VERSION", "--steps"], "status": [], "plan": ["VERSION"], "validate": [], "verify": ["VERSION"],
    "schema": [], "baseline": ["VERSION", "--force"], "new": ["VERSION", "-m"], "repair": ["--accept", "--yes"],
    "prune": ["VERSION", "--yes"],
}


def option_help(text, flag):
    """The help lines of one option: its own line and the indented lines that continue it."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"\s+(?:-[-\w]*, )*{re.escape(flag)}\b", line)),
                 None)
    if start is None:
        return ""
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.strip() or line.strip().startswith("-"):
            break
        block.append(line)
    return " ".join(" ".join(block).split())


@pytest.mark.parametrize("command", list(COMMAND_OPTIONS), ids=lambda c: c or "migrator")
def test_help_lists_every_option_with_environment_and_default(cli, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = cli(*([command] if command else []), "--help")
    assert code == 0, err
    for flag in COMMAND_OPTIONS[command]:
        assert flag in out, flag
    for flag, env, default in COMMON_OPTIONS:
        described = option_help(out, flag)
        assert f"env {env}" in described and re.search(rf"default {re.escape(default)}\b", described), described
    for flag in ("--json", "-v", "--verbose", "-q", "--quiet"):
        assert option_help(out, flag), flag
    if command is None:
        for name in COMMAND_OPTIONS:
            assert name is None or name in out, name


def test_version_prints_the_version(cli, tmp_path):
    code, out, _ = cli("--version")
    assert code == 0
    assert out.strip() == f"migrator {migrator.__version__}"
    run = processes.run(tmp_path, "--version")
    assert run.stdout.strip() == f"migrator {migrator.__version__}"


# -- what a command imports ------------------------------------------------------------------------

DRIVERS = {"sqlite": set(), "postgres": {"psycopg2", "playhouse.postgres_ext"}, "mysql": {"pymysql"}}
# what playhouse.db_url imports when it can, for other URL schemes than these three
URL_EXTENSIONS = ("playhouse.cockroachdb", "playhouse.cysqlite_ext", "playhouse.mysql_ext", "playhouse.postgres_ext",
                  "playhouse.sqlite_ext")


def test_a_command_imports_only_the_driver_its_url_uses_and_status_no_validator_nor_table_reader(
        database, specs, run, tmp_path):
    specs("v1.0.0", [{"action": "create_table", "table": "items", "columns": {"name": "TextField()"}}])
    assert run("migrate")[0] == 0
    probe = ("import json, sys\nfrom migrator.cli import main\ncode = main()\n"
             f"print(json.dumps([m for m in ('psycopg2', 'pymysql', 'jsonschema', 'fastjsonschema', 'shutil', "
             f"'migrator.introspect', 'migrator.fields', *{URL_EXTENSIONS}) "
             "if sys.modules.get(m)]))\n"
             "sys.exit(code)\n")
    for command, validates in (("status", False), ("validate", True), ("rollback", False)):
        done = processes.python(tmp_path, probe, command, "--database-url", database.url, "--specs-dir", specs.folder,
                                "-q")
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err
        loaded = set(json.loads(out.strip().splitlines()[-1]))
        if command == "status":  # (argparse asks the terminal's width through it: the command line asks itself)
            assert "shutil" not in loaded
        loaded.discard("shutil")
        readers = {m for m in loaded if m.startswith("migrator.")}
        loaded -= readers
        if command == "status" and database.backend == "sqlite":  # drift told by the catalog's digest: no table read
            assert not readers, readers
        # valid specs are checked by the compiled validator alone; jsonschema names an error when there is one
        assert loaded == DRIVERS[database.backend] | ({"fastjsonschema"} if validates else set()), command
