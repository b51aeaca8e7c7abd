"""The riskiest path, tested without MariaDB: where DDL is not transactional (MySQL/MariaDB) the runner journals
each step in the history row, compensates a failure by undoing the steps already run, leaves a version `failed`
for `migrator repair` when that undo fails too, and keeps what a rollback destroys until it has succeeded.

Here that path runs on SQLite, with the dialect's `transactional_ddl` switched off for the test: the runner, the
journal, repair and the API take the same branches as on MariaDB (the SQLite run's own transaction is committed
when a version fails, as MariaDB's DDL would have been). Each test checks that the path really ran: the journal is
read from inside the run by an sql operation that copies the history row into a table, and a rollback's
`_migrator_undo_` tables are seen there too; without the journaled path those copies find nothing.

The journaled path never runs an SQLite table rebuild that an operation deferred (it does not call
`dialect.settle`; MariaDB has none to run), so these versions use only operations that need no rebuild; the
fixture fails a test that asks for one, rather than let it pass on a rebuild that never happened.
"""
import json
from collections import Counter

import pytest

from conftest import ok, sqlite_only

pytestmark = sqlite_only

NOT_SQL = "THIS IS NOT SQL"


@pytest.fixture(autouse=True)
def journaled(monkeypatch):
    """SQLite as a backend without transactional DDL, for this test only."""
    from migrator.dialects.sqlite import SqliteDialect

    monkeypatch.setattr(SqliteDialect, "transactional_ddl", False)
    rebuilds = []
    defer = SqliteDialect._defer_rebuild

    def recorded(self, ctx, name, columns):
        rebuilds.append((name, ctx.position))
        return defer(self, ctx, name, columns)

    monkeypatch.setattr(SqliteDialect, "_defer_rebuild", recorded)
    yield
    assert not rebuilds, f"the test asked for SQLite table rebuilds {rebuilds}, which the journaled path never runs"


def journal_probe(version, into="seen"):
    """An sql statement that copies the version's history row, as the run sees it, into `into`."""
    return (f"INSERT INTO {into} (what) SELECT state || ' ' || COALESCE(detail, '') FROM schema_migrations "
            f"WHERE version = '{version}'")


def seen(database, table="seen"):
    """What the probes copied: [(state, detail or None)]."""
    found = []
    for what, in database.query(f"SELECT what FROM {table} ORDER BY rowid"):
        state, _, detail = what.partition(" ")
        found.append((state, json.loads(detail) if detail.startswith("{") else detail or None))
    return found


def catalog(database, leave_out=("seen",)):
    """Every object SQLite keeps with its SQL text, the history table's and `leave_out` left out."""
    return database.query(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND tbl_name != 'schema_migrations' AND tbl_name NOT IN (" + ", ".join(f"'{t}'" for t in leave_out) + ") "
        "ORDER BY type, name")


def rows(database, table):
    return Counter(database.query(f'SELECT * FROM "{table}"'))


def own_tables(database, prefix="_migrator_"):
    """migrator's tables of the run (backups, undo copies), not the record of the history's layout."""
    from migrator.history import LAYOUT_TABLE

    return sorted(t for t in database.tables() if t.startswith(prefix) and t != LAYOUT_TABLE)


def states(run):
    out = ok(run, "status", "--json")
    return {v["version"]: v["state"] for v in json.loads(out)["versions"]}


BASE = {"description": "items, and a table for what the runs see", "operations": [
    {"action": "create_table", "table": "items", "columns": {
        "name": "CharField(max_length=50)", "note": "CharField(max_length=20)"}},
    {"action": "add_index", "table": "items", "columns": ["note"]},
    {"action": "create_table", "table": "seen", "columns": {"what": "TextField(null=True)"}},
]}


@pytest.fixture
def items(database, specs, run):
    """v1.0.0 applied, items holding rows; the catalog and rows as they are then."""
    specs("v1.0.0", BASE)
    ok(run, "migrate")
    database.execute("INSERT INTO items (name, note) VALUES ('a', 'x'), ('b', 'y'), ('b', 'y')")
    return catalog(database), rows(database, "items"), database.schema()


def test_the_journaled_path_is_the_one_that_runs(database, specs, run, items):
    # plan on a backend without transactional DDL only generates SQL, as on MariaDB: the API saw the switch
    specs("v2.0.0", [{"action": "add_column", "table": "items", "column_name": "extra",
                      "field": "IntegerField(null=True)"}])
    plan = json.loads(ok(run, "plan", "--json"))
    assert plan["method"].startswith("generated only")
    # a version that succeeds was journaled while it ran, then recorded as applied with no journal left
    specs("v2.0.0", [{"action": "add_column", "table": "items", "column_name": "extra",
                      "field": "IntegerField(null=True)"},
                     {"action": "sql", "sql": journal_probe("v2.0.0"), "down": "DELETE FROM seen"}])
    ok(run, "migrate")
    (state, detail), = seen(database)
    assert state == "running" and detail["direction"] == "migrate" and detail["done"] == 1
    assert [s["action"] for s in detail["undo"]] == ["drop_column"]
    assert [s["action"] for s in detail["in_flight"]] == ["sql"]
    assert database.query("SELECT version, state, detail FROM schema_migrations ORDER BY id") == [
        ("v1.0.0", "applied", None), ("v2.0.0", "applied", None)]


def test_a_version_failing_at_its_third_operation_is_compensated(database, specs, run, items):
    before, before_rows, schema = items
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "add_index", "table": "items", "columns": ["name"]},
        {"action": "sql", "sql": [journal_probe("v2.0.0"), NOT_SQL], "down": "SELECT 1"},
    ]})
    code, _, err = run("migrate")
    assert code == 1, err
    assert "v2.0.0, operation 2 (sql)" in err and "syntax error" in err
    assert "the 2 operations already done were undone" in err
    assert "the database is back where it was before v2.0.0" in err
    # the journal row written while the version ran is gone, not left running
    assert database.history() == [("v1.0.0", "applied")]
    assert states(run) == {"v1.0.0": "applied", "v2.0.0": "pending"}
    assert catalog(database) == before  # the column and the index are gone, every SQL text as it was
    assert rows(database, "items") == before_rows
    assert database.schema() == schema
    assert own_tables(database) == []
    # what the run journaled before its third operation: the undo of the two done, newest first, each naming the
    # operation it undoes, and the undo of the one about to run
    (state, detail), = seen(database)
    assert state == "running"
    assert detail["direction"] == "migrate" and detail["done"] == 2
    assert [(s["action"], s["undoes"]) for s in detail["undo"]] == [
        ("drop_index", {"operation": 1, "action": "add_index"}),
        ("drop_column", {"operation": 0, "action": "add_column"})]
    assert detail["in_flight"] == [{"action": "sql", "sql": ["SELECT 1"], "down": [journal_probe("v2.0.0"), NOT_SQL],
                                    "undoes": {"operation": 2, "action": "sql"}}]
    # and the version applies once fixed
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "add_index", "table": "items", "columns": ["name"]}]})
    ok(run, "migrate")
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "applied")]


def test_a_compensated_version_leaves_no_backup_table(database, specs, run, items):
    before, before_rows, schema = items
    specs("v2.0.0", [{"action": "drop_table", "table": "items"},
                     {"action": "sql", "sql": [journal_probe("v2.0.0"),
                                               "INSERT INTO seen (what) SELECT 'backup ' || name FROM sqlite_master "
                                               "WHERE name LIKE '\\_migrator\\_backup\\_%' ESCAPE '\\'",
                                               NOT_SQL], "down": "SELECT 1"}])
    code, _, err = run("migrate")
    assert code == 1 and "back where it was before v2.0.0" in err, err
    assert "the 1 operation already done was undone" in err
    assert own_tables(database) == []
    assert catalog(database) == before and rows(database, "items") == before_rows
    assert database.schema() == schema
    assert database.history() == [("v1.0.0", "applied")]
    (state, detail), backup = seen(database)
    assert state == "running" and detail["done"] == 1
    assert [s["action"] for s in detail["undo"]] == ["create_table", "restore_data", "add_index"]
    assert backup == ("backup", "_migrator_backup_2_0_0_0")  # the rows were kept while the version ran


@pytest.fixture
def failed_undo(database, specs, run, items):
    """v2.0.0 fails at operation 1, and undoing operation 0 fails too: SQLite cannot drop a column a view uses,
    and operation 1 made one before failing."""
    specs("v2.0.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "extra", "field": "IntegerField(null=True)"},
        {"action": "sql", "sql": ["CREATE VIEW items_extra_blocker AS SELECT extra FROM items", NOT_SQL], "down": "SELECT 1"},
    ]})
    code, _, err = run("migrate")
    assert code == 1
    assert "v2.0.0, operation 1 (sql)" in err
    assert "undoing the 1 operation already done then failed" in err
    assert "v2.0.0 is marked failed, with its backups kept: run `migrator repair`" in err
    return items


def test_a_failed_undo_marks_the_version_failed_with_its_journal(database, run, failed_undo):
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "failed")]
    assert states(run)["v2.0.0"] == "failed"
    detail, = database.query("SELECT detail FROM schema_migrations WHERE version = 'v2.0.0'")[0]
    detail = json.loads(detail)
    assert detail["direction"] == "migrate" and detail["failed_index"] == 1
    assert detail["undo"] == [{"action": "drop_column", "table": "items", "column_name": "extra",
                               "undoes": {"operation": 0, "action": "add_column"}}]
    assert "syntax error" in detail["error"] and "items_extra_blocker" in detail["undo_error"]
    # the part that ran is still there: the column, and the view that blocked its undo
    assert "extra" in {c["name"] for c in database.schema()["items"]["columns"]}
    assert ("view", "items_extra_blocker") in {(t, n) for t, n, *_ in catalog(database)}


def test_a_failed_version_blocks_migrate_and_rollback_with_exit_4(database, run, failed_undo):
    code, _, err = run("migrate")
    assert code == 4 and "v2.0.0" in err and "repair" in err
    code, _, err = run("rollback")
    assert code == 4 and "v2.0.0" in err
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "failed")]


def test_repair_finishes_the_undo_of_a_failed_version(database, run, failed_undo):
    before, before_rows, schema = failed_undo
    # what blocked the undo is fixed by hand first; repair then finishes it from the journal
    database.execute("DROP VIEW items_extra_blocker")
    code, out, err = run("repair")
    assert code == 0, err
    assert "v2.0.0" in out
    assert database.history() == [("v1.0.0", "applied")]
    assert states(run) == {"v1.0.0": "applied", "v2.0.0": "pending"}
    assert catalog(database) == before and rows(database, "items") == before_rows
    assert database.schema() == schema


def test_repair_accept_records_what_ran_as_applied(database, run, failed_undo):
    ok(run, "repair", "--accept")
    status = json.loads(ok(run, "status", "--json"))
    assert status["current"] == "v2.0.0" and status["drift"] is None
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "applied")]
    inverse, detail = database.query("SELECT inverse, detail FROM schema_migrations WHERE version = 'v2.0.0'")[0]
    assert detail is None
    assert json.loads(inverse) == [{"action": "drop_column", "table": "items", "column_name": "extra",
                                    "undoes": {"operation": 0, "action": "add_column"}}]


def test_a_run_killed_during_an_operation_leaves_its_journal_and_repair_undoes_it(
        database, specs, run, items, monkeypatch):
    """The process dies after an operation's DDL ran and before the journal says so: repair weighs the undo the
    journal holds for the operation in flight, finds that it ran, and undoes it with the rest."""
    from migrator import Migrator
    from migrator.dialects.sqlite import SqliteDialect

    before, before_rows, schema = items
    specs("v2.0.0", [{"action": "add_column", "table": "items", "column_name": "extra",
                      "field": "IntegerField(null=True)"},
                     {"action": "add_index", "table": "items", "columns": ["name"]},
                     {"action": "add_index", "table": "items", "columns": ["extra"]}])
    with monkeypatch.context() as killed:
        add_index = SqliteDialect.add_index

        def add_index_then_die(self, ctx, op):
            add_index(self, ctx, op)
            raise KeyboardInterrupt  # as a signal arriving just after the statement

        killed.setattr(SqliteDialect, "add_index", add_index_then_die)
        with pytest.raises(KeyboardInterrupt), Migrator(database.url, specs_dir=specs.folder) as m:
            m.migrate()
    detail, = database.query("SELECT detail FROM schema_migrations WHERE version = 'v2.0.0'")[0]
    detail = json.loads(detail)
    assert detail["done"] == 1
    assert [s["action"] for s in detail["undo"]] == ["drop_column"]
    assert detail["in_flight"] == [{"action": "drop_index", "table": "items", "index_name": "items_name",
                                    "undoes": {"operation": 1, "action": "add_index"}}]
    assert ("index", "items_name") in {(t, n) for t, n, *_ in catalog(database)}  # it ran
    assert states(run)["v2.0.0"] == "failed"  # running, but no run holds the lock
    code, _, err = run("migrate")
    assert code == 4 and "repair" in err
    ok(run, "repair")
    assert database.history() == [("v1.0.0", "applied")]
    assert catalog(database) == before and rows(database, "items") == before_rows
    assert database.schema() == schema


@pytest.fixture
def rollback_blocked(database, specs, run):
    """v1.1.0 applied, whose undo fails at its last step (the down of its first operation, an sql one): a table
    it drops was dropped by hand. The steps before it undo a drop_table (from its backup) and a create_table."""
    specs("v1.0.0", [
        {"action": "create_table", "table": "kept", "columns": {"v": "TextField()", "n": "IntegerField(index=True)"}},
        {"action": "create_table", "table": "blocker", "columns": {"x": "IntegerField(null=True)"}},
        {"action": "create_table", "table": "seen", "columns": {"what": "TextField(null=True)"}},
    ])
    ok(run, "migrate")
    database.execute("INSERT INTO kept (v, n) VALUES ('a', 1), ('b', 2), ('b', 2)")
    kept_rows = rows(database, "kept")
    specs("v1.1.0", [
        {"action": "sql", "sql": "SELECT 1", "down": [
            journal_probe("v1.1.0"),
            "INSERT INTO seen (what) SELECT 'undo ' || name FROM sqlite_master "
            "WHERE name LIKE '\\_migrator\\_undo\\_%' ESCAPE '\\'",
            "DROP TABLE blocker"]},
        {"action": "drop_table", "table": "kept"},
        {"action": "create_table", "table": "fresh", "columns": {"x": "IntegerField(null=True)"}},
    ])
    ok(run, "migrate")
    database.execute("INSERT INTO fresh (x) VALUES (1), (2), (NULL)", "DROP TABLE blocker")
    return kept_rows


def test_a_rollback_failing_halfway_keeps_the_version_and_every_backup(database, run, rollback_blocked):
    backups = {t: rows(database, t) for t in own_tables(database, "_migrator_backup_")}
    assert list(backups) == ["_migrator_backup_1_1_0_1"] and backups["_migrator_backup_1_1_0_1"] == rollback_blocked
    before, fresh = catalog(database), rows(database, "fresh")
    code, _, err = run("rollback", "--yes")
    assert code == 1, err
    assert "undoing v1.1.0, operation 0 (sql) by sql" in err and "no such table: blocker" in err
    assert "still applied" in err and "back where it was before" not in err
    assert "the undo of 2 operations already done was undone" in err
    # the version stays applied, with its backup and every row the rollback had dropped
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert {t: rows(database, t) for t in own_tables(database, "_migrator_backup_")} == backups
    assert own_tables(database, "_migrator_undo_") == []
    assert rows(database, "fresh") == fresh  # dropped by the rollback, then given back from what it kept
    assert catalog(database) == before and "kept" not in database.tables()
    # it was journaled, and kept what it dropped until it failed
    (state, detail), undo_table = seen(database)
    assert state == "running" and detail["direction"] == "rollback"
    assert [s["action"] for s in detail["undo"]] == ["drop_index", "drop_table", "create_table", "restore_data"]
    assert undo_table == ("undo", "_migrator_undo_1_1_0_0")  # named by the step that kept it
    # once what blocked it is back, the same rollback succeeds, from the backups kept
    database.execute("CREATE TABLE blocker (x INTEGER)")
    ok(run, "rollback", "--yes")
    assert database.history() == [("v1.0.0", "applied")]
    assert rows(database, "kept") == rollback_blocked
    assert "fresh" not in database.tables() and "blocker" not in database.tables()
    assert own_tables(database) == []


def test_a_rollback_killed_part_way_advises_repair_only_and_repair_accept_is_refused_as_bad_input(
        database, specs, run, items, monkeypatch):
    """A rollback interrupted between two steps of its undo: the version stays applied once repaired; keeping the
    half-rolled-back state (--accept) is not a thing repair does, and says so with exit 2, changing nothing."""
    from migrator import Migrator
    from migrator.dialects.sqlite import SqliteDialect

    before, before_rows, schema = items
    specs("v2.0.0", [{"action": "add_index", "table": "items", "columns": ["name"]},
                     {"action": "add_index", "table": "items", "columns": ["note", "name"]}])
    ok(run, "migrate")
    with monkeypatch.context() as killed:
        drop_index = SqliteDialect.drop_index

        def drop_index_then_die(self, *args):
            drop_index(self, *args)
            raise KeyboardInterrupt  # as a signal arriving just after the statement

        killed.setattr(SqliteDialect, "drop_index", drop_index_then_die)
        with pytest.raises(KeyboardInterrupt), Migrator(database.url, specs_dir=specs.folder) as m:
            m.rollback()
    code, _, err = run("migrate")
    assert code == 4, err
    assert ("v2.0.0 did not finish (rollback): the database may be part-way through it. Run `migrator repair` to "
            "undo the part of the rollback that ran: the version stays applied.") in err
    assert "--accept" not in err
    history = database.query("SELECT version, state, detail FROM schema_migrations ORDER BY id")
    code, _, err = run("repair", "--accept")
    assert code == 2 and "Traceback" not in err, err
    assert "--accept is for a version that failed while being applied. Nothing was changed" in err
    assert database.query("SELECT version, state, detail FROM schema_migrations ORDER BY id") == history
    ok(run, "repair")
    assert database.history() == [("v1.0.0", "applied"), ("v2.0.0", "applied")]
    ok(run, "rollback", "--yes")
    assert catalog(database) == before and rows(database, "items") == before_rows
