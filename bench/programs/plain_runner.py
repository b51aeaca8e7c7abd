"""The limit: each version's SQL through the plain driver, one transaction per version where DDL is
transactional, and a version row per version."""
import os
import sys
import time
from urllib.parse import urlsplit


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
    url, folder, command = sys.argv[1:4]
    conn, transactional = connect(url)
    cur = conn.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS plain_versions (version INTEGER PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)")
    cur.execute("SELECT version FROM plain_versions ORDER BY version")
    applied = [row[0] for row in cur.fetchall()]
    files = sorted(int(name.split(".")[0]) for name in os.listdir(folder) if name.endswith(".up.sql"))

    def unit(version, direction, record):
        if transactional:
            cur.execute("BEGIN")
        for sql in statements(os.path.join(folder, "%06d.%s.sql" % (version, direction))):
            cur.execute(sql)
        cur.execute(record)
        if transactional:
            cur.execute("COMMIT")

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
    conn.close()


main()
