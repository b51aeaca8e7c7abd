"""Conformance suite: every action, on every backend, applied through the CLI and rolled back.

Each case starts from the same base version (v1.0.0, two tables with rows), snapshots the
introspected schema, applies v1.1.0 holding the action, checks the database shows the change,
rolls back, and checks the schema is exactly the snapshot again.
"""
import re
import shutil

import pytest

from conftest import REPO, column_order, snapshot

BASE = [
    {"action": "create_table", "table": "authors", "columns": {
        "name": "CharField(max_length=80, unique=True)",
        "email": "CharField(max_length=255, null=True)",
    }},
    {"action": "create_table", "table": "books", "columns": {
        "author_id": "ForeignKeyField('authors', on_delete='CASCADE')",
        "editor_id": "ForeignKeyField('authors', null=True, on_delete='SET NULL')",
        "title": "CharField(max_length=200)",
        "status": "CharField(max_length=20)",
        "pages": "IntegerField(null=True)",
        "summary": "TextField(null=True)",
    }},
    {"action": "add_default", "table": "books", "column": "status", "default": "draft"},
    {"action": "add_index", "table": "books", "columns": ["status"]},
    {"action": "add_index", "table": "books", "columns": ["title"], "name": "books_title_idx"},
]

BASE_ROWS = [
    "INSERT INTO authors (name, email) VALUES ('ann', 'ann@example.com')",
    "INSERT INTO authors (name, email) VALUES ('bob', 'bob@example.com')",
    "INSERT INTO books (author_id, editor_id, title, status, pages, summary) "
    "VALUES (1, 2, 'Alpha', 'draft', 100, NULL)",
    "INSERT INTO books (author_id, editor_id, title, status, pages, summary) "
    "VALUES (2, NULL, 'Beta', 'published', 250, 'b')",
]


# -- reading the introspected schema ----------------------------------------------------

def column(schema, table, name):
    return next((c for c in schema[table]["columns"] if c["name"] == name), None)


def column_names(schema, table):
    return {c["name"] for c in schema[table]["columns"]}


def index(schema, table, name):
    """The index, without its definition (each backend's own SQL for it)."""
    found = next((i for i in schema[table]["indexes"] if i["name"] == name), None)
    return found and {k: v for k, v in found.items() if k != "definition"}


def index_names(schema, table):
    return {i["name"] for i in schema[table]["indexes"]}


def without_key_names(table):
    """The table without the names of its foreign keys and its indexes' definitions (each backend's own)."""
    return {**table, "foreign_keys": [{k: v for k, v in f.items() if k != "name"} for f in table["foreign_keys"]],
            "indexes": plain_indexes(table["indexes"])}


def plain_indexes(indexes):
    return [{k: v for k, v in i.items() if k != "definition"} for i in indexes]


def foreign_key(schema, table, name):
    """The foreign key on the column, without its constraint's name (which each backend makes its own way)."""
    found = next((f for f in schema[table]["foreign_keys"] if f["column"] == name), None)
    return found and {k: v for k, v in found.items() if k != "name"}


def type_of(schema, table, name):
    """The column's type in one spelling for all backends: varchar(300), int, bigint, text."""
    text = column(schema, table, name)["type"].lower().strip()
    text = text.replace("character varying", "varchar").replace("integer", "int")
    return re.sub(r"^(int|bigint)\(\d+\)$", r"\1", text)


def default_of(schema, table, name):
    """The column's server default as a plain value ('draft', '0'), or None."""
    raw = column(schema, table, name)["default"]
    if raw is None:
        return None
    raw = re.sub(r"::[a-z ]+$", "", raw.strip())
    return raw[1:-1].replace("''", "'") if raw.startswith("'") and raw.endswith("'") else raw


# -- running versions -----------------------------------------------------------------

@pytest.fixture
def base(database, specs, run):
    """v1.0.0 applied with rows in authors and books; returns the schema snapshot."""
    specs("v1.0.0", BASE)
    code, _, err = run("migrate")
    assert code == 0, err
    database.execute(*BASE_ROWS)
    return database.schema()


# -- the applied state, one check per sample ----------------------------------------------
# Each check gets (database, schema before, schema after v1.1.0) and reads the database.

def add_column_nullable(database, before, after):
    assert type_of(after, "books", "subtitle") == "varchar(100)"
    assert column(after, "books", "subtitle")["null"] is True
    assert database.query("SELECT subtitle FROM books") == [(None,), (None,)]


def add_column_not_null_with_default(database, before, after):
    assert type_of(after, "books", "rating") == "int"
    assert column(after, "books", "rating")["null"] is False
    # the rows that were there before get the default
    assert database.query("SELECT rating FROM books ORDER BY id") == [(3,), (3,)]


def add_column_foreign_key(database, before, after):
    assert type_of(after, "books", "reviewer_id") == "int"
    assert column(after, "books", "reviewer_id")["null"] is True
    assert foreign_key(after, "books", "reviewer_id") == {
        "column": "reviewer_id", "references": "authors.id", "on_delete": "SET NULL", "on_update": None}
    assert index(after, "books", "books_reviewer_id") == {
        "name": "books_reviewer_id", "columns": ["reviewer_id"], "unique": False}
    database.execute("UPDATE books SET reviewer_id = 2 WHERE id = 1")


def drop_column_with_index_default_not_null(database, before, after):
    assert "status" not in column_names(after, "books")
    assert "books_status" not in index_names(after, "books")
    assert index(after, "books", "books_title_idx") is not None
    assert database.query("SELECT title FROM books ORDER BY id") == [("Alpha",), ("Beta",)]


def drop_column_restored_default_fills_new_rows(database):
    database.execute("INSERT INTO books (author_id, title) VALUES (1, 'Gamma')")
    assert database.query("SELECT status FROM books WHERE title = 'Gamma'") == [("draft",)]


def drop_foreign_key_column(database, before, after):
    assert "editor_id" not in column_names(after, "books")
    assert foreign_key(after, "books", "editor_id") is None
    assert foreign_key(after, "books", "author_id") is not None
    assert "books_editor_id" not in index_names(after, "books")
    assert database.query("SELECT title FROM books ORDER BY id") == [("Alpha",), ("Beta",)]


def rename_column(database, before, after):
    names = column_names(after, "books")
    assert "heading" in names and "title" not in names
    assert {**column(after, "books", "heading"), "name": "title"} == column(before, "books", "title")
    assert index(after, "books", "books_title_idx")["columns"] == ["heading"]
    assert database.query("SELECT heading FROM books ORDER BY id") == [("Alpha",), ("Beta",)]


def add_not_null(database, before, after):
    assert column(before, "books", "pages")["null"] is True
    assert column(after, "books", "pages")["null"] is False
    assert database.query("SELECT pages FROM books ORDER BY id") == [(100,), (250,)]


def drop_not_null(database, before, after):
    assert column(after, "books", "title")["null"] is True
    database.execute("INSERT INTO books (author_id, title) VALUES (1, NULL)")
    assert database.query("SELECT COUNT(*) FROM books WHERE title IS NULL") == [(1,)]
    database.execute("DELETE FROM books WHERE title IS NULL")  # so that rollback can make it NOT NULL again


def rename_table(database, before, after):
    assert set(after) == {"authors", "volumes"}
    assert after["volumes"]["columns"] == before["books"]["columns"]
    # MariaDB renames the foreign keys it named itself (<table>_ibfk_<n>) with the table: compare without names
    assert without_key_names(after["volumes"]) == without_key_names(before["books"])
    assert database.query("SELECT title FROM volumes ORDER BY id") == [("Alpha",), ("Beta",)]


def add_index(database, before, after):
    added = [
        {"name": "books_pages", "columns": ["pages"], "unique": False},  # Peewee's name
        {"name": "books_author_id_title", "columns": ["author_id", "title"], "unique": True},  # Peewee's name
        {"name": "books_by_size", "columns": ["pages", "status"], "unique": False},
    ]
    assert plain_indexes(after["books"]["indexes"]) == sorted(plain_indexes(before["books"]["indexes"]) + added,
                                                              key=lambda i: i["name"])
    assert index(after, "authors", "authors_email_key") == {
        "name": "authors_email_key", "columns": ["email"], "unique": True}
    with pytest.raises(Exception):  # the unique index is enforced
        database.execute("INSERT INTO authors (name, email) VALUES ('eve', 'ann@example.com')")


def drop_index(database, before, after):
    assert index(before, "books", "books_title_idx") and index(before, "authors", "authors_name")
    assert "books_title_idx" not in index_names(after, "books")
    assert "authors_name" not in index_names(after, "authors")  # made by create_table for unique=True
    assert after["books"]["columns"] == before["books"]["columns"]
    database.execute("INSERT INTO authors (name) VALUES ('ann')")  # no longer unique
    database.execute("DELETE FROM authors WHERE id = 3")  # so that rollback can make it unique again


def create_table(database, before, after):
    reviews = after["reviews"]
    # the implicit key comes first, then the columns in the order the spec gives them
    assert column_order(database, "reviews") == ["id", "book_id", "code", "body", "stars"]
    assert [c["name"] for c in reviews["columns"] if c["primary_key"]] == ["id"]
    assert column(after, "reviews", "book_id")["null"] is False
    assert column(after, "reviews", "stars")["null"] is True
    assert type_of(after, "reviews", "code") == "varchar(12)"
    # Peewee's names, <table>_<column>, for the foreign key's and the unique column's indexes
    assert plain_indexes(reviews["indexes"]) == [
        {"name": "reviews_book_id", "columns": ["book_id"], "unique": False},
        {"name": "reviews_code", "columns": ["code"], "unique": True},
    ]
    assert foreign_key(after, "reviews", "book_id") == {
        "column": "book_id", "references": "books.id", "on_delete": "CASCADE", "on_update": None}
    database.execute("INSERT INTO reviews (book_id, code, body) VALUES (1, 'r1', 'fine')")
    assert database.query("SELECT id, book_id, stars FROM reviews") == [(1, 1, None)]


def drop_table(database, before, after):
    assert set(after) == {"authors"}
    assert database.query("SELECT COUNT(*) FROM authors") == [(2,)]


def drop_table_restored_default_fills_new_rows(database):
    assert column_order(database, "books")[0] == "id"
    database.execute("INSERT INTO books (author_id, title) VALUES (2, 'Gamma')")
    assert database.query("SELECT status, editor_id FROM books WHERE title = 'Gamma'") == [("draft", None)]


def alter_column_type(database, before, after):
    assert type_of(after, "books", "title") == "varchar(300)"
    assert type_of(after, "books", "summary") == "varchar(500)"
    # nullability stays as it was when the field does not say null=
    assert column(after, "books", "title")["null"] is False
    assert column(after, "books", "summary")["null"] is True
    assert database.query("SELECT title, summary FROM books ORDER BY id") == [("Alpha", None), ("Beta", "b")]


def add_default(database, before, after):
    assert default_of(before, "books", "pages") is None
    assert default_of(after, "books", "pages") == "0"
    assert default_of(after, "books", "status") == "published"
    database.execute("INSERT INTO books (author_id, title) VALUES (1, 'Gamma')")
    assert database.query("SELECT pages, status FROM books WHERE title = 'Gamma'") == [(0, "published")]


def add_default_previous_default_is_back(database):
    database.execute("INSERT INTO books (author_id, title) VALUES (1, 'Delta')")
    assert database.query("SELECT pages, status FROM books WHERE title = 'Delta'") == [(None, "draft")]


def drop_default(database, before, after):
    assert default_of(before, "books", "status") == "draft"
    assert default_of(after, "books", "status") is None
    assert column(after, "books", "status")["null"] is False


def sql_with_down(database, before, after):
    assert set(after) == {"authors", "books", "notes"}
    assert database.query("SELECT id, body FROM notes") == [(1, "x")]


SAMPLES = [
    pytest.param([{"action": "add_column", "table": "books", "column_name": "subtitle",
                   "field": "CharField(max_length=100, null=True)"}],
                 add_column_nullable, None, id="add_column-nullable"),
    pytest.param([{"action": "add_column", "table": "books", "column_name": "rating",
                   "field": "IntegerField(default=3)"}],
                 add_column_not_null_with_default, None, id="add_column-not-null-with-default"),
    pytest.param([{"action": "add_column", "table": "books", "column_name": "reviewer_id",
                   "field": "ForeignKeyField('authors', null=True, on_delete='SET NULL')"}],
                 add_column_foreign_key, None, id="add_column-foreign-key"),
    pytest.param([{"action": "drop_column", "table": "books", "column_name": "status"}],
                 drop_column_with_index_default_not_null, drop_column_restored_default_fills_new_rows,
                 id="drop_column-index-default-not-null"),
    pytest.param([{"action": "drop_column", "table": "books", "column_name": "editor_id"}],
                 drop_foreign_key_column, None, id="drop_column-foreign-key"),
    pytest.param([{"action": "rename_column", "table": "books", "old_name": "title", "new_name": "heading"}],
                 rename_column, None, id="rename_column"),
    pytest.param([{"action": "add_not_null", "table": "books", "column": "pages"}],
                 add_not_null, None, id="add_not_null"),
    pytest.param([{"action": "drop_not_null", "table": "books", "column": "title"}],
                 drop_not_null, None, id="drop_not_null"),
    pytest.param([{"action": "rename_table", "old_name": "books", "new_name": "volumes"}],
                 rename_table, None, id="rename_table"),
    pytest.param([{"action": "add_index", "table": "books", "columns": ["pages"]},
                  {"action": "add_index", "table": "books", "columns": ["author_id", "title"], "unique": True},
                  {"action": "add_index", "table": "authors", "columns": ["email"], "unique": True,
                   "name": "authors_email_key"},
                  {"action": "add_index", "table": "books", "columns": ["pages", "status"], "name": "books_by_size"}],
                 add_index, None, id="add_index-unique-and-not-default-and-explicit-name"),
    pytest.param([{"action": "drop_index", "table": "books", "index_name": "books_title_idx"},
                  {"action": "drop_index", "table": "authors", "index_name": "authors_name"}],
                 drop_index, None, id="drop_index-plain-and-unique"),
    pytest.param([{"action": "create_table", "table": "reviews", "columns": {
                      "book_id": "ForeignKeyField('books', on_delete='CASCADE')",
                      "code": "CharField(max_length=12, unique=True)",
                      "body": {"type": "TextField"},
                      "stars": "IntegerField(null=True)"}}],
                 create_table, None, id="create_table"),
    pytest.param([{"action": "drop_table", "table": "books"}],
                 drop_table, drop_table_restored_default_fills_new_rows, id="drop_table-fk-indexes-default"),
    pytest.param([{"action": "alter_column_type", "table": "books", "column": "title",
                   "field": "CharField(max_length=300)"},
                  {"action": "alter_column_type", "table": "books", "column": "summary",
                   "field": "CharField(max_length=500)"}],
                 alter_column_type, None, id="alter_column_type"),
    pytest.param([{"action": "add_default", "table": "books", "column": "pages", "default": 0},
                  {"action": "add_default", "table": "books", "column": "status", "default": "published"}],
                 add_default, add_default_previous_default_is_back, id="add_default-new-and-replacing"),
    pytest.param([{"action": "drop_default", "table": "books", "column": "status"}],
                 drop_default, drop_column_restored_default_fills_new_rows, id="drop_default"),
    pytest.param([{"action": "sql",
                   "sql": ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(50))",
                           "INSERT INTO notes (id, body) VALUES (1, 'x')"],
                   "down": "DROP TABLE notes"}],
                 sql_with_down, None, id="sql-with-down"),
]


@pytest.mark.parametrize("operations, check_applied, check_restored", SAMPLES)
def test_action_applies_and_rollback_restores_the_exact_schema(database, specs, run, base, operations,
                                                               check_applied, check_restored):
    tables = database.tables()
    specs("v1.1.0", operations)
    code, _, err = run("migrate")
    assert code == 0, err
    applied = database.schema()
    assert applied != base
    check_applied(database, base, applied)
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]

    code, _, err = run("rollback")
    assert code == 0, err
    assert database.schema() == base
    assert database.tables() == tables  # nothing left behind, not even a table of the migrator's own
    assert database.history() == [("v1.0.0", "applied")]
    if check_restored:
        check_restored(database)


# -- refusals -----------------------------------------------------------------------------

def test_rollback_of_sql_without_down_is_refused_with_exit_2_and_changes_nothing(database, specs, run, base):
    specs("v1.1.0", [
        {"action": "add_column", "table": "authors", "column": "bio", "field": "TextField(null=True)"},
        {"action": "sql", "sql": "UPDATE authors SET bio = 'x'"},
    ])
    assert run("migrate")[0] == 0
    schema, history = database.schema(), database.history()

    code, _, err = run("rollback")
    assert code == 2
    assert database.schema() == schema
    assert database.history() == history == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    assert database.query("SELECT bio FROM authors ORDER BY id") == [("x",), ("x",)]
    # the refusal says which operation of which version stands in the way
    assert "v1.1.0" in err and "sql" in err and "'down'" in err
    assert "operation 1" in err, err


def test_not_null_add_column_without_default_is_refused_before_anything_runs(database, specs, run, base):
    specs("v1.1.0", [
        {"action": "create_table", "table": "tags", "columns": {"name": "CharField(max_length=20)"}},
        {"action": "add_column", "table": "books", "column_name": "isbn", "field": "CharField(max_length=13)"},
    ])
    code, _, err = run("migrate")
    assert code == 2
    assert "v1.1.0.json" in err and "operation 1 (add_column)" in err
    assert "null=True" in err or "default" in err
    assert database.schema() == base  # operation 0 did not run either
    assert database.history() == [("v1.0.0", "applied")]


# -- both spellings of the column parameter ----------------------------------------------

def test_every_one_column_action_accepts_column_and_column_name(database, specs, run, base):
    # each one-column action twice in one version: once spelled `column`, once `column_name`
    specs("v1.1.0", [
        {"action": "add_column", "table": "authors", "column": "a1", "field": "IntegerField(null=True)"},
        {"action": "add_column", "table": "authors", "column_name": "a2", "field": "IntegerField(null=True)"},
        {"action": "add_default", "table": "authors", "column": "a1", "default": 5},
        {"action": "add_default", "table": "authors", "column_name": "a2", "default": 6},
        {"action": "drop_default", "table": "books", "column": "status"},
        {"action": "drop_default", "table": "authors", "column_name": "a2"},
        {"action": "add_not_null", "table": "books", "column": "pages"},
        {"action": "add_not_null", "table": "authors", "column_name": "email"},
        {"action": "drop_not_null", "table": "books", "column": "title"},
        {"action": "drop_not_null", "table": "authors", "column_name": "name"},
        {"action": "alter_column_type", "table": "books", "column": "title", "field": "CharField(max_length=250)"},
        {"action": "alter_column_type", "table": "authors", "column_name": "name", "field": "CharField(max_length=90)"},
        {"action": "drop_column", "table": "books", "column": "summary"},
        {"action": "drop_column", "table": "books", "column_name": "editor_id"},
    ])
    code, _, err = run("migrate")
    assert code == 0, err

    after = database.schema()
    assert column(after, "authors", "a1") and column(after, "authors", "a2")
    assert default_of(after, "authors", "a1") == "5" and default_of(after, "authors", "a2") is None
    assert default_of(after, "books", "status") is None
    assert column(after, "books", "pages")["null"] is False and column(after, "authors", "email")["null"] is False
    assert column(after, "books", "title")["null"] is True and column(after, "authors", "name")["null"] is True
    assert type_of(after, "books", "title") == "varchar(250)" and type_of(after, "authors", "name") == "varchar(90)"
    assert not column(after, "books", "summary") and not column(after, "books", "editor_id")

    code, _, err = run("rollback")
    assert code == 0, err
    assert database.schema() == base


# -- the shipped sample specs ---------------------------------------------------------------

def test_shipped_v1_1_0_applies_over_rows_and_rolls_back_to_exactly_v1_0_0(database, specs, run):
    # README's sample scenario: posts.author_id is dropped, so rollback must give it its values back from the backup.
    for version in ("v1.0.0", "v1.1.0"):
        shutil.copy(REPO / "specs" / f"{version}.json", specs.folder / f"{version}.json")
    code, _, err = run("migrate", "v1.0.0")
    assert code == 0, err
    database.execute(
        "INSERT INTO users (username, email, created_at) VALUES ('ann', 'ann@example.com', '2024-01-01 10:00:00')",
        "INSERT INTO users (username, email, created_at) VALUES ('bob', 'bob@example.com', '2024-01-02 10:00:00')",
        "INSERT INTO users (username, email, created_at) VALUES ('cy', 'cy@example.com', '2024-01-03 10:00:00')",
        "INSERT INTO posts (author_id, title, body, status, created_at) "
        "VALUES (2, 'First', 'hello', 'draft', '2024-01-03 10:00:00')",
        "INSERT INTO posts (author_id, title, body, status, created_at) "
        "VALUES (1, 'Second', NULL, 'published', '2024-01-04 10:00:00')",
        "INSERT INTO posts (author_id, title, body, status, created_at) "
        "VALUES (3, 'Third', 'x', 'draft', '2024-01-05 10:00:00')",
        "INSERT INTO comments (post_id, body, created_at) VALUES (1, 'nice', '2024-01-05 10:00:00')",
        "INSERT INTO comments (post_id, body, created_at) VALUES (3, 'meh', '2024-01-06 10:00:00')",
        "INSERT INTO comments (post_id, body, created_at) VALUES (3, 'ok', '2024-01-07 10:00:00')",
    )
    v1_0 = snapshot(database)
    authors = database.query("SELECT id, author_id FROM posts ORDER BY id")
    assert authors == [(1, 2), (2, 1), (3, 3)]

    code, _, err = run("migrate", "v1.1.0")
    assert code == 0, err
    applied = database.schema()
    assert set(applied) == {"users", "articles", "comments"}  # posts renamed to articles
    assert column(applied, "users", "age")["null"] is True
    assert "author_id" not in column_names(applied, "articles")
    assert "post_title" in column_names(applied, "articles")
    assert column(applied, "comments", "post_id")["null"] is False
    assert index(applied, "articles", "articles_status_created_at")["unique"] is True
    assert "post_id" not in index_names(applied, "comments")
    assert database.query("SELECT post_title FROM articles ORDER BY id") == [("First",), ("Second",), ("Third",)]

    code, _, err = run("rollback")
    assert code == 0, err
    assert database.query("SELECT id, author_id FROM posts ORDER BY id") == authors
    assert snapshot(database) == v1_0  # the schema, and every row of users, posts and comments
    assert [t for t in database.tables() if t.startswith("_migrator_backup_")] == []
    assert database.history() == [("v1.0.0", "applied")]
