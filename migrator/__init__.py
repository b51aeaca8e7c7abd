"""migrator: versioned JSON schema migrations for Peewee users."""
__version__ = "0.3.0"

from .api import Migrator  # noqa: E402
from .errors import (  # noqa: E402
    Cancelled, ConnectionFailed, HistoryMismatch, LockTimeout, MigratorError, OperationFailed, PreflightFailed,
    SpecError,
)

__all__ = ["Migrator", "Fleet", "MigratorError", "SpecError", "OperationFailed", "PreflightFailed", "LockTimeout",
           "HistoryMismatch", "ConnectionFailed", "Cancelled", "__version__"]


def __getattr__(name):
    if name == "Fleet":  # imported when asked for: a command on one database needs none of it
        from .fleet import Fleet

        return Fleet
    raise AttributeError(f"module 'migrator' has no attribute {name!r}")
