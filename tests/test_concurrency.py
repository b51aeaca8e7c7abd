"""Runs in real processes at the same time: the migration lock lets one run at a time apply
each version, a waiting run times out naming the holder, and a killed holder frees the lock.
"""
import json
import os
import re
import signal
import time

import pytest

from processes import all_at_once, hold_lock, python, release, run, start, stop, wait_for

ITEMS = {"description": "items and a log of runs", "operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50)"}},
    {"action": "create_table", "table": "runs", "columns": {"version": "CharField(max_length=20)"}},
]}
# Each application of this version leaves a row in `runs`: the rows count the applications.
LOG_A_RUN = {"operations": [
    {"action": "sql", "sql": "INSERT INTO runs (version) VALUES ('v1.1.0')", "down": "DELETE FROM runs"}]}
NOTE = {"operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
    {"action": "add_index", "table": "items", "columns": ["note"]},
]}
# Takes a few seconds in the database, so that a run is caught in the middle of it.
SLOW_SQL = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) "
              "SELECT count(*) FROM c",
    "postgres": "SELECT pg_sleep(2)",
    "mysql": "SELECT SLEEP(2)",
}


@pytest.fixture
def holder(database, specs, tmp_path):
    """A helper process holding the migration lock of this database."""
    process = hold_lock(tmp_path, database.url, specs.folder)
    yield process
    stop(process)


def holder_names(database, holder):
    """How a waiting run may name the helper: its pid, or its lock connection on the server."""
    if database.backend == "sqlite":
        return {f"pid {holder.pid} "}
    if database.backend == "postgres":
        rows = database.query("SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                              "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = %s", (database.name,))
        return {f"server pid {pid}," for pid, in rows}
    rows = database.query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
                          (database.name,))
    return {f"connection {id}," for id, in rows}


# -- many runs at once -----------------------------------------------------------------------

def test_eight_simultaneous_runs_apply_each_version_exactly_once(database, specs, tmp_path, common):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", LOG_A_RUN)
    specs("v1.2.0", NOTE)
    results = all_at_once(tmp_path, [["migrate", *common]] * 8)
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    assert all("Traceback" not in err for _, _, err in results)
    printed = "".join(out for _, out, _ in results)
    assert [len(re.findall(rf"^applied {v} ", printed, re.M)) for v in ("v1.0.0", "v1.1.0", "v1.2.0")] == [1, 1, 1]
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied"), ("v1.2.0", "applied")]
    assert database.query("SELECT version, count(*) FROM schema_migrations GROUP BY version HAVING count(*) > 1") == []
    assert database.query("SELECT version FROM runs") == [("v1.1.0",)]
    assert [c["name"] for c in database.schema()["items"]["columns"]] == ["id", "name", "note"]


# -- the lock ------------------------------------------------------------------------------

def test_a_run_gives_up_after_lock_timeout_and_names_the_holder(database, specs, tmp_path, common, holder):
    specs("v1.0.0", ITEMS)
    done = run(tmp_path, "migrate", "--lock-timeout", "1", *common)
    assert done.returncode == 3, done.stderr
    assert "waited 1 s" in done.stderr
    names = holder_names(database, holder)
    assert any(name in done.stderr for name in names), (done.stderr, names)
    assert "Traceback" not in done.stderr
    assert 1 <= done.seconds < 15
    assert database.schema() == {}
    assert database.history() == []


def test_a_second_run_waits_for_the_lock_then_proceeds(database, specs, tmp_path, common, holder):
    specs("v1.0.0", ITEMS)
    waiting = start(tmp_path, "migrate", "--lock-timeout", "30", *common)
    time.sleep(1.5)
    assert waiting.poll() is None, waiting.communicate()
    assert database.schema() == {}
    release(holder, timeout=10)
    out, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 0, err
    assert database.history() == [("v1.0.0", "applied")]


def test_a_runner_killed_while_holding_the_lock_does_not_block_the_next_one(database, specs, tmp_path, common):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [{"action": "sql", "sql": SLOW_SQL[database.backend], "down": "SELECT 1"}]})
    victim = start(tmp_path, "migrate", *common)
    try:
        if database.backend == "sqlite":  # a run is one transaction there: nothing shows before it commits
            wait_for(lambda: os.path.exists(f"{database.name}-journal"), what="the run's transaction to start")
        else:
            wait_for(lambda: ("v1.0.0", "applied") in database.history(), what="v1.0.0 to be applied")
        time.sleep(0.5)  # inside the slow v1.1.0 now, lock held
        assert victim.poll() is None, victim.communicate()
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        stop(victim)
    done = run(tmp_path, "migrate", "--lock-timeout", "10", *common)
    assert done.returncode != 3, done.stderr
    assert done.seconds < 9  # the slow version again, never the lock timeout
    if database.backend == "mysql":
        # Without transactional DDL the killed run leaves its journal: the next run stops, repair resolves it.
        assert done.returncode == 4 and "v1.1.0 did not finish" in done.stderr, done.stderr
        status = run(tmp_path, "status", *common)
        assert re.search(r"^v1\.1\.0\s+failed", status.stdout, re.M), status.stdout
        repaired = run(tmp_path, "repair", *common)
        assert repaired.returncode == 0, repaired.stderr
        done = run(tmp_path, "migrate", "--lock-timeout", "10", *common)
    assert done.returncode == 0, done.stderr
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


# -- PostgreSQL schemas --------------------------------------------------------------------

@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_two_postgres_schemas_keep_their_own_versions_and_history(database, specs, tmp_path, common):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", LOG_A_RUN)
    specs("v1.2.0", NOTE)
    results = all_at_once(tmp_path, [["migrate", "--schema", "tenant_a", *common],
                                     ["migrate", "v1.0.0", "--schema", "tenant_b", *common]])
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert database.query("SELECT version, state FROM tenant_a.schema_migrations ORDER BY id") == [
        ("v1.0.0", "applied"), ("v1.1.0", "applied"), ("v1.2.0", "applied")]
    assert database.query("SELECT version, state FROM tenant_b.schema_migrations ORDER BY id") == [
        ("v1.0.0", "applied")]
    columns = database.query("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                             "WHERE table_name = 'items' ORDER BY 1, 3")
    assert columns == [("tenant_a", "items", "id"), ("tenant_a", "items", "name"), ("tenant_a", "items", "note"),
                       ("tenant_b", "items", "id"), ("tenant_b", "items", "name")]
    assert database.schema(exclude=()) == {}  # nothing in public, not even a history table
    for schema, current in (("tenant_a", "v1.2.0"), ("tenant_b", "v1.0.0")):
        done = run(tmp_path, "status", "--json", "--schema", schema, *common)
        assert f'"current": "{current}"' in done.stdout, done.stderr


# Several rounds: in each, eight processes start migrating the same new schema at the same moment.
SCHEMA_ROUNDS = r"""
import json, os, sys, time
import peewee, playhouse.db_url, psycopg2
import migrator.api, migrator.cli, migrator.runner
go, rounds, common = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
codes = []
for i in range(rounds):
    print("ready", flush=True)
    while not os.path.exists(f"{go}{i}"):
        time.sleep(0.001)
    codes.append(migrator.cli.main(["migrate", "-q", "--schema", f"tenant_{i}", *common]))
print(json.dumps(codes), flush=True)
"""


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_simultaneous_first_runs_on_a_new_postgres_schema_all_succeed(database, specs, tmp_path, common):
    # A run creates its schema when it is missing, so the first runs on a new schema may be several at once.
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", LOG_A_RUN)
    rounds = 4
    processes = [python(tmp_path, SCHEMA_ROUNDS, tmp_path / "go", rounds, *common) for _ in range(8)]
    try:
        for i in range(rounds):
            for process in processes:
                assert process.stdout.readline().strip() == "ready", process.stderr.read()
            (tmp_path / f"go{i}").touch()
        outputs = [process.communicate(timeout=60) for process in processes]
    finally:
        for process in processes:
            stop(process)
    codes = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert codes == [[0] * rounds] * 8, [err for _, err in outputs if err]
    for i in range(rounds):
        assert database.query(f"SELECT version FROM tenant_{i}.schema_migrations ORDER BY id") == [
            ("v1.0.0",), ("v1.1.0",)]
        assert database.query(f"SELECT version FROM tenant_{i}.runs") == [("v1.1.0",)]
