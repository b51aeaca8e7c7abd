"""migrator: versioned JSON schema migrations for Peewee users."""
__version__ = "0.3.0"

from .api import Migrator  # noqa: E402
from .errors import (  # noqa: E402
    Cancelled, ConnectionFailed, HistoryMismatch, LockTimeout, MigratorError, OperationFailed, PreflightFailed,
    SpecError,
)

__all__ = ["Migrator", "MigratorError", "SpecError", "OperationFailed", "PreflightFailed", "LockTimeout",
           "HistoryMismatch", "ConnectionFailed", "Cancelled", "__version__"]
