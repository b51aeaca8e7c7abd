"""Checks a plan against the schema before anything runs.

`Shape` is the schema as the plan sees it, operation by operation: each operation's
`simulate` checks its preconditions against it and then changes it. With a `Probe`, the
checks also look at the data still in the live tables (NULLs, duplicates, values a new type
cannot hold).
"""
from dataclasses import dataclass, field

from .errors import PreflightFailed, step_of


class Problem(Exception):
    """A precondition an operation finds unmet in the schema; the caller adds the version and operation."""


class DataProblem(Problem):
    """A precondition the data in the live tables does not meet."""


class InvalidSql(ValueError):
    """SQL text of a spec (an index's expression or condition) that the database cannot run; `param` names it."""

    def __init__(self, message, param):
        super().__init__(message)
        self.param = param


@dataclass
class ColumnShape:
    """A column in the planned schema."""
    null: bool
    origin: tuple | None  # (table, column) in the live database while its data is untouched
    type: str | None = None  # the live type, while it is the live column's
    kept: tuple | None = None  # (backup, column, key: matched on it, or all rows) its values come back from
    empty: bool = False  # added by the plan, NULL in every row (NULL-able, no default, no fill)


@dataclass
class TableShape:
    """A table in the planned schema."""
    columns: dict
    indexes: dict = field(default_factory=dict)  # name -> (columns, unique)
    objects: dict = field(default_factory=dict)  # "check x", "trigger y" -> the names its SQL mentions
    pointing: dict = field(default_factory=dict)  # its foreign key's name -> (column, table, column) it points to
    key: tuple = ()  # the primary key's columns
    checks: dict = field(default_factory=dict)  # CHECK constraint name -> its expression
    uniques: dict = field(default_factory=dict)  # UNIQUE constraint name -> its columns

    def point(self, column, referenced):
        """A foreign key on `column` to `referenced`, (table, column), made by the plan."""
        self.pointing[f"on {column}"] = (column, *referenced)

    def point_key(self, name, columns, ref_table, ref_columns):
        """A foreign key named `name` over `columns` (several for a composite key: one entry each)."""
        for position, (column, dest) in enumerate(zip(columns, ref_columns)):
            self.pointing[_entry(name, column, position)] = (column, ref_table, dest)

    def key_entries(self, name=None, columns=None):
        """The pointing entries of the foreign key named `name`, or over exactly `columns`: {entry: pointed}."""
        if name is not None:
            return {k: p for k, p in self.pointing.items() if k == name or k.startswith(f"{name} (")}
        keys = {}
        for k, pointed in self.pointing.items():
            keys.setdefault(k.split(" (")[0], {})[k] = pointed
        return next((entries for entries in keys.values()
                     if tuple(p[0] for p in entries.values()) == tuple(columns)), {})

    def keys_over(self, columns):
        """The names of the foreign keys over exactly `columns`, in the keys' order."""
        keys = {}
        for k, pointed in self.pointing.items():
            keys.setdefault(k.split(" (")[0], []).append(pointed[0])
        return sorted(name for name, over in keys.items() if tuple(over) == tuple(columns))

    def unique_sets(self):
        """The column sets a foreign key can point to: the primary key, each unique index's and each UNIQUE
        constraint's (on SQLite one the plan adds is in the table's text, not an index)."""
        return [set(self.key)] + [set(columns) for columns, unique in self.indexes.values() if unique] + \
            [set(columns) for columns in self.uniques.values()]


def _entry(name, column, position):
    """The pointing entry of one column of a foreign key: its name, then `name (column)` for the columns after
    the first of a composite key."""
    return name if position == 0 else f"{name} ({column})"


class Shape:
    def __init__(self, tables=None, probe=None, views=None, dialect=None):
        self.tables = tables or {}
        self.probe = probe
        self.views = views or {}  # "view v" -> the names its SQL mentions
        self.dialect = dialect  # None when the database was not reached
        self.opaque = False  # after an sql operation the shape is no longer known
        self.accept_loss = False  # a type change may change values (--accept-loss)
        self.undoing = False  # the operations are stored inverses, run by a rollback
        self.version = None  # the version being checked
        self.others = {}  # name -> what it is: the schema's other objects whose names an index cannot take
        self._drops = []  # when undoing: (version, table, column, where its rows are now) of each drop
        self._dropped = None
        self.owners = {}  # "view v" / "trigger t" (lowercased) -> the repeatable without down that made it

    @classmethod
    def from_live(cls, schema, probe=None, views=None, dialect=None):
        tables = {}
        for name, table in schema.items():
            columns = {c.name: ColumnShape(c.null, (name, c.name), c.type) for c in table.columns}
            indexes = {i.name: (tuple(i.columns), i.unique) for i in table.indexes}
            objects = {f"constraint {c.name}": _names(c.expression, dialect) for c in table.checks
                       if not dialect or not dialect.goes_with_column(table, c)}
            objects.update({f"trigger {g.name}": _names(g.definition, dialect) for g in table.triggers})
            pointing, seen = {}, {}
            for f in table.foreign_keys:  # a composite key has an entry per column, sharing its name
                position = seen[f.name] = seen.get(f.name, -1) + 1 if f.name else 0
                pointing[_entry(f.name, f.column, position) if f.name else f"on {f.column}"] = \
                    (f.column, f.dest_table, f.dest_column)
            tables[name] = TableShape(columns, indexes, objects, pointing=pointing, key=table.primary_key,
                                      checks=_checks(table, dialect), uniques=_uniques(table, dialect))
        views = {f"view {view}": _names(sql, dialect) for view, sql in (views or {}).items()}
        shape = cls(tables, probe, views, dialect)
        shape.others = dialect.index_namespace() if dialect else {}
        return shape

    @property
    def backend(self):
        return self.dialect.label if self.dialect else "this database"

    def places_columns(self):
        return self.dialect is None or self.dialect.places_columns

    def dependents(self, table, column=None):
        """What would break without the table (or its column): views, checks and triggers whose SQL names it,
        and the other tables whose foreign keys point to it."""
        names = {table.lower()} | ({column.lower()} if column else set())
        found = [view for view, used in self.views.items() if names <= used]
        for other, shape in self.tables.items():
            if column is None and other != table and any(dest == table for _, dest, _ in shape.pointing.values()):
                found.append(f"the foreign key of table {other}")
            if column is None and other == table:
                continue
            found += [f"{label} on {other}" for label, used in shape.objects.items()
                      if names <= used or other == table and column and column.lower() in used]
        return sorted(found)

    def viewing(self, table, column):
        """The views whose SQL names the table and the column."""
        names = {table.lower(), column.lower()}
        return sorted(view for view, used in self.views.items() if names <= used)

    def pointing_to(self, table, column):
        """The foreign keys elsewhere that point to the column."""
        return sorted(f"foreign key {key} of {other}" for other, shape in self.tables.items()
                      for key, (_, dest, dest_column) in shape.pointing.items()
                      if (dest, dest_column) == (table, column))

    def keys_pointing_to(self, table, columns):
        """The foreign keys (of any table, this one too) that point to exactly these columns of the table, in any
        order: one name for a composite key, however many columns it has."""
        found = set()
        for other, shape in self.tables.items():
            keys = {}
            for entry, (_, dest, dest_column) in shape.pointing.items():
                keys.setdefault(entry.split(" (")[0], []).append((dest, dest_column))
            found.update(f"foreign key {key} of {other}" for key, pointed in keys.items()
                         if {d for d, _ in pointed} == {table} and {c for _, c in pointed} == set(columns))
        return sorted(found)

    def stale_after_rename(self, table, column=None):
        """What names the table (or column) and would go on naming the old name after a rename."""
        if self.dialect is None or self.dialect.renames_follow:
            return []
        names = {table.lower()} | ({column.lower()} if column else set())
        found = [view for view, used in self.views.items() if names <= used]
        for other, shape in self.tables.items():
            found += [f"{label} on {other}" for label, used in shape.objects.items()
                      if label.startswith("trigger") and (names <= used or other == table and column and
                                                          column.lower() in used)]
        return sorted(found)

    def table_renamed(self, old, new):
        self._mentions_renamed(old, new)
        self.tables[new] = self.tables.pop(old)
        for shape in self.tables.values():
            shape.pointing = {k: (c, new if dest == old else dest, d) for k, (c, dest, d) in shape.pointing.items()}

    def column_renamed(self, table, old, new):
        self._mentions_renamed(old, new)
        shape = self.tables[table]

        def rename(name):
            return new if name == old else name

        shape.columns = {rename(n): c for n, c in shape.columns.items()}
        shape.indexes = {n: (tuple(map(rename, cols)), unique) for n, (cols, unique) in shape.indexes.items()}
        shape.key = tuple(map(rename, shape.key))
        shape.uniques = {n: tuple(map(rename, cols)) for n, cols in shape.uniques.items()}
        shape.pointing = {k: (rename(c), dest, d) for k, (c, dest, d) in shape.pointing.items()}
        for other in self.tables.values():
            other.pointing = {k: (c, dest, rename(d) if dest == table else d)
                              for k, (c, dest, d) in other.pointing.items()}

    def _mentions_renamed(self, old, new):
        """What mentioned the old name now mentions the new one too."""
        for used in [*self.views.values(), *(u for s in self.tables.values() for u in s.objects.values())]:
            if old.lower() in used:
                used.add(new.lower())

    def note_dropped(self, table, column=None):
        """When undoing: the rows a drop takes with it for good (a rollback keeps no backup of what a version
        made), counted where they are now: the live table, or the backup the rollback puts them back from."""
        if not (self.undoing and self.probe) or table not in self.tables:
            return
        columns = self.tables[table].columns
        held = [c for c in ([columns.get(column)] if column else columns.values()) if c and (c.origin or c.kept)]
        if held:
            origin, kept = held[0].origin, held[0].kept
            if column and origin and kept and kept[2]:  # the live values, but where a backup matched on a key puts
                where = (*origin, kept)                # its own back (a fill's undo puts back NULLs)
            else:
                where = origin or kept[:2]
                where = (where[0], where[1] if column else None)
            self._drops.append((str(self.version), table, column, where))
            self._dropped = None

    @property
    def dropped(self):
        """When undoing: {version, table, column, rows} of each table or column dropped with rows, counted in one
        query per table where the rows are now (the live table, or the backup a rollback puts them back from)."""
        if self._dropped is None:
            import peewee

            counts, places = {}, {where for *_, where in self._drops}
            plain = {where for where in places if len(where) == 2}  # the others: put back in part (note_dropped)
            for place in {there for there, _ in plain}:
                columns = sorted({column for there, column in plain if there == place and column})
                try:
                    rows, *held = self.probe.holding_each(place, columns)
                except peewee.DatabaseError:
                    continue  # the schema is not what the steps expect: what they drop is what there is as they run
                counts.update({(place, None): rows, **{(place, c): n for c, n in zip(columns, held)}})
            for where in places - plain:
                try:
                    counts[where] = self.probe.holding_after_restore(*where)
                except peewee.DatabaseError:
                    continue  # (as above)
            self._dropped = [{"version": version, "table": table, "column": column, "rows": counts[where]}
                             for version, table, column, where in self._drops if counts.get(where)]
        return self._dropped

    def follow(self, version, operation):
        """After an sql operation, whose effect is not known before it runs, a rollback's steps are not checked
        (they are as they run), but followed all the same to count what they drop: a rollback asks first."""
        import peewee

        self.version = version
        try:
            if operation.action in ("drop_table", "drop_column"):
                self.note_dropped(operation.table, getattr(operation, "column", None))
                table = self.tables.get(operation.table)
                if operation.action == "drop_table":
                    self.tables.pop(operation.table, None)
                elif table:
                    table.columns.pop(operation.column, None)
            elif operation.action in _FOLLOWED:
                operation.simulate(self)
        except (Problem, peewee.DatabaseError):
            pass  # the schema is not what the steps expect: what they drop is what there is as they run

    def kept_in(self, table, backup, columns, key=()):
        """The columns' values come back from `backup` (a rollback's restore_data), in the rows it matches on `key`
        (or all of them)."""
        shape = self.tables.get(table)
        for name in columns or (shape.columns if shape else ()):
            if shape and name in shape.columns:
                shape.columns[name].kept = (backup, name, tuple(key))

    def refuse_dependents(self, what, dependents, why):
        if not dependents:
            return
        # found in the live database, as data problems are: exit 1 everywhere, validate included
        owned, others = {}, []
        for dependent in dependents:
            owner = self.owners.get(dependent.split(" on ")[0].lower())
            if owner:
                owned.setdefault(owner, []).append(dependent)
            else:
                others.append(dependent)
        named = [f"{d} (made by repeatable {owner})" for owner, made in owned.items() for d in made]
        keys = [d for d in others if "foreign key" in d]
        how = ("drop_foreign_key" if keys == others else "with drop_foreign_key for a foreign key, an sql operation "
               "for the rest" if keys else "with an sql operation")
        advice = [f"Change or drop {'them' if not owned else ', '.join(others)} first ({how})"] if others else []
        advice += [f"{owner} has no down, so it stays applied: give it a down that drops {', '.join(made)} (a "
                   f"rollback then takes it down first), or change {owner} so that it no longer uses {what}"
                   for owner, made in owned.items()]
        raise DataProblem(f"{what} is used by {', '.join(others + named)}: {why}. {'. '.join(advice)}")

    def without(self, objects):
        """The shape without these views and triggers ({"view v", "trigger t"}, lowercased): what a rollback takes
        down first (the repeatables that have a down)."""
        self.views = {k: v for k, v in self.views.items() if k.lower() not in objects}
        for shape in self.tables.values():
            shape.objects = {k: v for k, v in shape.objects.items() if k.lower() not in objects}

    def table(self, name):
        if name not in self.tables:
            raise Problem(f"table {name} does not exist")
        return self.tables[name]

    def referred(self, param, table, column=None):
        """The table, or its column, that a foreign key given by parameter `param` refers to."""
        if table not in self.tables or column and column not in self.tables[table].columns:
            what = f"column {table}.{column}" if table in self.tables else f"table {table}"
            raise Problem(f"parameter '{param}': the foreign key refers to {what}, which does not exist")
        return self.tables[table].columns[column] if column else self.tables[table]

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

    def index_table(self, name, table):
        """The table that has an index of this name where it would clash with a new one on `table`: any table
        where index names are per schema, `table` itself where they are per table (MySQL/MariaDB)."""
        per_table = self.dialect is not None and self.dialect.index_names_per_table
        tables = [table] if per_table else list(self.tables)
        return next((t for t in tables if t in self.tables and name in self.tables[t].indexes), None)

    def refuse_taken_relation_name(self, name):
        """An index's name (a UNIQUE constraint's too) that a table, a view, a sequence... of the schema has,
        where they share one namespace (not on MySQL/MariaDB, where index names are per table)."""
        if self.dialect is not None and self.dialect.index_names_per_table:
            return
        if name in self.tables:
            raise Problem(f"{name} is the name of a table, which indexes share their names with")
        if name in self.others:
            raise Problem(f"{name} is the name of a {self.others[name]} of the schema, which {self.backend} indexes "
                          "share their names with")

    def absent_constraint(self, table, name):
        """No constraint (nor, where index names are per schema, an index) of this name stands in the way."""
        shape = self.table(table)
        if name in shape.checks or name in shape.uniques or f"constraint {name}" in shape.objects:
            raise Problem(f"table {table} already has a constraint named {name}")
        owner = self.index_table(name, table)
        if owner:
            raise Problem(f"an index named {name} already exists (on {owner})")
        if not self.uniques_in_text():
            self.refuse_taken_relation_name(name)

    def uniques_in_text(self):
        return self.dialect is not None and self.dialect.uniques_in_table_text

    def add_unique(self, table, name, columns):
        """A UNIQUE constraint the plan makes: an index where the backend makes one, else the table's text."""
        shape = self.table(table)
        shape.uniques[name] = columns
        if self.dialect is not None and self.dialect.uniques_in_table_text:
            shape.objects[f"constraint {name}"] = {c.lower() for c in columns}
        else:
            shape.indexes[name] = (columns, True)

    def drop_unique(self, table, name):
        shape = self.table(table)
        del shape.uniques[name]
        shape.indexes.pop(name, None)
        shape.objects.pop(f"constraint {name}", None)

    def names_in(self, sql):
        """The names SQL of the plan's own mentions (every name, when it cannot be read)."""
        return _names(sql, self.dialect)

    def live_table(self, table):
        """The table's live name when a probe can look at its rows as the plan has them: each column still the
        live column of the same name (not added or renamed by the plan)."""
        columns = self.table(table).columns
        live = self.live(*columns.values()) if columns else None
        same = live and all(name == column.origin[1] for name, column in columns.items())
        return live[0] if same else None

    def rows_as_planned(self, table):
        """(live table, [(live column or None, name)]) when a probe can look at the table's rows as the plan has
        them: each column a live column of one live table (renamed or not) or one the plan added empty (None)."""
        columns = self.table(table).columns
        kept = {c.origin[0] for c in columns.values() if c.origin is not None}
        if not self.probe or len(kept) != 1 or any(c.origin is None and not c.empty for c in columns.values()):
            return None
        return kept.pop(), [(c.origin and c.origin[1], name) for name, c in columns.items()]

    def live(self, *columns):
        """The live (table, column) pairs of these columns, when a probe can look at their data."""
        if not self.probe or any(c.origin is None for c in columns):
            return None
        tables = {c.origin[0] for c in columns}
        return (tables.pop(), [c.origin[1] for c in columns]) if len(tables) == 1 else None


_FOLLOWED = ("create_table", "add_column", "rename_table", "rename_column", "restore_data")


class Probe:
    """Questions about the data in the live database."""

    def __init__(self, db, dialect):
        self.db = db
        self.dialect = dialect

    def _count(self, sql):
        return self.db.execute_sql(sql).fetchone()[0]

    def holding_each(self, table, columns):
        """How many rows the table has, then how many have a value in each of `columns`: one scan."""
        q = self.dialect.quote
        counted = ", ".join(["COUNT(*)"] + [f"COUNT({q(column)})" for column in columns])
        return self.db.execute_sql(f"SELECT {counted} FROM {q(table)}").fetchone()

    def holding_after_restore(self, table, column, kept):
        """How many rows have a value in `column` once the rows a backup matches on its key take the backup's
        value: `kept` is (backup, its column, key)."""
        backup, backup_column, key = kept
        q = self.dialect.quote
        on = " AND ".join(f"t.{q(k)} = b.{q(k)}" for k in key)
        return self._count(f"SELECT COUNT(*) FROM {q(table)} AS t LEFT JOIN {q(backup)} AS b ON {on} WHERE CASE "
                           f"WHEN b.{q(key[0])} IS NULL THEN t.{q(column)} ELSE b.{q(backup_column)} END IS NOT NULL")

    def has_values(self, table, column):
        """Whether any row has a value in `column` (the first one found ends the scan, where `holding_each`
        counts)."""
        q = self.dialect.quote
        return self.db.execute_sql(f"SELECT 1 FROM {q(table)} WHERE {q(column)} IS NOT NULL LIMIT 1").fetchone() \
            is not None

    def nulls(self, table, column):
        q = self.dialect.quote
        return self._count(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(column)} IS NULL")

    def duplicates(self, table, columns):
        q = self.dialect.quote
        cols = ", ".join(q(c) for c in columns)
        not_null = " AND ".join(f"{q(c)} IS NOT NULL" for c in columns)
        return self._count(f"SELECT COUNT(*) FROM (SELECT 1 AS one FROM {q(table)} WHERE {not_null} "
                           f"GROUP BY {cols} HAVING COUNT(*) > 1) AS duplicated")

    def expression_duplicates(self, table, columns, expressions, where, unique):
        """How many values of the columns and expressions are duplicated among the rows `where` holds for (0
        unless `unique`: then only the SQL is tried). InvalidSql when the database cannot run the SQL given."""
        q = self.dialect.quote
        keys = [q(c) for c in columns] + [f"({e})" for e in expressions]
        condition = f"({where})" if where else "1 = 1"
        self._try(f"SELECT {', '.join(f'({e})' for e in expressions) or '1'} FROM {q(table)} WHERE 1 = 0",
                  "expressions")
        self._try(f"SELECT 1 FROM {q(table)} WHERE {condition} AND 1 = 0", "where")
        if not unique:
            return 0
        not_null = " AND ".join(f"{k} IS NOT NULL" for k in keys)  # NULLs are never duplicates in an index
        return self._try(f"SELECT COUNT(*) FROM (SELECT 1 AS one FROM {q(table)} WHERE {condition} AND {not_null} "
                         f"GROUP BY {', '.join(keys)} HAVING COUNT(*) > 1) AS duplicated", "expressions")[0][0]

    def fill_sql(self, table, expression):
        """Try a fill's expression on the table's rows (none read). InvalidSql when the database cannot run it."""
        self._try(f"SELECT ({expression}) FROM {self.dialect.quote(table)} WHERE 1 = 0", "fill")

    def _try(self, sql, param):
        """The rows of SQL made of a spec's text, run in a savepoint that is always rolled back: PostgreSQL's
        transaction survives an error, and whatever the text does beyond a SELECT (it is SQL as written) is not
        kept."""
        import peewee

        try:
            with self.db.atomic() as probe:
                rows = self.db.execute_sql(self.dialect.as_written(sql)).fetchall()
                probe.rollback()
                return rows
        except peewee.DatabaseError as error:
            raise InvalidSql(f"the database cannot run it: {str(error).strip().splitlines()[0]}", param) from None

    def unmatched(self, table, key, backup, backup_key):
        """How many rows of the table have no row in the backup, matched on the key: `key` as the table names
        its columns now, `backup_key` the same columns as the backup names them."""
        q = self.dialect.quote
        match = " AND ".join(f"b.{q(kept)} = t.{q(k)}" for k, kept in zip(key, backup_key))
        return self._count(f"SELECT COUNT(*) FROM {q(table)} AS t WHERE NOT EXISTS "
                           f"(SELECT 1 FROM {q(backup)} AS b WHERE {match})")

    def rows_changed(self, table, columns, backup, backup_columns):
        """How many rows (at least) differ between the table and the backup, compared as multisets on `columns`
        (as the table names them now; `backup_columns`, the same as the backup names them)."""
        q, exact = self.dialect.quote, self.dialect.exactly
        names = [f"k{i}" for i in range(len(columns))]
        live = ", ".join(f"{exact(q(c))} AS {n}" for c, n in zip(columns, names))
        kept = ", ".join(f"{exact(q(c))} AS {n}" for c, n in zip(backup_columns, names))
        both = (f"SELECT {live}, 1 AS now, 0 AS was FROM {q(table)} "
                f"UNION ALL SELECT {kept}, 0 AS now, 1 AS was FROM {q(backup)}")
        return self._count(f"SELECT COALESCE(SUM(ABS(n - w)), 0) FROM (SELECT SUM(now) AS n, SUM(was) AS w FROM "
                           f"({both}) AS rows_of_both GROUP BY {', '.join(names)}) AS counted")

    def violating(self, table, check, columns=None):
        """How many rows a CHECK expression is false for (NULL, unknown, passes, as on every backend); an
        expression the database cannot evaluate is a Problem naming why. With `columns` (Shape.rows_as_planned),
        on the rows as the plan has them: the live columns under their planned names, the added ones NULL (then an
        expression that cannot be evaluated so is not known: None, checked when it runs)."""
        import peewee

        q = self.dialect.quote
        rows = q(table) if columns is None else "(SELECT " + ", ".join(
            f"{q(live) if live else 'NULL'} AS {q(name)}" for live, name in columns) + f" FROM {q(table)}) AS t"
        try:
            with self.db.atomic():  # a failed statement leaves PostgreSQL's transaction usable
                return self._count(f"SELECT COUNT(*) FROM {rows} WHERE NOT ({check})")
        except peewee.DatabaseError as error:
            if columns is not None:
                return None
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise Problem(f"cannot be evaluated on {table} by the database ({check}): {first}") from None
    def orphans(self, table, columns, ref_table, ref_columns, shown=3):
        """(How many rows of `table` have `columns` all non-NULL and no row of `ref_table` with those values in
        `ref_columns`, the first `shown` such values, and one more when there are more)."""
        q = self.dialect.quote
        match = " AND ".join(f"r.{q(rc)} = t.{q(c)}" for c, rc in zip(columns, ref_columns))
        where = " AND ".join(f"t.{q(c)} IS NOT NULL" for c in columns)
        orphaned = (f"FROM {q(table)} AS t WHERE {where} AND NOT EXISTS "
                    f"(SELECT 1 FROM {q(ref_table)} AS r WHERE {match})")
        count = self._count(f"SELECT COUNT(*) {orphaned}")
        if not count:
            return 0, []
        names = ", ".join(f"t.{q(c)}" for c in columns)
        values = self.db.execute_sql(f"SELECT DISTINCT {names} {orphaned} ORDER BY {names} LIMIT {int(shown) + 1}")
        return count, [row[0] if len(row) == 1 else tuple(row) for row in values.fetchall()]

    def unconvertible(self, table, column, spec):
        return self.dialect.conversion_problem(self.db, table, column, spec)

    def changed_by(self, table, column, old_type, spec):
        """How many values of the column the new type would store differently (None: not known)."""
        return self.dialect.changed_values(self.db, table, column, old_type, spec)


def _checks(table, dialect):
    if dialect is None:
        return {c.name: c.expression for c in table.checks}
    return dialect.check_constraints(table)


def _uniques(table, dialect):
    if dialect is None:  # every unique index may be one (MySQL/MariaDB keeps a UNIQUE constraint as one)
        return {i.name: tuple(i.columns) for i in table.indexes if i.constraint or i.unique and not i.definition}
    return dialect.unique_constraints(table)


def _names(sql, dialect):
    """The names an object's SQL mentions, lowercased (every name, when it cannot be read)."""
    from .dialects import ANY_BACKEND_SQL
    from .sqltext import names_in

    found = names_in(sql, dialect.name if dialect else ANY_BACKEND_SQL)
    return found if found is not None else _Everything()


class _Everything(set):
    """The names of SQL that could not be read: it may mention anything."""

    def __contains__(self, name):
        return True

    def __ge__(self, names):
        return True


def check_plan(shape, versions, structural=None):
    """Simulate each (version, operations) in order; raise at the first problem. Return where the checks stopped,
    (version, index) of the first operation after an sql operation (whose effect is not known before it runs),
    or None when every operation was checked.

    A problem with the data raises PreflightFailed; one with the schema raises `structural`
    (PreflightFailed too unless given).
    """
    stopped = None
    for version, operations in versions:
        for index, operation in enumerate(operations):
            if shape.opaque and not stopped:
                stopped = version, index
                if not shape.undoing:
                    return stopped
            if stopped:
                shape.follow(version, operation)
            else:
                check_one(shape, version, index, operation, structural)
    return stopped


def check_one(shape, version, index, operation, structural=None):
    shape.version = version
    try:
        operation.simulate(shape)
    except Problem as found:
        error = PreflightFailed if isinstance(found, DataProblem) else structural or PreflightFailed
        where = step_of(version, index, operation.action, shape.undoing, operation.undoes)
        raise error(f"{where}: {found}") from None

