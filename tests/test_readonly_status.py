"""Read-only commands write nothing: on an SQLite file that does not exist they create no file (they answer for
"no database yet"), and on an existing database they leave the catalog as it was. `status` shows a run in
progress (the migration lock held by another process), versions recorded by `baseline`, and the PostgreSQL
--schema in use."""
import json
import signal
import time
from pathlib import Path

import pytest

from conftest import flags, ok, snapshot, sqlite_only
from processes import hold_lock, release, start, stop, wait_for

READ_ONLY = ("status", "plan", "validate", "schema", "verify", "lint")
ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50, null=True)"}}]}
ADD_NOTE = {"description": "Notes", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
    {"action": "add_index", "table": "items", "columns": ["note"]}]}
EXISTING_ITEMS = {  # the table v1.0.0 makes, as it was made before migrator adopted the database
    "sqlite": "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50))",
    "postgres": "CREATE TABLE items (id SERIAL NOT NULL PRIMARY KEY, name VARCHAR(50))",
    "mysql": "CREATE TABLE items (id INTEGER AUTO_INCREMENT NOT NULL PRIMARY KEY, name VARCHAR(50))",
}

def document(cli, *args):
    return json.loads(ok(cli, *args, "--json"))


def files_in(folder):
    return sorted(p.name for p in Path(folder).iterdir())


@pytest.fixture
def lock_holder(database, specs, tmp_path):
    """Starts another process that holds this database's migration lock until it is released; its Popen."""
    processes = []

    def hold():
        processes.append(hold_lock(tmp_path, database.url, specs.folder))
        return processes[-1]

    yield hold
    for process in processes:
        stop(process)


# -- no database yet ---------------------------------------------------------------------------

@sqlite_only
def test_read_only_commands_on_an_sqlite_file_that_does_not_exist_create_no_file(database, cli, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    folder = tmp_path / "data"
    folder.mkdir()
    common = flags(f"sqlite:///{folder / 'app.db'}", specs.folder)

    out = ok(cli, "status", *common)
    assert "no database yet" in out
    assert [line.split()[:2] for line in out.splitlines() if line.startswith("v1.")] == [
        ["v1.0.0", "pending"], ["v1.1.0", "pending"]]
    status = document(cli, "status", *common)
    assert status["no_database_yet"] is True and status["current"] is None and status["in_progress"] is False
    assert [(v["version"], v["state"]) for v in status["versions"]] == [("v1.0.0", "pending"), ("v1.1.0", "pending")]
    assert status["database"] == f"sqlite:///{folder / 'app.db'}"

    assert "no database yet" in ok(cli, "plan", *common)
    plan = document(cli, "plan", *common)
    assert plan["no_database_yet"] is True
    # The plan is the one a new, empty file gets.
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()
    empty = document(cli, "plan", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}", "--specs-dir", specs.folder)
    assert plan["versions"] == empty["versions"]
    assert any(sql.startswith('CREATE TABLE "items"') for sql in plan["versions"][0]["operations"][0]["sql"])

    assert "files only: no database yet" in ok(cli, "validate", *common)
    assert document(cli, "validate", *common)["no_database_yet"] is True

    assert "no database yet" in ok(cli, "schema", *common)
    schema = document(cli, "schema", *common)
    assert schema["no_database_yet"] is True and schema["tables"] == {}

    assert "no database yet" in ok(cli, "verify", *common)
    verified = document(cli, "verify", *common)
    assert verified["no_database_yet"] is True and verified["reversible"] is True
    assert [v["version"] for v in verified["versions"]] == ["v1.0.0", "v1.1.0"]

    # --schema is still refused on SQLite, as on a database that exists
    code, _, err = cli("status", "--schema", "tenant", *common)
    assert code == 2 and "--schema is for PostgreSQL" in err

    assert files_in(folder) == []  # neither the database nor its .migrator-lock, nor a journal


def test_read_only_commands_on_an_existing_database_write_nothing(database, cli, common, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    database.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)")  # on SQLite, this makes the file
    files = files_in(tmp_path)
    before = snapshot(database, everything=True)
    for command in READ_ONLY:
        ok(cli, command, *common)
        ok(cli, command, "--json", *common)
        assert snapshot(database, everything=True) == before, f"{command} changed the database"
        assert "schema_migrations" not in database.tables(), command
    lock = [f"{Path(database.name).name}.migrator-lock"] if database.backend == "sqlite" else []
    assert files_in(tmp_path) in (files, sorted(files + lock))  # plan takes the lock as a run does, nothing more

    ok(cli, "migrate", "v1.0.0", *common)
    before = snapshot(database, everything=True)
    raw = Path(database.name).read_bytes() if database.backend == "sqlite" else None
    for command in READ_ONLY:
        ok(cli, command, *common)
        ok(cli, command, "--json", *common)
        assert snapshot(database, everything=True) == before, f"{command} changed the database"
    if raw is not None:
        assert Path(database.name).read_bytes() == raw


@sqlite_only
def test_status_on_an_existing_sqlite_file_creates_no_lock_file(database, cli, common, specs, tmp_path):
    specs("v1.0.0", ITEMS)
    database.execute("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    files = files_in(tmp_path)
    for command in ("status", "validate", "schema"):
        ok(cli, command, *common)
    assert files_in(tmp_path) == files


# -- a run in progress --------------------------------------------------------------------------

def test_status_shows_a_run_in_progress_while_another_process_holds_the_lock(
        database, cli, common, specs, lock_holder):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    ok(cli, "migrate", "v1.0.0", *common)
    status = document(cli, "status", *common)
    assert status["in_progress"] is False and status["lock_holder"] is None
    assert "in progress" not in ok(cli, "status", *common)

    holder = lock_holder()
    started = time.monotonic()
    out = ok(cli, "status", *common)
    assert time.monotonic() - started < 10  # it looks at the lock, it does not wait for it (--lock-timeout is 60)
    assert "a run is in progress (the migration lock is held by " in out
    status = document(cli, "status", *common)
    assert status["in_progress"] is True
    if database.backend == "sqlite":
        assert status["lock_holder"].startswith(f"pid {holder.pid} ")
    else:
        assert status["lock_holder"].startswith("server pid " if database.backend == "postgres" else "connection ")
    assert [(v["version"], v["state"]) for v in status["versions"]] == [("v1.0.0", "applied"), ("v1.1.0", "pending")]

    release(holder)
    status = document(cli, "status", *common)
    assert status["in_progress"] is False and status["lock_holder"] is None
    # status took nothing it kept: a run goes ahead at once
    ok(cli, "migrate", "--lock-timeout", "0", *common)
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


@sqlite_only
def test_read_only_commands_say_at_once_that_a_run_writing_an_sqlite_file_is_in_progress(
        database, cli, common, specs, lock_holder):
    # Found by the new-user trials: a run whose writes outgrow its cache holds the whole SQLite file until it
    # commits, and status, validate and lint waited for it (5 s), then failed with exit 1 ("database is locked").
    import sqlite3

    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    ok(cli, "migrate", "v1.0.0", *common)
    holder = lock_holder()  # the run: its lock, and the file it writes
    writing = sqlite3.connect(database.name, isolation_level=None)
    writing.execute("BEGIN EXCLUSIVE")
    try:
        for command in ("status", "validate", "lint", "schema", "verify"):
            started = time.monotonic()
            code, out, err = cli(command, *common)
            assert time.monotonic() - started < 4, command  # not the 5 s SQLite's busy timeout would wait
            assert code == 3 and not out, (command, out, err)
            assert f"a run is in progress (the migration lock is held by pid {holder.pid} " in err
        code, out, _ = cli("status", "--json", *common)
        error = json.loads(out)["error"]
        assert code == 3 and error["code"] == 3
        assert "SQLite lets no one read the database while a run writes it" in error["message"]
    finally:
        writing.execute("ROLLBACK")
        writing.close()
    # between the run's writes to the file, status reads it as beside any run
    status = document(cli, "status", *common)
    assert status["in_progress"] is True
    assert [(v["version"], v["state"]) for v in status["versions"]] == [("v1.0.0", "applied"), ("v1.1.0", "pending")]
    release(holder)
    # no run, and the file held by another program: status waits as before (the busy timeout is restored)
    assert document(cli, "status", *common)["in_progress"] is False


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_a_mariadb_run_killed_mid_version_is_running_while_the_lock_is_held_and_failed_once_free(
        database, cli, common, specs, tmp_path, lock_holder):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        {"action": "sql", "sql": "SELECT SLEEP(3)", "down": "SELECT 1"}]})
    ok(cli, "migrate", "v1.0.0", *common)
    run = start(tmp_path, "migrate", *common)
    try:
        # The journal is written before each operation: the version is `running` while its sql sleeps.
        wait_for(lambda: ("v1.1.0", "running") in database.history(), "v1.1.0's journal")
        status = document(cli, "status", *common)
        assert status["in_progress"] is True
        assert {v["version"]: v["state"] for v in status["versions"]}["v1.1.0"] == "running"
        assert "a run is in progress" in ok(cli, "status", *common)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)

    # Killed: its lock died with its connection, its journal stays; the version failed and needs repair.
    wait_for(lambda: not document(cli, "status", *common)["in_progress"], "the killed run's lock to be freed")
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "running")]
    status = document(cli, "status", *common)
    assert {v["version"]: v["state"] for v in status["versions"]}["v1.1.0"] == "failed"
    assert "a run is in progress" not in ok(cli, "status", *common)

    # The same journal with the lock held (say, by a repair under way) is a run in progress again.
    holder = lock_holder()
    status = document(cli, "status", *common)
    assert status["in_progress"] is True
    assert {v["version"]: v["state"] for v in status["versions"]}["v1.1.0"] == "running"
    release(holder)
    wait_for(lambda: not database.query("SELECT count(*) FROM information_schema.PROCESSLIST "
                                        "WHERE DB = %s AND ID <> CONNECTION_ID()", (database.name,))[0][0],
             "the killed run's statement to end")


# -- baseline and --schema ---------------------------------------------------------------------------

def test_status_marks_the_versions_recorded_by_baseline(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", ADD_NOTE)
    database.execute(EXISTING_ITEMS[database.backend])
    ok(cli, "baseline", "v1.0.0", *common)
    ok(cli, "migrate", *common)
    assert database.history(columns="version, detail") == [
        ("v1.0.0", '{"baseline": true}'), ("v1.1.0", None)]

    status = document(cli, "status", *common)
    assert [(v["version"], v["state"], v["baseline"]) for v in status["versions"]] == [
        ("v1.0.0", "applied", True), ("v1.1.0", "applied", False)]
    assert status["schema"] is None  # no --schema
    lines = {line.split()[0]: line for line in ok(cli, "status", *common).splitlines() if line.startswith("v1.")}
    assert "applied (baseline)" in lines["v1.0.0"] and "baseline" not in lines["v1.1.0"]

    code, _, err = cli("rollback", "base", *common)
    assert code == 2 and "v1.0.0 was recorded by baseline" in err
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_status_shows_the_postgres_schema_in_use(database, cli, common, specs, monkeypatch):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", "--schema", "tenant_a", *common)
    assert database.query("SELECT version FROM tenant_a.schema_migrations") == [("v1.0.0",)]

    out = ok(cli, "status", "--schema", "tenant_a", *common)
    assert "schema:   tenant_a" in out.splitlines()
    status = document(cli, "status", "--schema", "tenant_a", *common)
    assert status["schema"] == "tenant_a" and status["current"] == "v1.0.0"

    monkeypatch.setenv("MIGRATOR_SCHEMA", "tenant_a")  # the environment's schema is shown as well
    assert document(cli, "status", *common)["schema"] == "tenant_a"
    monkeypatch.delenv("MIGRATOR_SCHEMA")

    status = document(cli, "status", *common)  # public: nothing applied there
    assert status["schema"] is None and status["current"] is None
    assert not any(line.startswith("schema:") for line in ok(cli, "status", *common).splitlines())


def test_a_version_whose_rollback_was_left_part_way_is_still_the_current_one(database, specs, run):
    """A rollback killed part-way (MySQL/MariaDB) leaves its version `failed`; `repair` puts the version back, so
    until then it is still the current version, not the one below it."""
    for number in (1, 2):
        specs(f"v1.{number}.0", [{"action": "create_table", "table": f"t{number}", "columns": {"n": "IntegerField()"}}])
    ok(run, "migrate")
    database.execute("UPDATE schema_migrations SET state = 'failed', "
                     "detail = '{\"direction\": \"rollback\", \"undo\": [], \"done\": 0}' WHERE version = 'v1.2.0'")
    code, out, err = run("status", "--json")
    found = json.loads(out)
    assert found["current"] == "v1.2.0", found
    assert {v["version"]: v["state"] for v in found["versions"]}["v1.2.0"] == "failed"
