"""Repeatable specs (`r__name.json`, Flyway's R__): sql operations applied after the versions whenever their
checksum changes, the stored down of what is there run first; taken down by rollback; listed by status. Checked
on each backend's own catalog (its views) and on a table the repeatable's sql writes to, which counts its runs."""
import json

import pytest

from catalog import catalog, differences
from conftest import error_document, ok, sqlite_only

ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=50, null=True)", "price": "IntegerField(null=True)"}},
    {"action": "create_table", "table": "runs", "columns": {"note": "CharField(max_length=20, null=True)"}}]}
ADD_STOCK = {"description": "Stock", "operations": [
    {"action": "add_column", "table": "items", "column_name": "stock", "field": "IntegerField(null=True)"}]}
ROWS = ("INSERT INTO items (name, price) VALUES ('pen', 2)", "INSERT INTO items (name, price) VALUES ('lamp', 40)",
        "INSERT INTO items (name, price) VALUES ('cup', 15)")


def view_sql(name, limit, column="price"):
    return f"CREATE VIEW {name} AS SELECT name FROM items WHERE {column} < {limit}"


def views_body(name="cheap", limit=10, column="price", counted=True):
    """A view, and (`counted`) a row in `runs` each time the sql runs (so a run that did not happen shows)."""
    count = [f"INSERT INTO runs (note) VALUES ('{name}')"] if counted else []
    return {"description": "Views", "operations": [
        {"action": "sql", "sql": [view_sql(name, limit, column), *count], "down": f"DROP VIEW {name}"}]}


def catalog_but_runs(database):
    """The catalog without the table the repeatables' sql counts their runs in (its sequence moves with them)."""
    found = catalog(database)
    found["tables"].pop("runs", None)
    found.get("sequences", {}).pop("runs_id_seq", None)
    return found


@pytest.fixture
def repeatable(specs):
    def write(filename, body):
        path = specs.folder / filename
        path.write_text(body if isinstance(body, str) else json.dumps(body, indent=2))
        return path
    return write


def views(database):
    """{name: definition} of the views, from the backend's own catalog."""
    if database.backend == "sqlite":
        return dict(database.query("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    if database.backend == "postgres":
        return dict(database.query("SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema()"))
    return dict(database.query("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                               "WHERE TABLE_SCHEMA = DATABASE()"))


def cheap_names(database, view="cheap"):
    return sorted(name for name, in database.query(f"SELECT name FROM {view}"))


def runs(database):
    return [note for note, in database.query("SELECT note FROM runs ORDER BY id")]


def stored(database):
    """The repeatables' records: (name, checksum, down) per history table and name."""
    return database.query("SELECT history_table, name, checksum, down FROM _migrator_repeatable ORDER BY name")


def status(run):
    code, out, err = run("status", "--json")
    assert code == 0, err
    return json.loads(out)


def states(run):
    return {r["name"]: r["state"] for r in status(run)["repeatables"]}


def test_a_view_in_a_repeatable_is_made_after_the_versions_and_recorded(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    path = repeatable("r__views.json", views_body())
    code, out, err = run("migrate", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [v["version"] for v in doc["applied"]] == ["v1.0.0"]
    assert [(r["name"], r["state"], r["took_down_first"]) for r in doc["repeatables"]] == [("r__views", "pending",
                                                                                          False)]
    database.execute(*ROWS)
    assert list(views(database)) == ["cheap"] and cheap_names(database) == ["pen"]
    assert runs(database) == ["cheap"]
    (table, name, checksum, down), = stored(database)
    assert (table, name) == ("schema_migrations", "views")
    assert checksum == json.loads(ok(run, "status", "--json"))["repeatables"][0]["checksum"]
    assert [step["sql"] for step in json.loads(down)] == [["DROP VIEW cheap"]]
    assert database.versions() == ["v1.0.0"]  # the history holds versions only
    report = status(run)
    assert report["drift"] is None and report["current"] == "v1.0.0"
    assert report["repeatables"][0] | {"applied_at": None} == {
        "name": "r__views", "state": "applied", "file": path.name, "description": "Views", "checksum": checksum,
        "applied_at": None, "execution_ms": report["repeatables"][0]["execution_ms"],
        "applied_by": report["repeatables"][0]["applied_by"], "tool_version": report["repeatables"][0]["tool_version"]}


def test_migrate_again_without_a_change_runs_nothing(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", views_body())
    ok(run, "migrate")
    before, definitions = stored(database), views(database)
    recorded = database.query("SELECT applied_at FROM _migrator_repeatable")
    out = ok(run, "migrate")
    assert out.startswith("nothing to apply")
    assert runs(database) == ["cheap"]  # its sql did not run again
    assert stored(database) == before and views(database) == definitions
    assert database.query("SELECT applied_at FROM _migrator_repeatable") == recorded


def test_an_edited_repeatable_runs_the_old_down_first_then_its_new_sql(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", views_body("cheap", 10))
    ok(run, "migrate")
    database.execute(*ROWS)
    # the new file makes another view and drops it in its own down: only the OLD down drops `cheap`
    repeatable("r__views.json", views_body("bargain", 20))
    assert states(run) == {"r__views": "changed"}
    out = ok(run, "migrate")
    assert "applied repeatable r__views again (changed: its stored down ran first)" in out
    assert list(views(database)) == ["bargain"] and cheap_names(database, "bargain") == ["cup", "pen"]
    assert runs(database) == ["cheap", "bargain"]
    assert [json.loads(down)[0]["sql"] for *_, down in stored(database)] == [["DROP VIEW bargain"]]
    assert states(run) == {"r__views": "applied"} and status(run)["drift"] is None


def test_a_failing_repeatable_leaves_the_previous_one_in_place_and_exits_1(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", views_body("cheap", 10, counted=False))
    ok(run, "migrate")
    database.execute(*ROWS)
    before, recorded = catalog(database), stored(database)
    # its first operation runs (the old down first), the second fails: on MySQL/MariaDB both are put back
    broken = views_body("cheap", 30, counted=False)
    broken["operations"].append({"action": "sql", "sql": "INSERT INTO no_such_table (x) VALUES (1)"})
    repeatable("r__views.json", broken)
    code, out, err = run("migrate", "--json")
    assert code == 1
    message = error_document(out)["message"]
    assert message.startswith("r__views, operation 1 (sql): ")
    assert "no_such_table" in message
    assert differences(before, catalog(database)) == []  # the old view, as it was
    assert cheap_names(database) == ["pen"]
    assert stored(database) == recorded and states(run) == {"r__views": "changed"}


def test_a_view_naming_a_column_that_does_not_exist_fails_on_every_backend(database, run, specs, repeatable):
    """PostgreSQL and MariaDB refuse such a view as they make it; SQLite makes it and fails only when it is
    queried: migrator queries each view a repeatable makes, so the repeatable fails there too, and the previous
    one stays."""
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", views_body("cheap", 10, counted=False))
    ok(run, "migrate")
    before, recorded = catalog(database), stored(database)
    repeatable("r__views.json", views_body("cheap", 10, column="no_such_column", counted=False))
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err, err
    assert "no_such_column" in err and ("still in place" in err or "is back" in err), err
    assert differences(before, catalog(database)) == [] and stored(database) == recorded
    assert states(run) == {"r__views": "changed"}


def test_rollback_takes_the_repeatable_down_before_it_drops_what_the_view_uses(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_STOCK)
    repeatable("r__views.json", views_body("low", 5, column="stock"))
    ok(run, "migrate", "v1.0.0")  # below the newest version: the repeatable waits
    assert views(database) == {} and states(run) == {"r__views": "pending"}
    before = catalog_but_runs(database)
    out = ok(run, "migrate")
    assert "applied repeatable r__views" in out and list(views(database)) == ["low"]
    out = ok(run, "rollback")
    assert out.splitlines()[:2] == ["took down repeatable r__views first: the next migrate applies it again",
                                    out.splitlines()[1]] and out.splitlines()[1].startswith("rolled back v1.1.0")
    assert differences(before, catalog_but_runs(database)) == []  # view and column gone, the rest as it was
    assert database.versions() == ["v1.0.0"] and stored(database) == []
    report = status(run)
    assert report["drift"] is None and states(run) == {"r__views": "pending"}
    ok(run, "migrate")
    assert list(views(database)) == ["low"] and database.versions() == ["v1.0.0", "v1.1.0"]
    assert runs(database) == ["low", "low"] and status(run)["drift"] is None


def test_status_lists_each_state_in_text_and_json(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__a_views.json", views_body("cheap", 10))
    gone = repeatable("r__b_gone.json", views_body("gone", 10))
    repeatable("r__c_edited.json", views_body("edited", 10))
    assert states(run) == {"r__a_views": "pending", "r__b_gone": "pending", "r__c_edited": "pending"}
    ok(run, "migrate")
    gone.unlink()
    repeatable("r__c_edited.json", views_body("edited", 99))
    repeatable("r__d_new.json", views_body("fresh", 10))
    assert states(run) == {"r__a_views": "applied", "r__b_gone": "missing", "r__c_edited": "changed",
                           "r__d_new": "pending"}
    code, out, _ = run("status")
    assert code == 0
    lines = out[out.index("repeatable specs"):].splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [
        ["r__a_views", "applied"], ["r__b_gone", "missing"], ["r__c_edited", "changed"], ["r__d_new", "pending"]]
    ok(run, "migrate")  # a missing one is left as it is: its view stays
    assert sorted(views(database)) == ["cheap", "edited", "fresh", "gone"]
    assert states(run)["r__b_gone"] == "missing"


def test_an_action_other_than_sql_is_refused_naming_the_file_and_nothing_runs(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "x", "field": "IntegerField(null=True)"}]})
    for command in ("validate", "migrate"):
        code, out, err = run(command)
        assert code == 2 and "Traceback" not in err
        assert "r__views.json, operation 0 (add_column), parameter 'action': a repeatable spec holds sql " \
               "operations only" in err
    assert "items" not in database.tables() and "schema_migrations" not in database.tables()


@sqlite_only
@pytest.mark.parametrize("filename, reason", [
    ("r__.json", "nothing follows r__"),
    ("r__bad name.json", "'bad name' follows r__"),
])
def test_a_badly_named_repeatable_is_refused(run, specs, repeatable, filename, reason):
    specs("v1.0.0", ITEMS)
    repeatable(filename, views_body())
    code, _, err = run("validate")
    assert code == 2
    assert filename in err and "a repeatable spec is named r__NAME.json" in err and reason in err


@sqlite_only
def test_flyways_upper_case_prefix_is_the_same_repeatable(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("R__views.json", views_body())
    ok(run, "migrate")
    assert states(run) == {"r__views": "applied"}
    repeatable("r__views.json", views_body())
    code, _, err = run("validate")
    assert code == 2 and "r__views.json" in err and "repeatable r__views is also defined by R__views.json" in err


@sqlite_only
def test_plan_and_validate_include_the_repeatables_and_change_nothing(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", views_body())
    assert "1 repeatable spec (sql only) valid" in ok(run, "validate")
    plan = json.loads(ok(run, "plan", "--json"))
    assert [(r["name"], r["state"], r["down_first"]) for r in plan["repeatables"]] == [("r__views", "pending", [])]
    ok(run, "migrate")
    repeatable("r__views.json", views_body("bargain", 20))
    plan = json.loads(ok(run, "plan", "--json"))
    (planned,) = plan["repeatables"]
    assert planned["state"] == "changed" and planned["down_first"][0]["sql"] == ["DROP VIEW cheap"]
    assert "stored down first" in ok(run, "plan")
    assert list(views(database)) == ["cheap"] and runs(database) == ["cheap"]


@sqlite_only
def test_a_repeatable_without_down_runs_its_new_sql_on_a_change(database, run, specs, repeatable):
    def body(limit):
        return {"operations": [{"action": "sql", "sql": ["DROP VIEW IF EXISTS cheap", view_sql("cheap", limit)]}]}

    specs("v1.0.0", ITEMS)
    repeatable("r__views.json", body(10))
    ok(run, "migrate")
    repeatable("r__views.json", body(50))
    assert "applied repeatable r__views again (changed; it has no down: its new sql ran over what is there)" in \
        ok(run, "migrate")
    assert "50" in views(database)["cheap"] and runs(database) == []
    before = catalog(database)
    # nothing takes it down: it stays applied, and its view stands in the way of dropping items
    code, _, err = run("rollback")
    assert code == 1 and "items is used by view cheap" in err
    assert differences(before, catalog(database)) == [] and states(run) == {"r__views": "applied"}


TRIGGERS = {  # a row in `runs` for each row inserted into items
    "sqlite": ("CREATE TRIGGER items_counted AFTER INSERT ON items BEGIN INSERT INTO runs (note) VALUES (NEW.name); "
               "END", "DROP TRIGGER items_counted"),
    "postgres": (["CREATE FUNCTION items_counted() RETURNS trigger AS $$ BEGIN INSERT INTO runs (note) "
                  "VALUES (NEW.name); RETURN NEW; END $$ LANGUAGE plpgsql",
                  "CREATE TRIGGER items_counted AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_counted()"],
                 ["DROP TRIGGER items_counted ON items", "DROP FUNCTION items_counted()"]),
    "mysql": ("CREATE TRIGGER items_counted AFTER INSERT ON items FOR EACH ROW INSERT INTO runs (note) VALUES (NEW.name)",
              "DROP TRIGGER items_counted"),
}


def triggers(database):
    """The triggers' names, from the backend's own catalog."""
    if database.backend == "sqlite":
        return [name for name, in database.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    if database.backend == "postgres":
        return [name for name, in database.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")]
    return [name for name, in database.query("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                                             "WHERE TRIGGER_SCHEMA = DATABASE()")]


def test_a_trigger_of_a_repeatable_is_no_drift_after_migrate_and_after_rollback(database, run, specs, repeatable):
    up, down = TRIGGERS[database.backend]
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_STOCK)
    repeatable("r__triggers.json", {"operations": [{"action": "sql", "sql": up, "down": down}]})
    before = catalog(database)  # nothing yet
    ok(run, "migrate")
    assert triggers(database) == ["items_counted"] and status(run)["drift"] is None
    database.execute("INSERT INTO items (name) VALUES ('pen')")
    assert runs(database) == ["pen"]
    ok(run, "rollback", "base")
    assert triggers(database) == [] and status(run)["drift"] is None
    assert differences(before, catalog(database)) == []
    ok(run, "migrate", "v1.0.0")  # the repeatable waits for the newest version
    assert triggers(database) == [] and status(run)["drift"] is None
    ok(run, "migrate")
    assert triggers(database) == ["items_counted"] and status(run)["drift"] is None
    ok(run, "rollback")
    assert triggers(database) == [] and status(run)["drift"] is None
    assert states(run) == {"r__triggers": "pending"}


def test_verify_checks_the_versions_alone_then_that_the_repeatables_come_down_exactly(database, run, specs,
                                                                                    repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_STOCK)
    repeatable("r__views.json", views_body("low", 5, column="stock", counted=False))
    ok(run, "migrate")
    specs("v1.2.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "other", "field": "IntegerField(null=True)"}]})
    before, recorded = catalog(database), stored(database)
    report = json.loads(ok(run, "verify", "--json"))
    assert [(v["version"], v["reversible"]) for v in report["versions"] + report["repeatables"]] == [
        ("v1.2.0", True), ("repeatable specs (r__views)", True)]
    # a down that does not take the view down is found, on the copy only
    broken = views_body("low", 7, column="stock", counted=False)
    broken["operations"][0]["down"] = "SELECT 1"
    repeatable("r__views.json", broken)
    code, out, _ = run("verify")
    assert code == 1
    assert "repeatable specs (r__views) NOT reversible" in out and "view low is not as before after their down" in out
    assert differences(before, catalog(database)) == [] and stored(database) == recorded


def test_a_down_that_fails_stops_the_rollback_before_any_version_is_undone(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    body = views_body("cheap", 10, counted=False)
    body["operations"].append({"action": "sql", "sql": view_sql("dear", 100), "down": "DROP VIEW no_such_view"})
    repeatable("r__views.json", body)
    ok(run, "migrate")
    before, recorded = catalog(database), stored(database)
    code, out, err = run("rollback", "--json")
    assert code == 1
    message = error_document(out)["message"]
    assert message.startswith("undoing r__views, operation 1 (sql) by sql: ") and "no_such_view" in message
    assert message.endswith("no version was rolled back")
    assert differences(before, catalog(database)) == [] and sorted(views(database)) == ["cheap", "dear"]
    assert database.versions() == ["v1.0.0"] and stored(database) == recorded


def test_sql_per_backend_in_a_repeatable_and_a_backend_without_statements_refused(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    per_backend = {"operations": [{"action": "sql",
                                   "sql": {"postgresql": view_sql("cheap", 10), "mysql": view_sql("cheap", 10),
                                           "sqlite": view_sql("cheap", 10)},
                                   "down": {"postgresql": "DROP VIEW cheap", "mysql": "DROP VIEW cheap",
                                            "sqlite": "DROP VIEW cheap"}}]}
    repeatable("r__views.json", per_backend)
    ok(run, "migrate")
    assert list(views(database)) == ["cheap"]
    ok(run, "rollback")
    assert views(database) == {}
    here = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}[database.backend]
    del per_backend["operations"][0]["sql"][here], per_backend["operations"][0]["down"][here]
    repeatable("r__views.json", per_backend)
    for command in ("validate", "migrate", "plan"):
        code, _, err = run(command)
        assert code == 2 and "r__views.json, operation 0 (sql), parameter 'sql'" in err, (command, err)
    assert database.versions() == [] and views(database) == {}


# -- a rollback that fails or is refused leaves the repeatables as they were ---------------------------------
COUPON = {"description": "Coupons", "operations": [
    {"action": "create_table", "table": "coupon", "columns": {"code": "CharField(max_length=20, null=True)"}}]}
AUDIT = {"description": "Audit view, without down", "operations": [{"action": "sql", "sql": {
    "postgresql": "CREATE OR REPLACE VIEW coupon_codes AS SELECT code FROM coupon",
    "mysql": "CREATE OR REPLACE VIEW coupon_codes AS SELECT code FROM coupon",
    "sqlite": "CREATE VIEW coupon_codes AS SELECT code FROM coupon"}}]}
UNDO_FAILS = {"description": "Its undo fails", "operations": [
    {"action": "sql", "sql": "CREATE TABLE extra (id INT)", "down": "DROP TABLE no_such_table"}]}


def test_a_rollback_a_repeatable_without_down_stands_in_the_way_of_is_refused_before_anything_is_taken_down(
        database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", COUPON)
    repeatable("r__views.json", views_body("cheap", 10))  # has a down: it would be taken down first
    repeatable("r__audit.json", AUDIT)  # has none: it stays, and its view uses coupon
    ok(run, "migrate")
    assert sorted(views(database)) == ["cheap", "coupon_codes"]
    before, recorded, counted = catalog(database), stored(database), runs(database)
    for json_flag in ((), ("--json",)):
        code, out, err = run("rollback", "v1.0.0", *json_flag)
        assert code == 1 and "Traceback" not in err
        if json_flag:
            doc = error_document(out)
            message = doc["message"]
            assert "repeatables" not in doc and doc.get("rolled_back", []) == []
        else:
            message = err
            assert "took down" not in out and "rolled back" not in out
        assert ("undoing v1.1.0, operation 0 (create_table) by drop_table: coupon is used by view coupon_codes (made "
                "by repeatable r__audit): dropping the table would break them. r__audit has no down, so it stays "
                "applied: give it a down that drops view coupon_codes (a rollback then takes it down first), or "
                "change r__audit so that it no longer uses coupon") in message
        assert "with an sql operation" not in message
        # refused before anything ran: r__views was not taken down (its sql did not run again either)
        assert differences(before, catalog(database)) == [] and stored(database) == recorded
        assert runs(database) == counted and database.versions() == ["v1.0.0", "v1.1.0"]
        assert states(run) == {"r__audit": "applied", "r__views": "applied"} and status(run)["drift"] is None


def test_a_rollback_that_fails_puts_back_the_repeatables_it_took_down(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", UNDO_FAILS)
    repeatable("r__views.json", views_body("cheap", 10))
    ok(run, "migrate")
    database.execute(*ROWS)
    before, recorded = catalog_but_runs(database), stored(database)
    code, out, _ = run("rollback", "--json")
    assert code == 1
    doc = error_document(out)
    assert doc["message"].startswith("undoing v1.1.0, operation 0 (sql) by sql: ") and "no_such_table" in doc["message"]
    assert doc["rolled_back"] == []
    (entry,) = doc["repeatables"]
    assert (entry["name"], entry["state"], entry["file"]) == ("r__views", "put_back", "r__views.json")
    if database.backend == "mysql":  # DDL commits by itself: its stored sql ran again (and so its data write)
        assert doc["message"].endswith("; r__views, taken down first, was applied again from its stored sql: it is "
                                       "applied as before")
        assert entry["how"] == "applied again from its stored sql" and runs(database) == ["cheap", "cheap"]
    else:  # the take-down and v1.1.0's undo were one transaction
        assert doc["message"].endswith("; r__views, taken down first in the same transaction, is back as before")
        assert entry["how"].startswith("the transaction that took it down was rolled back")
        assert runs(database) == ["cheap"]
    assert differences(before, catalog_but_runs(database)) == [] and cheap_names(database) == ["pen"]
    assert [row[:3] for row in stored(database)] == [row[:3] for row in recorded]
    assert stored(database) == recorded and database.versions() == ["v1.0.0", "v1.1.0"]
    assert states(run) == {"r__views": "applied"} and status(run)["drift"] is None
    # in text: the take-down as it happened, then the error saying it is back
    code, out, err = run("rollback")
    assert code == 1 and "Traceback" not in err
    assert out == "took down repeatable r__views first: the next migrate applies it again\n"
    assert "r__views, taken down first" in err and states(run) == {"r__views": "applied"}


def test_when_putting_a_repeatable_back_fails_the_rollback_says_what_is_left(database, run, specs, repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", UNDO_FAILS)
    specs("v1.2.0", {"operations": [
        {"action": "create_table", "table": "notes", "columns": {"note": "CharField(max_length=20, null=True)"}}]})
    repeatable("r__views.json", {"operations": [
        {"action": "sql", "sql": view_sql("cheap", 10), "down": "DROP VIEW cheap"},
        {"action": "sql", "sql": "INSERT INTO notes (note) VALUES ('seen')"}]})
    ok(run, "migrate")
    # v1.2.0 is undone (notes dropped), then v1.1.0's undo fails: r__views's sql cannot run again
    code, out, err = run("rollback", "v1.0.0")
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == "took down repeatable r__views first: the next migrate applies it again"
    assert lines[1].startswith("rolled back v1.2.0") and lines[2:] == ["  dropped: v1.2.0: table notes (1 row)"]
    assert "undoing v1.1.0, operation 0 (sql) by sql: " in err
    assert "; putting r__views back failed (r__views, operation 1 (sql): " in err
    assert err.rstrip().endswith("it stays taken down (not applied, its objects removed by its stored down); the "
                                 "next migrate applies it again")
    assert views(database) == {} and stored(database) == []  # on MySQL/MariaDB the view made again is dropped
    assert database.versions() == ["v1.0.0", "v1.1.0"] and "notes" not in catalog(database)["tables"]
    assert states(run) == {"r__views": "pending"} and status(run)["drift"] is None
    code, out, _ = run("rollback", "--json")
    doc = error_document(out)
    assert code == 1 and "repeatables" not in doc and doc["rolled_back"] == []  # nothing to take down now
    ok(run, "migrate")  # v1.2.0 again, then the repeatable
    assert list(views(database)) == ["cheap"] and states(run) == {"r__views": "applied"}


def test_a_rollback_with_a_repeatables_file_gone_says_it_is_forgotten_before_the_versions(database, run, specs,
                                                                                       repeatable):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_STOCK)
    repeatable("r__kept.json", views_body("cheap", 10, counted=False))
    gone = repeatable("r__views.json", views_body("low", 5, column="stock", counted=False))
    ok(run, "migrate")
    gone.unlink()
    assert states(run) == {"r__kept": "applied", "r__views": "missing"}
    out = ok(run, "rollback")
    assert out.splitlines()[:3] == [
        "took down repeatable r__views first (its stored down ran); its file is gone, so it is forgotten: the next "
        "migrate does not apply it",
        "took down repeatable r__kept first: the next migrate applies it again",
        out.splitlines()[2]] and out.splitlines()[2].startswith("rolled back v1.1.0")
    assert views(database) == {} and states(run) == {"r__kept": "pending"}
    ok(run, "migrate")
    assert list(views(database)) == ["cheap"] and states(run) == {"r__kept": "applied"}
    gone.write_text(json.dumps(views_body("low", 5, column="stock", counted=False)))
    doc = json.loads(ok(run, "rollback", "--json"))
    assert doc["repeatables"] == [
        {"name": "r__kept", "state": "taken_down", "file": "r__kept.json", "next_migrate": "applies it again"}]


def test_a_repeatable_whose_sql_is_an_empty_list_here_is_recorded_and_runs_nothing(database, run, specs, repeatable):
    here = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}[database.backend]
    sql = {key: view_sql("cheap", 10) for key in ("postgresql", "mysql", "sqlite")}
    down = {key: "DROP VIEW cheap" for key in ("postgresql", "mysql", "sqlite")}
    sql[here], down[here] = [], []  # e.g. a PostgreSQL-only view: nothing to run on the other backends
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_STOCK)
    repeatable("r__only_elsewhere.json", {"operations": [{"action": "sql", "sql": sql, "down": down}]})
    before = catalog(database)
    assert "1 repeatable spec (sql only) valid" in ok(run, "validate")
    doc = json.loads(ok(run, "migrate", "--json"))
    assert [(r["name"], r["state"], r["nothing_here"]) for r in doc["repeatables"]] == [
        ("r__only_elsewhere", "pending", True)]
    assert views(database) == {} and states(run) == {"r__only_elsewhere": "applied"}
    assert [json.loads(d) for *_, d in stored(database)] == [[]]  # nothing to undo here
    assert "items" in catalog(database)["tables"] and status(run)["drift"] is None
    out = ok(run, "migrate")
    assert out.startswith("nothing to apply")
    ok(run, "rollback", "base")  # nothing to take down: it stays recorded
    assert differences(before, catalog(database)) == [] and states(run) == {"r__only_elsewhere": "applied"}
    repeatable("r__only_elsewhere.json", {"description": "edited", "operations": [
        {"action": "sql", "sql": sql, "down": down}]})
    out = ok(run, "migrate")
    assert "applied repeatable r__only_elsewhere again (changed) in " in out
    assert "its sql is an empty list on this backend: nothing ran; recorded as applied" in out
    assert views(database) == {} and states(run) == {"r__only_elsewhere": "applied"}
