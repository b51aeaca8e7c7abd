"""MariaDB online DDL: each statement an operation makes asks for ALGORITHM=INSTANT, then for ALGORITHM=INPLACE,
LOCK=NONE; a change the server can only make by copying the table (or locking it against writes) runs on a table
of at most --max-rows rows, or with the operation's unsafe_ok, or to undo, and is refused otherwise, with nothing
left half done.

What reached the server is read from `migrate -v` (each statement as it is sent, refused ones included); what it
made, from the catalog."""
import re

import pytest

from conftest import snapshot

pytestmark = pytest.mark.parametrize("database", ["mysql"], indirect=True)

ROWS = 50
TABLES = {"description": "parents and items", "operations": [
    {"action": "create_table", "table": "parents", "columns": {"label": "CharField(max_length=20)"}},
    {"action": "create_table", "table": "items", "columns": {
        "qty": "IntegerField()",
        "name": "CharField(max_length=20)",
        "note": "IntegerField(null=True)",
        "parent_id": "IntegerField(null=True)",
        "owner_id": "IntegerField(null=True)",
    }},
    {"action": "add_index", "table": "items", "columns": ["qty"], "name": "items_qty"},
    {"action": "add_check", "table": "items", "name": "items_qty_check", "check": "qty >= 0"},
    {"action": "add_foreign_key", "table": "items", "columns": ["parent_id"], "ref_table": "parents",
     "name": "items_parent"},
]}


def with_rows(database, run, specs):
    """v1 applied, with ROWS rows in items."""
    specs("v1", TABLES)
    code, out, err = run("migrate")
    assert code == 0, out + err
    database.execute("INSERT INTO parents (label) VALUES ('p')",
                     "INSERT INTO items (qty, name, note, parent_id) VALUES " + ", ".join(
                         f"({i}, 'n{i}', {i}, 1)" for i in range(ROWS)))


def mariadb_only(database):
    version = database.query("SELECT VERSION()")[0][0]
    if "MariaDB" not in version:
        pytest.skip(f"the algorithms each change gets are MariaDB's (this server is MySQL {version})")


def sent(err):
    """The changes to the user's tables `migrate -v` shows sent to the server, in order (not to migrator's own:
    its history, a backup kept for the rollback)."""
    lines = [line[len("sql: "):] for line in err.splitlines() if line.startswith("sql: ")]
    return [s for s in lines if s.startswith(("ALTER TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX", "DROP INDEX"))
            and "schema_migrations" not in s and "_migrator_" not in s]


def algorithm(statement):
    if statement.endswith("ALGORITHM=INSTANT"):
        return "instant"
    if statement.endswith("LOCK=NONE"):
        return "inplace"
    return "copy"


def asks_cheapest_first(statement):
    """INSTANT, or for an index, which is never instant, INPLACE without a lock."""
    index = statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")) or " DROP INDEX " in statement
    return algorithm(statement) == ("inplace" if index else "instant")


def applied(run, *more):
    code, out, err = run("migrate", "-v", *more)
    assert code == 0, out + err
    return out, sent(err)


# (operation, what the server did: the algorithm of the statement that ran last, how the table is after)
CASES = {
    "add_column": ({"action": "add_column", "table": "items", "column_name": "extra",
                    "field": "IntegerField(null=True)"}, "instant"),
    "drop_column": ({"action": "drop_column", "table": "items", "column_name": "note"}, "instant"),
    "rename_column": ({"action": "rename_column", "table": "items", "old_name": "note", "new_name": "remark"},
                      "instant"),
    "alter_column_type widening": ({"action": "alter_column_type", "table": "items", "column": "name",
                                    "field": "CharField(max_length=40)"}, "instant"),
    "add_default": ({"action": "add_default", "table": "items", "column": "note", "default": 3}, "instant"),
    "add_not_null": ({"action": "add_not_null", "table": "items", "column": "note"}, "inplace"),
    "drop_not_null": ({"action": "drop_not_null", "table": "items", "column": "qty"}, "inplace"),
    "add_index": ({"action": "add_index", "table": "items", "columns": ["name"], "name": "items_name"}, "inplace"),
    "drop_index": ({"action": "drop_index", "table": "items", "index_name": "items_qty"}, "inplace"),
    "rename_index": ({"action": "rename_index", "table": "items", "old_name": "items_qty",
                      "new_name": "items_quantity"}, "instant"),
    "add_unique": ({"action": "add_unique", "table": "items", "columns": ["name"], "name": "items_name_key"},
                   "inplace"),
    "drop_check": ({"action": "drop_check", "table": "items", "name": "items_qty_check"}, "instant"),
    # the key goes at once, then the index the server made for it, in place
    "drop_foreign_key": ({"action": "drop_foreign_key", "table": "items", "name": "items_parent"}, "inplace"),
    # the server checks each row: it copies the table (50 rows: within --max-rows)
    "add_check": ({"action": "add_check", "table": "items", "name": "items_note_check", "check": "note >= 0"},
                  "copy"),
    "add_foreign_key": ({"action": "add_foreign_key", "table": "items", "columns": ["owner_id"],
                         "ref_table": "parents", "name": "items_owner"}, "copy"),
    "alter_column_type int to bigint": ({"action": "alter_column_type", "table": "items", "column": "qty",
                                         "field": "BigIntegerField()"}, "copy"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_change_asks_for_the_cheapest_algorithm_and_rolls_back_the_same_way(database, run, specs, case):
    mariadb_only(database)
    with_rows(database, run, specs)
    before = snapshot(database)
    operation, expected = CASES[case]
    specs("v2", {"description": case, "operations": [operation]})
    out, statements = applied(run)
    assert statements and asks_cheapest_first(statements[0]), statements
    assert algorithm(statements[-1]) == expected, statements
    # each statement that names no algorithm ran after the server refused both that it was asked first
    for number, statement in enumerate(statements):
        if algorithm(statement) == "copy":
            assert [algorithm(s) for s in statements[number - 2:number]] == ["instant", "inplace"], statements
    assert ("copied items" in out) == (expected == "copy"), out
    assert database.query("SELECT COUNT(*) FROM items") == [(ROWS,)]
    assert snapshot(database) != before
    code, out, err = run("rollback", "v1", "-v", "--yes")
    assert code == 0, out + err
    assert asks_cheapest_first(sent(err)[0]), sent(err)
    assert snapshot(database) == before


def test_rename_table_is_sent_as_it_is(database, run, specs):
    # RENAME TABLE takes no algorithm: it changes the catalog only
    mariadb_only(database)
    with_rows(database, run, specs)
    specs("v2", {"operations": [{"action": "rename_table", "old_name": "items", "new_name": "goods"}]})
    code, out, err = run("migrate", "-v")
    assert code == 0, out + err
    assert "sql: RENAME TABLE `items` TO `goods`" in err.splitlines()
    assert database.query("SELECT COUNT(*) FROM goods") == [(ROWS,)]


WIDEN_QTY = {"action": "alter_column_type", "table": "items", "column": "qty", "field": "BigIntegerField()"}


def untouched(database, before, rows):
    """The schema, the rows and the history as they were before the refused version."""
    assert snapshot(database) == before
    assert database.query("SELECT id, qty, name, note FROM items ORDER BY id") == rows
    assert database.history() == [("v1", "applied")]


def test_a_copy_of_a_table_above_max_rows_is_refused_and_nothing_changes(database, run, specs):
    mariadb_only(database)
    with_rows(database, run, specs)
    before, rows = snapshot(database), database.query("SELECT id, qty, name, note FROM items ORDER BY id")
    specs("v2", {"operations": [WIDEN_QTY]})
    code, out, err = run("migrate", "--max-rows", "10")
    assert code == 1
    assert "Traceback" not in err
    message = out + err
    # refused before anything runs, from the rating lint gives (see test_lint.py)
    for words in ("v2, operation 0 (alter_column_type)", "--max-rows 10", "would copy items",
                  '"unsafe_ok": "<why>"', "Nothing was changed"):
        assert words in message, message
    assert "items has about 50 rows" in message, message
    untouched(database, before, rows)


def test_the_servers_refusal_as_it_runs_leaves_the_first_operation_undone(database, run, specs, monkeypatch):
    """The backstop behind the refusal before the run (which follows lint's ratings): the server refusing the
    online algorithms as the statement runs. MariaDB commits each DDL statement: the first operation's column is
    dropped again by its inverse."""
    from migrator.dialects.mysql import MysqlDialect

    mariadb_only(database)
    monkeypatch.setattr(MysqlDialect, "refuses_large_copies", False)  # as if lint had rated it otherwise
    with_rows(database, run, specs)
    before, rows = snapshot(database), database.query("SELECT id, qty, name, note FROM items ORDER BY id")
    specs("v2", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        WIDEN_QTY]})
    code, out, err = run("migrate", "--max-rows", "10")
    assert code == 1
    assert "v2, operation 1 (alter_column_type)" in out + err
    assert "the 1 operation already done" in out + err
    for words in ("--max-rows 10", "Cannot change column type", '"unsafe_ok": "<why>"'):
        assert words in out + err, out + err
    # the rows counted (up to --max-rows + 1), or the server's estimate when it is higher (and not stale)
    assert re.search(r"items has (about 50|more than 10) rows", out + err), out + err
    untouched(database, before, rows)


def test_unsafe_ok_accepts_the_copy_and_says_so(database, run, specs):
    mariadb_only(database)
    with_rows(database, run, specs)
    specs("v2", {"operations": [{**WIDEN_QTY, "unsafe_ok": "50 rows, at night"}]})
    out, statements = applied(run, "--max-rows", "10")
    assert [algorithm(s) for s in statements] == ["instant", "inplace", "copy"], statements
    assert "accepted by unsafe_ok: 50 rows, at night" in out
    assert database.query("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                          "TABLE_NAME = 'items' AND COLUMN_NAME = 'qty'") == [("bigint",)]
    assert database.query("SELECT SUM(qty) FROM items") == [(sum(range(ROWS)),)]


def test_a_table_of_at_most_max_rows_is_copied_with_a_note(database, run, specs):
    mariadb_only(database)
    with_rows(database, run, specs)
    specs("v2", {"operations": [WIDEN_QTY]})
    out, statements = applied(run, "--max-rows", str(ROWS))
    assert algorithm(statements[-1]) == "copy", statements
    assert "note: v2: operation 0 (alter_column_type): MariaDB copied items" in out
    assert f"{ROWS} rows, within --max-rows {ROWS}" in out


def test_a_rollback_may_copy_a_table_above_max_rows(database, run, specs):
    # The user asked to undo: a rollback is never refused halfway for a copy (its inverse has no unsafe_ok).
    mariadb_only(database)
    with_rows(database, run, specs)
    before = snapshot(database)
    specs("v2", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {**WIDEN_QTY, "unsafe_ok": "accepted"}]})
    applied(run, "--max-rows", "10")
    code, out, err = run("rollback", "v1", "--yes", "--max-rows", "10")
    assert code == 0, out + err
    # named by the file's operation it undoes (the first step of the rollback)
    assert "note: v2: undoing operation 1 (alter_column_type): MariaDB copied items" in out
    assert "50 rows, to undo" in out
    assert snapshot(database) == before
    assert database.query("SELECT SUM(qty) FROM items") == [(sum(range(ROWS)),)]


def test_plan_shows_the_statements_as_they_are(database, run, specs):
    # which algorithm the server takes is known when it runs: plan shows what the operation does, and its first
    # line what migrate asks the server for
    mariadb_only(database)
    with_rows(database, run, specs)
    specs("v2", {"operations": [WIDEN_QTY, {"action": "add_index", "table": "items", "columns": ["name"]}]})
    code, out, err = run("plan", "--max-rows", "10")
    assert code == 0, out + err
    header, steps = out.split("\n", 1)
    assert "ALTER TABLE `items` MODIFY `qty` BIGINT NOT NULL" in steps
    assert "ALGORITHM" not in steps
    assert "migrate sends each ALTER TABLE with ALGORITHM=INSTANT first" in header


def test_an_sql_operation_runs_as_written(database, run, specs):
    # the user's own statements are never changed, nor refused for a copy
    mariadb_only(database)
    with_rows(database, run, specs)
    statement = "ALTER TABLE items MODIFY qty BIGINT NOT NULL"
    specs("v2", {"operations": [{"action": "sql", "sql": statement,
                                 "down": "ALTER TABLE items MODIFY qty INT NOT NULL"}]})
    code, out, err = run("migrate", "-v", "--max-rows", "10")
    assert code == 0, out + err
    assert f"sql: {statement}" in err.splitlines()
    assert "ALGORITHM" not in err

