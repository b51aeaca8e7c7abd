"""The application's own Peewee Database, which `Migrator` takes instead of a URL: accepted, named, borrowed.

Migrator runs on it as the application configured it (its pragmas, its pool) and leaves it as it found it: a
connection Migrator opened is closed (given back to the pool), one the application had open stays open, and
the PostgreSQL schema a run sets is set back."""
from .errors import ConnectionFailed, MigratorError

ACCEPTED = "a database URL (str) or a peewee Database"


def application_database(value):
    """The peewee Database `value` is (an initialized proxy's), or None for a URL or None; else TypeError."""
    if value is None or isinstance(value, str):
        return None
    import peewee

    from .dialects import dialect_for

    database = value
    while isinstance(database, peewee.Proxy):
        database = database.obj
    if database is None:
        raise _refused("an uninitialized DatabaseProxy (call its initialize() first)")
    try:
        dialect_for(database)
    except MigratorError:
        raise _refused(type(database).__name__) from None
    if database.deferred:
        raise _refused(f"a {type(database).__name__} without a database yet (call its init() first)")
    return database


def _refused(what):
    return TypeError(f"Migrator takes {ACCEPTED} (SqliteDatabase, PostgresqlDatabase or MySQLDatabase, pooled "
                     f"or not, or an initialized DatabaseProxy), not {what}")


def shown_url(db):
    """The URL outputs show for the application's Database: `sqlite:///path`, `postgresql://user@host:port/name`."""
    from .dialects import dialect_for

    return dialect_for(db).shown_url()


def separate(db, database=None):
    """A new Database like `db` (its class, connection parameters and SQLite pragmas), on `database` (db's own by
    default), without a pool: its connection is its own, and closing it ends it (a pool would keep it open)."""
    from playhouse.pool import PooledDatabase

    kind = next(c for c in type(db).__mro__ if not issubclass(c, PooledDatabase))
    pragmas = {"pragmas": db._pragmas} if getattr(db, "_pragmas", None) else {}
    return kind(db.database if database is None else database, **pragmas, **db.connect_params)


def alike(migrator, settings, **options):
    """A Migrator on a scratch space of `migrator`'s (`settings`, from the dialect's scratch_space), connected as
    `migrator` is: by the URL, or for the application's own Database, by a Database like it (the URL shown has no
    password) on the scratch database (on PostgreSQL the same database, another schema)."""
    from playhouse.db_url import parse

    from .api import Migrator

    given = migrator.application_db
    if given is None:
        scratch = Migrator(settings=settings, **options)
    else:
        same = settings.database_url == migrator.settings.database_url
        scratch = Migrator(separate(given, None if same else parse(settings.database_url)["database"]),
                           settings=settings, **options)
    scratch.keeps_cache = False  # what it runs is not the user's: status's cache is left as it is
    return scratch


class Borrowed:
    """The application's Database for the time of a Migrator: connected if it was not, and left as it was found."""

    def __init__(self, db):
        self.db = db
        self.opened = False
        self.set_back = None

    def take(self, settings):
        from .dialects import dialect_for

        self.opened = self.db.is_closed()
        try:
            if self.opened:
                self.db.connect()
        except Exception as error:
            self.opened = False
            raise ConnectionFailed(f"cannot connect to {settings.masked_url}: {self._scrub(error, settings)}") from None
        if self.db.in_transaction():  # each version is a transaction of its own; inside the application's, its
            raise MigratorError(       # rollback would undo versions recorded as applied
                "the application's database is inside a transaction (db.atomic()) in this thread: migrator runs each "
                "version in a transaction of its own, so call it outside one")
        if settings.schema:
            try:
                self.set_back = dialect_for(self.db).use_schema(settings.schema)
            except MigratorError:
                self.give_back()
                raise
            except Exception as error:
                self.give_back()
                raise ConnectionFailed(f"cannot use schema {settings.schema}: {self._scrub(error, settings)}") from None
        return self.db

    def give_back(self):
        import peewee

        set_back, self.set_back = self.set_back, None
        try:
            if set_back:
                set_back()
        except peewee.PeeweeException:
            # A connection that cannot be set back must not go back to a pool in the run's schema.
            if self.opened and hasattr(self.db, "manual_close"):
                self.db.manual_close()
                self.opened = False
        if self.opened:
            self.db.close()
            self.opened = False

    def _scrub(self, error, settings):
        from .config import error_line

        params = self.db.connect_params
        text = error_line(error, settings.database_url)
        password = params.get("password") or params.get("passwd")
        return text.replace(str(password), "***") if password else text
