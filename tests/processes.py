"""Real processes for the tests that need them: the installed `migrator` console script (with stdin on a
pseudo-terminal when a test answers a question), helper Python scripts (one holding the migration lock, several
started at the same moment), and the timing around them (kill after a delay, wait for a condition).

Every process gets this environment without migrator's settings: its settings come from its flags.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# The variables migrator reads its settings from (README: flags, then these, then .env).
SETTINGS_VARIABLES = ("DATABASE_URL", "MIGRATOR_SPECS_DIR", "MIGRATOR_TABLE", "MIGRATOR_LOCK_TIMEOUT",
                      "MIGRATOR_SCHEMA", "MIGRATOR_STRICT", "MIGRATOR_TARGETS", "MIGRATOR_ALL_SCHEMAS",
                      "MIGRATOR_PARALLEL", "MIGRATOR_FAIL_FAST", "MIGRATOR_SUMMARY")
CONSOLE = Path(sys.executable).with_name("migrator")

# Imports what a run needs, says "ready", then waits for the start file: every process then calls the command
# line's main() at the same moment, not as each interpreter happens to start.
AT_THE_SIGNAL = r"""
import os, sys, time
import peewee, playhouse.db_url, playhouse.migrate, psycopg2, pymysql
import migrator.api, migrator.cli, migrator.locks, migrator.runner, migrator.spec
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.002)
sys.exit(migrator.cli.main(sys.argv[2:]))
"""

# Holds the migration lock the way a run does, until its stdin is closed.
HOLD_THE_LOCK = r"""
import sys
from migrator import Migrator
from migrator.locks import hold
with Migrator(sys.argv[1], specs_dir=sys.argv[2]) as other, hold(other.dialect, other.settings):
    print("held", flush=True)
    sys.stdin.read()
"""


def environment(extra=None):
    """os.environ without migrator's settings, and with `extra` on top."""
    return {**{k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}, **(extra or {})}


def migrator_command(*args):
    base = [str(CONSOLE)] if CONSOLE.exists() else [sys.executable, "-m", "migrator"]
    return base + [str(a) for a in args]


def run(cwd, *args, timeout=180, answer=None, input=None, env=None, text=True, **options):
    """`migrator ARGS` in a process of its own, waited for: its CompletedProcess, with `.seconds` it took.

    stdin is /dev/null; with `input`, a pipe that holds it; with `answer`, a pseudo-terminal on which the
    answer to the command's question is typed. `env`: variables on top of `environment()`; `options` go to
    subprocess.run (a preexec_fn, say). A run longer than `timeout` seconds raises subprocess.TimeoutExpired.
    """
    command = migrator_command(*args)
    environ = environment(env)
    started = time.monotonic()
    if answer is None:
        stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
        done = subprocess.run(command, cwd=cwd, env=environ, capture_output=True, text=text, timeout=timeout,
                              **stdin, **options)
    else:
        terminal, process_end = os.openpty()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=environ, stdin=process_end, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=text, **options)
            os.write(terminal, answer.encode() + b"\n")
            out, err = process.communicate(timeout=timeout)
        finally:
            os.close(terminal), os.close(process_end)
        done = subprocess.CompletedProcess(command, process.returncode, out, err)
    done.seconds = time.monotonic() - started
    return done


def start(cwd, *args, env=None):
    """`migrator ARGS` started in a process of its own, not waited for: its Popen (stdout and stderr piped)."""
    return subprocess.Popen(migrator_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=cwd, env=environment(env))


def python(cwd, script, *args, stdin=subprocess.DEVNULL):
    """`python -c SCRIPT ARGS` started in cwd: its Popen (stdout and stderr piped)."""
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env=environment())


def hold_lock(cwd, database_url, specs_dir):
    """A process holding the database's migration lock until its stdin is closed (see `release`)."""
    process = python(cwd, HOLD_THE_LOCK, database_url, specs_dir, stdin=subprocess.PIPE)
    assert process.stdout.readline().strip() == "held", process.stderr.read()
    return process


def release(process, timeout=30):
    """Let a `hold_lock` process go, and wait for it to end."""
    process.stdin.close()
    process.wait(timeout=timeout)


def stop(process):
    """Kill the process if it still runs, and reap it."""
    if process.poll() is None:
        process.kill()
        process.wait()


def kill_after(process, delay):
    """SIGKILL the process `delay` seconds after now (if it is still running); its (code, out, err)."""
    try:
        out, err = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def all_at_once(cwd, runs, timeout=300):
    """Start one process per argument list, let them all go at once; [(exit code, stdout, stderr)]."""
    go = Path(cwd) / "go"
    go.unlink(missing_ok=True)
    processes = [python(cwd, AT_THE_SIGNAL, go, *args) for args in runs]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        go.touch()
        outputs = [process.communicate(timeout=timeout) for process in processes]
    finally:
        for process in processes:
            stop(process)
    return [(process.returncode, out, err) for process, (out, err) in zip(processes, outputs)]


def wait_for(condition, what="the condition", timeout=30):
    """Poll until condition() is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
