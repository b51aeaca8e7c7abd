"""Spec files: find them, read them strictly, validate them with the JSON Schema, build operations."""
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .errors import SpecError
from .versions import Version, version_of_file

MAX_SPEC_BYTES = 5 * 1024 * 1024
MAX_NESTING = 64
RESERVED_PREFIX = "_migrator_"
SCHEMA_COPY = "spec.schema.json"  # the JSON Schema, copied into a specs folder for editors; not a spec


@dataclass(frozen=True)
class SpecFile:
    """A versioned spec file, read."""
    version: Version
    path: Path
    description: str
    checksum: str
    operations: tuple
    legacy_checksum: str | None = None  # as releases before 0.2 took it, when it differs
    allow_empty: bool = False  # a deliberate marker version, with no operations
    code_not_found: tuple = ()  # the modules its python operations name that are not found
    code_modules: tuple = ()  # the modules its python operations name: their source counts in its checksum
    source: list | None = field(default=None, compare=False, repr=False)  # as read, until built into operations
    file_key: list | None = field(default=None, compare=False, repr=False)  # cache.file_key of the file as read

    def matches(self, recorded):
        """Whether a checksum recorded in the history is this file's."""
        return recorded in (self.checksum, self.legacy_checksum)


def schema_path():
    from importlib import resources  # a tenth of the start-up of a command that reads no schema

    return resources.files("migrator") / "spec.schema.json"


def write_schema_copy(specs_dir):
    """Copy the JSON Schema into the specs folder, where a spec's `"$schema": "spec.schema.json"` finds it."""
    path = Path(specs_dir) / SCHEMA_COPY
    path.write_bytes(schema_path().read_bytes())
    return path


@lru_cache(maxsize=1)
def _definitions():
    return json.loads(schema_path().read_text(encoding="utf-8"))["$defs"]


@lru_cache(maxsize=None)
def _action_validator(action):
    """The validator of one action's parameters, which names every error: checking an operation against its own
    action only."""
    import jsonschema

    return jsonschema.Draft202012Validator(_action_schema(action))


@lru_cache(maxsize=None)
def _action_check(action):
    """The same schema compiled to Python: a tenth of the time per operation and of the import. It only tells
    valid from invalid; an operation it refuses is checked again by _action_validator, which names the error.
    (The schema's keywords mean the same in draft 7, which the compiler implements, as in 2020-12.) Each action's
    comes compiled in the checks package, made from the schema file by check_files(): compiling it here took
    10 ms an action."""
    from importlib import import_module

    return import_module(f"{__package__}.checks.{action}").validate


def check_files():
    """{file name: text} of the checks package (written by tools/write_spec_checks.py): a module per action, its
    check as fastjsonschema compiles it from the schema, and the schema file's SHA-256 in __init__.py. (The
    checks raise fastjsonschema's exceptions, JsonSchemaValuesException among them: fastjsonschema >= 2.22.)"""
    import fastjsonschema

    from .operations import ACTIONS

    digest = hashlib.sha256(schema_path().read_bytes()).hexdigest()
    files = {"__init__.py": '"""Each action\'s check, compiled from spec.schema.json by fastjsonschema: GENERATED '
                            'by\ntools/write_spec_checks.py from the schema file whose SHA-256 is SCHEMA_SHA256; '
                            f'do not edit."""\nSCHEMA_SHA256 = "{digest}"\n'}
    for action in ACTIONS:
        files[f"{action}.py"] = fastjsonschema.compile_to_code(_action_schema(action), use_default=False)
    return files


def _action_schema(action):
    return _inline(_definitions()[action], _definitions())


def _inline(node, definitions):
    """The schema with each local $ref replaced by its target: resolving refs per check costs half the time."""
    if isinstance(node, dict):
        if "$ref" in node:  # the target, with what the node adds (a description)
            target = _inline(definitions[node["$ref"].removeprefix("#/$defs/")], definitions)
            return {**target, **{key: value for key, value in node.items() if key != "$ref"}}
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, definitions) for value in node]
    return node


def require_folder(specs_dir):
    """The specs folder, which must exist (also for commands that read no spec file: a mistyped path)."""
    folder = Path(specs_dir)
    if not folder.is_dir():
        raise SpecError(f"specs folder '{folder}' does not exist (set --specs-dir or MIGRATOR_SPECS_DIR)")
    return folder


def find_specs(specs_dir):
    """Every versioned spec file in the folder, by version; a .json name that gives no version (the schema's copy
    and repeatable specs aside) or a second file for a version is an error."""
    from .repeatable import is_repeatable

    folder = require_folder(specs_dir)
    found, listed = {}, {path.name: path for path in folder.iterdir()}  # (iterdir's paths are made without parsing)
    shouting = sorted(name for name in listed if name.lower().endswith(".json") and not name.endswith(".json"))
    if shouting:  # not read, and so never applied, without a word: a version that silently does not exist
        raise SpecError("spec files end in .json, in lower case", file=folder / shouting[0])
    names = sorted(name for name in listed if name.endswith(".json") and name != SCHEMA_COPY
                   and not is_repeatable(name))  # r__name.json: a repeatable spec (migrator/repeatable.py)
    for path in [listed[name] for name in names]:
        try:
            version = version_of_file(path.stem)
        except SpecError as error:
            raise SpecError(f"{error.reason}; spec files are named like v1.2.0.json or v1.2.0__add_tags.json",
                            file=path) from None
        if version in found:
            raise SpecError(f"version {version} is also defined by {found[version].name}", file=path)
        found[version] = path
    return dict(sorted(found.items(), key=lambda item: item[0].key))


def load_spec(version, path, history_table=None, build=True):
    """The spec file, validated; with `build` False only its description and checksum (for status), and its
    operations as read, which `built` makes operations of later without reading the file again."""
    from .code import source_file, with_code

    body, digest, key = _read_json(path)
    operations, description, allow_empty = _split_body(body, path)
    legacy = legacy_checksum(body) if _columns_in_order(body) is not body else None  # differs only then
    modules = _code_modules(operations)
    if modules:  # no release before code was covered wrote its checksum: no legacy one
        digest, legacy = with_code(digest, modules), None
    not_found = tuple(name for name in modules if source_file(name) is None)
    read = SpecFile(version, path, description, digest, None, legacy, allow_empty, not_found, modules, operations, key)
    return built(read, history_table) if build else read


def built(spec, history_table=None):
    """The spec with its operations validated and built, from what was read of the file."""
    if spec.operations is not None:
        return spec
    if spec.source is None:  # known from the cache: read now
        return load_spec(spec.version, spec.path, history_table)
    from .operations import ACTIONS, from_dict

    operations = []
    for index, item in enumerate(spec.source):
        action = item.get("action") if isinstance(item, dict) and isinstance(item.get("action"), str) else None
        try:
            _validate_operation(item)
            operation = from_dict(item)
            operation.check()
            _check_names(operation, history_table)
        except SpecError as error:
            raise error.at(file=spec.path, index=index, action=action if action in ACTIONS else None) from None
        operations.append(operation)
    return replace(spec, operations=tuple(operations), source=None)


def _code_modules(operations):
    """The modules the python operations name (each once, in order), read from the file's JSON as it is."""
    from .code import module_of

    paths = [item.get(key) for item in operations if isinstance(item, dict) and item.get("action") == "python"
             for key in ("up", "down")]
    return tuple(dict.fromkeys(module_of(p) for p in paths if isinstance(p, str) and p))


def check_where_run(specs, dialect):
    """The checks that need to know where the versions run, before anything runs: each sql operation has
    statements for `dialect`'s backend (a Dialect class), each python operation's functions import."""
    for spec in specs:
        for index, operation in enumerate(spec.operations):
            try:
                _refuse_names_cut_short(operation, dialect)
                operation.check_here(dialect)
            except SpecError as error:
                raise error.at(file=spec.path, index=index, action=operation.action) from None


def _refuse_names_cut_short(operation, dialect):
    """A name longer than the backend keeps (PostgreSQL: 63 characters) would be cut short by the server, and then
    not found by that name: refused before anything runs."""
    limit = dialect.longest_name
    long = limit and next(((param, name) for param, name in _names(operation.to_dict()) if len(name) > limit), None)
    if long:
        param, name = long
        raise SpecError(f"{dialect.label} keeps {limit} characters of a name, and '{name}' has {len(name)}: "
                        f"there it is '{name[:limit]}'. Use a name of {limit} characters at most", param=param)


def _names(item):
    """(parameter, name) of each table, column, index and constraint name an operation gives."""
    for param in ("table", "old_name", "new_name", "name", "index_name", "ref_table", "column", "column_name"):
        if isinstance(item.get(param), str):
            yield param, item[param]
    for param in ("columns", "ref_columns", "primary_key"):
        value = item.get(param)
        names = value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
        for name in names:
            name = name.get("column") if isinstance(name, dict) else name
            if isinstance(name, str):
                yield param, name


def refuse_empty(specs):
    """A version with no operations is refused, unless its file marks it as deliberately empty."""
    for spec in specs:
        if not spec.operations and not spec.allow_empty:
            raise SpecError(f"{spec.version} has no operations: add operations to it, or delete the file (a "
                            'deliberate marker version says "allow_empty": true)', file=spec.path)


def load_all(specs_dir, history_table=None, build=True, cache=None):
    """Every spec file, in version order; without `build`, a file the cache (cache.Cache) knows as it is now is
    not read."""
    found = find_specs(specs_dir)
    if build or cache is None:
        return [load_spec(version, path, history_table, build) for version, path in found.items()]
    return [_cached(version, path, cache) or load_spec(version, path, history_table, False)
            for version, path in found.items()]


def _cached(version, path, cache):
    from .cache import file_key

    try:
        known = cache.spec(path.name, file_key(os.stat(path)))
    except OSError:
        return None  # read it: the error is the reader's to give
    if known is None:
        return None
    digest, legacy, description, allow_empty = known
    return SpecFile(version, path, description, digest, None, legacy, allow_empty)


def checksum(body):
    """SHA-256 of the canonical JSON (keys sorted, no whitespace), so that reformatting a file is not a change;
    the columns of a create_table keep their order, which is the table's."""
    return legacy_checksum(_columns_in_order(body))


def legacy_checksum(body):
    """The checksum as releases before 0.2 took it: every key sorted, the columns of a create_table too."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _columns_in_order(body):
    """The body with each create_table's columns as a list of [name, field] pairs, which sorting keeps in order."""
    operations = body if isinstance(body, list) else body.get("operations") if isinstance(body, dict) else None
    if not isinstance(operations, list) or not any(_is_create_table(item) for item in operations):
        return body
    ordered = [{**item, "columns": [[name, field] for name, field in item["columns"].items()]}
               if _is_create_table(item) else item for item in operations]
    return ordered if isinstance(body, list) else {**body, "operations": ordered}


def _is_create_table(item):
    return isinstance(item, dict) and item.get("action") == "create_table" and isinstance(item.get("columns"), dict)


def _read_json(path):
    """The file's JSON, read strictly, its checksum, and cache.file_key of the file as read."""
    try:
        raw, found = _read_regular_file(path)
    except OSError as error:
        raise SpecError(f"cannot read the file: {error.strerror}", file=path) from None
    if raw is None:  # a folder, a device, a FIFO, a dangling link
        raise SpecError("cannot read it: not a regular file", file=path)
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(f"the file is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MB", file=path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SpecError("the file starts with a byte order mark; save it as UTF-8 without BOM", file=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(f"the file is not UTF-8 (byte {error.start})", file=path) from None
    if not text.strip():
        raise SpecError("the file is empty; a spec is a JSON array of operations", file=path)
    try:
        body = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant,
                          parse_float=_finite_float, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise SpecError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}", file=path) from None
    except RecursionError:
        raise SpecError("the JSON is nested too deeply", file=path) from None
    except _Misplaced as error:
        raise SpecError(f"invalid JSON at {_locate(text, error.token)}: {error}", file=path) from None
    if text.count("[") + text.count("{") > MAX_NESTING and _depth(body) > MAX_NESTING:
        raise SpecError(f"the JSON is nested more than {MAX_NESTING} levels deep", file=path)
    try:
        digest = checksum(body)  # a lone surrogate escape cannot be encoded: found here
    except UnicodeEncodeError as error:
        escape = f"\\u{ord(error.object[error.start]):04x}"
        place = _locate(text.lower(), escape)
        raise SpecError(f"invalid JSON at {place}: an unpaired surrogate escape ({escape})", file=path) from None
    from .cache import file_key

    return body, digest, file_key(found)


def _read_regular_file(path):
    """The file's bytes (at most MAX + 1 of them) and its os.stat, or None when it is not a regular file.

    With os calls rather than open(): reading a thousand small specs is most of what `status` does. Opened
    without blocking, so that a FIFO is refused, not waited on; read by its size, as read(MAX + 1) would
    allocate MAX bytes for every file."""
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            return None, None
        raise
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return None, None
        return os.read(descriptor, min(found.st_size, MAX_SPEC_BYTES) + 1), found
    finally:
        os.close(descriptor)


class _Misplaced(ValueError):
    """A value the JSON parser accepts but a spec must not hold; `token` finds it in the text."""

    def __init__(self, message, token):
        super().__init__(message)
        self.token = token


def _locate(text, token):
    index = text.find(token)
    if index < 0:
        return "an unknown place"
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _bounded_int(text):
    if len(text) > 100:
        raise _Misplaced(f"a number of {len(text)} digits is too long", text[:100])
    return int(text)


def _finite_float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Misplaced(f"the number {text} is too large", text)
    return value


def _no_constant(name):
    raise _Misplaced(f"{name} is not valid JSON", name)


def _no_duplicate_keys(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise _Misplaced(f"key '{key}' appears twice in one object", json.dumps(key))
        seen.add(key)
    return dict(pairs)


def _depth(value, level=1):
    if level > MAX_NESTING:
        return level
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_depth(child, level + 1) for child in children), default=level)


def _split_body(body, path):
    if isinstance(body, list):
        return body, "", False
    if isinstance(body, dict):
        unknown = sorted(set(body) - {"$schema", "description", "operations", "allow_empty"})
        if unknown:
            raise SpecError(f"unknown key '{unknown[0]}' (a spec object has description, operations and "
                            "allow_empty)", file=path, param=unknown[0])
        if not isinstance(body.get("operations"), list):
            raise SpecError("'operations' must be a list of operations", file=path, param="operations")
        description = body.get("description", "")
        if not isinstance(description, str):
            raise SpecError("'description' must be a string", file=path, param="description")
        allow_empty = body.get("allow_empty", False)
        if not isinstance(allow_empty, bool):
            raise SpecError("'allow_empty' must be true or false", file=path, param="allow_empty")
        return body["operations"], description, allow_empty
    raise SpecError("a spec is a JSON array of operations or an object with 'operations'", file=path)


def _validate_operation(item):
    from .operations import ACTIONS

    if not isinstance(item, dict):
        raise SpecError("an operation is a JSON object with an 'action'")
    action = item.get("action")
    if "action" not in item:
        raise SpecError("missing 'action'", param="action")
    if not isinstance(action, str) or action not in ACTIONS:
        close = isinstance(action, str) and closest(action, ACTIONS, cutoff=0.8)
        hint = f"did you mean '{close}'? known" if close else "known"
        raise SpecError(f"unknown action {action!r} ({hint}: {', '.join(ACTIONS)})", param="action")
    if "column" in item and "column_name" in item:
        raise SpecError("give 'column' or 'column_name', not both", param="column")
    try:
        _action_check(action)(item)
        return
    except _invalid():
        pass  # the validator that names the error decides, and says which
    # an unknown parameter first: a misspelt one would otherwise read as the one it stands for missing
    errors = sorted(_action_validator(action).iter_errors(item), key=lambda e: (
        len(e.path), e.validator != "additionalProperties", e.validator != "required"))
    if errors:
        raise _translate(errors[0], item)


def closest(word, choices, cutoff=0.6):
    """The one of `choices` that `word` most likely misspells (difflib's ratio at least `cutoff`), or None."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def _invalid():
    from fastjsonschema import JsonSchemaException

    return JsonSchemaException


def _translate(error, item):
    param = str(error.absolute_path[0]) if error.absolute_path else None
    alternatives = _alternatives(error)
    if alternatives and alternatives != ["column", "column_name"]:  # drop_foreign_key's name or columns
        given = [name for name in alternatives if name in item]
        listed = " and ".join(f"'{name}'" for name in alternatives)
        return SpecError(f"give exactly one of {listed}" + (", not both" if given else ""),
                         param=given[-1] if given else alternatives[0])
    inner = [e for e in error.context or () if e.validator != "type"]  # the oneOf's form of the value's type
    if error.validator == "oneOf" and inner:
        return _translate(inner[0], item)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return SpecError(f"missing parameter '{missing}'", param=missing)
    if error.validator == "additionalProperties" and error.absolute_path:  # in a parameter's object
        known = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        return SpecError(f"unknown key '{extra[0] if extra else '?'}' (known: {', '.join(known)})", param=param)
    if error.validator == "additionalProperties":
        extra = sorted(set(item) - set(error.schema.get("properties", {})))
        name = extra[0] if extra else "?"
        known = error.schema.get("properties", {})
        close = closest(name, [k for k in known if k != "action"])
        hint = f" (give '{name}s', a list)" if f"{name}s" in known and name not in known else \
            f" (did you mean '{close}'?)" if close else ""
        return SpecError(f"unknown parameter '{name}' for {item['action']}{hint}", param=name)
    if error.validator == "oneOf" and not error.path:
        return SpecError("missing parameter 'column' (or 'column_name')", param="column")
    if error.validator == "pattern" and error.validator_value != _definitions()["identifier"]["pattern"]:
        return SpecError(f"{error.instance!r} is not valid: give {error.schema.get('description')}", param=param)
    if error.validator == "pattern":
        return SpecError(f"{error.instance!r} is not a valid name: use letters, digits and underscores, "
                         "starting with a letter or underscore, at most 64 characters", param=param)
    if param == "fill":
        return SpecError("a fill of null gives the rows nothing: leave 'fill' out" if error.instance is None else
                         f"invalid value {_short(error.instance)}: expected a JSON literal (a string, a number, true "
                         'or false) or {"expression": "SQL"}', param=param)
    return SpecError(f"invalid value {_short(error.instance)}: {_expected(error)}", param=param)


def _alternatives(error):
    """The parameters of a oneOf of the operation itself whose every form requires one of them, or None."""
    if error.validator != "oneOf" or error.path:
        return None
    forms = [form.get("required") for form in error.validator_value]
    return [names[0] for names in forms] if all(names and len(names) == 1 for names in forms) else None


def _expected(error):
    if error.validator == "type":
        value = error.validator_value
        return f"expected {value if isinstance(value, str) else ' or '.join(value)}"
    if error.validator == "oneOf":
        forms = [form.get("description") for form in error.validator_value if isinstance(form, dict)]
        return "expected " + (error.schema.get("description") or " or ".join(f for f in forms if f) or "another form")
    return error.message


def _short(value):
    text = json.dumps(value)
    return text if len(text) < 60 else text[:57] + "..."


def _check_names(operation, history_table):
    for name in _table_names(operation):
        if name.lower().startswith(RESERVED_PREFIX):
            raise SpecError(f"names starting with {RESERVED_PREFIX} are reserved for the migrator", param="table")
        if history_table and name.lower() == history_table.lower():
            raise SpecError(f"'{name}' is the migration history table", param="table")


def _table_names(operation):
    if operation.action == "rename_table":
        return (operation.old_name, operation.new_name)
    table = getattr(operation, "table", None)
    return (table,) if table else ()
