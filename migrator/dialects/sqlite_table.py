"""SQLite keeps each table as its CREATE TABLE text. A rebuild edits that text column by column, as SQLite's
documented procedure does, so that everything the migrator does not model (CHECK and UNIQUE constraints,
COLLATE, GENERATED columns, AUTOINCREMENT, STRICT, WITHOUT ROWID, comments) is carried verbatim."""
from dataclasses import dataclass, replace

from ..errors import OperationFailed
from ..sqltext import table_body, tokens
from .column_text import declared as declared_in, edited, keyword

_TABLE_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


@dataclass(frozen=True)
class Item:
    """One comma-separated part of the table's body: a column or a table constraint, with its spacing."""
    text: str
    name: str | None  # the column's name; None for a table constraint


@dataclass(frozen=True)
class CreateTable:
    """A table's CREATE TABLE, cut into its column and constraint items."""
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

    def rebuilt(self, before, after, texts=None, constraints=(), added=(), dropped=(), dropped_keys=(),
                references=None):
        """The text for the table with the columns `after` (Column objects, in order), from the columns `before`
        it has now: kept columns edited in place, new ones written (from `texts`, {name: (Column, its text)}, when
        they had a text before), dropped ones and their constraints gone; the CHECK and UNIQUE table
        constraints named in `dropped` (lowercased) gone, and the texts `added` written last. A column the
        migrator does not read (a GENERATED one) keeps its place after the column before it. `dropped_keys`: the
        FOREIGN KEY table constraints to leave out, by name or by their columns (lowercased tuples); `references`:
        {column: its REFERENCES clause to add, or None to cut it}, a key written in a column's own text."""
        texts = {name.lower(): found for name, found in (texts or {}).items()}
        known = {c.name.lower(): c for c in before}
        staying = {c.name.lower() for c in after}
        gone = set(known) - staying
        written, unread, anchor = self.columns(), {}, None
        for item in self.items:
            if item.name and item.name.lower() not in known:
                unread.setdefault(anchor, []).append(item)
            elif item.name and item.name.lower() in staying:
                anchor = item.name.lower()
        items = list(unread.get(None, []))
        for column in after:
            name = column.name.lower()
            if name in known:
                items.append(_edited(written[name], known[name], column))
            elif name in texts:
                items.append(_edited(Item(texts[name][1], column.name), texts[name][0], column))
            else:
                items.append(_new_item(column))
            items += unread.get(name, [])
        for column, clause in (references or {}).items():
            for at in [i for i, item in enumerate(items) if item.name and item.name.lower() == column.lower()]:
                items[at] = replace(items[at], text=with_references(items[at].text, clause))  # none if dropped
        for item in self.items:
            if item.name is None and _named(item) not in dropped and not _is_dropped_key(item.text, dropped_keys):
                items += _kept_constraint(item, gone)
        for column, text in constraints:  # a foreign key of a column added back, among the others in column order
            order = [c.name.lower() for c in after]
            later = next((i for i, item in enumerate(items) if item.name is None and foreign_key_column(item.text)
                          in order and order.index(foreign_key_column(item.text)) > order.index(column.lower())),
                         len(items))
            items.insert(later, Item(text, None))
        items += [Item(text, None) for text in added]
        return replace(self, items=tuple(items)).text()

    def constraint(self, name):
        """The text of the CHECK or UNIQUE table constraint of this name, as written, or None."""
        return next((item.text for item in self.items if item.name is None and _named(item) == name.lower()),
                    None)


def _named(item):
    """A table constraint's name, lowercased, when it is a CHECK or UNIQUE one ("" otherwise)."""
    return (item.text.strip() and constraint_name(item.text) or "").lower()


def _item(text):
    words = tokens(text, "sqlite")
    first = words[0] if words else None
    is_constraint = first is not None and keyword(first) in _TABLE_CONSTRAINT_WORDS
    return Item(text, None if is_constraint or first is None else first.text)  # an identifier's text is unquoted


def _edited(item, old, new):
    """The column's text with its type, NOT NULL and DEFAULT changed to `new`'s; all else kept as written."""
    return replace(item, text=edited(item.text, old, new, "sqlite"))


def _new_item(column):
    text = f' "{column.name}" {column.type}'.rstrip()
    text += "" if column.null else " NOT NULL"
    text += f" DEFAULT {column.default}" if column.default is not None else ""
    return Item(text, column.name)


def _kept_constraint(item, dropped):
    """A table constraint stays unless it names a dropped column: a FOREIGN KEY goes with its column, as on the
    other backends; any other (a CHECK, a UNIQUE or a PRIMARY KEY over it) cannot be carried."""
    words = tokens(item.text, "sqlite")
    named = {w.text.lower() for w in words if w.token_type.name in ("IDENTIFIER", "VAR")}
    if not named & dropped:
        return [item]
    if foreign_key_parts(item.text):
        return []
    raise OperationFailed(f"the table constraint{item.text.rstrip()} uses a column being dropped "
                          f"({', '.join(sorted(named & dropped))}); drop the constraint first")


def constraint_name(text):
    """A CHECK or UNIQUE table constraint's name (its text when it has none); None for any other constraint."""
    words = tokens(text, "sqlite")
    named = keyword(words[0]) == "CONSTRAINT" and len(words) > 2
    kind = keyword(words[2] if named else words[0])
    if kind not in ("CHECK", "UNIQUE"):
        return None
    return words[1].text if named else text.strip()


def constraint_parts(text):
    """(CHECK or UNIQUE, the text inside its parentheses) of a table constraint; None for any other."""
    words = tokens(text, "sqlite")
    at = 2 if keyword(words[0]) == "CONSTRAINT" and len(words) > 2 else 0
    kind = keyword(words[at])
    if kind not in ("CHECK", "UNIQUE") or len(words) <= at + 1 or words[at + 1].token_type.name != "L_PAREN":
        return None
    depth = 0
    for word in words[at + 1:]:
        depth += {"L_PAREN": 1, "R_PAREN": -1}.get(word.token_type.name, 0)
        if depth == 0:
            return kind, text[words[at + 1].end + 1:word.start]
    return None


def unique_columns(inside):
    """The columns of a UNIQUE constraint's parenthesised list: each part's first name."""
    words = tokens(inside, "sqlite")
    return tuple(w.text for i, w in enumerate(words) if w.token_type.name in ("IDENTIFIER", "VAR")
                 and (i == 0 or words[i - 1].token_type.name == "COMMA"))


def declared(name, text):
    """The Column a column's text declares."""
    return declared_in(name, text, "sqlite")


def foreign_key_column(text):
    """The column of a one-column FOREIGN KEY table constraint, lowercased; None for anything else."""
    parts = foreign_key_parts(text)
    return parts[1][0] if parts and len(parts[1]) == 1 else None


def foreign_key_parts(text):
    """(its name or None, its columns lowercased) of a FOREIGN KEY table constraint, named (CONSTRAINT x FOREIGN
    KEY ...) or not; None for any other item."""
    words = tokens(text, "sqlite")
    named = len(words) > 2 and keyword(words[0]) == "CONSTRAINT"
    head = words[2:] if named else words
    if not head or keyword(head[0]) != "FOREIGN":
        return None
    start = next((i for i, w in enumerate(head) if w.token_type.name == "L_PAREN"), None)
    end = next((i for i, w in enumerate(head) if w.token_type.name == "R_PAREN"), None)
    if start is None or end is None:
        return None
    columns = tuple(w.text.lower() for w in head[start + 1:end] if w.token_type.name != "COMMA")
    return (words[1].text if named else None), columns


def named_foreign_keys(create):
    """[(name, its columns lowercased, the referenced table lowercased)] of the foreign keys of a CreateTable that a
    CONSTRAINT names, in the text's order: FOREIGN KEY table constraints, and REFERENCES clauses in a column's own
    text (`"slot_id" INTEGER CONSTRAINT note_slot_fk REFERENCES "Slot" ("id")`)."""
    found = []
    for item in create.items:
        words = tokens(item.text, "sqlite")
        at = next((i for i, w in enumerate(words) if keyword(w) == "REFERENCES"), None)
        if at is None or at + 1 >= len(words):
            continue
        dest = words[at + 1].text.lower()
        if item.name is None:
            parts = foreign_key_parts(item.text)
            if parts and parts[0]:
                found.append((parts[0], parts[1], dest))
        elif at >= 2 and keyword(words[at - 2]) == "CONSTRAINT":
            found.append((words[at - 1].text, (item.name.lower(),), dest))
    return found


def _is_dropped_key(text, dropped_keys):
    parts = dropped_keys and foreign_key_parts(text)
    return bool(parts) and any(key in (parts[0], parts[1]) for key in dropped_keys)


def foreign_key_text(name, columns, ref_table, ref_columns, on_delete=None, on_update=None):
    """A named FOREIGN KEY table constraint, as add_foreign_key writes it into a table's text."""
    def names(found):
        return ", ".join(f'"{c}"' for c in found)

    text = f' CONSTRAINT "{name}" FOREIGN KEY ({names(columns)}) REFERENCES "{ref_table}" ({names(ref_columns)})'
    text += f" ON DELETE {on_delete}" if on_delete else ""
    return text + (f" ON UPDATE {on_update}" if on_update else "")


# The words that may follow REFERENCES table (columns) in a foreign key clause.
_KEY_CLAUSE_WORDS = {"ON", "DELETE", "UPDATE", "SET", "NULL", "DEFAULT", "CASCADE", "RESTRICT", "NO", "ACTION", "MATCH",
                     "SIMPLE", "FULL", "PARTIAL", "NOT", "DEFERRABLE", "INITIALLY", "DEFERRED", "IMMEDIATE"}


def references_clause(text):
    """The (start, end) of the REFERENCES clause that ends a column's text (from the CONSTRAINT that names it, if
    one does), or None when it has none, or when another column constraint follows it (NOT NULL after it, say)."""
    words = tokens(text, "sqlite")
    at = next((i for i, w in enumerate(words) if keyword(w) == "REFERENCES"), None)
    if at is None:
        return None
    start = words[at - 2].start if at >= 2 and keyword(words[at - 2]) == "CONSTRAINT" else words[at].start
    after = at + 2
    if after < len(words) and words[after].token_type.name == "L_PAREN":
        after = next(i for i in range(after, len(words)) if words[i].token_type.name == "R_PAREN") + 1
    rest = [keyword(w) for w in words[after:]]
    for position, word in enumerate(rest):
        following = rest[position + 1] if position + 1 < len(rest) else None
        if word not in _KEY_CLAUSE_WORDS or word == "NOT" and following != "DEFERRABLE" or \
                word == "NULL" and (position == 0 or rest[position - 1] != "SET"):
            return None
    return start, words[-1].end + 1


def in_column_text(definition):
    """Whether a foreign key's own text is a column's REFERENCES clause (with its CONSTRAINT name, if it has
    one), not a FOREIGN KEY table constraint."""
    words = tokens(definition, "sqlite")
    head = words[2:] if len(words) > 2 and keyword(words[0]) == "CONSTRAINT" else words
    return bool(head) and keyword(head[0]) == "REFERENCES"


def with_references(text, clause):
    """The column's text with `clause` (a REFERENCES clause) added at its end, or its own cut (None)."""
    if clause is None:
        start, end = references_clause(text)
        return text[:start].rstrip() + text[end:]
    end = len(text.rstrip())
    return f"{text[:end]} {clause}{text[end:]}"
