"""A live, threaded HTTP server on the test database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from .live import HttpClient
from .served import Gunicorn


@pytest.fixture
def live(app: Flask) -> Iterator[HttpClient]:
    """Serve the test app over HTTP on a free port, one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield HttpClient(server.server_port)
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def gunicorn(database_url: str, tmp_path: Path) -> Iterator[Gunicorn]:
    """Real gunicorn (2 workers x 8 threads) on the test database; started, stopped after."""
    server = Gunicorn(database_url, tmp_path)
    server.start()
    yield server
    server.close()
