"""Version names: `v` and dot-separated integers, ordered part by part; the version a spec file's name gives."""
import re
from functools import total_ordering

from .errors import SpecError

_VERSION = re.compile(r"v(\d{1,9}(?:\.\d{1,9}){0,9})")
_DESCRIBED = re.compile(r"(.*?)(__|-)(.*)", re.DOTALL)  # the first separator ends the version
_DESCRIPTION = re.compile(r"[\w.-]+")


@total_ordering
class Version:
    __slots__ = ("name", "key", "_hash")

    def __init__(self, name):
        match = _VERSION.fullmatch(name)
        if not match:
            raise SpecError(f"'{name}' is not a version: expected v and dot-separated numbers, e.g. v1.2.0")
        parts = [int(p) for p in match.group(1).split(".")]
        while len(parts) > 1 and parts[-1] == 0:
            parts.pop()  # v1.2 == v1.2.0
        self.name = name
        self.key = tuple(parts)
        self._hash = hash(self.key)  # (a version is a dict key many times over: status looks each up seven times)

    def __eq__(self, other):
        return isinstance(other, Version) and self.key == other.key

    def __lt__(self, other):
        return self.key < other.key

    def __hash__(self):
        return self._hash

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"Version({self.name!r})"

    def next_minor(self):
        major = self.key[0]
        minor = self.key[1] if len(self.key) > 1 else 0
        return Version(f"v{major}.{minor + 1}.0")


def version_of_file(stem):
    """The version a spec file's name (without .json) gives: v1.2.0, v1.2.0__add_tags and v1.2.0-add-tags are
    all v1.2.0. As in Flyway's names, the version is what precedes the first __ or -, a description follows."""
    described = _DESCRIBED.fullmatch(stem)
    if not described:
        return Version(stem)
    name, separator, description = described.groups()
    version = Version(name)
    if not description:
        raise SpecError(f"nothing follows {name}{separator}: give a description or leave out the {separator}")
    if not _DESCRIPTION.fullmatch(description):
        raise SpecError(f"the description {description!r} after {name}{separator} may hold only letters, digits, "
                        "_, - and .")
    return version
