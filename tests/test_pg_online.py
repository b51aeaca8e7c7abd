"""PostgreSQL's safe forms on a table with rows: each form's statements as `migrate -v` shows them, and its result
in the catalog (pg_index.indisvalid, pg_constraint, attnotnull, no _migrator_nn_ check left); a unique concurrent
build that meets a duplicate, or a run killed during a build, leaves no invalid index; `"online": false` gives the
plain forms; a type change that needs no rewrite keeps the table's file (pg_class.relfilenode); and an INSERT from
another session does not wait for a concurrent index build."""
import threading
import time

import pytest

import processes
from conftest import ok, snapshot

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)

ROWS = 20000
BASE = {"operations": [
    {"action": "create_table", "table": "owner", "columns": {"label": "CharField(max_length=50, null=True)"}},
    {"action": "create_table", "table": "item", "columns": {
        "n": "IntegerField(null=True)", "name": "CharField(max_length=50, null=True)",
        "price": "DecimalField(max_digits=10, decimal_places=2, null=True)", "owner_id": "IntegerField(null=True)"}},
]}


@pytest.fixture
def items(database, specs, run):
    """owner (10 rows) and item (ROWS rows, each pointing to an owner) made by v1."""
    specs("v1", BASE)
    ok(run, "migrate")
    database.execute("INSERT INTO owner (label) SELECT 'o' FROM generate_series(1, 10)",
                     f"INSERT INTO item (n, name, price, owner_id) SELECT g, 'x' || g, g / 100.0, 1 + mod(g, 10) "
                     f"FROM generate_series(1, {ROWS}) AS g")


def migrate_sql(run, *args):
    """The statements that write, as `migrate -v` shows them."""
    code, out, err = run("migrate", "-v", *args)
    assert code == 0, out + err
    return written(err)


def written(err):
    return [line[len("sql: "):] for line in err.splitlines() if line.startswith("sql: ")
            and not line.startswith(("sql: SELECT", "sql: EXECUTE", "sql: PREPARE", "sql: SET"))
            and "schema_migrations" not in line and "_migrator_layout" not in line]


def index_state(database, name):
    """(pg_get_indexdef, indisvalid) of the index, or None."""
    found = database.query("SELECT pg_get_indexdef(x.indexrelid), x.indisvalid FROM pg_index AS x JOIN pg_class AS i "
                           "ON i.oid = x.indexrelid WHERE i.relname = %s", (name,))
    return found[0] if found else None


def constraints(database, table="item"):
    """{name: (type, validated)} of the table's constraints."""
    return {name: (kind, valid) for name, kind, valid in database.query(
        "SELECT conname, contype, convalidated FROM pg_constraint WHERE conrelid = %s::regclass", (table,))}


def not_null(database, column, table="item"):
    return database.query("SELECT attnotnull FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
                          (table, column))[0][0]


def test_an_index_is_built_and_dropped_concurrently_and_rolled_back(database, specs, run, items):
    specs("v2", [{"action": "add_index", "table": "item", "columns": ["n"], "unique": True}])
    assert migrate_sql(run) == ['CREATE UNIQUE INDEX CONCURRENTLY "item_n" ON "item" ("n")']
    assert index_state(database, "item_n") == ("CREATE UNIQUE INDEX item_n ON public.item USING btree (n)", True)
    specs("v3", [{"action": "drop_index", "table": "item", "index_name": "item_n"}])
    assert migrate_sql(run) == ['DROP INDEX CONCURRENTLY "item_n"']
    assert index_state(database, "item_n") is None
    code, _, err = run("rollback", "-v", "--yes")
    assert code == 0 and written(err) == ['CREATE UNIQUE INDEX CONCURRENTLY "item_n" ON "item" ("n")']
    assert index_state(database, "item_n")[1] is True
    code, _, err = run("rollback", "-v", "--yes")
    assert code == 0 and written(err) == ['DROP INDEX CONCURRENTLY "item_n"']
    assert index_state(database, "item_n") is None


def test_not_null_is_set_through_a_validated_check_that_is_dropped_after(database, specs, run, items):
    specs("v2", [{"action": "add_not_null", "table": "item", "column": "n"}])
    check = '"_migrator_nn_item_n"'
    assert migrate_sql(run) == [
        f'ALTER TABLE "item" DROP CONSTRAINT IF EXISTS {check}',  # a killed run's
        f'ALTER TABLE "item" ADD CONSTRAINT {check} CHECK ("n" IS NOT NULL) NOT VALID',
        f'ALTER TABLE "item" VALIDATE CONSTRAINT {check}',
        'ALTER TABLE "item" ALTER COLUMN "n" SET NOT NULL',
        f'ALTER TABLE "item" DROP CONSTRAINT IF EXISTS {check}']
    assert not_null(database, "n") is True
    assert not [name for name in constraints(database) if name.startswith("_migrator_")]
    ok(run, "rollback", "--yes")
    assert not_null(database, "n") is False


def test_not_null_with_accept_loss_fills_the_nulls_first(database, specs, run, items):
    database.execute("UPDATE item SET name = NULL WHERE n <= 100")
    specs("v2", [{"action": "add_not_null", "table": "item", "column": "name"}])
    assert run("migrate")[0] == 1  # NULLs refused without --accept-loss
    statements = migrate_sql(run, "--accept-loss")
    # the keys of the NULL rows kept for the rollback, then the NULLs filled, then the safe form
    fill = next(i for i, s in enumerate(statements) if s.startswith('UPDATE "item" SET "name" = '))
    assert any("_migrator_backup_" in s for s in statements[:fill]), statements
    assert "NOT VALID" in statements[fill + 2], statements
    assert not_null(database, "name") is True
    assert database.query("SELECT COUNT(*) FROM item WHERE name = ''") == [(100,)]
    ok(run, "rollback", "--yes")
    assert database.query("SELECT COUNT(*) FROM item WHERE name IS NULL") == [(100,)]


def test_a_leftover_not_null_check_of_a_killed_run_is_hidden_and_dropped_by_the_next_run(database, specs, run, items):
    # a run killed between VALIDATE and SET NOT NULL leaves the check: it is migrator's, no drift, and goes
    database.execute('ALTER TABLE item ADD CONSTRAINT "_migrator_nn_item_n" CHECK (n IS NOT NULL) NOT VALID')
    assert "checks" not in str(database.schema()["item"]) or "_migrator_nn_" not in str(database.schema())
    ok(run, "status")
    specs("v2", [{"action": "add_not_null", "table": "item", "column": "n"}])
    ok(run, "migrate")
    assert not_null(database, "n") is True and "_migrator_nn_item_n" not in constraints(database)


def test_a_foreign_key_on_a_table_with_rows_is_added_not_valid_then_validated(database, specs, run, items):
    specs("v2", [{"action": "add_foreign_key", "table": "item", "columns": ["owner_id"], "ref_table": "owner"}])
    key = '"fk_item_owner_id_refs_owner"'
    assert migrate_sql(run) == [
        f'ALTER TABLE "item" ADD CONSTRAINT {key} FOREIGN KEY ("owner_id") REFERENCES "owner" ("id") NOT VALID',
        f'ALTER TABLE "item" VALIDATE CONSTRAINT {key}']
    assert constraints(database)["fk_item_owner_id_refs_owner"] == ("f", True)
    ok(run, "rollback", "--yes")
    assert "fk_item_owner_id_refs_owner" not in constraints(database)


def test_online_false_gives_the_plain_forms_in_the_versions_transaction(database, specs, run, items):
    specs("v2", [
        {"action": "add_index", "table": "item", "columns": ["name"], "online": False},
        {"action": "add_not_null", "table": "item", "column": "n", "online": False},
        {"action": "add_foreign_key", "table": "item", "columns": ["owner_id"], "ref_table": "owner",
         "online": False}])
    assert migrate_sql(run) == [
        'CREATE INDEX "item_name" ON "item" ("name")',
        'ALTER TABLE "item" ALTER COLUMN "n" SET NOT NULL',
        'ALTER TABLE "item" ADD CONSTRAINT "fk_item_owner_id_refs_owner" FOREIGN KEY ("owner_id") '
        'REFERENCES "owner" ("id")']
    # one transaction: no journal was written while it ran, the row appears applied at once
    assert database.history() == [("v1", "applied"), ("v2", "applied")]
    # and undone in the plain forms too: the stored inverse keeps "online": false
    code, out, err = run("rollback", "-v", "--yes")
    assert code == 0, err
    assert 'DROP INDEX "item_name"' in written(err) and not any("CONCURRENTLY" in s for s in written(err))
    assert database.history() == [("v1", "applied")]


def test_a_version_mixing_safe_and_ordinary_operations_applies_and_rolls_back_exactly(database, specs, run, items):
    before = snapshot(database, catalog=True)
    specs("v2", [
        {"action": "add_column", "table": "item", "column_name": "code", "field": "IntegerField(null=True)"},
        {"action": "sql", "sql": "UPDATE item SET code = n", "down": "UPDATE item SET code = NULL"},
        {"action": "add_index", "table": "item", "columns": ["code"], "unique": True},
        {"action": "add_not_null", "table": "item", "column": "code"},
        {"action": "add_foreign_key", "table": "item", "columns": ["owner_id"], "ref_table": "owner"}])
    ok(run, "migrate")
    assert index_state(database, "item_code")[1] is True and not_null(database, "code") is True
    ok(run, "verify")
    ok(run, "rollback", "--yes")
    assert snapshot(database, catalog=True) == before


def test_plan_shows_the_safe_forms_and_changes_nothing(database, specs, run, items):
    before = snapshot(database, catalog=True)
    specs("v2", [{"action": "add_index", "table": "item", "columns": ["n"]},
                 {"action": "add_not_null", "table": "item", "column": "n"}])
    out = ok(run, "plan")
    assert 'CREATE INDEX CONCURRENTLY "item_n" ON "item" ("n")' in out
    assert 'VALIDATE CONSTRAINT "_migrator_nn_item_n"' in out
    assert snapshot(database, catalog=True) == before


def slow_function(every, seconds, replace=False):
    """slow(x) = x, pausing `seconds` at every `every`th value: an index on it takes its time to build."""
    return (f"CREATE {'OR REPLACE ' if replace else ''}FUNCTION slow(x int) RETURNS int IMMUTABLE LANGUAGE plpgsql "
            f"AS $$ BEGIN IF mod(x, {every}) = 0 THEN PERFORM pg_sleep({seconds}); END IF; RETURN x; END $$")


# -- what a failed or killed concurrent build leaves ------------------------------------------------------------

@pytest.fixture
def duplicate_after_preflight(database, monkeypatch):
    """Another session inserts a duplicate of item.n = 1 after preflight, just before the index is built."""
    from migrator.dialects.postgres_online import OnlineForms

    real = OnlineForms.drop_invalid_index

    def racing(self, ctx, name):
        database.execute("INSERT INTO item (n, name) VALUES (1, 'late duplicate')")
        return real(self, ctx, name)

    monkeypatch.setattr(OnlineForms, "drop_invalid_index", racing)


def test_a_unique_concurrent_build_meeting_a_duplicate_leaves_no_invalid_index(
        database, specs, run, items, duplicate_after_preflight):
    before = snapshot(database, catalog=True)
    specs("v2", [{"action": "add_index", "table": "item", "columns": ["n"], "unique": True}])
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err and "item_n" in out + err
    assert index_state(database, "item_n") is None
    assert database.history() == [("v1", "applied")]
    database.execute("DELETE FROM item WHERE name = 'late duplicate'")
    after = snapshot(database, catalog=True)
    assert after[0]["tables"] == before[0]["tables"] and after[1] == before[1]  # the key's sequence moved on


def test_a_run_killed_during_a_concurrent_build_is_cleaned_up_by_repair(database, specs, run, items, tmp_path):
    # the build is slowed by an index expression that sleeps, so that the run is killed during it
    database.execute(slow_function(every=100, seconds=0.05))  # 200 pauses: 10 s
    specs("v2", [{"action": "add_index", "table": "item", "name": "item_slow", "expressions": ["slow(n)"]}])
    process = processes.start(tmp_path, "migrate", "--database-url", database.url, "--specs-dir", specs.folder)
    try:
        processes.wait_for(lambda: database.query(
            "SELECT pid FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'"), "the build")
        process.kill()
        process.wait()
        database.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'")
    finally:
        processes.stop(process)
    processes.wait_for(lambda: index_state(database, "item_slow") and not database.query(
        "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'"), "the build to end")
    assert index_state(database, "item_slow")[1] is False  # what the killed build left
    assert database.history() == [("v1", "applied"), ("v2", "running")]
    ok(run, "repair")
    assert index_state(database, "item_slow") is None
    assert database.history() == [("v1", "applied")]
    database.execute(slow_function(every=1, seconds=0, replace=True))
    ok(run, "migrate")
    assert index_state(database, "item_slow")[1] is True


def test_the_next_migrate_cancels_the_build_a_killed_run_left_running_on_the_server(database, specs, run, items,
                                                                                   tmp_path):
    """A killed run's CREATE INDEX CONCURRENTLY goes on in its server session; the next migrate must not race it."""
    database.execute(slow_function(every=100, seconds=0.05))  # 200 pauses: 10 s
    specs("v2", [{"action": "add_index", "table": "item", "name": "item_slow", "expressions": ["slow(n)"]}])
    building = "SELECT pid FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'"
    process = processes.start(tmp_path, "migrate", "--database-url", database.url, "--specs-dir", specs.folder)
    try:
        processes.wait_for(lambda: database.query(building), "the build")
        process.kill()
        process.wait()
    finally:
        processes.stop(process)
    [(pid,)] = database.query(building)  # still building, for the run that is gone
    database.execute(slow_function(every=1, seconds=0, replace=True))
    out = ok(run, "migrate")
    assert f"cancelled what a killed run left running in server session {pid}" in out, out
    assert "a killed run stopped at operation 0 (add_index): finished from there" in out, out
    assert index_state(database, "item_slow")[1] is True
    assert not database.query(building)
    assert database.history() == [("v1", "applied"), ("v2", "applied")]


# -- type changes in place ------------------------------------------------------------------------------------

def relfilenode(database, table="item"):
    return database.query("SELECT relfilenode FROM pg_class WHERE relname = %s", (table,))[0][0]


@pytest.mark.parametrize("column, field", [
    ("name", "CharField(max_length=200, null=True)"), ("name", "TextField(null=True)"),
    ("price", "DecimalField(max_digits=14, decimal_places=2, null=True)")])
def test_a_type_change_that_needs_no_rewrite_keeps_the_tables_file(database, specs, run, items, column, field):
    before = relfilenode(database)
    specs("v2", [{"action": "alter_column_type", "table": "item", "column": column, "field": field}])
    ok(run, "migrate")
    assert relfilenode(database) == before


def test_a_type_change_that_rewrites_gives_the_table_a_new_file(database, specs, run, items):
    before = relfilenode(database)
    specs("v2", [{"action": "alter_column_type", "table": "item", "column": "n", "field": "BigIntegerField(null=True)"}])
    ok(run, "migrate")
    assert relfilenode(database) != before


# -- writes go on ------------------------------------------------------------------------------------------

def test_an_insert_does_not_wait_for_a_concurrent_index_build(database, specs, run, items):
    database.execute("INSERT INTO item (n, name) SELECT g, 'y' || g FROM generate_series(1, 180000) AS g",
                     slow_function(every=2000, seconds=0.02))  # 100 pauses: 2 s
    specs("v2", [{"action": "add_index", "table": "item", "name": "item_slow", "expressions": ["slow(n)"]}])
    result = {}
    build = threading.Thread(target=lambda: result.update(code=run("migrate")[0]))
    build.start()
    try:
        processes.wait_for(lambda: database.query(
            "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'"), "the build")
        started = time.monotonic()
        database.execute("INSERT INTO item (n, name) VALUES (-1, 'during the build')")
        waited = time.monotonic() - started
        still_building = database.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%%'")
    finally:
        build.join()
    assert result["code"] == 0 and index_state(database, "item_slow")[1] is True
    assert still_building, "the build ended before the insert: make it slower"
    assert waited < 0.5
