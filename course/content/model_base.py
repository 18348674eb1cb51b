"""The building blocks every content object shares."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class Frozen(BaseModel):
    """Base of every content object: immutable, and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")
