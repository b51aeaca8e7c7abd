"""Stored inverses are a contract with existing databases.

Every history row holds the inverse of its version as JSON (and an unfinished MySQL/MariaDB run its journal), and
rollback and repair replay it, possibly releases later. tests/golden/stored_inverses.json holds stored steps of every
stored action exactly as real runs wrote them, on each backend where the form differs, by today's code (steps marked
with the operation they undo) and by release 0.1 (no marks, keys sorted). Each must load into the operation it
always meant, and today's code must write it back the same. The golden file is a record, never regenerated: a new
stored action or form needs a new entry, copied by hand from a real run.
"""
import json
from collections import Counter
from dataclasses import MISSING, FrozenInstanceError, field as dc_field, fields, make_dataclass, replace
from pathlib import Path

import pytest

from conftest import ok
from migrator.fields import FieldSpec
from migrator.operations import (
    STORED_ACTIONS, AddCheck, AddColumn, AddDefault, AddForeignKey, AddIndex, AddNotNull, AddTrigger, AddUnique,
    AlterColumnType, CreateTable, DataNotKept, DropCheck, DropColumn, DropDefault, DropForeignKey, DropIndex,
    DropNotNull, DropTable, DropTrigger, DropUnique, Irreversible, Python, RenameColumn, RenameIndex, RenameTable,
    RestoreCheck, RestoreData, Sql, from_dict, load_stored, stored_form, undoing,
)

GOLDEN = json.loads((Path(__file__).resolve().parent / "golden" / "stored_inverses.json").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in GOLDEN["steps"]}
F = FieldSpec.make


def undoes(index, action):
    return {"operation": index, "action": action}


LOGGED_COLUMNS = (("id", F("AutoField")), ("n", F("IntegerField", null=False)),
                  ("tag", F("CharField", max_length=10, null=False)))

# golden step name -> (the operation it must load as, the operation of its version it undoes: None before 0.3)
EXPECTED = {
    # -- today's code -----------------------------------------------------------------------------------------
    "add_column/sqlite": (AddColumn("customer", "status", F("CharField", max_length=20, null=True), after="full_name",
                                    definition=(' "status" VARCHAR(20) NOT NULL',)), undoes(10, "drop_column")),
    "add_column/mysql": (AddColumn("customer", "status", F("CharField", max_length=20, null=True), after="full_name",
                                   definition="\n  `status` varchar(20) NOT NULL"), undoes(10, "drop_column")),
    "add_column/postgres": (AddColumn("customer", "status", F("CharField", max_length=20, null=True)),
                            undoes(10, "drop_column")),
    "drop_column": (DropColumn("customer", "phone"), undoes(0, "add_column")),
    "rename_column": (RenameColumn("customer", "full_name", "name"), undoes(1, "rename_column")),
    "add_not_null": (AddNotNull("customer", "email"), undoes(2, "drop_not_null")),
    "add_not_null/postgres-fill": (AddNotNull("customer", "status", placeholder=True), undoes(10, "drop_column")),
    "drop_not_null": (DropNotNull("customer", "status"), undoes(3, "add_not_null")),
    "rename_table": (RenameTable("legacy2", "legacy"), undoes(6, "rename_table")),
    "add_index/sqlite": (AddIndex("customer", ("full_name",), name="customer_name",
                                  definition='CREATE INDEX "customer_name" ON "customer" ("full_name")'),
                         undoes(7, "drop_index")),
    # an expression index: SQLite's catalog names no column for it
    "add_index/sqlite-expression": (AddIndex("customer", (None,), name="customer_email_lower",
                                             definition="CREATE INDEX customer_email_lower ON customer (lower(email))"),
                                    undoes(8, "drop_index")),
    "add_index/postgres": (AddIndex("customer", ("full_name",), name="customer_name"), undoes(7, "drop_index")),
    "add_index/postgres-expression": (
        AddIndex("customer", ("lower(email::text)",), name="customer_email_lower",
                 definition="CREATE INDEX customer_email_lower ON customer USING btree (lower((email)::text))"),
        undoes(8, "drop_index")),
    "add_index/postgres-constraint": (AddIndex("customer", ("code",), unique=True, name="customer_code_key",
                                               constraint=True), undoes(14, "drop_index")),
    "add_index/mysql-prefix": (AddIndex("customer", ("email",), name="customer_email_lower",
                                        definition="CREATE INDEX `customer_email_lower` ON `customer` (`email`(10))"),
                               undoes(8, "drop_index")),
    "drop_index": (DropIndex("customer", "customer_email_uniq"), undoes(12, "add_index")),
    # indexes with an order or a WHERE (add_index's 'where', a DESC column): the backend's own definition
    "add_index/sqlite-partial-desc": (AddIndex("person", ("start_time",), name="person_recent", definition=(
        'CREATE INDEX "person_recent" ON "person" ("start_time" DESC) WHERE active = 1')), undoes(1, "drop_index")),
    "add_index/postgres-partial": (AddIndex("person", ("camera",), name="person_recent", definition=(
        "CREATE INDEX person_recent ON person USING btree (camera) WHERE (active = 1)")), undoes(1, "drop_index")),
    "add_index/mysql-desc": (AddIndex("person", ("camera", "start_time"), name="person_recent", definition=(
        "CREATE INDEX `person_recent` ON `person` (`camera`, `start_time` DESC)")), undoes(1, "drop_index")),
    "rename_index": (RenameIndex("person", "person_mail", "person_email"), undoes(0, "rename_index")),
    "create_table/sqlite": (CreateTable("logged", LOGGED_COLUMNS, definition=(
        'CREATE TABLE "logged" ("id" INTEGER NOT NULL PRIMARY KEY, "n" INTEGER NOT NULL, "tag" VARCHAR(10) NOT NULL)',
    )), undoes(1, "drop_table")),
    "create_table/postgres": (CreateTable("logged", LOGGED_COLUMNS, definition=(
        "CREATE SEQUENCE logged_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1",
        "CREATE TABLE \"logged\" (id integer DEFAULT nextval('logged_id_seq'::regclass) NOT NULL, n integer NOT NULL, "
        "tag character varying(10) NOT NULL, CONSTRAINT logged_pkey PRIMARY KEY (id))",
        'ALTER SEQUENCE logged_id_seq OWNED BY "logged".id',
        "SELECT setval(pg_get_serial_sequence('\"logged\"', 'id'), 1, true)",
    )), undoes(1, "drop_table")),
    "create_table/mysql": (CreateTable("logged", LOGGED_COLUMNS, definition=(
        "CREATE TABLE `logged` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `n` int(11) NOT NULL,\n"
        "  `tag` varchar(10) NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `logged_tag` (`tag`)\n"
        ") ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    ), indexes=("logged_tag",)), undoes(1, "drop_table")),
    "drop_table": (DropTable("customer"), undoes(0, "create_table")),
    "alter_column_type": (AlterColumnType("customer", "qty", F("IntegerField", null=False)),
                          undoes(9, "alter_column_type")),
    "add_default": (AddDefault("customer", "status", "new"), undoes(4, "drop_default")),
    "add_default/postgres-expression": (AddDefault("customer", "status", {"expression": "'new'::character varying"}),
                                        undoes(4, "drop_default")),
    "drop_default": (DropDefault("customer", "note"), undoes(5, "add_default")),
    "sql": (Sql(("SELECT 1", "SELECT 2"), ("UPDATE customer SET code = code",)), undoes(13, "sql")),
    "irreversible": (Irreversible("operation 0 (sql) is an sql operation without 'down'"), undoes(0, "sql")),
    "restore_data/keyed-required": (RestoreData("customer", ("status",), "_migrator_backup_1_1_0_10", ("id",),
                                                ("status",)), undoes(10, "drop_column")),
    "restore_data/keyed": (RestoreData("customer", ("qty",), "_migrator_backup_1_1_0_9", ("id",)),
                           undoes(9, "alter_column_type")),
    "restore_data/whole-table": (RestoreData("logged", (), "_migrator_backup_1_3_0_1"), undoes(1, "drop_table")),
    "data_not_kept/column": (DataNotKept("customer", ("note",)), undoes(11, "drop_column")),
    "data_not_kept/table": (DataNotKept("spare"), undoes(1, "drop_table")),
    "add_trigger/sqlite": (AddTrigger("logged", "logged_touch", "CREATE TRIGGER logged_touch AFTER INSERT ON logged "
                                      "BEGIN UPDATE logged SET n = n WHERE id = NEW.id; END"), undoes(1, "drop_table")),
    "add_trigger/postgres": (AddTrigger("logged", "logged_touch", "CREATE TRIGGER logged_touch BEFORE INSERT ON logged "
                                        "FOR EACH ROW EXECUTE FUNCTION logged_fn()"), undoes(1, "drop_table")),
    "add_trigger/mysql": (AddTrigger("logged", "logged_touch", "CREATE TRIGGER `logged_touch` BEFORE INSERT ON "
                                     "`logged` FOR EACH ROW SET NEW.n = NEW.n"), undoes(1, "drop_table")),
    "drop_trigger/mysql-journal": (DropTrigger("logged", "logged_touch"), undoes(1, "drop_table")),
    "restore_check/postgres": (RestoreCheck("customer", "customer_qty_positive", "CHECK ((qty > 0))"),
                               undoes(9, "alter_column_type")),
    "add_check/sqlite": (AddCheck("order", "order_qty_positive", '"quantity" > 0', definition=(
        '\n        CONSTRAINT "order_qty_positive" CHECK ("quantity" > 0)\n    ')), undoes(1, "drop_check")),
    "add_check/postgres": (AddCheck("order", "order_qty_positive", "(quantity > 0)"), undoes(1, "drop_check")),
    "add_check/mysql": (AddCheck("order", "order_qty_positive", "`quantity` > 0"), undoes(1, "drop_check")),
    "drop_check": (DropCheck("order", "order_price_not_negative"), undoes(0, "add_check")),
    "add_unique/sqlite": (AddUnique("user", ("tenant", "name"), "user_tenant_name_key", definition=(
        '\n        CONSTRAINT "user_tenant_name_key" UNIQUE ("tenant", "name")\n    ')), undoes(3, "drop_unique")),
    "add_unique/postgres": (AddUnique("user", ("tenant", "name"), "user_tenant_name_key"), undoes(3, "drop_unique")),
    "drop_unique": (DropUnique("MixedCase", "MixedCase_CamelCol"), undoes(2, "add_unique")),
    # -- release 0.1: no marks, no definitions, no `after`, no `required`, no `fill` -----------------------------
    "add_column/0.1": (AddColumn("customer", "status", F("CharField", max_length=20, null=True)), None),
    "drop_column/0.1": (DropColumn("customer", "phone"), None),
    "rename_column/0.1": (RenameColumn("customer", "full_name", "name"), None),
    "add_not_null/0.1": (AddNotNull("customer", "status"), None),
    "drop_not_null/0.1": (DropNotNull("customer", "status"), None),
    "rename_table/0.1": (RenameTable("legacy2", "legacy"), None),
    "add_index/0.1": (AddIndex("customer", ("full_name",), name="customer_name"), None),
    "drop_index/0.1": (DropIndex("customer", "customer_email_uniq"), None),
    "create_table/0.1": (CreateTable("logged", LOGGED_COLUMNS), None),
    "drop_table/0.1": (DropTable("customer"), None),
    "alter_column_type/0.1": (AlterColumnType("customer", "qty", F("IntegerField", null=False)), None),
    "add_default/0.1": (AddDefault("customer", "status", "new"), None),
    "add_default/0.1-postgres-expression": (AddDefault("customer", "note", {"expression": "'none'::text"}), None),
    "drop_default/0.1": (DropDefault("customer", "note"), None),
    "sql/0.1": (Sql(("SELECT 1", "SELECT 2"), ("UPDATE customer SET code = code",)), None),
    "irreversible/0.1": (Irreversible("operation 0 (sql) is an sql operation without 'down'"), None),
    "restore_data/0.1-keyed": (RestoreData("customer", ("status",), "_migrator_backup_1_1_0_9", ("id",)), None),
    "restore_data/0.1-whole-table": (RestoreData("logged", (), "_migrator_backup_1_3_0_1"), None),
    "data_not_kept/0.1-column": (DataNotKept("customer", ("note",)), None),
    "data_not_kept/0.1-table": (DataNotKept("spare"), None),
    "drop_index/0.1-mysql-journal": (DropIndex("logged", "logged_tag"), None),
    # -- 0.3: python, and sql per backend (stored as the plain sql of the backend that ran) ----------------------
    "python": (Python("shop.fill:down", "shop.fill:up"), undoes(1, "python")),
    "irreversible/python": (Irreversible("operation 3 (python) is a python operation without 'down'"),
                            undoes(3, "python")),
    "sql/per-backend-mysql": (Sql(("DROP INDEX product_slug_lower ON product",),
                                  ("CREATE INDEX product_slug_lower ON product (slug(20))",)), undoes(2, "sql")),
    # -- foreign keys (issue 16) ------------------------------------------------------------------------------------
    "drop_foreign_key": (DropForeignKey("orders", "fk_orders_customer_id_refs_customer"),
                         undoes(0, "add_foreign_key")),
    "add_foreign_key/sqlite": (AddForeignKey(
        "orders", ("customer_id",), "customer", ("id",), "CASCADE", name="fk_orders_customer_id_refs_customer",
        definition=' CONSTRAINT "fk_orders_customer_id_refs_customer" FOREIGN KEY ("customer_id") REFERENCES '
                   '"customer" ("id") ON DELETE CASCADE'), undoes(0, "drop_foreign_key")),
    "add_foreign_key/postgres": (AddForeignKey("orders", ("customer_id",), "customer", ("id",), "CASCADE",
                                               name="fk_orders_customer_id_refs_customer"),
                                 undoes(0, "drop_foreign_key")),
    "add_foreign_key/mysql": (AddForeignKey("orders", ("customer_id",), "customer", ("id",), "CASCADE",
                                            name="fk_orders_customer_id_refs_customer"),
                              undoes(0, "drop_foreign_key")),
}


def test_every_golden_step_has_an_expected_operation_and_every_expectation_a_golden_step():
    assert sorted(STEPS) == sorted(EXPECTED)
    assert len(STEPS) == len(GOLDEN["steps"]), "two golden steps share a name"


def test_every_stored_action_has_golden_steps_written_by_today_s_code():
    today = {s["stored"]["action"] for s in GOLDEN["steps"] if "undoes" in s["stored"]}
    missing = sorted(set(STORED_ACTIONS) - today)
    assert not missing, (f"stored actions without a golden step: {missing}. Copy one from a real run's history "
                         "(the `inverse` column) into tests/golden/stored_inverses.json, and its expected operation "
                         "into EXPECTED")
    assert {s["stored"]["action"] for s in GOLDEN["steps"]} <= set(STORED_ACTIONS)


ADDED_AFTER_0_1 = {"add_trigger", "drop_trigger", "restore_check", "python", "add_check", "drop_check", "add_unique",
                   "drop_unique", "rename_index", "add_foreign_key", "drop_foreign_key"}


def test_steps_of_release_0_1_are_kept_for_every_action_it_stored():
    old = [s for s in GOLDEN["steps"] if s["written_by"].startswith("0.1.0")]
    assert {s["stored"]["action"] for s in old} == set(STORED_ACTIONS) - ADDED_AFTER_0_1
    assert all("undoes" not in s["stored"] for s in old)
    assert all("undoes" in s["stored"] for s in GOLDEN["steps"] if s not in old)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_golden_step_loads_as_the_operation_it_always_meant(name):
    stored = STEPS[name]["stored"]
    expected, mark = EXPECTED[name]
    loaded, = load_stored([stored])
    assert type(loaded) is type(expected)
    assert loaded == expected
    assert {f.name: getattr(loaded, f.name) for f in fields(loaded)} == \
           {f.name: getattr(expected, f.name) for f in fields(expected)}
    assert loaded.undoes == mark


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_today_s_code_writes_a_golden_step_back_as_it_was_stored(name):
    stored = STEPS[name]["stored"]
    loaded, = load_stored([stored])
    if "undoes" in stored:  # written by today's code: the same JSON text, keys in the same order
        assert json.dumps(stored_form(loaded)) == json.dumps(stored)
    else:  # release 0.1 sorted the keys; the content is the same
        assert stored_form(loaded) == stored
    # the expected operation, marked as stored, is written the same way
    expected, mark = EXPECTED[name]
    assert stored_form(undoing(expected, mark)) == stored


def test_a_whole_stored_inverse_loads_in_order_with_each_step_s_mark():
    for backend, eras in GOLDEN["histories"].items():
        for era, text in eras.items():
            items = json.loads(text)
            loaded = load_stored(items)
            assert [op.action for op in loaded] == [item["action"] for item in items], (backend, era)
            assert [op.undoes for op in loaded] == [item.get("undoes") for item in items], (backend, era)
            assert [stored_form(op) for op in loaded] == items, (backend, era)


# -- every stored action's class: to_dict and back ---------------------------------------------------------------

# One instance of each stored action's class with every optional field set (no field at its default).
REPRESENTATIVE = {
    "add_column": AddColumn("t", "c", F("CharField", max_length=5, null=True, default="x"), after="b", first=True,
                            definition=(' "c" VARCHAR(5)', 'FOREIGN KEY ("c") REFERENCES "u" ("id")'),
                            fill={"expression": "b * 2"}),
    "drop_column": DropColumn("t", "c", cascade=True, backup=False),
    "rename_column": RenameColumn("t", "a", "b"),
    "add_not_null": AddNotNull("t", "c", placeholder=True),
    "drop_not_null": DropNotNull("t", "c"),
    "rename_table": RenameTable("a", "b"),
    "add_index": AddIndex("t", ("a", "b"), unique=True, name="t_ab", definition="CREATE UNIQUE INDEX t_ab ON t (a, b)",
                          constraint=True, where="a > 0", expressions=("lower(b)",)),
    "rename_index": RenameIndex("t", "t_ab", "t_ba"),
    "drop_index": DropIndex("t", "t_ab"),
    "create_table": CreateTable("t", (("a", F("IntegerField")), ("b", F("ForeignKeyField", model="u", field="k",
                                                                       on_delete="CASCADE", null=True))),
                                primary_key=("a", "b"), definition=("CREATE TABLE t (a INTEGER, b INTEGER)",),
                                indexes=("t_b",)),
    "drop_table": DropTable("t", backup=False),
    "alter_column_type": AlterColumnType("t", "c", F("DecimalField", max_digits=12, decimal_places=3, null=True),
                                         backup=False),
    "add_default": AddDefault("t", "c", {"expression": "CURRENT_TIMESTAMP"}),
    "drop_default": DropDefault("t", "c"),
    "sql": Sql(("UPDATE t SET a = 1", "UPDATE t SET b = 2"), ("SELECT 1",)),
    "irreversible": Irreversible("operation 3 (sql) is an sql operation without 'down'"),
    "restore_data": RestoreData("t", ("c",), "_migrator_backup_1_0_0_3", ("id",), ("c",)),
    "data_not_kept": DataNotKept("t", ("c", "d")),
    "add_trigger": AddTrigger("t", "t_touch", "CREATE TRIGGER t_touch AFTER INSERT ON t BEGIN SELECT 1; END"),
    "drop_trigger": DropTrigger("t", "t_touch"),
    "restore_check": RestoreCheck("t", "t_c_positive", "CHECK ((c > 0))"),
    "python": Python("app.migrations.fill:down", "app.migrations.fill:up"),
    "add_check": AddCheck("t", "t_c_positive", "c > 0", definition=' CONSTRAINT "t_c_positive" CHECK (c > 0)'),
    "drop_check": DropCheck("t", "t_c_positive"),
    "add_unique": AddUnique("t", ("a", "b"), "t_ab_key", definition=' CONSTRAINT "t_ab_key" UNIQUE ("a", "b")'),
    "drop_unique": DropUnique("t", "t_ab_key"),
    "add_foreign_key": AddForeignKey("t", ("a", "b"), "u", ("x", "y"), "CASCADE", "SET NULL", "t_u",
                                     'CONSTRAINT "t_u" FOREIGN KEY ("a", "b") REFERENCES "u" ("x", "y")'),
    "drop_foreign_key": DropForeignKey("t", "t_u", ("a", "b")),
}


# every action's own options (see Operation), set so that the round trip covers them too
REPRESENTATIVE = {action: replace(op, unsafe_ok="a small table", online=False) for action, op in REPRESENTATIVE.items()}


# A stored step's `"fill": true` is add_not_null's placeholder (since 0.2): the spec file's fill value, written
# with the same key, never reaches a stored inverse (tests/test_backfill.py round-trips it as a spec operation).
SPEC_ONLY = {("add_not_null", "fill")}


def test_the_round_trip_covers_every_stored_action():
    assert sorted(REPRESENTATIVE) == sorted(STORED_ACTIONS), \
        "a stored action without a representative instance here (or one that no longer exists)"
    for action, op in REPRESENTATIVE.items():
        assert type(op) is STORED_ACTIONS[action]
        at_default = [f.name for f in fields(op) if f.default is not MISSING and getattr(op, f.name) == f.default
                      and (action, f.name) not in SPEC_ONLY]
        assert not at_default, f"{action}: set every optional field, not {at_default}"


@pytest.mark.parametrize("action", sorted(STORED_ACTIONS))
def test_from_dict_of_to_dict_is_the_same_operation(action):
    op = REPRESENTATIVE[action]
    data = op.to_dict()
    assert data["action"] == action
    again = from_dict(data, STORED_ACTIONS)
    assert again == op and type(again) is type(op)
    assert json.loads(json.dumps(data)) == data  # what the history stores is JSON, nothing else
    assert from_dict(json.loads(json.dumps(data)), STORED_ACTIONS) == op
    # through the history's own form, with a mark and without
    mark = undoes(2, "drop_table")
    marked, = load_stored(json.loads(json.dumps([stored_form(undoing(from_dict(data, STORED_ACTIONS), mark))])))
    assert marked == op and marked.undoes == mark
    plain, = load_stored([data])
    assert plain == op and plain.undoes is None


@pytest.mark.parametrize("action", sorted(STORED_ACTIONS))
def test_an_operation_compares_hashes_shows_and_stays_frozen_as_the_dataclass_it_replaces(action):
    # Operation makes ==, hash() and repr() once for every action; each must behave as a plain
    # @dataclass(frozen=True) of the same fields would (what releases up to 0.3 used).
    op = REPRESENTATIVE[action]
    values = {f.name: getattr(op, f.name) for f in fields(op)}
    plain = make_dataclass(type(op).__qualname__, [(f.name, f.type, dc_field(kw_only=f.kw_only)) for f in fields(op)],
                           frozen=True)(**values)
    assert repr(op) == repr(plain)
    twin = replace(op)
    assert twin is not op and twin == op
    try:
        hashed = hash(plain)
    except TypeError:  # a dict or list among its values, as a default's expression
        with pytest.raises(TypeError):
            hash(op)
    else:
        assert hash(op) == hash(twin) == hashed
        assert len({op, twin, replace(op, unsafe_ok="another reason")}) == 2
    for f in fields(op):  # any one field changed makes another operation
        other = replace(op, **{f.name: "changed" if getattr(op, f.name) != "changed" else "other"})
        assert other != op and not other == op
    assert op != plain and op != values  # same values, another kind of thing
    with pytest.raises(FrozenInstanceError):
        op.unsafe_ok = "set later"
    with pytest.raises(FrozenInstanceError):
        del op.online


@pytest.mark.parametrize("action", sorted(a for a, cls in STORED_ACTIONS.items() if cls.column_param))
def test_a_one_column_action_reads_its_column_under_either_name(action):
    op = REPRESENTATIVE[action]
    data = op.to_dict()
    other = "column" if op.column_param == "column_name" else "column_name"
    renamed = {(other if k == op.column_param else k): v for k, v in data.items()}
    assert from_dict(renamed, STORED_ACTIONS) == op


# -- a real database's history, rolled back from what is stored ----------------------------------------------------

# The versions whose stored inverse GOLDEN["histories"] holds, per backend and release.
HISTORY_V1_0 = [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=40)", "qty": "IntegerField()", "note": "TextField(null=True)"}},
    {"action": "add_index", "table": "items", "columns": ["name"]},
    {"action": "create_table", "table": "tags", "columns": {"label": "CharField(max_length=20, index=True)"}},
]
HISTORY_V1_1 = [
    {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
    {"action": "rename_column", "table": "items", "old_name": "note", "new_name": "remark"},
    {"action": "alter_column_type", "table": "items", "column": "name", "field": "CharField(max_length=80)"},
    {"action": "drop_column", "table": "items", "column_name": "qty"},
    {"action": "drop_table", "table": "tags"},
    {"action": "add_index", "table": "items", "columns": ["extra"]},
]


def _set_inverse(database, version, text):
    db = database.connect()
    try:
        mark = "?" if database.backend == "sqlite" else "%s"
        db.execute_sql(f"UPDATE schema_migrations SET inverse = {mark} WHERE version = {mark}", (text, version))
    finally:
        db.close()


def _rows(database):
    return {"items": Counter(database.query("SELECT id, name, qty, note FROM items")),
            "tags": Counter(database.query("SELECT id, label FROM tags"))}


@pytest.mark.parametrize("release", ["0.2.0", "0.1.0"])
def test_rollback_replays_a_stored_inverse_read_from_the_history_table(database, specs, run, release):
    """The history row of v1.1.0 holds the golden text (today's, or release 0.1's) in its `inverse` column, in place
    of what this code wrote: rollback must read it and give back the schema and rows as they were."""
    specs("v1.0.0", HISTORY_V1_0)
    specs("v1.1.0", HISTORY_V1_1)
    ok(run, "migrate", "v1.0.0")
    database.execute("INSERT INTO items (name, qty, note) VALUES ('a', 1, 'n1'), ('b', 2, NULL)",
                     "INSERT INTO tags (label) VALUES ('t1'), ('t2')")
    schema, rows = database.schema(), _rows(database)
    ok(run, "migrate")
    stored = GOLDEN["histories"][database.backend][release]
    _set_inverse(database, "v1.1.0", stored)
    assert database.query("SELECT inverse FROM schema_migrations WHERE version = 'v1.1.0'") == [(stored,)]
    backups = sorted(t for t in database.tables() if t.startswith("_migrator_backup_"))
    assert backups == sorted({s["backup"] for s in json.loads(stored) if s["action"] == "restore_data"})

    out = ok(run, "rollback", "--yes")
    assert "v1.1.0" in out
    assert database.history() == [("v1.0.0", "applied")]
    assert database.schema() == schema
    assert _rows(database) == rows
    # the record of the history's layout is all that is left of migrator's own tables
    assert [t for t in database.tables() if t.startswith("_migrator_")] == ["_migrator_layout"]
