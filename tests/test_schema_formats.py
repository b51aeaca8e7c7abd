"""`migrator schema`: columns in the table's own order, everything an index is (DESC, WHERE, expression, prefix),
and `--format mermaid` / `--format dot`, an entity-relationship diagram of the live schema, on each backend."""
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import column_order, error_document, ok
from migrator import diagrams

KEY = {"sqlite": "INTEGER PRIMARY KEY", "postgres": "SERIAL PRIMARY KEY", "mysql": "INTEGER AUTO_INCREMENT PRIMARY KEY"}
ODD = 'note "x" <b> & y'  # a column name with a quote, markup and spaces


def quoted(database, name):
    q = "`" if database.backend == "mysql" else '"'
    return q + name.replace(q, q * 2) + q


# -- columns in the table's order -------------------------------------------------------------------------------

def test_schema_lists_columns_in_the_tables_own_order(database, cli, common, specs):
    specs("v1.0.0", {"operations": [
        {"action": "create_table", "table": "items", "columns": {
            "zeta": "IntegerField(null=True)", "alpha": "TextField(null=True)", "mid": "IntegerField(null=True)"}},
        {"action": "add_column", "table": "items", "column_name": "beta", "field": "IntegerField(null=True)"}]})
    ok(cli, "migrate", *common)
    expected = ["id", "zeta", "alpha", "mid", "beta"]
    assert column_order(database, "items") == expected  # the backend's own catalog

    document = json.loads(ok(cli, "schema", "--json", *common))
    assert [c["name"] for c in document["tables"]["items"]["columns"]] == expected
    text = ok(cli, "schema", *common).splitlines()
    listed = [line.split()[0] for line in text[text.index("items") + 1:] if line.startswith("  ")
              and line.split()[0] in expected]
    assert listed == expected


# -- indexes: everything the index is ---------------------------------------------------------------------------

def test_schema_text_shows_each_indexs_order_condition_and_expression(database, cli, common):
    database.execute(f"CREATE TABLE events (id {KEY[database.backend]}, kind VARCHAR(40), at INTEGER, done INTEGER)",
                     "CREATE INDEX events_recent ON events (at DESC, kind)")
    if database.backend == "mysql":  # MariaDB has no partial or expression index, but prefix lengths
        database.execute("CREATE INDEX events_kind_prefix ON events (kind(8))")
    else:
        database.execute("CREATE INDEX events_open ON events (at) WHERE done = 0",
                         "CREATE INDEX events_kind_lower ON events (lower(kind))")

    # What the backend made, read from its own catalog.
    if database.backend == "sqlite":
        assert database.query("SELECT name, \"desc\" FROM pragma_index_xinfo('events_recent') WHERE key") == \
            [("at", 1), ("kind", 0)]
        assert database.query("SELECT partial FROM pragma_index_list('events') WHERE name = 'events_open'") == [(1,)]
        assert database.query("SELECT cid FROM pragma_index_xinfo('events_kind_lower') WHERE key") == [(-2,)]
    elif database.backend == "postgres":
        assert database.query("SELECT (indoption::int2[])[0] & 1, (indoption::int2[])[1] & 1 FROM pg_index "
                              "WHERE indexrelid = 'events_recent'::regclass") == [(1, 0)]  # 1: DESC
        assert database.query("SELECT pg_get_expr(indpred, indrelid) FROM pg_index "
                              "WHERE indexrelid = 'events_open'::regclass") == [("(done = 0)",)]
        assert database.query("SELECT pg_get_indexdef('events_kind_lower'::regclass, 1, TRUE)") == \
            [("lower(kind::text)",)]
    else:
        assert database.query("SELECT INDEX_NAME, COLUMN_NAME, COLLATION, SUB_PART FROM information_schema.STATISTICS "
                              "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND INDEX_NAME <> 'PRIMARY' "
                              "ORDER BY INDEX_NAME, SEQ_IN_INDEX") == \
            [("events_kind_prefix", "kind", "A", 8), ("events_recent", "at", "D", None),
             ("events_recent", "kind", "A", None)]

    lines = {line.split()[1]: line for line in ok(cli, "schema", *common).splitlines()
             if line.startswith("  index ")}
    assert re.search(r"\(\W?at\W? DESC, \W?kind\W?\)", lines["events_recent"])
    if database.backend == "mysql":
        assert re.search(r"\(`kind`\(8\)\)", lines["events_kind_prefix"])
    else:
        assert re.search(r"WHERE \(?done = 0\)?", lines["events_open"])
        assert re.search(r"lower\(\(?kind", lines["events_kind_lower"])


# -- diagrams ---------------------------------------------------------------------------------------------------

def make_shop(database):
    """authors <- "Order" (a NOT NULL and a nullable foreign key) <- order_lines (composite key, its first column
    named "Order" too) <- parts (a nullable composite foreign key); "Order" is mixed case and a reserved word."""
    q = lambda name: quoted(database, name)  # noqa: E731
    key = KEY[database.backend]
    database.execute(
        f"CREATE TABLE authors (id {key}, name VARCHAR(80) NOT NULL)",
        f"CREATE TABLE {q('Order')} (id {key}, author_id INTEGER NOT NULL, editor_id INTEGER NULL, "
        f"total DECIMAL(10, 2), {q(ODD)} TEXT, {q('prénom')} TEXT, "
        "FOREIGN KEY (author_id) REFERENCES authors (id), FOREIGN KEY (editor_id) REFERENCES authors (id))",
        f"CREATE TABLE order_lines ({q('Order')} INTEGER NOT NULL, line INTEGER NOT NULL, "
        f"PRIMARY KEY ({q('Order')}, line), FOREIGN KEY ({q('Order')}) REFERENCES {q('Order')} (id))",
        f"CREATE TABLE parts (id {key}, {q('Order')} INTEGER NULL, line INTEGER NULL, "
        f"FOREIGN KEY ({q('Order')}, line) REFERENCES order_lines ({q('Order')}, line))")


SHOP_COLUMNS = {
    "authors": [("id", ["PK"]), ("name", [])],
    "Order": [("id", ["PK"]), ("author_id", ["FK"]), ("editor_id", ["FK"]), ("total", []), (ODD, []),
              ("prénom", [])],
    "order_lines": [("Order", ["PK", "FK"]), ("line", ["PK"])],
    "parts": [("id", ["PK"]), ("Order", ["FK"]), ("line", ["FK"])],
}
# (child, its columns, parent, the referenced columns, optional)
SHOP_RELATIONS = {
    ("Order", "author_id", "authors", "id", False),
    ("Order", "editor_id", "authors", "id", True),
    ("order_lines", "Order", "Order", "id", False),
    ("parts", "Order, line", "order_lines", "Order, line", True),
}


def catalog_foreign_keys(database):
    """(child, column, parent, parent column, nullable) of every foreign key, from the backend's own catalog."""
    if database.backend == "sqlite":
        found = set()
        for table in SHOP_COLUMNS:
            columns = database.query(f'PRAGMA table_info("{table}")')
            nullable = {name: not notnull for _, name, _, notnull, *_ in columns}
            found |= {(table, column, parent, to, nullable[column]) for _, _, parent, column, to, *_ in
                      database.query(f'PRAGMA foreign_key_list("{table}")')}
        return found
    if database.backend == "mysql":
        rows = database.query(
            "SELECT k.table_name, k.column_name, k.referenced_table_name, k.referenced_column_name, c.is_nullable "
            "FROM information_schema.key_column_usage AS k JOIN information_schema.columns AS c "
            "ON c.table_schema = k.table_schema AND c.table_name = k.table_name AND c.column_name = k.column_name "
            "WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL")
    else:
        rows = database.query(
            "SELECT c.relname, a.attname, p.relname, pa.attname, NOT a.attnotnull FROM pg_constraint AS k "
            "CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(col, pcol) "
            "JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_class AS p ON p.oid = k.confrelid "
            "JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = u.col "
            "JOIN pg_attribute AS pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pcol WHERE k.contype = 'f'")
    return {(table, column, parent, to, nullable in (True, "YES")) for table, column, parent, to, nullable in rows}


def test_the_shop_schema_is_what_the_diagrams_are_checked_against(database):
    make_shop(database)
    # the catalog's foreign keys, column by column, are the relations the diagrams must draw
    assert catalog_foreign_keys(database) == {
        ("Order", "author_id", "authors", "id", False), ("Order", "editor_id", "authors", "id", True),
        ("order_lines", "Order", "Order", "id", False),
        ("parts", "Order", "order_lines", "Order", True), ("parts", "line", "order_lines", "line", True)}
    assert {table: column_order(database, table) for table in SHOP_COLUMNS} == \
        {table: [name for name, _ in columns] for table, columns in SHOP_COLUMNS.items()}


# Mermaid's erDiagram syntax, as its documentation and lexer give it: an entity name in double quotes holds no `"`,
# `%`, `\` or line break; an attribute's type and name are words starting with a letter (PK, FK, UK are keywords in
# any case); keys are PK or FK, comma-separated; a comment is in double quotes and holds no `"`.
ENTITY = r'"[^"%\\\r\n\v\b]+"'
WORD = r"[A-Za-z\u00c0-\uffff][A-Za-z0-9_\u00c0-\uffff]*"
ATTRIBUTE = re.compile(rf'({WORD}) ({WORD})(?: ((?:PK|FK)(?:, (?:PK|FK))*))?(?: "([^"]*)")?')
RELATION = re.compile(rf'({ENTITY}) \}}o--(\|\||o\|) ({ENTITY}) : "([^"]*)"')
KEYWORD = re.compile(r"(?i)(pk|fk|uk)(?![a-z0-9_])")


def read_mermaid(text):
    """({entity: [(type, name, keys, comment)]}, {(child, label, parent, optional)}), asserting every line is valid."""
    lines = text.splitlines()
    assert lines[0] == "erDiagram"
    entities, relations, current = {}, set(), None
    for line in lines[1:]:
        line = line.strip()
        if current is not None and line == "}":
            current = None
        elif current is not None:
            found = ATTRIBUTE.fullmatch(line)
            assert found, f"not a Mermaid attribute: {line!r}"
            kind, name, keys, comment = found.groups()
            assert not KEYWORD.match(kind) and not KEYWORD.match(name), line
            entities[current].append((kind, name, keys.split(", ") if keys else [], comment))
        elif found := re.fullmatch(rf"({ENTITY}) \{{", line):
            current = found[1][1:-1]
            entities[current] = []
        else:
            found = RELATION.fullmatch(line)
            assert found, f"not a Mermaid relation: {line!r}"
            child, side, parent, label = found.groups()
            relations.add((child[1:-1], label, parent[1:-1], side == "o|"))
    assert current is None
    return entities, relations


def test_schema_format_mermaid_draws_each_table_and_foreign_key(database, cli, common):
    make_shop(database)
    text = ok(cli, "schema", "--format", "mermaid", *common)
    entities, relations = read_mermaid(text)

    assert set(entities) == set(SHOP_COLUMNS)  # "Order" quoted, as it is
    for table, columns in SHOP_COLUMNS.items():
        # the real name is the attribute's name, or when it is not a Mermaid word, its comment
        assert [(comment or name).replace("'", '"') for _, name, _, comment in entities[table]] == \
            [name for name, _ in columns]
        assert [keys for _, _, keys, _ in entities[table]] == [keys for _, keys in columns]
    order = {name: (kind, comment) for kind, name, _, comment in entities["Order"]}
    assert order["note_x_b_y"] == ("text" if database.backend != "sqlite" else "TEXT", "note 'x' <b> & y")
    assert re.fullmatch(r"(?i)(decimal|numeric)_10_2", order["total"][0])  # DECIMAL(10, 2) as a Mermaid word
    assert re.fullmatch(r"(?i)(varchar|character_varying)_80", entities["authors"][1][0])
    assert relations == {(child, columns, parent, optional) for child, columns, parent, _, optional in SHOP_RELATIONS}
    assert '    "parts" }o--o| "order_lines" : "Order, line"' in text.splitlines()
    assert '    "Order" }o--|| "authors" : "author_id"' in text.splitlines()


def read_dot(text):
    """({node: [(column, type, keys)]}, {(child, column at its port, parent, column at its port, label,
    arrowhead)}) from the DOT this module writes."""
    identifier = r'"((?:[^"\\]|\\.)*)"'

    def unquoted(name):
        return re.sub(r"\\(.)", r"\1", name)

    nodes, edges, current = {}, set(), None
    for line in text.splitlines()[4:-1]:
        if found := re.fullmatch(rf"    {identifier} \[label=<<table [^>]*>", line):
            current = nodes.setdefault(unquoted(found[1]), [])
        elif found := re.fullmatch(r'        <tr><td port="c(\d+)" align="left">(.*)</td><td align="left">(.*)</td>'
                                   r'<td port="k(\d+)">(.*)</td></tr>', line):
            assert int(found[1]) == int(found[4]) == len(current)
            current.append(tuple(html.unescape(part) for part in found.group(2, 3, 5)))
        elif found := re.fullmatch(rf"    {identifier}:k(\d+) -> {identifier}:c(\d+) "
                                   r"\[label=<(.*)>, arrowhead=(\w+)\];", line):
            child, parent = unquoted(found[1]), unquoted(found[3])
            edges.add((child, nodes[child][int(found[2])][0], parent, nodes[parent][int(found[4])][0],
                       html.unescape(found[5]), found[6]))
        else:
            title = r'<tr><td colspan="3" bgcolor="lightgrey"><b>.*</b></td></tr>'
            assert re.fullmatch(rf"        ({title}|</table>>];)", line), line
    return nodes, edges


def test_schema_format_dot_draws_each_table_and_foreign_key(database, cli, common):
    make_shop(database)
    text = ok(cli, "schema", "--format", "dot", *common)
    assert text.startswith("digraph schema {\n") and text.endswith("}\n")
    nodes, edges = read_dot(text)

    assert {table: [(name, keys) for name, _, keys in columns] for table, columns in nodes.items()} == \
        {table: [(name, ", ".join(keys)) for name, keys in columns] for table, columns in SHOP_COLUMNS.items()}
    assert '    "Order" [label=<' in text and "<b>Order</b>" in text
    assert "<td port=\"c4\" align=\"left\">note &quot;x&quot; &lt;b&gt; &amp; y</td>" in text
    # each edge from the first column of the foreign key to the first column it references
    assert edges == {(child, columns.split(", ")[0], parent, to.split(", ")[0], columns,
                      "teeodot" if optional else "teetee") for child, columns, parent, to, optional in SHOP_RELATIONS}
    rendered(text, tables=set(SHOP_COLUMNS), edges=len(SHOP_RELATIONS))


def rendered(text, tables, edges):
    """When Graphviz is installed: `dot -Tsvg` takes the text without a warning and draws each table and edge."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed: the DOT text was checked, not rendered")
    result = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr
    svg = ElementTree.fromstring(result.stdout)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    groups = svg.findall(".//svg:g[@class]", ns)
    assert len([g for g in groups if g.get("class") == "node"]) == len(tables)
    assert len([g for g in groups if g.get("class") == "edge"]) == edges
    words = {t.text for t in svg.iterfind(".//svg:text", ns)}
    assert tables <= words


# -- names Mermaid and DOT cannot take as they are --------------------------------------------------------------

HOSTILE_TABLE = 'a"b%c\\d'  # a quote, a percent sign and a backslash: Mermaid cannot quote them
HOSTILE_COLUMNS = ["PKé", "pk", "2fa", "end", "x y", "node"]


def test_diagrams_take_any_name_the_database_takes(database, cli, common):
    def q(name):  # the server drivers read % as a placeholder, also with no parameters
        return quoted(database, name).replace("%", "%%" if database.backend != "sqlite" else "%")

    database.execute(
        f"CREATE TABLE {q(HOSTILE_TABLE)} (id {KEY[database.backend]}, "
        + ", ".join(f"{q(c)} INTEGER" for c in HOSTILE_COLUMNS) + ")",
        f"CREATE TABLE a_b_c_d (id INTEGER PRIMARY KEY, up INTEGER NOT NULL, "
        f"FOREIGN KEY (up) REFERENCES {q(HOSTILE_TABLE)} (id))",
        f"CREATE TABLE {q('graph')} (id INTEGER PRIMARY KEY, {q('Ünïcödé')} INTEGER, "
        f"FOREIGN KEY ({q('Ünïcödé')}) REFERENCES a_b_c_d (id))")
    assert {HOSTILE_TABLE, "a_b_c_d", "graph"} <= set(database.tables())

    entities, relations = read_mermaid(ok(cli, "schema", "--format", "mermaid", *common))
    # a_b_c_d keeps its own name; the table whose name Mermaid cannot quote gets another one
    assert set(entities) == {"a_b_c_d", "a_b_c_d_2", "graph"}
    assert [(name, comment) for _, name, _, comment in entities["a_b_c_d_2"]] == [
        ("id", None), ("c_PKé", "PKé"), ("c_pk", "pk"), ("c_2fa", "2fa"), ("end", None), ("x_y", "x y"),
        ("node", None)]
    assert [name for _, name, _, _ in entities["graph"]] == ["id", "Ünïcödé"]
    assert relations == {("a_b_c_d", "up", "a_b_c_d_2", False), ("graph", "Ünïcödé", "a_b_c_d", True)}

    text = ok(cli, "schema", "--format", "dot", *common)
    nodes, edges = read_dot(text)
    assert set(nodes) == {HOSTILE_TABLE, "a_b_c_d", "graph"}
    assert '\n    "a\\"b%c\\\\d" [label=<' in text  # the node's name, escaped
    assert [name for name, _, _ in nodes[HOSTILE_TABLE]] == ["id"] + HOSTILE_COLUMNS
    assert {(child, column, parent, to) for child, column, parent, to, _, _ in edges} == \
        {("a_b_c_d", "up", HOSTILE_TABLE, "id"), ("graph", "Ünïcödé", "a_b_c_d", "id")}
    rendered(text, tables={HOSTILE_TABLE, "a_b_c_d", "graph"}, edges=2)


def test_names_with_line_breaks_stay_on_their_line():
    schema = {"tables": {"two\nlines": {"columns": [
        {"name": "a\nb", "type": "", "null": True, "default": None, "primary_key": False}],
        "indexes": [], "foreign_keys": []}}}
    entities, _ = read_mermaid(diagrams.mermaid(schema))
    assert entities == {"two_lines": [("untyped", "a_b", [], "a b")]}
    text = diagrams.dot(schema)  # a line break in a quoted DOT name is the name's own
    assert '    "two\nlines" [label=<' in text and '<td port="c0" align="left">a b</td>' in text
    rendered(text, tables={"two lines"}, edges=0)


# -- --format and --json ----------------------------------------------------------------------------------------

def test_a_diagram_format_with_json_is_refused_and_an_unknown_format_too(database, cli, common):
    make_shop(database)
    code, out, err = cli("schema", "--format", "mermaid", "--json", *common)
    assert code == 2 and "Traceback" not in err
    assert error_document(out) == {
        "code": 2, "message": "--format mermaid prints a diagram and --json the JSON document: give one of them"}
    code, out, err = cli("schema", "--format", "svg", *common)
    assert code == 2 and "invalid choice: 'svg'" in err and "Traceback" not in err
    # --format text with --json is the JSON document, as --json alone
    assert json.loads(ok(cli, "schema", "--format", "text", "--json", *common))["tables"].keys() == set(SHOP_COLUMNS)
    # the diagram is the command's output: -q leaves it, as it leaves --json's document
    assert ok(cli, "schema", "-q", "--format", "dot", *common) == ok(cli, "schema", "--format", "dot", *common)
