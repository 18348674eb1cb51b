"""Reader sessions (safe requests) run without a transaction and refuse to write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from course.services.db import Database, ReaderWrites
from course.services.models import User


def _user(email: str) -> User:
    return User(
        email=email,
        display_name="A",
        password_hash="x",
        role="learner",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_reader_sees_each_commit_and_cannot_write(database_url: str) -> None:
    database = Database(database_url)
    reader = database.session(writer=False)
    assert reader.scalars(select(User.email)).all() == []
    writer = database.session(writer=True)
    writer.add(_user("w@example.org"))
    writer.commit()
    writer.close()
    # Each statement reads the latest committed data: no snapshot is held between them.
    assert reader.scalars(select(User.email)).all() == ["w@example.org"]
    with pytest.raises(ReaderWrites):
        reader.execute(insert(User), [{"email": "r@example.org"}])
    reader.add(_user("r@example.org"))
    with pytest.raises(ReaderWrites):
        reader.flush()
    reader.close()
    database.dispose()
