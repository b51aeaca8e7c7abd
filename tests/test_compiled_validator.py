"""The compiled validator (fastjsonschema, for speed) accepts exactly what the JSON Schema validator (jsonschema,
which names the error) accepts: on every operation the README shows, the hostile corpus, and mutations of them. It
ships compiled (migrator/checks), from the schema file as it is."""
import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from migrator import spec
from migrator.operations import ACTIONS

ROOT = Path(__file__).resolve().parent.parent


def _operations(value):
    if isinstance(value, dict):
        if isinstance(value.get("action"), str):
            yield value
        for item in value.values():
            yield from _operations(item)
    elif isinstance(value, list):
        for item in value:
            yield from _operations(item)


def _json_files():
    for block in re.findall(r"```json\n(.*?)```", (ROOT / "README.md").read_text(), re.S):
        try:
            yield json.loads(block)
        except ValueError:
            pass  # a README block with an ellipsis
    for folder in (ROOT / "tests" / "hostile", ROOT / "specs"):
        for path in sorted(folder.glob("*.json")):
            try:
                yield json.loads(path.read_text(encoding="utf-8", errors="replace"))
            except ValueError:
                pass  # a file that is not JSON at all: refused before validation


CORPUS = [op for body in _json_files() for op in _operations(body) if op["action"] in ACTIONS]


def _agree(item):
    compiled = True
    try:
        spec._action_check(item["action"])(item)
    except spec._invalid():
        compiled = False
    full = jsonschema.Draft202012Validator(spec._action_schema(item["action"])).is_valid(item)
    assert compiled == full, f"compiled validator says {compiled}, jsonschema says {full}: {item}"


def test_the_shipped_checks_are_compiled_from_this_schema_file():
    from migrator import checks

    folder = Path(checks.__file__).parent
    written = spec.check_files()
    assert checks.SCHEMA_SHA256 == hashlib.sha256(spec.schema_path().read_bytes()).hexdigest(), \
        "the schema changed: run python tools/write_spec_checks.py"
    assert {path.name for path in folder.glob("*.py")} == set(written)
    for name, text in written.items():
        shipped = (folder / name).read_text()
        if shipped.split("\n", 1)[0] == text.split("\n", 1)[0]:  # (VERSION = "...": the compiler's release)
            assert shipped == text, name


def test_the_corpus_covers_every_action():
    assert {op["action"] for op in CORPUS} == set(ACTIONS)


@pytest.mark.parametrize("item", CORPUS, ids=lambda op: op["action"])
def test_agree_on_the_corpus(item):
    _agree(item)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "a", "t1", "Name", "1bad", "x" * 65, "ON DELETE", "CASCADE", "IntegerField()",
                       "CharField(max_length=20)", "id", "btree", "gin", "lower(name)", "SET NULL"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["column", "name", "type", "expression", "field", "columns", "where", "x"]), inner, max_size=3),
    max_leaves=6)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_agree_on_mutations(data):
    item = dict(data.draw(st.sampled_from(CORPUS)))
    for _ in range(data.draw(st.integers(1, 3))):
        keys = sorted(k for k in item if k != "action")
        change = data.draw(st.sampled_from(["drop", "replace", "add"] if keys else ["add"]))
        if change == "drop":
            del item[data.draw(st.sampled_from(keys))]
        elif change == "replace":
            key = data.draw(st.sampled_from(keys))
            old = item[key]
            if isinstance(old, list) and old and data.draw(st.booleans()):
                index = data.draw(st.integers(0, len(old) - 1))
                item[key] = old[:index] + [data.draw(JSON)] + old[index + 1:]
            elif isinstance(old, dict) and old and data.draw(st.booleans()):
                inner = data.draw(st.sampled_from(sorted(old)))
                item[key] = {**old, inner: data.draw(JSON)}
            else:
                item[key] = data.draw(JSON)
        else:
            keys = {k for op in CORPUS for k in op} - {"action"} | {"colum", "unknown"}
            key = data.draw(st.sampled_from(sorted(keys)))
            item[key] = data.draw(JSON)
    _agree(item)
