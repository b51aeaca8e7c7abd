"""The `migrator` command: a thin layer over `migrator.Migrator`."""
import argparse
import contextlib
import gc
import json
import logging
import os
import re
import sys
import time

from . import __version__, cli_fleet
from .config import DEFAULTS, ENVIRONMENT, url_password
from .errors import Cancelled, MigratorError, SpecError

COMMON = [
    ("--database-url", "database_url", "database URL, as playhouse.db_url reads it"),
    ("--specs-dir", "specs_dir", "folder of spec files"),
    ("--table", "table", "history table"),
    ("--lock-timeout", "lock_timeout", "seconds to wait for another run's lock"),
    ("--schema", "schema", "PostgreSQL schema to migrate, with its own history table"),
]


SAFETY = [  # how a run treats a live database: for the commands that change the schema, and plan and lint
    ("--lock-wait", "lock_wait", float, "SECONDS", "how long a DDL statement waits for its table's lock before the "
                                                   "version is tried again"),
    ("--retries", "retries", int, "N", "times a version is tried again when a lock could not be had"),
    ("--max-rows", "max_rows", int, "N", "rows above which an operation that blocks writes is refused (lint; "
                                         "a MariaDB table copy) unless it has unsafe_ok"),
    ("--batch-size", "batch_size", int, "N", "rows per transaction of a fill"),
    ("--batch-pause", "batch_pause", float, "SECONDS", "pause between a fill's batches"),
]


def _add_safety(parser):
    group = parser.add_argument_group("live database options")
    for flag, dest, kind, metavar, text in SAFETY:
        group.add_argument(flag, dest=dest, type=kind, metavar=metavar,
                           help=f"{text} (env {ENVIRONMENT[dest]}; default {DEFAULTS[dest]:g})")


def _add_common(parser, suppress):
    """Options that work before and after the command name."""
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("common options")
    for flag, dest, text in COMMON:
        shown = "none" if DEFAULTS[dest] is None else f"{DEFAULTS[dest]:g}" if dest == "lock_timeout" else DEFAULTS[dest]
        group.add_argument(flag, dest=dest, default=default, metavar=dest.split("_")[-1].upper(),
                           type=float if dest == "lock_timeout" else str,
                           help=f"{text} (env {ENVIRONMENT[dest]}; default {shown})")
    group.add_argument("--strict", action="store_true", default=default,
                       help=f"stop with exit 4 on drift (a change made outside migrator) before writing anything, "
                            f"instead of warning (env {ENVIRONMENT['strict']})")
    group.add_argument("--json", action="store_true", default=default, help="print one JSON document on stdout")
    group.add_argument("-v", "--verbose", action="store_true", default=default, help="show each SQL statement")
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="print only errors")


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_abbrev=False, **kwargs)  # --model is a typo, not --models

    def error(self, message):
        raise SpecError(f"{message} (see {self.prog} --help)")

    def _get_formatter(self):
        # (argparse makes one for each argument added, to check its metavar; one made without a width asks the
        # terminal's through shutil, whose import was a third of parsing `status`)
        return self.formatter_class(prog=self.prog, width=_columns() - 2)  # (two less, as argparse takes it)


def _columns():
    """The terminal's width as shutil.get_terminal_size gives it: COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _ShowVersion(argparse.Action):
    """`migrator --version` shows the version; `migrator --version v2.0.0 generate` is generate's --version put
    before the command, which must not pass for a run that did nothing."""

    def __call__(self, parser, namespace, value, option_string=None):
        if value is not True:
            raise SpecError(f"--version {value}: migrator --version takes no value; the version of a spec to "
                            "generate goes after the command: migrator generate --version VERSION")
        print(f"migrator {__version__}")
        parser.exit()


def build_parser(only=None):
    """The command line's parser; with `only`, the options of that command only (each command's options are most
    of the time it takes to build)."""
    parser = _Parser(
        prog="migrator", description="Bring a database schema to a version by applying versioned JSON spec files.",
        epilog="Exit codes: 0 success, 1 the database refused an operation, 2 invalid input, "
               "3 the migration lock could not be had, 4 history and spec files disagree.")
    parser.add_argument("--version", nargs="?", const=True, action=_ShowVersion,
                        help="show migrator's version and exit")
    _add_common(parser, suppress=False)
    # (given prog, argparse needs no help formatter to work it out, nor the terminal's size: a tenth of `status`)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, prog=parser.prog)
    for name, (text, add_options) in _OPTIONS.items():
        if only in (None, name):
            sub = commands.add_parser(name, help=text, description=text)
            _add_common(sub, suppress=True)
            _add_own_options(sub, name)
    return parser


def _add_own_options(parser, command):
    """The options of `command` that the common ones are not: the fleet's, where it takes a fleet, and its own."""
    if command in cli_fleet.COMMANDS:
        cli_fleet.add_options(parser, command)
    _OPTIONS[command][1](parser)


def _parse(argv):
    """The arguments, parsed by a parser of the command named only (the first word that names one: unless it is
    an option's value, the parse finds that command there, as the whole parser would); else, and for what it
    refuses and for help, by the whole parser."""
    named = next((word for word in argv if word in _OPTIONS), None)
    if named and not {"-h", "--help"} & set(argv):
        try:
            return build_parser(only=named).parse_args(argv)
        except SpecError:
            pass  # the whole parser says what is wrong, in its own words
    try:
        return build_parser().parse_args(argv)
    except SpecError as error:
        mistake = _option_mistake(argv, named) or _command_mistake(str(error))
        if mistake:  # (argparse took its value for the command's name, or called it unrecognized)
            raise SpecError(mistake) from None
        raise


def _command_mistake(message):
    """argparse's refusal of a word as the command's name, with the command it most likely misspells, or None."""
    from .spec import closest

    found = re.search(r"argument COMMAND: invalid choice: '(.*?)' \(choose", message)
    close = found and closest(found.group(1), sorted(_OPTIONS))
    return close and message.replace(" (choose", f"; did you mean {close}? (choose", 1)


class _Flags:
    """The option strings a command's own options add, recorded instead of added to a parser."""

    def __init__(self):
        self.names = set()

    def add_argument(self, *names, **_):
        self.names.update(name for name in names if name.startswith("-"))

    def add_argument_group(self, *_, **__):
        return self


def _option_mistake(argv, named):
    """What is wrong with the first option that command `named` does not take, or None: one of its own given before
    its name, or one it has not (and the one it most likely misspells)."""
    from .spec import closest

    if named is None:
        return None
    common, own = _Flags(), _Flags()
    _add_common(common, suppress=False)
    _add_own_options(own, named)
    at = argv.index(named)
    for position, flag in enumerate(word.split("=", 1)[0] for word in argv):
        if not flag.startswith("--") or flag in common.names or flag == "--help" or \
                flag == "--version" and position < at or flag in own.names and position > at:
            continue
        if flag in own.names:
            return (f"{flag} is an option of {named}: give it after the command's name (migrator {named} {flag} "
                    "...); the common options go before or after it")
        close = closest(flag, sorted(common.names | own.names), cutoff=0.8)
        return f"{named} has no option {flag}{f'; did you mean {close}?' if close else ''} (see migrator {named} --help)"
    return None


def _migrate_options(migrate):
    migrate.add_argument("target", nargs="?", metavar="VERSION")
    migrate.add_argument("--out-of-order", action="store_true",
                         help="also apply pending versions below the current one")
    migrate.add_argument("--dry-run", action="store_true", help="show the plan instead (as `migrator plan`)")
    migrate.add_argument("--no-backup", action="store_true",
                         help="do not keep the data that drop_column, drop_table and alter_column_type destroy")
    migrate.add_argument("--accept-loss", action="store_true",
                         help="let a type change round, cut short or clip values (refused otherwise)")
    _add_safety(migrate)


def _plan_options(plan):
    plan.add_argument("target", nargs="?", metavar="VERSION")
    plan.add_argument("--out-of-order", action="store_true", help="also plan pending versions below the current one")
    plan.add_argument("--accept-loss", action="store_true", help="as for migrate")
    _add_safety(plan)


def _target_and_safety(command):
    command.add_argument("target", nargs="?", metavar="VERSION")
    _add_safety(command)


def _rollback_options(rollback):
    rollback.add_argument("target", nargs="?", metavar="VERSION", help="stays applied; 'base' undoes every version")
    rollback.add_argument("--steps", type=int, metavar="N", help="undo the N most recently applied versions")
    rollback.add_argument("--accept-loss", action="store_true",
                          help="let a restored type round, cut short or clip values written since (refused otherwise)")
    rollback.add_argument("--yes", action="store_true",
                          help="do not ask before dropping tables or columns that hold rows (asked on a terminal)")
    _add_safety(rollback)


def _no_options(command):
    pass


def _schema_options(schema):
    schema.add_argument("--format", choices=("text", "mermaid", "dot"), default="text",
                        help="text (the default), or an entity-relationship diagram: mermaid (an erDiagram) or "
                             "dot (Graphviz); --json, the JSON document, does not go with a diagram")


def _baseline_options(baseline):
    baseline.add_argument("target", metavar="VERSION")
    baseline.add_argument("--force", action="store_true",
                          help="record them even where the live schema is not what they build (the differences "
                               "are shown)")


def _new_options(new):
    new.add_argument("target", nargs="?", metavar="VERSION")
    new.add_argument("-m", "--message", default="", metavar="DESCRIPTION", help="the version's description")


def _generate_options(generate):
    generate.add_argument("--models", action="append", metavar="MODULE[:NAME]",
                          help="a module (every model defined in it) or module:NAME (a list or dict of models, or a "
                               "Database: every model bound to it); repeatable (env MIGRATOR_MODELS)")
    generate.add_argument("-m", "--message", default="", metavar="DESCRIPTION", help="the version's description")
    generate.add_argument("--version", dest="new_version", metavar="VERSION",
                          help="the new version (default: the next minor version, as `new` numbers it)")
    generate.add_argument("--against-live", action="store_true",
                          help="compare the models with the live database (read only) instead of the schema the "
                               "specs build")
    generate.add_argument("--from-empty", action="store_true",
                          help="one spec that creates the whole model schema from nothing")
    generate.add_argument("--rename", action="append", default=[], metavar="TABLE.OLD=NEW",
                          help="a column the models renamed (repeatable)")
    generate.add_argument("--rename-table", action="append", default=[], metavar="OLD=NEW",
                          help="a table the models renamed (repeatable)")
    generate.add_argument("--no-renames", action="store_true",
                          help="a column or table removed and another added are a drop and an add, not a rename")
    generate.add_argument("--no-input", action="store_true", help="ask nothing, even on a terminal")
    generate.add_argument("--allow-destructive", action="store_true",
                          help="write drop_table, drop_column and narrowing type changes without asking")
    generate.add_argument("--allow-sql", action="store_true",
                          help="write what field text cannot say (a field class of the application's own) as sql "
                               "operations with their down")
    generate.add_argument("--check", action="store_true",
                          help="write nothing; exit 1 when the models and the specs disagree (a CI gate)")
    generate.add_argument("--dry-run", action="store_true", help="print the spec on stdout instead of writing it")


def _verify_options(verify):
    verify.add_argument("target", nargs="?", metavar="VERSION")


def _prune_options(prune):
    prune.add_argument("target", nargs="?", metavar="VERSION")
    prune.add_argument("--yes", action="store_true", help="do not ask first")


def _repair_options(repair):
    repair.add_argument("--accept", action="store_true",
                        help="keep a failed version's part that ran and record the version as applied")
    repair.add_argument("--yes", action="store_true", help="do not ask before recording new checksums")
    _add_safety(repair)


# Each command, in the order --help lists them: what it does, and its own options.
_OPTIONS = {
    "migrate": ("apply every pending version up to VERSION (all of them without it)", _migrate_options),
    "plan": ("show the SQL and the inverse of each pending operation, changing nothing", _plan_options),
    "lint": ("rate what each pending operation up to VERSION costs a live database; exit 1 when one that blocks "
             "writes runs on a table above --max-rows without unsafe_ok", _target_and_safety),
    "rollback": ("undo the newest applied version, every version above VERSION, or N versions", _rollback_options),
    "status": ("list every version and its state", _no_options),
    "validate": ("check the spec files, and against the database when it can be reached; writes nothing",
                 _no_options),
    "schema": ("show the live schema: tables, columns, indexes, foreign keys, checks, triggers", _schema_options),
    "baseline": ("record every version up to VERSION as applied without running it", _baseline_options),
    "new": ("write the next spec file (the next minor version unless VERSION is given)", _new_options),
    "generate": ("write the next spec file from the application's Peewee models", _generate_options),
    "schema-file": ("write the spec files' JSON Schema into the specs folder as spec.schema.json, for editors",
                    _no_options),
    "verify": ("prove on a scratch copy that each pending version up to VERSION rolls back exactly",
               _verify_options),
    "prune": ("drop the data backups of applied versions up to VERSION (all without it)", _prune_options),
    "repair": ("resolve versions left failed, and record the checksums of edited spec files", _repair_options),
}


def main(argv=None):
    if argv is not None:  # a call from a program that imported migrator
        return _main(list(argv), own_process=False)
    gc.disable()  # (start-up makes next to no garbage, and the collector would look through it time and again)
    try:
        return _main(sys.argv[1:], own_process=True)
    finally:
        gc.freeze()  # nothing left for the collection at exit, which looks at every object (a tenth of `status`)


def _main(argv, own_process):
    """`own_process`: the `migrator` command itself, whose process ends with it."""
    try:
        args = _parse(argv)
    except SpecError as error:
        return Output(argparse.Namespace(json="--json" in argv, quiet=False)).error(error)
    out = Output(args)
    try:
        from .api import Migrator
        from .config import Settings

        flags = {name: getattr(args, name, None) for name in [c[1] for c in COMMON] + [s[1] for s in SAFETY]
                 + list(FLEET)}
        settings = _fleet_or_not(args, Settings.load({
            **flags, "strict": True if getattr(args, "strict", None) else None,
            "models": " ".join(getattr(args, "models", None) or ()) or None}))
        out.secret = url_password(settings.database_url)
        if own_process:
            from .dialects import keep_out_unused

            if not settings.fleet:  # a fleet may reach every backend
                keep_out_unused(settings.database_url)
            sys.stdout, sys.stderr = _ReaderMayLeave(sys.stdout), _ReaderMayLeave(sys.stderr)
            gc.freeze()  # start-up is over: what it made lives as long as the process, out of the collector's way
            gc.enable()
        if settings.fleet:
            with _showing_sql(args.verbose):
                return cli_fleet.run(args, settings, out)
        with _showing_sql(args.verbose), Migrator(settings=settings, on_warning=out.warning) as migrator:
            return COMMANDS[args.command](migrator, args, out)
    except Cancelled as cancelled:
        out.line(cancelled.message)
        out.document({"cancelled": True, "message": cancelled.message})
        return 0
    except MigratorError as error:
        return out.error(error)
    except KeyboardInterrupt:
        if args.command == "generate":
            return out.error(MigratorError("interrupted: no spec file was written (generate only reads the "
                                           "database)"), code=130)
        return out.error(MigratorError("interrupted: run `migrator status` to see where the database is (a version "
                                       "left part-way is resolved by `migrator repair`)"), code=130)
    except BrokenPipeError:  # the reader went away (e.g. `| head`) from a program's own stream; nothing left to say
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as error:
        if type(error).__module__ != "peewee":
            raise  # a defect: let it show
        return out.error(MigratorError(f"the database failed: {str(error).strip().splitlines()[0]}"))


FLEET = ("targets", "all_schemas", "parallel", "fail_fast", "summary")
ONE_DATABASE = ("plan", "schema", "baseline", "repair", "prune")  # commands that run on one database only


def _fleet_or_not(args, settings):
    """The settings, for a fleet only where the command takes one. A flag beats the environment: --database-url
    beats MIGRATOR_TARGETS, --schema MIGRATOR_ALL_SCHEMAS, --all-schemas MIGRATOR_SCHEMA. A command that runs
    on one database refuses a fleet from the environment, unless the flags name the database, rather than guess."""
    from dataclasses import replace

    flag = {name: getattr(args, name, None) is not None for name in ("targets", "all_schemas", "schema")}
    if settings.targets and not flag["targets"] and args.database_url is not None:
        settings = replace(settings, targets=None)
    if settings.all_schemas and not flag["all_schemas"] and flag["schema"]:  # --schema NAME: that one
        settings = replace(settings, all_schemas=None)
    if settings.schema and flag["all_schemas"] and not flag["schema"]:  # --all-schemas: each, not MIGRATOR_SCHEMA's
        settings = replace(settings, schema=None)
    if settings.fleet and getattr(args, "dry_run", False):
        raise SpecError("--dry-run shows the plan, which is made on one database: run `migrator plan` with "
                        "--database-url (and --schema) on the target to look at")
    if getattr(args, "only_failed", False) and not settings.fleet:
        raise SpecError("--only-failed runs again part of a fleet: give the targets as the run did (--targets, "
                        "--all-schemas, or MIGRATOR_TARGETS)")
    if not settings.fleet or args.command in cli_fleet.COMMANDS:
        return settings
    if args.command in ONE_DATABASE and not (args.database_url is not None or flag["schema"]):
        raise SpecError(f"`{args.command}` runs on one database, and MIGRATOR_TARGETS or MIGRATOR_ALL_SCHEMAS names "
                        "a fleet: give the database with --database-url (and --schema)")
    return replace(settings, targets=None, all_schemas=None)


class _ReaderMayLeave:
    """The command's stdout or stderr. When its reader goes away (`migrator migrate | head -1`), what is written
    after is dropped and the command goes on to its end and its own exit code: a run must not stop half way, nor
    say it succeeded when it did not, because nobody reads its output any more."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self):
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self):
        # later writes, and the interpreter's own flush at exit, go to nothing instead of failing
        os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())

    def __getattr__(self, name):  # isatty, fileno, encoding, ...
        return getattr(self.stream, name)


class Output:
    def __init__(self, args, stream=None):
        self.json = args.json
        self.quiet = args.quiet
        self.secret = None
        self.stream = stream  # where lines go: stdout unless given

    def line(self, text, end="\n"):
        if not self.json and not self.quiet:
            print(self._scrub(text), end=end, flush=True, file=self.stream or sys.stdout)

    def document(self, data):
        if self.json:
            print(self._scrub(json.dumps(data, indent=2)))

    def warning(self, message):
        if not self.quiet:
            print(f"migrator: warning: {self._scrub(message)}", file=sys.stderr, flush=True)

    def failure(self, message):
        """A part of the run that failed while the rest goes on (a fleet's target): shown with -q too."""
        if not self.json:
            print(f"migrator: {self._scrub(message)}", file=sys.stderr, flush=True)

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


class _SqlHandler(logging.Handler):
    """Prints each statement Peewee logs, (sql, params), on the stderr of the moment."""

    def emit(self, record):
        from .fleet import running_target

        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            shown = params if isinstance(params, dict) else list(params or ())  # (named: the names and values)
            text = f"sql: {sql}" + (f"  -- {shown}" if params else "")
        else:
            text = f"sql: {record.getMessage()}"
        target = running_target()
        print(f"[{target}] {text}" if target else text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _showing_sql(verbose):
    if not verbose:
        yield
        return
    logger, handler = logging.getLogger("peewee"), _SqlHandler()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _cmd_migrate(migrator, args, out):
    if args.dry_run:
        return _cmd_plan(migrator, args, out)
    results = migrator.migrate(args.target, out_of_order=args.out_of_order, backups=not args.no_backup,
                               accept_loss=args.accept_loss, on_version=Progress(out, "applied"),
                               on_repeatable=lambda result: _show_repeatable(out, result),
                               on_retry=lambda *retry: _show_retry(out, *retry),
                               on_fill=FillProgressLine(out, args.verbose))
    return _ran(migrator, out, results, "applied", "nothing to apply")


def _show_retry(out, version, retry, retries, wait, message):
    """On stderr, as a warning: stdout keeps the results (one JSON document with --json)."""
    out.warning(f"{message}; trying {version} again in {wait:.1f} s (retry {retry} of {retries})")


def _show_repeatable(out, result):
    empty = result.get("nothing_here")  # sql per backend, an empty list here
    again = "" if result["state"] == "pending" else " again (changed: its stored down ran first)" \
        if result["took_down_first"] else " again (changed)" if empty else \
        " again (changed; it has no down: its new sql ran over what is there)"
    out.line(f"applied repeatable {result['name']}{again} in {result['execution_ms']} ms  "
             f"{result['description']}".rstrip())
    if empty:
        out.line(f"  note: {result['name']}: its sql is an empty list on this backend: nothing ran; recorded as "
                 "applied")


def _cmd_rollback(migrator, args, out):
    ask = None if args.yes or not sys.stdin.isatty() else lambda dropped: _confirm_loss(out, dropped)
    results = migrator.rollback(args.target, steps=args.steps, accept_loss=args.accept_loss,
                                on_version=Progress(out, "rolled back"), confirm_loss=ask,
                                on_repeatable=lambda taken: _show_taken_down(out, taken),
                                on_retry=lambda *retry: _show_retry(out, *retry))
    return _ran(migrator, out, results, "rolled_back", "nothing to roll back")


def _show_taken_down(out, taken):
    """As it happens, before the versions are undone."""
    if taken["file"]:
        out.line(f"took down repeatable {taken['name']} first: the next migrate applies it again")
    else:
        out.line(f"took down repeatable {taken['name']} first (its stored down ran); its file is gone, so it is "
                 "forgotten: the next migrate does not apply it")


def _confirm_loss(out, dropped):
    """On a terminal: name what the rollback would drop for good, and ask."""
    print("This rollback drops data that is kept nowhere else:", file=sys.stderr)
    for loss in dropped:
        print(f"  {loss['version']}: {_loss(loss)}", file=sys.stderr)
    return _ask("Roll back and drop it?")


def _loss(loss):
    rows = _counted(loss["rows"], "row")
    if loss["column"]:
        return f"column {loss['table']}.{loss['column']} ({rows} with a value)"
    return f"table {loss['table']} ({rows})"


def _counted(count, noun):
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _ran(migrator, out, results, key, nothing):
    current = migrator.history.current()
    repeatables = getattr(results, "repeatables", [])
    out.line(f"{nothing}: " if not results and not repeatables else "", end="")
    out.line(f"{migrator.settings.masked_url} is at {current or 'no version'}")
    out.document({"database": migrator.settings.masked_url, "current": current,
                  key: [r.to_json() for r in results], "repeatables": repeatables})
    return 0


def _cmd_plan(migrator, args, out):
    plan = migrator.plan(args.target, out_of_order=args.out_of_order, accept_loss=args.accept_loss)
    out.document(plan)
    new = "no database yet, so planned on an empty one; " if plan["no_database_yet"] else ""
    out.line(f"plan for {plan['database']} ({new}{plan['method']})")
    for version in plan["versions"] or []:
        out.line(f"\n{version['version']}  {version['description']}".rstrip())
        for step in version["operations"]:
            rows = "" if step.get("rows") is None else f", {_counted(step['rows'], 'row')}"
            out.line(f"  {step['index']}. {step['action']}  [{step.get('rating') or 'not rated'}{rows}]")
            if "runs" in step:
                out.line(f"       {step['runs']} runs here: the application's code, not run to plan; its SQL is "
                         "known only as it runs")
            for sql in step["sql"]:
                out.line(f"       {sql}")
            if "error" in step:
                out.line(f"       cannot be planned here: {step['error']}")
            for inverse in step.get("inverse", []):
                out.line(f"     inverse: {json.dumps(inverse)}")
    for planned in plan.get("repeatables", []):
        out.line(f"\nrepeatable {planned['name']} ({planned['state']}), after the versions (its sql is not run by plan)")
        for step in planned["down_first"]:
            out.line(f"  stored down first: {json.dumps(step)}")
        for index, operation in enumerate(planned["operations"]):
            out.line(f"  {index}. {json.dumps(operation)}")
    if not plan["versions"] and not plan.get("repeatables"):
        out.line("nothing pending")
    failed = any("error" in step and not step.get("after_code_not_run") for version in plan["versions"]
                 for step in version["operations"])
    return 1 if failed else 0  # as `migrate` would exit on the operation that cannot run


def _cmd_lint(migrator, args, out):
    report = migrator.lint(args.target)
    out.document(report)
    for line in _lint_lines(report):
        out.line(line)
    return 1 if report["refused"] else 0


def _lint_lines(report):
    yield f"lint of {report['database']} (refused above --max-rows {_counted(report['max_rows'], 'row')})"
    if report["in_progress"]:
        yield (f"a run is in progress (the migration lock is held by {report['in_progress']}): what it is applying "
               "now is not rated")
    yield from (_linted(entry) for entry in report["operations"])
    rated = {entry["version"] for entry in report["operations"]}
    yield from (f"{version}: a killed run did every operation; the next migrate records it applied"
                for version in report["resumes"] if version not in rated)
    yield from (f"left part-way: {left['message']} Until then migrate refuses to run."
                for left in report["unfinished"])
    if not report["operations"] and not report["resumes"] and not report["unfinished"]:
        yield "nothing pending"
    if report["refused"]:
        named = any(o["alternative"] for o in report["operations"] if o["refused"])
        yield _refusals(report["refused_blocking_writes"], report["refused"] - report["refused_blocking_writes"],
                        named)


def _refusals(blocking, rebuilding, alternative):
    """The summary of what lint refused: those that block writes, and those that rebuild a table while writes go
    on (MariaDB's online rebuild), each named as it is; `alternative`: whether a refused one names a safe one."""
    said = [f"{_counted(blocking, 'operation')} would block writes on a large table"] if blocking else []
    said += [f"{_counted(rebuilding, 'operation')} would rebuild a large table (writes go on, for a time in "
             "proportion to its rows)"] if rebuilding else []
    return "; ".join(said) + (": use the alternative, or" if alternative else ":") + \
        " give the operation \"unsafe_ok\": \"the reason\" to accept it"


def _linted(entry):
    """One operation's line: where, what, its rating and rows, and what lint decided."""
    where = f"{entry['version']} {entry['index']}. {entry['action']} {entry['table'] or ''}".rstrip()
    resumes = "  (finishes a killed run)" if entry["resumes"] else ""
    rows = "" if entry["rows"] is None else f", {_counted(entry['rows'], 'row')}"
    if entry["rating"] is None:
        return f"{where}: not rated ({entry['alternative']}){resumes}"
    line = f"{where}: {entry['rating']}{rows}{resumes}"
    if entry["refused"]:
        line += "  REFUSED: " + ("blocks writes" if entry["blocks_writes"] else "rebuilds the table, writes go on")
    elif entry["accepted"]:
        line += f"  accepted (unsafe_ok: {entry['unsafe_ok']})"
    line += f"\n    alternative: {entry['alternative']}" if entry["alternative"] else ""
    return line + (f"\n    note: {entry['note']}" if entry.get("note") else "")


def _cmd_status(migrator, args, out):
    status = migrator.status()
    out.document(status)
    new = " (no database yet: migrate creates it)" if status["no_database_yet"] else ""
    out.line(f"database: {status['database']}{new}")
    if status["schema"]:
        out.line(f"schema:   {status['schema']}")
    out.line(f"current:  {status['current'] or 'no version'}")
    if status["in_progress"]:
        out.line(f"a run is in progress (the migration lock is held by {status['lock_holder']})")
    layout = status["history_layout"]
    if layout["found"] is not None and layout["found"] < layout["this_release"]:
        out.line(f"history:  layout {layout['found']}, upgraded in place to {layout['this_release']} by the next "
                 "command that writes")
    out.line("")
    states = [v["state"] + (" (baseline)" if v["baseline"] else "") for v in status["versions"]]
    width = max([12, *map(len, states)])
    listed = []  # (written at once: a line at a time, each flushed, is a write per version)
    for v, state in zip(status["versions"], states):
        when = f"{v['applied_at']}  {v['execution_ms']:>6} ms" if v["applied_at"] else " " * 29
        kept = f"  [backup: {_counted(v['backups']['rows'], 'row')}]" if v["backups"] else ""
        kept += f"  [tried {v['retries'] + 1} times: a lock was held]" if v["retries"] else ""
        listed.append(f"{v['version']:<12} {state:<{width}} {when}  {v['description']}{kept}".rstrip())
        for module in v["code_not_found"]:
            listed.append(f"{'':<12} module {module}, which a python operation names, is not found (run status from "
                          "the application's folder)")
        if v["state"] == "changed" and v["code_modules"]:
            listed.append(f"{'':<12} its checksum also covers the source of {', '.join(v['code_modules'])}: an edit "
                          "there counts")
    if listed:
        out.line("\n".join(listed))
    if status["versions"] and all(v["state"] == "missing" for v in status["versions"]):
        out.line(f"\nno spec file of any applied version is in {migrator.settings.specs_dir}: is it the specs folder "
                 "(--specs-dir, MIGRATOR_SPECS_DIR)?")
    _show_repeatable_states(out, status["repeatables"], width)
    if status["drift"]:
        out.line(f"\nthe live schema no longer matches {status['drift']['version']}:")
        for difference in status["drift"]["differences"]:
            out.line(f"  {difference}")
    return 0


def _show_repeatable_states(out, repeatables, width):
    if repeatables:
        out.line("\nrepeatable specs (run after the versions when pending or changed):")
    for r in repeatables:
        when = f"{r['applied_at']}  {r['execution_ms']:>6} ms" if r["applied_at"] else " " * 29
        out.line(f"{r['name']:<12} {r['state']:<{width}} {when}  {r['description']}".rstrip())


def _cmd_validate(migrator, args, out):
    report = migrator.validate()
    out.document({"valid": True, **report})
    new = "no database yet, " if report["no_database_yet"] else ""
    where = f"and checked against {report['database']}" if report["database"] else \
        f"(files only: {new}{report['reason']})"
    files = "1 spec file is" if report["versions"] == 1 else f"{report['versions']} spec files are"
    out.line(f"{files} valid {where}")
    if report.get("repeatables"):
        out.line(f"{_counted(report['repeatables'], 'repeatable spec')} (sql only) valid")
    if "checked_when_run" in report:
        stop = report["checked_when_run"]
        out.line(f"the operations from {stop['version']}, operation {stop['index']} on follow an sql or python operation, whose "
                 "effect is not known before it runs: they are checked as they run")
    return 0


def _cmd_schema(migrator, args, out):
    if args.format != "text":
        return _schema_diagram(migrator, args, out)
    schema = migrator.schema()
    out.document(schema)
    if schema["no_database_yet"]:
        out.line(f"no database yet at {schema['database']}: no tables")
    for name, table in schema["tables"].items():
        out.line(f"{name}")
        for c in table["columns"]:
            default = f" default {c['default']}" if c["default"] is not None else ""
            key = " primary key" if c["primary_key"] else ""
            out.line(f"  {c['name']:<24} {c['type']}{'' if c['null'] else ' not null'}{default}{key}")
        for i in table["indexes"]:
            shape = i.get("definition") or f"({', '.join(c or '(expression)' for c in i['columns'])})"
            out.line(f"  {'unique ' if i['unique'] else ''}index {i['name']} {shape}")
        for key in _foreign_key_lines(table["foreign_keys"], schema["tables"]):
            out.line(f"  foreign key {key}")
        for c in table.get("checks", ()):
            out.line(f"  check {c['name']} {c['check']}")
        for g in table.get("triggers", ()):
            out.line(f"  trigger {g['name']}")
    return 0


def _foreign_key_lines(foreign_keys, tables):
    """A line per foreign key: `column -> table.column`, or for a composite key (listed column by column, sharing
    the key's name, or on SQLite, which names none, pointing into a composite primary key) `(a, b) -> table (x, y)`;
    with its actions."""
    keys = {}
    for f in foreign_keys:
        table, column = f["references"].rsplit(".", 1)
        composite = column in tables.get(table, {}).get("primary_key", ())  # listed only when composite
        keys.setdefault(f.get("name") or (("composite", table) if composite else ("column", f["column"])), []).append(f)
    for members in keys.values():
        first = members[0]
        actions = "".join(f" on {k[3:]} {first[k]}" for k in ("on_delete", "on_update") if first[k])
        if len(members) == 1:
            yield f"{first['column']} -> {first['references']}{actions}"
            continue
        table = first["references"].rsplit(".", 1)[0]
        columns = ", ".join(f["column"] for f in members)
        referenced = ", ".join(f["references"].rsplit(".", 1)[1] for f in members)
        yield f"({columns}) -> {table} ({referenced}){actions}"


def _schema_diagram(migrator, args, out):
    if out.json:
        raise SpecError(f"--format {args.format} prints a diagram and --json the JSON document: give one of them")
    from . import diagrams

    print(getattr(diagrams, args.format)(migrator.schema()), end="", flush=True)  # printed with -q too, as --json is
    return 0


def _cmd_verify(migrator, args, out):
    report = migrator.verify(args.target)
    out.document(report)
    out.line(f"verified on {report['copy']}" + (" (no database yet)" if report["no_database_yet"] else ""))
    for v in report["versions"] + report.get("repeatables", []):
        out.line(f"{v['version']:<12} {'reversible' if v['reversible'] else 'NOT reversible'}")
        for line in v["differences"] + ([f"failed: {v['failed']}"] if "failed" in v else []):
            out.line(f"  {line}")
    if not report["versions"] and not report.get("repeatables"):
        out.line("nothing pending to verify")
    return 0 if report["reversible"] else 1


def _cmd_baseline(migrator, args, out):
    result = migrator.baseline(args.target, force=args.force)
    for difference in result["differences"]:
        out.warning(difference)
    out.line(f"recorded {', '.join(result['versions'])} as applied (baseline, not run)"
             + (" although the live schema is not what they build (--force)" if result["differences"] else ""))
    out.document({"database": migrator.settings.masked_url, "baseline": result["versions"],
                  "differences": result["differences"]})
    return 0


def _cmd_new(migrator, args, out):
    path = migrator.new(args.target, args.message)
    out.line(f"wrote {path}")
    out.document({"path": str(path)})
    return 0


def _cmd_generate(migrator, args, out):
    if args.check and args.dry_run:
        raise SpecError("--check compares and --dry-run prints the spec: give one of them")
    ask = None if args.no_input or not sys.stdin.isatty() else _answer
    report = migrator.generate(
        args.models, description=args.message, version=args.new_version, against_live=args.against_live,
        from_empty=args.from_empty, renames=_pairs(args.rename, "--rename", "TABLE.OLD=NEW"),
        table_renames=_pairs(args.rename_table, "--rename-table", "OLD=NEW"), no_renames=args.no_renames,
        allow_destructive=args.allow_destructive, allow_sql=args.allow_sql, ask=ask,
        mode="check" if args.check else "dry_run" if args.dry_run else "write")
    if args.check:
        return _generate_check(report, out)
    out.document({k: v for k, v in report.items() if k != "text" or args.dry_run})
    if args.dry_run and not out.json:  # stdout is the spec alone; the rest goes to stderr
        if report["operations"]:
            print(report["text"], end="", flush=True)
        secret, out = out.secret, Output(argparse.Namespace(json=False, quiet=out.quiet), stream=sys.stderr)
        out.secret = secret
    for name in report["skipped_models"]:
        out.line(f"left out: {name} (an abstract base, with no table of its own)")
    if not report["operations"]:
        out.line(f"no changes: the models and {report['against']} agree; no file was written")
        return 0
    for operation in report["operations"]:
        out.line(f"  {json.dumps(operation, ensure_ascii=False)}")
    for note in report["notes"]:
        out.line(f"note: {note}")
    for operation in report["destructive"]:
        out.line(f"destroys data: {operation} (a backup is kept for rollback)")
    where = report["path"] or "nothing written (--dry-run)"
    out.line(f"{report['version']}: {_counted(len(report['operations']), 'operation')}; proven on a scratch database: they build "
             f"the models' schema exactly and roll back exactly; {'wrote ' if report['path'] else ''}{where}")
    return 0


def _generate_check(report, out):
    out.document({k: v for k, v in report.items() if k not in ("text", "path", "proof")}
                 | {"agree": not report["differences"]})
    if not report["differences"]:
        out.line(f"the models and {report['against']} agree")
        return 0
    out.line(f"the models and {report['against']} disagree:")
    for difference in report["differences"]:
        out.line(f"  {difference}")
    if report["operations"]:
        out.line("missing operations:")
    for operation in report["operations"]:
        out.line(f"  {json.dumps(operation, ensure_ascii=False)}")
    for problem in report["problems"]:
        out.line(problem)
    return 1


def _pairs(values, flag, shape):
    pairs = {}
    for value in values:
        old, equals, new = value.partition("=")
        if not (equals and old.strip() and new.strip()):
            raise SpecError(f"{flag} {value}: give it as {shape}")
        pairs[old.strip()] = new.strip()
    return pairs


def _answer(question):
    """A question on the terminal (on stderr, so that stdout stays the command's output); the answer typed."""
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline()


def _cmd_schema_file(migrator, args, out):
    path = migrator.schema_file()
    out.line(f"wrote {path}")
    out.document({"path": str(path)})
    return 0


def _cmd_prune(migrator, args, out):
    held = migrator.backups(args.target)
    if held and not args.yes:
        for version, kept in held.items():
            print(f"  {version}: {_counted(kept['tables'], 'backup table')}, {_counted(kept['rows'], 'row')}",
                  file=sys.stderr)
        _confirm(f"Drop these data backups of applied versions up to {args.target or 'the newest'}? "
                 "Their rollback will then restore the schema only.")
    dropped = migrator.prune(args.target)
    for version, tables in dropped.items():
        out.line(f"{version}: dropped {', '.join(tables)}")
    if not dropped:
        out.line("no backups to prune")
    out.document({"pruned": dropped})
    return 0


def _cmd_repair(migrator, args, out):
    resolved = migrator.repair(accept=args.accept)
    applied = {row.version for row in migrator.history.rows() if row.state == "applied"}
    for version in resolved:
        out.line(f"{version}: " + ("recorded as applied" if args.accept else
                                   "the part of its rollback that ran is undone: it is still applied"
                                   if version in applied else "undone; it is pending again"))
    changed = [v for v, _, _ in migrator.changed_versions()]
    edits = migrator.edits() if changed else {}
    for version, edit in edits.items():
        _show_edit(out, version, edit)
    if changed and not args.yes:
        _confirm(f"Record the current contents of {', '.join(changed)}?",
                 "the new checksums were not recorded" + ("" if resolved else "; nothing was changed"))
    if changed:
        migrator.accept_checksums()
        out.line(f"recorded the new checksums of {', '.join(changed)}")
    if not resolved and not changed:
        out.line("nothing to repair")
    out.document({"resolved": resolved, "checksums_recorded": changed, "changes": edits})
    return 0


def _show_edit(out, version, edit):
    out.line(f"{version} changed since it was applied ({edit['file']}):")
    if edit["baseline"]:
        out.line(f"  {version} was recorded by baseline and never ran here: its operations are compared with nothing")
    for line in edit["diff"] or ["its undo is the same as when it ran"]:
        out.line(f"  {line}")
    if edit["builds"] != "same" and not edit["diff"]:
        out.line("  its operations now:")
        for operation in edit["operations"]:
            out.line(f"    {json.dumps(operation)}")
    out.line(f"  {edit['summary']}")
    for module, path in edit["code"].items():
        out.line(f"  its checksum covers the source of module {module} ({path or 'not found'}): an edit there "
                 "changes it too")
    if edit["diff"] and not edit["baseline"]:
        out.line(f"  (recording the new checksum leaves the stored undo as it is: a rollback of {version} runs the "
                 "undo stored when it ran)")


def _confirm(question, cancelled="nothing was changed"):
    """Ask on the terminal; no is a clean cancel. Without a terminal there is no one to ask: --yes is needed."""
    if not sys.stdin.isatty():
        raise SpecError(f"{question} There is no terminal to ask on: pass --yes to go ahead")
    if not _ask(question):
        raise Cancelled(cancelled)


def _ask(question):
    """A yes/no question on the terminal (on stderr, so that stdout stays the command's output)."""
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


class Progress:
    """Per version: on a terminal a live line (done/total, current version, elapsed), else plain lines."""

    def __init__(self, out, verb):
        self.out, self.verb = out, verb
        self.live = sys.stdout.isatty() and not out.json and not out.quiet
        self.started = time.monotonic()

    def __call__(self, version, done, total, result):
        if result is None:
            if done == 0:
                self.started = time.monotonic()  # not counting a question asked before
            if self.live and total > 1:
                elapsed = time.monotonic() - self.started
                print(f"\r[{done + 1}/{total}] {version} ... {elapsed:.1f} s\033[K", end="", flush=True)
            return
        if self.live and total > 1:
            print("\r\033[K", end="")
        self.out.line(f"{self.verb} {result.version} in {result.execution_ms} ms  {result.description}".rstrip())
        for note in result.notes:  # as each version ends: a later one may fail
            self.out.line(f"  note: {result.version}: {note}")
        for loss in result.dropped:
            self.out.line(f"  dropped: {result.version}: {_loss(loss)}")


class FillProgressLine:
    """A fill's batches: on a terminal one line updated in place; with -v elsewhere, a line every few seconds."""
    EVERY = 5.0  # seconds between the lines of -v

    def __init__(self, out, verbose):
        self.out, self.verbose = out, verbose
        self.live = sys.stdout.isatty() and not out.json and not out.quiet
        self.shown = 0.0

    def __call__(self, progress):
        if self.live:
            end = "\n" if progress.finished else ""
            print(f"\r{_fill_text(progress)}\033[K", end=end, flush=True)
        elif self.verbose and (progress.finished or time.monotonic() - self.shown >= self.EVERY):
            self.shown = time.monotonic()
            print(_fill_text(progress), file=sys.stderr, flush=True)


def _fill_text(progress):
    what = f"fill {progress.table}.{progress.column}: {progress.done:,} of ~{progress.estimate:,} rows"
    if progress.finished:
        return f"{what}, done"
    left = progress.seconds_left
    return f"{what}, {progress.rate:,.0f} rows/s" + (f", {left:.0f} s left" if left is not None else "")


COMMANDS = {name[5:].replace("_", "-"): function for name, function in globals().items() if name.startswith("_cmd_")}
