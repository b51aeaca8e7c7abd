"""Entity-relationship diagrams of a schema, as `Migrator.schema()` returns it: Mermaid's `erDiagram` (which code
hosts and editors render) and Graphviz's DOT. Each table is an entity listing its columns in the table's order,
with type and key markers; each foreign key is one relation, from the table that holds it to the one it names."""
import html
import re


def mermaid(schema):
    """The schema as a Mermaid `erDiagram`."""
    tables = schema["tables"]
    names = _mermaid_entities(tables)
    lines = ["erDiagram"]
    for name, table in tables.items():
        lines.append(f"    {names[name]} {{")
        lines += [f"        {_mermaid_attribute(column, keys)}" for column, keys in _columns(table)]
        lines.append("    }")
    for name, table in tables.items():
        for columns, parent, _, optional in _relations(tables, table):
            parent_side = "o|" if optional else "||"
            lines.append(f"    {names[name]} }}o--{parent_side} {names.get(parent) or _mermaid_quoted(parent)} : "
                         f"{_mermaid_quoted(', '.join(columns))}")
    return "\n".join(lines) + "\n"


def dot(schema):
    """The schema as a Graphviz `digraph`: a node per table, labelled with an HTML-like table of its columns, and
    an edge per foreign key, from the column that holds it to the column it references."""
    tables = schema["tables"]
    lines = ["digraph schema {", "    graph [rankdir=LR];", '    node [shape=plaintext, fontname="Helvetica"];',
             '    edge [fontname="Helvetica", fontsize=10, dir=both, arrowtail=crowodot];']
    for name, table in tables.items():
        lines += [f'    {_dot_id(name)} [label=<<table border="0" cellborder="1" cellspacing="0">',
                  f'        <tr><td colspan="3" bgcolor="lightgrey"><b>{_html(name)}</b></td></tr>']
        lines += [f'        <tr><td port="c{i}" align="left">{_html(column["name"])}</td>'
                  f'<td align="left">{_html(column["type"])}</td><td port="k{i}">{", ".join(keys)}</td></tr>'
                  for i, (column, keys) in enumerate(_columns(table))]
        lines.append("        </table>>];")
    for name, table in tables.items():
        for columns, parent, parent_columns, optional in _relations(tables, table):
            tail = f"{_dot_id(name)}:k{_position(table, columns[0])}"  # leaving from the right, reaching the left
            at = _position(tables[parent], parent_columns[0]) if parent in tables else None
            head = _dot_id(parent) + (f":c{at}" if at is not None else "")
            lines.append(f"    {tail} -> {head} [label=<{_html(', '.join(columns))}>, "
                         f"arrowhead={'teeodot' if optional else 'teetee'}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _columns(table):
    """Each column in the table's order with its key markers: PK, FK."""
    foreign = {f["column"] for f in table["foreign_keys"]}
    for column in table["columns"]:
        yield column, ["PK"] * column["primary_key"] + ["FK"] * (column["name"] in foreign)


def _relations(tables, table):
    """The table's foreign keys, one per constraint: (columns, referenced table, referenced columns, optional),
    optional when a column of it is nullable. The schema lists a constraint column by column: they are put together
    by the constraint's name, or on SQLite, which names none, when they reference the columns of a composite key."""
    nullable = {c["name"] for c in table["columns"] if c["null"]}
    groups = {}
    for foreign_key in table["foreign_keys"]:
        parent, parent_column = _referenced(tables, foreign_key["references"])
        key = _primary_key(tables.get(parent))
        if foreign_key.get("name"):
            constraint = ("named", foreign_key["name"])
        elif len(key) > 1 and parent_column in key:
            constraint = ("composite key",)
        else:
            constraint = ("column", foreign_key["column"])
        place = key.index(parent_column) if parent_column in key else 0
        groups.setdefault((parent, constraint), []).append((place, foreign_key["column"], parent_column))
    for (parent, _), members in groups.items():
        members.sort(key=lambda member: member[0])  # in the referenced key's order
        columns = [column for _, column, _ in members]
        yield columns, parent, [p for _, _, p in members], any(c in nullable for c in columns)


def _referenced(tables, references):
    """`table.column` split where it names a table and column the schema has (either may hold a dot)."""
    for at in (i for i, character in enumerate(references) if character == "."):
        table, column = references[:at], references[at + 1:]
        if table in tables and any(c["name"] == column for c in tables[table]["columns"]):
            return table, column
    table, _, column = references.rpartition(".")
    return table, column or None


def _primary_key(table):
    if table is None:
        return []
    return table.get("primary_key") or [c["name"] for c in table["columns"] if c["primary_key"]]


def _position(table, column):
    return next((i for i, c in enumerate(table["columns"]) if c["name"] == column), None)


# -- Mermaid ------------------------------------------------------------------------------------------------------
# Mermaid's erDiagram grammar: an entity name in double quotes may hold any character but `"`, `%`, `\` and line
# breaks; an attribute's type and name are words of letters, digits and `_`, starting with a letter (documented),
# and PK, FK, UK are keywords there in any case; a comment in double quotes holds anything but `"`.

def _mermaid_entities(tables):
    """Each table's entity name, quoted. A name Mermaid cannot quote as it is (it holds `"`, `%`, `\\` or a line
    break) has those characters replaced, and a number added when that makes it another table's name."""
    names = {name: _mermaid_quoted(name) for name in tables if _mermaid_quoted(name) == f'"{name}"'}
    taken = set(names.values())
    for name in tables:
        if name not in names:
            quoted, n = _mermaid_quoted(name), 1
            while quoted in taken:
                n += 1
                quoted = _mermaid_quoted(f"{name}_{n}")
            names[name] = quoted
            taken.add(quoted)
    return names


def _mermaid_quoted(text):
    return '"' + (re.sub(r'["%\\\x00-\x1f\x7f]', "_", text) or "_") + '"'


def _mermaid_attribute(column, keys):
    name = column["name"]
    word = _mermaid_word(name, "c")
    line = f"{_mermaid_word(column['type'].replace('[]', '_array'), 't') if column['type'] else 'untyped'} {word}"
    line += f" {', '.join(keys)}" if keys else ""
    if word != name:  # the real name, as the comment
        line += ' "' + re.sub(r'[\x00-\x1f\x7f]', " ", name).replace('"', "'") + '"'
    return line


def _mermaid_word(text, prefix):
    """`text` as an attribute word: other characters become `_`; a word not starting with a letter, or one Mermaid
    would read as a keyword, gets `prefix` and `_` before it."""
    if _is_word(text):
        return text
    word = re.sub(r"_+", "_", "".join(c if _word_character(c) else "_" for c in text)).rstrip("_")
    return word if _is_word(word) else f"{prefix}_{word.lstrip('_')}".rstrip("_")


def _is_word(text):
    # Mermaid reads PK, FK and UK as keywords in any case, also before a non-ASCII letter (`PKé` is PK then é).
    return (bool(text) and _letter(text[0]) and all(_word_character(c) for c in text)
            and not re.match(r"(?i)(pk|fk|uk)(?![a-z0-9_])", text))


def _letter(character):
    return character.isalpha() and (character.isascii() or character >= "\u00c0")


def _word_character(character):
    return _letter(character) or character.isascii() and (character.isdigit() or character == "_")


# -- DOT ----------------------------------------------------------------------------------------------------------

def _dot_id(name):
    """A DOT identifier, always quoted: keywords (node, graph...), case, spaces and any character stay as they are."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text):
    """Text in an HTML-like label: escaped, and without the control characters XML does not allow."""
    return html.escape(re.sub(r"[\x00-\x1f\x7f]", " ", text))
