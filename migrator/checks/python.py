VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)': re.compile('^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*\\Z(?!\\n)')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': "A data migration in the application's own code: `up` is called with the run's Peewee database (inside the version's transaction where the backend has one; in a transaction of its own on MySQL/MariaDB); without 'down' the version cannot be rolled back. The checksum covers the module's source file.", 'type': 'object', 'properties': {'action': {}, 'up': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'down': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['up'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['up']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': "A data migration in the application's own code: `up` is called with the run's Peewee database (inside the version's transaction where the backend has one; in a transaction of its own on MySQL/MariaDB); without 'down' the version cannot be rolled back. The checksum covers the module's source file.", 'type': 'object', 'properties': {'action': {}, 'up': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'down': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['up'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
        if "up" in data_keys:
            data_keys.remove("up")
            data__up = data["up"]
            if not isinstance(data__up, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".up must be string", value=data__up, name="" + (name_prefix or "data") + ".up", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, rule='type')
            if isinstance(data__up, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)'].search(data__up):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".up must match pattern ^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)", value=data__up, name="" + (name_prefix or "data") + ".up", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, rule='pattern')
        if "down" in data_keys:
            data_keys.remove("down")
            data__down = data["down"]
            if not isinstance(data__down, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be string", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, rule='type')
            if isinstance(data__down, str):
                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)'].search(data__down):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must match pattern ^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, rule='pattern')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': "A data migration in the application's own code: `up` is called with the run's Peewee database (inside the version's transaction where the backend has one; in a transaction of its own on MySQL/MariaDB); without 'down' the version cannot be rolled back. The checksum covers the module's source file.", 'type': 'object', 'properties': {'action': {}, 'up': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'down': {'type': 'string', 'pattern': '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$(?!\\n)', 'description': "a function of the application by its module's import path, module.path:function (myapp.migrations.fill_slugs:up)"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['up'], 'additionalProperties': False}, rule='additionalProperties')
    return data