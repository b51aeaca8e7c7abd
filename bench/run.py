#!/usr/bin/env python3
"""Benchmark migrator against Alembic, Peewee's playhouse.migrations and the plain driver (the limit).

    python bench/run.py [--quick] [--runs N] [--output BENCHMARKS.md]

Run it with the Python environment that has migrator installed with its bench extra
(`pip install -e '.[bench]'`), with PostgreSQL and MariaDB/MySQL reachable (`--postgres-url`,
`--mysql-url`; `--no-servers` skips W3).

Every workload is described once, as a list of abstract operations per version; each tool's
generator turns that description into the tool's own files (migrator JSON specs, plain-driver SQL,
playhouse.migrations scripts with up/down, Alembic revisions with upgrade/downgrade, batch mode where
SQLite needs it), in a temporary directory. Each command runs as a whole process (start-up included)
through a small spawner process that times it and reads its peak RSS from os.wait4; the tools take
turns in an order that rotates each round. After every apply and every rollback the schema each
tool left is introspected and compared with the expected one: a wrong schema, a failed command or a
database left behind makes the run exit 1. `--quick` is the smoke test (small sizes, one round, no
timing assertion); without it the full benchmark writes BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
ANALYSIS = REPO / "bench" / "analysis.md"
BIN = Path(sys.executable).parent
PY = sys.executable

FULL = dict(runs=3, w1_versions=1000, w1_tables=10, w1_rows=1000, w2_rows=1_000_000, w3_versions=200,
            w3_rows=1000, rss_versions=10_000, repeat=3, timeout=3600.0, w2_timeout=300.0)
QUICK = dict(runs=1, w1_versions=20, w1_tables=10, w1_rows=200, w2_rows=2000, w3_versions=10,
             w3_rows=100, rss_versions=200, repeat=1, timeout=300.0, w2_timeout=120.0)

W2_PROBE_ROWS = (2500, 5000, 10000)  # rows for the scaling probe of a W2 step that ran out of time


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# =====================================================================================================
# The workloads: one abstract description each
# =====================================================================================================
# An operation is a dict: {"op": kind, ...}. Kinds: add_column(table, column, type, null, default),
# add_index(table, columns, name), drop_index(table, name), rename_column(table, old, new),
# drop_column(table, column), add_not_null(table, column), drop_not_null(table, column),
# alter_type(table, column, type). Types: integer, bigint, real, text, varchar, datetime.
# A schema is {table: {"columns": {name: [type, null]}, "indexes": {name: [columns]}}}; the first
# column, "id", is the integer primary key.

def base_table(columns, indexes=None):
    return {"columns": {"id": ["integer", False], **{n: list(spec) for n, spec in columns.items()}},
            "indexes": dict(indexes or {})}


def w1_schema(tables):
    cols = {"name": ("varchar", False), "value": ("integer", False), "created_at": ("datetime", False)}
    return {f"t{k}": base_table(cols) for k in range(tables)}


def w1_versions(count, tables):
    """Version i: add a nullable column to one table, index it, and every second version rename it."""
    versions = []
    for i in range(1, count + 1):
        table, column = f"t{i % tables}", f"c{i}"
        ops = [{"op": "add_column", "table": table, "column": column, "type": "integer", "null": True},
               {"op": "add_index", "table": table, "columns": [column], "name": f"ix_{column}"}]
        if i % 2 == 0:
            ops.append({"op": "rename_column", "table": table, "old": column, "new": f"r{i}"})
        versions.append(ops)
    return versions


def w2_schema():
    cols = {"n": ("integer", False), "name": ("varchar", False), "created_at": ("datetime", False),
            "note": ("text", True), "score": ("integer", False), "extra": ("text", True)}
    return {"big": base_table(cols, {"big_created_at": ["created_at"]})}


def w2_versions():
    """One version of 5 operations on the big table."""
    return [[
        {"op": "add_column", "table": "big", "column": "flag", "type": "integer", "null": False, "default": 0},
        {"op": "rename_column", "table": "big", "old": "name", "new": "title"},
        {"op": "drop_column", "table": "big", "column": "extra"},
        {"op": "add_not_null", "table": "big", "column": "note"},
        {"op": "alter_type", "table": "big", "column": "score", "type": "real"},
    ]]


def rss_schema():
    return {"t": base_table({"c": ("integer", True)})}


def rss_versions(count):
    """Trivial versions that keep the schema small: add an index, drop it, add it, ..."""
    return [[{"op": "add_index", "table": "t", "columns": ["c"], "name": "ix_t_c"}] if i % 2 else
            [{"op": "drop_index", "table": "t", "name": "ix_t_c"}] for i in range(1, count + 1)]


def simulate(schema, ops):
    """The schema after `ops`."""
    schema = copy.deepcopy(schema)
    for op in ops:
        table = schema[op["table"]]
        cols, idx = table["columns"], table["indexes"]
        kind = op["op"]
        if kind == "add_column":
            cols[op["column"]] = [op["type"], op["null"]]
        elif kind == "add_index":
            idx[op["name"]] = list(op["columns"])
        elif kind == "drop_index":
            del idx[op["name"]]
        elif kind == "rename_column":
            table["columns"] = {op["new"] if n == op["old"] else n: v for n, v in cols.items()}
            for name, columns in idx.items():
                idx[name] = [op["new"] if c == op["old"] else c for c in columns]
        elif kind == "drop_column":
            del cols[op["column"]]
            for name in [n for n, c in idx.items() if op["column"] in c]:
                del idx[name]
        elif kind == "add_not_null":
            cols[op["column"]][1] = False
        elif kind == "drop_not_null":
            cols[op["column"]][1] = True
        elif kind == "alter_type":
            cols[op["column"]][0] = op["type"]
        else:
            raise ValueError(kind)
    return schema


def inverse(schema, ops):
    """The operations that undo `ops` applied to `schema`, as a developer would write down()."""
    states = [schema]
    for op in ops:
        states.append(simulate(states[-1], [op]))
    undo = []
    for op, before in reversed(list(zip(ops, states))):
        kind, t = op["op"], op["table"]
        if kind == "add_column":
            undo.append({"op": "drop_column", "table": t, "column": op["column"]})
        elif kind == "add_index":
            undo.append({"op": "drop_index", "table": t, "name": op["name"]})
        elif kind == "drop_index":
            undo.append({"op": "add_index", "table": t, "columns": before[t]["indexes"][op["name"]], "name": op["name"]})
        elif kind == "rename_column":
            undo.append({"op": "rename_column", "table": t, "old": op["new"], "new": op["old"]})
        elif kind == "drop_column":
            type_, null = before[t]["columns"][op["column"]]
            if not null:
                raise ValueError("the workloads only drop nullable columns")
            undo.append({"op": "add_column", "table": t, "column": op["column"], "type": type_, "null": True})
            for name, columns in before[t]["indexes"].items():
                if op["column"] in columns:
                    undo.append({"op": "add_index", "table": t, "columns": columns, "name": name})
        elif kind == "add_not_null":
            undo.append({"op": "drop_not_null", "table": t, "column": op["column"]})
        elif kind == "drop_not_null":
            undo.append({"op": "add_not_null", "table": t, "column": op["column"]})
        elif kind == "alter_type":
            undo.append({"op": "alter_type", "table": t, "column": op["column"],
                         "type": before[t]["columns"][op["column"]][0]})
    return undo


def walk(schema, versions):
    """(ops, schema before, schema after) for each version."""
    out = []
    for ops in versions:
        after = simulate(schema, ops)
        out.append((ops, schema, after))
        schema = after
    return out


# =====================================================================================================
# Generators: one description, each tool's own files
# =====================================================================================================
PEEWEE_CLASS = {"integer": "IntegerField", "bigint": "BigIntegerField", "real": "FloatField", "text": "TextField",
                "varchar": "CharField", "datetime": "DateTimeField"}
SA_TYPE = {"integer": "sa.Integer()", "bigint": "sa.BigInteger()", "real": "sa.Float()", "text": "sa.Text()",
           "varchar": "sa.String(255)", "datetime": "sa.DateTime()"}
SQL_TYPE = {
    "sqlite": {"integer": "INTEGER", "bigint": "BIGINT", "real": "REAL", "text": "TEXT", "varchar": "VARCHAR(255)",
               "datetime": "DATETIME"},
    "postgres": {"integer": "INTEGER", "bigint": "BIGINT", "real": "REAL", "text": "TEXT", "varchar": "VARCHAR(255)",
                 "datetime": "TIMESTAMP"},
    "mysql": {"integer": "INTEGER", "bigint": "BIGINT", "real": "FLOAT", "text": "TEXT", "varchar": "VARCHAR(255)",
              "datetime": "DATETIME"},
}


def peewee_field(type_, null=None, default=None):
    args = ["max_length=255"] if type_ == "varchar" else []
    if null is not None:
        args.append(f"null={null}")
    if default is not None:
        args.append(f"default={default!r}")
    return f"{PEEWEE_CLASS[type_]}({', '.join(args)})"


# -- migrator: JSON specs ------------------------------------------------------------------------------
def migrator_version_name(i):
    return f"v1.{i}.0"


def gen_migrator(versions, folder):
    folder.mkdir(parents=True)
    for i, ops in enumerate(versions, 1):
        operations = []
        for op in ops:
            kind, t = op["op"], op["table"]
            if kind == "add_column":
                field = peewee_field(op["type"], True if op["null"] else None, op.get("default"))
                operations.append({"action": "add_column", "table": t, "column_name": op["column"], "field": field})
            elif kind == "add_index":
                operations.append({"action": "add_index", "table": t, "columns": op["columns"], "name": op["name"]})
            elif kind == "drop_index":
                operations.append({"action": "drop_index", "table": t, "index_name": op["name"]})
            elif kind == "rename_column":
                operations.append({"action": "rename_column", "table": t, "old_name": op["old"], "new_name": op["new"]})
            elif kind == "drop_column":
                operations.append({"action": "drop_column", "table": t, "column_name": op["column"]})
            elif kind == "add_not_null":
                operations.append({"action": "add_not_null", "table": t, "column": op["column"]})
            elif kind == "drop_not_null":
                operations.append({"action": "drop_not_null", "table": t, "column": op["column"]})
            elif kind == "alter_type":
                operations.append({"action": "alter_column_type", "table": t, "column": op["column"],
                                   "field": peewee_field(op["type"])})
        body = {"description": f"version {i}", "operations": operations}
        (folder / f"{migrator_version_name(i)}.json").write_text(json.dumps(body, indent=2) + "\n")


# -- the limit: plain SQL per version, run by a plain-driver script ------------------------------------
def quote(dialect, name):
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


def column_sql(dialect, name, type_, null, default=None, pk=False):
    q = quote(dialect, name)
    if pk:
        return {"sqlite": f"{q} INTEGER NOT NULL PRIMARY KEY", "postgres": f"{q} SERIAL PRIMARY KEY",
                "mysql": f"{q} INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY"}[dialect]
    text = f"{q} {SQL_TYPE[dialect][type_]}{'' if null else ' NOT NULL'}"
    return text + (f" DEFAULT {default!r}" if default is not None else "")


def create_table_sql(dialect, name, table, temp_name=None):
    q = lambda n: quote(dialect, n)  # noqa: E731
    parts = [column_sql(dialect, c, t, n, pk=(c == "id")) for c, (t, n) in table["columns"].items()]
    statements = [f"CREATE TABLE {q(temp_name or name)} ({', '.join(parts)})"]
    if temp_name is None:
        statements += index_sql(dialect, name, table)
    return statements


def index_sql(dialect, name, table):
    q = lambda n: quote(dialect, n)  # noqa: E731
    return [f"CREATE INDEX {q(i)} ON {q(name)} ({', '.join(q(c) for c in cols)})"
            for i, cols in table["indexes"].items()]


def plain_sql(dialect, ops, before):
    """The cheapest correct SQL for `ops`: native ALTERs, and on SQLite one rebuild per table for the rest."""
    q = lambda n: quote(dialect, n)  # noqa: E731
    statements, rebuild = [], []
    state = before
    for op in ops:
        kind, t = op["op"], op["table"]
        if kind == "add_column":
            statements.append(f"ALTER TABLE {q(t)} ADD COLUMN "
                              + column_sql(dialect, op["column"], op["type"], op["null"], op.get("default")))
        elif kind == "add_index":
            statements.append(f"CREATE INDEX {q(op['name'])} ON {q(t)} ({', '.join(q(c) for c in op['columns'])})")
        elif kind == "drop_index":
            statements.append(f"DROP INDEX {q(op['name'])}" + (f" ON {q(t)}" if dialect == "mysql" else ""))
        elif kind == "rename_column":
            statements.append(f"ALTER TABLE {q(t)} RENAME COLUMN {q(op['old'])} TO {q(op['new'])}")
        elif kind == "drop_column":
            statements.append(f"ALTER TABLE {q(t)} DROP COLUMN {q(op['column'])}")
        elif kind in ("add_not_null", "drop_not_null", "alter_type"):
            after = simulate(state, [op])
            type_, null = after[t]["columns"][op["column"]]
            if dialect == "sqlite":
                rebuild.append(t) if t not in rebuild else None
            elif dialect == "postgres":
                if kind == "alter_type":
                    statements.append(f"ALTER TABLE {q(t)} ALTER COLUMN {q(op['column'])} TYPE {SQL_TYPE[dialect][type_]}")
                else:
                    statements.append(f"ALTER TABLE {q(t)} ALTER COLUMN {q(op['column'])} "
                                      f"{'SET' if kind == 'add_not_null' else 'DROP'} NOT NULL")
            else:
                statements.append(f"ALTER TABLE {q(t)} MODIFY " + column_sql(dialect, op["column"], type_, null))
        state = simulate(state, [op])
    for t in rebuild:  # SQLite's documented procedure: create, copy, drop, rename, re-index
        temp = f"_rebuild_{t}"
        names = ", ".join(q(c) for c in state[t]["columns"])
        statements += create_table_sql(dialect, t, state[t], temp_name=temp)
        statements += [f"INSERT INTO {q(temp)} ({names}) SELECT {names} FROM {q(t)}", f"DROP TABLE {q(t)}",
                       f"ALTER TABLE {q(temp)} RENAME TO {q(t)}"]
        statements += index_sql(dialect, t, state[t])
    return statements


def gen_plain(versions, schema, folder, dialect):
    folder.mkdir(parents=True)
    for i, (ops, before, after) in enumerate(walk(schema, versions), 1):
        (folder / f"{i:06d}.up.sql").write_text("".join(s + ";\n" for s in plain_sql(dialect, ops, before)))
        (folder / f"{i:06d}.down.sql").write_text(
            "".join(s + ";\n" for s in plain_sql(dialect, inverse(before, ops), after)))


PLAIN_RUNNER = r'''"""The limit: each version's SQL through the plain driver, one transaction per version where DDL is
transactional, and a version row per version."""
import os
import sys
import time
from urllib.parse import urlsplit


def connect(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        import sqlite3
        return sqlite3.connect(url[len("sqlite:///"):], isolation_level=None), True
    if parts.scheme == "postgresql":
        import psycopg2
        conn = psycopg2.connect(url)
        conn.autocommit = True
        return conn, True
    import pymysql
    return pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username,
                           password=parts.password or "", database=parts.path.lstrip("/"), autocommit=True), False


def statements(path):
    with open(path) as f:
        return [s for s in f.read().split(";\n") if s.strip()]


def main():
    url, folder, command = sys.argv[1:4]
    conn, transactional = connect(url)
    cur = conn.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS plain_versions (version INTEGER PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)")
    cur.execute("SELECT version FROM plain_versions ORDER BY version")
    applied = [row[0] for row in cur.fetchall()]
    files = sorted(int(name.split(".")[0]) for name in os.listdir(folder) if name.endswith(".up.sql"))

    def unit(version, direction, record):
        if transactional:
            cur.execute("BEGIN")
        for sql in statements(os.path.join(folder, "%06d.%s.sql" % (version, direction))):
            cur.execute(sql)
        cur.execute(record)
        if transactional:
            cur.execute("COMMIT")

    if command == "up":
        done = set(applied)
        for version in files:
            if version not in done:
                now = time.strftime("%Y-%m-%d %H:%M:%S")
                unit(version, "up", "INSERT INTO plain_versions (version, applied_at) VALUES (%d, '%s')" % (version, now))
                print("applied %d" % version)
    elif command == "down":
        for version in reversed(applied):
            unit(version, "down", "DELETE FROM plain_versions WHERE version = %d" % version)
            print("rolled back %d" % version)
    else:
        done = set(applied)
        for version in files:
            print("%06d %s" % (version, "applied" if version in done else "pending"))
    conn.close()


main()
'''


# -- playhouse.migrations: numbered scripts with up() and down() ---------------------------------------
def playhouse_call(op, state):
    kind, t = op["op"], op["table"]
    if kind == "add_column":
        return f"migrator.add_column({t!r}, {op['column']!r}, " \
               f"{peewee_field(op['type'], True if op['null'] else None, op.get('default'))})"
    if kind == "add_index":
        return f"migrator.add_index({t!r}, {tuple(op['columns'])!r}, name={op['name']!r})"
    if kind == "drop_index":
        return f"migrator.drop_index({t!r}, {op['name']!r})"
    if kind == "rename_column":
        return f"migrator.rename_column({t!r}, {op['old']!r}, {op['new']!r})"
    if kind == "drop_column":
        return f"migrator.drop_column({t!r}, {op['column']!r}, cascade=False)"
    if kind in ("add_not_null", "drop_not_null"):
        return f"migrator.{kind}({t!r}, {op['column']!r})"
    if kind == "alter_type":  # keeps the column's nullability: on SQLite the field's DDL replaces the column's
        null = state[t]["columns"][op["column"]][1]
        return f"migrator.alter_column_type({t!r}, {op['column']!r}, {peewee_field(op['type'], null)})"
    raise ValueError(kind)


def playhouse_block(name, ops, state):
    calls = []
    for op in ops:
        calls.append(f"        {playhouse_call(op, state)},")
        state = simulate(state, [op])
    return f"def {name}(migrator, db):\n    migrator.migrate(\n" + "\n".join(calls) + "\n    )\n"


def playhouse_name(i):
    return f"{i:05d}_v{i}"


def gen_playhouse(versions, schema, folder):
    folder.mkdir(parents=True)
    for i, (ops, before, after) in enumerate(walk(schema, versions), 1):
        text = f'"""version {i}"""\nfrom peewee import *\n\n\n' + playhouse_block("up", ops, before) + "\n\n" + \
            playhouse_block("down", inverse(before, ops), after)
        (folder / f"{playhouse_name(i)}.py").write_text(text)


# -- Alembic: revisions with upgrade() and downgrade(); batch mode where SQLite needs it -----------------
ALEMBIC_INI = """[alembic]
script_location = %(here)s
path_separator = os
sqlalchemy.url = sqlite:///unset.db

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""

ALEMBIC_ENV = '''"""Alembic's generic env.py, online mode, with the URL from `-x url=...` and one transaction per
migration (as every other tool here runs). BENCH_ALEMBIC_COUNT_FILE, when set, counts the statements
through SQLAlchemy's before_cursor_execute event."""
import json
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, event, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    count_file = os.environ.get("BENCH_ALEMBIC_COUNT_FILE")
    counted = [0]
    if count_file:
        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):
            counted[0] += 1
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    if count_file:
        with open(count_file, "a") as f:
            f.write(json.dumps({"before_cursor_execute": counted[0]}) + "\\n")


run_migrations_online()
'''


def needs_batch(dialect, op):
    if dialect != "sqlite":
        return False
    # SQLite (3.35+) has ADD COLUMN, RENAME COLUMN and DROP COLUMN; the rest needs Alembic's batch mode.
    return op["op"] in ("add_not_null", "drop_not_null", "alter_type") or \
        (op["op"] == "add_column" and not op["null"])


def alembic_call(op, state, batch):
    kind, t = op["op"], op["table"]
    prefix, table_arg = ("batch_op", "") if batch else ("op", f"{t!r}, ")
    if kind == "add_column":
        extra = "" if op.get("default") is None else f", server_default={str(op['default'])!r}"
        return f"{prefix}.add_column({table_arg}sa.Column({op['column']!r}, {SA_TYPE[op['type']]}, " \
               f"nullable={op['null']}{extra}))"
    if kind == "add_index":
        return f"{prefix}.create_index({op['name']!r}, {table_arg}{op['columns']!r})"
    if kind == "drop_index":
        return f"{prefix}.drop_index({op['name']!r})" if batch else f"op.drop_index({op['name']!r}, table_name={t!r})"
    type_, null = state[t]["columns"][op.get("column", op.get("old"))] if kind != "drop_index" else (None, None)
    if kind == "rename_column":
        return f"{prefix}.alter_column({table_arg}{op['old']!r}, new_column_name={op['new']!r}, " \
               f"existing_type={SA_TYPE[type_]}, existing_nullable={null})"
    if kind == "drop_column":
        return f"{prefix}.drop_column({table_arg}{op['column']!r})"
    if kind in ("add_not_null", "drop_not_null"):
        return f"{prefix}.alter_column({table_arg}{op['column']!r}, nullable={kind == 'drop_not_null'}, " \
               f"existing_type={SA_TYPE[type_]})"
    if kind == "alter_type":
        return f"{prefix}.alter_column({table_arg}{op['column']!r}, type_={SA_TYPE[op['type']]}, " \
               f"existing_type={SA_TYPE[type_]}, existing_nullable={null})"
    raise ValueError(kind)


def alembic_block(name, ops, state, dialect):
    lines = [f"def {name}():"]
    if any(needs_batch(dialect, op) for op in ops):
        tables = {op["table"] for op in ops}
        assert len(tables) == 1, "a batch version touches one table"
        lines.append(f"    with op.batch_alter_table({tables.pop()!r}) as batch_op:")
        for op in ops:
            lines.append(f"        {alembic_call(op, state, True)}")
            state = simulate(state, [op])
    else:
        for op in ops:
            lines.append(f"    {alembic_call(op, state, False)}")
            state = simulate(state, [op])
    return "\n".join(lines) + "\n"


def gen_alembic(versions, schema, folder, dialect):
    (folder / "versions").mkdir(parents=True)
    (folder / "alembic.ini").write_text(ALEMBIC_INI)
    (folder / "env.py").write_text(ALEMBIC_ENV)
    previous = None
    for i, (ops, before, after) in enumerate(walk(schema, versions), 1):
        revision = f"r{i:05d}"
        text = (f'"""version {i}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
                f"revision = {revision!r}\ndown_revision = {previous!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
                + alembic_block("upgrade", ops, before, dialect) + "\n\n"
                + alembic_block("downgrade", inverse(before, ops), after, dialect))
        (folder / "versions" / f"{revision}_version_{i}.py").write_text(text)
        previous = revision


def compile_scripts(folder):
    """Bytecode caches, as a project has them after its first run, so that no round pays for compiling."""
    subprocess.run([PY, "-m", "compileall", "-q", str(folder)], check=True)


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


def expected_history(family_, versions, applied):
    if not applied:
        return 0
    return 1 if family_ == "alembic" else versions


def check_schema(intro, expected, tool_family, versions_applied_count, after, rows, allow_prefix=()):
    """Differences between the database and the expected schema, as sentences (empty: all good)."""
    found = intro.schema()
    history = HISTORY[tool_family]
    problems = []
    for name in sorted(set(found) - set(expected) - {history}):
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
# Running and measuring whole processes
# =====================================================================================================
SPAWNER = r'''
import json, os, signal, sys, time

def run(req):
    out = os.open(req["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            os.chdir(req["cwd"])
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execve(req["argv"][0], req["argv"], req["env"])
        finally:
            os._exit(127)
    os.close(out)
    os.close(err)
    os.close(null)
    expired = []

    def on_alarm(signum, frame):
        expired.append(True)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, req["timeout"])
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        os.killpg(pid, signal.SIGKILL)  # whatever the command left running in its group
    except OSError:
        pass
    return {"rc": os.waitstatus_to_exitcode(status), "wall": elapsed, "maxrss_kb": usage.ru_maxrss,
            "user": usage.ru_utime, "sys": usage.ru_stime, "timed_out": bool(expired)}

for line in sys.stdin:
    sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
    sys.stdout.flush()
'''


class Spawner:
    """A small process that forks each command, waits for it with os.wait4 and reports its wall time and
    peak RSS. A child's ru_maxrss starts at its parent's RSS at fork time, so the parent must stay small:
    this one is a bare `python -S -I` that imports only json, os, signal and time."""

    def __init__(self, logs):
        self.logs = logs
        self.proc = subprocess.Popen([PY, "-S", "-I", "-c", SPAWNER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.serial = 0

    def run(self, argv, cwd, env, timeout):
        self.serial += 1
        out, err = self.logs / f"{self.serial:05d}.out", self.logs / f"{self.serial:05d}.err"
        request = {"argv": argv, "cwd": str(cwd), "env": env, "stdout": str(out), "stderr": str(err),
                   "timeout": float(timeout)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        result = json.loads(self.proc.stdout.readline())
        result["stdout"], result["stderr"] = out, err
        return result

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


SNAPSHOT = []  # the folder holding the copy of the migrator package that every command runs


def tool_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MIGRATOR_", "PYTHON", "BENCH_")) and k != "DATABASE_URL"}
    extra = dict(extra or {})
    env["PYTHONPATH"] = os.pathsep.join(p for p in [extra.pop("PYTHONPATH", None), *SNAPSHOT] if p)
    env.update(extra)
    return env


def snapshot_migrator(folder, rev):
    """Copy the migrator package, as in the working tree or as committed at `rev`, to `folder`; every
    command runs that copy (it comes first on PYTHONPATH), so an edit made while the benchmark runs
    cannot mix two versions into one report, and nothing is written into the repository."""
    import io
    import tarfile

    import migrator

    folder.mkdir()
    if rev:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "migrator"], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    else:
        shutil.copytree(Path(migrator.__file__).parent, folder / "migrator",
                        ignore=shutil.ignore_patterns("__pycache__"))
    compile_scripts(folder)
    SNAPSHOT[:] = [str(folder)]
    found = subprocess.run([PY, "-c", "import migrator; print(migrator.__file__)"], capture_output=True, text=True,
                           env=tool_env(), cwd=folder.parent).stdout.strip()
    if not found.startswith(str(folder)):
        raise SystemExit(f"bench: the commands would not run the snapshot of migrator (they import {found})")


def tail(path, lines=12):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Bench:
    def __init__(self, args, sizes, tmp):
        self.args, self.sizes, self.tmp = args, sizes, tmp
        (tmp / "logs").mkdir()
        self.spawner = Spawner(tmp / "logs")
        self.samples = {}  # (workload, tool, step) -> [result]
        self.failures = []  # sentences
        self.notes = {}  # workload -> [sentences]
        self.info = {}  # workload -> dict
        self.skip = set()  # (workload, tool, step) not run again after a time-out

    def measure(self, workload, tool, step, argv, cwd, env=None, timeout=None, record=True):
        timeout = timeout or self.sizes["timeout"]
        result = self.spawner.run([str(a) for a in argv], cwd, env or tool_env(), timeout)
        if record:
            self.samples.setdefault((workload, tool, step), []).append(result)
        if result["timed_out"]:
            log(f"  {workload} {tool} {step}: stopped after {timeout:.0f} s")
        elif result["rc"] != 0:
            self.fail(f"{workload}, {tool}, {step}: exit {result['rc']}\n    $ {' '.join(map(str, argv))}\n"
                      + "\n".join("    " + line for line in tail(result["stderr"]).splitlines()))
        else:
            log(f"  {workload} {tool} {step}: {result['wall']:.3f} s, {result['maxrss_kb'] / 1000:.1f} MB")
        return result

    def fail(self, message):
        log("FAILED: " + message)
        self.failures.append(message)

    def check(self, workload, tool, intro, expected, family_, versions, after, rows, allow_prefix=()):
        problems = check_schema(intro, expected, family_, versions, after, rows, allow_prefix)
        if problems:
            self.fail(f"{workload}, {tool}: wrong schema after {after}: " + "; ".join(problems[:8])
                      + (f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""))
        return not problems


def ok(result):
    return result["rc"] == 0 and not result["timed_out"]


def rotate(items, round_):
    k = round_ % len(items)
    return items[k:] + items[:k]


# -- tools: how each is invoked ---------------------------------------------------------------------------
def sqlite_url(path):
    return f"sqlite:///{path}"


def commands(tool, gen, url, extra_migrate=()):
    """{step: argv} for one tool, for the database at `url` (for playhouse: a file path or a URL)."""
    if tool == "plain":
        runner = gen / "plain_runner.py"
        return {"apply": [PY, runner, url, gen / "plain", "up"], "status": [PY, runner, url, gen / "plain", "status"],
                "rollback": [PY, runner, url, gen / "plain", "down"]}
    if tool == "migrator":
        base = [BIN / "migrator", "--database-url", url, "--specs-dir", gen / "specs"]
        return {"apply": base + ["migrate", *extra_migrate], "status": base + ["status"],
                "rollback": base + ["rollback", "base"]}
    if tool == "alembic":
        base = [BIN / "alembic", "-c", gen / "alembic" / "alembic.ini", "-x", f"url={url}"]
        return {"apply": base + ["upgrade", "head"], "status": base + ["current"], "history": base + ["history"],
                "rollback": base + ["downgrade", "base"]}
    if tool == "playhouse":
        base = [PY, "-m", "playhouse.migrations", url]
        folder = ["-d", gen / "playhouse"]
        return {"apply": base + ["up", *folder], "status": base + ["status", *folder],
                "rollback": base + ["down", playhouse_name(1), *folder]}
    raise ValueError(tool)


def generate_all(gen, versions, schema, dialect):
    gen.mkdir(parents=True)
    gen_migrator(versions, gen / "specs")
    gen_plain(versions, schema, gen / "plain", dialect)
    (gen / "plain_runner.py").write_text(PLAIN_RUNNER)
    gen_playhouse(versions, schema, gen / "playhouse")
    gen_alembic(versions, schema, gen / "alembic", dialect)
    compile_scripts(gen / "playhouse")
    compile_scripts(gen / "alembic")


def remove_sqlite(path):
    for p in (path, Path(f"{path}.migrator-lock"), Path(f"{path}-journal")):
        if p.exists():
            p.unlink()


# =====================================================================================================
# W1: 1,000 cheap versions on SQLite; start-up figures
# =====================================================================================================
W1_TOOLS = ["plain", "migrator", "alembic", "playhouse"]


def run_w1(b):
    s = b.sizes
    work = b.tmp / "w1"
    schema = w1_schema(s["w1_tables"])
    versions = w1_versions(s["w1_versions"], s["w1_tables"])
    final = simulate(schema, [op for ops in versions for op in ops])
    log(f"W1: generating {len(versions)} versions for each tool")
    generate_all(work / "gen", versions, schema, "sqlite")
    base = work / "base.db"
    make_sqlite(base, schema, s["w1_rows"])
    b.info["w1"] = {"versions": len(versions), "operations": sum(len(v) for v in versions),
                    "tables": s["w1_tables"], "rows": s["w1_rows"]}
    startup = {
        "python -c pass": [PY, "-c", "pass"],
        'python -c "import peewee"': [PY, "-c", "import peewee"],
        "migrator --help": [BIN / "migrator", "--help"],
        "alembic --help": [BIN / "alembic", "--help"],
        "python -m playhouse.migrations --help": [PY, "-m", "playhouse.migrations", "--help"],
    }
    for round_ in range(s["runs"]):
        log(f"W1 round {round_ + 1}/{s['runs']}")
        for tool in rotate(W1_TOOLS + ["startup"], round_):
            if tool == "startup":
                for _ in range(s["repeat"]):
                    for name, argv in startup.items():
                        b.measure("startup", name, "run", argv, work)
                continue
            db = work / f"{tool}-{round_}.db"
            shutil.copyfile(base, db)
            cmd = commands(tool, work / "gen", db if tool == "playhouse" else sqlite_url(db))
            intro = Introspect("sqlite", db)
            if ok(b.measure("w1", tool, "apply", cmd["apply"], work)):
                b.check("w1", tool, intro, final, tool, len(versions), "apply", s["w1_rows"])
                for _ in range(s["repeat"]):
                    b.measure("w1", tool, "status", cmd["status"], work)
                    if tool == "alembic":
                        b.measure("w1", tool, "history", cmd["history"], work)
                if ok(b.measure("w1", tool, "rollback", cmd["rollback"], work)):
                    b.check("w1", tool, intro, schema, tool, len(versions), "rollback", s["w1_rows"])
            remove_sqlite(db)


# =====================================================================================================
# W2: one version of 5 operations on a table of 1,000,000 rows, and its rollback
# =====================================================================================================
W2_TOOLS = ["plain", "migrator", "migrator_nobackup", "alembic", "playhouse"]


def w2_family(tool):
    return "migrator" if tool.startswith("migrator") else tool


def w2_commands(tool, gen, db):
    if tool == "migrator_nobackup":
        return commands("migrator", gen, sqlite_url(db), extra_migrate=["--no-backup"])
    return commands(tool, gen, db if tool == "playhouse" else sqlite_url(db))


def w2_data(intro, rows):
    """What the rollback kept: the dropped column's values and the retyped column's values."""
    kept = intro.count("big", "extra IS NOT NULL")
    score = intro.scalar("SELECT SUM(score) FROM big")
    want_score = sum(i * 7 for i in range(1, rows + 1))
    return {"extra": kept, "score_ok": score == want_score}


def run_w2(b):
    s = b.sizes
    work = b.tmp / "w2"
    schema, versions = w2_schema(), w2_versions()
    final = simulate(schema, versions[0])
    log("W2: generating the version for each tool")
    generate_all(work / "gen", versions, schema, "sqlite")
    base = work / "base.db"
    log(f"W2: preparing a table of {s['w2_rows']:,} rows")
    make_sqlite(base, schema, s["w2_rows"])
    b.info["w2"] = {"rows": s["w2_rows"], "bytes": base.stat().st_size, "kept": {}}
    for round_ in range(s["runs"]):
        log(f"W2 round {round_ + 1}/{s['runs']}")
        for tool in rotate(W2_TOOLS, round_):
            db = work / f"{tool}-{round_}.db"
            shutil.copyfile(base, db)
            cmd = w2_commands(tool, work / "gen", db)
            intro = Introspect("sqlite", db)
            timeout = s["w2_timeout"]
            applied = b.measure("w2", tool, "apply", cmd["apply"], work, timeout=timeout)
            if ok(applied):
                allow = ("_migrator_backup_",) if tool == "migrator" else ()
                b.check("w2", tool, intro, final, w2_family(tool), 1, "apply", s["w2_rows"], allow)
                if intro.count("big", "flag = 0") != s["w2_rows"]:
                    b.fail(f"w2, {tool}: flag is not 0 on every row after apply")
                if ("w2", tool, "rollback") not in b.skip:
                    result = b.measure("w2", tool, "rollback", cmd["rollback"], work, timeout=timeout)
                    if result["timed_out"]:
                        b.skip.add(("w2", tool, "rollback"))
                    elif ok(result):
                        b.check("w2", tool, intro, schema, w2_family(tool), 1, "rollback", s["w2_rows"])
                        data = w2_data(intro, s["w2_rows"])
                        b.info["w2"]["kept"][tool] = data
                        if not data["score_ok"]:
                            b.fail(f"w2, {tool}: score values changed by apply and rollback")
                        if tool == "migrator" and data["extra"] != s["w2_rows"]:
                            b.fail(f"w2, migrator: rollback with backups restored {data['extra']} of "
                                   f"{s['w2_rows']} values of the dropped column")
            elif applied["timed_out"]:
                b.skip.add(("w2", tool, "apply"))
            remove_sqlite(db)
    for tool in W2_TOOLS:
        if ("w2", tool, "rollback") in b.skip:
            w2_probe(b, work, schema, tool)


def w2_probe(b, work, schema, tool):
    """A step that ran out of time: how its time grows with the rows, to say what the full size would take."""
    log(f"W2: {tool} rollback ran out of time; measuring it on smaller tables")
    points = []
    for rows in W2_PROBE_ROWS:
        db = work / f"probe-{rows}.db"
        make_sqlite(db, schema, rows)
        cmd = w2_commands(tool, work / "gen", db)
        if ok(b.measure("w2probe", tool, "apply", cmd["apply"], work, record=False)):
            result = b.measure("w2probe", tool, f"rollback {rows}", cmd["rollback"], work, timeout=b.sizes["w2_timeout"])
            if ok(result):
                points.append((rows, result["wall"]))
        remove_sqlite(db)
    if len(points) >= 2:
        (r0, t0), (r1, t1) = points[0], points[-1]
        exponent = math.log(t1 / t0) / math.log(r1 / r0)
        full = t1 * (b.sizes["w2_rows"] / r1) ** exponent
        b.info.setdefault("w2probe", {})[tool] = {"points": points, "exponent": exponent, "extrapolated": full}


# =====================================================================================================
# W3: W1 on PostgreSQL and MariaDB/MySQL; statements per operation
# =====================================================================================================
HOOK = r'''"""Counts the statements sent through the DB-API drivers (psycopg2, PyMySQL), for one process."""
import atexit
import json
import os

COUNTS = {}
_KINDS = {"CREATE": "ddl", "ALTER": "ddl", "DROP": "ddl", "RENAME": "ddl", "TRUNCATE": "ddl",
          "INSERT": "write", "UPDATE": "write", "DELETE": "write", "REPLACE": "write",
          "SELECT": "read", "SHOW": "read", "WITH": "read", "DESCRIBE": "read", "DESC": "read", "EXPLAIN": "read",
          "BEGIN": "transaction", "START": "transaction", "COMMIT": "transaction", "ROLLBACK": "transaction",
          "SAVEPOINT": "transaction", "RELEASE": "transaction"}


def _count(sql, n=1):
    if isinstance(sql, bytes):
        sql = sql.decode("utf-8", "replace")
    words = str(sql).lstrip(" \t\r\n(").split(None, 1)
    kind = _KINDS.get(words[0].upper(), "other") if words else "other"
    COUNTS[kind] = COUNTS.get(kind, 0) + n


@atexit.register
def _dump():
    path = os.environ.get("BENCH_COUNT_FILE")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(COUNTS) + "\n")


try:
    import psycopg2
    import psycopg2.extensions as _ext
except ImportError:
    psycopg2 = None

if psycopg2 is not None:
    def _implicit_begin(conn):
        if not conn.autocommit and conn.info.transaction_status == _ext.TRANSACTION_STATUS_IDLE:
            _count("BEGIN")  # psycopg2 sends it before the first statement of a transaction

    class _Cursor(_ext.cursor):
        def execute(self, query, vars=None):
            _implicit_begin(self.connection)
            _count(query if isinstance(query, (str, bytes)) else query.as_string(self))
            return super().execute(query, vars)

        def executemany(self, query, vars_list):
            vars_list = list(vars_list)
            _implicit_begin(self.connection)
            _count(query if isinstance(query, (str, bytes)) else query.as_string(self), len(vars_list))
            return super().executemany(query, vars_list)

    class _Connection(_ext.connection):
        def commit(self):
            if self.info.transaction_status != _ext.TRANSACTION_STATUS_IDLE:
                _count("COMMIT")
            return super().commit()

        def rollback(self):
            if self.info.transaction_status != _ext.TRANSACTION_STATUS_IDLE:
                _count("ROLLBACK")
            return super().rollback()

    _connect = psycopg2.connect

    def _counting_connect(*args, **kwargs):
        kwargs.setdefault("connection_factory", _Connection)
        conn = _connect(*args, **kwargs)
        conn.cursor_factory = _Cursor
        return conn

    psycopg2.connect = _counting_connect

try:
    import pymysql.connections
    from pymysql.constants import COMMAND as _COMMAND
except ImportError:
    pymysql = None

if pymysql is not None:
    _execute_command = pymysql.connections.Connection._execute_command

    def _counting_execute_command(self, command, sql):
        if command == _COMMAND.COM_QUERY:
            _count(sql)
        return _execute_command(self, command, sql)

    pymysql.connections.Connection._execute_command = _counting_execute_command
'''

W3_TOOLS = ["plain", "migrator", "alembic", "playhouse"]


def run_w3(b, server):
    s = b.sizes
    kind = server.kind
    work = b.tmp / f"w3-{kind}"
    schema = w1_schema(s["w1_tables"])
    versions = w1_versions(s["w3_versions"], s["w1_tables"])
    final = simulate(schema, [op for ops in versions for op in ops])
    log(f"W3 {kind}: generating {len(versions)} versions for each tool")
    generate_all(work / "gen", versions, schema, kind)
    b.info[f"w3-{kind}"] = {"versions": len(versions), "operations": sum(len(v) for v in versions),
                            "rows": s["w3_rows"], "counts": {}}
    prefix = f"bench_{os.getpid()}_{kind[:2]}"

    def fresh(name):
        server.create(name)
        conn = server.connect(name)
        try:
            populate(kind, conn, schema, s["w3_rows"])
        finally:
            conn.close()

    def urls(tool, name):
        return server.url(name, sqlalchemy=(tool == "alembic"))

    for round_ in range(s["runs"]):
        log(f"W3 {kind} round {round_ + 1}/{s['runs']}")
        for tool in rotate(W3_TOOLS, round_):
            name = f"{prefix}_{tool}_{round_}"
            fresh(name)
            cmd = commands(tool, work / "gen", urls(tool, name))
            intro = Introspect(kind, (server, name))
            if ok(b.measure(f"w3-{kind}", tool, "apply", cmd["apply"], work)):
                b.check(f"w3-{kind}", tool, intro, final, tool, len(versions), "apply", s["w3_rows"])
                b.measure(f"w3-{kind}", tool, "status", cmd["status"], work)
                if ok(b.measure(f"w3-{kind}", tool, "rollback", cmd["rollback"], work)):
                    b.check(f"w3-{kind}", tool, intro, schema, tool, len(versions), "rollback", s["w3_rows"])
            server.drop(name)

    # One extra, untimed run per tool that counts the statements sent to the server.
    hook = work / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    calibration = None
    if kind == "mysql":
        before = server.questions()
        calibration = server.questions() - before
        idle = server.questions()
        time.sleep(1)
        busy = server.questions() - idle - calibration
        if busy > 0:
            calibration = None  # other clients use the server: its global counter cannot isolate a tool
            info_ = b.info[f"w3-{kind}"]
            info_["server_busy"] = busy
    for tool in W3_TOOLS:
        name = f"{prefix}_{tool}_count"
        fresh(name)
        cmd = commands(tool, work / "gen", urls(tool, name))
        intro = Introspect(kind, (server, name))
        counts = {}
        for step in ("apply", "rollback"):
            count_file = work / f"count-{tool}-{step}.jsonl"
            alembic_file = work / f"count-{tool}-{step}-alembic.jsonl"
            env = tool_env({"PYTHONPATH": str(hook), "BENCH_COUNT_FILE": str(count_file),
                            "BENCH_ALEMBIC_COUNT_FILE": str(alembic_file)})
            argv = list(cmd[step])
            if tool in ("migrator", "playhouse"):
                argv.insert(argv.index(step_word(tool, step)) + 1, "-v")
            before = server.questions() if calibration is not None else None
            result = b.measure(f"w3count-{kind}", tool, step, argv, work, env=env, record=False)
            questions = server.questions() - before - calibration if calibration is not None else None
            if not ok(result):
                break
            processes = [json.loads(line) for line in count_file.read_text().splitlines()] \
                if count_file.exists() else []
            total = {}
            for per_process in processes:
                for k, v in per_process.items():
                    total[k] = total.get(k, 0) + v
            own = None
            if tool == "migrator":
                own = sum(1 for line in result["stderr"].read_text(errors="replace").splitlines()
                          if line.startswith("sql: "))
            elif tool == "playhouse":
                own = sum(1 for line in result["stderr"].read_text(errors="replace").splitlines()
                          if line.startswith(("('", '("')))
            elif tool == "alembic" and alembic_file.exists():
                own = sum(json.loads(line)["before_cursor_execute"] for line in alembic_file.read_text().splitlines())
            counts[step] = {"hook": total, "processes": len(processes), "own": own, "questions": questions}
            b.check(f"w3count-{kind}", tool, intro, final if step == "apply" else schema, tool, len(versions),
                    step, s["w3_rows"])
        b.info[f"w3-{kind}"]["counts"][tool] = counts
        server.drop(name)
    if calibration is not None:
        idle = server.questions()
        time.sleep(1)
        busy = server.questions() - idle - calibration
        if busy > 0:
            b.info[f"w3-{kind}"]["server_busy"] = busy


def step_word(tool, step):
    return {"migrator": {"apply": "migrate", "rollback": "rollback"},
            "playhouse": {"apply": "up", "rollback": "down"}}[tool][step]


# =====================================================================================================
# Peak RSS of `migrator status` with 10,000 versions
# =====================================================================================================
def run_rss(b):
    s = b.sizes
    work = b.tmp / "rss"
    schema, versions = rss_schema(), rss_versions(s["rss_versions"])
    gen = work / "gen"
    gen.mkdir(parents=True)
    log(f"RSS: generating {len(versions):,} trivial versions and applying them with migrator (untimed set-up)")
    gen_migrator(versions, gen / "specs")
    db = work / "rss.db"
    make_sqlite(db, schema, 10)
    cmd = commands("migrator", gen, sqlite_url(db))
    applied = b.measure("rss", "migrator", "apply (set-up)", cmd["apply"], work, record=False)
    b.info["rss"] = {"versions": len(versions), "apply_seconds": applied["wall"], "apply_rss_kb": applied["maxrss_kb"]}
    if not ok(applied):
        return
    final = simulate(schema, [op for ops in versions for op in ops])
    b.check("rss", "migrator", Introspect("sqlite", db), final, "migrator", len(versions), "apply", 10)
    b.info["rss"]["db_bytes"] = db.stat().st_size
    for _ in range(max(s["runs"], 3) if not b.args.quick else 1):
        b.measure("rss", "migrator", "status", cmd["status"], work)
    remove_sqlite(db)


# =====================================================================================================
# The report
# =====================================================================================================
NAMES = {"plain": "plain driver (limit)", "migrator": "migrator", "migrator_nobackup": "migrator --no-backup",
         "alembic": "Alembic", "playhouse": "playhouse.migrations"}
STEP_NAMES = {("alembic", "status"): "alembic current", ("alembic", "history"): "alembic history",
              ("migrator", "status"): "migrator status", ("plain", "status"): "plain status",
              ("playhouse", "status"): "playhouse status"}


def stats(results):
    done = [r for r in results if ok(r)]
    if not done:
        return None
    walls = sorted(r["wall"] for r in done)
    rss = sorted(r["maxrss_kb"] / 1000 for r in done)
    return {"n": len(done), "runs": len(results), "timed_out": sum(r["timed_out"] for r in results),
            "cpu": statistics.median(r["user"] + r["sys"] for r in done),
            "min": walls[0], "median": statistics.median(walls), "max": walls[-1],
            "rss_min": rss[0], "rss_median": statistics.median(rss), "rss_max": rss[-1]}


def fmt_s(x):
    if x is None:
        return "–"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    if x < 100:
        return f"{x:.2f} s"
    return f"{x:.0f} s"


def fmt_ratio(a, b_):
    if a is None or b_ in (None, 0):
        return "–"
    return f"{a / b_:.2f}×"


def machine():
    info = {"cpu": "unknown", "cores": os.cpu_count(), "ram": "unknown", "os": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return info


def versions_info(servers, rev):
    from importlib.metadata import version

    out = {"Python": platform.python_version(), "SQLite (Python's sqlite3)": sqlite3.sqlite_version}
    for kind, label in (("postgres", "PostgreSQL server"), ("mysql", "MariaDB/MySQL server")):
        try:
            out[label] = servers[kind].version() if kind in servers else "not used"
        except Exception as error:
            out[label] = f"unreachable ({str(error).splitlines()[0]})"
    for dist in ("migrator", "peewee", "alembic", "SQLAlchemy", "psycopg2-binary", "PyMySQL"):
        try:
            out[dist] = version(dist)
        except Exception:
            out[dist] = "not installed"
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev or "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = not rev and subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "migrator"],
                                           capture_output=True, text=True).stdout.strip()
        out["migrator"] += f" (commit {head}{', plus uncommitted changes in migrator/' if dirty else ''})"
    except Exception:
        pass
    return out


class Report:
    def __init__(self, b, started, finished, servers, machine_info, version_info):
        self.b, self.started, self.finished = b, started, finished
        self.servers, self.machine, self.versions = servers, machine_info, version_info
        self.lines = []

    def st(self, workload, tool, step):
        return stats(self.b.samples.get((workload, tool, step), []))

    def median(self, workload, tool, step):
        s = self.st(workload, tool, step)
        return s and s["median"]

    def w(self, text=""):
        self.lines.append(text)

    def table(self, header, rows):
        self.w("| " + " | ".join(header) + " |")
        self.w("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            self.w("| " + " | ".join(str(c) for c in row) + " |")
        self.w()

    def step_tables(self, workload, tools, steps, limit="plain"):
        """Wall time and peak RSS of each (step, tool): min / median / max, × the limit and × each peer."""
        peers = [t for t in tools if t != limit]
        header = ["step", "tool", "wall min / median / max", "CPU (median)", "× limit"] + \
                 [f"× {NAMES[p]}" for p in peers] + \
                 ["peak RSS min / median / max", "RSS × limit"] + [f"RSS × {NAMES[p]}" for p in peers]
        rows = []
        for step in steps:
            for tool in tools:
                key = (tool, step)
                s = self.st(workload, tool, step)
                if s is None and not self.b.samples.get((workload, tool, step)):
                    continue
                label = STEP_NAMES.get(key, step) if step in ("status", "history") else step
                if s is None:
                    runs = self.b.samples[(workload, tool, step)]
                    stopped = [r for r in runs if r["timed_out"]]
                    text = f"did not finish: stopped after {fmt_s(stopped[0]['wall'])}" if stopped else "failed"
                    rows.append([label, NAMES[tool], text] + ["–"] * (len(header) - 3))
                    continue
                ref_step = "status" if step == "history" else step
                limit_m = self.median(workload, limit, ref_step) if tool != limit else s["median"]
                limit_s = self.st(workload, limit, ref_step)
                row = [label, NAMES[tool], f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}"
                       + (f" ({s['n']} of {s['runs']} finished)" if s["n"] != s["runs"] else ""),
                       fmt_s(s["cpu"]), fmt_ratio(s["median"], limit_m)]
                row += ["" if p == tool else fmt_ratio(s["median"], self.median(workload, p, ref_step)) for p in peers]
                row += [f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB",
                        fmt_ratio(s["rss_median"], limit_s and limit_s["rss_median"])]
                for p in peers:
                    ps = self.st(workload, p, ref_step)
                    row.append("" if p == tool else fmt_ratio(s["rss_median"], ps and ps["rss_median"]))
                rows.append(row)
        self.table(header, rows)

    # -- targets ----------------------------------------------------------------------------------------
    def targets(self):
        quick = self.b.args.quick
        out = []

        def timed(workload, tool, step):
            s = self.st(workload, tool, step)
            runs = self.b.samples.get((workload, tool, step), [])
            stopped = [r["wall"] for r in runs if r["timed_out"]]
            if s is None and stopped:
                return None, f"> {fmt_s(max(stopped))} (stopped)", max(stopped)
            return (s and s["median"]), fmt_s(s and s["median"]), None

        def cpu_ratio(workload, tool, step, ref_workload, ref_tool, ref_step):
            a, r = self.st(workload, tool, step), self.st(ref_workload, ref_tool, ref_step)
            return fmt_ratio(a and a["cpu"], r and r["cpu"])

        def ratio_target(name, workload, tool, step, ref_tool, ref_step, limit, ref_workload=None):
            m, m_text, lower = timed(workload, tool, step)
            ref_workload = ref_workload or workload
            r = self.median(ref_workload, ref_tool, ref_step)
            cpu = cpu_ratio(workload, tool, step, ref_workload, ref_tool, ref_step)
            if m is None and lower is not None and r:
                out.append([name, m_text, fmt_s(r), f"> {lower / r:.1f}×", cpu, f"≤ {limit}×", "MISS"])
            elif m is None or r is None:
                out.append([name, m_text, fmt_s(r), "–", cpu, f"≤ {limit}×", "not measured"])
            else:
                out.append([name, m_text, fmt_s(r), f"{m / r:.2f}×", cpu, f"≤ {limit}×",
                            "PASS" if m / r <= limit else "MISS"])

        def faster(name, workload, step, peer):
            m, r = self.median(workload, "migrator", step), self.median(workload, peer, step)
            cpu = cpu_ratio(workload, "migrator", step, workload, peer, step)
            if m is None or r is None:
                out.append([name, fmt_s(m), fmt_s(r), "–", cpu, "< 1×", "not measured"])
            else:
                out.append([name, fmt_s(m), fmt_s(r), f"{m / r:.2f}×", cpu, "< 1×", "PASS" if m < r else "MISS"])

        for step in ("apply", "rollback"):
            faster(f"W1 {step}: migrator faster than Alembic", "w1", step, "alembic")
            faster(f"W1 {step}: migrator faster than playhouse.migrations", "w1", step, "playhouse")
            ratio_target(f"W1 {step}: migrator vs the limit (plain sqlite3)", "w1", "migrator", step, "plain", step, 1.2)
        ratio_target('W1 `migrator status` vs `python -c "import peewee"`', "w1", "migrator", "status",
                     'python -c "import peewee"', "run", 2, ref_workload="startup")
        ratio_target('`migrator --help` vs `python -c "import peewee"`', "startup", "migrator --help", "run",
                     'python -c "import peewee"', "run", 1.5)
        for step in ("apply", "rollback"):
            ratio_target(f"W2 {step}, `--no-backup`, vs the limit", "w2", "migrator_nobackup", step, "plain", step, 1.3)
        for step in ("apply", "rollback"):
            ratio_target(f"W2 {step}, with backups, vs the limit", "w2", "migrator", step, "plain", step, 2)
        for kind, label in (("postgres", "PostgreSQL, vs plain psycopg2"), ("mysql", "MariaDB, vs plain PyMySQL")):
            for step in ("apply", "rollback"):
                ratio_target(f"W3 {step}, {label}", f"w3-{kind}", "migrator", step, "plain", step, 1.3)
        s = self.st("rss", "migrator", "status")
        n = self.b.info.get("rss", {}).get("versions", 0)
        if s:
            out.append([f"peak RSS of `migrator status` with {n:,} versions", f"{s['rss_median']:.1f} MB", "100 MB",
                        f"{s['rss_median'] / 100:.2f}×", "", "< 100 MB", "PASS" if s["rss_median"] < 100 else "MISS"])
        else:
            out.append([f"peak RSS of `migrator status` with {n:,} versions", "–", "100 MB", "–", "", "< 100 MB",
                        "not measured"])
        if quick:
            for row in out:
                row[-1] = f"({row[-1]}; not assessed in --quick)"
        return out

    # -- the document -----------------------------------------------------------------------------------
    def render(self):
        b, s = self.b, self.b.sizes
        quick = b.args.quick
        w = self.w
        w("# Benchmarks")
        w()
        w(f"Generated by `python bench/run.py{' --quick' if quick else ''}"
          f"{' --runs ' + str(s['runs']) if b.args.runs else ''}"
          f"{' --migrator-rev ' + b.args.migrator_rev if b.args.migrator_rev else ''}` on {self.started:%Y-%m-%d %H:%M} UTC; "
          f"the run took {(self.finished - self.started).total_seconds() / 60:.1f} minutes. "
          f"{s['runs']} round{'s' if s['runs'] != 1 else ''}; in each round every tool runs once, in an order "
          "that rotates each round "
          f"(A B C, then B C A, ...). Figures are min / **median** / max over the rounds"
          + ("." if s["repeat"] == 1 else f" (status and start-up commands: {s['repeat']} times per round)."))
        load = b.info.get("load")
        if load:
            w()
            w(f"Load average (1 min) at the start and end of the run: {load[0]:.2f} and {load[1]:.2f} on "
              f"{os.cpu_count()} cores: other work on the machine slows wall times down unevenly; the rotation "
              "spreads it over the tools, and the CPU column (user + system time of the process) is less "
              "sensitive to it.")
        if quick:
            w()
            w("**This is a `--quick` smoke run: small sizes, one round. Its figures say nothing about speed.**")
        w()
        w("## Targets")
        w()
        w("Ratios are of medians from this run. Time is the wall time of the whole process, start-up included; "
          "the result is judged on it. *CPU ratio* is the same ratio of user + system CPU time, for context: it "
          "leaves out waiting (disk flushes, the server's work) and most of the noise of other work on the machine.")
        w()
        self.table(["target", "migrator", "reference", "ratio", "CPU ratio", "limit", "result"], self.targets())
        if b.failures:
            w("## Failures")
            w()
            for failure in b.failures:
                w("```")
                w(failure)
                w("```")
            w()
        w("## Machine and versions")
        w()
        m = self.machine
        self.table(["", ""], [["CPU", m["cpu"]], ["cores", m["cores"]], ["RAM", m["ram"]], ["OS", m["os"]]]
                   + [[k, v] for k, v in self.versions.items()])
        self.method()
        self.w1()
        self.w2()
        for kind in ("postgres", "mysql"):
            if f"w3-{kind}" in b.info:
                self.w3(kind)
        self.rss()
        if not quick and ANALYSIS.exists():  # written by hand from profiles of the run: where the time goes
            w(ANALYSIS.read_text(encoding="utf-8").rstrip())
        return "\n".join(self.lines).rstrip() + "\n"

    def method(self):
        w, s = self.w, self.b.sizes
        floor = self.b.info.get("floor_kb")
        w("## Method")
        w()
        w("- **One description per workload.** Each workload is a list of abstract operations per version. From it "
          "the benchmark generates, in a temporary directory, each tool's own files: migrator JSON specs; plain SQL "
          "files (up and down) run by a 50-line plain-driver script (the *limit*); `playhouse.migrations` scripts "
          "with `up()` and `down()`; Alembic revisions with `upgrade()` and `downgrade()` (on SQLite in "
          "`batch_alter_table` where SQLite cannot ALTER). The bytecode of the generated Python files is compiled "
          "before the first round, as after a project's first run.")
        w("- **The limit** runs the same DDL through Python's `sqlite3`, `psycopg2` or `PyMySQL`: one transaction "
          "per version where DDL is transactional (SQLite, PostgreSQL), and a row in its own version table per "
          "version. For W2 it is the cheapest correct SQL: native `ADD COLUMN ... NOT NULL DEFAULT`, `RENAME COLUMN` "
          "and `DROP COLUMN`, and one table rebuild for the NOT NULL and the type change (rollback: native "
          "`DROP COLUMN`, `RENAME COLUMN`, `ADD COLUMN`, and one rebuild); it keeps no data for rollback.")
        w("- **Whole processes.** Every figure is one command as a user runs it (`migrator migrate`, `alembic "
          "upgrade head`, `python -m playhouse.migrations DB up`, ...), start-up included. A small spawner process "
          "(`python -S -I`, only `os`, `json`, `signal`, `time`) forks each command and waits for it with "
          "`os.wait4`: wall time is from fork to exit, peak RSS is the child's `ru_maxrss` (MB = 10^6 bytes). A "
          "child's `ru_maxrss` starts at its parent's RSS at fork time, which is why the parent is that small "
          "spawner and not the benchmark itself"
          + (f"; `/bin/true` measures {floor / 1000:.1f} MB this way, the floor of every RSS figure." if floor else "."))
        w("- **Same conditions.** Every tool gets an identical copy of the prepared database (SQLite: a file copy; "
          "servers: a fresh database `bench_*` with the same tables and rows, dropped afterwards). SQLite runs with "
          "each tool's defaults (rollback journal, `synchronous=FULL`). Alembic's `env.py` is its generic template "
          "with `transaction_per_migration=True`, so that every tool commits once per version; Alembic's SQLite "
          "dialect does not wrap DDL in a transaction (pysqlite), so there each DDL statement commits by itself. "
          "Default verbosity everywhere; output goes to files. migrator runs from a copy of its package taken "
          "when the run starts (first on `PYTHONPATH`), so the whole run measures one version of it.")
        w("- **Checked.** After each apply and each rollback the schema (tables, columns with type family and "
          "nullability, indexes with their columns), the row counts and the tool's own history are read back "
          "and compared with the schema the description implies; any difference fails the run.")
        w()

    def w1(self):
        b, info = self.b, self.b.info.get("w1")
        if not info:
            return
        w = self.w
        w("## W1: SQLite, many cheap versions")
        w()
        w(f"{info['versions']:,} versions ({info['operations']:,} operations) on {info['tables']} tables of "
          f"{info['rows']:,} rows each. Version *i* adds a nullable integer column to table `t{{i mod "
          f"{info['tables']}}}`, indexes it, and every second version renames it. `status` is measured with every "
          "version applied; rollback undoes every version (`migrator rollback base`, `alembic downgrade base`, "
          "`playhouse.migrations down <first>`).")
        w()
        self.step_tables("w1", W1_TOOLS, ["apply", "status", "history", "rollback"])
        w("### Start-up")
        w()
        names = ["python -c pass", 'python -c "import peewee"', "migrator --help", "alembic --help",
                 "python -m playhouse.migrations --help"]
        rows = []
        peewee = self.median("startup", 'python -c "import peewee"', "run")
        bare = self.median("startup", "python -c pass", "run")
        for name in names + ["migrator status (W1, all applied)"]:
            s = self.st("w1", "migrator", "status") if name.startswith("migrator status") else \
                self.st("startup", name, "run")
            if not s:
                continue
            rows.append([f"`{name}`", f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}",
                         fmt_s(s["cpu"]), fmt_ratio(s["median"], peewee), fmt_ratio(s["median"], bare),
                         f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB"])
        self.table(["command", "wall min / median / max", "CPU (median)", '× `import peewee`', "× `python -c pass`",
                    "peak RSS min / median / max"], rows)

    def w2(self):
        b, info = self.b, self.b.info.get("w2")
        if not info:
            return
        w = self.w
        w("## W2: SQLite, one version on a large table")
        w()
        w(f"A table of {info['rows']:,} rows (integer, text and timestamp columns, an index; "
          f"{info['bytes'] / 1e6:.1f} MB file), copied before each run. One version of 5 operations: add a NOT NULL "
          "integer column with a default, rename a column, drop a (nullable text) column, add NOT NULL to a nullable "
          "column without NULLs, change an integer column to a floating-point type (REAL); then its rollback. Alembic runs the version in "
          "one `batch_alter_table` (one table rebuild); playhouse.migrations uses `SqliteMigrator`'s operations.")
        w()
        self.step_tables("w2", W2_TOOLS, ["apply", "rollback"])
        rows = []
        for tool in W2_TOOLS:
            kept = info["kept"].get(tool)
            if kept is None:
                rows.append([NAMES[tool], "not measured (rollback did not finish)"])
            else:
                rows.append([NAMES[tool], "restored" if kept["extra"] == info["rows"] else
                             f"not kept ({kept['extra']:,} of {info['rows']:,} values back)"])
        w("What the rollback gave back of the dropped column's values:")
        w()
        self.table(["tool", "dropped column after rollback"], rows)
        for tool, probe in b.info.get("w2probe", {}).items():
            points = ", ".join(f"{r:,} rows: {fmt_s(t)}" for r, t in probe["points"])
            w(f"**{NAMES[tool]} rollback did not finish within {fmt_s(b.sizes['w2_timeout'])}** and was not run again "
              f"in later rounds. Measured once on smaller copies of the table: {points}; time grows as "
              f"rows^{probe['exponent']:.2f}, which puts {info['rows']:,} rows at about "
              f"{probe['extrapolated'] / 3600:.0f} hours.")
            w()

    def w3(self, kind):
        b, info = self.b, self.b.info[f"w3-{kind}"]
        w = self.w
        label = {"postgres": "PostgreSQL", "mysql": "MariaDB"}[kind]
        w(f"## W3: {label}")
        w()
        w(f"W1's description with {info['versions']:,} versions ({info['operations']:,} operations) on 10 tables of "
          f"{info['rows']:,} rows, a fresh database per run. The limit is plain "
          f"{'psycopg2, one transaction per version' if kind == 'postgres' else 'PyMySQL in autocommit (MariaDB commits each DDL statement itself)'}.")
        w()
        self.step_tables(f"w3-{kind}", W3_TOOLS, ["apply", "status", "rollback"])
        ops = info["operations"]
        busy = info.get("server_busy")
        w(f"### Statements sent to {label}")
        w()
        w("Counted in one extra, untimed run per tool. *DB-API*: every statement the process sends through the "
          "driver, counted by a `sitecustomize` hook loaded only for that run (psycopg2: `cursor.execute`, each row "
          "of `executemany`, the `BEGIN` psycopg2 sends by itself and `commit()`/`rollback()`; PyMySQL: every "
          "`COM_QUERY` packet, which includes `BEGIN`, `COMMIT` and `SET AUTOCOMMIT`). *Tool's own*: migrator's "
          "`-v` `sql:` lines, playhouse.migrations' `-v` (Peewee's `peewee` logger) lines, Alembic's "
          "`before_cursor_execute` event in `env.py` (it does not see SQLAlchemy's first-connect probes nor "
          "transaction control)." + (" *Server*: the change of MariaDB's global `Questions` counter around the "
                                     "command (any other client of the server would add to it)."
                                     if kind == "mysql" and not busy else "")
          + (f" MariaDB's global `Questions` counter is not shown: other clients sent the server {busy:,} "
             "statements in an idle second next to the counting runs, so it could not isolate one tool."
             if busy else ""))
        w()
        header = ["step", "tool", "DB-API total", "per operation", "DDL", "writes", "reads", "transaction", "other",
                  "tool's own count"] + (["server `Questions`"] if kind == "mysql" and not busy else [])
        rows = []
        for step in ("apply", "rollback"):
            for tool in W3_TOOLS:
                c = info["counts"].get(tool, {}).get(step)
                if not c:
                    continue
                h = c["hook"]
                total = sum(h.values())
                row = [step, NAMES[tool], f"{total:,}", f"{total / ops:.1f}"] + \
                      [f"{h.get(k, 0):,}" for k in ("ddl", "write", "read", "transaction", "other")] + \
                      ["–" if c["own"] is None else f"{c['own']:,}"]
                if kind == "mysql" and not busy:
                    row.append(f"{c['questions']:,}" if c["questions"] is not None else "–")
                rows.append(row)
        self.table(header, rows)

    def rss(self):
        info = self.b.info.get("rss")
        if not info:
            return
        w = self.w
        w("## Peak RSS of `migrator status` with many versions")
        w()
        w(f"{info['versions']:,} trivial versions (add an index, drop it, alternately, on a 10-row table), applied "
          f"once by `migrator migrate` as set-up ({fmt_s(info['apply_seconds'])}, peak RSS "
          f"{info['apply_rss_kb'] / 1000:.1f} MB; database {info.get('db_bytes', 0) / 1e6:.1f} MB), then "
          "`migrator status` measured.")
        w()
        s = self.st("rss", "migrator", "status")
        if s:
            self.table(["command", "wall min / median / max", "peak RSS min / median / max"],
                       [["`migrator status`", f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}",
                         f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB"]])
        w1 = self.st("w1", "migrator", "status")
        if w1:
            w(f"For comparison, `migrator status` on W1's {self.b.info['w1']['versions']:,} versions (a larger "
              f"schema) peaks at {w1['rss_median']:.1f} MB.")
            w()


# =====================================================================================================
# main
# =====================================================================================================
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: small sizes, one round, no timing claims")
    parser.add_argument("--runs", type=int, help="rounds (default 3; 1 with --quick)")
    parser.add_argument("--output", help="the report (default BENCHMARKS.md at the repository root; "
                                         "with --quick, none unless given)")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server, user with CREATE DATABASE")
    parser.add_argument("--mysql-url", default="mysql://root@127.0.0.1:3306",
                        help="MariaDB/MySQL server, user with CREATE DATABASE")
    parser.add_argument("--no-servers", action="store_true", help="skip W3 (PostgreSQL, MariaDB)")
    parser.add_argument("--only", help="comma-separated subset of w1,w2,w3,rss (for development)")
    parser.add_argument("--migrator-rev", metavar="REV",
                        help="benchmark migrator as committed at this git revision (e.g. HEAD) instead of the "
                             "working tree; either way a copy taken at the start runs throughout")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.runs:
        if args.runs < 1:
            parser.error("--runs must be at least 1")
        sizes["runs"] = args.runs
    only = set((args.only or "w1,w2,w3,rss").split(","))
    output = Path(args.output) if args.output else (None if args.quick else REPO / "BENCHMARKS.md")

    for tool in ("migrator", "alembic"):
        if not (BIN / tool).exists():
            sys.exit(f"bench: {BIN / tool} not found: run with the Python that has migrator installed "
                     "with its bench extra (pip install -e '.[bench]')")

    servers = {}
    if not args.no_servers and "w3" in only:
        for kind, url in (("postgres", args.postgres_url), ("mysql", args.mysql_url)):
            server = Server(kind, url)
            try:
                server.version()
            except Exception as error:
                sys.exit(f"bench: {kind} server at {url} is unreachable ({str(error).strip().splitlines()[0]}); "
                         "start it, or pass --no-servers")
            servers[kind] = server

    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="migrator-bench-"))
    snapshot_migrator(tmp / "migrator-src", args.migrator_rev)
    version_info = versions_info(servers, args.migrator_rev)
    b = Bench(args, sizes, tmp)
    log(f"{'quick' if args.quick else 'full'} run, {sizes['runs']} round(s), files in {tmp}")
    try:
        floor = b.spawner.run(["/bin/true"], tmp, tool_env(), 10)
        b.info["floor_kb"] = floor["maxrss_kb"]
        if "w1" in only:
            run_w1(b)
        if "w2" in only:
            run_w2(b)
        if "w3" in only:
            for kind in ("postgres", "mysql"):
                if kind in servers:
                    run_w3(b, servers[kind])
        if "rss" in only:
            run_rss(b)
    except KeyboardInterrupt:
        b.fail("interrupted")
    finally:
        b.spawner.close()
        for server in servers.values():
            server.drop_all()
            left = server.leftovers(f"bench_{os.getpid()}_")
            if left:
                b.fail(f"{server.kind}: databases left behind: {', '.join(left)}")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    finished = datetime.datetime.now(datetime.timezone.utc)
    log(f"done in {(time.monotonic() - clock) / 60:.1f} minutes")
    b.info["load"] = (load_start, os.getloadavg()[0])

    report = Report(b, started, finished, servers, machine(), version_info).render()
    if output:
        output.write_text(report)
        log(f"wrote {output}")
    else:
        targets = report.split("## Targets", 1)[1].split("## Machine", 1)[0]
        print("## Targets" + targets.rstrip())
    if b.failures:
        log(f"{len(b.failures)} failure(s):")
        for failure in b.failures:
            print(failure, file=sys.stderr)
        return 1
    log("every tool finished and left the expected schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
