"""Spec file names and the schema's copy for editors, through the `migrator` command: a name may describe its
version (v1.2.0__add_tags.json, v1.2.0-add-tags.json, the version being what precedes the first __ or -), the
history records the version, not the file; `new` on a fresh project makes the folder and a `"$schema"` that
resolves beside the file, to the copy `migrator schema-file` writes; that copy is never taken for a spec."""
import json
import shutil

import jsonschema
import pytest

from conftest import column_order, ok, sqlite_only
from migrator.spec import schema_path

ITEMS = {"description": "Items", "operations": [
    {"action": "create_table", "table": "items", "columns": {"name": "CharField(max_length=50, null=True)"}}]}
ADD_NOTE = {"description": "Notes", "operations": [
    {"action": "add_column", "table": "items", "column_name": "note", "field": "TextField(null=True)"}]}
NAMING = "spec files are named like v1.2.0.json or v1.2.0__add_tags.json"


def states(cli, common):
    status = json.loads(ok(cli, "status", "--json", *common))
    return {v["version"]: v["state"] for v in status["versions"]}, status["current"]


def package_schema():
    return schema_path().read_bytes()


# -- names that describe their version -------------------------------------------------------------

@pytest.mark.parametrize("name, version", [
    ("v1.1.0__add_note", "v1.1.0"),
    ("v1.1.0-add-note", "v1.1.0"),
    ("v1.1__add_note", "v1.1"),
    ("v1.1.0-add__note", "v1.1.0"),  # the first separator ends the version
    ("v1.1.0__add-note", "v1.1.0"),
    ("v1.1.0-rc1", "v1.1.0"),
    ("v1.1.0__note_2.0", "v1.1.0"),
    ("v1.1.0__notiz_für_artikel", "v1.1.0"),
])
@sqlite_only
def test_a_described_name_is_its_version(database, cli, common, specs, name, version):
    specs("v1.0.0", ITEMS)
    specs(name, ADD_NOTE)
    plan = json.loads(ok(cli, "plan", "--json", *common))
    assert [v["version"] for v in plan["versions"]] == ["v1.0.0", version]
    out = ok(cli, "migrate", version, *common)  # the version names the target, not the file name
    assert f"applied {version} in" in out
    assert database.history() == [("v1.0.0", "applied"), (version, "applied")]
    assert column_order(database, "items") == ["id", "name", "note"]
    assert states(cli, common) == ({"v1.0.0": "applied", version: "applied"}, version)
    assert f"{version:<12} applied" in ok(cli, "status", *common)


@pytest.mark.parametrize("name, says", [
    ("v1.1.0_add_note", "'v1.1.0_add_note' is not a version"),  # one underscore is no separator
    ("v1.1.0 add note", "'v1.1.0 add note' is not a version"),
    ("v1.1.0.add_note", "'v1.1.0.add_note' is not a version"),
    ("V1.1.0__add_note", "'V1.1.0' is not a version"),
    ("add_note__v1.1.0", "'add_note' is not a version"),
    ("1.1.0__add_note", "'1.1.0' is not a version"),
    ("v__add_note", "'v' is not a version"),
    ("v1.1.0__", "nothing follows v1.1.0__"),
    ("v1.1.0-", "nothing follows v1.1.0-"),
    ("v1.1.0__add note", "the description 'add note' after v1.1.0__ may hold only letters, digits, _, - and ."),
    ("v1.1.0-add;touch pwned", "the description 'add;touch pwned' after v1.1.0-"),
    ("schema", "'schema' is not a version"),
    ("spec.schema.json", "'spec.schema.json' is not a version"),  # spec.schema.json.json: only the copy is let be
])
@sqlite_only
def test_a_name_that_does_not_start_with_a_version_exits_2_naming_the_file(database, cli, common, specs, name, says):
    specs("v1.0.0", ITEMS)
    ok(cli, "migrate", *common)
    specs(name, ADD_NOTE)
    for command in ("migrate", "status", "validate", "plan"):
        code, out, err = cli(command, *common)
        assert code == 2, f"{command}: {out}{err}"
        assert err.startswith(f"migrator: error: {specs.folder / name}.json: {says}"), err
        assert err.rstrip().endswith(NAMING), err
    assert database.history() == [("v1.0.0", "applied")]
    assert column_order(database, "items") == ["id", "name"]


@pytest.mark.parametrize("first, second", [
    ("v1.1.0", "v1.1.0__add_note"),
    ("v1.1.0-add-note", "v1.1__notes"),
    ("v1.1.0-a", "v1.1.0-b"),
    ("v1.1.0__a", "v1.1.0-a"),
])
@sqlite_only
def test_two_files_for_one_version_exit_2_naming_both(database, cli, common, specs, first, second):
    specs("v1.0.0", ITEMS)
    specs(first, ADD_NOTE)
    specs(second, ADD_NOTE)
    for command in ("migrate", "status", "new"):
        code, out, err = cli(command, *common)
        assert code == 2, f"{command}: {out}{err}"
        assert "is also defined by" in err
        assert f"{first}.json" in err and f"{second}.json" in err, err
    assert database.history() == []
    assert sorted(p.name for p in specs.folder.iterdir()) == sorted(["v1.0.0.json", f"{first}.json",
                                                                     f"{second}.json"])


def test_migrate_and_status_with_described_names_and_a_file_renamed_after_it_was_applied(
        database, cli, common, specs):
    specs("v1.0.0__create_items", ITEMS)
    specs("v1.1.0-add-note", ADD_NOTE)
    ok(cli, "schema-file", *common)
    out = ok(cli, "migrate", *common)
    assert "applied v1.0.0 in" in out and "applied v1.1.0 in" in out
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]  # versions, not file names
    assert column_order(database, "items") == ["id", "name", "note"]
    assert states(cli, common) == ({"v1.0.0": "applied", "v1.1.0": "applied"}, "v1.1.0")

    # A description added to (or taken from) an applied file's name changes nothing: the version is the same.
    (specs.folder / "v1.0.0__create_items.json").rename(specs.folder / "v1.0.0.json")
    (specs.folder / "v1.1.0-add-note.json").rename(specs.folder / "v1.1.0__add_a_note_column.json")
    assert states(cli, common) == ({"v1.0.0": "applied", "v1.1.0": "applied"}, "v1.1.0")
    assert "nothing to apply" in ok(cli, "migrate", *common)
    ok(cli, "validate", *common)
    ok(cli, "rollback", *common)
    assert database.history() == [("v1.0.0", "applied")]
    assert column_order(database, "items") == ["id", "name"]
    ok(cli, "migrate", *common)
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]


@sqlite_only
def test_renaming_v1_2_0_json_to_a_described_name_after_migrate_keeps_it_applied(database, cli, common, specs):
    specs("v1.0.0", ITEMS)
    specs("v1.2.0", ADD_NOTE)
    ok(cli, "migrate", *common)
    (specs.folder / "v1.2.0.json").rename(specs.folder / "v1.2.0__add_tags.json")
    assert states(cli, common) == ({"v1.0.0": "applied", "v1.2.0": "applied"}, "v1.2.0")
    assert "v1.2.0       applied" in ok(cli, "status", *common)
    assert database.history() == [("v1.0.0", "applied"), ("v1.2.0", "applied")]


def test_new_counts_described_names_and_refuses_a_version_one_of_them_has(cli, specs):
    specs("v1.0.0__items", ITEMS)
    specs("v1.4-notes", ADD_NOTE)
    ok(cli, "new", "--specs-dir", specs.folder)
    assert (specs.folder / "v1.5.0.json").is_file()
    code, out, err = cli("new", "v1.4.0", "--specs-dir", specs.folder)
    assert code == 2
    assert f"{specs.folder / 'v1.4-notes.json'}: v1.4.0 already exists" in err


# -- new on a fresh project, and the schema's copy -------------------------------------------------

def test_new_on_a_fresh_project_makes_the_folder_and_a_schema_reference_that_resolves(cli, tmp_path):
    assert not (tmp_path / "specs").exists()
    out = ok(cli, "new", "-m", "First tables")  # the default specs folder, in the current directory
    assert out.strip() == "wrote specs/v1.0.0.json"
    folder = tmp_path / "specs"
    assert sorted(p.name for p in folder.iterdir()) == ["spec.schema.json", "v1.0.0.json"]
    body = json.loads((folder / "v1.0.0.json").read_text(encoding="utf-8"))
    assert body == {"$schema": "spec.schema.json", "description": "First tables", "operations": []}

    # Moved anywhere, the project's reference still resolves, against the spec file, to the package's schema.
    moved = tmp_path / "elsewhere" / "project"
    shutil.move(str(folder), str(moved / "specs"))
    target = moved / "specs" / body["$schema"]
    assert target.is_file() and target.read_bytes() == package_schema()
    jsonschema.Draft202012Validator(json.loads(target.read_text(encoding="utf-8"))).validate(body)


@sqlite_only
def test_the_schema_copy_is_not_a_spec_the_folder_migrates_and_status_lists_no_extra_version(
        database, cli, common, specs):
    ok(cli, "new", "-m", "Items", *common)
    body = json.loads((specs.folder / "v1.0.0.json").read_text(encoding="utf-8"))
    (specs.folder / "v1.0.0.json").write_text(json.dumps({**body, "operations": ITEMS["operations"]}, indent=2))
    assert "1 spec file is valid" in ok(cli, "validate", *common)
    ok(cli, "migrate", *common)
    assert database.history() == [("v1.0.0", "applied")]
    assert column_order(database, "items") == ["id", "name"]
    assert states(cli, common) == ({"v1.0.0": "applied"}, "v1.0.0")
    plan = json.loads(ok(cli, "plan", "--json", *common))
    assert plan["versions"] == []
    assert (specs.folder / "spec.schema.json").read_bytes() == package_schema()


def test_schema_file_writes_the_copy_and_refreshes_an_old_one(cli, specs):
    copy = specs.folder / "spec.schema.json"
    out = ok(cli, "schema-file", "--specs-dir", specs.folder)
    assert out.strip() == f"wrote {copy}"
    assert copy.read_bytes() == package_schema()
    copy.write_text('{"title": "an older schema"}')
    document = json.loads(ok(cli, "schema-file", "--json", "--specs-dir", specs.folder))
    assert document == {"path": str(copy)}
    assert copy.read_bytes() == package_schema()
    assert [p.name for p in specs.folder.iterdir()] == ["spec.schema.json"]


def test_schema_file_on_a_fresh_project_makes_the_folder(cli, tmp_path):
    assert ok(cli, "schema-file").strip() == "wrote specs/spec.schema.json"
    assert (tmp_path / "specs" / "spec.schema.json").read_bytes() == package_schema()


def test_new_keeps_an_existing_copy_and_schema_file_refreshes_it(cli, specs):
    copy = specs.folder / "spec.schema.json"
    copy.write_text('{"title": "an older schema"}')
    ok(cli, "new", "--specs-dir", specs.folder)
    assert copy.read_text() == '{"title": "an older schema"}'  # new writes the copy only when it is missing
    ok(cli, "schema-file", "--specs-dir", specs.folder)
    assert copy.read_bytes() == package_schema()
