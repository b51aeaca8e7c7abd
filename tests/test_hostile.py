"""Hostile spec files: each file of the corpus in tests/hostile/ is broken or malicious in its own
way. Placed as the next version over a database at v1.0.0, every one must be refused before the
database is touched: exit 2, a message naming the file and the place, no code run, and the database
exactly as it was (SQLite: the same bytes; PostgreSQL, MariaDB: the same schema and history).

Corpus layout:
  tests/hostile/<name>.json   placed as v1.1.0.json
  tests/hostile/named/<file>  placed under its own name (version names that can exist as files)
  tests/hostile/sets/<dir>/   every file placed under its own name (two files for one version)
Files too large or too strange to commit (tens of MB, deep nesting, devices, FIFOs, links) are
made at test time.

All of the corpus runs on SQLite. On PostgreSQL and MariaDB a representative subset runs by
default, everything with MIGRATOR_FAULT_TRIALS set or `-m slow`. Then fuzzing with hypothesis:
whatever JSON document or field text arrives, the only outcomes are success or SpecError.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import traceback
from pathlib import Path

import pytest

import processes
from conftest import flags, make_database, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrator.errors import SpecError
from migrator.fields import TYPES, FieldSpec
from migrator.operations import ACTIONS
from migrator.spec import load_spec
from migrator.versions import Version

CORPUS = Path(__file__).resolve().parent / "hostile"
MARKER = Path("/tmp/pwned")  # what the corpus's code would create if anything ran it
BASE = {"description": "users", "operations": [
    {"action": "create_table", "table": "users", "columns": {"name": "CharField(max_length=40)"}}]}


def full_run(config):
    return bool(os.environ.get("MIGRATOR_FAULT_TRIALS")) or bool(
        re.search(r"(?<!not )\bslow\b", config.getoption("markexpr") or ""))


# -- the corpus and where each error must be placed -------------------------------------------------
# For each item, alternatives: the message must hold every string of at least one of them.
# JSON syntax errors name the line and column (found by Python's json module on the same text);
# JSON that parses but is refused (NaN, duplicate keys) must still say where: a line, or the operation.

OP0 = "operation 0"


def op(action, param):
    return [(f"operation 0 ({action})", f"parameter '{param}'")]


PLACES = {
    # JSON syntax
    "json_trailing_comma.json": [("line 3, column 1",)],
    "json_unclosed_array.json": [("line 3, column 1",)],
    "json_single_quotes.json": [("line 2, column 4",)],
    "json_line_comment.json": [("line 1, column 1",)],
    "json_unquoted_key.json": [("line 1, column 3",)],
    "json_two_documents.json": [("line 2, column 1",)],
    "json_raw_newline_in_string.json": [("line 1, column 45",)],
    "json_nul_byte_after_document.json": [("line 1, column 3",)],
    "json_python_none.json": [("line 1, column 47",)],
    # JSON values the parser accepts but a spec must not hold
    "json_nan.json": [("line 2",), ("operation 0", "'default'")],
    "json_infinity.json": [("line 2",), ("operation 0", "'default'")],
    "json_negative_infinity.json": [("line 2",), ("operation 0", "'default'")],
    "json_number_overflows_to_infinity.json": [("line 2",), ("operation 0", "'default'")],
    "json_integer_of_5000_digits.json": [("line 2",), ("operation 0", "'default'")],
    "json_duplicate_keys.json": [("line 2",), ("operation 0", "'table'")],
    "json_lone_surrogate_escape.json": [("line 2",), ("operation 0", "'sql'")],
    # bytes and encodings: the place is the start of the file, or the byte
    "bom_utf8.json": [("byte order mark",)],
    "utf16_le.json": [("byte 0",)],
    "latin1_bytes.json": [("byte 38",)],
    "overlong_utf8_slash.json": [("byte 37",)],
    "empty.json": [("empty",)],
    "whitespace_only.json": [("empty",)],
    "nesting_100_levels.json": [("nested",)],
    # the document's shape
    "top_level_string.json": [("array of operations",)],
    "top_level_number.json": [("array of operations",)],
    "top_level_null.json": [("array of operations",)],
    "object_without_operations.json": [("parameter 'operations'",)],
    "object_operations_is_an_object.json": [("parameter 'operations'",)],
    "object_description_is_a_number.json": [("parameter 'description'",)],
    "object_unknown_key.json": [("'hooks'",)],
    "operation_is_a_string.json": [(OP0,)],
    "operation_missing_action.json": [(OP0, "'action'")],
    "operation_unknown_action.json": [(OP0, "'action'")],
    "operation_action_wrong_case.json": [(OP0, "'action'")],
    "operation_action_is_a_list.json": [(OP0, "'action'")],
    "operation_action_is_an_object.json": [(OP0, "'action'")],
    "third_operation_invalid.json": [("operation 2 (drop_column)", "parameter 'cascade'")],
    # parameters
    "parameter_unknown.json": op("drop_table", "if_exists"),
    "parameter_missing_field.json": op("add_column", "field"),
    "parameter_table_is_a_number.json": op("drop_table", "table"),
    "parameter_columns_is_a_string.json": op("add_index", "columns"),
    "parameter_column_and_column_name.json": [("operation 0 (add_not_null)", "'column'")],
    "parameter_sql_is_a_number.json": op("sql", "sql"),
    "parameter_default_is_null.json": op("add_default", "default"),
    "parameter_default_expression_with_extra_key.json": op("add_default", "default"),
    # field text carrying code, and field objects that try the same
    "field_import_os_system.json": op("add_column", "field"),
    "field_code_in_default.json": op("add_column", "field"),
    "field_attribute_callee.json": op("add_column", "field"),
    "field_attribute_in_argument.json": op("add_column", "field"),
    "field_lambda.json": op("add_column", "field"),
    "field_list_comprehension.json": op("add_column", "field"),
    "field_fstring.json": op("add_column", "field"),
    "field_call_in_argument.json": op("add_column", "field"),
    "field_walrus.json": op("add_column", "field"),
    "field_subclasses_escape.json": op("add_column", "field"),
    "field_two_statements.json": op("add_column", "field"),
    "field_open_call.json": op("add_column", "field"),
    "field_unknown_class.json": op("add_column", "field"),
    "field_keyword_type_name.json": op("add_column", "field"),
    "field_object_key_cls.json": op("add_column", "field"),
    "field_object_type_is_code.json": op("add_column", "field"),
    "field_object_default_is_an_object.json": op("add_column", "field"),
    "field_text_too_long.json": op("add_column", "field"),
    "field_max_length_is_a_boolean.json": op("add_column", "field"),
    # identifiers carrying quotes, semicolons, comment markers
    "table_name_sql_injection.json": op("create_table", "table"),
    "column_name_sql_injection.json": op("add_column", "column_name"),
    "new_name_backtick_injection.json": op("rename_table", "new_name"),
    "index_name_comment_marker.json": op("add_index", "name"),
    "index_column_sql_injection.json": op("add_index", "columns"),
    "create_table_column_key_injection.json": op("create_table", "columns"),
    "table_name_trailing_newline.json": op("create_table", "table"),
    "column_key_trailing_newline.json": op("create_table", "columns"),
    "foreign_key_model_injection.json": op("add_column", "field"),
    "column_type_injection.json": op("add_column", "field"),
    "on_delete_injection.json": op("add_column", "field"),
    "reserved_table_name.json": op("create_table", "table"),
    "history_table_name.json": op("drop_table", "table"),
    "name_65_characters.json": op("create_table", "table"),
    "name_non_ascii_letters.json": op("create_table", "table"),
    "name_starts_with_a_digit.json": op("create_table", "table"),
    # file names: the name is the place
    "named/v1..0.json": [("'v1..0' is not a version",)],
    "named/v1.0.json": [("v1.0.json", "v1.0.0.json")],  # a second file for v1.0.0, the base
    "named/v1.0.0.0.json": [("v1.0.0.0.json", "v1.0.0.json")],
    "named/V1.1.0.json": [("'V1.1.0' is not a version",)],
    "named/v1.1.0.json.json": [("'v1.1.0.json' is not a version",)],
    "named/v1.1.0;touch pwned.json": [("'v1.1.0;touch pwned' is not a version",)],
    "named/v1.1.0'.json": [("'v1.1.0'' is not a version",)],
    "named/v1.2.3.4.5.6.7.8.9.10.11.json": [("is not a version",)],
    "named/v1234567890.json": [("'v1234567890' is not a version",)],
    "named/v1.-1.json": [("'v1.' is not a version",)],  # the version is what precedes the first - or __
    "named/v.json": [("'v' is not a version",)],
    "named/v1.1.0 .json": [("'v1.1.0 ' is not a version",)],
    "named/version1.1.json": [("'version1.1' is not a version",)],
    "named/..json": [("..json",)],
    "named/.v1.1.0.json": [(".v1.1.0.json",)],
    "named/v1.1.0rc1.json": [("'v1.1.0rc1' is not a version",)],  # v1.1.0-rc1 is v1.1.0, described
    "named/v0x10.json": [("'v0x10' is not a version",)],
    "sets/duplicate_v1.2_and_v1.2.0": [("v1.2.json", "v1.2.0.json")],
    "sets/duplicate_v1.1.0_and_v01.1.0": [("v1.1.0.json", "v01.1.0.json")],
}

# Run on PostgreSQL and MariaDB by default: one or two of each kind, and every kind that, if it got
# through validation, would reach the database (where the backends differ).
ON_SERVERS = {
    "json_trailing_comma.json", "json_nan.json", "bom_utf8.json", "empty.json", "nesting_100_levels.json",
    "object_without_operations.json", "operation_unknown_action.json", "third_operation_invalid.json",
    "field_import_os_system.json", "field_fstring.json", "table_name_sql_injection.json",
    "new_name_backtick_injection.json", "table_name_trailing_newline.json",
    "json_number_overflows_to_infinity.json", "named/v1.0.json", "sets/duplicate_v1.2_and_v1.2.0",
}


def corpus_items():
    items = [p.name for p in CORPUS.glob("*.json")]
    items += [f"named/{p.name}" for p in (CORPUS / "named").iterdir()]
    items += [f"sets/{p.name}" for p in (CORPUS / "sets").iterdir()]
    return sorted(items)


def pytest_generate_tests(metafunc):
    if "item" in metafunc.fixturenames:
        servers = ("postgres", "mysql")
        full = full_run(metafunc.config)
        pairs = [(item, "sqlite") for item in corpus_items()]
        pairs += [(item, backend) for backend in servers for item in corpus_items() if full or item in ON_SERVERS]
        metafunc.parametrize(["item", "backend"], pairs, ids=[f"{backend}-{item}" for item, backend in pairs])


def test_the_corpus_has_forty_files_and_a_place_for_each():
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert len(files) >= 40
    assert sorted(PLACES) == corpus_items()


# -- running the command line in this process -----------------------------------------------------

@pytest.fixture
def run_cli(cli):
    """`cli`, where an exception that escapes main() (the defect under test) is reported as a real process
    would show it: a traceback, exit 1."""
    return lambda *args: cli(*args, crash=lambda error: (1, traceback.format_exc()))


@pytest.fixture
def database(backend, tmp_path):
    """A fresh database of the backend the test is parametrised with (conftest's, by another name)."""
    db, drop = make_database(backend, tmp_path)
    yield db
    if drop:
        drop()


@pytest.fixture
def at_base(database, run_cli, tmp_path):
    """A database at v1.0.0 (a users table, one row), its specs folder, and a snapshot to compare."""
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "v1.0.0.json").write_text(json.dumps(BASE, indent=2))
    common = flags(database.url, folder)
    code, _, err = run_cli("migrate", *common)
    assert code == 0, err
    database.execute("INSERT INTO users (name) VALUES ('alice')")

    MARKER.unlink(missing_ok=True)

    class Base:
        pass

    base = Base()
    base.folder, base.common = folder, common
    base.snapshot = lambda: snapshot(database, everything=True)
    base.before = base.snapshot()
    return base


def place(item, folder):
    source = CORPUS / item
    if item.startswith("sets/"):
        for path in source.iterdir():
            shutil.copyfile(path, folder / path.name)
        return sorted(p.name for p in source.iterdir())
    name = source.name if item.startswith("named/") else "v1.1.0.json"
    shutil.copyfile(source, folder / name)
    return [name]


def assert_refused(item, names, code, out, err, places):
    message = err.strip()
    assert "Traceback" not in err, f"{item}: an exception escaped (exit {code}):\n{err}"
    assert code == 2, f"{item}: exit {code}, expected 2: {out}{err}"
    assert message.startswith("migrator: error: ") and "\n" not in message, f"{item}: {err}"
    assert any(name in message for name in names), f"{item}: the message does not name the file: {message}"
    assert any(all(part in message for part in alternative) for alternative in places), (
        f"{item}: the message does not say where ({' or '.join(' + '.join(a) for a in places)}): {message}")


def assert_untouched(base, tmp_path, item):
    assert not MARKER.exists(), f"{item}: code ran: {MARKER} exists"
    assert not (tmp_path / "pwned").exists(), f"{item}: code ran: {tmp_path / 'pwned'} exists"
    assert base.snapshot() == base.before, f"{item}: the database changed"


def test_a_hostile_spec_is_refused_with_exit_2_naming_file_and_place_and_changes_nothing(
        item, at_base, run_cli, tmp_path):
    names = place(item, at_base.folder)
    for command in ("migrate", "validate"):
        code, out, err = run_cli(command, *at_base.common)
        assert_untouched(at_base, tmp_path, item)  # first: the worst outcome is a changed database
        assert_refused(f"{item} ({command})", names, code, out, err, PLACES[item])


# -- hostile files made at test time ------------------------------------------------------------------

def huge(path):
    """About 30 MB of valid operations: over the 5 MB limit by far."""
    one = json.dumps({"action": "sql", "sql": "SELECT 1", "down": "SELECT 1"})
    with path.open("w") as f:
        f.write("[" + ",\n".join([one] * 600_000) + "]")


def deep(path):
    path.write_text("[" * 100_000 + "]" * 100_000)


def directory(path):
    path.mkdir()


def dangling_link(path):
    path.symlink_to(path.parent / "nowhere.json")


def link_loop(path):
    path.symlink_to(path)


def link_to_etc_passwd(path):
    path.symlink_to("/etc/passwd")


def link_to_dev_zero(path):
    path.symlink_to("/dev/zero")


def fifo(path):
    os.mkfifo(path)


MADE = {
    "huge_30_mb": (huge, [("larger than 5 MB",)]),
    "nesting_100000_levels": (deep, [("nested",)]),
    "a_directory": (directory, [("cannot read",)]),
    "dangling_symlink": (dangling_link, [("cannot read",)]),
    "symlink_loop": (link_loop, [("cannot read",)]),
    "symlink_to_etc_passwd": (link_to_etc_passwd, [("line 1, column 1",)]),
    # Reading either of these never ends: a run must refuse them, not hang or fill the memory.
    "symlink_to_dev_zero": (link_to_dev_zero, [("v1.1.0.json",)]),
    "a_fifo": (fifo, [("v1.1.0.json",)]),
}


def limited_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))  # a run needs a small part of this


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("kind", sorted(MADE))
def test_a_hostile_file_made_at_test_time_is_refused_and_changes_nothing(kind, at_base, tmp_path):
    make, places = MADE[kind]
    make(at_base.folder / "v1.1.0.json")
    # A real process with a time and memory limit: the failure to look for here is a hang.
    try:
        done = processes.run(tmp_path, "migrate", *at_base.common, timeout=8, preexec_fn=limited_memory)
    except subprocess.TimeoutExpired:  # a run that refuses a spec ends in well under a second
        pytest.fail(f"{kind}: migrate did not finish within 8 s reading v1.1.0.json")
    assert_untouched(at_base, tmp_path, kind)
    assert_refused(kind, ["v1.1.0.json"], done.returncode, done.stdout, done.stderr, places)


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("name", ["v1.1.0.json.bak", "v1.1.0.json~", "v1.1.0.txt", "README.md"])
def test_a_file_without_the_json_suffix_is_not_a_spec_and_is_never_read(name, at_base, run_cli, tmp_path):
    # README: the folder's `.json` names are the specs; anything else (a backup, an editor's copy) is ignored.
    shutil.copyfile(CORPUS / "field_import_os_system.json", at_base.folder / name)
    code, out, err = run_cli("migrate", *at_base.common)
    assert (code, err) == (0, ""), err
    assert "nothing to apply" in out
    assert_untouched(at_base, tmp_path, name)


# -- fuzzing: success or SpecError, nothing else --------------------------------------------------------

# Keys a spec may use, and keys that collide with Python names inside the loader, mixed with any text.
KEYS = sorted({"action", "table", "column", "column_name", "field", "columns", "old_name", "new_name", "name",
               "unique", "index_name", "cascade", "backup", "default", "sql", "down", "expression", "operations",
               "description", "$schema", "type", "null", "index", "primary_key", "max_length", "max_digits",
               "decimal_places", "model", "on_delete", "on_update", "column_type", "fill", "key", "reason",
               "cls", "self", "type_name", "value", "params", "__class__", "__init__"})
CHARACTERS = st.characters(exclude_categories=())  # surrogates too: JSON can carry them as \ud800 escapes
TEXT = st.text(CHARACTERS, max_size=20) | st.sampled_from(["users", "name", "id", "x" * 64, "evil\n", "a b", ""])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.sampled_from(list(ACTIONS) + list(TYPES))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(KEYS) | TEXT, inner, max_size=5), max_leaves=20)
OPERATION = st.builds(lambda action, rest: {"action": action, **rest}, st.sampled_from(list(ACTIONS)) | JSON,
                      st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6))
DOCUMENT = JSON | st.lists(OPERATION, max_size=4) | st.builds(
    lambda ops, extra: {"operations": ops, **extra}, st.lists(OPERATION, max_size=3),
    st.dictionaries(st.sampled_from(["description", "$schema", "hooks"]), JSON, max_size=2))
LITERAL = st.builds(repr, st.integers() | st.floats() | TEXT | st.booleans() | st.none())
# The keywords of a field call: Peewee's, and names that collide with the parser's own.
FIELD_KEYS = ["null", "index", "unique", "default", "primary_key", "max_length", "max_digits", "decimal_places",
              "model", "field", "on_delete", "on_update", "column_type", "type", "cls", "self", "type_name"]
KEYWORD = st.builds(lambda k, v: f"{k}={v}", st.sampled_from(FIELD_KEYS) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
                    LITERAL | TEXT)
FIELD_TEXT = st.one_of(
    st.text(CHARACTERS, max_size=60),
    st.builds(lambda name, args, keywords: f"{name}({', '.join(args + keywords)})", st.sampled_from(list(TYPES)) | TEXT,
              st.lists(LITERAL | TEXT, max_size=2), st.lists(KEYWORD, max_size=4)),
    # well formed but for the values: a known class and literal keywords, so parsing gets to the end
    st.builds(lambda name, keywords: f"{name}({', '.join(f'{k}={v}' for k, v in keywords.items())})",
              st.sampled_from(list(TYPES)), st.dictionaries(st.sampled_from(FIELD_KEYS), LITERAL, max_size=4)))
FIELD_OBJECT = st.builds(lambda t, rest: {"type": t, **rest}, st.sampled_from(list(TYPES)) | JSON,
                         st.dictionaries(st.sampled_from(FIELD_KEYS) | st.sampled_from(KEYS) | TEXT, JSON, max_size=4))


def examples(config):
    return 2000 if full_run(config) else 150


def fuzz_settings(budget):
    # No example database: nothing is written into the checkout; a failure prints its example to replay.
    return settings(max_examples=budget, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _load(data):
    """Write the bytes to a fresh spec file and load it: the spec or the SpecError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "v1.1.0.json"
        path.write_bytes(data)
        try:
            return load_spec(Version("v1.1.0"), path, "schema_migrations")
        except SpecError as error:
            assert str(path) in error.message  # a spec error always names its file
            return error


def _dump(document, ascii_only):
    text = json.dumps(document, ensure_ascii=ascii_only)
    return text.encode("utf-8", errors="surrogatepass")


@pytest.fixture
def budget(request):
    return examples(request.config)


def test_fuzz_any_json_document_either_loads_or_raises_spec_error(budget):
    @fuzz_settings(budget)
    @given(DOCUMENT, st.booleans())
    def check(document, ascii_only):
        _load(_dump(document, ascii_only))

    check()


def test_fuzz_any_bytes_either_load_or_raise_spec_error(budget):
    @fuzz_settings(budget)
    @given(st.binary(max_size=200) | st.builds(lambda d: _dump(d, False)[:-1], DOCUMENT))
    def check(data):
        _load(data)

    check()


def test_fuzz_any_field_text_either_parses_or_raises_spec_error(budget):
    @fuzz_settings(budget)
    @given(FIELD_TEXT)
    def check(text):
        MARKER.unlink(missing_ok=True)
        try:
            FieldSpec.parse(text)
        except SpecError:
            pass
        assert not MARKER.exists()

    check()


def test_fuzz_any_field_object_either_parses_or_raises_spec_error(budget):
    @fuzz_settings(budget)
    @given(FIELD_OBJECT | JSON)
    def check(value):
        try:
            FieldSpec.parse(value)
        except SpecError:
            pass

    check()
