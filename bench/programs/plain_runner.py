"""The limit: each version's SQL through the plain driver, one transaction per version where DDL is
transactional, and a version row per version.

    plain_runner.py URL FOLDER up|down|status [once] [peewee]

With `once`, up and down run every version in ONE transaction (BEGIN before the first version, COMMIT after
the last) where DDL is transactional: the floor for a tool that commits a whole run at once. status ignores it.
With `peewee`, the runner first imports Peewee, playhouse.migrate and playhouse.db_url, the other backends'
drivers kept out as migrator keeps them out, and then runs as without it: the floor of any tool built on
Peewee, which must at least import it."""
import os
import sys
import time
from urllib.parse import urlsplit

OPTIONS = ("once", "peewee")


def import_peewee(url):
    """Import Peewee as migrator's process does (dialects.keep_out_unused): the other backends' drivers and
    playhouse.db_url's extensions for other URL schemes kept out."""
    scheme = urlsplit(url).scheme
    unused = {"sqlite": ("psycopg2", "psycopg", "pymysql", "MySQLdb"),
              "postgresql": ("pymysql", "MySQLdb"), "mysql": ("psycopg2", "psycopg")}[scheme]
    extensions = {"playhouse.apsw_ext", "playhouse.cockroachdb", "playhouse.cysqlite_ext", "playhouse.mysql_ext",
                  "playhouse.postgres_ext"} - ({"playhouse.postgres_ext"} if scheme == "postgresql" else set())
    for module in (*unused, *extensions):
        sys.modules.setdefault(module, None)  # `import module` now raises ImportError
    for module in ("peewee", "playhouse.db_url", "playhouse.migrate"):
        __import__(module)


def connect(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        import sqlite3
        return sqlite3.connect(url[len("sqlite:///"):], isolation_level=None), True
    if parts.scheme == "postgresql":
        import psycopg2
        conn = psycopg2.connect(url)
        conn.autocommit = True
        return conn, True
    import pymysql
    return pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username,
                           password=parts.password or "", database=parts.path.lstrip("/"), autocommit=True), False


def statements(path):
    with open(path) as f:
        return [s for s in f.read().split(";\n") if s.strip()]


def main():
    options = sys.argv[4:]
    if len(sys.argv) < 4 or sys.argv[3] not in ("up", "down", "status") or options != [o for o in OPTIONS if o in options]:
        sys.exit("usage: plain_runner.py URL FOLDER up|down|status [once] [peewee]")
    url, folder, command = sys.argv[1:4]
    once = "once" in options
    if "peewee" in options:
        import_peewee(url)
    conn, transactional = connect(url)
    cur = conn.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS plain_versions (version INTEGER PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)")
    cur.execute("SELECT version FROM plain_versions ORDER BY version")
    applied = [row[0] for row in cur.fetchall()]
    files = sorted(int(name.split(".")[0]) for name in os.listdir(folder) if name.endswith(".up.sql"))

    per_version = transactional and not once  # a transaction per version; with `once`, one around the run

    def unit(version, direction, record):
        if per_version:
            cur.execute("BEGIN")
        for sql in statements(os.path.join(folder, "%06d.%s.sql" % (version, direction))):
            cur.execute(sql)
        cur.execute(record)
        if per_version:
            cur.execute("COMMIT")

    run_once = once and transactional and command in ("up", "down")
    if run_once:
        cur.execute("BEGIN")
    if command == "up":
        done = set(applied)
        for version in files:
            if version not in done:
                now = time.strftime("%Y-%m-%d %H:%M:%S")
                unit(version, "up", "INSERT INTO plain_versions (version, applied_at) VALUES (%d, '%s')" % (version, now))
                print("applied %d" % version)
    elif command == "down":
        for version in reversed(applied):
            unit(version, "down", "DELETE FROM plain_versions WHERE version = %d" % version)
            print("rolled back %d" % version)
    else:
        done = set(applied)
        for version in files:
            print("%06d %s" % (version, "applied" if version in done else "pending"))
    if run_once:
        cur.execute("COMMIT")
    conn.close()


main()
