"""All settings the service reads from the environment, in one place.

`settings()` returns a plain dict whose keys are the Flask config keys the app,
the store and the web pages read (`current_app.config[...]`); `create_app(config)`
lets tests override any of them without touching the environment.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 120
DEFAULT_MAX_PAGES = 500
DEFAULT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
DEFAULT_CONVERT_SECONDS = 2.0
DEFAULT_CONVERT_MAX_SECONDS = 30.0
DEFAULT_OFFICE_SECONDS = 2.5
DEFAULT_CONVERT_MEMORY_MB = 768


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not 0 < value < 3600:
        raise ConfigError(f"{name} must be between 0 and 3600 seconds, got {value}")
    return value


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0, got {raw!r}")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(environ: Mapping[str, str]) -> str:
    level = (environ.get("LOG_LEVEL") or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return level


def default_workers() -> int:
    """Gunicorn's rule of thumb, (2 x cores) + 1: extraction is CPU-bound, the spare workers keep
    /healthz and small requests answered while long plans are being read."""
    return 2 * (os.cpu_count() or 1) + 1


def data_dir(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return os.path.abspath(environ.get("PLAN_TARGETS_DATA_DIR") or "./data")


def settings(environ: Mapping[str, str] | None = None) -> dict:
    """Read every PLAN_TARGETS_* (and DATABASE_URL, LOG_LEVEL) variable once."""
    environ = os.environ if environ is None else environ
    directory = data_dir(environ)
    keys = [k.strip() for k in environ.get("PLAN_TARGETS_API_KEYS", "").split(",") if k.strip()]
    return {
        # largest request body accepted, in bytes (JSON, plain text or an uploaded file)
        "MAX_BYTES": _int(environ, "PLAN_TARGETS_MAX_BYTES", DEFAULT_MAX_BYTES),
        # converting a file (PDF, .docx, HTML, .doc ...): text is bounded by MAX_BYTES characters;
        # pages, bytes unpacked out of a container, memory of the converter, and time: at most
        # CONVERT_SECONDS without progress (a PDF: per page), CONVERT_MAX_SECONDS in all
        "MAX_PAGES": _int(environ, "PLAN_TARGETS_MAX_PAGES", DEFAULT_MAX_PAGES),
        "MAX_UNPACKED_BYTES": _int(environ, "PLAN_TARGETS_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES),
        "CONVERT_SECONDS": _seconds(environ, "PLAN_TARGETS_CONVERT_SECONDS", DEFAULT_CONVERT_SECONDS),
        "CONVERT_MAX_SECONDS": _seconds(environ, "PLAN_TARGETS_CONVERT_MAX_SECONDS",
                                        DEFAULT_CONVERT_MAX_SECONDS),
        # LibreOffice (.doc, .wps, .rtf, .odt): each process keeps one warm, started at its first
        # office file (its start has a budget of its own; ~3 s) or, with OFFICE_PRESTART, by every
        # gunicorn worker as it starts (~170 MB each, and CPU at every recycled worker's start:
        # worth it where .doc files are common), and a conversion past OFFICE_SECONDS
        # kills it, answers 422 conversion-timeout and starts a fresh one in the background.
        # PLAN_TARGETS_OFFICE_PYTHON names the python with LibreOffice's `uno` module it runs
        # under (default /usr/bin/python3 when it has uno; `none`: no warm LibreOffice, each file
        # through a one-shot `soffice --convert-to` with a deadline of at least 10 s); it is read
        # once per process by service.sources.office, not through this dict.
        "OFFICE_SECONDS": _seconds(environ, "PLAN_TARGETS_OFFICE_SECONDS", DEFAULT_OFFICE_SECONDS),
        "OFFICE_PRESTART": _flag(environ, "PLAN_TARGETS_OFFICE_PRESTART", False),
        "CONVERT_MEMORY_MB": _int(environ, "PLAN_TARGETS_CONVERT_MEMORY_MB", DEFAULT_CONVERT_MEMORY_MB),
        # where SQLite databases and other local state live
        "DATA_DIR": directory,
        "DATABASE_URL": environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(directory, "plan-targets.db"),
        # keys accepted for write access; empty means the service is open
        "API_KEYS": keys,
        "LOG_LEVEL": _log_level(environ),
        # `plan-targets serve` defaults (the command-line options override them)
        "HOST": environ.get("PLAN_TARGETS_HOST") or DEFAULT_HOST,
        "PORT": _int(environ, "PLAN_TARGETS_PORT", DEFAULT_PORT),
        "WORKERS": _int(environ, "PLAN_TARGETS_WORKERS", default_workers()),
        "TIMEOUT": _int(environ, "PLAN_TARGETS_TIMEOUT", DEFAULT_TIMEOUT),
    }
