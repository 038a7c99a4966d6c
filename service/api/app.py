"""The Flask application factory: configuration, blueprints, central error handling."""
from __future__ import annotations

import logging

from flask import Flask

from .. import config as service_config
from .errors import register_error_handlers


def _blueprints():
    """Every area of the service, one blueprint each; add a line here to mount a new one."""
    from .routes import bp as extraction
    from ..web.routes import bp as review_page
    from ..store.routes import bp as store
    from ..progress.routes import bp as progress
    from ..web.dashboard import bp as dashboard_page
    return [
        extraction,  # POST /extract, GET /healthz, GET /openapi.yaml
        review_page,  # GET /, POST /ui/review*, /ui/documents pages, /ui/static/
        store,  # /documents, /targets (JSON or CSV), /summary
        progress,  # GET /progress (JSON or CSV); /summary?kind=progress goes through the store's
        dashboard_page,  # GET /ui/dashboard
    ]


def _configure_logging(level: str) -> None:
    """Send the service's own log lines (errors with request ids) to stderr beside gunicorn's."""
    logger = logging.getLogger("service")
    logger.setLevel(level)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment (`service.config.settings()`), then `config` overrides."""
    app = Flask(__name__)
    app.config.update(service_config.settings())
    if config:
        app.config.update(config)
    # Werkzeug stops reading a body past this size, also a chunked one sent without Content-Length;
    # one byte more than allowed, so that `read_plan` can tell a body over the limit from one at it.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BYTES"] + 1
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_BYTES"]
    app.json.ensure_ascii = False  # Chinese text stays readable in responses
    app.json.sort_keys = False
    _configure_logging(app.config["LOG_LEVEL"])
    register_error_handlers(app)
    from ..web import i18n
    i18n.init_app(app)  # the web pages' language (Chinese by default); the API stays English
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    return app
