"""Settings: command-line flags, then the environment, then `.env`, then defaults."""
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

DEFAULTS = {
    "database_url": "sqlite:///app.db",
    "specs_dir": "specs",
    "table": "schema_migrations",
    "lock_timeout": 60.0,
    "schema": None,
    "strict": False,
    "models": None,
    "lock_wait": 2.0,  # seconds a DDL statement waits for its table's lock before the version is tried again
    "retries": 5,
    "max_rows": 100_000,  # above it, an operation that blocks writes is refused by lint and a MariaDB copy
    "batch_size": 5_000,  # rows per transaction of a backfill
    "batch_pause": 0.0,  # seconds between a backfill's batches
    "targets": None,  # a fleet: a file of database URLs, or an SQLite file pattern or folder (targets.py)
    "all_schemas": None,  # a fleet: the schemas (PostgreSQL) or databases (MySQL/MariaDB) matching this glob
    "parallel": None,  # targets of a fleet at a time; None: what suits the backend (fleet.py)
    "fail_fast": False,  # a fleet stops starting targets after the first failure
    "summary": None,  # where a fleet run writes its summary (fleet.py: .migrator-fleet.json for migrate, rollback)
}

ENVIRONMENT = {
    "database_url": "DATABASE_URL",
    "specs_dir": "MIGRATOR_SPECS_DIR",
    "table": "MIGRATOR_TABLE",
    "lock_timeout": "MIGRATOR_LOCK_TIMEOUT",
    "schema": "MIGRATOR_SCHEMA",
    "strict": "MIGRATOR_STRICT",
    "models": "MIGRATOR_MODELS",
    "lock_wait": "MIGRATOR_LOCK_WAIT",
    "retries": "MIGRATOR_RETRIES",
    "max_rows": "MIGRATOR_MAX_ROWS",
    "batch_size": "MIGRATOR_BATCH_SIZE",
    "batch_pause": "MIGRATOR_BATCH_PAUSE",
    "targets": "MIGRATOR_TARGETS",
    "all_schemas": "MIGRATOR_ALL_SCHEMAS",
    "parallel": "MIGRATOR_PARALLEL",
    "fail_fast": "MIGRATOR_FAIL_FAST",
    "summary": "MIGRATOR_SUMMARY",
}
# the numbers: their type, the least value, and what they are, for messages
NUMBERS = {"lock_timeout": (float, 0, "lock timeout"), "lock_wait": (float, 0.001, "lock wait"),
           "retries": (int, 0, "retries"), "max_rows": (int, 0, "max rows"), "batch_size": (int, 1, "batch size"),
           "batch_pause": (float, 0, "batch pause")}

_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Settings:
    """Where and how a command runs: the database, the specs folder, the history table and the options."""
    database_url: str = DEFAULTS["database_url"]
    specs_dir: str = DEFAULTS["specs_dir"]
    table: str = DEFAULTS["table"]
    lock_timeout: float = DEFAULTS["lock_timeout"]
    schema: str | None = DEFAULTS["schema"]
    strict: bool = DEFAULTS["strict"]  # drift (a change made outside migrator) stops a writing command
    models: str | None = DEFAULTS["models"]  # for generate: module paths, separated by commas or spaces
    lock_wait: float = DEFAULTS["lock_wait"]
    retries: int = DEFAULTS["retries"]
    max_rows: int = DEFAULTS["max_rows"]
    batch_size: int = DEFAULTS["batch_size"]
    batch_pause: float = DEFAULTS["batch_pause"]
    targets: str | None = DEFAULTS["targets"]
    all_schemas: str | None = DEFAULTS["all_schemas"]
    parallel: int | None = DEFAULTS["parallel"]
    fail_fast: bool = DEFAULTS["fail_fast"]
    summary: str | None = DEFAULTS["summary"]

    @property
    def model_paths(self):
        return tuple(self.models.replace(",", " ").split()) if self.models else ()

    @classmethod
    def load(cls, flags=None, environ=None, dotenv_path=".env"):
        """Flags (None means not given) > environment > .env > defaults."""

        environ = os.environ if environ is None else environ
        dotenv = _read_dotenv(dotenv_path)
        values, given_by = {}, {}  # where each value given came from, for a message about it
        for name in (f.name for f in fields(cls)):
            value, given_by[name] = (flags or {}).get(name), f"--{name.replace('_', '-')}"
            if value is None:
                key = ENVIRONMENT[name]
                value, given_by[name] = (environ.get(key), key) if environ.get(key) not in (None, "") else \
                    (dotenv.get(key) or None, f"{key} in {dotenv_path}")
            values[name] = DEFAULTS[name] if value is None else value
        for name, (kind, least, words) in NUMBERS.items():
            values[name] = _number(values[name], kind, least, f"{words} ({given_by[name]})")
        if values["parallel"] is not None:
            values["parallel"] = _number(values["parallel"], int, 1, f"parallel ({given_by['parallel']})")
        for name in ("strict", "fail_fast"):
            values[name] = _boolean(values[name], ENVIRONMENT[name])
        if not str(values["table"]).strip():
            from .errors import SpecError

            raise SpecError(f"--table ({ENVIRONMENT['table']}) is empty: name the history table (default "
                            f"{DEFAULTS['table']})")
        return cls(**values)

    @property
    def fleet(self):
        """Whether the settings name a fleet of targets rather than the one database URL."""
        return bool(self.targets or self.all_schemas)

    @property
    def masked_url(self):
        return mask_url(self.database_url)


def _number(value, kind, least, words):
    from .errors import SpecError

    try:
        number = kind(str(value).replace("_", "")) if not isinstance(value, kind) else value
    except ValueError:
        number = None
    if number is None or number < least:
        what = "a whole number" if kind is int else "a number of seconds"
        raise SpecError(f"{words} must be {what}{f' of at least {least:g}' if least else ', 0 or more'}, not {value!r}")
    return number


def _boolean(value, name):
    from .errors import SpecError

    if isinstance(value, bool):
        return value
    if str(value).strip().lower() not in _BOOLEANS:
        raise SpecError(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")
    return _BOOLEANS[str(value).strip().lower()]


def _read_dotenv(path):
    if not Path(path).is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def mask_url(url):
    """The URL with its password shown as ***: the user's, and one given as a query option (?password=...)."""
    found = _password_span(url)
    masked = url if found is None else f"{url[:found[0]]}***{url[found[1]:]}"
    return _QUERY_PASSWORD.sub(r"\1***", masked)


def check_url(url):
    """Refuse a URL that is empty, names no backend, or whose host part cannot be read (SpecError), before it
    reaches a driver, whose message would quote the part of a password it took for a port."""
    from .dialects import dialect_class
    from .errors import SpecError

    if not url.strip():
        raise SpecError(f"the database URL is empty: give one with --database-url or {ENVIRONMENT['database_url']}")
    if "://" not in url:
        raise SpecError(f"{mask_url(url)} is no database URL: it starts with the backend's scheme, as in "
                        "sqlite:///app.db, postgresql://user@host/db or mysql://user@host/db")
    if dialect_class(url) is None:
        raise SpecError(f"{mask_url(url)}: no backend has the scheme {url.split(':', 1)[0]!r} (sqlite, postgresql, "
                        "mysql)")
    if url.count("://") > 1:
        raise SpecError(f"{mask_url(url.split()[0])} ...: this holds more than one URL: give one database URL")
    try:
        urlsplit(url).port
    except ValueError:
        raise SpecError(f"{mask_url(url)} cannot be read as a database URL: its port is not a number (up to "
                        "65535), or its password holds #, / or ?, which end the host part of a URL (Peewee reads a "
                        "password as written, not percent-decoded): keep such a password out of the URL "
                        "(PostgreSQL: PGPASSWORD or ~/.pgpass)") from None


def without_password(text, url):
    """`text` with the password of `url` shown as ***."""
    password = url_password(url)
    return text.replace(password, "***") if password else text


def error_line(error, url):
    """A driver's or Peewee's error as one line, without the password of `url`, and with how to install a driver
    that is missing."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "must be installed" in text or isinstance(error, ImportError):
        text += " (install the driver with pip install 'migrator[postgres]' or 'migrator[mysql]')"
    return without_password(text, url)


def url_password(url):
    found = _password_span(url)
    if found is not None:
        return url[found[0]:found[1]]
    option = _QUERY_PASSWORD.search(url)
    return option and option.group(2)


_QUERY_PASSWORD = re.compile(r"([?&](?:password|passwd)=)([^&#\s]*)", re.IGNORECASE)


def _password_span(url):
    """Where the password is in `url` (start, end), or None. A password holding `#`, `/` or `?`, which the URL
    reader takes for the end of the host, is still found: everything between the user's `:` and the last `@`."""
    scheme, slashes, rest = url.partition("://")
    if not slashes:
        return None
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        netloc = ""
    userinfo = netloc.rpartition("@")[0] if "@" in netloc else rest.rpartition("@")[0]
    user, colon, password = userinfo.partition(":")
    if not colon:
        return None
    start = len(scheme) + len(slashes) + len(user) + 1
    return start, start + len(password)
