"""Alembic's generic env.py, online mode, with the URL from `-x url=...` and one transaction per
migration (as every other tool here runs). BENCH_ALEMBIC_COUNT_FILE, when set, counts the statements
through SQLAlchemy's before_cursor_execute event."""
import json
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, event, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    count_file = os.environ.get("BENCH_ALEMBIC_COUNT_FILE")
    counted = [0]
    if count_file:
        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):
            counted[0] += 1
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    if count_file:
        with open(count_file, "a") as f:
            f.write(json.dumps({"before_cursor_execute": counted[0]}) + "\n")


run_migrations_online()
