"""On a live database (README: On a live database), on PostgreSQL and MariaDB: another session holding a lock
makes a run wait no longer than --lock-wait and try again; a reader and a writer go on during a migrate of a
table of a million rows; a run killed during a concurrent index build is finished by the next one.

The other sessions are real connections in threads of the test, each knowing its own session id, so that what
migrator says of them can be checked. SQLite keeps its behaviour (a writer locks the whole file): it is skipped.
"""
import json
import random
import signal
import threading
import time

import pytest

import processes
from conftest import error_document, ok
from processes import start, stop, wait_for
from test_faults import wait_until_quiet

SESSION_ID = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}


@pytest.fixture
def server(database):
    if database.backend == "sqlite":
        pytest.skip("SQLite locks the whole file for a writer: there is no lock wait to set, nor a session to name")
    return database


class Holder:
    """Another session that has read `table` in a transaction it keeps open (PostgreSQL's ACCESS SHARE lock,
    MariaDB's metadata lock), in a thread of its own, until released: the application's forgotten transaction."""

    def __init__(self, database, table):
        self.database, self.table = database, table
        self.ready, self.released = threading.Event(), threading.Event()
        self.session = self.error = None
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(30), "the holding session did not start"
        assert self.error is None, self.error
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.thread.join(30)

    def release_after(self, seconds):
        timer = threading.Timer(seconds, self.released.set)
        timer.daemon = True
        timer.start()

    exclusive = False  # LOCK TABLE: no other session may even read the table

    def _hold(self):
        q = "`" if self.database.backend == "mysql" else '"'
        db = self.database.connect()
        try:
            self.session = db.execute_sql(SESSION_ID[self.database.backend]).fetchone()[0]
            with db.atomic():
                if self.exclusive and self.database.backend == "mysql":
                    db.execute_sql(f"LOCK TABLES {q}{self.table}{q} WRITE")
                elif self.exclusive:
                    db.execute_sql(f"LOCK TABLE {q}{self.table}{q} IN ACCESS EXCLUSIVE MODE")
                db.execute_sql(f"SELECT count(*) FROM {q}{self.table}{q}").fetchall()
                self.ready.set()
                self.released.wait(300)
        except Exception as error:  # shown by __enter__, in the test's thread
            self.error = error
            self.ready.set()
        finally:
            db.close()


def orders_table(specs, run):
    """v1.0.0, applied: a table `orders` with two rows; v1.1.0, pending: a column added to it."""
    specs("v1.0.0", {"description": "orders", "operations": [
        {"action": "create_table", "table": "orders", "columns": {"note": "CharField(max_length=40, null=True)"}},
        {"action": "sql", "sql": "INSERT INTO orders (note) VALUES ('a'), ('b')", "down": "DELETE FROM orders"}]})
    ok(run, "migrate")
    specs("v1.1.0", {"description": "a column", "operations": [
        {"action": "add_column", "table": "orders", "column_name": "total", "field": "IntegerField(null=True)"}]})


def columns(database, table):
    schema = "DATABASE()" if database.backend == "mysql" else "current_schema()"
    return [name for name, in database.query(
        f"SELECT column_name FROM information_schema.columns WHERE table_schema = {schema} AND table_name = %s "
        "ORDER BY ordinal_position", (table,))]


def retries_recorded(database, version):
    rows = database.query("SELECT retries FROM schema_migrations WHERE version = %s", (version,))
    return [retries for retries, in rows]


# -- a lock held by another session ---------------------------------------------------------------

def test_a_lock_held_for_a_while_makes_the_run_retry_then_succeed(server, specs, run):
    orders_table(specs, run)
    with Holder(server, "orders") as holder:
        holder.release_after(1.5)
        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "5")
    assert code == 0, err
    assert "retry 1 of 5" in err and "lock" in err.lower()
    assert retries_recorded(server, "v1.1.0")[0] > 0
    assert columns(server, "orders") == ["id", "note", "total"]


def test_a_lock_held_through_every_retry_fails_the_run_naming_the_session_and_applies_nothing(server, specs, run):
    orders_table(specs, run)
    with Holder(server, "orders") as holder:
        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "2")
        assert code == 1, err
        assert "retry 2 of 2" in err
        assert "lock on orders" in err and f"session {holder.session} " in err, err
        assert "Traceback" not in err
        assert columns(server, "orders") == ["id", "note"]
        assert retries_recorded(server, "v1.1.0") == []

        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "1", "--json")
    assert code == 1
    error = error_document(out)
    assert error["tries"] == 2
    assert any(f"session {holder.session} " in held for held in error["held_by"]), error["held_by"]
    assert server.history() == [("v1.0.0", "applied")]


def test_a_table_no_session_may_read_stops_migrators_own_reads_no_longer_than_the_lock_wait(server, specs, run):
    """migrator reads each table's definition and data before the run: those reads wait no longer than the lock
    wait either, and are tried again, then name the session."""
    orders_table(specs, run)
    holder = Holder(server, "orders")
    holder.exclusive = True
    with holder:
        started = time.monotonic()
        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "1")
        took = time.monotonic() - started
    assert code == 1 and "Traceback" not in err, err
    assert took < 15, f"the run waited {took:.1f} s"
    assert "retry 1 of 1" in err and f"session {holder.session} " in err, err
    assert columns(server, "orders") == ["id", "note"]
    assert server.history() == [("v1.0.0", "applied")]


def test_a_rollback_that_cannot_have_its_lock_leaves_the_version_applied(server, specs, run):
    orders_table(specs, run)
    ok(run, "migrate")
    with Holder(server, "orders") as holder:
        code, out, err = run("rollback", "v1.0.0", "--lock-wait", "0.5", "--retries", "1", "--yes")
    assert code == 1, err
    assert "retry 1 of 1" in err and f"session {holder.session} " in err and "v1.1.0 is still applied" in err
    assert columns(server, "orders") == ["id", "note", "total"]
    assert server.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


# -- the session's lock wait on MariaDB -----------------------------------------------------------

def seen_lock_waits(specs):
    """v1.0.0 writes the lock waits of the session that runs it into a table `seen`."""
    specs("v1.0.0", {"description": "what the session waits", "operations": [
        {"action": "create_table", "table": "seen", "columns": {
            "metadata": "IntegerField()", "innodb": "IntegerField()"}},
        {"action": "sql", "sql": "INSERT INTO seen (metadata, innodb) "
                                 "SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout",
         "down": "DELETE FROM seen"}]})


def session_lock_waits(db):
    return tuple(db.execute_sql("SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout")
                 .fetchone())


def test_mariadb_runs_a_version_with_the_lock_wait_as_its_sessions_timeouts(server, specs, run):
    if server.backend != "mysql":
        pytest.skip("PostgreSQL sets lock_timeout in each transaction (SET LOCAL): nothing outlives it")
    seen_lock_waits(specs)
    ok(run, "migrate", "--lock-wait", "3")
    assert server.query("SELECT metadata, innodb FROM seen") == [(3, 3)]


def test_mariadb_gives_a_borrowed_connection_its_own_lock_waits_back(server, specs):
    from migrator import Migrator

    if server.backend != "mysql":
        pytest.skip("PostgreSQL sets lock_timeout in each transaction (SET LOCAL): nothing outlives it")
    seen_lock_waits(specs)
    app = server.connect()
    app.connect()
    try:
        app.execute_sql("SET SESSION lock_wait_timeout = 77, innodb_lock_wait_timeout = 33")
        with Migrator(app, specs_dir=str(specs.folder), lock_wait=4) as m:
            m.migrate()
        assert session_lock_waits(app) == (77, 33)
    finally:
        app.close()
    assert server.query("SELECT metadata, innodb FROM seen") == [(4, 4)]


# -- a reader and a writer during a migrate of a million rows -----------------------------------------

ROWS = 1_000_000
FILL = {
    "postgres": f"INSERT INTO big (k, v) SELECT g, 'row ' || g FROM generate_series(1, {ROWS}) AS g",
    "mysql": f"INSERT INTO big (k, v) SELECT seq, CONCAT('row ', seq) FROM seq_1_to_{ROWS}",  # the SEQUENCE engine
}


def big_table(database, specs, run):
    """v1.0.0, applied: a table `big` of a million rows; v1.1.0, pending: what a release adds to such a table, a
    nullable column, an index and a column with a constant default."""
    specs("v1.0.0", {"description": "big", "operations": [
        {"action": "create_table", "table": "big", "columns": {
            "k": "IntegerField()", "v": "CharField(max_length=40)"}}]})
    ok(run, "migrate")
    database.execute(FILL[database.backend], "ANALYZE TABLE big" if database.backend == "mysql" else "ANALYZE big")
    specs("v1.1.0", {"description": "a release", "operations": [
        {"action": "add_column", "table": "big", "column_name": "note", "field": "CharField(max_length=40, null=True)"},
        {"action": "add_index", "table": "big", "columns": ["k"], "name": "big_k"},
        {"action": "add_column", "table": "big", "column_name": "flag", "field": "IntegerField(default=0)"}]})


class Client(threading.Thread):
    """The application meanwhile: one statement after another on a connection of its own, each timed."""

    def __init__(self, database, statement):
        super().__init__(daemon=True)
        self.database, self.statement = database, statement
        self.durations, self.errors = [], []
        self.stop = threading.Event()

    def run(self):
        db = self.database.connect()
        rng = random.Random(1)
        try:
            while not self.stop.is_set():
                sql, params = self.statement(rng)
                started = time.monotonic()
                try:
                    db.execute_sql(sql, params)
                except Exception as error:  # reported by the test, with the statement
                    self.errors.append(f"{sql}: {str(error).strip().splitlines()[0]}")
                self.durations.append(time.monotonic() - started)
        finally:
            db.close()

    def longest(self):
        return max(self.durations)


def read_by_key(rng):
    return "SELECT v FROM big WHERE id = %s", (rng.randint(1, ROWS),)


def write(rng):
    if rng.random() < 0.5:
        return "UPDATE big SET v = %s WHERE id = %s", ("updated", rng.randint(1, ROWS))
    return "INSERT INTO big (k, v) VALUES (%s, %s)", (rng.randint(1, ROWS), "inserted")


def no_default(error):
    return "doesn't have a default value" in error or "violates not-null constraint" in error


def index_valid(database, name):
    if database.backend == "postgres":
        return database.query("SELECT i.indisvalid FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
                              "WHERE c.relname = %s", (name,)) == [(True,)]
    return bool(database.query("SELECT 1 FROM information_schema.STATISTICS WHERE table_schema = DATABASE() "
                               "AND index_name = %s", (name,)))


def test_a_reader_and_a_writer_keep_working_during_a_migrate_of_a_million_rows(server, specs, run, console):
    big_table(server, specs, run)
    lock_wait = 1
    clients = [Client(server, read_by_key), Client(server, write)]
    for client in clients:
        client.start()
    try:
        time.sleep(0.5)  # both at work before the run starts
        done = console("migrate", "--lock-wait", lock_wait)
        time.sleep(0.5)
    finally:
        for client in clients:
            client.stop.set()
        for client in clients:
            client.join(60)
    assert done.returncode == 0, done.stderr
    reader, writer = clients
    # (an insert without the new column fails once add_column has dropped its default: see the test below)
    errors = [e for e in reader.errors + writer.errors if not no_default(e)]
    assert not errors, errors[:5]
    assert len(reader.durations) > 20 and len(writer.durations) > 20
    # Each statement waited at most for one lock wait of the run's (a DDL waiting for its lock queues the
    # statements that come after it), plus a margin for a busy machine.
    assert reader.longest() < lock_wait + 1.5, f"a read waited {reader.longest():.2f} s (run: {done.seconds:.1f} s)"
    assert writer.longest() < lock_wait + 1.5, f"a write waited {writer.longest():.2f} s (run: {done.seconds:.1f} s)"
    assert columns(server, "big") == ["id", "k", "v", "note", "flag"]
    assert index_valid(server, "big_k")
    assert server.query("SELECT count(*) FROM big WHERE flag = 0 AND id <= %s", (ROWS,)) == [(ROWS,)]
    print(f"longest read {reader.longest():.3f} s, write {writer.longest():.3f} s, run {done.seconds:.1f} s")


def test_an_insert_by_the_application_from_before_a_column_with_a_default_needs_a_server_default(server, specs,
                                                                                                  run):
    """As in Peewee, default= lives in Python: the running application's insert, from before the release, does not
    name the new column and is refused; add_default gives the column a server default, and then it works."""
    orders_table(specs, run)
    specs("v1.1.0", {"description": "a column with a default", "operations": [
        {"action": "add_column", "table": "orders", "column_name": "total", "field": "IntegerField(default=0)"}]})
    ok(run, "migrate")
    with pytest.raises(Exception):
        server.execute("INSERT INTO orders (note) VALUES ('b')")
    specs("v1.2.0", {"description": "a server default for what runs now", "operations": [
        {"action": "add_default", "table": "orders", "column": "total", "default": 0}]})
    ok(run, "migrate")
    server.execute("INSERT INTO orders (note) VALUES ('c')")
    assert server.query("SELECT total FROM orders WHERE note = 'c'") == [(0,)]


# -- a run killed during a concurrent index build (PostgreSQL) -----------------------------------------

def concurrent_build(database, specs, run):
    """big_table, whose v1.1.0 indexes a text column (a build that takes a while): on PostgreSQL a version
    journaled operation by operation, its index built CONCURRENTLY outside any transaction."""
    if database.backend != "postgres":
        pytest.skip("a concurrent index build, and a version journaled around it, are PostgreSQL's")
    big_table(database, specs, run)
    operations = [
        {"action": "add_column", "table": "big", "column_name": "note", "field": "CharField(max_length=40, null=True)"},
        {"action": "add_index", "table": "big", "columns": ["v", "k"], "name": "big_v"},
        {"action": "add_column", "table": "big", "column_name": "flag", "field": "IntegerField(default=0)"}]
    specs("v1.1.0", {"description": "a release", "operations": operations})
    if not journaled(database, operations):
        pytest.skip("add_index is not built CONCURRENTLY here yet (PostgreSQL's safe forms)")


def journaled(database, operations):
    """Whether migrate runs these operations one by one, some outside any transaction."""
    from migrator import Migrator
    from migrator.operations import load_stored
    from migrator.runner import Runner

    with Migrator(database.url) as m:
        return Runner(m.db, m.dialect, m.history, settings=m.settings).journaled(load_stored(operations))


def killed_while_building(database, tmp_path, common, server_too=True):
    """Start a migrate, wait until the server builds the index, then kill the run and (`server_too`) its server
    session, as when the machine goes down: the build stops, leaving its invalid index. Without `server_too`, the
    server finishes the build the killed run asked for."""
    run = start(tmp_path, "migrate", *common)
    try:
        wait_for(lambda: building(database) or run.poll() is not None, "the index build", timeout=60)
        assert run.poll() is None, run.communicate()
        session = building(database)
        run.send_signal(signal.SIGKILL)
        run.wait(30)
        if server_too:
            database.query("SELECT pg_terminate_backend(%s)", (session,))
    finally:
        stop(run)
    wait_until_quiet(database)
    assert invalid_indexes(database) == (["big_v"] if server_too else [])


def building(database):
    """The session building an index in the test's database, or None."""
    found = database.query("SELECT pid FROM pg_stat_progress_create_index WHERE datname = %s", (database.name,))
    return found[0][0] if found else None


def invalid_indexes(database):
    return [name for name, in database.query("SELECT c.relname FROM pg_index AS i JOIN pg_class AS c "
                                             "ON c.oid = i.indexrelid WHERE NOT i.indisvalid ORDER BY 1")]


def states(tmp_path, common):
    status = processes.run(tmp_path, "status", "--json", *common)
    return {v["version"]: v["state"] for v in json.loads(status.stdout)["versions"]}


@pytest.mark.parametrize("server_too", [True, False], ids=["session-ended", "build-finished"])
def test_a_run_killed_during_a_concurrent_index_build_is_finished_by_the_next_migrate(
        server, specs, run, tmp_path, common, server_too):
    concurrent_build(server, specs, run)
    killed_while_building(server, tmp_path, common, server_too)
    assert states(tmp_path, common)["v1.1.0"] == "failed"

    ok(run, "migrate")
    assert server.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert columns(server, "big") == ["id", "k", "v", "note", "flag"]
    assert index_valid(server, "big_v") and invalid_indexes(server) == []

    ok(run, "rollback", "v1.0.0", "--yes")
    assert columns(server, "big") == ["id", "k", "v"]
    assert server.query("SELECT count(*) FROM pg_class WHERE relname = 'big_v'") == [(0,)]


def test_repair_undoes_a_run_killed_during_a_concurrent_index_build_leaving_no_invalid_index(
        server, specs, run, tmp_path, common):
    concurrent_build(server, specs, run)
    killed_while_building(server, tmp_path, common)

    ok(run, "repair", "--yes")
    assert server.history() == [("v1.0.0", "applied")]
    assert columns(server, "big") == ["id", "k", "v"]
    assert invalid_indexes(server) == []
    assert server.query("SELECT count(*) FROM pg_class WHERE relname = 'big_v'") == [(0,)]


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_a_user_without_the_process_privilege_still_hears_of_the_lock(server, specs, run, cli):
    """MariaDB shows other sessions' transactions only with PROCESS: without it the run's error is still the lock
    it could not have (and that who holds it cannot be seen), not the privilege the look-up lacked."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    orders_table(specs, run)
    user = f"mig_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE USER '{user}'@'%%' IDENTIFIED BY 'Pw_{user}'",
                   f"GRANT ALL ON `{server.name}`.* TO '{user}'@'%%'")
    try:
        parts = urlsplit(server.url)
        url = urlunsplit(parts._replace(netloc=f"{user}:Pw_{user}@{parts.hostname}:{parts.port}"))
        with Holder(server, "orders"):
            code, out, err = cli("migrate", "--database-url", url, "--specs-dir", specs.folder, "--lock-wait", "0.5",
                                 "--retries", "1")
        assert code == 1, err
        assert "lock on orders (who holds it cannot be seen" in err and "PROCESS" in err, err
        assert columns(server, "orders") == ["id", "note"]
    finally:
        server.execute(f"DROP USER '{user}'@'%%'")


def test_a_type_change_that_cannot_have_its_lock_is_tried_again_not_left_failed(server, specs, run):
    """The statement that could not have its table's lock changed nothing: there is nothing to undo (an undo would
    wait for the same lock), so the version is tried again; after the last try nothing of it is applied and it is
    not left failed."""
    orders_table(specs, run)
    specs("v1.1.0", {"description": "a wider type", "operations": [
        {"action": "alter_column_type", "table": "orders", "column": "note", "field": "TextField(null=True)"}]})
    with Holder(server, "orders") as holder:
        holder.release_after(1.5)
        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "5")
    assert code == 0, err
    assert "retry 1 of 5" in err and "marked failed" not in err
    assert server.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert ok(run, "rollback", "--yes")
    with Holder(server, "orders"):
        code, out, err = run("migrate", "--lock-wait", "0.5", "--retries", "1")
    assert code == 1 and "retry 1 of 1" in err and "marked failed" not in err, err
    assert server.history() == [("v1.0.0", "applied")]
