"""What an operation sees while it runs: the interface between operations and a backend's dialect.

An operation's `apply` and `inverse` get a Context: the database, its dialect (through which every statement is
made), the live schema kept between reads, where in the run it is, and the run's options. The dialect may defer
work on a table (SQLite makes several operations' changes in one table rebuild): `deferred` holds it, and
`table()` answers with the table as that work will leave it.
"""
import re
from collections import namedtuple

from .config import Settings
from .errors import OperationFailed
from .introspect import LiveSchema

BACKUP_PREFIX = "_migrator_backup_"  # the backups a version keeps for its rollback
UNDO_PREFIX = "_migrator_undo_"  # what a rollback destroys, kept until it has succeeded as a whole (MySQL/MariaDB)


class Position(namedtuple("Position", "version index")):
    """Where a run is: the version, and the index of its operation (or of the stored inverse's step) running."""
    __slots__ = ()


class Context:
    """What an operation sees: the database, its dialect, the live schema, and where the run is."""

    def __init__(self, db, dialect, backups=True, schema=None):
        self.db = db
        self.dialect = dialect
        self.schema = schema or LiveSchema(db, dialect)  # kept between reads
        self.backups = backups  # keep what destructive operations destroy, for rollback
        self.accept_loss = False  # values may be changed or filled in (--accept-loss)
        self.undoing = False  # running a version's stored inverse (a rollback)
        self.backup_prefix = BACKUP_PREFIX
        self.made_backups = []  # backup tables made by the unit being run
        self.consumed_backups = []  # backup tables the unit being run restored from
        self.position = Position("", 0)
        self.operation = None
        self.deferred = {}  # table name -> work on it the dialect deferred (an SQLite rebuild), with .planned()
        self.notes = []
        self.owners = {}  # in a rollback: "view v" / "trigger t" -> the repeatable without down that made it
        self.executing = True  # False while `plan` generates SQL without running it: the schema is as planned
        self.planning = False  # while `plan` runs: the application's code (a python operation) is not run
        self.settings = Settings()  # the run's: lock wait, retries, max rows, batch size and pause
        self.on_fill = None  # told of each committed batch of a fill (backfill.FillProgress), for a progress line
        self.plan_log = None  # in a plan: the statements it shows (a statement run in its place shows as itself)
        # In a journaled unit: annotate_journal(**more) adds to the running operation's journal entry (a fill's last
        # batch); resumed: the journal of a killed run the running operation goes on from, or None.
        self.annotate_journal = None
        self.resumed = None
        self.answers = {}  # (position, question) -> what the data said, for the unit being run (answer)

    def keeps_backup(self, operation):
        return self.backups and getattr(operation, "backup", None) is not False

    def answer(self, question, find):
        """The answer to `question` about the operation running, found once in its unit: what its inverse was
        built on (journaled before it runs) is what it then does."""
        key = (self.position, question)
        if key not in self.answers:
            self.answers[key] = find()
        return self.answers[key]

    def backup_name(self):
        """The backup table of the operation being run: one per version and operation."""
        version, index = self.position
        return f"{self.backup_prefix}{re.sub(r'[^0-9]', '_', version.lstrip('v'))}_{index}"[:63]

    def run(self, item):
        from playhouse.migrate import Operation as PeeweeOperation

        if isinstance(item, PeeweeOperation):
            item.run()
        elif isinstance(item, (list, tuple)):
            for part in item:
                self.run(part)
        else:
            self.db.execute(item)
        self._wrote()

    def execute_sql(self, sql, params=None):
        """Run a statement; one without parameters is taken as written, a % in it included."""
        self.db.execute_sql(sql if params is not None else self.dialect.as_written(sql), params)
        self._wrote()

    def _wrote(self):
        # What the running operation touches is read again when next asked, until it has finished.
        if self.operation is not None and self.executing:
            self.schema.forget(self.operation.touches())

    def table(self, name):
        """The table as the operations so far leave it (deferred work included), or None."""
        work = self.deferred.get(name)
        return work.planned() if work else self.schema.table(name)

    def column(self, table, column):
        found = self.table(table)
        return found and found.column(column)

    def referenced(self, spec):
        """The field of the column a foreign key points to, as the schema has it now: Peewee gives the key that
        column's type. None when `spec` is no foreign key or its target is not found (then Peewee's integer id)."""
        if not spec.referenced:
            return None
        column = self.column(*spec.referenced)
        return column and self.dialect.field_for(column, None)

    def require_table(self, name):
        found = self.table(name)
        if found is None:
            raise OperationFailed(f"table {name} does not exist")
        return found

    def require_column(self, table, column):
        found = self.require_table(table).column(column)
        if found is None:
            raise OperationFailed(f"column {table}.{column} does not exist")
        return found
