"""MariaDB/MySQL through PyMySQL: the connections of a run (its own and its lock's) share the one TLS context that
PyMySQL's PREFERRED mode makes (no TLS option given), and a connection given a TLS option still gets its own."""
import json
import subprocess
import sys

from conftest import REPO, make_database

SPY = r"""
import json, ssl, sys
import pymysql.connections

made, connections = [], []
real_context, real_init = ssl.create_default_context, pymysql.connections.Connection.__init__

def create_default_context(*args, **kwargs):
    made.append(real_context(*args, **kwargs))
    return made[-1]

def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    connections.append(self)

ssl.create_default_context, pymysql.connections.Connection.__init__ = create_default_context, init
from migrator.cli import main
code = main(sys.argv[1:])
preferred = [c for c in connections if not c._ssl_required]
explicit = pymysql.connections.Connection(host="127.0.0.1", defer_connect=True, ssl_verify_cert=True)
print(json.dumps({"code": code, "contexts": len(made), "connections": len(preferred),
                  "shared": len({id(c.ctx) for c in preferred}) == 1,
                  "checks_nothing": all(c.ctx.verify_mode == ssl.CERT_NONE and not c.ctx.check_hostname
                                        for c in preferred),
                  "explicit_own": explicit.ctx is not preferred[0].ctx
                                  and explicit.ctx.verify_mode == ssl.CERT_REQUIRED}))
"""


def test_a_runs_connections_share_one_preferred_tls_context_and_an_explicit_option_gets_its_own(tmp_path):
    database, drop = make_database("mysql", tmp_path)
    try:
        specs = tmp_path / "specs"
        specs.mkdir()
        (specs / "v1.0.0.json").write_text(json.dumps({"operations": [
            {"action": "create_table", "table": "notes", "columns": {"body": "TextField(null=True)"}}]}))
        run = subprocess.run([sys.executable, "-c", SPY, "migrate", "--database-url", database.url, "--specs-dir",
                              str(specs)], capture_output=True, text=True, cwd=REPO, timeout=120)
        found = json.loads(run.stdout.splitlines()[-1])  # (the explicit connection's context is the second)
        assert found == {"code": 0, "contexts": 2, "connections": 2, "shared": True, "checks_nothing": True,
                         "explicit_own": True}, run.stderr
        assert "notes" in database.tables()
    finally:
        drop()
