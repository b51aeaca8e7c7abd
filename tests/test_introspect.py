"""The one-query table reader of each backend reads exactly what Peewee's own introspection reads."""
import json
import re
from dataclasses import replace

from migrator.dialects import dialect_for
from migrator.introspect import ForeignKey, Index, LiveSchema, fingerprint, read_schema, read_table, schema_json

SCHEMA = [
    {"action": "create_table", "table": "parent", "columns": {
        "name": "CharField(max_length=40, unique=True)", "score": "DecimalField(max_digits=8, decimal_places=2)",
        "born": "DateTimeField(null=True)", "flag": "BooleanField(default=False)", "note": "TextField(null=True)"}},
    {"action": "create_table", "table": "child", "columns": {
        "parent": "ForeignKeyField(model='parent', on_delete='CASCADE')", "label": "CharField(max_length=20)",
        "rank": "IntegerField(null=True)",
        "backup": "ForeignKeyField(model='parent', null=True, on_delete='SET NULL', on_update='CASCADE')"}},
    {"action": "create_table", "table": "coded", "columns": {
        "code": "CharField(max_length=8, primary_key=True)", "amount": "BigIntegerField(null=True)"}},
    {"action": "add_index", "table": "child", "columns": ["label", "rank"], "unique": True},
    {"action": "add_index", "table": "parent", "columns": ["born"], "name": "parent_born_recent"},
    {"action": "add_default", "table": "child", "column": "rank", "default": 7},
    {"action": "add_default", "table": "parent", "column": "note", "default": "it's"},
    {"action": "rename_table", "old_name": "parent", "new_name": "guardian"},
    {"action": "rename_column", "table": "child", "old_name": "label", "new_name": "title"},
    {"action": "drop_column", "table": "guardian", "column": "score"},
]


def peewee_table(db, dialect, name):
    """The table as Peewee's introspection reads it, with each backend's rule for the indexes that
    a key or a constraint made by itself."""
    if name not in db.get_tables():
        return None
    columns = tuple(dialect.column(meta) for meta in db.get_columns(name))
    keys = {c.name for c in columns if c.primary_key}
    raw_keys = db.get_foreign_keys(name)
    foreign_keys = {ForeignKey(fk.column, fk.dest_table, fk.dest_column, dialect.referential_action(fk.on_delete),
                               dialect.referential_action(fk.on_update)) for fk in raw_keys}
    implicit = {
        "sqlite": lambda i: i.sql is None,
        "postgres": lambda i: i.unique and set(i.columns) == keys and re.search(r"_pkey\d*$", i.name),
        "mysql": lambda i: i.name == "PRIMARY" or i.name in {fk.name for fk in raw_keys},
    }[dialect.name]
    indexes = {Index(i.name, tuple(i.columns), bool(i.unique)) for i in db.get_indexes(name) if not implicit(i)}
    return columns, indexes, foreign_keys


def peewee_fields(item):
    """An index or foreign key with only what Peewee's introspection reads of it (no definition or name)."""
    return replace(item, definition=None, constraint=False) if isinstance(item, Index) else replace(item, name=None)


def test_each_table_reads_as_peewee_reads_it(database, specs, run):
    specs("v1.0.0", SCHEMA)
    code, out, err = run("migrate")
    assert code == 0, err
    if database.backend != "mysql":  # a composite key and a UNIQUE constraint, as hand-written SQL makes them
        database.execute('CREATE TABLE pair (a INTEGER NOT NULL, b INTEGER NOT NULL, c VARCHAR(10) UNIQUE, '
                         'PRIMARY KEY (a, b))')
    db = database.connect()
    try:
        dialect = dialect_for(db)
        names = [n for n in db.get_tables() if n != "schema_migrations"]
        assert {"guardian", "child", "coded"} <= set(names)
        for name in names:
            table = read_table(db, dialect, name)
            assert (table.columns, set(map(peewee_fields, table.indexes)), set(map(peewee_fields, table.foreign_keys))
                    ) == peewee_table(db, dialect, name), name
        # the schema text a run keeps, table by table, is the one the fingerprint was always taken of
        live = LiveSchema(db, dialect, exclude=("schema_migrations",))
        assert live.canonical_json() == json.dumps(schema_json(read_schema(db, dialect, ("schema_migrations",))),
                                                   sort_keys=True)
        assert read_table(db, dialect, "parent") is None  # renamed away
        assert read_table(db, dialect, "GUARDIAN") is None  # names are exact, as in the history
    finally:
        db.close()


def test_the_schema_text_kept_part_by_part_is_the_canonical_json_on_the_zoo(database):
    """The schema text a run records after each version is built from the kept text of each column, index and
    foreign key: on the zoo's real shapes (composite and text keys, expression and partial indexes, checks,
    triggers, foreign keys), in both forms, and after a table changed, it is json.dumps of the canonical data."""
    import zoo as zoo_ddl

    zoo_ddl.build(database)
    db = database.connect()
    try:
        dialect = dialect_for(db)
        live = LiveSchema(db, dialect)
        for legacy in (False, True):
            assert live.canonical_json(legacy) == json.dumps(
                schema_json(live.tables(), legacy, dialect), sort_keys=True)
        name, table = next((n, t) for n, t in live.tables().items() if len(t.columns) > 2)
        live.put(name, table.with_column_renamed(table.columns[1].name, "renamed_here"))
        assert live.canonical_json() == json.dumps(schema_json(live.tables(), dialect=dialect), sort_keys=True)
        assert "renamed_here" in live.canonical_json()
        # the fingerprint hashed on from the tables unchanged since the last one is the whole text's, whichever
        # table changed, was added at the end or the start, or dropped
        names = sorted(live.tables())
        keyed = next(n for n, t in live.tables().items() if t.foreign_keys)
        for change in ("first", "middle", "last", "index_added", "column_added", "column_added_first",
                       "foreign_key_added_beside", "column_added_twice", "index_dropped", "added_last",
                       "added_first", "dropped", "none"):
            if change in ("first", "middle", "last"):
                at = {"first": names[0], "middle": names[len(names) // 2], "last": names[-1]}[change]
                kept = live.tables()[at]
                live.put(at, kept.without_column(kept.columns[-1].name))
            elif change in ("column_added_first", "column_added_twice"):  # put in its place, not at the end
                kept = live.tables()[name]
                for added in ("AA_first", "zz_second")[:1 + (change == "column_added_twice")]:
                    kept = replace(kept, columns=kept.columns + (replace(kept.columns[-1], name=added),))
                    live.put(name, kept)
                    assert live.canonical_json() == json.dumps(schema_json(live.tables(), dialect=dialect),
                                                               sort_keys=True), change
            elif change.startswith(("index_", "column_")):  # the table's other items the same objects as before
                kept = live.tables()[name]
                added = Index("ix_added_here", (kept.columns[0].name,), False)
                live.put(name, replace(kept, indexes=kept.indexes + (added,)) if change == "index_added" else
                         replace(kept, columns=kept.columns + (replace(kept.columns[-1], name="added_here"),))
                         if change == "column_added" else
                         replace(kept, indexes=tuple(i for i in kept.indexes if i.name != added.name)))
            elif change == "foreign_key_added_beside":  # a second key on the same column: after the first, as sorted
                kept = live.tables()[keyed]
                second = replace(kept.foreign_keys[0], name="fk_second", on_delete="CASCADE")
                live.put(keyed, replace(kept, foreign_keys=kept.foreign_keys + (second,)))
            elif change.startswith("added"):
                live.put("zzz_new" if change == "added_last" else "AAA_new", table)
            elif change == "dropped":
                live.put("zzz_new", None)
            for legacy in (False, True):
                text = live.schema_text(legacy)
                assert str(text) == live.canonical_json(legacy)
                assert text.fingerprint == fingerprint(live.canonical_json(legacy)), change
    finally:
        db.close()


COLUMN_ZOO = {
    "sqlite": 'CREATE TABLE "Mixed" (id INTEGER PRIMARY KEY, a TEXT, "b c" VARCHAR(20) NOT NULL DEFAULT \'x\', '
              'd REAL DEFAULT 1.5, e DATETIME DEFAULT CURRENT_TIMESTAMP, f NUMERIC(10, 2), "order" INTEGER)',
    "postgres": 'CREATE TABLE "Mixed" (id SERIAL PRIMARY KEY, a TEXT, "b c" VARCHAR(20) NOT NULL DEFAULT \'x\', '
                'd DOUBLE PRECISION DEFAULT 1.5, e TIMESTAMP DEFAULT now(), f NUMERIC(10, 2), "order" INTEGER, '
                'g UUID, h BIGINT GENERATED BY DEFAULT AS IDENTITY, i JSONB DEFAULT \'{}\'::jsonb, j TEXT[])',
    "mysql": 'CREATE TABLE `Mixed` (id INTEGER AUTO_INCREMENT PRIMARY KEY, a TEXT, `b c` VARCHAR(20) NOT NULL '
             'DEFAULT \'x\', d DOUBLE DEFAULT 1.5, e DATETIME DEFAULT CURRENT_TIMESTAMP, f DECIMAL(10, 2), '
             '`order` INTEGER, g TINYINT(1) NOT NULL DEFAULT 0, h ENUM(\'a\', \'b\') DEFAULT \'a\', i JSON)',
}


def test_one_column_reads_as_the_table_read_has_it(database):
    """After add_column a run reads the one column back from the server (not the whole table): each kind of column
    (defaults, NOT NULL, identity and serial keys, numeric, UUID, JSON, arrays, reserved and mixed-case names) reads
    as the table read has it; a column or table that is not there is None."""
    database.execute(COLUMN_ZOO[database.backend])
    db = database.connect()
    try:
        dialect = dialect_for(db)
        table = read_table(db, dialect, "Mixed")
        if database.backend == "sqlite":
            assert dialect.read_column("Mixed", "a") is None  # SQLite never reads: the column is as declared
            return
        assert [dialect.read_column("Mixed", c.name) for c in table.columns] == list(table.columns)
        assert dialect.read_column("Mixed", "nope") is None
        assert dialect.read_column("mixed", "a") is None  # names are exact
    finally:
        db.close()


def test_columns_added_alike_are_read_once_per_type_and_the_schema_recorded_is_the_live_one(database, specs, run):
    """After add_column a server's column is read back (its type in the server's words) once per declared type in
    a run: the others like it are known. What the run records is the schema as read afterwards: no drift."""
    specs("v1.0.0", [{"action": "create_table", "table": name, "columns": {"title": "CharField(max_length=20)"}}
                     for name in ("Alpha", "beta")])
    kinds = ["IntegerField(null=True)", "CharField(max_length=20, null=True)", "DecimalField(max_digits=8, "
             "decimal_places=2, null=True)", "DateTimeField(null=True)", "BooleanField(null=True)"]
    specs("v1.1.0", [{"action": "add_column", "table": table, "column_name": f"c{number}_{table.lower()}",
                      "field": kind} for number, kind in enumerate(kinds) for table in ("Alpha", "beta")]
          + [{"action": "add_column", "table": "beta", "column_name": "counted", "field": "IntegerField(default=3)"}])
    code, out, err = run("migrate", "-v")
    assert code == 0, out + err
    reads = [line for line in err.splitlines() if "SELECT NOT a.attnotnull, format_type" in line
             or "SELECT IS_NULLABLE" in line]
    if database.backend != "sqlite":
        assert len(reads) == len(kinds) + 1, reads  # one per declared type, and the column with a default
    status = json.loads(run("status", "--json")[1])
    assert status["drift"] is None, status["drift"]
