"""Backend differences live in the dialects package (and locking in locks.py), not in conditionals elsewhere."""
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "migrator"
BACKEND_CHECK = re.compile(r"isinstance\([^)]*Database|\.name\s*==\s*[\"'](sqlite|postgres|mysql)|"
                           r"[\"'](sqlite|postgres|mysql)[\"']\s*==")


def test_only_dialects_and_locks_tell_backends_apart():
    offenders = [f"{path.name}:{number}: {line.strip()}"
                 for path in PACKAGE.glob("*.py") if path.name != "locks.py"
                 for number, line in enumerate(path.read_text().splitlines(), 1) if BACKEND_CHECK.search(line)]
    assert offenders == []


def test_the_check_finds_a_backend_conditional():
    # Guards the guard: the pattern must catch the forms it is meant to forbid.
    assert BACKEND_CHECK.search('if self.dialect.name == "mysql":')
    assert BACKEND_CHECK.search("isinstance(db, peewee.PostgresqlDatabase)")
