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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Add a column. Its inverse drops it.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'field': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'after': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, 'first': {'const': True, 'description': 'Place the column first (as `after`).'}, 'fill': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'field'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}], 'not': {'required': ['after', 'first']}}, rule='type')
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
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition" + (" (" + str(data_one_of_count1) + " matches found)"), value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Add a column. Its inverse drops it.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'field': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'after': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, 'first': {'const': True, 'description': 'Place the column first (as `after`).'}, 'fill': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'field'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}], 'not': {'required': ['after', 'first']}}, rule='oneOf')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['after', 'first']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['after', 'first']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException): pass
    else:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Add a column. Its inverse drops it.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'field': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'after': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, 'first': {'const': True, 'description': 'Place the column first (as `after`).'}, 'fill': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'field'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}], 'not': {'required': ['after', 'first']}}, rule='not')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['table', 'field']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Add a column. Its inverse drops it.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'field': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'after': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, 'first': {'const': True, 'description': 'Place the column first (as `after`).'}, 'fill': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'field'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}], 'not': {'required': ['after', 'first']}}, rule='required')
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
        if "field" in data_keys:
            data_keys.remove("field")
            data__field = data["field"]
            data__field_one_of_count2 = 0
            if data__field_one_of_count2 < 2:
                try:
                    if not isinstance(data__field, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must be string", value=data__field, name="" + (name_prefix or "data") + ".field", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='type')
                    if isinstance(data__field, str):
                        data__field_len = len(data__field)
                        if data__field_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must be longer than or equal to 1 characters", value=data__field, name="" + (name_prefix or "data") + ".field", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='minLength')
                        if data__field_len > 1000:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must be shorter than or equal to 1000 characters", value=data__field, name="" + (name_prefix or "data") + ".field", definition={'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, rule='maxLength')
                    data__field_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__field_one_of_count2 < 2:
                try:
                    if not isinstance(data__field, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must be object", value=data__field, name="" + (name_prefix or "data") + ".field", definition={'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}, rule='type')
                    data__field_is_dict = isinstance(data__field, dict)
                    if data__field_is_dict:
                        data__field__missing_keys = set(['type']) - data__field.keys()
                        if data__field__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must contain " + (str(sorted(data__field__missing_keys)) + " properties"), value=data__field, name="" + (name_prefix or "data") + ".field", definition={'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}, rule='required')
                        data__field_keys = set(data__field.keys())
                        if "type" in data__field_keys:
                            data__field_keys.remove("type")
                            data__field__type = data__field["type"]
                            if not isinstance(data__field__type, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".field.type must be string", value=data__field__type, name="" + (name_prefix or "data") + ".field.type", definition={'type': 'string'}, rule='type')
                    data__field_one_of_count2 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__field_one_of_count2 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".field must be valid exactly by one definition" + (" (" + str(data__field_one_of_count2) + " matches found)"), value=data__field, name="" + (name_prefix or "data") + ".field", definition={'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, rule='oneOf')
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
        if "after" in data_keys:
            data_keys.remove("after")
            data__after = data["after"]
            if not isinstance(data__after, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".after must be string", value=data__after, name="" + (name_prefix or "data") + ".after", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, rule='type')
            if isinstance(data__after, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)'].search(data__after):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".after must match pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)", value=data__after, name="" + (name_prefix or "data") + ".after", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, rule='pattern')
        if "first" in data_keys:
            data_keys.remove("first")
            data__first = data["first"]
            if not (isinstance(data__first, bool) and data__first is True):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".first must be same as const definition: True", value=data__first, name="" + (name_prefix or "data") + ".first", definition={'const': True, 'description': 'Place the column first (as `after`).'}, rule='const')
        if "fill" in data_keys:
            data_keys.remove("fill")
            data__fill = data["fill"]
            data__fill_one_of_count3 = 0
            if data__fill_one_of_count3 < 2:
                try:
                    if not isinstance(data__fill, (str, int, float, Decimal, bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill must be string or number or boolean", value=data__fill, name="" + (name_prefix or "data") + ".fill", definition={'type': ['string', 'number', 'boolean']}, rule='type')
                    data__fill_one_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__fill_one_of_count3 < 2:
                try:
                    if not isinstance(data__fill, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill must be object", value=data__fill, name="" + (name_prefix or "data") + ".fill", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}, rule='type')
                    data__fill_is_dict = isinstance(data__fill, dict)
                    if data__fill_is_dict:
                        data__fill__missing_keys = set(['expression']) - data__fill.keys()
                        if data__fill__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill must contain " + (str(sorted(data__fill__missing_keys)) + " properties"), value=data__fill, name="" + (name_prefix or "data") + ".fill", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}, rule='required')
                        data__fill_keys = set(data__fill.keys())
                        if "expression" in data__fill_keys:
                            data__fill_keys.remove("expression")
                            data__fill__expression = data__fill["expression"]
                            if not isinstance(data__fill__expression, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill.expression must be string", value=data__fill__expression, name="" + (name_prefix or "data") + ".fill.expression", definition={'type': 'string', 'minLength': 1}, rule='type')
                            if isinstance(data__fill__expression, str):
                                data__fill__expression_len = len(data__fill__expression)
                                if data__fill__expression_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill.expression must be longer than or equal to 1 characters", value=data__fill__expression, name="" + (name_prefix or "data") + ".fill.expression", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                        if data__fill_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill must not contain "+str(data__fill_keys)+" properties", value=data__fill, name="" + (name_prefix or "data") + ".fill", definition={'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}, rule='additionalProperties')
                    data__fill_one_of_count3 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__fill_one_of_count3 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".fill must be valid exactly by one definition" + (" (" + str(data__fill_one_of_count3) + " matches found)"), value=data__fill, name="" + (name_prefix or "data") + ".fill", definition={'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, rule='oneOf')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': 'Add a column. Its inverse drops it.', 'type': 'object', 'properties': {'action': {}, 'table': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'field': {'oneOf': [{'type': 'string', 'minLength': 1, 'maxLength': 1000, 'description': 'Peewee constructor text, e.g. CharField(max_length=120, null=True)'}, {'type': 'object', 'required': ['type'], 'properties': {'type': {'type': 'string'}}, 'description': 'e.g. {"type": "CharField", "max_length": 120, "null": true}'}]}, 'column': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'column_name': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'A table, column or index name: letters, digits and underscores, at most 64 characters (63 on PostgreSQL).'}, 'after': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,63}$(?!\\n)', 'description': 'Place the column after this one (SQLite and MySQL/MariaDB; PostgreSQL can only add a column last).'}, 'first': {'const': True, 'description': 'Place the column first (as `after`).'}, 'fill': {'oneOf': [{'type': ['string', 'number', 'boolean']}, {'type': 'object', 'required': ['expression'], 'additionalProperties': False, 'properties': {'expression': {'type': 'string', 'minLength': 1}}, 'description': "SQL computing each row's value, e.g. lower(email) or price * 100"}], 'description': 'The value given to the existing rows (those whose column is NULL), set in primary-key batches of --batch-size rows, each in a transaction of its own (a JSON literal, or {"expression": "SQL"})'}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['table', 'field'], 'additionalProperties': False, 'oneOf': [{'required': ['column']}, {'required': ['column_name']}], 'not': {'required': ['after', 'first']}}, rule='additionalProperties')
    return data