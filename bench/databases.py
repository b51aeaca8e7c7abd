"""Databases: set-up and introspection (in the benchmark's own process, never timed)."""
from __future__ import annotations

import datetime
import sqlite3
from urllib.parse import urlsplit

from common import log
from generators import create_table_sql, quote


# =====================================================================================================
# Databases: set-up and introspection (in this process, never timed)
# =====================================================================================================
class Server:
    def __init__(self, kind, url):
        self.kind = kind  # "postgres" | "mysql"
        self.parts = urlsplit(url)
        self.created = set()

    def url(self, database, sqlalchemy=False):
        p = self.parts
        auth = p.username + (f":{p.password}" if p.password else "") + "@" if p.username else ""
        port = p.port or (5432 if self.kind == "postgres" else 3306)
        scheme = {"postgres": ("postgresql", "postgresql+psycopg2"), "mysql": ("mysql", "mysql+pymysql")}[self.kind]
        return f"{scheme[sqlalchemy]}://{auth}{p.hostname}:{port}/{database}"

    def connect(self, database=None):
        p = self.parts
        if self.kind == "postgres":
            import psycopg2
            conn = psycopg2.connect(host=p.hostname, port=p.port or 5432, user=p.username or "postgres",
                                    password=p.password or None, dbname=database or "postgres")
            conn.autocommit = True
            return conn
        import pymysql
        return pymysql.connect(host=p.hostname, port=p.port or 3306, user=p.username or "root",
                               password=p.password or "", database=database, autocommit=True)

    def query(self, sql, params=None, database=None):
        conn = self.connect(database)
        try:
            cur = conn.cursor()
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None
        finally:
            conn.close()

    def version(self):
        return self.query("SHOW server_version" if self.kind == "postgres" else "SELECT VERSION()")[0][0]

    def create(self, name):
        self.drop(name)
        self.query(f"CREATE DATABASE {name}")
        self.created.add(name)

    def drop(self, name):
        self.query(f"DROP DATABASE IF EXISTS {name}" + (" WITH (FORCE)" if self.kind == "postgres" else ""))
        self.created.discard(name)

    def drop_all(self):
        for name in sorted(self.created):
            try:
                self.drop(name)
            except Exception as error:  # reported, and the run fails
                log(f"could not drop {name}: {error}")

    def leftovers(self, prefix):
        if self.kind == "postgres":
            rows = self.query("SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",))
        else:
            rows = self.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE %s",
                              (prefix + "%",))
        return [r[0] for r in rows]

    def questions(self):
        """MariaDB/MySQL: the server's global count of statements received from clients."""
        return int(self.query("SHOW GLOBAL STATUS LIKE 'Questions'")[0][1])


def row_values(table, start, end):
    """Deterministic rows start+1 .. end for every column but the key."""
    epoch = datetime.datetime(2024, 1, 1)
    columns = list(table["columns"].items())[1:]
    rows = []
    for i in range(start + 1, end + 1):
        row = []
        for name, (type_, null) in columns:
            if type_ in ("integer", "bigint"):
                row.append(i * 7 if name == "score" else i)
            elif type_ == "datetime":
                row.append((epoch + datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S"))
            else:
                row.append(f"{name} {i}")
        rows.append(tuple(row))
    return rows


def populate(dialect, conn, schema, rows):
    cur = conn.cursor()
    for name, table in schema.items():
        for sql in create_table_sql(dialect, name, table):
            cur.execute(sql)
        cols = ", ".join(quote(dialect, c) for c in table["columns"] if c != "id")
        width = len(table["columns"]) - 1
        batch = 20000
        for start in range(0, rows, batch):
            values = row_values(table, start, min(rows, start + batch))
            if dialect == "postgres":
                from psycopg2.extras import execute_values
                execute_values(cur, f"INSERT INTO {quote(dialect, name)} ({cols}) VALUES %s", values, page_size=1000)
            else:
                mark = "?" if dialect == "sqlite" else "%s"
                cur.executemany(f"INSERT INTO {quote(dialect, name)} ({cols}) VALUES ({', '.join([mark] * width)})",
                                values)


def make_sqlite(path, schema, rows):
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    populate("sqlite", conn, schema, rows)
    conn.commit()
    conn.close()


def server_schemas(server, database, where, params=()):
    """{space: schema} of the PostgreSQL schemas of `database`, or the MariaDB/MySQL databases, whose names are
    `where` (SQL after the name: "= 'public'", "LIKE %s"), read as Introspect.schema reads one, in two queries."""
    out = {}

    def table(space, name):
        return out.setdefault(space, {}).setdefault(name, {"columns": {}, "indexes": {}})

    params = tuple(params) or None
    if server.kind == "postgres":
        for space, name, column, type_, null in server.query(
                "SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                f"WHERE table_schema {where} ORDER BY table_schema, table_name, ordinal_position", params,
                database=database):
            table(space, name)["columns"][column] = [family(type_), null == "YES" and column != "id"]
        for space, index, name, columns in server.query(
                "SELECT s.nspname, i.relname, t.relname, array_agg(a.attname::text ORDER BY k.n) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace s ON s.oid = t.relnamespace "
                "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
                f"WHERE s.nspname {where} AND NOT x.indisprimary GROUP BY s.nspname, i.relname, t.relname",
                params, database=database):
            table(space, name)["indexes"][index] = list(columns)
        return out
    for space, name, column, type_, null in server.query(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
            f"WHERE TABLE_SCHEMA {where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION", params):
        table(space, name)["columns"][column] = [family(type_), null == "YES"]
    for space, name, index, column in server.query(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
            f"WHERE TABLE_SCHEMA {where} AND INDEX_NAME <> 'PRIMARY' "
            "ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", params):
        table(space, name)["indexes"].setdefault(index, []).append(column)
    return out


class Known:
    """What check_schema reads, already read (a fleet's targets, read together): the schema, and the row count of
    each table that `counts` names (the history table)."""

    def __init__(self, schema, counts):
        self._schema, self.counts = schema, counts

    def schema(self):
        return self._schema

    def count(self, table, where=""):
        return self.counts[table]


def family(type_text):
    t = type_text.lower()
    for key, name in (("bigint", "bigint"), ("int", "integer"), ("real", "real"), ("float", "real"),
                      ("double", "real"), ("char", "varchar"), ("text", "text"),
                      ("timestamp", "datetime"), ("datetime", "datetime")):
        if key in t:
            return name
    return t


class Introspect:
    """The schema as normalized data, for one database: {table: {"columns": {name: [family, null]},
    "indexes": {name: [columns]}}}, plus helpers to count rows."""

    def __init__(self, dialect, target):
        self.dialect, self.target = dialect, target  # target: a Path (sqlite) or (server, database)

    def _query(self, sql, params=()):
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self.target)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        server, database = self.target
        return server.query(sql, params or None, database=database)

    def schema(self):
        out = {}
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self.target)
            try:
                names = [r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
                for name in names:
                    cols = {r[1]: [family(r[2]), not r[3] and not r[5]] for r in conn.execute(f'PRAGMA table_info("{name}")')}
                    indexes = {}
                    for row in conn.execute(f'PRAGMA index_list("{name}")'):
                        if row[3] == "c":
                            indexes[row[1]] = [r[2] for r in conn.execute(f'PRAGMA index_info("{row[1]}")')]
                    out[name] = {"columns": cols, "indexes": indexes}
            finally:
                conn.close()
            return out
        server, database = self.target
        if self.dialect == "postgres":
            return server_schemas(server, database, "= 'public'").get("public", {})
        return server_schemas(server, database, "= %s", (database,)).get(database, {})

    def count(self, table, where=""):
        q = quote(self.dialect, table)
        return self._query(f"SELECT COUNT(*) FROM {q}{' WHERE ' + where if where else ''}")[0][0]

    def scalar(self, sql):
        return self._query(sql)[0][0]


HISTORY = {"plain": "plain_versions", "migrator": "schema_migrations", "alembic": "alembic_version",
           "playhouse": "schema_migration"}
OWN_TABLES = {"migrator": {"_migrator_layout"}}  # besides the history: the record of its layout


def expected_history(family_, versions, applied):
    if not applied:
        return 0
    return 1 if family_ == "alembic" else versions


def check_schema(intro, expected, tool_family, versions_applied_count, after, rows, allow_prefix=()):
    """Differences between the database and the expected schema, as sentences (empty: all good)."""
    found = intro.schema()
    history = HISTORY[tool_family]
    problems = []
    for name in sorted(set(found) - set(expected) - {history} - OWN_TABLES.get(tool_family, set())):
        if not any(name.startswith(p) for p in allow_prefix):
            problems.append(f"unexpected table {name}")
    for name in sorted(set(expected) - set(found)):
        problems.append(f"missing table {name}")
    for name in sorted(set(expected) & set(found)):
        want = {c: [t, n] for c, (t, n) in expected[name]["columns"].items()}
        want["id"][1] = False
        have = found[name]["columns"]
        for c in sorted(set(want) | set(have)):
            if want.get(c) != have.get(c):
                problems.append(f"{name}.{c}: expected {want.get(c)}, found {have.get(c)}")
        want_idx = {i: list(c) for i, c in expected[name]["indexes"].items()}
        have_idx = found[name]["indexes"]
        for i in sorted(set(want_idx) | set(have_idx)):
            if want_idx.get(i) != have_idx.get(i):
                problems.append(f"index {name}.{i}: expected {want_idx.get(i)}, found {have_idx.get(i)}")
        if rows is not None and not problems:
            count = intro.count(name)
            if count != rows:
                problems.append(f"{name} has {count} rows, expected {rows}")
    if history in found:
        count = intro.count(history)
        want = expected_history(tool_family, versions_applied_count, after == "apply")
        if count != want:
            problems.append(f"history table {history} has {count} rows after {after}, expected {want}")
    elif after == "apply":
        problems.append(f"no history table {history} after apply")
    return problems


# =====================================================================================================
# The fleet's tenants: made afresh, empty, before each measured run; read back together after it
# =====================================================================================================
class SqliteTenants:
    """`count` empty SQLite files site_0001.db ... in one folder, named by one pattern."""
    kind = "sqlite"

    def __init__(self, folder):
        self.folder = folder

    def reset(self, count):
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        for k in range(1, count + 1):
            (self.folder / f"site_{k:04d}.db").touch()  # an empty file is an empty SQLite database
        return [f"site_{k:04d}" for k in range(1, count + 1)]

    def targets(self):
        """--targets's value naming every file."""
        return f"sqlite:///{self.folder}/*.db"

    def read(self, history="schema_migrations"):
        """{file name: (schema, {history: rows})} of every file."""
        out = {}
        for path in sorted(self.folder.glob("*.db")):
            intro = Introspect("sqlite", path)
            schema = intro.schema()
            out[path.stem] = (schema, {history: intro.count(history) if history in schema else 0})
        return out

    def drop(self):
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresTenants:
    """`count` empty schemas t_0001 ... in one database of the bench's own (`name`), dropped and made again."""
    kind = "postgres"

    def __init__(self, server, name):
        self.server, self.name = server, name

    def reset(self, count):
        names = [f"t_{k:04d}" for k in range(1, count + 1)]
        self.server.create(self.name)
        conn = self.server.connect(self.name)
        try:
            conn.cursor().execute("".join(f"CREATE SCHEMA {n};" for n in names))
        finally:
            conn.close()
        return names

    def read(self, history="schema_migrations"):
        schemas = server_schemas(self.server, self.name, "LIKE %s", ("t\\_%",))
        return history_rows(self.server.connect(self.name), schemas, history, '"')

    def drop(self):
        self.server.drop(self.name)


def history_rows(conn, schemas, history, quote):
    """{space: (its schema, {history: its rows})} for each tenant space, read on `conn`, which is closed after."""
    try:
        cur = conn.cursor()
        out = {}
        for space, schema in sorted(schemas.items()):
            rows = 0
            if history in schema:
                cur.execute(f"SELECT COUNT(*) FROM {quote}{space}{quote}.{quote}{history}{quote}")
                rows = cur.fetchone()[0]
            out[space] = (schema, {history: rows})
        return out
    finally:
        conn.close()


class MysqlTenants:
    """`count` empty databases PREFIX_fb_0001 ... on the server, dropped and made again, and a database of the
    bench's own (PREFIX_home) for the URL that --all-schemas lists the others from."""
    kind = "mysql"

    def __init__(self, server, prefix):
        self.server, self.prefix = server, prefix
        self.home = f"{prefix}_home"
        self.made = []

    def reset(self, count):
        if self.home not in self.server.created:
            self.server.create(self.home)
        for name in self.made:
            self.server.drop(name)
        self.made = [f"{self.prefix}_fb_{k:04d}" for k in range(1, count + 1)]
        for name in self.made:
            self.server.create(name)
        return list(self.made)

    def pattern(self):
        """--all-schemas's glob naming the tenant databases."""
        return f"{self.prefix}_fb_*"

    def read(self, history="schema_migrations"):
        like = self.pattern().replace("_", "\\_").replace("*", "%")
        schemas = server_schemas(self.server, None, "LIKE %s", (like,))
        return history_rows(self.server.connect(), schemas, history, "`")

    def drop(self):
        for name in self.made + [self.home]:
            self.server.drop(name)
        self.made = []
