"""migrator: versioned JSON schema migrations for Peewee users."""
__version__ = "0.2.0"

from .api import Migrator  # noqa: E402
from .errors import (  # noqa: E402
    ConnectionFailed, HistoryMismatch, LockTimeout, MigratorError, OperationFailed, SpecError,
)

__all__ = ["Migrator", "MigratorError", "SpecError", "OperationFailed", "LockTimeout", "HistoryMismatch",
           "ConnectionFailed", "__version__"]
