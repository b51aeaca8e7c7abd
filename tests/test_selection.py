"""Every command chooses what to apply or undo through one module: they agree on what is applied and pending."""
import json

from conftest import ok

ADD = {"action": "add_column", "table": "notes", "column_name": "{}", "field": "IntegerField(null=True)"}


def version(*columns):
    return {"operations": [{**ADD, "column_name": c} for c in columns]}


def test_a_file_renamed_to_the_same_version_is_applied_for_status_migrate_validate_verify_and_rollback(
        database, specs, run):
    specs("v1.0", {"operations": [{"action": "create_table", "table": "notes",
                                   "columns": {"body": "TextField(null=True)"}}]})
    old = specs("v1.2", version("stars"))
    specs("v1.3.0", version("likes"))
    ok(run, "migrate", "v1.2")
    database.execute("INSERT INTO notes (body, stars) VALUES ('a', 1)")
    old.rename(specs.folder / "v1.2.0.json")  # the same version, spelt out

    status = json.loads(ok(run, "status", "--json"))
    assert [(v["version"], v["state"]) for v in status["versions"]] == [
        ("v1.0", "applied"), ("v1.2.0", "applied"), ("v1.3.0", "pending")]
    ok(run, "validate")
    report = json.loads(ok(run, "verify", "--json"))
    assert [(v["version"], v["reversible"]) for v in report["versions"]] == [("v1.3.0", True)]
    assert json.loads(ok(run, "verify", "v1.2.0", "--json"))["versions"] == []  # applied: nothing to verify
    assert "nothing to apply" in ok(run, "migrate", "v1.2.0")
    ok(run, "rollback", "v1.0", "--yes")  # the history names it v1.2; rolls back by its stored inverse
    assert database.history() == [("v1.0", "applied")]
    assert [r for r in database.query("SELECT body FROM notes")] == [("a",)]
    ok(run, "migrate")
    assert database.history() == [("v1.0", "applied"), ("v1.2.0", "applied"), ("v1.3.0", "applied")]


def test_a_target_below_the_current_version_is_refused_alike_by_migrate_plan_and_verify(database, specs, run):
    specs("v1.0.0", {"operations": [{"action": "create_table", "table": "notes",
                                     "columns": {"body": "TextField(null=True)"}}]})
    specs("v1.1.0", version("stars"))
    ok(run, "migrate")
    before = database.tables()
    for command in ("migrate", "plan", "verify"):
        code, _, err = run(command, "v1.0.0")
        assert code == 2 and "Traceback" not in err, (command, err)
        assert "v1.0.0 is below the current version v1.1.0: to go back, run `migrator rollback v1.0.0`" in err
    assert database.tables() == before
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
