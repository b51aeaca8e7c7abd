"""One suite, every backend: the `database` fixture gives each test a fresh database of its own.

PostgreSQL and MariaDB/MySQL come from MIGRATOR_TEST_POSTGRES_URL and MIGRATOR_TEST_MYSQL_URL.
A backend that cannot be reached is skipped with the reason, unless MIGRATOR_TEST_REQUIRE
names it (CI sets `postgres,mysql`): then its tests fail.
"""
import json
import os
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BACKENDS = ("sqlite", "postgres", "mysql")
SERVER_URLS = {
    "postgres": os.environ.get("MIGRATOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    "mysql": os.environ.get("MIGRATOR_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}
REQUIRED = {b.strip() for b in os.environ.get("MIGRATOR_TEST_REQUIRE", "").split(",") if b.strip()}
REPO = Path(__file__).resolve().parent.parent


@dataclass
class TestDatabase:
    backend: str
    url: str
    name: str

    def connect(self):
        from playhouse.db_url import connect

        return connect(self.url)

    def schema(self, exclude=("schema_migrations",)):
        """The introspected user schema, columns by name, as plain data; SQL texts in the form the backend
        compares them (on SQLite, a name quoted or not is the same)."""
        from migrator.dialects import dialect_for
        from migrator.introspect import read_schema

        db = self.connect()
        try:
            dialect = dialect_for(db)
            tables = read_schema(db, dialect, exclude=exclude)
            return {name: _by_name(table.to_json(sql_form=dialect.compared_sql)) for name, table in tables.items()}
        finally:
            db.close()

    def query(self, sql, params=()):
        db = self.connect()
        try:
            return [tuple(row) for row in db.execute_sql(sql, params).fetchall()]
        finally:
            db.close()

    def execute(self, *statements):
        db = self.connect()
        try:
            for statement in statements:
                db.execute_sql(statement)
        finally:
            db.close()

    def tables(self):
        """Every table in the database, the migrator's own (history, backups) included, sorted."""
        db = self.connect()
        try:
            return sorted(db.get_tables())
        finally:
            db.close()

    def history(self, table="schema_migrations"):
        q = "`" if self.backend == "mysql" else '"'
        return self.query(f"SELECT version, state FROM {q}{table}{q} ORDER BY id")


def column_order(database, table):
    """The table's columns in their order, as the backend's own catalog lists them."""
    if database.backend == "sqlite":
        return [name for _, name, *_ in database.query(f'PRAGMA table_info("{table}")')]
    schema = "DATABASE()" if database.backend == "mysql" else "current_schema()"
    return [name for name, in database.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = " + schema +
        f" AND table_name = '{table}' ORDER BY ordinal_position")]


def _by_name(table):
    table["columns"] = sorted(table["columns"], key=lambda c: c["name"])
    return table


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@lru_cache(maxsize=None)
def _unreachable(backend):
    """Why the server cannot be used, or None."""
    from playhouse.db_url import connect

    try:
        db = connect(SERVER_URLS[backend])
        db.connect()
        db.close()
    except Exception as error:  # any failure to reach it is a reason to skip
        return f"{backend} at {SERVER_URLS[backend]} is not reachable: {str(error).strip().splitlines()[0]}"
    return None


def _server_admin(backend):
    from playhouse.db_url import connect

    db = connect(SERVER_URLS[backend])
    if backend == "postgres":
        db.connect()
        db.connection().autocommit = True
    return db


def make_database(backend, tmp_path):
    if backend == "sqlite":
        return TestDatabase("sqlite", f"sqlite:///{tmp_path / 'test.db'}", str(tmp_path / "test.db")), None
    reason = _unreachable(backend)
    if reason:
        if backend in REQUIRED:
            pytest.fail(f"MIGRATOR_TEST_REQUIRE names {backend}, but {reason}")
        pytest.skip(reason)
    name = f"mig_{uuid.uuid4().hex[:12]}"
    admin = _server_admin(backend)
    admin.execute_sql(f"CREATE DATABASE {name}")
    admin.close()

    def drop():
        admin = _server_admin(backend)
        force = " WITH (FORCE)" if backend == "postgres" else ""
        admin.execute_sql(f"DROP DATABASE IF EXISTS {name}{force}")
        admin.close()

    return TestDatabase(backend, _with_database(SERVER_URLS[backend], name), name), drop


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    db, drop = make_database(request.param, tmp_path)
    yield db
    if drop:
        drop()


@pytest.fixture
def sqlite_database(tmp_path):
    db, _ = make_database("sqlite", tmp_path)
    return db


@pytest.fixture
def specs(tmp_path):
    """A specs folder, and a writer for version files in it."""
    folder = tmp_path / "specs"
    folder.mkdir()

    def write(version, body):
        path = folder / f"{version}.json"
        path.write_text(body if isinstance(body, str) else json.dumps(body, indent=2))
        return path

    write.folder = folder
    return write


@pytest.fixture
def common(database, specs):
    """The flags that point a command at the test database and specs folder."""
    return ["--database-url", database.url, "--specs-dir", specs.folder]


sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def ok(cli, *args):
    """Run the command; it must succeed, without a traceback. Its stdout."""
    code, out, err = cli(*args)
    assert code == 0, f"{args[0]} exited {code}: {out}{err}"
    assert "Traceback" not in err
    return out


@pytest.fixture
def run(database, specs, cli):
    """`run("migrate")` etc. against the test database and specs folder."""
    def command(*args):
        return cli(*args, "--database-url", database.url, "--specs-dir", specs.folder)
    return command


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    """Run `migrator` in-process; returns (exit code, stdout, stderr). Settings come from flags only."""
    from migrator.cli import main

    for name in ("DATABASE_URL", "MIGRATOR_SPECS_DIR", "MIGRATOR_TABLE", "MIGRATOR_LOCK_TIMEOUT", "MIGRATOR_SCHEMA",
                 "MIGRATOR_STRICT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:
            code = exit.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
