"""The report: BENCHMARKS.md from the samples and notes a Bench gathered."""
from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
from pathlib import Path

from common import ANALYSIS, REPO
from measure import ok
from runs import (BASE_STATUS, FLEET_KINDS, FLEET_TENTH, FLEET_WAYS, PEEWEE_BENCH, PEEWEE_YARDSTICK, W1_TOOLS,
                  W2_TOOLS, W3_CONTEXT, w3_tools)


# =====================================================================================================
# The report
# =====================================================================================================
NAMES = {"plain": "plain driver (limit)", "plain_once": "plain driver, one transaction (limit)",
         "plain_peewee": "plain driver, Peewee imported (floor of a Peewee tool)",
         "migrator": "migrator", "migrator_nobackup": "migrator --no-backup",
         "migrator_online": "migrator, safe forms (default)", "alembic": "Alembic", "playhouse": "playhouse.migrations"}
STEP_NAMES = {("alembic", "status"): "alembic current", ("alembic", "history"): "alembic history",
              ("migrator", "status"): "migrator status", ("migrator_online", "status"): "migrator status",
              ("plain", "status"): "plain status",
              ("plain_once", "status"): "plain status", ("plain_peewee", "status"): "plain status",
              ("playhouse", "status"): "playhouse status"}
# W3: why the timed migrator row says `"online": false`, and what the context row is
PLAIN_FORMS_POSTGRES = (
    "migrator's specs say `\"online\": false` on every `add_index` and `drop_index`, so the *migrator* row, the one "
    "the targets judge, runs the same plain DDL as the peers and the limit: `CREATE INDEX` and `DROP INDEX` in the "
    "version's transaction. *migrator, safe forms (default)* runs the same specs without it, as a user gets them "
    "by default: on a table with rows, `CREATE`/`DROP INDEX CONCURRENTLY`, outside the version's transaction and "
    "journaled step by step, which waits for other transactions and scans the table twice. That is other "
    "work, which lets writes go on during the build: it is shown for context and judged in no target.")
PLAIN_FORMS_MYSQL = (
    "migrator's specs say `\"online\": false` on every `add_index` and `drop_index`, as on PostgreSQL (one set of "
    "specs per server, generated alike); on MariaDB that changes nothing: its index DDL is the same either way.")
W1_LIMITS = {"plain": "per-version limit", "plain_once": "one-transaction limit"}
BASE = "base install"  # the venv with migrator's base install only (no database driver)
# The fleet
FLEET_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MariaDB"}
FLEET_WAY_NAMES = {"serial": "fleet, `--parallel 1`", "parallel": "fleet, default parallelism",
                   "loop": "shell loop, one `migrator migrate` per target",
                   FLEET_TENTH: "fleet, default parallelism, 1/10 of the targets"}
FLEET_SPEEDUP = 3  # the default-parallel fleet run at least 3× faster than the shell loop (PostgreSQL, MariaDB)
FLEET_RSS_SLACK = (1.2, 5.0)  # peak RSS at full size within 20% or 5 MB of the 1/10 size's, plus the summary's growth
FLEET_SPEED_TARGET = ("Fleet {label}: `migrate --all-schemas`, default parallelism, at least 3× faster than a shell "
                      "loop of `migrator migrate`")
FLEET_RSS_TARGET = ("Fleet {label}: peak RSS of the default-parallel fleet run, all targets vs 1/10 of them (flat in "
                    "the number of targets)")
BENCH_VENV = "bench venv"


def stats(results):
    done = [r for r in results if ok(r)]
    if not done:
        return None
    walls = sorted(r["wall"] for r in done)
    rss = sorted(r["maxrss_kb"] / 1000 for r in done)
    return {"n": len(done), "runs": len(results), "timed_out": sum(r["timed_out"] for r in results),
            "cpu": statistics.median(r["user"] + r["sys"] for r in done),
            "min": walls[0], "median": statistics.median(walls), "max": walls[-1],
            "rss_min": rss[0], "rss_median": statistics.median(rss), "rss_max": rss[-1]}


def fmt_s(x):
    if x is None:
        return "–"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    if x < 100:
        return f"{x:.2f} s"
    return f"{x:.0f} s"


def fmt_ratio(a, b_):
    if a is None or b_ in (None, 0):
        return "–"
    return f"{a / b_:.2f}×"


def machine():
    info = {"cpu": "unknown", "cores": os.cpu_count(), "ram": "unknown", "os": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return info


def versions_info(servers, rev):
    from importlib.metadata import version

    out = {"Python": platform.python_version(), "SQLite (Python's sqlite3)": sqlite3.sqlite_version}
    for kind, label in (("postgres", "PostgreSQL server"), ("mysql", "MariaDB/MySQL server")):
        try:
            out[label] = servers[kind].version() if kind in servers else "not used"
        except Exception as error:
            out[label] = f"unreachable ({str(error).splitlines()[0]})"
    for dist in ("migrator", "peewee", "alembic", "SQLAlchemy", "psycopg2-binary", "PyMySQL"):
        try:
            out[dist] = version(dist)
        except Exception:
            out[dist] = "not installed"
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev or "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = not rev and subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "migrator"],
                                           capture_output=True, text=True).stdout.strip()
        out["migrator"] += f" (commit {head}{', plus uncommitted changes in migrator/' if dirty else ''})"
    except Exception:
        pass
    return out


class Report:
    def __init__(self, b, started, finished, servers, machine_info, version_info):
        self.b, self.started, self.finished = b, started, finished
        self.servers, self.machine, self.versions = servers, machine_info, version_info
        self.lines = []

    def st(self, workload, tool, step):
        return stats(self.b.samples.get((workload, tool, step), []))

    def median(self, workload, tool, step):
        s = self.st(workload, tool, step)
        return s and s["median"]

    def w(self, text=""):
        self.lines.append(text)

    def table(self, header, rows):
        self.w("| " + " | ".join(header) + " |")
        self.w("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            self.w("| " + " | ".join(str(c) for c in row) + " |")
        self.w()

    def step_tables(self, workload, tools, steps, limits=None, base_status=(), context=()):
        """Wall time and peak RSS of each (step, tool): min / median / max, × each limit and × each peer.
        `limits`: {tool: its column's name} (default: the plain driver, "limit"); `base_status`: the tools
        whose status ran from migrator's base install, so labelled; `context`: tools that get a row, compared
        with the limits and peers, but no column of their own."""
        limits = limits or {"plain": "limit"}
        peers = [t for t in tools if t not in limits and t not in context]
        header = ["step", "tool", "wall min / median / max", "CPU (median)"] + \
                 [f"× {name}" for name in limits.values()] + [f"× {NAMES[p]}" for p in peers] + \
                 ["peak RSS min / median / max"] + [f"RSS × {name}" for name in limits.values()] + \
                 [f"RSS × {NAMES[p]}" for p in peers]
        rows = []
        for step in steps:
            for tool in tools:
                key = (tool, step)
                s = self.st(workload, tool, step)
                if s is None and not self.b.samples.get((workload, tool, step)):
                    continue
                label = STEP_NAMES.get(key, step) if step in ("status", "history") else step
                if step == "status" and tool in base_status:
                    label += f" ({BASE})"
                if s is None:
                    runs = self.b.samples[(workload, tool, step)]
                    stopped = [r for r in runs if r["timed_out"]]
                    text = f"did not finish: stopped after {fmt_s(stopped[0]['wall'])}" if stopped else "failed"
                    rows.append([label, NAMES[tool], text] + ["–"] * (len(header) - 3))
                    continue
                ref_step = "status" if step == "history" else step
                refs = {t: self.st(workload, t, ref_step) for t in [*limits, *peers]}
                row = [label, NAMES[tool], f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}"
                       + (f" ({s['n']} of {s['runs']} finished)" if s["n"] != s["runs"] else ""),
                       fmt_s(s["cpu"])]
                row += [fmt_ratio(s["median"], refs[t] and refs[t]["median"]) for t in limits]
                row += ["" if p == tool else fmt_ratio(s["median"], refs[p] and refs[p]["median"]) for p in peers]
                row += [f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB"]
                row += [fmt_ratio(s["rss_median"], refs[t] and refs[t]["rss_median"]) for t in limits]
                row += ["" if p == tool else fmt_ratio(s["rss_median"], refs[p] and refs[p]["rss_median"])
                        for p in peers]
                rows.append(row)
        self.table(header, rows)

    # -- targets ----------------------------------------------------------------------------------------
    def targets(self):
        quick = self.b.args.quick
        out = []

        def timed(workload, tool, step):
            s = self.st(workload, tool, step)
            runs = self.b.samples.get((workload, tool, step), [])
            stopped = [r["wall"] for r in runs if r["timed_out"]]
            if s is None and stopped:
                return None, f"> {fmt_s(max(stopped))} (stopped)", max(stopped)
            return (s and s["median"]), fmt_s(s and s["median"]), None

        def cpu_ratio(workload, tool, step, ref_workload, ref_tool, ref_step):
            a, r = self.st(workload, tool, step), self.st(ref_workload, ref_tool, ref_step)
            return fmt_ratio(a and a["cpu"], r and r["cpu"])

        def target(name, workload, tool, step, ref_tool, ref_step, limit, op="≤", ref_workload=None):
            """One row: the medians, their ratio and CPU ratio, the limit (`op` `limit`×) and the result; a
            limit of None is a row for context, judged on nothing."""
            m, m_text, lower = timed(workload, tool, step)
            ref_workload = ref_workload or workload
            r = self.median(ref_workload, ref_tool, ref_step)
            cpu = cpu_ratio(workload, tool, step, ref_workload, ref_tool, ref_step)
            limit_text = "none (context)" if limit is None else f"{op} {limit}×"
            if m is None and lower is not None and r:
                ratio, result = f"> {lower / r:.1f}×", "MISS" if limit is not None else "context"
            elif m is None or r is None:
                ratio, result = "–", "not measured"
            else:
                ratio = f"{m / r:.2f}×"
                if limit is None:
                    result = "context"
                else:
                    result = "PASS" if (m / r < limit if op == "<" else m / r <= limit) else "MISS"
            out.append([name, m_text, fmt_s(r), ratio, cpu, limit_text, result])

        def faster(name, workload, step, peer):
            target(name, workload, "migrator", step, peer, step, 1, op="<")

        for step, limit in (("apply", 1.15), ("rollback", 1.1)):
            target(f"W1 {step}: migrator vs the one-transaction floor (plain sqlite3, every version in one "
                   "transaction)", "w1", "migrator", step, "plain_once", step, limit)
            faster(f"W1 {step}: migrator faster than Alembic", "w1", step, "alembic")
            faster(f"W1 {step}: migrator faster than playhouse.migrations", "w1", step, "playhouse")
            target(f"W1 {step}: migrator vs the per-version floor (plain sqlite3, a transaction per version)",
                   "w1", "migrator", step, "plain", step, None)
        target(f"W1 `migrator status` no slower than `playhouse status` (both in the {BASE})", "w1", "migrator",
               "status", "playhouse", "status", 1)
        target(f'W1 `migrator status` vs `python -c "import peewee"` (both in the {BASE})', "w1", "migrator",
               "status", PEEWEE_YARDSTICK, "run", 2, ref_workload="startup")
        target(f'`migrator --help` vs `python -c "import peewee"` (both in the {BASE})', "startup",
               "migrator --help", "run", PEEWEE_YARDSTICK, "run", 1.5)
        for step in ("apply", "rollback"):
            target(f"W2 {step}, `--no-backup`, vs the limit", "w2", "migrator_nobackup", step, "plain", step, 1.3)
        for step in ("apply", "rollback"):
            target(f"W2 {step}, with backups, vs the limit", "w2", "migrator", step, "plain", step, 2)
        for kind, label, driver in (("postgres", "PostgreSQL", "psycopg2"), ("mysql", "MariaDB", "PyMySQL")):
            for step in ("apply", "rollback"):
                faster(f"W3 {label} {step}: migrator faster than Alembic", f"w3-{kind}", step, "alembic")
                faster(f"W3 {label} {step}: migrator faster than playhouse.migrations", f"w3-{kind}", step,
                       "playhouse")
                target(f"W3 {label} {step}: migrator vs the limit (plain {driver})", f"w3-{kind}", "migrator", step,
                       "plain", step, 1.3)
                target(f"W3 {label} {step}: the floor of a tool built on Peewee (plain {driver} with Peewee "
                       "imported first) vs the limit", f"w3-{kind}", "plain_peewee", step, "plain", step, None)
        s = self.st("rss", "migrator", "status")
        n = self.b.info.get("rss", {}).get("versions", 0)
        if s:
            out.append([f"peak RSS of `migrator status` with {n:,} versions", f"{s['rss_median']:.1f} MB", "100 MB",
                        f"{s['rss_median'] / 100:.2f}×", "–", "< 100 MB", "PASS" if s["rss_median"] < 100 else "MISS"])
        else:
            out.append([f"peak RSS of `migrator status` with {n:,} versions", "–", "100 MB", "–", "–", "< 100 MB",
                        "not measured"])
        out += self.fleet_targets()
        if quick:
            for row in out:
                row[-1] = f"({row[-1]}; not assessed in --quick)"
        return out

    # -- the document -----------------------------------------------------------------------------------
    def render(self):
        b, s = self.b, self.b.sizes
        quick = b.args.quick
        w = self.w
        w("# Benchmarks")
        w()
        w(f"Generated by `python bench/run.py{' --quick' if quick else ''}"
          f"{' --runs ' + str(s['runs']) if b.args.runs else ''}"
          f"{' --migrator-rev ' + b.args.migrator_rev if b.args.migrator_rev else ''}` on {self.started:%Y-%m-%d %H:%M} UTC; "
          f"the run took {(self.finished - self.started).total_seconds() / 60:.1f} minutes. "
          f"{s['runs']} round{'s' if s['runs'] != 1 else ''}; in each round every tool runs once, in an order "
          "that rotates each round "
          f"(A B C, then B C A, ...). Figures are min / **median** / max over the rounds"
          + ("." if s["repeat"] == 1 else f" (status and start-up commands: {s['repeat']} times per round)."))
        load = b.info.get("load")
        if load:
            w()
            w(f"Load average (1 min) at the start and end of the run: {load[0]:.2f} and {load[1]:.2f} on "
              f"{os.cpu_count()} cores: other work on the machine slows wall times down unevenly; the rotation "
              "spreads it over the tools, and the CPU column (user + system time of the process) is less "
              "sensitive to it.")
        if quick:
            w()
            w("**This is a `--quick` smoke run: small sizes, one round. Its figures say nothing about speed.**")
        w()
        w("## Targets")
        w()
        w("Ratios are of medians from this run. Time is the wall time of the whole process, start-up included; "
          "the result is judged on it. *CPU ratio* is the same ratio of user + system CPU time, for context: it "
          "leaves out waiting (disk flushes, the server's work) and most of the noise of other work on the machine.")
        w()
        self.table(["target", "migrator", "reference", "ratio", "CPU ratio", "limit", "result"], self.targets())
        if b.failures:
            w("## Failures")
            w()
            for failure in b.failures:
                w("```")
                w(failure)
                w("```")
            w()
        w("## Machine and versions")
        w()
        m = self.machine
        self.table(["", ""], [["CPU", m["cpu"]], ["cores", m["cores"]], ["RAM", m["ram"]], ["OS", m["os"]]]
                   + [[k, v] for k, v in self.versions.items()] + self.base_versions())
        self.method()
        self.w1()
        self.w2()
        for kind in ("postgres", "mysql"):
            if f"w3-{kind}" in b.info:
                self.w3(kind)
        self.rss()
        self.fleet()
        if not quick and ANALYSIS.exists():  # written by hand from profiles of the run: where the time goes
            w(ANALYSIS.read_text(encoding="utf-8").rstrip())
        return "\n".join(self.lines).rstrip() + "\n"

    def base_versions(self):
        """The rows that say what the base install holds (the venv the yardstick and W1's status run from)."""
        base = self.b.info.get("base")
        if not base:
            return []
        dists = ", ".join(f"{k} {v}" for k, v in base["dists"].items())
        return [[f"{BASE} (second venv)", f"{dists}; no database driver"]]

    def method(self):
        w = self.w
        floor = self.b.info.get("floor_kb")
        w("## Method")
        w()
        w("- **One description per workload.** Each workload is a list of abstract operations per version. From it "
          "the benchmark generates, in a temporary directory, each tool's own files: migrator JSON specs; plain SQL "
          "files (up and down) run by a short plain-driver script, `bench/programs/plain_runner.py` (the *limit*); "
          "`playhouse.migrations` scripts "
          "with `up()` and `down()`; Alembic revisions with `upgrade()` and `downgrade()` (on SQLite in "
          "`batch_alter_table` where SQLite cannot ALTER). The bytecode of the generated Python files is compiled "
          "before the first round, as after a project's first run.")
        w("- **The limit** runs the same DDL through Python's `sqlite3`, `psycopg2` or `PyMySQL`, and a row in its "
          "own version table per version. W1 has two floors: the *per-version limit* (tool `plain`), one "
          "transaction per version, shown for context; and the *one-transaction limit* (tool `plain_once`, "
          "`plain_runner.py URL FOLDER up once`), the same SQL files through the same runner with every version in "
          "ONE transaction (BEGIN before the first version, COMMIT after the last; rollback likewise), the least a "
          "tool that commits a whole run at once (as migrator does on SQLite) can cost: W1's apply and rollback "
          "targets are judged on it. W2 and W3 have the per-version limit: one transaction per version where DDL "
          "is transactional (SQLite, PostgreSQL; MariaDB commits each DDL statement itself). For W2 it is the "
          "cheapest correct SQL: native `ADD COLUMN ... NOT NULL DEFAULT`, `RENAME COLUMN` "
          "and `DROP COLUMN`, and one table rebuild for the NOT NULL and the type change (rollback: native "
          "`DROP COLUMN`, `RENAME COLUMN`, `ADD COLUMN`, and one rebuild); it keeps no data for rollback. W3 "
          "also shows, for context, *the floor of a tool built on Peewee* (tool `plain_peewee`, "
          "`plain_runner.py URL FOLDER up peewee`): the same runner, which first imports Peewee, "
          "`playhouse.migrate` and `playhouse.db_url` as migrator's process does (the other backends' drivers "
          "and URL extensions kept out), and sends nothing more: what any tool on Peewee pays before its first "
          "statement of its own.")
        w("- **The same DDL on the servers.** In W3, migrator's specs say `\"online\": false` on each `add_index` "
          "and `drop_index`, so the timed migrator row runs plain `CREATE INDEX` and `DROP INDEX` in the version's "
          "transaction, as Alembic, playhouse.migrations and the limit do. migrator's default on PostgreSQL, "
          "`CONCURRENTLY` on a table with rows (outside the transaction; it waits for other transactions and scans "
          "the table twice), is other work: the same specs without `\"online\": false` run as *migrator, "
          "safe forms (default)*, checked and counted like every tool and shown beside it for context, in no target.")
        w("- **Whole processes.** Every figure is one command as a user runs it (`migrator migrate`, `alembic "
          "upgrade head`, `python -m playhouse.migrations DB up`, ...), start-up included. A small spawner process "
          "(`python -S -I`, only `os`, `json`, `signal`, `time`) forks each command and waits for it with "
          "`os.wait4`: wall time is from fork to exit, peak RSS is the child's `ru_maxrss` (MB = 10^6 bytes). A "
          "child's `ru_maxrss` starts at its parent's RSS at fork time, which is why the parent is that small "
          "spawner and not the benchmark itself"
          + (f"; `/bin/true` measures {floor / 1000:.1f} MB this way, the floor of every RSS figure." if floor else "."))
        w("- **Same conditions.** Every tool gets an identical copy of the prepared database (SQLite: a file copy; "
          "servers: a fresh database `bench_*` with the same tables and rows, dropped afterwards). SQLite runs with "
          "each tool's defaults (rollback journal, `synchronous=FULL`). Alembic's `env.py` is its generic template "
          "with `transaction_per_migration=True`, so that it commits once per version like playhouse.migrations "
          "and the per-version limit; Alembic's SQLite "
          "dialect does not wrap DDL in a transaction (pysqlite), so there each DDL statement commits by itself. "
          "Default verbosity everywhere; output goes to files. migrator runs from a copy of its package taken "
          "when the run starts, so the whole run measures one version of it. Its cache (the spec checksums and "
          "catalog fingerprint `migrate` keeps for `status`) is in the run's temporary folder "
          "(`XDG_CACHE_HOME`): `status` is measured after the `migrate` that wrote it, as a user runs it.")
        base = self.b.info.get("base")
        w("- **Two Python environments.** The *bench venv* is the one running the benchmark, with migrator's "
          "bench extra: Alembic, SQLAlchemy, and the server drivers psycopg2 and PyMySQL, which "
          '`import peewee` imports too when they are installed. The *base install* is a second venv made in the '
          "temporary directory before anything is timed (`python -m venv DIR && DIR/bin/pip install -q COPY`, "
          "COPY being the copy of migrator above with its `pyproject.toml`, no extras): migrator's dependencies "
          "and no database driver"
          + (f" ({', '.join(f'{k} {v}' for k, v in base['dists'].items())}; the same Python)" if base else "")
          + ". From the **base install**: `python -c pass`, `python -c \"import peewee\"` (the start-up "
          "yardstick), `migrator --help`, and W1's `migrator status` and `python -m playhouse.migrations DB "
          "status`, so that migrator and Peewee are compared as a user without the drivers has them; its "
          "`migrator` is the copy installed there (checked file by file against the copy, and that it imports "
          "from that venv). From the **bench venv**: everything else, that is every apply and rollback, W1's "
          "`alembic current`, `alembic history` and `plain status`, every W2 and W3 command, the RSS "
          "figure, `alembic --help`, `python -m playhouse.migrations --help`, and `python -c \"import peewee\"` "
          "again as an informational row (drivers installed); there migrator's copy comes first on `PYTHONPATH`.")
        w("- **Checked.** After each apply and each rollback the schema (tables, columns with type family and "
          "nullability, indexes with their columns), the row counts and the tool's own history are read back "
          "and compared with the schema the description implies; any difference fails the run.")
        w()

    def w1(self):
        info = self.b.info.get("w1")
        if not info:
            return
        w = self.w
        w("## W1: SQLite, many cheap versions")
        w()
        w(f"{info['versions']:,} versions ({info['operations']:,} operations) on {info['tables']} tables of "
          f"{info['rows']:,} rows each. Version *i* adds a nullable integer column to table `t{{i mod "
          f"{info['tables']}}}`, indexes it, and every second version renames it. `status` is measured with every "
          "version applied; rollback undoes every version (`migrator rollback base`, `alembic downgrade base`, "
          "`playhouse.migrations down <first>`). Two floors: the *per-version limit* commits each version, the "
          "*one-transaction limit* runs the same files with every version in one transaction. `migrator status` "
          f"and `playhouse status` run from the {BASE} (no database driver), the other status and history "
          f"commands from the {BENCH_VENV}.")
        w()
        self.step_tables("w1", W1_TOOLS, ["apply", "status", "history", "rollback"], W1_LIMITS, BASE_STATUS)
        w("### Start-up")
        w()
        w(f"`× import peewee` is the ratio to `python -c \"import peewee\"` in the {BASE}, the yardstick; the "
          f"{BENCH_VENV}'s `import peewee`, which imports psycopg2 and PyMySQL too, is there for information.")
        w()
        commands = [("python -c pass", "startup", "python -c pass", "run", BASE),
                    ('python -c "import peewee"', "startup", PEEWEE_YARDSTICK, "run", BASE + " (the yardstick)"),
                    ('python -c "import peewee"', "startup", PEEWEE_BENCH, "run",
                     BENCH_VENV + ", drivers installed (informational)"),
                    ("migrator --help", "startup", "migrator --help", "run", BASE),
                    ("alembic --help", "startup", "alembic --help", "run", BENCH_VENV),
                    ("python -m playhouse.migrations --help", "startup", "python -m playhouse.migrations --help",
                     "run", BENCH_VENV),
                    ("migrator status (W1, all applied)", "w1", "migrator", "status", BASE),
                    ("python -m playhouse.migrations DB status (W1, all applied)", "w1", "playhouse", "status", BASE)]
        rows = []
        peewee = self.median("startup", PEEWEE_YARDSTICK, "run")
        bare = self.median("startup", "python -c pass", "run")
        for name, workload, tool, step, venv in commands:
            s = self.st(workload, tool, step)
            if not s:
                continue
            rows.append([f"`{name}`", venv, f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}",
                         fmt_s(s["cpu"]), fmt_ratio(s["median"], peewee), fmt_ratio(s["median"], bare),
                         f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB"])
        self.table(["command", "run from", "wall min / median / max", "CPU (median)", "× `import peewee`",
                    "× `python -c pass`", "peak RSS min / median / max"], rows)

    def w2(self):
        b, info = self.b, self.b.info.get("w2")
        if not info:
            return
        w = self.w
        w("## W2: SQLite, one version on a large table")
        w()
        w(f"A table of {info['rows']:,} rows (integer, text and timestamp columns, an index; "
          f"{info['bytes'] / 1e6:.1f} MB file), copied before each run. One version of 5 operations: add a NOT NULL "
          "integer column with a default, rename a column, drop a (nullable text) column, add NOT NULL to a nullable "
          "column without NULLs, change an integer column to a floating-point type (REAL); then its rollback. Alembic runs the version in "
          "one `batch_alter_table` (one table rebuild); playhouse.migrations uses `SqliteMigrator`'s operations.")
        w()
        self.step_tables("w2", W2_TOOLS, ["apply", "rollback"])
        rows = []
        for tool in W2_TOOLS:
            kept = info["kept"].get(tool)
            if kept is None:
                rows.append([NAMES[tool], "not measured (rollback did not finish)"])
            else:
                rows.append([NAMES[tool], "restored" if kept["extra"] == info["rows"] else
                             f"not kept ({kept['extra']:,} of {info['rows']:,} values back)"])
        w("What the rollback gave back of the dropped column's values:")
        w()
        self.table(["tool", "dropped column after rollback"], rows)
        for tool, probe in b.info.get("w2probe", {}).items():
            points = ", ".join(f"{r:,} rows: {fmt_s(t)}" for r, t in probe["points"])
            w(f"**{NAMES[tool]} rollback did not finish within {fmt_s(b.sizes['w2_timeout'])}** and was not run again "
              f"in later rounds. Measured once on smaller copies of the table: {points}; time grows as "
              f"rows^{probe['exponent']:.2f}, which puts {info['rows']:,} rows at about "
              f"{probe['extrapolated'] / 3600:.0f} hours.")
            w()

    def w3(self, kind):
        info = self.b.info[f"w3-{kind}"]
        w = self.w
        label = {"postgres": "PostgreSQL", "mysql": "MariaDB"}[kind]
        w(f"## W3: {label}")
        w()
        w(f"W1's description with {info['versions']:,} versions ({info['operations']:,} operations) on 10 tables of "
          f"{info['rows']:,} rows, a fresh database per run. The limit is plain "
          f"{'psycopg2, one transaction per version' if kind == 'postgres' else 'PyMySQL in autocommit (MariaDB commits each DDL statement itself)'}. "
          + (PLAIN_FORMS_POSTGRES if kind == "postgres" else PLAIN_FORMS_MYSQL))
        w()
        self.step_tables(f"w3-{kind}", w3_tools(kind), ["apply", "status", "rollback"],
                         context=W3_CONTEXT.get(kind, ()))
        ops = info["operations"]
        busy = info.get("server_busy")
        w(f"### Statements sent to {label}")
        w()
        w("Counted in one extra, untimed run per tool. *DB-API*: every statement the process sends through the "
          "driver, counted by a `sitecustomize` hook loaded only for that run (psycopg2: `cursor.execute`, each row "
          "of `executemany`, the `BEGIN` psycopg2 sends by itself and `commit()`/`rollback()`; PyMySQL: every "
          "`COM_QUERY` packet, which includes `BEGIN`, `COMMIT` and `SET AUTOCOMMIT`). *Tool's own*: migrator's "
          "`-v` `sql:` lines, playhouse.migrations' `-v` (Peewee's `peewee` logger) lines, Alembic's "
          "`before_cursor_execute` event in `env.py` (it does not see SQLAlchemy's first-connect probes nor "
          "transaction control)." + (" *Server*: the change of MariaDB's global `Questions` counter around the "
                                     "command (any other client of the server would add to it)."
                                     if kind == "mysql" and not busy else "")
          + (f" MariaDB's global `Questions` counter is not shown: other clients sent the server {busy:,} "
             "statements in an idle second next to the counting runs, so it could not isolate one tool."
             if busy else ""))
        w()
        header = ["step", "tool", "DB-API total", "per operation", "DDL", "writes", "reads", "transaction", "other",
                  "tool's own count"] + (["server `Questions`"] if kind == "mysql" and not busy else [])
        rows = []
        for step in ("apply", "rollback"):
            for tool in w3_tools(kind):
                c = info["counts"].get(tool, {}).get(step)
                if not c:
                    continue
                h = c["hook"]
                total = sum(h.values())
                row = [step, NAMES[tool], f"{total:,}", f"{total / ops:.1f}"] + \
                      [f"{h.get(k, 0):,}" for k in ("ddl", "write", "read", "transaction", "other")] + \
                      ["–" if c["own"] is None else f"{c['own']:,}"]
                if kind == "mysql" and not busy:
                    row.append(f"{c['questions']:,}" if c["questions"] is not None else "–")
                rows.append(row)
        self.table(header, rows)

    def rss(self):
        info = self.b.info.get("rss")
        if not info:
            return
        w = self.w
        w("## Peak RSS of `migrator status` with many versions")
        w()
        w(f"{info['versions']:,} trivial versions (add an index, drop it, alternately, on a 10-row table), applied "
          f"once by `migrator migrate` as set-up ({fmt_s(info['apply_seconds'])}, peak RSS "
          f"{info['apply_rss_kb'] / 1000:.1f} MB; database {info.get('db_bytes', 0) / 1e6:.1f} MB), then "
          "`migrator status` measured.")
        w()
        s = self.st("rss", "migrator", "status")
        if s:
            self.table(["command", "wall min / median / max", "peak RSS min / median / max"],
                       [["`migrator status`", f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}",
                         f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB"]])
        w1 = self.st("w1", "migrator", "status")
        if w1:
            w(f"For comparison, `migrator status` on W1's {self.b.info['w1']['versions']:,} versions (a larger "
              f"schema) peaks at {w1['rss_median']:.1f} MB; that figure is from migrator's base install (no "
              "database drivers), this one from the benchmark's environment.")
            w()

    # -- the fleet --------------------------------------------------------------------------------------
    def fleet_rss(self, kind):
        """(peak RSS at full size, at 1/10, the summary file's growth from one to the other), in MB, or None."""
        full, tenth = self.st(f"fleet-{kind}", "parallel", "apply"), self.st(f"fleet-{kind}", FLEET_TENTH, "apply")
        if not full or not tenth:
            return None
        sizes = self.b.info.get(f"fleet-{kind}", {}).get("summary_bytes", {})
        grown = max(0.0, (max(sizes.get("parallel") or [0]) - min(sizes.get(FLEET_TENTH) or [0])) / 1e6)
        return full["rss_median"], tenth["rss_median"], grown

    def fleet_targets(self):
        """The fleet's rows of the Targets table, always there (not measured where the backend was not run)."""
        out = []
        for kind in ("postgres", "mysql"):
            name = FLEET_SPEED_TARGET.format(label=FLEET_LABELS[kind])
            limit = f"≤ {1 / FLEET_SPEEDUP:.2f}× ({FLEET_SPEEDUP}× faster)"
            fleet, loop = self.st(f"fleet-{kind}", "parallel", "apply"), self.st(f"fleet-{kind}", "loop", "apply")
            if not fleet or not loop:
                out.append([name, fmt_s(fleet and fleet["median"]), fmt_s(loop and loop["median"]), "–", "–", limit,
                            "not measured"])
                continue
            out.append([name, fmt_s(fleet["median"]), fmt_s(loop["median"]), fmt_ratio(fleet["median"], loop["median"]),
                        fmt_ratio(fleet["cpu"], loop["cpu"]), limit,
                        "PASS" if fleet["median"] * FLEET_SPEEDUP <= loop["median"] else "MISS"])
        ratio, plus = FLEET_RSS_SLACK
        for kind in FLEET_KINDS:
            name = FLEET_RSS_TARGET.format(label=FLEET_LABELS[kind])
            rss = self.fleet_rss(kind)
            if rss is None:
                out.append([name, "–", "–", "–", "–", f"≤ {ratio}× or + {plus:.0f} MB, + the summary's growth",
                            "not measured"])
                continue
            full, tenth, grown = rss
            allowed = max(tenth * ratio, tenth + plus) + grown
            out.append([name, f"{full:.1f} MB", f"{tenth:.1f} MB", fmt_ratio(full, tenth), "–",
                        f"≤ {ratio}× or + {plus:.0f} MB, + the summary's growth ({grown:.2f} MB)",
                        "PASS" if full <= allowed else "MISS"])
        return out

    def fleet(self):
        b = self.b
        kinds = [k for k in FLEET_KINDS if f"fleet-{k}" in b.info]
        if not kinds:
            return
        w = self.w
        first = b.info[f"fleet-{kinds[0]}"]
        rounds = b.sizes.get("fleet_runs", 1)
        w("## Fleet: one history on many tenants")
        w()
        w(f"One history of {first['versions']} versions ({first['operations']} operations: two tables and an index in "
          "the first, then each version adds a column, every second one indexes it, every third one adds a NOT NULL "
          "column with a default; `\"online\": false` on every operation, so PostgreSQL runs plain DDL as a loop of "
          "hand-written SQL would) applied to empty targets, made afresh before each measured run, outside the timed "
          "part. Three ways, each one whole process tree measured by the spawner (wall time, CPU of the tree, peak "
          "RSS of its largest process): `migrator migrate` over the fleet with `--parallel 1 -q`; the same with the "
          "default parallelism (what the run's summary file says it used is in brackets); and a shell loop, "
          "`bash -c 'for ...; do migrator migrate ... -q || exit; done'`, one process per target, as a team without "
          "a fleet mode runs it. The fleet's default parallelism is also run on 1/10 of the targets, for its peak "
          "RSS beside the full size's: a fleet keeps one result per target (its summary), nothing else should grow "
          "with their number. *Peak connections*: the most connections the server had open at once to the bench's "
          "fleet database(s) during the run (PostgreSQL: `pg_stat_activity` rows of the database; MariaDB: "
          "`information_schema.PROCESSLIST` rows of the fleet's databases), polled every 50 ms from a thread of the "
          "benchmark on a connection of its own, which is not counted. "
          f"{rounds} round{'s' if rounds != 1 else ''}" + (" (the shell loop alone takes minutes at this size)"
                                                           if rounds == 1 else ", the ways in an order that rotates "
                                                           "each round") + ".")
        w()
        for kind in kinds:
            self.fleet_backend(kind)

    def fleet_backend(self, kind):
        info = self.b.info[f"fleet-{kind}"]
        w = self.w
        n, tenth = info["targets"], info["tenth"]
        what = {"sqlite": (f"{n:,} SQLite files in one folder", "`--targets 'sqlite:///DIR/*.db'`",
                           "`for f in DIR/*.db; do migrator migrate --database-url \"sqlite:///$f\" -q; done`"),
                "postgres": (f"{n:,} schemas of one database", "`--database-url URL --all-schemas 't_*'`",
                             "`for s in t_0001 ...; do migrator migrate --database-url URL --schema \"$s\" -q; done`"),
                "mysql": (f"{n:,} databases on the server", "`--database-url` naming a database of the bench's own "
                          "and `--all-schemas 'benchfleet_<pid>_fb_*'`",
                          "`for d in ...; do migrator migrate --database-url \"mysql://.../$d\" -q; done`")}[kind]
        label = FLEET_LABELS[kind]
        w(f"### Fleet: {label}, {what[0]}")
        w()
        w(f"The fleet names them with {what[1]}; the loop is {what[2]}. 1/10 of the targets: {tenth:,}.")
        w()
        loop = self.st(f"fleet-{kind}", "loop", "apply")
        rows = []
        for way in FLEET_WAYS + [FLEET_TENTH]:
            runs = self.b.samples.get((f"fleet-{kind}", way, "apply"))
            if not runs:
                continue
            count = tenth if way == FLEET_TENTH else n
            label_ = FLEET_WAY_NAMES[way] + (f" ({info['parallel'][way]})" if way in ("parallel", FLEET_TENTH)
                                             and info["parallel"].get(way) else "")
            s = stats(runs)
            if s is None:
                stopped = [r for r in runs if r["timed_out"]]
                rows.append([label_, f"{count:,}", f"did not finish: stopped after {fmt_s(stopped[0]['wall'])}"
                             if stopped else "failed"] + ["–"] * 5)
                continue
            peaks = [p for p in info["connections"].get(way, []) if p is not None]
            rows.append([label_, f"{count:,}", f"{fmt_s(s['min'])} / **{fmt_s(s['median'])}** / {fmt_s(s['max'])}"
                         + (f" ({s['n']} of {s['runs']} finished)" if s["n"] != s["runs"] else ""),
                         fmt_s(s["median"] / count), fmt_s(s["cpu"]),
                         f"{s['rss_min']:.1f} / **{s['rss_median']:.1f}** / {s['rss_max']:.1f} MB",
                         str(max(peaks)) if peaks else "–",
                         "–" if way == FLEET_TENTH else fmt_ratio(s["median"], loop and loop["median"])])
        self.table(["way", "targets", "wall min / median / max", "per target", "CPU (median)",
                    "peak RSS min / median / max", "peak connections", "× shell loop"], rows)
        rss = self.fleet_rss(kind)
        if rss:
            full, tenth_rss, grown = rss
            w(f"Peak RSS of the default-parallel fleet run: {full:.1f} MB at {n:,} targets, {tenth_rss:.1f} MB at "
              f"{tenth:,} ({fmt_ratio(full, tenth_rss)}); its summary file grew by {grown * 1000:.0f} kB between the "
              "two.")
            w()
