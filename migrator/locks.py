"""One runner at a time: a lock that dies with its holder (process or connection).

SQLite: an flock on a file beside the database. PostgreSQL: a session advisory lock on a
connection of its own, taken by polling so a waiter never queues behind DDL. MySQL/MariaDB:
GET_LOCK on a connection of its own. Each dialect names its lock (`lock_class`).
"""
import hashlib
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import LockTimeout

POLL_SECONDS = 0.1


@contextmanager
def hold(dialect, settings):
    lock = _lock_for(dialect, settings)
    deadline = time.monotonic() + settings.lock_timeout
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            holder = lock.holder()
            lock.close()
            raise LockTimeout(f"another migrator run holds the migration lock ({holder}); "
                              f"waited {settings.lock_timeout:g} s (--lock-timeout)")
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.close()


def holder_now(dialect, settings):
    """Who holds the migration lock, or None when it is free: a look that does not wait, and that leaves nothing
    behind (no lock file is created or written)."""
    lock = _lock_for(dialect, settings)
    try:
        return None if lock.is_free() else lock.holder()
    finally:
        lock.close()


def _lock_for(dialect, settings):
    key = f"{dialect.db.database}:{settings.schema or ''}:{settings.table}"
    return dialect.lock_class(dialect.db, key)


def _who():
    import socket

    return f"pid {os.getpid()} on {socket.gethostname()}"


class FileLock:
    def __init__(self, db, key):
        name = db.database
        self.path = None if name in ("", ":memory:") else Path(f"{name}.migrator-lock")
        self.file = None

    def try_acquire(self):
        import fcntl

        if self.path is None:
            return True
        self.file = self.file or open(self.path, "a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self.file.truncate(0)
        self.file.write(f"{_who()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        self.file.flush()
        return True

    def is_free(self):
        import fcntl

        if self.path is None:
            return True
        try:
            with open(self.path) as file:  # read-only: flock needs no write access, and a shared lock
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)  # lets two lookers in at once
        except FileNotFoundError:
            return True  # no run has ever taken it
        except BlockingIOError:
            return False
        return True

    def holder(self):
        try:
            return self.path.read_text().strip() or "unknown process"
        except OSError:
            return "unknown process"

    def close(self):
        if self.file:
            self.file.close()  # closing releases the flock
            self.file = None


class _ServerLock:
    """A lock held by a connection of its own, released when that connection ends."""

    def __init__(self, db, key):
        from .database import separate

        self.db = separate(db)  # not pooled: closing the connection must end it, and the lock with it
        self.key = key

    def query(self, sql, params=()):
        return self.db.execute_sql(sql, params).fetchone()

    def is_free(self):
        return self.try_acquire()  # and let go at once: close() ends the connection that holds it

    def close(self):
        self.db.close()


class AdvisoryLock(_ServerLock):
    def __init__(self, db, key):
        super().__init__(db, key)
        self.id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") & 0x7FFFFFFF

    def try_acquire(self):
        return bool(self.query("SELECT pg_try_advisory_lock(%s)", (self.id,))[0])

    def holder(self):
        row = self.query(
            "SELECT a.pid, a.usename, a.client_addr, a.application_name, a.backend_start "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s", (self.id,))
        if not row:
            return "a session that has just ended"
        program = f" ({row[3]})" if row[3] else ""
        return (f"server pid {row[0]}, user {row[1]}, from {row[2] or 'local socket'}{program}, "
                f"since {row[4]:%Y-%m-%d %H:%M:%S}")


class NamedLock(_ServerLock):
    def __init__(self, db, key):
        super().__init__(db, key)
        self.name = "migrator:" + hashlib.sha256(key.encode()).hexdigest()[:48]

    def try_acquire(self):
        return self.query("SELECT GET_LOCK(%s, 0)", (self.name,))[0] == 1

    def holder(self):
        row = self.query("SELECT p.ID, p.USER, p.HOST, p.TIME FROM information_schema.PROCESSLIST p "
                         "WHERE p.ID = IS_USED_LOCK(%s)", (self.name,))
        if not row:
            return "a connection that has just ended"
        return f"connection {row[0]}, user {row[1]} from {row[2]}, for {row[3]} s"
