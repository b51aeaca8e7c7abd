"""Running and measuring whole processes: the spawner, the copy of migrator every command runs, migrator's
base install (the second venv), the Bench that records samples and failures, and how each tool is invoked."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from common import BIN, PROGRAMS, PY, REPO, log
from databases import check_schema
from generators import compile_scripts, gen_alembic, gen_migrator, gen_playhouse, gen_plain, playhouse_name


# =====================================================================================================
# Running and measuring whole processes
# =====================================================================================================
class Spawner:
    """A small process that forks each command, waits for it with os.wait4 and reports its wall time and
    peak RSS. A child's ru_maxrss starts at its parent's RSS at fork time, so the parent must stay small:
    this one is a bare `python -S -I` that imports only json, os, signal and time."""

    def __init__(self, logs):
        self.logs = logs
        spawner = (PROGRAMS / "spawner.py").read_text()  # run as `-c` text: nothing on sys.path, no file to find
        self.proc = subprocess.Popen([PY, "-S", "-I", "-c", spawner], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.serial = 0

    def run(self, argv, cwd, env, timeout):
        self.serial += 1
        out, err = self.logs / f"{self.serial:05d}.out", self.logs / f"{self.serial:05d}.err"
        request = {"argv": argv, "cwd": str(cwd), "env": env, "stdout": str(out), "stderr": str(err),
                   "timeout": float(timeout)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        result = json.loads(self.proc.stdout.readline())
        result["stdout"], result["stderr"] = out, err
        return result

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


SNAPSHOT = []  # the folder holding the copy of the migrator package that every command runs
SNAPSHOT_FILES = ("migrator", "pyproject.toml", "README.md")  # the package, and what pip needs to install it


def tool_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MIGRATOR_", "PYTHON", "BENCH_")) and k != "DATABASE_URL"}
    extra = dict(extra or {})
    env["PYTHONPATH"] = os.pathsep.join(p for p in [extra.pop("PYTHONPATH", None), *SNAPSHOT] if p)
    env.update(extra)
    return env


def base_env():
    """The environment of a command run from migrator's base install: as tool_env, with nothing on PYTHONPATH
    (its venv has the snapshot installed)."""
    env = tool_env()
    del env["PYTHONPATH"]
    return env


def snapshot_migrator(folder, rev):
    """Copy the migrator package, as in the working tree or as committed at `rev`, to `folder`, with the
    pyproject.toml (and the README it names) that make the copy installable; every command runs that copy
    (it comes first on PYTHONPATH, or is what base_venv installs), so an edit made while the benchmark runs
    cannot mix two versions into one report, and nothing is written into the repository."""
    import io
    import tarfile

    import migrator

    folder.mkdir()
    if rev:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, *SNAPSHOT_FILES], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    else:
        package = Path(migrator.__file__).parent
        shutil.copytree(package, folder / "migrator", ignore=shutil.ignore_patterns("__pycache__"))
        for name in SNAPSHOT_FILES[1:]:
            source = package.parent / name
            if not source.exists():
                raise SystemExit(f"bench: {source} not found: migrator must be installed from its source tree "
                                 "(pip install -e '.[bench]') so that the copy can be installed in the base venv")
            shutil.copyfile(source, folder / name)
    compile_scripts(folder)
    SNAPSHOT[:] = [str(folder)]
    found = subprocess.run([PY, "-c", "import migrator; print(migrator.__file__)"], capture_output=True, text=True,
                           env=tool_env(), cwd=folder.parent).stdout.strip()
    if not found.startswith(str(folder)):
        raise SystemExit(f"bench: the commands would not run the snapshot of migrator (they import {found})")


# -- migrator's base install: the venv the start-up yardstick and the W1 status comparison run in -----------
BASE_PROBE = """import importlib.metadata as m, importlib.util as u, json, os, migrator
dists = {d: m.version(d) for d in ("migrator", "peewee", "python-dotenv", "fastjsonschema", "jsonschema", "sqlglot")}
drivers = [d for d in ("psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql") if u.find_spec(d)]
print(json.dumps({"package": os.path.dirname(migrator.__file__), "dists": dists, "drivers": drivers}))"""


def differing_files(package, installed):
    """The files of `package` (the snapshot's) that the installed copy lacks or holds otherwise."""
    out = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            copy = installed / path.relative_to(package)
            if not copy.is_file() or copy.read_bytes() != path.read_bytes():
                out.append(str(path.relative_to(package)))
    return out


def base_venv(folder, snapshot):
    """A second venv with migrator's base install only (the snapshot, no extras, so no database driver),
    made before anything is timed: `python -m venv folder && folder/bin/pip install -q snapshot`. Returns
    its bin folder and what it holds; exits the run when pip cannot install or the venv would not measure
    the snapshot."""
    bin_ = folder / "bin"
    log(f"making migrator's base install in {folder} (python -m venv, pip install of the snapshot; untimed)")
    for argv, what in (([PY, "-m", "venv", folder], "python -m venv"),
                       ([bin_ / "pip", "install", "-q", snapshot], "pip install of the migrator snapshot")):
        try:
            done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=base_env(),
                                  timeout=900)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"bench: {what} into the base venv did not finish in 15 minutes (no network?)")
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip().splitlines()[-12:]
            raise SystemExit("\n".join("    " + line for line in output)
                             + f"\nbench: {what} into the base venv failed (exit {done.returncode}), as above. The "
                             "start-up yardstick and W1's status comparison run from migrator's base install, which "
                             "pip installs from the package index: the run needs pip to reach it (network).")
    for residue in ("build", "migrator.egg-info"):  # pip's in-tree build: the snapshot stays the package only
        shutil.rmtree(snapshot / residue, ignore_errors=True)
    probe = subprocess.run([str(bin_ / "python"), "-c", BASE_PROBE], capture_output=True, text=True,
                           env=base_env(), cwd=folder.parent)
    if probe.returncode != 0:
        raise SystemExit(f"bench: migrator does not import in the base venv:\n{probe.stderr.strip()}")
    info = json.loads(probe.stdout)
    installed = Path(info["package"]).resolve()
    if not installed.is_relative_to(folder.resolve()):
        raise SystemExit(f"bench: the base venv imports migrator from {installed}, not from its own install")
    different = differing_files(snapshot / "migrator", installed)
    if different:
        raise SystemExit("bench: the base venv's migrator is not the snapshot: "
                         f"{', '.join(different[:8])} differ")
    if info["drivers"]:
        raise SystemExit(f"bench: the base venv has database drivers installed ({', '.join(info['drivers'])}); "
                         "migrator's base install has none")
    return bin_, info


def tail(path, lines=12):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Bench:
    def __init__(self, args, sizes, tmp):
        self.args, self.sizes, self.tmp = args, sizes, tmp
        (tmp / "logs").mkdir()
        self.spawner = Spawner(tmp / "logs")
        self.samples = {}  # (workload, tool, step) -> [result]
        self.failures = []  # sentences
        self.notes = {}  # workload -> [sentences]
        self.info = {}  # workload -> dict
        self.skip = set()  # (workload, tool, step) not run again after a time-out
        self.base_bin = None  # the bin folder of migrator's base install (base_venv), once made

    def measure(self, workload, tool, step, argv, cwd, env=None, timeout=None, record=True):
        timeout = timeout or self.sizes["timeout"]
        result = self.spawner.run([str(a) for a in argv], cwd, env or tool_env(), timeout)
        if record:
            self.samples.setdefault((workload, tool, step), []).append(result)
        if result["timed_out"]:
            log(f"  {workload} {tool} {step}: stopped after {timeout:.0f} s")
        elif result["rc"] != 0:
            self.fail(f"{workload}, {tool}, {step}: exit {result['rc']}\n    $ {' '.join(map(str, argv))}\n"
                      + "\n".join("    " + line for line in tail(result["stderr"]).splitlines()))
        else:
            log(f"  {workload} {tool} {step}: {result['wall']:.3f} s, {result['maxrss_kb'] / 1000:.1f} MB")
        return result

    def fail(self, message):
        log("FAILED: " + message)
        self.failures.append(message)

    def check(self, workload, tool, intro, expected, family_, versions, after, rows, allow_prefix=()):
        problems = check_schema(intro, expected, family_, versions, after, rows, allow_prefix)
        if problems:
            self.fail(f"{workload}, {tool}: wrong schema after {after}: " + "; ".join(problems[:8])
                      + (f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""))
        return not problems


class ConnectionPeak:
    """The most connections a server had open at once to the bench's fleet database(s) while a command ran,
    counted every 50 ms from a thread of this process on a connection of its own, which the count leaves out.
    PostgreSQL: `pg_stat_activity` rows of the database `database`; MariaDB/MySQL: `PROCESSLIST` rows whose
    database matches the LIKE pattern `like`. Use as `with ConnectionPeak(...) as peak:`; then `peak.most`."""

    EVERY = 0.05

    def __init__(self, server, database=None, like=None):
        import threading

        self.server, self.database, self.like = server, database, like
        self.most, self.polls = 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, name="bench-connection-peak", daemon=True)
        self.error = None

    def _count(self, cur):
        if self.server.kind == "postgres":
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                        (self.database,))
        else:
            cur.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
                        "AND DB LIKE %s", (self.like,))
        return int(cur.fetchone()[0])

    def _poll(self):
        try:
            while True:
                self.most = max(self.most, self._count(self.cur))
                self.polls += 1
                if self.stop.wait(self.EVERY):
                    break
        except Exception as error:  # reported by the caller: the figure is then missing, not wrong
            self.error = error

    def __enter__(self):
        self.conn = self.server.connect(self.database)
        self.cur = self.conn.cursor()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        self.conn.close()
        return False


def ok(result):
    return result["rc"] == 0 and not result["timed_out"]


def rotate(items, round_):
    k = round_ % len(items)
    return items[k:] + items[:k]


# -- tools: how each is invoked ---------------------------------------------------------------------------
def sqlite_url(path):
    return f"sqlite:///{path}"


def commands(tool, gen, url, extra_migrate=(), bin_=BIN):
    """{step: argv} for one tool, for the database at `url` (for playhouse: a file path or a URL), run from
    the venv whose bin folder is `bin_` (the bench's own, or migrator's base install)."""
    py = PY if bin_ == BIN else bin_ / "python"
    if tool in ("plain", "plain_once", "plain_peewee"):
        runner, folder = gen / "plain_runner.py", gen / "plain"
        option = {"plain_once": ["once"], "plain_peewee": ["peewee"]}.get(tool, [])
        return {"apply": [py, runner, url, folder, "up", *option],
                "status": [py, runner, url, folder, "status", *option],
                "rollback": [py, runner, url, folder, "down", *option]}
    if tool in ("migrator", "migrator_online"):  # migrator_online: W3's specs without `"online": false`
        specs = gen / ("specs_online" if tool == "migrator_online" else "specs")
        base = [bin_ / "migrator", "--database-url", url, "--specs-dir", specs]
        return {"apply": base + ["migrate", *extra_migrate], "status": base + ["status"],
                "rollback": base + ["rollback", "base"]}
    if tool == "alembic":
        base = [BIN / "alembic", "-c", gen / "alembic" / "alembic.ini", "-x", f"url={url}"]
        return {"apply": base + ["upgrade", "head"], "status": base + ["current"], "history": base + ["history"],
                "rollback": base + ["downgrade", "base"]}
    if tool == "playhouse":
        base = [py, "-m", "playhouse.migrations", url]
        folder = ["-d", gen / "playhouse"]
        return {"apply": base + ["up", *folder], "status": base + ["status", *folder],
                "rollback": base + ["down", playhouse_name(1), *folder]}
    raise ValueError(tool)


def generate_all(gen, versions, schema, dialect, plain_forms=False):
    """Every tool's files in `gen`. `plain_forms`: migrator's specs say `"online": false` where an operation
    has a safe form (W3: the same plain DDL as the peers)."""
    gen.mkdir(parents=True)
    gen_migrator(versions, gen / "specs", plain_forms=plain_forms)
    gen_plain(versions, schema, gen / "plain", dialect)
    shutil.copyfile(PROGRAMS / "plain_runner.py", gen / "plain_runner.py")
    gen_playhouse(versions, schema, gen / "playhouse")
    gen_alembic(versions, schema, gen / "alembic", dialect)
    compile_scripts(gen / "playhouse")
    compile_scripts(gen / "alembic")


def remove_sqlite(path):
    for p in (path, Path(f"{path}.migrator-lock"), Path(f"{path}-journal")):
        if p.exists():
            p.unlink()
