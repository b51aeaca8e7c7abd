"""SQLite keeps each table as its CREATE TABLE text. A rebuild edits that text column by column, as SQLite's
documented procedure does, so that everything the migrator does not model (CHECK and UNIQUE constraints,
COLLATE, GENERATED columns, AUTOINCREMENT, STRICT, WITHOUT ROWID, comments) is carried verbatim."""
from dataclasses import dataclass, replace

from ..errors import OperationFailed
from ..sqltext import table_body, tokens

# Words that end a column's type and start its constraints.
_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
                     "GENERATED", "AS")
_TABLE_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


@dataclass(frozen=True)
class Item:
    """One comma-separated part of the table's body: a column or a table constraint, with its spacing."""
    text: str
    name: str | None  # the column's name; None for a table constraint


@dataclass(frozen=True)
class CreateTable:
    head: str  # up to and including the opening parenthesis
    items: tuple
    tail: str  # from the closing parenthesis: table options such as STRICT or WITHOUT ROWID

    @classmethod
    def parse(cls, sql):
        head, texts, tail = table_body(sql, "sqlite")
        return cls(head, tuple(_item(text) for text in texts), tail)

    def text(self):
        return self.head + ",".join(item.text for item in self.items) + self.tail

    def columns(self):
        return {item.name.lower(): item for item in self.items if item.name}

    def rebuilt(self, before, after):
        """The text for the table with the columns `after` (Column objects, in order), from the columns `before`
        it has now: kept columns edited in place, new ones written, dropped ones and their constraints gone.
        A column the migrator does not read (a GENERATED one) keeps its place after the column before it."""
        known = {c.name.lower(): c for c in before}
        staying = {c.name.lower() for c in after}
        dropped = set(known) - staying
        written, unread, anchor = self.columns(), {}, None
        for item in self.items:
            if item.name and item.name.lower() not in known:
                unread.setdefault(anchor, []).append(item)
            elif item.name and item.name.lower() in staying:
                anchor = item.name.lower()
        items = list(unread.get(None, []))
        for column in after:
            name = column.name.lower()
            items.append(_edited(written[name], known[name], column) if name in known else _new_item(column))
            items += unread.get(name, [])
        for item in self.items:
            if item.name is None:
                items += _kept_constraint(item, dropped)
        return replace(self, items=tuple(items)).text()


def _item(text):
    words = tokens(text, "sqlite")
    first = words[0] if words else None
    is_constraint = first is not None and _keyword(first) in _TABLE_CONSTRAINT_WORDS
    return Item(text, None if is_constraint or first is None else first.text)  # an identifier's text is unquoted


def _keyword(token):
    """The token's first word in capitals when it is a keyword, not a name or a literal; else None."""
    if token.token_type.name in ("IDENTIFIER", "STRING", "NUMBER") or not token.text:
        return None
    return token.text.upper().split()[0]


def _constraint_start(words):
    """The index of the first word after the name that starts a column constraint (len(words) if none)."""
    return next((i for i, w in enumerate(words) if i > 0 and _keyword(w) in _CONSTRAINT_WORDS), len(words))


def _edited(item, old, new):
    """The column's text with its type, NOT NULL and DEFAULT changed to `new`'s; all else kept as written."""
    text = item.text
    if old.default != new.default:
        text = _without_default(text)
        text = _append(text, f" DEFAULT {new.default}") if new.default is not None else text
    if old.null != new.null:
        text = _append(text, " NOT NULL") if not new.null else _without_not_null(text)
    if old.type != new.type:
        words = tokens(text, "sqlite")
        end = _constraint_start(words)
        if end > 1:
            text = text[:words[1].start] + new.type + text[words[end - 1].end + 1:]
        else:
            text = text[:words[0].end + 1] + f" {new.type}" + text[words[0].end + 1:]
    return replace(item, text=text)


def _new_item(column):
    text = f' "{column.name}" {column.type}'.rstrip()
    text += "" if column.null else " NOT NULL"
    text += f" DEFAULT {column.default}" if column.default is not None else ""
    return Item(text, column.name)


def _append(text, clause):
    """The clause added at the end of the item's definition, before any spacing that follows it."""
    end = len(text.rstrip())
    return text[:end] + clause + text[end:]


def _without_not_null(text):
    """The column's text without its NOT NULL constraint (and the ON CONFLICT clause that may follow it)."""
    words = tokens(text, "sqlite")
    for i, word in enumerate(words[1:-1], 1):
        if _keyword(word) == "NOT" and _keyword(words[i + 1]) == "NULL":
            last = i + 1
            if len(words) > last + 2 and _keyword(words[last + 1]) == "ON" and _keyword(words[last + 2]) == "CONFLICT":
                last += 3
            return _cut(text, word.start, words[last].end + 1)
    return text


def _without_default(text):
    words = tokens(text, "sqlite")
    for i, word in enumerate(words[1:], 1):
        if _keyword(word) == "DEFAULT":
            end = _default_end(words, i + 1)
            return _cut(text, word.start, words[end - 1].end + 1)
    return text


def _default_end(words, i):
    """The index just after the default's value starting at words[i]: a signed literal, or an expression in
    parentheses."""
    if words[i].token_type.name in ("PLUS", "DASH"):
        i += 1
    if words[i].token_type.name != "L_PAREN":
        return i + 1
    depth = 0
    for j in range(i, len(words)):
        depth += {"L_PAREN": 1, "R_PAREN": -1}.get(words[j].token_type.name, 0)
        if depth == 0:
            return j + 1
    return len(words)


def _cut(text, start, end):
    """The text without [start, end), and without the one space before it."""
    if start > 0 and text[start - 1] == " ":
        start -= 1
    return text[:start] + text[end:]


def _kept_constraint(item, dropped):
    """A table constraint stays unless it names a dropped column: a FOREIGN KEY goes with its column, as on the
    other backends; any other (a CHECK, a UNIQUE or a PRIMARY KEY over it) cannot be carried."""
    words = tokens(item.text, "sqlite")
    named = {w.text.lower() for w in words if w.token_type.name in ("IDENTIFIER", "VAR")}
    if not named & dropped:
        return [item]
    if _keyword(words[0]) == "FOREIGN":
        return []
    raise OperationFailed(f"the table constraint{item.text.rstrip()} uses a column being dropped "
                          f"({', '.join(sorted(named & dropped))}); drop the constraint first")
