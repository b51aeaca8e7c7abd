"""The application's code a `python` operation names, as "package.module:function".

Its module's source is found without running anything (`status` takes checksums, and runs no application code),
by the search Python's import makes: the current folder first, as `generate --models` imports the application,
then sys.path, for `package/module.py` or `package/module/__init__.py`. The function is imported only by the
commands that run or check it (`validate`, `plan`, `migrate`, `verify`, `rollback`).
"""
import hashlib
import importlib
import os
import sys
import traceback
from pathlib import Path

from .errors import SpecError

_OWN = str(Path(__file__).resolve().parent)  # migrator's own frames are no part of the application's error


def module_of(path):
    return path.partition(":")[0]


def search_path():
    """Where an import of the application's module looks, in order (the current folder put first, as `import_code`
    does when the path lacks it)."""
    cwd = os.getcwd()
    entries = sys.path if cwd in sys.path or "" in sys.path else [cwd, *sys.path]
    return [entry or cwd for entry in entries]


def source_file(module_name):
    """The file of the module's own source, or None when no folder of the search path has it."""
    parts = module_name.split(".")
    for entry in search_path():
        base = os.path.join(entry, *parts)
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
    return None


def source_digest(module_name):
    """SHA-256 of the module's own source file, or None when it is not found."""
    found = source_file(module_name)
    if found is None:
        return None
    with open(found, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()


def with_code(digest, module_names):
    """A spec's checksum covering the source of the modules its python operations name (`digest` as it is when
    they name none). A module not found counts as such, so that the version shows as changed, not as an error."""
    if not module_names:
        return digest
    combined = hashlib.sha256(digest.encode())
    for name in module_names:
        combined.update(f"\0{name}\0{source_digest(name) or 'not found'}".encode())
    return combined.hexdigest()


def load_function(path):
    """The function `path` ("package.module:function") names, imported; SpecError saying why not."""
    module_name, _, name = path.partition(":")
    module = import_code(module_name)
    function = getattr(module, name, None)
    where = getattr(module, "__file__", None) or module_name
    if function is None:
        raise SpecError(f"module {module_name} ({where}) has no '{name}'")
    if not callable(function):
        raise SpecError(f"{path} is a {type(function).__name__}, not a function")
    _refuse_other_signature(path, function)
    return function


def _refuse_other_signature(path, function):
    """The function is called with one argument, the run's database: one that cannot take it is refused now, not
    halfway through a run."""
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return  # a builtin or extension without a readable signature: called as it is
    try:
        signature.bind(None)
    except TypeError:
        raise SpecError(f"{path}{signature} cannot be called with the run's database as its one argument: write "
                        f"it as def {path.partition(':')[2]}(db)") from None


def import_code(module_name):
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` finds the application's modules
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            raise SpecError(f"module {module_name} not found (looked for {error.name.replace('.', '/')}.py in the "
                            "current folder and on sys.path)") from None
        raise SpecError(f"importing {module_name} failed: {raised(error)}") from None
    except Exception as error:  # the application's own code: any error it raises is the message
        raise SpecError(f"importing {module_name} failed: {raised(error)}") from None


def raised(error):
    """The application's exception as one line: its type, its message, and the line of the application's code it
    came from."""
    where = where_raised(error)
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"{text} ({where.filename}, line {where.lineno})" if where else text


def where_raised(error):
    """The innermost frame of the application's own code in the error's traceback (under the current folder, or
    else outside the standard library and installed packages; a library's when it has none; never migrator's),
    or None."""
    import sysconfig

    libraries = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")})
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith("<") and not f.filename.startswith(_OWN)]
    application = [f for f in frames if not f.filename.startswith(libraries)]
    own = [f for f in application if f.filename.startswith(os.getcwd())] or application
    return (own or frames or [None])[-1]
