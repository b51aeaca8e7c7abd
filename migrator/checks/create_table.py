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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create a table; an `id` AutoField comes first when no column is a primary key and no `primary_key` is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, 'primary_key': {'description': "The table's primary key, as Peewee's Meta.primary_key: a list of columns (a CompositeKey when there are several), or false for a table without one (no implicit id).", 'oneOf': [{'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, {'const': False}]}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table', 'columns']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create a table; an `id` AutoField comes first when no column is a primary key and no `primary_key` is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, 'primary_key': {'description': "The table's primary key, as Peewee's Meta.primary_key: a list of columns (a CompositeKey when there are several), or false for a table without one (no implicit id).", 'oneOf': [{'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, {'const': False}]}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns'], 'additionalProperties': False}, rule='required')
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
            if not isinstance(data__columns, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must be object", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, rule='type')
            data__columns_is_dict = isinstance(data__columns, dict)
            if data__columns_is_dict:
                data__columns_len = len(data__columns)
                if data__columns_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must contain at least 1 properties", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, rule='minProperties')
                data__columns_keys = set(data__columns.keys())
                for data__columns_key in data__columns_keys:
                    if data__columns_key not in []:
                        data__columns_value = data__columns.get(data__columns_key)
                        data__columns_value_one_of_count1 = 0
                        if data__columns_value_one_of_count1 < 2:
                            try:
                                if not isinstance(data__columns_value, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must be string", value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='type')
                                if isinstance(data__columns_value, str):
                                    data__columns_value_len = len(data__columns_value)
                                    if data__columns_value_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must be longer than or equal to 1 characters", value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='minLength')
                                    if data__columns_value_len > 1000:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must be shorter than or equal to 1000 characters", value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='maxLength')
                                data__columns_value_one_of_count1 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__columns_value_one_of_count1 < 2:
                            try:
                                if not isinstance(data__columns_value, (dict)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must be object", value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}, rule='type')
                                data__columns_value_is_dict = isinstance(data__columns_value, dict)
                                if data__columns_value_is_dict:
                                    data__columns_value__missing_keys = set(['type']) - data__columns_value.keys()
                                    if data__columns_value__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must contain " + (str(sorted(data__columns_value__missing_keys)) + " properties"), value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}, rule='required')
                                    data__columns_value_keys = set(data__columns_value.keys())
                                    if "type" in data__columns_value_keys:
                                        data__columns_value_keys.remove("type")
                                        data__columns_value__type = data__columns_value["type"]
                                        if not isinstance(data__columns_value__type, (str)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}.type".format(**locals()) + " must be string", value=data__columns_value__type, name="" + (name_prefix or "data") + ".columns.{data__columns_key}.type".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                                data__columns_value_one_of_count1 += 1
                            except (JsonSchemaValueException, JsonSchemaValuesException): pass
                        if data__columns_value_one_of_count1 != 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + " must be valid exactly by one definition" + (" (" + str(data__columns_value_one_of_count1) + " matches found)"), value=data__columns_value, name="" + (name_prefix or "data") + ".columns.{data__columns_key}".format(**locals()) + "", definition={'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, rule='oneOf')
                if data__columns_len != 0:
                    data__columns_property_names = True
                    for data__columns_key in data__columns:
                        try:
                            if not isinstance(data__columns_key, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must be string", value=data__columns_key, name="" + (name_prefix or "data") + ".columns", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                            if isinstance(data__columns_key, str):
                                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__columns_key):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__columns_key, name="" + (name_prefix or "data") + ".columns", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__columns_property_names = False
                    if not data__columns_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".columns must be named by propertyName definition", value=data__columns, name="" + (name_prefix or "data") + ".columns", definition={'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, rule='propertyNames')
        if "primary_key" in data_keys:
            data_keys.remove("primary_key")
            data__primarykey = data["primary_key"]
            data__primarykey_one_of_count2 = 0
            if data__primarykey_one_of_count2 < 2:
                try:
                    if not isinstance(data__primarykey, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key must be array", value=data__primarykey, name="" + (name_prefix or "data") + ".primary_key", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, rule='type')
                    data__primarykey_is_list = isinstance(data__primarykey, (list, tuple))
                    if data__primarykey_is_list:
                        data__primarykey_len = len(data__primarykey)
                        if data__primarykey_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key must contain at least 1 items", value=data__primarykey, name="" + (name_prefix or "data") + ".primary_key", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, rule='minItems')
                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                        if data__primarykey_len > len(set(fn(data__primarykey_x) for data__primarykey_x in data__primarykey)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key must contain unique items", value=data__primarykey, name="" + (name_prefix or "data") + ".primary_key", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, rule='uniqueItems')
                        for data__primarykey_x, data__primarykey_item in enumerate(data__primarykey):
                            if not isinstance(data__primarykey_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key[{data__primarykey_x}]".format(**locals()) + " must be string", value=data__primarykey_item, name="" + (name_prefix or "data") + ".primary_key[{data__primarykey_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
                            if isinstance(data__primarykey_item, str):
                                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__primarykey_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key[{data__primarykey_x}]".format(**locals()) + " must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__primarykey_item, name="" + (name_prefix or "data") + ".primary_key[{data__primarykey_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
                    data__primarykey_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__primarykey_one_of_count2 < 2:
                try:
                    if not (isinstance(data__primarykey, bool) and data__primarykey is False):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key must be same as const definition: False", value=data__primarykey, name="" + (name_prefix or "data") + ".primary_key", definition={'const': False}, rule='const')
                    data__primarykey_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__primarykey_one_of_count2 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".primary_key must be valid exactly by one definition" + (" (" + str(data__primarykey_one_of_count2) + " matches found)"), value=data__primarykey, name="" + (name_prefix or "data") + ".primary_key", definition={'description': "The table's primary key, as Peewee's Meta.primary_key: a list of columns (a CompositeKey when there are several), or false for a table without one (no implicit id).", 'oneOf': [{'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, {'const': False}]}, rule='oneOf')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Create a table; an `id` AutoField comes first when no column is a primary key and no `primary_key` is given.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'columns': {'type': 'object', 'minProperties': 1, 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'additionalProperties': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}}, 'primary_key': {'description': "The table's primary key, as Peewee's Meta.primary_key: a list of columns (a CompositeKey when there are several), or false for a table without one (no implicit id).", 'oneOf': [{'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'minItems': 1, 'uniqueItems': True}, {'const': False}]}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'columns'], 'additionalProperties': False}, rule='additionalProperties')
    return data