"""NZBHydra's schema history replayed with Peewee itself: the reference the spec versions are held to.

One function per database version step of upstream's `update_db` (see SOURCE.md), in the order of the spec
versions: new tables as Peewee models made by `db.create_tables`, every other change through playhouse.migrate's
`SchemaMigrator.from_database(db)`. Written for this test suite from the upstream schema steps; no upstream code
is copied. Upstream ran on SQLite with Peewee 2, whose `db.create_table` made a table without any index: the
models here say `index=False` on foreign keys and leave `unique` out where upstream's table got no index.
"""
import peewee as pw
from playhouse.migrate import SchemaMigrator, SqliteMigrator, migrate


def model(db, table, fields, primary_key=None):
    """A Peewee model of `table` in `db` with these fields, in this order."""
    meta = {"database": db, "table_name": table}
    if primary_key is not None:
        meta["primary_key"] = primary_key
    # Named as the table: Peewee names an index after the model's class (legacy_table_names), as the app's own
    # model classes (Event, User...) name theirs after the table.
    return type(table, (pw.Model,), {**fields, "Meta": type("Meta", (), meta)})


def stand_in(db, table):
    """A model of a table keyed by an integer `id`, for foreign keys to point at (never created)."""
    return model(db, table, {})


def fk(target, **params):
    return pw.ForeignKeyField(target, index=False, **params)


def v1(db, m):  # database version 1: init_db as of 86bd14e^, in the order the foreign keys need
    indexer = model(db, "indexer", {"name": pw.CharField()})  # unique=True upstream, but no index was made
    search = model(db, "search", {
        "internal": pw.BooleanField(),
        "query": pw.CharField(null=True),
        "time": pw.DateTimeField(),
        "identifier_key": pw.CharField(null=True),
        "identifier_value": pw.CharField(null=True),
        "category": pw.TextField(null=True),
        "season": pw.IntegerField(null=True),
        "episode": pw.IntegerField(null=True),
        "type": pw.CharField(default="general"),
    })
    indexersearch = model(db, "indexersearch", {
        "indexer": fk(indexer),
        "search": fk(search, null=True),
        "time": pw.DateTimeField(),
        "successful": pw.BooleanField(default=False),
        "results": pw.IntegerField(null=True),
    })
    indexerapiaccess = model(db, "indexerapiaccess", {
        "indexer": fk(indexer),
        "indexer_search": fk(indexersearch, null=True),
        "time": pw.DateTimeField(),
        "type": pw.CharField(),
        "url": pw.CharField(),
        "response_successful": pw.BooleanField(default=False, null=True),
        "response_time": pw.IntegerField(null=True),
        "error": pw.CharField(null=True),
    })
    indexernzbdownload = model(db, "indexernzbdownload", {
        "indexer": fk(indexer),
        "indexer_search": fk(indexersearch, null=True),
        "api_access": fk(indexerapiaccess),
        "title": pw.CharField(),
        "time": pw.DateTimeField(),
        "mode": pw.CharField(),
        "guid": pw.CharField(),
    })
    indexerstatus = model(db, "indexerstatus", {
        "indexer": fk(indexer),
        "first_failure": pw.DateTimeField(null=True),
        "latest_failure": pw.DateTimeField(null=True),
        "disabled_until": pw.DateTimeField(null=True),
        "level": pw.IntegerField(default=0),
        "reason": pw.CharField(null=True),
        "disabled_permanently": pw.BooleanField(default=False),
    })
    versioninfo = model(db, "versioninfo", {"version": pw.IntegerField(default=1)})
    db.create_tables([indexer, search, indexersearch, indexerapiaccess, indexernzbdownload, indexerstatus,
                      versioninfo])


def v2(db, m):  # 1 -> 2
    db.create_tables([model(db, "tvidcache", {"tvdb": pw.CharField(), "tvrage": pw.CharField()})])


def v3(db, m):  # 2 -> 3 (its DELETE of every tvidcache row is left out)
    migrate(m.add_column("tvidcache", "tvmaze", pw.CharField(null=True)),
            m.drop_not_null("tvidcache", "tvdb"),
            m.drop_not_null("tvidcache", "tvrage"),
            m.add_index("tvidcache", ("tvdb", "tvrage", "tvmaze"), True))
    db.create_tables([model(db, "movieidcache", {"imdb": pw.CharField(), "tmdb": pw.CharField()})])


def v4(db, m):  # 3 -> 4
    migrate(m.add_column("indexerapiaccess", "username", pw.CharField(null=True)),
            m.add_column("search", "username", pw.CharField(null=True)))


def v5(db, m):  # 4 -> 5: both caches dropped and made again, now with a title
    migrate(m.drop_table("movieidcache"))
    db.create_tables([model(db, "movieidcache", {
        "imdb": pw.CharField(), "tmdb": pw.CharField(), "title": pw.CharField()})])
    migrate(m.drop_table("tvidcache"))
    db.create_tables([model(db, "tvidcache", {
        "tvdb": pw.CharField(null=True), "tvrage": pw.CharField(null=True), "tvmaze": pw.CharField(null=True),
        "title": pw.CharField()})])


def v6(db, m):  # 5 -> 6 (the conversion of download rows is left out)
    # SQLite's own DROP COLUMN refuses a column in a FOREIGN KEY clause; Peewee's table-copying drop (legacy=True,
    # what upstream's Peewee of 2016 always did) is the one that can drop those two.
    copy = {"legacy": True} if isinstance(m, SqliteMigrator) else {}
    migrate(m.rename_column("indexersearch", "results", "resultscount"),
            m.drop_column("indexernzbdownload", "indexer_id", **copy),
            m.drop_column("indexernzbdownload", "guid"),
            m.drop_column("indexernzbdownload", "indexer_search_id", **copy),
            m.rename_column("indexernzbdownload", "api_access_id", "apiaccess_id"),
            m.add_column("indexernzbdownload", "searchResult_id", pw.IntegerField(default=1)))
    db.create_tables([model(db, "searchresult", {
        "indexer": fk(stand_in(db, "indexer")),
        "firstFound": pw.DateTimeField(),
        "title": pw.CharField(),
        "guid": pw.CharField(),
        "link": pw.CharField(),
        "details": pw.CharField(),
    })])


def v7(db, m):  # 6 -> 7
    migrate(m.add_not_null("searchresult", "details"))


def v8(db, m):  # 7 -> 8
    migrate(m.drop_not_null("searchresult", "details"))


def v9(db, m):  # 8 -> 9 (the copy of the old values as text is left out)
    migrate(m.drop_column("search", "season"),
            m.drop_column("search", "episode"),
            m.add_column("search", "season", pw.TextField(null=True)),
            m.add_column("search", "episode", pw.TextField(null=True)))


def v10(db, m):  # 9 -> 10 (the drop_index attempts find nothing to drop; the removal of duplicates is left out)
    migrate(m.add_index("searchresult", ("indexer_id", "guid"), True),
            m.add_index("tvidcache", ("tvdb", "tvrage", "tvmaze"), True))


def v11(db, m):  # 10 -> 11
    migrate(m.add_column("indexersearch", "uniqueresults", pw.IntegerField(null=True)),
            m.add_column("indexersearch", "processedresults", pw.IntegerField(null=True)),
            m.add_column("indexernzbdownload", "internal", pw.BooleanField(null=True)))


def v12(db, m):  # 11 -> 12
    migrate(m.add_column("search", "author", pw.TextField(null=True)),
            m.add_column("search", "title", pw.TextField(null=True)))


def v14(db, m):  # 13 -> 14: new tables keyed by text, the old ones dropped, the new ones renamed (rows not copied)
    searchresult2 = model(db, "searchresult2", {
        "id": pw.CharField(primary_key=True),
        "indexer": fk(stand_in(db, "indexer")),
        "firstFound": pw.TextField(),
        "title": pw.TextField(),
        "guid": pw.TextField(),
        "link": pw.TextField(),
        "details": pw.TextField(null=True),
    })
    indexernzbdownload2 = model(db, "indexernzbdownload2", {
        # A key to the VARCHAR(255) primary key: Peewee makes the column VARCHAR(255).
        "searchResult": fk(searchresult2, column_name="searchResult_id"),
        "apiAccess": fk(stand_in(db, "indexerapiaccess"), column_name="apiAccess_id"),
        "time": pw.TextField(),
        "title": pw.TextField(),
        "mode": pw.TextField(),
        "internal": pw.IntegerField(null=True),
    })
    db.create_tables([searchresult2, indexernzbdownload2])
    migrate(m.drop_table("indexernzbdownload"),
            m.rename_table("indexernzbdownload2", "indexernzbdownload"),
            m.drop_table("searchresult"),
            m.rename_table("searchresult2", "searchresult"))


def v16(db, m):  # 14/15 -> 16 (the removal of duplicate statuses is left out)
    migrate(m.add_index("indexerstatus", ("indexer_id",), True, name="indexerstatus_indexer_id_uindex"))


def v18(db, m):  # 16/17 -> 18
    migrate(m.drop_column("indexernzbdownload", "time"))


# 12 -> 13 renames an indexer's row and moves references to it: data only, so no step.
STEPS = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v14, v16, v18]
VERSIONS = [f"v1.{minor}.0" for minor in range(len(STEPS))]  # the spec version of each step


def replay(db, through=None):
    """Apply every step to `db` (a connected Peewee database), or those up to the spec version `through`."""
    m = SchemaMigrator.from_database(db)
    for version, step in zip(VERSIONS, STEPS):
        step(db, m)
        if version == through:
            break
