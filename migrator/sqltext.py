"""SQL text a backend keeps (a CREATE TABLE, a view, a trigger, an index or check definition), read token by
token with sqlglot's tokenizer: quotes, comments and strings are the backend's own, never a regular expression's.
Imported only by the paths that read such text (MySQL's SHOW CREATE TABLE, text the server writes in one known
form, is cut into its items by the dialect)."""
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

_LITERALS = {TokenType.STRING, TokenType.NUMBER, TokenType.HEREDOC_STRING, TokenType.BYTE_STRING,
             TokenType.NATIONAL_STRING, TokenType.RAW_STRING, TokenType.BIT_STRING, TokenType.HEX_STRING}


def tokens(sql, dialect):
    """The tokens of `sql` as the backend (`sqlite`, `postgres` or `mysql`) reads it; each has .text, .start
    and .end (the offsets of its first and last character in `sql`, quotes included)."""
    return Dialect.get_or_raise(dialect).tokenize(sql)


def names_in(sql, dialect):
    """Every word of `sql` that is not a literal, lowercased: the names it can refer to (and its keywords).
    None when the text cannot be read, so that a caller can assume the worst."""
    try:
        return {token.text.lower() for token in tokens(sql, dialect) if token.token_type not in _LITERALS}
    except TokenError:
        return None


def mentions(sql, dialect, *names):
    """Whether `sql` may refer to any of `names` (True too when it cannot be read)."""
    found = names_in(sql, dialect)
    return found is None or any(name.lower() in found for name in names)


def without_needless_quotes(sql, dialect):
    """`sql` with the quotes taken off every quoted name that needs none (a plain word, not a keyword): the
    same text whether a name was written quoted or not. Text that cannot be read is kept as it is."""
    try:
        found = tokens(sql, dialect)
    except TokenError:
        return sql
    parts, last = [], 0
    for token in found:
        if token.token_type == TokenType.IDENTIFIER and _plain_word(token.text, dialect):
            parts += [sql[last:token.start], token.text]
            last = token.end + 1
    return "".join(parts) + sql[last:]


def with_index_name(sql, dialect, name):
    """A CREATE INDEX with the index's name changed to `name`, quoted as the old one was (bare when it was bare and
    `name` needs no quotes), so that renaming it back gives the very same text."""
    found = tokens(sql, dialect)
    on = next(i for i, t in enumerate(found) if t.token_type == TokenType.ON)
    old = found[on - 1]
    written = sql[old.start:old.end + 1]
    quotes = {'"': '""', "`": "``", "[": "[]"}.get(written[0])
    if quotes is None and not _plain_word(name, dialect):
        quotes = '""'
    new = f"{quotes[0]}{name}{quotes[1]}" if quotes else name
    return sql[:old.start] + new + sql[old.end + 1:]


def _plain_word(name, dialect):
    if not name.isascii() or not (name.replace("_", "a").isalnum() and not name[0].isdigit()):
        return False
    alone = tokens(name, dialect)
    return len(alone) == 1 and alone[0].token_type == TokenType.VAR


def table_body(sql, dialect):
    """A CREATE TABLE split at the top-level commas of its body: (head up to and including the opening
    parenthesis, the texts between the commas, the rest from the closing parenthesis)."""
    found = tokens(sql, dialect)
    opening = next(i for i, t in enumerate(found) if t.token_type == TokenType.L_PAREN)
    depth, cuts, closing = 0, [], len(sql)
    for token in found[opening:]:
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth == 1 and token.token_type == TokenType.COMMA:
            cuts.append(token.start)
        if depth == 0:
            closing = token.start
            break
    start = found[opening].start + 1
    return sql[:start], [sql[a + 1:b] for a, b in zip([start - 1] + cuts, cuts + [closing])], sql[closing:]



_CREATED = {"VIEW": "view", "TRIGGER": "trigger"}
_BEFORE_NAME = {"OR", "REPLACE", "TEMP", "TEMPORARY", "MATERIALIZED", "RECURSIVE", "ALGORITHM", "DEFINER", "SQL",
                "SECURITY", "SQL SECURITY", "INVOKER", "UNDEFINED", "MERGE", "TEMPTABLE", "CONSTRAINT", "=", "@", "."}


def objects_created(sql, dialect):
    """The views and triggers a statement creates, as ("view" or "trigger", name lowercased): what `CREATE [OR
    REPLACE] [...] VIEW|TRIGGER [IF NOT EXISTS] name` names (the last part of a qualified name). None when the
    text cannot be read."""
    try:
        found = tokens(sql, dialect)
    except TokenError:
        return None
    made = []
    for i, token in enumerate(found):
        if token.text.upper() != "CREATE":
            continue
        j = i + 1
        while j < len(found) and found[j].text.upper() not in _CREATED and (
                found[j].text.upper() in _BEFORE_NAME or found[j - 1].text in ("=", "@", ".")
                or found[j].token_type in _LITERALS):
            j += 1  # OR REPLACE, ALGORITHM = MERGE, DEFINER = user@host, SQL SECURITY ...
        if j >= len(found) or found[j].text.upper() not in _CREATED:
            continue
        kind, j = _CREATED[found[j].text.upper()], j + 1
        while j < len(found) and found[j].text.upper() in ("IF", "NOT", "EXISTS"):
            j += 1
        while j + 2 < len(found) and found[j + 1].text == ".":
            j += 2  # schema.name
        if j < len(found):
            made.append((kind, found[j].text.lower()))
    return made
