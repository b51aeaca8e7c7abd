"""`baseline` compares the live schema with what the specs build (replayed on an empty scratch database) and
refuses a difference unless --force; `repair` shows how an edited applied file differs from what ran before it
records the new checksum. Checked on each backend through the command, against the database itself."""
import json
import os
import tempfile

import pytest

from conftest import error_document
from migrator.spec import checksum

ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=50, null=True)", "code": "CharField(max_length=20, null=True)"}}]}
INDEX_CODE = {"description": "Index codes", "operations": [
    {"action": "add_index", "table": "items", "columns": ["code"]}]}
ADD_NOTE = {"description": "Notes", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]}

# What ITEMS then INDEX_CODE build, written by hand as a DBA would
ITEMS_TABLE = {
    "sqlite": "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50), code VARCHAR(20){})",
    "postgres": "CREATE TABLE items (id SERIAL NOT NULL PRIMARY KEY, name VARCHAR(50), code VARCHAR(20){})",
    "mysql": "CREATE TABLE items (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), "
             "code VARCHAR(20){})",
}
CODE_INDEX = "CREATE INDEX items_code ON items (code)"


def items_table(database, extra=""):
    return ITEMS_TABLE[database.backend].format(extra)


def history_exists(database):
    return "schema_migrations" in database.tables()


def scratch_spaces(database):
    """This process's replay scratch spaces still on the server or disk (the command runs in-process)."""
    mark = f"_migrator_replay_{os.getpid()}_"
    if database.backend == "postgres":
        names = [n for n, in database.query("SELECT nspname FROM pg_namespace")]
    elif database.backend == "mysql":
        names = [n for n, in database.query("SHOW DATABASES")]
    else:
        names = [n for folder in os.listdir(tempfile.gettempdir()) if folder.startswith("migrator-verify-")
                 for n in _files(os.path.join(tempfile.gettempdir(), folder))]
    return [n for n in names if n.startswith(mark)]


def _files(folder):
    try:
        return os.listdir(folder)
    except OSError:
        return []


# -- baseline ----------------------------------------------------------------------------------------

def test_baseline_adopts_a_database_that_is_what_the_specs_build(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", INDEX_CODE)
    database.execute(items_table(database), CODE_INDEX)

    code, out, err = run("baseline", "v1.1.0")
    assert code == 0, out + err
    assert "warning" not in out
    assert database.history(columns="version, inverse") == \
        [("v1.0.0", None), ("v1.1.0", None)]
    assert scratch_spaces(database) == []
    assert json.loads(run("status", "--json")[1])["drift"] is None


MISMATCHES = {
    "a column of another type": (lambda db: [items_table(db).replace("code VARCHAR(20)", "code VARCHAR(40)"),
                                             CODE_INDEX],
                                 "column items.code differs (specs -> live): type"),
    "a missing index": (lambda db: [items_table(db)],
                        "index items.items_code is made by the specs, but missing from the live schema"),
    "an extra column": (lambda db: [items_table(db, ", extra INTEGER"), CODE_INDEX],
                        "column items.extra is in the live schema, but no spec makes it"),
    "an extra table": (lambda db: [items_table(db), CODE_INDEX, "CREATE TABLE audit (id INTEGER)"],
                       "table audit is in the live schema, but no spec makes it"),
}


@pytest.mark.parametrize("case", MISMATCHES)
def test_baseline_refuses_a_live_schema_the_specs_do_not_build_unless_forced(database, run, specs, case):
    statements, named = MISMATCHES[case]
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", INDEX_CODE)
    database.execute(*statements(database))
    schema = database.schema()

    code, out, err = run("baseline", "v1.1.0")
    assert code == 4, out + err
    assert named in err and "--force" in err and "Nothing was recorded" in err
    assert "Traceback" not in err
    assert not history_exists(database)  # nothing written, not even the history table
    assert database.schema() == schema
    assert scratch_spaces(database) == []

    code, out, err = run("baseline", "v1.1.0", "--json")
    assert code == 4
    assert named in error_document(out)["message"]
    assert any(named in d for d in error_document(out)["differences"])
    assert not history_exists(database)

    code, out, err = run("baseline", "v1.1.0", "--force")
    assert code == 0, out + err
    assert f"migrator: warning: {named}" in err
    assert database.history(columns="version") == [("v1.0.0",), ("v1.1.0",)]
    assert database.schema() == schema
    assert scratch_spaces(database) == []
    assert json.loads(run("status", "--json")[1])["drift"] is None  # the live schema is what was recorded


def test_baseline_refuses_specs_that_cannot_be_replayed_on_an_empty_database(database, run, specs):
    specs("v1.0.0", ADD_NOTE)  # a column on a table no spec makes: it was there before migrator
    database.execute(items_table(database, ", note TEXT"))

    code, out, err = run("baseline", "v1.0.0")
    assert code == 4, out + err
    assert "the specs cannot be replayed on an empty database" in err and "items" in err
    assert not history_exists(database)
    assert scratch_spaces(database) == []
    code, out, err = run("baseline", "v1.0.0", "--force")
    assert code == 0, out + err
    assert database.query("SELECT version FROM schema_migrations") == [("v1.0.0",)]


def test_baseline_force_json_lists_the_differences(database, run, specs):
    specs("v1.0.0", {"description": "adopted", "operations": []})
    database.execute(items_table(database))
    code, out, err = run("baseline", "v1.0.0", "--force", "--json")
    assert code == 0, out + err
    document = json.loads(out)
    assert document["baseline"] == ["v1.0.0"]
    assert document["differences"] == ["table items is in the live schema, but no spec makes it"]


# -- repair ------------------------------------------------------------------------------------------

def recorded_checksum(database, version):
    return database.query(f"SELECT checksum FROM schema_migrations WHERE version = '{version}'")[0][0]


def edit(specs, version, body):
    specs(version, body)
    return checksum(body)


def test_repair_names_a_changed_column_type_before_recording(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    assert run("migrate")[0] == 0
    body = {**ADD_NOTE, "operations": [{**ADD_NOTE["operations"][0], "field": "IntegerField(null=True)"}]}
    new = edit(specs, "v1.1.0", body)

    code, out, err = run("repair", "--yes")
    assert code == 0, out + err
    assert "v1.1.0 changed since it was applied" in out
    assert "v1.1.0 now builds something else than what was applied: column items.note changed: type" in out
    assert "its undo is the same as when it ran" in out  # drop_column note either way
    assert out.index("now builds something else") < out.index("recorded the new checksums of v1.1.0")
    assert recorded_checksum(database, "v1.1.0") == new
    assert scratch_spaces(database) == []


def test_repair_shows_an_added_operation_as_a_diff(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    assert run("migrate")[0] == 0
    body = {**ADD_NOTE, "operations": ADD_NOTE["operations"] + INDEX_CODE["operations"]}
    new = edit(specs, "v1.1.0", body)

    code, out, err = run("repair", "--json", "--yes")
    assert code == 0, out + err
    document = json.loads(out)
    assert document["checksums_recorded"] == ["v1.1.0"]
    change = document["changes"]["v1.1.0"]
    assert change["builds"] == "different"
    assert change["differences"] == ["index items.items_code was added"]
    assert '+{"action": "drop_index", "table": "items", "index_name": "items_code"}' in change["diff"]
    assert ' {"action": "drop_column", "table": "items", "column_name": "note"}' in change["diff"]
    assert change["operations"][1] == {"action": "add_index", "table": "items", "columns": ["code"]}
    assert recorded_checksum(database, "v1.1.0") == new


def test_repair_says_a_reworded_file_builds_the_same(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    assert run("migrate")[0] == 0
    body = {"description": "Notes, a free text per item",
            "operations": [{**ADD_NOTE["operations"][0], "field": "TextField( null = True )"}]}
    new = edit(specs, "v1.1.0", body)

    code, out, err = run("repair", "--yes")
    assert code == 0, out + err
    assert "v1.1.0 builds the same schema on this database as what was applied" in out
    assert "its undo is the same as when it ran" in out
    assert "something else" not in out
    assert recorded_checksum(database, "v1.1.0") == new


def test_repair_tells_an_edit_below_the_newest_version_builds_something_else(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    assert run("migrate")[0] == 0
    body = {**ITEMS, "operations": [{**ITEMS["operations"][0], "columns": {
        "name": "CharField(max_length=50, null=True)", "code": "CharField(max_length=30, null=True)"}}]}
    new = edit(specs, "v1.0.0", body)

    code, out, err = run("repair", "--json", "--yes")
    assert code == 0, out + err
    change = json.loads(out)["changes"]["v1.0.0"]
    assert change["builds"] == "different"
    assert "only that schema's fingerprint was kept" in change["summary"]
    assert recorded_checksum(database, "v1.0.0") == new


def test_repair_of_a_baseline_version_compares_its_file_with_nothing(database, run, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", INDEX_CODE)
    database.execute(items_table(database), CODE_INDEX)
    assert run("baseline", "v1.1.0")[0] == 0
    body = {**INDEX_CODE, "description": "Codes are looked up"}
    new = edit(specs, "v1.1.0", body)

    code, out, err = run("repair", "--yes")
    assert code == 0, out + err
    assert "v1.1.0 was recorded by baseline and never ran here: its operations are compared with nothing" in out
    assert '+{"action": "add_index", "table": "items", "columns": ["code"]}' in out
    assert "v1.1.0 builds the same schema on this database as what was applied" in out
    assert recorded_checksum(database, "v1.1.0") == new


def test_repair_without_an_edit_replays_nothing(database, run, specs):
    specs("v1.0.0", ITEMS)
    assert run("migrate")[0] == 0
    code, out, err = run("repair", "--json", "--yes")
    assert code == 0, out + err
    assert json.loads(out) == {"resolved": [], "checksums_recorded": [], "changes": {}}
