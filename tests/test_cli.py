"""The `migrator` command: exit codes, error output, where settings come from, and the
password in a database URL, which must never be printed."""
import json
import os
import sqlite3
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import column_order, error_document, flags
from migrator import Migrator
from migrator.locks import hold

PASSWORD = "S3cretPa55word"

CREATE_ITEMS = {"operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50)"}}]}
ADD_NOTE = {"operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]}
# Changes nothing: a run with it leaves only its history table behind.
NOTHING = {"operations": [{"action": "sql", "sql": "SELECT 1", "down": "SELECT 1"}]}


def tables(database):
    return set(database.schema(exclude=()))


def no_traceback(out, err):
    return "Traceback" not in out and "Traceback" not in err


def with_password(url, password=PASSWORD, port=None):
    parts = urlsplit(url)
    host = f"{parts.hostname}:{port or parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{host}"))


# Spec files and arguments are checked before any connection: one backend is enough for those.
sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
servers = pytest.mark.parametrize("database", ["postgres", "mysql"], indirect=True)


# -- exit codes and error output -----------------------------------------------------------

def test_success_exits_0(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    code, out, err = cli("migrate", *common)
    assert (code, err) == (0, "")
    assert "applied v1.0.0" in out
    assert database.versions() == ["v1.0.0"]


def test_a_refused_operation_exits_1_with_a_json_error_document(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    specs("v1.1.0", {"operations": [{"action": "sql", "sql": "THIS IS NOT SQL", "down": "SELECT 1"}]})
    code, out, err = cli("migrate", "--json", *common)
    assert code == 1
    error = error_document(out)
    assert error["code"] == 1
    assert "v1.1.0, operation 0 (sql)" in error["message"]
    assert no_traceback(out, err)
    assert database.versions() == ["v1.0.0"]


@sqlite_only
@pytest.mark.parametrize("body, expected", [
    ('{"operations": [', "invalid JSON at line 1"),
    ('{"operations": [{"action": "explode_table", "table": "items"}]}', "unknown action 'explode_table' (known: "),
    ('{"operations": [{"action": "add_colum", "table": "items"}]}',
     "unknown action 'add_colum' (did you mean 'add_column'? known: "),
    ('{"operations": [{"action": "create_table", "table": "items"}]}', "missing parameter 'columns'"),
    ('{"operations": [{"action": "add_check", "table": "items", "name": "c", "chek": "id > 0"}]}',
     "parameter 'chek': unknown parameter 'chek' for add_check (did you mean 'check'?)"),
], ids=["malformed-json", "unknown-action", "misspelled-action", "missing-parameter", "misspelled-parameter"])
def test_an_invalid_spec_file_exits_2_naming_the_file_and_changes_nothing(database, cli, common, specs, body,
                                                                         expected):
    specs("v1.0.0", CREATE_ITEMS)
    specs("v1.1.0", body)
    code, out, err = cli("migrate", *common)
    assert code == 2
    assert "v1.1.0.json" in err and expected in err
    assert no_traceback(out, err)
    assert database.schema() == {}
    assert database.versions() == []


@pytest.mark.parametrize("args, expected", [
    (["rollback", "v1.0.0", "--steps", "1"], "not both"),
    (["rollback", "--steps", "5"], "--steps must be between 1 and 1"),
    (["rollback", "v9.0.0"], "v9.0.0 is not applied"),
    (["migrate", "version-one"], "is not a version"),
    (["migrate", "--lock-timeout", "soon"], "invalid float value"),
    (["frobnicate"], "invalid choice: 'frobnicate' (choose from"),
    # a misspelt command: named with the one it most likely misspells
    (["stauts"], "invalid choice: 'stauts'; did you mean status? (choose from"),
    # a command's own option before the command's name: named, not its value taken for a misspelt command
    (["--steps", "1", "rollback"], "--steps is an option of rollback: give it after the command's name"),
    (["--yes", "rollback"], "--yes is an option of rollback"),
    (["--lock-wait", "1", "status"], "status has no option --lock-wait"),
    # an option the command has not, after its name: named with the command's help, and what it likely misspells
    (["rollback", "--step", "1"], "rollback has no option --step; did you mean --steps? (see migrator rollback --help)"),
    (["migrate", "--frobnicate"], "migrate has no option --frobnicate (see migrator migrate --help)"),
])
@sqlite_only
def test_invalid_arguments_exit_2_without_traceback(database, cli, common, specs, args, expected):
    specs("v1.0.0", CREATE_ITEMS)
    assert cli("migrate", *common)[0] == 0
    code, out, err = cli(*args, *common)
    assert code == 2
    assert expected in err
    assert no_traceback(out, err)
    assert database.versions() == ["v1.0.0"]


def test_invalid_input_gives_a_json_error_document_with_code_2(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    code, out, err = cli("migrate", "v3.0.0", "--json", *common)
    assert code == 2
    error = error_document(out)
    assert error["code"] == 2 and "unknown version v3.0.0" in error["message"]
    assert err == ""


@sqlite_only
@pytest.mark.parametrize("args", [
    ["--json", "migrate", "--lock-timeout", "soon"],
    ["migrate", "--json", "--steps", "2"],
    ["--json", "frobnicate"],
], ids=["bad-value", "unknown-option", "unknown-command"])
def test_bad_arguments_with_json_still_give_a_json_error_document(database, cli, common, args):
    # --json promises one JSON document on stdout, errors included; argument errors are errors too.
    code, out, err = cli(*args, *common)
    assert code == 2
    error = error_document(out)
    assert error["code"] == 2 and error["message"]


@pytest.mark.parametrize("database", ["sqlite", "mysql"], indirect=True)
def test_schema_option_outside_postgres_exits_2(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    code, out, err = cli("migrate", "--schema", "tenant", *common)
    assert code == 2
    assert "--schema is for PostgreSQL" in err
    assert no_traceback(out, err)
    assert database.schema() == {}


def test_a_held_lock_exits_3_naming_the_holder(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    # Another connection of this process holds the lock the way a run does.
    with Migrator(database.url, specs_dir=str(specs.folder)) as other, hold(other.dialect, other.settings):
        code, out, err = cli("migrate", "--lock-timeout", "0.3", "--json", *common)
    assert code == 3
    error = error_document(out)
    assert error["code"] == 3
    assert "holds the migration lock" in error["message"] and "waited 0.3 s" in error["message"]
    holder = {"sqlite": f"(pid {os.getpid()} on ", "postgres": "(server pid ", "mysql": "(connection "}
    assert holder[database.backend] in error["message"]
    assert no_traceback(out, err)
    assert database.schema() == {}
    assert database.versions() == []


def test_changed_history_exits_4_with_a_json_error_document(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    assert cli("migrate", *common)[0] == 0
    specs("v1.0.0", {"operations": [
        {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=60)"}}]})
    specs("v1.1.0", ADD_NOTE)
    code, out, err = cli("--json", "migrate", *common)
    assert code == 4
    error = error_document(out)
    assert error["code"] == 4 and "v1.0.0" in error["message"]
    assert no_traceback(out, err)
    assert database.versions() == ["v1.0.0"]
    assert [c["name"] for c in database.schema()["items"]["columns"]] == ["id", "name"]


def test_repair_without_yes_records_no_checksum_when_it_cannot_ask(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    assert cli("migrate", *common)[0] == 0
    recorded = database.query("SELECT checksum FROM schema_migrations")
    specs("v1.0.0", {"description": "edited", **CREATE_ITEMS})
    code, out, err = cli("repair", *common)
    assert code == 2
    assert "--yes" in err
    assert database.query("SELECT checksum FROM schema_migrations") == recorded


# -- where settings come from --------------------------------------------------------------

def test_settings_precedence_is_flag_then_environment_then_dotenv_then_default(
        database, cli, specs, tmp_path, monkeypatch):
    # The history table name shows which setting won; specs come from the default folder ./specs.
    specs("v1.0.0", NOTHING)
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"DATABASE_URL={database.url}\nMIGRATOR_TABLE=dotenv_history\n")
    monkeypatch.setenv("MIGRATOR_TABLE", "env_history")

    assert cli("migrate", "--table", "flag_history")[0] == 0
    assert tables(database) == {"flag_history"}

    assert cli("migrate")[0] == 0
    assert tables(database) == {"flag_history", "env_history"}

    monkeypatch.delenv("MIGRATOR_TABLE")
    assert cli("migrate")[0] == 0
    assert tables(database) == {"flag_history", "env_history", "dotenv_history"}

    dotenv.write_text(f"DATABASE_URL={database.url}\n")
    assert cli("migrate")[0] == 0
    assert tables(database) == {"flag_history", "env_history", "dotenv_history", "schema_migrations"}
    for table in ("flag_history", "env_history", "dotenv_history", "schema_migrations"):
        assert database.versions(table) == ["v1.0.0"]


def test_database_url_precedence_on_sqlite_files(cli, specs, tmp_path, monkeypatch):
    specs("v1.0.0", CREATE_ITEMS)

    def migrated(name):
        path = tmp_path / name
        if not path.exists():
            return False
        with sqlite3.connect(path) as db:
            return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchall())

    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'dotenv.db'}\n")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert cli("migrate", "--database-url", f"sqlite:///{tmp_path / 'flag.db'}")[0] == 0
    assert [migrated(n) for n in ("flag.db", "env.db", "dotenv.db", "app.db")] == [True, False, False, False]
    assert cli("migrate")[0] == 0
    assert [migrated(n) for n in ("env.db", "dotenv.db", "app.db")] == [True, False, False]
    monkeypatch.delenv("DATABASE_URL")
    assert cli("migrate")[0] == 0
    assert [migrated(n) for n in ("dotenv.db", "app.db")] == [True, False]
    (tmp_path / ".env").unlink()
    assert cli("migrate")[0] == 0
    assert migrated("app.db")  # the default, sqlite:///app.db in the current directory


def test_lock_timeout_is_read_from_the_environment(database, cli, common, specs, monkeypatch):
    specs("v1.0.0", CREATE_ITEMS)
    monkeypatch.setenv("MIGRATOR_LOCK_TIMEOUT", "soon")
    code, out, err = cli("migrate", *common)
    assert code == 2 and "lock timeout (MIGRATOR_LOCK_TIMEOUT) must be a number of seconds, 0 or more, not 'soon'" \
        in err, err
    assert database.schema() == {}
    code, _, err = cli("migrate", "--lock-timeout=-1", *common)  # the option given beats the variable
    assert code == 2 and "lock timeout (--lock-timeout) must be a number of seconds, 0 or more, not -1" in err, err
    monkeypatch.delenv("MIGRATOR_LOCK_TIMEOUT")
    with open(".env", "w") as dotenv:  # (the working directory is the test's own)
        dotenv.write("MIGRATOR_MAX_ROWS=lots\n")
    code, _, err = cli("lint", *common)
    assert code == 2 and "max rows (MIGRATOR_MAX_ROWS in .env) must be a whole number, 0 or more, not 'lots'" in err
    assert database.schema() == {}


@sqlite_only
@pytest.mark.parametrize("arrange", ["before", "after", "mixed"])
def test_common_options_work_before_and_after_the_command_name(database, cli, specs, arrange):
    specs("v1.0.0", CREATE_ITEMS)
    specs("v1.1.0", ADD_NOTE)
    url, folder = ["--database-url", database.url], ["--specs-dir", specs.folder]
    runs = {
        "before": (url + folder + ["migrate", "v1.0.0"], ["--json"] + url + folder + ["status"]),
        "after": (["migrate", "v1.0.0"] + url + folder, ["status"] + url + folder + ["--json"]),
        "mixed": (url + ["migrate"] + folder + ["v1.0.0"], folder + ["--json", "status"] + url),
    }[arrange]
    code, out, err = cli(*runs[0])
    assert code == 0, err
    assert database.versions() == ["v1.0.0"]
    code, out, err = cli(*runs[1])
    assert code == 0, err
    status = json.loads(out)
    assert status["current"] == "v1.0.0"
    assert [v["state"] for v in status["versions"]] == ["applied", "pending"]


@pytest.mark.parametrize("url, expected", [
    ("oracle://scott@db/orcl", "no backend has the scheme 'oracle' (sqlite, postgresql, mysql)"),
    ("app.db", "app.db is no database URL: it starts with the backend's scheme, as in sqlite:///app.db"),
    ("localhost/shop", "localhost/shop is no database URL"),  # (a new-user trial: "no backend has the scheme")
    ("", "the database URL is empty"),
])
def test_a_database_url_no_backend_takes_is_invalid_input(cli, specs, tmp_path, monkeypatch, url, expected):
    monkeypatch.chdir(tmp_path)
    specs("v1.0.0", CREATE_ITEMS)
    for command in ("status", "migrate"):
        code, out, err = cli(command, "--database-url", url, "--specs-dir", specs.folder)
        assert code == 2 and expected in err and no_traceback(out, err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == [specs.folder.name]  # no file made for it


def test_a_history_table_named_by_mistake_is_refused_and_nothing_changes(database, cli, common, specs):
    specs("v1.0.0", CREATE_ITEMS)
    assert cli("migrate", *common)[0] == 0
    database.execute("INSERT INTO items (name) VALUES ('kept')")
    for command in ("status", "migrate", "rollback"):
        code, out, err = cli(command, "--table", "items", *common)  # the application's table, not a history
        assert code == 2, (command, err)
        assert "the table items is not a migrator history table" in err and no_traceback(out, err)
    code, out, err = cli("validate", "--table", "items", *common)  # its spec makes the table it names
    assert code == 2 and "'items' is the migration history table" in err
    code, out, err = cli("status", "--table", "", *common)
    assert code == 2 and "--table (MIGRATOR_TABLE) is empty" in err
    assert database.query("SELECT name FROM items") == [("kept",)] and database.versions() == ["v1.0.0"]
    assert column_order(database, "items") == ["id", "name"]


@sqlite_only
def test_an_options_value_that_names_a_command_is_not_taken_for_the_command(database, cli, specs, tmp_path,
                                                                              monkeypatch):
    # (the command line is parsed for the first word that names a command, and again in full when that fails)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "status").mkdir()
    (tmp_path / "status" / "v1.0.0.json").write_text(json.dumps(CREATE_ITEMS))
    code, out, err = cli("--database-url", database.url, "--specs-dir", "status", "migrate")
    assert code == 0, err
    assert database.versions() == ["v1.0.0"] and "items" in tables(database)
    code, out, err = cli("--specs-dir", "status", "--database-url", database.url, "status", "--json")
    assert code == 0, err
    assert [v["state"] for v in json.loads(out)["versions"]] == ["applied"]
    code, out, err = cli("--specs-dir", "status", "--database-url", database.url, "--help")
    assert code == 0 and all(command in out for command in ("migrate", "rollback", "schema-file", "repair"))


# -- the password --------------------------------------------------------------------------

# PostgreSQL here trusts local connections whatever the password; MariaDB's root has none.
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_the_password_is_never_printed_by_migrate_status_or_rollback(database, cli, specs):
    common = flags(with_password(database.url), specs.folder)
    specs("v1.0.0", CREATE_ITEMS)
    specs("v1.1.0", ADD_NOTE)
    printed = []

    def run(*args):
        code, out, err = cli(*args, *common)
        assert code == 0, err
        printed.append(out + err)
        return out

    run("migrate", "v1.0.0")
    run("migrate", "--json")
    assert database.versions() == ["v1.0.0", "v1.1.0"]  # the runs with the password reached this database
    assert "***" in run("migrate")  # nothing to apply: URL
    assert "***" in run("status")  # database: URL
    status = json.loads(run("status", "--json"))
    assert status["database"] == f"postgresql://postgres:***@127.0.0.1:5432/{database.name}"
    run("-v", "rollback")
    run("rollback", "--json")
    assert database.versions() == []
    assert all(PASSWORD not in text for text in printed)


@servers
@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_an_unreachable_server_exits_1_with_a_clear_error_and_no_password(database, cli, specs, json_output):
    specs("v1.0.0", CREATE_ITEMS)
    url = with_password(database.url, port=1)
    code, out, err = cli("migrate", "--database-url", url, "--specs-dir", specs.folder, *(["--json"] * json_output))
    assert code == 1
    message = error_document(out)["message"] if json_output else err
    assert "cannot connect to" in message and ":***@127.0.0.1:1/" in message
    assert PASSWORD not in out + err
    assert no_traceback(out, err)


# Only the MariaDB server here checks passwords (root has none, so any password is wrong).
@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_a_refused_password_exits_1_without_printing_it(database, cli, specs):
    specs("v1.0.0", CREATE_ITEMS)
    code, out, err = cli("status", "--database-url", with_password(database.url), "--specs-dir", specs.folder)
    assert code == 1
    assert "cannot connect to" in err
    assert PASSWORD not in out + err
    assert no_traceback(out, err)


def test_an_unopenable_sqlite_file_exits_1_with_a_clear_error(cli, specs, tmp_path):
    specs("v1.0.0", CREATE_ITEMS)
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'app.db'}"
    code, out, err = cli("migrate", "--database-url", url, "--specs-dir", specs.folder)
    assert code == 1
    assert "cannot connect to" in err
    assert no_traceback(out, err)


def test_a_reader_that_goes_away_does_not_stop_a_run_half_way(database, specs, common, tmp_path):
    """`migrator migrate | head -1`: the reader closes the pipe after one line; the run goes on to its end and
    exits with its own code (it once stopped after the next version and exited 0), and so does rollback."""
    import processes

    for number in range(1, 31):
        specs(f"v1.{number}.0", [{"action": "create_table", "table": f"t{number}", "columns": {"name": "TextField()"}}])
    for args, expected in ((("migrate",), 30), (("rollback", "base", "--yes"), 0)):
        process = processes.start(tmp_path, *common, *args)
        assert process.stdout.readline()  # the first version's line
        process.stdout.close()  # the reader goes away, as `head -1` does
        err = process.stderr.read()
        assert process.wait(timeout=120) == 0, err
        assert "Traceback" not in err and "Broken pipe" not in err, err
        assert len([t for t in tables(database) if t.startswith("t")]) == expected, args


@pytest.mark.parametrize("columns", [None, "50", "133", "0", "wide"])
def test_help_wraps_at_the_width_argparse_itself_takes(monkeypatch, columns):
    """The parser asks the terminal's width itself (argparse would import shutil for it): the same width."""
    from migrator import cli as cli_module

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    parsers = [cli_module.build_parser(), cli_module.build_parser(only="rollback")]
    parsers.append(parsers[1]._subparsers._group_actions[0].choices["rollback"])
    ours = [parser.format_help() for parser in parsers]
    monkeypatch.delattr(cli_module._Parser, "_get_formatter")
    assert ours == [parser.format_help() for parser in parsers]


@sqlite_only
def test_verbose_shows_named_parameters_by_name_and_value(database, cli, common, specs):
    """`-v` shows a statement's parameters: SQLite's catalog reads name theirs (`:t`), shown with their values."""
    specs("v1.0.0", CREATE_ITEMS)
    code, _, err = cli("-v", "migrate", *common)
    assert code == 0, err
    shown = [line.split("  -- ", 1)[1] for line in err.splitlines() if "  -- " in line]  # (a statement's last line)
    assert "{'t': 'items'}" in shown and "['t']" not in shown, shown
    assert any("'v1.0.0'" in text for text in shown)  # the history's row, by its values


@sqlite_only
@pytest.mark.parametrize("command", ["status", "validate", "plan", "migrate", "rollback"])
def test_an_sqlite_file_in_a_folder_that_does_not_exist_is_refused_naming_the_folder(database, cli, specs, tmp_path,
                                                                                     command):
    """Not `no database yet`, which migrate would make: migrate makes the file, not its folders."""
    specs("v1.0.0", CREATE_ITEMS)
    url = f"sqlite:///{tmp_path}/nowhere/deeper/app.db"
    code, out, err = cli(command, "--database-url", url, "--specs-dir", specs.folder, "--json")
    assert code == 1, out + err
    assert error_document(out)["message"] == (f"cannot connect to {url}: the folder {tmp_path}/nowhere/deeper does "
                                              "not exist (migrate makes the database file, not its folder)")
    assert "Traceback" not in err and not (tmp_path / "nowhere").exists()


@sqlite_only
@pytest.mark.parametrize("command", ["status", "migrate"])
def test_an_sqlite_url_with_two_slashes_is_refused_as_bad_input(database, cli, specs, tmp_path, command):
    specs("v1.0.0", CREATE_ITEMS)
    code, out, err = cli(command, "--database-url", "sqlite://app.db", "--specs-dir", specs.folder)
    assert code == 2, out + err
    assert "sqlite://app.db: two slashes make app.db a host, and SQLite has none: a file takes three " \
           "(sqlite:///app.db)" in err and "Traceback" not in err
    assert not (tmp_path / "app.db").exists()


@sqlite_only
def test_status_in_a_folder_with_none_of_the_applied_files_asks_whether_it_is_the_specs_folder(database, cli, common,
                                                                                            specs, tmp_path):
    specs("v1.0.0", CREATE_ITEMS)
    assert cli("migrate", *common)[0] == 0
    (tmp_path / "elsewhere").mkdir()
    code, out, err = cli("status", "--database-url", database.url, "--specs-dir", str(tmp_path / "elsewhere"))
    assert code == 0, err
    assert "v1.0.0       missing" in out
    assert f"no spec file of any applied version is in {tmp_path / 'elsewhere'}: is it the specs folder" in out
    code, out, _ = cli("status", *common)
    assert code == 0 and "is it the specs folder" not in out
