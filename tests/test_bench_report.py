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


def sample(wall, cpu, rss_mb=30.0, timed_out=False):
    return {"rc": -9 if timed_out else 0, "wall": wall, "maxrss_kb": int(rss_mb * 1000), "user": cpu * 0.75,
            "sys": cpu * 0.25, "timed_out": timed_out, "stdout": Path("00001.out"), "stderr": Path("00001.err")}


def rounds(walls, cpus, rss=(30.0, 30.0, 30.0)):
    return [sample(w, c, r) for w, c, r in zip(walls, cpus, rss)]


def canned(quick=False, failures=()):
    samples = {
        # W1: three rounds each. Medians: plain 110 ms, migrator 121 ms, Alembic 900 ms, playhouse 105 ms.
        ("w1", "plain", "apply"): rounds([0.120, 0.100, 0.110], [0.090, 0.080, 0.085], [20.0, 21.0, 22.0]),
        ("w1", "migrator", "apply"): rounds([0.150, 0.121, 0.120], [0.100, 0.104, 0.110], [30.0, 33.0, 31.0]),
        ("w1", "alembic", "apply"): rounds([0.800, 0.900, 1.000], [0.700, 0.720, 0.740], [60.0, 66.0, 63.0]),
        ("w1", "playhouse", "apply"): rounds([0.105, 0.100, 0.200], [0.090, 0.090, 0.090]),
        ("w1", "migrator", "status"): rounds([0.150] * 3, [0.140] * 3),
        ("w1", "plain", "status"): rounds([0.060] * 3, [0.050] * 3),
        ("w1", "alembic", "status"): rounds([0.600] * 3, [0.550] * 3),
        ("w1", "alembic", "history"): rounds([0.480] * 3, [0.450] * 3),
        ("w1", "playhouse", "status"): rounds([0.090] * 3, [0.080] * 3),
        # rollback medians: plain 200 ms, migrator 300 ms, Alembic 600 ms, playhouse 400 ms
        ("w1", "plain", "rollback"): rounds([0.200] * 3, [0.150] * 3),
        ("w1", "migrator", "rollback"): rounds([0.300] * 3, [0.240] * 3),
        ("w1", "alembic", "rollback"): rounds([0.600] * 3, [0.500] * 3),
        ("w1", "playhouse", "rollback"): rounds([0.400] * 3, [0.300] * 3),
        ("startup", "python -c pass", "run"): rounds([0.020] * 3, [0.018] * 3, [9.0] * 3),
        ("startup", 'python -c "import peewee"', "run"): rounds([0.050] * 3, [0.045] * 3, [14.0] * 3),
        ("startup", "migrator --help", "run"): rounds([0.070] * 3, [0.060] * 3, [18.0] * 3),
        # W2: migrator --no-backup's rollback never finished (stopped at 120 s each time)
        ("w2", "plain", "apply"): rounds([2.0] * 3, [1.5] * 3),
        ("w2", "migrator_nobackup", "apply"): rounds([2.4] * 3, [2.0] * 3),
        ("w2", "migrator", "apply"): rounds([3.0] * 3, [2.4] * 3),
        ("w2", "plain", "rollback"): rounds([1.0] * 3, [0.8] * 3),
        ("w2", "migrator", "rollback"): rounds([1.8] * 3, [1.2] * 3),
        ("w2", "migrator_nobackup", "rollback"): [sample(120.0, 119.0, timed_out=True)],
        # W3 on PostgreSQL: apply only
        ("w3-postgres", "plain", "apply"): rounds([0.200] * 3, [0.100] * 3),
        ("w3-postgres", "migrator", "apply"): rounds([0.500] * 3, [0.300] * 3),
        # RSS: median 56.0 MB
        ("rss", "migrator", "status"): rounds([0.700, 0.740, 0.720], [0.690] * 3, [57.0, 55.0, 56.0]),
    }
    info = {
        "floor_kb": 6300,
        "load": (0.5, 0.75),
        "w1": {"versions": 1000, "operations": 2500, "tables": 10, "rows": 1000},
        "w2": {"rows": 1_000_000, "bytes": 52_300_000,
               "kept": {"plain": {"extra": 0, "score_ok": True}, "migrator": {"extra": 1_000_000, "score_ok": True},
                        "alembic": {"extra": 0, "score_ok": True}}},
        "w3-postgres": {"versions": 200, "operations": 500, "rows": 1000,
                        "counts": {"migrator": {"apply": {"hook": {"ddl": 500, "read": 200, "write": 200,
                                                                   "transaction": 400},
                                                          "processes": 1, "own": 900, "questions": None}}}},
        "rss": {"versions": 10_000, "apply_seconds": 5.0, "apply_rss_kb": 61_000, "db_bytes": 2_000_000},
    }
    b = types.SimpleNamespace(
        args=argparse.Namespace(quick=quick, runs=None, migrator_rev="HEAD"),
        sizes={"runs": 3, "repeat": 3, "w2_timeout": 120.0}, samples=samples, failures=list(failures),
        info=info, skip=set())
    started = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)
    finished = started + datetime.timedelta(seconds=90)
    machine = {"cpu": "Canned CPU", "cores": 2, "ram": "4.0 GiB", "os": "Canned OS"}
    versions = {"Python": "3.11.0", "migrator": "0.2.0 (commit abc1234)"}
    return report.Report(b, started, finished, {}, machine, versions).render()


def cells(markdown, first):
    """The cells of the one table row whose first cell is `first`."""
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {first} |")]
    assert len(rows) == 1, (first, rows)
    return [c.strip() for c in rows[0].strip("|").split("|")]


def section(markdown, heading):
    return markdown.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def full():
    return canned()


def test_header_and_sections(full):
    assert full.startswith("# Benchmarks\n\nGenerated by `python bench/run.py --migrator-rev HEAD` on "
                           "2026-01-02 03:04 UTC; the run took 1.5 minutes. 3 rounds;")
    assert "(status and start-up commands: 3 times per round)." in full
    assert "Load average (1 min) at the start and end of the run: 0.50 and 0.75 on" in full
    headings = [line for line in full.splitlines() if line.startswith("#")]
    assert headings[:9] == ["# Benchmarks", "## Targets", "## Machine and versions", "## Method",
                            "## W1: SQLite, many cheap versions", "### Start-up",
                            "## W2: SQLite, one version on a large table", "## W3: PostgreSQL",
                            "### Statements sent to PostgreSQL"]
    assert "## Peak RSS of `migrator status` with many versions" in headings
    assert "## W3: MariaDB" not in headings  # no samples, no section
    assert "## Failures" not in headings
    assert "## Where the time goes" in headings  # bench/analysis.md, appended to a full run's report
    assert "smoke run" not in full
    assert "`/bin/true` measures 6.3 MB this way, the floor of every RSS figure." in full
    machine = section(full, "## Machine and versions")
    assert cells(machine, "CPU") == ["CPU", "Canned CPU"]
    assert cells(machine, "migrator") == ["migrator", "0.2.0 (commit abc1234)"]


def test_targets_figures_ratios_and_verdicts(full):
    targets = section(full, "## Targets")
    # migrator 121 ms against Alembic's 900 ms (CPU medians 104 ms and 720 ms), and playhouse's 105 ms
    assert cells(targets, "W1 apply: migrator faster than Alembic") == \
        ["W1 apply: migrator faster than Alembic", "121 ms", "900 ms", "0.13×", "0.14×", "< 1×", "PASS"]
    assert cells(targets, "W1 apply: migrator faster than playhouse.migrations") == \
        ["W1 apply: migrator faster than playhouse.migrations", "121 ms", "105 ms", "1.15×", "1.16×", "< 1×",
         "MISS"]
    assert cells(targets, "W1 apply: migrator vs the limit (plain sqlite3)")[1:] == \
        ["121 ms", "110 ms", "1.10×", "1.22×", "≤ 1.2×", "PASS"]
    assert cells(targets, "W1 rollback: migrator vs the limit (plain sqlite3)")[1:] == \
        ["300 ms", "200 ms", "1.50×", "1.60×", "≤ 1.2×", "MISS"]
    assert cells(targets, "W1 rollback: migrator faster than Alembic")[3:] == ["0.50×", "0.48×", "< 1×", "PASS"]
    assert cells(targets, 'W1 `migrator status` vs `python -c "import peewee"`')[1:] == \
        ["150 ms", "50 ms", "3.00×", "3.11×", "≤ 2×", "MISS"]
    assert cells(targets, '`migrator --help` vs `python -c "import peewee"`')[1:] == \
        ["70 ms", "50 ms", "1.40×", "1.33×", "≤ 1.5×", "PASS"]
    assert cells(targets, "W2 apply, `--no-backup`, vs the limit")[1:] == \
        ["2.40 s", "2.00 s", "1.20×", "1.33×", "≤ 1.3×", "PASS"]
    # a step that only ever timed out: a lower bound, and a miss
    assert cells(targets, "W2 rollback, `--no-backup`, vs the limit")[1:] == \
        ["> 120 s (stopped)", "1.00 s", "> 120.0×", "–", "≤ 1.3×", "MISS"]
    assert cells(targets, "W2 apply, with backups, vs the limit")[1:] == \
        ["3.00 s", "2.00 s", "1.50×", "1.60×", "≤ 2×", "PASS"]
    assert cells(targets, "W2 rollback, with backups, vs the limit")[1:] == \
        ["1.80 s", "1.00 s", "1.80×", "1.50×", "≤ 2×", "PASS"]
    assert cells(targets, "W3 apply, PostgreSQL, vs plain psycopg2")[1:] == \
        ["500 ms", "200 ms", "2.50×", "3.00×", "≤ 1.3×", "MISS"]
    assert cells(targets, "W3 rollback, PostgreSQL, vs plain psycopg2")[1:] == \
        ["–", "–", "–", "–", "≤ 1.3×", "not measured"]
    assert cells(targets, "W3 apply, MariaDB, vs plain PyMySQL")[-1] == "not measured"
    assert cells(targets, "peak RSS of `migrator status` with 10,000 versions")[1:] == \
        ["56.0 MB", "100 MB", "0.56×", "", "< 100 MB", "PASS"]
    assert len([line for line in targets.splitlines() if line.startswith("| ")]) == 1 + 17


def test_step_tables(full):
    w1 = section(full, "## W1: SQLite, many cheap versions")
    header = cells(w1, "step")
    assert header == ["step", "tool", "wall min / median / max", "CPU (median)", "× limit", "× migrator",
                      "× Alembic", "× playhouse.migrations", "peak RSS min / median / max", "RSS × limit",
                      "RSS × migrator", "RSS × Alembic", "RSS × playhouse.migrations"]
    rows = [line for line in w1.split("### Start-up")[0].splitlines() if line.startswith("| apply | migrator |")]
    assert [c.strip() for c in rows[0].strip("|").split("|")] == \
        ["apply", "migrator", "120 ms / **121 ms** / 150 ms", "104 ms", "1.10×", "", "0.13×", "1.15×",
         "30.0 / **31.0** / 33.0 MB", "1.48×", "", "0.49×", "1.03×"]
    # `alembic history` is compared with the limit's status
    assert cells(w1, "alembic history")[:5] == ["alembic history", "Alembic", "480 ms / **480 ms** / 480 ms",
                                                "450 ms", "8.00×"]
    startup = w1.split("### Start-up")[1]
    assert cells(startup, "`migrator --help`") == \
        ["`migrator --help`", "70 ms / **70 ms** / 70 ms", "60 ms", "1.40×", "3.50×", "18.0 / **18.0** / 18.0 MB"]
    assert cells(startup, "`migrator status (W1, all applied)`")[3:5] == ["3.00×", "7.50×"]
    assert "`alembic --help`" not in startup  # not measured, no row


def test_w2_timeouts_and_what_rollback_kept(full):
    w2 = section(full, "## W2: SQLite, one version on a large table")
    assert "A table of 1,000,000 rows (integer, text and timestamp columns, an index; 52.3 MB file)" in w2
    row = cells(w2, "rollback | plain driver (limit)")
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
    assert cells(counted, "apply") == ["apply", "migrator", "1,300", "2.6", "500", "200", "200", "400", "0", "900"]
    rss = section(full, "## Peak RSS of `migrator status` with many versions")
    assert "10,000 trivial versions" in rss and "(5.00 s, peak RSS 61.0 MB; database 2.0 MB)" in rss
    assert cells(rss, "`migrator status`") == ["`migrator status`", "700 ms / **720 ms** / 740 ms",
                                               "55.0 / **56.0** / 57.0 MB"]
    assert "For comparison, `migrator status` on W1's 1,000 versions (a larger schema) peaks at 30.0 MB." in rss


def test_quick_run_and_failures():
    quick = canned(quick=True, failures=["w1, migrator, apply: exit 1\n    $ migrator migrate"])
    assert "**This is a `--quick` smoke run: small sizes, one round. Its figures say nothing about speed.**" in quick
    assert "Generated by `python bench/run.py --quick --migrator-rev HEAD`" in quick
    targets = section(quick, "## Targets")
    verdicts = [line.strip("|").split("|")[-1].strip() for line in targets.splitlines()
                if line.startswith("| ") and not line.startswith("| target |")]
    assert len(verdicts) == 17 and all(v.endswith("; not assessed in --quick)") for v in verdicts)
    assert cells(targets, "W1 apply: migrator faster than Alembic")[-1] == "(PASS; not assessed in --quick)"
    assert cells(targets, "W1 rollback: migrator vs the limit (plain sqlite3)")[-1] == \
        "(MISS; not assessed in --quick)"
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
