#!/usr/bin/env python3
"""Benchmark migrator against Alembic, Peewee's playhouse.migrations and the plain driver (the limit).

    python bench/run.py [--quick] [--runs N] [--output BENCHMARKS.md]

Run it with the Python environment that has migrator installed with its bench extra
(`pip install -e '.[bench]'`), with PostgreSQL and MariaDB/MySQL reachable (`--postgres-url`,
`--mysql-url`; `--no-servers` skips W3). W1 also needs pip to reach the package index (see below).

Every workload is described once, as a list of abstract operations per version; each tool's
generator turns that description into the tool's own files (migrator JSON specs, plain-driver SQL,
playhouse.migrations scripts with up/down, Alembic revisions with upgrade/downgrade, batch mode where
SQLite needs it), in a temporary directory. Each command runs as a whole process (start-up included)
through a small spawner process that times it and reads its peak RSS from os.wait4; the tools take
turns in an order that rotates each round. After every apply and every rollback the schema each
tool left is introspected and compared with the expected one: a wrong schema, a failed command or a
database left behind makes the run exit 1. `--quick` is the smoke test (small sizes, one round, no
timing assertion); without it the full benchmark writes BENCHMARKS.md.

The limit is the plain driver running the same SQL files through bench/programs/plain_runner.py. W1 has
two floors: a transaction per version (tool `plain`, shown for context) and every version in ONE
transaction (tool `plain_once`, the runner's `once` argument), on which W1's apply and rollback targets
are judged. W2 and W3 have the per-version one (a transaction per version where DDL is transactional).

In W3 migrator's specs say `"online": false` on every operation that has a safe form (add_index and
drop_index in this workload), so that the timed migrator runs the same plain DDL in the version's
transaction as the peers and the limit. On PostgreSQL the tool `migrator_online` runs the same specs
without it, what a user gets by default (CREATE/DROP INDEX CONCURRENTLY on a table with rows): it is run,
checked and counted like every tool and shown in W3's tables for context, in no target.

The yardstick for start-up is `python -c "import peewee"` in migrator's base install. migrator runs from a
copy of its package taken at the start, with the pyproject.toml that makes it installable; before anything
is timed, W1 makes a second venv in the temporary directory and installs that copy there, no extras, so no
database driver (`python -m venv DIR && DIR/bin/pip install -q COPY`). `python -c "import peewee"`,
`python -c pass`, `migrator --help`, and W1's `migrator status` and `python -m playhouse.migrations ...
status` run from that venv, so that migrator and Peewee are compared as a user without the drivers has
them; everything else runs from the bench venv, whose `import peewee` (it imports psycopg2 and PyMySQL
too) is kept as an informational row. A run whose pip cannot install there (no network) fails with a
message saying so, `--quick` included.

The fleet workload (`fleet`) applies one history of 20 versions to many empty targets: 1,000 PostgreSQL schemas
of one database, 100 MariaDB databases, 1,000 SQLite files (--quick: a handful), made afresh before each measured
run. Three ways, each one process tree measured whole: `migrator migrate` over the fleet (`--all-schemas`, or
`--targets` for the SQLite files) with `--parallel 1`, the same with the default parallelism, and a `bash -c`
shell loop running `migrator migrate` once per target; and the default parallelism on 1/10 of the targets, for
its peak RSS. A thread polls the server's connections to the fleet's database(s) every 50 ms during each run. One
round unless `--fleet-runs` says more (the loop alone takes minutes). Server databases are named
benchfleet_<pid>..., and dropped at the end, on failure too.

This file is the entry point; the parts live next to it: workloads.py (the descriptions),
generators.py (each tool's files), databases.py (set-up and introspection), measure.py (running and
measuring whole processes, migrator's base install), runs.py (W1, W2, W3, RSS, the fleet), report.py
(BENCHMARKS.md), and programs/ (the plain-driver runner, Alembic's env.py and alembic.ini, the spawner
and the statement-counting hook, copied into the generated folders or run as they are).
"""
from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import BIN, REPO, log
from databases import Server
from measure import Bench, base_venv, snapshot_migrator, tool_env
from report import Report, machine, versions_info
from runs import FLEET_KINDS, fleet_prefix, run_fleet, run_rss, run_w1, run_w2, run_w3

FULL = dict(runs=3, w1_versions=1000, w1_tables=10, w1_rows=1000, w2_rows=1_000_000, w3_versions=200,
            w3_rows=1000, rss_versions=10_000, repeat=3, timeout=3600.0, w2_timeout=300.0,
            fleet_runs=1, fleet_versions=20, fleet_sqlite=1000, fleet_postgres=1000, fleet_mysql=100)
QUICK = dict(runs=1, w1_versions=20, w1_tables=10, w1_rows=200, w2_rows=2000, w3_versions=10,
             w3_rows=100, rss_versions=200, repeat=1, timeout=300.0, w2_timeout=120.0,
             fleet_runs=1, fleet_versions=20, fleet_sqlite=10, fleet_postgres=10, fleet_mysql=4)
WORKLOADS = ("w1", "w2", "w3", "rss", "fleet")


# =====================================================================================================
# main
# =====================================================================================================
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: small sizes, one round, no timing claims")
    parser.add_argument("--runs", type=int, help="rounds (default 3; 1 with --quick)")
    parser.add_argument("--output", help="the report (default BENCHMARKS.md at the repository root; "
                                         "with --quick, none unless given)")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server, user with CREATE DATABASE")
    parser.add_argument("--mysql-url", default="mysql://root@127.0.0.1:3306",
                        help="MariaDB/MySQL server, user with CREATE DATABASE")
    parser.add_argument("--fleet-runs", type=int,
                        help="rounds of the fleet workload (default 1: at full size the shell loop alone takes "
                             "minutes)")
    parser.add_argument("--no-servers", action="store_true",
                        help="skip W3 and the fleet's PostgreSQL and MariaDB parts")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(WORKLOADS)} (for development)")
    parser.add_argument("--migrator-rev", metavar="REV",
                        help="benchmark migrator as committed at this git revision (e.g. HEAD) instead of the "
                             "working tree; either way a copy taken at the start runs throughout")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.runs:
        if args.runs < 1:
            parser.error("--runs must be at least 1")
        sizes["runs"] = args.runs
    if args.fleet_runs:
        if args.fleet_runs < 1:
            parser.error("--fleet-runs must be at least 1")
        sizes["fleet_runs"] = args.fleet_runs
    only = set((args.only or ",".join(WORKLOADS)).split(","))
    if only - set(WORKLOADS):
        parser.error(f"--only: no workload {', '.join(sorted(only - set(WORKLOADS)))} ({', '.join(WORKLOADS)})")
    output = Path(args.output) if args.output else (None if args.quick else REPO / "BENCHMARKS.md")

    for tool in ("migrator", "alembic"):
        if not (BIN / tool).exists():
            sys.exit(f"bench: {BIN / tool} not found: run with the Python that has migrator installed "
                     "with its bench extra (pip install -e '.[bench]')")

    servers = {}
    if not args.no_servers and only & {"w3", "fleet"}:
        for kind, url in (("postgres", args.postgres_url), ("mysql", args.mysql_url)):
            server = Server(kind, url)
            try:
                server.version()
            except Exception as error:
                sys.exit(f"bench: {kind} server at {url} is unreachable ({str(error).strip().splitlines()[0]}); "
                         "start it, or pass --no-servers")
            servers[kind] = server

    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="migrator-bench-"))
    # migrator's cache (what `status` keeps between runs) in the run's own folder, not the user's home
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    snapshot_migrator(tmp / "migrator-src", args.migrator_rev)
    version_info = versions_info(servers, args.migrator_rev)
    b = Bench(args, sizes, tmp)
    log(f"{'quick' if args.quick else 'full'} run, {sizes['runs']} round(s), files in {tmp}")
    try:
        if "w1" in only:
            b.base_bin, b.info["base"] = base_venv(tmp / "base-venv", tmp / "migrator-src")
        floor = b.spawner.run(["/bin/true"], tmp, tool_env(), 10)
        b.info["floor_kb"] = floor["maxrss_kb"]
        if "w1" in only:
            run_w1(b)
        if "w2" in only:
            run_w2(b)
        if "w3" in only:
            for kind in ("postgres", "mysql"):
                if kind in servers:
                    run_w3(b, servers[kind])
        if "rss" in only:
            run_rss(b)
        if "fleet" in only:
            for kind in FLEET_KINDS:
                if kind == "sqlite" or kind in servers:
                    run_fleet(b, kind, servers.get(kind))
    except KeyboardInterrupt:
        b.fail("interrupted")
    finally:
        b.spawner.close()
        for server in servers.values():
            server.drop_all()
            left = server.leftovers(f"bench_{os.getpid()}_") + server.leftovers(fleet_prefix())
            if left:
                b.fail(f"{server.kind}: databases left behind: {', '.join(left)}")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    finished = datetime.datetime.now(datetime.timezone.utc)
    log(f"done in {(time.monotonic() - clock) / 60:.1f} minutes")
    b.info["load"] = (load_start, os.getloadavg()[0])

    report = Report(b, started, finished, servers, machine(), version_info).render()
    if output:
        output.write_text(report)
        log(f"wrote {output}")
    else:
        targets = report.split("## Targets", 1)[1].split("## Machine", 1)[0]
        print("## Targets" + targets.rstrip())
    if b.failures:
        log(f"{len(b.failures)} failure(s):")
        for failure in b.failures:
            print(failure, file=sys.stderr)
        return 1
    log("every tool finished and left the expected schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
