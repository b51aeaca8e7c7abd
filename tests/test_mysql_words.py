"""Which algorithm a MariaDB/MySQL statement is asked for is read from its words (migrator/dialects/mysql_online.py),
without SQL's full reader where the text has no string, comment or operator: the words are the reader's own."""
import pytest

from migrator.dialects.mysql_online import _words, guarded
from migrator.sqltext import tokens


STATEMENTS = [
    "ALTER TABLE `t1` ADD COLUMN `c1` INTEGER", "CREATE INDEX `ix_c1` ON `t1` (`c1`)",
    "CREATE UNIQUE INDEX `a``b` ON `we ird` (`x`, `y`)", "DROP INDEX `ix` ON `t2`", "ALTER TABLE t DROP COLUMN c",
    "ALTER TABLE `t` ADD CONSTRAINT `c` CHECK (x > 'a')", "ALTER TABLE `t` COMMENT 'x' -- y",
    "ALTER TABLE `db`.`t` ADD COLUMN x INT", "ALTER TABLE `t` ALGORITHM=COPY, ADD COLUMN x INT",
    "alter table `t` add index `i` (`a`)", "ALTER TABLE `t` MODIFY `c` VARCHAR(255) NOT NULL DEFAULT 3",
    "ALTER TABLE `t` ADD COLUMN `x` DECIMAL(10, 2)", "ALTER TABLE `ü` ADD `é` INT",
    "ALTER TABLE `t` ADD COLUMN `c` INT DEFAULT -1", "ALTER TABLE `t` ADD COLUMN `algorithm` INT",
    "ALTER TABLE `t` RENAME COLUMN `a` TO `b`", 'ALTER TABLE "t" ADD COLUMN "x" INT', "DROP INDEX `a` ON `b`.`c`",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_statements_migrator_makes_read_as_sql_reader_reads_them(statement):
    read = [(w.text, w.start, w.end, w.token_type.name in ("IDENTIFIER", "STRING")) for w in tokens(statement, "mysql")]
    assert [(w.text, w.start, w.end, w.quoted) for w in _words(statement)] == read


def test_an_index_is_asked_for_in_place_first_and_a_table_change_instantly():
    assert guarded("CREATE INDEX `i` ON `t` (`c`)").forms == (
        "CREATE INDEX `i` ON `t` (`c`) ALGORITHM=INPLACE LOCK=NONE",)
    assert guarded("DROP INDEX `i` ON `t`").forms == (
        "ALTER TABLE `t` DROP INDEX `i`, ALGORITHM=INPLACE, LOCK=NONE",)
    assert guarded("ALTER TABLE `t` DROP COLUMN `c`").forms == (
        "ALTER TABLE `t` DROP COLUMN `c`, ALGORITHM=INSTANT",
        "ALTER TABLE `t` DROP COLUMN `c`, ALGORITHM=INPLACE, LOCK=NONE")
    assert guarded("ALTER TABLE `t` ALGORITHM=COPY, ADD COLUMN x INT") is None  # names one already


# Tables whose SHOW CREATE TABLE holds what could mislead a cut at commas and parentheses: quotes, commas and
# parentheses in names, comments, defaults, ENUM values, generated columns and checks; a column named like a key.
AWKWARD_TABLES = [
    "CREATE TABLE `plain` (id INT PRIMARY KEY, name VARCHAR(40))",
    "CREATE TABLE `we,ird (t``x)` (`a,b` INT NOT NULL DEFAULT 1 COMMENT 'a, (b)', `KEY` INT, `PRIMARY` TEXT,"
    " `c``d` ENUM('x,y', 'it''s', '(z', 'back\\\\slash') DEFAULT 'x,y', `e` DECIMAL(10, 2) DEFAULT 3.50,"
    " `f` VARCHAR(20) DEFAULT 'line\\nbreak, \\'quoted\\'', `g` INT AS (`a,b` * 2) VIRTUAL,"
    " `h` TEXT COMMENT '`not a name`, \"nor this\"', `ü é` INT,"
    " PRIMARY KEY (`a,b`), UNIQUE KEY `u,(1)` (`c``d`, `e`), KEY `k``q` (`KEY`), FULLTEXT KEY `ft` (`h`),"
    " CONSTRAINT `ch,eck` CHECK (`e` > 0 AND `f` <> ')'))",
    "CREATE TABLE `child` (id INT PRIMARY KEY, p INT, `x` VARCHAR(10) DEFAULT '', INDEX (`x`(3)),"
    " CONSTRAINT `fk (p)` FOREIGN KEY (p) REFERENCES `plain` (id) ON DELETE CASCADE)"
    " COMMENT 'table, (comment)'",
]


def test_show_create_table_is_cut_as_the_sql_reader_cuts_it_and_names_read_as_the_catalog_has_them(tmp_path):
    from conftest import make_database
    from migrator.dialects.mysql import _column_name, _create_items, _key_name
    from migrator.sqltext import table_body

    database, drop = make_database("mysql", tmp_path)
    try:
        database.execute(*AWKWARD_TABLES)
        for table in ("plain", "we,ird (t`x)", "child"):
            create = database.query(f"SHOW CREATE TABLE `{table.replace('`', '``')}`")[0][1]
            assert _create_items(create) == table_body(create, "mysql")
            items = _create_items(create)[1]
            columns = database.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                                     "DATABASE() AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION", (table,))
            assert [_column_name(i) for i in items if _column_name(i)] == [c for c, in columns]
            keys = database.query("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE "
                                  "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (table,))
            assert sorted(filter(None, map(_key_name, items))) == sorted(k for k, in keys)
    finally:
        drop()
