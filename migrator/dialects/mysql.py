"""MySQL/MariaDB: DDL commits by itself, so versions are journaled and compensated."""
import re
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from ..errors import OperationFailed, SpecError
from ..fields import FieldSpec
from ..locks import NamedLock
from ..safety import BRIEF_LOCK, COPY, INSTANT, REWRITE, Rating
from .base import _TYPE, UNSET, Dialect, driver_error, session_text
from .mysql_online import guarded, refusal, statements_through


class MysqlDialect(Dialect):
    name = "mysql"
    scheme = "mysql"
    lock_class = NamedLock
    label = "MySQL/MariaDB"
    sql_keys = ("mysql", "mariadb")  # one backend here: a spec gives one of them
    transactional_ddl = False
    refuses_large_copies = True  # ALGORITHM=INSTANT, else INPLACE, LOCK=NONE, else refused above --max-rows
    planned_as_written = ("; migrate sends each ALTER TABLE with ALGORITHM=INSTANT first, then with "
                          "ALGORITHM=INPLACE, LOCK=NONE (an index the second only), and as shown only once a copy "
                          "is accepted (see lint; -v shows what the server took)")
    places_columns = True
    renames_follow = False
    index_names_per_table = True
    indexes_in_definition = True
    retypes_referenced_keys = False
    default_referential_action = "RESTRICT"
    foreign_key_names_per_schema = True
    types = {
        "int": ("IntegerField", ("display",)), "bigint": ("BigIntegerField", ("display",)),
        "smallint": ("SmallIntegerField", ("display",)), "varchar": ("CharField", ("max_length",)),
        "char": ("FixedCharField", ("max_length",)), "text": ("TextField", ()), "float": ("FloatField", ()),
        "double": ("DoubleField", ()), "decimal": ("DecimalField", ("max_digits", "decimal_places")),
        "datetime": ("DateTimeField", ()), "date": ("DateField", ()), "time": ("TimeField", ()),
        "blob": ("BlobField", ()), "tinyint": ("BooleanField", ("display",)),
    }

    _TABLE = """
        SELECT 'table', 0, TABLE_NAME, NULL, NULL, NULL, NULL FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s AND TABLE_TYPE != 'VIEW'
        UNION ALL SELECT 'column', ORDINAL_POSITION, COLUMN_NAME, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_TYPE, EXTRA
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'index', SEQ_IN_INDEX, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, COLLATION,
                CONCAT(INDEX_TYPE, ' ', COALESCE(SUB_PART, ''))
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'fk', ORDINAL_POSITION, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME,
                CONSTRAINT_NAME, NULL
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
                AND REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_COLUMN_NAME IS NOT NULL
        UNION ALL SELECT 'rule', 0, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE, NULL, NULL
            FROM information_schema.REFERENTIAL_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'trigger', ACTION_ORDER, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT, NULL
            FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %(t)s"""
    # (Joining the two views in the server makes it read every constraint of the database: 25 times slower.)
    # Check constraints: MariaDB names them per table and says which; MySQL names them per schema.
    _CHECKS = {True: """
        UNION ALL SELECT 'check', 0, CONSTRAINT_NAME, CHECK_CLAUSE, NULL, NULL, NULL
            FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s""",
               False: """
        UNION ALL SELECT 'check', 0, c.CONSTRAINT_NAME, c.CHECK_CLAUSE, NULL, NULL, NULL
            FROM information_schema.TABLE_CONSTRAINTS AS k JOIN information_schema.CHECK_CONSTRAINTS AS c
            ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = %(t)s AND k.CONSTRAINT_TYPE = 'CHECK'"""}

    _LOCK_WAIT_TIMEOUT = 1205  # ER_LOCK_WAIT_TIMEOUT: a metadata lock (DDL) or a row lock (a fill's UPDATE)
    _TABLE_EXISTS = 1050  # ER_TABLE_EXISTS_ERROR

    _saved_lock_wait = None  # the session's own values, put back after the run (None: not changed)
    _for_run = False  # set for a whole command: each version keeps it

    def wait_for_locks(self, seconds, local=False, run=False):
        """For the session (DDL commits by itself: no transaction to scope it to), in whole seconds (the server's
        unit): lock_wait_timeout for metadata locks (DDL), innodb_lock_wait_timeout for rows; `seconds` None puts
        back the values the session had. A transaction's own (`local`) is the session's, set for the unit."""
        if local or self._for_run and not run:
            return  # a transaction's own is the session's; a command's keeps it for its versions
        if seconds is None:
            self._for_run = False
            saved, self._saved_lock_wait = self._saved_lock_wait, None
            if saved:
                self.db.execute_sql("SET SESSION lock_wait_timeout = %s, innodb_lock_wait_timeout = %s", saved)
            return
        if self._saved_lock_wait is None:
            self._saved_lock_wait = self.db.execute_sql(
                "SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout").fetchone()
        self._for_run = run
        value = max(1, round(seconds))
        self.db.execute_sql("SET SESSION lock_wait_timeout = %s, innodb_lock_wait_timeout = %s", (value, value))

    def error_text(self, error):
        """The server's message, then its error number: `Lock wait timeout exceeded; ... (error 1205)`, not the
        driver's tuple."""
        args = getattr(driver_error(error), "args", ())
        if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
            return f"{args[1].strip().splitlines()[0] if args[1].strip() else ''} (error {args[0]})".lstrip()
        return super().error_text(error)

    def lock_not_had(self, error):
        args = getattr(driver_error(error), "args", ())
        return bool(args) and args[0] == self._LOCK_WAIT_TIMEOUT

    def lock_holders(self, tables):
        """The sessions in a transaction (which holds its tables' metadata locks until it ends) and those whose
        statement names one of the tables; the server tells which session holds a metadata lock only with the
        metadata_lock_info plugin."""
        rows = self.db.execute_sql("""
            SELECT p.ID, p.USER, p.HOST, p.COMMAND, p.TIME, p.INFO, t.trx_started IS NOT NULL
            FROM information_schema.PROCESSLIST AS p
            LEFT JOIN information_schema.INNODB_TRX AS t ON t.trx_mysql_thread_id = p.ID
            WHERE p.ID <> CONNECTION_ID() ORDER BY p.ID""").fetchall()
        names = [name.lower() for name in tables]
        found = []
        for pid, user, host, command, seconds, info, in_transaction in rows:
            statement = (info or "").lower()
            if in_transaction or any(name in statement for name in names):
                state = "in a transaction" if in_transaction else command.lower()
                found.append(session_text(pid, user, host and f"from {host}", state, seconds, info))
        # LOCK TABLES, say, shows nowhere: then the other sessions on this database are the candidates
        return found or self._sessions_here()

    def _sessions_here(self):
        rows = self.db.execute_sql(
            "SELECT ID, USER, HOST, COMMAND, TIME, INFO FROM information_schema.PROCESSLIST "
            "WHERE ID <> CONNECTION_ID() AND DB = DATABASE() ORDER BY TIME DESC LIMIT 3").fetchall()
        return [session_text(pid, user, host and f"from {host}", f"connected ({command.lower()})", seconds, info)
                for pid, user, host, command, seconds, info in rows]

    @classmethod
    def prepare_driver(cls):
        """PyMySQL (1.2 on), given no TLS option, tries TLS first (its PREFERRED mode) with a TLS context made for
        each connection: `ssl.create_default_context()`, which loads the system's certificate store (20 ms of CPU)
        into a context that checks no certificate. A run connects twice (its lock has a connection of its own),
        a fleet twice per target: their connections share one such context, made as PyMySQL makes it."""
        try:
            from pymysql.connections import Connection
        except ImportError:
            return
        if getattr(Connection._create_ssl_ctx, "shared_when_preferred", False):
            return
        make, made = Connection._create_ssl_ctx, {}

        def create_ssl_ctx(connection, options):
            if options != {}:  # a TLS option given: the context it asks for
                return make(connection, options)
            if "preferred" not in made:
                made["preferred"] = make(connection, options)
            return made["preferred"]

        create_ssl_ctx.shared_when_preferred = True
        Connection._create_ssl_ctx = create_ssl_ctx

    @property
    def mariadb(self):
        self.db.connection()
        return self.db.server_version >= (10,)  # as Peewee tells them apart: MySQL has no 10.x

    def table_metadata(self, name):
        from peewee import ForeignKeyMetadata, IndexMetadata

        rows = self.db.execute_sql(self._TABLE + self._CHECKS[self.mariadb], {"t": name}).fetchall()
        if not any(kind == "table" and found == name for kind, _, found, *_ in rows):
            return None
        rules = {constraint: (on_delete, on_update) for kind, _, constraint, on_delete, on_update, *_ in rows
                 if kind == "rule"}
        fk_rows = sorted((r for r in rows if r[0] == "fk"), key=lambda r: (r[5], int(r[1])))
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint, *rules[constraint])
                        for kind, _, column, dest, dest_column, constraint, _ in fk_rows]
        indexes, keys, parts = {}, [], {}
        for _, _, index, column, non_unique, order, kind in sorted((r for r in rows if r[0] == "index"),
                                                                 key=lambda r: (r[2], int(r[1]))):
            if index == "PRIMARY":
                keys.append(column)
            elif index not in {fk.name for fk in foreign_keys}:  # the index the server made for a named key
                metadata = indexes.setdefault(index, IndexMetadata(index, None, [], not int(non_unique), name))
                metadata.columns.append(column)
                parts.setdefault(index, []).append((column, order, *kind.split(" ")))
        generated = _generated_for_keys(indexes.values(), fk_rows)
        implicit = [indexes.pop(i) for i in generated]
        indexes = {i: m._replace(sql=self._index_definition(m, parts[i])) for i, m in indexes.items()}
        if any(None in m.columns for m in indexes.values()):  # MySQL 8's functional key parts name no column
            declared = self._declared_indexes(name)
            indexes = {i: m._replace(sql=declared.get(i)) if None in m.columns else m for i, m in indexes.items()}
        columns = [_column_metadata(name, column, null, default, full_type, extra, column in keys)
                   for _, _, column, null, default, full_type, extra in sorted((r for r in rows if r[0] == "column"),
                                                                             key=lambda r: int(r[1]))]
        extras = {"key": keys, "implicit_indexes": implicit,
                  "checks": [(check, clause) for kind, _, check, clause, *_ in rows if kind == "check"],
                  "triggers": [(trigger, self._trigger_definition(name, trigger, timing, event, statement))
                               for kind, _, trigger, timing, event, statement, _ in
                               sorted((r for r in rows if r[0] == "trigger"), key=lambda r: int(r[1]))]}
        return columns, list(indexes.values()), foreign_keys, extras

    def make_backup(self, ctx, backup, statements):
        # A DROP TABLE IF EXISTS is a statement the server commits, for a table that is almost never there: the
        # CREATE is tried first (a failed DDL statement changes nothing here), the leftover dropped if it is there.
        import peewee

        (create,) = statements
        try:
            ctx.execute_sql(create)
        except peewee.DatabaseError as error:
            if getattr(driver_error(error), "args", (None,))[0] != self._TABLE_EXISTS:
                raise
            super().make_backup(ctx, backup, statements)

    def backup_statements(self, backup, select, key):
        # the key made with the table: an index built on a table just filled is one more table change
        q = self.quote
        unique = f" (UNIQUE KEY {q(backup + '_key')} ({', '.join(map(q, key))}))" if key else ""
        return [f"CREATE TABLE {q(backup)}{unique} AS {select}"]

    def read_column(self, table, name):
        row = self.db.execute_sql(
            "SELECT IS_NULLABLE, COLUMN_DEFAULT, COLUMN_TYPE, EXTRA, COLUMN_KEY = 'PRI' FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = %s", (table, name)).fetchone()
        return row and self.column(_column_metadata(table, name, *row[:4], bool(row[4])))

    def _declared_indexes(self, table):
        """{index: its CREATE INDEX}, from the KEY items of the server's SHOW CREATE TABLE (the only place that
        keeps a functional key part's expression as the server writes it)."""
        found = {}
        for item in self._show_create(table)[1]:
            key = _KEY_ITEM.match(item)
            if key is None or key.group("kind") is None:  # a column, a constraint, the primary key
                continue
            unique = "UNIQUE " if key.group("kind").upper() == "UNIQUE" else ""
            name = _unquoted(key.group("name"))
            found[name] = f"CREATE {unique}INDEX {self.quote(name)} ON {self.quote(table)} {item[key.end():].strip()}"
        return found

    def _index_definition(self, index, parts):
        """The index's SQL when add_index cannot make it (a DESC or prefix column, FULLTEXT, SPATIAL), else None."""
        if None in index.columns:
            return None  # a functional key part: see _declared_indexes
        if all(order != "D" and kind == "BTREE" and not prefix for _, order, kind, prefix in parts):
            return None
        kind = parts[0][2]
        word = {"FULLTEXT": "FULLTEXT ", "SPATIAL": "SPATIAL "}.get(kind, "UNIQUE " if index.unique else "")
        columns = ", ".join(self.quote(column) + (f"({prefix})" if prefix else "") + (" DESC" if order == "D" else "")
                            for column, order, _, prefix in parts)
        using = f" USING {kind}" if kind in ("HASH",) else ""
        return f"CREATE {word}INDEX {self.quote(index.name)} ON {self.quote(index.table)} ({columns}){using}"

    def _trigger_definition(self, table, name, timing, event, statement):
        return f"CREATE TRIGGER {self.quote(name)} {timing} {event} ON {self.quote(table)} FOR EACH ROW {statement}"

    def _mapped_type(self, type_text):
        match = _TYPE.fullmatch(type_text.lower().strip())
        known = match and self.types.get(match.group(1))
        if known and known[1] == ("display",):  # int(11): a display width, not a parameter
            if known[0] == "BooleanField" and match.group(2) != "1":
                return None
            return FieldSpec.make(known[0])
        return super()._mapped_type(type_text)

    def changed_values(self, db, table, column, old_type, spec):
        """Each value stored in the old and in the new type side by side, in a temporary table of this session:
        the server's own conversion, strictness included, tells what would change."""
        from ..preflight import DataProblem

        with self._probe(db, table, column, f"o {old_type} NULL, v {self.type_sql(spec)} NULL", "o, v") as refused:
            if refused:
                raise DataProblem(self._cannot_hold(refused, spec))
            return db.execute_sql("SELECT COUNT(*) FROM _migrator_probe WHERE NOT (o <=> v)").fetchone()[0]

    def conversion_problem(self, db, table, column, spec):
        """Values the new type cannot hold at all (text that is no number), which --accept-loss does not let
        through: in strict mode the server refuses them (1366, 1292), where out of range or too long values
        would be clipped or cut short."""
        problem = super().conversion_problem(db, table, column, spec)
        if problem:
            return problem
        with self._probe(db, table, column, f"v {self.type_sql(spec)} NULL", "v") as refused:
            if refused and refused[2] in (1366, 1292):
                return self._cannot_hold(refused, spec), False
        return None

    def _cannot_hold(self, refused, spec):
        count, why, _ = refused
        return f"has {count} {'value' if count == 1 else 'values'} that {self.type_sql(spec)} cannot hold ({why})"

    @contextmanager
    def _probe(self, db, table, column, columns, names):
        """The column's values stored in a temporary table of these `columns`, each given the value: yields None,
        or (how many values the server refused, why, its error code) when strict mode refused some."""
        import peewee

        q, probe = self.quote, "_migrator_probe"
        copy = f"INTO {probe} ({names}) SELECT {', '.join([q(column)] * len(names.split(',')))} FROM {q(table)} " \
               f"WHERE {q(column)} IS NOT NULL"
        db.execute_sql(f"CREATE TEMPORARY TABLE {probe} ({columns})")
        try:
            try:
                db.execute_sql(f"INSERT {copy}")
                refused = None
            except peewee.DatabaseError as error:
                code = error.args[0] if error.args and isinstance(error.args[0], int) else None
                why = re.sub(r" for column .* at row \d+$", "", str(error.args[-1] if error.args else error).strip())
                db.execute_sql(f"DELETE FROM {probe}")
                db.execute_sql(f"INSERT IGNORE {copy}")  # to count them: each one the server converts is a warning
                count = db.execute_sql("SELECT @@warning_count").fetchone()[0]
                refused = count, why.splitlines()[0], code
            yield refused
        finally:
            db.execute_sql(f"DROP TEMPORARY TABLE {probe}")

    def quote(self, name):
        return f"`{name}`"

    def exactly(self, value):
        # GROUP BY compares strings by their collation ('Bob' = 'bob ') and long texts by a prefix: a hash does not
        return f"MD5({value})"

    def length_sql(self, expression):
        return f"CHAR_LENGTH({expression})"

    def _update_from_backup(self, table, backup, columns, key):
        q = self.quote
        values = ", ".join(f"{table}.{q(c)} = {backup}.{q(c)}" for c in columns)
        match = " AND ".join(f"{backup}.{q(k)} = {table}.{q(k)}" for k in key)
        return f"UPDATE {table} JOIN {backup} ON {match} SET {values}"

    def literal(self, value):
        if isinstance(value, str):
            return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        return super().literal(value)

    def drop_column(self, ctx, table, column, cascade):
        # An index that backs a foreign key cannot be dropped while the key exists.
        foreign_key = table.foreign_key(column)
        if foreign_key:
            ctx.execute_sql(f"ALTER TABLE {self.quote(table.name)} DROP FOREIGN KEY {self.quote(foreign_key.name)}")
            table = ctx.require_table(table.name)
        super().drop_column(ctx, table, column, cascade=False)

    def unenforced_check(self):
        """CHECK is enforced from MariaDB 10.2.1 and MySQL 8.0.16; an older server parses it and ignores it."""
        self.db.connection()
        version, mariadb = tuple(self.db.server_version or ()), self.mariadb
        needed = (10, 2, 1) if mariadb else (8, 0, 16)
        if version >= needed:
            return None
        server = f"{'MariaDB' if mariadb else 'MySQL'} {'.'.join(map(str, version))}"
        return (f"{server} would accept a CHECK constraint and ignore it: CHECK is enforced from "
                f"{'MariaDB 10.2.1' if mariadb else 'MySQL 8.0.16'} on. Upgrade the server, or use a trigger")

    def strings_naming_columns(self, sql, columns):
        """A column's name in double quotes, as PostgreSQL and SQLite quote it, is a string here (without
        ANSI_QUOTES): a check comparing it is always true or always false, not a check of the column."""
        from ..sqltext import TokenError, tokens

        names = {c.lower() for c in columns}
        try:
            found = tokens(sql, "mysql")
        except TokenError:
            return []
        return [t.text for t in found if t.token_type.name == "STRING" and sql[t.start] == '"'
                and t.text.lower() in names]

    def unique_constraints(self, table):
        """The server keeps a UNIQUE constraint as a unique key: every plain unique index is one, and so is
        MariaDB's unique key USING HASH over whole columns (what it makes of one on a TEXT or BLOB column)."""
        return {i.name: tuple(i.columns) for i in table.indexes
                if i.unique and (not i.definition or self._hashed_unique(i))}

    def _hashed_unique(self, index):
        """Whether the index's definition is a unique key USING HASH over its whole columns, in their order."""
        columns = ", ".join(self.quote(c) for c in index.columns)
        return bool(re.fullmatch(rf"CREATE UNIQUE INDEX {re.escape(self.quote(index.name))} ON `[^`]+` "
                                 rf"\({re.escape(columns)}\) USING HASH", index.definition or ""))

    def drop_unique(self, ctx, table, name):
        self.drop_index(ctx, table, name)

    def with_unique(self, table, name, columns):
        from ..introspect import Index

        return replace(table, indexes=table.indexes + (Index(name, columns, True),))

    def replace_check(self, ctx, table, name, check):
        q = self.quote
        ctx.execute_sql(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}, ADD CONSTRAINT {q(name)} CHECK ({check})")

    def goes_with_column(self, table, check):
        # MariaDB names a check written in a column's definition after the column (JSON's json_valid, say)
        return table.column(check.name) is not None

    def update_some(self, table, assignment, where, limit):
        return f"UPDATE {self.quote(table)} SET {assignment} WHERE {where} LIMIT {limit}"

    def as_written(self, sql):
        return sql.replace("%", "%%")  # the driver formats a statement given parameters, even none

    def views(self):
        return dict(self.db.execute_sql("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                                        "WHERE TABLE_SCHEMA = DATABASE()").fetchall())

    def table_definition(self, table):
        """The server's own SHOW CREATE TABLE (columns, keys, indexes in the server's order, checks, foreign keys,
        AUTO_INCREMENT...), without the indexes the server made for foreign keys: it makes them again."""
        head, items, tail = self._show_create(table.name)
        own = {i.name for i in table.indexes}
        kept = [item for item in items if _key_name(item) in (None, "PRIMARY") or _key_name(item) in own]
        return [head + ",".join(kept) + tail]

    def column_text(self, table, column):
        return next((item for item in self._show_create(table.name)[1] if _column_name(item) == column), None)

    def _show_create(self, table):
        return _create_items(self.db.execute_sql(f"SHOW CREATE TABLE {self.quote(table)}").fetchone()[1])

    def add_column(self, ctx, table, name, spec, place=None, definition=None):
        if definition is None:
            return super().add_column(ctx, table, name, spec, place)
        ctx.execute_sql(f"ALTER TABLE {self.quote(table)} ADD COLUMN {definition.strip()}" + self._placement(place))
        if spec.referenced and spec.get("constraint_name"):
            with self.foreign_key_checks_off(ctx):  # the key's values come back next
                ctx.execute_sql(self.foreign_key_sql(table, name, spec))

    def _placement(self, place):
        return "" if not place else " FIRST" if place[0] == "first" else f" AFTER {self.quote(place[1])}"

    def _add(self, ctx, operation, place):
        """Peewee's add-column operation with FIRST or AFTER added to its ADD COLUMN statement."""
        if place is None:
            return ctx.run(operation)
        result = operation.fn(operation.migrator, *operation.args, **operation.kwargs)
        steps = result if isinstance(result, list) else [result]
        add = steps[0].fn(steps[0].migrator, *steps[0].args, **steps[0].kwargs) if hasattr(steps[0], "fn") else steps[0]
        sql, params = add.query()
        ctx.execute_sql(sql + self._placement(place), params)
        ctx.run(steps[1:])

    def drop_foreign_key_sql(self, table, name, indexed=True):
        q = self.quote
        return [f"ALTER TABLE {q(table)} DROP FOREIGN KEY {q(name)}"] + (
            [] if indexed else [f"ALTER TABLE {q(table)} DROP INDEX {q(name)}"])  # the index the server made for it

    def drop_foreign_key(self, ctx, table, name, columns):
        """The key, and the index the server made for it when it was added (named after the key: hidden from the
        table's indexes), so that adding the key again makes it again as before."""
        if ctx.executing:
            first = self.db.execute_sql("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                                        "DATABASE() AND TABLE_NAME = %s AND INDEX_NAME = %s AND SEQ_IN_INDEX = 1",
                                        (table, name)).fetchone()
            # another key over the same first column uses that index too (the server moves a key's index to the
            # newest key that can use it): it stays
            others = [f for f in ctx.require_table(table).foreign_keys if f.name != name]
            made = first and not any(f.column == first[0] for f in others)
        else:  # `plan`: the key may be one the plan adds; the server makes its index when no other leads with it
            found, width = ctx.require_table(table), len(columns)
            made = not any(tuple(i.columns[:width]) == tuple(columns) for i in found.indexes + found.legacy_indexes) \
                and tuple(found.primary_key[:width]) != tuple(columns)
        for statement in self.drop_foreign_key_sql(table, name, indexed=not made):
            ctx.execute_sql(statement)

    def compatible_key_types(self, column_type, referenced_type):
        """InnoDB wants integers of the same size and sign, strings of a kind (any length), else the same type."""
        def kind(type_text):
            text = type_text.lower()
            base = re.sub(r"\(.*?\)", "", text).replace("zerofill", "").strip()
            if "char" in base:
                return "string"
            return base

        return kind(column_type) == kind(referenced_type)

    def drop_index(self, ctx, table, name):
        """Drop an index; when it is the last one a foreign key can use, the key is dropped with it and added
        again, so that the server makes the key's own index again, as it did when the key was made."""
        found = ctx.require_table(table)
        left = [i for i in found.indexes if i.name != name]
        needing = [f for f in found.foreign_keys if f.name and not any(i.columns[:1] == (f.column,) for i in left)]
        index = found.index(name)
        if not (index and any(index.columns[:1] == (f.column,) for f in needing)):
            return super().drop_index(ctx, table, name)
        q = self.quote
        keys = {f.name: f for f in needing if index.columns[:1] == (f.column,)}
        ctx.execute_sql(f"ALTER TABLE {q(table)} " + ", ".join(
            [f"DROP FOREIGN KEY {q(key)}" for key in keys] + [f"DROP INDEX {q(name)}"]))
        with self.foreign_key_checks_off(ctx):  # the rows held the key a moment ago: no need to check them again
            for key, foreign_key in keys.items():
                # The server names the key's new index after the key (a key of its own naming had its index named
                # after the column: naming it so here would name the key too, in InnoDB).
                ctx.execute_sql(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(key)} FOREIGN KEY "
                                f"({q(foreign_key.column)}) REFERENCES {q(foreign_key.dest_table)} "
                                f"({q(foreign_key.dest_column)})"
                                + (f" ON DELETE {foreign_key.on_delete}" if foreign_key.on_delete else "")
                                + (f" ON UPDATE {foreign_key.on_update}" if foreign_key.on_update else ""))

    def restore(self, ctx, step):
        # Whole rows come back in any order, a row before the row it points to: the keys are checked once all
        # are back (they held when the rows were kept).
        with self.foreign_key_checks_off(ctx, not step.key):
            super().restore(ctx, step)

    def view_sql(self, name, sql):
        # The server writes a view's tables with their database's name: in the scratch database, without.
        from ..sqltext import tokens

        words = tokens(sql, "mysql")
        cuts = [(w.start, words[i + 1].end + 1) for i, w in enumerate(words[:-1])
                if w.token_type.name == "IDENTIFIER" and w.text == self.source and words[i + 1].text == "."]
        for start, end in reversed(cuts):
            sql = sql[:start] + sql[end:]
        return f"CREATE VIEW {self.quote(name)} AS {sql}"

    def reach(self, source):
        self.source = source.db.database

    @contextmanager
    def foreign_key_checks_off(self, ctx, off=True):
        if off:
            ctx.execute_sql("SET SESSION foreign_key_checks = 0")
        try:
            yield
        finally:
            if off:
                ctx.execute_sql("SET SESSION foreign_key_checks = 1")

    @contextmanager
    def scratch_space(self, settings, name, copy=True):
        self.db.execute_sql(f"CREATE DATABASE {self.quote(name)}")
        try:
            parts = urlsplit(settings.database_url)
            url = urlunsplit(parts._replace(path=f"/{name}"))
            yield replace(settings, database_url=url, schema=None), f"a scratch database {name}", False
        finally:
            self.clean_up(f"DROP DATABASE IF EXISTS {self.quote(name)}")

    def qualified(self, table):
        return f"{self.quote(self.db.database)}.{self.quote(table)}"

    tenant_kind = "database"
    default_port = 3306

    @classmethod
    def listing_url(cls, url):
        """A server URL without a database (mysql://root@host/) lists its databases from information_schema."""
        parts = urlsplit(url)
        return url if parts.path.strip("/") else urlunsplit(parts._replace(path="/information_schema"))

    def tenant_spaces(self):
        own = ("information_schema", "mysql", "performance_schema", "sys")
        return [name for name, in self.db.execute_sql(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN %s "
            "AND SCHEMA_NAME NOT LIKE '\\_migrator\\_%%' ORDER BY SCHEMA_NAME", (own,))]

    @classmethod
    def tenant_target(cls, url, name):
        return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), None

    def connection_room(self):
        (room,) = self.db.execute_sql(
            "SELECT @@max_connections - (SELECT COUNT(*) FROM information_schema.PROCESSLIST)").fetchone()
        return int(room)

    @property
    def server(self):
        return "MariaDB" if self.mariadb else "MySQL"

    @classmethod
    def refuse_referential_action(cls, action, param, where=""):
        # InnoDB parses SET DEFAULT and does not support it: MySQL refuses the key, MariaDB keeps RESTRICT instead
        if action and action.upper() == "SET DEFAULT":
            clause = param.upper().replace("_", " ")
            raise SpecError(f"{clause} SET DEFAULT{where}: {cls.label} (InnoDB) does not support SET DEFAULT (MariaDB "
                            "would make the key with RESTRICT instead, saying nothing): use CASCADE, SET NULL, "
                            "RESTRICT or NO ACTION", param=param)

    def refuse_partial_index(self):
        raise SpecError(f"{self.server} has no partial indexes (an index WHERE a condition holds): leave out "
                        "'where', or index every row", param="where")

    def refuse_expression_index(self):
        if self.mariadb:
            raise SpecError("MariaDB has no expression (functional) indexes: index a virtual column instead (a "
                            "generated column ... AS (expression) VIRTUAL, added with an sql operation, then "
                            "add_index on that column)", param="expressions")
        if self.db.server_version < (8, 0, 13):
            raise SpecError(f"MySQL {_version(self.db.server_version)} has no functional key parts (MySQL 8.0.13 "
                            "and later has): index a generated column of the expression instead",
                            param="expressions")

    def refuse_descending_index(self):
        oldest = (10, 8) if self.mariadb else (8, 0)
        if self.db.server_version < oldest:
            raise SpecError(f"{self.server} {_version(self.db.server_version)} builds a DESC column ascending "
                            f"({'MariaDB 10.8' if self.mariadb else 'MySQL 8.0'} and later keep the order): leave "
                            "out the order", param="columns")

    def refuse_rename_index(self):
        if self.mariadb and self.db.server_version < (10, 5, 2):
            raise SpecError(f"MariaDB {_version(self.db.server_version)} cannot rename an index (MariaDB 10.5.2 and "
                            "later can): drop it and add it again under the new name", param="new_name")

    def unrenamable_index(self, table, name):
        if name.upper() == "PRIMARY":
            return f"is the primary key of {table}: it has no name of its own to change"
        return None

    def unseen_index(self, table, name):
        """The index the server keeps for a foreign key: named after the key, or after its first column."""
        first = self.db.execute_sql("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                                    "DATABASE() AND TABLE_NAME = %s AND INDEX_NAME = %s AND SEQ_IN_INDEX = 1",
                                    (table, name)).fetchone()
        if not first:
            return None
        keys = self.db.execute_sql("SELECT CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                                   "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND ORDINAL_POSITION = 1 "
                                   "AND REFERENCED_TABLE_NAME IS NOT NULL", (table,)).fetchall()
        key = next((k for k, _ in keys if k == name), None) or next((k for k, c in keys if c == first[0]), None)
        if key is None:
            return None
        return (f"is the index {self.server} keeps for foreign key {key} of {table}: it goes with the key, which needs "
                "it. Drop the key (drop_foreign_key), which drops its index too")

    def rename_index(self, ctx, table, old, new):
        q = self.quote
        ctx.execute_sql(f"ALTER TABLE {q(table)} RENAME INDEX {q(old)} TO {q(new)}")

    def indexes_as_asked(self, table, columns):
        types = {c.name: c.type.lower() for c in table.columns}
        return not any("text" in types.get(c, "") or "blob" in types.get(c, "") for c in columns)

    def rename_column(self, ctx, table, old, new):
        from playhouse.migrate import SchemaMigrator

        # Peewee's MySQL rename re-declares the column from DESCRIBE and loses its default.
        ctx.run(SchemaMigrator.rename_column(self.migrator, table, old, new))

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        """A default alone by ALTER COLUMN; anything else by MODIFY of the column's own text from SHOW CREATE
        TABLE, edited, so that its collation, comment and checks stay (MODIFY replaces the whole definition)."""
        if type is None and null is None and not isinstance(default, dict):  # a plain default: no need to
            change = "DROP DEFAULT" if default is None else f"SET DEFAULT {self.literal(default)}"  # re-declare
            return ctx.execute_sql(f"ALTER TABLE {self.quote(table)} ALTER COLUMN {self.quote(column)} {change}")
        from .column_text import declared, edited

        current = ctx.require_column(table, column)
        text = self.column_text(ctx.require_table(table), column) if ctx.executing else None
        if text is None:  # a column only planned (plan): from what is known of it
            text = f"{self.quote(column)} {current.type}{'' if current.null else ' NOT NULL'}"
        old = declared(column, text.strip(), "mysql")
        if (old.default or "").upper() == "NULL":  # the server's way of saying a nullable column has none
            old = replace(old, default=None)
        new = replace(old, type=self.type_sql(type) if type else old.type, null=old.null if null is None else null,
                      default=old.default if default is UNSET else None if default is None else self.literal(default))
        with self._lenient(ctx, type and ctx.accept_loss):
            ctx.execute_sql(f"ALTER TABLE {self.quote(table)} MODIFY {edited(text.strip(), old, new, 'mysql')}")

    @contextmanager
    def operation_statements(self, ctx):
        """Each table change a running operation makes asks for an online algorithm first (see mysql_online). An
        sql or python operation's statements run as written; `plan` shows the statements as they are."""
        operation = ctx.operation
        if not ctx.executing or operation is None or operation.opaque:
            yield
            return
        with statements_through(self.db, lambda send, sql: self._online(ctx, operation, send, sql)):
            yield

    def _online(self, ctx, operation, send, sql):
        import peewee

        statement = guarded(sql)
        if statement is None:
            return send(sql)
        for form in statement.forms:
            try:
                return send(form)
            except peewee.DatabaseError as error:
                reason = refusal(error)
                if reason is None:
                    raise
        self.accept_copy(ctx, operation, statement.table, reason)
        return send(sql)

    def accept_copy(self, ctx, operation, table, reason):
        """Let the server copy `table` (or lock it against writes), which it cannot change online, for a table of
        at most --max-rows rows, an operation with unsafe_ok, or an undo (a rollback, or the compensation of a
        failed version, asked to put back what was there: it is never refused halfway); else OperationFailed."""
        limit = ctx.settings.max_rows
        rows = self.rows_up_to(table, limit)
        undo = ctx.undoing or operation.undoes
        if rows > limit and not undo and not operation.unsafe_ok:
            many = f"about {rows:,}" if rows > limit + 1 else f"more than {limit:,}"
            raise OperationFailed(
                f"{self.server} cannot make this change to {table} without copying the table or locking it against "
                f"writes ({reason}), and {table} has {many} rows (--max-rows {limit:,}). To accept the copy, which "
                f"blocks writes to {table} while it runs, add \"unsafe_ok\": \"<why>\" to the operation, or run it "
                "at a quiet time with a higher --max-rows")
        accepted = "to undo" if undo else f"accepted by unsafe_ok: {operation.unsafe_ok}" if operation.unsafe_ok \
            else f"within --max-rows {limit:,}"
        undoes = operation.undoes or {"operation": ctx.position.index, "action": operation.action}
        where = f"undoing operation {undoes['operation']} ({undoes['action']})" if undo else \
            f"operation {ctx.position.index} ({operation.action})"
        ctx.notes.append(f"{where}: {self.server} copied {table} (or locked it against writes), which it could not "
                         f"change online ({reason}); {rows:,} rows, {accepted}")

    def rows_up_to(self, table, limit):
        """The table's rows, counted up to limit + 1 (reading no more), or past that the server's estimate if
        higher."""
        counted = self.rows_past(table, limit)
        return counted if counted <= limit else max(counted, self.catalog_rows(table) or 0)

    @contextmanager
    def _lenient(self, ctx, lenient):
        """With --accept-loss, a type change stores what the new type can hold (cut short, rounded, clipped), as
        the preflight said it would: strict mode would refuse the value instead."""
        if not lenient:
            yield
            return
        mode, = self.db.execute_sql("SELECT @@SESSION.sql_mode").fetchone()
        ctx.execute_sql("SET SESSION sql_mode = '" + ",".join(m for m in mode.split(",") if "STRICT" not in m) + "'")
        try:
            yield
        finally:
            ctx.execute_sql(f"SET SESSION sql_mode = '{mode}'")

    # -- ratings (safety.py): what the server does, found with ALGORITHM=INSTANT / INPLACE, LOCK=NONE on MariaDB 10.11
    ratings = {"rename_column": INSTANT, "rename_table": INSTANT, "rename_index": INSTANT, "add_default": INSTANT,
               "drop_default": INSTANT, "create_table": INSTANT, "drop_check": INSTANT, "drop_table": BRIEF_LOCK,
               "add_index": BRIEF_LOCK, "add_unique": BRIEF_LOCK, "drop_index": BRIEF_LOCK, "drop_unique": BRIEF_LOCK,
               "drop_foreign_key": BRIEF_LOCK, "add_trigger": BRIEF_LOCK, "drop_trigger": BRIEF_LOCK}
    _COPIED = " (or accept the copy with unsafe_ok)"
    _ONLINE_REBUILD = Rating(REWRITE, "none: the table is rebuilt in place while writes go on (LOCK=NONE), "
                                      "which takes time and space in proportion to its rows", blocks_writes=False)

    def catalog_rows(self, table):
        found = self.db.execute_sql("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                                    "AND TABLE_NAME = %s", (table,)).fetchone()
        return None if not found or found[0] is None else int(found[0])

    def _rate_add_column(self, op, table):
        spec = op.field
        if spec.referenced:
            return Rating(COPY, "add the column without its key, then add_foreign_key" + self._COPIED)
        if spec.get("index") or spec.get("unique"):
            return Rating(BRIEF_LOCK)
        if not spec.null and spec.get("default") is None:
            return self._ONLINE_REBUILD
        return Rating(INSTANT)

    def _rate_drop_column(self, op, table):
        instant = (10, 4) if self.mariadb else (8, 0, 29)
        return Rating(INSTANT) if self.db.server_version >= instant else self._ONLINE_REBUILD

    def _rate_add_not_null(self, op, table):
        return self._ONLINE_REBUILD

    _rate_drop_not_null = _rate_add_not_null

    def _rate_add_check(self, op, table):
        return Rating(COPY, "none on this server: a CHECK constraint is added by copying the table" + self._COPIED)

    def _rate_add_foreign_key(self, op, table):
        return Rating(COPY, "none while foreign_key_checks is on: the server copies the table to add a key"
                      + self._COPIED)

    def _rate_alter_column_type(self, op, table):
        column = table and table.column(op.column)
        if column is None:
            return Rating(INSTANT)
        if self._widens_in_place(table.name, column, self.type_sql(op.field)):
            nullness = op.field.has("null") and op.field.null != column.null
            return self._ONLINE_REBUILD if nullness else Rating(INSTANT)
        return Rating(COPY, "add a new column, fill it, and move the application to it" + self._COPIED)

    def _widens_in_place(self, table, column, new):
        """The same type, or a longer varchar whose length still takes as many bytes to store (1 up to 255 bytes,
        else 2): what ALGORITHM=INSTANT changes."""
        (was, length, scale), (becomes, new_length, new_scale) = _parts(column.type), _parts(new)
        if (was, length, scale) == (becomes, new_length, new_scale):
            return True
        if not (was == becomes == "varchar" and length and new_length and new_length >= length):
            return False
        found = self.db.execute_sql(
            "SELECT CHARACTER_OCTET_LENGTH DIV CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE "
            "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = %s", (table, column.name)).fetchone()
        per_character = found and found[0] or 4
        return (length * per_character > 255) == (new_length * per_character > 255)


def _parts(text):
    found = _TYPE.fullmatch(text.strip().lower())
    if not found:
        return text.strip().lower(), None, None
    return found[1].strip(), found[2] and int(found[2]), found[3] and int(found[3])


def _version(numbers):
    return ".".join(str(n) for n in numbers)


def _generated_for_keys(indexes, fk_rows):
    """The indexes the server made for unnamed foreign keys by itself: named after the key's first column, on
    exactly the key's columns, not unique (an explicit index of that name and shape cannot be told from one)."""
    keys = {}
    for _, _, column, _, _, constraint, _ in fk_rows:
        keys.setdefault(constraint, []).append(column)
    shapes = {(columns[0], tuple(columns)) for columns in keys.values()}
    return [i.name for i in indexes if not i.unique and (i.name, tuple(i.columns)) in shapes]


# SHOW CREATE TABLE is the server's own text, in one form: its only quoted texts are `names`, 'strings' (the
# server escapes their quotes and line breaks with a backslash), "names" under ANSI_QUOTES and /*!version
# comments*/. Cutting it at its body's top-level commas needs those, parentheses and commas, not SQL's full
# reader (sqlglot: 45 ms to import, and 0.5 ms to read a table of 20 columns).
_SHOWN = re.compile(r"`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"|/\*.*?\*/|[(),]", re.S)
_NAME = r"`(?P<name>(?:[^`]|``)*)`"
_COLUMN_ITEM = re.compile(r"\s*" + _NAME)
_KEY_ITEM = re.compile(r"\s*(?:PRIMARY\s+KEY\b|(?P<kind>KEY|INDEX|UNIQUE|FULLTEXT|SPATIAL)\b[^`]*" + _NAME + ")", re.I)


def _create_items(create):
    """SHOW CREATE TABLE's text cut at its body's top-level commas: (the head up to and including the opening
    parenthesis, the items, the rest from the closing parenthesis)."""
    depth, opening, cuts, closing = 0, None, [], len(create)
    for mark in _SHOWN.finditer(create):
        if mark.group() == "(":
            depth += 1
            opening = mark.start() if opening is None else opening
        elif mark.group() == ")":
            depth -= 1
            if depth == 0:
                closing = mark.start()
                break
        elif mark.group() == "," and depth == 1:
            cuts.append(mark.start())
    return (create[:opening + 1], [create[a + 1:b] for a, b in zip([opening] + cuts, cuts + [closing])],
            create[closing:])


def _unquoted(name):
    return name.replace("``", "`")


def _key_name(item):
    """The name of the index an item of SHOW CREATE TABLE declares ("PRIMARY" for the key), or None."""
    key = _KEY_ITEM.match(item)
    return None if key is None else "PRIMARY" if key.group("kind") is None else _unquoted(key.group("name"))


def _column_name(item):
    """The column an item of SHOW CREATE TABLE declares, or None (the server quotes every column name)."""
    column = _COLUMN_ITEM.match(item)
    return column and _unquoted(column.group("name"))


def _column_metadata(table, name, null, default, full_type, extra, key):
    """A column as information_schema.COLUMNS has it, in Peewee's form."""
    from peewee import ColumnMetadata

    null = null == "YES"
    default = None if null and default == "NULL" else default  # MariaDB's word for no default
    return ColumnMetadata(name, full_type, null, key, table, default, full_type, "auto_increment" in (extra or ""))
