"""The HTTP service: `create_app()` builds the Flask app that gunicorn serves.

Flask is imported only when the app is asked for (PEP 562 `__getattr__`), so that the command
line can register `serve` from `service.api.server` without paying for Flask."""


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["create_app"]
