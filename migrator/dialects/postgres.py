"""PostgreSQL: transactional DDL, a prepared one-query table read, schemas."""
from contextlib import contextmanager
from dataclasses import replace

from ..errors import SpecError
from ..fields import IDENTIFIER
from .base import UNSET, Dialect


class PostgresDialect(Dialect):
    name = "postgres"
    types = {
        "integer": ("IntegerField", ()), "bigint": ("BigIntegerField", ()), "smallint": ("SmallIntegerField", ()),
        "character varying": ("CharField", ("max_length",)), "character": ("FixedCharField", ("max_length",)),
        "text": ("TextField", ()), "real": ("FloatField", ()), "double precision": ("DoubleField", ()),
        "numeric": ("DecimalField", ("max_digits", "decimal_places")),
        "timestamp without time zone": ("DateTimeField", ()), "date": ("DateField", ()),
        "time without time zone": ("TimeField", ()), "bytea": ("BlobField", ()), "boolean": ("BooleanField", ()),
        "uuid": ("UUIDField", ()),
    }

    def after_rows_restored(self, ctx, table):
        for column in table.columns:
            if column.auto_increment:
                q = self.quote
                ctx.execute_sql(f"SELECT setval(pg_get_serial_sequence('{q(table.name)}', '{column.name}'), "
                                f"MAX({q(column.name)})) FROM {q(table.name)} HAVING MAX({q(column.name)}) IS NOT NULL")

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
            return f"has values that cannot be converted to {new}: {str(error).strip().splitlines()[0]}"
        return None

    @contextmanager
    def scratch_space(self, settings, name):
        try:
            yield replace(settings, schema=name), f"a scratch schema {name}", False
        finally:
            self.db.execute_sql(f"DROP SCHEMA IF EXISTS {self.quote(name)} CASCADE")

    def qualified(self, table):
        schema = self.db.execute_sql("SELECT current_schema()").fetchone()[0]
        return f"{self.quote(schema)}.{self.quote(table)}"

    def use_schema(self, schema):
        if not IDENTIFIER.fullmatch(schema):
            raise SpecError(f"'{schema}' is not a valid schema name")
        import peewee

        try:
            self.db.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {self.quote(schema)}")
        except peewee.IntegrityError:
            pass  # IF NOT EXISTS still races: another run created it at the same moment
        self.db.execute_sql(f"SET search_path TO {self.quote(schema)}")

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
                    ORDER BY p)) ORDER BY x.indisunique DESC, i.relname)
                FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                WHERE x.indrelid = t.oid AND NOT x.indisprimary),
            'foreign_keys', (SELECT json_agg(json_build_array(
                    a.attname, f.relname, fa.attname, c.conname, c.confdeltype, c.confupdtype))
                FROM pg_constraint AS c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS u(col, fcol)
                JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = u.col
                JOIN pg_class AS f ON f.oid = c.confrelid
                JOIN pg_attribute AS fa ON fa.attrelid = c.confrelid AND fa.attnum = u.fcol
                WHERE c.conrelid = t.oid AND c.contype = 'f'))
        FROM pg_class AS t JOIN pg_namespace AS n ON n.oid = t.relnamespace
        LEFT JOIN pg_index AS k ON k.indrelid = t.oid AND k.indisprimary
        WHERE t.relname = %s AND n.nspname = current_schema() AND t.relkind IN ('r', 'p')"""
    _prepared_on = None  # the connection the table read is prepared on

    def _prepare_table_read(self):
        """Prepare the table read once per connection: planning it costs twice what running it does."""
        connection = self.db.connection()
        if self._prepared_on is not connection:
            found = self.db.execute_sql("SELECT 1 FROM pg_prepared_statements WHERE name = '_migrator_read_table'")
            if found.fetchone() is None:
                self.db.execute_sql("PREPARE _migrator_read_table(text) AS " + self._TABLE.replace("%s", "$1"))
            self._prepared_on = connection

    _RULES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata, unqesc

        self._prepare_table_read()
        row = self.db.execute_sql("EXECUTE _migrator_read_table(%s)", (name,)).fetchone()
        if row is None:
            return None
        found = row[0]
        columns = [ColumnMetadata(column, full_type, null, key, name, default, full_type,
                                  identity or (default or "").startswith("nextval("))
                   for column, null, full_type, default, identity, key in found["columns"] or []]
        indexes = [IndexMetadata(index, None, [unqesc(c) for c in parts], unique, name)
                   for index, unique, parts in found["indexes"] or []]
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint,
                                           self._RULES[on_delete], self._RULES[on_update])
                        for column, dest, dest_column, constraint, on_delete, on_update in found["foreign_keys"] or []]
        return columns, indexes, foreign_keys

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
