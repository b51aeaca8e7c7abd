"""The package's seams stay where they are: backend differences in the dialects package (and each backend's lock
in locks.py), every DDL through a dialect, one module that decides what runs, verify a leaf."""
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "migrator"
BACKEND_CHECK = re.compile(r"isinstance\([^)]*(Sqlite|Postgresql|MySQL|Pooled)\w*Database|\.name\s*==\s*[\"'](sqlite|postgres|mysql)|"
                           r"[\"'](sqlite|postgres|mysql)[\"']\s*==")
# A backend named in code: its name as a string, a URL scheme tested, a backend's own class or state.
BACKEND_NAMED = re.compile(r"[\"'](sqlite|postgres|postgresql|mysql|mariadb)[\"']|"
                           r"startswith\(\s*[\"'](sqlite|postgres|mysql|mariadb)|"
                           r"\b(SqliteDialect|PostgresDialect|MysqlDialect|FileLock|AdvisoryLock|NamedLock|_Rebuild)\b|"
                           r"\.rebuilds\b")
# DDL made around the dialect: Peewee's schema migrator used directly.
DDL_AROUND_DIALECT = re.compile(r"\bctx\.migrator\b|\bSchemaMigrator\b|\bschema_migrator\(")


def code_lines(path):
    """(number, line) of the file's code: docstrings and comments left out."""
    text = path.read_text()
    text = re.sub(r'"""(.|\n)*?"""', lambda m: "\n" * m.group(0).count("\n"), text)
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]
        if code.strip():
            yield number, code


def offenders(pattern, files):
    return [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
            for path in files for number, line in code_lines(path) if pattern.search(line)]


def outside_backends():
    """The package's modules that must not tell backends apart: all but the dialects package and locks.py."""
    return [path for path in PACKAGE.glob("*.py") if path.name != "locks.py"]


def test_only_dialects_and_locks_tell_backends_apart():
    assert offenders(BACKEND_CHECK, outside_backends()) == []


def test_no_backend_is_named_outside_the_dialects_package_and_locks():
    assert offenders(BACKEND_NAMED, outside_backends()) == []


def test_locks_take_the_dialects_lock_class_not_a_choice_by_name():
    locks = PACKAGE / "locks.py"
    assert offenders(re.compile(r"dialect\.name|[\"'](sqlite|postgres|mysql)[\"']"), [locks]) == []
    for module in ("sqlite", "postgres", "mysql"):
        assert "lock_class = " in (PACKAGE / "dialects" / f"{module}.py").read_text()


def test_every_ddl_goes_through_the_dialect():
    assert offenders(DDL_AROUND_DIALECT, PACKAGE.glob("*.py")) == []


def test_one_file_per_backend_and_the_seams_in_their_own_modules():
    for name in ("dialects/__init__.py", "dialects/base.py", "dialects/sqlite.py", "dialects/postgres.py",
                 "dialects/mysql.py", "context.py", "selection.py"):
        assert (PACKAGE / name).exists(), name
    defined = {path.name for path in PACKAGE.rglob("*.py") if re.search(r"^class Context\b", path.read_text(), re.M)}
    assert defined == {"context.py"}
    assert "def dialect_for(" in (PACKAGE / "dialects" / "__init__.py").read_text()
    assert "class _Rebuild" in (PACKAGE / "dialects" / "sqlite.py").read_text()


def test_verify_is_a_leaf_that_chooses_nothing():
    imports = offenders(re.compile(r"from \.(api|selection) import|import (api|selection)\b"),
                        [PACKAGE / "verify.py"])
    assert imports == []


def test_the_checks_find_what_they_forbid():
    # Guards the guards: each pattern must catch the forms it is meant to forbid.
    assert BACKEND_CHECK.search('if self.dialect.name == "mysql":')
    assert BACKEND_CHECK.search("isinstance(db, peewee.PostgresqlDatabase)")
    assert BACKEND_NAMED.search('if url.startswith("sqlite"):')
    assert BACKEND_NAMED.search('{"sqlite": FileLock}')
    assert BACKEND_NAMED.search("self.ctx.rebuilds.clear()")
    assert not BACKEND_NAMED.search('"database_url": "sqlite:///app.db",')
    assert DDL_AROUND_DIALECT.search("ctx.run(ctx.migrator.drop_table(self.table))")
    assert list(code_lines(Path(__file__))), "the reader of code lines reads this file"
