"""What differs between SQLite, PostgreSQL and MySQL/MariaDB, one module per backend (base.py: what they share).
This package is the only place that names a backend: its Database class, its URL schemes, its lock (locks.py)."""
from importlib import import_module

from ..errors import OperationFailed

# Each backend's URL schemes (as playhouse.db_url names them), its module here and Dialect class, the drivers
# Peewee would import for it, and Peewee's Database class for it.
_BACKENDS = {("sqlite", "apsw"): ("sqlite", "SqliteDialect", (), "SqliteDatabase"),
             ("postgres", "psql", "cockroach", "crdb"): ("postgres", "PostgresDialect", ("psycopg2", "psycopg"),
                                                         "PostgresqlDatabase"),
             ("mysql", "mariadb"): ("mysql", "MysqlDialect", ("pymysql", "MySQLdb"), "MySQLDatabase")}
_DRIVERS = {schemes: drivers for schemes, (_, _, drivers, _) in _BACKENDS.items()}
# The modules playhouse.db_url imports if it can, each for the URL schemes it serves (by their start).
_URL_EXTENSIONS = {"playhouse.apsw_ext": ("apsw",), "playhouse.cockroachdb": ("cockroach", "crdb"),
                   "playhouse.cysqlite_ext": ("cysqlite",),
                   "playhouse.mysql_ext": ("mysqlconnector", "mariadbconnector"),
                   "playhouse.postgres_ext": ("postgres", "psycopg", "cockroach", "crdb")}
# The reading of SQL text (sqltext) for SQL whose backend is not known: SQLite's accepts every backend's quotes.
ANY_BACKEND_SQL = "sqlite"


def keep_out_unused(url):
    """Make Peewee's import skip the drivers of the backends `url` does not use, and playhouse.db_url's the
    extensions of other URL schemes: Peewee imports every driver it finds, which costs a command that needs one
    of them a fifth of its start-up, and db_url its extensions, a tenth of `status`. Only for a process that will
    use nothing but `url`, before Peewee is imported: in a program that imports migrator it would hide them."""
    import sys

    if "peewee" in sys.modules:
        return
    scheme = url.split(":", 1)[0].lower()
    if not any(scheme.startswith(schemes) for schemes in _DRIVERS):
        return
    unused = [driver for schemes, drivers in _DRIVERS.items() if not scheme.startswith(schemes) for driver in drivers]
    unused += [module for module, schemes in _URL_EXTENSIONS.items() if not scheme.startswith(schemes)]
    for module in unused:
        sys.modules.setdefault(module, None)  # `import module` now raises ImportError


def dialect_class(url):
    """The Dialect class for a database URL, by its scheme (no driver is imported), or None for a scheme that no
    backend has (connecting then says why)."""
    scheme = url.split(":", 1)[0].lower()
    for schemes, (module, name, _, _) in _BACKENDS.items():
        if scheme.startswith(schemes):
            return getattr(import_module(f"{__name__}.{module}"), name)
    return None


def connect(url):
    """Peewee's Database for `url` (playhouse.db_url), its backend's driver prepared first (Dialect.prepare_driver):
    every connection migrator makes from a URL is made here."""
    from playhouse.db_url import connect as connect_url

    found = dialect_class(url)
    if found is not None:
        found.refuse_unreachable(url)
        found.prepare_driver()
    return connect_url(url)


def missing_database(url):
    """Why the database of `url` cannot be looked at without creating it (an SQLite file that does not exist), or
    None."""
    found = dialect_class(url)
    return found and found.missing_database(url)


def dialect_for(db):
    import peewee

    for module, name, _, database in _BACKENDS.values():
        if isinstance(db, getattr(peewee, database)):  # (only that backend's module is imported)
            return getattr(import_module(f"{__name__}.{module}"), name)(db)
    raise OperationFailed(f"unsupported database {type(db).__name__}: use sqlite, postgres or mysql")


def sql_keys():
    """Every key an sql operation's statements may be given under, per backend: {key: the keys of its backend}."""
    from .mysql import MysqlDialect
    from .postgres import PostgresDialect
    from .sqlite import SqliteDialect

    return {key: dialect.sql_keys for dialect in (PostgresDialect, MysqlDialect, SqliteDialect)
            for key in dialect.sql_keys}
