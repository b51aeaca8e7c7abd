"""What a new user's trial of the constraint actions found, on every backend where it applies: each case checks
the backend's own catalog (tests/catalog.py) and the rows, and a refusal is made before anything runs, the
database untouched."""
import json

import pytest

import catalog as cat
from conftest import ok, snapshot


def changes(before, after):
    return cat.differences(before[0], after[0]) + cat.differences(before[1], after[1])


def refused_up_front(database, specs, run, version, operations, *named, code=2, later=1):
    """validate (exit `code`), plan and migrate (exit `later`) each refuse the version, naming each of `named`, with no
    traceback, and the database is as it was."""
    specs(version, operations)
    before = snapshot(database, catalog=True)
    history = database.history()
    for command in ("validate", "plan", "migrate"):
        found, out, err = run(command)
        assert found == (code if command == "validate" else later), f"{command}: {found} {out}{err}"
        assert "Traceback" not in err
        for name in named:
            assert name in out + err, f"{command} does not name {name}: {out}{err}"
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.history() == history
    return err


# -- 1. a UNIQUE constraint on a TEXT column (MariaDB: a unique key USING HASH) -----------------------------------

def test_add_unique_and_drop_unique_on_a_text_column_round_trip(database, specs, run):
    specs("v1.0.0", [{"action": "create_table", "table": "note", "columns": {"body": "TextField(null=True)"}}])
    ok(run, "migrate")
    database.execute("INSERT INTO note (body) VALUES ('a'), ('b'), (NULL)")
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "add_unique", "table": "note", "columns": ["body"], "name": "note_body_uq"}])
    ok(run, "migrate")
    made = snapshot(database, catalog=True)
    assert changes(before, made) != []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    specs("v1.2.0", [{"action": "drop_unique", "table": "note", "name": "note_body_uq"}])
    ok(run, "migrate")
    assert changes(before, snapshot(database, catalog=True)) == []
    ok(run, "rollback", "--yes")  # v1.2.0: the constraint comes back as it was
    assert changes(made, snapshot(database, catalog=True)) == []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    ok(run, "rollback", "--yes")  # v1.1.0
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.versions() == ["v1.0.0"]


# -- 2. the unique key a composite foreign key points to ------------------------------------------------------------

SLOTS = [
    {"action": "create_table", "table": "Slot", "columns": {"room": "IntegerField()", "day": "IntegerField()"}},
    {"action": "create_table", "table": "booking", "columns": {"room": "IntegerField(null=True)",
                                                               "day": "IntegerField(null=True)"}},
    {"action": "add_unique", "table": "Slot", "columns": ["room", "day"], "name": "slot_room_day"},
    {"action": "add_foreign_key", "table": "booking", "columns": ["room", "day"], "ref_table": "Slot",
     "ref_columns": ["room", "day"]},
]


def test_dropping_the_unique_key_a_composite_foreign_key_points_to_is_refused_up_front(database, specs, run):
    specs("v1.0.0", SLOTS)
    ok(run, "migrate")
    database.execute('INSERT INTO "Slot" (room, day) VALUES (1, 1), (1, 2)'.replace('"', "`")
                     if database.backend == "mysql" else 'INSERT INTO "Slot" (room, day) VALUES (1, 1), (1, 2)',
                     "INSERT INTO booking (room, day) VALUES (1, 2)")
    refused_up_front(database, specs, run, "v1.1.0", [
        {"action": "drop_unique", "table": "Slot", "name": "slot_room_day"}],
        "slot_room_day", "fk_booking_room_day_refs_Slot", code=1)


def test_the_unique_key_of_a_composite_key_made_in_the_same_version_is_refused_too(database, specs, run):
    specs("v1.0.0", SLOTS[:2])
    ok(run, "migrate")
    refused_up_front(database, specs, run, "v1.1.0", SLOTS[2:] + [
        {"action": "drop_unique", "table": "Slot", "name": "slot_room_day"}],
        "slot_room_day", "fk_booking_room_day_refs_Slot", code=1)


# -- 3. SET DEFAULT, which InnoDB does not support ----------------------------------------------------------------

CUSTOMERS = [
    {"action": "create_table", "table": "customers", "columns": {"name": "CharField(max_length=40)"}},
    {"action": "create_table", "table": "orders", "columns": {"customer_id": "IntegerField(null=True)"}},
]


@pytest.mark.parametrize("operation, named", [
    ({"action": "add_foreign_key", "table": "orders", "columns": ["customer_id"], "ref_table": "customers",
      "on_delete": "SET DEFAULT"}, ["parameter 'on_delete'", "ON DELETE SET DEFAULT"]),
    ({"action": "add_foreign_key", "table": "orders", "columns": ["customer_id"], "ref_table": "customers",
      "on_update": "SET DEFAULT"}, ["parameter 'on_update'", "ON UPDATE SET DEFAULT"]),
    ({"action": "add_column", "table": "orders", "column_name": "buyer_id",
      "field": "ForeignKeyField('customers', null=True, on_delete='SET DEFAULT')"},
     ["parameter 'field'", "ON DELETE SET DEFAULT (column buyer_id)"]),
    ({"action": "create_table", "table": "refunds", "columns": {
        "customer_id": "ForeignKeyField('customers', null=True, on_update='SET DEFAULT')"}},
     ["parameter 'columns'", "ON UPDATE SET DEFAULT (column customer_id)"]),
])
def test_set_default_is_refused_before_anything_runs_on_mysql_and_mariadb(database, specs, run, operation, named):
    specs("v1.0.0", CUSTOMERS)
    ok(run, "migrate")
    if database.backend != "mysql":  # PostgreSQL and SQLite keep it: made and rolled back
        specs("v1.1.0", [operation])
        before = snapshot(database, catalog=True)
        ok(run, "migrate")
        assert "SET DEFAULT" in json.dumps(cat.catalog(database)).upper()
        ok(run, "rollback", "--yes")
        assert changes(before, snapshot(database, catalog=True)) == []
        return
    err = refused_up_front(database, specs, run, "v1.1.0", [operation], *named, "MySQL/MariaDB", code=2, later=2)
    assert "v1.1.0" in err and "operation 0" in err


# -- 4. drop_foreign_key by columns that two keys share -------------------------------------------------------------

def test_drop_foreign_key_by_columns_two_keys_share_is_refused_as_ambiguous(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "Slot", "columns": {"label": "CharField(null=True)"}},
        {"action": "create_table", "table": "booking", "columns": {"label": "CharField(null=True)"}},
        {"action": "create_table", "table": "note", "columns": {"slot_id": "IntegerField(null=True)"}},
        {"action": "add_foreign_key", "table": "note", "columns": ["slot_id"], "ref_table": "Slot", "name": "a_fk"},
        {"action": "add_foreign_key", "table": "note", "columns": ["slot_id"], "ref_table": "booking",
         "name": "b_fk"},
    ])
    ok(run, "migrate")
    refused_up_front(database, specs, run, "v1.1.0", [
        {"action": "drop_foreign_key", "table": "note", "columns": ["slot_id"]}],
        "2 foreign keys on (slot_id): a_fk, b_fk", "'name'")
    # by name, the one named goes, and comes back with the rollback
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "drop_foreign_key", "table": "note", "name": "b_fk"}])
    ok(run, "migrate")
    assert cat.foreign_key(cat.catalog(database), "note", "slot_id") == "Slot.id"
    ok(run, "rollback", "--yes")
    assert changes(before, snapshot(database, catalog=True)) == []


# -- 5. messages ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which, said", [
    ({"name": "a_fk", "columns": ["slot_id"]}, "parameter 'columns': give exactly one of 'name' and 'columns', not both"),
    ({}, "parameter 'name': give exactly one of 'name' and 'columns'"),
    ({"column": "customer_id"}, "parameter 'column': unknown parameter 'column' for drop_foreign_key (give 'columns'"),
])
def test_drop_foreign_key_s_parameters_are_named_as_given(database, specs, run, which, said):
    specs("v1.0.0", CUSTOMERS)
    ok(run, "migrate")
    err = refused_up_front(database, specs, run, "v1.1.0", [
        {"action": "drop_foreign_key", "table": "orders", **which}], said, code=2, later=2)
    assert "missing parameter" not in err


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
@pytest.mark.parametrize("operation", [
    {"action": "drop_index", "table": "orders", "index_name": "orders_customer"},
    {"action": "rename_index", "table": "orders", "old_name": "orders_customer", "new_name": "orders_c"},
])
def test_mariadb_the_index_the_server_keeps_for_a_foreign_key_is_named_as_such(database, specs, run, operation):
    specs("v1.0.0", CUSTOMERS + [{"action": "add_foreign_key", "table": "orders", "columns": ["customer_id"],
                                  "ref_table": "customers", "name": "orders_customer"}])
    ok(run, "migrate")
    assert "orders_customer" in cat.index_names(cat.catalog(database), "orders")
    err = refused_up_front(database, specs, run, "v1.1.0", [operation],
                           "orders_customer is the index MariaDB keeps for foreign key orders_customer of orders",
                           "drop_foreign_key")
    assert "has no index" not in err


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("operation, said", [
    ({"action": "drop_index", "table": "orders", "index_name": "orders_qty_uq"}, "use drop_unique"),
    ({"action": "rename_index", "table": "orders", "old_name": "orders_qty_uq", "new_name": "orders_q"},
     "drop_unique it and add_unique it under the new name"),
])
def test_sqlite_a_unique_constraint_is_no_index_to_drop_or_rename(database, specs, run, operation, said):
    specs("v1.0.0", CUSTOMERS)
    ok(run, "migrate")
    refused_up_front(database, specs, run, "v1.1.0", [
        {"action": "add_unique", "table": "orders", "columns": ["customer_id"], "name": "orders_qty_uq"}, operation],
        "orders_qty_uq is a UNIQUE constraint of orders (SQLite keeps it in the table's text, not as an index)", said)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_the_index_of_a_unique_constraint_in_the_table_s_text_is_named_as_such(database, specs, run):
    specs("v1.0.0", CUSTOMERS)
    ok(run, "migrate")
    database.execute('CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT, UNIQUE ("label"))')
    specs("v1.0.1", [{"action": "sql", "sql": "SELECT 1", "down": "SELECT 1"}])
    ok(run, "migrate")
    refused_up_front(database, specs, run, "v1.1.0", [
        {"action": "drop_index", "table": "tag", "index_name": "sqlite_autoindex_tag_1"}],
        "sqlite_autoindex_tag_1 is the index SQLite made for a PRIMARY KEY or UNIQUE constraint", "drop_unique")


@pytest.mark.parametrize("operation, name", [
    ({"action": "rename_index", "table": "orders", "old_name": "orders_qty", "new_name": "v_orders"}, "v_orders"),
    ({"action": "add_unique", "table": "orders", "columns": ["customer_id"], "name": "v_orders"}, "v_orders"),
    ({"action": "add_index", "table": "orders", "columns": ["customer_id"], "name": "v_orders"}, "v_orders"),
    ({"action": "add_index", "table": "orders", "columns": ["customer_id"], "name": "orders_id_seq"},
     "orders_id_seq"),
    ({"action": "add_index", "table": "orders", "columns": ["customer_id"], "name": "customers"}, "customers"),
])
def test_an_index_name_a_view_sequence_or_table_has_is_refused_where_they_share_names(database, specs, run,
                                                                                       operation, name):
    if database.backend == "mysql":
        pytest.skip("MySQL/MariaDB names indexes per table: a view's name is free for one")
    specs("v1.0.0", CUSTOMERS + [
        {"action": "add_index", "table": "orders", "columns": ["customer_id", "id"], "name": "orders_qty"},
        {"action": "sql", "sql": "CREATE VIEW v_orders AS SELECT id FROM orders", "down": "DROP VIEW v_orders"}])
    ok(run, "migrate")
    if name == "orders_id_seq" and database.backend != "postgres":
        return  # the sequence is PostgreSQL's
    if operation["action"] == "add_unique" and database.backend == "sqlite":
        return  # a UNIQUE constraint in the table's text: its index is SQLite's sqlite_autoindex_...
    what = {"v_orders": "view", "orders_id_seq": "sequence", "customers": "table"}[name]
    refused_up_front(database, specs, run, "v1.1.0", [operation], f"{name} is the name of a {what}")


# -- 6. SQLite: a key or a check named in a column's own definition ----------------------------------------------

NOTE_TEXT = ('CREATE TABLE "note" ("id" INTEGER NOT NULL PRIMARY KEY, '
             'slot_id INTEGER CONSTRAINT note_slot_fk REFERENCES "Slot" (id) ON DELETE SET NULL, body TEXT)')


@pytest.fixture
def noted(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "Slot", "columns": {"label": "CharField(null=True)"}},
        {"action": "sql", "sql": NOTE_TEXT, "down": 'DROP TABLE "note"'}])
    ok(run, "migrate")
    database.execute("INSERT INTO Slot (label) VALUES ('a'), ('b')",
                     "INSERT INTO note (slot_id, body) VALUES (1, 'x'), (2, 'y'), (NULL, 'z')")
    return database


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("which", [{"name": "note_slot_fk"}, {"columns": ["slot_id"]}])
def test_sqlite_a_key_named_in_its_column_s_text_is_dropped_with_its_name(noted, specs, run, which):
    database = noted
    found = cat.catalog(database)
    assert cat.foreign_key(found, "note", "slot_id") == "Slot.id"
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "drop_foreign_key", "table": "note", **which}])
    ok(run, "migrate")
    text = cat.catalog(database)["master"]["table note"]["sql"]
    assert "note_slot_fk" not in text and "REFERENCES" not in text, text
    assert "slot_id INTEGER, body TEXT" in text, text
    assert cat.foreign_key(cat.catalog(database), "note", "slot_id") is None
    ok(run, "rollback", "--yes")
    assert changes(before, snapshot(database, catalog=True)) == []
    assert cat.catalog(database)["master"]["table note"]["sql"] == NOTE_TEXT


STOCK_TEXT = ('CREATE TABLE "stock" ("id" INTEGER NOT NULL PRIMARY KEY, '
              'qty INTEGER CONSTRAINT stock_qty_pos CHECK (qty >= 0) NOT NULL, '
              'sku TEXT CONSTRAINT stock_sku_uq UNIQUE)')


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("operation, said", [
    ({"action": "drop_check", "table": "stock", "name": "stock_qty_pos"},
     "stock_qty_pos is a CHECK constraint written in column qty's own definition"),
    ({"action": "drop_unique", "table": "stock", "name": "stock_sku_uq"},
     "stock_sku_uq is a UNIQUE constraint written in column sku's own definition"),
])
def test_sqlite_a_check_or_unique_named_in_a_column_s_text_is_refused_clearly(database, specs, run, operation,
                                                                              said):
    specs("v1.0.0", [{"action": "sql", "sql": STOCK_TEXT, "down": 'DROP TABLE "stock"'}])
    ok(run, "migrate")
    database.execute("INSERT INTO stock (qty, sku) VALUES (1, 'a'), (0, 'b')")
    err = refused_up_front(database, specs, run, "v1.1.0", [operation], said, "sql operation")
    assert "has no" not in err
