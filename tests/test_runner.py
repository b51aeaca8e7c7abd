"""The runner on every backend: which versions run and in what order, rollback from stored
inverses, the history it keeps, checksum checks, and a version that fails part-way."""
import datetime
import hashlib
import json
import re

import pytest

import migrator

ITEMS_V1_2 = {"description": "items", "operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50)"}},
]}
ITEMS_V1_9 = {"description": "a note on items", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
]}
# Renames the column v1.9.0 adds: it only works when v1.9.0 ran first.
ITEMS_V1_10 = {"description": "note becomes remark", "operations": [
    {"action": "rename_column", "table": "items", "old_name": "note", "new_name": "remark"},
]}


def applied(database):
    return [version for version, state in database.history() if state == "applied"]


def status(cli, common):
    code, out, err = cli("status", "--json", *common)
    assert code == 0, err
    return json.loads(out)


def states(cli, common):
    return {v["version"]: v["state"] for v in status(cli, common)["versions"]}


@pytest.fixture
def three_versions(specs):
    specs("v1.2.0", ITEMS_V1_2)
    specs("v1.9.0", ITEMS_V1_9)
    specs("v1.10.0", ITEMS_V1_10)


@pytest.fixture
def stepped(database, cli, common, three_versions):
    """The three versions applied one run at a time; the schema after each, by version."""
    after = {}
    for version in ("v1.2.0", "v1.9.0", "v1.10.0"):
        code, _, err = cli("migrate", version, *common)
        assert code == 0, err
        after[version] = database.schema()
    return after


# -- target selection and order ------------------------------------------------------------

def test_versions_are_applied_in_numeric_order_not_text_order(database, cli, common, three_versions):
    # As text v1.10.0 sorts before v1.2.0 and v1.9.0, and would fail: its column does not exist yet.
    code, out, err = cli("migrate", *common)
    assert code == 0, err
    assert database.history() == [("v1.2.0", "applied"), ("v1.9.0", "applied"), ("v1.10.0", "applied")]
    assert [c["name"] for c in database.schema()["items"]["columns"]] == ["id", "name", "remark"]
    assert out.index("v1.2.0") < out.index("v1.9.0") < out.index("v1.10.0")


def test_migrate_to_a_version_applies_up_to_and_including_it(database, cli, common, three_versions):
    code, _, err = cli("migrate", "v1.9.0", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0", "v1.9.0"]
    assert [c["name"] for c in database.schema()["items"]["columns"]] == ["id", "name", "note"]


def test_migrate_to_a_version_below_the_current_one_exits_2_and_points_to_rollback(database, cli, common, stepped):
    code, out, err = cli("migrate", "v1.2.0", *common)
    assert code == 2
    assert "rollback" in err and "v1.2.0" in err
    assert applied(database) == ["v1.2.0", "v1.9.0", "v1.10.0"]
    assert database.schema() == stepped["v1.10.0"]


def test_migrate_to_an_unknown_version_exits_2_and_lists_the_known_ones(database, cli, common, three_versions):
    code, _, err = cli("migrate", "v1.5.0", *common)
    assert code == 2
    assert "v1.5.0" in err
    assert "v1.2.0, v1.9.0, v1.10.0" in err
    assert database.history() == []
    assert database.schema() == {}


def test_rollback_without_arguments_undoes_only_the_newest_version(database, cli, common, stepped):
    code, _, err = cli("rollback", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0", "v1.9.0"]
    assert database.schema() == stepped["v1.9.0"]


def test_rollback_without_arguments_undoes_the_most_recently_applied_not_the_highest(database, cli, common, specs):
    # v1.1.0 is applied last, out of order: it is the one undone, v1.2.0 stays.
    specs("v1.0.0", ITEMS_V1_2)
    specs("v1.2.0", {"operations": [{"action": "create_table", "table": "late", "columns": {"x": "IntegerField()"}}]})
    assert cli("migrate", *common)[0] == 0
    at_v1_2 = database.schema()
    specs("v1.1.0", ITEMS_V1_9)
    code, _, err = cli("migrate", "--out-of-order", *common)
    assert code == 0, err
    assert applied(database) == ["v1.0.0", "v1.2.0", "v1.1.0"]
    code, _, err = cli("rollback", *common)
    assert code == 0, err
    assert applied(database) == ["v1.0.0", "v1.2.0"]
    assert database.schema() == at_v1_2


def test_rollback_to_a_version_keeps_it_and_undoes_those_above(database, cli, common, stepped):
    code, _, err = cli("rollback", "v1.2.0", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0"]
    assert database.schema() == stepped["v1.2.0"]


def test_rollback_steps_undoes_that_many_versions(database, cli, common, stepped):
    code, _, err = cli("rollback", "--steps", "2", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0"]
    assert database.schema() == stepped["v1.2.0"]


def test_rollback_base_undoes_every_version(database, cli, common, stepped):
    code, _, err = cli("rollback", "base", *common)
    assert code == 0, err
    assert applied(database) == []
    assert database.schema() == {}


def test_rollback_replays_stored_inverses_after_the_spec_file_was_edited(database, cli, common, stepped, specs):
    specs("v1.10.0", {"operations": [{"action": "drop_table", "table": "items"}]})
    code, _, err = cli("rollback", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0", "v1.9.0"]
    assert database.schema() == stepped["v1.9.0"]


def test_rollback_replays_stored_inverses_after_the_spec_file_was_deleted(database, cli, common, stepped, specs):
    (specs.folder / "v1.10.0.json").unlink()
    (specs.folder / "v1.9.0.json").unlink()
    code, _, err = cli("rollback", "v1.2.0", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0"]
    assert database.schema() == stepped["v1.2.0"]


def test_rollback_of_an_edited_destructive_version_restores_the_schema_exactly(database, cli, common, specs):
    # The inverse of drop_column is read from the live schema: type, default, NOT NULL and index come back.
    specs("v1.0.0", {"operations": [
        {"action": "create_table", "table": "stock", "columns": {
            "sku": "CharField(max_length=40)", "qty": "IntegerField(default=0)", "label": "CharField(max_length=80)"}},
        {"action": "add_index", "table": "stock", "columns": ["qty"]},
    ]})
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    before = database.schema()
    specs("v2.0.0", {"operations": [
        {"action": "drop_column", "table": "stock", "column_name": "qty"},
        {"action": "rename_column", "table": "stock", "old_name": "label", "new_name": "title"},
    ]})
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    (specs.folder / "v2.0.0.json").write_text('{"operations": []}')
    code, _, err = cli("rollback", *common)
    assert code == 0, err
    assert applied(database) == ["v1.0.0"]
    assert database.schema() == before


def test_rollback_of_a_version_with_an_irreversible_operation_exits_2_and_changes_nothing(database, cli, common,
                                                                                           specs):
    specs("v1.0.0", ITEMS_V1_2)
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        {"action": "sql", "sql": "UPDATE items SET note = 'x'"},
    ]})
    assert cli("migrate", *common)[0] == 0
    before = database.schema()
    code, _, err = cli("rollback", "base", *common)
    assert code == 2
    assert "v1.1.0" in err and "sql operation without 'down'" in err
    assert applied(database) == ["v1.0.0", "v1.1.0"]
    assert database.schema() == before


# -- history and status --------------------------------------------------------------------

def columns_as_pairs(body):
    operations = body if isinstance(body, list) else body["operations"]
    ordered = [{**op, "columns": [[name, field] for name, field in op["columns"].items()]}
               if op.get("action") == "create_table" else op for op in operations]
    return ordered if isinstance(body, list) else {**body, "operations": ordered}


def test_history_has_one_row_per_version_with_checksum_timing_inverse_and_tool_version(database, cli, common,
                                                                                         three_versions):
    started = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    finished = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    rows = database.history(columns="version, checksum, applied_at, execution_ms, inverse, tool_version, state")
    assert [r[0] for r in rows] == ["v1.2.0", "v1.9.0", "v1.10.0"]
    by_status = {v["version"]: v for v in status(cli, common)["versions"]}
    bodies = {"v1.2.0": ITEMS_V1_2, "v1.9.0": ITEMS_V1_9, "v1.10.0": ITEMS_V1_10}
    expected_inverse = {"v1.2.0": ["drop_table"], "v1.9.0": ["drop_column"], "v1.10.0": ["rename_column"]}
    for version, checksum, applied_at, execution_ms, inverse, tool_version, state in rows:
        # SHA-256 of the canonical JSON: sorted keys, no whitespace, a create_table's columns as [name, field]
        # pairs in their order (the order of the table's columns is part of what the file builds).
        canonical = json.dumps(columns_as_pairs(bodies[version]), sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        assert checksum == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert checksum == by_status[version]["checksum"]
        when = datetime.datetime.fromisoformat(str(applied_at))
        assert started - datetime.timedelta(seconds=1) <= when <= finished + datetime.timedelta(seconds=1)
        assert isinstance(execution_ms, int) and execution_ms >= 0
        assert [op["action"] for op in json.loads(inverse)] == expected_inverse[version]
        assert tool_version == migrator.__version__
        assert state == "applied"


def test_status_json_lists_every_version_with_its_fields(database, cli, common, three_versions):
    code, _, err = cli("migrate", "v1.9.0", *common)
    assert code == 0, err
    doc = status(cli, common)
    assert {"database", "current", "versions"} <= set(doc)
    assert doc["current"] == "v1.9.0"
    assert [v["version"] for v in doc["versions"]] == ["v1.2.0", "v1.9.0", "v1.10.0"]
    for v in doc["versions"]:
        assert {"version", "state", "description", "checksum", "applied_at", "execution_ms"} <= set(v)
    first, second, third = doc["versions"]
    assert (first["state"], second["state"], third["state"]) == ("applied", "applied", "pending")
    assert first["description"] == "items"
    assert first["applied_at"] is not None and isinstance(first["execution_ms"], int)
    assert third["applied_at"] is None and third["execution_ms"] is None
    assert re.fullmatch(r"[0-9a-f]{64}", third["checksum"])


def test_status_shows_applied_pending_changed_and_missing(database, cli, common, specs):
    specs("v1.0.0", {"operations": [{"action": "create_table", "table": "a", "columns": {"x": "IntegerField()"}}]})
    specs("v1.1.0", {"operations": [{"action": "create_table", "table": "b", "columns": {"x": "IntegerField()"}}]})
    specs("v1.2.0", {"operations": [{"action": "create_table", "table": "c", "columns": {"x": "IntegerField()"}}]})
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    specs("v1.1.0", {"operations": [{"action": "create_table", "table": "b", "columns": {"y": "IntegerField()"}}]})
    (specs.folder / "v1.2.0.json").unlink()
    specs("v1.3.0", {"operations": [{"action": "create_table", "table": "d", "columns": {"x": "IntegerField()"}}]})
    assert states(cli, common) == {"v1.0.0": "applied", "v1.1.0": "changed", "v1.2.0": "missing",
                                   "v1.3.0": "pending"}


# -- checksums -----------------------------------------------------------------------------

@pytest.fixture
def two_applied_one_pending(database, cli, common, three_versions):
    code, _, err = cli("migrate", "v1.9.0", *common)
    assert code == 0, err
    return database.schema()


def test_an_edited_applied_spec_shows_changed_and_migrate_exits_4_applying_nothing(
        database, cli, common, specs, two_applied_one_pending):
    specs("v1.9.0", {"description": "a note on items", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "CharField(max_length=10, null=True)"},
    ]})
    before = database.history(columns="version, checksum, state")
    assert states(cli, common)["v1.9.0"] == "changed"
    code, _, err = cli("migrate", *common)
    assert code == 4
    assert "v1.9.0" in err and "v1.2.0" not in err
    assert database.history(columns="version, checksum, state") == before
    assert database.schema() == two_applied_one_pending


def test_reformatting_an_applied_spec_is_not_a_change(database, cli, common, specs, two_applied_one_pending):
    # Only the JSON content counts: indentation, line breaks and key order are not a change.
    body = json.loads((specs.folder / "v1.9.0.json").read_text())
    (specs.folder / "v1.9.0.json").write_text(
        '{"operations":' + json.dumps(body["operations"], separators=(",", ":")) +
        ',\n\n\t"description"   :   "a note on items"   }\n\n')
    assert json.loads((specs.folder / "v1.9.0.json").read_text()) == body
    assert states(cli, common) == {"v1.2.0": "applied", "v1.9.0": "applied", "v1.10.0": "pending"}
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0", "v1.9.0", "v1.10.0"]


def test_repair_yes_records_the_new_checksum_and_migrate_then_works(
        database, cli, common, specs, two_applied_one_pending):
    specs("v1.9.0", {"description": "a longer note on items", "operations": ITEMS_V1_9["operations"]})
    new_checksum = next(v["checksum"] for v in status(cli, common)["versions"] if v["version"] == "v1.9.0")
    code, _, err = cli("repair", "--yes", *common)
    assert code == 0, err
    recorded = dict(database.history(columns="version, checksum"))
    assert recorded["v1.9.0"] == new_checksum
    assert states(cli, common)["v1.9.0"] == "applied"
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    assert applied(database) == ["v1.2.0", "v1.9.0", "v1.10.0"]


# -- a version that fails part-way ---------------------------------------------------------

@pytest.fixture
def items_applied(database, cli, common, specs):
    specs("v1.0.0", {"operations": [
        {"action": "create_table", "table": "items", "columns": {
            "name": "CharField(max_length=50)", "note": "CharField(max_length=20)"}}]})
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    return database.schema()


def test_a_missing_column_in_operation_1_of_3_leaves_schema_and_history_as_before(
        database, cli, common, specs, items_applied):
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "rename_column", "table": "items", "old_name": "no_such_column", "new_name": "other"},
        {"action": "add_index", "table": "items", "columns": ["name"]},
    ]})
    code, out, err = cli("migrate", *common)
    assert code == 1
    assert "v2.0.0" in err and "operation 1" in err and "rename_column" in err
    assert "Traceback" not in err
    assert database.history() == [("v1.0.0", "applied")]
    assert database.schema() == items_applied


def test_invalid_sql_in_the_last_operation_leaves_schema_and_history_as_before(
        database, cli, common, specs, items_applied):
    # An sql operation is opaque to any check made beforehand: this failure happens while the version runs.
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "add_index", "table": "items", "columns": ["name"], "unique": True},
        {"action": "sql", "sql": "THIS IS NOT SQL", "down": "SELECT 1"},
    ]})
    code, out, err = cli("migrate", *common)
    assert code == 1
    assert "v2.0.0" in err and "operation 2" in err and "(sql)" in err
    assert "syntax" in err.lower()  # the database's own message
    assert database.history() == [("v1.0.0", "applied")]
    assert database.schema() == items_applied


def test_versions_before_the_failing_one_in_the_same_run_stay_applied(database, cli, common, specs):
    specs("v1.0.0", {"operations": [
        {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50)"}}]})
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"}]})
    specs("v1.2.0", {"operations": [
        {"action": "create_table", "table": "more", "columns": {"x": "IntegerField()"}},
        {"action": "sql", "sql": "SELECT * FROM no_such_table", "down": "SELECT 1"},
    ]})
    code, out, err = cli("migrate", *common)
    assert code == 1
    assert "v1.2.0" in err and "operation 1" in err
    assert "applied v1.0.0" in out and "applied v1.1.0" in out
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    schema = database.schema()
    assert set(schema) == {"items"}
    assert [c["name"] for c in schema["items"]["columns"]] == ["extra", "id", "name"]


# MySQL/MariaDB cannot roll back DDL: only there does the runner compensate, journaling each step.
mysql_only = pytest.mark.parametrize("database", ["mysql"], indirect=True)


@mysql_only
def test_mysql_compensates_the_operations_already_done(database, cli, common, specs, items_applied):
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "add_index", "table": "items", "columns": ["name"]},
        {"action": "sql", "sql": "THIS IS NOT SQL", "down": "SELECT 1"},
    ]})
    code, _, err = cli("migrate", *common)
    assert code == 1
    assert "v2.0.0, operation 2 (sql)" in err
    assert "the 2 operations already done were undone" in err
    # The journal row written while the version ran is gone, not left running.
    assert database.history() == [("v1.0.0", "applied")]
    assert database.schema() == items_applied


@pytest.fixture
def failed_undo(database, cli, common, specs, items_applied):
    """v2.0.0 fails at operation 1 and undoing operation 0 fails too: a NULL row blocks NOT NULL again."""
    specs("v2.0.0", {"operations": [
        {"action": "drop_not_null", "table": "items", "column": "note"},
        {"action": "sql", "sql": ["INSERT INTO items (name, note) VALUES ('x', NULL)", "THIS IS NOT SQL"],
         "down": "SELECT 1"},
    ]})
    code, _, err = cli("migrate", *common)
    assert code == 1
    assert "v2.0.0" in err and "repair" in err
    return items_applied


@mysql_only
def test_mysql_a_failed_undo_marks_the_version_failed(database, cli, common, failed_undo):
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "failed")]
    assert states(cli, common)["v2.0.0"] == "failed"


@mysql_only
def test_mysql_a_failed_version_blocks_migrate_and_rollback_with_exit_4(database, cli, common, failed_undo):
    code, _, err = cli("migrate", *common)
    assert code == 4 and "v2.0.0" in err and "repair" in err
    code, _, err = cli("rollback", *common)
    assert code == 4 and "v2.0.0" in err
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "failed")]


@mysql_only
def test_mysql_repair_finishes_the_undo_of_a_failed_version(database, cli, common, failed_undo):
    # What blocked the undo is fixed by hand first; repair then finishes it from the journal.
    database.execute("DELETE FROM items WHERE note IS NULL")
    code, out, err = cli("repair", *common)
    assert code == 0, err
    assert database.schema() == failed_undo
    assert database.history() == [("v1.0.0", "applied")]
    assert states(cli, common) == {"v1.0.0": "applied", "v2.0.0": "pending"}
