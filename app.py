"""Entry point: `flask --app app run` and `gunicorn app:app`."""

import sys

from course import create_app
from course.content import ContentError

try:
    app = create_app()
except ContentError as error:
    # The course has errors: print them as `PATH:LINE: message` and refuse to start.
    print(error, file=sys.stderr)
    sys.exit(1)
