"""Faults in real processes and real databases: a run killed with SIGKILL at a random moment,
eight runs racing with different targets, the server dropping the connection mid-version, a
rollback failing part-way, and a password that must never be shown.

The crash loops and the race are random. Every assertion message of theirs carries the seed; replay
a failure with MIGRATOR_FAULT_SEED=<seed>. By default a loop runs a few trials per backend (3 on
SQLite, 2 on each server) to keep the suite quick; with MIGRATOR_FAULT_TRIALS set (to N: max(N, 25)
trials) or with `-m slow` it runs 25 per backend, and the race 5 rounds instead of 1.
"""
import json
import os
import random
import re
import signal
import time
from pathlib import Path

import pytest

from conftest import flags
from processes import all_at_once, kill_after, run, start, stop

FULL_TRIALS = 25
DEFAULT_TRIALS = {"sqlite": 3, "postgres": 2, "mysql": 2}  # a server trial costs seconds: few, to stay quick
SEED = int(os.environ.get("MIGRATOR_FAULT_SEED") or random.SystemRandom().randrange(2 ** 31))


def full_run(config):
    return bool(os.environ.get("MIGRATOR_FAULT_TRIALS")) or bool(
        re.search(r"(?<!not )\bslow\b", config.getoption("markexpr") or ""))


def trial_count(config, backend):
    value = os.environ.get("MIGRATOR_FAULT_TRIALS", "")
    if value.strip().isdigit():
        return max(FULL_TRIALS, int(value))
    return FULL_TRIALS if full_run(config) else DEFAULT_TRIALS[backend]


def replay(seed, *details):
    """The tail of every assertion message of a random test: how to replay it."""
    extra = "; ".join(str(d) for d in details if d)
    return f"[seed {seed}, replay with MIGRATOR_FAULT_SEED={seed}{'; ' + extra if extra else ''}]"


# -- the database after a fault ---------------------------------------------------------------------

def wait_until_quiet(database, timeout=60):
    """Wait until no other session is connected to the test database.

    A client killed mid-statement does not stop the server: PostgreSQL may still be finishing a
    COMMIT the client sent, MariaDB finishes a DDL statement it started. Reading the history before
    they are done would compare a state that is still moving.
    """
    if database.backend == "sqlite":
        return
    if database.backend == "postgres":
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    else:
        sql = "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()"
    deadline = time.monotonic() + timeout
    while database.query(sql, (database.name,))[0][0]:
        assert time.monotonic() < deadline, f"sessions of a killed run are still connected after {timeout} s"
        time.sleep(0.05)


def schema_differences(expected, found):
    """What differs between two introspected schemas, in a few readable lines."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            lines.append(f"table {table} missing")
        elif table not in expected:
            lines.append(f"table {table} unexpected")
        else:
            for part in ("columns", "indexes", "foreign_keys"):
                want = {json.dumps(x, sort_keys=True) for x in expected[table][part]}
                have = {json.dumps(x, sort_keys=True) for x in found[table][part]}
                lines += [f"{table}: {part} missing {x}" for x in sorted(want - have)]
                lines += [f"{table}: {part} unexpected {x}" for x in sorted(have - want)]
    return lines


def drop_everything(database, tmp_path):
    """Back to an empty database, without migrator (a reset between trials, not under test)."""
    if database.backend == "sqlite":
        for path in Path(database.name).parent.glob(Path(database.name).name + "*"):
            path.unlink()
    elif database.backend == "postgres":
        database.execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    else:
        tables = [t for t, in database.query("SELECT table_name FROM information_schema.TABLES "
                                             "WHERE table_schema = %s", (database.name,))]
        database.execute("SET FOREIGN_KEY_CHECKS = 0", *[f"DROP TABLE `{t}`" for t in tables])


# -- twenty-two versions of a few cheap operations ------------------------------------------------

TABLES = ("ta", "tb", "tc")
VERSIONS = [f"v1.{i}.0" for i in range(22)]
# Spreads the timing of a version, so a kill lands inside as well as between operations.
PAUSE = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000) SELECT count(*) FROM c",
    "postgres": "SELECT pg_sleep(0.05)",
    "mysql": "SELECT SLEEP(0.05)",
}


def write_crash_specs(folder, backend, count=len(VERSIONS)):
    """v1.0.0 creates three tables; each later version adds a column to one and an index to another.

    The two operations of a version touch different tables, so undoing one never hides the other:
    a half-applied version shows in the schema. Few tables keep each version's cost flat.
    """
    folder.mkdir(exist_ok=True)
    first = [{"action": "create_table", "table": t, "columns": {"name": "CharField(max_length=40, null=True)"}}
             for t in TABLES]
    (folder / "v1.0.0.json").write_text(json.dumps({"description": "three tables", "operations": first}))
    for i in range(1, count):
        here, there = TABLES[i % 3], TABLES[(i + 1) % 3]
        operations = [{"action": "add_column", "table": here, "column_name": f"c{i}", "field": "IntegerField(null=True)"}]
        if i % 3 == 0:
            operations.append({"action": "sql", "sql": PAUSE[backend], "down": PAUSE[backend]})
        operations.append({"action": "add_index", "table": there, "columns": ["name"], "name": f"ix{i}"})
        (folder / f"{VERSIONS[i]}.json").write_text(json.dumps({"description": f"step {i}", "operations": operations}))
    return folder


class Reference:
    """What a clean run leaves: its final schema, and from it the schema after each prefix of versions.

    Version i (i >= 1) adds exactly column c<i> and index ix<i>, so the schema after the first k versions
    is the clean run's final schema without the columns and indexes of versions k and above.
    """

    def __init__(self, final, seconds):
        self.final = final
        self.seconds = seconds  # how long the clean run took, without the interpreter's start-up

    def after(self, applied):
        """The schema with the first `applied` versions applied."""
        if applied == 0:
            return {}

        def kept(name):
            match = re.fullmatch(r"(?:c|ix)(\d+)", name)
            return not match or int(match.group(1)) < applied

        return {table: {**body, "columns": [c for c in body["columns"] if kept(c["name"])],
                        "indexes": [i for i in body["indexes"] if kept(i["name"])]}
                for table, body in self.final.items()}


_REFERENCES = {}


@pytest.fixture
def reference(database, crash_specs, tmp_path):
    """A clean run of every version, once per backend (on this test's database, emptied afterwards)."""
    if database.backend not in _REFERENCES:
        from migrator import Migrator

        with Migrator(database.url, specs_dir=str(crash_specs)) as m:
            started = time.monotonic()
            m.migrate()
            seconds = time.monotonic() - started
        final = database.schema()
        assert sorted(final) == list(TABLES) and sum(len(t["columns"]) for t in final.values()) == 3 * 2 + 21
        _REFERENCES[database.backend] = Reference(final, seconds)
        drop_everything(database, tmp_path)
    return _REFERENCES[database.backend]


@pytest.fixture
def crash_specs(database, tmp_path):
    return write_crash_specs(tmp_path / "specs", database.backend)


@pytest.fixture
def crash_common(database, crash_specs):
    return flags(database.url, crash_specs, "--lock-timeout", "120")


def resolve_and_check(database, reference, tmp_path, common, context):
    """After a fault: the history is whole versions in order and the schema is exactly theirs.

    On MySQL/MariaDB a version caught part-way is left in its journal: `status` must call it failed,
    and `repair` must bring the database back to a recorded version. Returns the number of applied
    versions.
    """
    wait_until_quiet(database)
    rows = database.history()
    unfinished = [(v, s) for v, s in rows if s != "applied"]
    if unfinished:
        assert database.backend == "mysql", f"{database.backend} left unfinished history rows {unfinished} {context}"
        assert len(unfinished) == 1, f"more than one unfinished version: {rows} {context}"
        status = run(tmp_path, "status", "--json", *common)
        assert status.returncode == 0, f"status: {status.stderr} {context}"
        states = {v["version"]: v["state"] for v in json.loads(status.stdout)["versions"]}
        assert states[unfinished[0][0]] == "failed", f"status shows {states} for {unfinished} {context}"
        repaired = run(tmp_path, "repair", *common)
        assert repaired.returncode == 0, f"repair exited {repaired.returncode}: {repaired.stderr} {context}"
        assert "Traceback" not in repaired.stderr, f"{repaired.stderr} {context}"
        rows = database.history()
    versions = [v for v, _ in rows]
    assert versions == VERSIONS[:len(versions)], f"the history is not a prefix of the versions: {rows} {context}"
    assert all(state == "applied" for _, state in rows), f"history after the fault: {rows} {context}"
    found = database.schema()
    differences = schema_differences(reference.after(len(versions)), found)
    assert not differences, (f"the schema does not match the history ({len(versions)} versions applied, "
                             f"{rows[-1][0] if rows else 'none'} the last): {differences} "
                             f"{'(after repair of ' + str(unfinished) + ')' if unfinished else ''} {context}")
    return len(versions)


# -- a run killed at a random moment --------------------------------------------------------------

@pytest.mark.slow
def test_a_migrate_killed_at_a_random_moment_leaves_only_whole_recorded_versions(
        database, reference, tmp_path, crash_common, request):
    rng = random.Random(f"{SEED}:migrate:{database.backend}")
    estimate = reference.seconds + 0.5  # the interpreter's start-up, on top of the run itself
    for trial in range(trial_count(request.config, database.backend)):
        delay = rng.uniform(0, estimate)
        context = replay(SEED, f"trial {trial}", f"killed after {delay:.3f} s")
        code, _, err = kill_after(start(tmp_path, "migrate", *crash_common), delay)
        assert code in (0, -signal.SIGKILL), f"migrate exited {code}: {err} {context}"
        resolve_and_check(database, reference, tmp_path, crash_common, context)
        # A new run takes over from where the killed one stopped and finishes the job.
        done = run(tmp_path, "migrate", *crash_common)
        assert done.returncode == 0, f"the next migrate exited {done.returncode}: {done.stderr} {context}"
        assert database.history() == [(v, "applied") for v in VERSIONS], context
        assert not schema_differences(reference.final, database.schema()), context
        drop_everything(database, tmp_path)


@pytest.mark.slow
def test_a_rollback_killed_at_a_random_moment_leaves_only_whole_recorded_versions(
        database, reference, tmp_path, crash_common, request, crash_specs):
    from migrator import Migrator

    rng = random.Random(f"{SEED}:rollback:{database.backend}")
    estimate = reference.seconds * 1.3 + 0.5  # a rollback takes a little longer
    for trial in range(trial_count(request.config, database.backend)):
        with Migrator(database.url, specs_dir=str(crash_specs)) as m:
            m.migrate()
        delay = rng.uniform(0, estimate)
        context = replay(SEED, f"trial {trial}", f"killed after {delay:.3f} s")
        code, _, err = kill_after(start(tmp_path, "rollback", VERSIONS[0], *crash_common), delay)
        assert code in (0, -signal.SIGKILL), f"rollback exited {code}: {err} {context}"
        resolve_and_check(database, reference, tmp_path, crash_common, context)
        done = run(tmp_path, "rollback", VERSIONS[0], *crash_common)
        assert done.returncode == 0, f"the next rollback exited {done.returncode}: {done.stderr} {context}"
        assert database.history() == [(VERSIONS[0], "applied")], context
        assert not schema_differences(reference.after(1), database.schema()), context


# -- eight runs at once ---------------------------------------------------------------------------

# What a run may be refused with while others move the database under it (exit 2, README: invalid input).
RACE_REFUSALS = (
    r"is not applied \(applied: ",  # rollback VERSION, after another run rolled it back or before it applied it
    r"is below the current version",  # migrate VERSION, after another run went further
    r"--steps must be between 1 and",  # rollback --steps N with fewer than N applied
)


RACE_VERSIONS = VERSIONS[:8]  # eight runs over a few versions: they meet each other more often


def race_runs(rng):
    """Eight runs, at least three of each kind, with targets all over the range."""
    kinds = ["migrate"] * 3 + ["rollback"] * 3 + [rng.choice(["migrate", "rollback"]) for _ in range(2)]
    rng.shuffle(kinds)
    runs = []
    for kind in kinds:
        shape = rng.random()
        if kind == "migrate":
            runs.append(["migrate"] if shape < 0.25 else ["migrate", rng.choice(RACE_VERSIONS)])
        elif shape < 0.2:
            runs.append(["rollback"])
        elif shape < 0.4:
            runs.append(["rollback", "--steps", str(rng.randint(1, 6))])
        else:
            runs.append(["rollback", rng.choice(RACE_VERSIONS[:-1])])
    return runs


@pytest.mark.slow
def test_eight_racing_runs_with_different_targets_leave_a_whole_prefix_of_versions(
        database, reference, tmp_path, request):
    from migrator import Migrator

    folder = write_crash_specs(tmp_path / "race_specs", database.backend, count=len(RACE_VERSIONS))
    common = flags(database.url, folder, "--lock-timeout", "120")
    rng = random.Random(f"{SEED}:race:{database.backend}")
    rounds = max(5, trial_count(request.config, database.backend) // 5) if full_run(request.config) else 1
    for round_ in range(rounds):
        start_at = rng.randrange(len(RACE_VERSIONS) + 1)
        with Migrator(database.url, specs_dir=str(folder)) as m:
            current = len(database.history())
            if start_at > current:
                m.migrate(RACE_VERSIONS[start_at - 1])
            elif start_at < current:
                m.rollback(RACE_VERSIONS[start_at - 1] if start_at else "base")
        before = {v for v, _ in database.history()}
        runs = race_runs(rng)
        context = replay(SEED, f"round {round_}", f"from {len(before)} versions", f"runs {runs}")
        results = all_at_once(tmp_path, [[*args, *common] for args in runs])
        for args, (code, out, err) in zip(runs, results):
            assert "Traceback" not in err, f"{args}: {err} {context}"
            if code == 2:
                assert any(re.search(p, err) for p in RACE_REFUSALS), f"{args} exited 2: {err} {context}"
            else:
                assert code == 0, f"{args} exited {code}: {err} {context}"
        rows = database.history()
        assert len({v for v, _ in rows}) == len(rows), f"duplicate versions in the history: {rows} {context}"
        assert all(state == "applied" for _, state in rows), f"no run was killed, yet: {rows} {context}"
        resolve_and_check(database, reference, tmp_path, common, context)
        # Every application and every undo was reported by exactly one run: what they say adds up.
        printed = "".join(out for _, out, _ in results)
        after = {v for v, _ in rows}
        for version in RACE_VERSIONS:
            applied = len(re.findall(rf"^applied {re.escape(version)} ", printed, re.M))
            undone = len(re.findall(rf"^rolled back {re.escape(version)} ", printed, re.M))
            assert applied - undone == (version in after) - (version in before), (
                f"{version}: applied {applied} times, rolled back {undone} times, "
                f"{'applied' if version in before else 'pending'} before and "
                f"{'applied' if version in after else 'pending'} after {context}")


# -- the server drops the connection --------------------------------------------------------------

LONG_SQL = {"postgres": "SELECT pg_sleep(5)", "mysql": "SELECT SLEEP(5)"}
ITEMS = {"description": "items", "operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50)"}}]}


def long_version(backend):
    # Something to undo before the long statement, and something after it.
    return {"description": "a note, slowly", "operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        {"action": "sql", "sql": LONG_SQL[backend], "down": "SELECT 1"},
        {"action": "add_index", "table": "items", "columns": ["note"]},
    ]}


def server_session_running(database, text):
    """The server's id of the session running a statement that contains `text`, or None."""
    if database.backend == "postgres":
        rows = database.query("SELECT pid FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                              "AND query LIKE %s AND pid <> pg_backend_pid()", (database.name, f"%{text}%"))
    else:
        rows = database.query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND INFO LIKE %s "
                              "AND ID <> CONNECTION_ID()", (database.name, f"%{text}%"))
    return rows[0][0] if rows else None


def end_session(database, session):
    if database.backend == "postgres":
        assert database.query("SELECT pg_terminate_backend(%s)", (session,)) == [(True,)]
    else:
        database.execute(f"KILL {int(session)}")


@pytest.mark.slow
@pytest.mark.parametrize("database", ["postgres", "mysql"], indirect=True)
def test_a_connection_dropped_by_the_server_fails_the_version_cleanly_and_the_next_run_finishes(
        database, specs, tmp_path, common):
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", long_version(database.backend))
    assert run(tmp_path, "migrate", "v1.0.0", *common).returncode == 0
    at_first = database.schema()

    victim = start(tmp_path, "migrate", *common)
    try:
        deadline = time.monotonic() + 30
        while (session := server_session_running(database, LONG_SQL[database.backend])) is None:
            assert victim.poll() is None, victim.communicate()
            assert time.monotonic() < deadline, "the long statement never showed on the server"
            time.sleep(0.02)
        end_session(database, session)
        out, err = victim.communicate(timeout=60)
    finally:
        stop(victim)
    assert victim.returncode == 1, (victim.returncode, out, err)

    wait_until_quiet(database)
    rows = database.history()
    if database.backend == "mysql" and any(state != "applied" for _, state in rows):
        # The journal could not be finished on the dead connection: the documented way out is repair.
        status = run(tmp_path, "status", "--json", *common)
        assert {v["version"]: v["state"] for v in json.loads(status.stdout)["versions"]}["v1.1.0"] == "failed"
        repaired = run(tmp_path, "repair", *common)
        assert repaired.returncode == 0, repaired.stderr
        rows = database.history()
    assert rows == [("v1.0.0", "applied")], rows
    assert database.schema() == at_first  # the history and the schema agree: v1.1.0 left no trace

    done = run(tmp_path, "migrate", *common)
    assert done.returncode == 0, done.stderr
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert [c["name"] for c in database.schema()["items"]["columns"]] == ["id", "name", "note"]
    # Checked last, so that a failure here means the database side was right.
    assert "Traceback" not in err, err
    assert "v1.1.0" in err and err.startswith("migrator: error: "), err
    assert len(err.strip().splitlines()) == 1, err  # one clear message


# -- the password never shows ---------------------------------------------------------------------

PASSWORD = "Zq9SecretPassw0rdXy"  # trust authentication accepts any password: it only has to be hidden


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_password_in_the_url_never_shows_in_output_errors_or_the_history(database, specs, tmp_path):
    url = database.url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@")
    assert PASSWORD in url
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]})
    common = flags(url, specs.folder)
    outputs = []

    def check(*args, code=0, env=None):
        done = run(tmp_path, *args, env=env, timeout=120)
        outputs.append((args, done))
        assert done.returncode == code, (args, done.stdout, done.stderr)
        return done

    check("plan", *common)
    check("plan", "--json", *common)
    check("-v", "migrate", "v1.0.0", *common)  # -v prints every statement
    check("migrate", "--json", *common)
    check("status", *common)
    check("status", "--json", *common)
    check("schema", *common)
    check("validate", *common)
    check("rollback", *common)
    check("verify", *common)
    check("-v", "rollback", "--json", "base", *common)
    check("migrate", *common)
    # Errors: the database refuses an operation, an unknown version, a bad spec, a database that does
    # not exist, a server that cannot be reached; and the URL given by the environment instead of a flag.
    specs("v1.2.0", {"operations": [{"action": "sql", "sql": "SELECT * FROM no_such_table"}]})
    check("migrate", *common, code=1)
    check("migrate", "--json", *common, code=1)
    specs.folder.joinpath("v1.2.0.json").unlink()
    check("migrate", "v9.9.9", *common, code=2)
    check("rollback", "v9.9.9", *common, code=2)
    specs("v1.3.0", "[{")
    check("migrate", *common, code=2)
    specs.folder.joinpath("v1.3.0.json").unlink()
    missing = url.rsplit("/", 1)[0] + "/no_such_database_here"
    check("status", "--database-url", missing, "--specs-dir", specs.folder, code=1)
    check("migrate", "--json", "--database-url", missing, "--specs-dir", specs.folder, code=1)
    unreachable = f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/nothing"
    check("status", "--database-url", unreachable, "--specs-dir", specs.folder, code=1)
    check("status", "--specs-dir", specs.folder, env={"DATABASE_URL": url})
    check("migrate", "v9.9.9", "--specs-dir", specs.folder, env={"DATABASE_URL": url}, code=2)
    (tmp_path / ".env").write_text(f"DATABASE_URL={missing}\n")
    check("status", "--json", "--specs-dir", specs.folder, code=1)

    for args, done in outputs:
        assert PASSWORD not in done.stdout + done.stderr, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
    assert any("postgres:***@" in done.stdout + done.stderr for _, done in outputs)  # the URL is shown, masked
    rows = database.query("SELECT * FROM schema_migrations")
    assert len(rows) == 2
    for row in rows:
        assert all(PASSWORD not in str(value) for value in row), row


# -- a rollback that fails part-way ---------------------------------------------------------------

def test_a_rollback_failing_after_an_sql_step_is_undone_and_leaves_the_version_applied(
        database, specs, tmp_path, common):
    # What the crash loop finds by chance on MySQL/MariaDB, made certain: the stored inverse of an `sql`
    # operation runs first, then the next inverse fails (the column was dropped by hand). The part that
    # ran, the `down`, must be undone by running the `sql` again; the version stays applied (exit 1).
    specs("v1.0.0", ITEMS)
    specs("v1.1.0", {"operations": [
        {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"},
        {"action": "sql", "sql": "CREATE VIEW noted AS SELECT id FROM items", "down": "DROP VIEW noted"}]})
    assert run(tmp_path, "migrate", *common).returncode == 0
    database.execute("ALTER TABLE items DROP COLUMN note")

    done = run(tmp_path, "rollback", *common)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    # named by the spec file's operation the failing step undoes, and counting the file's operations undone
    assert "undoing v1.1.0, operation 0 (add_column) by drop_column: column items.note does not exist" \
        in done.stderr, done.stderr
    if database.backend == "mysql":  # elsewhere a transaction undoes the rest
        assert "; the undo of 1 operation already done was undone, so the rollback is undone" in done.stderr
    assert "warning: the live schema no longer matches v1.1.0 (changed outside migrator, or left by a failed " \
           "run): column items.note was dropped" in done.stderr
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert database.query("SELECT count(*) FROM noted") == [(0,)]  # the view is back
    assert run(tmp_path, "repair", *common).stdout.strip() == "nothing to repair"
