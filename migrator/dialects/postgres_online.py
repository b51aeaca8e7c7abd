"""PostgreSQL's safe forms of the operations that would block writes on a live table: an index built and dropped
CONCURRENTLY, NOT NULL through a validated check, a foreign key added NOT VALID then validated. Each runs as
steps of its own, committed one by one, outside the version's transaction (the runner journals such a version
operation by operation); `"online": false` on an operation, or a transaction around it, gives the plain form."""
import time
from contextlib import contextmanager, nullcontext

from ..errors import OperationFailed

# What a killed or failed safe form may leave: a check of this prefix is migrator's own, never a user's
NOT_NULL_CHECK_PREFIX = "_migrator_nn_"
_ONLINE_ACTIONS = ("add_index", "drop_index", "add_not_null", "add_foreign_key")


class OnlineForms:
    """A mixin of PostgresDialect: the safe forms, and what cleans up after a run killed in one of them."""

    def runs_outside_transaction(self, ctx, operation):
        return not ctx.planning and (operation.fills_in_batches or self._has_safe_form(ctx, operation))

    def _has_safe_form(self, ctx, operation):
        if not operation.online or operation.action not in _ONLINE_ACTIONS:
            return False
        if operation.action == "add_index" and operation.constraint:
            return False  # a UNIQUE constraint's index is made by ALTER TABLE
        if operation.action == "drop_index":
            index = ctx.table(operation.table) and ctx.table(operation.table).index(operation.index_name)
            if index and index.constraint:
                return False
        # an empty table (or one the version makes) is done at once: there is nothing to wait for
        return self._has_rows(ctx, operation.table)

    def _has_rows(self, ctx, table):
        if ctx.table(table) is None:
            return False  # made later in the same version
        return self.db.execute_sql(f"SELECT EXISTS (SELECT 1 FROM {self.quote(table)})").fetchone()[0]

    def _safe(self, ctx, operation):
        """Whether to run the safe form: outside any transaction, as the runner runs it, or in a plan (which runs
        in one transaction) to show it."""
        return self._has_safe_form(ctx, operation) and (ctx.planning or not self.db.in_transaction())

    def _step(self, ctx):
        """A committed step of a safe form: a transaction of its own, or nothing more inside a plan's."""
        return nullcontext() if self.db.in_transaction() else self.step_transaction(ctx)

    @contextmanager
    def _undone_on_failure(self, ctx, sql):
        """Run `sql` in a step's transaction to take away what the steps before left when a later one fails (a
        transaction around them takes it away by itself)."""
        try:
            yield
        except Exception:
            if not self.db.in_transaction():
                with self._step(ctx):
                    ctx.execute_sql(sql)
            raise

    def _outside_transaction(self, ctx, sql, stand_in):
        """Run `sql`, which PostgreSQL refuses in a transaction, in autocommit; in a plan, which runs in one
        transaction, `stand_in` runs and `sql` is shown as what migrate runs."""
        if not self.db.in_transaction():
            # waiting for the table's lock, and for the transactions open on it to end, no longer than a step
            self.wait_for_locks(ctx.settings.lock_wait)
            try:
                ctx.execute_sql(sql)
            finally:
                self.wait_for_locks(None)
            return
        ctx.execute_sql(stand_in)
        if ctx.plan_log:
            ctx.plan_log[-1] = sql

    # -- indexes ----------------------------------------------------------------------------
    def add_index(self, ctx, op):
        if not self._safe(ctx, op):
            return super().add_index(ctx, op)
        from ..operations import kept_name

        name = kept_name(op.index_name, self)
        plain = op.definition or self.index_sql(op)
        self.drop_invalid_index(ctx, name)
        if ctx.resumed and self._index_state(name) is True:
            return  # the killed run built it, and was killed before it could say so
        try:
            self._outside_transaction(ctx, _concurrently(plain), plain)
        except Exception as error:
            # a build that fails (a duplicate under a unique index, the lock wait over) leaves an invalid index: it
            # goes before the error is told, if it can (if not, the next build of it drops it first)
            if not self.db.in_transaction():
                self._drop_left_by(ctx, error, op.table, name)
            raise

    def _drop_left_by(self, ctx, error, table, name):
        import peewee

        try:
            self.drop_invalid_index(ctx, name)
        except peewee.PeeweeException as second:
            locked = {"lock_not_had": [table]} if self.lock_not_had(error) or self.lock_not_had(second) else {}
            raise OperationFailed(f"{self.error_text(error)}; the invalid index {name} the build left could not be "
                                  f"dropped now ({self.error_text(second)}): the next run drops it before it builds "
                                  "the index, and no command reads it as part of the schema", **locked) from None

    def drop_index(self, ctx, table, name):
        dropping = ctx.operation if ctx.operation and ctx.operation.action == "drop_index" else None
        if not (dropping and self._safe(ctx, dropping)):  # (drop_column drops its column's indexes plainly)
            return super().drop_index(ctx, table, name)
        if ctx.resumed and self._index_state(name) is None:
            return  # the killed run dropped it
        self._outside_transaction(ctx, f"DROP INDEX CONCURRENTLY {self.quote(name)}", f"DROP INDEX {self.quote(name)}")

    def _index_state(self, name):
        """True: the index `name` of this schema is valid; False: invalid (a build failed); None: no such index."""
        found = self.db.execute_sql(
            "SELECT x.indisvalid FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid "
            "WHERE i.relname = %s AND i.relnamespace = quote_ident(current_schema())::regnamespace", (name,)).fetchone()
        return found[0] if found else None

    def _drop_index_sql(self, name):
        return f"DROP INDEX CONCURRENTLY IF EXISTS {self.quote(name)}"

    def drop_invalid_index(self, ctx, name):
        """Drop the index `name` if a concurrent build that failed or was killed left it invalid."""
        if self._index_state(name) is False:
            self._outside_transaction(ctx, self._drop_index_sql(name), f"DROP INDEX {self.quote(name)}")

    # -- NOT NULL -----------------------------------------------------------------------------
    def add_not_null(self, ctx, op):
        if not self._safe(ctx, op):
            return super().add_not_null(ctx, op)
        q = self.quote
        table, check = q(op.table), q(not_null_check_name(op.table, op.column))
        drop_check = f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {check}"
        if ctx.resumed and not self._nullable(op.table, op.column):
            with self._step(ctx):
                ctx.execute_sql(drop_check)  # the killed run set NOT NULL, and was killed before it could say so
            return
        with self._step(ctx):
            ctx.execute_sql(drop_check)  # a killed run's, if any
            ctx.execute_sql(f"ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({q(op.column)} IS NOT NULL) NOT VALID")
        with self._undone_on_failure(ctx, drop_check), self._step(ctx):
            ctx.execute_sql(f"ALTER TABLE {table} VALIDATE CONSTRAINT {check}")  # writes go on meanwhile
        with self._step(ctx):
            ctx.execute_sql(f"ALTER TABLE {table} ALTER COLUMN {q(op.column)} SET NOT NULL")  # the check spares a scan
            ctx.execute_sql(drop_check)

    # -- foreign keys ---------------------------------------------------------------------------
    def add_foreign_key(self, ctx, op, ref_columns):
        if not self._safe(ctx, op):
            return super().add_foreign_key(ctx, op, ref_columns)
        from ..operations import kept_name

        kept = kept_name(op.key_name, self)
        table, name = self.quote(op.table), self.quote(kept)
        validated = self._key_state(op.table, kept) if ctx.resumed else None  # what a killed run did of it
        if validated is None:
            with self._step(ctx):
                ctx.execute_sql(self.add_foreign_key_sql(op.table, op.key_name, op.columns, op.ref_table, ref_columns,
                                                         op.on_delete, op.on_update) + " NOT VALID")
        if not validated:
            with self._undone_on_failure(ctx, f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"), \
                    self._step(ctx):
                ctx.execute_sql(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")

    def _key_state(self, table, name):
        """True: the table's constraint `name` is validated; False: NOT VALID yet; None: no such constraint."""
        found = self.db.execute_sql(
            "SELECT convalidated FROM pg_constraint WHERE conname = %s AND conrelid = to_regclass(%s)",
            (name, self.quote(table))).fetchone()
        return found[0] if found else None

    def _nullable(self, table, column):
        found = self.db.execute_sql(
            "SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = %s",
            (self.quote(table), column)).fetchone()
        return bool(found and found[0])

    # -- after a killed run ----------------------------------------------------------------------
    def clear_leftovers(self, ctx, undo):
        """Take away what a safe form killed part way left, given the undo of the operation that was running: an
        invalid index it was building, the check it was validating."""
        self._end_orphaned_builds(ctx, [step.index_name for step in undo if step.action == "drop_index"] +
                                  [step.name for step in undo if step.action == "add_index" and step.name])
        for step in undo:
            if step.action == "drop_index":
                self.drop_invalid_index(ctx, step.index_name)
            elif step.action == "drop_not_null":
                ctx.execute_sql(f"ALTER TABLE {self.quote(step.table)} DROP CONSTRAINT IF EXISTS "
                                f"{self.quote(not_null_check_name(step.table, step.column))}")


    def _end_orphaned_builds(self, ctx, names):
        """A killed run's CREATE or DROP INDEX CONCURRENTLY goes on in its server session, which commits its phases
        by itself: cancel it (it would race the next build) and wait for its session to let go, saying so."""
        if not names:
            return
        sql = ("SELECT pid, query FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' "
               "AND backend_type = 'client backend' "
               "AND query ILIKE '%%INDEX CONCURRENTLY%%' AND ({})".format(
                   " OR ".join("position(%s in query) > 0" for _ in names)))
        quoted = [self.quote(name) for name in names]
        for pid, query in self.db.execute_sql(sql, quoted).fetchall():
            self.db.execute_sql("SELECT pg_cancel_backend(%s)", (pid,))
            ctx.notes.append(f"cancelled what a killed run left running in server session {pid}: "
                             f"{' '.join(query.split())[:100]}")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.db.execute_sql(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND state = 'active'", (pid,)).fetchone():
                time.sleep(0.1)


def not_null_check_name(table, column):
    """The check add_not_null validates before SET NOT NULL: migrator's own name, cut to what PostgreSQL keeps."""
    return f"{NOT_NULL_CHECK_PREFIX}{table}_{column}"[:63]


def _concurrently(create_index):
    """CREATE [UNIQUE] INDEX ... as CREATE [UNIQUE] INDEX CONCURRENTLY ..."""
    head, _, rest = create_index.partition(" INDEX ")
    return f"{head} INDEX CONCURRENTLY {rest}"
