"""Serve Ralph's LRS API on 127.0.0.1:PORT with its file backend, for the forwarding test.

Run with the Python of `.venv-ralph` (Ralph has dependencies of its own). Ralph 5.1's file
backend writes each batch with the "create" operation, which refuses a file that already
exists, so only the first batch would ever be stored; here it appends instead. Everything else,
validation of every statement included, is Ralph's own.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (reads its settings when imported)

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
