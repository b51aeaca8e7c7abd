"""The application's Peewee models, as `generate` reads them: found by module path, and each field described as
the field text a spec file holds.

`--models myapp.models` takes every Model defined in the module; `myapp.models:NAME` a list, tuple or dict of
models, a single model, or a Database (every model bound to it). The application's own code runs here, imported
as the application imports it (the current folder first on the path): an import that fails is an error showing
the import's own message.
"""
import importlib
import os
import sys
import traceback
import types
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from .errors import SpecError
from .fields import TYPES, FieldSpec

_WRITTEN_AS_TEXT = (Decimal, UUID, datetime, date, time)  # a default of these reaches SQL as its text


@dataclass(frozen=True)
class Models:
    """The application's Peewee models, and the abstract bases left out."""
    models: tuple  # the Model classes, each once, in the order found
    skipped: tuple  # names of abstract bases left out


def load_models(paths):
    """The models named by `paths` (each `module` or `module:NAME`), and the abstract bases left out."""
    import peewee

    if not paths:
        raise SpecError("name the models: --models myapp.models (or module:NAME), or MIGRATOR_MODELS")
    found, skipped = {}, []
    for path in paths:
        models, left_out = _resolve_given(path, peewee)
        found.update((model, None) for model in models)
        skipped += [name for name in left_out if name not in skipped]
    waiting = list(found)
    while waiting:  # a model a foreign key points to is part of the schema too, however far along the keys
        for referenced in _referenced(waiting.pop()):
            if referenced not in found:
                found[referenced] = None
                waiting.append(referenced)
    return Models(tuple(found), tuple(skipped))


def _resolve_given(given, peewee):
    """A module path, or (from Python) a module or a Model class itself."""
    if isinstance(given, str):
        return _resolve(given, peewee)
    if _is_model(given, peewee):
        return [given], []
    if isinstance(given, types.ModuleType):
        return _defined_in(given, given.__name__, peewee)
    raise SpecError(f"models are named by module path ('myapp.models' or 'myapp.models:NAME'), a module or a Model "
                    f"class, not {given!r}")


def _resolve(path, peewee):
    module_name, _, attribute = path.partition(":")
    if module_name.endswith(".py") or "/" in module_name or "\\" in module_name:
        raise SpecError(f"--models {path}: give the module's import path (myapp.models), not a file's path")
    module = _import(module_name, path)
    if not attribute:
        return _defined_in(module, path, peewee)
    if not hasattr(module, attribute):
        raise SpecError(f"--models {path}: module {module_name} has no '{attribute}'")
    value = getattr(module, attribute)
    databases = [value]  # models bound to a proxy name the proxy
    if isinstance(value, peewee.Proxy) and value.obj is not None:
        value = value.obj
        databases.append(value)
    if isinstance(value, peewee.Database) or isinstance(value, peewee.Proxy):
        models = sorted((m for m in _every_model(peewee) if any(m._meta.database is d for d in databases)
                         and not is_abstract(m)),
                        key=lambda m: (m.__module__, m.__qualname__))
        if not models:
            raise SpecError(f"--models {path}: no model is bound to that database (are the models' modules imported "
                            "by it?)")
        return models, []
    if _is_model(value, peewee):
        value = [value]
    items = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(items, (list, tuple)) or not all(_is_model(m, peewee) for m in items):
        raise SpecError(f"--models {path}: '{attribute}' must be a Model, a list or dict of models, or a Database")
    return [m for m in items if not is_abstract(m)], [m.__name__ for m in items if is_abstract(m)]


def _defined_in(module, path, peewee):
    """The models the module defines, with the through models of their ManyToManyFields (Peewee makes those)."""
    defined = [value for value in vars(module).values()
               if _is_model(value, peewee) and value.__module__ == module.__name__]
    defined += [through for model in list(defined) for through in _through_models(model) if through not in defined]
    models = [m for m in defined if not is_abstract(m)]
    if not models:
        raise SpecError(f"--models {path}: the module defines no model with a table of its own"
                        + (f" (abstract bases left out: {', '.join(m.__name__ for m in defined)})" if defined
                           else ""))
    return models, [m.__name__ for m in defined if is_abstract(m)]


def _through_models(model):
    import peewee

    return [field.through_model for field in model._meta.manytomany.values()
            if _is_model(getattr(field, "through_model", None), peewee)]


def _import(module_name, path):
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` finds the application's modules
    try:
        return importlib.import_module(module_name)
    except Exception as error:  # the application's own code: any error it raises is the message
        frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith("<")]
        own = [f for f in frames if f.filename.startswith(os.getcwd())]  # the application's line, not a library's
        where = (own or frames)[-1]
        raise SpecError(f"--models {path}: importing {module_name} failed: {type(error).__name__}: {error} "
                        f"({where.filename}, line {where.lineno})") from None


def _is_model(value, peewee):
    return isinstance(value, type) and issubclass(value, peewee.Model) and value is not peewee.Model


def _every_model(peewee):
    seen, stack = [], list(peewee.Model.__subclasses__())
    while stack:
        model = stack.pop()
        if model not in seen:
            seen.append(model)
            stack.extend(model.__subclasses__())
    return seen


def is_abstract(model):
    """A base with no table of its own: marked so in its Meta (`abstract = True`, not inherited from a base that
    says so), or with no field but Peewee's implicit `id` and no index (as `pwmigrate` leaves such bases out)."""
    if getattr(model._meta, "abstract", False) and not any(getattr(getattr(base, "_meta", None), "abstract", False)
                                                           for base in model.__bases__):
        return True
    fields = model._meta.sorted_fields
    return len(fields) == 1 and fields[0].name == "id" and type(fields[0]).__name__ == "AutoField" \
        and not model._meta.indexes and not _referencing(model)


def _referencing(model):
    """Whether another model's foreign key points to `model` (then it has a table, whatever its fields)."""
    return bool(model._meta.backrefs)


def _referenced(model):
    return [f.rel_model for f in model._meta.refs if f.rel_model is not model]


class Unexpressible(Exception):
    """A field that spec field text cannot describe; the message names it and says why."""


def field_spec(model, field, constraint=True):
    """The field text's description of a model's field: only what differs from the class's defaults, and what
    reaches the schema (a Python default is kept too, as the value existing rows take when the column is added).
    `constraint`: whether the schema has a foreign key's constraint (not so for a DeferredForeignKey on a backend
    that cannot add one to a table)."""
    import peewee

    if isinstance(field, peewee.ForeignKeyField) and not constraint:
        field = _unconstrained(model, field, peewee)
    kind = type(field)
    where = f"{model.__name__}.{field.name} ({model._meta.table_name}.{field.column_name})"
    if kind.__module__ != "peewee" and not kind.__module__.startswith("playhouse"):
        raise Unexpressible(f"{where} is a {kind.__name__}, a field class of the application's own, which field "
                            "text cannot name (--allow-sql writes it as an sql operation)")
    if getattr(field, "index_type", None) and (field.index or field.unique):
        raise Unexpressible(f"{where} is indexed USING {field.index_type}, which add_index cannot make yet")
    params = {}
    if field.null and not field.primary_key:
        params["null"] = True
    if field.unique:
        params["unique"] = True
    default_index = isinstance(field, peewee.ForeignKeyField)
    if bool(field.index) != default_index and not field.unique:
        params["index"] = bool(field.index)
    default = _default(field)
    if default is not None:
        params["default"] = default
    if isinstance(field, peewee.ForeignKeyField):
        type_name = "ForeignKeyField"
        params["model"] = field.rel_model._meta.table_name
        if field.rel_field.column_name != "id":
            params["field"] = field.rel_field.column_name
        for name in ("on_delete", "on_update", "constraint_name"):
            if getattr(field, name, None):
                params[name] = getattr(field, name)
    elif kind.__name__ in TYPES and kind is getattr(peewee, kind.__name__, None):
        type_name = kind.__name__
        if field.primary_key and type_name not in ("AutoField", "BigAutoField") and not _composite(model):
            params["primary_key"] = True
        params.update(_sizes(field, peewee))
    else:  # a Peewee field class field text has no name for: the column type it makes
        type_name = "Field"
        params["column_type"] = _column_type(field, where)
        if field.primary_key and not _composite(model):
            params["primary_key"] = True
    try:
        return FieldSpec.make(type_name, **params)
    except SpecError as error:
        raise Unexpressible(f"{where}: {error.reason}") from None


def _unconstrained(model, field, peewee):
    """A foreign key's column without its constraint: a field of the type of the key it points to (INTEGER for an
    AutoField's), with the foreign key's own null, index, unique and default."""
    key = field.rel_field
    kind = (peewee.BigIntegerField if isinstance(key, peewee.BigAutoField) else
            peewee.IntegerField if isinstance(key, peewee.AutoField) else type(key))
    if kind.__module__ != "peewee" and not kind.__module__.startswith("playhouse"):
        raise Unexpressible(f"{model.__name__}.{field.name} ({model._meta.table_name}.{field.column_name}) points to "
                            f"a {kind.__name__}, a field class of the application's own, which field text cannot name")
    plain = kind(null=field.null, index=field.index, unique=field.unique, default=field.default,
                 column_name=field.column_name, **_sizes(key, peewee))
    plain.name = field.name
    return plain


def _composite(model):
    return len(model._meta.get_primary_keys()) > 1


def _sizes(field, peewee):
    if isinstance(field, peewee.CharField):
        return {"max_length": field.max_length} if field.max_length != 255 else {}
    if isinstance(field, peewee.DecimalField):
        sizes = {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
        return {k: v for k, v in sizes.items() if v != {"max_digits": 10, "decimal_places": 5}[k]}
    return {}


def _default(field):
    """The field's default as a literal, or None (none, or a callable, which lives in Python only)."""
    value = field.default
    if value is None or callable(value):
        return None
    if isinstance(value, _WRITTEN_AS_TEXT):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return value if isinstance(value, (str, int, float, bool)) else None


def _column_type(field, where):
    text = field.field_type if isinstance(field.field_type, str) else None
    if not text:  # no type of its own (BareField)
        raise Unexpressible(f"{where} is a {type(field).__name__}, which field text has no name for")
    return text


def callable_default(field):
    """Whether the field's default is a callable (computed in Python, so it cannot fill existing rows)."""
    return callable(field.default)
