"""A column's definition as its table's text has it (SQLite's CREATE TABLE, MySQL/MariaDB's SHOW CREATE TABLE),
edited token by token: its type, NOT NULL or DEFAULT changed, everything else (COLLATE, CHECK, COMMENT,
GENERATED...) kept as written."""
from ..introspect import Column
from ..sqltext import tokens

# Words that end a column's type and start its constraints or attributes, per backend.
STARTS = {
    "sqlite": ("CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
               "GENERATED", "AS"),
    "mysql": ("CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
              "GENERATED", "AS", "CHARACTER", "CHARSET", "AUTO_INCREMENT", "COMMENT", "ON", "INVISIBLE", "KEY",
              "COLUMN_FORMAT", "STORAGE", "VIRTUAL", "PERSISTENT", "STORED"),
}


def keyword(token):
    """The token's first word in capitals when it is a keyword, not a name or a literal; else None."""
    if token.token_type.name in ("IDENTIFIER", "STRING", "NUMBER") or not token.text:
        return None
    return token.text.upper().split()[0]


def type_end(words, dialect):
    """The index of the first word after the name that is not part of the type (len(words) if none)."""
    return next((i for i, w in enumerate(words) if i > 0 and keyword(w) in STARTS[dialect]), len(words))


def edited(text, old, new, dialect):
    """The column's text with its type, NOT NULL and DEFAULT changed from `old`'s to `new`'s."""
    if old.default != new.default:
        text = without_default(text, dialect)
        text = append(text, f" DEFAULT {new.default}") if new.default is not None else text
    if old.null != new.null:
        if new.null:
            text = without_not_null(text, dialect)
        else:  # (MySQL writes DEFAULT NULL for a nullable column without a default: not for a NOT NULL one)
            text = with_not_null(without_default(text, dialect) if new.default is None else text, dialect)
    if old.type != new.type:
        text = with_type(text, new.type, dialect)
    return text


def with_not_null(text, dialect):
    """NOT NULL added: at the end in SQLite, which takes constraints in any order and so gives back the same text
    when it is taken away; in MySQL/MariaDB after the type and its character set, where the grammar wants it."""
    if dialect == "sqlite":
        return append(text, " NOT NULL")
    words = tokens(text, dialect)
    at = type_end(words, dialect)
    while at < len(words) and keyword(words[at]) in ("CHARACTER", "CHARSET", "COLLATE"):
        at += 3 if keyword(words[at]) == "CHARACTER" else 2
    end = words[at - 1].end + 1
    return text[:end] + " NOT NULL" + text[end:]


def with_type(text, kind, dialect):
    words = tokens(text, dialect)
    end = type_end(words, dialect)
    if end == 1:
        return text[:words[0].end + 1] + f" {kind}" + text[words[0].end + 1:]
    text = text[:words[1].start] + kind + text[words[end - 1].end + 1:]
    if dialect == "mysql" and not any(word in kind.lower() for word in ("char", "text", "enum", "set")):
        text = without_clause(text, dialect, "CHARACTER", 3)  # CHARACTER SET x: a character set needs characters
        text = without_clause(text, dialect, "CHARSET", 2)
        text = without_clause(text, dialect, "COLLATE", 2)
    return text


def declared(name, text, dialect):
    """The Column a column's text declares: its type as written, NOT NULL, its DEFAULT as written."""
    words = tokens(text, dialect)
    end = type_end(words, dialect)
    kind = text[words[1].start:words[end - 1].end + 1] if end > 1 else ""
    null = not any(keyword(w) == "NOT" and keyword(words[i + 1]) == "NULL" for i, w in enumerate(words[:-1]))
    default = next((text[words[i + 1].start:words[default_end(words, i + 1) - 1].end + 1]
                    for i, w in enumerate(words[:-1]) if keyword(w) == "DEFAULT"), None)
    return Column(name, kind, null, default)


def append(text, clause):
    """The clause added at the end of the definition, before any spacing that follows it."""
    end = len(text.rstrip())
    return text[:end] + clause + text[end:]


def without_not_null(text, dialect):
    """The text without its NOT NULL (and SQLite's ON CONFLICT clause that may follow it)."""
    words = tokens(text, dialect)
    for i, word in enumerate(words[1:-1], 1):
        if keyword(word) == "NOT" and keyword(words[i + 1]) == "NULL":
            last = i + 1
            if len(words) > last + 2 and keyword(words[last + 1]) == "ON" and keyword(words[last + 2]) == "CONFLICT":
                last += 3
            return cut(text, word.start, words[last].end + 1)
    return text


def without_default(text, dialect):
    words = tokens(text, dialect)
    for i, word in enumerate(words[1:], 1):
        if keyword(word) == "DEFAULT":
            return cut(text, word.start, words[default_end(words, i + 1) - 1].end + 1)
    return text


def without_clause(text, dialect, word, length):
    """The text without the clause of `length` words that starts with `word`."""
    words = tokens(text, dialect)
    for i, found in enumerate(words[1:], 1):
        if keyword(found) == word and i + length <= len(words):
            return cut(text, found.start, words[i + length - 1].end + 1)
    return text


def default_end(words, i):
    """The index just after the default's value starting at words[i]: a signed literal, a word such as
    CURRENT_TIMESTAMP (with its parentheses), or an expression in parentheses."""
    if words[i].token_type.name in ("PLUS", "DASH"):
        i += 1
    if i + 1 < len(words) and words[i + 1].token_type.name == "L_PAREN" and words[i].token_type.name != "L_PAREN":
        i += 1  # current_timestamp(), a function's call
    if words[i].token_type.name != "L_PAREN":
        return i + 1
    depth = 0
    for j in range(i, len(words)):
        depth += {"L_PAREN": 1, "R_PAREN": -1}.get(words[j].token_type.name, 0)
        if depth == 0:
            return j + 1
    return len(words)


def cut(text, start, end):
    """The text without [start, end), and without the one space before it."""
    if start > 0 and text[start - 1] == " ":
        start -= 1
    return text[:start] + text[end:]
