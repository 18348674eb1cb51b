"""The Alembic migrations build the schema the models describe."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from course.cli import alembic_config
from course.services.models import Base


# The roster's index on lower(display_name) is an expression: reflection skips it, with a warning.
def skips_expression_index(test: Any) -> Any:
    """Let reflection and autogenerate skip the expression index, warning as they do."""
    for message in ("Skipped unsupported reflection", "autogenerate skipping metadata-specified"):
        test = pytest.mark.filterwarnings(f"ignore:{message}")(test)
    return test


@skips_expression_index
def test_upgrade_then_no_difference_with_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diff == []
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


@skips_expression_index
@pytest.mark.usefixtures("postgres_url")
def test_upgrade_on_postgresql(postgres_url: str) -> None:
    # A schema of its own in the run's database, so the shared tables stay untouched.
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migrated CASCADE"))
        conn.execute(text("CREATE SCHEMA migrated"))
    url = postgres_url + "?options=-csearch_path%3Dmigrated"
    command.upgrade(alembic_config(url), "head")
    migrated = create_engine(url)
    with migrated.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    migrated.dispose()
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA migrated CASCADE"))
    engine.dispose()
    assert diff == []


def test_login_sessions_replace_the_token_and_keep_every_learners_data(tmp_path: Path) -> None:
    # Dropping `users.session_token` must not rebuild `users`: on SQLite, dropping the old table
    # with foreign keys on would cascade and delete every attempt and step of every learner.
    url = f"sqlite:///{tmp_path / 'upgraded.sqlite'}"
    command.upgrade(alembic_config(url), "0006")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, role, session_token,"
                " created_at) VALUES (1, 'a@example.org', 'A', 'x', 'learner', 'tok', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO step_completions (user_id, module_id, step_id, completed_at)"
                " VALUES (1, 'm1', 'm1-intro', '2026-01-02')"
            )
        )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM step_completions")).scalar() == 1
        assert conn.execute(text("SELECT email FROM users")).scalar() == "a@example.org"
        assert "session_token" not in {c["name"] for c in inspect(conn).get_columns("users")}
    command.downgrade(alembic_config(url), "0006")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM step_completions")).scalar() == 1
        assert conn.execute(text("SELECT session_token FROM users")).scalar() == ""
    engine.dispose()


def test_a_failing_migration_leaves_sqlite_as_it_was(tmp_path: Path) -> None:
    # A migration runs in one transaction on SQLite too: a step that fails half-way undoes the
    # table it had already created, so the database stays at the previous revision.
    versions = tmp_path / "versions"
    versions.mkdir()
    head = command_head()
    (versions / "9999_fails.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    raise RuntimeError('this step fails')\n"
        "def downgrade():\n    pass\n"
    )
    url = f"sqlite:///{tmp_path / 'failing.sqlite'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    config.set_main_option("path_separator", "os")
    migrations = Path(config.get_main_option("script_location") or "") / "versions"
    config.set_main_option("version_locations", os.pathsep.join([str(migrations), str(versions)]))
    with pytest.raises(RuntimeError, match="this step fails"):
        command.upgrade(config, "9999")
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert "half_done" not in tables
    assert revision == head


def command_head() -> str:
    from course.schema import code_revisions

    return code_revisions("sqlite://")[-1]
