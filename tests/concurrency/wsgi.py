"""The app gunicorn serves in the live tests, built from the settings the test gives it."""

from __future__ import annotations

import json
import os

from course import create_app

app = create_app(json.loads(os.environ["TEST_APP_SETTINGS"]))
