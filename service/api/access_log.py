"""Gunicorn's access log as one JSON object per line, so log shippers need no parsing rules."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

from gunicorn.glogging import Logger


class JsonAccessLogger(Logger):
    """Gunicorn's logger with `access()` writing JSON instead of Apache's combined format."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        try:
            status = int(str(atoms["s"]).split()[0])
        except (TypeError, ValueError):
            status = None
        record = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "remote_addr": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or None,
            "status": status,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000.0, 3),
            "request_id": atoms.get("{x-request-id}o"),
            "user_agent": atoms["a"],
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never break a response
            self.error("cannot write access log line for %s %s", atoms["m"], atoms["U"])
