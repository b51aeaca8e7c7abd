"""The benchmark's report (bench/report.py) built from canned samples: no servers, no processes run.

The samples are hand-made dicts in the shape bench/measure.py's Spawner returns (rc, wall, maxrss_kb,
user, sys, timed_out, stdout, stderr); the figures below are worked out by hand from them.
"""
import argparse
import datetime
import sys
import types
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import report  # noqa: E402  (bench/report.py, found through BENCH on sys.path)
from runs import PEEWEE_BENCH, PEEWEE_YARDSTICK  # noqa: E402  (the start-up keys run.py records under)

BASE = "(both in the base install)"
W1_ONCE = "W1 {}: migrator vs the one-transaction floor (plain sqlite3, every version in one transaction)"
W1_PER_VERSION = "W1 {}: migrator vs the per-version floor (plain sqlite3, a transaction per version)"
STATUS_VS_PLAYHOUSE = f"W1 `migrator status` no slower than `playhouse status` {BASE}"
STATUS_VS_PEEWEE = f'W1 `migrator status` vs `python -c "import peewee"` {BASE}'
HELP_VS_PEEWEE = f'`migrator --help` vs `python -c "import peewee"` {BASE}'
W3_ROWS = ["W3 {server} {step}: migrator faster than Alembic",
           "W3 {server} {step}: migrator faster than playhouse.migrations",
           "W3 {server} {step}: migrator vs the limit (plain {driver})"]
W3_PEEWEE_FLOOR = "W3 {server} {step}: the floor of a tool built on Peewee (plain {driver} with Peewee imported first) vs the limit"
FLEET_SPEED = ("Fleet {}: `migrate --all-schemas`, default parallelism, at least 3× faster than a shell loop of "
               "`migrator migrate`")
FLEET_RSS = ("Fleet {}: peak RSS of the default-parallel fleet run, all targets vs 1/10 of them (flat in the number of "
             "targets)")
FLEET_TARGETS = [FLEET_SPEED.format("PostgreSQL"), FLEET_SPEED.format("MariaDB")] + \
    [FLEET_RSS.format(label) for label in ("SQLite", "PostgreSQL", "MariaDB")]


def sample(wall, cpu, rss_mb=30.0, timed_out=False):
    return {"rc": -9 if timed_out else 0, "wall": wall, "maxrss_kb": int(rss_mb * 1000), "user": cpu * 0.75,
            "sys": cpu * 0.25, "timed_out": timed_out, "stdout": Path("00001.out"), "stderr": Path("00001.err")}


def rounds(walls, cpus, rss=(30.0, 30.0, 30.0)):
    return [sample(w, c, r) for w, c, r in zip(walls, cpus, rss)]


def canned(quick=False, failures=(), changes=None, servers=("postgres", "mysql"), base=True):
    """The report of the samples below; `changes` replaces samples ({key: rounds}); `servers`: the W3 servers
    that have samples and notes (the others were not used; the fleet ran on SQLite and on those servers);
    `base`: whether the run noted its base install."""
    samples = {
        # W1 apply medians: plain (per version) 100 ms, plain_once 110 ms, migrator 121 ms, Alembic 900 ms,
        # playhouse 105 ms; CPU medians 80, 80, 104, 720, 90 ms; RSS medians 21, 20, 31, 63, 30 MB.
        ("w1", "plain", "apply"): rounds([0.120, 0.100, 0.090], [0.080] * 3, [20.0, 21.0, 22.0]),
        ("w1", "plain_once", "apply"): rounds([0.100, 0.110, 0.130], [0.080] * 3, [19.0, 20.0, 21.0]),
        ("w1", "migrator", "apply"): rounds([0.150, 0.121, 0.120], [0.100, 0.104, 0.110], [30.0, 33.0, 31.0]),
        ("w1", "alembic", "apply"): rounds([0.800, 0.900, 1.000], [0.700, 0.720, 0.740], [60.0, 66.0, 63.0]),
        ("w1", "playhouse", "apply"): rounds([0.105, 0.100, 0.200], [0.090, 0.090, 0.090]),
        # status: migrator's and playhouse's from the base install (runs.w1_status), the others from the bench venv
        ("w1", "migrator", "status"): rounds([0.150] * 3, [0.140] * 3),
        ("w1", "plain", "status"): rounds([0.060] * 3, [0.050] * 3),
        ("w1", "plain_once", "status"): rounds([0.040] * 3, [0.035] * 3),
        ("w1", "alembic", "status"): rounds([0.600] * 3, [0.550] * 3),
        ("w1", "alembic", "history"): rounds([0.480] * 3, [0.450] * 3),
        ("w1", "playhouse", "status"): rounds([0.090] * 3, [0.080] * 3),
        # rollback medians: plain (per version) 500 ms, plain_once 250 ms, migrator 300 ms, Alembic 600 ms,
        # playhouse 400 ms; CPU medians 400, 200, 240, 500, 300 ms
        ("w1", "plain", "rollback"): rounds([0.500] * 3, [0.400] * 3),
        ("w1", "plain_once", "rollback"): rounds([0.250] * 3, [0.200] * 3),
        ("w1", "migrator", "rollback"): rounds([0.300] * 3, [0.240] * 3),
        ("w1", "alembic", "rollback"): rounds([0.600] * 3, [0.500] * 3),
        ("w1", "playhouse", "rollback"): rounds([0.400] * 3, [0.300] * 3),
        # start-up: the yardstick `import peewee` in the base install 50 ms; the bench venv's (drivers
        # installed, informational only) 120 ms, which would pass the targets were it taken as the yardstick
        ("startup", "python -c pass", "run"): rounds([0.020] * 3, [0.018] * 3, [9.0] * 3),
        ("startup", PEEWEE_YARDSTICK, "run"): rounds([0.050] * 3, [0.045] * 3, [14.0] * 3),
        ("startup", PEEWEE_BENCH, "run"): rounds([0.120] * 3, [0.100] * 3, [25.0] * 3),
        ("startup", "migrator --help", "run"): rounds([0.070] * 3, [0.060] * 3, [18.0] * 3),
        ("startup", "python -m playhouse.migrations --help", "run"): rounds([0.060] * 3, [0.050] * 3, [24.0] * 3),
        # W2: migrator --no-backup's rollback never finished (stopped at 120 s each time)
        ("w2", "plain", "apply"): rounds([2.0] * 3, [1.5] * 3),
        ("w2", "migrator_nobackup", "apply"): rounds([2.4] * 3, [2.0] * 3),
        ("w2", "migrator", "apply"): rounds([3.0] * 3, [2.4] * 3),
        ("w2", "plain", "rollback"): rounds([1.0] * 3, [0.8] * 3),
        ("w2", "migrator", "rollback"): rounds([1.8] * 3, [1.2] * 3),
        ("w2", "migrator_nobackup", "rollback"): [sample(120.0, 119.0, timed_out=True)],
        # RSS: median 56.0 MB
        ("rss", "migrator", "status"): rounds([0.700, 0.740, 0.720], [0.690] * 3, [57.0, 55.0, 56.0]),
    }
    w3 = {
        # PostgreSQL apply: plain 200, migrator 240, Alembic 600, playhouse 200, migrator_online 900 ms
        # (CPU 100, 150, 450, 120, 200 ms); rollback: plain 100, migrator 150, Alembic 150 (a tie),
        # playhouse 300, migrator_online 700 ms (CPU 60, 90, 120, 180, 100 ms).
        "postgres": {
            ("plain", "apply"): rounds([0.200] * 3, [0.100] * 3),
            ("migrator", "apply"): rounds([0.240] * 3, [0.150] * 3),
            ("alembic", "apply"): rounds([0.600] * 3, [0.450] * 3),
            ("playhouse", "apply"): rounds([0.200] * 3, [0.120] * 3),
            ("migrator_online", "apply"): rounds([0.900] * 3, [0.200] * 3, [40.0] * 3),
            ("migrator", "status"): rounds([0.100] * 3, [0.080] * 3),
            ("migrator_online", "status"): rounds([0.110] * 3, [0.080] * 3),
            ("plain", "rollback"): rounds([0.100] * 3, [0.060] * 3),
            ("migrator", "rollback"): rounds([0.150] * 3, [0.090] * 3),
            ("alembic", "rollback"): rounds([0.150] * 3, [0.120] * 3),
            ("playhouse", "rollback"): rounds([0.300] * 3, [0.180] * 3),
            ("migrator_online", "rollback"): rounds([0.700] * 3, [0.100] * 3),
            ("plain_peewee", "apply"): rounds([0.230] * 3, [0.130] * 3),
            ("plain_peewee", "rollback"): rounds([0.135] * 3, [0.095] * 3),
        },
        # MariaDB apply: plain 1.00 s, migrator 1.10 s, Alembic 2.00 s, playhouse 1.25 s (CPU 0.2, 0.3, 0.9,
        # 0.4 s); rollback: plain 800 ms, migrator 960 ms, Alembic 900 ms, playhouse 1.60 s (CPU 0.2, 0.3, 0.6,
        # 0.5 s).
        "mysql": {
            ("plain", "apply"): rounds([1.000] * 3, [0.200] * 3),
            ("migrator", "apply"): rounds([1.100] * 3, [0.300] * 3),
            ("alembic", "apply"): rounds([2.000] * 3, [0.900] * 3),
            ("playhouse", "apply"): rounds([1.250] * 3, [0.400] * 3),
            ("plain", "rollback"): rounds([0.800] * 3, [0.200] * 3),
            ("migrator", "rollback"): rounds([0.960] * 3, [0.300] * 3),
            ("alembic", "rollback"): rounds([0.900] * 3, [0.600] * 3),
            ("playhouse", "rollback"): rounds([1.600] * 3, [0.500] * 3),
            ("plain_peewee", "apply"): rounds([1.050] * 3, [0.250] * 3),
        },
    }
    counts = {
        "postgres": {"migrator": {"apply": {"hook": {"ddl": 500, "read": 200, "write": 200, "transaction": 400},
                                            "processes": 1, "own": 900, "questions": None}},
                     "migrator_online": {"apply": {"hook": {"ddl": 500, "read": 300, "write": 200,
                                                            "transaction": 600},
                                                   "processes": 1, "own": 1000, "questions": None}}},
        "mysql": {"migrator": {"apply": {"hook": {"ddl": 500, "read": 100, "write": 200},
                                         "processes": 1, "own": 700, "questions": 812}}},
    }
    info = {
        "floor_kb": 6300,
        "load": (0.5, 0.75),
        "w1": {"versions": 1000, "operations": 2500, "tables": 10, "rows": 1000},
        "w2": {"rows": 1_000_000, "bytes": 52_300_000,
               "kept": {"plain": {"extra": 0, "score_ok": True}, "migrator": {"extra": 1_000_000, "score_ok": True},
                        "alembic": {"extra": 0, "score_ok": True}}},
        "rss": {"versions": 10_000, "apply_seconds": 5.0, "apply_rss_kb": 61_000, "db_bytes": 2_000_000},
    }
    # The fleet, one round. PostgreSQL, 1,000 schemas: --parallel 1 100 s, default parallelism 40 s, the shell
    # loop 300 s (CPU 60, 55, 250 s), 1/10 of the targets 5 s; peak RSS 38, 40, 37, 38 MB. MariaDB, 100
    # databases: 50, 30, 60 s (CPU 20, 18, 45 s), 1/10 4 s; peak RSS 41, 52, 36, 40 MB. SQLite, 1,000 files: 80,
    # 70, 240 s, 1/10 8 s; peak RSS 24, 24.5, 21, 20 MB (1.23×, but within 5 MB).
    fleet = {
        "postgres": {"serial": (100.0, 60.0, 38.0), "parallel": (40.0, 55.0, 40.0), "loop": (300.0, 250.0, 37.0),
                     "tenth": (5.0, 5.0, 38.0)},
        "mysql": {"serial": (50.0, 20.0, 41.0), "parallel": (30.0, 18.0, 52.0), "loop": (60.0, 45.0, 36.0),
                  "tenth": (4.0, 2.0, 40.0)},
        "sqlite": {"serial": (80.0, 78.0, 24.0), "parallel": (70.0, 90.0, 24.5), "loop": (240.0, 230.0, 21.0),
                   "tenth": (8.0, 9.0, 20.0)},
    }
    fleet_info = {
        "postgres": {"targets": 1000, "tenth": 100, "versions": 20, "operations": 38,
                     "connections": {"serial": [2], "parallel": [9], "loop": [2], "tenth": [9]},
                     "summary_bytes": {"parallel": [400_000], "tenth": [40_000]},
                     "parallel": {"parallel": 4, "tenth": 4}},
        "mysql": {"targets": 100, "tenth": 10, "versions": 20, "operations": 38,
                  "connections": {"serial": [3], "parallel": [8], "loop": [2], "tenth": [None]},
                  "summary_bytes": {"parallel": [36_000], "tenth": [4_000]}, "parallel": {"parallel": 4, "tenth": 4}},
        "sqlite": {"targets": 1000, "tenth": 100, "versions": 20, "operations": 38,
                   "connections": {way: [None] for way in ("serial", "parallel", "loop", "tenth")},
                   "summary_bytes": {"parallel": [300_000], "tenth": [30_000]},
                   "parallel": {"parallel": 2, "tenth": 2}},
    }
    if base:
        info["base"] = {"dists": {"migrator": "0.2.0", "peewee": "3.17.0"}}
    for kind in servers:
        samples.update({(f"w3-{kind}", tool, step): runs for (tool, step), runs in w3[kind].items()})
        info[f"w3-{kind}"] = {"versions": 200, "operations": 500, "rows": 1000, "counts": counts[kind]}
    for kind in ("sqlite", *servers):
        samples.update({(f"fleet-{kind}", way, "apply"): [sample(*figures)] for way, figures in fleet[kind].items()})
        info[f"fleet-{kind}"] = fleet_info[kind]
    samples.update(changes or {})
    b = types.SimpleNamespace(
        args=argparse.Namespace(quick=quick, runs=None, migrator_rev="HEAD"),
        sizes={"runs": 3, "repeat": 3, "w2_timeout": 120.0, "fleet_runs": 1}, samples=samples, failures=list(failures),
        info=info, skip=set())
    started = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)
    finished = started + datetime.timedelta(seconds=90)
    machine = {"cpu": "Canned CPU", "cores": 2, "ram": "4.0 GiB", "os": "Canned OS"}
    versions = {"Python": "3.11.0", "migrator": "0.2.0 (commit abc1234)"}
    return report.Report(b, started, finished, {}, machine, versions).render()


def table_rows(markdown):
    """The cells of every table row (header rows included, separator rows not)."""
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("| ")]


def rows_of(markdown, *first):
    """The cells of every table row that starts with the cells `first`."""
    return [row for row in table_rows(markdown) if row[:len(first)] == list(first)]


def cells(markdown, *first):
    """The cells of the one table row that starts with the cells `first`."""
    rows = rows_of(markdown, *first)
    assert len(rows) == 1, (first, rows)
    return rows[0]


def section(markdown, heading):
    return markdown.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def targets_of(markdown):
    """{target: its row} of the Targets table, its header left out."""
    rows = table_rows(section(markdown, "## Targets"))
    assert rows[0] == ["target", "migrator", "reference", "ratio", "CPU ratio", "limit", "result"]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(by_name) == len(rows) - 1  # no target twice
    return by_name


@pytest.fixture(scope="module")
def full():
    return canned()


@pytest.fixture(scope="module")
def flipped():
    """The same run with samples that turn W1's and the status verdicts round, and no MariaDB."""
    return canned(servers=("postgres",), changes={
        ("w1", "migrator", "apply"): rounds([0.132] * 3, [0.104] * 3),  # 1.20× the one-transaction floor
        ("w1", "plain_once", "rollback"): rounds([0.280] * 3, [0.200] * 3),  # 300 / 280 ms: 1.07×
        ("w1", "playhouse", "status"): rounds([0.150] * 3, [0.100] * 3),  # a tie with migrator status
        ("startup", PEEWEE_YARDSTICK, "run"): rounds([0.100] * 3, [0.070] * 3, [14.0] * 3),  # 150 / 100 ms
        ("w3-postgres", "plain", "rollback"): rounds([0.120] * 3, [0.060] * 3),  # 150 / 120 ms: 1.25×
    })


def test_header_and_sections(full):
    assert full.startswith("# Benchmarks\n\nGenerated by `python bench/run.py --migrator-rev HEAD` on "
                           "2026-01-02 03:04 UTC; the run took 1.5 minutes. 3 rounds;")
    assert "(status and start-up commands: 3 times per round)." in full
    assert "Load average (1 min) at the start and end of the run: 0.50 and 0.75 on" in full
    headings = [line for line in full.splitlines() if line.startswith("#")]
    assert headings[:11] == ["# Benchmarks", "## Targets", "## Machine and versions", "## Method",
                             "## W1: SQLite, many cheap versions", "### Start-up",
                             "## W2: SQLite, one version on a large table", "## W3: PostgreSQL",
                             "### Statements sent to PostgreSQL", "## W3: MariaDB",
                             "### Statements sent to MariaDB"]
    assert "## Peak RSS of `migrator status` with many versions" in headings
    assert headings[headings.index("## Peak RSS of `migrator status` with many versions") + 1:][:4] == \
        ["## Fleet: one history on many tenants", "### Fleet: SQLite, 1,000 SQLite files in one folder",
         "### Fleet: PostgreSQL, 1,000 schemas of one database", "### Fleet: MariaDB, 100 databases on the server"]
    assert "## Failures" not in headings
    assert "## Where the time goes" in headings  # bench/analysis.md, appended to a full run's report
    assert "smoke run" not in full
    assert "`/bin/true` measures 6.3 MB this way, the floor of every RSS figure." in full
    machine = section(full, "## Machine and versions")
    assert cells(machine, "CPU") == ["CPU", "Canned CPU"]
    assert cells(machine, "migrator") == ["migrator", "0.2.0 (commit abc1234)"]
    # what the base install holds, from the run's notes, in the table and in Method
    assert cells(machine, "base install (second venv)") == \
        ["base install (second venv)", "migrator 0.2.0, peewee 3.17.0; no database driver"]
    method = section(full, "## Method")
    assert "no database driver (migrator 0.2.0, peewee 3.17.0; the same Python)." in method
    without = canned(base=False)  # a run that made no base install (W1 not run) says nothing of one
    assert rows_of(section(without, "## Machine and versions"), "base install (second venv)") == []
    assert "peewee 3.17.0" not in without


def test_targets_figures_ratios_and_verdicts(full):
    t = targets_of(full)
    # W1 apply: migrator 121 ms (CPU 104 ms) against the one-transaction floor's 110 ms (80 ms): 1.10× ≤ 1.15×
    assert t[W1_ONCE.format("apply")][1:] == ["121 ms", "110 ms", "1.10×", "1.30×", "≤ 1.15×", "PASS"]
    assert t["W1 apply: migrator faster than Alembic"][1:] == ["121 ms", "900 ms", "0.13×", "0.14×", "< 1×", "PASS"]
    assert t["W1 apply: migrator faster than playhouse.migrations"][1:] == \
        ["121 ms", "105 ms", "1.15×", "1.16×", "< 1×", "MISS"]
    # the per-version floor is context: 1.21× its 100 ms would miss any of the apply limits, and is not judged
    assert t[W1_PER_VERSION.format("apply")][1:] == \
        ["121 ms", "100 ms", "1.21×", "1.30×", "none (context)", "context"]
    # W1 rollback: 300 ms against the one-transaction floor's 250 ms: 1.20× > 1.1×
    assert t[W1_ONCE.format("rollback")][1:] == ["300 ms", "250 ms", "1.20×", "1.20×", "≤ 1.1×", "MISS"]
    assert t["W1 rollback: migrator faster than Alembic"][1:] == \
        ["300 ms", "600 ms", "0.50×", "0.48×", "< 1×", "PASS"]
    assert t["W1 rollback: migrator faster than playhouse.migrations"][1:] == \
        ["300 ms", "400 ms", "0.75×", "0.80×", "< 1×", "PASS"]
    assert t[W1_PER_VERSION.format("rollback")][1:] == \
        ["300 ms", "500 ms", "0.60×", "0.60×", "none (context)", "context"]
    # status against playhouse status (90 ms), and against the base install's import peewee (50 ms), not the
    # bench venv's (120 ms: 1.25×, which would pass)
    assert t[STATUS_VS_PLAYHOUSE][1:] == ["150 ms", "90 ms", "1.67×", "1.75×", "≤ 1×", "MISS"]
    assert t[STATUS_VS_PEEWEE][1:] == ["150 ms", "50 ms", "3.00×", "3.11×", "≤ 2×", "MISS"]
    assert t[HELP_VS_PEEWEE][1:] == ["70 ms", "50 ms", "1.40×", "1.33×", "≤ 1.5×", "PASS"]
    assert t["W2 apply, `--no-backup`, vs the limit"][1:] == ["2.40 s", "2.00 s", "1.20×", "1.33×", "≤ 1.3×", "PASS"]
    # a step that only ever timed out: a lower bound, and a miss
    assert t["W2 rollback, `--no-backup`, vs the limit"][1:] == \
        ["> 120 s (stopped)", "1.00 s", "> 120.0×", "–", "≤ 1.3×", "MISS"]
    assert t["W2 apply, with backups, vs the limit"][1:] == ["3.00 s", "2.00 s", "1.50×", "1.60×", "≤ 2×", "PASS"]
    assert t["W2 rollback, with backups, vs the limit"][1:] == ["1.80 s", "1.00 s", "1.80×", "1.50×", "≤ 2×", "PASS"]
    # W3 on PostgreSQL: migrator's figures (240 and 150 ms), never migrator_online's (900 and 700 ms); a tie
    # with Alembic's rollback is not faster
    pg = dict(server="PostgreSQL", driver="psycopg2")
    assert [t[name.format(step="apply", **pg)][1:] for name in W3_ROWS] == [
        ["240 ms", "600 ms", "0.40×", "0.33×", "< 1×", "PASS"],
        ["240 ms", "200 ms", "1.20×", "1.25×", "< 1×", "MISS"],
        ["240 ms", "200 ms", "1.20×", "1.50×", "≤ 1.3×", "PASS"]]
    assert [t[name.format(step="rollback", **pg)][1:] for name in W3_ROWS] == [
        ["150 ms", "150 ms", "1.00×", "0.75×", "< 1×", "MISS"],
        ["150 ms", "300 ms", "0.50×", "0.50×", "< 1×", "PASS"],
        ["150 ms", "100 ms", "1.50×", "1.50×", "≤ 1.3×", "MISS"]]
    maria = dict(server="MariaDB", driver="PyMySQL")
    assert [t[name.format(step="apply", **maria)][1:] for name in W3_ROWS] == [
        ["1.10 s", "2.00 s", "0.55×", "0.33×", "< 1×", "PASS"],
        ["1.10 s", "1.25 s", "0.88×", "0.75×", "< 1×", "PASS"],
        ["1.10 s", "1.00 s", "1.10×", "1.50×", "≤ 1.3×", "PASS"]]
    assert [t[name.format(step="rollback", **maria)][1:] for name in W3_ROWS] == [
        ["960 ms", "900 ms", "1.07×", "0.50×", "< 1×", "MISS"],
        ["960 ms", "1.60 s", "0.60×", "0.60×", "< 1×", "PASS"],
        ["960 ms", "800 ms", "1.20×", "1.50×", "≤ 1.3×", "PASS"]]
    # the floor of a tool on Peewee is context: 230 ms, 1.15× the limit's 200 ms; 1.35× on rollback; 1.05×
    # on MariaDB's apply, and not measured on its rollback
    assert t[W3_PEEWEE_FLOOR.format(step="apply", **pg)][1:] == \
        ["230 ms", "200 ms", "1.15×", "1.30×", "none (context)", "context"]
    assert t[W3_PEEWEE_FLOOR.format(step="rollback", **pg)][1:] == \
        ["135 ms", "100 ms", "1.35×", "1.58×", "none (context)", "context"]
    assert t[W3_PEEWEE_FLOOR.format(step="apply", **maria)][1:] == \
        ["1.05 s", "1.00 s", "1.05×", "1.25×", "none (context)", "context"]
    assert t[W3_PEEWEE_FLOOR.format(step="rollback", **maria)][1:] == \
        ["–", "800 ms", "–", "–", "none (context)", "not measured"]
    assert [name for name in t if name.startswith("W3 ")] == \
        [name.format(step=step, **server) for server in (pg, maria) for step in ("apply", "rollback")
         for name in [*W3_ROWS, W3_PEEWEE_FLOOR]]
    assert not [name for name in t if "safe forms" in name or "online" in name]  # migrator_online: no target
    assert t["peak RSS of `migrator status` with 10,000 versions"][1:] == \
        ["56.0 MB", "100 MB", "0.56×", "–", "< 100 MB", "PASS"]
    # 8 W1 apply and rollback rows, 3 status and start-up, 4 W2, 8 per W3 server, 1 RSS, 5 fleet
    assert len(t) == 8 + 3 + 4 + 2 * 8 + 1 + 5
    assert list(t)[-5:] == FLEET_TARGETS


def test_context_rows_have_no_verdict(full, flipped):
    for markdown in (full, flipped):
        t = targets_of(markdown)
        context = [name for name, row in t.items() if row[-2] == "none (context)"]
        floors = [W3_PEEWEE_FLOOR.format(step=step, **server) for server in
                  (dict(server="PostgreSQL", driver="psycopg2"), dict(server="MariaDB", driver="PyMySQL"))
                  for step in ("apply", "rollback")]
        assert context == [W1_PER_VERSION.format("apply"), W1_PER_VERSION.format("rollback"), *floors]
        assert [name for name, row in t.items() if row[-1] == "context"] == \
            [name for name in context if t[name][1] != "–"]  # a context row not measured says so
        assert {row[-1] for name, row in t.items() if name not in context} <= {"PASS", "MISS", "not measured"}


def test_verdicts_follow_the_samples(full, flipped):
    t = targets_of(flipped)
    # migrator apply 132 ms: 1.20× the one-transaction floor (110 ms) misses ≤ 1.15×
    assert t[W1_ONCE.format("apply")][1:] == ["132 ms", "110 ms", "1.20×", "1.30×", "≤ 1.15×", "MISS"]
    assert t[W1_PER_VERSION.format("apply")][1:] == \
        ["132 ms", "100 ms", "1.32×", "1.30×", "none (context)", "context"]
    # rollback 300 ms against a one-transaction floor of 280 ms: 1.07× passes ≤ 1.1×
    assert t[W1_ONCE.format("rollback")][1:] == ["300 ms", "280 ms", "1.07×", "1.20×", "≤ 1.1×", "PASS"]
    # a tie with playhouse status is no slower; the yardstick at 100 ms puts status at 1.50× and --help at 0.70×
    assert t[STATUS_VS_PLAYHOUSE][1:] == ["150 ms", "150 ms", "1.00×", "1.40×", "≤ 1×", "PASS"]
    assert t[STATUS_VS_PEEWEE][1:] == ["150 ms", "100 ms", "1.50×", "2.00×", "≤ 2×", "PASS"]
    assert t[HELP_VS_PEEWEE][1:] == ["70 ms", "100 ms", "0.70×", "0.86×", "≤ 1.5×", "PASS"]
    assert t["W3 PostgreSQL rollback: migrator vs the limit (plain psycopg2)"][1:] == \
        ["150 ms", "120 ms", "1.25×", "1.50×", "≤ 1.3×", "PASS"]
    # no MariaDB: its six rows are there, not measured
    maria = dict(server="MariaDB", driver="PyMySQL")
    assert [t[name.format(step=step, **maria)][1:] for step in ("apply", "rollback") for name in W3_ROWS] == \
        [["–", "–", "–", "–", limit, "not measured"] for _ in range(2) for limit in ("< 1×", "< 1×", "≤ 1.3×")]
    assert "## W3: MariaDB" not in flipped.splitlines()
    assert list(t) == list(targets_of(full))  # the same rows, whatever was measured


def test_step_tables(full):
    w1 = section(full, "## W1: SQLite, many cheap versions").split("### Start-up")[0]
    assert cells(w1, "step") == \
        ["step", "tool", "wall min / median / max", "CPU (median)", "× per-version limit", "× one-transaction limit",
         "× migrator", "× Alembic", "× playhouse.migrations", "peak RSS min / median / max",
         "RSS × per-version limit", "RSS × one-transaction limit", "RSS × migrator", "RSS × Alembic",
         "RSS × playhouse.migrations"]
    assert cells(w1, "apply", "migrator") == \
        ["apply", "migrator", "120 ms / **121 ms** / 150 ms", "104 ms", "1.21×", "1.10×", "", "0.13×", "1.15×",
         "30.0 / **31.0** / 33.0 MB", "1.48×", "1.55×", "", "0.49×", "1.03×"]
    assert cells(w1, "apply", "plain driver, one transaction (limit)") == \
        ["apply", "plain driver, one transaction (limit)", "100 ms / **110 ms** / 130 ms", "80 ms", "1.10×", "1.00×",
         "0.91×", "0.12×", "1.05×", "19.0 / **20.0** / 21.0 MB", "0.95×", "1.00×", "0.65×", "0.32×", "0.67×"]
    assert [row[1] for row in rows_of(w1, "rollback")] == \
        ["plain driver (limit)", "plain driver, one transaction (limit)", "migrator", "Alembic",
         "playhouse.migrations"]
    # migrator's and playhouse's status ran from the base install and say so; both limits' status did not
    assert cells(w1, "migrator status (base install)", "migrator")[2:9] == \
        ["150 ms / **150 ms** / 150 ms", "140 ms", "2.50×", "3.75×", "", "0.25×", "1.67×"]
    assert cells(w1, "playhouse status (base install)", "playhouse.migrations")[4:6] == ["1.50×", "2.25×"]
    assert [row[1] for row in rows_of(w1, "plain status")] == \
        ["plain driver (limit)", "plain driver, one transaction (limit)"]
    assert rows_of(w1, "migrator status") == [] and rows_of(w1, "playhouse status") == []
    assert rows_of(w1, "alembic current", "Alembic")
    # `alembic history` is compared with each limit's status
    assert cells(w1, "alembic history")[:7] == ["alembic history", "Alembic", "480 ms / **480 ms** / 480 ms",
                                                "450 ms", "8.00×", "12.00×", "3.20×"]

    startup = section(full, "### Start-up")
    assert cells(startup, "command") == ["command", "run from", "wall min / median / max", "CPU (median)",
                                         "× `import peewee`", "× `python -c pass`", "peak RSS min / median / max"]
    assert cells(startup, "`python -c pass`") == \
        ["`python -c pass`", "base install", "20 ms / **20 ms** / 20 ms", "18 ms", "0.40×", "1.00×",
         "9.0 / **9.0** / 9.0 MB"]
    # two `import peewee` rows: the base install's is the yardstick (1.00×), the bench venv's is information
    assert rows_of(startup, '`python -c "import peewee"`') == [
        ['`python -c "import peewee"`', "base install (the yardstick)", "50 ms / **50 ms** / 50 ms", "45 ms",
         "1.00×", "2.50×", "14.0 / **14.0** / 14.0 MB"],
        ['`python -c "import peewee"`', "bench venv, drivers installed (informational)",
         "120 ms / **120 ms** / 120 ms", "100 ms", "2.40×", "6.00×", "25.0 / **25.0** / 25.0 MB"]]
    assert cells(startup, "`migrator --help`") == \
        ["`migrator --help`", "base install", "70 ms / **70 ms** / 70 ms", "60 ms", "1.40×", "3.50×",
         "18.0 / **18.0** / 18.0 MB"]
    assert cells(startup, "`python -m playhouse.migrations --help`")[1:2] + \
        cells(startup, "`python -m playhouse.migrations --help`")[4:6] == ["bench venv", "1.20×", "3.00×"]
    assert cells(startup, "`migrator status (W1, all applied)`")[1:2] + \
        cells(startup, "`migrator status (W1, all applied)`")[4:6] == ["base install", "3.00×", "7.50×"]
    assert cells(startup, "`python -m playhouse.migrations DB status (W1, all applied)`")[1:6] == \
        ["base install", "90 ms / **90 ms** / 90 ms", "80 ms", "1.80×", "4.50×"]
    assert "`alembic --help`" not in startup  # not measured, no row

    # W3 on PostgreSQL: migrator_online has a row, compared with the limit and every peer, and no column
    pg = section(full, "## W3: PostgreSQL").split("### Statements")[0]
    w3_header = ["step", "tool", "wall min / median / max", "CPU (median)", "× limit", "× migrator", "× Alembic",
                 "× playhouse.migrations", "peak RSS min / median / max", "RSS × limit", "RSS × migrator",
                 "RSS × Alembic", "RSS × playhouse.migrations"]
    assert cells(pg, "step") == w3_header
    assert cells(pg, "apply", "migrator, safe forms (default)") == \
        ["apply", "migrator, safe forms (default)", "900 ms / **900 ms** / 900 ms", "200 ms", "4.50×", "3.75×",
         "1.50×", "4.50×", "40.0 / **40.0** / 40.0 MB", "1.33×", "1.33×", "1.33×", "1.33×"]
    assert cells(pg, "apply", "migrator") == \
        ["apply", "migrator", "240 ms / **240 ms** / 240 ms", "150 ms", "1.20×", "", "0.40×", "1.20×",
         "30.0 / **30.0** / 30.0 MB", "1.00×", "", "1.00×", "1.00×"]
    assert cells(pg, "rollback", "migrator, safe forms (default)")[4:8] == ["7.00×", "4.67×", "4.67×", "2.33×"]
    # no plain status measured: "–" against the limit
    assert [row[1] for row in rows_of(pg, "migrator status")] == ["migrator", "migrator, safe forms (default)"]
    assert cells(pg, "migrator status", "migrator, safe forms (default)")[4:6] == ["–", "1.10×"]
    assert "it is shown for context and judged in no target." in section(full, "## W3: PostgreSQL")
    maria = section(full, "## W3: MariaDB").split("### Statements")[0]
    assert cells(maria, "step") == w3_header
    assert [row[1] for row in rows_of(maria, "apply")] == \
        ["plain driver (limit)", "migrator", "Alembic", "playhouse.migrations",
         "plain driver, Peewee imported (floor of a Peewee tool)"]
    assert "safe forms" not in section(full, "## W3: MariaDB")  # a PostgreSQL-only context tool
    assert cells(maria, "rollback", "migrator")[4:8] == ["1.20×", "", "1.07×", "0.60×"]


def test_w2_timeouts_and_what_rollback_kept(full):
    w2 = section(full, "## W2: SQLite, one version on a large table")
    assert "A table of 1,000,000 rows (integer, text and timestamp columns, an index; 52.3 MB file)" in w2
    row = cells(w2, "rollback", "plain driver (limit)")
    assert row[:5] == ["rollback", "plain driver (limit)", "1.00 s / **1.00 s** / 1.00 s", "800 ms", "1.00×"]
    stopped = [line for line in w2.splitlines() if line.startswith("| rollback | migrator --no-backup |")]
    assert stopped == ["| rollback | migrator --no-backup | did not finish: stopped after 120 s | "
                       + " | ".join(["–"] * 12) + " |"]
    assert cells(w2, "migrator") == ["migrator", "restored"]
    assert cells(w2, "plain driver (limit)")[1] == "not kept (0 of 1,000,000 values back)"
    assert cells(w2, "migrator --no-backup") == ["migrator --no-backup", "not measured (rollback did not finish)"]


def test_statement_counts_and_rss(full):
    w3 = section(full, "## W3: PostgreSQL")
    assert "W1's description with 200 versions (500 operations) on 10 tables of 1,000 rows" in w3
    counted = w3.split("### Statements sent to PostgreSQL")[1]
    assert "Questions" not in counted  # MariaDB's server counter: neither described nor a column here
    assert cells(counted, "apply", "migrator") == \
        ["apply", "migrator", "1,300", "2.6", "500", "200", "200", "400", "0", "900"]
    # the context tool is counted like every tool: DDL, writes, reads, transaction control
    assert cells(counted, "apply", "migrator, safe forms (default)") == \
        ["apply", "migrator, safe forms (default)", "1,600", "3.2", "500", "200", "300", "600", "0", "1,000"]
    maria = section(full, "## W3: MariaDB").split("### Statements sent to MariaDB")[1]
    assert cells(maria, "step")[-1] == "server `Questions`"  # the server was idle: its counter is a column
    assert cells(maria, "apply", "migrator") == \
        ["apply", "migrator", "800", "1.6", "500", "200", "100", "0", "0", "700", "812"]
    rss = section(full, "## Peak RSS of `migrator status` with many versions")
    assert "10,000 trivial versions" in rss and "(5.00 s, peak RSS 61.0 MB; database 2.0 MB)" in rss
    assert cells(rss, "`migrator status`") == ["`migrator status`", "700 ms / **720 ms** / 740 ms",
                                               "55.0 / **56.0** / 57.0 MB"]
    assert ("For comparison, `migrator status` on W1's 1,000 versions (a larger schema) peaks at 30.0 MB; that figure "
            "is from migrator's base install (no database drivers), this one from the benchmark's environment.") in rss


def test_quick_run_and_failures(full):
    quick = canned(quick=True, failures=["w1, migrator, apply: exit 1\n    $ migrator migrate"])
    assert "**This is a `--quick` smoke run: small sizes, one round. Its figures say nothing about speed.**" in quick
    assert "Generated by `python bench/run.py --quick --migrator-rev HEAD`" in quick
    # the same targets as the full report's, each with its verdict (context rows too) marked as not assessed
    judged, assessed = targets_of(quick), targets_of(full)
    assert list(judged) == list(assessed) and len(judged) == 37
    assert [row[-1] for row in judged.values()] == \
        [f"({row[-1]}; not assessed in --quick)" for row in assessed.values()]
    assert [row[:-1] for row in judged.values()] == [row[:-1] for row in assessed.values()]
    assert judged[W1_ONCE.format("apply")][-1] == "(PASS; not assessed in --quick)"
    assert judged[W1_ONCE.format("rollback")][-1] == "(MISS; not assessed in --quick)"
    assert judged[W1_PER_VERSION.format("apply")][-1] == "(context; not assessed in --quick)"
    failures = section(quick, "## Failures")
    assert "```\nw1, migrator, apply: exit 1\n    $ migrator migrate\n```" in failures
    assert "## Where the time goes" not in quick  # bench/analysis.md only in a full run


def test_stats_and_formats():
    s = report.stats([sample(0.3, 0.2, 40.0), sample(0.1, 0.1, 20.0), sample(9.0, 9.0, 90.0, timed_out=True)])
    assert (s["n"], s["runs"], s["timed_out"]) == (2, 3, 1)
    assert (s["min"], s["max"], s["rss_median"]) == (0.1, 0.3, 30.0)
    assert s["median"] == pytest.approx(0.2) and s["cpu"] == pytest.approx(0.15)
    assert report.stats([sample(1.0, 1.0, timed_out=True)]) is None
    assert [report.fmt_s(x) for x in (None, 0.0042, 0.9994, 1.5, 99.994, 150.4)] == \
        ["–", "4 ms", "999 ms", "1.50 s", "99.99 s", "150 s"]
    assert (report.fmt_ratio(3, 2), report.fmt_ratio(None, 2), report.fmt_ratio(1, 0)) == ("1.50×", "–", "–")


def test_fleet_targets(full, flipped):
    t = targets_of(full)
    # PostgreSQL: 40 s against the loop's 300 s is 0.13×, 7.5× faster; CPU 55 against 250 s
    assert t[FLEET_SPEED.format("PostgreSQL")][1:] == \
        ["40.00 s", "300 s", "0.13×", "0.22×", "≤ 0.33× (3× faster)", "PASS"]
    # MariaDB: 30 s against 60 s is only 2× faster
    assert t[FLEET_SPEED.format("MariaDB")][1:] == \
        ["30.00 s", "60.00 s", "0.50×", "0.40×", "≤ 0.33× (3× faster)", "MISS"]
    # peak RSS: SQLite 24.5 MB against 20.0 MB at 1/10 is 1.23×, but within 5 MB; the summary grew 0.27 MB
    assert t[FLEET_RSS.format("SQLite")][1:] == \
        ["24.5 MB", "20.0 MB", "1.23×", "–", "≤ 1.2× or + 5 MB, + the summary's growth (0.27 MB)", "PASS"]
    assert t[FLEET_RSS.format("PostgreSQL")][1:] == \
        ["40.0 MB", "38.0 MB", "1.05×", "–", "≤ 1.2× or + 5 MB, + the summary's growth (0.36 MB)", "PASS"]
    # MariaDB: 52 MB against 40 MB: 1.30×, 12 MB more, beyond max(48, 45) MB + 0.03 MB of summary
    assert t[FLEET_RSS.format("MariaDB")][1:] == \
        ["52.0 MB", "40.0 MB", "1.30×", "–", "≤ 1.2× or + 5 MB, + the summary's growth (0.03 MB)", "MISS"]
    # no MariaDB: its rows are there, not measured; SQLite's and PostgreSQL's as before
    f = targets_of(flipped)
    assert f[FLEET_SPEED.format("MariaDB")][1:] == ["–", "–", "–", "–", "≤ 0.33× (3× faster)", "not measured"]
    assert f[FLEET_RSS.format("MariaDB")][1:] == \
        ["–", "–", "–", "–", "≤ 1.2× or + 5 MB, + the summary's growth", "not measured"]
    assert f[FLEET_RSS.format("PostgreSQL")] == t[FLEET_RSS.format("PostgreSQL")]
    assert "### Fleet: MariaDB, 100 databases on the server" not in flipped.splitlines()
    # a run whose 1/10 size did not finish, or whose loop failed: no verdict
    broken = targets_of(canned(changes={("fleet-postgres", "tenth", "apply"): [sample(60.0, 1.0, timed_out=True)],
                                        ("fleet-mysql", "loop", "apply"): [dict(sample(9.0, 5.0), rc=1)]}))
    assert broken[FLEET_RSS.format("PostgreSQL")][-1] == "not measured"
    assert broken[FLEET_SPEED.format("MariaDB")][1:] == \
        ["30.00 s", "–", "–", "–", "≤ 0.33× (3× faster)", "not measured"]


def test_fleet_tables(full):
    fleet = section(full, "## Fleet: one history on many tenants")
    assert "One history of 20 versions (38 operations: two tables and an index in the first" in fleet
    assert "1 round (the shell loop alone takes minutes at this size)." in fleet
    header = ["way", "targets", "wall min / median / max", "per target", "CPU (median)", "peak RSS min / median / max",
              "peak connections", "× shell loop"]
    pg = full.split("\n### Fleet: PostgreSQL, 1,000 schemas of one database\n", 1)[1].split("\n### ", 1)[0]
    assert "`--database-url URL --all-schemas 't_*'`" in pg and "1/10 of the targets: 100." in pg
    assert cells(pg, "way") == header
    assert rows_of(pg, "fleet, `--parallel 1`") == [
        ["fleet, `--parallel 1`", "1,000", "100 s / **100 s** / 100 s", "100 ms", "60.00 s",
         "38.0 / **38.0** / 38.0 MB", "2", "0.33×"]]
    assert cells(pg, "fleet, default parallelism (4)") == \
        ["fleet, default parallelism (4)", "1,000", "40.00 s / **40.00 s** / 40.00 s", "40 ms", "55.00 s",
         "40.0 / **40.0** / 40.0 MB", "9", "0.13×"]
    assert cells(pg, "shell loop, one `migrator migrate` per target")[1:] == \
        ["1,000", "300 s / **300 s** / 300 s", "300 ms", "250 s", "37.0 / **37.0** / 37.0 MB", "2", "1.00×"]
    # the 1/10 size: its own per-target figure, no ratio to the full size's loop
    assert cells(pg, "fleet, default parallelism, 1/10 of the targets (4)")[1:] == \
        ["100", "5.00 s / **5.00 s** / 5.00 s", "50 ms", "5.00 s", "38.0 / **38.0** / 38.0 MB", "9", "–"]
    assert ("Peak RSS of the default-parallel fleet run: 40.0 MB at 1,000 targets, 38.0 MB at 100 (1.05×); its "
            "summary file grew by 360 kB between the two.") in pg
    maria = full.split("\n### Fleet: MariaDB, 100 databases on the server\n", 1)[1]
    assert cells(maria, "fleet, default parallelism (4)")[3:] == ["300 ms", "18.00 s", "52.0 / **52.0** / 52.0 MB",
                                                                  "8", "0.50×"]
    assert cells(maria, "fleet, default parallelism, 1/10 of the targets (4)")[6] == "–"  # the count failed
    sqlite = full.split("\n### Fleet: SQLite, 1,000 SQLite files in one folder\n", 1)[1].split("\n### ", 1)[0]
    assert "`--targets 'sqlite:///DIR/*.db'`" in sqlite
    assert [row[6] for row in table_rows(sqlite)[1:]] == ["–"] * 4  # no server, no connections
    assert cells(sqlite, "fleet, default parallelism (2)")[7] == "0.29×"
    # a way that ran out of time
    stopped = canned(changes={("fleet-postgres", "loop", "apply"): [sample(3600.0, 3000.0, timed_out=True)]})
    pg = stopped.split("\n### Fleet: PostgreSQL, 1,000 schemas of one database\n", 1)[1].split("\n### ", 1)[0]
    assert cells(pg, "shell loop, one `migrator migrate` per target")[1:] == \
        ["1,000", "did not finish: stopped after 3600 s", "–", "–", "–", "–", "–"]
    assert cells(pg, "fleet, default parallelism (4)")[7] == "–"
