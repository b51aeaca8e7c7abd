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
            for table, column, type_, null in server.query(
                    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position", database=database):
                out.setdefault(table, {"columns": {}, "indexes": {}})["columns"][column] = \
                    [family(type_), null == "YES" and column != "id"]
            for index, table, columns in server.query(
                    "SELECT i.relname, t.relname, array_agg(a.attname::text ORDER BY k.n) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                    "JOIN pg_namespace s ON s.oid = t.relnamespace "
                    "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) "
                    "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
                    "WHERE s.nspname = 'public' AND NOT x.indisprimary GROUP BY i.relname, t.relname",
                    database=database):
                out.setdefault(table, {"columns": {}, "indexes": {}})["indexes"][index] = list(columns)
            return out
        for table, column, type_, null in server.query(
                "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
                "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, ORDINAL_POSITION", (database,)):
            out.setdefault(table, {"columns": {}, "indexes": {}})["columns"][column] = [family(type_), null == "YES"]
        for table, index, column in server.query(
                "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
                "WHERE TABLE_SCHEMA = %s AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                (database,)):
            out.setdefault(table, {"columns": {}, "indexes": {}})["indexes"].setdefault(index, []).append(column)
        return out

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
