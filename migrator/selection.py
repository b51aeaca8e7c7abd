"""What runs: the versions a command applies or undoes, chosen from the spec files and the history, and the
guards that refuse a run before anything is written. Every command chooses through here, so that `migrate`,
`rollback`, `status`, `validate` and `verify` always agree on what is applied and what is pending."""
from . import history as hist
from .errors import HistoryMismatch, SpecError, step_of
from .versions import Version


def known_target(target, specs):
    """The target as a Version, refused when no spec file has it; None for none."""
    if target is None:
        return None
    version = Version(target) if isinstance(target, str) else target
    if version not in {s.version for s in specs}:
        raise SpecError(f"unknown version {version} (known: {listed([s.version for s in specs])})")
    return version


def listed(versions, ends=5):
    """Versions for a message: every one of a few, else the first and last `ends` and how many in all."""
    names = [str(v) for v in versions]
    if len(names) <= 2 * ends + 1:
        return ", ".join(names) or "none"
    return f"{', '.join(names[:ends])}, ... {', '.join(names[-ends:])} ({len(names)} versions)"


def applied_versions(rows):
    return {Version(r.version) for r in rows}


def pending(specs, rows, target=None):
    """The specs not applied yet, up to and including `target` (all without it), in order."""
    applied = applied_versions(rows)
    return [s for s in specs if s.version not in applied and (target is None or s.version <= target)]


def to_undo(rows, target, steps, everything):
    """Applied rows to undo, newest application first (`rows` are in that order)."""
    if everything:
        return rows
    if steps is not None:
        if steps < 1 or steps > len(rows):
            raise SpecError(f"--steps must be between 1 and {len(rows)}, the number of applied versions")
        return rows[:steps]
    if target is not None:
        refuse_unapplied(target, rows)
        return [r for r in rows if Version(r.version) > target]
    return rows[:1]


def changed(rows, specs):
    """(row, spec) for each applied version whose file's checksum differs from the recorded one."""
    files = {s.version: s for s in specs}
    pairs = ((row, files.get(Version(row.version))) for row in rows)
    return [(row, spec) for row, spec in pairs if spec and row.checksum is not None and not spec.matches(row.checksum)]


def missing(rows, specs):
    """The applied versions that have no spec file."""
    files = {s.version for s in specs}
    return [row.version for row in rows if Version(row.version) not in files]


def state(spec, row, newest_applied, interrupted):
    """A version's state in `status`: from its file (`spec`) and its history row, either may be None."""
    if row is None:
        return "out_of_order" if newest_applied is not None and spec.version < newest_applied else "pending"
    if row.state != hist.APPLIED:
        return "failed" if row.state == hist.FAILED or interrupted else "running"
    if spec is None:
        return "missing"
    return "changed" if row.checksum is not None and not spec.matches(row.checksum) else "applied"


def repeatable_state(file, row):
    """A repeatable spec's state: from its file and its record (migrator/repeatable.py), either may be None."""
    from .repeatable import APPLIED, CHANGED, MISSING, PENDING

    if row is None:
        return PENDING
    if file is None:
        return MISSING
    return APPLIED if file.checksum == row.checksum else CHANGED


def repeatables_to_run(files, rows):
    """The repeatables a migrate runs after the versions: never applied, or changed since; in name order. One whose
    file is gone (`missing`) is left as it is."""
    from .repeatable import CHANGED, PENDING

    return [f for f in files if repeatable_state(f, rows.get(f.name)) in (PENDING, CHANGED)]


# -- guards: each raises, before anything is written --------------------------------------------------------
def refuse_unfinished(rows, specs=None):
    """`specs`, where known: a version a killed run left that migrate would finish, but for its edited file."""
    for row in rows:
        if row.state != hist.APPLIED:
            raise HistoryMismatch(unfinished_message(row, specs))


def unfinished_message(row, specs=None):
    """What a version left part-way is, and what to run: `migrate` refuses to go on until it is done. `specs`: the
    spec files, to tell that the file of a version migrate would finish has changed since."""
    detail = hist.detail_of(row)
    rollback = detail.get("direction") == "rollback"
    where = "" if "failed_index" not in detail else f" at step {detail['failed_index']} of its undo" \
        if rollback else f" at operation {detail['failed_index']}"
    advice = ("Run `migrator repair` to undo the part of the rollback that ran: the version stays applied"
              if rollback else "Run `migrator repair` to undo the part that ran (or `migrator repair "
              "--accept` to keep it as applied, without the operations that did not run)")
    if detail.get("resumable") and not rollback and row.state == hist.RUNNING:
        advice = ("Run `migrator migrate` to finish it from where it stopped (its spec file must be as it "
                  "was), or `migrator repair` to undo the part that ran")
        file = next((s for s in specs or () if str(s.version) == row.version), None)
        if specs is not None and (file is None or file.checksum != row.checksum):
            advice = (f"Its spec file has {'gone' if file is None else 'changed'} since that run, so `migrator "
                      "migrate` cannot finish it: put the file back as it was and run `migrator migrate`, or run "
                      "`migrator repair` to undo the part that ran")
    return (f"{row.version} did not finish ({detail.get('direction', 'migrate')}{where}): "
            f"the database may be part-way through it. {advice}.")


def refuse_changed(rows, specs):
    found = changed(rows, specs)
    edited = [row.version for row, _ in found]
    if edited:
        code = "".join(f" ({row.version}'s checksum also covers the source of {', '.join(spec.code_modules)}: an "
                       "edit there counts)" for row, spec in found if spec.code_modules)
        raise HistoryMismatch(f"applied spec files have changed since they were applied: {', '.join(edited)}"
                              f"{code}. Restore them, or record the new contents with `migrator repair` (first make "
                              "sure --specs-dir is this project's specs folder).", versions=edited)


def missing_message(versions):
    return (f"applied versions have no spec file: {', '.join(versions)}. Is the specs folder the right one? Restore "
            "the files (a rollback needs none: it runs the stored inverses)")


def refuse_foreign_folder(rows, specs):
    """The applied versions that have no spec file; refused when not one of them has a file (another project's
    folder, likely)."""
    versions = missing(rows, specs)
    if versions and len(versions) == len(rows):
        raise HistoryMismatch(missing_message(versions) + "; none of the applied versions has a file in this "
                              "folder: nothing was applied", versions=versions)
    return versions


def refuse_missing(rows, specs):
    versions = missing(rows, specs)
    if versions:
        raise HistoryMismatch(missing_message(versions), versions=versions)


def refuse_out_of_order(pending_specs, current, allowed):
    late = [str(s.version) for s in pending_specs if current is not None and s.version < current]
    if late and not allowed:
        raise HistoryMismatch(f"pending versions below the current version {current}: {', '.join(late)}. "
                              "Apply them with --out-of-order, or renumber them.", versions=late)


def refuse_below_current(target, rows):
    applied = applied_versions(rows)
    current = max(applied, default=None)
    if target is not None and target in applied and target < current:
        raise SpecError(f"{target} is below the current version {current}: "
                        f"to go back, run `migrator rollback {target}`")


def refuse_unapplied(target, rows):
    if target not in applied_versions(rows):
        applied = sorted(map(Version, (r.version for r in rows)))
        raise SpecError(f"{target} is not applied (applied: {listed(applied)})")


def refuse_irreversible(row, steps):
    """`steps`: the row's stored inverse, loaded (None for a baseline row, which stored none)."""
    if steps is None:
        raise SpecError(f"{row.version} was recorded by baseline, without inverses: it cannot be rolled back; nothing "
                        f"was changed (`migrator rollback {row.version}` undoes the versions applied after it)")
    for operation in steps:
        if operation.action == "irreversible":
            raise SpecError(f"{row.version} cannot be rolled back: {operation.reason}; nothing was changed")


def refuse_unrunnable(row, steps, dialect):
    """A stored step that cannot run here (the application's function a python step names is gone), found before
    anything runs."""
    for index, step in enumerate(steps):
        try:
            step.check_here(dialect)
        except SpecError as error:
            where = step_of(row.version, index, step.action, True, step.undoes)
            raise SpecError(f"{row.version} cannot be rolled back: {where}: {error.reason}; nothing was "
                            "changed") from None


def recorded(file, row):
    """What `status` lists of a version or a repeatable from its file and its record (either may be None): its
    description and checksum (the file's when there is one), and when, how long and by whom it was applied."""
    return {"description": (file.description if file else row.description) or "",
            "checksum": file.checksum if file else row.checksum,
            "applied_at": row.applied_at.isoformat(sep=" ") if row else None,
            "execution_ms": row.execution_ms if row else None,
            "applied_by": row.applied_by if row else None,
            "tool_version": row.tool_version if row else None}
