"""Counts the statements sent through the DB-API drivers (psycopg2, PyMySQL), for one process."""
import atexit
import json
import os

COUNTS = {}
_KINDS = {"CREATE": "ddl", "ALTER": "ddl", "DROP": "ddl", "RENAME": "ddl", "TRUNCATE": "ddl",
          "INSERT": "write", "UPDATE": "write", "DELETE": "write", "REPLACE": "write",
          "SELECT": "read", "SHOW": "read", "WITH": "read", "DESCRIBE": "read", "DESC": "read", "EXPLAIN": "read",
          "BEGIN": "transaction", "START": "transaction", "COMMIT": "transaction", "ROLLBACK": "transaction",
          "SAVEPOINT": "transaction", "RELEASE": "transaction"}


def _count(sql, n=1):
    if isinstance(sql, bytes):
        sql = sql.decode("utf-8", "replace")
    words = str(sql).lstrip(" \t\r\n(").split(None, 1)
    kind = _KINDS.get(words[0].upper(), "other") if words else "other"
    COUNTS[kind] = COUNTS.get(kind, 0) + n


@atexit.register
def _dump():
    path = os.environ.get("BENCH_COUNT_FILE")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(COUNTS) + "\n")


try:
    import psycopg2
    import psycopg2.extensions as _ext
except ImportError:
    psycopg2 = None

if psycopg2 is not None:
    def _implicit_begin(conn):
        if not conn.autocommit and conn.info.transaction_status == _ext.TRANSACTION_STATUS_IDLE:
            _count("BEGIN")  # psycopg2 sends it before the first statement of a transaction

    class _Cursor(_ext.cursor):
        def execute(self, query, vars=None):
            _implicit_begin(self.connection)
            _count(query if isinstance(query, (str, bytes)) else query.as_string(self))
            return super().execute(query, vars)

        def executemany(self, query, vars_list):
            vars_list = list(vars_list)
            _implicit_begin(self.connection)
            _count(query if isinstance(query, (str, bytes)) else query.as_string(self), len(vars_list))
            return super().executemany(query, vars_list)

    class _Connection(_ext.connection):
        def commit(self):
            if self.info.transaction_status != _ext.TRANSACTION_STATUS_IDLE:
                _count("COMMIT")
            return super().commit()

        def rollback(self):
            if self.info.transaction_status != _ext.TRANSACTION_STATUS_IDLE:
                _count("ROLLBACK")
            return super().rollback()

    _connect = psycopg2.connect

    def _counting_connect(*args, **kwargs):
        kwargs.setdefault("connection_factory", _Connection)
        conn = _connect(*args, **kwargs)
        conn.cursor_factory = _Cursor
        return conn

    psycopg2.connect = _counting_connect

try:
    import pymysql.connections
    from pymysql.constants import COMMAND as _COMMAND
except ImportError:
    pymysql = None

if pymysql is not None:
    _execute_command = pymysql.connections.Connection._execute_command

    def _counting_execute_command(self, command, sql):
        if command == _COMMAND.COM_QUERY:
            _count(sql)
        return _execute_command(self, command, sql)

    pymysql.connections.Connection._execute_command = _counting_execute_command
