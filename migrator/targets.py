"""The databases of a fleet: read from a targets file, an SQLite file pattern or folder, and the tenant schemas
(PostgreSQL) or databases (MySQL/MariaDB) of a server, each a `Target` with the URL and schema a run needs.

A target file has one database URL per line; `#` starts a comment, blank lines are skipped, and `${NAME}` is
taken from the environment (then `.env`), so that passwords stay out of the file. Nothing here prints a password:
a target is named by its URL with the password masked.
"""
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import check_url, mask_url
from .errors import SpecError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_COMMENT = re.compile(r"(?:^|\s)#")  # a comment starts a line or follows a space: a `#` inside a URL stays


@dataclass(frozen=True)
class Target:
    """One database of a fleet: its URL and, where it has one, its schema."""
    url: str = field(repr=False)  # as given, password included: never shown
    schema: str | None = None
    unlisted: str | None = field(default=None, compare=False)  # why the server's tenants could not be listed

    def __str__(self):
        return self.name

    @property
    def identity(self):
        """What tells one target from another, however its URL is written (a default port, a relative path)."""
        from .dialects import dialect_class

        return dialect_class(self.url).identity(self.url), self.schema

    @property
    def database(self):
        """The URL as shown: the password masked."""
        return mask_url(self.url)

    @property
    def name(self):
        """How outputs and the summary name it; also what `--only-failed` matches."""
        return self.database + (f" (schema {self.schema})" if self.schema else "")


def resolve(settings, environ=None, dotenv=None):
    """The targets the settings name: `targets` (a file or a URL pattern, or a list of them), else the database
    URL; with `all_schemas`, each server database among them expanded to its tenant spaces matching the glob. In
    the order given, each once."""
    environ = os.environ if environ is None else environ
    sources = [settings.targets] if isinstance(settings.targets, str) else list(settings.targets or ())
    urls = [url for source in sources or [settings.database_url]
            for url in (_expanded(source, None) if "://" in source else _from_file(Path(source), environ, dotenv))]
    if settings.all_schemas is not None and settings.schema:
        raise SpecError("--all-schemas takes each schema as a target: give it or --schema, not both")
    found = [t for url in urls for t in _spaces(url, settings.all_schemas)] if settings.all_schemas is not None \
        else [Target(url, settings.schema) for url in urls]
    seen, unique = set(), []
    for target in found:  # each once, where first named
        if target.identity not in seen:
            seen.add(target.identity)
            unique.append(target)
    if not unique:
        named = ", ".join(map(mask_url, sources or [settings.database_url]))
        raise SpecError(f"no targets: {named} names no database"
                        + (f" with a tenant matching {settings.all_schemas!r}" if settings.all_schemas else ""))
    return unique


def _from_file(path, environ, dotenv):
    if dotenv is None:
        from .config import _read_dotenv

        dotenv = _read_dotenv(".env")
    if path.is_dir():
        raise SpecError(f"targets file {path} is a folder: for the SQLite files in it give --targets "
                        f"'sqlite:///{path.as_posix().rstrip('/')}/'")
    try:
        text = path.read_text(encoding="utf-8-sig")  # (a byte order mark is no part of the first URL)
    except FileNotFoundError:
        raise SpecError(f"targets file {path} does not exist (give a file of database URLs, one a line, or a URL "
                        "pattern such as 'sqlite:///data/*.db')") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"targets file {path} cannot be read: {error}") from None
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = _COMMENT.split(line, maxsplit=1)[0].strip()
        if not line:
            continue
        where = f"{path}, line {number}"
        if "${" in _VARIABLE.sub("", line):
            raise SpecError(f"{where}: ${{...}} names a variable by its name alone, as ${{NAME}} (letters, digits "
                            "and _; no default, no closing brace missing)")
        url = _VARIABLE.sub(lambda m: _variable(m.group(1), environ, dotenv, where), line)
        if "://" not in url:  # (not quoted: what it holds may be a password)
            raise SpecError(f"{where} is not a database URL (sqlite:///app.db, postgresql://user@host/db, "
                            "mysql://user@host/db)")
        urls.extend(_expanded(url, where))
    return urls


def _variable(name, environ, dotenv, where):
    value = environ[name] if name in environ else dotenv.get(name)
    if value is None:
        raise SpecError(f"{where}: ${{{name}}} is not set in the environment or .env")
    return value


def _expanded(url, where):
    """The URL itself, or for an SQLite URL naming a pattern or a folder, each database file it names."""
    from .dialects import dialect_class

    try:
        check_url(url)
        return dialect_class(url).databases_named(url)
    except SpecError as error:
        raise SpecError(f"{where}: {error.message}") if where else error from None


def _spaces(url, pattern):
    """The targets of the tenant spaces (schemas, databases) of the server database `url` matching `pattern`."""
    from .config import error_line
    from .dialects import connect, dialect_class, dialect_for

    dialect_class(url).refuse_without_tenants()
    db = connect(dialect_class(url).listing_url(url))
    try:
        names = dialect_for(db).tenant_spaces()
    except Exception as error:  # the server's tenants are not known: it is a target that fails, the rest go on
        return [Target(url, unlisted=f"cannot list the tenants of {mask_url(url)}: {error_line(error, url)}")]
    finally:
        db.close()
    return [Target(*dialect_class(url).tenant_target(url, name)) for name in names
            if fnmatch.fnmatchcase(name, pattern)]
