"""MariaDB online DDL: each statement an operation makes asks for ALGORITHM=INSTANT, then for ALGORITHM=INPLACE,
LOCK=NONE; a change the server can only make by copying the table (or locking it against writes) runs on a table
of at most --max-rows rows, or with the operation's unsafe_ok, or to undo, and is refused otherwise, with nothing
left half done.

What reached the server is read from `migrate -v` (each statement as it is sent, refused ones included); what it
made, from the catalog."""
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
    """The table changes `migrate -v` shows sent to the server, in order."""
    lines = [line[len("sql: "):] for line in err.splitlines() if line.startswith("sql: ")]
    return [s for s in lines if s.startswith(("ALTER TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX", "DROP INDEX"))
            and "schema_migrations" not in s]


def algorithm(statement):
    if statement.endswith("ALGORITHM=INSTANT"):
        return "instant"
    if statement.endswith("LOCK=NONE"):
        return "inplace"
    return "copy"


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
    assert statements and statements[0].endswith("ALGORITHM=INSTANT"), statements
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
    assert sent(err)[0].endswith("ALGORITHM=INSTANT"), sent(err)
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
