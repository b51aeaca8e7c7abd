"""The workloads: one abstract description each, and the schema each version leaves."""
from __future__ import annotations

import copy


# =====================================================================================================
# The workloads: one abstract description each
# =====================================================================================================
# An operation is a dict: {"op": kind, ...}. Kinds: create_table(table, columns: {name: (type, null)}; an
# integer key "id" first; migrator's specs only, the fleet workload), add_column(table, column, type, null, default),
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


def fleet_versions(count):
    """A tenant's history (the fleet workload): two tables and an index in the first version, then each version
    adds a column to one of them, every second one indexes it, every third one adds a NOT NULL flag with a
    default (20 versions: 38 operations). The tables start empty: a fleet's time is per version, not per row."""
    versions = [[
        {"op": "create_table", "table": "account",
         "columns": {"name": ("varchar", False), "email": ("varchar", True), "created_at": ("datetime", False)}},
        {"op": "create_table", "table": "invoice",
         "columns": {"account_id": ("integer", False), "amount": ("integer", False), "note": ("text", True),
                     "created_at": ("datetime", False)}},
        {"op": "add_index", "table": "invoice", "columns": ["account_id"], "name": "ix_invoice_account_id"},
    ]]
    types = ("integer", "varchar", "text", "datetime", "real")
    for i in range(2, count + 1):
        table, column = ("account", "invoice")[i % 2], f"c{i}"
        ops = [{"op": "add_column", "table": table, "column": column, "type": types[i % len(types)], "null": True}]
        if i % 2 == 0:
            ops.append({"op": "add_index", "table": table, "columns": [column], "name": f"ix_{table}_{column}"})
        if i % 3 == 0:
            ops.append({"op": "add_column", "table": table, "column": f"flag{i}", "type": "integer", "null": False,
                        "default": 0})
        versions.append(ops)
    return versions


def simulate(schema, ops):
    """The schema after `ops`."""
    schema = copy.deepcopy(schema)
    for op in ops:
        if op["op"] == "create_table":
            schema[op["table"]] = base_table(op["columns"])
            continue
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
