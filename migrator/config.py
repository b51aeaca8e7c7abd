"""Settings: command-line flags, then the environment, then `.env`, then defaults."""
import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULTS = {
    "database_url": "sqlite:///app.db",
    "specs_dir": "specs",
    "table": "schema_migrations",
    "lock_timeout": 60.0,
    "schema": None,
    "strict": False,
    "models": None,
}

ENVIRONMENT = {
    "database_url": "DATABASE_URL",
    "specs_dir": "MIGRATOR_SPECS_DIR",
    "table": "MIGRATOR_TABLE",
    "lock_timeout": "MIGRATOR_LOCK_TIMEOUT",
    "schema": "MIGRATOR_SCHEMA",
    "strict": "MIGRATOR_STRICT",
    "models": "MIGRATOR_MODELS",
}

_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULTS["database_url"]
    specs_dir: str = DEFAULTS["specs_dir"]
    table: str = DEFAULTS["table"]
    lock_timeout: float = DEFAULTS["lock_timeout"]
    schema: str | None = DEFAULTS["schema"]
    strict: bool = DEFAULTS["strict"]  # drift (a change made outside migrator) stops a writing command
    models: str | None = DEFAULTS["models"]  # for generate: module paths, separated by commas or spaces

    @property
    def model_paths(self):
        return tuple(self.models.replace(",", " ").split()) if self.models else ()

    @classmethod
    def load(cls, flags=None, environ=None, dotenv_path=".env"):
        """Flags (None means not given) > environment > .env > defaults."""
        from .errors import SpecError

        environ = os.environ if environ is None else environ
        dotenv = _read_dotenv(dotenv_path)
        values = {}
        for name in (f.name for f in fields(cls)):
            value = (flags or {}).get(name)
            if value is None:
                key = ENVIRONMENT[name]
                value = environ.get(key) if environ.get(key) not in (None, "") else dotenv.get(key) or None
            values[name] = DEFAULTS[name] if value is None else value
        try:
            values["lock_timeout"] = float(values["lock_timeout"])
        except ValueError:
            raise SpecError(f"lock timeout must be a number of seconds, not {values['lock_timeout']!r}") from None
        values["strict"] = _boolean(values["strict"], ENVIRONMENT["strict"])
        return cls(**values)

    @property
    def masked_url(self):
        return mask_url(self.database_url)


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
    """The URL with its password shown as ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def url_password(url):
    try:
        return urlsplit(url).password
    except ValueError:
        return None
