"""The schema zoo: the shapes real production databases hold, written as a DBA writes them.

The DDL is raw SQL per backend, never made through migrator, and the rows are inserted through the
plain driver. `build(test_database)` makes the zoo in an empty database.

Tables (the same names on every backend):

| table           | shape                                                                                |
|-----------------|--------------------------------------------------------------------------------------|
| event_log       | no primary key; duplicate rows, NULLs in every nullable column                       |
| timeline        | composite primary key (camera, ts)                                                   |
| reviewsegment   | keyed by text, VARCHAR(30), as Frigate's reviewsegment; a plain two-column index     |
| device          | keyed by a UUID (PostgreSQL uuid, CHAR(36) elsewhere); a blob; floats (NaN on PG);   |
|                 | MariaDB: a prefix index device_name_prefix (name(10))                                |
| detection       | foreign keys to the text key (ON DELETE CASCADE) and to the UUID key                 |
| rec             | serial key with a gap (the sequence is ahead of max(id)); SQLite and PostgreSQL:     |
|                 | expression index rec_expr (lower(camera)), partial index rec_partial (WHERE motion), |
|                 | trigger rec_guard (uses path); every backend: DESC index rec_desc (start_time DESC), |
|                 | view rec_view (uses end_time)                                                        |
| category        | self-referencing foreign key; a child row with a lower id than its parent            |
| user            | reserved word; multi-column UNIQUE constraint user_tenant_name_key (tenant, name)    |
| order           | reserved word; CHECK constraint order_qty_positive (quantity > 0); a column "group"  |
| MixedCase       | mixed-case table with mixed-case columns "CamelCol", "Score" and index               |
|                 | "MixedCase_Score_idx"                                                                |
| group           | reserved word; PostgreSQL identity, SQLite AUTOINCREMENT, MariaDB AUTO_INCREMENT,    |
|                 | with a gap; a column named "user"                                                    |

Every nullable column holds a NULL in some row, except two kept without NULLs so that add_not_null
has something to act on: device.registered and "MixedCase"."CamelCol". The rows hold empty strings,
'😀' (beyond the BMP), a 10,000-character text, bytes with 0x00 and 0xff, and floats.

SQLite's DDL quotes every name: SQLite rewrites a renamed name as a quoted one in the stored SQL of
the table, its indexes, triggers and views, so only quoted DDL reads the same after a rename and the
rename back.
"""

NAN = float("nan")
LONG_TEXT = "x" * 9_999 + "y"  # 10,000 characters
BYTES = b"\x00\xff\x00binary\xff\x7f"

SEGMENTS = ("1718000000.0-abc123", "1718000100.0-def456", "1718000200.0-\U0001F600")
DEVICES = ("0b7a8c3e-5f4d-4c2b-9a1e-6d5c4b3a2f10", "f47ac10b-58cc-4372-a567-0e02b2c3d479",
           "00000000-0000-0000-0000-000000000000")

SQLITE = [
    """CREATE TABLE "event_log" (
        "camera" VARCHAR(20),
        "label" VARCHAR(20),
        "score" REAL,
        "note" TEXT,
        "seen" INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE "timeline" (
        "camera" VARCHAR(20) NOT NULL,
        "ts" INTEGER NOT NULL,
        "kind" VARCHAR(20) NOT NULL,
        "detail" TEXT,
        "source_id" INTEGER,
        PRIMARY KEY ("camera", "ts")
    )""",
    """CREATE TABLE "reviewsegment" (
        "id" VARCHAR(30) NOT NULL PRIMARY KEY,
        "camera" VARCHAR(20) NOT NULL,
        "severity" VARCHAR(30) NOT NULL DEFAULT 'alert',
        "start_time" REAL NOT NULL,
        "end_time" REAL,
        "thumb_path" VARCHAR(255),
        "data" TEXT
    )""",
    'CREATE INDEX "reviewsegment_camera_start" ON "reviewsegment" ("camera", "start_time")',
    """CREATE TABLE "device" (
        "id" CHAR(36) NOT NULL PRIMARY KEY,
        "name" VARCHAR(40) NOT NULL,
        "secret" BLOB,
        "ratio" REAL,
        "registered" INTEGER
    )""",
    """CREATE TABLE "detection" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "segment_id" VARCHAR(30) NOT NULL REFERENCES "reviewsegment" ("id") ON DELETE CASCADE,
        "device_id" CHAR(36) REFERENCES "device" ("id"),
        "label" VARCHAR(20) NOT NULL,
        "score" REAL
    )""",
    'CREATE INDEX "detection_segment_id" ON "detection" ("segment_id")',
    """CREATE TABLE "rec" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "camera" VARCHAR(20) NOT NULL,
        "path" VARCHAR(200),
        "start_time" REAL NOT NULL,
        "end_time" REAL,
        "motion" INTEGER,
        "objects" INTEGER
    )""",
    'CREATE INDEX "rec_expr" ON "rec" (lower("camera"))',
    'CREATE INDEX "rec_partial" ON "rec" ("objects") WHERE "motion" > 0',
    'CREATE INDEX "rec_desc" ON "rec" ("start_time" DESC)',
    'CREATE VIEW "rec_view" AS SELECT "id", "end_time" FROM "rec" WHERE "end_time" IS NOT NULL',
    """CREATE TRIGGER "rec_guard" BEFORE INSERT ON "rec" WHEN NEW."path" LIKE '%..%'
        BEGIN SELECT RAISE(ABORT, 'path traversal'); END""",
    """CREATE TABLE "category" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "parent_id" INTEGER REFERENCES "category" ("id"),
        "name" VARCHAR(40) NOT NULL
    )""",
    """CREATE TABLE "user" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "tenant" VARCHAR(20) NOT NULL,
        "name" VARCHAR(40) NOT NULL,
        "email" VARCHAR(80),
        CONSTRAINT "user_tenant_name_key" UNIQUE ("tenant", "name")
    )""",
    """CREATE TABLE "order" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "user_id" INTEGER NOT NULL REFERENCES "user" ("id"),
        "quantity" INTEGER NOT NULL,
        "price" REAL,
        "group" VARCHAR(20),
        "note" TEXT,
        CONSTRAINT "order_qty_positive" CHECK ("quantity" > 0)
    )""",
    'CREATE INDEX "order_user_id" ON "order" ("user_id")',
    """CREATE TABLE "MixedCase" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "CamelCol" VARCHAR(20),
        "Score" INTEGER NOT NULL DEFAULT 0
    )""",
    'CREATE INDEX "MixedCase_Score_idx" ON "MixedCase" ("Score")',
    """CREATE TABLE "group" (
        "id" INTEGER PRIMARY KEY AUTOINCREMENT,
        "label" VARCHAR(20) NOT NULL,
        "user" VARCHAR(20)
    )""",
]

POSTGRES = [
    """CREATE TABLE event_log (
        camera varchar(20),
        label varchar(20),
        score double precision,
        note text,
        seen integer NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE timeline (
        camera varchar(20) NOT NULL,
        ts integer NOT NULL,
        kind varchar(20) NOT NULL,
        detail text,
        source_id integer,
        PRIMARY KEY (camera, ts)
    )""",
    """CREATE TABLE reviewsegment (
        id varchar(30) PRIMARY KEY,
        camera varchar(20) NOT NULL,
        severity varchar(30) NOT NULL DEFAULT 'alert',
        start_time double precision NOT NULL,
        end_time double precision,
        thumb_path varchar(255),
        data text
    )""",
    "CREATE INDEX reviewsegment_camera_start ON reviewsegment (camera, start_time)",
    """CREATE TABLE device (
        id uuid PRIMARY KEY,
        name varchar(40) NOT NULL,
        secret bytea,
        ratio double precision,
        registered integer
    )""",
    """CREATE TABLE detection (
        id serial PRIMARY KEY,
        segment_id varchar(30) NOT NULL REFERENCES reviewsegment (id) ON DELETE CASCADE,
        device_id uuid REFERENCES device (id),
        label varchar(20) NOT NULL,
        score double precision
    )""",
    "CREATE INDEX detection_segment_id ON detection (segment_id)",
    """CREATE TABLE rec (
        id serial PRIMARY KEY,
        camera varchar(20) NOT NULL,
        path varchar(200),
        start_time double precision NOT NULL,
        end_time double precision,
        motion integer,
        objects integer
    )""",
    "CREATE INDEX rec_expr ON rec (lower(camera))",
    "CREATE INDEX rec_partial ON rec (objects) WHERE motion > 0",
    "CREATE INDEX rec_desc ON rec (start_time DESC)",
    "CREATE VIEW rec_view AS SELECT id, end_time FROM rec WHERE end_time IS NOT NULL",
    """CREATE FUNCTION rec_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'path traversal'; END $$""",
    """CREATE TRIGGER rec_guard BEFORE INSERT OR UPDATE ON rec
        FOR EACH ROW WHEN (NEW.path LIKE '%%..%%') EXECUTE FUNCTION rec_guard()""",
    """CREATE TABLE category (
        id serial PRIMARY KEY,
        parent_id integer REFERENCES category (id),
        name varchar(40) NOT NULL
    )""",
    """CREATE TABLE "user" (
        id serial PRIMARY KEY,
        tenant varchar(20) NOT NULL,
        name varchar(40) NOT NULL,
        email varchar(80),
        CONSTRAINT user_tenant_name_key UNIQUE (tenant, name)
    )""",
    """CREATE TABLE "order" (
        id serial PRIMARY KEY,
        user_id integer NOT NULL REFERENCES "user" (id),
        quantity integer NOT NULL,
        price double precision,
        "group" varchar(20),
        note text,
        CONSTRAINT order_qty_positive CHECK (quantity > 0)
    )""",
    'CREATE INDEX order_user_id ON "order" (user_id)',
    """CREATE TABLE "MixedCase" (
        id serial PRIMARY KEY,
        "CamelCol" varchar(20),
        "Score" integer NOT NULL DEFAULT 0
    )""",
    'CREATE INDEX "MixedCase_Score_idx" ON "MixedCase" ("Score")',
    """CREATE TABLE "group" (
        id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        label varchar(20) NOT NULL,
        "user" varchar(20)
    )""",
]

MYSQL = [
    """CREATE TABLE event_log (
        camera VARCHAR(20),
        label VARCHAR(20),
        score DOUBLE,
        note TEXT,
        seen INT NOT NULL DEFAULT 0
    ) ENGINE=InnoDB""",
    """CREATE TABLE timeline (
        camera VARCHAR(20) NOT NULL,
        ts INT NOT NULL,
        kind VARCHAR(20) NOT NULL,
        detail TEXT,
        source_id INT,
        PRIMARY KEY (camera, ts)
    ) ENGINE=InnoDB""",
    """CREATE TABLE reviewsegment (
        id VARCHAR(30) NOT NULL PRIMARY KEY,
        camera VARCHAR(20) NOT NULL,
        severity VARCHAR(30) NOT NULL DEFAULT 'alert',
        start_time DOUBLE NOT NULL,
        end_time DOUBLE,
        thumb_path VARCHAR(255),
        data TEXT
    ) ENGINE=InnoDB""",
    "CREATE INDEX reviewsegment_camera_start ON reviewsegment (camera, start_time)",
    """CREATE TABLE device (
        id CHAR(36) NOT NULL PRIMARY KEY,
        name VARCHAR(40) NOT NULL,
        secret BLOB,
        ratio DOUBLE,
        registered INT
    ) ENGINE=InnoDB""",
    "CREATE INDEX device_name_prefix ON device (name(10))",
    """CREATE TABLE detection (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        segment_id VARCHAR(30) NOT NULL,
        device_id CHAR(36),
        label VARCHAR(20) NOT NULL,
        score DOUBLE,
        CONSTRAINT detection_segment_fk FOREIGN KEY (segment_id) REFERENCES reviewsegment (id) ON DELETE CASCADE,
        CONSTRAINT detection_device_fk FOREIGN KEY (device_id) REFERENCES device (id)
    ) ENGINE=InnoDB""",
    """CREATE TABLE rec (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        camera VARCHAR(20) NOT NULL,
        path VARCHAR(200),
        start_time DOUBLE NOT NULL,
        end_time DOUBLE,
        motion INT,
        objects INT
    ) ENGINE=InnoDB""",
    "CREATE INDEX rec_desc ON rec (start_time DESC)",
    "CREATE VIEW rec_view AS SELECT id, end_time FROM rec WHERE end_time IS NOT NULL",
    """CREATE TABLE category (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        parent_id INT,
        name VARCHAR(40) NOT NULL,
        CONSTRAINT category_parent_fk FOREIGN KEY (parent_id) REFERENCES category (id)
    ) ENGINE=InnoDB""",
    """CREATE TABLE `user` (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        tenant VARCHAR(20) NOT NULL,
        name VARCHAR(40) NOT NULL,
        email VARCHAR(80),
        CONSTRAINT user_tenant_name_key UNIQUE (tenant, name)
    ) ENGINE=InnoDB""",
    """CREATE TABLE `order` (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        user_id INT NOT NULL,
        quantity INT NOT NULL,
        price DOUBLE,
        `group` VARCHAR(20),
        note TEXT,
        CONSTRAINT order_qty_positive CHECK (quantity > 0),
        CONSTRAINT order_user_fk FOREIGN KEY (user_id) REFERENCES `user` (id)
    ) ENGINE=InnoDB""",
    """CREATE TABLE `MixedCase` (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        `CamelCol` VARCHAR(20),
        `Score` INT NOT NULL DEFAULT 0
    ) ENGINE=InnoDB""",
    "CREATE INDEX `MixedCase_Score_idx` ON `MixedCase` (`Score`)",
    """CREATE TABLE `group` (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        label VARCHAR(20) NOT NULL,
        `user` VARCHAR(20)
    ) ENGINE=InnoDB""",
]

DDL = {"sqlite": SQLITE, "postgres": POSTGRES, "mysql": MYSQL}


def rows(backend):
    """(table, columns, rows) in insertion order; serial keys are left to the database."""
    nan = NAN if backend == "postgres" else 1.5e308  # only PostgreSQL's float type holds NaN
    return [
        ("event_log", ("camera", "label", "score", "note", "seen"), [
            ("front", "person", 0.5, None, 1),
            ("front", "person", 0.5, None, 1),  # a duplicate row
            (None, None, None, None, 0),
            (None, None, None, None, 0),  # a duplicate row of NULLs
            ("back", "", nan, "\U0001F600", 0),
            ("garden", "car", 0.1 + 0.2, LONG_TEXT, 3),
        ]),
        ("timeline", ("camera", "ts", "kind", "detail", "source_id"), [
            ("front", 1, "start", None, None),
            ("front", 2, "end", "\U0001F600 done", 5),
            ("back", 1, "start", "", None),
            ("\U0001F600", 7, "", LONG_TEXT, 0),
        ]),
        ("reviewsegment", ("id", "camera", "severity", "start_time", "end_time", "thumb_path", "data"), [
            (SEGMENTS[0], "front", "alert", 1718000000.5, 1718000030.25, "/media/thumb1.webp", LONG_TEXT),
            (SEGMENTS[1], "back", "detection", 1718000100.0, None, None, None),
            (SEGMENTS[2], "garden \U0001F600", "alert", 0.1 + 0.2, -1e-300, "", ""),
        ]),
        ("device", ("id", "name", "secret", "ratio", "registered"), [
            (DEVICES[0], "cam-front", BYTES, 0.1, 1),
            (DEVICES[1], "cam-back-with-a-long-name", b"", nan, 0),
            (DEVICES[2], "\U0001F600 device", None, None, 2),
        ]),
        ("detection", ("segment_id", "device_id", "label", "score"), [
            (SEGMENTS[0], DEVICES[0], "person", 0.87),
            (SEGMENTS[0], None, "car", None),
            (SEGMENTS[2], DEVICES[2], "", 0.5),
        ]),
        ("rec", ("camera", "path", "start_time", "end_time", "motion", "objects"), [
            ("front", "/media/rec/front/1.mp4", 1718000000.0, 1718000010.0, 120, 2),
            ("back", None, 1718000100.0, None, None, None),
            ("FRONT", "", 1718000200.0, 1718000210.5, 0, 0),
            ("garden \U0001F600", "/media/rec/\U0001F600.mp4", 0.1 + 0.2, 1.0, 7, 1),
            ("deleted", "/media/rec/gone.mp4", 1.0, 2.0, 1, 1),  # deleted below: the sequence stays ahead
        ]),
        ("category", ("name",), [("misc",), ("vehicles",), ("car",), ("people",)]),
        ("user", ("tenant", "name", "email"), [
            ("acme", "ann", "ann@example.com"),
            ("acme", "bob", None),
            ("globex", "ann", ""),
            ("globex", "\U0001F600", "smile@example.com"),
        ]),
        ("order", ("user_id", "quantity", "price", "group", "note"), [
            (1, 2, 9.99, "a", None),
            (1, 1, None, None, LONG_TEXT),
            (3, 5, 0.1 + 0.2, "", "\U0001F600"),
        ]),
        ("MixedCase", ("CamelCol", "Score"), [("Alpha", 3), ("", 0), ("\U0001F600", -1)]),
        ("group", ("label", "user"), [("admins", "ann"), ("", None), ("\U0001F600", ""), ("gone", "x")]),
    ]


AFTER_ROWS = {
    "sqlite": [
        'DELETE FROM "rec" WHERE "camera" = \'deleted\'',
        'DELETE FROM "group" WHERE "label" = \'gone\'',
        # re-parented: a child (misc, id 1) under a parent with a higher id (people, id 4)
        'UPDATE "category" SET "parent_id" = 4 WHERE "id" = 1',
        'UPDATE "category" SET "parent_id" = 2 WHERE "id" = 3',
    ],
    "postgres": [
        "DELETE FROM rec WHERE camera = 'deleted'",
        "DELETE FROM \"group\" WHERE label = 'gone'",
        "UPDATE category SET parent_id = 4 WHERE id = 1",
        "UPDATE category SET parent_id = 2 WHERE id = 3",
    ],
    "mysql": [
        "DELETE FROM rec WHERE camera = 'deleted'",
        "DELETE FROM `group` WHERE label = 'gone'",
        "UPDATE category SET parent_id = 4 WHERE id = 1",
        "UPDATE category SET parent_id = 2 WHERE id = 3",
    ],
}


def build(test_database):
    """Make the zoo in an empty database: the DDL, then the rows, through the plain driver."""
    backend = test_database.backend
    q = "`" if backend == "mysql" else '"'
    db = test_database.connect()
    try:
        with db.atomic():
            for statement in DDL[backend]:
                db.execute_sql(statement)
            for table, columns, values in rows(backend):
                names = ", ".join(f"{q}{c}{q}" for c in columns)
                marks = ", ".join([db.param] * len(columns))
                for row in values:
                    db.execute_sql(f"INSERT INTO {q}{table}{q} ({names}) VALUES ({marks})", row)
            for statement in AFTER_ROWS[backend]:
                db.execute_sql(statement)
    finally:
        db.close()
