"""Entry point: `flask --app app run` and `gunicorn app:app`."""

import gc
import sys

from course import create_app
from course.content import ContentError

NOT_STARTED = (
    "The course has errors, so the app did not start. Mend them, then start again "
    "(`make check` checks the course alone):"
)

try:
    app = create_app()
except ContentError as error:
    # The course has errors: say so, print them as `PATH:LINE: message` and refuse to start.
    print(NOT_STARTED, error, sep="\n", file=sys.stderr)
    sys.exit(1)

# What start built (the course, templates, libraries) lives as long as the process: keep it out
# of the collector's passes, so collections stay short and, with --preload, workers do not copy
# the pages they share with the master.
gc.freeze()
