"""`Migrator(<the application's own peewee Database>)`: migrate, status, rollback, verify on it (plain, pooled, behind a
DatabaseProxy) as the application configured it (SQLite pragmas, a pool), leaving its connection as it was found and
never showing its password; anything that is neither a URL nor a Database is a TypeError naming what is accepted."""
import json
import os
import uuid

import peewee
import pytest
from playhouse.db_url import parse
from playhouse.pool import PooledMySQLDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

from conftest import column_order
from migrator import ConnectionFailed, LockTimeout, Migrator

ACCEPTED = "a database URL (str) or a peewee Database"
PASSWORD = "Zq9SecretPassw0rdXy"  # trust authentication accepts any password: it only has to be hidden
PRAGMAS = {"foreign_keys": 1, "journal_mode": "wal", "cache_size": -4321}
PLAIN = {"sqlite": peewee.SqliteDatabase, "postgres": peewee.PostgresqlDatabase, "mysql": peewee.MySQLDatabase}
POOLED = {"sqlite": PooledSqliteDatabase, "postgres": PooledPostgresqlDatabase, "mysql": PooledMySQLDatabase}
SCHEMES = {"postgres": "postgresql", "mysql": "mysql"}

OWNERS_AND_ITEMS = {"description": "owners and their items", "operations": [
    {"action": "create_table", "table": "owners", "columns": {"name": "CharField(max_length=50)"}},
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=50)", "owner": "ForeignKeyField(model='owners', null=True)"}}]}
ADD_NOTE = {"description": "a note", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]}


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Settings from the arguments only: no environment, no .env."""
    for name in ("DATABASE_URL", "MIGRATOR_SPECS_DIR", "MIGRATOR_TABLE", "MIGRATOR_LOCK_TIMEOUT", "MIGRATOR_SCHEMA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def two_versions(specs):
    specs("v1.0.0", OWNERS_AND_ITEMS)
    specs("v1.1.0", ADD_NOTE)
    return specs.folder


def app_database(database, pooled=False, **params):
    """The Database an application would make for the test database: SQLite with its pragmas, a server by name."""
    kind = (POOLED if pooled else PLAIN)[database.backend]
    extra = {"max_connections": 1} if pooled else {}  # a connection not given back would block the next one
    if database.backend == "sqlite":
        return kind(database.name, pragmas=PRAGMAS, **extra, **params)
    url = parse(database.url)
    server = {"user": url["user"], "host": url["host"], "port": url["port"], **params}
    return kind(database.name, **server, **extra)


def shown_url(database):
    """The URL the API shows for the application's Database: no password."""
    if database.backend == "sqlite":
        return f"sqlite:///{database.name}"
    url = parse(database.url)
    return f"{SCHEMES[database.backend]}://{url['user']}@{url['host']}:{url['port']}/{database.name}"


def session_mark(db, backend):
    """Something the application set on its connection's session, that a borrower must leave as it is."""
    if backend == "sqlite":
        return db.execute_sql("PRAGMA cache_size").fetchone()[0]
    if backend == "postgres":
        return db.execute_sql("SHOW application_name").fetchone()[0]
    return db.execute_sql("SELECT @app_mark").fetchone()[0]


def set_session_mark(db, backend):
    statement = {"sqlite": "PRAGMA cache_size = -1234", "postgres": "SET application_name = 'the-app'",
                 "mysql": "SET @app_mark = 'the-app'"}[backend]
    db.execute_sql(statement)


# -- migrate, status, rollback on the application's Database ----------------------------------------------------

@pytest.mark.parametrize("pooled", [False, True], ids=["plain", "pooled"])
def test_migrate_status_and_rollback_run_on_the_applications_database(database, two_versions, pooled):
    db = app_database(database, pooled)
    with Migrator(db, specs_dir=two_versions) as m:
        applied = m.migrate()
        status = m.status()
        assert db.is_closed() is False  # it runs on the application's Database itself
    assert [r.version for r in applied] == ["v1.0.0", "v1.1.0"]
    assert status["database"] == shown_url(database)
    assert status["current"] == "v1.1.0" and status["drift"] is None
    assert [v["state"] for v in status["versions"]] == ["applied", "applied"]
    assert {"owners", "items", "schema_migrations"} <= set(database.tables())
    assert column_order(database, "items") == ["id", "name", "owner", "note"]
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert db.is_closed()  # Migrator opened the connection, so it closed it (gave it back to the pool)

    with Migrator(db, specs_dir=two_versions) as m:
        undone = m.rollback()
        assert m.status()["current"] == "v1.0.0"
    assert [r.version for r in undone] == ["v1.1.0"]
    assert column_order(database, "items") == ["id", "name", "owner"]
    assert database.history() == [("v1.0.0", "applied")]
    assert db.is_closed()

    # The application uses its Database as before (a pool of one connection: Migrator gave it back).
    class Owner(peewee.Model):
        name = peewee.CharField()

        class Meta:
            database, table_name = db, "owners"

    with db.connection_context():
        Owner.create(name="ann")
        assert [o.name for o in Owner.select()] == ["ann"]
    assert database.query("SELECT name FROM owners") == [("ann",)]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("pooled", [False, True], ids=["plain", "pooled"])
def test_the_applications_sqlite_pragmas_are_kept_and_the_lock_file_is_beside_its_file(database, two_versions,
                                                                                    pooled):
    db = app_database(database, pooled)
    with Migrator(db, specs_dir=two_versions) as m:
        m.migrate()
        assert db.pragma("foreign_keys") == 1  # set back after the run turned it off for table rebuilds
    lock_file = database.name + ".migrator-lock"
    assert open(lock_file).read().startswith("pid ")
    with db.connection_context():
        assert db.pragma("foreign_keys") == 1
        assert db.pragma("journal_mode") == "wal"
        assert db.pragma("cache_size") == -4321
        db.execute_sql("INSERT INTO owners (name) VALUES ('ann')")
        with pytest.raises(peewee.IntegrityError):  # the application's foreign_keys=1 still holds
            db.execute_sql("INSERT INTO items (name, owner) VALUES ('x', 99)")
    assert database.query("PRAGMA journal_mode") == [("wal",)]  # kept in the file too


def test_an_open_connection_of_the_application_stays_open_and_as_it_was(database, two_versions):
    db = app_database(database)
    db.connect()
    try:
        connection = db.connection()
        set_session_mark(db, database.backend)
        before = session_mark(db, database.backend)
        with Migrator(db, specs_dir=two_versions) as m:
            m.migrate()
            m.rollback("v1.0.0")
            m.migrate()
        assert not db.is_closed() and db.connection() is connection
        assert session_mark(db, database.backend) == before
        assert db.execute_sql("SELECT COUNT(*) FROM items").fetchone()[0] == 0  # and usable
    finally:
        db.close()
    assert column_order(database, "items") == ["id", "name", "owner", "note"]
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


def test_a_database_proxy_is_the_database_it_was_initialized_with(database, two_versions):
    proxy = peewee.DatabaseProxy()
    db = app_database(database)
    proxy.initialize(db)
    with Migrator(proxy, specs_dir=two_versions) as m:
        m.migrate("v1.0.0")
        status = m.status()
    assert status["database"] == shown_url(database)
    assert [v["state"] for v in status["versions"]] == ["applied", "pending"]
    assert column_order(database, "items") == ["id", "name", "owner"]
    assert database.history() == [("v1.0.0", "applied")]
    assert db.is_closed()


def test_the_lock_is_the_one_a_run_by_url_takes(database, two_versions):
    from migrator.locks import hold

    with Migrator(database.url, specs_dir=two_versions) as other, hold(other.dialect, other.settings):
        with Migrator(app_database(database), specs_dir=two_versions, lock_timeout=0) as m:
            with pytest.raises(LockTimeout) as refused:
                m.migrate()
    assert refused.value.exit_code == 3
    assert "schema_migrations" not in database.tables()


@pytest.mark.parametrize("pooled", [False, True], ids=["plain", "pooled"])
def test_verify_runs_on_a_scratch_copy_made_like_the_applications_database(database, two_versions, pooled):
    db = app_database(database, pooled)
    with Migrator(db, specs_dir=two_versions) as m:
        m.migrate("v1.0.0")
        report = m.verify()
    assert report["database"] == shown_url(database)
    assert report["reversible"] is True
    assert [(v["version"], v["reversible"]) for v in report["versions"]] == [("v1.1.0", True)]
    assert column_order(database, "items") == ["id", "name", "owner"]  # the real database is only read
    assert db.is_closed()
    if database.backend == "postgres":
        assert database.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE '_migrator_verify%%'") == []
    if database.backend == "mysql":
        # the scratch databases of this process (other processes may be verifying on the same server)
        assert database.query(f"SHOW DATABASES LIKE '\\_migrator\\_verify\\_{os.getpid()}\\_%%'") == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_read_only_commands_do_not_create_the_applications_sqlite_file(database, two_versions):
    db = app_database(database)
    with Migrator(db, specs_dir=two_versions) as m:
        report = m.validate()
        status = m.status()
    assert status["database"] == shown_url(database) and status["no_database_yet"] is True
    assert [v["state"] for v in status["versions"]] == ["pending", "pending"]
    assert report == {"database": None, "reason": f"the database file {database.name} does not exist", "versions": 2,
                      "no_database_yet": True}
    assert not os.path.exists(database.name) and db.is_closed()


@pytest.mark.parametrize("database", ["sqlite", "mysql"], indirect=True)
def test_a_schema_on_another_backend_is_refused_and_the_connection_closed_again(database, two_versions):
    from migrator import SpecError

    db = app_database(database)
    with pytest.raises(SpecError, match="--schema is for PostgreSQL"), \
            Migrator(db, specs_dir=two_versions, schema="tenant_a") as m:
        m.migrate()
    assert db.is_closed()
    assert "schema_migrations" not in database.tables()


# -- PostgreSQL: --schema on the application's connection ------------------------------------------------------

@pytest.mark.parametrize("database", ["postgres"], indirect=True)
@pytest.mark.parametrize("pooled", [False, True], ids=["plain", "pooled"])
def test_a_schema_is_used_for_the_run_and_the_search_path_set_back(database, two_versions, pooled):
    db = app_database(database, pooled)
    with db.connection_context():
        before = db.execute_sql("SHOW search_path").fetchone()[0]
    with Migrator(db, specs_dir=two_versions, schema="tenant_a") as m:
        m.migrate()
        assert m.status()["current"] == "v1.1.0"
    tables = database.query("SELECT table_schema, table_name FROM information_schema.tables "
                            "WHERE table_name IN ('items', 'owners', 'schema_migrations') ORDER BY 2")
    assert tables == [("tenant_a", "items"), ("tenant_a", "owners"), ("tenant_a", "schema_migrations")]
    with db.connection_context():  # with a pool of one: the very connection the run used
        assert db.execute_sql("SHOW search_path").fetchone()[0] == before
        assert db.get_tables() == []


# -- what is not accepted -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, named", [
    (5432, "not int"),
    ({"database": "app.db"}, "not dict"),
    (peewee.DatabaseProxy(), "not an uninitialized DatabaseProxy"),
    (peewee.SqliteDatabase(None), "not a SqliteDatabase without a database yet"),
])
def test_anything_else_is_a_type_error_naming_what_is_accepted(value, named, tmp_path):
    with pytest.raises(TypeError) as refused:
        Migrator(value, specs_dir=tmp_path)
    assert ACCEPTED in str(refused.value)
    assert named in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # nothing was made


# -- the password never shows ---------------------------------------------------------------------------------

@pytest.fixture
def password_user(database):
    """Connection parameters with a password: PostgreSQL's trust accepts any; on MySQL/MariaDB a user of its own."""
    if database.backend == "sqlite":
        yield {}
        return
    if database.backend == "postgres":
        yield {"password": PASSWORD}
        return
    user = f"mig_{uuid.uuid4().hex[:8]}"
    database.execute(f"CREATE USER '{user}'@'%%' IDENTIFIED BY '{PASSWORD}'", f"GRANT ALL ON *.* TO '{user}'@'%%'")
    try:
        yield {"user": user, "password": PASSWORD}
    finally:
        database.execute(f"DROP USER '{user}'@'%%'")


@pytest.mark.parametrize("database", ["postgres", "mysql"], indirect=True)
def test_the_password_of_the_applications_database_never_shows(database, two_versions, password_user):
    db = app_database(database, **password_user)
    user = password_user.get("user") or parse(database.url)["user"]
    url = parse(database.url)
    expected = f"{SCHEMES[database.backend]}://{user}@{url['host']}:{url['port']}/{database.name}"
    with Migrator(db, specs_dir=two_versions) as m:
        returned = [m.plan(), m.migrate("v1.0.0"), m.status(), m.validate(), m.schema(), m.verify(), m.rollback()]
        assert m.settings.database_url == expected
    assert returned[2]["database"] == expected
    assert PASSWORD not in json.dumps(returned, default=repr)
    assert database.history() == [] and "items" not in database.tables()  # the rollback undid v1.0.0

    unreachable = app_database(database, **{**password_user, "port": 1})
    with pytest.raises(ConnectionFailed) as failed, Migrator(unreachable, specs_dir=two_versions) as m:
        m.status()
    assert failed.value.exit_code == 1
    assert failed.value.message.startswith(f"cannot connect to {expected.replace(str(url['port']), '1')}: ")
    assert PASSWORD not in failed.value.message


def test_baseline_replays_the_specs_on_a_scratch_database_like_the_applications(database, two_versions,
                                                                                password_user):
    db = app_database(database, **password_user)
    with Migrator(db, specs_dir=two_versions) as m:
        m.migrate()
    database.execute("DROP TABLE schema_migrations")  # a database that has the schema, and no history
    with Migrator(db, specs_dir=two_versions) as m:
        adopted = m.baseline("v1.1.0")
        status = m.status()
    assert adopted == {"versions": ["v1.0.0", "v1.1.0"], "differences": []}  # the replay built the live schema
    assert [(v["state"], v["baseline"]) for v in status["versions"]] == [("applied", True), ("applied", True)]
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert db.is_closed()
    if database.backend == "mysql":
        assert database.query(f"SHOW DATABASES LIKE '\\_migrator\\_replay\\_{os.getpid()}\\_%%'") == []


# -- the application's other threads go on using its Database ------------------------------------------------

@pytest.mark.parametrize("database", ["postgres", "mysql"], indirect=True)
def test_plan_leaves_the_statements_of_the_applications_other_threads_alone(database, specs):
    import threading

    specs("v1.0.0", OWNERS_AND_ITEMS)
    for minor in range(1, 40):
        specs(f"v1.{minor}.0", {"operations": [{"action": "add_column", "table": "items",
                                               "column_name": f"c{minor}", "field": "IntegerField(null=True)"}]})
    database.execute("CREATE TABLE app_log (n INTEGER)")
    db, planned, written = app_database(database), threading.Event(), []

    def application():  # writes until the plan is done, on a connection of its own thread
        with db.connection_context():
            while not planned.is_set() or not written:
                db.execute_sql("INSERT INTO app_log (n) VALUES (%s)", (len(written),))
                written.append(len(written))

    worker = threading.Thread(target=application)
    with Migrator(db, specs_dir=specs.folder) as m:
        worker.start()
        try:
            plan = m.plan()
        finally:
            planned.set()
            worker.join()
    statements = [sql for v in plan["versions"] for step in v["operations"] for sql in step["sql"]]
    assert len(plan["versions"]) == 40 and statements
    assert not [sql for sql in statements if "app_log" in sql]
    assert database.query("SELECT COUNT(*) FROM app_log") == [(len(written),)]  # every one ran
    assert "items" not in database.tables()  # and the plan changed nothing
