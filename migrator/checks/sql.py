VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Run SQL as written, the same on every backend or per backend; without 'down' the version cannot be rolled back.", 'type': 'object', 'properties': {'action': {}, 'sql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': 'a statement, a list of statements, or {"postgresql", "mysql" (or "mariadb"), "sqlite": either} per backend'}, 'down': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': "as 'sql': what undoes it"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['sql'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['sql']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'description': "Run SQL as written, the same on every backend or per backend; without 'down' the version cannot be rolled back.", 'type': 'object', 'properties': {'action': {}, 'sql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': 'a statement, a list of statements, or {"postgresql", "mysql" (or "mariadb"), "sqlite": either} per backend'}, 'down': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': "as 'sql': what undoes it"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['sql'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
        if "sql" in data_keys:
            data_keys.remove("sql")
            data__sql = data["sql"]
            data__sql_one_of_count1 = 0
            if data__sql_one_of_count1 < 2:
                try:
                    if not isinstance(data__sql, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must be string", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__sql, str):
                        data__sql_len = len(data__sql)
                        if data__sql_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must be longer than or equal to 1 characters", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                    data__sql_one_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__sql_one_of_count1 < 2:
                try:
                    if not isinstance(data__sql, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must be array", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, rule='type')
                    data__sql_is_list = isinstance(data__sql, (list, tuple))
                    if data__sql_is_list:
                        data__sql_len = len(data__sql)
                        if data__sql_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must contain at least 1 items", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, rule='minItems')
                        for data__sql_x, data__sql_item in enumerate(data__sql):
                            if not isinstance(data__sql_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql[{data__sql_x}]".format(**locals()) + " must be string", value=data__sql_item, name="" + (name_prefix or "data") + ".sql[{data__sql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                            if isinstance(data__sql_item, str):
                                data__sql_item_len = len(data__sql_item)
                                if data__sql_item_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql[{data__sql_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__sql_item, name="" + (name_prefix or "data") + ".sql[{data__sql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                    data__sql_one_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__sql_one_of_count1 < 2:
                try:
                    if not isinstance(data__sql, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must be object", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='type')
                    data__sql_is_dict = isinstance(data__sql, dict)
                    if data__sql_is_dict:
                        data__sql_len = len(data__sql)
                        if data__sql_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must contain at least 1 properties", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='minProperties')
                        data__sql_keys = set(data__sql.keys())
                        if "postgresql" in data__sql_keys:
                            data__sql_keys.remove("postgresql")
                            data__sql__postgresql = data__sql["postgresql"]
                            data__sql__postgresql_one_of_count2 = 0
                            if data__sql__postgresql_one_of_count2 < 2:
                                try:
                                    if not isinstance(data__sql__postgresql, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql must be string", value=data__sql__postgresql, name="" + (name_prefix or "data") + ".sql.postgresql", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__sql__postgresql, str):
                                        data__sql__postgresql_len = len(data__sql__postgresql)
                                        if data__sql__postgresql_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql must be longer than or equal to 1 characters", value=data__sql__postgresql, name="" + (name_prefix or "data") + ".sql.postgresql", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__postgresql_one_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__postgresql_one_of_count2 < 2:
                                try:
                                    if not isinstance(data__sql__postgresql, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql must be array", value=data__sql__postgresql, name="" + (name_prefix or "data") + ".sql.postgresql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__sql__postgresql_is_list = isinstance(data__sql__postgresql, (list, tuple))
                                    if data__sql__postgresql_is_list:
                                        data__sql__postgresql_len = len(data__sql__postgresql)
                                        for data__sql__postgresql_x, data__sql__postgresql_item in enumerate(data__sql__postgresql):
                                            if not isinstance(data__sql__postgresql_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql[{data__sql__postgresql_x}]".format(**locals()) + " must be string", value=data__sql__postgresql_item, name="" + (name_prefix or "data") + ".sql.postgresql[{data__sql__postgresql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__sql__postgresql_item, str):
                                                data__sql__postgresql_item_len = len(data__sql__postgresql_item)
                                                if data__sql__postgresql_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql[{data__sql__postgresql_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__sql__postgresql_item, name="" + (name_prefix or "data") + ".sql.postgresql[{data__sql__postgresql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__postgresql_one_of_count2 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__postgresql_one_of_count2 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.postgresql must be valid exactly by one definition" + (" (" + str(data__sql__postgresql_one_of_count2) + " matches found)"), value=data__sql__postgresql, name="" + (name_prefix or "data") + ".sql.postgresql", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "mysql" in data__sql_keys:
                            data__sql_keys.remove("mysql")
                            data__sql__mysql = data__sql["mysql"]
                            data__sql__mysql_one_of_count3 = 0
                            if data__sql__mysql_one_of_count3 < 2:
                                try:
                                    if not isinstance(data__sql__mysql, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql must be string", value=data__sql__mysql, name="" + (name_prefix or "data") + ".sql.mysql", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__sql__mysql, str):
                                        data__sql__mysql_len = len(data__sql__mysql)
                                        if data__sql__mysql_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql must be longer than or equal to 1 characters", value=data__sql__mysql, name="" + (name_prefix or "data") + ".sql.mysql", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__mysql_one_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__mysql_one_of_count3 < 2:
                                try:
                                    if not isinstance(data__sql__mysql, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql must be array", value=data__sql__mysql, name="" + (name_prefix or "data") + ".sql.mysql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__sql__mysql_is_list = isinstance(data__sql__mysql, (list, tuple))
                                    if data__sql__mysql_is_list:
                                        data__sql__mysql_len = len(data__sql__mysql)
                                        for data__sql__mysql_x, data__sql__mysql_item in enumerate(data__sql__mysql):
                                            if not isinstance(data__sql__mysql_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql[{data__sql__mysql_x}]".format(**locals()) + " must be string", value=data__sql__mysql_item, name="" + (name_prefix or "data") + ".sql.mysql[{data__sql__mysql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__sql__mysql_item, str):
                                                data__sql__mysql_item_len = len(data__sql__mysql_item)
                                                if data__sql__mysql_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql[{data__sql__mysql_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__sql__mysql_item, name="" + (name_prefix or "data") + ".sql.mysql[{data__sql__mysql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__mysql_one_of_count3 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__mysql_one_of_count3 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mysql must be valid exactly by one definition" + (" (" + str(data__sql__mysql_one_of_count3) + " matches found)"), value=data__sql__mysql, name="" + (name_prefix or "data") + ".sql.mysql", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "mariadb" in data__sql_keys:
                            data__sql_keys.remove("mariadb")
                            data__sql__mariadb = data__sql["mariadb"]
                            data__sql__mariadb_one_of_count4 = 0
                            if data__sql__mariadb_one_of_count4 < 2:
                                try:
                                    if not isinstance(data__sql__mariadb, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb must be string", value=data__sql__mariadb, name="" + (name_prefix or "data") + ".sql.mariadb", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__sql__mariadb, str):
                                        data__sql__mariadb_len = len(data__sql__mariadb)
                                        if data__sql__mariadb_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb must be longer than or equal to 1 characters", value=data__sql__mariadb, name="" + (name_prefix or "data") + ".sql.mariadb", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__mariadb_one_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__mariadb_one_of_count4 < 2:
                                try:
                                    if not isinstance(data__sql__mariadb, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb must be array", value=data__sql__mariadb, name="" + (name_prefix or "data") + ".sql.mariadb", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__sql__mariadb_is_list = isinstance(data__sql__mariadb, (list, tuple))
                                    if data__sql__mariadb_is_list:
                                        data__sql__mariadb_len = len(data__sql__mariadb)
                                        for data__sql__mariadb_x, data__sql__mariadb_item in enumerate(data__sql__mariadb):
                                            if not isinstance(data__sql__mariadb_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb[{data__sql__mariadb_x}]".format(**locals()) + " must be string", value=data__sql__mariadb_item, name="" + (name_prefix or "data") + ".sql.mariadb[{data__sql__mariadb_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__sql__mariadb_item, str):
                                                data__sql__mariadb_item_len = len(data__sql__mariadb_item)
                                                if data__sql__mariadb_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb[{data__sql__mariadb_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__sql__mariadb_item, name="" + (name_prefix or "data") + ".sql.mariadb[{data__sql__mariadb_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__mariadb_one_of_count4 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__mariadb_one_of_count4 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.mariadb must be valid exactly by one definition" + (" (" + str(data__sql__mariadb_one_of_count4) + " matches found)"), value=data__sql__mariadb, name="" + (name_prefix or "data") + ".sql.mariadb", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "sqlite" in data__sql_keys:
                            data__sql_keys.remove("sqlite")
                            data__sql__sqlite = data__sql["sqlite"]
                            data__sql__sqlite_one_of_count5 = 0
                            if data__sql__sqlite_one_of_count5 < 2:
                                try:
                                    if not isinstance(data__sql__sqlite, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite must be string", value=data__sql__sqlite, name="" + (name_prefix or "data") + ".sql.sqlite", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__sql__sqlite, str):
                                        data__sql__sqlite_len = len(data__sql__sqlite)
                                        if data__sql__sqlite_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite must be longer than or equal to 1 characters", value=data__sql__sqlite, name="" + (name_prefix or "data") + ".sql.sqlite", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__sqlite_one_of_count5 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__sqlite_one_of_count5 < 2:
                                try:
                                    if not isinstance(data__sql__sqlite, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite must be array", value=data__sql__sqlite, name="" + (name_prefix or "data") + ".sql.sqlite", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__sql__sqlite_is_list = isinstance(data__sql__sqlite, (list, tuple))
                                    if data__sql__sqlite_is_list:
                                        data__sql__sqlite_len = len(data__sql__sqlite)
                                        for data__sql__sqlite_x, data__sql__sqlite_item in enumerate(data__sql__sqlite):
                                            if not isinstance(data__sql__sqlite_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite[{data__sql__sqlite_x}]".format(**locals()) + " must be string", value=data__sql__sqlite_item, name="" + (name_prefix or "data") + ".sql.sqlite[{data__sql__sqlite_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__sql__sqlite_item, str):
                                                data__sql__sqlite_item_len = len(data__sql__sqlite_item)
                                                if data__sql__sqlite_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite[{data__sql__sqlite_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__sql__sqlite_item, name="" + (name_prefix or "data") + ".sql.sqlite[{data__sql__sqlite_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__sql__sqlite_one_of_count5 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__sql__sqlite_one_of_count5 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql.sqlite must be valid exactly by one definition" + (" (" + str(data__sql__sqlite_one_of_count5) + " matches found)"), value=data__sql__sqlite, name="" + (name_prefix or "data") + ".sql.sqlite", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if data__sql_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must not contain "+str(data__sql_keys)+" properties", value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='additionalProperties')
                    data__sql_one_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__sql_one_of_count1 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sql must be valid exactly by one definition" + (" (" + str(data__sql_one_of_count1) + " matches found)"), value=data__sql, name="" + (name_prefix or "data") + ".sql", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': 'a statement, a list of statements, or {"postgresql", "mysql" (or "mariadb"), "sqlite": either} per backend'}, rule='oneOf')
        if "down" in data_keys:
            data_keys.remove("down")
            data__down = data["down"]
            data__down_one_of_count6 = 0
            if data__down_one_of_count6 < 2:
                try:
                    if not isinstance(data__down, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be string", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__down, str):
                        data__down_len = len(data__down)
                        if data__down_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be longer than or equal to 1 characters", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                    data__down_one_of_count6 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__down_one_of_count6 < 2:
                try:
                    if not isinstance(data__down, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be array", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, rule='type')
                    data__down_is_list = isinstance(data__down, (list, tuple))
                    if data__down_is_list:
                        data__down_len = len(data__down)
                        if data__down_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must contain at least 1 items", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, rule='minItems')
                        for data__down_x, data__down_item in enumerate(data__down):
                            if not isinstance(data__down_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down[{data__down_x}]".format(**locals()) + " must be string", value=data__down_item, name="" + (name_prefix or "data") + ".down[{data__down_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                            if isinstance(data__down_item, str):
                                data__down_item_len = len(data__down_item)
                                if data__down_item_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down[{data__down_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__down_item, name="" + (name_prefix or "data") + ".down[{data__down_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                    data__down_one_of_count6 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__down_one_of_count6 < 2:
                try:
                    if not isinstance(data__down, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be object", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='type')
                    data__down_is_dict = isinstance(data__down, dict)
                    if data__down_is_dict:
                        data__down_len = len(data__down)
                        if data__down_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must contain at least 1 properties", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='minProperties')
                        data__down_keys = set(data__down.keys())
                        if "postgresql" in data__down_keys:
                            data__down_keys.remove("postgresql")
                            data__down__postgresql = data__down["postgresql"]
                            data__down__postgresql_one_of_count7 = 0
                            if data__down__postgresql_one_of_count7 < 2:
                                try:
                                    if not isinstance(data__down__postgresql, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql must be string", value=data__down__postgresql, name="" + (name_prefix or "data") + ".down.postgresql", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__down__postgresql, str):
                                        data__down__postgresql_len = len(data__down__postgresql)
                                        if data__down__postgresql_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql must be longer than or equal to 1 characters", value=data__down__postgresql, name="" + (name_prefix or "data") + ".down.postgresql", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__postgresql_one_of_count7 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__postgresql_one_of_count7 < 2:
                                try:
                                    if not isinstance(data__down__postgresql, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql must be array", value=data__down__postgresql, name="" + (name_prefix or "data") + ".down.postgresql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__down__postgresql_is_list = isinstance(data__down__postgresql, (list, tuple))
                                    if data__down__postgresql_is_list:
                                        data__down__postgresql_len = len(data__down__postgresql)
                                        for data__down__postgresql_x, data__down__postgresql_item in enumerate(data__down__postgresql):
                                            if not isinstance(data__down__postgresql_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql[{data__down__postgresql_x}]".format(**locals()) + " must be string", value=data__down__postgresql_item, name="" + (name_prefix or "data") + ".down.postgresql[{data__down__postgresql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__down__postgresql_item, str):
                                                data__down__postgresql_item_len = len(data__down__postgresql_item)
                                                if data__down__postgresql_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql[{data__down__postgresql_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__down__postgresql_item, name="" + (name_prefix or "data") + ".down.postgresql[{data__down__postgresql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__postgresql_one_of_count7 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__postgresql_one_of_count7 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.postgresql must be valid exactly by one definition" + (" (" + str(data__down__postgresql_one_of_count7) + " matches found)"), value=data__down__postgresql, name="" + (name_prefix or "data") + ".down.postgresql", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "mysql" in data__down_keys:
                            data__down_keys.remove("mysql")
                            data__down__mysql = data__down["mysql"]
                            data__down__mysql_one_of_count8 = 0
                            if data__down__mysql_one_of_count8 < 2:
                                try:
                                    if not isinstance(data__down__mysql, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql must be string", value=data__down__mysql, name="" + (name_prefix or "data") + ".down.mysql", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__down__mysql, str):
                                        data__down__mysql_len = len(data__down__mysql)
                                        if data__down__mysql_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql must be longer than or equal to 1 characters", value=data__down__mysql, name="" + (name_prefix or "data") + ".down.mysql", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__mysql_one_of_count8 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__mysql_one_of_count8 < 2:
                                try:
                                    if not isinstance(data__down__mysql, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql must be array", value=data__down__mysql, name="" + (name_prefix or "data") + ".down.mysql", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__down__mysql_is_list = isinstance(data__down__mysql, (list, tuple))
                                    if data__down__mysql_is_list:
                                        data__down__mysql_len = len(data__down__mysql)
                                        for data__down__mysql_x, data__down__mysql_item in enumerate(data__down__mysql):
                                            if not isinstance(data__down__mysql_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql[{data__down__mysql_x}]".format(**locals()) + " must be string", value=data__down__mysql_item, name="" + (name_prefix or "data") + ".down.mysql[{data__down__mysql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__down__mysql_item, str):
                                                data__down__mysql_item_len = len(data__down__mysql_item)
                                                if data__down__mysql_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql[{data__down__mysql_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__down__mysql_item, name="" + (name_prefix or "data") + ".down.mysql[{data__down__mysql_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__mysql_one_of_count8 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__mysql_one_of_count8 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mysql must be valid exactly by one definition" + (" (" + str(data__down__mysql_one_of_count8) + " matches found)"), value=data__down__mysql, name="" + (name_prefix or "data") + ".down.mysql", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "mariadb" in data__down_keys:
                            data__down_keys.remove("mariadb")
                            data__down__mariadb = data__down["mariadb"]
                            data__down__mariadb_one_of_count9 = 0
                            if data__down__mariadb_one_of_count9 < 2:
                                try:
                                    if not isinstance(data__down__mariadb, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb must be string", value=data__down__mariadb, name="" + (name_prefix or "data") + ".down.mariadb", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__down__mariadb, str):
                                        data__down__mariadb_len = len(data__down__mariadb)
                                        if data__down__mariadb_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb must be longer than or equal to 1 characters", value=data__down__mariadb, name="" + (name_prefix or "data") + ".down.mariadb", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__mariadb_one_of_count9 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__mariadb_one_of_count9 < 2:
                                try:
                                    if not isinstance(data__down__mariadb, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb must be array", value=data__down__mariadb, name="" + (name_prefix or "data") + ".down.mariadb", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__down__mariadb_is_list = isinstance(data__down__mariadb, (list, tuple))
                                    if data__down__mariadb_is_list:
                                        data__down__mariadb_len = len(data__down__mariadb)
                                        for data__down__mariadb_x, data__down__mariadb_item in enumerate(data__down__mariadb):
                                            if not isinstance(data__down__mariadb_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb[{data__down__mariadb_x}]".format(**locals()) + " must be string", value=data__down__mariadb_item, name="" + (name_prefix or "data") + ".down.mariadb[{data__down__mariadb_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__down__mariadb_item, str):
                                                data__down__mariadb_item_len = len(data__down__mariadb_item)
                                                if data__down__mariadb_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb[{data__down__mariadb_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__down__mariadb_item, name="" + (name_prefix or "data") + ".down.mariadb[{data__down__mariadb_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__mariadb_one_of_count9 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__mariadb_one_of_count9 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.mariadb must be valid exactly by one definition" + (" (" + str(data__down__mariadb_one_of_count9) + " matches found)"), value=data__down__mariadb, name="" + (name_prefix or "data") + ".down.mariadb", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if "sqlite" in data__down_keys:
                            data__down_keys.remove("sqlite")
                            data__down__sqlite = data__down["sqlite"]
                            data__down__sqlite_one_of_count10 = 0
                            if data__down__sqlite_one_of_count10 < 2:
                                try:
                                    if not isinstance(data__down__sqlite, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite must be string", value=data__down__sqlite, name="" + (name_prefix or "data") + ".down.sqlite", definition={'type': 'string', 'minLength': 1}, rule='type')
                                    if isinstance(data__down__sqlite, str):
                                        data__down__sqlite_len = len(data__down__sqlite)
                                        if data__down__sqlite_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite must be longer than or equal to 1 characters", value=data__down__sqlite, name="" + (name_prefix or "data") + ".down.sqlite", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__sqlite_one_of_count10 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__sqlite_one_of_count10 < 2:
                                try:
                                    if not isinstance(data__down__sqlite, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite must be array", value=data__down__sqlite, name="" + (name_prefix or "data") + ".down.sqlite", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                                    data__down__sqlite_is_list = isinstance(data__down__sqlite, (list, tuple))
                                    if data__down__sqlite_is_list:
                                        data__down__sqlite_len = len(data__down__sqlite)
                                        for data__down__sqlite_x, data__down__sqlite_item in enumerate(data__down__sqlite):
                                            if not isinstance(data__down__sqlite_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite[{data__down__sqlite_x}]".format(**locals()) + " must be string", value=data__down__sqlite_item, name="" + (name_prefix or "data") + ".down.sqlite[{data__down__sqlite_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                            if isinstance(data__down__sqlite_item, str):
                                                data__down__sqlite_item_len = len(data__down__sqlite_item)
                                                if data__down__sqlite_item_len < 1:
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite[{data__down__sqlite_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__down__sqlite_item, name="" + (name_prefix or "data") + ".down.sqlite[{data__down__sqlite_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                                    data__down__sqlite_one_of_count10 += 1
                                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                            if data__down__sqlite_one_of_count10 != 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down.sqlite must be valid exactly by one definition" + (" (" + str(data__down__sqlite_one_of_count10) + " matches found)"), value=data__down__sqlite, name="" + (name_prefix or "data") + ".down.sqlite", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, rule='oneOf')
                        if data__down_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must not contain "+str(data__down_keys)+" properties", value=data__down, name="" + (name_prefix or "data") + ".down", definition={'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}, rule='additionalProperties')
                    data__down_one_of_count6 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if data__down_one_of_count6 != 1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".down must be valid exactly by one definition" + (" (" + str(data__down_one_of_count6) + " matches found)"), value=data__down, name="" + (name_prefix or "data") + ".down", definition={'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': "as 'sql': what undoes it"}, rule='oneOf')
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'description': "Run SQL as written, the same on every backend or per backend; without 'down' the version cannot be rolled back.", 'type': 'object', 'properties': {'action': {}, 'sql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': 'The statements per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.', 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': 'a statement, a list of statements, or {"postgresql", "mysql" (or "mariadb"), "sqlite": either} per backend'}, 'down': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'minItems': 1}, {'type': 'object', 'description': "The statements that undo 'sql' per backend: a backend without an entry is an error before anything runs there. `mysql` and `mariadb` name the same backend (MySQL/MariaDB): give one of them. An empty list runs nothing on that backend.", 'properties': {'postgresql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mysql': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'mariadb': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}, 'sqlite': {'oneOf': [{'type': 'string', 'minLength': 1}, {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}]}}, 'additionalProperties': False, 'minProperties': 1}], 'description': "as 'sql': what undoes it"}, 'unsafe_ok': {'type': 'string', 'minLength': 1, 'description': 'Why this operation may block writes on a large table: `lint` passes it, MariaDB may copy the table; kept in the history.'}, 'online': {'type': 'boolean', 'description': 'false: on PostgreSQL, run the plain form instead of the safe one (CONCURRENTLY, NOT VALID then VALIDATE). Default true.'}}, 'required': ['sql'], 'additionalProperties': False}, rule='additionalProperties')
    return data