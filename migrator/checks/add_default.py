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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Set a column's server default.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'default': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'default'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}]}, rule='type')
    data_one_of_count1 = 0
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['column']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['column']}, rule='required')
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['column_name']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['column_name']}, rule='required')
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition" + (" (" + str(data_one_of_count1) + " matches found)"), value=data, name="" + (name_prefix or "data") + "", definition={'description': "Set a column's server default.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'default': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'default'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}]}, rule='oneOf')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table', 'default']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': "Set a column's server default.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'default': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'default'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}]}, rule='required')
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
        if "default" in data_keys:
            data_keys.remove("default")
            data__default = data["default"]
            data__default_one_of_count2 = 0
            if data__default_one_of_count2 < 2:
                try:
                    if not isinstance(data__default, (str, int, float, Decimal, bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must be string or number or boolean", value=data__default, name="" + (name_prefix or "data") + ".default", definition={'type': ['string', 'number', 'boolean']}, rule='type')
                    data__default_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__default_one_of_count2 < 2:
                try:
                    if not isinstance(data__default, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must be object", value=data__default, name="" + (name_prefix or "data") + ".default", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}, rule='type')
                    data__default_is_dict = isinstance(data__default, dict)
                    if data__default_is_dict:
                        data__default__missing_keys = set(['expression']) - data__default.keys()
                        if data__default__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must contain " + (str(sorted(data__default__missing_keys)) + " properties"), value=data__default, name="" + (name_prefix or "data") + ".default", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}, rule='required')
                        data__default_keys = set(data__default.keys())
                        if "expression" in data__default_keys:
                            data__default_keys.remove("expression")
                            data__default__expression = data__default["expression"]
                            if not isinstance(data__default__expression, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".default.expression must be string", value=data__default__expression, name="" + (name_prefix or "data") + ".default.expression", definition={'type': 'string', 'minLength': 1}, rule='type')
                            if isinstance(data__default__expression, str):
                                data__default__expression_len = len(data__default__expression)
                                if data__default__expression_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".default.expression must be longer than or equal to 1 characters", value=data__default__expression, name="" + (name_prefix or "data") + ".default.expression", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                        if data__default_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must not contain "+str(data__default_keys)+" properties", value=data__default, name="" + (name_prefix or "data") + ".default", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}, rule='additionalProperties')
                    data__default_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__default_one_of_count2 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".default must be valid exactly by one definition" + (" (" + str(data__default_one_of_count2) + " matches found)"), value=data__default, name="" + (name_prefix or "data") + ".default", definition={'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}]}, rule='oneOf')
        if "column" in data_keys:
            data_keys.remove("column")
            data__column = data["column"]
            if not isinstance(data__column, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".column must be string", value=data__column, name="" + (name_prefix or "data") + ".column", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__column, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__column):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".column must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__column, name="" + (name_prefix or "data") + ".column", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
        if "column_name" in data_keys:
            data_keys.remove("column_name")
            data__columnname = data["column_name"]
            if not isinstance(data__columnname, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".column_name must be string", value=data__columnname, name="" + (name_prefix or "data") + ".column_name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='type')
            if isinstance(data__columnname, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__columnname):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".column_name must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__columnname, name="" + (name_prefix or "data") + ".column_name", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, rule='pattern')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Set a column's server default.", 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'default': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': 'A default written in SQL, e.g. CURRENT_TIMESTAMP'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'default'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}]}, rule='additionalProperties')
    return data