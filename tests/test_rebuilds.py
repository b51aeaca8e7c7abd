"""SQLite: the table rebuilds of a version are shared, one per table, and lose nothing."""
import pytest

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

FIVE_CHANGES = [
    {"action": "add_column", "table": "big", "column_name": "flag", "field": "IntegerField(default=3)"},
    {"action": "rename_column", "table": "big", "old_name": "name", "new_name": "title"},
    {"action": "drop_column", "table": "big", "column_name": "extra"},
    {"action": "add_not_null", "table": "big", "column": "note"},
    {"action": "alter_column_type", "table": "big", "column": "score", "field": "FloatField()"},
]
REBUILD = 'ALTER TABLE "big" RENAME TO "_migrator_old_big"'  # the table moved aside to be rebuilt


@pytest.fixture
def big(database, specs, run):
    specs("v1.0.0", [
        {"action": "create_table", "table": "big", "columns": {
            "name": "CharField(max_length=40)", "note": "TextField(null=True)", "score": "IntegerField()",
            "extra": "TextField(null=True)", "created_at": "DateTimeField(index=True)"}},
    ])
    assert run("migrate")[0] == 0
    database.execute(*(f"INSERT INTO big (name, note, score, extra, created_at) VALUES "
                       f"('n{i}', 'note {i}', {i * 7}, 'extra {i}', '2024-01-01 00:00:{i:02d}')" for i in range(1, 21)))
    specs("v1.1.0", FIVE_CHANGES)
    return database.schema(), rows(database)


def rows(database):
    return database.query("SELECT id, name, note, score, extra, created_at FROM big ORDER BY id")


def statements(err, text):
    return sum(line.startswith(f"sql: {text}") for line in err.splitlines())


@pytest.mark.parametrize("flags", [(), ("--no-backup",)], ids=["backups", "no-backup"])
def test_five_changes_to_one_table_cost_one_rebuild_each_way(database, run, big, flags):
    schema, before = big
    code, _, err = run("migrate", "-v", *flags)
    assert code == 0, err
    assert statements(err, REBUILD) == 1
    assert statements(err, 'UPDATE "big"') == 0  # the new column's value came with it, not by rewriting rows

    columns = {c["name"]: c for c in database.schema()["big"]["columns"]}
    assert set(columns) == {"id", "title", "note", "score", "created_at", "flag"}
    assert columns["flag"]["null"] is False and columns["flag"]["default"] is None  # a Peewee default: in Python
    assert columns["note"]["null"] is False
    assert columns["score"]["type"] == "REAL"
    assert database.query("SELECT title, flag, score FROM big WHERE id = 2") == [("n2", 3, 14.0)]
    assert database.query("SELECT COUNT(*) FROM big") == [(20,)]
    assert {i["name"] for i in database.schema()["big"]["indexes"]} == {"big_created_at"}

    code, out, err = run("rollback", "-v")
    assert code == 0, err
    assert statements(err, REBUILD) == 1
    assert database.schema() == schema
    if flags:
        assert "big.extra: the schema is restored, but its data was not kept" in out
        assert database.query("SELECT COUNT(extra) FROM big") == [(0,)]
    else:
        assert rows(database) == before  # every value, the dropped column's and the retyped one's too
    assert database.tables() == ["_migrator_layout", "big", "schema_migrations"]


def test_the_plan_shows_the_shared_rebuild_once_under_the_operation_before_it_runs(run, big):
    import json

    code, out, err = run("plan", "--json")
    assert code == 0, err
    steps = json.loads(out)["versions"][0]["operations"]
    rebuilds = [step["index"] for step in steps for sql in step["sql"] if sql.startswith(REBUILD)]
    assert rebuilds == [4]  # at the end of the version, after the last operation that shares it


def test_an_operation_that_cannot_share_the_rebuild_runs_after_it(database, specs, run, big):
    specs("v1.1.0", FIVE_CHANGES[3:] + [
        {"action": "add_index", "table": "big", "columns": ["note"]},
        {"action": "drop_not_null", "table": "big", "column": "note"},
    ])
    code, _, err = run("migrate", "-v")
    assert code == 0, err
    assert statements(err, REBUILD) == 2  # one before the index, one for what comes after it
    columns = {c["name"]: c for c in database.schema()["big"]["columns"]}
    assert columns["note"]["null"] is True and columns["score"]["type"] == "REAL"
    assert {i["name"] for i in database.schema()["big"]["indexes"]} == {"big_created_at", "big_note"}
    assert run("rollback")[0] == 0
