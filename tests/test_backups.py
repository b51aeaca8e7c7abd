"""Rollback keeps the data: drop_column, drop_table and alter_column_type keep what they destroy
in a `_migrator_backup_<version>_<index>` table, and rollback puts it back row by row.

Also the opt-outs (`"backup": false`, `migrate --no-backup`), what `status` and `prune` say and do
about backups, that backup tables stay out of `schema` and drift, and `verify`, which proves
reversibility on a scratch copy and leaves the real database alone.
"""
import hashlib
import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import column_order, snapshot

BACKUP_PREFIX = "_migrator_backup_"
NOT_KEPT = "data was not kept"

BASE = {"description": "items and tags", "operations": [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=40)",
        "qty": "IntegerField()",  # NOT NULL, indexed, with a server default: all three must come back
        "note": "TextField(null=True)",
        "price": "DecimalField(max_digits=10, decimal_places=4, null=True)",
        "weight": "FloatField(null=True)",
        "seen_at": "DateTimeField(null=True)",
    }},
    {"action": "add_index", "table": "items", "columns": ["qty"]},
    {"action": "add_default", "table": "items", "column": "qty", "default": 7},
    {"action": "create_table", "table": "tags", "columns": {
        "label": "CharField(max_length=20, index=True)",
        "item_id": "IntegerField(null=True)",
    }},
]}

ITEM_COLUMNS = ["id", "name", "qty", "note", "price", "weight", "seen_at"]
ITEM_ROWS = [
    "INSERT INTO items (name, qty, note, price, weight, seen_at) "
    "VALUES ('apple', 3, 'red', 3.1416, 2.75, '2024-01-02 03:04:05')",
    "INSERT INTO items (name, qty, note, price, weight, seen_at) VALUES ('pear', 0, NULL, NULL, NULL, NULL)",
    "INSERT INTO items (name, qty, note, price, weight, seen_at) "
    "VALUES ('gone', 5, 'x', 1.0001, 0.5, '2024-02-03 00:00:00')",
    "INSERT INTO items (name, qty, note, price, weight, seen_at) "
    "VALUES ('it''s', -12, 'multi\nline', -99.9999, -3.25, '1999-12-31 23:59:59')",
    "INSERT INTO items (name, qty, note, price, weight, seen_at) "
    "VALUES ('plum', 41, '', 0.0000, 10.125, '2030-06-15 12:30:00')",
    "DELETE FROM items WHERE id = 3",  # a gap in the keys, so ids are not simply 1..n
]
TAG_ROWS = [
    "INSERT INTO tags (label, item_id) VALUES ('fruit', 1)",
    "INSERT INTO tags (label, item_id) VALUES ('green', 2)",
    "INSERT INTO tags (label, item_id) VALUES ('none', NULL)",
]


# -- helpers ------------------------------------------------------------------------------

@pytest.fixture
def base(database, specs, run):
    """v1.0.0 applied, with rows in items and tags."""
    specs("v1.0.0", BASE)
    code, _, err = run("migrate")
    assert code == 0, err
    database.execute(*ITEM_ROWS, *TAG_ROWS)


def backup_tables(database):
    return [t for t in database.tables() if t.startswith(BACKUP_PREFIX)]


def rows(database, table, columns=None):
    """Every row of the table, columns by name (the order a restored column comes back in does not matter)."""
    columns = columns or sorted(c["name"] for c in database.schema()[table]["columns"])
    return database.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")


def status(run):
    code, out, err = run("status", "--json")
    assert code == 0, err
    return {v["version"]: v for v in json.loads(out)["versions"]}


def file_hash(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# -- drop_column ---------------------------------------------------------------------------

def test_drop_column_keeps_values_by_key_and_rollback_puts_them_back_row_by_row(database, specs, run, base):
    before = snapshot(database)
    qty = rows(database, "items", ["id", "qty"])
    note = rows(database, "items", ["id", "note"])
    specs("v1.1.0", [{"action": "drop_column", "table": "items", "column_name": "qty"},
                     {"action": "drop_column", "table": "items", "column_name": "note"}])
    code, _, err = run("migrate")
    assert code == 0, err
    assert "qty" not in {c["name"] for c in database.schema()["items"]["columns"]}

    # one backup per operation, holding the column with each row's primary key
    assert backup_tables(database) == ["_migrator_backup_1_1_0_0", "_migrator_backup_1_1_0_1"]
    assert database.query("SELECT id, qty FROM _migrator_backup_1_1_0_0 ORDER BY id") == qty
    assert database.query("SELECT id, note FROM _migrator_backup_1_1_0_1 ORDER BY id") == note

    code, _, err = run("rollback")
    assert code == 0, err
    assert rows(database, "items", ["id", "qty"]) == qty
    assert rows(database, "items", ["id", "note"]) == note  # NULLs and '' included
    assert backup_tables(database) == []
    assert snapshot(database) == before  # schema (NOT NULL, default, index) and every other value


def test_drop_column_restores_by_key_even_after_a_row_was_deleted(database, specs, run, base):
    # Values go back matched on the key, not by position: delete a row while the column is gone.
    qty = dict(rows(database, "items", ["id", "qty"]))
    specs("v1.1.0", [{"action": "drop_column", "table": "items", "column_name": "qty"}])
    assert run("migrate")[0] == 0
    database.execute("DELETE FROM items WHERE id = 2")
    assert run("rollback")[0] == 0
    assert rows(database, "items", ["id", "qty"]) == [(i, qty[i]) for i in sorted(qty) if i != 2]


EMPTY = {"action": "create_table", "table": "notes", "columns": {
    "title": "CharField(max_length=40)",
    "body": "TextField(null=True)",  # NULL in every row
    "tag": "CharField(max_length=10, null=True)",  # NULL in every row, but with a server default (below)
    "rank": "IntegerField(null=True)",
}}
EMPTY_DEFAULT = {"action": "add_default", "table": "notes", "column": "tag", "default": "new"}


def test_a_column_null_in_every_row_is_dropped_without_a_backup_and_comes_back_in_place(database, specs, run):
    specs("v1.0.0", [EMPTY, EMPTY_DEFAULT])
    assert run("migrate")[0] == 0
    database.execute("INSERT INTO notes (title, body, tag, rank) VALUES ('a', NULL, NULL, 1), ('b', NULL, NULL, NULL)")
    before, order = snapshot(database, catalog=True), column_order(database, "notes")
    specs("v1.1.0", [{"action": "drop_column", "table": "notes", "column_name": "body"},
                     {"action": "drop_column", "table": "notes", "column_name": "tag"}])
    code, _, err = run("migrate")
    assert code == 0, err
    # body has nothing to keep; tag does: re-added with its default, its NULLs would become 'new'
    assert backup_tables(database) == ["_migrator_backup_1_1_0_1"]
    assert status(run)["v1.1.0"]["backups"] == {"tables": 1, "rows": 2}
    code, _, err = run("rollback")
    assert code == 0, err
    if database.backend == "postgres":  # which cannot place a column: it comes back last (README)
        after = snapshot(database, catalog=True)
        assert after[0]["tables"]["notes"].pop("column_order") == ["id", "title", "rank", "tag", "body"]
        before[0]["tables"]["notes"].pop("column_order")
        assert after == before  # NULLs, the default and the rows as they were
    else:
        assert column_order(database, "notes") == order
        assert snapshot(database, catalog=True) == before
    assert backup_tables(database) == []


def test_a_column_that_holds_one_value_is_kept(database, specs, run):
    specs("v1.0.0", [EMPTY])
    assert run("migrate")[0] == 0
    database.execute("INSERT INTO notes (title, body) VALUES ('a', NULL), ('b', 'the one value')")
    specs("v1.1.0", [{"action": "drop_column", "table": "notes", "column_name": "body"}])
    assert run("migrate")[0] == 0
    assert backup_tables(database) == ["_migrator_backup_1_1_0_0"]
    assert run("rollback")[0] == 0
    assert rows(database, "notes", ["id", "body"]) == [(1, None), (2, "the one value")]


def test_a_rollback_failing_after_dropping_an_empty_column_puts_it_back_in_place(database, specs, run):
    # Where DDL commits by itself (MariaDB), the rollback's own undo adds the column back: empty, where it was.
    specs("v1.0.0", [EMPTY, {"action": "create_table", "table": "blocker", "columns": {"x": "IntegerField()"}}])
    assert run("migrate")[0] == 0
    specs("v1.1.0", [{"action": "sql", "sql": "SELECT 1", "down": "DROP TABLE blocker"},
                     {"action": "add_column", "table": "notes", "column_name": "summary",
                      "field": "TextField(null=True)"}])
    assert run("migrate")[0] == 0
    database.execute("INSERT INTO notes (title) VALUES ('a'), ('b')", "DROP TABLE blocker")  # the down will fail
    before, order = snapshot(database, catalog=True), column_order(database, "notes")
    code, _, err = run("rollback")
    assert code == 1 and "DROP TABLE blocker" in database.query(
        "SELECT inverse FROM schema_migrations WHERE version = 'v1.1.0'")[0][0], err  # still applied
    assert column_order(database, "notes") == order
    assert snapshot(database, catalog=True) == before
    assert [t for t in database.tables() if t.startswith("_migrator_undo_")] == []


def test_a_backup_table_a_killed_run_left_is_replaced_by_the_new_backup(database, specs, run, base):
    # A table of the backup's name (left by a run killed before it could drop it) gives way to the new backup.
    database.execute("CREATE TABLE _migrator_backup_1_1_0_0 (id INTEGER, stale INTEGER)",
                     "INSERT INTO _migrator_backup_1_1_0_0 VALUES (1, 99)")
    qty = rows(database, "items", ["id", "qty"])
    specs("v1.1.0", [{"action": "drop_column", "table": "items", "column_name": "qty"}])
    code, _, err = run("migrate")
    assert code == 0, err
    assert database.query("SELECT id, qty FROM _migrator_backup_1_1_0_0 ORDER BY id") == qty
    assert run("rollback")[0] == 0
    assert rows(database, "items", ["id", "qty"]) == qty
    assert backup_tables(database) == []


# -- drop_table ----------------------------------------------------------------------------

def test_drop_table_keeps_every_row_and_rollback_brings_them_back_with_their_ids(database, specs, run, base):
    before = snapshot(database)
    items = rows(database, "items", ITEM_COLUMNS)
    specs("v1.1.0", [{"action": "drop_table", "table": "items"}])
    code, _, err = run("migrate")
    assert code == 0, err
    assert "items" not in database.schema()
    assert backup_tables(database) == ["_migrator_backup_1_1_0_0"]
    assert database.query(f"SELECT {', '.join(ITEM_COLUMNS)} FROM _migrator_backup_1_1_0_0 ORDER BY id") == items

    code, _, err = run("rollback")
    assert code == 0, err
    assert rows(database, "items", ITEM_COLUMNS) == items
    assert backup_tables(database) == []
    assert snapshot(database) == before

    # The generated key follows the restored rows (on PostgreSQL the sequence is set past them):
    # a new row gets a fresh id instead of colliding with a restored one.
    database.execute("INSERT INTO items (name, qty) VALUES ('new', 1)")
    (new_id,), = database.query("SELECT id FROM items WHERE name = 'new'")
    assert new_id > max(row[0] for row in items)
    # the restored server default is there too
    database.execute("INSERT INTO items (name) VALUES ('defaulted')")
    assert database.query("SELECT qty FROM items WHERE name = 'defaulted'") == [(7,)]


# -- alter_column_type ---------------------------------------------------------------------

LOSSY = [
    pytest.param("price", "DecimalField(max_digits=10, decimal_places=1)", id="decimal-fewer-places"),
    pytest.param("weight", "IntegerField()", id="float-to-integer"),
    pytest.param("seen_at", "DateField()", id="datetime-to-date"),
    pytest.param("name", "CharField(max_length=5)", id="varchar-shorter"),
]


@pytest.mark.parametrize("column, field", LOSSY)
def test_alter_column_type_keeps_the_original_values_and_rollback_restores_them_exactly(
        database, specs, run, base, column, field):
    before = snapshot(database)
    # (for name: preflight refuses values longer than the new length, and none is longer than 5)
    original = rows(database, "items", ["id", column])
    specs("v1.1.0", [{"action": "alter_column_type", "table": "items", "column": column, "field": field}])
    if database.backend != "sqlite" and column != "name":  # SQLite keeps values as they are: nothing is lost
        code, _, err = run("migrate")
        assert code == 1 and "would be lost" in err and "--accept-loss" in err, err
    code, _, err = run("migrate", "--accept-loss")
    assert code == 0, err
    assert backup_tables(database) == ["_migrator_backup_1_1_0_0"]
    assert database.query(f"SELECT id, {column} FROM _migrator_backup_1_1_0_0 ORDER BY id") == original
    if database.backend != "sqlite" and column != "name":
        # the servers really convert (SQLite keeps whatever a column is given), so information is lost here
        assert rows(database, "items", ["id", column]) != original

    code, _, err = run("rollback")
    assert code == 0, err
    assert rows(database, "items", ["id", column]) == original
    assert backup_tables(database) == []
    assert snapshot(database) == before


def test_lossy_alter_really_loses_and_rollback_brings_back_decimal_places(database, specs, run, base):
    # The point of the backup, spelled out on one value: 3.1416 is 3.1 in the new type.
    specs("v1.1.0", [{"action": "alter_column_type", "table": "items", "column": "price",
                      "field": "DecimalField(max_digits=10, decimal_places=1)"}])
    assert run("migrate", "--accept-loss")[0] == 0
    if database.backend != "sqlite":
        assert database.query("SELECT price FROM items WHERE id = 1") == [(Decimal("3.1"),)]
    assert run("rollback")[0] == 0
    (price,), = database.query("SELECT price FROM items WHERE id = 1")
    assert Decimal(str(price)) == Decimal("3.1416")


# -- a table without a primary key gets whole rows back -------------------------------------

KEYLESS_ROWS = [(1, "a", "x"), (1, "a", "x"), (2, "b", None), (3, "it's", "")]  # a duplicated row too


@pytest.fixture
def keyless(database):
    """A table with no primary key, made with raw SQL (create_table always makes one)."""
    database.execute("CREATE TABLE loose (n INTEGER NOT NULL, word VARCHAR(20), extra TEXT)")
    for n, word, extra in KEYLESS_ROWS:
        database.execute("INSERT INTO loose (n, word, extra) VALUES (%d, %s, %s)" % (
            n, "'" + word.replace("'", "''") + "'", "NULL" if extra is None else f"'{extra}'"))
    return snapshot(database)


@pytest.mark.parametrize("operation", [
    pytest.param({"action": "drop_column", "table": "loose", "column_name": "word"}, id="drop_column"),
    pytest.param({"action": "alter_column_type", "table": "loose", "column": "word",
                  "field": "CharField(max_length=4)"}, id="alter_column_type"),
])
def test_table_without_primary_key_gets_its_whole_rows_back(database, specs, run, keyless, operation):
    specs("v1.0.0", [operation])
    code, _, err = run("migrate")
    assert code == 0, err
    # with no key to match on, the backup holds whole rows
    (backup,) = backup_tables(database)
    assert sorted(database.query(f"SELECT n, word, extra FROM {backup}"), key=repr) == sorted(KEYLESS_ROWS, key=repr)

    code, _, err = run("rollback", "base")
    assert code == 0, err
    assert backup_tables(database) == []
    assert snapshot(database) == keyless
    assert sorted(database.query("SELECT n, word, extra FROM loose"), key=repr) == sorted(KEYLESS_ROWS, key=repr)


# -- opting out ----------------------------------------------------------------------------

OPT_OUT = [
    pytest.param([{"action": "drop_column", "table": "items", "column_name": "qty", "backup": False}],
                 id="drop_column-backup-false"),
    pytest.param([{"action": "drop_table", "table": "items", "backup": False}], id="drop_table-backup-false"),
    pytest.param([{"action": "alter_column_type", "table": "items", "column": "price",
                   "field": "DecimalField(max_digits=10, decimal_places=1)", "backup": False}],
                 id="alter_column_type-backup-false"),
]


@pytest.mark.parametrize("operations", OPT_OUT)
def test_backup_false_keeps_no_data_and_rollback_restores_the_schema_saying_so(
        database, specs, run, base, operations):
    schema = database.schema()
    specs("v1.1.0", operations)
    code, _, err = run("migrate", "--accept-loss")  # the decimal places are lost: said so, and accepted
    assert code == 0, err
    assert backup_tables(database) == []
    assert status(run)["v1.1.0"]["backups"] is None

    code, out, err = run("rollback")
    assert code == 0, err
    assert NOT_KEPT in out
    assert database.schema() == schema
    assert backup_tables(database) == []


def test_migrate_no_backup_keeps_no_data_for_any_operation(database, specs, run, base):
    schema = database.schema()
    specs("v1.1.0", [
        {"action": "drop_column", "table": "items", "column_name": "qty"},
        {"action": "alter_column_type", "table": "items", "column": "price",
         "field": "DecimalField(max_digits=10, decimal_places=1)"},
        {"action": "drop_table", "table": "tags"},
    ])
    code, _, err = run("migrate", "--no-backup", "--accept-loss")
    assert code == 0, err
    assert backup_tables(database) == []
    assert status(run)["v1.1.0"]["backups"] is None

    code, out, err = run("rollback")
    assert code == 0, err
    assert NOT_KEPT in out
    for name in ("items.qty", "tags"):  # each thing whose data was lost is named
        assert name in out
    assert database.schema() == schema
    # the NOT NULL column came back holding its default (7); the dropped table came back empty
    assert set(rows(database, "items", ["qty"])) == {(7,)}
    assert rows(database, "tags") == []


# -- status and prune ------------------------------------------------------------------------

@pytest.fixture
def two_versions_with_backups(database, specs, run, base):
    specs("v1.1.0", [{"action": "drop_column", "table": "items", "column_name": "note"},
                     {"action": "drop_table", "table": "tags"}])
    specs("v1.2.0", [{"action": "drop_column", "table": "items", "column_name": "weight"}])
    code, _, err = run("migrate")
    assert code == 0, err


def test_status_json_shows_the_backups_each_applied_version_keeps(database, specs, run,
                                                                  two_versions_with_backups):
    found = status(run)
    assert found["v1.0.0"]["backups"] is None  # create_table and friends keep nothing
    assert found["v1.1.0"]["backups"] == {"tables": 2, "rows": 4 + 3}  # 4 items, 3 tags
    assert found["v1.2.0"]["backups"] == {"tables": 1, "rows": 4}
    specs("v1.3.0", [{"action": "add_column", "table": "items", "column_name": "z", "field": "IntegerField(null=True)"}])
    found = status(run)
    assert found["v1.3.0"]["state"] == "pending" and found["v1.3.0"]["backups"] is None


def test_prune_yes_drops_every_backup_and_rollback_then_says_the_data_was_not_kept(
        database, specs, run, two_versions_with_backups):
    code, out, err = run("prune", "--yes")
    assert code == 0, err
    assert backup_tables(database) == []
    assert all(v["backups"] is None for v in status(run).values())

    code, out, err = run("rollback", "v1.0.0")
    assert code == 0, err
    assert NOT_KEPT in out
    assert "items.weight" in out and "items.note" in out and "tags" in out
    assert "v1.0.0" in {v for v, _ in database.history()}
    # the schema is back; the dropped columns hold NULLs, the dropped table is empty
    assert set(database.schema()) == {"items", "tags"}
    assert set(rows(database, "items", ["note", "weight"])) == {(None, None)}
    assert rows(database, "tags") == []


def test_prune_version_drops_only_the_backups_up_to_that_version(database, specs, run, two_versions_with_backups):
    weights = database.query("SELECT id, weight FROM _migrator_backup_1_2_0_0 ORDER BY id")
    code, out, err = run("prune", "v1.1.0", "--yes")
    assert code == 0, err
    assert backup_tables(database) == ["_migrator_backup_1_2_0_0"]
    found = status(run)
    assert found["v1.1.0"]["backups"] is None
    assert found["v1.2.0"]["backups"] == {"tables": 1, "rows": 4}

    # v1.2.0 still has its data; v1.1.0 does not
    code, out, err = run("rollback")
    assert code == 0, err
    assert NOT_KEPT not in out
    assert rows(database, "items", ["id", "weight"]) == weights
    code, out, err = run("rollback")
    assert code == 0, err
    assert NOT_KEPT in out


def test_prune_without_yes_and_without_a_terminal_exits_2_and_drops_nothing(
        database, run, monkeypatch, two_versions_with_backups):
    # Even a "y" on stdin is no confirmation when stdin is not a terminal.
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    tables = backup_tables(database)
    before = status(run)
    code, out, err = run("prune")
    assert code == 2
    assert "--yes" in err
    assert backup_tables(database) == tables and len(tables) == 3
    assert status(run) == before


# -- backup tables stay out of sight ---------------------------------------------------------

def test_backup_tables_never_appear_in_schema_json_or_drift(database, specs, run, two_versions_with_backups):
    assert len(backup_tables(database)) == 3
    code, out, err = run("schema", "--json")
    assert code == 0, err
    shown = json.loads(out)["tables"]
    assert set(shown) == {"items"}
    code, out, err = run("status", "--json")
    assert code == 0, err
    assert json.loads(out)["drift"] is None
    code, _, err = run("validate")
    assert code == 0, err  # validate fails on drift; backups are not drift


# -- verify ----------------------------------------------------------------------------------

def scratch_spaces(database):
    """Scratch schemas (PostgreSQL) or databases (MySQL) this process's verify may have left behind (the command
    runs in-process; another process's run may have its own on the same server meanwhile)."""
    if database.backend == "postgres":
        names = database.query("SELECT nspname FROM pg_namespace")
    elif database.backend == "mysql":
        names = database.query("SHOW DATABASES")
    else:
        return []
    return [name for name, in names if name.startswith(f"_migrator_verify_{os.getpid()}_")]


def real_state(database):
    state = {"snapshot": snapshot(database), "history": database.history(), "tables": database.tables()}
    if database.backend == "sqlite":
        state["file"] = file_hash(database.name)
    return state


def test_verify_reports_a_reversible_version_and_leaves_the_real_database_unchanged(database, specs, run, base):
    specs("v1.1.0", [
        {"action": "drop_column", "table": "items", "column_name": "note"},
        {"action": "alter_column_type", "table": "items", "column": "price",
         "field": "DecimalField(max_digits=10, decimal_places=1)"},
        {"action": "rename_table", "old_name": "tags", "new_name": "labels"},
    ])
    before = real_state(database)
    code, out, err = run("verify")
    assert code == 0, (out, err)
    assert "v1.1.0" in out and "reversible" in out and "NOT reversible" not in out
    assert "all rows" in out  # how the data was copied
    assert real_state(database) == before
    assert scratch_spaces(database) == []

    code, out, err = run("verify", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["reversible"] is True
    assert report["versions"] == [{"version": "v1.1.0", "reversible": True, "differences": []}]
    assert "all rows" in report["copy"]
    assert real_state(database) == before
    assert scratch_spaces(database) == []


def test_verify_reports_sql_whose_down_does_not_undo_it_with_the_difference(database, specs, run, base):
    # The down leaves the added column in place: rollback "succeeds", but the schema is not as before.
    specs("v1.1.0", [{"action": "sql", "sql": "ALTER TABLE tags ADD COLUMN x INTEGER", "down": "SELECT 1"}])
    before = real_state(database)
    code, out, err = run("verify")
    assert code == 1, (out, err)
    assert "v1.1.0" in out and "NOT reversible" in out
    assert "all rows" in out
    assert real_state(database) == before
    assert scratch_spaces(database) == []

    code, out, err = run("verify", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["reversible"] is False
    (version,) = report["versions"]
    assert version["version"] == "v1.1.0" and version["reversible"] is False
    assert real_state(database) == before
    assert scratch_spaces(database) == []
    # the report names what differs after the rollback: the column the down did not drop
    assert any("tags.x" in d and "added" in d for d in version["differences"]), version


def test_verify_reports_sql_whose_down_leaves_rows_behind_with_the_difference(database, specs, run, base):
    # A data-only difference: same schema after rollback, one row more; applying again works.
    specs("v1.1.0", [{"action": "sql", "sql": "INSERT INTO tags (label) VALUES ('extra')", "down": "SELECT 1"}])
    before = real_state(database)
    code, out, err = run("verify")
    assert code == 1, (out, err)
    assert "v1.1.0" in out and "NOT reversible" in out
    assert "rows of tags differ" in out
    assert "all rows" in out
    assert real_state(database) == before
    assert scratch_spaces(database) == []


@pytest.mark.parametrize("field, kept, placeholder", [("IntegerField()", 7, 0), ("BooleanField()", True, False)],
                         ids=["integer", "boolean"])
def test_rollback_of_a_dropped_not_null_column_gives_rows_added_since_a_placeholder(
        database, specs, cli, field, kept, placeholder, common):
    # A row inserted after the drop has no kept value; NOT NULL must still come back: with --accept-loss only,
    # as the value is invented.
    specs("v1.0.0", [{"action": "create_table", "table": "items",
                      "columns": {"qty": field, "name": "CharField(max_length=20)"}}])
    specs("v1.1.0", [{"action": "drop_column", "table": "items", "column_name": "qty"}])
    assert cli("migrate", "v1.0.0", *common)[0] == 0
    database.execute(f"INSERT INTO items (qty, name) VALUES ({str(kept).upper()}, 'kept')")
    assert cli("migrate", *common)[0] == 0
    database.execute("INSERT INTO items (name) VALUES ('new')")
    code, _, err = cli("rollback", *common)
    assert code == 1 and "1 row added since it was dropped has no value" in err, err
    code, _, err = cli("rollback", "--accept-loss", *common)
    assert code == 0, err
    restored = database.query("SELECT name, qty FROM items ORDER BY id")
    assert [(name, type(kept)(qty)) for name, qty in restored] == [("kept", kept), ("new", placeholder)]
    qty = next(c for c in database.schema()["items"]["columns"] if c["name"] == "qty")
    assert qty["null"] is False

