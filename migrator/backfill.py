"""Backfill: give the rows of a column that are NULL a value (a `fill`), in batches, each committed by itself.

The batches follow the primary key (keyset: the next `batch_size` keys after the last one done, a row-value
comparison for a composite key), so that each is a short transaction and a killed run can go on from the last
key committed, which each batch records in the running history row. A table without a primary key is filled
`batch_size` rows at a time among those still NULL (the dialect picks them: PostgreSQL by ctid, SQLite by rowid,
MySQL/MariaDB by UPDATE ... LIMIT), which needs no position to resume from. On SQLite the batches are part of the
version's one transaction: a writer locks the whole file there anyway. Nothing is printed here: each batch is
told to `ctx.on_fill` (a FillProgress), and recorded through `ctx.annotate_journal`.
"""
import time
from dataclasses import dataclass


@dataclass
class FillProgress:
    """Where a fill is, for a progress line: rows done of the estimate, and the rate since this run started it."""
    table: str
    column: str
    done: int
    estimate: int
    started: float
    done_before: int = 0  # rows a killed run had committed already
    finished: bool = False

    @property
    def rate(self):
        """Rows per second in this run."""
        seconds = time.monotonic() - self.started
        return (self.done - self.done_before) / seconds if seconds > 0 else 0.0

    @property
    def seconds_left(self):
        """None while the rate is not known yet."""
        rate = self.rate
        return max(self.estimate - self.done, 0) / rate if rate else None


def fill(ctx, table, column, value, after=None, done=0):
    """Give the rows of `table` whose `column` is NULL the `value` (a JSON literal or {"expression": SQL}), from
    the key after `after` on (a list: the last key a killed run committed), `done` rows being done already."""
    ctx.dialect.run_deferred(ctx)  # SQLite: a column in a table rebuild not run yet has no rows to fill
    target = _Target(ctx, table, column, value)
    if not ctx.executing or ctx.planning:
        ctx.execute_sql(target.update(target.pending))  # a plan shows what each batch does, once
        return
    progress = FillProgress(table, column, done, ctx.dialect.estimated_rows(table), time.monotonic(), done)

    def committing(last_key, count):  # in the batch's transaction: the history row says what the batch did
        progress.done += count
        progress.estimate = max(progress.estimate, progress.done)  # rows written since the estimate was made
        if ctx.annotate_journal:
            ctx.annotate_journal(fill={"operation": ctx.position.index, "after": last_key, "done": progress.done})

    batches = _keyed_batches(ctx, target, after, committing) if target.key else \
        _unkeyed_batches(ctx, target, committing)
    for _ in batches:  # each batch committed
        _tell(ctx, progress)
        if ctx.settings.batch_pause:
            time.sleep(ctx.settings.batch_pause)
    progress.finished = True
    _tell(ctx, progress)


class _Target:
    """The statements of one fill: the column, its value's SQL and the table's key."""

    def __init__(self, ctx, table, column, value):
        dialect, q = ctx.dialect, ctx.dialect.quote
        self.ctx, self.table, self.size = ctx, table, max(ctx.settings.batch_size, 1)
        self.key = tuple(ctx.require_table(table).primary_key)
        self.value = dialect.literal(value) if not isinstance(value, dict) else f"({value['expression']})"
        self.pending = f"{q(column)} IS NULL"
        self.assignment = f"{q(column)} = {self.value}"

    def update(self, where):
        q = self.ctx.dialect.quote
        return f"UPDATE {q(self.table)} SET {self.assignment} WHERE {where}"

    def after(self, key):
        """The condition 'the key is after `key`' and its parameters (True for None: from the first row)."""
        if key is None:
            return "1 = 1", []
        q, param = self.ctx.dialect.quote, self.ctx.db.param
        names = ", ".join(q(k) for k in self.key)
        marks = ", ".join(param for _ in self.key)
        return (f"({names}) > ({marks})" if len(self.key) > 1 else f"{names} > {marks}"), list(key)

    def next_keys(self, after):
        """The keys of the next batch, in key order."""
        q = self.ctx.dialect.quote
        condition, params = self.after(after)
        names = ", ".join(q(k) for k in self.key)
        sql = (f"SELECT {names} FROM {q(self.table)} WHERE {condition} ORDER BY {names} "
               f"LIMIT {self.size}")
        return [[_plain(v) for v in row] for row in self.ctx.db.execute_sql(sql, params).fetchall()]

    def update_through(self, after, last):
        """Fill the NULLs of the rows whose key is after `after` and not after `last`."""
        q, param = self.ctx.dialect.quote, self.ctx.db.param
        condition, params = self.after(after)
        names = ", ".join(q(k) for k in self.key)
        marks = ", ".join(param for _ in self.key)
        upto = f"({names}) <= ({marks})" if len(self.key) > 1 else f"{names} <= {marks}"
        sql = self.ctx.dialect.as_written(self.update(self.pending)) + f" AND {condition} AND {upto}"
        self.ctx.execute_sql(sql, params + list(last))


def _keyed_batches(ctx, target, after, committing):
    """Fill batch after batch in key order; yields after each commit."""
    while True:
        with ctx.dialect.step_transaction(ctx):
            keys = target.next_keys(after)
            if keys:
                target.update_through(after, keys[-1])
                committing(keys[-1], len(keys))
        if not keys:
            return
        yield
        if len(keys) < target.size:
            return
        after = keys[-1]


def _unkeyed_batches(ctx, target, committing):
    """A table without a key: `batch_size` rows at a time among those not filled yet. A row the value leaves
    NULL is left out, or the same rows would be picked again and again."""
    where = f"{target.pending} AND {target.value} IS NOT NULL"
    while True:
        with ctx.dialect.step_transaction(ctx):
            sql = ctx.dialect.update_some(target.table, target.assignment, where, target.size)
            count = ctx.db.execute_sql(ctx.dialect.as_written(sql)).rowcount
            if count:
                committing(None, count)
        if not count:
            return
        yield
        if count < target.size:
            return


def _plain(value):
    """A key's value as JSON keeps it, and as the database reads it back in a comparison."""
    return value if value is None or isinstance(value, (int, float, str)) else str(value)


def _tell(ctx, progress):
    if ctx.on_fill:
        ctx.on_fill(progress)


_INTEGERS = {"IntegerField", "BigIntegerField", "SmallIntegerField", "AutoField", "BigAutoField"}
_NUMBERS = {"FloatField", "DoubleField", "DecimalField"}
_EXPECTED = {"integer": "an integer", "number": "a number", "boolean": "true or false",
             "date": "a date, 'YYYY-MM-DD'", "datetime": "a date and time, ISO 8601 ('YYYY-MM-DD HH:MM:SS')",
             "time": "a time, 'HH:MM:SS'", "uuid": "a UUID"}


def literal_problem(field_type, value, max_length=None, strict=False):
    """What a fill literal should be for a column of Peewee's `field_type` ('an integer'), when `value` is not
    that; None when it is, or when the type takes any literal (text, a type not checked here). `max_length`: a
    string column's; `strict`: the type is the spec's own (a boolean is no integer), not one read back from a
    backend that keeps booleans as integers."""
    if isinstance(value, str) and max_length and len(value) > max_length:
        return f"at most {max_length} characters long"
    family = _family(field_type)
    if strict and family == "integer" and isinstance(value, bool):
        return _EXPECTED[family]
    return _EXPECTED[family] if family and not _fits(family, value) else None


def _family(field_type):
    if field_type in _INTEGERS:
        return "integer"
    if field_type in _NUMBERS:
        return "number"
    return {"BooleanField": "boolean", "DateField": "date", "DateTimeField": "datetime", "TimeField": "time",
            "UUIDField": "uuid", "BinaryUUIDField": "uuid"}.get(field_type)


def _fits(family, value):
    import datetime
    import decimal
    import uuid

    if isinstance(value, bool):  # SQLite and MySQL/MariaDB keep a boolean as an integer
        return family in ("boolean", "integer")
    if family == "boolean":
        return False
    if isinstance(value, (int, float)):
        return family == "number" or family == "integer" and isinstance(value, int)
    if not isinstance(value, str):
        return False
    parse = {"integer": int, "number": decimal.Decimal, "date": datetime.date.fromisoformat,
             "datetime": datetime.datetime.fromisoformat, "time": datetime.time.fromisoformat,
             "uuid": uuid.UUID}[family]
    try:
        parsed = parse(value.strip())
    except (ValueError, ArithmeticError):
        return False
    return not isinstance(parsed, decimal.Decimal) or parsed.is_finite()
