"""Authored content: files in, validated immutable objects out (no Flask, no SQLAlchemy)."""

from .errors import ContentError, Problem, Severity
from .loader import load_course, load_course_or_raise

__all__ = ["ContentError", "Problem", "Severity", "load_course", "load_course_or_raise"]
