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
