"""What `status` would otherwise compute again on every run: each spec file's checksum, and the schema fingerprint of
an SQLite database's catalog. With a thousand versions, reading every file and every table is most of its time.

The cache is a file in the user's cache folder (`$XDG_CACHE_HOME/migrator`, else `~/.cache/migrator`), one per
specs folder, never in the specs folder. Only `migrate` writes it, after a run; every command reads it. A file's
entry holds while the file's size, inode, modification time and change time are all as they were when it was read:
the change time (st_ctime_ns) is set by the system on every write, and no user can set it back, so an edit that
keeps a file's size and modification time is still seen. A catalog's entry is keyed on the hash of SQLite's own
catalog text (sqlite_master), from which the whole schema is read. A file with no entry, a cache that cannot be read
or written, or one written by another release costs only the time it was to save.
"""
import hashlib
import json
import os
import threading
from pathlib import Path


def folder():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "migrator"


def file_key(found):
    """What identifies a file's content without reading it: os.stat's size, inode, change and modification times."""
    return [found.st_size, found.st_ino, found.st_ctime_ns, found.st_mtime_ns]


class Cache:
    def __init__(self, specs_dir, deferred=False):
        """`deferred`: save() keeps what it is given and write() writes it, once (a fleet's many runs)."""
        from . import __version__

        self.tool = __version__
        self.deferred = deferred
        self._saved = False  # whether save() was called since the last write()
        self._lock = threading.Lock()
        self.path = folder() / f"specs-{hashlib.sha256(os.path.realpath(specs_dir).encode()).hexdigest()[:24]}.json"
        self.files, self.catalogs = {}, {}
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("tool") == self.tool:
                self.files, self.catalogs = dict(data["files"]), dict(data["catalogs"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # none yet, or unreadable: read the files

    def spec(self, name, key):
        """(checksum, legacy checksum, description, allow_empty) of the file as it was read with this key, or None."""
        entry = self.files.get(name)
        return entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == key else None

    def fingerprint(self, database, digest):
        """The schema fingerprint of the database when its catalog hashed to `digest`, or None."""
        entry = self.catalogs.get(database)
        return entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == digest else None

    def save(self, specs, database=None, digest=None, fingerprint=None):
        """Keep the checksums of `specs` read in this process (each with its file's key when read), and the
        fingerprint of the database's catalog; best effort."""
        with self._lock:
            for spec in specs:
                if spec.file_key is not None and not spec.code_modules:  # code's own source counts in its checksum
                    self.files[spec.path.name] = [spec.file_key, [spec.checksum, spec.legacy_checksum,
                                                                  spec.description, spec.allow_empty]]
            if database and digest and fingerprint:
                self.catalogs[database] = [digest, fingerprint]
            self._saved = True
        if not self.deferred:
            self.write()

    def write(self):
        """Write what save() kept, if it kept anything (a read-only command's never writes)."""
        with self._lock:
            if not self._saved:
                return
            self._saved = False
            data = json.dumps({"tool": self.tool, "files": self.files, "catalogs": self.catalogs},
                              separators=(",", ":"))
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(data)
            os.replace(temporary, self.path)
        except OSError:
            try:
                temporary.unlink()
            except OSError:
                pass
