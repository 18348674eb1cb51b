"""Access to the loaded course from views and templates."""

from course.content.glue import current_course as course

__all__ = ["course"]
