"""MySQL/MariaDB online DDL: each ALTER TABLE an operation makes asks first for ALGORITHM=INSTANT, then for
ALGORITHM=INPLACE, LOCK=NONE (CREATE and DROP INDEX for the second only: an index is never instant), so that the
server refuses a change it would make by copying the table (or by locking it against writes) instead of doing so
without a word. The statement as it was,
which lets the server choose, runs only once the copy is accepted (see MysqlDialect.accept_copy)."""
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from .base import driver_error

INSTANT = "ALGORITHM=INSTANT"
INPLACE = "ALGORITHM=INPLACE, LOCK=NONE"
# ER_ALTER_OPERATION_NOT_SUPPORTED, ER_ALTER_OPERATION_NOT_SUPPORTED_REASON, and ER_UNKNOWN_ALTER_ALGORITHM from
# a server older than INSTANT (MySQL 5.7, MariaDB 10.2)
REFUSALS = (1845, 1846, 1800)


@dataclass(frozen=True)
class Guarded:
    """A statement that changes a table, asked for cheapest first: `forms`, each naming its algorithm."""
    table: str
    forms: tuple
    statement: str


def guarded(sql):
    """The statement's forms that name an algorithm, or None when it is no ALTER TABLE, CREATE INDEX or DROP
    INDEX (RENAME TABLE takes no algorithm: it is instant), or names one already. An index is never made or
    dropped instantly (by MariaDB or MySQL): CREATE and DROP INDEX ask for INPLACE, LOCK=NONE first."""
    words = _words(sql)
    if words is None:
        return None
    kinds = [w.text.upper() if not w.quoted else "" for w in words]
    if "ALGORITHM" in kinds or len(words) < 4:
        return None
    if kinds[:2] == ["ALTER", "TABLE"]:
        return Guarded(words[2].text, (f"{sql}, {INSTANT}", f"{sql}, {INPLACE}"), sql)
    if kinds[0] == "CREATE" and "INDEX" in kinds[1:3] and "ON" in kinds:
        table = words[kinds.index("ON") + 1].text
        return Guarded(table, (f"{sql} {INPLACE.replace(',', '')}",), sql)
    if kinds[:2] == ["DROP", "INDEX"] and kinds[3:4] == ["ON"] and len(words) == 5:
        # MariaDB's DROP INDEX takes no algorithm: ALTER TABLE's DROP INDEX does
        table, index = (sql[w.start:w.end + 1] for w in (words[4], words[2]))
        return Guarded(words[4].text, (f"ALTER TABLE {table} DROP INDEX {index}, {INPLACE}",), sql)
    return None


@dataclass(frozen=True)
class _Word:
    """A word of a statement migrator made (a name, a keyword or punctuation), and where it is."""
    text: str  # a quoted name without its quotes
    start: int
    end: int  # the offset of its last character, quotes included
    quoted: bool  # a name or string, not a keyword


# the statements migrator makes: words, `names` and punctuation (no string, comment, operator or other quote)
_PLAIN_WORDS = re.compile(r"`((?:[^`]|``)*)`|\w+|[(),.;=]")
_NOT_PLAIN = re.compile(r"[^\w\s(),.;=`]")


def _words(sql):
    """The words of `sql` as MySQL reads it; None when it cannot be read. Without SQL's full reader (sqlglot,
    a tenth of a run's start-up) where the text has no string or comment: the statements migrator makes."""
    outside = re.sub(r"`(?:[^`]|``)*`", "", sql)
    if "`" not in outside and not _NOT_PLAIN.search(outside):
        return [_Word(m.group(1).replace("``", "`") if m.group(1) is not None else m.group(0), m.start(),
                      m.end() - 1, m.group(1) is not None) for m in _PLAIN_WORDS.finditer(sql)]
    from ..sqltext import TokenError, tokens

    try:
        found = tokens(sql, "mysql")
    except TokenError:
        return None
    return [_Word(w.text, w.start, w.end, w.token_type.name in ("IDENTIFIER", "STRING")) for w in found]


def refusal(error):
    """The server's reason for refusing the algorithm asked for, or None when `error` is no such refusal."""
    args = getattr(driver_error(error), "args", ())
    if not args or args[0] not in REFUSALS:
        return None
    message = str(args[-1]).strip()
    reason = re.search(r"Reason: (.*?)\. Try ", message)
    return reason.group(1) if reason else message.split(". Try ")[0]


@contextmanager
def statements_through(db, run):
    """While inside, each statement this thread sends through `db` goes to `run(send, sql)` instead, where
    `send(sql)` sends a statement with the same parameters. Other threads (the application's, sharing the
    Database) are left alone."""
    real, thread, saved = db.execute_sql, threading.get_ident(), db.__dict__.get("execute_sql")

    def execute_sql(sql, params=None, *args, **kwargs):
        def send(statement):
            return real(statement, params, *args, **kwargs)

        return send(sql) if threading.get_ident() != thread else run(send, sql)

    db.execute_sql = execute_sql
    try:
        yield
    finally:
        if saved is None:
            del db.execute_sql
        else:
            db.execute_sql = saved
