"""The measured runs: W1, W2, W3, the peak RSS of `migrator status`, and the fleet."""
from __future__ import annotations

import json
import math
import os
import shlex
import shutil
import time

from common import BIN, PROGRAMS, PY, log
from databases import (Introspect, Known, MysqlTenants, PostgresTenants, SqliteTenants, check_schema, make_sqlite,
                       populate)
from generators import gen_migrator
from measure import (ConnectionPeak, base_env, commands, generate_all, ok, remove_sqlite, rotate, sqlite_url,
                     tool_env)
from workloads import (fleet_versions, rss_schema, rss_versions, simulate, w1_schema, w1_versions, w2_schema,
                       w2_versions)

W2_PROBE_ROWS = (2500, 5000, 10000)  # rows for the scaling probe of a W2 step that ran out of time


# =====================================================================================================
# W1: 1,000 cheap versions on SQLite; start-up figures
# =====================================================================================================
W1_TOOLS = ["plain", "plain_once", "migrator", "alembic", "playhouse"]
BASE_STATUS = ("migrator", "playhouse")  # W1 status run from migrator's base install, like the yardstick
PEEWEE_YARDSTICK = 'python -c "import peewee"'  # in migrator's base install: no database driver
PEEWEE_BENCH = 'python -c "import peewee" (bench venv, drivers installed)'  # informational


def tool_family(tool):
    """The tool whose history table a variant uses (migrator --no-backup, migrator with its default safe forms,
    the plain driver in one transaction or with Peewee imported)."""
    return {"migrator_nobackup": "migrator", "migrator_online": "migrator", "plain_once": "plain",
            "plain_peewee": "plain"}.get(tool, tool)


def startup_commands(base_bin):
    """{name: (argv, env)}: the start-up commands; those of migrator's base install run from its venv, the
    ones it cannot run (Alembic) and the informational `import peewee` from the bench's."""
    base_py = base_bin / "python"
    return {
        "python -c pass": ([base_py, "-c", "pass"], base_env()),
        PEEWEE_YARDSTICK: ([base_py, "-c", "import peewee"], base_env()),
        PEEWEE_BENCH: ([PY, "-c", "import peewee"], tool_env()),
        "migrator --help": ([base_bin / "migrator", "--help"], base_env()),
        "alembic --help": ([BIN / "alembic", "--help"], tool_env()),
        "python -m playhouse.migrations --help": ([PY, "-m", "playhouse.migrations", "--help"], tool_env()),
    }


def w1_status(b, tool, gen, target):
    """W1's status command for `tool` and its environment: migrator's and playhouse.migrations' from migrator's
    base install (like with like, and like the yardstick), the others from the bench venv."""
    if tool in BASE_STATUS:
        return commands(tool, gen, target, bin_=b.base_bin)["status"], base_env()
    return commands(tool, gen, target)["status"], tool_env()


def run_w1(b):
    s = b.sizes
    work = b.tmp / "w1"
    schema = w1_schema(s["w1_tables"])
    versions = w1_versions(s["w1_versions"], s["w1_tables"])
    final = simulate(schema, [op for ops in versions for op in ops])
    log(f"W1: generating {len(versions)} versions for each tool")
    generate_all(work / "gen", versions, schema, "sqlite")
    base = work / "base.db"
    make_sqlite(base, schema, s["w1_rows"])
    b.info["w1"] = {"versions": len(versions), "operations": sum(len(v) for v in versions),
                    "tables": s["w1_tables"], "rows": s["w1_rows"]}
    startup = startup_commands(b.base_bin)
    for round_ in range(s["runs"]):
        log(f"W1 round {round_ + 1}/{s['runs']}")
        for tool in rotate(W1_TOOLS + ["startup"], round_):
            if tool == "startup":
                for _ in range(s["repeat"]):
                    for name, (argv, env) in startup.items():
                        b.measure("startup", name, "run", argv, work, env=env)
                continue
            db = work / f"{tool}-{round_}.db"
            shutil.copyfile(base, db)
            target = db if tool == "playhouse" else sqlite_url(db)
            cmd = commands(tool, work / "gen", target)
            status, status_env = w1_status(b, tool, work / "gen", target)
            intro = Introspect("sqlite", db)
            family_ = tool_family(tool)
            if ok(b.measure("w1", tool, "apply", cmd["apply"], work)):
                b.check("w1", tool, intro, final, family_, len(versions), "apply", s["w1_rows"])
                for _ in range(s["repeat"]):
                    b.measure("w1", tool, "status", status, work, env=status_env)
                    if tool == "alembic":
                        b.measure("w1", tool, "history", cmd["history"], work)
                if ok(b.measure("w1", tool, "rollback", cmd["rollback"], work)):
                    b.check("w1", tool, intro, schema, family_, len(versions), "rollback", s["w1_rows"])
            remove_sqlite(db)


# =====================================================================================================
# W2: one version of 5 operations on a table of 1,000,000 rows, and its rollback
# =====================================================================================================
W2_TOOLS = ["plain", "migrator", "migrator_nobackup", "alembic", "playhouse"]


def w2_commands(tool, gen, db):
    if tool == "migrator_nobackup":
        return commands("migrator", gen, sqlite_url(db), extra_migrate=["--no-backup"])
    return commands(tool, gen, db if tool == "playhouse" else sqlite_url(db))


def w2_data(intro, rows):
    """What the rollback kept: the dropped column's values and the retyped column's values."""
    kept = intro.count("big", "extra IS NOT NULL")
    score = intro.scalar("SELECT SUM(score) FROM big")
    want_score = sum(i * 7 for i in range(1, rows + 1))
    return {"extra": kept, "score_ok": score == want_score}


def run_w2(b):
    s = b.sizes
    work = b.tmp / "w2"
    schema, versions = w2_schema(), w2_versions()
    final = simulate(schema, versions[0])
    log("W2: generating the version for each tool")
    generate_all(work / "gen", versions, schema, "sqlite")
    base = work / "base.db"
    log(f"W2: preparing a table of {s['w2_rows']:,} rows")
    make_sqlite(base, schema, s["w2_rows"])
    b.info["w2"] = {"rows": s["w2_rows"], "bytes": base.stat().st_size, "kept": {}}
    for round_ in range(s["runs"]):
        log(f"W2 round {round_ + 1}/{s['runs']}")
        for tool in rotate(W2_TOOLS, round_):
            db = work / f"{tool}-{round_}.db"
            shutil.copyfile(base, db)
            cmd = w2_commands(tool, work / "gen", db)
            intro = Introspect("sqlite", db)
            timeout = s["w2_timeout"]
            applied = b.measure("w2", tool, "apply", cmd["apply"], work, timeout=timeout)
            if ok(applied):
                allow = ("_migrator_backup_",) if tool == "migrator" else ()
                b.check("w2", tool, intro, final, tool_family(tool), 1, "apply", s["w2_rows"], allow)
                if intro.count("big", "flag = 0") != s["w2_rows"]:
                    b.fail(f"w2, {tool}: flag is not 0 on every row after apply")
                if ("w2", tool, "rollback") not in b.skip:
                    result = b.measure("w2", tool, "rollback", cmd["rollback"], work, timeout=timeout)
                    if result["timed_out"]:
                        b.skip.add(("w2", tool, "rollback"))
                    elif ok(result):
                        b.check("w2", tool, intro, schema, tool_family(tool), 1, "rollback", s["w2_rows"])
                        data = w2_data(intro, s["w2_rows"])
                        b.info["w2"]["kept"][tool] = data
                        if not data["score_ok"]:
                            b.fail(f"w2, {tool}: score values changed by apply and rollback")
                        if tool == "migrator" and data["extra"] != s["w2_rows"]:
                            b.fail(f"w2, migrator: rollback with backups restored {data['extra']} of "
                                   f"{s['w2_rows']} values of the dropped column")
            elif applied["timed_out"]:
                b.skip.add(("w2", tool, "apply"))
            remove_sqlite(db)
    for tool in W2_TOOLS:
        if ("w2", tool, "rollback") in b.skip:
            w2_probe(b, work, schema, tool)


def w2_probe(b, work, schema, tool):
    """A step that ran out of time: how its time grows with the rows, to say what the full size would take."""
    log(f"W2: {tool} rollback ran out of time; measuring it on smaller tables")
    points = []
    for rows in W2_PROBE_ROWS:
        db = work / f"probe-{rows}.db"
        make_sqlite(db, schema, rows)
        cmd = w2_commands(tool, work / "gen", db)
        if ok(b.measure("w2probe", tool, "apply", cmd["apply"], work, record=False)):
            result = b.measure("w2probe", tool, f"rollback {rows}", cmd["rollback"], work, timeout=b.sizes["w2_timeout"])
            if ok(result):
                points.append((rows, result["wall"]))
        remove_sqlite(db)
    if len(points) >= 2:
        (r0, t0), (r1, t1) = points[0], points[-1]
        exponent = math.log(t1 / t0) / math.log(r1 / r0)
        full = t1 * (b.sizes["w2_rows"] / r1) ** exponent
        b.info.setdefault("w2probe", {})[tool] = {"points": points, "exponent": exponent, "extrapolated": full}


# =====================================================================================================
# W3: W1 on PostgreSQL and MariaDB/MySQL; statements per operation
# =====================================================================================================
W3_TOOLS = ["plain", "migrator", "alembic", "playhouse"]
# Run, checked and counted like the others, shown in W3's tables, judged in no target. migrator_online: the
# same specs as `migrator` without `"online": false`, so PostgreSQL's default safe forms (CREATE/DROP INDEX
# CONCURRENTLY on a table with rows, outside the version's transaction); on MariaDB they would change nothing.
# plain_peewee: the limit with Peewee imported first, as in migrator's process: the floor of any tool built on it.
W3_CONTEXT = {"postgres": ["migrator_online", "plain_peewee"], "mysql": ["plain_peewee"]}


def w3_tools(kind):
    return W3_TOOLS + W3_CONTEXT.get(kind, [])


def run_w3(b, server):
    s = b.sizes
    kind = server.kind
    work = b.tmp / f"w3-{kind}"
    schema = w1_schema(s["w1_tables"])
    versions = w1_versions(s["w3_versions"], s["w1_tables"])
    final = simulate(schema, [op for ops in versions for op in ops])
    tools = w3_tools(kind)
    log(f"W3 {kind}: generating {len(versions)} versions for each tool")
    # migrator's specs say `"online": false`: the same plain DDL, in the version's transaction, as the peers
    generate_all(work / "gen", versions, schema, kind, plain_forms=True)
    if "migrator_online" in tools:  # the same specs, as a user writes them by default
        gen_migrator(versions, work / "gen" / "specs_online")
    b.info[f"w3-{kind}"] = {"versions": len(versions), "operations": sum(len(v) for v in versions),
                            "rows": s["w3_rows"], "counts": {}}
    prefix = f"bench_{os.getpid()}_{kind[:2]}"

    def fresh(name):
        server.create(name)
        conn = server.connect(name)
        try:
            populate(kind, conn, schema, s["w3_rows"])
        finally:
            conn.close()

    def urls(tool, name):
        return server.url(name, sqlalchemy=(tool == "alembic"))

    for round_ in range(s["runs"]):
        log(f"W3 {kind} round {round_ + 1}/{s['runs']}")
        for tool in rotate(tools, round_):
            name = f"{prefix}_{tool}_{round_}"
            fresh(name)
            cmd = commands(tool, work / "gen", urls(tool, name))
            intro = Introspect(kind, (server, name))
            family_ = tool_family(tool)
            if ok(b.measure(f"w3-{kind}", tool, "apply", cmd["apply"], work)):
                b.check(f"w3-{kind}", tool, intro, final, family_, len(versions), "apply", s["w3_rows"])
                b.measure(f"w3-{kind}", tool, "status", cmd["status"], work)
                if ok(b.measure(f"w3-{kind}", tool, "rollback", cmd["rollback"], work)):
                    b.check(f"w3-{kind}", tool, intro, schema, family_, len(versions), "rollback", s["w3_rows"])
            server.drop(name)

    # One extra, untimed run per tool that counts the statements sent to the server.
    hook = work / "hook"
    hook.mkdir()
    shutil.copyfile(PROGRAMS / "hook.py", hook / "sitecustomize.py")
    calibration = None
    if kind == "mysql":
        before = server.questions()
        calibration = server.questions() - before
        idle = server.questions()
        time.sleep(1)
        busy = server.questions() - idle - calibration
        if busy > 0:
            calibration = None  # other clients use the server: its global counter cannot isolate a tool
            info_ = b.info[f"w3-{kind}"]
            info_["server_busy"] = busy
    for tool in tools:
        name = f"{prefix}_{tool}_count"
        fresh(name)
        cmd = commands(tool, work / "gen", urls(tool, name))
        intro = Introspect(kind, (server, name))
        family_ = tool_family(tool)
        counts = {}
        for step in ("apply", "rollback"):
            count_file = work / f"count-{tool}-{step}.jsonl"
            alembic_file = work / f"count-{tool}-{step}-alembic.jsonl"
            env = tool_env({"PYTHONPATH": str(hook), "BENCH_COUNT_FILE": str(count_file),
                            "BENCH_ALEMBIC_COUNT_FILE": str(alembic_file)})
            argv = list(cmd[step])
            if family_ in ("migrator", "playhouse"):
                argv.insert(argv.index(step_word(family_, step)) + 1, "-v")
            before = server.questions() if calibration is not None else None
            result = b.measure(f"w3count-{kind}", tool, step, argv, work, env=env, record=False)
            questions = server.questions() - before - calibration if calibration is not None else None
            if not ok(result):
                break
            processes = [json.loads(line) for line in count_file.read_text().splitlines()] \
                if count_file.exists() else []
            total = {}
            for per_process in processes:
                for k, v in per_process.items():
                    total[k] = total.get(k, 0) + v
            own = None
            if family_ == "migrator":
                own = sum(1 for line in result["stderr"].read_text(errors="replace").splitlines()
                          if line.startswith("sql: "))
            elif tool == "playhouse":
                own = sum(1 for line in result["stderr"].read_text(errors="replace").splitlines()
                          if line.startswith(("('", '("')))
            elif tool == "alembic" and alembic_file.exists():
                own = sum(json.loads(line)["before_cursor_execute"] for line in alembic_file.read_text().splitlines())
            counts[step] = {"hook": total, "processes": len(processes), "own": own, "questions": questions}
            b.check(f"w3count-{kind}", tool, intro, final if step == "apply" else schema, family_, len(versions),
                    step, s["w3_rows"])
        b.info[f"w3-{kind}"]["counts"][tool] = counts
        server.drop(name)
    if calibration is not None:
        idle = server.questions()
        time.sleep(1)
        busy = server.questions() - idle - calibration
        if busy > 0:
            b.info[f"w3-{kind}"]["server_busy"] = busy


def step_word(tool, step):
    return {"migrator": {"apply": "migrate", "rollback": "rollback"},
            "playhouse": {"apply": "up", "rollback": "down"}}[tool][step]


# =====================================================================================================
# Peak RSS of `migrator status` with 10,000 versions
# =====================================================================================================
def run_rss(b):
    s = b.sizes
    work = b.tmp / "rss"
    schema, versions = rss_schema(), rss_versions(s["rss_versions"])
    gen = work / "gen"
    gen.mkdir(parents=True)
    log(f"RSS: generating {len(versions):,} trivial versions and applying them with migrator (untimed set-up)")
    gen_migrator(versions, gen / "specs")
    db = work / "rss.db"
    make_sqlite(db, schema, 10)
    cmd = commands("migrator", gen, sqlite_url(db))
    applied = b.measure("rss", "migrator", "apply (set-up)", cmd["apply"], work, record=False)
    b.info["rss"] = {"versions": len(versions), "apply_seconds": applied["wall"], "apply_rss_kb": applied["maxrss_kb"]}
    if not ok(applied):
        return
    final = simulate(schema, [op for ops in versions for op in ops])
    b.check("rss", "migrator", Introspect("sqlite", db), final, "migrator", len(versions), "apply", 10)
    b.info["rss"]["db_bytes"] = db.stat().st_size
    for _ in range(max(s["runs"], 3) if not b.args.quick else 1):
        b.measure("rss", "migrator", "status", cmd["status"], work)
    remove_sqlite(db)


# =====================================================================================================
# The fleet: one history on many tenants, as one fleet run and as a shell loop of single runs
# =====================================================================================================
# --parallel 1, the default parallelism, a shell loop of `migrator migrate` once per target; and the default
# parallelism on 1/10 of the targets, for its peak RSS beside the full size's
FLEET_WAYS = ["serial", "parallel", "loop"]
FLEET_TENTH = "tenth"
FLEET_KINDS = ("sqlite", "postgres", "mysql")
FLEET_PREFIX = "benchfleet"  # the server databases the fleet makes: benchfleet_<pid>, benchfleet_<pid>_...


def fleet_prefix():
    return f"{FLEET_PREFIX}_{os.getpid()}"


def fleet_tenants(kind, server, work):
    if kind == "sqlite":
        return SqliteTenants(work / "tenants")
    if kind == "postgres":
        return PostgresTenants(server, fleet_prefix())
    return MysqlTenants(server, fleet_prefix())


def fleet_commands(tenants, specs, names):
    """{way: argv} for the targets `names` that `tenants` has just made. The loop is a `bash -c` script, so that
    the spawner measures the whole loop (every process it starts) as one."""
    migrator = str(BIN / "migrator")
    if tenants.kind == "sqlite":
        url, naming = None, ["--targets", tenants.targets()]
        loop = (f"for f in {shlex.quote(str(tenants.folder))}/*.db; do {shlex.quote(migrator)} migrate "
                f"--database-url \"sqlite:///$f\" --specs-dir {shlex.quote(str(specs))} -q || exit $?; done")
    elif tenants.kind == "postgres":
        url = tenants.server.url(tenants.name)
        naming = ["--database-url", url, "--all-schemas", "t_*"]
        loop = (f"for s in {' '.join(names)}; do {shlex.quote(migrator)} migrate --database-url {shlex.quote(url)} "
                f"--schema \"$s\" --specs-dir {shlex.quote(str(specs))} -q || exit $?; done")
    else:
        url = tenants.server.url(tenants.home)
        naming = ["--database-url", url, "--all-schemas", tenants.pattern()]
        base = tenants.server.url("")
        loop = (f"for d in {' '.join(names)}; do {shlex.quote(migrator)} migrate --database-url "
                f"{shlex.quote(base)}\"$d\" --specs-dir {shlex.quote(str(specs))} -q || exit $?; done")
    fleet = [migrator, "migrate", *naming, "--specs-dir", specs]
    return {"serial": fleet + ["--parallel", "1", "-q"], "parallel": fleet + ["-q"], FLEET_TENTH: fleet + ["-q"],
            "loop": ["/bin/bash", "-c", loop]}


def fleet_check(b, kind, way, tenants, names, final, versions):
    """Every target at the final schema, with its whole history: one failure sentence for the run, if any."""
    found = tenants.read()
    problems = [f"{name}: no tables" for name in names if name not in found]
    problems += [f"{name}: not a target" for name in found if name not in names]
    for name, (schema, counts) in found.items():
        problems += [f"{name}: {p}" for p in check_schema(Known(schema, counts), final, "migrator", versions,
                                                              "apply", None)]
    if problems:
        b.fail(f"fleet-{kind}, {way}: {len(problems)} difference(s) after apply: " + "; ".join(problems[:8]))
    return not problems


def run_fleet(b, kind, server=None):
    s = b.sizes
    workload = f"fleet-{kind}"
    work = b.tmp / workload
    versions = fleet_versions(s["fleet_versions"])
    final = simulate({}, [op for ops in versions for op in ops])
    specs = work / "specs"
    gen_migrator(versions, specs, online=False)  # plain DDL on PostgreSQL, as a loop of hand-written SQL runs
    count = s[f"fleet_{kind}"]
    tenth = max(1, count // 10)
    info = b.info[workload] = {"targets": count, "tenth": tenth, "versions": len(versions),
                               "operations": sum(len(v) for v in versions), "connections": {}, "summary_bytes": {},
                               "parallel": {}}
    tenants = fleet_tenants(kind, server, work)
    summary = work / ".migrator-fleet.json"  # the default summary file, in the command's folder
    try:
        for round_ in range(s["fleet_runs"]):
            log(f"fleet {kind} round {round_ + 1}/{s['fleet_runs']}: {count:,} targets, {len(versions)} versions")
            for way in rotate(FLEET_WAYS + [FLEET_TENTH], round_):
                n = tenth if way == FLEET_TENTH else count
                names = tenants.reset(n)  # untimed: every way starts from empty targets
                summary.unlink(missing_ok=True)
                argv = fleet_commands(tenants, specs, names)[way]
                if kind == "sqlite":
                    result, peak = b.measure(workload, way, "apply", argv, work), None
                else:
                    watch = ConnectionPeak(server, database=tenants.name) if kind == "postgres" else \
                        ConnectionPeak(server, like=fleet_prefix().replace("_", "\\_") + "\\_%")
                    with watch:
                        result = b.measure(workload, way, "apply", argv, work)
                    peak = None if watch.error or not watch.polls else watch.most
                    if watch.error:
                        b.fail(f"{workload}, {way}: the connection count failed: {watch.error}")
                info["connections"].setdefault(way, []).append(peak)
                if summary.exists():
                    document = json.loads(summary.read_text())
                    info["summary_bytes"].setdefault(way, []).append(summary.stat().st_size)
                    info["parallel"][way] = document["parallel"]
                    if document["counts"]["done"] != n:
                        b.fail(f"{workload}, {way}: the summary counts {document['counts']['done']} of {n} done")
                elif way != "loop" and ok(result):
                    b.fail(f"{workload}, {way}: no summary file {summary.name} in the command's folder")
                if ok(result):
                    fleet_check(b, kind, way, tenants, names, final, len(versions))
    finally:
        tenants.drop()
