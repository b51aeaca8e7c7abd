"""Field descriptions: Peewee constructor text or an object, parsed and never evaluated.

`"CharField(max_length=120, null=True)"` and `{"type": "CharField", "max_length": 120,
"null": true}` describe the same column. The text is read with `ast`: only a call of a
known Peewee field class with literal arguments is accepted.
"""
import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import SpecError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # use with fullmatch; 64 at most, as Peewee names
REFERENTIAL_ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")
_COLUMN_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_ ]{0,40}(\(\s*\d{1,5}(\s*,\s*\d{1,5})?\s*\))?( [A-Za-z][A-Za-z ]{0,30})?")
MAX_FIELD_TEXT = 1000

TYPES = (
    "AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "FloatField", "DoubleField", "DecimalField", "CharField", "FixedCharField", "TextField",
    "BlobField", "BooleanField", "DateTimeField", "DateField", "TimeField", "TimestampField",
    "UUIDField", "ForeignKeyField", "Field",
)
COMMON_PARAMS = ("null", "index", "unique", "default", "primary_key")
EXTRA_PARAMS = {
    "CharField": ("max_length",),
    "FixedCharField": ("max_length",),
    "DecimalField": ("max_digits", "decimal_places"),
    "ForeignKeyField": ("model", "field", "on_delete", "on_update", "constraint_name"),
    "Field": ("column_type",),
}
POSITIONAL = {
    "CharField": ("max_length",),
    "FixedCharField": ("max_length",),
    "DecimalField": ("max_digits", "decimal_places"),
    "ForeignKeyField": ("model", "field"),
}
REQUIRED = {"ForeignKeyField": ("model",), "Field": ("column_type",)}
TEXT_ORDER = ("field", "column_type", "max_length", "max_digits", "decimal_places", "primary_key", "null", "unique",
              "index", "default", "on_delete", "on_update", "constraint_name")


def _check_param(name, value):
    if name in ("null", "index", "unique", "primary_key"):
        ok, expected = isinstance(value, bool), "true or false"
    elif name in ("max_length", "max_digits", "decimal_places"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100000
        expected = "a positive integer"
    elif name in ("model", "field", "constraint_name"):
        ok, expected = isinstance(value, str) and IDENTIFIER.fullmatch(value), "a table, column or constraint name"
    elif name in ("on_delete", "on_update"):
        ok = isinstance(value, str) and value.upper() in REFERENTIAL_ACTIONS
        expected = "one of " + ", ".join(REFERENTIAL_ACTIONS)
    elif name == "column_type":
        ok, expected = isinstance(value, str) and _COLUMN_TYPE.fullmatch(value), "a plain SQL type such as numeric(12,2)"
    else:  # default
        ok = value is None or isinstance(value, (str, int, float, bool))
        expected = "a string, number, boolean or null"
    if not ok:
        raise SpecError(f"field parameter '{name}' must be {expected}, not {value!r}", param="field")


@dataclass(frozen=True)
class FieldSpec:
    """A column as a Peewee field's constructor says it: the field class and its arguments."""
    type: str
    params: tuple  # sorted (name, value) pairs, only those given

    @classmethod
    def parse(cls, value):
        if isinstance(value, str):
            return cls._from_text(value)
        if isinstance(value, dict):
            return cls._from_object(value)
        raise SpecError("a field is Peewee constructor text or an object with a 'type'", param="field")

    @classmethod
    def make(cls, type_name, /, **params):
        if type_name not in TYPES:
            raise SpecError(f"unknown field type '{type_name}' (known: {', '.join(TYPES)})", param="field")
        allowed = COMMON_PARAMS + EXTRA_PARAMS.get(type_name, ())
        for name, value in params.items():
            if name not in allowed:
                raise SpecError(f"{type_name} takes no parameter '{name}' (it takes {', '.join(allowed)})", param="field")
            _check_param(name, value)
        for name in REQUIRED.get(type_name, ()):
            if name not in params:
                raise SpecError(f"{type_name} needs '{name}'", param="field")
        if "on_delete" in params or "on_update" in params:
            params = {k: v.upper() if k in ("on_delete", "on_update") else v for k, v in params.items()}
        return cls(type_name, tuple(sorted(params.items())))

    @classmethod
    def _from_object(cls, value):
        params = dict(value)
        type_name = params.pop("type", None)
        if not isinstance(type_name, str):
            raise SpecError("a field object needs 'type', a Peewee field class name", param="field")
        return cls.make(type_name, **params)

    @classmethod
    @lru_cache(maxsize=1024)  # a project writes the same few field texts again and again
    def _from_text(cls, text):
        if len(text) > MAX_FIELD_TEXT:
            raise SpecError(f"field text is longer than {MAX_FIELD_TEXT} characters", param="field")
        try:
            call = ast.parse(text.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise SpecError(f"field text {text!r} is not a Peewee field constructor", param="field") from None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            raise SpecError(f"field text {text!r} must be a call such as IntegerField(null=True)", param="field")
        type_name = call.func.id
        if type_name not in TYPES:
            raise SpecError(f"unknown field type '{type_name}' (known: {', '.join(TYPES)})", param="field")
        names = POSITIONAL.get(type_name, ())
        if len(call.args) > len(names):
            raise SpecError(f"{type_name} takes at most {len(names)} positional arguments", param="field")
        params = {name: _literal(arg, text) for name, arg in zip(names, call.args)}
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg in params:
                raise SpecError(f"field text {text!r} repeats or unpacks an argument", param="field")
            params[keyword.arg] = _literal(keyword.value, text)
        return cls.make(type_name, **params)

    def get(self, name, default=None):
        return dict(self.params).get(name, default)

    def has(self, name):
        return any(k == name for k, _ in self.params)

    def replace(self, **changes):
        params = dict(self.params)
        for name, value in changes.items():
            if value is None and name != "default":
                params.pop(name, None)
            else:
                params[name] = value
        return FieldSpec(self.type, tuple(sorted(params.items())))

    @property
    def null(self):
        return self.get("null", False)

    @property
    def is_primary_key(self):
        return self.type in ("AutoField", "BigAutoField") or self.get("primary_key", False)

    def to_json(self):
        return {"type": self.type, **dict(self.params)}

    def text(self):
        """As Peewee constructor text, which `parse` reads back to this description: the table a foreign key points
        to first, then the parameters, each as Python writes it."""
        params = dict(self.params)
        first = [repr(params.pop("model"))] if self.type == "ForeignKeyField" else []
        ordered = sorted(params, key=lambda name: (TEXT_ORDER.index(name) if name in TEXT_ORDER else len(TEXT_ORDER),
                                                   name))
        return f"{self.type}({', '.join(first + [f'{name}={params[name]!r}' for name in ordered])})"

    @property
    def referenced(self):
        """(table, column) a foreign key points to, or None."""
        return (self.get("model"), self.get("field", "id")) if self.type == "ForeignKeyField" else None

    def build(self, referenced=None):
        """A Peewee Field for this description (its column name is set by the caller).

        A foreign key takes the type of the column it points to, as in Peewee: `referenced` is that column's
        FieldSpec, or a Peewee Field (a table pointing to itself), or None for Peewee's integer `id`."""
        import peewee

        params = dict(self.params)
        if self.type == "Field":
            field = peewee.Field(**{k: v for k, v in params.items() if k != "column_type"})
            field.field_type = params["column_type"]
            return field
        if self.type == "ForeignKeyField":
            column = params.pop("field", "id")
            rel_model = _referenced_model(params.pop("model"), column, referenced)
            field = peewee.ForeignKeyField(rel_model, backref="+", **params)
            field.rel_field = rel_model._meta.fields[column]  # what binding to a model would set
            return field
        return getattr(peewee, self.type)(**params)


def _literal(node, text):
    if isinstance(node, ast.Constant) and not isinstance(node.value, (bytes, complex)) and node.value is not Ellipsis:
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool)):
        return -node.operand.value
    raise SpecError(f"field text {text!r} may hold only literal arguments (strings, numbers, True, False, None)",
                    param="field")


def _referenced_model(table, column, referenced):
    """A stand-in model for the table a foreign key points to, holding the referenced column."""
    import peewee

    if referenced is None:
        target = peewee.AutoField(column_name=column)
    elif isinstance(referenced, peewee.Field):
        target = referenced.clone()
        target.column_name = column
    else:
        target = referenced.replace(null=None, default=None, index=None, unique=None).build()
        target.column_name = column
        if not target.primary_key:
            target.primary_key = True  # a stand-in: only the type matters, and a model wants one key
    meta = type("Meta", (), {"table_name": table})
    return type(f"Ref_{table}", (peewee.Model,), {"Meta": meta, column: target})
