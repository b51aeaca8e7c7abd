"""MySQL/MariaDB online DDL: each ALTER TABLE, CREATE INDEX and DROP INDEX an operation makes asks first for
ALGORITHM=INSTANT, then for ALGORITHM=INPLACE, LOCK=NONE, so that the server refuses a change it would make by
copying the table (or by locking it against writes) instead of doing so without a word. The statement as it was,
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
    INDEX (RENAME TABLE takes no algorithm: it is instant), or names one already."""
    from ..sqltext import TokenError, tokens

    try:
        words = tokens(sql, "mysql")
    except TokenError:
        return None
    kinds = [w.text.upper() if w.token_type.name not in ("IDENTIFIER", "STRING") else "" for w in words]
    if "ALGORITHM" in kinds or len(words) < 4:
        return None
    if kinds[:2] == ["ALTER", "TABLE"]:
        return Guarded(words[2].text, (f"{sql}, {INSTANT}", f"{sql}, {INPLACE}"), sql)
    if kinds[0] == "CREATE" and "INDEX" in kinds[1:3] and "ON" in kinds:
        table = words[kinds.index("ON") + 1].text
        return Guarded(table, (f"{sql} {INSTANT}", f"{sql} {INPLACE.replace(',', '')}"), sql)
    if kinds[:2] == ["DROP", "INDEX"] and kinds[3:4] == ["ON"] and len(words) == 5:
        # MariaDB's DROP INDEX takes no algorithm: ALTER TABLE's DROP INDEX does
        table, index = (sql[w.start:w.end + 1] for w in (words[4], words[2]))
        alter = f"ALTER TABLE {table} DROP INDEX {index}"
        return Guarded(words[4].text, (f"{alter}, {INSTANT}", f"{alter}, {INPLACE}"), sql)
    return None


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
