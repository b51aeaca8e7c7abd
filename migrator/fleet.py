"""A fleet: one command on many databases (targets.py), a few at a time. Each target is run by a `Migrator` of
its own, on its own connection and under its own migration lock, exactly as a run on that one database is: two
fleet runs, or a fleet run and a single run, never run one target at once. The spec files are read and validated
once for the whole fleet. A failure on one target does not stop the others (unless `fail_fast`); each target
ends with a result, and the run with a summary, which migrate and rollback write to a file so that a later run with
`only_failed` reruns what failed or was not reached.

Targets run on threads: a target's time is mostly the server's (or SQLite's C code), which lets the others go on.
Ctrl-C starts no more targets and lets the running ones end as runs end; a second Ctrl-C stops waiting for them.
"""
import datetime
import json
import os
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace

from .errors import MigratorError, SpecError

DEFAULT_SUMMARY = ".migrator-fleet.json"  # where migrate and rollback write their summary, unless told
DONE, FAILED, RUNNING, NOT_REACHED = "done", "failed", "running", "not_reached"
SUMMARY_EVERY = 2.0  # seconds between writes of the summary file during a run (a killed run leaves the last)
_RUNNING_NOW = threading.local()


def running_target():
    """The name of the target the calling thread runs, or None outside a fleet (the CLI's -v labels SQL so)."""
    return getattr(_RUNNING_NOW, "name", None)


class SpecsOnce:
    """The spec files of a fleet's specs folder, read (and validated) once for all its targets; the cache of
    their checksums written once, at the end."""

    def __init__(self, settings):
        from .cache import Cache

        self.settings = settings
        self.cache = Cache(settings.specs_dir, deferred=True)
        self._lock = threading.Lock()
        self._read = self._built = None
        self._repeatables = {}

    def specs(self, build=True):
        from .spec import built, load_all

        with self._lock:
            if self._built is None and self._read is None:
                self._read = load_all(self.settings.specs_dir, self.settings.table, False, self.cache)
            if self._built is None and build:
                self._built = [built(s, self.settings.table) for s in self._read]
            return self._built or self._read

    def repeatables(self, build=True):
        from . import repeatable

        with self._lock:
            if build not in self._repeatables:
                self._repeatables[build] = self._repeatables.get(True) or repeatable.load_all(
                    self.settings.specs_dir, build)
            return self._repeatables[build]


@dataclass
class TargetResult:
    """What one target of a fleet run came to."""
    target: object  # targets.Target
    state: str = NOT_REACHED  # done, failed, running (when the summary was written), not_reached
    exit_code: int | None = None  # as the command on this one database would have exited
    seconds: float | None = None
    before: str | None = None  # migrate, rollback: the current version before and after
    after: str | None = None
    versions: list = field(default_factory=list)  # migrate: applied; rollback: rolled back
    notes: list = field(default_factory=list)  # migrate, rollback, lint: the notes, "v1.2.0: ..."
    dropped: list = field(default_factory=list)  # rollback: what it dropped, {version, table, column, rows}
    error: str | None = None
    warnings: list = field(default_factory=list)
    report: dict = field(default_factory=dict)  # status, validate, lint, verify: what they found here

    def to_json(self, command):
        entry = {"target": self.target.name, "database": self.target.database, "schema": self.target.schema,
                 "state": self.state, "exit_code": self.exit_code,
                 "seconds": None if self.seconds is None else round(self.seconds, 3)}
        if command in ("migrate", "rollback"):
            entry.update(before=self.before, after=self.after)
            entry["applied" if command == "migrate" else "rolled_back"] = self.versions
            if command == "rollback":
                entry["dropped"] = self.dropped
        if command in ("migrate", "rollback", "lint"):
            entry["notes"] = self.notes
        return {**entry, **self.report, "error": self.error, "warnings": self.warnings}


class FleetRun(list):
    """The results of a fleet run, one per target in the targets' order, and what the run as a whole came to."""

    def __init__(self, command, results, version=None):
        super().__init__(results)
        self.command, self.version = command, version
        self.started_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.seconds = 0.0
        self.parallel = 0
        self.interrupted = False
        self.stopped_after_failure = False  # fail_fast stopped it
        self.finished = False  # False in the summary written during the run (a run killed outright leaves it)
        self.strict = False
        self.summary = None  # the file the summary was written to
        self.summary_lost = None  # why the summary could not be written after the run started
        self.earlier = []  # only_failed: the entries of the summary read, for the targets not run again

    def counts(self):
        found = Counter(r.state for r in self)
        return {"targets": len(self), **{state: found[state] for state in (DONE, FAILED, RUNNING, NOT_REACHED)}}

    @property
    def exit_code(self):
        worst = max((r.exit_code or 0 for r in self), default=0)
        if self.command == "status" and self.groups()["agree"] is False:
            worst = max(worst, 4)
        return 130 if self.interrupted else worst

    def groups(self):
        """status: the targets by current version, and those that stand out."""
        from .versions import Version

        if self.command != "status":
            raise ValueError(f"groups() are those of a status run, not of {self.command}")
        read = [r for r in self if r.state == DONE]
        versions = sorted({r.report["current"] for r in read if r.report["current"]}, key=Version, reverse=True)
        leading = versions[0] if versions else None
        by_version = Counter(r.report["current"] or "no version" for r in read)
        stragglers = [r.target.name for r in read if r.report["current"] != leading]
        drift = [r.target.name for r in read if r.report["drift"]]
        attention = [r.target.name for r in read if r.report["attention"]]
        agree = len(by_version) <= 1 and not attention and not (self.strict and drift)
        return {"versions": {v: by_version[v] for v in versions + (["no version"] if "no version" in by_version
                                                                     else [])},
                "failed": len(self) - len(read), "newest": leading, "stragglers": stragglers, "drift": drift,
                "attention": attention, "in_progress": [r.target.name for r in read if r.report["in_progress"]],
                # not known (None) while a target could not be read and those read agree
                "agree": None if agree and len(read) < len(self) else agree}

    def to_json(self):
        entries = [r.to_json(self.command) for r in self]
        if self.earlier:  # --only-failed: the summary read, with the entries of the targets run again replaced
            mine = {e["target"]: e for e in entries}
            entries = [mine.pop(e["target"], e) for e in self.earlier] + list(mine.values())
        counts = Counter(e["state"] for e in entries)
        document = {"command": self.command, "version": self.version, "started_at": self.started_at,
                    "seconds": round(self.seconds, 3), "parallel": self.parallel, "exit_code": self.exit_code,
                    "interrupted": self.interrupted, "stopped_after_failure": self.stopped_after_failure,
                    "finished": self.finished,
                    "counts": {"targets": len(entries), **{s: counts[s] for s in (DONE, FAILED, RUNNING, NOT_REACHED)}},
                    "summary_file": self.summary, "targets": entries}
        if self.command == "status":
            document["groups"] = self.groups()
        return document


class Fleet:
    """One command on many databases. `targets`: a targets file, a URL (an SQLite pattern or folder naming many
    files), or a list of them; None: the database URL. `all_schemas`: each server database taken as its tenant
    schemas (PostgreSQL) or databases (MySQL/MariaDB) whose names match this glob. The rest as for `Migrator`.

    Each command returns a FleetRun (a list of TargetResult, with `.exit_code` and `.to_json()`). `on_target(result)`
    hears of each target as it ends, `on_progress(counts, seconds)` a few times a second, both on the calling
    thread. migrate and rollback write the summary to `summary` (default .migrator-fleet.json; False: none); the
    read-only commands only when `summary` is given."""

    def __init__(self, targets=None, specs_dir=None, *, all_schemas=None, parallel=None, fail_fast=None,
                 summary=None, settings=None, on_target=None, on_progress=None, on_warning=None, **options):
        import inspect

        from .api import Migrator
        from .config import Settings

        unknown = set(options) - set(inspect.signature(Migrator).parameters) - {"database_url"}
        if unknown:
            raise TypeError(f"Fleet() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        if targets is not None and not isinstance(targets, (str, os.PathLike, list, tuple)):
            raise TypeError(f"Fleet takes targets as a targets file or URL (str), or a list of them, not "
                            f"{type(targets).__name__}")
        if isinstance(targets, (list, tuple)) and not targets:
            raise SpecError("no targets: the list of targets is empty")
        text = targets if isinstance(targets, (str, os.PathLike)) else None
        flags = {"targets": text and str(text), "specs_dir": specs_dir, "all_schemas": all_schemas,
                 "parallel": parallel, "fail_fast": fail_fast, "summary": summary or None, **options}
        self.settings = settings or Settings.load(flags)
        if targets is not None and text is None:
            self.settings = replace(self.settings, targets=tuple(map(str, targets)))
        self.writes_summary = summary is not False
        self.on_target, self.on_progress = on_target, on_progress
        self.on_warning = on_warning or _warn
        self._shared = SpecsOnce(self.settings)

    def targets(self):
        from .targets import resolve

        return resolve(self.settings)

    # -- the commands -------------------------------------------------------------------
    def migrate(self, version=None, *, out_of_order=False, backups=True, accept_loss=False, only_failed=False):
        def work(migrator, result):
            if _beyond(result.before, version):  # (on one database an error that points to rollback)
                result.notes = [f"already past {version} (at {result.before}): nothing applied"]
                return
            _ran(result, migrator.migrate(version, out_of_order=out_of_order, backups=backups,
                                          accept_loss=accept_loss, on_retry=_retry_warning(result)))

        return self._run("migrate", _between_versions(work, "applied"), version, only_failed, build=True)

    def rollback(self, version=None, *, steps=None, accept_loss=False, only_failed=False, confirm=None):
        """`confirm(targets)`, when given, is asked with the number of targets before any runs (False: Cancelled):
        a fleet's rollback asks no target's question before dropping tables or columns holding rows."""
        def work(migrator, result):
            if version not in (None, "base") and not _beyond(result.before, version, or_at=True):
                result.notes = [f"already below {version} (at {result.before or 'no version'}): nothing rolled back"]
                return
            _ran(result, migrator.rollback(version, steps=steps, accept_loss=accept_loss,
                                           on_retry=_retry_warning(result)))

        return self._run("rollback", _between_versions(work, "rolled_back"), version, only_failed, build=None,
                         confirm=confirm)

    def status(self):
        def work(migrator, result):
            found = migrator.status()
            states = [(v["version"], v["state"]) for v in found["versions"]]
            result.report = {
                "current": found["current"], "no_database_yet": found["no_database_yet"],
                "in_progress": found["in_progress"],
                "pending": [v for v, state in states if state in ("pending", "out_of_order")],
                "attention": [f"{v} {state}" for v, state in states if state in ("failed", "running", "changed",
                                                                                  "missing")],
                "drift": found["drift"] and found["drift"]["differences"]}

        return self._run("status", work, None, False, build=False)

    def validate(self):
        def work(migrator, result):
            found = migrator.validate()
            if found["database"] is None and not found["no_database_yet"]:
                from .errors import ConnectionFailed

                raise ConnectionFailed(f"cannot be reached: {found['reason']}")
            result.report = {"checked_when_run": found.get("checked_when_run")}

        return self._run("validate", work, None, False, build=True)

    def lint(self, version=None):
        def work(migrator, result):
            found = migrator.lint(version)
            result.report = {"operations": len(found["operations"]), "refused": [
                {k: o[k] for k in ("version", "index", "action", "table", "rating", "rows")}
                for o in found["operations"] if o["refused"]]}
            result.notes = [f"{o['version']} {o['index']}. {o['action']}: {o['note']}" for o in found["operations"]
                            if o.get("note")]
            result.exit_code = 1 if found["refused"] else 0

        return self._run("lint", work, version, False, build=True)

    def verify(self, version=None):
        def work(migrator, result):
            found = migrator.verify(version)
            result.report = {"not_reversible": {v["version"]: v["differences"] + ([v["failed"]] if "failed" in v
                                                                                  else [])
                                                for v in found["versions"] + found.get("repeatables", [])
                                                if not v["reversible"]}}
            if not found["reversible"]:
                result.exit_code = 1
                result.error = "; ".join(f"{v}: {'; '.join(why) or 'not reversible'}"
                                         for v, why in result.report["not_reversible"].items())

        return self._run("verify", work, version, False, build=True)

    # -- running them -------------------------------------------------------------------
    def _run(self, command, work, version, only_failed, build, confirm=None):
        """`work(migrator, result)` on each target; `build`: the specs read and validated first (True), read
        only (False), or not read (None)."""
        from . import selection
        from .errors import Cancelled

        started = time.monotonic()
        if build is not None:  # (a rollback runs the stored inverses: no spec file is read)
            specs = self._shared.specs(build)  # a bad spec stops the run here, before any target
            if build and version is not None:
                selection.known_target(version, specs)  # an unknown version too, once
        if build:
            self._shared.repeatables(True)
        targets = self.targets()
        run = FleetRun(command, [], version)
        run.strict = self.settings.strict
        run.summary = self._summary_path(command)
        if only_failed:
            targets, run.earlier = self._unfinished(targets, command, run.summary)
        if confirm and targets and not confirm(len(targets)):
            raise Cancelled("nothing was rolled back; nothing was changed")
        run.extend(TargetResult(t) for t in targets)
        run.parallel = self._parallel(targets)
        self._write_summary(run, first=True)  # before any target: a run killed at once leaves its own
        try:
            self._each(run, work, started)
            run.finished = True
        finally:
            run.seconds = time.monotonic() - started
            self._write_summary(run)
            self._shared.cache.write()
        return run

    def _each(self, run, work, started):
        waiting, lock, ended, stop = iter(run), threading.Lock(), queue.Queue(), threading.Event()

        def worker():
            while not stop.is_set():
                with lock:
                    result = next(waiting, None)
                    if result is None:
                        return
                    result.state = RUNNING
                self._one(result, work)
                if result.state == FAILED and self.settings.fail_fast:
                    run.stopped_after_failure = True
                    stop.set()  # here, before this thread takes the next one
                ended.put(result)

        threads = [threading.Thread(target=worker, name=f"migrator-fleet-{n}", daemon=True)
                   for n in range(min(run.parallel, len(run)))]

        def follow():
            written = time.monotonic()
            while any(t.is_alive() for t in threads if t.ident) or not ended.empty():
                try:
                    result = ended.get(timeout=0.2)
                except queue.Empty:
                    result = None
                if result is not None and self.on_target:
                    self.on_target(result)
                if self.on_progress:
                    self.on_progress(run.counts(), time.monotonic() - started)
                if time.monotonic() - written >= SUMMARY_EVERY:
                    self._write_summary(run)
                    written = time.monotonic()

        try:
            for thread in threads:  # (inside: a Ctrl-C while they start waits for those started)
                thread.start()
            follow()
        except KeyboardInterrupt:
            stop.set()
            run.interrupted = True
            running = run.counts()[RUNNING]
            if running:
                self.on_warning(f"interrupted: no more targets start; waiting for the {running} running to end "
                                "(Ctrl-C again to stop waiting: they are then left as a killed run leaves them)")
            try:
                follow()
            except KeyboardInterrupt:
                pass

    def _one(self, result, work):
        from .api import Migrator
        from .config import error_line, without_password

        target = result.target
        settings = replace(self.settings, database_url=target.url, schema=target.schema, targets=None,
                           all_schemas=None)
        started = time.monotonic()
        _RUNNING_NOW.name = target.name
        try:
            if target.unlisted:
                from .errors import ConnectionFailed

                raise ConnectionFailed(target.unlisted)
            def warn(message):
                result.warnings.append(without_password(message, target.url))

            with Migrator(settings=settings, on_warning=warn, specs=self._shared) as migrator:
                work(migrator, result)
            result.exit_code = result.exit_code or 0
        except MigratorError as error:
            result.exit_code, result.error = error.exit_code, without_password(error.message, target.url)
        except Exception as error:  # the driver's or Peewee's, or a defect: this target's failure, not the fleet's
            what = "the database failed" if type(error).__module__ == "peewee" else \
                f"unexpected error ({type(error).__name__})"
            result.exit_code, result.error = 1, f"{what}: {error_line(error, target.url)}"
        finally:
            _RUNNING_NOW.name = None
            result.seconds = time.monotonic() - started
            result.state = DONE if result.exit_code == 0 else FAILED

    def _parallel(self, targets):
        """--parallel, or what suits the backend; never more runs than a server has connections left for."""
        from .dialects import dialect_class

        wanted = self.settings.parallel
        parallel = wanted or min((dialect_class(t.url).fleet_parallel for t in targets), default=1)
        for url in _one_per_server(t for t in targets if not t.unlisted):
            room = _connection_room(url)
            if room is None:
                continue
            # half of the room at most: the rest is the application's, and other clients'
            allowed = max(1, room // 2 // dialect_class(url).connections_per_run)
            if parallel > allowed:
                if wanted:
                    from .config import mask_url

                    self.on_warning(f"--parallel {wanted} lowered to {allowed}: the server of {mask_url(url)} takes "
                                    f"{room} more connections now; a fleet takes half of them at most, and a run "
                                    f"uses {dialect_class(url).connections_per_run}")
                parallel = allowed
        return max(1, min(parallel, len(targets))) if targets else 0

    # -- the summary ----------------------------------------------------------------------
    def _summary_path(self, command):
        if not self.writes_summary:
            return None
        return self.settings.summary or (DEFAULT_SUMMARY if command in ("migrate", "rollback") else None)

    def _write_summary(self, run, first=False):
        """Write the summary file; the first time, refuse (SpecError) a path that holds something else than a
        fleet summary (a targets file, a spec) or that cannot be written, before any target runs."""
        if run.summary is None:
            return
        path = os.path.abspath(run.summary)
        if first and os.path.exists(path) and _read_summary(path) is None:
            raise SpecError(f"--summary {run.summary}: the file is there and is no fleet summary: it is not written "
                            "over (give another file)")
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as file:
                json.dump(run.to_json(), file, indent=1)
            os.replace(temporary, path)
        except OSError as error:
            why = f"the summary cannot be written to {run.summary}: {error.strerror or error}"
            if first:
                raise SpecError(why) from None
            run.summary_lost = why
            self.on_warning(why)

    def _unfinished(self, targets, command, path):
        """only_failed: the targets the summary file says did not finish, and the summary's entries."""
        if path is None:
            raise SpecError("--only-failed reads the summary of the run before: give it with --summary FILE")
        if not os.path.exists(path):
            raise SpecError(f"--only-failed: no summary at {path}: run the fleet without it first (or give the "
                            "summary file with --summary)")
        earlier = _read_summary(path)
        if earlier is None:
            raise SpecError(f"--only-failed: {path} is not a fleet summary")
        if earlier["command"] != command:
            raise SpecError(f"--only-failed: {path} is the summary of a {earlier['command']} run, not of {command}")
        # Only what the summary says is done is left out: a target it does not know (another fleet's summary, a
        # server whose tenants could not be listed then) runs, as a run that finds nothing to do costs little.
        done = {e["target"] for e in earlier["targets"] if e.get("state") == DONE}
        unknown = [t for t in targets if t.name not in done and t.name not in
                   {e["target"] for e in earlier["targets"]}]
        if unknown:
            self.on_warning(f"--only-failed: {len(unknown)} of the targets given are not in {path} (another run "
                            "wrote it, or they were not known then): they run too")
        return [t for t in targets if t.name not in done], earlier["targets"]


def _read_summary(path):
    """The fleet summary in the file, or None when it holds something else."""
    try:
        with open(path, encoding="utf-8") as file:
            found = json.load(file)
        return found if isinstance(found, dict) and isinstance(found.get("targets"), list) and \
            isinstance(found.get("command"), str) else None
    except (OSError, ValueError):
        return None


def _warn(message):
    import warnings

    warnings.warn(message, stacklevel=3)


def _between_versions(work, key):
    """migrate and rollback: the current version before and after, and what was done before a failure."""
    def between(migrator, result):
        result.before = _current(migrator)
        try:
            work(migrator, result)
        except MigratorError as error:
            result.versions = [r["version"] for r in error.details.get(key) or ()]
            raise
        finally:
            try:
                result.after = _current(migrator)
            except Exception:  # the connection went with the failure: the error says what happened
                result.after = None
    return between


def _beyond(current, version, or_at=False):
    """Whether the current version is above `version` (or at it)."""
    from .versions import Version

    if current is None or version is None:
        return False
    return Version(current) >= Version(version) if or_at else Version(current) > Version(version)


def _ran(result, results):
    result.versions = [r.version for r in results]
    result.notes = [f"{r.version}: {note}" for r in results for note in r.notes]
    result.dropped = [{"version": r.version, **loss} for r in results for loss in getattr(r, "dropped", ())]


def _current(migrator):
    from .api import _missing_database

    return None if _missing_database(migrator.settings) else migrator.history.current()


def _retry_warning(result):
    def warn(version, retry, retries, wait, message):
        result.warnings.append(f"{message}; trying {version} again in {wait:.1f} s (retry {retry} of {retries})")
    return warn


def _one_per_server(targets):
    """A URL of each server among the targets (none for SQLite files)."""
    from .dialects import dialect_class

    servers = {}
    for t in targets:
        servers.setdefault(dialect_class(t.url).server_of(t.url), t.url)
    servers.pop(None, None)
    return list(servers.values())


def _connection_room(url):
    from .dialects import connect, dialect_for

    try:
        db = connect(url)
        try:
            return dialect_for(db).connection_room()
        finally:
            db.close()
    except Exception:  # not reachable now: its targets say so, each
        return None
