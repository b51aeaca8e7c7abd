"""Code in a spec: `sql` per backend, and `python`, a data migration in the application's own code.

Each test writes a small application package into its own folder (the working directory, as an application is
run from its folder), under a name of its own, so that no test imports another's module. Results are read from the
backend's own catalog (tests/catalog.py) and the rows.
"""
import importlib
import json
import sys
import textwrap
import uuid

import pytest

import catalog as cat
from conftest import ok, snapshot, sqlite_only
from migrator.operations import Python, Sql, load_stored

KEYS = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mariadb"}  # MariaDB users write `mariadb`
OTHER_KEYS = {"sqlite": ("postgresql", "mysql"), "postgres": ("mysql", "sqlite"), "mysql": ("postgresql", "sqlite")}
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL/MariaDB"}

PRODUCTS = [
    {"action": "create_table", "table": "product", "columns": {
        "name": "CharField(max_length=80)", "price": "DecimalField(max_digits=8, decimal_places=2)",
        "note": "TextField(null=True)"}},
]
ROWS = "INSERT INTO product (name, price, note) VALUES ('Red Shoe', 19.90, NULL), ('Blue  Hat', 5.00, 'sale'), " \
       "('Café Crème', 3.50, ''), ('Red Shoe', 21.00, 'again')"


@pytest.fixture
def app(tmp_path, monkeypatch):
    """`app(source)`: a module of a package of this test's own, in the working directory; its import path."""
    package = f"shop_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(source, module="migrations"):
        (folder / f"{module}.py").write_text(textwrap.dedent(source))
        importlib.invalidate_caches()
        sys.modules.pop(f"{package}.{module}", None)  # an edited module is imported again
        return f"{package}.{module}"

    write.folder = folder
    yield write
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


FILL_SLUGS = """
    import peewee


    class Product(peewee.Model):
        name = peewee.CharField()
        slug = peewee.CharField(null=True)


    def up(db):
        with db.bind_ctx([Product]):
            for product in Product.select().order_by(Product.id):
                product.slug = f"{product.id}-" + "-".join(product.name.lower().split())
                product.save()


    def down(db):
        with db.bind_ctx([Product]):
            Product.update(slug=None).execute()
"""


def _inverse(database, version):
    text, = database.query(f"SELECT inverse FROM schema_migrations WHERE version = '{version}'")[0]
    return json.loads(text)


def _states(run):
    return [(v["version"], v["state"]) for v in json.loads(ok(run, "status", "--json"))["versions"]]


def _no_drift(run):
    status = json.loads(ok(run, "status", "--json"))
    assert status["drift"] is None, status["drift"]


# -- sql per backend ---------------------------------------------------------------------------------------------

def test_per_backend_sql_runs_this_backend_s_entry_and_rollback_its_down(database, specs, run):
    specs("v1.0.0", PRODUCTS)
    ok(run, "migrate")
    database.execute(ROWS)
    before = snapshot(database, catalog=True)
    made = {key: f"CREATE VIEW made_on_{backend} AS SELECT name FROM product" for backend, key in KEYS.items()}
    undo = {key: f"DROP VIEW made_on_{backend}"  # `mysql` serves MariaDB too
            for backend, key in (("postgres", "postgresql"), ("mysql", "mysql"), ("sqlite", "sqlite"))}
    specs("v1.1.0", [{"action": "sql", "sql": made, "down": undo},
                     {"action": "sql", "sql": {KEYS[database.backend]: ["UPDATE product SET note = 'x' WHERE "
                                                                         "note IS NULL"],
                                               **{k: "SELECT 1" for k in OTHER_KEYS[database.backend]}},
                      "down": "UPDATE product SET note = NULL WHERE note = 'x'"}])
    assert "reversible" in ok(run, "verify")

    ok(run, "migrate")
    views = {name.lower() for name, in database.query(
        "SELECT name FROM sqlite_master WHERE type = 'view'" if database.backend == "sqlite" else
        "SELECT table_name FROM information_schema.views WHERE table_schema = " +
        ("DATABASE()" if database.backend == "mysql" else "current_schema()"))}
    assert views == {f"made_on_{database.backend}"}
    assert database.query("SELECT COUNT(*) FROM product WHERE note = 'x'") == [(1,)]
    # the stored inverse holds this backend's statements only, as a plain sql operation
    stored = _inverse(database, "v1.1.0")
    mine = "mysql" if database.backend == "mysql" else KEYS[database.backend]
    assert [(s["action"], s["sql"], s["down"]) for s in stored] == [
        ("sql", ["UPDATE product SET note = NULL WHERE note = 'x'"],
         ["UPDATE product SET note = 'x' WHERE note IS NULL"]),
        ("sql", [undo[mine]], [made[KEYS[database.backend]]])]
    assert [type(op) for op in load_stored(stored)] == [Sql, Sql]
    _no_drift(run)

    # the file is not needed to roll back: the stored statements are
    specs.folder.joinpath("v1.1.0.json").unlink()
    ok(run, "rollback", "--yes")
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == []
    assert after[1] == before[1]
    assert database.versions() == ["v1.0.0"]


def test_an_empty_list_runs_nothing_on_its_backend_and_leaves_nothing_to_undo(database, specs, run):
    """`"sqlite": []` says on purpose that nothing runs there: migrate runs nothing, the version stays reversible
    (no `down` is needed for what did not run), and rollback leaves the database as it was."""
    specs("v1.0.0", PRODUCTS)
    ok(run, "migrate")
    database.execute(ROWS)
    before = snapshot(database, catalog=True)
    specs("v1.1.0", [{"action": "sql", "sql": {KEYS[database.backend]: [],
                                               **{k: "DROP TABLE product" for k in OTHER_KEYS[database.backend]}},
                      "down": {k: "SELECT 1" for k in OTHER_KEYS[database.backend]}}])  # none needed here
    assert "reversible" in ok(run, "verify")
    ok(run, "migrate")
    assert snapshot(database, catalog=True) == before
    assert _inverse(database, "v1.1.0") == []
    ok(run, "rollback", "--yes")
    assert snapshot(database, catalog=True) == before
    assert database.versions() == ["v1.0.0"]


def test_a_backend_without_an_entry_is_refused_before_anything_runs(database, specs, run):
    specs("v1.0.0", PRODUCTS)
    ok(run, "migrate")
    database.execute(ROWS)
    path = specs("v1.1.0", [
        {"action": "add_column", "table": "product", "column_name": "slug", "field": "CharField(null=True)"},
        {"action": "sql", "sql": {k: "UPDATE product SET slug = name" for k in OTHER_KEYS[database.backend]}}])
    before = snapshot(database, everything=True)

    for command in ("validate", "plan", "migrate", "verify"):
        code, out, err = run(command)
        assert code == 2, (command, code, out, err)
        assert "Traceback" not in err
        assert f"{path}, operation 1 (sql), parameter 'sql': no statements for {LABELS[database.backend]}" in err, \
            (command, err)
        assert snapshot(database, everything=True) == before, command
    assert database.history() == [("v1.0.0", "applied")]


def test_a_down_without_the_backend_that_ran_is_refused_at_migrate_not_found_missing_at_rollback(database, specs,
                                                                                                  run):
    specs("v1.0.0", PRODUCTS)
    ok(run, "migrate")
    path = specs("v1.1.0", [{"action": "sql", "sql": "UPDATE product SET note = 'x'",
                             "down": {k: "UPDATE product SET note = NULL" for k in OTHER_KEYS[database.backend]}}])
    before = snapshot(database, everything=True)
    code, out, err = run("migrate")
    assert code == 2, err
    assert f"{path}, operation 0 (sql), parameter 'down': no statements for {LABELS[database.backend]}" in err
    assert snapshot(database, everything=True) == before


@sqlite_only
@pytest.mark.parametrize("body, said", [
    ({"sql": {"postgres": "SELECT 1"}}, "parameter 'sql': unknown key 'postgres' (known: postgresql, mysql, mariadb, "
                                        "sqlite)"),
    ({"sql": {"mysql": "SELECT 1", "mariadb": "SELECT 2"}}, "parameter 'sql': 'mysql' and 'mariadb' name the same "
                                                            "backend: give one of them"),
    ({"sql": {"sqlite": "SELECT 1", "mysql": "SELECT 2"}, "down": {"sqlite": "SELECT 3"}},
     "parameter 'down': 'down' has no statements for 'mysql', which 'sql' has"),
    ({"sql": {}}, "parameter 'sql': invalid value {}"),
    ({"sql": {"sqlite": [""]}}, "parameter 'sql': invalid value"),
])
def test_a_malformed_per_backend_sql_is_exit_2_naming_the_parameter(specs, run, body, said):
    path = specs("v1.0.0", [{"action": "sql", **body}])
    code, out, err = run("validate")
    assert code == 2 and "Traceback" not in err
    assert f"{path}, operation 0 (sql), {said}" in err


def test_a_spec_without_python_keeps_its_checksum(specs):
    from migrator.spec import checksum, load_spec
    from migrator.versions import Version

    body = [*PRODUCTS, {"action": "sql", "sql": {"sqlite": "SELECT 1", "postgresql": "SELECT 2"}}]
    path = specs("v1.0.0", body)
    assert load_spec(Version("v1.0.0"), path).checksum == checksum(body)
    assert load_spec(Version("v1.0.0"), path, build=False).checksum == checksum(body)


# -- python ------------------------------------------------------------------------------------------------------

def _slug_specs(specs, module, then=()):
    specs("v1.0.0", PRODUCTS)
    return specs("v1.1.0", [
        {"action": "add_column", "table": "product", "column_name": "slug", "field": "CharField(null=True)"},
        {"action": "python", "up": f"{module}:up", "down": f"{module}:down"}, *then])


def test_python_fills_a_column_through_a_bound_model_and_rollback_runs_down(database, specs, run, app):
    module = app(FILL_SLUGS)
    _slug_specs(specs, module, [{"action": "add_not_null", "table": "product", "column": "slug"}])
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    before = snapshot(database, catalog=True)
    assert "reversible" in ok(run, "verify")
    assert snapshot(database, catalog=True) == before

    ok(run, "migrate")
    assert sorted(database.query("SELECT id, slug FROM product")) == [
        (1, "1-red-shoe"), (2, "2-blue-hat"), (3, "3-café-crème"), (4, "4-red-shoe")]
    assert cat.column(cat.catalog(database), "product", "slug") is not None
    stored = _inverse(database, "v1.1.0")
    assert stored[1] == {"action": "python", "up": f"{module}:down", "down": f"{module}:up",
                         "undoes": {"operation": 1, "action": "python"}}
    assert load_stored(stored)[1] == Python(f"{module}:down", f"{module}:up")
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    _no_drift(run)

    ok(run, "rollback", "--yes")
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == []
    assert after[1] == before[1]
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "pending")]
    _no_drift(run)


def test_down_runs_in_the_rollback(database, specs, run, app):
    """`down` is what a rollback runs: here it records that it ran, in a table a later version keeps."""
    module = app("""
        def up(db):
            db.execute_sql("UPDATE product SET note = 'filled' WHERE note IS NULL")


        def down(db):
            db.execute_sql("UPDATE product SET note = NULL WHERE note = 'filled'")
            db.execute_sql("INSERT INTO product (name, price, note) VALUES ('down ran', 0, 'marker')")
    """)
    specs("v1.0.0", PRODUCTS)
    specs("v1.1.0", [{"action": "python", "up": f"{module}:up", "down": f"{module}:down"}])
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    ok(run, "migrate")
    assert database.query("SELECT COUNT(*) FROM product WHERE note = 'filled'") == [(1,)]
    ok(run, "rollback", "--yes")
    assert sorted(database.query("SELECT name, note FROM product WHERE note IS NULL OR note = 'marker'")) == [
        ("Red Shoe", None), ("down ran", "marker")]


FAILING = """
    import peewee


    class Product(peewee.Model):
        name = peewee.CharField()
        slug = peewee.CharField(null=True)


    def up(db):
        with db.bind_ctx([Product]):
            Product.update(name="renamed").execute()  # undone with the rest
            Product.update(slug="x").execute()
            raise ValueError("no slug for a product without a name")


    def down(db):
        raise AssertionError("down must not run when up failed")
"""


def test_a_python_step_that_raises_leaves_nothing_applied(database, specs, run, app):
    """On MySQL/MariaDB the add_column before it is compensated, and the function's own writes undone by its
    transaction; elsewhere the version's transaction is rolled back."""
    module = app(FAILING)
    _slug_specs(specs, module, [{"action": "add_index", "table": "product", "columns": ["slug"]}])
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    before = snapshot(database, catalog=True)
    history = database.history()

    code, out, err = run("migrate")
    assert code == 1, err
    assert "Traceback" not in err
    assert f"v1.1.0, operation 1 (python): {module}:up raised ValueError: no slug for a product without a name (" \
           f"{app.folder / 'migrations.py'}, line 14)" in err
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == []
    assert after[1] == before[1]
    assert database.history() == history
    assert [t for t in database.tables() if t.startswith("_migrator_") and t != "_migrator_layout"] == []


def test_plan_names_the_function_without_running_it(database, specs, run, app):
    module = app(FAILING)
    _slug_specs(specs, module, [{"action": "add_not_null", "table": "product", "column": "slug"}])
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    before = snapshot(database, everything=True)
    out = ok(run, "plan")  # exit 0: what cannot be planned may fit once the function has run
    assert f"python {module}:up runs here" in out
    plan = json.loads(ok(run, "plan", "--json"))
    step, after = plan["versions"][0]["operations"][1:]
    assert step["runs"] == f"python {module}:up" and step["sql"] == [] and "error" not in step
    assert step["inverse"] == [{"action": "python", "up": f"{module}:down", "down": f"{module}:up"}]
    if database.backend == "mysql":  # the SQL is generated, not run: the NULLs are not found
        assert "error" not in after
    else:  # run in a transaction rolled back: the NULLs the function would fill are there
        assert after["after_code_not_run"] is True
        assert after["error"].endswith(f"(the plan did not run python {module}:up before it, which may make it fit "
                                       "when migrate runs it)")
    assert snapshot(database, everything=True) == before


def test_a_down_that_raises_leaves_the_version_applied(database, specs, run, app):
    module = app("""
        def up(db):
            db.execute_sql("UPDATE product SET note = 'filled' WHERE note IS NULL")


        def down(db):
            db.execute_sql("UPDATE product SET note = NULL WHERE note = 'filled'")
            raise RuntimeError("cannot tell filled notes from typed ones")
    """)
    _slug_specs(specs, module)
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    ok(run, "migrate")
    applied = snapshot(database, catalog=True)

    code, out, err = run("rollback", "--yes")
    assert code == 1 and "Traceback" not in err
    assert f"undoing v1.1.0, operation 1 (python) by python: {module}:down raised RuntimeError: cannot tell filled " \
           f"notes from typed ones ({app.folder / 'migrations.py'}, line 8)" in err
    after = snapshot(database, catalog=True)
    assert cat.differences(applied[0], after[0]) == []
    assert after[1] == applied[1]
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
    _no_drift(run)


@sqlite_only
@pytest.mark.parametrize("names, said", [
    ("shop_nowhere.migrations:up", "module shop_nowhere.migrations not found"),
    ("{module}:fill", "module {module} ({file}) has no 'fill'"),
    ("{module}:CONSTANT", "{module}:CONSTANT is a int, not a function"),
    ("{module}:no_argument", "{module}:no_argument() cannot be called with the run's database as its one argument: "
                             "write it as def no_argument(db)"),
])
def test_a_missing_module_or_function_is_exit_2_before_anything_runs(specs, run, app, database, names, said):
    module = app("CONSTANT = 1\n\ndef up(db):\n    pass\n\ndef no_argument():\n    pass\n")
    specs("v1.0.0", PRODUCTS)
    path = specs("v1.1.0", [{"action": "python", "up": f"{module}:up", "down": names.format(module=module)}])
    for command in ("validate", "plan", "migrate"):
        code, out, err = run(command)
        assert code == 2 and "Traceback" not in err, (command, err)
        assert f"{path}, operation 0 (python), parameter 'down': " \
               f"{said.format(module=module, file=app.folder / 'migrations.py')}" in err, (command, err)
        assert database.tables() == [], command  # nothing ran: v1.0.0 neither


@sqlite_only
def test_an_import_error_in_the_module_shows_its_own_line(specs, run, app):
    module = app("import json\n\nVALUE = json.loads('{')\n")
    path = specs("v1.0.0", [{"action": "python", "up": f"{module}:up"}])
    code, out, err = run("validate")
    assert code == 2 and "Traceback" not in err
    assert f"{path}, operation 0 (python), parameter 'up': importing {module} failed: JSONDecodeError: " in err
    assert f"({app.folder / 'migrations.py'}, line 3)" in err


@sqlite_only
def test_a_bad_function_name_is_refused_by_the_schema(specs, run):
    path = specs("v1.0.0", [{"action": "python", "up": "shop/migrations.py:up"}])
    code, out, err = run("validate")
    assert code == 2
    assert f"{path}, operation 0 (python), parameter 'up': 'shop/migrations.py:up' is not valid: give a function " \
           "of the application by its module's import path, module.path:function" in err


@sqlite_only
def test_editing_the_module_makes_the_version_changed(database, specs, run, app):
    module = app(FILL_SLUGS)
    _slug_specs(specs, module)
    ok(run, "migrate")
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "applied")]

    app(FILL_SLUGS.replace('"-".join', '"_".join'))
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "changed")]
    assert f"its checksum also covers the source of {module}: an edit there counts" in ok(run, "status")
    assert json.loads(ok(run, "status", "--json"))["versions"][1]["code_modules"] == [module]
    specs("v1.2.0", [{"action": "drop_column", "table": "product", "column_name": "note"}])
    code, out, err = run("migrate")
    assert code == 4 and f"v1.1.0's checksum also covers the source of {module}: an edit there counts" in err, err
    assert database.history() == [("v1.0.0", "applied"), ("v1.1.0", "applied")]

    out = ok(run, "repair", "--yes")  # records the new checksum, saying why it changed
    assert f"its checksum covers the source of module {module} ({app.folder / 'migrations.py'})" in out
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "applied"), ("v1.2.0", "pending")]


@sqlite_only
def test_a_module_gone_shows_as_changed_in_status_and_stops_a_rollback_before_it_runs(database, specs, run, app):
    module = app(FILL_SLUGS)
    _slug_specs(specs, module)
    ok(run, "migrate")
    before = snapshot(database, everything=True)
    (app.folder / "migrations.py").unlink()
    sys.modules.pop(module, None)
    importlib.invalidate_caches()

    status = json.loads(ok(run, "status", "--json"))
    assert [(v["version"], v["state"], v["code_not_found"]) for v in status["versions"]] == [
        ("v1.0.0", "applied", []), ("v1.1.0", "changed", [module])]
    assert f"module {module}, which a python operation names, is not found" in ok(run, "status")

    code, out, err = run("rollback", "--yes")
    assert code == 2 and "Traceback" not in err
    assert f"v1.1.0 cannot be rolled back: undoing v1.1.0, operation 1 (python) by python: module {module} not " \
           "found" in err
    assert snapshot(database, everything=True) == before


def test_a_run_interrupted_in_the_python_step_keeps_nothing_of_it(database, specs, run, app):
    """Ctrl-C in the application's function: where DDL is transactional nothing of the version is kept; on
    MySQL/MariaDB the version is left part-way, and `repair` undoes the add_column before it without running `down`
    (the function's transaction was not committed: its undo would undo what it never did)."""
    module = app("""
        def up(db):
            db.execute_sql("UPDATE product SET note = 'half-way'")
            raise KeyboardInterrupt


        def down(db):
            db.execute_sql("DELETE FROM product")
    """)
    _slug_specs(specs, module)
    ok(run, "migrate", "v1.0.0")
    database.execute(ROWS)
    before = snapshot(database, catalog=True)

    code, out, err = run("migrate")
    assert code == 130, err
    if database.backend == "mysql":
        assert [state for _, state in database.history()] == ["applied", "running"]
        ok(run, "repair")
    after = snapshot(database, catalog=True)
    assert cat.differences(before[0], after[0]) == []
    assert after[1] == before[1]
    assert database.history() == [("v1.0.0", "applied")]


@sqlite_only
def test_sqlite_s_own_sequence_table_is_no_part_of_the_schema(database, specs, run):
    """The first AUTOINCREMENT table makes SQLite's sqlite_sequence, which its down cannot drop: it is no drift,
    and the version is reversible."""
    specs("v1.0.0", PRODUCTS)
    specs("v1.1.0", [{"action": "sql", "sql": "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT)",
                      "down": "DROP TABLE audit_log"}])
    ok(run, "migrate", "v1.0.0")
    assert "reversible" in ok(run, "verify")
    ok(run, "migrate")
    database.execute("INSERT INTO audit_log (note) VALUES ('first')")
    _no_drift(run)
    ok(run, "rollback", "--yes")
    assert database.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'") == [("sqlite_sequence",)]
    _no_drift(run)
    assert "audit_log" not in json.loads(ok(run, "schema", "--json"))["tables"]


@pytest.mark.parametrize("database", ["mysql"], indirect=True)
def test_on_mariadb_an_sql_operation_failing_halfway_says_what_its_statements_left(database, specs, run):
    """MariaDB commits each DDL statement: the statements of an sql operation that ran before the failing one
    are not undone (an sql operation has no inverse for part of it), and the message says so, instead of saying
    the database is back where it was."""
    specs("v1.0.0", PRODUCTS)
    # v1.0.0 is applied by the run that fails: the schema it left is recorded all the same
    specs("v1.1.0", [
        {"action": "add_column", "table": "product", "column_name": "tier", "field": "CharField(null=True)"},
        {"action": "sql", "sql": ["UPDATE product SET tier = 'gold'", "ALTER TABLE product ADD COLUMN tier2 INT",
                                  "UPDATE product SET nosuch = 1"]}])
    code, out, err = run("migrate")
    assert code == 1 and "Traceback" not in err, err
    assert "v1.1.0, operation 1 (sql): statement 3 failed: " in err, err
    assert "the 1 operation already done was undone, so the database is back where it was before v1.1.0, except " \
           "for what its first 2 statements did: MySQL/MariaDB commits each statement by itself" in err, err
    columns = [c for c, in database.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                           "DATABASE() AND table_name = 'product' ORDER BY ordinal_position")]
    assert "tier" not in columns and "tier2" in columns  # what the message says is left
    assert database.history() == [("v1.0.0", "applied")]
    # the schema v1.0.0 left was recorded though the run failed: status names what was left as drift
    assert json.loads(ok(run, "status", "--json"))["drift"]["differences"] == ["column product.tier2 was added"]


NEEDS_ROWS = """
    def up(db):
        count, = db.execute_sql("SELECT COUNT(*) FROM product").fetchone()
        if not count:
            raise ValueError("no products to price")
        db.execute_sql("UPDATE product SET note = 'priced' WHERE note IS NULL")


    def down(db):
        db.execute_sql("UPDATE product SET note = NULL WHERE note = 'priced'")
"""


@sqlite_only
def test_repair_of_an_edited_data_migration_that_needs_rows_says_it_cannot_tell(database, specs, run, app):
    """repair replays the specs on an empty database, where a data migration that needs rows fails: that tells
    nothing of what the edited module builds, so repair says it cannot be told, not that it builds otherwise."""
    module = app(NEEDS_ROWS)
    specs("v1.0.0", PRODUCTS)
    ok(run, "migrate")
    database.execute(ROWS)
    specs("v1.1.0", [{"action": "python", "up": f"{module}:up", "down": f"{module}:down"}])
    ok(run, "migrate")
    app(NEEDS_ROWS + "\n# reviewed\n")
    out = ok(run, "repair", "--yes")
    assert "whether v1.1.0 builds what was applied cannot be told: its python operation cannot run in the replay, " \
           "on an empty database without the rows it works on" in out, out
    assert "builds something else" not in out
    assert _states(run) == [("v1.0.0", "applied"), ("v1.1.0", "applied")]
