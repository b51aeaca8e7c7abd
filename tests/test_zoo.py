"""The schema zoo: every action that can touch each zoo table, applied and rolled back on every backend,
checked with the backend's own catalog and the rows, not with migrator's reader.

The zoo (tests/zoo.py) is made by raw DDL, as a DBA would, then adopted: an empty v1.0.0 and
`migrator baseline v1.0.0`. Each case is one v1.1.0 written over the last, run against the zoo:

- a case expected to run: `verify` (exit 0, "reversible"), `migrate` (exit 0), the change visible in the
  catalog, `status --json` without drift, `rollback v1.0.0` (exit 0), then the catalog and every row exactly
  as before, no drift, nothing of migrator's own left behind;
- a case expected to be refused up front: `validate`, `plan` and `migrate` each exit 1 with a message
  naming what stands in the way (a view, constraint, index or trigger), and the catalog and rows unchanged.

One zoo per backend serves all its cases (module scope). A case that leaves the database in any other state
than it found it marks the zoo dirty, and the next case gets a freshly built one, so a failure never
spills into the cases after it.
"""
import json
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

import catalog as cat
import zoo as zoo_ddl
from conftest import make_database, run_main, settings_from_flags_only, snapshot

from migrator.history import LAYOUT_TABLE

S, P, M = "sqlite", "postgres", "mysql"
ALL = (S, P, M)
SP = (S, P)
BIGINT = {S: "int", P: "bigint", M: "bigint"}  # Peewee's BigIntegerField is INTEGER on SQLite


# -- operations, as spec entries ------------------------------------------------------------------

def add_column(table, column, field):
    return [{"action": "add_column", "table": table, "column_name": column, "field": field}]


def drop_column(table, column):
    return [{"action": "drop_column", "table": table, "column_name": column}]


def rename_column(table, old, new):
    return [{"action": "rename_column", "table": table, "old_name": old, "new_name": new}]


def add_not_null(table, column):
    return [{"action": "add_not_null", "table": table, "column": column}]


def drop_not_null(table, column):
    return [{"action": "drop_not_null", "table": table, "column": column}]


def rename_table(old, new):
    return [{"action": "rename_table", "old_name": old, "new_name": new}]


def add_index(table, columns, unique=False, name=None):
    op = {"action": "add_index", "table": table, "columns": list(columns), "unique": unique}
    return [{**op, "name": name} if name else op]


def drop_index(table, name):
    return [{"action": "drop_index", "table": table, "index_name": name}]


def shaped_index(table, **params):
    """add_index with an order, a WHERE or expressions (issue 16)."""
    return [{"action": "add_index", "table": table, **params}]


def rename_index(table, old, new):
    return [{"action": "rename_index", "table": table, "old_name": old, "new_name": new}]


def drop_table(*tables):
    """Drop each table in turn (a referencing table first, then the one it references)."""
    return [{"action": "drop_table", "table": table} for table in tables]


def alter_type(table, column, field):
    return [{"action": "alter_column_type", "table": table, "column": column, "field": field}]


def add_default(table, column, default):
    return [{"action": "add_default", "table": table, "column": column, "default": default}]


def drop_default(table, column):
    return [{"action": "drop_default", "table": table, "column": column}]


def add_check(table, name, check):
    return [{"action": "add_check", "table": table, "name": name, "check": check}]


def drop_check(table, name):
    return [{"action": "drop_check", "table": table, "name": name}]


def add_unique(table, columns, name=None):
    op = {"action": "add_unique", "table": table, "columns": list(columns)}
    return [{**op, "name": name} if name else op]


def drop_unique(table, name):
    return [{"action": "drop_unique", "table": table, "name": name}]
def add_foreign_key(table, columns, ref_table, **more):
    return [{"action": "add_foreign_key", "table": table, "columns": list(columns), "ref_table": ref_table, **more}]


def drop_foreign_key(table, columns):
    return [{"action": "drop_foreign_key", "table": table, "columns": list(columns)}]


# -- expectations: what the catalog shows once the version is applied --------------------------------
# Each check takes the Run (backend, catalog before and after migrate, the database) and returns problems.

def column_is(table, name, type=None, null=None, default="any", references=None, same_type_as=None, rows=None):
    """The column is there after migrate, with what is given: its type (one spelling for all backends, see
    catalog.plain_type; or {backend: type}), nullability, default (a plain value, None for none), the
    column its foreign key references, the type of the key it references, and the value every row holds."""
    def check(run):
        c = cat.column(run.applied, table, name)
        if c is None:
            return [f"{table}.{name} is not in the catalog after migrate"]
        found = []
        expected = type.get(run.zoo.backend) if isinstance(type, dict) else type
        if expected and cat.plain_type(c["type"]) != expected:
            found.append(f"{table}.{name} has type {c['type']}, expected {expected}")
        if null is not None and c["null"] != null:
            found.append(f"{table}.{name} is {'NULL' if c['null'] else 'NOT NULL'}, expected "
                         f"{'NULL' if null else 'NOT NULL'}")
        if default != "any" and cat.plain_default(c["default"]) != default:
            found.append(f"{table}.{name} has default {c['default']!r}, expected {default!r}")
        if references and cat.foreign_key(run.applied, table, name) != references:
            found.append(f"{table}.{name} references {cat.foreign_key(run.applied, table, name)}, "
                         f"expected a foreign key to {references}")
        if same_type_as:
            key = cat.column(run.applied, *same_type_as.split("."))
            if cat.plain_type(c["type"]) != cat.plain_type(key["type"]):
                found.append(f"{table}.{name} has type {c['type']}, but the key it references, {same_type_as}, "
                             f"is {key['type']} (a foreign key takes the referenced key's type, as in Peewee)")
        if rows is not None:
            values = {v for v, in run.query(f"SELECT {run.q(name)} FROM {run.q(table)}")}
            if values != {rows}:
                found.append(f"{table}.{name} holds {sorted(values, key=repr)}, expected {rows!r} in every row")
        return found
    return check


added = column_is


def dropped(table, name):
    def check(run):
        still = cat.column(run.applied, table, name)
        return [f"{table}.{name} is still in the catalog after migrate"] if still else []
    return check


def renamed(table, old, new):
    """The column has its new name, in its old place, with its old type, nullability and default."""
    def check(run):
        before = [c["name"] for c in cat.columns(run.before, table)]
        after = [c["name"] for c in cat.columns(run.applied, table)]
        expected = [new if n == old else n for n in before]
        if after != expected:
            return [f"{table} columns are {after}, expected {expected}"]
        was, now = cat.column(run.before, table, old), cat.column(run.applied, table, new)
        return [] if {**was, "name": new} == now else [f"{table}.{old} was {was}, {table}.{new} is {now}"]
    return check


def nullable(table, name, null):
    return column_is(table, name, null=null)


def type_is(table, name, type):
    return column_is(table, name, type=type)


def default_is(table, name, default):
    return column_is(table, name, default=default)


def index_added(table, name):
    def check(run):
        return [] if name in cat.index_names(run.applied, table) else [f"no index {name} on {table} after migrate"]
    return check


def index_renamed(table, old, new):
    def check(run):
        names = cat.index_names(run.applied, table)
        return [] if new in names and old not in names else [f"indexes of {table} after migrate: {sorted(names)}"]
    return check


def index_gone(table, name):
    def check(run):
        still = name in cat.index_names(run.applied, table)
        return [f"index {name} is still on {table} after migrate"] if still else []
    return check


def tables_gone(*names):
    def check(run):
        left = [n for n in names if n in cat.table_names(run.applied)]
        return [f"tables {left} are still there after migrate"] if left else []
    return check


def table_renamed(old, new):
    def check(run):
        tables = cat.table_names(run.applied)
        if old in tables or new not in tables:
            return [f"after migrate the tables are {sorted(tables)}, expected {old} renamed to {new}"]
        before = [c["name"] for c in cat.columns(run.before, old)]
        after = [c["name"] for c in cat.columns(run.applied, new)]
        return [] if before == after else [f"{new} has columns {after}, {old} had {before}"]
    return check


def constraint_named(table, name, present=True):
    """A CHECK or UNIQUE constraint of this name is (or is not) in the backend's own catalog after migrate:
    pg_constraint, MariaDB's CHECK_CONSTRAINTS or its unique key, SQLite's table text."""
    def check(run):
        found = run.applied["tables"][table]
        if run.zoo.backend == "postgres":
            there = name in found["constraints"]
        elif run.zoo.backend == "mysql":
            there = name in found["checks"] or name in found["statistics"]
        else:
            there = f'CONSTRAINT "{name}"' in run.applied["master"][f"table {table}"]["sql"]
        return [] if there == present else [f"constraint {name} is {'not ' if present else ''}on {table} after "
                                            "migrate"]
    return check


def key_gone(table, name):
    def check(run):
        found = cat.foreign_key(run.applied, table, name)
        return [f"{table}.{name} still references {found} after migrate"] if found else []
    return check


def key_is(table, name, references):
    def check(run):
        found = cat.foreign_key(run.applied, table, name)
        return [] if found == references else [f"{table}.{name} references {found}, expected {references}"]
    return check


@dataclass(frozen=True)
class Refused:
    """Expected to be refused before anything runs, with a message naming these."""
    names: tuple


def refused(*names):
    return Refused(names)


# -- the cases ------------------------------------------------------------------------------------
# (backends, table, operations, expectation). Identifiers are made from the table, action and what it names.

CASES = [
    # backends, table, operations (v1.1.0), expectation
    # -- no primary key: duplicate rows, NULLs in every nullable column
    (ALL, "event_log", add_column("event_log", "extra", "CharField(max_length=30, null=True)"),
     added("event_log", "extra", type="varchar(30)", null=True)),
    (ALL, "event_log", add_column("event_log", "device_id", "ForeignKeyField('device', field='id', null=True)"),
     added("event_log", "device_id", null=True, references="device.id", same_type_as="device.id")),
    (ALL, "event_log", drop_column("event_log", "label"), dropped("event_log", "label")),
    (ALL, "event_log", rename_column("event_log", "note", "comment"), renamed("event_log", "note", "comment")),
    (ALL, "event_log", add_not_null("event_log", "camera"), refused("event_log.camera", "NULL")),
    (ALL, "event_log", alter_type("event_log", "camera", "CharField(max_length=60)"),
     type_is("event_log", "camera", "varchar(60)")),
    (ALL, "event_log", rename_table("event_log", "event_history"), table_renamed("event_log", "event_history")),
    (ALL, "event_log", drop_table("event_log"), tables_gone("event_log")),

    # -- composite primary key (camera, ts)
    (ALL, "timeline", add_column("timeline", "segment_id", "ForeignKeyField('reviewsegment', field='id', null=True)"),
     added("timeline", "segment_id", null=True, references="reviewsegment.id", same_type_as="reviewsegment.id")),
    (ALL, "timeline", drop_column("timeline", "detail"), dropped("timeline", "detail")),
    # a column of the composite key: the key could not come back as it was, so it is refused up front
    (ALL, "timeline", drop_column("timeline", "ts"), refused("timeline.ts", "primary key")),
    (ALL, "timeline", rename_column("timeline", "ts", "at"), renamed("timeline", "ts", "at")),
    (ALL, "timeline", alter_type("timeline", "ts", "BigIntegerField()"), type_is("timeline", "ts", BIGINT)),
    (ALL, "timeline", add_index("timeline", ["kind"]), index_added("timeline", "timeline_kind")),
    (ALL, "timeline", drop_table("timeline"), tables_gone("timeline")),

    # -- keyed by text, VARCHAR(30); referenced by detection.segment_id
    (SP, "reviewsegment", alter_type("reviewsegment", "id", "CharField(max_length=60)"),  # the key, referenced
     type_is("reviewsegment", "id", "varchar(60)")),
    # MariaDB cannot change the type of a key a foreign key points to (error 1833, even with the checks off)
    ((M,), "reviewsegment", alter_type("reviewsegment", "id", "CharField(max_length=60)"),
     refused("reviewsegment.id", "detection_segment_fk")),
    (ALL, "reviewsegment", drop_column("reviewsegment", "data"), dropped("reviewsegment", "data")),
    (ALL, "reviewsegment", rename_column("reviewsegment", "thumb_path", "thumbnail"),
     renamed("reviewsegment", "thumb_path", "thumbnail")),
    (ALL, "reviewsegment", drop_default("reviewsegment", "severity"), default_is("reviewsegment", "severity", None)),
    (ALL, "reviewsegment", drop_index("reviewsegment", "reviewsegment_camera_start"),
     index_gone("reviewsegment", "reviewsegment_camera_start")),
    (ALL, "reviewsegment", rename_table("reviewsegment", "review_segment"),
     table_renamed("reviewsegment", "review_segment")),
    (ALL, "reviewsegment", drop_table("detection", "reviewsegment"), tables_gone("detection", "reviewsegment")),

    # -- keyed by a UUID; referenced by detection.device_id
    (ALL, "device", drop_column("device", "secret"), dropped("device", "secret")),  # bytes
    (ALL, "device", drop_column("device", "ratio"), dropped("device", "ratio")),  # floats, NaN on PostgreSQL
    (ALL, "device", add_not_null("device", "registered"), nullable("device", "registered", False)),
    (ALL, "device", rename_column("device", "name", "label"), renamed("device", "name", "label")),
    (M, "device", drop_column("device", "name"), dropped("device", "name")),  # under the prefix index
    (M, "device", drop_index("device", "device_name_prefix"), index_gone("device", "device_name_prefix")),
    (ALL, "device", drop_table("detection", "device"), tables_gone("detection", "device")),

    # -- foreign keys to the text key (ON DELETE CASCADE) and to the UUID key
    (ALL, "detection", drop_column("detection", "segment_id"), dropped("detection", "segment_id")),
    (ALL, "detection", drop_column("detection", "device_id"), dropped("detection", "device_id")),

    # -- expression, partial and DESC indexes, a view (uses end_time), a trigger (uses path)
    # the expression and the partial index go with the column, and come back with it
    (SP, "rec", drop_column("rec", "camera"), dropped("rec", "camera")),
    (SP, "rec", drop_column("rec", "motion"), dropped("rec", "motion")),
    (SP, "rec", drop_column("rec", "path"), refused("rec_guard")),
    (ALL, "rec", drop_column("rec", "end_time"), refused("rec_view")),
    (ALL, "rec", drop_table("rec"), refused("rec_view")),
    (M, "rec", rename_table("rec", "recording"), refused("rec_view")),
    (M, "rec", rename_column("rec", "end_time", "finished"), refused("rec_view")),
    (SP, "rec", rename_table("rec", "recording"), table_renamed("rec", "recording")),
    (SP, "rec", rename_column("rec", "end_time", "finished"), renamed("rec", "end_time", "finished")),
    (ALL, "rec", drop_column("rec", "start_time"), dropped("rec", "start_time")),  # under the DESC index
    (SP, "rec", drop_index("rec", "rec_expr"), index_gone("rec", "rec_expr")),
    (SP, "rec", drop_index("rec", "rec_partial"), index_gone("rec", "rec_partial")),
    (ALL, "rec", drop_index("rec", "rec_desc"), index_gone("rec", "rec_desc")),
    (ALL, "rec", alter_type("rec", "motion", "BigIntegerField(null=True)"), type_is("rec", "motion", BIGINT)),
    # a single-column key: rollback could not match the kept values to the rows without it
    (ALL, "rec", drop_column("rec", "id"), refused("rec.id", "primary key")),

    # -- self-referencing foreign key; a child with a lower id than its parent
    (ALL, "category", add_column("category", "sibling_id", "ForeignKeyField('category', null=True)"),
     added("category", "sibling_id", null=True, references="category.id", same_type_as="category.id")),
    (ALL, "category", drop_column("category", "parent_id"), dropped("category", "parent_id")),
    (ALL, "category", rename_table("category", "categories"), table_renamed("category", "categories")),
    (ALL, "category", drop_table("category"), tables_gone("category")),

    # -- reserved word; UNIQUE (tenant, name); referenced by order.user_id
    # the UNIQUE (tenant, name) goes with the column and comes back, where it is an index (PostgreSQL's
    # constraint has one); SQLite keeps it only in the table's text, which a rebuild cannot carry without it
    ((P, M), "user", drop_column("user", "tenant"), dropped("user", "tenant")),
    ((S,), "user", drop_column("user", "tenant"), refused("user.tenant", "user_tenant_name_key")),
    (ALL, "user", rename_column("user", "tenant", "org"), renamed("user", "tenant", "org")),
    (ALL, "user", alter_type("user", "name", "CharField(max_length=60)"), type_is("user", "name", "varchar(60)")),
    (ALL, "user", add_index("user", ["email"], unique=True), index_added("user", "user_email")),
    (ALL, "user", rename_table("user", "account"), table_renamed("user", "account")),

    # -- reserved word; CHECK (quantity > 0); a column named "group"
    (ALL, "order", drop_column("order", "quantity"), refused("order_qty_positive")),
    (ALL, "order", rename_column("order", "group", "team"), renamed("order", "group", "team")),
    (ALL, "order", alter_type("order", "quantity", "BigIntegerField()"), type_is("order", "quantity", BIGINT)),
    (ALL, "order", add_default("order", "group", "none"), default_is("order", "group", "none")),
    (ALL, "order", drop_column("order", "user_id"), dropped("order", "user_id")),
    (ALL, "order", drop_table("order"), tables_gone("order")),

    # -- mixed case: "MixedCase", "CamelCol", "Score", "MixedCase_Score_idx"
    (ALL, "MixedCase", add_column("MixedCase", "Priority", "IntegerField(default=5)"),
     added("MixedCase", "Priority", type="int", null=False, default=None, rows=5)),
    (ALL, "MixedCase", rename_column("MixedCase", "CamelCol", "camel_col"),
     renamed("MixedCase", "CamelCol", "camel_col")),
    (ALL, "MixedCase", add_not_null("MixedCase", "CamelCol"), nullable("MixedCase", "CamelCol", False)),
    (ALL, "MixedCase", drop_column("MixedCase", "Score"), dropped("MixedCase", "Score")),
    (ALL, "MixedCase", drop_index("MixedCase", "MixedCase_Score_idx"), index_gone("MixedCase", "MixedCase_Score_idx")),
    (ALL, "MixedCase", rename_table("MixedCase", "OtherCase"), table_renamed("MixedCase", "OtherCase")),
    (ALL, "MixedCase", drop_table("MixedCase"), tables_gone("MixedCase")),

    # -- reserved word; identity / AUTOINCREMENT / AUTO_INCREMENT, its counter ahead of max(id); a column "user"
    (ALL, "group", drop_column("group", "user"), dropped("group", "user")),
    (ALL, "group", drop_not_null("group", "label"), nullable("group", "label", True)),
    (ALL, "group", rename_table("group", "team"), table_renamed("group", "team")),
    (ALL, "group", drop_table("group"), tables_gone("group")),

    # -- CHECK and UNIQUE constraints, added and dropped (a NULL price passes a check, as on every backend)
    (ALL, "order", add_check("order", "order_price_not_negative", "price >= 0"),
     constraint_named("order", "order_price_not_negative")),
    (ALL, "order", drop_check("order", "order_qty_positive"), constraint_named("order", "order_qty_positive", False)),
    (ALL, "group", add_check("group", "group_label_set", "label <> ''"), refused("group_label_set", "1 row")),
    (ALL, "user", drop_unique("user", "user_tenant_name_key"),
     constraint_named("user", "user_tenant_name_key", False)),
    (ALL, "MixedCase", add_unique("MixedCase", ["CamelCol"]), constraint_named("MixedCase", "MixedCase_CamelCol")),
    (ALL, "event_log", add_unique("event_log", ["camera", "label"]), refused("event_log", "1 duplicated value")),
    # -- rename_index: every kind of index, reserved-word and mixed-case tables (issue 16)
    (ALL, "rec", rename_index("rec", "rec_desc", "rec_latest"), index_renamed("rec", "rec_desc", "rec_latest")),
    (SP, "rec", rename_index("rec", "rec_expr", "rec_camera_lower"),
     index_renamed("rec", "rec_expr", "rec_camera_lower")),
    (SP, "rec", rename_index("rec", "rec_partial", "rec_busy"), index_renamed("rec", "rec_partial", "rec_busy")),
    (SP, "order", rename_index("order", "order_user_id", "order_buyer"),  # MariaDB's is the key's own index
     index_renamed("order", "order_user_id", "order_buyer")),
    (ALL, "MixedCase", rename_index("MixedCase", "MixedCase_Score_idx", "MixedCase_Points"),
     index_renamed("MixedCase", "MixedCase_Score_idx", "MixedCase_Points")),
    # -- add_index with an order, a WHERE, expressions (issue 16)
    (ALL, "rec", shaped_index("rec", columns=["camera", {"column": "end_time", "order": "desc"}]),
     index_added("rec", "rec_camera_end_time")),
    (SP, "rec", shaped_index("rec", expressions=["lower(path)"], where="motion > 0", name="rec_path_lower"),
     index_added("rec", "rec_path_lower")),
    (SP, "MixedCase", shaped_index("MixedCase", columns=["Score"], expressions=['lower("CamelCol")'], unique=True,
                                   where='"Score" > 0', name="MixedCase_lower"),
     index_added("MixedCase", "MixedCase_lower")),
    # -- foreign keys added and dropped: written in the column (SQLite, PostgreSQL) or named (MySQL), to a text
    # key with ON DELETE CASCADE, to a UUID key, self-referencing, between reserved-word and mixed-case tables
    (ALL, "detection", drop_foreign_key("detection", ["segment_id"]), key_gone("detection", "segment_id")),
    (ALL, "detection", drop_foreign_key("detection", ["device_id"]) + add_foreign_key(
        "detection", ["device_id"], "device", name="Detection_Device", on_delete="SET NULL"),
     key_is("detection", "device_id", "device.id")),
    (ALL, "reviewsegment", drop_foreign_key("detection", ["segment_id"]) + drop_table("reviewsegment"),
     tables_gone("reviewsegment")),
    (ALL, "category", drop_foreign_key("category", ["parent_id"]), key_gone("category", "parent_id")),
    (ALL, "timeline", add_foreign_key("timeline", ["source_id"], "category"),
     refused("timeline.source_id: 2 rows point to no row of category.id (values 0, 5)")),
    (ALL, "MixedCase", add_foreign_key("MixedCase", ["Score"], "group"),
     refused("MixedCase.Score: 2 rows point to no row of group.id (values -1, 0)")),
    (ALL, "order", drop_foreign_key("order", ["user_id"]) + add_foreign_key(
        "order", ["user_id"], "user", name="Order_User", on_delete="CASCADE"), key_is("order", "user_id", "user.id")),
    (ALL, "order", add_foreign_key("order", ["user_id"], "user", name="order_user_again"),
     refused("order.user_id has a foreign key to user.id already")),
]


def _case_id(operations):
    first = operations[0]
    what = (first.get("column_name") or first.get("column") or first.get("old_name") or first.get("index_name")
            or "_".join(c if isinstance(c, str) else c["column"] for c in first.get("columns", []))
            or first.get("name"))
    tables = "+".join(op.get("table", "") for op in operations if op["action"] == "drop_table")
    table = first.get("table") or first.get("old_name")
    return f"{first['action']}-{tables}" if tables else f"{table}-{first['action']}-{what}"


def _params():
    params, seen = [], set()
    for backend in ALL:
        for backends, table, operations, expectation in CASES:
            if backend not in backends:
                continue
            case_id = f"{backend}-{_case_id(operations)}"
            assert case_id not in seen, f"two cases named {case_id}"
            seen.add(case_id)
            params.append(pytest.param(backend, table, operations, expectation, id=case_id))
    return params


# -- one zoo per backend --------------------------------------------------------------------------------

VERIFIED = re.compile(r"^v1\.1\.0\s+reversible$", re.M)


class Zoo:
    def __init__(self, backend, folder):
        self.backend, self.folder = backend, Path(folder)
        self.specs = self.folder / "specs"
        self.specs.mkdir()
        self.database, self._drop, self.builds = None, None, 0
        self.dirty = True

    def build(self):
        """A fresh database with the zoo, adopted at v1.0.0."""
        self.close()
        self.builds += 1
        place = self.folder / f"build{self.builds}"
        place.mkdir()
        self.database, self._drop = make_database(self.backend, place)
        zoo_ddl.build(self.database)
        (self.specs / "v1.1.0.json").unlink(missing_ok=True)
        (self.specs / "v1.0.0.json").write_text(json.dumps({"description": "the zoo, adopted", "operations": []}))
        code, out, err = self.run("baseline", "v1.0.0", "--force")  # no spec makes the zoo
        assert code == 0, f"baseline failed: {code} {out} {err}"
        self.dirty = False

    def close(self):
        if self._drop:
            self._drop()
        self._drop = None

    def write_version(self, operations):
        (self.specs / "v1.1.0.json").write_text(json.dumps({"description": "zoo case", "operations": operations}))

    def run(self, *args):
        """`migrator ARGS` in-process against the zoo: (exit code, stdout, stderr); a traceback is exit None."""
        with pytest.MonkeyPatch.context() as patch:
            settings_from_flags_only(patch, self.folder)
            return run_main(*args, "--database-url", self.database.url, "--specs-dir", self.specs, crash=crashed)

    def read(self):
        """(catalog, rows, every table's name)."""
        return (*snapshot(self.database, catalog=True), self.database.tables())


def crashed(error):
    """A defect: migrator lets no expected error show a traceback. Exit None, and where it happened."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if "/migrator/" in f.filename.replace("\\", "/")]
    shown = [frames[-1]] + [f for f in own[-1:] if f is not frames[-1]]  # and migrator's last
    where = ", from ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in shown)
    return None, f"crashed with a traceback: {type(error).__name__}: {error} (at {where})\n"


@pytest.fixture(scope="module")
def zoos(tmp_path_factory):
    made = {}

    def get(backend):
        if backend not in made:
            made[backend] = Zoo(backend, tmp_path_factory.mktemp(f"zoo-{backend}"))
        zoo = made[backend]
        if zoo.dirty:
            zoo.build()
        return zoo

    yield get
    for zoo in made.values():
        zoo.close()


@dataclass
class Run:
    """What a check sees: the backend, the catalog before and after migrate, and the database."""
    zoo: Zoo
    before: dict
    applied: dict = None

    def q(self, name):
        return f"`{name}`" if self.zoo.backend == "mysql" else f'"{name}"'

    def query(self, sql):
        return self.zoo.database.query(sql)


def _said(code, out, err):
    text = (out + err).strip()
    return f"exit {code}" + (":\n" + "\n".join("    " + line for line in text.splitlines()) if text else "")


def _left_as_found(zoo, before, before_rows, when, column_moved=None):
    """Problems if the database is not as `before` (catalog, rows, no table of migrator's own, history at
    v1.0.0); a zoo left as found is clean, and the next case can have it without a rebuild. `column_moved`: a
    table whose column order may differ (PostgreSQL adds a column last, as the README says)."""
    now, now_rows, every = zoo.read()
    found = cat.differences(before, now) + cat.differences(before_rows, now_rows)
    if column_moved:
        found = [d for d in found if not d.startswith(f"tables.{column_moved}.column_order")]
    # MariaDB lists a foreign key's own index where the server makes it: after the others once the key comes back
    # (README: "the order of index lines in SHOW CREATE TABLE"); STATISTICS and every line are still compared.
    found = [d for d in found if not (zoo.backend == "mysql" and d.split(" ")[0].endswith(".create")
                                      and "[order only" in d.splitlines()[0])]
    left = [t for t in every if t.startswith("_migrator_") and t != LAYOUT_TABLE]  # the layout's record lasts
    if left:
        found.append(f"tables of migrator's own left behind: {left}")
    history = zoo.database.history()
    if history != [("v1.0.0", "applied")]:
        found.append(f"history is {history}, expected only v1.0.0 applied")
    zoo.dirty = bool(found)
    return [f"{when}, the database is not as it was:\n" + "\n".join("    " + d for d in found)] if found else []


def _no_drift(zoo, when):
    code, out, err = zoo.run("status", "--json")
    if code != 0:
        return [f"status --json {when}: {_said(code, out, err)}"]
    drift = json.loads(out)["drift"]
    return [] if drift is None else [f"status --json {when} shows drift: {json.dumps(drift)}"]


@pytest.mark.parametrize("backend, table, operations, expectation", _params())
def test_zoo(zoos, backend, table, operations, expectation):
    zoo = zoos(backend)
    zoo.dirty = True  # until the case shows it left the zoo as it found it
    zoo.write_version(operations)
    before, before_rows, _ = zoo.read()
    run = Run(zoo, before)
    problems = []

    if isinstance(expectation, Refused):
        for command in ("validate", "plan", "migrate"):
            code, out, err = zoo.run(command)
            missing = [name for name in expectation.names if name not in out + err]
            if code != 1 or missing:
                problems.append(f"{command}: expected exit 1 naming {', '.join(expectation.names)}; got "
                                + _said(code, out, err))
        problems += _left_as_found(zoo, before, before_rows, "after the refused version")
    else:
        code, out, err = zoo.run("verify")
        if code != 0 or not VERIFIED.search(out):
            problems.append(f"verify: expected exit 0 and 'v1.1.0 reversible'; got {_said(code, out, err)}")

        code, out, err = zoo.run("migrate")
        if code != 0:
            problems.append(f"migrate: {_said(code, out, err)}")
            problems += _left_as_found(zoo, before, before_rows, "after the failed migrate")
            pytest.fail("\n".join(problems), pytrace=False)
        run.applied = zoo.read()[0]
        problems += expectation(run)
        problems += _no_drift(zoo, "after migrate")

        code, out, err = zoo.run("rollback", "v1.0.0")
        if code != 0:
            problems.append(f"rollback v1.0.0: {_said(code, out, err)}")
            pytest.fail("\n".join(problems), pytrace=False)
        moved = table if backend == "postgres" and operations[0]["action"] == "drop_column" else None
        problems += _left_as_found(zoo, before, before_rows, "after rollback", moved)
        problems += _no_drift(zoo, "after rollback")

    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
