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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create an index on columns (each a name, or {"column": name, "order": "asc" or "desc"}), then on SQL expressions (\'expressions\', which need a \'name\'); \'where\' makes it partial. Named <table>_<columns> as Peewee names it unless \'name\' is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, 'minItems': 1}, 'expressions': {'description': 'SQL expressions indexed after the columns, e.g. "lower(email)" (PostgreSQL, SQLite, MySQL 8.0.13+).', 'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}, 'where': {'description': 'An SQL condition: only the rows it holds for are indexed (PostgreSQL, SQLite).', 'type': 'string'}, 'unique': {'type': 'boolean'}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create an index on columns (each a name, or {"column": name, "order": "asc" or "desc"}), then on SQL expressions (\'expressions\', which need a \'name\'); \'where\' makes it partial. Named <table>_<columns> as Peewee names it unless \'name\' is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, 'minItems': 1}, 'expressions': {'description': 'SQL expressions indexed after the columns, e.g. "lower(email)" (PostgreSQL, SQLite, MySQL 8.0.13+).', 'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}, 'where': {'description': 'An SQL condition: only the rows it holds for are indexed (PostgreSQL, SQLite).', 'type': 'string'}, 'unique': {'type': 'boolean'}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table'], 'additionalProperties': False}, rule='required')
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
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must be array", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'array', 'items': {'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, 'minItems': 1}, rule='type')
            data__columns_is_list = isinstance(data__columns, (list, tuple))
            if data__columns_is_list:
                data__columns_len = len(data__columns)
                if data__columns_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must contain at least 1 items", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'array', 'items': {'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, 'minItems': 1}, rule='minItems')
                for data__columns_x, data__columns_item in enumerate(data__columns):
                    data__columns_item_one_of_count1 = 0
                    if data__columns_item_one_of_count1 < 2:
                        try:
                            if not isinstance(data__columns_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must be string", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                            if isinstance(data__columns_item, str):
                                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__columns_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
                            data__columns_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__columns_item_one_of_count1 < 2:
                        try:
                            if not isinstance(data__columns_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must be object", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}, rule='type')
                            data__columns_item_is_dict = isinstance(data__columns_item, dict)
                            if data__columns_item_is_dict:
                                data__columns_item__missing_keys = set(['column', 'order']) - data__columns_item.keys()
                                if data__columns_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must contain " + (str(sorted(data__columns_item__missing_keys)) + " properties"), value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}, rule='required')
                                data__columns_item_keys = set(data__columns_item.keys())
                                if "column" in data__columns_item_keys:
                                    data__columns_item_keys.remove("column")
                                    data__columns_item__column = data__columns_item["column"]
                                    if not isinstance(data__columns_item__column, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}].column".format(**locals()) + " must be string", value=data__columns_item__column, name="" + (name_prefix or "data") + ".columns[{data__columns_x}].column".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                                    if isinstance(data__columns_item__column, str):
                                        if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__columns_item__column):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}].column".format(**locals()) + " must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__columns_item__column, name="" + (name_prefix or "data") + ".columns[{data__columns_x}].column".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
                                if "order" in data__columns_item_keys:
                                    data__columns_item_keys.remove("order")
                                    data__columns_item__order = data__columns_item["order"]
                                    if not (isinstance(data__columns_item__order, str) and data__columns_item__order == 'asc' or isinstance(data__columns_item__order, str) and data__columns_item__order == 'desc'):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}].order".format(**locals()) + " must be one of ['asc', 'desc']", value=data__columns_item__order, name="" + (name_prefix or "data") + ".columns[{data__columns_x}].order".format(**locals()) + "", definition={'enum': ['asc', 'desc']}, rule='enum')
                                if data__columns_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must not contain "+str(data__columns_item_keys)+" properties", value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}, rule='additionalProperties')
                            data__columns_item_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__columns_item_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + " must be valid exactly by one definition" + (" (" + str(data__columns_item_one_of_count1) + " matches found)"), value=data__columns_item, name="" + (name_prefix or "data") + ".columns[{data__columns_x}]".format(**locals()) + "", definition={'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, rule='oneOf')
        if "expressions" in data_keys:
            data_keys.remove("expressions")
            data__expressions = data["expressions"]
            if not isinstance(data__expressions, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".expressions must be array", value=data__expressions, name="" + (name_prefix or "data") + ".expressions", definition={'description': 'SQL expressions indexed after the columns, e.g. "lower(email)" (PostgreSQL, SQLite, MySQL 8.0.13+).', 'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}, rule='type')
            data__expressions_is_list = isinstance(data__expressions, (list, tuple))
            if data__expressions_is_list:
                data__expressions_len = len(data__expressions)
                if data__expressions_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".expressions must contain at least 1 items", value=data__expressions, name="" + (name_prefix or "data") + ".expressions", definition={'description': 'SQL expressions indexed after the columns, e.g. "lower(email)" (PostgreSQL, SQLite, MySQL 8.0.13+).', 'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}, rule='minItems')
                for data__expressions_x, data__expressions_item in enumerate(data__expressions):
                    if not isinstance(data__expressions_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expressions[{data__expressions_x}]".format(**locals()) + " must be string", value=data__expressions_item, name="" + (name_prefix or "data") + ".expressions[{data__expressions_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
        if "where" in data_keys:
            data_keys.remove("where")
            data__where = data["where"]
            if not isinstance(data__where, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".where must be string", value=data__where, name="" + (name_prefix or "data") + ".where", definition={'description': 'An SQL condition: only the rows it holds for are indexed (PostgreSQL, SQLite).', 'type': 'string'}, rule='type')
        if "unique" in data_keys:
            data_keys.remove("unique")
            data__unique = data["unique"]
            if not isinstance(data__unique, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".unique must be boolean", value=data__unique, name="" + (name_prefix or "data") + ".unique", definition={'type': 'boolean'}, rule='type')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create an index on columns (each a name, or {"column": name, "order": "asc" or "desc"}), then on SQL expressions (\'expressions\', which need a \'name\'); \'where\' makes it partial. Named <table>_<columns> as Peewee names it unless \'name\' is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'array', 'items': {'description': 'a column\'s name, or {"column": name, "order": "asc" or "desc"}', 'oneOf': [{'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, {'description': 'An indexed column with its order.', 'type': 'object', 'properties': {'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'order': {'enum': ['asc', 'desc']}}, 'required': ['column', 'order'], 'additionalProperties': False}]}, 'minItems': 1}, 'expressions': {'description': 'SQL expressions indexed after the columns, e.g. "lower(email)" (PostgreSQL, SQLite, MySQL 8.0.13+).', 'type': 'array', 'items': {'type': 'string'}, 'minItems': 1}, 'where': {'description': 'An SQL condition: only the rows it holds for are indexed (PostgreSQL, SQLite).', 'type': 'string'}, 'unique': {'type': 'boolean'}, 'name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table'], 'additionalProperties': False}, rule='additionalProperties')
    return data