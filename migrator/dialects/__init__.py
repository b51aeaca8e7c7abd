"""What differs between SQLite, PostgreSQL and MySQL/MariaDB, one module per backend.
This package is the only place that names a backend's Database class."""
from ..errors import OperationFailed



# Each backend's URL schemes (as playhouse.db_url names them) and the drivers Peewee would import for it.
_DRIVERS = {("sqlite", "apsw"): (), ("postgres", "psql", "cockroach", "crdb"): ("psycopg2", "psycopg"),
            ("mysql", "mariadb"): ("pymysql", "MySQLdb")}


def keep_out_unused_drivers(url):
    """Make Peewee's import skip the drivers of the backends `url` does not use: it imports every driver it
    finds, which costs a command that needs one of them a fifth of its start-up. Only for a process that will
    use nothing but `url`, before Peewee is imported: in a program that imports migrator it would hide them."""
    import sys

    if "peewee" in sys.modules:
        return
    scheme = url.split(":", 1)[0].lower()
    if not any(scheme.startswith(schemes) for schemes in _DRIVERS):
        return
    for schemes, drivers in _DRIVERS.items():
        if not scheme.startswith(schemes):
            for driver in drivers:
                sys.modules.setdefault(driver, None)  # `import driver` now raises ImportError


def dialect_for(db):
    import peewee

    from .mysql import MysqlDialect
    from .postgres import PostgresDialect
    from .sqlite import SqliteDialect

    if isinstance(db, peewee.PostgresqlDatabase):
        return PostgresDialect(db)
    if isinstance(db, peewee.MySQLDatabase):
        return MysqlDialect(db)
    if isinstance(db, peewee.SqliteDatabase):
        return SqliteDialect(db)
    raise OperationFailed(f"unsupported database {type(db).__name__}: use sqlite, postgres or mysql")
