"""add_foreign_key and drop_foreign_key on every backend, checked with the backend's own catalog and the rows.

Each case migrates over a base version with rows, checks the key in the catalog (its columns, referenced columns,
name and actions), `status` without drift, `verify` agreeing, then rolls back and finds the catalog and every row
exactly as before. Orphan rows, an unknown referenced table or column and bad parameters are refused before
anything runs, the database untouched.
"""
import json
import re

import pytest

import catalog as cat
from conftest import ok, snapshot, sqlite_only

BASE = [
    {"action": "create_table", "table": "customers", "columns": {"name": "CharField(max_length=40)"}},
    {"action": "create_table", "table": "orders", "columns": {
        "customer_id": "IntegerField(null=True)", "qty": "IntegerField()"}},
]
BASE_ROWS = ["INSERT INTO customers (name) VALUES ('ann'), ('bob')",
             "INSERT INTO orders (customer_id, qty) VALUES (1, 5), (2, 6), (NULL, 7), (1, 8)"]


def add_key(table, columns, ref_table, **more):
    return {"action": "add_foreign_key", "table": table, "columns": list(columns), "ref_table": ref_table, **more}


def drop_key(table, **which):
    return {"action": "drop_foreign_key", "table": table, **which}


def quoted(database, name):
    return f"`{name}`" if database.backend == "mysql" else f'"{name}"'


def key_texts(catalog, table):
    """{name: the key's text} of the table's foreign keys, as the backend's own catalog writes them (SQLite: the
    FOREIGN KEY constraints of the table's text, an unnamed one under its text)."""
    t = catalog["tables"][table]
    if catalog["backend"] == "postgres":
        return {name: definition for name, (kind, definition) in t["constraints"].items() if kind == "f"}
    if catalog["backend"] == "mysql":
        return {m.group(1): line.strip() for line in t["create"].splitlines()
                for m in [re.search(r"CONSTRAINT `([^`]+)` FOREIGN KEY", line)] if m}
    sql = catalog["master"][f"table {table}"]["sql"]
    starts = list(re.finditer(r'(?:CONSTRAINT "?(\w+)"? )?FOREIGN KEY', sql)) + [None]
    return {(m.group(1) or sql[m.start():end.start() if end else None]): sql[m.start():end.start() if end else None]
            for m, end in zip(starts, starts[1:])}


def key_pairs(catalog, table):
    """[(column, 'table.column' it references)] of the table's foreign keys, in the backend's order."""
    t = catalog["tables"][table]
    if catalog["backend"] == "sqlite":
        return sorted((column, f"{fk['table']}.{fk['to']}") for column, fk in t["foreign_keys"].items())
    pairs = []
    for text in key_texts(catalog, table).values():
        found = re.search(r"FOREIGN KEY \(([^)]*)\) REFERENCES [`\"]?(\w+)[`\"]? ?\(([^)]*)\)", text)
        columns, ref_table, ref_columns = (found.group(1), found.group(2), found.group(3))

        def names(text):
            return [n.strip().strip('`"') for n in text.split(",")]
        pairs += [(c, f"{ref_table}.{r}") for c, r in zip(names(columns), names(ref_columns))]
    return sorted(pairs)


def changes(before, after):
    """What differs between two snapshots (catalog, rows), one line per difference."""
    return cat.differences(before[0], after[0]) + cat.differences(before[1], after[1])


def migrated_and_rolled_back(database, specs, run, operations, check):
    """Apply v1.1.0 (`operations`) over the base and its rows, `check(catalog)` the result, then roll it back:
    verify agrees, status shows no drift after each, and the catalog and rows are exactly as before."""
    before = snapshot(database, catalog=True)
    specs("v1.1.0", operations)
    out = ok(run, "verify")
    assert "reversible" in out
    ok(run, "migrate")
    check(cat.catalog(database))
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    ok(run, "rollback", "--yes")
    after = snapshot(database, catalog=True)
    assert changes(before, after) == []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    assert [t for t in database.tables() if t.startswith("_migrator_") and t != "_migrator_layout"] == []


@pytest.fixture
def base(database, specs, run):
    specs("v1.0.0", BASE)
    ok(run, "migrate")
    database.execute(*BASE_ROWS)


def test_add_foreign_key_named_as_peewee_names_it_then_rollback_restores_the_catalog(database, specs, run, base):
    def check(catalog):
        assert key_pairs(catalog, "orders") == [("customer_id", "customers.id")]
        texts = key_texts(catalog, "orders")
        name = "fk_orders_customer_id_refs_customers"
        assert list(texts) == [name] and "ON DELETE CASCADE" in texts[name]
        assert "ON UPDATE" not in texts[name]
    migrated_and_rolled_back(database, specs, run, [
        add_key("orders", ["customer_id"], "customers", on_delete="CASCADE")], check)
    assert database.versions() == ["v1.0.0"]


def test_the_stored_inverse_of_add_foreign_key_drops_it_by_name(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers", name="orders_customer")])
    ok(run, "migrate")
    inverse, = database.query("SELECT inverse FROM schema_migrations WHERE version = 'v1.1.0'")[0]
    assert [{k: v for k, v in step.items() if k != "undoes"} for step in json.loads(inverse)] == [
        {"action": "drop_foreign_key", "table": "orders", "name": "orders_customer"}]
    # the key holds: the database itself refuses a row that points nowhere
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        insert_with_keys_checked(database, "INSERT INTO orders (customer_id, qty) VALUES (99, 1)")


def insert_with_keys_checked(database, sql):
    db = database.connect()
    try:
        if database.backend == "sqlite":
            db.execute_sql("PRAGMA foreign_keys = ON")
        db.execute_sql(sql)
    finally:
        db.close()


def test_a_composite_key_to_a_composite_primary_key_with_reserved_and_mixed_case_names(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "group", "columns": {
            "Region": "CharField(max_length=8)", "number": "IntegerField()", "label": "TextField(null=True)"},
         "primary_key": ["Region", "number"]},
        {"action": "create_table", "table": "Member", "columns": {
            "select": "CharField(max_length=8, null=True)", "Number": "IntegerField(null=True)"}},
    ])
    ok(run, "migrate")
    g, m = quoted(database, "group"), quoted(database, "Member")
    database.execute(f"INSERT INTO {g} VALUES ('eu', 1, 'a'), ('us', 1, NULL)",
                     f"INSERT INTO {m} ({quoted(database, 'select')}, {quoted(database, 'Number')}) "
                     "VALUES ('eu', 1), ('us', 1), (NULL, 1), ('xx', NULL)")

    def check(catalog):
        assert key_pairs(catalog, "Member") == [("Number", "group.number"), ("select", "group.Region")]
        assert list(key_texts(catalog, "Member")) == ["Member_In_Group"]
    migrated_and_rolled_back(database, specs, run, [
        add_key("Member", ["select", "Number"], "group", name="Member_In_Group", on_update="CASCADE")], check)


def test_a_key_to_a_text_primary_key_and_to_a_uuid_key(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "currency",
         "columns": {"code": "CharField(max_length=3, primary_key=True)"}},
        {"action": "create_table", "table": "device", "columns": {"uid": "UUIDField(primary_key=True)"}},
        {"action": "create_table", "table": "price", "columns": {
            "currency": "CharField(max_length=3)", "device": "UUIDField(null=True)"}},
    ])
    ok(run, "migrate")
    uid = "6f1c1c7e-0d3b-4a51-9d1e-000000000001"
    database.execute("INSERT INTO currency VALUES ('EUR'), ('USD')", f"INSERT INTO device VALUES ('{uid}')",
                     f"INSERT INTO price (currency, device) VALUES ('EUR', '{uid}'), ('USD', NULL)")

    def check(catalog):
        assert key_pairs(catalog, "price") == [("currency", "currency.code"), ("device", "device.uid")]
        assert sorted(key_texts(catalog, "price")) == ["fk_price_currency_refs_currency",
                                                       "fk_price_device_refs_device"]
    migrated_and_rolled_back(database, specs, run, [add_key("price", ["currency"], "currency"),
                                                    add_key("price", ["device"], "device", on_delete="SET NULL")],
                             check)


def test_drop_foreign_key_by_columns_then_rollback_gives_it_back_exactly(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "authors", "columns": {"name": "CharField(max_length=40)"}},
        {"action": "create_table", "table": "books", "columns": {
            "author_id": "ForeignKeyField('authors', on_delete='SET NULL', null=True)",
            "title": "CharField(max_length=40)"}},
    ])
    ok(run, "migrate")
    database.execute("INSERT INTO authors (name) VALUES ('ann')",
                     "INSERT INTO books (author_id, title) VALUES (1, 'a'), (NULL, 'b')")

    def check(catalog):
        assert key_pairs(catalog, "books") == []
    migrated_and_rolled_back(database, specs, run, [drop_key("books", columns=["author_id"])], check)
    assert database.versions() == ["v1.0.0"]


def test_drop_foreign_key_by_name_then_rollback_gives_back_its_name_and_actions(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers", name="Orders_Customer", on_delete="CASCADE",
                             on_update="SET NULL")])
    ok(run, "migrate")
    before = snapshot(database, catalog=True)
    specs("v1.2.0", [drop_key("orders", name="Orders_Customer")])
    ok(run, "migrate")
    assert key_pairs(cat.catalog(database), "orders") == []
    inverse, = database.query("SELECT inverse FROM schema_migrations WHERE version = 'v1.2.0'")[0]
    step, = json.loads(inverse)
    assert {k: step[k] for k in ("action", "table", "columns", "ref_table", "ref_columns", "on_delete", "on_update",
                                 "name")} == {
        "action": "add_foreign_key", "table": "orders", "columns": ["customer_id"], "ref_table": "customers",
        "ref_columns": ["id"], "on_delete": "CASCADE", "on_update": "SET NULL", "name": "Orders_Customer"}
    assert json.loads(ok(run, "status", "--json"))["drift"] is None
    ok(run, "rollback", "--yes")
    assert changes(before, snapshot(database, catalog=True)) == []
    assert json.loads(ok(run, "status", "--json"))["drift"] is None


def test_orphan_rows_are_counted_and_named_before_anything_runs(database, specs, run, base):
    database.execute("INSERT INTO orders (customer_id, qty) VALUES (17, 1), (42, 2), (42, 3), (99, 4)")
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "add_column", "table": "orders", "column_name": "note",
                      "field": "TextField(null=True)"},
                     add_key("orders", ["customer_id"], "customers")])
    for command in ("validate", "plan", "migrate"):
        code, out, err = run(command)
        assert code == 1, (command, out, err)
        assert "Traceback" not in err
        assert ("v1.1.0, operation 1 (add_foreign_key): orders.customer_id: 4 rows point to no row of customers.id "
                "(values 17, 42, 99)") in err
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.versions() == ["v1.0.0"]


def test_a_composite_key_s_orphans_are_shown_as_tuples(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "slot", "columns": {"a": "IntegerField()", "b": "IntegerField()"},
         "primary_key": ["a", "b"]},
        {"action": "create_table", "table": "booking",
         "columns": {"a": "IntegerField()", "b": "IntegerField(null=True)"}},
    ])
    ok(run, "migrate")
    database.execute("INSERT INTO slot VALUES (1, 1)", "INSERT INTO booking (a, b) VALUES (1, 1), (1, 2), (3, NULL)")
    specs("v1.1.0", [add_key("booking", ["a", "b"], "slot")])
    code, _, err = run("migrate")
    assert code == 1
    assert "booking.(a, b): 1 row points to no row of slot.(a, b) (value (1, 2))" in err


def test_a_failure_after_the_key_was_added_undoes_it_and_leaves_the_database_as_it_was(database, specs, run, base):
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers"),
                     {"action": "sql", "sql": "UPDATE no_such_table SET x = 1", "down": "SELECT 1"}])
    code, out, err = run("migrate")
    assert code == 1, out + err
    assert "Traceback" not in err
    assert "operation 1 (sql)" in err
    assert changes(before, snapshot(database, catalog=True)) == []
    assert [t for t in database.tables() if t.startswith("_migrator_") and t != "_migrator_layout"] == []


@pytest.mark.parametrize("operation, code, words", [
    pytest.param(add_key("orders", ["customer_id"], "clients"), 1,
                 ["parameter 'ref_table': the foreign key refers to table clients, which does not exist"],
                 id="unknown-ref-table"),
    pytest.param(add_key("orders", ["customer_id"], "customers", ref_columns=["nope"]), 1,
                 ["parameter 'ref_columns': the foreign key refers to column customers.nope, which does not exist"],
                 id="unknown-ref-column"),
    pytest.param(add_key("orders", ["client_id"], "customers"), 1, ["column orders.client_id does not exist"],
                 id="unknown-column"),
    pytest.param(add_key("orders", ["customer_id"], "customers", ref_columns=["name"]), 1,
                 ["customers.name is neither the primary key nor unique"], id="not-unique"),
    pytest.param(add_key("orders", ["customer_id", "qty"], "customers", ref_columns=["id"]), 2,
                 ["v1.1.0.json", "operation 0 (add_foreign_key)", "parameter 'ref_columns'"], id="count-mismatch"),
    pytest.param(add_key("orders", ["customer_id"], "customers", on_delete="EXPLODE"), 2,
                 ["v1.1.0.json", "operation 0 (add_foreign_key)", "parameter 'on_delete'"], id="bad-action"),
    pytest.param(drop_key("orders", name="x", columns=["customer_id"]), 2,
                 ["v1.1.0.json", "operation 0 (drop_foreign_key)"], id="name-and-columns"),
    pytest.param(drop_key("orders", name="no_such_key"), 1, ["table orders has no foreign key named no_such_key"],
                 id="drop-unknown"),
    pytest.param(drop_key("orders", columns=["qty"]), 1, ["table orders has no foreign key on (qty)"],
                 id="drop-unknown-columns"),
])
def test_bad_parameters_are_refused_before_anything_runs(database, specs, run, base, operation, code, words):
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [operation])
    found, out, err = run("migrate")
    assert found == code, out + err
    assert "Traceback" not in err
    for word in words:
        assert word in err
    code, _, err = run("validate")  # a plan that does not fit the schema is invalid input to validate
    assert code == 2 and all(word in err for word in words), err
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.versions() == ["v1.0.0"]


def test_a_key_name_taken_already_is_refused(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers", name="k1"),
                     add_key("orders", ["customer_id"], "customers", name="k1")])
    code, _, err = run("migrate")
    assert code == 1
    assert "operation 1 (add_foreign_key): table orders has a foreign key named k1 already" in err


def test_types_the_server_refuses_to_join_are_refused_up_front(database, specs, run):
    if database.backend == "sqlite":
        pytest.skip("SQLite takes a foreign key between any types")
    specs("v1.0.0", [{"action": "create_table", "table": "p",
                      "columns": {"code": "CharField(max_length=5, unique=True)"}},
                     {"action": "create_table", "table": "c", "columns": {"p_code": "IntegerField(null=True)"}}])
    ok(run, "migrate")
    specs("v1.1.0", [add_key("c", ["p_code"], "p", ref_columns=["code"])])
    code, _, err = run("migrate")
    assert code == 1
    assert "refuses a foreign key between these types" in err


def test_a_new_key_is_seen_by_later_checks_of_the_same_version(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers"), {"action": "drop_table", "table": "customers"}])
    code, _, err = run("migrate")
    assert code == 1
    assert "operation 1 (drop_table): customers is used by the foreign key of table orders" in err
    assert "Change or drop them first (drop_foreign_key)" in err  # the action that does it (a new-user trial)


def test_a_dropped_key_no_longer_stands_in_the_way(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers")])
    ok(run, "migrate")
    specs("v1.2.0", [drop_key("orders", columns=["customer_id"]), {"action": "drop_table", "table": "customers"}])
    ok(run, "migrate")
    assert "customers" not in database.tables()
    ok(run, "rollback", "--yes")
    assert key_pairs(cat.catalog(database), "orders") == [("customer_id", "customers.id")]
    assert database.query("SELECT name FROM customers ORDER BY id") == [("ann",), ("bob",)]


def test_plan_shows_the_sql(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers", on_delete="CASCADE")])
    out = ok(run, "plan")
    q = quoted(database, "fk_orders_customer_id_refs_customers")
    if database.backend == "sqlite":
        assert f"CONSTRAINT {q} FOREIGN KEY" in out and "CREATE TABLE" in out
    else:
        assert f"ALTER TABLE {quoted(database, 'orders')} ADD CONSTRAINT {q} FOREIGN KEY" in out
    assert "ON DELETE CASCADE" in out
    assert '"action": "drop_foreign_key"' in out
    assert database.versions() == ["v1.0.0"]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_on_sqlite_the_key_shares_the_version_s_rebuild_of_the_table(database, specs, run, base):
    specs("v1.1.0", [{"action": "add_column", "table": "orders", "column_name": "note", "field": "TextField(null=True)",
                      "after": "customer_id"},
                     add_key("orders", ["customer_id"], "customers"),
                     {"action": "add_not_null", "table": "orders", "column": "qty"}])
    out = ok(run, "plan")
    assert out.count("RENAME TO") == 1
    ok(run, "migrate")
    sql, = database.query("SELECT sql FROM sqlite_master WHERE name = 'orders'")[0]
    assert '"note" TEXT, "qty"' in sql.replace("\n", " ") or '"note" TEXT' in sql
    assert 'CONSTRAINT "fk_orders_customer_id_refs_customers" FOREIGN KEY ("customer_id")' in sql
    assert database.query("PRAGMA foreign_key_check") == []


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_on_mariadb_the_index_the_server_made_for_the_key_goes_with_it(database, specs, run, base):
    name = "fk_orders_customer_id_refs_customers"
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers")])
    specs("v1.2.0", [drop_key("orders", name=name)])
    assert f"ALTER TABLE `orders` DROP INDEX `{name}`" in ok(run, "plan")  # plan only generates: from the plan
    ok(run, "migrate", "v1.1.0")
    assert name in cat.index_names(cat.catalog(database), "orders")  # the server made it
    ok(run, "migrate")
    assert name not in cat.index_names(cat.catalog(database), "orders")
    ok(run, "rollback", "--yes")
    assert name in cat.index_names(cat.catalog(database), "orders")
    ok(run, "rollback", "--yes")
    assert name not in cat.index_names(cat.catalog(database), "orders")


def test_a_key_to_a_unique_constraint_written_in_the_table_s_text(database, specs, run):
    q = "`" if database.backend == "mysql" else '"'
    specs("v1.0.0", [{"action": "sql", "sql": [
        f"CREATE TABLE {q}tenant_user{q} ({q}id{q} INTEGER PRIMARY KEY, {q}tenant{q} VARCHAR(20) NOT NULL, "
        f"{q}name{q} VARCHAR(40) NOT NULL, CONSTRAINT {q}tenant_user_key{q} UNIQUE ({q}tenant{q}, {q}name{q}))",
        f"CREATE TABLE {q}note{q} ({q}id{q} INTEGER PRIMARY KEY, {q}tenant{q} VARCHAR(20), {q}author{q} VARCHAR(40))",
        f"INSERT INTO {q}tenant_user{q} VALUES (1, 'acme', 'ann'), (2, 'globex', 'ann')",
        f"INSERT INTO {q}note{q} VALUES (1, 'acme', 'ann'), (2, NULL, 'bob'), (3, 'globex', 'ann')",
    ], "down": [f"DROP TABLE {q}note{q}", f"DROP TABLE {q}tenant_user{q}"]}])
    ok(run, "migrate")

    def check(catalog):
        assert key_pairs(catalog, "note") == [("author", "tenant_user.name"), ("tenant", "tenant_user.tenant")]
        assert list(key_texts(catalog, "note")) == ["fk_note_tenant_author_refs_tenant_user"]
    migrated_and_rolled_back(database, specs, run, [
        add_key("note", ["tenant", "author"], "tenant_user", ref_columns=["tenant", "name"])], check)


def test_a_rollback_that_would_give_a_key_back_over_orphan_rows_is_refused_before_anything_runs(
        database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers")])
    ok(run, "migrate")
    specs("v1.2.0", [drop_key("orders", columns=["customer_id"])])
    ok(run, "migrate")
    database.execute("INSERT INTO orders (customer_id, qty) VALUES (77, 1)")
    before = snapshot(database, catalog=True)
    code, out, err = run("rollback", "--yes")
    assert code == 1, out + err
    assert "Traceback" not in err
    assert "orders.customer_id: 1 row points to no row of customers.id (value 77)" in err
    assert "undoing v1.2.0" in err
    assert changes(before, snapshot(database, catalog=True)) == []
    assert database.versions() == ["v1.0.0", "v1.1.0", "v1.2.0"]


def test_drop_a_composite_key_by_name_then_rollback_gives_back_its_columns_in_order(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "slot", "columns": {"day": "IntegerField()", "hour": "IntegerField()"},
         "primary_key": ["day", "hour"]},
        {"action": "create_table", "table": "booking", "columns": {"hour": "IntegerField()", "day": "IntegerField()"}},
        add_key("booking", ["day", "hour"], "slot", name="booking_slot", on_delete="CASCADE"),
    ])
    ok(run, "migrate")
    database.execute("INSERT INTO slot VALUES (1, 9), (2, 10)", "INSERT INTO booking (hour, day) VALUES (9, 1)")

    def check(catalog):
        assert key_pairs(catalog, "booking") == []
    migrated_and_rolled_back(database, specs, run, [drop_key("booking", name="booking_slot")], check)
    assert key_pairs(cat.catalog(database), "booking") == [("day", "slot.day"), ("hour", "slot.hour")]


def test_dropping_a_column_with_a_key_added_by_name_takes_the_key_and_rollback_gives_both_back(database, specs, run):
    # the column last: PostgreSQL can only add it back last (README)
    specs("v1.0.0", [BASE[0], {"action": "create_table", "table": "orders", "columns": {
        "qty": "IntegerField()", "customer_id": "IntegerField(null=True)"}},
        add_key("orders", ["customer_id"], "customers", name="orders_customer", on_delete="CASCADE")])
    ok(run, "migrate")
    database.execute(*BASE_ROWS)

    def check(catalog):
        assert cat.column(catalog, "orders", "customer_id") is None
        assert key_pairs(catalog, "orders") == []
    migrated_and_rolled_back(database, specs, run, [
        {"action": "drop_column", "table": "orders", "column_name": "customer_id"}], check)
    assert list(key_texts(cat.catalog(database), "orders")) == ["orders_customer"]


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_on_mariadb_a_key_name_another_table_has_is_refused_up_front(database, specs, run, base):
    specs("v1.1.0", [add_key("orders", ["customer_id"], "customers", name="shared_name")])
    ok(run, "migrate")
    specs("v1.2.0", [{"action": "create_table", "table": "invoices", "columns": {"customer_id": "IntegerField()"}},
                     add_key("invoices", ["customer_id"], "customers", name="shared_name")])
    code, _, err = run("migrate")
    assert code == 1
    assert "operation 1 (add_foreign_key): table orders has a foreign key named shared_name already" in err
    assert database.versions() == ["v1.0.0", "v1.1.0"]


def test_a_key_dropped_then_its_column_in_one_version_come_back_once_each(database, specs, run):
    specs("v1.0.0", [BASE[0], {"action": "create_table", "table": "orders", "columns": {
        "qty": "IntegerField()", "customer_id": "IntegerField(null=True)"}},
        add_key("orders", ["customer_id"], "customers", name="orders_customer")])
    ok(run, "migrate")
    database.execute(*BASE_ROWS)

    def check(catalog):
        assert cat.column(catalog, "orders", "customer_id") is None
    migrated_and_rolled_back(database, specs, run, [
        drop_key("orders", name="orders_customer"),
        {"action": "drop_column", "table": "orders", "column_name": "customer_id"}], check)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_on_sqlite_a_key_written_in_its_column_is_cut_there_and_given_back_there(database, specs, run):
    specs("v1.0.0", [{"action": "sql", "sql": [
        'CREATE TABLE "p" ("id" INTEGER PRIMARY KEY)',
        'CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "pid" INTEGER REFERENCES "p" ("id") ON DELETE CASCADE,\n'
        '    "x" TEXT)',
        "INSERT INTO p VALUES (1)", "INSERT INTO c VALUES (1, 1, 'a')"], "down": ['DROP TABLE "c"', 'DROP TABLE "p"']}])
    ok(run, "migrate")

    def check(catalog):
        assert catalog["master"]["table c"]["sql"] == 'CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "pid" INTEGER,\n' \
                                                     '    "x" TEXT)'
    migrated_and_rolled_back(database, specs, run, [drop_key("c", columns=["pid"])], check)

    def gone(catalog):  # the key and its column in one rebuild; each comes back once
        assert catalog["master"]["table c"]["sql"] == 'CREATE TABLE "c" ("id" INTEGER PRIMARY KEY,\n    "x" TEXT)'
    migrated_and_rolled_back(database, specs, run, [
        drop_key("c", columns=["pid"]), {"action": "drop_column", "table": "c", "column_name": "pid"}], gone)


@sqlite_only
def test_sqlite_names_the_version_whose_end_finds_a_broken_key(database, specs, run):
    """SQLite checks every foreign key at a version's end (they are off while it runs): a row that broke its key
    before (written with the keys off) fails the version, and the message names the version, the row and what to
    do, not a lost connection."""
    specs("v1.0.0", [{"action": "create_table", "table": "orders", "columns": {"ref": "CharField()"}},
                     {"action": "create_table", "table": "order_line", "columns": {
                         "order_id": "ForeignKeyField('orders')", "qty": "IntegerField()"}}])
    ok(run, "migrate")
    database.execute("INSERT INTO orders (ref) VALUES ('A-1')", "INSERT INTO order_line (order_id, qty) VALUES (1, 2)",
                     "INSERT INTO order_line (order_id, qty) VALUES (6666, 1)")  # keys are off on this connection
    specs("v1.1.0", [{"action": "add_column", "table": "orders", "column_name": "note", "field": "TextField(null=True)"}])
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err, err
    assert "v1.1.0: at its end, the foreign keys do not hold: table order_line row 2 references a missing row of " \
           "orders (1 such row in all; a row that broke its key before this version counts too" in err, err
    assert database.versions() == ["v1.0.0"]
    assert "note" not in [c for c, in database.query("SELECT name FROM pragma_table_info('orders')")]


def test_schema_shows_a_composite_key_as_one_line(database, specs, run):
    """`migrator schema` lists a composite foreign key once, its columns paired with the columns they reference,
    and a one-column key as before."""
    specs("v1.0.0", [
        {"action": "create_table", "table": "slot", "columns": {
            "room": "CharField(max_length=8)", "day": "IntegerField()"}, "primary_key": ["room", "day"]},
        {"action": "create_table", "table": "booking", "columns": {
            "room": "CharField(max_length=8, null=True)", "day": "IntegerField(null=True)",
            "owner_id": "IntegerField(null=True)"}},
        add_key("booking", ["room", "day"], "slot", name="booking_slot", on_delete="CASCADE"),
        add_key("booking", ["owner_id"], "booking")])
    ok(run, "migrate")
    lines = [line.strip() for line in ok(run, "schema").splitlines() if "foreign key" in line]
    assert lines == ["foreign key (day, room) -> slot (day, room) on delete CASCADE",
                     "foreign key owner_id -> booking.id"], lines
