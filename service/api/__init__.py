"""The HTTP service: `create_app()` builds the Flask app that gunicorn serves."""
from .app import create_app

__all__ = ["create_app"]
