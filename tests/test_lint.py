"""`migrator lint`: each pending operation rated for the database it would run on, with its table's rows; exit 1
when one that blocks writes for longer than a moment runs on a table above --max-rows without unsafe_ok, whose
reason is then kept in the version's history row. `plan` shows the same ratings."""
import json

import pytest

from conftest import error_document, ok, sqlite_only
from processes import kill_after, start, wait_for

ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items",
     "columns": {"name": "CharField(max_length=50, null=True)", "n": "IntegerField(null=True)"}}]}
# rewrite on PostgreSQL, a copy on MariaDB and SQLite: blocks writes everywhere
WIDER_N = {"action": "alter_column_type", "table": "items", "column_name": "n", "field": "BigIntegerField(null=True)"}
BLOCKING = ("scan under lock", "rewrite", "copy")


def items_with_rows(database, run, specs, rows):
    specs("v1.0.0", ITEMS)
    ok(run, "migrate")
    database.execute(*[f"INSERT INTO items (name, n) VALUES ('item {i}', {i})" for i in range(rows)])


def lint(run, *args):
    code, out, err = run("lint", "--json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def test_lint_refuses_an_operation_that_blocks_writes_on_a_table_above_max_rows(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Wider", "operations": [WIDER_N]})

    code, report = lint(run, "--max-rows", "10")

    assert code == 1
    entry, = report["operations"]
    assert entry["rating"] in BLOCKING and entry["blocks_writes"] is not None
    assert (entry["version"], entry["index"], entry["action"], entry["table"]) == ("v1.1.0", 0, "alter_column_type",
                                                                                 "items")
    assert entry["rows"] == 20 and entry["refused"] and not entry["accepted"]
    assert report["max_rows"] == 10 and report["refused"] == 1
    assert lint(run, "--max-rows", "100")[0] == 0  # the same operation on a table below the limit
    assert database.versions() == ["v1.0.0"]  # lint ran nothing


# Added NULL-able (instant), filled in batches of their own, then made NOT NULL: what add_not_null costs
PAID = {"action": "add_column", "table": "items", "column_name": "paid", "field": "CharField(max_length=10)",
        "fill": "paid"}
# (rating, blocks writes, refused on 20 rows with --max-rows 10) of a fill's NOT NULL, safe form and plain
FILLED_NOT_NULL = {"postgres": (("brief lock", False, False), ("scan under lock", True, True)),
                   "mysql": (("rewrite", False, True),) * 2,  # rebuilt online (LOCK=NONE): refused, writes go on
                   "sqlite": (("copy", True, True),) * 2}


def rated(entry):
    return entry["rating"], entry["blocks_writes"], entry["refused"]


@pytest.mark.parametrize("operation", [PAID, {**PAID, "field": "CharField(max_length=10, default='new')"},
                                       {"action": "add_not_null", "table": "items", "column_name": "name",
                                        "fill": "none"}], ids=["add_column", "with_default", "add_not_null"])
def test_a_fill_of_a_not_null_column_costs_what_add_not_null_does(database, run, specs, operation):
    items_with_rows(database, run, specs, 20)
    safe, plain = FILLED_NOT_NULL[database.backend]
    specs("v1.1.0", {"description": "Paid", "operations": [operation]})
    code, report = lint(run, "--max-rows", "10")
    entry, = report["operations"]
    assert rated(entry) == safe and code == int(safe[2]), entry
    specs("v1.1.0", {"description": "Paid", "operations": [{**operation, "online": False}]})
    code, report = lint(run, "--max-rows", "10")
    entry, = report["operations"]
    assert rated(entry) == plain and code == int(plain[2]), entry
    if database.backend == "postgres":
        assert "CHECK (column IS NOT NULL) NOT VALID" in entry["alternative"]
    assert database.versions() == ["v1.0.0"]


def test_a_nullable_column_s_fill_is_instant(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Paid", "operations": [{**PAID, "field": "CharField(max_length=10, null=True)"}]})
    code, report = lint(run, "--max-rows", "10")
    assert code == 0 and rated(report["operations"][0]) == ("instant", False, False)


def test_the_summary_names_a_rebuild_that_lets_writes_go_on_apart_from_a_block(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Paid and wider", "operations": [PAID, WIDER_N]})
    code, out, _ = run("lint", "--max-rows", "10")
    _, report = lint(run, "--max-rows", "10")
    assert code == 1
    blocking = sum(e["refused"] and e["blocks_writes"] for e in report["operations"])
    assert report["refused_blocking_writes"] == blocking
    if database.backend == "mysql":  # the fill's NOT NULL is rebuilt online, the type change copies
        assert report["refused"] == 2 and blocking == 1
        assert "1 operation would block writes on a large table; 1 operation would rebuild a large table " \
               "(writes go on" in out
        assert "v1.1.0 0. add_column items: rewrite, 20 rows  REFUSED: rebuilds the table, writes go on" in out
    else:
        assert report["refused"] == blocking and "rebuild a large table" not in out
        assert f"{blocking} operation{'s' if blocking > 1 else ''} would block writes on a large table:" in out
    assert "v1.1.0 1. alter_column_type items: " in out and "REFUSED: blocks writes" in out


def test_lint_accepts_an_operation_with_unsafe_ok_and_migrate_keeps_its_reason(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Wider", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        {**WIDER_N, "unsafe_ok": "20 rows: the copy takes no time"}]})

    code, report = lint(run, "--max-rows", "10")

    assert code == 0 and report["refused"] == 0
    added, widened = report["operations"]
    assert added["rating"] == "instant" and not added["refused"] and added["unsafe_ok"] is None
    assert widened["accepted"] and not widened["refused"]
    assert widened["unsafe_ok"] == "20 rows: the copy takes no time"
    ok(run, "migrate")
    stored, = database.query("SELECT unsafe_ok FROM schema_migrations WHERE version = 'v1.1.0'")
    accepted = [{"operation": 1, "action": "alter_column_type", "reason": "20 rows: the copy takes no time"}]
    assert json.loads(stored[0]) == accepted
    assert database.query("SELECT unsafe_ok FROM schema_migrations WHERE version = 'v1.0.0'") == [(None,)]
    status = json.loads(ok(run, "status", "--json"))
    assert [v["unsafe_ok"] for v in status["versions"]] == [None, accepted]


def test_a_table_an_earlier_pending_operation_makes_has_no_rows_to_block(database, run, specs):
    # nothing is there to read yet: lint must not fail on the missing table, nor refuse
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"description": "Wider", "operations": [WIDER_N,
                                                            {"action": "add_index", "table": "items",
                                                             "columns": ["n"], "online": False}]})
    code, report = lint(run, "--max-rows", "0")
    assert code == 0
    assert [(e["action"], e["rows"], e["refused"]) for e in report["operations"]] == [
        ("create_table", 0, False), ("alter_column_type", 0, False), ("add_index", 0, False)]


def test_a_renamed_table_keeps_its_rows(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Renamed", "operations": [
        {"action": "rename_table", "old_name": "items", "new_name": "things"},
        {**WIDER_N, "table": "things"}]})
    code, report = lint(run, "--max-rows", "10")
    assert code == 1
    assert [(e["table"], e["rows"], e["refused"]) for e in report["operations"]] == [
        ("items", 20, False), ("things", 20, True)]


def test_a_not_null_column_without_a_server_default_is_noted_for_the_code_running_meanwhile(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "qty", "field": "IntegerField(default=1)"},
        {"action": "add_column", "table": "items", "column_name": "tag", "field": "CharField(max_length=5)",
         "fill": "a"},
        {"action": "add_default", "table": "items", "column": "tag", "default": "a"},
        {"action": "add_column", "table": "items", "column_name": "memo", "field": "TextField(null=True)"}]})
    code, report = lint(run)
    notes = [entry["note"] for entry in report["operations"]]
    assert code == 0 and notes[1:] == [None, None, None], notes  # a server default given; a nullable column
    assert "cannot insert into items without qty" in notes[0] and "add_default" in notes[0]
    code, out, _ = run("lint")
    assert "    note: the application's code from before this release cannot insert into items without qty" in out


def test_sql_is_not_rated_and_never_refused(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "By hand", "operations": [{"action": "sql", "sql": "UPDATE items SET n = 1"}]})
    code, report = lint(run, "--max-rows", "1")
    entry, = report["operations"]
    assert code == 0 and entry["rating"] is None and "cannot be told" in entry["alternative"]
    assert not entry["refused"]
    assert "(refused above --max-rows 1 row)" in run("lint", "--max-rows", "1")[1]


def test_lint_up_to_a_version_rates_only_the_versions_up_to_it(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Note", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]})
    specs("v1.2.0", {"description": "Wider", "operations": [WIDER_N]})
    code, report = lint(run, "v1.1.0", "--max-rows", "10")
    assert code == 0 and [e["version"] for e in report["operations"]] == ["v1.1.0"]
    code, out, _ = run("lint", "--max-rows", "10")
    assert code == 1
    assert "v1.2.0 0. alter_column_type items: " in out and "20 rows  REFUSED" in out


def test_nothing_pending_is_nothing_to_refuse(database, run, specs):
    items_with_rows(database, run, specs, 1)
    code, out, _ = run("lint")
    assert code == 0 and "nothing pending" in out


def double_rows(database, times):
    database.execute("INSERT INTO items (name, n) VALUES ('item', 1)",
                     *["INSERT INTO items (name, n) SELECT name, n FROM items"] * times)


@pytest.mark.parametrize("database", ["postgres", "mysql"], indirect=True)
def test_lint_rates_what_is_left_of_a_version_a_killed_run_left_part_way(database, run, specs, common, tmp_path):
    specs("v1.0.0", ITEMS)
    ok(run, "migrate")
    double_rows(database, 13)  # 8,192 rows
    later = {"description": "Note, paid, wider", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        PAID, WIDER_N]}
    path = specs("v1.1.0", later)
    process = start(tmp_path, "migrate", *common, "--batch-size", "500", "--batch-pause", "0.3")
    wait_for(lambda: _recorded_fill(database), "a batch of the fill recorded in the history")
    code, _, err = kill_after(process, 0.3)
    assert code != 0, err

    code, report = lint(run)  # migrate finishes the fill, then the type change: lint rates both
    assert code == 0 and report["resumes"] == ["v1.1.0"] and report["unfinished"] == []
    assert [(e["index"], e["action"], e["rows"], e["resumes"]) for e in report["operations"]] == [
        (1, "add_column", 8192, True), (2, "alter_column_type", 8192, True)]
    code, out, _ = run("lint")
    assert "v1.1.0 1. add_column items: " in out and "(finishes a killed run)" in out
    assert "nothing pending" not in out

    path.write_text(json.dumps({**later, "description": "Edited since"}))  # no longer resumable: repair first
    code, report = lint(run)
    left, = report["unfinished"]
    assert code == 0 and report["operations"] == [] and report["resumes"] == []
    assert left["version"] == "v1.1.0" and "did not finish" in left["message"]
    assert "Its spec file has changed since that run" in left["message"], left["message"]
    code, out, _ = run("lint")
    assert "left part-way: v1.1.0 did not finish" in out and "nothing pending" not in out
    code, out, err = run("migrate")  # says why it cannot finish it, and what to do
    assert code == 4 and "Its spec file has changed since that run" in err and "put the file back" in err, err

    path.write_text(json.dumps(later, indent=2))  # as it was: migrate runs what lint listed
    ok(run, "migrate")
    assert database.query("SELECT state FROM schema_migrations WHERE version = 'v1.1.0'") == [("applied",)]
    assert database.query("SELECT COUNT(*) FROM items WHERE paid = 'paid'") == [(8192,)]


def _recorded_fill(database):
    rows = database.query("SELECT detail FROM schema_migrations WHERE version = 'v1.1.0'")
    detail = rows and rows[0][0] and json.loads(rows[0][0])
    return detail and detail.get("fill")


@sqlite_only
def test_an_invalid_spec_is_an_input_error_naming_its_file(database, run, specs):
    specs("v1.0.0", {"description": "Bad", "operations": [{"action": "add_index", "table": "items"}]})
    code, out, _ = run("lint", "--json")
    error = error_document(out)
    assert code == 2 and error["code"] == 2 and "v1.0.0" in error["message"]


def test_plan_shows_each_step_with_its_rating_and_rows(database, run, specs):
    items_with_rows(database, run, specs, 20)
    specs("v1.1.0", {"description": "Wider", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}, WIDER_N]})
    plan = json.loads(ok(run, "plan", "--json"))
    added, widened = plan["versions"][0]["operations"]
    assert (added["rating"], added["rows"]) == ("instant", 20)
    assert widened["rating"] in BLOCKING and widened["rows"] == 20 and "alternative" in widened
    text = ok(run, "plan")
    assert "0. add_column  [instant, 20 rows]" in text
    assert f"1. alter_column_type  [{widened['rating']}, 20 rows]" in text
