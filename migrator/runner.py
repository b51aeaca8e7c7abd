"""The engine: run a version's operations (or a rollback's inverses) as one unit.

Where DDL is transactional the unit is one transaction, history row included. Where it is
not (MySQL/MariaDB), each step is journaled in the history row, and a failure is
compensated by running the inverses of the steps already done, newest first.
"""
import random
import re
import threading
import time
from contextlib import contextmanager, nullcontext as _no_transaction
from dataclasses import dataclass, replace

from . import history as hist
from .errors import MigratorError, OperationFailed, SpecError, step_of
from .context import BACKUP_PREFIX, UNDO_PREFIX, Context, Position
from .introspect import LiveSchema, read_schema
from .operations import load_stored, stored_form, undoing
from .safety import accepted_reasons

@dataclass(frozen=True)
class VersionResult:
    """What applying or rolling back one version did."""
    version: str
    description: str
    execution_ms: int
    operations: int
    notes: tuple = ()
    dropped: tuple = ()  # a rollback's {table, column, rows} dropped for good
    retries: int = 0  # times it was run again, a lock being held by another session

    def to_json(self):
        return {"version": self.version, "description": self.description, "execution_ms": self.execution_ms,
                "operations": self.operations, "notes": list(self.notes), "dropped": list(self.dropped),
                "retries": self.retries}


class Runner:
    def __init__(self, db, dialect, history, backups=True, accept_loss=False, settings=None):
        self.db = db
        self.dialect = dialect
        self.history = history
        self.ctx = Context(db, dialect, backups, LiveSchema(db, dialect, exclude=(history.table,)))
        self.ctx.accept_loss = accept_loss
        self.ctx.settings = settings or self.ctx.settings
        self.unchecked = False  # an sql or python operation ran: what follows was not checked beforehand
        self.not_run = None  # in a plan: the first application code it did not run
        self.last_schema = None  # the schema text recorded after the last version applied in this run
        self.on_retry = None  # on_retry(version, retry, retries, wait, message): a lock could not be had

    def apply_version(self, spec):
        def attempt(retries):
            journal = _MigrateJournal(self.history, spec, retries=retries)
            return self._run(str(spec.version), spec.description, list(spec.operations), journal)

        return self.retrying(str(spec.version), attempt, f"nothing of {spec.version} was applied")

    def revert_version(self, row, steps):
        """Undo an applied version by its stored inverse, `steps` (loaded from the row)."""
        def attempt(retries):
            journal = _RollbackJournal(self.history, row, retries)
            # What a rollback destroys was made by the version and goes with it. Where DDL cannot be rolled back
            # it is kept until the rollback has succeeded as a whole, so that undoing a rollback that failed
            # loses nothing.
            with self._backups(self.journaled(steps), UNDO_PREFIX):
                return self._run(row.version, row.description or "", list(steps), journal)

        self.ctx.undoing = True
        try:
            return self.retrying(row.version, attempt, f"{row.version} is still applied")
        finally:
            self.ctx.undoing = False

    def retrying(self, version, attempt, unchanged):
        """Run `attempt(retries so far)`; when a statement could not have its lock within the lock wait (the unit
        was rolled back or undone), wait a while, longer each time, and run it again, up to --retries times."""
        retries = self.ctx.settings.retries
        for tried in range(retries + 1):
            try:
                return attempt(tried)
            except OperationFailed as error:
                tables = error.details.get("lock_not_had")
                if tables is None:
                    raise
                if tried == retries:
                    raise self._lock_given_up(error, tables, tried + 1, unchanged) from None
                wait = _backoff(tried)
                if self.on_retry:
                    self.on_retry(version, tried + 1, retries, wait, error.message)
                time.sleep(wait)

    def _lock_given_up(self, error, tables, tries, unchanged):
        import peewee

        try:
            holders = self.dialect.lock_holders(tables)
            held = f"held by {'; '.join(holders)}" if holders else "no session holds it now"
        except peewee.PeeweeException as unseen:  # e.g. MariaDB's PROCESS privilege, which this user lacks
            holders, held = [], f"who holds it cannot be seen: {self.dialect.error_text(unseen)}"
        wait = self.ctx.settings.lock_wait
        names = ", ".join(tables) or "a table"
        return OperationFailed(
            f"{error.message}; {'its one try' if tries == 1 else f'each of {tries} tries'} waited {wait:g} s for "
            f"the lock on {names} ({held}), so {unchanged}:"
            " run it again when that lock is released, or give a longer --lock-wait or more --retries",
            **{**error.details, "tries": tries, "held_by": holders})

    @contextmanager
    def _backups(self, keep, prefix=BACKUP_PREFIX):
        ctx = self.ctx
        saved = ctx.backups, ctx.backup_prefix
        ctx.backups, ctx.backup_prefix = keep and ctx.backups, prefix
        try:
            yield
        finally:
            ctx.backups, ctx.backup_prefix = saved

    def repair_failed(self, row, accept=False):
        """Finish undoing an interrupted version from its journal, or (accept) record what is there."""
        detail = hist.detail_of(row)
        journal = _RollbackJournal(self.history, row) if detail.get("direction") == "rollback" else \
            _MigrateJournal(self.history, None, row)
        in_flight = load_stored(detail.get("in_flight") or [])
        if not accept:
            self.dialect.clear_leftovers(self.ctx, in_flight)
        ran = self._took_effect(in_flight) and (detail.get("outside") or not detail.get("resumable"))
        remaining = (in_flight if ran else []) + load_stored(detail.get("undo", []))
        self.unchecked = False
        with self._backups(False):
            if accept:
                journal.accept(_dicts(remaining), self.ctx.schema.canonical_json(hist.legacy_schema(row)))
            else:
                while remaining:
                    with self._step_transaction(remaining[0]):
                        self._apply_one(row.version, 0, remaining[0])
                    remaining.pop(0)
                    journal.progress(_dicts(remaining), detail.get("done", 0))
                journal.abort()
        self._drop_unused_backups(row.version)

    def _drop_unused_backups(self, version):
        """Drop the backup tables of `version` that its stored inverse does not read (all, if it is not applied)."""
        pattern = re.compile(f"({BACKUP_PREFIX}|{UNDO_PREFIX}){re.sub(r'[^0-9]', '_', version.lstrip('v'))}_\\d+")
        row = next((r for r in self.history.rows() if r.version == version and r.state == hist.APPLIED), None)
        kept = {step["backup"] for step in (hist.inverse_of(row) or []) if "backup" in step} if row else set()
        unused = [n for n in self.dialect.table_names() if pattern.fullmatch(n) and n not in kept]
        self.dialect.drop_backups(unused)

    def _unchanged(self, before):
        """Whether the tables an operation touches are, as read now, what they were before it ran (its first
        statement could not have its table's lock, say): then it did nothing to undo, and an undo would wait for
        the same lock. {name: the table as known before}; an unknown one is not told."""
        if not before or any(table is None for table in before.values()):
            return False
        live = read_schema(self.db, self.dialect, exclude=(self.history.table,))
        return all(name in live and live[name].to_json() == table.to_json() for name, table in before.items())

    def _took_effect(self, steps):
        """Whether the undo of an operation a killed run was running fits the schema, i.e. the operation ran.

        Preflight made each operation's preconditions hold before the run, so an undo whose own
        preconditions hold now (the column to drop exists, say) undoes what that operation did.
        """
        from .preflight import Problem, Shape

        if any(step.own_transaction for step in steps):
            return False  # its own transaction commits all of it or nothing: a run killed during it kept nothing
        shape = Shape.from_live(read_schema(self.db, self.dialect, exclude=(self.history.table,)))
        try:
            for step in steps:
                step.simulate(shape)
        except Problem:
            return False
        return bool(steps)

    def _run(self, version, description, operations, journal):
        import peewee

        started = time.monotonic()
        self.ctx.notes = []
        self.ctx.deferred.clear()
        self.ctx.made_backups, self.ctx.consumed_backups, self.ctx.answers = [], [], {}
        try:
            return self._run_unit(version, description, operations, journal, started)
        except peewee.PeeweeException as error:  # e.g. the server closed the connection
            self.ctx.schema.forget()
            if self.dialect.lock_not_had(error):  # a check's read, say, between the operations
                tables = sorted({t for op in operations for t in op.touches() or ()})
                raise OperationFailed(f"{version}: {self.dialect.error_text(error)}", lock_not_had=tables) from None
            cause = error.__context__.message + "; then " if isinstance(error.__context__, OperationFailed) else ""
            raise OperationFailed(f"{version}: {cause}the database connection failed ({_first_line(error)}); "
                                  f"{version} was not recorded as done: run `migrator status`") from None
        except BaseException:
            self.ctx.schema.forget()  # a failed unit may have changed tables it did not finish
            raise

    def journaled(self, operations):
        """Whether a unit is journaled operation by operation: where DDL is not transactional, or where one of its
        operations runs as steps of its own, each committed (PostgreSQL's CONCURRENTLY, a fill in batches)."""
        outside = self.dialect.runs_outside_transaction
        return not self.dialect.transactional_ddl or any(outside(self.ctx, op) for op in operations)

    def _run_unit(self, version, description, operations, journal, started):
        if not self.journaled(operations):
            with self.dialect.migration_context(), self.db.atomic():
                self.dialect.wait_for_locks(self.ctx.settings.lock_wait, local=True)
                undo = []
                for index, operation in enumerate(operations):
                    undo = self._apply_one(version, index, operation, journal.keeps_new_backups) + undo
                self.dialect.run_deferred(self.ctx)
                self.dialect.check_integrity(self.ctx, version)
                self._drop_spent_backups(journal)
                journal.finish(_dicts(undo), _ms(started), self._schema_for(journal))
        else:
            with self._waiting_for_locks():
                self._run_journaled(version, operations, journal, started)
        return VersionResult(version, description, _ms(started), len(operations), tuple(self.ctx.notes),
                             retries=journal.retries)

    @contextmanager
    def _waiting_for_locks(self):
        """Where DDL commits by itself: the session's lock wait, for the unit (its own values put back after)."""
        if self.dialect.transactional_ddl:
            yield  # each step's own transaction has it (step_transaction)
            return
        self.dialect.wait_for_locks(self.ctx.settings.lock_wait)
        try:
            yield
        finally:
            try:
                self.dialect.wait_for_locks(None)
            except Exception:  # the connection failed with the unit: the error that matters is that one
                pass

    def _run_journaled(self, version, operations, journal, started, start=0, undo=()):
        """Each operation by itself, journaled in the history row. Where DDL is transactional (an operation that
        runs as committed steps of its own made the unit journaled), each other operation's journal entry commits
        with it, so that the journal is exact: a run killed during one kept none of it, and the next migrate can
        go on from there (`resume`). `start`, `undo`: where a resumed run goes on from, and the undo of what is
        done."""
        undo, exact = list(undo), self.dialect.transactional_ddl
        for index, operation in enumerate(operations[start:], start):
            inverse, before = [], {}
            outside = exact and self.dialect.runs_outside_transaction(self.ctx, operation)
            # a fill is resumed where DDL is not transactional too: it goes on from its last batch, as journaled
            resumable = exact or operation.fills_in_batches
            marks = {"resumable": True, "outside": outside or not exact} if resumable else {}
            try:
                # (the operation a resumed run goes on with was checked before it first ran, and may be part done)
                if (self.unchecked or operation.checked_when_run) and not self.ctx.resumed:
                    self._check_now(version, index, operation)
                inverse = self._inverse_of(version, index, operation)
                if not exact or outside:
                    # One write per operation, before its DDL: what is done so far, and the undo of the operation
                    # about to run, for `repair` (or a resumed run) to weigh if the run is killed during it.
                    journal.progress(_dicts(undo), index, in_flight=_dicts(inverse), **marks)
                self.ctx.annotate_journal = journal.annotate
                before = {name: self.ctx.schema.known(name) for name in operation.touches() or ()}
                with self._step_transaction(operation):
                    self._apply(version, index, operation)
                    if exact and not outside:
                        journal.progress(_dicts(inverse + undo), index + 1, **marks)
                self.unchecked = self.unchecked or operation.opaque
            except OperationFailed as error:
                # An operation of several statements may have done part of its work before failing (not told of
                # SQL or code, whose undo may not fit what they did; the application's code undoes its own writes)
                partial = inverse if inverse and (outside or not exact) and not operation.opaque and \
                    not self._unchanged(before) and self._took_effect(inverse) else []
                self._compensate(version, index, partial + undo, journal, error, partial)
            finally:
                self.ctx.annotate_journal = self.ctx.resumed = None
            undo = inverse + undo
        journal.finish(_dicts(undo), _ms(started), self._schema_for(journal))
        self._drop_spent_backups(journal)  # after the row is final: a run killed before keeps them, not loses them

    def resume(self, row, spec):
        """Go on with a version whose run was killed, from its exact journal (see _run_journaled): the operation
        it was running runs again (one that runs as committed steps of its own finds what its steps did, e.g. a
        fill goes on after its last batch: `ctx.resumed` is the journal), then the rest; each operation after it
        is checked on the data as it is, as after an sql operation."""
        detail = hist.detail_of(row)
        started, version = time.monotonic(), str(spec.version)
        journal = _MigrateJournal(self.history, spec, row, retries=row.retries or 0)
        journal.detail = detail
        self.ctx.notes, self.ctx.made_backups, self.ctx.consumed_backups, self.ctx.answers = [], [], [], {}
        self.ctx.resumed, done = detail, detail.get("done", 0)
        self.unchecked = True  # the data may have changed since the run was killed: each is checked as it runs
        self.dialect.clear_leftovers(self.ctx, load_stored(detail.get("in_flight") or []))
        if done < len(spec.operations):
            self.ctx.notes.append(f"a killed run stopped at operation {done} ({spec.operations[done].action}): "
                                  "finished from there")
        try:
            with self._waiting_for_locks():
                self._run_journaled(version, list(spec.operations), journal, started, done,
                                    load_stored(detail.get("undo", [])))
        finally:
            self.ctx.schema.forget()
        return VersionResult(version, spec.description, _ms(started), len(spec.operations), tuple(self.ctx.notes),
                             retries=journal.retries)

    def _step_transaction(self, operation):
        """Where DDL is transactional and the unit is journaled: an operation's own transaction, unless it runs as
        steps of its own, each committed; where DDL commits by itself, none (its statements commit each)."""
        if not self.dialect.transactional_ddl or self.dialect.runs_outside_transaction(self.ctx, operation):
            return _no_transaction()
        return self.dialect.step_transaction(self.ctx)

    def _drop_spent_backups(self, journal):
        """After a unit succeeded: the backups it restored from, and those a rollback kept for its own undo."""
        ctx = self.ctx
        self.dialect.drop_backups(ctx.consumed_backups + ([] if journal.keeps_new_backups else ctx.made_backups))

    def _schema_for(self, journal):
        """The schema to record after a version (its canonical JSON text), or None after a rollback."""
        if not isinstance(journal, _MigrateJournal):
            return None
        self.last_schema = self.ctx.schema.schema_text()  # for record_schema, if a later version fails
        return self.last_schema

    def record_schema(self):
        """After a run: the newest applied version keeps the live schema in full, to name any drift later, if
        it is the schema its fingerprint records; every version keeps its fingerprint."""
        import peewee

        from .introspect import fingerprint

        try:
            newest = self.history.newest_applied()
            text = newest and self.ctx.schema.canonical_json(hist.legacy_schema(newest))
            if newest is not None and newest.fingerprint != fingerprint(text):
                # a later version failed and left something (what part of an sql operation committed, say):
                # the schema as the newest applied version left it still names drift from it
                text = self.last_schema and str(self.last_schema)
            if newest is not None and text and newest.fingerprint == fingerprint(text):
                self.history.keep_schema(newest, text)
        except peewee.PeeweeException:
            pass  # the connection failed with the run: only this detail is lost, the fingerprints are recorded

    def plan(self, specs, execute):
        """Each version's operations with their SQL and inverse, without keeping any change.

        With `execute`, the versions run in one transaction that is rolled back (exact SQL);
        without, the SQL is generated only and writes never reach the database.
        """
        planned = []
        self.ctx.executing, self.ctx.planning = execute, True
        self.not_run = None
        with self.dialect.migration_context(), self.db.atomic() as transaction, _recording(self.db, execute) as log:
            self.ctx.plan_log = log
            try:
                for spec in specs:
                    steps = self._plan_version(spec, log)
                    planned.append({"version": str(spec.version), "description": spec.description, "operations": steps})
                    if steps and "error" in steps[-1]:
                        break  # what follows would be planned on a schema this step did not make
            finally:
                transaction.rollback()
                self.ctx.schema.forget()
                self.ctx.executing, self.ctx.planning, self.ctx.plan_log = True, False, None
        return planned

    def _plan_version(self, spec, log):
        steps = []
        for index, operation in enumerate(spec.operations):
            if not self._plan_deferred(steps, log, operation):
                return steps
            log.clear()
            step = {"index": index, "action": operation.action, "operation": operation.to_dict()}
            if operation.shown_in_plan():
                step["runs"] = operation.shown_in_plan()
            try:
                step["inverse"] = [op.to_dict() for op in self._apply_one(str(spec.version), index, operation)]
            except OperationFailed as error:
                step.update(self._planning_error(error.message))
            self.not_run = self.not_run or step.get("runs")
            steps.append({**step, "sql": list(log)})
            if "error" in step:
                return steps
        self._plan_deferred(steps, log, None)
        return steps

    def _planning_error(self, message):
        """A step that cannot be planned; after code the plan did not run, maybe only because of that."""
        if not self.not_run:
            return {"error": message}
        return {"error": f"{message} (the plan did not run {self.not_run} before it, which may make it fit when "
                         "migrate runs it)", "after_code_not_run": True}

    def _plan_deferred(self, steps, log, operation):
        """Run the work the steps before deferred (an SQLite rebuild), as the last one's SQL; False if it failed."""
        log.clear()
        try:
            self.dialect.run_deferred(self.ctx, operation)
        except OperationFailed as error:
            steps[-1].update(self._planning_error(error.message))
        if steps:
            steps[-1]["sql"] += log
        return not (steps and "error" in steps[-1])

    def _compensate(self, version, failed_index, undo, journal, error, partial=()):
        """Undo the operations of the unit already done, newest first, journaling each step as it runs."""
        remaining, self.unchecked = list(undo), False  # undoing is not checked: it puts back what was there
        with self._backups(False):
            try:
                while remaining:
                    journal.progress(_dicts(remaining[1:]), failed_index, in_flight=_dicts(remaining[:1]))
                    with self._step_transaction(remaining[0]):
                        self._apply_one(version, failed_index, remaining[0])
                    remaining.pop(0)
            except OperationFailed as second:
                journal.fail(_dicts(remaining), failed_index, error.message, second.message)
                raise OperationFailed(f"{error.message}; undoing {self._done(failed_index, partial, undo)[0]} then "
                                      f"failed ({second.message}). {version} is marked failed, with its backups "
                                      "kept: run `migrator repair`") from None
        self.dialect.drop_backups(self.ctx.made_backups)  # made by the part undone
        journal.abort()
        what, count = self._done(failed_index, partial, undo)
        done = f"{what} {'was' if count == 1 else 'were'} undone, so " if undo else ""
        raise OperationFailed(f"{error.message}; {done}{journal.where_after_undo(version)}"
                              f"{_left_behind(error, self.dialect)}", **error.details) from None

    def _apply_one(self, version, index, operation, with_inverse=True):
        """Apply one operation; return its inverse, read from the schema just before (a rollback in a transaction
        needs none: a failure rolls the transaction back)."""
        self.dialect.run_deferred(self.ctx, operation)
        if self.unchecked or operation.checked_when_run:
            self._check_now(version, index, operation)
        inverse = self._inverse_of(version, index, operation) if with_inverse else []
        self._apply(version, index, operation)
        self.unchecked = self.unchecked or operation.opaque
        return inverse

    def run_unchecked(self, version, index, operation, with_inverse=True):
        """Run one operation outside a version (a repeatable spec's sql, migrator/repeatable.py), without preflight:
        what follows in the run is then checked as it runs, as after any sql operation. Its inverse steps."""
        inverse = self._inverse_of(version, index, operation) if with_inverse else []
        self._apply(version, index, operation)
        self.unchecked = True
        return inverse

    def _check_now(self, version, index, operation):
        """The preflight checks of an operation that follows an sql one, on the schema and data as they are now:
        a problem fails the version as a refused operation would."""
        from .errors import PreflightFailed
        from .preflight import Probe, Shape, check_one

        ctx = self.ctx
        if not ctx.executing:  # a plan that only generates SQL: the data is not what the statements before made
            return
        tables = {name: ctx.table(name) for name in ctx.schema.tables()}
        shape = Shape.from_live(tables, Probe(self.db, self.dialect), self.dialect.views(), self.dialect)
        shape.accept_loss, shape.undoing, shape.owners = ctx.accept_loss, ctx.undoing, ctx.owners
        try:
            check_one(shape, version, index, operation)
        except PreflightFailed as error:
            raise OperationFailed(error.message, version=version, index=index, action=operation.action) from None

    def _inverse_of(self, version, index, operation):
        """The operation's inverse steps, each marked with the version's operation it undoes (a rollback's own
        undo redoes a step: it belongs to the same operation)."""
        self.ctx.position = Position(version, index)
        undoes = operation.undoes if self.ctx.undoing else {"operation": index, "action": operation.action}
        steps = self._step(version, index, operation, operation.inverse)
        if not operation.online:  # undone in the plain form too, as the spec asked
            steps = [replace(step, online=False) for step in steps]
        return [undoing(step, undoes) for step in steps]

    def _apply(self, version, index, operation):
        """Run the operation, then keep what can be told of the tables it changed without reading them."""
        self.ctx.position = Position(version, index)
        schema, executing = self.ctx.schema, self.ctx.executing
        # (a table with deferred work is not yet what the operation sees: it is read again after)
        before = {name: schema.table(name) if not executing else None if name in self.ctx.deferred else
                  schema.known(name) for name in operation.touches() or ()}
        self.ctx.operation = operation
        try:
            with self.dialect.operation_statements(self.ctx):
                self._step(version, index, operation, operation.apply)
        finally:
            self.ctx.operation = None
        tables_after = operation.changed_tables if executing else operation.planned_tables
        changed = tables_after(self.ctx, before)
        for name, table in changed.items():
            schema.put(name, table)

    def _step(self, version, index, operation, call):
        import peewee

        try:
            return call(self.ctx)
        except (peewee.PeeweeException, ValueError) as error:
            locked = self.dialect.lock_not_had(error) and {"lock_not_had": list(operation.touches() or ())}
            raise self._failure(version, index, operation, self.dialect.error_text(error), locked or None) from None
        except MigratorError as error:
            raise self._failure(version, index, operation, error.message, error.details) from None

    def _done(self, failed_index, partial, undo):
        """What a compensation undoes, as a phrase, and how many things it names. When a rollback failed, the
        file's operations whose undo had run are counted (each step names its operation, as recorded since 0.2),
        or else the steps."""
        done, noun = failed_index, "operation"
        if self.ctx.undoing:
            marks = [op.undoes for op in undo[len(partial):]]
            counted = marks and all(marks)
            done = len({m["operation"] for m in marks}) if counted else failed_index
            noun = "operation" if counted else "step"
        subjects = (1 if self.ctx.undoing and done else done) + bool(partial)  # "the undo of ..." is one thing
        return _done(done, bool(partial), noun, undone=self.ctx.undoing), subjects

    def _failure(self, version, index, operation, message, details=None):
        """The error of an operation, with where it happened; `details` of the error it comes from are kept (what
        a failing sql operation left, say), where it happened replaced."""
        where = step_of(version, index, operation.action, self.ctx.undoing, operation.undoes)
        return OperationFailed(f"{where}: {message}", **{**(details or {}), "version": version, "index": index,
                                                          "action": operation.action})


class _MigrateJournal:
    """The history row of a version being applied: written at its first step (journaled runs) or at its end."""
    keeps_new_backups = True  # the backups a version makes are what its rollback restores

    def __init__(self, history, spec, row=None, retries=0):
        self.history, self.spec, self.row, self.retries = history, spec, row, retries
        self.detail = {}

    def progress(self, undo, done, in_flight=None, **marks):
        self.detail = {"direction": "migrate", "undo": undo, "done": done, "in_flight": in_flight, **marks}
        if self.row is None:
            self.row = self.history.insert(self.spec.version, self.spec.description, self.spec.checksum,
                                           state=hist.RUNNING, detail=self.detail, retries=self.retries)
        else:
            self.history.update(self.row, detail=self.detail)

    def annotate(self, **more):
        """Add to the journal of the operation running (a fill's last batch), keeping the rest."""
        self.progress(**{"undo": [], "done": 0, **self.detail, **more})

    def finish(self, undo, ms, schema):
        accepted = accepted_reasons(self.spec.operations) if self.spec else None  # kept with the version
        if self.row is None:
            self.history.insert(self.spec.version, self.spec.description, self.spec.checksum,
                                inverse=undo, execution_ms=ms, schema=schema, retries=self.retries,
                                unsafe_ok=accepted)
        else:
            self.history.update(self.row, state=hist.APPLIED, inverse=undo, detail=None, execution_ms=ms,
                                schema=schema, retries=self.retries,
                                unsafe_ok=accepted)

    def abort(self):
        if self.row is not None:
            self.history.delete(self.row)

    @staticmethod
    def where_after_undo(version):
        return f"the database is back where it was before {version}"

    def accept(self, undo, schema):
        """Record the version as applied with what ran of it: its schema is the live one now."""
        self.history.update(self.row, state=hist.APPLIED, inverse=undo, detail=None, schema=schema)

    def fail(self, undo, index, error, undo_error):
        self.history.update(self.row, state=hist.FAILED, detail={
            "direction": "migrate", "undo": undo, "failed_index": index, "error": error, "undo_error": undo_error})


class _RollbackJournal:
    """The history row of a version being rolled back."""
    keeps_new_backups = False  # what a rollback kept for its own undo is not needed once it has succeeded

    @staticmethod
    def where_after_undo(version):
        return f"the rollback is undone: {version} is still applied, with its backups"

    def __init__(self, history, row, retries=0):
        self.history, self.row, self.retries = history, row, retries
        self.detail = {}

    def progress(self, undo, done, in_flight=None, **marks):
        self.detail = {"direction": "rollback", "undo": undo, "done": done, "in_flight": in_flight, **marks}
        self.history.update(self.row, state=hist.RUNNING, detail=self.detail)

    def annotate(self, **more):
        self.progress(**{"undo": [], "done": 0, **self.detail, **more})

    def finish(self, undo, ms, schema):
        self.history.delete(self.row)

    def abort(self):
        self.history.update(self.row, state=hist.APPLIED, detail=None)

    def accept(self, undo, schema):
        raise SpecError(f"{self.row.version} failed while rolling back; --accept is for a version that failed "
                        "while being applied. Nothing was changed: run `migrator repair` to restore it.")

    def fail(self, undo, index, error, undo_error):
        self.history.update(self.row, state=hist.FAILED, detail={
            "direction": "rollback", "undo": undo, "failed_index": index, "error": error, "undo_error": undo_error})


_READS = ("SELECT", "PRAGMA", "SHOW", "DESCRIBE", "WITH")
_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")  # around migrator's own checks
_OWN_READS = ("PREPARE _migrator_", "EXECUTE _migrator_")  # the statements migrator prepares to read a table


class _recording:
    """Collect the statements that write, while they run (or instead of running them). Only this thread's: the
    Database may be the application's own, which its other threads go on using meanwhile."""

    def __init__(self, db, execute):
        self.db, self.execute, self.log = db, execute, []

    def __enter__(self):
        # Every statement, whether a dialect, Peewee's SchemaMigrator or a model's create_table makes it, reaches
        # the server through this Database's execute_sql: replacing it on this instance (not the class) for the
        # time of a plan sees all of them without passing a logger through every call.
        real, thread = self.db.execute_sql, threading.get_ident()

        def execute_sql(sql, params=None, *args, **kwargs):
            theirs = threading.get_ident() != thread
            if theirs or sql.lstrip().upper().startswith(_READS + _SAVEPOINTS) or sql.startswith(_OWN_READS):
                return real(sql, params, *args, **kwargs)
            self.log.append(sql.replace("%%", "%") if not params else f"{sql}  -- {list(params)}")
            return real(sql, params, *args, **kwargs) if self.execute else None

        self.db.execute_sql = execute_sql
        return self.log

    def __exit__(self, *exc):
        del self.db.execute_sql


def _done(done, partly, noun, undone=False):
    """What a compensation undid, as a phrase: the operations (steps) before the failing one, and what of it ran."""
    words = f"the {'undo of ' if undone else ''}{done} {noun}{'s' if done != 1 else ''} already done" if done else ""
    part = "what the failing one did" if partly else ""
    return " and ".join(w for w in (words, part) if w)


def _dicts(operations):
    """Steps as the history stores them."""
    return [stored_form(op) for op in operations]


def _backoff(tried, first=0.5, longest=30.0):
    """Seconds to wait before retry `tried + 1`: doubling, with jitter so that runs that collided do not meet
    again at the same moment."""
    return min(longest, first * 2 ** tried) * random.uniform(0.5, 1.5)


def _ms(started):
    return int((time.monotonic() - started) * 1000)


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _left_behind(error, dialect):
    """What the statements of a failing sql operation that ran before the failing one left, where each commits."""
    count = error.details.get("statements_left")
    if not count:
        return ""
    ran = "its first statement" if count == 1 else f"its first {count} statements"
    return (f", except for what {ran} did: {dialect.label} commits each statement by itself, and an sql operation "
            "has no inverse for part of it. Check what they changed, and undo it by hand")
