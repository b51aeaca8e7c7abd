"""The shipped example specs on every backend: migrate to v1.2.0, status, rollback to v1.0.0."""
import json

from conftest import REPO, flags


def test_the_example_specs_migrate_report_and_roll_back(database, cli):
    common = flags(database.url, REPO / "specs")
    code, out, err = cli("migrate", "v1.2.0", *common)
    assert code == 0, err
    assert set(database.schema()) == {"users", "comments", "articles", "tags"}
    assert [v for v, _ in database.history()] == ["v1.0.0", "v1.1.0", "v1.2.0"]

    code, out, _ = cli("status", "--json", *common)
    status = json.loads(out)
    assert status["current"] == "v1.2.0"
    assert [v["state"] for v in status["versions"]] == ["applied"] * 3

    code, out, err = cli(*common, "rollback", "v1.0.0")
    assert code == 0, err
    assert set(database.schema()) == {"users", "posts", "comments"}
    assert [v for v, _ in database.history()] == ["v1.0.0"]
