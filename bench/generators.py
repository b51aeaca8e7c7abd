"""Generators: one description, each tool's own files (migrator JSON specs, plain SQL and its runner,
playhouse.migrations scripts, Alembic revisions). The programs they copy are in bench/programs/."""
from __future__ import annotations

import json
import shutil
import subprocess

from common import PROGRAMS, PY
from workloads import inverse, simulate, walk


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


# The operations that have a safe form on PostgreSQL (CONCURRENTLY, NOT VALID then VALIDATE, on a table with
# rows, outside the version's transaction) and a plain one (`"online": false`, in the version's transaction).
SAFE_FORM_ACTIONS = ("add_index", "drop_index", "add_not_null", "add_foreign_key")


def gen_migrator(versions, folder, plain_forms=False, online=None):
    """migrator's JSON specs, one file per version. `plain_forms`: every operation with a safe form says
    `"online": false`, so that migrator runs the same plain DDL in the version's transaction as the peers
    (W3); without it, what a user gets by default. `online`: said on every operation (the fleet: `false`)."""
    folder.mkdir(parents=True)
    for i, ops in enumerate(versions, 1):
        operations = []
        for op in ops:
            kind, t = op["op"], op["table"]
            if kind == "create_table":  # the `id` key comes first by itself
                columns = {name: peewee_field(type_, True if null else None)
                           for name, (type_, null) in op["columns"].items()}
                operations.append({"action": "create_table", "table": t, "columns": columns})
            elif kind == "add_column":
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
        if plain_forms:
            for operation in operations:
                if operation["action"] in SAFE_FORM_ACTIONS:
                    operation["online"] = False
        if online is not None:
            for operation in operations:
                operation["online"] = online
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
    shutil.copyfile(PROGRAMS / "alembic.ini", folder / "alembic.ini")
    shutil.copyfile(PROGRAMS / "alembic_env.py", folder / "env.py")
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
