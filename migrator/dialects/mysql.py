"""MySQL/MariaDB: DDL commits by itself, so versions are journaled and compensated."""
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from ..fields import FieldSpec
from .base import _TYPE, UNSET, Dialect


class MysqlDialect(Dialect):
    name = "mysql"
    transactional_ddl = False
    default_referential_action = "RESTRICT"
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
        UNION ALL SELECT 'index', SEQ_IN_INDEX, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULL, NULL
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
        UNION ALL SELECT 'fk', 0, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME, CONSTRAINT_NAME, NULL
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s
                AND REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_COLUMN_NAME IS NOT NULL
        UNION ALL SELECT 'rule', 0, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE, NULL, NULL
            FROM information_schema.REFERENTIAL_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %(t)s"""
    # (Joining the two views in the server makes it read every constraint of the database: 25 times slower.)

    def table_metadata(self, name):
        from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata

        rows = self.db.execute_sql(self._TABLE, {"t": name}).fetchall()
        if not any(kind == "table" and found == name for kind, _, found, *_ in rows):
            return None
        rules = {constraint: (on_delete, on_update) for kind, _, constraint, on_delete, on_update, *_ in rows
                 if kind == "rule"}
        foreign_keys = [ForeignKeyMetadata(column, dest, dest_column, name, constraint, *rules[constraint])
                        for kind, _, column, dest, dest_column, constraint, _ in rows if kind == "fk"]
        implicit = {"PRIMARY"} | {fk.name for fk in foreign_keys}  # made by the key, or for a foreign key
        indexes, keys = {}, []
        for _, _, index, column, non_unique, _, _ in sorted((r for r in rows if r[0] == "index"),
                                                            key=lambda r: (r[2], int(r[1]))):
            if index == "PRIMARY":
                keys.append(column)
            elif index not in implicit:
                metadata = indexes.setdefault(index, IndexMetadata(index, None, [], not int(non_unique), name))
                metadata.columns.append(column)
        columns = []
        for _, _, column, null, default, full_type, extra in sorted((r for r in rows if r[0] == "column"),
                                                                  key=lambda r: int(r[1])):
            null = null == "YES"
            default = None if null and default == "NULL" else default  # MariaDB's word for no default
            columns.append(ColumnMetadata(column, full_type, null, column in keys, name, default, full_type,
                                          "auto_increment" in (extra or "")))
        return columns, list(indexes.values()), foreign_keys

    def _mapped_type(self, type_text):
        match = _TYPE.fullmatch(type_text.lower().strip())
        known = match and self.types.get(match.group(1))
        if known and known[1] == ("display",):  # int(11): a display width, not a parameter
            if known[0] == "BooleanField" and match.group(2) != "1":
                return None
            return FieldSpec.make(known[0])
        return super()._mapped_type(type_text)

    def quote(self, name):
        return f"`{name}`"

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
        if ctx.require_table(table).foreign_key(column):
            ctx.run(ctx.migrator.drop_foreign_key_constraint(table, column))
        super().drop_column(ctx, table, column, cascade=False)

    @contextmanager
    def scratch_space(self, settings, name):
        self.db.execute_sql(f"CREATE DATABASE {self.quote(name)}")
        try:
            parts = urlsplit(settings.database_url)
            url = urlunsplit(parts._replace(path=f"/{name}"))
            yield replace(settings, database_url=url, schema=None), f"a scratch database {name}", False
        finally:
            self.db.execute_sql(f"DROP DATABASE IF EXISTS {self.quote(name)}")

    def qualified(self, table):
        return f"{self.quote(self.db.database)}.{self.quote(table)}"

    def rename_column(self, ctx, table, old, new):
        from playhouse.migrate import SchemaMigrator

        # Peewee's MySQL rename re-declares the column from DESCRIBE and loses its default.
        return SchemaMigrator.rename_column(ctx.migrator, table, old, new)

    def alter_column(self, ctx, table, column, *, type=None, null=None, default=UNSET):
        current = ctx.require_column(table, column)
        definition = self.type_sql(type) if type else current.type
        definition += " NULL" if (current.null if null is None else null) else " NOT NULL"
        default = (None if current.default is None else {"expression": current.default}) if default is UNSET else default
        definition += f" DEFAULT {self.literal(default)}" if default is not None else ""
        definition += " AUTO_INCREMENT" if current.auto_increment else ""
        ctx.execute_sql(f"ALTER TABLE {self.quote(table)} MODIFY {self.quote(column)} {definition}")
