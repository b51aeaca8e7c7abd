"""A fleet (--targets, --all-schemas): three tenants per backend, each checked in the backend's own catalog and
rows. SQLite: three files named by a glob; PostgreSQL: three schemas of one database (--all-schemas); MariaDB:
three databases listed in a targets file, with ${VAR} from the environment."""
import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import processes
from conftest import BACKENDS, REQUIRED, SERVER_URLS, _server_admin, _unreachable, _with_database, run_main
from migrator import Fleet

V1 = {"operations": [
    {"action": "create_table", "table": "customer", "columns": {"name": "CharField(max_length=80)"}}]}
# an add_column, then a statement that fails where a row with id 1 is already there: the version is refused
# after its first operation ran, which must be undone as the backend's contract says
V2 = {"operations": [
    {"action": "add_column", "table": "customer", "column": "email", "field": "CharField(max_length=120, null=True)"},
    {"action": "sql", "sql": "INSERT INTO customer (id, name) VALUES (1, 'first')",
     "down": "DELETE FROM customer WHERE id = 1"}]}
# a column added: a version every target can take
ADD_PHONE = {"operations": [
    {"action": "add_column", "table": "customer", "column": "phone", "field": "CharField(max_length=20, null=True)"}]}
PASSWORD = "Fl33tSecretPw"


class Tenant:
    """One target of the fleet, read as the backend's catalog and rows say."""

    def __init__(self, backend, url, schema=None):
        self.backend, self.url, self.schema = backend, url, schema

    def _db(self):
        from playhouse.db_url import connect

        db = connect(self.url)
        if self.schema:
            db.execute_sql(f'SET search_path TO "{self.schema}"')
        return db

    def query(self, sql, params=()):
        db = self._db()
        try:
            cursor = db.execute_sql(sql, params)
            return [tuple(r) for r in cursor.fetchall()] if cursor.description else []
        finally:
            db.close()

    def columns(self, table):
        if self.backend == "sqlite":
            return [r[1] for r in self.query(f'PRAGMA table_info("{table}")')]
        where = "DATABASE()" if self.backend == "mysql" else "current_schema()"
        return [r[0] for r in self.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                         f"{where} AND table_name = %s ORDER BY ordinal_position", (table,))]

    def flags(self):
        """The flags that name this one target for a single run."""
        return ["--database-url", self.url, *(["--schema", self.schema] if self.schema else [])]

    def history(self):
        """[(version, state)] in the order written; [] without a history table."""
        db = self._db()
        try:
            if "schema_migrations" not in db.get_tables():
                return []
            return [tuple(r) for r in db.execute_sql("SELECT version, state FROM schema_migrations ORDER BY id")]
        finally:
            db.close()


@pytest.fixture(params=BACKENDS)
def fleet(request, tmp_path):
    """(the three tenants, the flags that name them as a fleet, the environment the flags need)."""
    backend = request.param
    if backend != "sqlite":
        reason = _unreachable(backend)
        if reason:
            if backend in REQUIRED:
                pytest.fail(f"MIGRATOR_TEST_REQUIRE names {backend}, but {reason}")
            pytest.skip(reason)
    tag = uuid.uuid4().hex[:10]
    if backend == "sqlite":
        folder = tmp_path / "devices"
        folder.mkdir()
        tenants = [Tenant("sqlite", f"sqlite:///{folder / f'site_{n}.db'}") for n in range(1, 4)]
        for t in tenants:
            t.query("PRAGMA user_version = 7")  # a database file (an empty file is none yet): the glob names it
        yield tenants, ["--targets", f"sqlite:///{folder}/*.db"], {}
        return
    admin = _server_admin(backend)
    if backend == "postgres":
        name = f"mig_{tag}"
        admin.execute_sql(f"CREATE DATABASE {name}")
        url = _with_database(SERVER_URLS["postgres"], name)
        tenants = [Tenant("postgres", url, f"tenant_{n}") for n in range(1, 4)]
        Tenant("postgres", url).query("CREATE SCHEMA tenant_1; CREATE SCHEMA tenant_2; CREATE SCHEMA tenant_3; "
                                      "CREATE SCHEMA other_app; SELECT 1")
        drops = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]
        flags, env = ["--database-url", url, "--all-schemas", "tenant_*"], {}
    else:
        names = [f"mig_{tag}_{n}" for n in range(1, 4)]
        for name in names:
            admin.execute_sql(f"CREATE DATABASE {name}")
        tenants = [Tenant("mysql", _with_database(SERVER_URLS["mysql"], name)) for name in names]
        listed = tmp_path / "tenants.txt"
        parts = urlsplit(SERVER_URLS["mysql"])
        lines = ["# one database per customer", ""]
        lines += [urlunsplit(parts._replace(netloc=f"{parts.username}:${{TENANT_PASSWORD}}@{parts.hostname}:"
                                                   f"{parts.port}", path=f"/{name}")) + "  # a customer"
                  for name in names]
        listed.write_text("\n".join(lines) + "\n")
        drops = [f"DROP DATABASE IF EXISTS {name}" for name in names]
        flags, env = ["--targets", listed], {"TENANT_PASSWORD": parts.password or ""}
    admin.close()
    yield tenants, flags, env
    admin = _server_admin(backend)
    for drop in drops:
        admin.execute_sql(drop)
    admin.close()


@pytest.fixture
def fleet_cli(fleet, specs, tmp_path, monkeypatch):
    """`fleet_cli("migrate", ...)`: the command in this process, against the fleet and the specs folder."""
    _, flags, env = fleet
    for name in processes.SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    def command(*args):
        return run_main(*args, *flags, "--specs-dir", specs.folder)
    return command


def summary(tmp_path):
    return json.loads((tmp_path / ".migrator-fleet.json").read_text())


def test_one_target_failing_midway_leaves_the_others_done_and_says_which(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    code, out, err = fleet_cli("migrate", "v1.0.0")
    assert code == 0, out + err
    tenants[1].query("INSERT INTO customer (id, name) VALUES (1, 'already here')")  # the middle one will fail
    specs("v1.1.0", V2)

    code, out, err = fleet_cli("migrate", "--parallel", "1")
    assert code == 1, out + err
    assert "Traceback" not in err
    done = summary(tmp_path)
    states = [(t["state"], t["exit_code"], t["before"], t["after"]) for t in done["targets"]]
    assert states == [("done", 0, "v1.0.0", "v1.1.0"), ("failed", 1, "v1.0.0", "v1.0.0"),
                      ("done", 0, "v1.0.0", "v1.1.0")]
    assert done["counts"] == {"targets": 3, "done": 2, "failed": 1, "running": 0, "not_reached": 0}
    assert "v1.1.0, operation 1 (sql)" in done["targets"][1]["error"]
    assert f"FAILED {done['targets'][1]['target']}" in err
    # the failed target: v1.1.0 undone whole (its add_column too), v1.0.0 still applied, the row still there
    assert tenants[1].columns("customer") == ["id", "name"]
    assert [v for v, state in tenants[1].history() if state == "applied"] == ["v1.0.0"]
    assert tenants[1].query("SELECT id, name FROM customer") == [(1, "already here")]
    for t in (tenants[0], tenants[2]):
        assert t.columns("customer") == ["id", "name", "email"]
        assert t.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
        assert t.query("SELECT id, name FROM customer") == [(1, "first")]


def test_fail_fast_starts_no_target_after_a_failure(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    assert fleet_cli("migrate", "v1.0.0")[0] == 0
    tenants[0].query("INSERT INTO customer (id, name) VALUES (1, 'already here')")
    specs("v1.1.0", V2)
    code, out, err = fleet_cli("migrate", "--parallel", "1", "--fail-fast")
    assert code == 1
    assert [t["state"] for t in summary(tmp_path)["targets"]] == ["failed", "not_reached", "not_reached"]
    assert "the same command with --only-failed" in out
    assert "--fail-fast: the targets not reached were not started after the first failure" in out
    assert summary(tmp_path)["stopped_after_failure"] is True and summary(tmp_path)["finished"] is True
    for t in tenants[1:]:
        assert t.history() == [("v1.0.0", "applied")]


def test_only_failed_reruns_what_failed_or_was_not_reached_and_status_then_agrees(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    assert fleet_cli("migrate", "v1.0.0")[0] == 0
    tenants[0].query("INSERT INTO customer (id, name) VALUES (1, 'already here')")
    specs("v1.1.0", V2)
    assert fleet_cli("migrate", "--parallel", "1", "--fail-fast")[0] == 1

    code, out, err = fleet_cli("status", "--json")  # all at v1.0.0, v1.1.0 pending on each: they agree
    assert code == 0, out + err
    found = json.loads(out)
    assert found["groups"]["versions"] == {"v1.0.0": 3} and found["groups"]["agree"] is True
    assert [t["pending"] for t in found["targets"]] == [["v1.1.0"]] * 3
    assert summary(tmp_path)["command"] == "migrate"  # status, read-only, wrote no summary over it

    tenants[0].query("DELETE FROM customer WHERE id = 1")
    code, out, err = fleet_cli("migrate", "--only-failed")
    assert code == 0, out + err
    rerun = summary(tmp_path)
    assert [t["state"] for t in rerun["targets"]] == ["done"] * 3
    assert rerun["counts"]["done"] == 3
    for t in tenants:
        assert t.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]

    code, out, err = fleet_cli("migrate", "--only-failed")
    assert code == 0 and "nothing to run again" in out
    assert [t["state"] for t in summary(tmp_path)["targets"]] == ["done"] * 3
    code, out, err = fleet_cli("status")
    assert code == 0, out + err
    assert "v1.1.0: 3 targets" in out and "the targets agree" in out


def test_status_lists_the_stragglers_and_exits_4_until_they_agree(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", ADD_PHONE)
    assert fleet_cli("migrate", "v1.0.0")[0] == 0
    one = run_main("migrate", *tenants[2].flags(), "--specs-dir", specs.folder)
    assert one[0] == 0, one
    code, out, err = fleet_cli("status")
    assert code == 4
    assert "v1.1.0: 1 target, v1.0.0: 2 targets" in out
    straggling = out.split("behind v1.1.0:")[1]
    assert all(Tenant_name_in(t, straggling) for t in tenants[:2]) and not Tenant_name_in(tenants[2], straggling)
    code, out, _ = fleet_cli("status", "--json")
    assert json.loads(out)["exit_code"] == 4
    assert fleet_cli("migrate")[0] == 0
    assert fleet_cli("status")[0] == 0


def Tenant_name_in(tenant, text):
    return (tenant.schema or tenant.url.rsplit("/", 1)[1]) in text


def test_a_target_that_cannot_be_reached_is_reported_and_the_others_go_on(fleet, specs, tmp_path, monkeypatch):
    tenants, _, env = fleet
    specs("v1.0.0", V1)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    backend = tenants[0].backend
    gone = "sqlite:////nonexistent-folder/x.db" if backend == "sqlite" else \
        urlunsplit(urlsplit(SERVER_URLS[backend])._replace(netloc="root@127.0.0.1:1", path="/nowhere"))
    listed = tmp_path / "with-a-gone-one.txt"
    listed.write_text("\n".join([gone] + sorted({t.url for t in tenants})) + "\n")
    extra = ["--all-schemas", "tenant_*"] if tenants[0].schema else []  # the gone server's schemas: not known
    code, out, err = run_main("migrate", "--targets", listed, *extra, "--specs-dir", specs.folder, "--parallel", "2")
    assert code == 1, out + err
    assert "Traceback" not in err
    states = [t["state"] for t in summary(tmp_path)["targets"]]
    assert states == ["failed", "done", "done", "done"]
    assert "cannot" in summary(tmp_path)["targets"][0]["error"]
    assert all(t.history() == [("v1.0.0", "applied")] for t in tenants)


@pytest.mark.parametrize("fleet", ["postgres", "mysql"], indirect=True)  # SQLite URLs hold no password
def test_a_password_in_a_target_url_is_never_shown(fleet, specs, tmp_path, monkeypatch):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THE_PASSWORD", PASSWORD)
    backend = tenants[0].backend
    parts = urlsplit(tenants[0].url)
    listed = tmp_path / "secret.txt"
    with_password = urlunsplit(parts._replace(netloc=f"{parts.username}:{PASSWORD}@{parts.hostname}:{parts.port}"))
    refused = urlunsplit(parts._replace(netloc=f"{parts.username}:${{THE_PASSWORD}}@{parts.hostname}:1"))
    option = "password" if backend == "postgres" else "passwd"  # as playhouse.db_url passes it to the driver
    in_query = urlunsplit(parts._replace(netloc=f"{parts.username}@{parts.hostname}:1", path="/another",
                                         query=f"{option}={PASSWORD}&connect_timeout=5"))
    listed.write_text(f"{with_password}\n{refused}\n{in_query}\n")
    extra = ["--schema", tenants[0].schema] if backend == "postgres" else []
    outputs = []
    for command in (("migrate",), ("migrate", "--json"), ("status",), ("status", "--json"), ("validate",),
                    ("migrate", "-v")):
        code, out, err = run_main(*command, "--targets", listed, *extra, "--specs-dir", specs.folder)
        assert code in (1, 4) and "Traceback" not in err, out + err
        outputs += [out, err]
    outputs.append((tmp_path / ".migrator-fleet.json").read_text())
    assert all(PASSWORD not in text for text in outputs)
    assert any(":***@" in text for text in outputs) and any(f"{option}=***" in text for text in outputs)


def test_two_overlapping_fleet_runs_migrate_each_target_once(fleet, specs, tmp_path):
    """Two shards that share a target, started at the same moment, in processes of their own: each target's lock
    keeps them apart, so no version runs twice and the history holds each once."""
    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", ADD_PHONE)
    shards = []
    for n, members in enumerate((tenants[:2], tenants[1:])):
        if tenants[0].schema:  # one database, its schemas: a shard is a schema pattern
            shard = ["--database-url", members[0].url, "--all-schemas", f"tenant_[{members[0].schema[-1]}"
                     f"{members[1].schema[-1]}]"]
        else:
            listed = tmp_path / f"shard-{n}.txt"
            listed.write_text("\n".join(t.url for t in members) + "\n")
            shard = ["--targets", listed]
        shards.append(["migrate", *shard, "--specs-dir", specs.folder, "--summary", tmp_path / f"shard-{n}.json"])
    results = processes.all_at_once(tmp_path, shards)
    for code, out, err in results:
        assert code == 0, out + err
    for t in tenants:
        assert t.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
        assert t.columns("customer") == ["id", "name", "phone"]
    shared = [json.loads((tmp_path / f"shard-{n}.json").read_text())["targets"] for n in (0, 1)]
    applied = [len(entry["applied"]) for run in shared for entry in run if Tenant_name_in(tenants[1], entry["target"])]
    assert sorted(applied) == [0, 2]  # the shared target: one shard applied both versions, the other found none


def test_the_python_api_returns_per_target_results(fleet, specs, tmp_path, monkeypatch):
    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    options = dict(zip(flags[::2], flags[1::2]))
    fleet_api = Fleet(str(options.get("--targets")) if "--targets" in options else None, specs_dir=specs.folder,
                      database_url=options.get("--database-url"), all_schemas=options.get("--all-schemas"),
                      summary=False)
    run = fleet_api.migrate()
    assert run.exit_code == 0
    assert [(r.state, r.before, r.after, r.versions) for r in run] == [("done", None, "v1.0.0", ["v1.0.0"])] * 3
    assert not (tmp_path / ".migrator-fleet.json").exists()  # summary=False
    status = fleet_api.status()
    assert status.groups()["versions"] == {"v1.0.0": 3} and status.exit_code == 0
    assert [r.report["current"] for r in status] == ["v1.0.0"] * 3


def test_bad_targets_are_refused_before_any_target_runs(sqlite_database, specs, tmp_path, monkeypatch):
    specs("v1.0.0", V1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UNSET_ONE", raising=False)
    listed = tmp_path / "bad.txt"
    listed.write_text(f"{sqlite_database.url}\nmysql://root:${{UNSET_ONE}}@127.0.0.1/x\n")
    code, out, err = run_main("migrate", "--targets", listed, "--specs-dir", specs.folder)
    assert code == 2 and "bad.txt, line 2: ${UNSET_ONE} is not set" in err
    assert not Path(sqlite_database.name).exists()
    listed.write_text("not a url\n")
    code, out, err = run_main("migrate", "--targets", listed, "--specs-dir", specs.folder)
    assert code == 2 and "line 1" in err and "is not a database URL" in err
    code, out, err = run_main("status", "--targets", f"sqlite:///{tmp_path}/none-*.db", "--specs-dir", specs.folder)
    assert code == 2 and "no SQLite database file matches" in err
    code, out, err = run_main("migrate", "--targets", tmp_path / "missing.txt", "--specs-dir", specs.folder)
    assert code == 2 and "does not exist" in err
    code, out, err = run_main("migrate", "--database-url", sqlite_database.url, "--all-schemas", "t_*",
                              "--specs-dir", specs.folder)
    assert code == 2 and "--all-schemas is for PostgreSQL" in err
    specs("v1.1.0", {"operations": [{"action": "add_column", "table": "customer"}]})  # invalid: never reaches one
    listed.write_text(f"{sqlite_database.url}\n")
    code, out, err = run_main("migrate", "--targets", listed, "--specs-dir", specs.folder)
    assert code == 2 and "v1.1.0.json" in err
    assert not Path(sqlite_database.name).exists()
    monkeypatch.setenv("MIGRATOR_TARGETS", str(listed))  # a fleet in the environment: repair is for one database
    code, out, err = run_main("repair", "--specs-dir", specs.folder, "--yes")
    assert code == 2 and "runs on one database" in err
    code, out, err = run_main("status", "--database-url", sqlite_database.url, "--specs-dir", specs.folder)
    assert code == 0 and f"database: {sqlite_database.url}" in out  # the flag beats the environment's fleet


def test_rollback_over_a_fleet_undoes_each_target(fleet, fleet_cli, specs, tmp_path):
    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", ADD_PHONE)
    assert fleet_cli("migrate")[0] == 0
    tenants[0].query("UPDATE customer SET phone = '555' WHERE 1 = 0")
    code, out, err = fleet_cli("rollback", "v1.0.0")
    assert code == 0, out + err
    done = summary(tmp_path)
    assert done["command"] == "rollback"
    assert [(t["before"], t["after"], t["rolled_back"]) for t in done["targets"]] == \
        [("v1.1.0", "v1.0.0", ["v1.1.0"])] * 3
    for t in tenants:
        assert t.columns("customer") == ["id", "name"]
        assert t.history() == [("v1.0.0", "applied")]
    # a summary of a rollback is not a migrate's to finish
    code, out, err = fleet_cli("migrate", "--only-failed")
    assert code == 2 and "summary of a rollback run" in err
    # on a terminal, one question before any target; no is a clean cancel
    answered = processes.run(tmp_path, "rollback", "base", *flags, "--specs-dir", specs.folder, answer="n", env=env)
    assert answered.returncode == 0 and "nothing was changed" in answered.stdout + answered.stderr
    assert all(t.history() == [("v1.0.0", "applied")] for t in tenants)


SLOW = {"operations": [{"action": "sql", "sql": {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
              "SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(1.5)", "mysql": "SELECT SLEEP(1.5)"}, "down": "SELECT 1"}]}


def test_ctrl_c_starts_no_more_targets_and_only_failed_finishes_them(fleet, specs, tmp_path):
    """SIGINT once a target has ended: the one running ends as its run ends, the rest are not reached (exit 130,
    the summary says so), and --only-failed finishes the job."""
    import signal

    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", SLOW)
    args = ["migrate", *flags, "--specs-dir", specs.folder, "--parallel", "1"]
    process = processes.start(tmp_path, *args, env=env)
    try:
        first = process.stdout.readline()
        assert first.startswith("ok "), first + process.stderr.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        processes.stop(process)
    assert process.returncode == 130, out + err
    assert "Traceback" not in err
    states = [t["state"] for t in summary(tmp_path)["targets"]]
    assert states[0] == "done" and states[2] == "not_reached" and states[1] in ("done", "not_reached")
    assert summary(tmp_path)["interrupted"] is True
    for t, state in zip(tenants, states):  # each target whole: migrated, or untouched
        assert t.history() == ([("v1.0.0", "applied"), ("v1.1.0", "applied")] if state == "done" else [])
    rerun = processes.run(tmp_path, "migrate", *flags, "--specs-dir", specs.folder, "--only-failed", env=env)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert [t["state"] for t in summary(tmp_path)["targets"]] == ["done"] * 3
    assert all(t.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")] for t in tenants)


@pytest.mark.parametrize("fleet", ["postgres", "mysql"], indirect=True)
def test_parallel_is_never_more_than_the_server_has_connections_for(fleet, fleet_cli, specs, tmp_path):
    specs("v1.0.0", V1)
    code, out, err = fleet_cli("migrate", "--parallel", "100000")
    assert code == 0, out + err
    assert "--parallel 100000 lowered to" in err
    assert 1 <= summary(tmp_path)["parallel"] <= 3  # and never more than the targets


def test_lint_validate_and_verify_over_a_fleet_answer_per_target(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", {"operations": [{"action": "create_table", "table": "customer", "columns": {
        "name": "CharField(max_length=80)", "score": "IntegerField(null=True)"}}]})
    specs("v1.1.0", {"operations": [{"action": "alter_column_type", "table": "customer", "column": "score",
                                     "field": "BigIntegerField(null=True)"}]})
    assert fleet_cli("migrate", "v1.0.0")[0] == 0
    for n in range(10):  # only the middle tenant is large enough to be refused
        tenants[1].query("INSERT INTO customer (name, score) VALUES (%s, %s)" if tenants[1].backend != "sqlite"
                         else "INSERT INTO customer (name, score) VALUES (?, ?)", (f"c{n}", n))
    code, out, err = fleet_cli("lint", "--max-rows", "5", "--json")
    assert code == 1, out + err
    found = json.loads(out)
    assert [t["exit_code"] for t in found["targets"]] == [0, 1, 0]
    assert found["targets"][1]["refused"][0]["action"] == "alter_column_type"
    code, out, err = fleet_cli("lint", "--max-rows", "5")
    assert "lint refused v1.1.0 0. alter_column_type on customer" in err
    code, out, err = fleet_cli("validate")
    assert code == 0, out + err
    code, out, err = fleet_cli("verify", "--json")
    assert code == 0, out + err
    assert [t["not_reversible"] for t in json.loads(out)["targets"]] == [{}] * 3
    for t in tenants:  # read only: nothing applied, no scratch space left
        assert t.history() == [("v1.0.0", "applied")]
    assert not (tmp_path / ".migrator-fleet.json").exists() or summary(tmp_path)["command"] == "migrate"


@pytest.mark.parametrize("fleet", ["sqlite"], indirect=True)
def test_read_only_commands_over_a_fleet_write_no_file(fleet, fleet_cli, specs, tmp_path):
    """Neither a summary nor the status cache (which only migrate writes), nor the databases' files."""
    import os

    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    assert fleet_cli("migrate", "--summary", tmp_path / "kept.json")[0] == 0
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "migrator"
    before = {p: p.read_bytes() for p in cache.iterdir()}
    files = {t.url: Path(t.url[len("sqlite:///"):]).read_bytes() for t in tenants}
    listing = sorted(tmp_path.iterdir())
    for command in ("status", "validate", "lint", "verify"):
        code, out, err = fleet_cli(command)
        assert code == 0, out + err
    assert {p: p.read_bytes() for p in cache.iterdir()} == before
    assert {t.url: Path(t.url[len("sqlite:///"):]).read_bytes() for t in tenants} == files
    assert sorted(tmp_path.iterdir()) == listing


@pytest.mark.parametrize("fleet", ["sqlite"], indirect=True)
def test_on_a_terminal_one_live_line_counts_the_targets(fleet, specs, tmp_path):
    import os
    import subprocess

    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    terminal, process_end = os.openpty()
    try:
        process = subprocess.Popen(processes.migrator_command("migrate", *flags, "--specs-dir", specs.folder),
                                   cwd=tmp_path, env=processes.environment(env), stdin=subprocess.DEVNULL,
                                   stdout=process_end, stderr=subprocess.PIPE)
        os.close(process_end)
        shown = b""
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the process ended and closed its end
                break
            if not chunk:
                break
            shown += chunk
        process.wait(timeout=60)
    finally:
        os.close(terminal)
    text = shown.decode()
    assert process.returncode == 0, text
    assert re.search(r"\r\[\d/3\] \d done, 0 failed, \d running, [\d.]+ s\x1b\[K", text)  # updated in place
    assert "\nok " not in text and not text.startswith("ok ")  # no line per target on a terminal
    assert "3 targets in" in text and "3 done, 0 failed" in text


def test_mistakes_found_by_a_new_user_are_refused_clearly(sqlite_database, specs, tmp_path, monkeypatch):
    for name in processes.SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    specs("v1.0.0", V1)
    sites = tmp_path / "sites"
    sites.mkdir()
    for n in (1, 2):
        Tenant("sqlite", f"sqlite:///{sites / f's{n}.db'}").query("PRAGMA user_version = 1")
    (sites / "README").write_text("not a database")
    (sites / "notes.txt").write_text("")
    (sites / "s3.db").write_text("")  # new: SQLite leaves it empty until its first write
    common = ["--specs-dir", specs.folder]
    # --only-failed without the fleet: refused, and no database made from the default URL
    code, out, err = run_main("migrate", "--only-failed", *common)
    assert code == 2 and "give the targets as the run did" in err and not (tmp_path / "app.db").exists()
    # a glob takes the SQLite databases only; a folder given as a file says how to name it
    code, out, err = run_main("status", "--targets", f"sqlite:///{sites}/*", *common, "--json")
    assert [t["target"].rsplit("/", 1)[1] for t in json.loads(out)["targets"]] == ["s1.db", "s2.db", "s3.db"]
    code, out, err = run_main("status", "--targets", sites, *common)
    assert code == 2 and f"--targets 'sqlite:///{sites}/'" in err
    # the same file written two ways runs once; a byte order mark is no part of the first line
    listed = tmp_path / "sites.txt"
    listed.write_text(f"\ufeffsqlite:///{sites}/s1.db\nsqlite:///{sites}/../sites/s1.db\n", encoding="utf-8")
    code, out, err = run_main("migrate", "--targets", listed, *common, "--json")
    assert code == 0, out + err
    assert json.loads(out)["counts"]["targets"] == 1
    # an unknown version is refused once, before any target
    code, out, err = run_main("migrate", "v9.9.9", "--targets", f"sqlite:///{sites}/*.db", *common)
    assert code == 2 and err.count("v9.9.9") == 1
    # a target the summary does not know (another fleet's summary) runs: only what it says is done is left out
    code, out, err = run_main("migrate", "--only-failed", "--targets", sqlite_database.url, *common)
    assert code == 0 and "1 of the targets given are not in" in err and "they run too" in err
    assert Tenant("sqlite", sqlite_database.url).history() == [("v1.0.0", "applied")]
    # --dry-run is plan's, on one database
    code, out, err = run_main("migrate", "--dry-run", "--targets", f"sqlite:///{sites}/*.db", *common)
    assert code == 2 and "--dry-run shows the plan" in err
    assert Tenant("sqlite", f"sqlite:///{sites / 's2.db'}").history() == []
    # the summary is never written over a file that is not one, nor where it cannot be: refused before any target
    code, out, err = run_main("migrate", "--targets", listed, "--summary", listed, *common)
    assert code == 2 and "is no fleet summary" in err and listed.read_text(encoding="utf-8").startswith("\ufeff")
    code, out, err = run_main("migrate", "--targets", f"sqlite:///{sites}/*.db", "--summary",
                              tmp_path / "no-folder" / "s.json", *common)
    assert code == 2 and "cannot be written" in err and Tenant("sqlite", f"sqlite:///{sites / 's2.db'}").history() == []
    # ${...} that is no ${NAME}, and two URLs on one line
    for line in ("mysql://u:${PW:-x}@h/db", "mysql://u:${PW@h/db", f"{sqlite_database.url} mysql://u:Two2@h/db"):
        listed.write_text(line + "\n")
        code, out, err = run_main("status", "--targets", listed, *common)
        assert code == 2 and "line 1" in err and "Two2" not in err, err
    # read-only commands write a summary only when --summary is on the command line
    monkeypatch.setenv("MIGRATOR_SUMMARY", str(tmp_path / "from-env.json"))
    assert run_main("status", "--targets", f"sqlite:///{sites}/*.db", *common)[0] == 4  # s1 migrated, s2 not
    assert not (tmp_path / "from-env.json").exists()


@pytest.mark.parametrize("fleet", ["mysql"], indirect=True)
def test_a_password_a_url_cannot_hold_is_refused_without_showing_it(fleet, specs, tmp_path, monkeypatch):
    """A `#` ends a URL's host part: the driver would quote the rest as a port. Refused before, in every form."""
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    monkeypatch.chdir(tmp_path)
    secret = "My$ecret#pw"
    parts = urlsplit(tenants[0].url)
    bad = urlunsplit(parts._replace(netloc=f"root:{secret}@{parts.hostname}:{parts.port}"))
    monkeypatch.setenv("ODD_PASSWORD", secret)
    listed = tmp_path / "odd.txt"
    listed.write_text(f"mysql://root:${{ODD_PASSWORD}}@{parts.hostname}:{parts.port}{parts.path}\n"
                      f"{tenants[1].url}\n")
    outputs = []
    for args in (["migrate", "--database-url", bad], ["status", "--database-url", bad],
                 ["migrate", "--targets", listed], ["migrate", "--targets", listed, "--json"]):
        code, out, err = run_main(*args, "--specs-dir", specs.folder)
        assert code == 2 and "Traceback" not in err, out + err
        outputs += [out, err]
    assert all("My$ecret" not in text and "#pw" not in text for text in outputs)
    assert any("holds #, / or ?" in text for text in outputs)
    not_url = tmp_path / "not-url.txt"
    not_url.write_text(f"root:{PASSWORD}@127.0.0.1/db\n")
    code, out, err = run_main("migrate", "--targets", not_url, "--specs-dir", specs.folder)
    assert code == 2 and PASSWORD not in err and "line 1 is not a database URL" in err
    from migrator.targets import Target

    target = Target(f"mysql://root:{PASSWORD}@127.0.0.1:3306/x")
    assert PASSWORD not in repr(target) and PASSWORD not in str(target)


@pytest.mark.parametrize("fleet", ["mysql"], indirect=True)
def test_all_schemas_on_a_server_url_without_a_database(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    prefix = tenants[0].url.rsplit("/", 1)[1][:-2]  # mig_<tag>
    server = tenants[0].url.rsplit("/", 1)[0] + "/"
    code, out, err = run_main("migrate", "--database-url", server, "--all-schemas", f"{prefix}_*",
                              "--specs-dir", specs.folder, "--json")
    assert code == 0, out + err
    assert json.loads(out)["counts"]["done"] == 3
    assert all(t.history() == [("v1.0.0", "applied")] for t in tenants)


def test_status_says_when_a_target_could_not_be_read(fleet, fleet_cli, specs, tmp_path, monkeypatch):
    tenants, flags, env = fleet
    specs("v1.0.0", V1)
    assert fleet_cli("migrate")[0] == 0
    (tmp_path / "README").write_text("not a database")  # (a missing SQLite file is a database not made yet)
    gone = f"sqlite:///{tmp_path / 'README'}" if tenants[0].backend == "sqlite" else \
        urlunsplit(urlsplit(SERVER_URLS[tenants[0].backend])._replace(netloc="root@127.0.0.1:1", path="/x"))
    listed = tmp_path / "with-gone.txt"
    listed.write_text("\n".join(sorted({t.url for t in tenants}) + [gone]) + "\n")
    extra = ["--all-schemas", "tenant_*"] if tenants[0].schema else []
    code, out, err = run_main("status", "--targets", listed, *extra, "--specs-dir", specs.folder)
    assert code == 1, out + err  # not 4: those read agree; one could not be read
    assert "1 target(s) could not be read: whether all agree is not known" in out
    code, out, err = run_main("status", "--targets", listed, *extra, "--specs-dir", specs.folder, "--json")
    assert json.loads(out)["groups"]["agree"] is None


def test_rollback_over_a_fleet_says_what_each_target_dropped(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", {"operations": [{"action": "create_table", "table": "visit",
                                     "columns": {"at": "CharField(max_length=30)"}}]})
    assert fleet_cli("migrate")[0] == 0
    tenants[2].query("INSERT INTO visit (at) VALUES ('monday')")
    code, out, err = fleet_cli("rollback", "--json")
    assert code == 0, out + err
    entries = json.loads(out)["targets"]
    assert [e["dropped"] for e in entries] == [[], [], [{"version": "v1.1.0", "table": "visit", "column": None,
                                                         "rows": 1}]]
    code, out, err = fleet_cli("migrate")
    tenants[2].query("INSERT INTO visit (at) VALUES ('tuesday')")
    code, out, err = fleet_cli("rollback")
    assert "dropped: " in out and "v1.1.0: table visit (1 row)" in out


def test_a_version_some_targets_are_past_or_below_leaves_them_as_they_are(fleet, fleet_cli, specs, tmp_path):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    specs("v1.1.0", ADD_PHONE)
    specs("v1.2.0", {"operations": [{"action": "add_column", "table": "customer", "column": "city",
                                     "field": "CharField(max_length=40, null=True)"}]})
    assert fleet_cli("migrate", "v1.0.0")[0] == 0
    ahead = run_main("migrate", *tenants[0].flags(), "--specs-dir", specs.folder)  # the first one, at v1.2.0
    assert ahead[0] == 0
    code, out, err = fleet_cli("migrate", "v1.1.0", "--json")
    assert code == 0, out + err
    entries = json.loads(out)["targets"]
    assert entries[0]["notes"] == ["already past v1.1.0 (at v1.2.0): nothing applied"]
    assert [e["after"] for e in entries] == ["v1.2.0", "v1.1.0", "v1.1.0"]
    code, out, err = fleet_cli("rollback", "v1.1.0", "--json")  # the others are not above it: left alone
    assert code == 0, out + err
    assert [e["after"] for e in json.loads(out)["targets"]] == ["v1.1.0"] * 3
    assert tenants[1].history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    code, out, err = fleet_cli("rollback", "v1.2.0", "--json")
    assert code == 0 and "already below v1.2.0" in json.loads(out)["targets"][0]["notes"][0]


@pytest.mark.parametrize("fleet", ["postgres"], indirect=True)
def test_mixed_case_schemas_and_fleet_settings_in_the_environment(fleet, specs, tmp_path, monkeypatch):
    tenants, _, _ = fleet
    specs("v1.0.0", V1)
    url = tenants[0].url
    Tenant("postgres", url).query('CREATE SCHEMA "tenant_Acme"')
    for name in processes.SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MIGRATOR_ALL_SCHEMAS", "tenant_*")
    code, out, err = run_main("migrate", "--specs-dir", specs.folder, "--json")
    assert code == 0, out + err
    assert json.loads(out)["counts"]["done"] == 4
    assert Tenant("postgres", url, "tenant_Acme").columns("customer") == ["id", "name"]
    # a flag beats the environment's fleet: --schema names the one schema, for any command
    code, out, err = run_main("status", "--schema", "tenant_Acme", "--specs-dir", specs.folder)
    assert code == 0 and "schema:   tenant_Acme" in out and "current:  v1.0.0" in out, out + err
    code, out, err = run_main("plan", "--schema", "tenant_2", "--specs-dir", specs.folder)
    assert code == 0, out + err


def test_the_python_api_refuses_what_it_cannot_take(tmp_path, specs, monkeypatch):
    from migrator import SpecError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError, match="the list of targets is empty"):
        Fleet([], specs_dir=specs.folder)
    with pytest.raises(TypeError, match="paralel"):
        Fleet("tenants.txt", paralel=2)
    with pytest.raises(TypeError, match="not int"):
        Fleet(42)
    assert not (tmp_path / "app.db").exists()
