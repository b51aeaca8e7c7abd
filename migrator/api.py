"""The Python API: `Migrator` plans, locks and runs; it returns plain data and prints nothing."""
import json
from contextlib import contextmanager
from dataclasses import replace
from operator import attrgetter

from . import history as hist
from . import repeatable, selection
from .config import Settings
from .database import Borrowed, application_database, shown_url
from .errors import Cancelled, ConnectionFailed, HistoryMismatch, MigratorError, SpecError
from .versions import Version


class Migrator:
    keeps_cache = True  # migrate keeps spec checksums for status (cache.py); not on a scratch copy

    def __init__(self, database_url=None, *, specs_dir=None, table=None, lock_timeout=None, schema=None,
                 strict=None, settings=None, on_warning=None, lock_wait=None, retries=None, max_rows=None,
                 batch_size=None, batch_pause=None, specs=None):
        """`database_url`: a URL, or the application's own peewee Database, borrowed (see migrator/database.py).
        `strict`: drift (a change made outside migrator) stops a writing command instead of being a warning,
        which goes to `on_warning(message)` (Python's warnings without it). `specs`: the spec files as a Fleet
        read them once for all its targets (fleet.SpecsOnce), instead of reading them here."""
        given = application_database(database_url)
        self._borrowed = None if given is None else Borrowed(given)
        if given is not None:
            database_url = shown_url(given)
            settings = settings and replace(settings, database_url=database_url)
        flags = {"database_url": database_url, "specs_dir": specs_dir, "table": table,
                 "lock_timeout": lock_timeout, "schema": schema, "strict": strict, "lock_wait": lock_wait,
                 "retries": retries, "max_rows": max_rows, "batch_size": batch_size, "batch_pause": batch_pause}
        self.settings = settings or Settings.load(flags)
        self.on_warning = on_warning or _warn
        self._db = None
        self._dialect = None
        self._history = None
        self._cache = None
        self._shared = specs

    # -- connection -------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._db is not None:
            if self._borrowed:
                self._borrowed.give_back()
            else:
                self._db.close()
            self._db = None

    @property
    def db(self):
        if self._db is None:
            self._db = self._borrowed.take(self.settings) if self._borrowed else _connect(self.settings)
        return self._db

    @property
    def application_db(self):
        """The application's own Database this Migrator runs on, or None when it connects by URL."""
        return self._borrowed.db if self._borrowed else None

    @property
    def dialect(self):
        from .dialects import dialect_for

        if self._dialect is None or self._dialect.db is not self.db:
            self._dialect = dialect_for(self.db)
        return self._dialect

    @property
    def history(self):
        if self._history is None or self._history.db is not self.db:
            self._history = hist.History(self.db, self.settings.table)
        return self._history

    # -- commands ---------------------------------------------------------------------
    def migrate(self, target=None, *, out_of_order=False, backups=True, accept_loss=False, on_version=None,
                on_repeatable=None, repeatables=True, on_retry=None, on_fill=None):
        """Apply every pending version up to and including `target`, then (when `target` is the newest version or
        None) every repeatable spec never applied or changed since; return what was applied: a list of the
        versions' results, with the repeatables' under `.repeatables` (`on_repeatable(result)` hears of each; `repeatables`
        False: versions only).

        `accept_loss`: let a type change store values differently (rounded, cut short); refused otherwise.
        `on_retry(version, retry, retries, wait, message)` hears of each time a version is run again because another
        session held a lock it needed. `on_fill(progress)` hears of each committed batch of a fill (a
        backfill.FillProgress)."""
        from .runner import Runner

        specs = self._specs(build=False)
        target = selection.known_target(target, specs)
        repeatables = self._repeatables() if repeatables and _reaches_newest(target, specs) else []  # validated now
        if _missing_database(self.settings):  # every version is pending: a bad one must not leave a new file
            _check_files(self._specs(), self.settings)
        with self._locked(), self._waiting_for_locks():
            history = self.history
            runner = Runner(self.db, self.dialect, history, backups=backups, accept_loss=accept_loss,
                            settings=self.settings)
            runner.on_retry = on_retry
            runner.ctx.on_fill = on_fill
            resumed = []

            def prepare():
                self._check_drift(live=runner.ctx.schema)
                killed = self._resumable(specs)
                if killed:
                    history.ensure()
                    try:
                        resumed.extend(_each(list(killed.values()), lambda row: runner.resume(row, row.spec),
                                             on_version, "applied"))
                    finally:
                        runner.record_schema()
                pending = self._pending(specs, target, out_of_order, runner.ctx.schema, accept_loss)
                self._refuse_large_copies(pending, runner.ctx.schema)
                return pending

            pending = self._reading(runner, specs, prepare)
            store = self._repeatable_store()
            runs = selection.repeatables_to_run(repeatables, store.rows())
            history.ensure(upgrade=bool(pending))
            with self.dialect.batch():
                try:
                    results = resumed + _each(pending, runner.apply_version, on_version, "applied")
                finally:
                    runner.record_schema()
            done = RunResults(results, self._apply_repeatables(runner, store, runs, results, on_repeatable))
            self._remember(specs)
            return done

    @contextmanager
    def _waiting_for_locks(self):
        """For the time of a run, every statement on this connection waits for a lock no longer than the lock wait
        (migrator's own reads of a table another session holds locked included); the session's own value after."""
        self.dialect.wait_for_locks(self.settings.lock_wait, run=True)
        try:
            yield
        except BaseException:
            try:
                self.dialect.wait_for_locks(None, run=True)
            except Exception:  # the connection failed with the run: the error that matters is the run's
                pass
            raise
        self.dialect.wait_for_locks(None, run=True)

    def _reading(self, runner, units, prepare):
        """`prepare()`, what a run reads (and a killed run it finishes) before the versions, tried again as a version
        is when a lock could not be had within the lock wait; `units`: the specs (or stored inverses) it is for."""
        import peewee

        from .errors import OperationFailed
        from .safety import table_of

        def attempt(tried):
            try:
                return prepare()
            except peewee.PeeweeException as error:
                if not self.dialect.lock_not_had(error):
                    raise
                runner.ctx.schema.forget()
                operations = [op for unit in units for op in (getattr(unit, "operations", unit) or ())]
                tables = sorted({table_of(op) for op in operations} - {None})
                raise OperationFailed(f"reading the schema before the run: {self.dialect.error_text(error)}",
                                      lock_not_had=tables) from None

        return runner.retrying("the run", attempt, "nothing was changed")

    def _apply_repeatables(self, runner, store, runs, results, on_repeatable=None):
        """After the versions: each repeatable never applied or changed since, in name order. Returns their
        results; a failure names the versions applied before it."""
        if not runs:
            return []
        drift_before = self.drift()
        store.ensure()
        engine, rows, done = repeatable.Repeatables(runner, store), store.rows(), []
        try:
            for file in runs:
                done.append(engine.apply(file, rows.get(file.name)))
                if on_repeatable:
                    on_repeatable(done[-1])
        except MigratorError as error:
            error.details.update(applied=[r.to_json() for r in results], repeatables=done)
            raise
        finally:
            if done and drift_before is None:
                self._record_live_schema()
        return done

    def _record_live_schema(self):
        """What the repeatables made (or took down) is part of the schema after the newest version: record it
        there, as it was recorded before them (called only when there was no drift before them)."""
        from .introspect import LiveSchema

        if any(r.state != hist.APPLIED for r in self.history.rows()):
            return  # a version left part-way: its schema is for `repair` to record
        newest = self.history.newest_applied()
        if newest is None:
            return
        live = LiveSchema(self.db, self.dialect, exclude=(self.settings.table,))
        text = live.canonical_json(hist.legacy_schema(newest))
        self.history.update(newest, schema=text)
        self.history.keep_schema(newest, text)

    def _take_down_repeatables(self, runner, store, downs, drift_before, files, taken, on_repeatable=None):
        """Before a rollback undoes versions: the stored down of every applied repeatable that has one, newest name
        first (a view may use a column the rollback drops); each is then not applied, and the next migrate applies
        it again (or, its file gone, it is forgotten). Each is added to `taken` as it is taken down."""
        engine, rows, done = repeatable.Repeatables(runner, store), store.rows(), len(taken)
        try:
            for name in downs:
                bare = name[len("r__"):]
                engine.take_down(bare, rows[bare])
                file = files.get(bare)
                taken.append({"name": name, "state": "taken_down", "file": file,
                              "next_migrate": "applies it again" if file else
                              "nothing: its file is gone, so it is forgotten (its stored down removed its objects)"})
                if on_repeatable:
                    on_repeatable(taken[-1])
        except MigratorError as error:
            error.details.update(rolled_back=[])
            error.message += "; no version was rolled back"
            raise
        finally:
            if len(taken) > done and drift_before is None:
                self._record_live_schema()

    def _put_back_repeatables(self, runner, store, applied, taken, error, undone_with_unit):
        """A rollback failed after taking repeatables down: they are put back as they were (`undone_with_unit`:
        the transaction that took them down was rolled back, which did it), else applied again from their stored
        sql, in name order. The error then says what became of each (`repeatables` in its details)."""
        said = []
        if undone_with_unit:
            for entry in taken:
                entry.update(state="put_back", how="the transaction that took it down was rolled back with the "
                                                   "failed undo")
            names = ", ".join(e["name"] for e in taken)
            said.append(f"{names}, taken down first in the same transaction, "
                        f"{'is' if len(taken) == 1 else 'are'} back as before")
        else:
            engine = repeatable.Repeatables(runner, store)
            for entry in sorted(taken, key=lambda e: e["name"]):
                bare = entry["name"][len("r__"):]
                try:
                    engine.apply(repeatable.stored_file(bare, applied[bare]), None)
                except MigratorError as failed:
                    then = ("the next migrate applies it again" if entry["file"] else
                            f"its file is gone: restore {entry['name']}.json and run migrate to apply it again")
                    entry.update(state="taken_down", put_back_error=failed.message)
                    said.append(f"putting {entry['name']} back failed ({failed.message}): it stays taken down "
                                f"(not applied, its objects removed by its stored down); {then}")
                    continue
                entry.update(state="put_back", how="applied again from its stored sql")
                said.append(f"{entry['name']}, taken down first, was applied again from its stored sql: it is "
                            "applied as before")
        for entry in taken:
            if entry["state"] == "put_back":
                entry.pop("next_migrate", None)
        error.details["repeatables"] = taken
        error.message += "; " + "; ".join(said)

    def _planned_repeatables(self, files):
        """The repeatables a migrate would run after the versions, with the stored down it runs first (of an
        edited one) and the file's operations; not run, as their sql depends on what the versions make."""
        rows = self._repeatable_store().rows()
        return [{"name": f.label, "state": "changed" if f.name in rows else "pending",
                 "down_first": [s.to_dict() for s in _repeatable_downs({f.name: rows[f.name]}).get(f.label, [])]
                 if f.name in rows else [],
                 "operations": [op.to_dict() for op in f.operations]}
                for f in selection.repeatables_to_run(files, rows)]

    def _repeatable_states(self):
        """Each repeatable spec, from the files and the store, with its state (`status`)."""
        return repeatable.states(self._repeatables(build=False), self._repeatable_store().rows())

    def _repeatables(self, build=True):
        """The repeatable specs, validated (`build`): also that each sql operation has statements for this
        backend, before anything runs."""
        from .dialects import dialect_class
        from .spec import check_where_run

        files = self._shared.repeatables(build) if self._shared else repeatable.load_all(self.settings.specs_dir, build)
        dialect = dialect_class(self.settings.database_url) if build else None
        if dialect is not None:  # a scheme no backend has: connecting says so
            check_where_run(files, dialect)
        return files

    def _repeatable_store(self):
        return repeatable.Store(self.db, self.settings.table)

    def plan(self, target=None, *, out_of_order=False, accept_loss=False):
        """For each pending version, each operation's SQL on this database and its inverse; changes nothing."""
        from .introspect import LiveSchema
        from .runner import Runner

        if _missing_database(self.settings):
            return self._on_empty_database(Migrator.plan, target, out_of_order=out_of_order, accept_loss=accept_loss)
        specs = self._specs(build=False)
        target = selection.known_target(target, specs)
        repeatables = self._repeatables() if _reaches_newest(target, specs) else []
        with self._locked():
            live = LiveSchema(self.db, self.dialect, exclude=(self.settings.table,))
            pending = self._pending(specs, target, out_of_order, live=live, accept_loss=accept_loss)
            execute = self.dialect.transactional_ddl
            runner = Runner(self.db, self.dialect, self.history, accept_loss=accept_loss, settings=self.settings)
            ratings = self._ratings(pending, live=live.tables())  # before the plan runs: the tables the preflight read
            versions = runner.plan(pending, execute)
            for version in versions:
                for step in version["operations"]:
                    rated = ratings[version["version"], step["index"]]
                    step.update({k: rated[k] for k in ("rating", "rows", "alternative", "blocks_writes")})
            how = ("the versions ran in a transaction that was rolled back" if execute else
                   f"generated only: {self.dialect.label} cannot roll back DDL, so nothing ran; each statement is "
                   "generated from the schema as the operations before it leave it" + self.dialect.planned_as_written)
            return {"database": self.settings.masked_url, "method": how, "versions": versions,
                    "repeatables": self._planned_repeatables(repeatables), "no_database_yet": False}

    def lint(self, target=None):
        """Each operation the next migrate up to `target` runs, rated for this database and server
        (migrator/safety.py): first what is left of a version a killed run left part-way (migrate finishes it
        first), then the pending versions'. {"database", "max_rows", "operations": [{version, index, action, table,
        rating, rows, alternative, unsafe_ok, blocks_writes, refused, accepted, resumes}], "refused": how many,
        "refused_blocking_writes": how many of those block writes (the others rebuild the table while writes go
        on), "resumes": the versions migrate finishes, "unfinished": [{version, state, message}] of those it
        refuses to go on from until `repair`, "in_progress": who runs a migration now, or None}. An operation that
        blocks writes for longer than a moment on a table above the settings' max_rows is refused, unless it gives
        unsafe_ok (then accepted). Reads only, and takes no lock."""
        from .introspect import LiveSchema
        from .spec import check_where_run, refuse_empty

        if _missing_database(self.settings):
            return self._on_empty_database(Migrator.lint, target)
        specs = self._specs()
        target = selection.known_target(target, specs)
        holder = self._lock_holder()
        with self.dialect.reading_beside(holder):
            rows = self.history.rows()
            selection.refuse_changed(_applied(rows), specs)  # as migrate refuses it (one left part-way: below)
            pending = selection.pending(specs, rows, target)
            refuse_empty(pending)
            check_where_run(pending, self.dialect)
            killed, unfinished = self._left_part_way(specs) if holder is None else ({}, [])
            live = LiveSchema(self.db, self.dialect, exclude=(self.settings.table,))  # read once, for both
            if not (holder or killed or unfinished):  # what migrate would refuse is refused, as validate refuses it
                self._preflight([(s.version, s.operations) for s in pending], structural=SpecError, live=live)
            operations = list(self._ratings(pending, killed, live.tables()).values())
        refused = [o for o in operations if o["refused"]]
        return {"database": self.settings.masked_url, "max_rows": self.settings.max_rows, "operations": operations,
                "refused": len(refused), "refused_blocking_writes": sum(bool(o["blocks_writes"]) for o in refused),
                "resumes": list(killed), "unfinished": unfinished, "in_progress": holder, "no_database_yet": False}

    def _left_part_way(self, specs):
        """While no run is going on: ({version: row with its .spec} of the versions migrate finishes first (see
        _resumable), [{version, state, message}] of the others left part-way, which migrate refuses to go on
        from)."""
        killed = self._resumable(specs)
        others = [{"version": r.version, "state": r.state, "message": selection.unfinished_message(r, specs)}
                  for r in self.history.rows() if r.state != hist.APPLIED and r.version not in killed]
        return killed, others

    def _refuse_large_copies(self, pending, schema):
        """Where the server would copy a table that it cannot change online (MariaDB/MySQL), refuse before anything
        runs an operation lint rates a copy of a table above max_rows without unsafe_ok, rather than when it is
        reached, after the operations before it (a fill, say) have done their work. (The server's own refusal of
        the online algorithms, as each statement runs, stays the last word: see MysqlDialect.accept_copy.)"""
        from .errors import PreflightFailed
        from .safety import COPY, table_of

        if not self.dialect.refuses_large_copies or not pending:
            return
        names = {table_of(op) for s in pending for op in s.operations}
        live = {name: schema.table(name) for name in names - {None}}  # read already, by the preflight
        for entry in self._ratings(pending, live=live).values():
            if entry["rating"] == COPY and entry["refused"]:
                raise PreflightFailed(
                    f"{entry['version']}, operation {entry['index']} ({entry['action']}): {self.dialect.label} would "
                    f"copy {entry['table']} to make this change, blocking writes to it, and {entry['table']} has "
                    f"about {entry['rows']:,} rows (--max-rows {self.settings.max_rows:,}). To accept the copy, add "
                    "\"unsafe_ok\": \"<why>\" to the operation, or run it at a quiet time with a higher --max-rows"
                    f"{'; or instead, ' + entry['alternative'] if entry['alternative'] else ''}. Nothing was changed",
                    version=entry["version"], index=entry["index"], action=entry["action"], table=entry["table"],
                    rows=entry["rows"])

    def _ratings(self, pending, killed=None, live=None):
        """{(version, index): rating entry} of the operations left of the `killed` versions ({version: row with
        its .spec}, see _resumable), then of the pending specs', on the `live` tables (read here without)."""
        from .introspect import read_schema
        from .safety import rate_versions

        killed = killed or {}
        live = read_schema(self.db, self.dialect, exclude=(self.settings.table,)) if live is None else \
            {name: table for name, table in live.items() if table is not None}
        resumed = {version: hist.detail_of(row).get("done", 0) for version, row in killed.items()}
        specs = [row.spec for row in killed.values()] + list(pending)
        rated = rate_versions(self.dialect, specs, live, self.settings.max_rows, resumed)
        return {(r["version"], r["index"]): r for r in rated}

    def validate(self):
        """Check every spec file, and, when the database can be reached, the history and the pending plan.

        Returns a report; raises SpecError (invalid spec), HistoryMismatch (files, history or live schema
        disagree) or PreflightFailed (a pending operation does not fit the live database).
        """
        from .spec import check_where_run, refuse_empty

        specs = self._specs()
        repeatables = self._repeatables()
        missing = _missing_database(self.settings)
        try:
            unreachable = missing
            if not unreachable:
                self._refuse_run_in_progress()  # first: on SQLite a run writing the file stops every reader
                rows = self.history.rows()
        except ConnectionFailed as error:
            unreachable = error.message
        if unreachable:
            _check_files(specs, self.settings)
            return {"database": None, "reason": unreachable, "versions": len(specs), "no_database_yet": bool(missing),
                    **_counted_repeatables(repeatables)}
        selection.refuse_unfinished(rows, specs)
        selection.refuse_changed(rows, specs)
        selection.refuse_missing(rows, specs)
        drift = self.drift(rows)
        if drift:
            raise HistoryMismatch(f"the live schema no longer matches {drift['version']}: "
                                  + "; ".join(drift["differences"]), drift=drift)
        pending = selection.pending(specs, rows)
        refuse_empty(pending)
        check_where_run(pending, self.dialect)
        selection.refuse_out_of_order(pending, max(selection.applied_versions(rows), default=None), False)
        stopped, _ = self._preflight([(s.version, s.operations) for s in pending], structural=SpecError)
        report = {"database": self.settings.masked_url, "versions": len(specs), "no_database_yet": False,
                  **_counted_repeatables(repeatables)}
        if stopped:  # the operations after an sql operation are checked as they run
            report["checked_when_run"] = {"version": str(stopped[0]), "index": stopped[1]}
        return report

    def drift(self, rows=None, live=None):
        """How the live schema differs from the one recorded after the current version, or None."""
        rows = self.history.rows() if rows is None else rows
        applied = [r for r in _applied(rows) if r.fingerprint]
        if not applied:
            return None
        newest = applied[-1]  # the schema after the last change applied, whatever its version number
        if live is None and not hist.legacy_schema(newest) and self._known_fingerprint() == newest.fingerprint:
            return None  # the catalog is as it was when its schema had this fingerprint (see cache.py)
        from .introspect import LiveSchema, differences, fingerprint

        live = live or LiveSchema(self.db, self.dialect, exclude=(self.settings.table,))
        text = live.canonical_json(hist.legacy_schema(newest))
        if fingerprint(text) == newest.fingerprint:
            return None
        expected = self.history.schema_after(newest)
        found = differences(expected, json.loads(text)) if expected else [
            f"the schema differs from the one recorded after {newest.version} (only its fingerprint was kept, "
            "so the differences cannot be named)"]
        return {"version": newest.version, "differences": found}

    def schema(self):
        """The live schema as migrator sees it (the history and backup tables left out), columns in the table's
        order."""
        from .introspect import read_schema

        if _missing_database(self.settings):
            return self._on_empty_database(Migrator.schema)
        with self.dialect.reading_beside(self._lock_holder()):
            tables = read_schema(self.db, self.dialect, exclude=(self.settings.table,))
        return {"database": self.settings.masked_url,
                "tables": {name: table.to_json() for name, table in sorted(tables.items())}, "no_database_yet": False}

    def baseline(self, version, *, force=False):
        """Record every version up to `version` as applied without running it, and with no inverses.

        The specs up to `version` are first replayed on an empty scratch database: when the live schema is not
        what they build (tables no spec makes included), it is refused, naming each difference, unless `force`.
        Returns {"versions": [recorded], "differences": [what --force recorded anyway]}."""
        from .introspect import LiveSchema
        from .replay import unlike_live

        specs = self._specs()
        target = selection.known_target(version, specs)
        self._refuse_no_database("adopt: baseline adopts a database that exists")
        with self._locked():
            history = self.history
            if history.rows():
                raise HistoryMismatch("the history is not empty: baseline adopts a database that has none")
            adopted = [s for s in specs if s.version <= target]
            schema = LiveSchema(self.db, self.dialect, exclude=(history.table,)).canonical_json()
            found = unlike_live(self, adopted, json.loads(schema))
            if found and not force:
                raise HistoryMismatch(f"the live schema is not what the specs up to {target} build: "
                                      + "; ".join(found) + ". Nothing was recorded; make them agree, or give --force "
                                      "to record the versions as applied anyway", differences=found)
            history.ensure()
            with self.db.atomic():
                rows = [history.insert(spec.version, spec.description, spec.checksum, inverse=None,
                                       detail={"baseline": True}, schema=schema if spec is adopted[-1] else None)
                        for spec in adopted]
                history.keep_schema(rows[-1], schema)
            return {"versions": [str(s.version) for s in adopted], "differences": found}

    def new(self, version=None, description=""):
        """Write the next spec file (the specs folder made first, for a project's first one); return its path.

        Its `$schema` names the schema's copy beside it (written when missing), so that it resolves wherever
        the project is."""
        from pathlib import Path

        from .spec import SCHEMA_COPY, find_specs

        Path(self.settings.specs_dir).mkdir(parents=True, exist_ok=True)
        existing = find_specs(self.settings.specs_dir)
        newest = max(existing, default=None)
        version = Version(version) if version else newest.next_minor() if newest else Version("v1.0.0")
        if version in existing:
            raise SpecError(f"{version} already exists", file=existing[version])
        if not (Path(self.settings.specs_dir) / SCHEMA_COPY).exists():
            self.schema_file()
        path = Path(self.settings.specs_dir) / f"{version}.json"
        body = {"$schema": SCHEMA_COPY, "description": description, "operations": []}
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        return path

    def generate(self, models=None, *, description="", version=None, against_live=False, from_empty=False,
                 renames=None, table_renames=None, no_renames=False, allow_destructive=False, allow_sql=False,
                 ask=None, mode="write"):
        """The next spec file, from the application's Peewee models (`models`: module paths, `module` or
        `module:NAME`; the settings' MIGRATOR_MODELS without them): the operations that take the schema the specs
        build (or the live one, `against_live`; nothing, `from_empty`) to the one the models make, proven on a
        scratch database before anything is written.

        `renames` {"table.old": "new"} and `table_renames` {"old": "new"} decide renames; `ask(question) -> answer`
        asks on a terminal (None: none to ask on, and nothing is guessed). `mode`: "write", "dry_run" (proven,
        not written) or "check" (compared only). Returns {"version", "path" (None unless written), "operations",
        "destructive", "renames", "notes", "differences" (of the schemas, as sentences), "problems" (check mode:
        why no operations could be made), "proof" ({"exact", "differences", "rollback_differences",
        "reversible"}), "models", "skipped_models", "text" (the file's text)}."""
        from .generate import MODES, Decisions, generate

        if mode not in MODES:
            raise SpecError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        models = (models,) if isinstance(models, str) or not isinstance(models, (list, tuple, set)) and models else models
        if _missing_database(self.settings):  # nothing to read, and a file must not be made by reading it
            return self._on_empty_database(
                Migrator.generate, models, description=description, version=version, against_live=against_live,
                from_empty=from_empty, renames=renames, table_renames=table_renames, no_renames=no_renames,
                allow_destructive=allow_destructive, allow_sql=allow_sql, ask=ask, mode=mode)
        decisions = Decisions(renames=_column_renames(renames or {}), table_renames=dict(table_renames or {}),
                              no_renames=no_renames, allow_destructive=allow_destructive, allow_sql=allow_sql,
                              ask=ask)
        paths = tuple(models) if models else self.settings.model_paths
        return generate(self, paths, decisions, description=description, version=version,
                        against_live=against_live, from_empty=from_empty, mode=mode)

    def schema_file(self):
        """Write the spec files' JSON Schema into the specs folder (made if missing), replacing an older copy;
        return its path."""
        from pathlib import Path

        from .spec import write_schema_copy

        Path(self.settings.specs_dir).mkdir(parents=True, exist_ok=True)
        return write_schema_copy(self.settings.specs_dir)

    def rollback(self, target=None, *, steps=None, accept_loss=False, on_version=None, confirm_loss=None,
                 repeatables=True, on_repeatable=None, on_retry=None):
        """Undo applied versions, newest first, from the inverses stored when they were applied.

        Like migrate, it refuses before anything runs to change values a restored type cannot hold as they are
        (values written since the version was applied), unless `accept_loss`. When it would drop tables or
        columns holding rows, `confirm_loss(dropped)` is asked first ([{version, table, column, rows}]); on False
        nothing is changed (Cancelled). Each result lists what its version dropped. The applied repeatable specs
        that have a down are taken down first (`repeatables` False: left as they are), `on_repeatable(entry)`
        hearing of each as it is; when the rollback then fails, they are put back (see _put_back_repeatables).
        `on_retry`: as for migrate."""
        from .spec import require_folder

        if target is not None and steps is not None:
            raise SpecError("give a VERSION or --steps, not both")
        require_folder(self.settings.specs_dir)  # a mistyped folder is a mistake here too
        self._refuse_no_database("roll back")
        everything = target == "base"
        target = Version(target) if isinstance(target, str) and not everything else target
        from .runner import Runner

        with self._locked(), self._waiting_for_locks():
            history = self.history
            rows = history.rows()
            selection.refuse_unfinished(rows)
            undo = selection.to_undo(list(reversed(rows)), None if everything else target, steps, everything)
            inverses = {row.version: hist.stored_inverse(row) for row in undo}  # each read once, here
            for row in undo:
                selection.refuse_irreversible(row, inverses[row.version])
                selection.refuse_unrunnable(row, inverses[row.version], self.dialect)
            runner = Runner(self.db, self.dialect, history, accept_loss=accept_loss, settings=self.settings)
            runner.on_retry = on_retry

            def read_drift():
                self._check_drift(rows, runner.ctx.schema)
                return None if any(r.state != hist.APPLIED for r in rows) else self.drift(rows, runner.ctx.schema)

            drift_before = self._reading(runner, inverses.values(), read_drift)
            store = self._repeatable_store()
            applied = store.rows() if undo and repeatables else {}
            downs = _repeatable_downs(applied)
            # The preflight counts the repeatables that have a down as taken down (their views and triggers gone),
            # so that a rollback they would not let through is refused before anything is taken down; the objects
            # of those without one stay, and a refusal they cause names them.
            made = {name: repeatable.objects_of(row, self.dialect) for name, row in applied.items()}
            gone = set().union(*(made[name] for name in applied if repeatable.label(name) in downs))
            runner.ctx.owners = {thing: repeatable.label(name) for name in applied
                                 if repeatable.label(name) not in downs for thing in made[name]}
            _, shape = self._reading(runner, inverses.values(), lambda: self._preflight(
                list(inverses.items()), live=runner.ctx.schema, accept_loss=accept_loss, undoing=True, without=gone,
                owners=runner.ctx.owners))
            if shape.dropped and confirm_loss and not confirm_loss(shape.dropped):
                raise Cancelled("nothing was rolled back; nothing was changed")
            if undo:
                history.ensure()
            files = repeatable.files_there(self.settings.specs_dir, [name[len("r__"):] for name in downs])
            taken = []  # what was taken down, as it is taken down
            # Where DDL is transactional, the take-down and the first version's undo are one transaction: when
            # that undo fails, the repeatables are as they were. Otherwise (or when a later version fails) the
            # repeatables taken down are applied again from their stored sql.
            unit = {"open": bool(downs) and bool(undo) and not runner.journaled(inverses[undo[0].version]),
                    "failed": False}

            def take_down():
                self._take_down_repeatables(runner, store, downs, drift_before, files, taken, on_repeatable)

            def revert(row):
                lost = tuple({k: v for k, v in d.items() if k != "version"} for d in shape.dropped
                             if d["version"] == row.version)
                return replace(runner.revert_version(row, inverses[row.version]), dropped=lost)

            def revert_first_with_take_down(row):
                if not unit["open"]:
                    return revert(row)
                try:
                    with self.dialect.migration_context(), self.db.atomic():
                        take_down()
                        return revert(row)
                except BaseException:
                    unit["failed"] = True
                    raise
                finally:
                    unit["open"] = False

            with self.dialect.batch():
                try:
                    if downs and not unit["open"]:
                        take_down()
                    return RunResults(_each(undo, revert_first_with_take_down, on_version, "rolled_back"), taken)
                except MigratorError as error:
                    if taken:
                        self._put_back_repeatables(runner, store, applied, taken, error, unit["failed"])
                    raise
                finally:
                    runner.record_schema()
                    if taken and drift_before is None:
                        self._record_live_schema()

    def status(self):
        """Every version known from the files or the history, with its state, and whether a run is in progress."""
        if _missing_database(self.settings):
            return self._on_empty_database(Migrator.status)
        specs = {s.version: s for s in self._specs(build=False)}
        holder = self._lock_holder()
        with self.dialect.reading_beside(holder):
            return self._status(specs, holder)

    def _status(self, specs, holder):
        named = {str(version): version for version in specs}  # (a version recorded is most often a file's)
        rows = {named.get(r.version) or Version(r.version): r for r in self.history.rows()}
        interrupted = any(r.state == hist.RUNNING for r in rows.values()) and holder is None
        tables = self._backup_tables(rows.values())
        versions, known = [], sorted(set(specs) | set(rows), key=attrgetter("key"))
        newest_applied = max(rows, default=None, key=attrgetter("key"))
        for version in known:
            spec, row = specs.get(version), rows.get(version)
            versions.append({
                "version": str(version),
                "state": selection.state(spec, row, newest_applied, interrupted),
                **selection.recorded(spec, row),
                "backups": self._backups(row, tables) if row else None,
                "baseline": bool(row and hist.detail_of(row).get("baseline")),
                "unsafe_ok": hist.unsafe_accepted(row) if row else None,
                "retries": row.retries if row else None,  # run again, another session holding a lock
                "code_not_found": list(spec.code_not_found) if spec else [],  # its checksum then counts them so
                "code_modules": list(spec.code_modules) if spec else [],  # their source counts in its checksum
            })
        # a version whose rollback was left part-way is still applied: repair finishes putting it back
        rolling_back = {str(v) for v, r in rows.items()
                        if r.state != hist.APPLIED and hist.detail_of(r).get("direction") == "rollback"}
        current = max((version for version, v in zip(known, versions)
                       if v["state"] in ("applied", "changed", "missing") or v["version"] in rolling_back),
                      default=None)
        # while a run is in progress (or a version is left part-way) the schema is mid-change: that is no drift
        unfinished = holder is not None or any(r.state != hist.APPLIED for r in rows.values())
        drift = None if unfinished else self.drift(list(rows.values()))
        return {"database": self.settings.masked_url, "schema": self.settings.schema, "no_database_yet": False,
                "current": current and str(current), "in_progress": holder is not None, "lock_holder": holder,
                "versions": versions, "repeatables": self._repeatable_states(), "drift": drift,
                "history_layout": {"found": self.history.layout(), "this_release": hist.LAYOUT}}

    def repair(self, *, accept=False):
        """Resolve versions left failed by an interrupted run; return the versions resolved."""
        from .runner import Runner

        self._refuse_no_database("repair")
        with self._locked():
            history = self.history
            rows = history.rows()
            broken = [r for r in rows if r.state != hist.APPLIED]
            self._check_drift(rows)
            runner = Runner(self.db, self.dialect, history, settings=self.settings)
            if broken:
                history.ensure()
            for row in broken:
                runner.repair_failed(row, accept=accept)
            if broken:
                runner.record_schema()
            return [r.version for r in broken]

    def verify(self, target=None):
        """On a scratch copy, apply each pending version up to `target`, roll it back, compare, apply again."""
        from .spec import check_where_run, refuse_empty
        from .verify import verify

        if _missing_database(self.settings):
            return {**self._on_empty_database(Migrator.verify, target), "copy": "an empty database"}
        self._refuse_run_in_progress()  # a copy taken now would be part-way through a version
        specs, rows = self._specs(), self.history.rows()
        selection.refuse_changed(_applied(rows), specs)  # as migrate refuses it
        target = selection.known_target(target, specs)
        selection.refuse_below_current(target, rows)  # as migrate and plan refuse it
        pending = selection.pending(specs, rows, target)
        refuse_empty(pending)  # as migrate refuses them
        check_where_run(pending, self.dialect)
        # a version that cannot be applied is refused as validate refuses it, not reported as not reversible (a
        # change of values is allowed, as on the copy: whether its backup brings them back is the question)
        self._preflight([(s.version, s.operations) for s in pending], structural=SpecError, accept_loss=True)
        files = self._repeatables() if _reaches_newest(target, specs) else []
        return {**verify(self, pending, repeatables=(self._repeatable_store().rows(), files)), "no_database_yet": False}

    def _take_down_repeatables_as(self, applied):
        """On verify's scratch copy: the repeatables applied on the real database (`applied`, its records) taken
        down, as a rollback does first."""
        from .runner import Runner

        engine = repeatable.Repeatables(Runner(self.db, self.dialect, self.history, settings=self.settings),
                                        self._repeatable_store())
        for name, row in sorted(applied.items(), reverse=True):
            engine.take_down(name, row)

    def prune(self, target=None):
        """Drop the backups kept for applied versions up to `target` (all of them without it).

        Their rollback then restores the schema only. Returns {version: [backup tables dropped]}.
        """
        from .operations import DataNotKept, stored_form, undoing
        from .spec import require_folder

        target = None if target is None else Version(target)
        require_folder(self.settings.specs_dir)
        self._refuse_no_database("prune")
        with self._locked():
            self._check_drift()
            history, dropped = self.history, {}
            for row in history.rows():
                if row.state != hist.APPLIED or row.inverse is None or target and Version(row.version) > target:
                    continue
                steps = hist.stored_inverse(row)
                kept = [s for s in steps if s.action == "restore_data"]
                if not kept:
                    continue
                history.ensure()
                self.dialect.drop_backups(s.backup for s in kept)
                history.update(row, inverse=[stored_form(undoing(DataNotKept(s.table, s.columns), s.undoes)
                                                             if s in kept else s) for s in steps])
                dropped[row.version] = [s.backup for s in kept]
            return dropped

    def backups(self, target=None):
        """The backups `prune(target)` would drop: {version: {"tables": n, "rows": m}}; reads only."""
        target = None if target is None else Version(target)
        self._refuse_no_database("prune")
        applied = _applied(self.history.rows())
        if target is not None:
            selection.refuse_unapplied(target, applied)
        rows = [r for r in applied if not (target and Version(r.version) > target)]
        tables = self._backup_tables(rows)
        held = {row.version: self._backups(row, tables) for row in rows}
        return {version: kept for version, kept in held.items() if kept}

    def _backup_tables(self, rows):
        """The tables of the database, where one of `rows` (history rows) may hold backups (else none are read)."""
        return self.dialect.table_names() if any("restore_data" in (r.inverse or "") for r in rows) else ()

    def _backups(self, row, tables):
        """{"tables": n, "rows": m} for the backups an applied version holds (of `tables`), or None."""
        if "restore_data" not in (row.inverse or ""):
            return None
        names = [step["backup"] for step in hist.inverse_of(row) if step.get("action") == "restore_data"]
        present = [n for n in names if n in tables]
        if not present:
            return None
        q = self.dialect.quote
        rows = sum(self.db.execute_sql(f"SELECT COUNT(*) FROM {q(n)}").fetchone()[0] for n in present)
        return {"tables": len(present), "rows": rows}

    def changed_versions(self):
        """Applied versions whose file's checksum differs: (version, recorded, file)."""
        changed = selection.changed(self.history.rows(), self._specs())
        return [(row.version, row.checksum, spec.checksum) for row, spec in changed]

    def edits(self):
        """For each applied version whose file changed since it ran: {version: how the file now differs from what
        ran}, its undo as stored then and as the file now gives it (a unified diff), and whether it builds the
        schema recorded after it ('same', 'different' naming the differences, or 'unknown' saying why), found by
        replaying the applied versions' files on an empty scratch database."""
        from .replay import compare_edits

        rows = _applied(self.history.rows())
        specs = self._specs()
        edited = {row.version for row, _ in selection.changed(rows, specs)}
        if not edited:
            return {}
        return compare_edits(self, rows, {s.version: s for s in specs}, edited)

    def accept_checksums(self):
        with self._locked():
            history = self.history
            changed = selection.changed(history.rows(), self._specs())
            if changed:
                history.ensure()
            for row, spec in changed:
                history.update(row, checksum=spec.checksum)

    # -- helpers ----------------------------------------------------------------------
    def _preflight(self, versions, structural=None, live=None, accept_loss=False, undoing=False, without=(),
                   owners=None):
        """Check (version, operations) pairs against the live schema and data before anything runs; return where
        the checks stopped (see check_plan) and the schema as the plan leaves it.

        `structural`, when given, is the error for a plan that does not fit the schema itself
        (a missing table, say), as opposed to data that does not fit (NULLs, duplicates).
        """
        from .introspect import LiveSchema
        from .preflight import Probe, Shape, check_plan

        live = live or LiveSchema(self.db, self.dialect, exclude=(self.settings.table,))
        shape = Shape.from_live(live.tables(), Probe(self.db, self.dialect), self.dialect.views(), self.dialect)
        shape.accept_loss, shape.undoing = accept_loss, undoing
        shape.without(without)  # a rollback's: the repeatables' objects it takes down first
        shape.owners = owners or {}
        return check_plan(shape, versions, structural=structural), shape

    def _check_drift(self, rows=None, live=None):
        """Before a command writes: drift stops it with --strict, and is a warning otherwise. (A version left
        part-way changed the schema too: that is what `repair` resolves, and other commands refuse to run then.)"""
        rows = self.history.rows() if rows is None else rows
        drift = None if any(r.state != hist.APPLIED for r in rows) else self.drift(rows, live)
        if drift is None:
            return
        message = (f"the live schema no longer matches {drift['version']} (changed outside migrator, or left by a failed run): "
                   + "; ".join(drift["differences"]))
        if self.settings.strict:
            raise HistoryMismatch(f"{message}. Nothing was changed (strict: drift stops a command that writes)",
                                  drift=drift)
        self.on_warning(message)

    def _pending(self, specs, target, out_of_order, live=None, accept_loss=False):
        """Under the lock, before any write: the versions to apply up to `target`, validated and preflighted."""
        from .spec import check_where_run, refuse_empty

        rows = self.history.rows()
        selection.refuse_unfinished(rows, specs)
        selection.refuse_changed(rows, specs)
        missing = selection.refuse_foreign_folder(rows, specs)
        if missing:  # validate refuses it; a run goes on, as it needs no file of an applied version
            self.on_warning(selection.missing_message(missing))
        selection.refuse_below_current(target, rows)
        applied = selection.applied_versions(rows)
        pending = selection.pending(self._validated(specs, applied), rows, target)
        refuse_empty(pending)
        check_where_run(pending, self.dialect)
        selection.refuse_out_of_order(pending, max(applied, default=None), out_of_order)
        self._preflight([(s.version, s.operations) for s in pending], live=live, accept_loss=accept_loss)
        return pending

    def _resumable(self, specs):
        """{version: its row, with its .spec} of the versions a killed run left part-way with an exact journal (see
        Runner.resume), whose spec file is as it was; the lock is held, so no run is still going on. Others are
        left to repair."""
        from .spec import built

        files = {str(s.version): s for s in specs}
        found = {}
        for row in self.history.rows():
            detail = hist.detail_of(row)
            spec = files.get(row.version)
            if row.state == hist.RUNNING and detail.get("resumable") and detail.get("direction") == "migrate" \
                    and spec is not None and spec.checksum == row.checksum:
                row.spec = built(spec, self.settings.table)
                found[row.version] = row
        return found

    def _validated(self, specs, applied):
        """The specs, every version not applied yet read in full and validated (applied ones need checksums only)."""
        from .spec import built

        return [s if s.version in applied else built(s, self.settings.table) for s in specs]

    def _specs(self, build=True):
        from .spec import load_all

        if self._shared:
            return self._shared.specs(build)
        return load_all(self.settings.specs_dir, self.settings.table, build, None if build else self._cached())

    def _cached(self):
        from .cache import Cache

        if self._cache is None:
            self._cache = self._shared.cache if self._shared else Cache(self.settings.specs_dir)
        return self._cache

    def _catalog(self):
        """(this database's key in the cache, its catalog's digest), or (None, None) where it has none."""
        digest = self.dialect.catalog_digest()
        return (f"{self.dialect.database_key()}|{self.settings.table}", digest) if digest else (None, None)

    def _known_fingerprint(self):
        key, digest = self._catalog()
        return key and self._cached().fingerprint(key, digest)

    def _remember(self, specs):
        """After a run: the checksums of the spec files read, and the fingerprint of the schema as read now."""
        import peewee

        from .introspect import LiveSchema, fingerprint

        if not self.keeps_cache:
            return
        try:
            key, digest = self._catalog()
            text = digest and LiveSchema(self.db, self.dialect, exclude=(self.settings.table,)).canonical_json()
            self._cached().save(specs, key, digest, text and fingerprint(text))
        except peewee.PeeweeException:
            pass  # the run is done; only the time the cache saves is lost

    def _locked(self):
        from .locks import hold

        return hold(self.dialect, self.settings)

    def _refuse_no_database(self, doing):
        """A writing command with nothing to work on must not create an SQLite file (a mistyped path, likely)."""
        missing = _missing_database(self.settings)
        if missing:
            raise SpecError(f"{missing}: nothing to {doing} (is the database URL right?); nothing was created")

    def _refuse_run_in_progress(self):
        """While another process holds the lock, a run is changing the schema and the history: what validate would
        find is half of it."""
        from .errors import LockTimeout

        holder = self._lock_holder()
        if holder:
            raise LockTimeout(f"a run is in progress (the migration lock is held by {holder}): the database is "
                              "part-way through a version now; look again when the run has finished")

    def _lock_holder(self):
        """Who holds the migration lock now (another run), or None; does not wait, and takes nothing it keeps."""
        from .locks import holder_now

        return holder_now(self.dialect, self.settings)

    def _on_empty_database(self, command, *args, **kwargs):
        """A read-only command on an SQLite file that does not exist yet, answered on an empty in-memory database,
        which is what a new file would be: nothing is created, neither the file nor its lock file (no lock is
        needed: nothing else can hold a database that does not exist)."""
        from .dialects import dialect_class

        url = self.settings.database_url
        with Migrator(settings=replace(self.settings, database_url=dialect_class(url).empty_stand_in(url))) as empty:
            report = command(empty, *args, **kwargs)
        return {**report, "database": self.settings.masked_url, "no_database_yet": True}


class RunResults(list):
    """What a migrate or rollback did: the versions' results, and `repeatables`, what it did to repeatable specs."""

    def __init__(self, results, repeatables=()):
        super().__init__(results)
        self.repeatables = list(repeatables)


def _applied(rows):
    return [row for row in rows if row.state == hist.APPLIED]


def _counted_repeatables(files):
    """`validate`'s report counts the repeatable specs, where there are any."""
    return {"repeatables": len(files)} if files else {}


def _repeatable_downs(rows):
    """{label: stored down steps} of the applied repeatables that have a down, in the order a rollback runs them
    (reverse names). One without any (its sql has no `down`) stays applied, its objects in place."""
    downs = {repeatable.label(name): [s for s in repeatable.stored_down(row) if s.action != "irreversible"]
             for name, row in sorted(rows.items(), reverse=True)}
    return {name: steps for name, steps in downs.items() if steps}


def _reaches_newest(target, specs):
    """Repeatable specs are written for the newest schema: they run when a migrate goes that far."""
    return target is None or not specs or target >= max(s.version for s in specs)


def _column_renames(renames):
    """{"table.old": "new"} as {(table, old): new}."""
    decided = {}
    for old, new in renames.items():
        table, dot, column = old.partition(".")
        if not (dot and table and column and new):
            raise SpecError(f"--rename {old}={new}: give it as TABLE.OLD=NEW (users.name=full_name)")
        decided[table, column] = new
    return decided


def _each(items, run, on_version, done_key):
    """Run each item; `on_version(name, done, total, result)` hears of each start (result None) and end. When one
    fails, its error tells what was done before it (`done_key`: the versions' results)."""
    results = []
    for item in items:
        name = str(getattr(item, "version", ""))
        if on_version:
            on_version(name, len(results), len(items), None)
        try:
            results.append(run(item))
        except MigratorError as error:
            error.details[done_key] = [r.to_json() for r in results]
            raise
        if on_version:
            on_version(name, len(results), len(items), results[-1])
    return results


def _connect(settings):
    from .config import check_url, error_line
    from .dialects import connect, dialect_for

    check_url(settings.database_url)
    try:
        db = connect(settings.database_url)
        db.connect()
    except MigratorError:  # refused before connecting, in the backend's own words
        raise
    except Exception as error:
        raise ConnectionFailed(f"cannot connect to {settings.masked_url}: "
                               f"{error_line(error, settings.database_url)}") from None
    if settings.schema:
        try:
            dialect_for(db).use_schema(settings.schema)
        except MigratorError:
            raise
        except Exception as error:
            raise ConnectionFailed(f"cannot use schema {settings.schema}: "
                                   f"{error_line(error, settings.database_url)}") from None
    return db


def _missing_database(settings):
    """Why the database cannot be checked without creating it (an SQLite file not there), or None."""
    from .dialects import missing_database

    return missing_database(settings.database_url)


def _check_files(specs, settings):
    """The checks that need no database: each version has operations, can run on the URL's backend, and they fit
    in order from nothing."""
    from .dialects import dialect_class
    from .preflight import Shape, check_plan
    from .spec import check_where_run, refuse_empty

    refuse_empty(specs)
    dialect = dialect_class(settings.database_url)
    if dialect is not None:  # a scheme no backend has: connecting says so
        check_where_run(specs, dialect)
    check_plan(Shape(), [(s.version, s.operations) for s in specs], structural=SpecError)


def _warn(message):
    import warnings

    warnings.warn(message, stacklevel=3)
