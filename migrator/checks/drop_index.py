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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Drop an index by name.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'index_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'index_name'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table', 'index_name']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Drop an index by name.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'index_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'index_name'], 'additionalProperties': False}, rule='required')
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
        if "index_name" in data_keys:
            data_keys.remove("index_name")
            data__indexname = data["index_name"]
            if not isinstance(data__indexname, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".index_name must be string", value=data__indexname, name="" + (name_prefix or "data") + ".index_name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__indexname, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__indexname):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".index_name must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__indexname, name="" + (name_prefix or "data") + ".index_name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Drop an index by name.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'index_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'index_name'], 'additionalProperties': False}, rule='additionalProperties')
    return data