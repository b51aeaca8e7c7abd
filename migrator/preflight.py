"""Checks a plan against the schema before anything runs.

`Shape` is the schema as the plan sees it, operation by operation: each operation's
`simulate` checks its preconditions against it and then changes it. With a `Probe`, the
checks also look at the data still in the live tables (NULLs, duplicates, values a new type
cannot hold).
"""
from dataclasses import dataclass, field

from .errors import MigratorError


class PreflightFailed(MigratorError):
    exit_code = 1


class Problem(Exception):
    """A precondition an operation finds unmet in the schema; the caller adds the version and operation."""


class DataProblem(Problem):
    """A precondition the data in the live tables does not meet."""


@dataclass
class ColumnShape:
    null: bool
    origin: tuple | None  # (table, column) in the live database while its data is untouched


@dataclass
class TableShape:
    columns: dict
    indexes: dict = field(default_factory=dict)  # name -> (columns, unique)


class Shape:
    def __init__(self, tables=None, probe=None):
        self.tables = tables or {}
        self.probe = probe
        self.opaque = False  # after an sql operation the shape is no longer known

    @classmethod
    def from_live(cls, schema, probe=None):
        tables = {}
        for name, table in schema.items():
            columns = {c.name: ColumnShape(c.null, (name, c.name)) for c in table.columns}
            indexes = {i.name: (tuple(i.columns), i.unique) for i in table.indexes}
            tables[name] = TableShape(columns, indexes)
        return cls(tables, probe)

    def table(self, name):
        if name not in self.tables:
            raise Problem(f"table {name} does not exist")
        return self.tables[name]

    def column(self, table, name):
        columns = self.table(table).columns
        if name not in columns:
            raise Problem(f"column {table}.{name} does not exist")
        return columns[name]

    def absent_table(self, name):
        if name in self.tables:
            raise Problem(f"table {name} already exists")

    def absent_column(self, table, name):
        if name in self.table(table).columns:
            raise Problem(f"column {table}.{name} already exists")

    def index_table(self, name):
        return next((t for t, shape in self.tables.items() if name in shape.indexes), None)

    def live(self, *columns):
        """The live (table, column) pairs of these columns, when a probe can look at their data."""
        if not self.probe or any(c.origin is None for c in columns):
            return None
        tables = {c.origin[0] for c in columns}
        return (tables.pop(), [c.origin[1] for c in columns]) if len(tables) == 1 else None


class Probe:
    """Questions about the data in the live database."""

    def __init__(self, db, dialect):
        self.db = db
        self.dialect = dialect

    def _count(self, sql):
        return self.db.execute_sql(sql).fetchone()[0]

    def nulls(self, table, column):
        q = self.dialect.quote
        return self._count(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(column)} IS NULL")

    def duplicates(self, table, columns):
        q = self.dialect.quote
        cols = ", ".join(q(c) for c in columns)
        not_null = " AND ".join(f"{q(c)} IS NOT NULL" for c in columns)
        return self._count(f"SELECT COUNT(*) FROM (SELECT 1 AS one FROM {q(table)} WHERE {not_null} "
                           f"GROUP BY {cols} HAVING COUNT(*) > 1) AS duplicated")

    def unconvertible(self, table, column, spec):
        return self.dialect.conversion_problem(self.db, table, column, spec)


def check_plan(shape, versions, structural=None):
    """Simulate each (version, operations) in order; raise at the first problem.

    A problem with the data raises PreflightFailed; one with the schema raises `structural`
    (PreflightFailed too unless given).
    """
    for version, operations in versions:
        for index, operation in enumerate(operations):
            if shape.opaque:
                return
            try:
                operation.simulate(shape)
            except Problem as found:
                error = PreflightFailed if isinstance(found, DataProblem) else structural or PreflightFailed
                raise error(f"{version}, operation {index} ({operation.action}): {found}") from None
