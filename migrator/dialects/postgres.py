"""PostgreSQL: transactional DDL, a prepared one-query table read, schemas."""
import re
from contextlib import contextmanager
from dataclasses import replace

from ..errors import SpecError
from ..fields import IDENTIFIER
from ..locks import AdvisoryLock
from ..safety import BRIEF_LOCK, INSTANT, REWRITE, SCAN_UNDER_LOCK, Rating
from .base import _TYPE, UNSET, Dialect, driver_error, session_text
from .postgres_online import OnlineForms

_CAST_STRING = re.compile(r"('(?:[^']|'')*')::(.+)")  # a string literal cast to a type, as PostgreSQL keeps one


class PostgresDialect(OnlineForms, Dialect):
    name = "postgres"
    label = "PostgreSQL"
    sql_keys = ("postgresql",)
    scheme = "postgresql"
    lock_class = AdvisoryLock
    retypes_viewed_columns = False
    longest_name = 63  # NAMEDATALEN - 1: a longer name is cut short, silently
    types = {
        "integer": ("IntegerField", ()), "bigint": ("BigIntegerField", ()), "smallint": ("SmallIntegerField", ()),
        "character varying": ("CharField", ("max_length",)), "character": ("FixedCharField", ("max_length",)),
        "text": ("TextField", ()), "real": ("FloatField", ()), "double precision": ("DoubleField", ()),
        "numeric": ("DecimalField", ("max_digits", "decimal_places")),
        "timestamp without time zone": ("DateTimeField", ()), "date": ("DateField", ()),
        "time without time zone": ("TimeField", ()), "bytea": ("BlobField", ()), "boolean": ("BooleanField", ()),
        "uuid": ("UUIDField", ()),
    }

    _saved_lock_timeout = None  # the session's own lock_timeout, while migrator's is set for the session
    _for_run = False  # set for a whole command: a statement outside a transaction has it already

    def wait_for_locks(self, seconds, local=False, run=False):
        """SET LOCAL in a transaction, unless a command set it for the session (`run`) already; for the session
        for a command, or around a statement that runs outside a transaction (CONCURRENTLY) when no command set it;
        `seconds` None puts back the session's own."""
        if local:
            if not self._for_run:  # a command's session value holds for each of its versions already
                self.db.execute_sql(f"SET LOCAL lock_timeout = '{max(1, round(seconds * 1000))}ms'")
            return
        if self._for_run and not run:
            return
        if seconds is None:
            saved, self._saved_lock_timeout, self._for_run = self._saved_lock_timeout, None, False
            if saved is not None:
                self.db.execute_sql("SELECT set_config('lock_timeout', %s, false)", (saved,))
            return
        if self._saved_lock_timeout is None:
            self._saved_lock_timeout = self.db.execute_sql("SELECT current_setting('lock_timeout')").fetchone()[0]
        self._for_run = run
        self.db.execute_sql(f"SET lock_timeout = '{max(1, round(seconds * 1000))}ms'")

    def lock_not_had(self, error):
        return getattr(driver_error(error), "pgcode", None) == "55P03"  # lock_not_available

    def lock_holders(self, tables):
        rows = self.db.execute_sql("""
            SELECT DISTINCT a.pid, a.usename, a.application_name, a.state,
                   EXTRACT(EPOCH FROM now() - COALESCE(a.xact_start, a.query_start)), a.query
            FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.granted AND l.pid <> pg_backend_pid()
              AND l.relation = ANY (SELECT to_regclass(quote_ident(t)) FROM unnest(%s::text[]) AS t)
            ORDER BY a.pid""", (list(tables),)).fetchall()
        if not rows:  # a concurrent build waits for every older transaction, whichever tables it reads
            rows = self.db.execute_sql("""
                SELECT pid, usename, application_name, state, EXTRACT(EPOCH FROM now() - xact_start), query
                FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
                  AND backend_type = 'client backend' AND datname = current_database()
                ORDER BY xact_start LIMIT 3""").fetchall()
        return [session_text(pid, user, program and f"program {program}", state,
                             float(seconds) if seconds is not None else None, query)
                for pid, user, program, state, seconds, query in rows]

    def check_expression(self, check):
        """pg_get_constraintdef gives CHECK ((expression)): add_check takes what is inside CHECK (...)."""
        text = check.expression
        return text[len("CHECK ("):-1] if text.startswith("CHECK (") and text.endswith(")") else text
    _KEY_TYPE_FAMILIES = (("smallint", "integer", "bigint", "numeric", "real", "double precision"),
                          ("character varying", "character", "text"))

    def compatible_key_types(self, column_type, referenced_type):
        """PostgreSQL needs an equality between the two types: numbers with numbers, strings with strings, else
        the same type."""
        def family(type_text):
            base = type_text.split("(")[0].strip()
            return next((i for i, kinds in enumerate(self._KEY_TYPE_FAMILIES) if base in kinds), base)

        return family(column_type) == family(referenced_type)

    def after_rows_restored(self, ctx, table):
        """Move a key's sequence past the rows that came back, never back (a restored sequence keeps its value)."""
        q = self.quote
        for column in table.columns:
            if column.auto_increment:
                sequence = f"pg_get_serial_sequence('{q(table.name)}', '{column.name}')"
                ctx.execute_sql(f"SELECT setval({sequence}, m) FROM (SELECT MAX({q(column.name)}) AS m "
                                f"FROM {q(table.name)}) AS rows WHERE m > COALESCE(pg_sequence_last_value("
                                f"{sequence}::regclass), 0)")

    def reach(self, source):
        schema = source.db.execute_sql("SELECT current_schema()").fetchone()[0]
        self.db.execute_sql(f"SET search_path TO {self.quote(self._schema())}, {self.quote(schema)}")

    def _schema(self):
        return self.db.execute_sql("SELECT current_schema()").fetchone()[0]

    def exactly(self, value):
        return f"CAST({value} AS TEXT)"  # json and others have no equality; text compares exactly

    def insert_select(self, table, columns, select):
        # A key GENERATED ALWAYS AS IDENTITY takes the kept values too
        return super().insert_select(table, columns, f"OVERRIDING SYSTEM VALUE {select}")

    def as_written(self, sql):
        return sql.replace("%", "%%")  # the driver formats a statement given parameters, even none

    def index_namespace(self):
        kinds = {"v": "view", "m": "materialized view", "S": "sequence", "f": "foreign table", "c": "type"}
        rows = self.db.execute_sql("SELECT relname, relkind FROM pg_class WHERE relnamespace = "
                                   "quote_ident(current_schema())::regnamespace AND relkind IN ('v', 'm', 'S', 'f', 'c')")
        return {name: kinds[kind] for name, kind in rows.fetchall()}

    def views(self):
        return dict(self.db.execute_sql(
            "SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class AS c WHERE c.relkind = 'v' "
            "AND c.relnamespace = quote_ident(current_schema())::regnamespace").fetchall())

    def drop_trigger(self, ctx, table, name):
        ctx.execute_sql(f"DROP TRIGGER {self.quote(name)} ON {self.quote(table)}")

    _DEFINITION = """
        SELECT json_build_object(
            'columns', (SELECT json_agg(json_build_array(quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attcollation <> ty.typcollation THEN quote_ident(co.collname) END,
                    pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity, a.attgenerated,
                    pg_get_serial_sequence(quote_ident(t.relname), a.attname), a.attname) ORDER BY a.attnum)
                FROM pg_attribute AS a JOIN pg_type AS ty ON ty.oid = a.atttypid
                LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
                LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
            'constraints', (SELECT json_agg(json_build_array(quote_ident(c.conname), pg_get_constraintdef(c.oid))
                    ORDER BY c.contype <> 'p', c.contype = 'f', c.conname)
                FROM pg_constraint AS c WHERE c.conrelid = t.oid AND c.contype IN ('p', 'u', 'c', 'x', 'f')
                AND left(c.conname, 13) <> '_migrator_nn_'),
            'sequences', (SELECT json_agg(json_build_array(s.seqrelid::regclass::text, format_type(s.seqtypid, NULL),
                    s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle,
                    pg_sequence_last_value(s.seqrelid)))
                FROM pg_depend AS dep JOIN pg_sequence AS s ON s.seqrelid = dep.objid
                WHERE dep.refobjid = t.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')),
            'grants', (SELECT json_agg(json_build_array(CASE WHEN g.grantee = 0 THEN 'PUBLIC'
                    ELSE quote_ident(pg_get_userbyid(g.grantee)) END, g.privilege_type))
                FROM aclexplode(t.relacl) AS g WHERE g.grantee <> t.relowner),
            'schema', quote_ident(n.nspname))
        FROM pg_class AS t JOIN pg_namespace AS n ON n.oid = t.relnamespace
        WHERE t.relname = %s AND n.nspname = current_schema() AND t.relkind IN ('r', 'p')"""

    def table_definition(self, table):
        """CREATE TABLE from the catalog (columns, collations, defaults, identity, generated columns, every
        constraint), its sequences with their values, and its grants."""
        found = self.db.execute_sql(self._DEFINITION, (table.name,)).fetchone()[0]
        name, schema = self.quote(table.name), found["schema"]
        states = {sequence.removeprefix(f"{schema}."): rest for sequence, *rest in found["sequences"] or []}
        columns = found["columns"]
        owned = {column[7].removeprefix(f"{schema}."): column for column in columns if column[7]}
        serial = {sequence: column for sequence, column in owned.items() if not column[5]}  # not an identity's
        statements = [self._sequence_definition(sequence, *states[sequence][:7]) for sequence in serial]
        constraints = [f"CONSTRAINT {constraint} {definition}" for constraint, definition in found["constraints"] or []]
        statements.append(f"CREATE TABLE {name} "
                          f"({', '.join([self._column_definition(*c[:7]) for c in columns] + constraints)})")
        statements += [f"ALTER SEQUENCE {sequence} OWNED BY {name}.{column[0]}" for sequence, column in serial.items()]
        for sequence, column in owned.items():
            start, last = states[sequence][4], states[sequence][7]
            target = f"pg_get_serial_sequence('{name}', '{column[8]}')"
            statements.append(f"SELECT setval({target}, {start}, false)" if last is None else
                              f"SELECT setval({target}, {last}, true)")
        statements += [f"GRANT {privilege} ON {name} TO {grantee}" for grantee, privilege in found["grants"] or []]
        return statements

    @staticmethod
    def _sequence_definition(sequence, kind, step, low, high, start, cache, cycle):
        return (f"CREATE SEQUENCE {sequence} AS {kind} INCREMENT BY {step} MINVALUE {low} MAXVALUE {high} "
                f"START WITH {start} CACHE {cache}{' CYCLE' if cycle else ''}")

    @staticmethod
    def _column_definition(name, kind, collation, default, not_null, identity, generated):
        text = f"{name} {kind}" + (f" COLLATE {collation}" if collation else "")
        if generated:
            text += f" GENERATED ALWAYS AS ({default}) STORED"
        elif identity:
            text += f" GENERATED {'ALWAYS' if identity == 'a' else 'BY DEFAULT'} AS IDENTITY"
        elif default is not None:
            text += f" DEFAULT {default}"
        return text + (" NOT NULL" if not_null else "")

    def changed_values(self, db, table, column, old_type, spec):
        import peewee

        q, new = self.quote, self.type_sql(spec)
        # Back to the old type, or where a value no longer fits it (NUMERIC(10, 2) from a REAL that rounded
        # 99999999.99 up to 1e8), to the old type without its limits: that value changed too.
        for back in dict.fromkeys((old_type, old_type.split("(")[0].strip())):
            try:
                with db.atomic():
                    return db.execute_sql(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(column)} IS DISTINCT FROM "
                                          f"CAST(CAST({q(column)} AS {new}) AS {back})").fetchone()[0]
            except peewee.DatabaseError:
                continue
        return None  # values the type cannot take at all, or a type without equality: said below, or not known

    def length_sql(self, expression):
        return f"LENGTH(CAST({expression} AS TEXT))"  # LENGTH takes text only: a number being made text too

    def conversion_problem(self, db, table, column, spec):
        import peewee

        problem = super().conversion_problem(db, table, column, spec)
        if problem:
            return problem
        new = self.type_sql(spec)
        try:
            with db.atomic():
                db.execute_sql(f"SELECT COUNT({self.quote(column)}::{new}) FROM {self.quote(table)}")
        except peewee.DatabaseError as error:
            return f"has values that cannot be converted to {new}: {str(error).strip().splitlines()[0]}", False
        return None

    @contextmanager
    def scratch_space(self, settings, name, copy=True):
        try:
            yield replace(settings, schema=name), f"a scratch schema {name}", False
        finally:
            self.clean_up(f"DROP SCHEMA IF EXISTS {self.quote(name)} CASCADE")

    def qualified(self, table):
        schema = self.db.execute_sql("SELECT current_schema()").fetchone()[0]
        return f"{self.quote(schema)}.{self.quote(table)}"

    def portable_default(self, column):
        """'new'::character varying on a character varying column is the literal 'new' (the cast is the column's
        own type, which PostgreSQL adds to every string default it keeps)."""
        cast = _CAST_STRING.fullmatch(column.default)
        if cast and cast.group(2) == column.type.split("(")[0]:
            return self.default_value(cast.group(1))
        return self.default_value(column.default)

    def use_schema(self, schema):
        """Make `schema` (created if missing) the connection's search_path; return what sets the old one back."""
        if not IDENTIFIER.fullmatch(schema):
            raise SpecError(f"'{schema}' is not a valid schema name")
        import peewee

        try:
            self.db.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {self.quote(schema)}")
        except peewee.IntegrityError:
            pass  # IF NOT EXISTS still races: another run created it at the same moment
        previous = self.db.execute_sql("SHOW search_path").fetchone()[0]
        self.db.execute_sql(f"SET search_path TO {self.quote(schema)}")
        return lambda: self.db.execute_sql("SELECT set_config('search_path', %s, false)", (previous,))

    tenant_kind = "schema"
    default_port = 5432

    def tenant_spaces(self):
        return [name for name, in self.db.execute_sql(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE %s AND nspname <> 'information_schema' "
            "AND nspname NOT LIKE %s ORDER BY nspname", ("pg\\_%", "\\_migrator\\_%"))]

    @classmethod
    def tenant_target(cls, url, name):
        return url, name

    def connection_room(self):
        (room,) = self.db.execute_sql(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')").fetchone()
        return room

    _TABLE = """
        SELECT json_build_object(
            'columns', (SELECT json_agg(json_build_array(
                    a.attname, NOT a.attnotnull, format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    a.attidentity <> '', a.attnum = ANY(k.indkey::int2[])) ORDER BY a.attnum)
                FROM pg_attribute AS a LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
            'indexes', (SELECT json_agg(json_build_array(i.relname, x.indisunique, ARRAY(
                    SELECT pg_get_indexdef(x.indexrelid, p + 1, TRUE) FROM generate_subscripts(x.indkey, 1) AS p
                    ORDER BY p),
                    CASE WHEN x.indpred IS NOT NULL OR x.indexprs IS NOT NULL OR x.indnkeyatts <> x.indnatts
                        OR am.amname <> 'btree' OR 0 <> ANY(x.indoption::int2[])
                        OR EXISTS (SELECT 1 FROM unnest(x.indclass::oid[]) AS o JOIN pg_opclass AS c ON c.oid = o
                                   WHERE NOT c.opcdefault)
                        OR EXISTS (SELECT 1 FROM generate_subscripts(x.indkey, 1) AS p JOIN pg_attribute AS ia
                                   ON ia.attrelid = t.oid AND ia.attnum = x.indkey[p]
                                   WHERE x.indcollation[p] <> ia.attcollation)
                    THEN pg_get_indexdef(x.indexrelid) END,
                    EXISTS (SELECT 1 FROM pg_constraint AS u WHERE u.conindid = x.indexrelid AND u.contype = 'u'))
                    ORDER BY x.indisunique DESC, i.relname)
                FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_am AS am ON am.oid = i.relam
                WHERE x.indrelid = t.oid AND NOT x.indisprimary AND x.indisvalid),
            'foreign_keys', (SELECT json_agg(json_build_array(
                    a.attname, f.relname, fa.attname, c.conname, c.confdeltype, c.confupdtype))
                FROM pg_constraint AS c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS u(col, fcol)
                JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = u.col
                JOIN pg_class AS f ON f.oid = c.confrelid
                JOIN pg_attribute AS fa ON fa.attrelid = c.confrelid AND fa.attnum = u.fcol
                WHERE c.conrelid = t.oid AND c.contype = 'f'),
            'checks', (SELECT json_agg(json_build_array(c.conname, pg_get_constraintdef(c.oid)) ORDER BY c.conname)
                FROM pg_constraint AS c WHERE c.conrelid = t.oid AND c.contype = 'c'
                AND left(c.conname, 13) <> '_migrator_nn_'),
            'triggers', (SELECT json_agg(json_build_array(g.tgname, pg_get_triggerdef(g.oid)) ORDER BY g.tgname)
                FROM pg_trigger AS g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal),
            'key', ARRAY(SELECT a.attname FROM generate_subscripts(k.indkey, 1) AS p
                JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = k.indkey[p] ORDER BY p),
            'schema', quote_ident(n.nspname))
        FROM pg_class AS t JOIN pg_namespace AS n ON n.oid = t.relnamespace
        LEFT JOIN pg_index AS k ON k.indrelid = t.oid AND k.indisprimary
        WHERE t.relname = %s AND n.nspname = current_schema() AND t.relkind IN ('r', 'p')"""
    _prepared_on = None  # the connection the table read is prepared on

    def _prepare_table_read(self):
        """Prepare the table read once per connection: planning it costs twice what running it does."""
        connection = self.db.connection()
        if self._prepared_on is not connection:
            found = self.db.execute_sql("SELECT 1 FROM pg_prepared_statements WHERE name = '_migrator_read_table_3'")
            if found.fetchone() is None:
                self.db.execute_sql("PREPARE _migrator_read_table_3(text) AS " + self._TABLE.replace("%s", "$1"))
            self._prepared_on = connection

    _RULES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata, unqesc

        self._prepare_table_read()
        row = self.db.execute_sql("EXECUTE _migrator_read_table_3(%s)", (name,)).fetchone()
        if row is None:
            return None
        found = row[0]
        columns = [ColumnMetadata(column, full_type, null, key, name, default, full_type,
                                  identity or (default or "").startswith("nextval("))
                   for column, null, full_type, default, identity, key in found["columns"] or []]
        unqualified = _Unqualified(found["schema"])
        indexes = [IndexMetadata(index, unqualified(definition), [unqesc(c) for c in parts], unique, name)
                   for index, unique, parts, definition, _ in found["indexes"] or []]
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint,
                                           self._RULES[on_delete], self._RULES[on_update])
                        for column, dest, dest_column, constraint, on_delete, on_update in found["foreign_keys"] or []]
        extras = {"key": found["key"], "checks": found["checks"] or [],
                  "triggers": [(trigger, unqualified(sql)) for trigger, sql in found["triggers"] or []],
                  "constraints": {index for index, _, _, _, constraint in found["indexes"] or [] if constraint}}
        return columns, indexes, foreign_keys, extras

    def read_column(self, table, name):
        from peewee import ColumnMetadata

        row = self.db.execute_sql("""
            SELECT NOT a.attnotnull, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, a.attidentity <> '',
                   EXISTS (SELECT 1 FROM pg_index AS k WHERE k.indrelid = t.oid AND k.indisprimary
                           AND a.attnum = ANY(k.indkey::int2[]))
            FROM pg_class AS t JOIN pg_attribute AS a ON a.attrelid = t.oid
            LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE t.relname = %s AND t.relnamespace = quote_ident(current_schema())::regnamespace AND t.relkind IN ('r', 'p')
              AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped""", (table, name)).fetchone()
        if row is None:
            return None
        null, full_type, default, identity, key = row
        return self.column(ColumnMetadata(name, full_type, null, key, table, default, full_type,
                                          identity or (default or "").startswith("nextval(")))

    def unrenamable_index(self, table, name):
        found = self.db.execute_sql(
            "SELECT t.relname FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid "
            "JOIN pg_class AS t ON t.oid = x.indrelid WHERE x.indisprimary AND i.relname = %s "
            "AND i.relnamespace = quote_ident(current_schema())::regnamespace", (name,)).fetchone()
        return found and (f"is the primary key of {found[0]}: rename_index does not rename a primary key (an sql "
                          "operation can: ALTER TABLE ... RENAME CONSTRAINT)")

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        prefix = f"ALTER TABLE {self.quote(table)} ALTER COLUMN {self.quote(column)}"
        if type is not None:
            new = self.type_sql(type)
            ctx.execute_sql(f"{prefix} TYPE {new} USING {self.quote(column)}::{new}")
        if null is not None:
            ctx.execute_sql(f"{prefix} {'DROP' if null else 'SET'} NOT NULL")
        if default is not UNSET:
            ctx.execute_sql(f"{prefix} DROP DEFAULT" if default is None else
                            f"{prefix} SET DEFAULT {self.literal(default)}")

    def update_some(self, table, assignment, where, limit):
        q = self.quote
        return (f"UPDATE {q(table)} SET {assignment} WHERE ctid IN "
                f"(SELECT ctid FROM {q(table)} WHERE {where} LIMIT {limit})")

    # -- ratings (safety.py): what migrator runs here, by default in its safe forms ------------------------------
    ratings = {"drop_column": INSTANT, "rename_column": INSTANT, "rename_table": INSTANT, "rename_index": INSTANT,
               "add_default": INSTANT, "drop_default": INSTANT, "drop_not_null": INSTANT, "create_table": INSTANT,
               "drop_check": INSTANT, "drop_table": BRIEF_LOCK, "drop_index": BRIEF_LOCK, "drop_unique": BRIEF_LOCK,
               "drop_foreign_key": BRIEF_LOCK, "add_trigger": BRIEF_LOCK, "drop_trigger": BRIEF_LOCK}
    _ONLINE = 'leave out "online": false: {} lets writes go on'

    def catalog_rows(self, table):
        found = self.db.execute_sql("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
                                    (self.quote(table),)).fetchone()
        # -1: never analyzed (PostgreSQL 14+), which says nothing of its rows
        return int(found[0]) if found and found[0] >= 0 else None

    def _rate_add_column(self, op, table):
        spec = op.field
        if spec.referenced:
            return Rating(SCAN_UNDER_LOCK, "add the column without its key, then add_foreign_key, which adds it NOT "
                                           "VALID then validates it while writes go on")
        if spec.get("index") or spec.get("unique"):
            return Rating(SCAN_UNDER_LOCK, "add the column without an index, then add_index, built CONCURRENTLY")
        if not spec.null and spec.get("default") is None:
            return Rating(SCAN_UNDER_LOCK, "give the column a default (a constant one is kept in the catalog), or a "
                                           "fill: filled in batches, then made NOT NULL while writes go on")
        return Rating(INSTANT)  # a constant default (the only kind a field has) is catalog only since PostgreSQL 11

    def _rate_add_index(self, op, table):
        return Rating(BRIEF_LOCK) if op.online else Rating(SCAN_UNDER_LOCK, self._ONLINE.format(
            "CREATE INDEX CONCURRENTLY"))

    def _rate_add_not_null(self, op, table):
        return Rating(BRIEF_LOCK) if op.online else Rating(SCAN_UNDER_LOCK, self._ONLINE.format(
            "a CHECK (column IS NOT NULL) NOT VALID, validated, then SET NOT NULL,"))

    def _rate_add_foreign_key(self, op, table):
        return Rating(BRIEF_LOCK) if op.online else Rating(SCAN_UNDER_LOCK, self._ONLINE.format(
            "NOT VALID, then VALIDATE CONSTRAINT,"))

    def _rate_add_check(self, op, table):
        return Rating(SCAN_UNDER_LOCK, "an sql operation adding the check NOT VALID, then one running VALIDATE "
                                       "CONSTRAINT, lets writes go on")

    def _rate_add_unique(self, op, table):
        return Rating(SCAN_UNDER_LOCK, "add_index with unique: true, built CONCURRENTLY, enforces the same")

    def _rate_alter_column_type(self, op, table):
        column = table and table.column(op.column)
        if column is None:
            return Rating(BRIEF_LOCK)
        rewrite = not _in_place(column.type, self.type_sql(op.field))
        if not rewrite and column.null and op.field.has("null") and not op.field.null:  # SET NOT NULL scans
            return Rating(SCAN_UNDER_LOCK, "change the type, then add_not_null, validated while writes go on")
        if not rewrite:
            return Rating(BRIEF_LOCK)
        return Rating(REWRITE, "add a new column, fill it, and move the application to it, instead of changing "
                               "the type in place")


def _type_parts(text):
    """(name, first number, second number) of a type's text; PostgreSQL's long names in their short form."""
    found = _TYPE.fullmatch(text.strip().lower())
    if not found:
        return text.strip().lower(), None, None
    name = {"character varying": "varchar", "decimal": "numeric"}.get(found[1].strip(), found[1].strip())
    return name, found[2] and int(found[2]), found[3] and int(found[3])


def _in_place(old, new):
    """Whether PostgreSQL changes a column of type `old` to `new` without rewriting the table: the same type, a
    longer or unlimited varchar, varchar to text, a numeric of more digits with the same scale."""
    (was, length, scale), (becomes, new_length, new_scale) = _type_parts(old), _type_parts(new)
    if (was, length, scale) == (becomes, new_length, new_scale) or was == "varchar" and becomes == "text":
        return True
    if was == becomes == "varchar":
        return new_length is None or length is not None and new_length >= length
    if was == becomes == "numeric":
        return new_length is None or (length is not None and new_length >= length and (new_scale or 0) == (scale or 0))
    return False


class _Unqualified:
    """PostgreSQL writes the table of an index or trigger definition with its schema; restored in the same schema,
    or in verify's scratch schema, it is read without."""

    def __init__(self, schema):
        self.replacements = [(f" ON {schema}.", " ON "), (f" ON ONLY {schema}.", " ON ONLY ")]

    def __call__(self, sql):
        for qualified, plain in self.replacements if sql else ():
            sql = sql.replace(qualified, plain, 1)
        return sql
