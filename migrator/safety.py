"""What each pending operation costs a live database (`lint`, `plan`): its rating on this server, the rows of its
table, and the safe alternative. The rules are each dialect's (`Dialect.rate`); this module knows no backend."""
from dataclasses import dataclass

INSTANT, BRIEF_LOCK, SCAN_UNDER_LOCK, REWRITE, COPY = "instant", "brief lock", "scan under lock", "rewrite", "copy"
RATINGS = (INSTANT, BRIEF_LOCK, SCAN_UNDER_LOCK, REWRITE, COPY)
LONG_BLOCKING = (SCAN_UNDER_LOCK, REWRITE, COPY)  # what lint refuses on a table above --max-rows
NOT_RATED = "cannot be told: it runs SQL or the application's code, which lint does not read"


@dataclass(frozen=True)
class Rating:
    """How an operation affects a live database: its rating, the safe way, whether it blocks writes."""
    rating: str | None  # one of RATINGS; None when it cannot be told (sql, python)
    alternative: str | None = None  # the safe way, in one sentence
    blocks_writes: bool | None = None  # None: as its rating says (MariaDB rebuilds online: a rewrite that does not)

    def __post_init__(self):
        if self.blocks_writes is None and self.rating is not None:
            object.__setattr__(self, "blocks_writes", self.rating in LONG_BLOCKING)


class Tables:
    """The tables the pending operations touch, as they go: those an earlier pending operation makes are empty,
    and a renamed table is still the live one."""

    def __init__(self, live):
        self.live = live  # {name: introspect.Table}
        self.made = set()
        self.renamed = {}  # new name -> live name

    def table(self, name):
        """The live Table an operation on `name` works on, or None when a pending operation makes it."""
        if name in self.made:
            return None
        return self.live.get(self.renamed.get(name, name))

    def live_name(self, name):
        return None if name in self.made else self.renamed.get(name, name)

    def follow(self, operation):
        if operation.action == "create_table":
            self.made.add(operation.table)
        elif operation.action == "drop_table":
            self.made.discard(operation.table)
        elif operation.action == "rename_table":
            if operation.old_name in self.made:
                self.made.add(operation.new_name)
            else:
                self.renamed[operation.new_name] = self.renamed.get(operation.old_name, operation.old_name)


def rate_versions(dialect, specs, live, max_rows, resumed=None):
    """[{version, index, action, table, rating, rows, alternative, unsafe_ok, blocks_writes, refused, accepted,
    note, resumes}] for every operation of `specs` (in the order they run), `live` the live tables; `resumed`:
    {version: the first operation to rate} of the versions a killed run left part-way (the rest is done and in
    the live tables already). Reads only."""
    tables, counted, rated, resumed = Tables(live), {}, [], resumed or {}
    for spec in specs:
        version = str(spec.version)
        first = resumed.get(version, 0)
        defaults = {(op.table, op.column) for op in spec.operations if op.action == "add_default"}
        for index, operation in enumerate(spec.operations[first:], first):
            entry = _rated(dialect, tables, counted, operation, max_rows, version=version, index=index)
            if (entry["table"], getattr(operation, "column", None)) in defaults:
                entry["note"] = None  # the version gives it a server default
            rated.append({**entry, "resumes": version in resumed})
            tables.follow(operation)
    return rated


def table_of(operation):
    """The table an operation works on (a renamed one's old name), or None (sql, python)."""
    return getattr(operation, "table", None) or getattr(operation, "old_name", None)


def _rated(dialect, tables, counted, operation, max_rows, **where):
    name = table_of(operation)
    rating = Rating(None, NOT_RATED) if operation.opaque else _rate(dialect, operation, tables.table(name))
    rows = _rows(dialect, tables.live_name(name), counted, max_rows) if name and rating.rating else None
    refused = bool(rating.rating in LONG_BLOCKING and rows and rows > max_rows)
    return {**where, "action": operation.action, "table": name, "rating": rating.rating, "rows": rows,
            "alternative": rating.alternative, "unsafe_ok": operation.unsafe_ok,
            "blocks_writes": rating.blocks_writes, "refused": refused and not operation.unsafe_ok,
            "accepted": refused and bool(operation.unsafe_ok), "note": _running_code(operation, rows)}


def _running_code(operation, rows):
    """What the application's code from before the release meets once the operation ran, where it breaks it: a
    NOT NULL column it does not know, on a table it writes (Peewee's default= is no server default)."""
    if operation.action == "add_column" and not operation.field.null and rows:
        return (f"the application's code from before this release cannot insert into {operation.table} without "
                f"{operation.column}, which is NOT NULL with no server default: add one (add_default) in the same "
                "version, or add the column null=True now and NOT NULL in a later release")
    return None


def _rate(dialect, operation, table):
    """The costliest of the operations it runs as: a fill's NOT NULL column costs what add_not_null does."""
    return max((dialect.rate(part, table) for part in operation.runs_as), key=_cost)


def _cost(rating):
    """Its place among the ratings; of two rebuilds, the one that blocks writes costs more."""
    return RATINGS.index(rating.rating) if rating.rating in RATINGS else -1, bool(rating.blocks_writes)


def _rows(dialect, name, counted, max_rows):
    """The table's rows: the catalog's estimate when it is above `max_rows`, else counted, as a table written since
    its statistics were taken (or never analyzed) may hold more than they say. Counting reads up to one row past
    the limit first, and all of them only when there are more."""
    if name is None:
        return 0
    if name not in counted:
        if name not in dialect.table_names():
            counted[name] = 0
        else:
            estimate = dialect.catalog_rows(name)
            if estimate is not None and estimate > max_rows:
                counted[name] = estimate
            else:
                some = dialect.rows_past(name, max_rows)
                counted[name] = some if some <= max_rows else dialect.rows(name)
    return counted[name]


def accepted_reasons(operations):
    """What a version's history row keeps of its operations' unsafe_ok: [{operation, action, reason}], or None."""
    reasons = [{"operation": index, "action": op.action, "reason": op.unsafe_ok}
               for index, op in enumerate(operations) if op.unsafe_ok]
    return reasons or None
