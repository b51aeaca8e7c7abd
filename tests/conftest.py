"""One suite, every backend: the `database` fixture gives each test a fresh database of its own.

PostgreSQL and MariaDB/MySQL come from MIGRATOR_TEST_POSTGRES_URL and MIGRATOR_TEST_MYSQL_URL.
A backend that cannot be reached is skipped with the reason, unless MIGRATOR_TEST_REQUIRE
names it (CI sets `postgres,mysql`): then its tests fail.
"""
import contextlib
import io
import json
import math
import os
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from processes import SETTINGS_VARIABLES

BACKENDS = ("sqlite", "postgres", "mysql")
SERVER_URLS = {
    "postgres": os.environ.get("MIGRATOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    "mysql": os.environ.get("MIGRATOR_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
}
# migrate keeps spec checksums in the user's cache folder (migrator/cache.py): the tests' runs keep theirs apart
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="migrator-test-cache-")
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

    def history(self, table="schema_migrations", columns="version, state"):
        """The history table's rows (version and state unless `columns` says), in the order they were written;
        [] while there is no history table."""
        if table not in self.tables():
            return []
        q = "`" if self.backend == "mysql" else '"'
        return self.query(f"SELECT {columns} FROM {q}{table}{q} ORDER BY id")

    def versions(self, table="schema_migrations"):
        """The versions in the history, in the order they were written (whatever their state)."""
        return [version for version, in self.history(table, columns="version")]


def snapshot(database, everything=False, catalog=False):
    """What a command that changes nothing must leave as it was, and what a rollback must give back: (schema,
    rows). rows: {table: (its column names sorted, a Counter of its rows in that order)}, a multiset, since a
    table without a key has no order and may hold the same row twice.

    The user tables, read by migrator's reader (`database.schema()`); with `catalog`, as the backend's own catalog
    describes them (tests/catalog.py), for checking migrator's reader from outside. With `everything`, every
    table, migrator's own (history, backups) included, and a third item: on SQLite the file's bytes."""
    if catalog:
        import catalog as cat

        schema = cat.catalog(database)
        tables = sorted(schema["tables"])
    elif everything:
        schema, tables = database.schema(exclude=()), database.tables()
    else:
        schema = database.schema()
        tables = sorted(schema)
    db = database.connect()
    try:
        rows = {table: _rows(db, database.backend, table) for table in tables}
    finally:
        db.close()
    if not everything:
        return schema, rows
    path = Path(database.name)
    return schema, rows, path.read_bytes() if database.backend == "sqlite" and path.exists() else None


def _rows(db, backend, table):
    q = "`" if backend == "mysql" else '"'
    cursor = db.execute_sql(f"SELECT * FROM {q}{table}{q}")
    names = [d[0] for d in cursor.description]
    order = sorted(range(len(names)), key=names.__getitem__)
    return tuple(names[i] for i in order), Counter(tuple(value(row[i]) for i in order) for row in cursor.fetchall())


class _NaN:
    """Stands for a float NaN in rows, so that NaN equals NaN (float('nan') != float('nan'))."""

    def __repr__(self):
        return "NaN"


NAN = _NaN()


def value(read):
    """A value as read from a database, made comparable: bytes for a binary value, NAN for a NaN."""
    if isinstance(read, (memoryview, bytearray)):
        return bytes(read)
    if isinstance(read, float) and math.isnan(read):
        return NAN
    return read


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


def flags(database_url, specs_dir, *more):
    """The flags that point a command at a database and a specs folder (and `more` after them)."""
    return ["--database-url", database_url, "--specs-dir", specs_dir, *more]


@pytest.fixture
def common(database, specs):
    """The flags that point a command at the test database and specs folder."""
    return flags(database.url, specs.folder)


@pytest.fixture
def console(tmp_path, common):
    """`console("rollback", answer="n")`: the real `migrator` console script, in a process of its own, against the
    test database and specs folder (tests/processes.py `run`: its keywords, its CompletedProcess)."""
    import processes

    def command(*args, **options):
        return processes.run(tmp_path, *args, *common, **options)
    return command


sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def ok(cli, *args):
    """Run the command; it must succeed, without a traceback. Its stdout."""
    code, out, err = cli(*args)
    assert code == 0, f"{args[0]} exited {code}: {out}{err}"
    assert "Traceback" not in err
    return out


def error_document(out):
    """The JSON error document a command printed with --json: {"error": {"code": int, "message": str, ...}};
    its "error"."""
    doc = json.loads(out)
    assert set(doc) == {"error"}, doc
    assert isinstance(doc["error"]["code"], int) and isinstance(doc["error"]["message"], str), doc
    return doc["error"]


def run_main(*args, crash=None):
    """`migrator ARGS` in this process: (exit code, stdout, stderr).

    An exception that escapes main() is a defect (migrator shows no expected error as a traceback): it is raised,
    unless `crash` reports it: `crash(error)`, called while it is handled, gives (the exit code to return, a text
    to add to stderr)."""
    from migrator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:
            code = exit.code
        except Exception as error:
            if crash is None:
                raise
            code, text = crash(error)
            err.write(text)
    return code, out.getvalue(), err.getvalue()


def settings_from_flags_only(monkeypatch, folder):
    """No setting from the environment, and none from a .env file (the working directory is `folder`)."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(folder)


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """`cli("migrate", ...)`: `run_main`, settings from flags only (a variable the test sets itself still counts)."""
    settings_from_flags_only(monkeypatch, tmp_path)
    return run_main


@pytest.fixture
def run(cli, common):
    """`run("migrate")` etc.: `cli` against the test database and specs folder."""
    def command(*args, **options):
        return cli(*args, *common, **options)
    return command
