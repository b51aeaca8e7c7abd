"""Replaying spec files into an empty scratch database of the same backend, to learn what they build.

`baseline` compares what the specs up to a version build with the live schema before adopting it; `repair`
compares what an edited applied file builds, and the undo it gives, with what ran. The scratch space is made
as `verify` makes one (SQLite: a file in a temporary folder, empty here; PostgreSQL: a scratch schema;
MySQL/MariaDB: a scratch database) and dropped after, also after a failure or Ctrl-C. The real database is
only read.
"""
import difflib
import json
import os
from contextlib import contextmanager

from . import history as hist
from .errors import MigratorError
from .introspect import differences, fingerprint
from .versions import Version

DATA_STEPS = ("restore_data", "data_not_kept")  # about rows, not the schema: a replay has none to keep


@contextmanager
def replaying(migrator):
    """A Runner on an empty scratch space of the migrator's backend, with its history table."""
    from .database import alike
    from .runner import Runner

    name = f"_migrator_replay_{os.getpid()}_{os.urandom(3).hex()}"
    with migrator.dialect.scratch_space(migrator.settings, name, copy=False) as (settings, _, _):
        with alike(migrator, settings) as scratch:
            scratch.history.ensure()
            runner = Runner(scratch.db, scratch.dialect, scratch.history, backups=False)
            with scratch.dialect.batch():
                yield runner


def unlike_live(migrator, specs, live):
    """How the live schema (canonical data) differs from what `specs` build, applied in order on an empty
    database, as sentences; empty when it is what they build."""
    try:
        with replaying(migrator) as runner:
            for spec in specs:
                runner.apply_version(spec)
            built = json.loads(runner.ctx.schema.canonical_json())
    except MigratorError as error:
        return [f"the specs cannot be replayed on an empty database, so what they build is not known: "
                f"{error.message}"]
    built, live = _equivalent(migrator.dialect, built), _equivalent(migrator.dialect, live)
    return differences(built, live, added="is in the live schema, but no spec makes it",
                       dropped="is made by the specs, but missing from the live schema",
                       changed="differs (specs -> live)")


def _equivalent(dialect, schema):
    """The schema data with each column in the form the specs give it, where another spelling builds it too."""
    return {name: {**table, "columns": [dialect.equivalent_column(c, table) for c in table["columns"]]}
            for name, table in schema.items()}


def compare_edits(migrator, rows, specs, edited):
    """For each applied version named in `edited`, how its file (`specs`, by Version) now differs from what ran:
    its undo as stored then and as the file now gives it, and whether the schema after it is the one recorded.

    The applied versions' files are replayed on an empty database in the order they were applied. Where the
    schema before a version is the one recorded after the version before it (by its fingerprint; the first
    starts from nothing), the schema the version builds now is compared exactly with the one recorded after it.
    """
    report, doubt, stopped = {}, None, None  # doubt: why the replay may not stand where the live database stood
    with replaying(migrator) as runner:
        for row in rows:
            spec = specs.get(Version(row.version))
            if stopped or spec is None:
                doubt = stopped or f"the file of {row.version} is missing"
                if spec and row.version in edited:
                    report[row.version] = _edit(row, spec, None, "unknown", [doubt])
                continue
            try:
                runner.apply_version(spec)
            except MigratorError as error:
                if row.version in edited:
                    verdict = ("unknown", [doubt]) if doubt else ("unknown", [
                        f"its python operation cannot run in the replay, on an empty database without the rows it "
                        f"works on ({error.message})"]) if error.details.get("action") == "python" else (
                        "different", [f"it cannot be applied where it was: {error.message}"])
                    report[row.version] = _edit(row, spec, None, *verdict)
                stopped = f"{row.version}, applied before it, cannot be replayed: {error.message}"
                continue
            text = runner.ctx.schema.canonical_json(hist.legacy_schema(row))
            if row.version in edited:
                undo = hist.inverse_of(runner.history.newest_applied())
                report[row.version] = _edit(row, spec, undo, *_verdict(migrator, row, text, doubt))
            doubt = _doubt_after(row, text, doubt)
    return report


def _doubt_after(row, text, doubt):
    """Why the replay may not stand where the live database stood after the row's version, or None."""
    if row.fingerprint is None:
        # baseline records the schema on its last version only: the versions it adopted are judged together
        return doubt if hist.inverse_of(row) is None else f"no schema was recorded after {row.version}"
    if fingerprint(text) != row.fingerprint:
        return f"the files up to {row.version} do not rebuild the schema recorded after it"
    return None


def _verdict(migrator, row, text, doubt):
    """(builds, sentences): whether the schema built now (canonical JSON text) is the one recorded after the
    row's version: 'same', 'different' (naming the differences where the recorded schema was kept), or
    'unknown' (and why)."""
    if doubt or row.fingerprint is None:
        return "unknown", [doubt or "no schema was recorded after it"]
    if fingerprint(text) == row.fingerprint:
        return "same", []
    recorded = migrator.history.schema_after(row)
    if recorded is None:
        return "different", ["the schema after it is not the one recorded when it ran (only that schema's "
                             "fingerprint was kept, so the differences cannot be named)"]
    return "different", differences(recorded, json.loads(text))


def _edit(row, spec, undo, builds, found):
    version = row.version
    baseline = hist.inverse_of(row) is None
    operations = [op.to_dict() for op in spec.operations]
    if baseline:
        diff = _diff([], operations, f"{version} as applied (by baseline: not run, so nothing is known of it)",
                     f"{version} in its file now")
    else:
        diff = _diff(_schema_steps(hist.inverse_of(row)), _schema_steps(undo or []),
                     f"the undo of {version}, stored when it ran", f"the undo of {version} as its file now makes it"
                     + ("" if undo is not None else " (not known: it could not be replayed)"))
    summary = {"same": f"{version} builds the same schema on this database as what was applied",
               "different": f"{version} now builds something else than what was applied: " + "; ".join(found),
               "unknown": f"whether {version} builds what was applied cannot be told: " + "; ".join(found)}[builds]
    return {"file": str(spec.path), "baseline": baseline, "operations": operations, "diff": diff,
            "builds": builds, "differences": found if builds == "different" else [], "summary": summary,
            "code": _code_of(spec)}


def _code_of(spec):
    """{module: its source file, or None} for each module the version's python operations name: their source
    counts in its checksum, so an edit there changes it while its file does not."""
    from .code import module_of, source_file

    names = [module_of(path) for op in spec.operations if op.action == "python" for path in (op.up, op.down) if path]
    return {name: source_file(name) for name in dict.fromkeys(names)}


def _schema_steps(steps):
    """The steps that change the schema, as operations (without the mark of which operation each undoes)."""
    return [{k: v for k, v in step.items() if k != "undoes"} for step in steps if step.get("action") not in DATA_STEPS]


def _diff(old, new, old_label, new_label):
    """A unified diff of two lists of operations, one operation a line as JSON; empty when they are the same."""
    lines = difflib.unified_diff([json.dumps(o) for o in old], [json.dumps(o) for o in new], old_label, new_label,
                                 n=max(len(old), len(new)), lineterm="")
    return list(lines)
