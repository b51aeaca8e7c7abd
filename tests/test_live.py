"""On a live database (README: On a live database), on PostgreSQL and MariaDB: another session holding a lock
makes a run wait no longer than --lock-wait and try again; a reader and a writer go on during a migrate of a
table of a million rows; a run killed during a concurrent index build is finished by the next one.

The other sessions are real connections in threads of the test, each knowing its own session id, so that what
migrator says of them can be checked. SQLite keeps its behaviour (a writer locks the whole file): it is skipped.
"""
import threading

import pytest

from conftest import error_document, ok

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

    def _hold(self):
        q = "`" if self.database.backend == "mysql" else '"'
        db = self.database.connect()
        try:
            self.session = db.execute_sql(SESSION_ID[self.database.backend]).fetchone()[0]
            with db.atomic():
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


def test_mariadb_gives_a_borrowed_connection_its_own_lock_waits_back(server, specs, monkeypatch):
    from migrator import Migrator

    if server.backend != "mysql":
        pytest.skip("PostgreSQL sets lock_timeout in each transaction (SET LOCAL): nothing outlives it")
    seen_lock_waits(specs)
    app = server.connect()
    app.connect()
    try:
        app.execute_sql("SET SESSION lock_wait_timeout = 77, innodb_lock_wait_timeout = 33")
        monkeypatch.setenv("MIGRATOR_LOCK_WAIT", "4")
        with Migrator(app, specs_dir=str(specs.folder)) as m:
            m.migrate()
        assert session_lock_waits(app) == (77, 33)
    finally:
        app.close()
    assert server.query("SELECT metadata, innodb FROM seen") == [(4, 4)]
