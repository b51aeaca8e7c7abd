"""The history table's own layout: a database migrated by 0.2.0 (layout 1, unrecorded) keeps working, is upgraded
in place under the run's lock by the first command that writes, and a layout newer than this release is refused.

The databases are real ones made by migrator 0.2.0 and dumped by each backend's own tool (tests/golden)."""
import json
import sqlite3

import pytest

import migrator
from migrator import history as hist
from migrator.locks import hold

from conftest import REPO, column_order, ok

GOLDEN = REPO / "tests" / "golden" / "history_layout_1"
SPECS = REPO / "specs"
HISTORY_COLUMNS = ["id", "version", "description", "checksum", "applied_at", "execution_ms", "inverse", "state",
                   "detail", "applied_by", "tool_version", "fingerprint", "schema_after", "retries", "unsafe_ok"]


def load_golden(database):
    """The database as migrator 0.2.0 left it: v1.0.0 to v1.2.0 applied over six rows, with two backups."""
    text = (GOLDEN / f"{database.backend}.sql").read_text()
    if database.backend == "sqlite":
        with sqlite3.connect(database.name) as con:
            con.executescript(text)
        return
    db = database.connect()
    try:
        if database.backend == "postgres":
            db.connect()
            db.connection().cursor().execute(text)  # no parameters: the dump's text as it is
            db.connection().commit()
        else:
            for statement in text.split(";\n"):
                if statement.strip():
                    db.execute_sql(statement)
    finally:
        db.close()


def layout_rows(database):
    if hist.LAYOUT_TABLE not in database.tables():
        return []
    return database.query(f"SELECT history_table, layout, tool_version FROM {hist.LAYOUT_TABLE}")


def history_columns(database):
    return column_order(database, "schema_migrations")


@pytest.fixture
def old(database, cli):
    """A database migrated by 0.2.0, and `run(...)` pointing the command at it and the shipped specs."""
    load_golden(database)

    def run(*args):
        return cli(*args, "--database-url", database.url, "--specs-dir", SPECS)

    return run


def test_a_database_migrated_by_0_2_0_is_read_as_it_is_and_not_written_by_read_only_commands(database, old):
    code, out, err = old("status", "--json")
    status = json.loads(out)
    assert code == 0, err
    assert [(v["version"], v["state"], v["tool_version"]) for v in status["versions"]] == [
        ("v1.0.0", "applied", "0.2.0"), ("v1.1.0", "applied", "0.2.0"), ("v1.2.0", "applied", "0.2.0")]
    assert status["history_layout"] == {"found": 1, "this_release": hist.LAYOUT}
    assert status["drift"] is None
    assert "layout 1, upgraded in place to" in old("status")[1]
    for command in ("validate", "plan", "verify", "schema"):
        code, out, err = old(command)
        assert code == 0 and "Traceback" not in err, (command, out, err)
    assert layout_rows(database) == []  # nothing recorded by a command that only reads


def test_the_first_command_that_writes_upgrades_the_layout_and_rolls_back_with_0_2_0s_stored_inverses(database, old):
    before = database.query("SELECT id, version, checksum, inverse, applied_by, tool_version FROM schema_migrations "
                            "ORDER BY id")
    assert len(before) == 3
    ok(old, "rollback", "v1.0.0", "--yes")
    assert layout_rows(database) == [("schema_migrations", hist.LAYOUT, migrator.__version__)]
    assert history_columns(database) == HISTORY_COLUMNS  # the 0.2.0 columns, in place: nothing rebuilt or lost
    assert database.query("SELECT id, version, checksum, inverse, applied_by, tool_version FROM schema_migrations "
                          "ORDER BY id") == before[:1]
    # v1.1.0's stored inverse, written by 0.2.0, gave posts its author_id values and its title back
    assert sorted(database.query("SELECT id, author_id, title FROM posts")) == [(1, 1, "Hello"), (2, 2, "Café")]
    assert "articles" not in database.tables()
    ok(old, "migrate")
    code, out, _ = old("status", "--json")
    status = json.loads(out)
    assert [v["state"] for v in status["versions"]] == ["applied"] * 3
    assert status["history_layout"] == {"found": hist.LAYOUT, "this_release": hist.LAYOUT}
    assert sorted(database.query("SELECT id, post_title FROM articles")) == [(1, "Hello"), (2, "Café")]


def test_the_upgrade_waits_for_the_runs_lock(database, old):
    from migrator.config import Settings

    settings = Settings.load({"database_url": database.url, "specs_dir": str(SPECS)})
    with migrator.Migrator(settings=settings) as other, hold(other.dialect, settings):
        code, out, err = old("migrate", "--lock-timeout", "0.5")
    assert code == 3, (out, err)
    assert layout_rows(database) == []  # not upgraded by a run that did not get the lock


def test_a_newer_layout_than_this_release_knows_is_refused_by_every_command(database, old):
    ok(old, "rollback", "--yes")  # upgrades to this release's layout, and leaves v1.2.0 pending
    database.execute(f"UPDATE {hist.LAYOUT_TABLE} SET layout = {hist.LAYOUT + 1}, tool_version = '9.0.0'")
    applied = database.query("SELECT version FROM schema_migrations ORDER BY id")
    for command in ("status", "migrate", "rollback", "validate", "repair", "verify", "plan"):
        code, out, err = old(command, "--yes") if command == "rollback" else old(command)
        assert code == 4, (command, out, err)
        assert "Traceback" not in err
        assert (f"has layout {hist.LAYOUT + 1}, recorded by migrator 9.0.0; this migrator ({migrator.__version__}) "
                f"knows layouts up to {hist.LAYOUT}: upgrade migrator") in err, (command, err)
    assert database.query("SELECT version FROM schema_migrations ORDER BY id") == applied
    assert layout_rows(database) == [("schema_migrations", hist.LAYOUT + 1, "9.0.0")]


def test_a_later_layout_is_reached_step_by_step_in_place_once(database, old, monkeypatch):
    """The mechanism a later release uses: each layout's step runs once, in order, and the layout is recorded."""
    ran = []

    def add_note_column(history):
        ran.append(3)
        history.db.execute_sql("ALTER TABLE schema_migrations ADD COLUMN note VARCHAR(100)")

    monkeypatch.setitem(hist.UPGRADES, hist.LAYOUT + 1, ("a note per version", add_note_column))
    monkeypatch.setattr(hist, "LAYOUT", hist.LAYOUT + 1)
    ok(old, "rollback", "--yes")
    ok(old, "migrate")
    assert ran == [3]  # layout 1 went through every step to the newest; the second command found it done
    assert history_columns(database) == HISTORY_COLUMNS + ["note"]
    assert layout_rows(database) == [("schema_migrations", hist.LAYOUT, migrator.__version__)]
    assert [v for v, in database.query("SELECT version FROM schema_migrations ORDER BY id")] == [
        "v1.0.0", "v1.1.0", "v1.2.0"]


def test_a_new_history_table_is_made_at_this_releases_layout(database, cli, tmp_path):
    ok(cli, "migrate", "v1.0.0", "--database-url", database.url, "--specs-dir", SPECS)
    assert layout_rows(database) == [("schema_migrations", hist.LAYOUT, migrator.__version__)]
    assert history_columns(database) == HISTORY_COLUMNS


def test_a_command_refused_or_with_nothing_to_do_leaves_the_layout_as_it_was(database, old):
    refused = [(("rollback", "v9.9.9"), 2), (("rollback", "--steps", "0"), 2), (("baseline", "v1.0.0"), 4),
               (("migrate", "v1.2.0"), 0), (("repair",), 0), (("prune", "v1.0.0", "--yes"), 0),
               (("repair", "--yes"), 0)]
    for args, code in refused:
        found, out, err = old(*args)
        assert found == code and "Traceback" not in err, (args, out, err)
    database.execute("CREATE TABLE made_by_hand (id INTEGER PRIMARY KEY)")
    found, _, err = old("migrate", "--strict")
    assert found == 4 and "drift stops a command that writes" in err, err
    database.execute("DROP TABLE made_by_hand")
    assert layout_rows(database) == []


def test_a_layout_record_that_is_not_a_layout_is_refused_with_what_to_do(database, old):
    ok(old, "rollback", "--yes")
    bad = "'abc'" if database.backend == "sqlite" else "0"  # only SQLite keeps text in an INTEGER column
    database.execute(f"UPDATE {hist.LAYOUT_TABLE} SET layout = {bad}")
    for command in ("status", "migrate"):
        code, _, err = old(command)
        assert code == 4 and "Traceback" not in err, err
        assert (f"the layout recorded for the history table schema_migrations in {hist.LAYOUT_TABLE} is {bad}, "
                "not a layout this or any release writes") in err
        assert "delete its row to have the table read as layout 1" in err


@pytest.mark.parametrize("kind", ["sqlite", "postgres", "mysql"])
def test_a_history_write_sends_what_peewee_builds(kind):
    """History writes reuse the SQL Peewee builds for their columns: the statement and its parameters are Peewee's
    own for the same values, on each backend (a datetime, JSON text, NULLs, integers)."""
    import datetime

    import peewee

    from migrator.history import History

    db = {"sqlite": peewee.SqliteDatabase(":memory:"), "postgres": peewee.PostgresqlDatabase("unused"),
          "mysql": peewee.MySQLDatabase("unused")}[kind]
    history = History(db, "schema_migrations")
    sent = []
    db.execute_sql = lambda sql, params=None: sent.append((sql, params))
    values = {"version": "v1.0.0", "description": None, "checksum": "ab" * 32,
              "applied_at": datetime.datetime(2026, 1, 2, 3, 4, 5), "execution_ms": 7, "inverse": "[]",
              "state": "running", "detail": '{"done": 0}', "applied_by": "me@host", "tool_version": "0.3.0",
              "retries": 0, "unsafe_ok": None, "fingerprint": "cd" * 32}
    for kind_, changes, row_id in (("insert", values, None), ("update", {"detail": None, "state": "applied",
                                                                          "execution_ms": 3}, 12)):
        history._write(kind_, changes, row_id)
        query = history.Row.insert(**changes) if row_id is None else \
            history.Row.update(**changes).where(history.Row.id == row_id)
        assert sent[-1] == query.sql()
