"""The course engine. `create_app()` wires config, content, database, web and cli; nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(
    test_config: Mapping[str, Any] | None = None, instance_path: Path | None = None
) -> Flask:
    """Build the Flask app from defaults, instance/config.py, the environment or a test mapping.

    `instance_path` defaults to the checkout's `instance/` folder.
    """
    # Imported here, not at the top, so that `python -m course.content` loads no web framework.
    from flask import Flask

    from . import cli, config, database
    from .content import glue
    from .web import init_app as init_web

    root = config.REPO_ROOT
    app = Flask(
        __name__,
        instance_path=str(instance_path or root / "instance"),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    instance = Path(app.instance_path)
    app.config.from_mapping(config.defaults(instance))
    if test_config is None:
        # An absolute path: a relative one would be read from the package (course/config.py).
        app.config.from_pyfile(instance / "config.py", silent=True)
        app.config.from_mapping(config.from_environment())
    else:
        app.config.from_mapping(test_config)
    app.config["SECRET_KEY"] = config.ensure_secret_key(dict(app.config), instance)
    config.check_production(dict(app.config))
    glue.init_app(app)  # the course, checked: the app refuses to start on a content error
    database.init_app(app)
    init_web(app)
    cli.init_app(app)
    return app
