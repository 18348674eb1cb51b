"""URL converters: `<int:...>` refuses numbers no table can hold (404, never a database error)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

from course.domain.integers import MAX_ID, bounded_int


class BoundedIntConverter(IntegerConverter):
    """An `int` converter capped at the largest id both engines store."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        found = bounded_int(value, self.max if self.max is not None else MAX_ID)
        if found is None:
            raise ValidationError()
        return found


def init_app(app: Flask) -> None:
    """Make every `<int:...>` route bounded; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter
