"""Alembic environment: the URL comes from the app's settings (or DATABASE_URL)."""

from __future__ import annotations

import os

from alembic import context

from course.services.db import make_engine
from course.services.models import Base

config = context.config
url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
if not url:
    raise RuntimeError("no database URL: run `flask --app app db upgrade`")


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url)
    # A writer connection: on SQLite it opens BEGIN IMMEDIATE, so a migration is one transaction
    # (plain connections issue no BEGIN on SQLite, see course/services/db.py).
    with engine.connect().execution_options(writer=True) as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
