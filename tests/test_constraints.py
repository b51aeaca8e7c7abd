"""add_check / drop_check and add_unique / drop_unique on the zoo (tests/zoo.py), on every backend.

Each case adopts the zoo at v1.0.0 and writes v1.1.0. A case that runs: `verify` says it is reversible, `migrate`
makes exactly the constraint the backend's own catalog then shows, which the server enforces (an INSERT that
breaks it fails), `status` shows no drift, and `rollback` gives back the catalog and every row exactly, without
drift. A case refused: `validate`, `plan` and `migrate` each say why, and the database is as it was.
"""
import json
import re

import pytest

import catalog as cat
import zoo
from conftest import snapshot

VERIFIED = re.compile(r"^v1\.1\.0\s+reversible$", re.M)


@pytest.fixture
def adopted(database, specs, run):
    """The zoo, adopted at v1.0.0 (an empty spec and `baseline`)."""
    zoo.build(database)
    specs("v1.0.0", {"description": "the zoo, adopted", "operations": []})
    code, out, err = run("baseline", "v1.0.0", "--force")
    assert code == 0, out + err
    return database


def q(database, name):
    return f"`{name}`" if database.backend == "mysql" else f'"{name}"'


def constraint_in_catalog(database, table, name):
    """How the backend's own catalog shows the constraint: its definition, or None when it has none of the name."""
    found = cat.catalog(database)["tables"][table]
    if database.backend == "postgres":
        kind_and_definition = found["constraints"].get(name)
        return kind_and_definition and " ".join(kind_and_definition)
    if database.backend == "mysql":
        if name in found["checks"]:
            return "CHECK " + found["checks"][name][-1]
        parts = found["statistics"].get(name)
        return parts and "UNIQUE " + ",".join(p[1] for p in parts) if parts and not parts[0][2] else None
    text = found and cat.catalog(database)["master"][f"table {table}"]["sql"]
    return next((line for line in re.split(r",(?![^(]*\))", text) if f'"{name}"' in line), None)


def fails(database, sql):
    """Whether the statement is refused by the server. (An UPDATE: a refused INSERT would move a sequence on.)"""
    import peewee

    try:
        database.execute(sql)
    except peewee.DatabaseError:
        return True
    return False


def applied_and_rolled_back(database, specs, run, operations, check_applied):
    """Write v1.1.0; verify, migrate, check, no drift; rollback; exactly as before, no drift."""
    specs("v1.1.0", {"description": "constraints", "operations": operations})
    before = snapshot(database, catalog=True)
    code, out, err = run("verify")
    assert code == 0 and VERIFIED.search(out), out + err
    code, out, err = run("migrate")
    assert code == 0, out + err
    check_applied()
    assert no_drift(run)
    code, out, err = run("rollback", "v1.0.0", "--yes")
    assert code == 0, out + err
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and cat.differences(before[1], after[1]) == []
    assert no_drift(run)
    assert [t for t in database.tables() if t.startswith("_migrator_") and t != "_migrator_layout"] == []


def no_drift(run):
    code, out, err = run("status", "--json")
    assert code == 0, out + err
    return json.loads(out)["drift"] is None


def refused_up_front(database, specs, run, operations, *named, code=1):
    specs("v1.1.0", {"description": "constraints", "operations": operations})
    before = snapshot(database, catalog=True)
    for command in ("validate", "plan", "migrate"):
        found, out, err = run(command)
        # (validate says a problem of the schema itself with exit 2, plan and migrate with 1, as for every action)
        assert found == (code if command == "validate" else 1), f"{command}: {found} {out}{err}"
        assert "Traceback" not in err
        for name in named:
            assert name in out + err, f"{command} does not name {name}: {out}{err}"
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and cat.differences(before[1], after[1]) == []
    assert database.history() == [("v1.0.0", "applied")]


# -- add_check / drop_check --------------------------------------------------------------------------------------

def test_add_check_is_enforced_and_rolls_back_exactly(adopted, specs, run):
    database = adopted
    order = q(database, "order")

    def applied():
        assert constraint_in_catalog(database, "order", "order_price_not_negative") is not None
        assert fails(database, f"UPDATE {order} SET price = -5 WHERE id = 1")
        assert database.query(f"SELECT COUNT(*) FROM {order}") == [(3,)]

    applied_and_rolled_back(database, specs, run, [
        {"action": "add_check", "table": "order", "name": "order_price_not_negative", "check": "price >= 0"},
    ], applied)
    assert constraint_in_catalog(database, "order", "order_price_not_negative") is None


def test_drop_check_of_the_zoo_s_check_rolls_back_exactly(adopted, specs, run):
    database = adopted

    def applied():
        assert constraint_in_catalog(database, "order", "order_qty_positive") is None

    applied_and_rolled_back(database, specs, run, [
        {"action": "drop_check", "table": "order", "name": "order_qty_positive"}], applied)
    assert constraint_in_catalog(database, "order", "order_qty_positive") is not None
    assert fails(database, f"UPDATE {q(database, 'order')} SET quantity = 0 WHERE id = 1")


def test_a_check_on_a_reserved_word_table_and_a_drop_then_add_in_one_version(adopted, specs, run):
    database = adopted

    def applied():
        assert constraint_in_catalog(database, "group", "group_label_known") is not None
        assert constraint_in_catalog(database, "order", "order_qty_positive") is not None
        assert fails(database, f"UPDATE {q(database, 'group')} SET label = 'x' WHERE id = 1")

    applied_and_rolled_back(database, specs, run, [
        {"action": "add_check", "table": "group", "name": "group_label_known", "check": "label <> 'x'"},
        {"action": "drop_check", "table": "order", "name": "order_qty_positive"},
        {"action": "add_check", "table": "order", "name": "order_qty_positive", "check": "quantity > 0"},
    ], applied)


def test_rows_that_violate_a_check_are_counted_and_refused_before_anything_runs(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_check", "table": "group", "name": "group_label_known", "check": "label <> 'x'"},
        {"action": "add_check", "table": "order", "name": "order_big", "check": "quantity > 1"},
    ], "order", "order_big", "1 row")


def test_rows_that_violate_a_check_are_counted_after_the_plan_added_and_renamed_columns(adopted, specs, run):
    """The plan renames a column and adds one before the check: the rows are counted as the plan has them (the
    renamed column under its new name, the added one NULL), before anything runs."""
    refused_up_front(adopted, specs, run, [
        {"action": "add_column", "table": "order", "column": "remark", "field": "TextField(null=True)"},
        {"action": "rename_column", "table": "order", "old_name": "quantity", "new_name": "qty"},
        {"action": "add_check", "table": "order", "name": "order_big", "check": "qty > 1 AND remark IS NULL"},
    ], "order", "order_big", "1 row")


def test_a_check_the_database_cannot_evaluate_is_refused_before_anything_runs(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_check", "table": "order", "name": "order_bad", "check": "no_such_column > 0"},
    ], "order_bad", "parameter 'check'", "cannot be evaluated", code=2)


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_on_mariadb_a_column_in_double_quotes_is_refused_as_the_string_it_is_there(adopted, specs, run):
    """`"quantity" > 0`, as PostgreSQL and SQLite quote a column, compares a string on MariaDB (without
    ANSI_QUOTES): a check that never checks the column. Refused before anything runs, saying how to write it."""
    refused_up_front(adopted, specs, run, [
        {"action": "add_check", "table": "order", "name": "order_quoted", "check": '"quantity" > 0'},
    ], "parameter 'check'", 'reads "quantity" as a string, not as the column quantity',
        code=2)


def test_a_check_name_taken_and_a_missing_check_are_refused(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_check", "table": "order", "name": "order_qty_positive", "check": "quantity > 0"},
    ], "order_qty_positive", "already", code=2)
    refused_up_front(adopted, specs, run, [
        {"action": "drop_check", "table": "order", "name": "order_nothing"},
    ], "order_nothing", code=2)


def test_a_column_a_new_check_names_cannot_be_dropped_in_the_same_version(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_check", "table": "group", "name": "group_label_known", "check": "label <> 'x'"},
        {"action": "drop_column", "table": "group", "column_name": "label"},
    ], "group.label", "group_label_known")


def test_bad_input_names_the_file_operation_and_parameter(adopted, specs, run):
    path = specs("v1.1.0", [{"action": "add_check", "table": "order", "name": "order_x"}])
    code, out, err = run("migrate")
    assert code == 2 and "Traceback" not in err
    assert f"{path}, operation 0 (add_check), parameter 'check'" in err
    assert adopted.history() == [("v1.0.0", "applied")]


def test_plan_shows_the_sql(adopted, specs, run):
    specs("v1.1.0", [{"action": "add_check", "table": "order", "name": "order_price_not_negative",
                      "check": "price >= 0"},
                     {"action": "add_unique", "table": "user", "columns": ["email"]}])
    code, out, err = run("plan")
    assert code == 0, out + err
    if adopted.backend == "sqlite":  # by a rebuild of each table, from its own text
        assert 'CONSTRAINT "order_price_not_negative" CHECK (price >= 0)' in out
        assert 'CONSTRAINT "user_email" UNIQUE ("email")' in out
    else:
        assert f"ADD CONSTRAINT {q(adopted, 'order_price_not_negative')} CHECK (price >= 0)" in out
        assert f"ADD CONSTRAINT {q(adopted, 'user_email')} UNIQUE ({q(adopted, 'email')})" in out
    assert adopted.history() == [("v1.0.0", "applied")]


# -- add_unique / drop_unique ------------------------------------------------------------------------------------

def test_add_unique_is_enforced_and_rolls_back_exactly(adopted, specs, run):
    database = adopted
    user = q(database, "user")

    def applied():
        shown = constraint_in_catalog(database, "user", "user_email")  # Peewee's name for the columns
        assert shown is not None and "email" in shown
        if database.backend == "postgres":
            assert shown.startswith("u UNIQUE")  # a constraint, not only a unique index
        assert fails(database, f"UPDATE {user} SET email = 'ann@example.com' WHERE id = 2")

    applied_and_rolled_back(database, specs, run, [
        {"action": "add_unique", "table": "user", "columns": ["email"]}], applied)


def test_drop_unique_of_the_zoo_s_constraint_rolls_back_exactly(adopted, specs, run):
    database = adopted
    user = q(database, "user")

    def applied():
        assert constraint_in_catalog(database, "user", "user_tenant_name_key") is None

    applied_and_rolled_back(database, specs, run, [
        {"action": "drop_unique", "table": "user", "name": "user_tenant_name_key"}], applied)
    assert fails(database, f"UPDATE {user} SET tenant = 'acme' WHERE id = 3")  # globex's ann


def test_a_unique_constraint_on_a_mixed_case_table(adopted, specs, run):
    database = adopted

    def applied():
        assert constraint_in_catalog(database, "MixedCase", "MixedCase_camel") is not None
        mixed, camel = q(database, "MixedCase"), q(database, "CamelCol")
        assert fails(database, f"UPDATE {mixed} SET {camel} = 'Alpha' WHERE id = 2")

    applied_and_rolled_back(database, specs, run, [
        {"action": "add_unique", "table": "MixedCase", "columns": ["CamelCol"], "name": "MixedCase_camel"}], applied)


def test_duplicates_are_counted_and_refused_before_anything_runs(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_unique", "table": "user", "columns": ["email"]},
        {"action": "add_unique", "table": "event_log", "columns": ["camera", "label"]},
    ], "event_log", "1 duplicated value", "event_log_camera_label")


def test_a_unique_constraint_a_foreign_key_needs_cannot_be_dropped(adopted, specs, run):
    refused_up_front(adopted, specs, run, [
        {"action": "add_unique", "table": "device", "columns": ["name"], "name": "device_name_key"},
        {"action": "add_column", "table": "event_log", "column_name": "device_name",
         "field": "ForeignKeyField('device', field='name', null=True)"},
        {"action": "drop_unique", "table": "device", "name": "device_name_key"},
    ], "device_name_key", "foreign key")


def test_drop_unique_of_a_plain_unique_index_says_to_use_drop_index(adopted, specs, run):
    if adopted.backend == "mysql":
        pytest.skip("MariaDB keeps a UNIQUE constraint as a unique index: drop_unique drops either (README)")
    refused_up_front(adopted, specs, run, [
        {"action": "add_index", "table": "user", "columns": ["email"], "unique": True, "name": "user_email_idx"},
        {"action": "drop_unique", "table": "user", "name": "user_email_idx"},
    ], "user_email_idx", "drop_index", code=2)


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_an_old_server_that_would_ignore_a_check_is_refused_clearly(database):
    """The version test lives in the dialect: the server's own version (10.11 here) enforces CHECK; one it
    reports as older would ignore it."""
    from migrator.dialects import dialect_for

    db = database.connect()
    try:
        dialect = dialect_for(db)
        assert dialect.unenforced_check() is None
        db.server_version = (10, 1, 48)  # what an older MariaDB reports
        said = dialect.unenforced_check()
        assert "MariaDB 10.1.48 would accept a CHECK constraint and ignore it" in said
        assert "10.2.1" in said
    finally:
        db.close()


# -- failing as it runs ------------------------------------------------------------------------------------------

def test_a_version_failing_after_its_constraints_leaves_the_database_as_it_was(adopted, specs, run):
    """On MySQL/MariaDB, where DDL commits by itself, the constraints already made are undone by their inverses."""
    specs("v1.1.0", [
        {"action": "add_check", "table": "order", "name": "order_price_not_negative", "check": "price >= 0"},
        {"action": "drop_unique", "table": "user", "name": "user_tenant_name_key"},
        {"action": "add_unique", "table": "MixedCase", "columns": ["CamelCol"]},
        {"action": "drop_check", "table": "order", "name": "order_qty_positive"},
        {"action": "sql", "sql": "UPDATE no_such_table SET x = 1", "down": "SELECT 1"},
    ])
    before = snapshot(adopted, catalog=True)
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err, out + err
    assert "operation 4 (sql)" in err
    after = snapshot(adopted, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and cat.differences(before[1], after[1]) == []
    assert adopted.history() == [("v1.0.0", "applied")]
    assert [t for t in adopted.tables() if t.startswith("_migrator_") and t != "_migrator_layout"] == []


def test_a_check_after_an_sql_operation_is_checked_on_the_rows_as_they_are_then(adopted, specs, run):
    order = q(adopted, "order")
    specs("v1.1.0", [
        {"action": "sql", "sql": f"UPDATE {order} SET price = -1 WHERE id = 1",
         "down": f"UPDATE {order} SET price = 9.99 WHERE id = 1"},
        {"action": "add_check", "table": "order", "name": "order_price_not_negative", "check": "price >= 0"},
    ])
    before = snapshot(adopted, catalog=True)
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err, out + err
    assert "order has 1 row that violates check order_price_not_negative" in err
    after = snapshot(adopted, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and cat.differences(before[1], after[1]) == []
    assert adopted.history() == [("v1.0.0", "applied")]


def test_a_column_renamed_after_a_check_on_it_in_the_same_version(adopted, specs, run):
    """The check names the column as it is then; the rename carries it (SQLite adds the check by a rebuild first)."""
    database = adopted

    def applied():
        assert constraint_in_catalog(database, "order", "order_price_not_negative") is not None
        assert fails(database, f"UPDATE {q(database, 'order')} SET cost = -5 WHERE id = 1")

    applied_and_rolled_back(database, specs, run, [
        {"action": "add_check", "table": "order", "name": "order_price_not_negative", "check": "price >= 0"},
        {"action": "rename_column", "table": "order", "old_name": "price", "new_name": "cost"},
    ], applied)


def test_a_check_is_one_expression_not_statements(adopted, specs, run):
    path = specs("v1.1.0", [{"action": "add_check", "table": "order", "name": "order_x",
                             "check": "1 = 1); DELETE FROM user; SELECT (1"}])
    before = snapshot(adopted, catalog=True)
    for command in ("validate", "plan", "migrate"):
        code, out, err = run(command)
        assert code == 2 and "Traceback" not in err, out + err
        assert f"{path}, operation 0 (add_check), parameter 'check': a check is one SQL expression" in err
    after = snapshot(adopted, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and cat.differences(before[1], after[1]) == []


LONG_TABLE, LONG_REFERENCED = "customer_loyalty_program_membership", "customer_account"
LONG_COLUMN = "referring_customer_account_id"


def test_names_peewee_makes_longer_than_the_server_keeps_roll_back(database, specs, run):
    """Peewee's names can be 64 characters long; PostgreSQL keeps the first 63 of a longer one. An index, a
    unique constraint and a foreign key named by default are named in the stored inverse as the server keeps
    them: status sees no drift, and rollback finds and drops each of them."""
    from conftest import ok

    specs("v1.0.0", [{"action": "create_table", "table": LONG_REFERENCED, "columns": {"nm": "CharField()"}},
                     {"action": "create_table", "table": LONG_TABLE,
                      "columns": {LONG_COLUMN: "IntegerField(null=True)", "other_customer_reference_id":
                                  "IntegerField(null=True)"}}])
    ok(run, "migrate")
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [
        {"action": "add_foreign_key", "table": LONG_TABLE, "columns": [LONG_COLUMN], "ref_table": LONG_REFERENCED},
        {"action": "add_index", "table": LONG_TABLE, "columns": [LONG_COLUMN, "id"]},
        {"action": "add_unique", "table": LONG_TABLE, "columns": ["other_customer_reference_id", LONG_COLUMN]}])
    ok(run, "migrate")
    status = json.loads(ok(run, "status", "--json"))
    assert status["drift"] is None, status["drift"]
    found = cat.catalog(database)
    names = cat.index_names(found, LONG_TABLE)
    assert len(names) >= 2 and all(len(n) <= 64 for n in names), names
    ok(run, "rollback", "--yes")
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == []
    assert after[1] == before[1]
    assert database.versions() == ["v1.0.0"]


def test_names_of_64_characters_peewee_makes_are_dropped_restored_and_named(database, specs, run):
    """Peewee names an index or a foreign key with up to 64 characters, and MariaDB and SQLite keep all 64: a
    table holding such names is dropped and given back by rollback (its key's name read back into field text),
    and a spec can name the index. PostgreSQL keeps 63: there a 64-character name is refused before anything
    runs, naming what the server would make of it."""
    from conftest import ok
    from playhouse.migrate import make_index_name

    specs("v1.0.0", [{"action": "create_table", "table": LONG_REFERENCED, "columns": {"nm": "CharField()"}},
                     {"action": "create_table", "table": LONG_TABLE,
                      "columns": {LONG_COLUMN: "IntegerField(null=True)", "customer_loyalty_notes": "TextField()"}},
                     {"action": "add_foreign_key", "table": LONG_TABLE, "columns": [LONG_COLUMN],
                      "ref_table": LONG_REFERENCED},
                     {"action": "add_index", "table": LONG_TABLE, "columns": [LONG_COLUMN, "customer_loyalty_notes"]
                      if database.backend != "mysql" else [LONG_COLUMN, "id"]}])
    ok(run, "migrate")
    database.execute(f"INSERT INTO {LONG_REFERENCED} (nm) VALUES ('Zoë')")
    database.execute(f"INSERT INTO {LONG_TABLE} ({LONG_COLUMN}, customer_loyalty_notes) VALUES (1, 'gold')")
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "drop_table", "table": LONG_TABLE}])
    ok(run, "migrate")
    ok(run, "rollback", "--yes")
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == [] and after[1] == before[1]

    index = make_index_name(LONG_TABLE, [LONG_COLUMN, "customer_loyalty_notes" if database.backend != "mysql"
                                         else "id"])
    assert len(index) == 64
    specs("v1.1.0", [{"action": "drop_index", "table": LONG_TABLE, "index_name": index}])
    if database.backend == "postgres":
        code, out, err = run("migrate")
        assert code == 2 and f"parameter 'index_name': PostgreSQL keeps 63 characters of a name, and '{index}' has " \
                             f"64: there it is '{index[:63]}'" in err, err
        assert snapshot(database, catalog=True)[0] == before[0]
    else:
        ok(run, "migrate")
        assert index not in cat.index_names(cat.catalog(database), LONG_TABLE)
