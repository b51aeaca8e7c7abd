"""The `migrator` command over a fleet (--targets, --all-schemas): a line per target as it ends, a live line on a
terminal, and the summary; a thin layer over `migrator.fleet.Fleet`."""
import sys
import time

COMMANDS = ("migrate", "rollback", "status", "validate", "lint", "verify")
_DONE = {"migrate": "applied", "rollback": "rolled back"}


def add_options(parser, command):
    group = parser.add_argument_group("fleet options (see A fleet of databases in the README)")
    group.add_argument("--targets", metavar="FILE|URL",
                       help="run on many databases: a file of database URLs (one a line, # comments, ${VAR} from "
                            "the environment), or an SQLite file pattern or folder ('sqlite:///data/*.db') "
                            "(env MIGRATOR_TARGETS)")
    group.add_argument("--all-schemas", nargs="?", const="*", metavar="PATTERN",
                       help="every schema (PostgreSQL) or database (MySQL/MariaDB) of the server whose name matches "
                            "the glob (all without PATTERN), each a target (env MIGRATOR_ALL_SCHEMAS)")
    group.add_argument("--parallel", type=int, metavar="N",
                       help="targets at a time (env MIGRATOR_PARALLEL; default 4, SQLite: up to 4 cores; never "
                            "more than the server has connections for)")
    group.add_argument("--fail-fast", action="store_true", default=None,
                       help="start no more targets after one fails (env MIGRATOR_FAIL_FAST)")
    group.add_argument("--summary", metavar="FILE",
                       help="where the fleet's summary is written (env MIGRATOR_SUMMARY; default "
                            ".migrator-fleet.json for migrate and rollback, none for the read-only commands)")
    if command in _DONE:
        group.add_argument("--only-failed", action="store_true",
                           help="run only the targets that the summary of the last run does not say are done "
                                "(failed, not reached, or still running when it stopped)")


def run(args, settings, out):
    from .fleet import Fleet

    from dataclasses import replace

    if args.command not in _DONE and args.summary is None:  # read-only: a summary only when asked on the line
        settings = replace(settings, summary=None)
    live = LiveLine(out)
    fleet = Fleet(settings=settings, on_target=lambda result: _ended(out, live, args.command, result),
                  on_progress=live.show, on_warning=lambda message: (live.clear(), out.warning(message)))
    found = _command(fleet, args, out)
    live.clear()
    out.document(found.to_json())
    for line in _summary_lines(found):
        out.line(line)
    return found.exit_code


def _command(fleet, args, out):
    name = args.command
    if name == "migrate":
        return fleet.migrate(args.target, out_of_order=args.out_of_order, backups=not args.no_backup,
                             accept_loss=args.accept_loss, only_failed=args.only_failed)
    if name == "rollback":
        ask = None if args.yes or not sys.stdin.isatty() or out.json else _ask_rollback
        return fleet.rollback(args.target, steps=args.steps, accept_loss=args.accept_loss,
                              only_failed=args.only_failed, confirm=ask)
    if name in ("lint", "verify"):
        return getattr(fleet, name)(args.target)
    return getattr(fleet, name)()


def _ask_rollback(targets):
    from .cli import _ask

    return _ask(f"Roll back {targets:,} target{'s' if targets != 1 else ''}? Where a version made tables or "
                "columns that now hold rows, they are dropped with their rows, without a question per target.")


class LiveLine:
    """On a terminal, one line updated in place: targets done, failed and running, and the time."""

    def __init__(self, out):
        self.on = sys.stdout.isatty() and not out.json and not out.quiet
        self.shown = 0.0

    def show(self, counts, seconds):
        if self.on and time.monotonic() - self.shown >= 0.1:
            self.shown = time.monotonic()
            ended = counts["done"] + counts["failed"]
            print(f"\r[{ended}/{counts['targets']}] {counts['done']} done, {counts['failed']} failed, "
                  f"{counts['running']} running, {seconds:.1f} s\033[K", end="", flush=True)

    def clear(self):
        if self.on:
            print("\r\033[K", end="", flush=True)


def _ended(out, live, command, result):
    live.clear()
    name = result.target.name
    for warning in result.warnings:
        out.warning(f"{name}: {warning}")
    if result.state != "done":
        done = f"; {', '.join(result.versions)} {_DONE[command]} before it" if result.versions else ""
        out.failure(f"FAILED {name} (exit {result.exit_code}, {result.seconds:.2f} s{done}): {_why(result)}")
    elif command != "status" and not live.on:  # on a terminal the live line counts them
        out.line(f"ok {name}: {_what(command, result)} ({result.seconds:.2f} s)")
    for note in result.notes:
        out.line(f"  note: {name}: {note}")
    for loss in result.dropped:
        from .cli import _loss

        out.line(f"  dropped: {name}: {loss['version']}: {_loss(loss)}")


def _what(command, result):
    """What a target that ended well came to."""
    if command in _DONE:
        return f"{result.before or 'no version'} -> {result.after or 'no version'}, " \
               f"{len(result.versions)} {_DONE[command]}" if result.versions else \
               f"at {result.after or 'no version'}, nothing to {command.replace('migrate', 'apply')}"
    if command == "lint":
        return f"{result.report['operations']} operation(s) rated, none refused"
    return "valid" if command == "validate" else "every pending version reversible"


def _why(result):
    """What went wrong on a target: its error, or what lint refused or verify found not reversible."""
    if result.error:
        return result.error
    if result.report.get("refused"):
        refused = [f"{o['version']} {o['index']}. {o['action']} on {o['table']} ({o['rating']}"
                   + (f", {o['rows']:,} rows)" if o["rows"] is not None else ")") for o in result.report["refused"]]
        return f"lint refused {'; '.join(refused)} (migrator lint on the target says why)"
    return f"exit {result.exit_code}"


def _summary_lines(found):
    if not found and found.earlier:
        yield f"nothing to run again: every target of the last {found.command} run is done"
        return
    counts = found.counts()
    not_reached = f", {counts['not_reached']:,} not reached" if counts["not_reached"] else ""
    running = f", {counts['running']:,} left running" if counts["running"] else ""
    if found.command != "status":  # after the lines of the targets
        yield ""
    yield (f"{counts['targets']:,} target{'s' if counts['targets'] != 1 else ''} in {found.seconds:.1f} s (parallel "
           f"{found.parallel}): {counts['done']:,} done, {counts['failed']:,} failed{not_reached}{running}")
    if found.command == "status":
        yield from _groups(found)
    failed = [r for r in found if r.state == "failed"]
    if failed:
        yield "failed:"
        yield from (f"  {r.target.name}: exit {r.exit_code}: {_why(r)}" for r in failed)
    if found.interrupted:
        yield "interrupted: the targets not reached were not started"
    elif found.stopped_after_failure and counts["not_reached"]:
        yield "--fail-fast: the targets not reached were not started after the first failure"
    if found.summary_lost:
        yield found.summary_lost
    elif found.summary:
        again = "; to run what did not finish: the same command with --only-failed" \
            if found.command in _DONE and (counts["failed"] or counts["not_reached"] or counts["running"]) else ""
        yield f"summary written to {found.summary}{again}"


def _groups(found):
    groups = found.groups()
    parts = [f"{version}: {count:,} target{'s' if count != 1 else ''}" for version, count in groups["versions"].items()]
    parts += [f"failed: {groups['failed']:,}"] if groups["failed"] else []
    yield ", ".join(parts) or "no target could be read"
    by_name = {r.target.name: r for r in found}
    if groups["stragglers"]:
        yield f"behind {groups['newest']}:"
        yield from (f"  {name}: {by_name[name].report['current'] or 'no version'}" for name in groups["stragglers"])
    if groups["attention"]:
        yield "versions that need a look (migrator status on the target):"
        yield from (f"  {name}: {', '.join(by_name[name].report['attention'])}" for name in groups["attention"])
    if groups["drift"]:
        yield "drift (the live schema no longer matches the current version):"
        yield from (f"  {name}: {'; '.join(by_name[name].report['drift'])}" for name in groups["drift"])
    if groups["in_progress"]:
        yield "a run is in progress on:"
        yield from (f"  {name}" for name in groups["in_progress"])
    pending = {tuple(r.report["pending"]) for r in found if r.state == "done"}
    if groups["agree"] and len(pending) == 1 and pending != {()}:
        yield f"pending on every target: {', '.join(next(iter(pending)))}"
    yield {True: "the targets agree", False: "the targets disagree (exit 4)",
           None: f"{groups['failed']:,} target(s) could not be read: whether all agree is not known"}[groups["agree"]]
