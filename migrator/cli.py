"""The `migrator` command: a thin layer over `migrator.Migrator`."""
import argparse
import json
import logging
import sys

from . import __version__
from .config import DEFAULTS, ENVIRONMENT, url_password
from .errors import MigratorError, SpecError

COMMON = [
    ("--database-url", "database_url", "database URL, as playhouse.db_url reads it"),
    ("--specs-dir", "specs_dir", "folder of spec files"),
    ("--table", "table", "history table"),
    ("--lock-timeout", "lock_timeout", "seconds to wait for another run's lock"),
    ("--schema", "schema", "PostgreSQL schema to migrate, with its own history table"),
]


def _add_common(parser, suppress):
    """Options that work before and after the command name."""
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("common options")
    for flag, dest, text in COMMON:
        shown = DEFAULTS[dest] if DEFAULTS[dest] is not None else "none"
        group.add_argument(flag, dest=dest, default=default, metavar=dest.split("_")[-1].upper(),
                           type=float if dest == "lock_timeout" else str,
                           help=f"{text} (env {ENVIRONMENT[dest]}; default {shown})")
    group.add_argument("--json", action="store_true", default=default, help="print one JSON document on stdout")
    group.add_argument("-v", "--verbose", action="store_true", default=default, help="show each SQL statement")
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="print only errors")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="migrator", description="Bring a database schema to a version by applying versioned JSON spec files.",
        epilog="Exit codes: 0 success, 1 the database refused an operation, 2 invalid input, "
               "3 the migration lock could not be had, 4 history and spec files disagree.")
    parser.add_argument("--version", action="version", version=f"migrator {__version__}")
    _add_common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, text):
        sub = commands.add_parser(name, help=text, description=text)
        _add_common(sub, suppress=True)
        return sub

    migrate = command("migrate", "apply every pending version up to VERSION (all of them without it)")
    migrate.add_argument("target", nargs="?", metavar="VERSION")
    migrate.add_argument("--out-of-order", action="store_true",
                         help="also apply pending versions below the current one")
    rollback = command("rollback", "undo the newest applied version, every version above VERSION, or N versions")
    rollback.add_argument("target", nargs="?", metavar="VERSION", help="stays applied; 'base' undoes every version")
    rollback.add_argument("--steps", type=int, metavar="N", help="undo the N most recently applied versions")
    command("status", "list every version and its state")
    repair = command("repair", "resolve versions left failed, and record the checksums of edited spec files")
    repair.add_argument("--accept", action="store_true",
                        help="keep a failed version's part that ran and record the version as applied")
    repair.add_argument("--yes", action="store_true", help="do not ask before recording new checksums")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = Output(args)
    try:
        from .api import Migrator
        from .config import Settings

        settings = Settings.load({name: getattr(args, name, None) for _, name, _ in COMMON})
        out.secret = url_password(settings.database_url)
        if args.verbose:
            _show_sql()
        with Migrator(settings=settings) as migrator:
            return COMMANDS[args.command](migrator, args, out)
    except MigratorError as error:
        return out.error(error)
    except KeyboardInterrupt:
        return out.error(MigratorError("interrupted"), code=130)


class Output:
    def __init__(self, args):
        self.json = args.json
        self.quiet = args.quiet
        self.secret = None

    def line(self, text):
        if not self.json and not self.quiet:
            print(self._scrub(text), flush=True)

    def document(self, data):
        if self.json:
            print(self._scrub(json.dumps(data, indent=2)))

    def error(self, error, code=None):
        code = code or error.exit_code
        message = self._scrub(error.message)
        if self.json:
            print(json.dumps({"error": {"code": code, "message": message, **_clean(error.details)}}, indent=2))
        else:
            print(f"migrator: error: {message}", file=sys.stderr)
        return code

    def _scrub(self, text):
        return text.replace(self.secret, "***") if self.secret else text


def _clean(details):
    return {k: v for k, v in details.items() if v is not None}


class _SqlFormatter(logging.Formatter):
    def format(self, record):
        if isinstance(record.msg, tuple) and len(record.msg) == 2:  # Peewee logs (sql, params)
            sql, params = record.msg
            return f"sql: {sql}" + (f"  -- {list(params)}" if params else "")
        return f"sql: {record.getMessage()}"


def _show_sql():
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SqlFormatter())
    logger = logging.getLogger("peewee")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _cmd_migrate(migrator, args, out):
    results = migrator.migrate(args.target, out_of_order=args.out_of_order,
                               on_version=lambda r: out.line(f"applied {r.version} in {r.execution_ms} ms"
                                                             f"  {r.description}".rstrip()))
    current = migrator.status()["current"]
    if not results:
        out.line(f"nothing to apply: {migrator.settings.masked_url} is at {current or 'no version'}")
    out.document({"database": migrator.settings.masked_url, "current": current,
                  "applied": [r.to_json() for r in results]})
    return 0


def _cmd_rollback(migrator, args, out):
    results = migrator.rollback(args.target, steps=args.steps,
                                on_version=lambda r: out.line(f"rolled back {r.version} in {r.execution_ms} ms"))
    current = migrator.status()["current"]
    out.line(f"nothing to roll back" if not results else f"now at {current or 'no version'}")
    out.document({"database": migrator.settings.masked_url, "current": current,
                  "rolled_back": [r.to_json() for r in results]})
    return 0


def _cmd_status(migrator, args, out):
    status = migrator.status()
    out.document(status)
    out.line(f"database: {status['database']}\ncurrent:  {status['current'] or 'no version'}\n")
    for v in status["versions"]:
        when = f"{v['applied_at']}  {v['execution_ms']:>6} ms" if v["applied_at"] else " " * 29
        out.line(f"{v['version']:<12} {v['state']:<12} {when}  {v['description']}".rstrip())
    return 0


def _cmd_repair(migrator, args, out):
    resolved = migrator.repair(accept=args.accept)
    for version in resolved:
        out.line(f"{version}: {'recorded as applied' if args.accept else 'undone; it is pending again'}")
    changed = migrator.changed_versions()
    if changed and not (args.yes or _confirm(out, [v for v, _, _ in changed])):
        raise SpecError("checksums not recorded: confirm, or pass --yes")
    if changed:
        migrator.accept_checksums()
        out.line(f"recorded the new checksums of {', '.join(v for v, _, _ in changed)}")
    if not resolved and not changed:
        out.line("nothing to repair")
    out.document({"resolved": resolved, "checksums_recorded": [v for v, _, _ in changed]})
    return 0


def _confirm(out, versions):
    if out.json or not sys.stdin.isatty():
        return False
    answer = input(f"Record the current file contents of {', '.join(versions)} as applied? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


COMMANDS = {"migrate": _cmd_migrate, "rollback": _cmd_rollback, "status": _cmd_status, "repair": _cmd_repair}
