"""What a new user's trial of the constraint actions found, on every backend where it applies: each case checks
the backend's own catalog (tests/catalog.py) and the rows, and a refusal is made before anything runs, the
database untouched."""
import json

import pytest

import catalog as cat
from conftest import ok, snapshot


def changes(before, after):
    return cat.differences(before[0], after[0]) + cat.differences(before[1], after[1])


def refused_up_front(database, specs, run, version, operations, *named, code=2):
    """validate (exit `code`), plan and migrate (exit 1) each refuse the version, naming each of `named`, with no
    traceback, and the database is as it was."""
    specs(version, operations)
    before = snapshot(database, catalog=True)
    history = database.history()
    for command in ("validate", "plan", "migrate"):
        found, out, err = run(command)
        assert found == (code if command == "validate" else 1), f"{command}: {found} {out}{err}"
        assert "Traceback" not in err
        for name in named:
            assert name in out + err, f"{command} does not name {name}: {out}{err}"
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.history() == history
    return err


# -- 1. a UNIQUE constraint on a TEXT column (MariaDB: a unique key USING HASH) -----------------------------------

def test_add_unique_and_drop_unique_on_a_text_column_round_trip(database, specs, run):
    specs("v1.0.0", [{"action": "create_table", "table": "note", "columns": {"body": "TextField(null=True)"}}])
    ok(run, "migrate")
    database.execute("INSERT INTO note (body) VALUES ('a'), ('b'), (NULL)")
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "add_unique", "table": "note", "columns": ["body"], "name": "note_body_uq"}])
    ok(run, "migrate")
    made = snapshot(database, catalog=True)
    assert changes(before, made) != []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    specs("v1.2.0", [{"action": "drop_unique", "table": "note", "name": "note_body_uq"}])
    ok(run, "migrate")
    assert changes(before, snapshot(database, catalog=True)) == []
    ok(run, "rollback", "--yes")  # v1.2.0: the constraint comes back as it was
    assert changes(made, snapshot(database, catalog=True)) == []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    ok(run, "rollback", "--yes")  # v1.1.0
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.versions() == ["v1.0.0"]
