"""`migrator generate`: the next spec file from the application's Peewee models, on every backend.

Each model edit is proven from outside: the spec generate writes, applied by `migrate` to the old schema, must give
what Peewee's own create_tables() makes from the models in a fresh database, both read through the backend's own
catalog (tests/catalog.py); `generate --check` must disagree before and agree after; a second `generate` must find
nothing to write; and `rollback` must give back exactly the schema (and rows) before.

The application's models are modules written at test time into a package of the test's own under tmp_path (a new
module per step: Python caches the modules it imported), imported by `--models PACKAGE.MODULE`.
"""
import importlib
import json
import re
import sys
import textwrap
import uuid

import pytest

import catalog as cat
import processes
from conftest import make_database, run_main, settings_from_flags_only, snapshot

# -- the application's models ---------------------------------------------------------------------------------------

HEADER = '''
import peewee as pw
from peewee import SQL


database = pw.DatabaseProxy()  # the application initializes it when it starts


class Base(pw.Model):
    """The application's base: no field of its own, so no table."""

    class Meta:
        database = database


class Stamped(Base):
    """An abstract base with a field: the models made from it have the field, it has no table."""
    created = pw.DateTimeField(null=True)

    class Meta:
        abstract = True
'''

# A text primary key and a UUID one with foreign keys to them, a composite key, composite and unique indexes,
# nullable columns, a server default, a reserved word as a table and a column name, a mixed-case column name, two
# abstract bases.
V0 = HEADER + '''

class Account(Base):
    handle = pw.CharField(primary_key=True, max_length=40)
    display = pw.CharField(max_length=40, column_name="DisplayName")
    email = pw.CharField(max_length=120, unique=True)
    nickname = pw.CharField(max_length=40, null=True)
    karma = pw.IntegerField()

    class Meta:
        table_name = "account"


class Device(Base):
    id = pw.UUIDField(primary_key=True)
    owner = pw.ForeignKeyField(Account, backref="devices", on_delete="CASCADE")
    name = pw.CharField(max_length=40)
    select = pw.IntegerField(null=True)
    serial = pw.CharField(max_length=20)
    batch = pw.CharField(max_length=10, index=True)

    class Meta:
        table_name = "order"
        indexes = ((("owner", "name"), True),)


class Membership(Base):
    account = pw.ForeignKeyField(Account, on_delete="CASCADE")
    device = pw.ForeignKeyField(Device, on_delete="CASCADE")
    role = pw.CharField(max_length=20, default="member")

    class Meta:
        table_name = "membership"
        primary_key = pw.CompositeKey("account", "device")


class Reading(Base):
    device = pw.ForeignKeyField(Device, backref="readings")
    taken_at = pw.DateTimeField()
    value = pw.FloatField()
    note = pw.TextField(null=True)
    remark = pw.TextField(null=True)
    level = pw.IntegerField(constraints=[SQL("DEFAULT 0")])

    class Meta:
        table_name = "reading"
        indexes = ((("device", "value"), False),)


class Legacy(Base):
    code = pw.CharField(max_length=10)

    class Meta:
        table_name = "legacy"


class Label(Stamped):
    text = pw.CharField(max_length=30)

    class Meta:
        table_name = "label"


TABLES = [Account, Device, Membership, Reading, Legacy, Label]
'''


def edit(source, *changes):
    """`source` with each (old, new) text replaced; each old text must be there exactly once."""
    for old, new in changes:
        assert source.count(old) == 1, f"{old!r} is in the models {source.count(old)} times"
        source = source.replace(old, new)
    return source


def rows_of(backend):
    """Rows in account and order (reading stays empty: a NOT NULL column without default may be added there)."""
    q = "`" if backend == "mysql" else '"'
    return (f"INSERT INTO account (handle, {q}DisplayName{q}, email, nickname, karma) VALUES "
            "('ada', 'Ada', 'ada@example.com', 'ace', 3), ('bo', 'Bo', 'bo@example.com', NULL, 0)",
            f"INSERT INTO {q}order{q} (id, owner_id, name, {q}select{q}, serial, batch) VALUES "
            "('0f0e0d0c0b0a09080706050403020100', 'ada', 'probe', 1, 'SN-1', 'b1'), "
            "('1f1e1d1c1b1a19181716151413121110', 'bo', 'probe', 2, 'SN-22', 'b1')")


def keys_take_their_keys_type(database, *keys):
    """Each (table, column, (key table, key column)): a foreign key to that key, of the key's own type, in the
    backend's catalog."""
    found = cat.catalog(database)
    for table, column, key in keys:
        assert cat.foreign_key(found, table, column) == ".".join(key), (table, column)
        assert cat.plain_type(cat.column(found, table, column)["type"]) == \
            cat.plain_type(cat.column(found, *key)["type"]), (table, column)


# -- the project ----------------------------------------------------------------------------------------------------

class Project:
    """An application under `folder`: its models package, its specs folder and its database."""

    def __init__(self, database, folder):
        self.database, self.folder = database, folder
        self.package = f"app_{uuid.uuid4().hex[:10]}"  # a name of its own: no test imports another's modules
        (folder / self.package).mkdir()
        (folder / self.package / "__init__.py").write_text("")
        self.specs = folder / "specs"
        self.written = 0

    def models(self, source):
        """Write the next models module; its name for --models."""
        self.written += 1
        name = f"models_{self.written}"
        (self.folder / self.package / f"{name}.py").write_text(textwrap.dedent(source))
        importlib.invalidate_caches()
        return f"{self.package}.{name}"

    @property
    def flags(self):
        return ["--database-url", self.database.url, "--specs-dir", str(self.specs)]

    def run(self, *args):
        """`migrator ARGS` in this process, against the project: (exit code, stdout, stderr)."""
        return run_main(*args, *self.flags)

    def ok(self, *args):
        code, out, err = self.run(*args)
        assert code == 0, f"{args[0]} exited {code}: {out}{err}"
        assert "Traceback" not in err
        return out

    def generate(self, models, *args):
        return self.run("generate", "--models", models, *args)

    def console(self, *args, **options):
        """`migrator ARGS` in a process of its own in the project's folder (processes.run: `answer` types on a
        pseudo-terminal, `env`...)."""
        return processes.run(self.folder, *args, *self.flags, **options)

    def files(self):
        return sorted(p.name for p in self.specs.glob("v*.json")) if self.specs.is_dir() else []

    def spec(self, version):
        return json.loads((self.specs / f"{version}.json").read_text())

    def schema(self):
        """The live schema as the backend's own catalog describes it (see `comparable`)."""
        return comparable(cat.catalog(self.database))

    def models_schema(self, module, subfolder, operations=()):
        """What Peewee's create_tables() makes of the module's TABLES in a fresh database of the backend, then the
        keys of DeferredForeignKeys added as Peewee's documentation says (create_foreign_key; SQLite cannot add a
        key to a table), read through the backend's own catalog. On PostgreSQL, which can only add a column last
        (README), the columns `operations` add come last."""
        models = importlib.import_module(module).TABLES
        folder = self.folder / subfolder
        folder.mkdir()
        fresh, drop = make_database(self.database.backend, folder)
        db = fresh.connect()
        try:
            with db.bind_ctx(models, bind_refs=False, bind_backrefs=False):
                db.create_tables(models)
                if self.database.backend != "sqlite":
                    for model in models:
                        for field in model._meta.refs:
                            if field.deferred:
                                model._schema.create_foreign_key(field)
            db.close()
            found = comparable(cat.catalog(fresh))
        finally:
            if drop:
                drop()
        if self.database.backend == "postgres":
            for table, column in added_columns(operations):
                order = found["tables"][table]["column_order"]
                order.append(order.pop(order.index(column)))
        return found


def added_columns(operations):
    """(table, column) each operation adds to a table that was there, in order (by add_column, or by an sql
    operation's ALTER TABLE ... ADD COLUMN)."""
    for op in operations:
        if op["action"] == "add_column":
            yield op["table"], op["column_name"]
        for statement in op.get("sql", []) if op["action"] == "sql" else []:
            yield from re.findall(r'ALTER TABLE "([^"]+)" ADD COLUMN "([^"]+)"', statement)


def comparable(catalog):
    """The catalog without the names the server chooses for what no model names, which depend on how a table came
    to be: on PostgreSQL the constraints' names (a foreign key's, and a primary key's, which stays `label_pkey`
    when label is renamed), with the primary key's index; on MariaDB a foreign key's name (`person_ibfk_1` when
    made with its table) and the order of the index lines in SHOW CREATE TABLE (where the server lists an index
    as it was made; every index is still compared in STATISTICS)."""
    found = json.loads(json.dumps(catalog, default=str))
    for table in found["tables"].values():
        if catalog["backend"] == "postgres":
            keys = [name for name, (kind, _) in table["constraints"].items() if kind == "p"]
            table["constraints"] = sorted(table["constraints"].values())
            for name in keys:
                definition = table["indexes"].pop(name)
                table["indexes"]["(primary key)"] = definition.replace(f"INDEX {name} ON", "INDEX (primary key) ON")
        if catalog["backend"] == "mysql":
            table["create"] = sorted(re.sub(r"^CONSTRAINT `[^`]+` FOREIGN KEY", "CONSTRAINT FOREIGN KEY",
                                            line.strip().rstrip(",")) for line in table["create"].splitlines())
    return found


@pytest.fixture
def project(database, tmp_path, monkeypatch):
    settings_from_flags_only(monkeypatch, tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = Project(database, tmp_path)
    yield found
    for name in [n for n in sys.modules if n == found.package or n.startswith(found.package + ".")]:
        del sys.modules[name]


@pytest.fixture
def shop(project):
    """The project at v1.0.0, generated from V0 and migrated, with rows in account and order."""
    project.base = project.models(V0)
    project.first = project.ok("generate", "--models", project.base, "-m", "the shop")
    assert project.files() == ["v1.0.0.json"], project.first
    project.ok("migrate")
    project.database.execute(*rows_of(project.database.backend))
    return project


# -- one migration step, proven -------------------------------------------------------------------------------------

def wrote(out):
    """The version a generate run says it wrote."""
    found = re.search(r"wrote \S*/(v[0-9.]+)\.json", out)
    assert found, out
    return found.group(1)


def prove_step(project, models, *flags, write=None, migrated=None):
    """Generate the step from `models` with `flags` (or by `write()`, which returns what it printed), and prove it:
    --check disagrees before (its --json lists the operations generate writes) and agrees after (and against the
    live database, which it refuses to read while the new version is pending, after migrate); migrate builds
    exactly what create_tables() makes of the models (`migrated()` looks at it further); a second generate writes
    nothing; rollback gives back exactly the schema and rows before. Returns the spec's operations, what generate
    printed and the --check document."""
    before = snapshot(project.database, catalog=True)
    files = project.files()
    code, out, err = project.generate(models, "--check", "--json", *flags)
    assert code == 1, out + err
    check = json.loads(out)
    assert check["agree"] is False and check["differences"], check
    assert project.files() == files  # --check writes nothing

    printed = project.ok("generate", "--models", models, *flags) if write is None else write()
    version = wrote(printed)
    assert project.files() == sorted(files + [f"{version}.json"])
    operations = project.spec(version)["operations"]
    if not check["problems"]:  # (what only a terminal decides is a problem for --check)
        assert operations == check["operations"], "--check --json lists the operations generate writes"

    code, out, err = project.generate(models, "--check", *flags)
    assert code == 0 and "the models and the specs agree" in out, out + err
    code, out, err = project.generate(models, "--check", "--against-live", *flags)
    assert code == 4 and f"{version} is not applied to the live database" in err, out + err  # until migrate

    project.ok("migrate")
    found = cat.differences(project.models_schema(models, f"fresh_{version}", operations), project.schema())
    assert not found, "what migrate made differs from what create_tables() makes:\n" + "\n".join(found)
    if migrated:
        migrated()
    for against in ((), ("--against-live",)):
        code, out, err = project.generate(models, "--check", *against, *flags)
        assert code == 0, out + err
    out = project.ok("generate", "--models", models, *flags)
    assert "no changes" in out and project.files() == sorted(files + [f"{version}.json"]), out

    project.ok("rollback")
    found = rollback_differences(project.database.backend, before, snapshot(project.database, catalog=True),
                                 operations)
    assert not found, "the rollback did not give back the schema and rows before:\n" + "\n".join(found)
    return operations, printed, check


def rollback_differences(backend, before, after, operations):
    """How the schema and rows after a rollback differ from before, but for the limits README states: on PostgreSQL
    a column drop_column's rollback puts back comes last; on MariaDB an index that comes back is listed after the
    others in SHOW CREATE TABLE (every index is still compared in STATISTICS)."""
    found = cat.differences(before[0], after[0]) + cat.differences(before[1], after[1])
    if backend == "postgres":
        moved = tuple(f"tables.{op['table']}.column_order: the same items in another order"
                      for op in operations if op["action"] == "drop_column")
        found = [d for d in found if not d.startswith(moved)]
    if backend == "mysql":
        found = [d for d in found if not (d.split(" ")[0].endswith(".create") and "[order only" in d.splitlines()[0])]
    return found


def actions(operations):
    return sorted({op["action"] for op in operations})


def operation(operations, action, **where):
    """The one operation of `action` whose keys have the values `where` gives."""
    found = [op for op in operations if op["action"] == action and all(op.get(k) == v for k, v in where.items())]
    assert len(found) == 1, f"{action} {where}: {found} in {json.dumps(operations)}"
    return found[0]


# -- the first spec, and every kind of change a model edit causes ---------------------------------------------------

def test_the_first_spec_creates_the_models_tables_with_keys_of_the_keys_type(project):
    models = project.models(V0)

    def migrated():  # keys to the text key and the UUID key take their types
        keys_take_their_keys_type(project.database, ("order", "owner_id", ("account", "handle")),
                                  ("reading", "device_id", ("order", "id")),
                                  ("membership", "account_id", ("account", "handle")),
                                  ("membership", "device_id", ("order", "id")))

    operations, printed, _ = prove_step(project, models, migrated=migrated)
    assert wrote(printed) == "v1.0.0" and (project.specs / "spec.schema.json").exists()
    assert actions(operations) == ["add_default", "add_index", "create_table"]  # (level's server default)
    assert operation(operations, "create_table", table="membership")["primary_key"] == ["account_id", "device_id"]
    assert operation(operations, "create_table", table="account")["columns"]["handle"] == \
        "CharField(max_length=40, primary_key=True)"


ADDITIONS = edit(
    V0,
    # create_table: keys to the text key and the UUID key, a mixed-case name, indexes of its own
    ("TABLES = [Account, Device, Membership, Reading, Legacy, Label]", '''
class AuditLog(Base):
    account = pw.ForeignKeyField(Account, on_delete="CASCADE")
    device = pw.ForeignKeyField(Device, null=True)
    at = pw.DateTimeField()
    kind = pw.CharField(max_length=20, index=True)

    class Meta:
        table_name = "AuditLog"
        indexes = ((("account", "at"), False),)


class Ledger(Base):
    account = pw.ForeignKeyField(Account, backref="entries")
    amount = Money()
    booked = pw.DateTimeField()

    class Meta:
        database = pw.SqliteDatabase("development.db")  # the application's own: not the backend generate writes for
        table_name = "ledger"
        indexes = ((("account", "amount"), False),)


TABLES = [Account, Device, Membership, Reading, Legacy, Label, AuditLog, Ledger]'''),
    # add_default (a server default); add_column: nullable, NOT NULL with a model default on a table with rows, and
    # a field class of the application's own (an sql operation); add_index (unique)
    ("    karma = pw.IntegerField()\n", '''    karma = pw.IntegerField(constraints=[SQL("DEFAULT 0")])
    active = pw.BooleanField(default=True)
    balance = Money(null=True)
'''),
    ("    email = pw.CharField(max_length=120, unique=True)\n",
     "    email = pw.CharField(max_length=120, unique=True)\n    bio = pw.TextField(null=True)\n"),
    ('display = pw.CharField(max_length=40, column_name="DisplayName")',
     'display = pw.CharField(max_length=40, column_name="DisplayName", unique=True)'),
    ("class Account(Base):", '''class Money(pw.DecimalField):
    """A field class of the application's own: no field text names it."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, **kwargs)


class Account(Base):'''),
    # alter_column_type (a longer CharField), add_not_null (a reserved word), add_index (composite unique)
    ("name = pw.CharField(max_length=40)\n", "name = pw.CharField(max_length=80)\n"),
    ("select = pw.IntegerField(null=True)", "select = pw.IntegerField()"),
    ('indexes = ((("owner", "name"), True),)', 'indexes = ((("owner", "name"), True), (("serial", "batch"), True))'),
    # add_column NOT NULL without a default on an empty table; add_index (single, composite)
    ("taken_at = pw.DateTimeField()", "taken_at = pw.DateTimeField(index=True)"),
    ('level = pw.IntegerField(constraints=[SQL("DEFAULT 0")])\n',
     'level = pw.IntegerField(constraints=[SQL("DEFAULT 0")])\n    unit = pw.CharField(max_length=8)\n'),
    ('indexes = ((("device", "value"), False),)',
     'indexes = ((("device", "value"), False), (("device", "taken_at"), False))'),
)


def test_additions_create_add_widen_and_index_and_an_own_field_class_needs_allow_sql(shop):
    models = shop.models(ADDITIONS)
    code, out, err = shop.generate(models)
    assert code == 2 and "Account.balance (account.balance) is a Money, a field class of the application's own" \
        in err and "Ledger.amount (ledger.amount) is a Money" in err, out + err
    assert shop.files() == ["v1.0.0.json"]

    def migrated():
        q = "`" if shop.database.backend == "mysql" else '"'
        active = shop.database.query("SELECT handle, active FROM account ORDER BY handle")
        assert [(handle, bool(value)) for handle, value in active] == [("ada", True), ("bo", True)]
        assert shop.database.query(f"SELECT {q}select{q} FROM {q}order{q} ORDER BY 1") == [(1,), (2,)]

    operations, printed, _ = prove_step(shop, models, "--allow-sql", migrated=migrated)
    assert actions(operations) == ["add_column", "add_default", "add_index", "add_not_null", "alter_column_type",
                                   "create_table", "sql"]
    assert "AuditLog" in operation(operations, "create_table")["table"]
    bio = operation(operations, "add_column", table="account", column_name="bio")
    assert bio["field"] == "TextField(null=True)"
    assert bio.get("after") == (None if shop.database.backend == "postgres" else "email")  # where the model has it
    assert operation(operations, "add_column", table="account", column_name="active")["field"] == \
        "BooleanField(default=True)"  # the rows there take the model's default
    assert operation(operations, "add_column", table="reading", column_name="unit")["field"] == \
        "CharField(max_length=8, null=True)"  # reading has no rows: added, then made NOT NULL
    operation(operations, "add_not_null", table="reading", column="unit")
    operation(operations, "add_not_null", table="order", column="select")
    assert operation(operations, "add_default", table="account", column="karma")["default"] == 0
    assert operation(operations, "alter_column_type", table="order", column="name")["field"].startswith(
        "CharField(max_length=80")
    sql = [op for op in operations if op["action"] == "sql"]  # a column, and a table, of a Money field
    assert [len(op["sql"]) for op in sql] == [3, 1] and "CREATE TABLE" in sql[0]["sql"][0], sql
    assert "ADD COLUMN" in sql[1]["sql"][0] and "balance" in sql[1]["down"][0], sql
    indexes = {(op["table"], tuple(op["columns"]), op.get("unique", False)) for op in operations
               if op["action"] == "add_index"}
    assert {("account", ("DisplayName",), True), ("order", ("serial", "batch"), True),
            ("reading", ("taken_at",), False), ("reading", ("device_id", "taken_at"), False)} <= indexes
    assert "destroys data" not in printed  # a longer CharField keeps every value
    assert "proven on a scratch database" in printed


NO_LEGACY = (('''class Legacy(Base):
    code = pw.CharField(max_length=10)

    class Meta:
        table_name = "legacy"
''', ""), ("Reading, Legacy, Label]", "Reading, Label]"))

REMOVALS = edit(
    V0,
    *NO_LEGACY,  # drop_table
    # rename_table (--rename-table label=tag), rename_column (--rename account.nickname=alias)
    ('table_name = "label"', 'table_name = "tag"'),
    ("nickname = pw.CharField(max_length=40, null=True)", "alias = pw.CharField(max_length=40, null=True)"),
    # alter_column_type (a shorter CharField: destructive), drop_index (single)
    ("serial = pw.CharField(max_length=20)", "serial = pw.CharField(max_length=12)"),
    ("batch = pw.CharField(max_length=10, index=True)", "batch = pw.CharField(max_length=10)"),
    # drop_not_null, drop_column, drop_default, drop_index (composite)
    ("value = pw.FloatField()", "value = pw.FloatField(null=True)"),
    ("    note = pw.TextField(null=True)\n", ""),
    ('level = pw.IntegerField(constraints=[SQL("DEFAULT 0")])', "level = pw.IntegerField()"),
    ('        indexes = ((("device", "value"), False),)\n', ""),
)


def test_removals_and_renames_drop_narrow_and_unindex_with_the_flags(shop):
    models = shop.models(REMOVALS)

    def migrated():
        assert shop.database.query("SELECT handle, alias FROM account ORDER BY handle") == [("ada", "ace"),
                                                                                          ("bo", None)]

    operations, printed, _ = prove_step(shop, models, "--allow-destructive", "--rename", "account.nickname=alias",
                                        "--rename-table", "label=tag", migrated=migrated)
    assert actions(operations) == ["alter_column_type", "drop_column", "drop_default", "drop_index", "drop_not_null",
                                   "drop_table", "rename_column", "rename_table"]
    assert operation(operations, "rename_table")["old_name"] == "label"
    operation(operations, "rename_column", table="account")
    operation(operations, "drop_table", table="legacy")
    operation(operations, "drop_column", table="reading")
    operation(operations, "drop_not_null", table="reading", column="value")
    operation(operations, "drop_default", table="reading", column="level")
    assert len([op for op in operations if op["action"] == "drop_index"]) == 2
    for destroyed in ("drop_table legacy", "drop_column reading.note", "alter_column_type order.serial"):
        assert f"destroys data: {destroyed}" in printed, printed
    assert "drop_column account.nickname" not in printed  # a rename keeps the values


PROMPTED = edit(
    V0,
    ("nickname = pw.CharField(max_length=40, null=True)", "alias = pw.CharField(max_length=40, null=True)"),
    ("    karma = pw.IntegerField()\n", "    karma = pw.IntegerField()\n    score = pw.IntegerField()\n"),
    ("    note = pw.TextField(null=True)\n", ""),
)


def test_on_a_terminal_a_rename_a_one_off_value_and_destruction_are_asked(shop):
    models = shop.models(PROMPTED)
    asked = {}

    def write():  # three questions, three answers
        done = shop.console("generate", "--models", models, answer="y\n7\ny")
        assert done.returncode == 0, done.stdout + done.stderr
        asked["stderr"] = done.stderr
        return done.stdout

    def migrated():  # the rows there took the one-off value; the column has no default (the model gives none)
        assert shop.database.query("SELECT handle, alias, score FROM account ORDER BY handle") == [
            ("ada", "ace", 7), ("bo", None, 7)]

    operations, _, check = prove_step(shop, models, write=write, migrated=migrated)
    assert "Did you rename account.nickname to account.alias (CharField(max_length=40, null=True))? [y/N]" in \
        asked["stderr"]
    assert "account.score is NOT NULL, and account has 2 rows in the database, which need a value for it. " \
           "A one-off value for them" in asked["stderr"]
    assert "These operations drop data (a backup is kept for rollback): drop_column reading.note. Write them? " \
           "[y/N]" in asked["stderr"]
    assert actions(operations) == ["add_column", "drop_column", "rename_column"]
    assert operation(operations, "add_column", column_name="score")["field"] == "IntegerField(default=7)"
    assert any("--rename account.nickname=alias" in problem for problem in check["problems"]), check


# -- foreign keys: a cycle between two new tables, keys to a text key and a UUID key --------------------------------

CYCLE = edit(V0, ("TABLES = [Account, Device, Membership, Reading, Legacy, Label]", '''
class Team(Base):
    name = pw.CharField(max_length=30)
    captain = pw.DeferredForeignKey("Person", null=True, on_delete="SET NULL")
    sponsor = pw.ForeignKeyField(Account, null=True, backref="teams")

    class Meta:
        table_name = "team"


class Person(Base):
    team = pw.ForeignKeyField(Team, null=True, backref="members")
    phone = pw.ForeignKeyField(Device, null=True, backref="holders")

    class Meta:
        table_name = "person"


TABLES = [Account, Device, Membership, Reading, Legacy, Label, Team, Person]'''))


def test_a_cycle_of_foreign_keys_between_new_tables_and_keys_to_text_and_uuid_keys(shop):
    models = shop.models(CYCLE)
    backend = shop.database.backend

    def migrated():
        keys_take_their_keys_type(shop.database, ("team", "sponsor_id", ("account", "handle")),
                                  ("person", "phone_id", ("order", "id")), ("person", "team_id", ("team", "id")))
        # Peewee makes no constraint for a DeferredForeignKey; the application adds it (create_foreign_key), which
        # SQLite cannot do to a table
        captain = cat.foreign_key(cat.catalog(shop.database), "team", "captain_id")
        assert captain == (None if backend == "sqlite" else "person.id")

    operations, printed, _ = prove_step(shop, models, migrated=migrated)
    assert [(op["action"], op["table"]) for op in operations if op["action"] != "add_index"][:2] == \
        [("create_table", "team"), ("create_table", "person")]
    if backend != "sqlite":  # the cycle: team made first, without its key to person, which is added after person
        assert "captain_id" not in operation(operations, "create_table", table="team")["columns"]
        captain = operation(operations, "add_column", table="team", column_name="captain_id")
        assert captain["field"] == "ForeignKeyField('person', null=True, on_delete='SET NULL')"
        assert "after" not in captain  # Peewee's create_tables() puts it last too (it is made when Person is)
        assert "team.captain_id is added after the tables it points to are made (a cycle of foreign keys)" in printed
    else:
        assert operation(operations, "create_table", table="team")["columns"]["captain_id"] == \
            "IntegerField(null=True, index=True)"


# -- what generate refuses: a clear message, exit 2, no file --------------------------------------------------------

REFUSED = [
    ("a version below the newest is refused", V0, ("--version", "v0.9.0"),
     ["v0.9.0 is below the newest spec, v1.0.0: the next version must come after it"]),
    ("so is one that exists", V0, ("--version", "v1.0.0"), ["v1.0.0 already exists"]),
    ("a models module that fails to import shows the import's own error",
     "import peewee as pw\nimport payment_gateway_sdk\n", (),
     ["importing {module} failed: ModuleNotFoundError: No module named 'payment_gateway_sdk'"]),
    ("so does one whose own code raises, with the line of the application's code that raised",
     "import os\n\nSECRET = os.environ['SHOP_SECRET_KEY_NOT_SET']\n", (),
     ["importing {module} failed: KeyError: 'SHOP_SECRET_KEY_NOT_SET' ({file}, line 3)"]),
    ("a module that is not there is named",
     None, (), ["--models {package}.nowhere: importing {package}.nowhere failed: ModuleNotFoundError: No module "
                "named '{package}.nowhere'"]),
    ("abstract bases have no table: a module of only those has no model",
     HEADER, (),
     ["--models {module}: the module defines no model with a table of its own (abstract bases left out: Base, "
      "Stamped)"]),
    ("two columns removed and two added with one definition are not guessed",
     edit(V0, ("    note = pw.TextField(null=True)\n    remark = pw.TextField(null=True)\n",
               "    comment = pw.TextField(null=True)\n    memo = pw.TextField(null=True)\n")), (),
     ["several candidates share a name, and are not guessed", "--rename reading.note=comment",
      "--rename reading.note=memo", "--rename reading.remark=comment", "--rename reading.remark=memo",
      "--no-renames"]),
    ("a single rename candidate without a terminal names the flag",
     edit(V0, ("nickname = pw.CharField(max_length=40, null=True)", "alias = pw.CharField(max_length=40, null=True)")),
     (), ["there is no terminal to ask on (or --no-input)", "account.nickname -> account.alias "
                                                             "(--rename account.nickname=alias)"]),
    ("changes that destroy data need --allow-destructive",
     edit(V0, ("serial = pw.CharField(max_length=20)", "serial = pw.CharField(max_length=12)"), *NO_LEGACY),
     (), ["the models drop data: ", "drop_table legacy", "alter_column_type order.serial (",
          "Give --allow-destructive"]),
    ("a NOT NULL column without a default cannot be added to a table with rows",
     edit(V0, ("    karma = pw.IntegerField()\n", "    karma = pw.IntegerField()\n    score = pw.IntegerField()\n"),
          ("    batch = pw.CharField(max_length=10, index=True)\n",
           "    batch = pw.CharField(max_length=10, index=True)\n    token = pw.CharField(default=lambda: 'x')\n")),
     ("--allow-destructive",),
     ["account.score is NOT NULL, and account has 2 rows in the database, which need a value for it",
      "order.token is NOT NULL, and order has 2 rows in the database",
      "its default is computed in Python (a callable), which cannot fill them",
      "give the field a default (default=...), or null=True"]),
]


def test_what_generate_refuses_is_named_with_exit_2_and_no_file(shop):
    for case, source, flags, messages in REFUSED:
        module = shop.models(source) if source else f"{shop.package}.nowhere"
        file = shop.folder / shop.package / f"{module.rsplit('.', 1)[1]}.py"
        for json_flag in ((), ("--json",)):
            code, out, err = shop.generate(module, *flags, *json_flag)
            said = json.loads(out)["error"]["message"] if json_flag else err
            assert code == 2, f"{case}: exit {code}: {out}{err}"
            assert "Traceback" not in err, f"{case}: {err}"
            for message in messages:
                message = message.format(module=module, package=shop.package, file=file)
                assert message in said, f"{case}: {message!r} is not in:\n{said}"
        assert shop.files() == ["v1.0.0.json"], f"{case}: a file was written"


def test_abstract_bases_are_left_out_and_listed(shop):
    for out in (shop.first, shop.ok("generate", "--models", shop.base)):
        assert "left out: Base (an abstract base, with no table of its own)" in out, out
        assert "left out: Stamped (an abstract base, with no table of its own)" in out, out
    assert {"base", "stamped"}.isdisjoint(name.lower() for name in shop.database.tables())
    # the abstract base's field is in the tables of the models made from it
    assert "created" in [c["name"] for c in shop.database.schema()["label"]["columns"]]


def test_no_renames_makes_a_drop_and_an_add(shop):
    module = shop.models(edit(V0, ("nickname = pw.CharField(max_length=40, null=True)",
                                   "alias = pw.CharField(max_length=40, null=True)")))
    code, out, err = shop.generate(module, "--no-renames", "--dry-run", "--allow-destructive")
    assert code == 0, out + err
    spec = json.loads(out)  # --dry-run: the spec on stdout, the rest on stderr
    assert actions(spec["operations"]) == ["add_column", "drop_column"]
    assert "destroys data: drop_column account.nickname" in err and shop.files() == ["v1.0.0.json"]


# -- determinism, --from-empty, --against-live ----------------------------------------------------------------------

def test_the_same_models_and_specs_give_the_same_file_byte_for_byte(shop):
    models = shop.models(ADDITIONS)
    printed = [shop.console("generate", "--models", models, "--allow-sql", "--dry-run", env={"PYTHONHASHSEED": seed})
               for seed in ("1", "2")]  # two processes, each its own order of sets and dicts of strings
    assert [p.returncode for p in printed] == [0, 0], [p.stderr for p in printed]
    assert printed[0].stdout == printed[1].stdout and printed[0].stdout.startswith("{"), printed[0].stdout
    assert shop.files() == ["v1.0.0.json"]  # --dry-run writes nothing
    shop.ok("generate", "--models", models, "--allow-sql")
    assert (shop.specs / "v1.1.0.json").read_text() == printed[0].stdout


def test_from_empty_writes_one_spec_that_builds_everything(shop, tmp_path):
    models = shop.models(CYCLE)
    # into the project's folder, which holds specs: a version making every table could never run after them
    code, out, err = shop.generate(models, "--from-empty")
    assert code == 2 and "--from-empty writes the first spec of a specs folder" in err, out + err
    assert shop.files() == ["v1.0.0.json"]
    project = shop.specs
    shop.specs = tmp_path / "squashed"  # a new folder, as a squash starts one
    out = shop.ok("generate", "--models", models, "--from-empty", "--version", "v2.0.0", "-m", "squashed")
    assert wrote(out) == "v2.0.0" and shop.files() == ["v2.0.0.json"]
    spec = shop.spec("v2.0.0")
    shop.specs = project
    assert spec["description"] == "squashed"
    assert set(actions(spec["operations"])) == {"create_table", "add_index", "add_default"} | (
        set() if shop.database.backend == "sqlite" else {"add_column"})  # (the cycle's key; level's server default)
    assert {op["table"] for op in spec["operations"] if op["action"] == "create_table"} == {
        "account", "order", "membership", "reading", "legacy", "label", "team", "person"}

    # on its own, on an empty database, it builds exactly the models' schema, and rolls back to nothing
    (tmp_path / "empty").mkdir()
    empty, drop = make_database(shop.database.backend, tmp_path / "empty")
    try:
        squashed = Project(empty, tmp_path)
        squashed.specs = tmp_path / "squashed"
        squashed.ok("migrate")
        found = cat.differences(shop.models_schema(models, "fresh"), squashed.schema())
        assert not found, "\n".join(found)
        code, out, err = squashed.generate(models, "--check")
        assert code == 0, out + err
        squashed.ok("rollback")
        assert cat.catalog(empty)["tables"] == {}
    finally:
        if drop:
            drop()


def test_against_live_diffs_the_live_database_and_never_drops_a_table_no_spec_made(shop):
    q = "`" if shop.database.backend == "mysql" else '"'
    shop.database.execute(f"CREATE TABLE {q}handmade{q} (n INTEGER)")  # made by hand: no spec, no model
    code, out, err = shop.generate(shop.base, "--check", "--against-live")
    assert code == 0, out + err  # the table made by hand is no difference: generate leaves it alone
    shop.database.execute(f"ALTER TABLE account ADD COLUMN {q}bio{q} TEXT")  # by hand, as the models now have it
    models = shop.models(edit(REMOVALS, ("    karma = pw.IntegerField()\n",
                                         "    karma = pw.IntegerField()\n    bio = pw.TextField(null=True)\n")))
    flags = ("--allow-destructive", "--rename", "account.nickname=alias", "--rename-table", "label=tag")

    code, out, err = shop.generate(models, "--check", "--json", *flags)
    assert code == 1 and "add_column" in actions(json.loads(out)["operations"])  # the specs have no bio
    code, out, err = shop.generate(models, "--check", "--json", "--against-live", *flags)
    assert code == 1, out + err
    check = json.loads(out)
    assert check["agree"] is False and "add_column" not in actions(check["operations"])  # the live one has
    assert "table legacy is in the live database only" in check["differences"], check["differences"]

    out = shop.ok("generate", "--models", models, "--against-live", *flags)
    operations = shop.spec(wrote(out))["operations"]
    assert operations == check["operations"]
    assert [op["table"] for op in operations if op["action"] == "drop_table"] == ["legacy"]
    assert "handmade" not in json.dumps(operations)
    shop.ok("migrate")
    live = shop.schema()
    assert live["tables"].pop("handmade")
    live.get("master", {}).pop("table handmade", None)  # (SQLite's)
    found = cat.differences(shop.models_schema(models, "fresh"), live)
    assert not found, "\n".join(found)
    code, out, err = shop.generate(models, "--check", "--against-live", *flags)
    assert code == 0, out + err
