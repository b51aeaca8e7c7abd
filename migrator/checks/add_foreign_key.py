VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)': re.compile('^[A-Za-z_][A-Za-z0-9_]{0,63}\\Z(?!\\n)')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Add a foreign key over existing columns, named fk_<table>_<columns>_refs_<ref_table> as Peewee names it unless 'name' is given. Rows whose values point to no row are refused before anything runs. Its inverse drops it.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The key's columns, in order (several for a composite key)."}, 'ref_table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'ref_columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The referenced columns, as many as 'columns': the primary key or a unique index. The referenced table's primary key when not given."}, 'on_delete': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'on_update': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns', 'ref_table'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table', 'columns', 'ref_table']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': "Add a foreign key over existing columns, named fk_<table>_<columns>_refs_<ref_table> as Peewee names it unless 'name' is given. Rows whose values point to no row are refused before anything runs. Its inverse drops it.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The key's columns, in order (several for a composite key)."}, 'ref_table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'ref_columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The referenced columns, as many as 'columns': the primary key or a unique index. The referenced table's primary key when not given."}, 'on_delete': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'on_update': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns', 'ref_table'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
        if "table" in data_keys:
            data_keys.remove("table")
            data__table = data["table"]
            if not isinstance(data__table, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".table must be string", value=data__table, name="" + (name_prefix or "data") + ".table", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__table, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__table):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".table must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__table, name="" + (name_prefix or "data") + ".table", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "columns" in data_keys:
            data_keys.remove("columns")
            data__columns = data["columns"]
            if not isinstance(data__columns, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must be array", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The key's columns, in order (several for a composite key)."}, rule='type')
            data__columns_is_list = isinstance(data__columns, (list, tuple))
            if data__columns_is_list:
                data__columns_len = len(data__columns)
                if data__columns_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must contain at least 1 items", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The key's columns, in order (several for a composite key)."}, rule='minItems')
                for data__columns_x, data__columns_item in enumerate(data__columns):
                    if not isinstance(data__columns_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must be string", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                    if isinstance(data__columns_item, str):
                        if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__columns_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "ref_table" in data_keys:
            data_keys.remove("ref_table")
            data__reftable = data["ref_table"]
            if not isinstance(data__reftable, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_table must be string", value=data__reftable, name="" + (name_prefix or "data") + ".ref_table", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__reftable, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__reftable):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_table must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__reftable, name="" + (name_prefix or "data") + ".ref_table", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "ref_columns" in data_keys:
            data_keys.remove("ref_columns")
            data__refcolumns = data["ref_columns"]
            if not isinstance(data__refcolumns, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_columns must be array", value=data__refcolumns, name="" + (name_prefix or "data") + ".ref_columns", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The referenced columns, as many as 'columns': the primary key or a unique index. The referenced table's primary key when not given."}, rule='type')
            data__refcolumns_is_list = isinstance(data__refcolumns, (list, tuple))
            if data__refcolumns_is_list:
                data__refcolumns_len = len(data__refcolumns)
                if data__refcolumns_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_columns must contain at least 1 items", value=data__refcolumns, name="" + (name_prefix or "data") + ".ref_columns", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The referenced columns, as many as 'columns': the primary key or a unique index. The referenced table's primary key when not given."}, rule='minItems')
                for data__refcolumns_x, data__refcolumns_item in enumerate(data__refcolumns):
                    if not isinstance(data__refcolumns_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_columns[{data__refcolumns_x}]".format(**locals()) + " must be string", value=data__refcolumns_item, name="" + (name_prefix or "data") + ".ref_columns[{data__refcolumns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                    if isinstance(data__refcolumns_item, str):
                        if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__refcolumns_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ref_columns[{data__refcolumns_x}]".format(**locals()) + " must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__refcolumns_item, name="" + (name_prefix or "data") + ".ref_columns[{data__refcolumns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "on_delete" in data_keys:
            data_keys.remove("on_delete")
            data__ondelete = data["on_delete"]
            if not (isinstance(data__ondelete, str) and data__ondelete == 'CASCADE' or isinstance(data__ondelete, str) and data__ondelete == 'SET NULL' or isinstance(data__ondelete, str) and data__ondelete == 'RESTRICT' or isinstance(data__ondelete, str) and data__ondelete == 'NO ACTION' or isinstance(data__ondelete, str) and data__ondelete == 'SET DEFAULT'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".on_delete must be one of ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']", value=data__ondelete, name="" + (name_prefix or "data") + ".on_delete", definition={'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, rule='enum')
        if "on_update" in data_keys:
            data_keys.remove("on_update")
            data__onupdate = data["on_update"]
            if not (isinstance(data__onupdate, str) and data__onupdate == 'CASCADE' or isinstance(data__onupdate, str) and data__onupdate == 'SET NULL' or isinstance(data__onupdate, str) and data__onupdate == 'RESTRICT' or isinstance(data__onupdate, str) and data__onupdate == 'NO ACTION' or isinstance(data__onupdate, str) and data__onupdate == 'SET DEFAULT'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".on_update must be one of ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']", value=data__onupdate, name="" + (name_prefix or "data") + ".on_update", definition={'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, rule='enum')
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__name, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "unsafe_ok" in data_keys:
            data_keys.remove("unsafe_ok")
            data__unsafeok = data["unsafe_ok"]
            if not isinstance(data__unsafeok, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".unsafe_ok must be string", value=data__unsafeok, name="" + (name_prefix or "data") + ".unsafe_ok", definition={'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, rule='type')
            if isinstance(data__unsafeok, str):
                data__unsafeok_len = len(data__unsafeok)
                if data__unsafeok_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".unsafe_ok must be longer than or equal to 1 characters", value=data__unsafeok, name="" + (name_prefix or "data") + ".unsafe_ok", definition={'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, rule='minLength')
        if "online" in data_keys:
            data_keys.remove("online")
            data__online = data["online"]
            if not isinstance(data__online, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".online must be boolean", value=data__online, name="" + (name_prefix or "data") + ".online", definition={'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}, rule='type')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Add a foreign key over existing columns, named fk_<table>_<columns>_refs_<ref_table> as Peewee names it unless 'name' is given. Rows whose values point to no row are refused before anything runs. Its inverse drops it.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The key's columns, in order (several for a composite key)."}, 'ref_table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'ref_columns': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'description': "The referenced columns, as many as 'columns': the primary key or a unique index. The referenced table's primary key when not given."}, 'on_delete': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'on_update': {'enum': ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION', 'SET DEFAULT']}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns', 'ref_table'], 'additionalProperties': False}, rule='additionalProperties')
    return data