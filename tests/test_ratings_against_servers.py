"""Each rating lint gives is what the server really does. PostgreSQL: the statements `plan` shows run in a
transaction kept open while another session reads the lock they hold on the table from pg_locks; a rewrite is a
changed relfilenode, a scan a sequential scan counted in pg_stat_xact_user_tables. MariaDB: a copy is refused
with ALGORITHM=INSTANT and with ALGORITHM=INPLACE, LOCK=NONE; an instant change is accepted with ALGORITHM=INSTANT;
a rewrite (rebuilt online) is accepted with LOCK=NONE but not INSTANT; a brief lock with NOCOPY, LOCK=NONE."""
import json

import pytest

from conftest import ok

ROWS = 200
TABLES = {
    "postgres": ["CREATE TABLE ref (id INTEGER PRIMARY KEY)", "INSERT INTO ref VALUES (1)",
                 "CREATE TABLE items (id SERIAL PRIMARY KEY, name VARCHAR(50), n INTEGER, d NUMERIC(10,2), "
                 "r INTEGER, nn VARCHAR(20) NOT NULL DEFAULT 'x')",
                 "CREATE INDEX items_d ON items (d)",
                 f"INSERT INTO items (name, n, d, r) SELECT 'item ' || g, g, g, 1 FROM generate_series(1, {ROWS}) g"],
    "mysql": ["CREATE TABLE ref (id INTEGER PRIMARY KEY)", "INSERT INTO ref VALUES (1)",
              "CREATE TABLE items (id INTEGER AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), n INTEGER, "
              "d DECIMAL(10,2), r INTEGER, nn VARCHAR(20) NOT NULL DEFAULT 'x', INDEX items_d (d))",
              "INSERT INTO items (name, n, d, r) SELECT CONCAT('item ', seq), seq, seq, 1 FROM seq_1_to_200"],
}
TABLES["sqlite"] = ["CREATE TABLE ref (id INTEGER PRIMARY KEY)", "INSERT INTO ref VALUES (1)",
                    "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50), n INTEGER, d DECIMAL(10,2), "
                    "r INTEGER, nn VARCHAR(20) NOT NULL DEFAULT 'x')",
                    "CREATE INDEX items_d ON items (d)",
                    f"WITH RECURSIVE g(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM g WHERE v < {ROWS}) "
                    "INSERT INTO items (name, n, d, r) SELECT 'item ' || v, v, v, 1 FROM g"]
WRITE_BLOCKING = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}
OPERATIONS = [  # on PostgreSQL, the safe forms that are the default are rated for the other helper's work: the
    # plain forms ("online": false) are checked here
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
    {"action": "add_column", "table": "items", "column_name": "k", "field": "IntegerField(default=3)"},
    {"action": "drop_column", "table": "items", "column_name": "name"},
    {"action": "rename_column", "table": "items", "old_name": "name", "new_name": "title"},
    {"action": "rename_table", "old_name": "items", "new_name": "things"},
    {"action": "add_default", "table": "items", "column_name": "n", "default": 5},
    {"action": "drop_default", "table": "items", "column_name": "nn"},
    {"action": "drop_not_null", "table": "items", "column_name": "nn"},
    {"action": "add_not_null", "table": "items", "column_name": "n", "online": False},
    {"action": "add_index", "table": "items", "columns": ["n"], "online": False},
    {"action": "drop_index", "table": "items", "index_name": "items_d", "online": False},
    {"action": "rename_index", "table": "items", "old_name": "items_d", "new_name": "items_dd"},
    {"action": "add_unique", "table": "items", "columns": ["n"], "name": "items_n_unique"},
    {"action": "add_check", "table": "items", "name": "n_positive", "check": "n > 0"},
    {"action": "add_foreign_key", "table": "items", "columns": ["r"], "ref_table": "ref", "online": False},
    {"action": "alter_column_type", "table": "items", "column_name": "name", "field": "CharField(max_length=60, null=True)"},
    {"action": "alter_column_type", "table": "items", "column_name": "name", "field": "CharField(max_length=120, null=True)"},
    {"action": "alter_column_type", "table": "items", "column_name": "name", "field": "TextField(null=True)"},
    {"action": "alter_column_type", "table": "items", "column_name": "d", "field": "DecimalField(12, 2, null=True)"},
    {"action": "alter_column_type", "table": "items", "column_name": "n", "field": "BigIntegerField(null=True)"},
    # a type changed in place that also becomes NOT NULL: PostgreSQL's SET NOT NULL scans, MariaDB rebuilds
    {"action": "alter_column_type", "table": "items", "column_name": "name",
     "field": "CharField(max_length=60, null=False)"},
]


def rated_and_planned(database, run, specs, operation):
    """The operation's rating by lint, and the statements plan shows for it (its backups left out: they are
    migrator's own copy of the data, read before the operation)."""
    database.execute("DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS things", "DROP TABLE IF EXISTS ref",
                     *TABLES[database.backend])
    specs("v1.0.0", {"description": "One operation", "operations": [operation]})
    entry, = json.loads(ok(run, "lint", "--json"))["operations"]
    step, = json.loads(ok(run, "plan", "--json"))["versions"][0]["operations"]
    assert entry["rows"] == ROWS, operation
    return entry["rating"], [s for s in step["sql"] if "_migrator_backup" not in s]


def label(operation):
    return f"{operation['action']} {operation.get('field', '')}"


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_postgresql_holds_the_lock_and_rewrites_as_each_rating_says(database, run, specs):
    import psycopg2

    for operation in OPERATIONS:
        rating, statements = rated_and_planned(database, run, specs, operation)
        runner, watcher = psycopg2.connect(database.url), psycopg2.connect(database.url)
        watcher.autocommit = True
        try:
            file_before, scans_before = _table_state(runner)
            with runner.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            file_after, scans_after = _table_state(runner)
            locks = _locks_held(watcher, runner.get_backend_pid(), file_before[1])
        finally:
            runner.rollback()
            runner.close()
            watcher.close()
        rewritten, scanned = file_after[0] != file_before[0], scans_after > scans_before
        what = f"{label(operation)}: rated {rating}, locks {locks}, rewritten {rewritten}, scanned {scanned}"
        if rating == "scan under lock":
            assert locks & WRITE_BLOCKING and scanned and not rewritten, what
        elif rating == "rewrite":
            assert rewritten and locks & WRITE_BLOCKING, what
        else:
            assert rating in ("instant", "brief lock") and not rewritten and not scanned, what


ONLINE = [  # PostgreSQL's safe forms, the default: each statement a step of its own, committed
    {"action": "add_index", "table": "items", "columns": ["n"]},
    {"action": "drop_index", "table": "items", "index_name": "items_d"},
    {"action": "add_not_null", "table": "items", "column_name": "n"},
    {"action": "add_foreign_key", "table": "items", "columns": ["r"], "ref_table": "ref"},
    # added NULL-able, filled (an UPDATE: it blocks no writer but those of its rows), then add_not_null's safe form
    {"action": "add_column", "table": "items", "column_name": "paid", "field": "CharField(max_length=10)",
     "fill": "paid"},
    {"action": "add_not_null", "table": "items", "column_name": "n", "fill": 0},
]


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_postgresql_safe_forms_never_scan_while_holding_a_lock_that_blocks_writes(database, run, specs):
    # A brief lock: no statement of the operation both reads the table and blocks writes, none rewrites it, and a
    # CONCURRENTLY one lets a writer in while it holds its lock.
    import psycopg2

    for operation in ONLINE:
        rating, statements = rated_and_planned(database, run, specs, operation)
        assert rating == "brief lock", operation
        for statement in statements:
            if "CONCURRENTLY" in statement:
                locks = _concurrently(database.url, statement)
                assert locks and not locks & WRITE_BLOCKING, f"{statement}: {locks}"
                continue
            runner, watcher = psycopg2.connect(database.url), psycopg2.connect(database.url)
            watcher.autocommit = True
            try:
                before, scans_before = _table_state(runner)
                runner.cursor().execute(statement)
                after, scans_after = _table_state(runner)
                locks = _locks_held(watcher, runner.get_backend_pid(), before[1])
                runner.commit()
            finally:
                runner.close()
                watcher.close()
            scanned = scans_after > scans_before
            assert after[0] == before[0], f"{statement} rewrote the table"
            assert not (scanned and locks & WRITE_BLOCKING), f"{statement}: scanned under {locks}"


def _concurrently(url, statement):
    """The locks a CONCURRENTLY statement holds on the table while it waits for a writer's open transaction to
    end; a second writer must get in meanwhile (waiting no longer than a second)."""
    import threading

    import psycopg2

    connections = [psycopg2.connect(url) for _ in range(4)]
    writer, runner, watcher, second = connections
    runner.autocommit = watcher.autocommit = True
    try:
        writer.cursor().execute("UPDATE items SET n = n WHERE id = 1")  # held open: the statement waits for it
        oid = _table_state(writer)[0][1]
        thread = threading.Thread(target=lambda: runner.cursor().execute(statement))
        thread.start()
        locks = _wait_for_locks(watcher, runner.get_backend_pid(), oid)
        cursor = second.cursor()
        cursor.execute("SET lock_timeout = '1s'")
        cursor.execute("UPDATE items SET n = n WHERE id = 2")  # fails (lock timeout) if writes are blocked
        second.commit()
        writer.commit()
        thread.join(30)
        return locks
    finally:
        for connection in connections:
            connection.close()


def _wait_for_locks(watcher, pid, oid):
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        locks = _locks_held(watcher, pid, oid)
        if locks:
            return locks
        time.sleep(0.05)
    return set()


def _table_state(connection):
    """((relfilenode, oid) of the table, sequential scans of it in this transaction); the table renamed or not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relfilenode, c.oid, COALESCE(s.seq_scan, 0) FROM pg_class AS c "
                       "LEFT JOIN pg_stat_xact_user_tables AS s ON s.relid = c.oid "
                       "WHERE c.oid = COALESCE(to_regclass('items'), to_regclass('things'))")
        node, oid, scans = cursor.fetchone()
    return (node, oid), scans


def _locks_held(watcher, pid, oid):
    with watcher.cursor() as cursor:
        cursor.execute("SELECT mode FROM pg_locks WHERE pid = %s AND relation = %s AND granted", (pid, oid))
        return {mode for mode, in cursor.fetchall()}


ALGORITHMS = {"instant": "ALGORITHM=INSTANT", "brief lock": "ALGORITHM=NOCOPY, LOCK=NONE",
              "rewrite": "ALGORITHM=INPLACE, LOCK=NONE"}


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_mariadb_accepts_or_refuses_the_algorithm_each_rating_says(database, run, specs):
    import peewee

    for operation in OPERATIONS:
        rating, statements = rated_and_planned(database, run, specs, operation)
        altering = [s for s in statements if s.startswith(("ALTER TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX",
                                                           "DROP INDEX"))]
        if not altering:
            continue  # RENAME TABLE: no algorithm to ask for (it changes the catalog only)
        what = f"{label(operation)}: rated {rating}, {altering}"
        if rating == "copy":
            for algorithm in ("ALGORITHM=INSTANT", "ALGORITHM=INPLACE, LOCK=NONE"):
                with pytest.raises(peewee.DatabaseError):
                    database.execute(*[_asking(s, algorithm) for s in altering])
                    pytest.fail(f"{what}: accepted {algorithm}")
            continue
        database.execute(*[_asking(s, ALGORITHMS[rating]) for s in altering])  # accepted, or it raises
        if rating != "instant":
            rated_and_planned(database, run, specs, operation)  # as it was before
            with pytest.raises(peewee.DatabaseError):
                database.execute(*[_asking(s, "ALGORITHM=INSTANT") for s in altering])
                pytest.fail(f"{what}: accepted ALGORITHM=INSTANT")


def _asking(statement, algorithm):
    if statement.startswith("DROP INDEX"):  # MariaDB's DROP INDEX takes no ALGORITHM: the same as ALTER TABLE
        _, _, index, _, table = statement.split()
        statement = f"ALTER TABLE {table} DROP INDEX {index}"
    if statement.startswith("ALTER TABLE"):
        return f"{statement}, {algorithm}"
    return f"{statement} {algorithm.replace(',', '')}"  # CREATE INDEX takes them without commas


SQLITE_EXTRA = [  # SQLite makes a NOT NULL column in a table rebuild: NOT NULL set after, or its default dropped after
    {"action": "add_column", "table": "items", "column_name": "paid", "field": "BooleanField(default=False)"},
    {"action": "add_column", "table": "items", "column_name": "code", "field": "CharField(max_length=5)",
     "fill": "a"},
    {"action": "add_column", "table": "items", "column_name": "memo", "field": "TextField(null=True)",
     "after": "name"},
    {"action": "add_column", "table": "items", "column_name": "tag", "field": "CharField(max_length=5, null=True, "
     "index=True)"},
]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_copies_the_table_exactly_when_rated_copy(database, run, specs):
    """SQLite changes a table it cannot ALTER by copying it into a new one: the SQL `plan` shows (what migrate
    runs) copies the table exactly when lint rates the operation `copy`."""
    for operation in OPERATIONS + SQLITE_EXTRA:
        rating, statements = rated_and_planned(database, run, specs, operation)
        copied = any(statement.lstrip().upper().startswith("CREATE TABLE") for statement in statements)
        assert (rating == "copy") == copied, f"{label(operation)}: rated {rating}, planned {statements}"
