"""Errors with the exit code the CLI returns for them.

0 success, 1 the database refused an operation, 2 invalid input,
3 the migration lock could not be had, 4 history and spec files disagree.
"""


class MigratorError(Exception):
    exit_code = 1

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


def step_of(version, index, action, undoing=False, undoes=None):
    """Where in a run something happened: an operation of a version's spec file, or when a version is being
    rolled back, a step of its stored inverse: named by the file's operation it undoes (`undoes`, as recorded
    since 0.2), or by its place in the stored inverse (recorded earlier)."""
    if not undoing:
        return f"{version}, operation {index} ({action})"
    if undoes:
        return f"undoing {version}, operation {undoes['operation']} ({undoes['action']}) by {action}"
    return f"undoing {version}, step {index} ({action})"


class SpecError(MigratorError):
    """A spec file, a version or an argument is invalid; nothing was changed."""
    exit_code = 2

    def __init__(self, message, *, file=None, index=None, action=None, param=None):
        where = [str(file)] if file else []
        if index is not None:
            where.append(f"operation {index}" + (f" ({action})" if action else ""))
        if param:
            where.append(f"parameter '{param}'")
        text = f"{', '.join(where)}: {message}" if where else message
        super().__init__(text, file=file and str(file), index=index, action=action, param=param)
        self.reason = message

    def at(self, *, file=None, index=None, action=None):
        """The same error, placed in a file and an operation."""
        d = self.details
        return SpecError(self.reason, file=file or d["file"], index=d["index"] if index is None else index,
                         action=action or d["action"], param=d["param"])


class OperationFailed(MigratorError):
    """The database refused an operation of a version."""
    exit_code = 1


class PreflightFailed(MigratorError):
    """A pending operation does not fit the live schema or data (NULLs, duplicates, values a type cannot hold),
    found before anything ran; nothing was changed."""
    exit_code = 1


class LockTimeout(MigratorError):
    exit_code = 3


class HistoryMismatch(MigratorError):
    exit_code = 4


class ConnectionFailed(MigratorError):
    exit_code = 1


class Cancelled(MigratorError):
    """The user answered no to a question: nothing was changed."""
    exit_code = 0
