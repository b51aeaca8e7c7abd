"""SQLite: one transaction per run, table rebuilds by SQLite's documented procedure."""
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field, replace

from ..errors import LockTimeout, OperationFailed, step_of
from ..locks import FileLock
from ..safety import COPY, INSTANT, REWRITE, SCAN_UNDER_LOCK, Rating
from .base import UNSET, Dialect, uninterrupted

READ_BESIDE_A_RUN_SECONDS = 0.2  # a moment a run's commit may hold the file


class SqliteDialect(Dialect):
    name = "sqlite"
    label = "SQLite"
    sql_keys = ("sqlite",)
    lock_class = FileLock
    places_columns = True
    cuts_long_values = False
    adds_foreign_keys = False
    reports_foreign_key_names = False  # read from the table's text, where a CONSTRAINT names one
    types = {
        "integer": ("IntegerField", ()), "bigint": ("BigIntegerField", ()), "smallint": ("SmallIntegerField", ()),
        "varchar": ("CharField", ("max_length",)), "char": ("FixedCharField", ("max_length",)),
        "text": ("TextField", ()), "real": ("FloatField", ()), "blob": ("BlobField", ()),
        "decimal": ("DecimalField", ("max_digits", "decimal_places")), "datetime": ("DateTimeField", ()),
        "date": ("DateField", ()), "time": ("TimeField", ()),
    }
    _TABLE = """
        SELECT 'table', 0, name, sql, NULL, NULL, NULL FROM sqlite_master WHERE type = 'table' AND name = :t
        UNION ALL SELECT 'column', cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(:t)
        UNION ALL SELECT 'index', seqno, index_name, name, "unique", unusual,
            CASE WHEN unusual THEN (SELECT sql FROM sqlite_master WHERE type = 'index' AND name = index_name) END
            FROM (SELECT ii.seqno, il.name AS index_name, ii.name, il."unique",
                         il.partial OR ii."desc" OR ii.cid < 0 OR ii.coll IS NOT 'BINARY' AS unusual
                  FROM pragma_index_list(:t) AS il JOIN pragma_index_xinfo(il.name) AS ii
                  WHERE il.origin = 'c' AND ii.key)
        UNION ALL SELECT 'fk', f.id, f."from", f."table", f.on_delete, f.on_update,
            COALESCE(f."to", (SELECT p.name FROM pragma_table_info(f."table") AS p WHERE p.pk = f.seq + 1))
            FROM pragma_foreign_key_list(:t) AS f
        UNION ALL SELECT 'trigger', 0, name, sql, NULL, NULL, NULL FROM sqlite_master
            WHERE type = 'trigger' AND tbl_name = :t"""

    # Ratings (safety.py): a rebuild copies the table; any writer locks the whole file anyway, so none is online.
    ratings = {"rename_column": INSTANT, "rename_table": INSTANT, "create_table": INSTANT, "drop_table": INSTANT,
               "drop_index": INSTANT, "add_trigger": INSTANT, "drop_trigger": INSTANT, "add_index": SCAN_UNDER_LOCK,
               "rename_index": SCAN_UNDER_LOCK, **dict.fromkeys((
                   "alter_column_type", "add_not_null", "drop_not_null", "add_default", "drop_default", "add_check",
                   "drop_check", "add_unique", "drop_unique", "add_foreign_key", "drop_foreign_key"), COPY)}

    def _rate_add_column(self, op, table):
        if op.after or op.first or not op.field.null:
            return Rating(COPY)  # placed, or NOT NULL (set after, or the default it is added with dropped): a rebuild
        return Rating(SCAN_UNDER_LOCK if op.field.get("index") or op.field.get("unique") else INSTANT)

    def _rate_drop_column(self, op, table):
        column = table and table.column(op.column)
        if column and (column.primary_key or table.foreign_key(op.column)):
            return Rating(COPY)
        return Rating(REWRITE)  # SQLite's own DROP COLUMN rewrites every row

    def broken_view(self, name):
        import peewee

        try:
            self.db.execute_sql(f"SELECT * FROM {self.quote(name)} LIMIT 0")
        except peewee.DatabaseError as error:
            return str(error).strip().splitlines()[0]
        return None

    def table_names(self):
        # SQLite's own tables (sqlite_sequence, made by the first AUTOINCREMENT table; sqlite_stat1, by ANALYZE)
        # are no part of the schema: no spec makes them, and they cannot be dropped
        return {name for name in super().table_names() if not name.lower().startswith("sqlite_")}

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata

        rows = self.db.execute_sql(self._TABLE, {"t": name}).fetchall()
        if not any(kind == "table" for kind, *_ in rows):
            return None
        columns = sorted((r for r in rows if r[0] == "column"), key=lambda r: r[1])
        keys = [r for r in columns if r[6]]
        rowid = len(keys) == 1 and (keys[0][3] or "").upper() == "INTEGER"
        indexes, special = {}, {}  # special: the SQL of the indexes add_index cannot describe
        for _, _, index, column, unique, unusual, sql in sorted((r for r in rows if r[0] == "index"),
                                                                key=lambda r: (r[2], r[1])):
            indexes.setdefault(index, IndexMetadata(index, None, [], bool(unique), name)).columns.append(column)
            if unusual:
                special[index] = sql
        create_sql = next(sql for kind, _, _, sql, *_ in rows if kind == "table")
        names = self._foreign_key_names(name, create_sql) if any(r[0] == "fk" for r in rows) else {}
        extras = {"key": [r[2] for r in sorted(keys, key=lambda r: r[6])],
                  "triggers": [(trigger, sql) for kind, _, trigger, sql, *_ in rows if kind == "trigger"],
                  "checks": _table_constraints(create_sql)}
        return ([ColumnMetadata(n, t, not notnull, bool(pk), name, default, t, bool(pk) and rowid)
                 for _, _, n, t, notnull, default, pk in columns],
                [i._replace(sql=special.get(i.name)) for i in indexes.values()],
                [ForeignKeyMetadata(column, dest, dest_column, name, names.get(key), on_delete, on_update)
                 for kind, key, column, dest, on_delete, on_update, dest_column in rows if kind == "fk"],
                extras)

    def _foreign_key_names(self, table, create_sql):
        """{the key's id in pragma_foreign_key_list: its name}, from the table's text (SQLite's catalog does not
        report it): a FOREIGN KEY table constraint or a column's REFERENCES named by CONSTRAINT, matched on its
        columns and referenced table. SQLite lists the keys last declared first."""
        if "constraint" not in create_sql.lower():
            return {}
        from .sqlite_table import CreateTable, named_foreign_keys

        named = named_foreign_keys(CreateTable.parse(create_sql))
        keys = {}
        for key, column, dest in self.db.execute_sql('SELECT id, "from", "table" FROM pragma_foreign_key_list(?) '
                                                     'ORDER BY id, seq', (table,)):
            keys.setdefault(key, ([], dest.lower()))[0].append(column.lower())
        found = {}
        for key in sorted(keys, reverse=True):  # in the order the text declares them
            columns, dest = keys[key]
            match = next((n for n in named if n[1:] == (tuple(columns), dest)), None)
            if match:
                named.remove(match)
                found[key] = match[0]
        return found

    fleet_parallel = min(4, os.cpu_count() or 1)  # a run on a file is this machine's work

    @classmethod
    def databases_named(cls, url):
        """A URL naming a folder (each SQLite database in it) or a glob pattern (each file it matches, without
        SQLite's own files beside a database and migrator's lock files) names many; sorted."""
        import glob
        from pathlib import Path

        from ..errors import SpecError

        scheme, _, rest = url.partition("://")
        path, question, options = rest[1:].partition("?") if rest.startswith("/") else (rest, "", "")
        if os.path.isdir(path):
            files = [str(p) for p in sorted(Path(path).iterdir()) if p.is_file() and _is_database_file(p)]
        elif glob.has_magic(path):
            files = [f for f in sorted(glob.glob(path)) if os.path.isfile(f) and _is_database_file(f)]
        else:
            return [url]
        if not files:
            raise SpecError(f"{url}: no SQLite database file matches")
        return [f"{scheme}:///{f}{question}{options}" for f in files]

    @classmethod
    def server_of(cls, url):
        return None

    @classmethod
    def identity(cls, url):
        return os.path.realpath(cls._file(url))

    @classmethod
    def missing_database(cls, url):
        name = cls._file(url)
        if name not in ("", ":memory:") and not os.path.exists(name):
            cls.refuse_unreachable(url)
            return f"the database file {name} does not exist"
        return None

    @classmethod
    def refuse_unreachable(cls, url):
        """A file whose folder does not exist cannot be made: `migrate` makes the file, not its folders. A URL with
        two slashes names its file as a host, which SQLite has none of."""
        from playhouse.db_url import parse

        from ..config import mask_url
        from ..errors import ConnectionFailed, SpecError

        parts = parse(url)
        host, name = parts.get("host"), parts.get("database", "")
        if host:
            raise SpecError(f"{mask_url(url)}: two slashes make {host} a host, and SQLite has none: a file takes "
                            f"three (sqlite:///{host}), or four from the root (sqlite:////var/data/{host})")
        folder = os.path.dirname(name)
        if folder and not name.startswith("file:") and not os.path.isdir(folder):  # (":memory:" has none)
            raise ConnectionFailed(f"cannot connect to {mask_url(url)}: the folder {folder} does not exist (migrate "
                                   "makes the database file, not its folder)")

    @staticmethod
    def _file(url):
        from playhouse.db_url import parse

        return parse(url).get("database", "")

    @classmethod
    def empty_stand_in(cls, url):
        """An empty in-memory database, with the URL's options: what a new file would be."""
        scheme, _, rest = url.partition(":")
        _, question, options = rest.partition("?")
        return f"{scheme}:///:memory:{question}{options}"

    def _mapped_type(self, type_text):
        spec = super()._mapped_type(type_text)
        # SQLite keeps the declared text, so only a field that writes it back verbatim will do.
        return spec if spec and self.type_sql(spec) == type_text else None

    def schema_migrator(self):
        from playhouse.migrate import SqliteMigrator

        return SqliteMigrator(self.db)

    @contextmanager
    def migration_context(self):
        # Foreign keys must be off while a table is rebuilt; the pragma only works outside a transaction.
        if self.db.in_transaction():
            yield  # a run's batch (or the caller's transaction) set it, and it cannot change now
            return
        enabled = bool(self.db.pragma("foreign_keys"))
        if enabled:
            self.db.pragma("foreign_keys", 0)
        try:
            yield
        finally:
            if enabled:
                self.db.pragma("foreign_keys", 1)

    @contextmanager
    def reading_beside(self, holder):
        """While a run holds the lock, a read SQLite would make wait until the run commits (a run writing more than
        fits in its cache holds the whole file; Peewee waits 5 s, then fails) is refused at once, naming who holds
        the lock, as validate refuses (exit 3)."""
        if holder is None:
            yield
            return
        import peewee

        waits, self.db.timeout = self.db.timeout, READ_BESIDE_A_RUN_SECONDS
        try:
            yield
        except peewee.OperationalError as error:
            if "locked" not in str(error):
                raise
            raise LockTimeout(f"a run is in progress (the migration lock is held by {holder}), and SQLite lets no "
                              "one read the database while a run writes it: look again when the run has finished") \
                from None
        finally:
            self.db.timeout = waits

    @contextmanager
    def batch(self):
        """One transaction for a whole run, each version a savepoint in it: a writer locks the whole file
        anyway, and one commit saves a disk flush per version. The versions before a failing one are kept."""
        with self.migration_context(), self.db.atomic() as transaction:
            try:
                yield
            except BaseException:
                transaction.commit()  # the failing version's savepoint is already rolled back
                raise

    @contextmanager
    def scratch_space(self, settings, name, copy=True):
        import shutil
        import sqlite3
        import tempfile

        folder = tempfile.mkdtemp(prefix="migrator-verify-")
        try:
            path = os.path.join(folder, f"{name}.db")
            if not copy:
                yield replace(settings, database_url=f"sqlite:///{path}"), "an empty SQLite file", False
                return
            target = sqlite3.connect(path)
            self.db.connection().backup(target)
            target.close()
            yield replace(settings, database_url=f"sqlite:///{path}"), "a copy of the SQLite file", True
        finally:
            with uninterrupted():
                shutil.rmtree(folder, ignore_errors=True)

    def shown_url(self):
        return f"sqlite:///{self.db.database}"

    def qualified(self, table):
        return self.quote(table)  # the scratch copy is the whole file: nothing is reached from outside

    def check_integrity(self, ctx, version):
        """Foreign keys are off while a version runs (for its table rebuilds): at its end, every key must hold."""
        import peewee

        try:
            broken = self.db.execute_sql("PRAGMA foreign_key_check").fetchall()
        except peewee.DatabaseError as error:  # "foreign key mismatch": a key's referenced columns are not unique
            raise OperationFailed(f"{version}: at its end, a foreign key no longer points to a primary key or "
                                  f"unique columns ({str(error).strip()}); {version} was undone") from None
        if broken:
            table, row, parent, _ = broken[0]
            raise OperationFailed(f"{version}: at its end, the foreign keys do not hold: table {table} row {row} "
                                  f"references a missing row of {parent} ({len(broken)} such "
                                  f"{'row' if len(broken) == 1 else 'rows'} in all; a row that broke its key before "
                                  f"this version counts too: `PRAGMA foreign_key_check` lists them). {version} was "
                                  "undone: fix those rows, then migrate again")

    # Operations that can share a table rebuild asked for by one before them in the same version.
    _SHARE_A_REBUILD = {"add_column", "rename_column", "drop_column", "add_not_null", "drop_not_null",
                        "alter_column_type", "add_default", "drop_default", "restore_data", "data_not_kept",
                        "add_check", "drop_check", "add_unique", "drop_unique", "add_foreign_key", "drop_foreign_key"}

    def run_deferred(self, ctx, operation=None):
        if ctx.deferred and (operation is None or operation.action not in self._SHARE_A_REBUILD):
            self._run_rebuilds(ctx)

    def _run_rebuilds(self, ctx):
        for name in list(ctx.deferred):
            self._run_rebuild(ctx, ctx.deferred.pop(name))

    def add_to_rebuild(self, ctx, table, column, spec, place=None):
        from ..introspect import Column

        rebuild = ctx.deferred.get(table)
        if rebuild and spec.null and not spec.referenced and not (spec.get("index") or spec.get("unique")):
            rebuild.add(Column(column, self.type_sql(spec), True, None), place)
            return True
        self._run_rebuilds(ctx)
        return False

    def equivalent_column(self, column, table):
        """`id INTEGER PRIMARY KEY` written by hand, without NOT NULL, is the rowid: it can hold no NULL."""
        keys = [c for c in table["columns"] if c["primary_key"]]
        if keys == [column] and column["type"].upper() == "INTEGER":
            return {**column, "null": False}
        return column

    def compared_sql(self, sql):
        # SQLite keeps SQL as written, but writes a name it renames quoted ("t0" after renaming r15 back).
        if not any(mark in sql for mark in '"`['):
            return sql  # nothing quoted: no need to read it (or to import the reader)
        from ..sqltext import without_needless_quotes

        return without_needless_quotes(sql, self.name)

    def index_definition(self, table, index):
        """The index's own text, as SQLite keeps it, so that it comes back exactly as written."""
        found = self.db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                    (index.name,)).fetchone()
        return found[0] if found else index.definition

    def unrenamable_index(self, table, name):
        if name.lower().startswith("sqlite_autoindex_"):
            return ("is the index SQLite made for a PRIMARY KEY or UNIQUE constraint in the table's definition: "
                    "SQLite names it, and it cannot be renamed")
        return None

    def in_column_definition(self, table, name):
        from ..sqltext import tokens
        from .column_text import keyword
        from .sqlite_table import CreateTable

        create_sql = self._create_sql(table)
        if not create_sql or name.lower() not in create_sql.lower():
            return None
        for item in CreateTable.parse(create_sql).items:
            words = tokens(item.text, "sqlite") if item.name else []
            for at, word in enumerate(words[:-2]):
                if keyword(word) == "CONSTRAINT" and words[at + 1].text.lower() == name.lower():
                    return item.name, keyword(words[at + 2])
        return None

    def index_namespace(self):
        return {name: "view" for name, in self.db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'view'")}

    def unseen_index(self, table, name):
        if name.lower().startswith("sqlite_autoindex_"):
            return ("is the index SQLite made for a PRIMARY KEY or UNIQUE constraint written in the table's text: "
                    "it goes with the constraint (a UNIQUE one: drop_unique)")
        return None

    def rename_index(self, ctx, table, old, new):
        """SQLite has no RENAME INDEX: the index is dropped, and made again from its own text with the name
        changed, which keeps its WHERE, expressions, orders and collations as written."""
        from ..sqltext import with_index_name

        found = self.db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND "
                                    "tbl_name = ?", (old, table)).fetchone()
        if not found or not found[0]:
            raise OperationFailed(f"table {table} has no index {old} made by CREATE INDEX")
        ctx.execute_sql(f"DROP INDEX {self.quote(old)}")
        ctx.execute_sql(with_index_name(found[0], self.name, new))

    def column_text(self, table, column):
        """The column's text, and the FOREIGN KEY constraints of it alone, which go with it."""
        from .sqlite_table import CreateTable, foreign_key_column, references_clause, with_references

        create_sql, = self.db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                          (table.name,)).fetchone()
        items = CreateTable.parse(create_sql).items
        text = next((i.text for i in items if i.name == column), None)
        keys = tuple(i.text for i in items if i.name is None and foreign_key_column(i.text) == column.lower())
        if text and table.foreign_key(column) is None:  # its key dropped by a rebuild not run yet: without it
            clause = references_clause(text)
            text, keys = with_references(text, None) if clause else text, ()
        return text and (text, *keys)

    def add_column(self, ctx, table, name, spec, place=None, definition=None):
        """A column with its own text back (a rollback's) is written into a rebuild of the table, where it was."""
        if definition is None:
            return super().add_column(ctx, table, name, spec, place)
        from .sqlite_table import declared

        if table not in ctx.deferred:
            self._defer_rebuild(ctx, table, ctx.require_table(table).columns)
        text, *keys = (definition,) if isinstance(definition, str) else definition
        column = declared(name, text)
        rebuild = ctx.deferred[table]
        value = "NULL" if column.null else column.default if column.default is not None else \
            self.placeholder(column.type)
        rebuild.add(column, place, text, value)
        rebuild.constraints += [(name, key) for key in keys]

    # CHECK and UNIQUE constraints live only in the table's text: a rebuild writes them in or leaves them out.
    uniques_in_table_text = True

    def check_expression(self, check):
        from .sqlite_table import constraint_parts

        parts = constraint_parts(check.expression)
        return parts[1] if parts and parts[0] == "CHECK" else None

    def catalog_digest(self):
        import hashlib

        rows = self.db.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()

    def database_key(self):
        return os.path.realpath(self.db.database)

    def unique_constraints(self, table):
        if not table.checks:
            return {}  # (and the SQL reader, a fifth of a small run's start-up, is not imported)
        from .sqlite_table import constraint_parts, unique_columns

        found = {c.name: constraint_parts(c.expression) for c in table.checks}
        return {name: unique_columns(parts[1]) for name, parts in found.items() if parts and parts[0] == "UNIQUE"}

    def constraint_text(self, table, name):
        from .sqlite_table import CreateTable

        create_sql = self._create_sql(table.name)
        return create_sql and CreateTable.parse(create_sql).constraint(name)

    def _create_sql(self, table):
        found = self.db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                    (table,)).fetchone()
        return found and found[0]

    def add_check(self, ctx, op):
        text = op.definition or f" CONSTRAINT {self.quote(op.name)} CHECK ({op.expression})"
        self._rebuild_with_constraint(ctx, op.table, op.name, text)

    def add_unique(self, ctx, op):
        columns = ", ".join(self.quote(c) for c in op.columns)
        text = op.definition or f" CONSTRAINT {self.quote(op.constraint_name)} UNIQUE ({columns})"
        self._rebuild_with_constraint(ctx, op.table, op.constraint_name, text)

    def drop_check(self, ctx, table, name):
        self._rebuild_without_constraint(ctx, table, name)

    def drop_unique(self, ctx, table, name):
        self._rebuild_without_constraint(ctx, table, name)

    def _rebuild_with_constraint(self, ctx, table, name, text):
        self._defer_rebuild(ctx, table, ctx.require_table(table).columns)
        ctx.deferred[table].added_constraints[name.lower()] = (name, text)

    def _rebuild_without_constraint(self, ctx, table, name):
        self._defer_rebuild(ctx, table, ctx.require_table(table).columns)
        rebuild = ctx.deferred[table]
        if rebuild.added_constraints.pop(name.lower(), None) is None:  # not one this rebuild was to add
            rebuild.dropped_constraints.add(name.lower())

    def with_unique(self, table, name, columns):
        from ..introspect import Check

        text = f"CONSTRAINT {self.quote(name)} UNIQUE ({', '.join(self.quote(c) for c in columns)})"
        return replace(table, checks=table.checks + (Check(name, text),))
    def add_foreign_key(self, ctx, op, ref_columns):
        """SQLite cannot add a constraint to a table: a rebuild writes it into the table's text (shared with the
        version's other changes to the table); the foreign key check at the version's end finds any row it
        would break."""
        from ..introspect import ForeignKey
        from .sqlite_table import foreign_key_text, in_column_text

        self._defer_rebuild(ctx, op.table, ctx.require_table(op.table).columns)
        rebuild = ctx.deferred[op.table]
        text = op.definition or foreign_key_text(op.key_name, op.columns, op.ref_table, ref_columns, op.on_delete,
                                                 op.on_update)
        if in_column_text(text):  # given back into its column's own text, where it was
            rebuild.references[op.columns[0]] = text
        else:
            rebuild.constraints.append((op.columns[0], text))
        rebuild.added_keys += [ForeignKey(c, op.ref_table, rc, op.on_delete, op.on_update, op.key_name, False)
                               for c, rc in zip(op.columns, ref_columns)]

    def drop_foreign_key(self, ctx, table, name, columns):
        """A rebuild leaves the key's FOREIGN KEY constraint out of the table's text, or cuts the REFERENCES clause
        that ends its column's text (a key written in the column)."""
        from .sqlite_table import foreign_key_parts, in_column_text

        key = name or tuple(c.lower() for c in columns)
        rebuild = ctx.deferred.get(table)
        added = rebuild and [c for c in rebuild.constraints if key in (foreign_key_parts(c[1]) or ())]
        if added:  # added by this version, not yet in the table's text
            rebuild.constraints.remove(added[0])
            rebuild.added_keys = [k for k in rebuild.added_keys if not (k.name == name and name)]
            return
        if rebuild and rebuild.references.get(columns[0]) and not name:
            del rebuild.references[columns[0]]  # given back by this version into the column's text
            return
        definition = self.foreign_key_definition(ctx.require_table(table), name, columns)
        if definition is None:
            raise OperationFailed(f"the foreign key of {table}.{', '.join(columns)} is written in the column's own "
                                  "definition, and another constraint follows it there: SQLite cannot drop it "
                                  "alone. Rebuild the table (with an sql operation)")
        self._defer_rebuild(ctx, table, ctx.require_table(table).columns)
        if in_column_text(definition):
            ctx.deferred[table].references[columns[0]] = None
        else:
            ctx.deferred[table].dropped_keys.append(key)

    def unique_column_sets(self, table):
        rows = self.db.execute_sql('SELECT il.name, ii.name FROM pragma_index_list(?) AS il '
                                   'JOIN pragma_index_info(il.name) AS ii WHERE il."unique" AND il.origin = \'u\'',
                                   (table,)).fetchall()
        found = {}
        for index, column in rows:
            found.setdefault(index, set()).add(column)
        return list(found.values())

    def foreign_key_definition(self, table, name, columns):
        """The key's FOREIGN KEY constraint in the table's text; for a key of one column without a name written in
        the column's own text, the REFERENCES clause that ends it there."""
        from .sqlite_table import CreateTable, foreign_key_parts, references_clause

        create_sql, = self.db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                          (table.name,)).fetchone()
        items = CreateTable.parse(create_sql).items
        key = name or tuple(c.lower() for c in columns)
        found = next((i.text for i in items if i.name is None and key in (foreign_key_parts(i.text) or ())), None)
        if found or len(columns) != 1:
            return found
        column = next((i.text for i in items if i.name and i.name.lower() == columns[0].lower()), "")
        clause = references_clause(column)
        text = column[clause[0]:clause[1]] if clause else None
        if text and name:  # a key named in its column's text: CONSTRAINT name REFERENCES ...
            from ..sqltext import tokens

            words = tokens(text, "sqlite")
            named = len(words) > 2 and words[0].text.upper() == "CONSTRAINT" and words[1].text == name
            return text if named else None
        return None if name else text

    def place_column(self, ctx, table, name, place):
        if place:  # SQLite adds a column last: a rebuild puts it in its place
            self._defer_rebuild(ctx, table, _placed(ctx.require_table(table).columns, name, place))

    def views(self):
        return dict(self.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())

    def table_definition(self, table):
        statements = [sql for sql, in self.db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,))]
        sequence = self._sequence(table.name)
        if sequence is not None:
            statements.append(f"INSERT INTO sqlite_sequence (name, seq) VALUES ({self.literal(table.name)}, "
                              f"{sequence})")
        return statements

    def added_column(self, ctx, table, name, spec):
        from ..introspect import Column

        # SQLite keeps the declared type as written; an index, a key or a rebuild would change more.
        plain = spec.null and spec.type != "ForeignKeyField" and not (spec.get("index") or spec.get("unique"))
        return Column(name, self.type_sql(spec), True, None) if plain and table not in ctx.deferred else None

    def update_some(self, table, assignment, where, limit):
        q = self.quote
        return (f"UPDATE {q(table)} SET {assignment} WHERE rowid IN "
                f"(SELECT rowid FROM {q(table)} WHERE {where} LIMIT {limit})")

    def fill_nulls(self, ctx, table, column):
        rebuild = ctx.deferred.get(table)
        if rebuild and column.name in rebuild.sources:  # its values are not in the table yet
            self._run_rebuilds(ctx)
        super().fill_nulls(ctx, table, column)

    def back_up(self, ctx, backup, table, columns, where=None):
        rebuild = ctx.deferred.get(table.name)
        if rebuild and (not columns or set(columns) & set(rebuild.sources)):  # values not in the table yet
            self._run_rebuilds(ctx)
        super().back_up(ctx, backup, table, columns, where)

    def restore(self, ctx, step):
        rebuild = ctx.deferred.get(step.table)
        if rebuild and step.key:  # the rebuild copies the kept values in as it copies the rows
            rebuild.take_from(step.backup, step.columns, step.key, self.quote)
            ctx.consumed_backups.append(step.backup)
        else:
            self._run_rebuilds(ctx)
            super().restore(ctx, step)

    def rename_column(self, ctx, table, old, new):
        rebuild = ctx.deferred.get(table)
        # its source, or a constraint the rebuild adds, names the old column: rebuild before the rename
        if rebuild and (old in rebuild.sources or rebuild.added_constraints):
            self._run_rebuilds(ctx)
        elif rebuild:
            rebuild.rename(old, new)  # renamed in place now; the rebuild copies the new name
        super().rename_column(ctx, table, old, new)

    def _drop_column(self, ctx, table, column, cascade):
        info = table.column(column)
        if table.name in ctx.deferred or info and (info.primary_key or table.foreign_key(column)):
            self._defer_rebuild(ctx, table.name, [c for c in table.columns if c.name != column])
        else:  # native DROP COLUMN refuses a key column
            super()._drop_column(ctx, table, column, cascade=False)

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        from ..introspect import Column

        planned = ctx.require_table(table)
        current = ctx.require_column(table, column)
        changed = Column(
            column, self.type_sql(type) if type else current.type,
            current.null if null is None else null,
            current.default if default is UNSET else default if default is None else self.literal(default),
            current.primary_key, current.auto_increment)
        self._defer_rebuild(ctx, table, [changed if c.name == column else c for c in planned.columns])

    def _defer_rebuild(self, ctx, name, columns):
        """Ask for the table to be rebuilt with these columns: the rebuild runs once, before the next operation
        that cannot share it or at the end of the version, however many operations change the table till then."""
        if name not in ctx.deferred:
            ctx.deferred[name] = _Rebuild(ctx.require_table(name), columns)
        ctx.deferred[name].columns = tuple(columns)
        ctx.deferred[name].by.append((*ctx.position, ctx.operation.action if ctx.operation else ""))

    def _run_rebuild(self, ctx, rebuild):
        import peewee

        try:
            self._rebuild(ctx, rebuild)
        except (peewee.PeeweeException, ValueError) as error:
            version, index, action = rebuild.by[0]
            shared = f"{'steps' if ctx.undoing else 'operations'} " + ", ".join(f"{i} ({a})" for _, i, a in rebuild.by)
            raise OperationFailed(f"{step_of(version, index, action, ctx.undoing)}: rebuilding table "
                                  f"{rebuild.table.name} for {shared} failed: {str(error).strip().splitlines()[0]}",
                                  version=version, index=index, action=action) from None
        finally:
            ctx.schema.forget([rebuild.table.name])

    def _rebuild(self, ctx, rebuild):
        """SQLite's documented table change, on the table's own CREATE TABLE text: move the table aside, create it
        again from its text with the columns changed, copy the rows, drop the old one, run the SQL of its indexes
        and triggers again. The move is a legacy rename, so views, triggers and foreign keys elsewhere that name
        the table go on naming it.

        `sources` gives the SQL that fills a column (its own value by default), with `joins` to the tables
        it reads from: a column added by the rebuild, or values coming back from a backup.
        """
        from .sqlite_table import CreateTable

        q, table, columns, sources, joins = self.quote, rebuild.table, rebuild.columns, rebuild.sources, rebuild.joins
        create_sql, = self.db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)).fetchone()
        extras = [sql for sql, in self.db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type = 'trigger', name", (table.name,))]
        sequence = self._sequence(table.name)
        rebuilt = CreateTable.parse(create_sql).rebuilt(
            table.columns, columns, rebuild.texts, rebuild.constraints,
            added=[text for _, text in rebuild.added_constraints.values()], dropped=rebuild.dropped_constraints,
            dropped_keys=rebuild.dropped_keys, references=rebuild.references)
        old = f"_migrator_old_{table.name}"
        self._legacy_rename(ctx, table.name, old)
        ctx.execute_sql(rebuilt)
        copied = ", ".join(q(c.name) for c in columns)
        values = ", ".join(sources.get(c.name, f"t.{q(c.name)}") for c in columns)
        ctx.execute_sql(f"INSERT INTO {q(table.name)} ({copied}) SELECT {values} "
                        f"FROM {q(old)} AS t{''.join(' ' + j for j in joins)}")
        ctx.execute_sql(f"DROP TABLE {q(old)}")
        for sql in extras:
            ctx.execute_sql(sql)
        if sequence is not None:  # AUTOINCREMENT's high-water mark, which the copy cannot know
            ctx.execute_sql(f"DELETE FROM sqlite_sequence WHERE name = {self.literal(table.name)}")
            ctx.execute_sql(f"INSERT INTO sqlite_sequence (name, seq) VALUES ({self.literal(table.name)}, {sequence})")

    def _legacy_rename(self, ctx, table, new):
        legacy = self.db.execute_sql("PRAGMA legacy_alter_table").fetchone()[0]
        ctx.execute_sql("PRAGMA legacy_alter_table = ON")
        try:
            ctx.execute_sql(f"ALTER TABLE {self.quote(table)} RENAME TO {self.quote(new)}")
        finally:
            ctx.execute_sql(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")

    def _sequence(self, table):
        """The table's AUTOINCREMENT counter, or None."""
        if not self.db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
            return None
        found = self.db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        return found and int(found[0])

    def literal(self, value):
        if isinstance(value, bool):
            return "1" if value else "0"
        return super().literal(value)


@dataclass
class _Rebuild:
    """An SQLite table rebuild asked for and not yet run."""
    table: object  # the introspect.Table as it is in the database now
    columns: tuple  # the columns it will have
    by: list = dc_field(default_factory=list)  # (version, index, action) of each operation sharing it

    def planned(self):
        """The table as it will be after the rebuild."""
        from ..introspect import Check

        names = {c.name for c in self.columns}
        checks = tuple(c for c in self.table.checks if c.name.lower() not in self.dropped_constraints)
        checks += tuple(Check(name, text.strip()) for name, text in self.added_constraints.values())
        kept = tuple(f for f in self.table.foreign_keys if f.column in names and not self._dropped(f))
        return replace(self.table, columns=self.columns,
                       indexes=tuple(i for i in self.table.indexes if set(i.columns) <= names),
                       foreign_keys=kept + tuple(self.added_keys), checks=checks)

    def _dropped(self, key):
        return self.references.get(key.column, "") is None or any(
            dropped == key.name if isinstance(dropped, str) else key.column.lower() in dropped
            for dropped in self.dropped_keys)

    sources: dict = dc_field(default_factory=dict)  # column -> the SQL that fills it, when not its own value
    joins: list = dc_field(default_factory=list)  # the backups that SQL reads, joined on the key
    texts: dict = dc_field(default_factory=dict)  # a column added back -> (the Column its text declares, the text)
    constraints: list = dc_field(default_factory=list)  # (column, text) of the foreign keys of columns added back
    added_constraints: dict = dc_field(default_factory=dict)  # lowercased name -> (name, text): CHECK, UNIQUE
    dropped_constraints: set = dc_field(default_factory=set)  # the lowercased names of those it leaves out
    added_keys: list = dc_field(default_factory=list)  # the ForeignKey entries add_foreign_key writes in
    dropped_keys: list = dc_field(default_factory=list)  # the foreign keys left out: a name, or columns lowercased
    references: dict = dc_field(default_factory=dict)  # column -> a REFERENCES clause given back to its text, or None

    def rename(self, old, new):
        self.table = self.table.with_column_renamed(old, new)
        self.columns = tuple(replace(c, name=new) if c.name == old else c for c in self.columns)

    def add(self, column, place=None, text=None, value="NULL"):
        self.columns = _placed(self.columns + (column,), column.name, place)
        self.sources[column.name] = value
        if text:
            self.texts[column.name] = (column, text)

    def take_from(self, backup, columns, key, quote):
        """Fill `columns` from the backup's rows, matched on the key; rows added since keep what they have."""
        alias = f"b{len(self.joins)}"
        match = " AND ".join(f"{alias}.{quote(k)} = t.{quote(k)}" for k in key)
        self.joins.append(f"LEFT JOIN {quote(backup)} AS {alias} ON {match}")
        for name in columns:
            current = self.sources.get(name, f"t.{quote(name)}")
            kept = f"{alias}.{quote(name)}"
            self.sources[name] = f"CASE WHEN {alias}.{quote(key[0])} IS NULL THEN {current} ELSE {kept} END"


def _placed(columns, name, place):
    """The columns with `name` moved to `place`: None (where it is), ("first",) or ("after", column)."""
    columns = tuple(columns)
    if not place:
        return columns
    moved = next(c for c in columns if c.name == name)
    rest = [c for c in columns if c.name != name]
    at = 0 if place[0] == "first" else next(i for i, c in enumerate(rest) if c.name == place[1]) + 1
    return tuple(rest[:at] + [moved] + rest[at:])


def _table_constraints(create_sql):
    """The CHECK and UNIQUE constraints written in the table's body, as (name, text): SQLite keeps them only
    there. The text is read only when it can hold one."""
    if "check" not in create_sql.lower() and "unique" not in create_sql.lower():
        return []
    from .sqlite_table import CreateTable, constraint_name

    found = []
    for item in CreateTable.parse(create_sql).items:
        name = item.name is None and constraint_name(item.text)
        if name:
            found.append((name, item.text.strip()))
    return found


def _is_database_file(path):
    """Whether the file is an SQLite database: it begins with SQLite's header, or it is empty (as SQLite leaves
    a new file until its first write) and named as databases are (.db, .sqlite, .sqlite3, .db3)."""
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except OSError:
        return False
    return start == b"SQLite format 3\0" or not start and str(path).endswith((".db", ".sqlite", ".sqlite3", ".db3"))
