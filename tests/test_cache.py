"""The cache of spec checksums and catalog fingerprints (migrator/cache.py): what `status` reads instead of a
thousand unchanged files and every table of an unchanged SQLite database. It never reports an edited file as
applied, never hides drift, lives outside the specs folder, and only `migrate` writes it."""
import json
import os
import sqlite3

from migrator.cache import Cache, folder


def _status(run):
    code, out, err = run("status", "--json")
    assert code in (0, 4), out + err
    return json.loads(out)


def _states(run):
    return {v["version"]: v["state"] for v in _status(run)["versions"]}


def _write(specs, version, operations):
    return specs(version, {"description": version, "operations": operations})


def _table(name):
    return [{"action": "create_table", "table": name, "columns": {"title": "CharField(max_length=20)"}}]


def test_migrate_keeps_the_checksums_outside_the_specs_folder_and_status_writes_nothing(database, specs, run):
    for number, name in enumerate(("alpha", "bravo", "charlie"), 1):
        _write(specs, f"v1.{number}.0", _table(name))
    listed = sorted(os.listdir(specs.folder))
    assert run("migrate")[0] == 0
    assert sorted(os.listdir(specs.folder)) == listed  # nothing written beside the specs
    cache = Cache(specs.folder)
    assert cache.path.parent == folder() and cache.path.exists()
    assert sorted(cache.files) == listed
    written = cache.path.stat().st_mtime_ns, cache.path.read_bytes()
    assert set(_states(run).values()) == {"applied"}
    assert (cache.path.stat().st_mtime_ns, cache.path.read_bytes()) == written  # status reads it, writes nothing


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(database, specs, run):
    path = _write(specs, "v1.0.0", _table("alpha"))
    _write(specs, "v1.1.0", _table("bravo"))
    assert run("migrate")[0] == 0
    assert Cache(specs.folder).spec(path.name, None) is None  # keyed on the file, not found without its key
    before = path.stat()
    text = path.read_text()
    edited = text.replace('"alpha"', '"alphb"')
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time set back
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert _states(run) == {"v1.0.0": "changed", "v1.1.0": "applied"}


def test_a_file_replaced_by_another_of_the_same_size_and_times_is_seen(database, specs, run):
    path = _write(specs, "v1.0.0", _table("alpha"))
    assert run("migrate")[0] == 0
    before = path.stat()
    other = path.with_name("other.tmp")
    other.write_text(path.read_text().replace('"alpha"', '"alphc"'))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)  # as an editor saves: a new file (inode) under the old name
    assert _states(run) == {"v1.0.0": "changed"}


def test_a_change_outside_migrator_is_drift_whatever_the_cache_holds(database, specs, run):
    _write(specs, "v1.0.0", _table("alpha"))
    assert run("migrate")[0] == 0
    assert _status(run)["drift"] is None
    database.execute("ALTER TABLE alpha ADD COLUMN sneaked INTEGER")
    drift = _status(run)["drift"]
    assert drift and any("sneaked" in d for d in drift["differences"]), drift


def test_the_catalog_fingerprint_is_the_schema_read_table_by_table(database, specs, run):
    """On SQLite the catalog's fingerprint is kept: a catalog as it was gives the fingerprint the tables give."""
    _write(specs, "v1.0.0", _table("alpha") + [{"action": "add_index", "table": "alpha", "columns": ["title"]}])
    assert run("migrate")[0] == 0
    cache = Cache(specs.folder)
    if database.backend != "sqlite":
        assert cache.catalogs == {}  # a server's catalog is read as it is
        return
    (key, (digest, fingerprint)), = cache.catalogs.items()
    with sqlite3.connect(database.name) as conn:
        newest = conn.execute("SELECT fingerprint FROM schema_migrations ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert fingerprint == newest


def test_a_cache_that_cannot_be_read_or_is_wrong_for_the_release_is_not_used(database, specs, run):
    path = _write(specs, "v1.0.0", _table("alpha"))
    assert run("migrate")[0] == 0
    cache = Cache(specs.folder)
    cache.path.write_text("{not json")
    assert _states(run) == {"v1.0.0": "applied"}
    cache.path.write_text(json.dumps({"tool": "0.0.1", "files": {path.name: [list(cache.files[path.name][0])
                                                                              if cache.files else [], ["0" * 64]]},
                                      "catalogs": {}}))
    assert _states(run) == {"v1.0.0": "applied"}  # another release's cache is ignored


def test_a_spec_with_python_code_is_read_every_time(database, specs, run, tmp_path, monkeypatch):
    """The module's source counts in the checksum: a spec naming code is never taken from the cache."""
    module = tmp_path / "shipcode.py"
    module.write_text("def up(db):\n    pass\n\ndef down(db):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    _write(specs, "v1.0.0", [{"action": "python", "up": "shipcode:up", "down": "shipcode:down"}])
    assert run("migrate")[0] == 0
    assert "v1.0.0.json" not in Cache(specs.folder).files
    module.write_text("def up(db):\n    pass\n\ndef down(db):\n    return None\n")
    assert _states(run) == {"v1.0.0": "changed"}


def test_status_takes_an_unchanged_file_s_checksum_from_the_cache(database, specs, run):
    """That status reads the cache at all: an entry whose key is the file's own is believed (here, a checksum
    planted in the cache makes the unchanged file read as changed; an entry for another key is not used)."""
    path = _write(specs, "v1.0.0", _table("alpha"))
    assert run("migrate")[0] == 0
    cache = Cache(specs.folder)
    key, (checksum, *rest) = cache.files[path.name]
    data = json.loads(cache.path.read_text())
    data["files"][path.name] = [key, ["0" * 64, *rest]]
    cache.path.write_text(json.dumps(data))
    assert _states(run) == {"v1.0.0": "changed"}
    data["files"][path.name] = [[key[0], key[1], key[2] + 1, key[3]], ["0" * 64, *rest]]  # another change time
    cache.path.write_text(json.dumps(data))
    assert _states(run) == {"v1.0.0": "applied"}


def test_verify_and_the_other_scratch_runs_leave_the_cache_as_it_is(database, specs, run):
    """verify applies and rolls back on a scratch copy: that is not the user's run, and verify is read-only."""
    _write(specs, "v1.0.0", _table("alpha"))
    assert run("migrate")[0] == 0
    _write(specs, "v1.1.0", _table("bravo"))
    cache = Cache(specs.folder)
    before = cache.path.stat().st_mtime_ns, cache.path.read_bytes()
    code, out, err = run("verify")
    assert code == 0, out + err
    assert (cache.path.stat().st_mtime_ns, cache.path.read_bytes()) == before
