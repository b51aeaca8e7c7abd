"""Spec files without a database: field text, versions, checksums, the JSON Schema; and invalid
spec files through the CLI, which must leave a real SQLite database byte-identical."""
import json
from pathlib import Path

import pytest

from conftest import REPO, flags
from migrator.errors import SpecError
from migrator.fields import FieldSpec
from migrator.spec import find_specs, load_spec
from migrator.versions import Version


# -- field descriptions -------------------------------------------------------------------

@pytest.mark.parametrize("text, type_name, params", [
    ("IntegerField()", "IntegerField", {}),
    ("CharField(max_length=120, null=True, default='draft')", "CharField",
     {"max_length": 120, "null": True, "default": "draft"}),
    ("CharField(120)", "CharField", {"max_length": 120}),
    ("ForeignKeyField('users', on_delete='CASCADE')", "ForeignKeyField", {"model": "users", "on_delete": "CASCADE"}),
    ("ForeignKeyField('users', on_delete='cascade')", "ForeignKeyField", {"model": "users", "on_delete": "CASCADE"}),
    ("DecimalField(max_digits=12, decimal_places=2, default=-1.5)", "DecimalField",
     {"max_digits": 12, "decimal_places": 2, "default": -1.5}),
    ("  BooleanField(default=False)  ", "BooleanField", {"default": False}),
])
def test_field_text_parses_to_type_and_literal_parameters(text, type_name, params):
    field = FieldSpec.parse(text)
    assert field.type == type_name
    assert dict(field.params) == params


def test_field_object_form_describes_the_same_field_as_the_text():
    obj = FieldSpec.parse({"type": "CharField", "max_length": 120, "null": True})
    assert (obj.type, dict(obj.params)) == ("CharField", {"max_length": 120, "null": True})
    assert obj == FieldSpec.parse("CharField(max_length=120, null=True)")


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch {marker}')",
    "IntegerField(default=__import__('os').system('touch {marker}'))",
    "peewee.IntegerField()",  # attribute access as the callee
    "IntegerField(default=os.sep)",  # attribute access in an argument
    "IntegerField(default=().__class__)",
    "lambda: IntegerField()",
    "IntegerField(default=lambda: 1)",
    "IntegerField",  # a bare name, not a call
    "IntegerField(default=x)",  # a bare name as an argument
    "IntegerField(frobnicate=True)",  # an unknown keyword
    "CharField(max_length=int('5'))",  # a call inside an argument
    "IntegerField(default=len('abc'))",
    "IntegerField(**{'null': True})",
    "IntegerField(default=[1])",
    "IntegerField(default=1 + 1)",
    "open('{marker}', 'w')",  # not a known field class
    "IntegerField(); __import__('os')",
    "",
])
def test_field_text_with_code_is_refused_and_never_run(text, tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(SpecError) as caught:
        FieldSpec.parse(text.replace("{marker}", str(marker)))
    assert caught.value.details["param"] == "field"
    assert not marker.exists()


@pytest.mark.parametrize("value", [
    {"type": "IntegerField", "default": {"__class__": 1}},
    {"type": "CharField", "max_length": "120"},
    {"type": "CharField", "frobnicate": True},
    {"type": "os.system"},
    {"max_length": 1},
    42,
])
def test_field_object_with_unknown_or_mistyped_parts_is_refused(value):
    with pytest.raises(SpecError):
        FieldSpec.parse(value)


# -- versions -----------------------------------------------------------------------------

def test_versions_order_by_number_not_by_text():
    assert Version("v1.10.0") > Version("v1.9.0")
    assert Version("v2.0.0") > Version("v1.99.99")
    assert sorted(Version(v) for v in ["v1.10.0", "v1.2.0", "v1.9.0", "v1.0.1"]) == [
        Version("v1.0.1"), Version("v1.2.0"), Version("v1.9.0"), Version("v1.10.0")]


def test_a_version_with_fewer_parts_equals_the_same_version_with_zeros():
    assert Version("v1.2") == Version("v1.2.0")
    assert hash(Version("v1.2")) == hash(Version("v1.2.0"))
    assert Version("v1") == Version("v1.0.0")
    assert Version("v1.2") != Version("v1.2.1")


@pytest.mark.parametrize("name", ["1.2.0", "v1..2", "v1.2.0-rc1", "v", "V1.2", "v1.2.", "va.b"])
def test_a_name_that_is_not_a_version_is_refused(name):
    with pytest.raises(SpecError):
        Version(name)


def test_spec_files_are_found_in_version_order(tmp_path):
    for name in ("v1.10.0", "v1.9.0", "v1.0.0", "v1.2"):
        (tmp_path / f"{name}.json").write_text("[]")
    assert [p.name for p in find_specs(tmp_path).values()] == [
        "v1.0.0.json", "v1.2.json", "v1.9.0.json", "v1.10.0.json"]


def test_two_files_for_one_version_are_an_error_naming_both(tmp_path):
    (tmp_path / "v1.2.json").write_text("[]")
    (tmp_path / "v1.2.0.json").write_text("[]")
    with pytest.raises(SpecError) as caught:
        find_specs(tmp_path)
    assert "v1.2.json" in str(caught.value) and "v1.2.0.json" in str(caught.value)


# -- checksums ----------------------------------------------------------------------------

BODY = {"description": "Add age", "operations": [
    {"action": "add_column", "table": "users", "column": "age", "field": "IntegerField(null=True)"},
    {"action": "add_index", "table": "users", "columns": ["age"]},
]}


def test_checksum_ignores_formatting_and_key_order(tmp_path):
    compact = tmp_path / "a" / "v1.1.0.json"
    pretty = tmp_path / "b" / "v1.1.0.json"
    for path in (compact, pretty):
        path.parent.mkdir()
    compact.write_text(json.dumps(BODY, separators=(",", ":")))
    reordered = {"operations": [dict(reversed(list(op.items()))) for op in BODY["operations"]],
                 "description": BODY["description"]}
    pretty.write_text("\n\n" + json.dumps(reordered, indent=4) + "\n  \n")
    assert compact.read_bytes() != pretty.read_bytes()
    assert load_spec(Version("v1.1.0"), compact).checksum == load_spec(Version("v1.1.0"), pretty).checksum


def test_checksum_changes_when_the_content_changes(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(BODY))
    changed = json.loads(json.dumps(BODY))
    changed["operations"][0]["field"] = "IntegerField(null=True, default=0)"
    second.write_text(json.dumps(changed))
    assert load_spec(Version("v1.1.0"), first).checksum != load_spec(Version("v1.1.0"), second).checksum


# -- the JSON Schema ------------------------------------------------------------------------

SHIPPED = sorted((REPO / "specs").glob("v*.json"))


def schema_validator():
    import jsonschema

    schema = json.loads((REPO / "migrator" / "spec.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_spec_validates_against_the_json_schema(path):
    errors = list(schema_validator().iter_errors(json.loads(path.read_text())))
    assert errors == []


def test_the_json_schema_rejects_an_unknown_action():
    assert not schema_validator().is_valid([{"action": "add_collumn", "table": "users"}])


def test_every_parameter_of_every_action_validates_without_an_unresolved_reference(tmp_path):
    # Found by a new user: "after" (a $ref with a description) reached the validator unresolved: a traceback.
    from migrator.operations import ACTIONS
    from migrator.spec import _action_validator

    for action in ACTIONS:
        assert "$ref" not in json.dumps(_action_validator(action).schema), action
    path = tmp_path / "v1.1.0.json"
    path.write_text(json.dumps([{"action": "add_column", "table": "users", "column_name": "nick",
                                 "field": "CharField(max_length=20, null=True)", "after": "email"},
                                {"action": "add_column", "table": "users", "column_name": "bad",
                                 "field": "IntegerField(null=True)", "after": "no such; name"}]))
    with pytest.raises(SpecError, match=r"operation 1 \(add_column\), parameter 'after'"):
        load_spec(Version("v1.1.0"), path)


# -- invalid spec files through the CLI, on a real SQLite file ------------------------------

V1 = [{"action": "create_table", "table": "users", "columns": {
    "email": "CharField(max_length=255, unique=True)", "name": "CharField(max_length=80, null=True)"}}]
FIRST = {"action": "add_column", "table": "users", "column": "nickname", "field": "CharField(max_length=40, null=True)"}

INVALID = [
    # (file name, content, what stderr must name besides the file)
    pytest.param("v1.1.0.json", '[{"action": "add_column", "table": "users",', ["invalid JSON"], id="bad-json"),
    pytest.param("v1.1.0.json", [FIRST, {"action": "add_collumn", "table": "users", "column": "age"}],
                 ["operation 1", "parameter 'action'", "add_collumn"], id="unknown-action"),
    pytest.param("v1.1.0.json", [FIRST, {"action": "add_column", "table": "users", "column": "age"}],
                 ["operation 1 (add_column)", "parameter 'field'"], id="missing-parameter"),
    pytest.param("v1.1.0.json", [FIRST, {"action": "add_index", "table": "users", "columns": ["name"],
                                         "unique": "yes"}],
                 ["operation 1 (add_index)", "parameter 'unique'"], id="wrong-type"),
    pytest.param("v1.1.0.json", [FIRST, {"action": "add_index", "table": "users", "columns": "name"}],
                 ["operation 1 (add_index)", "parameter 'columns'"], id="wrong-type-string-for-list"),
    pytest.param("v1.1.0.json", [FIRST, {"action": "add_column", "table": "users", "column": "age",
                                         "field": "__import__('os').system('touch {marker}')"}],
                 ["operation 1 (add_column)", "parameter 'field'"], id="field-text-with-code"),
    pytest.param("v1..1.json", [FIRST], ["v1..1"], id="name-with-dot-dot"),
    pytest.param("latest.json", [FIRST], ["latest"], id="name-not-a-version"),
]


@pytest.mark.parametrize("file_name, content, named", INVALID)
def test_invalid_spec_file_exits_2_names_the_place_and_leaves_the_database_byte_identical(
        sqlite_database, specs, cli, tmp_path, file_name, content, named):
    common = flags(sqlite_database.url, specs.folder)
    specs("v1.0.0", V1)
    code, _, err = cli("migrate", *common)
    assert code == 0, err
    sqlite_database.execute("INSERT INTO users (email, name) VALUES ('ann@example.com', 'Ann')")
    db_file = Path(sqlite_database.name)
    before = db_file.read_bytes()

    marker = tmp_path / "ran"
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    (specs.folder / file_name).write_text(text.replace("{marker}", str(marker)))
    code, out, err = cli("migrate", *common)

    assert code == 2, (out, err)
    assert file_name in err
    for part in named:
        assert part in err
    assert db_file.read_bytes() == before
    assert not marker.exists()
    assert sqlite_database.history() == [("v1.0.0", "applied")]
