"""Every error leaves the service as `application/problem+json` (RFC 9457), from one place.

Routes raise `Problem(status, title, detail)`; Werkzeug's HTTP errors (404, 405, 413, ...) and
any uncaught exception are turned into the same shape here, app-wide, so every blueprint
inherits them. Each error is logged with the request id (`X-Request-ID`, echoed back); a stack
trace goes to the log only, never to the client.
"""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, current_app, g, has_request_context, json, request
from werkzeug.exceptions import HTTPException

from .schemas import ProblemSchema

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:plan-targets:problem:"
REQUEST_ID_HEADER = "X-Request-ID"

log = logging.getLogger("service.api")

# A client-supplied request id is echoed back only if it is a short printable token.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")

_problem_schema = ProblemSchema()


def problem_type(slug: str) -> str:
    """The `type` URI of one of our own problems, e.g. `urn:plan-targets:problem:no-text`."""
    return PROBLEM_TYPE_PREFIX + slug


class Problem(Exception):
    """An error a client can act on; raised anywhere in a request, answered as problem+json.

    `type` defaults to `about:blank`, which RFC 9457 reserves for problems that mean no more
    than their HTTP status; give a slug (see `problem_type`) or a URI for anything more specific.
    """

    def __init__(self, status: int, title: str, detail: str, type: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        if type is None:
            self.type = "about:blank"
        elif ":" in type:
            self.type = type
        else:
            self.type = problem_type(type)
        self.headers = headers or {}

    def to_dict(self) -> dict:
        return _problem_schema.dump(self)


def too_large(size: int | None = None) -> Problem:
    """413 for a body over PLAN_TARGETS_MAX_BYTES, whether we or Werkzeug noticed it."""
    limit = current_app.config["MAX_BYTES"]
    said = f"The request body is {size} bytes; " if size else "The request body is over the limit; "
    return Problem(413, "Payload Too Large",
                   said + f"the limit is {limit} bytes (PLAN_TARGETS_MAX_BYTES).", type="too-large")


def request_id() -> str:
    """The id of the current request: the client's `X-Request-ID` if usable, else a new one."""
    if not has_request_context():
        return "-"
    rid = g.get("request_id")
    if rid is None:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        rid = supplied if _CLIENT_REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        g.request_id = rid
    return rid


def problem_response(problem: Problem) -> Response:
    body = json.dumps(problem.to_dict(), ensure_ascii=False)
    response = Response(body, status=problem.status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


def _log_problem(problem: Problem) -> None:
    level = logging.ERROR if problem.status >= 500 else logging.WARNING
    log.log(level, "request_id=%s %s %s -> %d %s: %s", request_id(), request.method,
            request.path, problem.status, problem.title, problem.detail)


def _handle_problem(problem: Problem) -> Response:
    _log_problem(problem)
    return problem_response(problem)


def _handle_http_exception(exc: HTTPException) -> Response:
    if exc.code == 413:  # Werkzeug's own limit check (MAX_CONTENT_LENGTH), e.g. in form parsing
        return _handle_problem(too_large())
    headers = {}
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    problem = Problem(exc.code or 500, exc.name, exc.description or exc.name, headers=headers)
    return _handle_problem(problem)


def _handle_unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):  # Flask routes these here when no specific handler matched
        return _handle_http_exception(exc)
    rid = request_id()
    log.exception("request_id=%s %s %s -> 500 unhandled %s", rid, request.method, request.path,
                  exc.__class__.__name__)
    problem = Problem(500, "Internal Server Error",
                      f"The server could not complete the request; quote request id {rid} when reporting it.")
    return problem_response(problem)


def _assign_request_id() -> None:
    request_id()  # before_request: must return None, or Flask would take it as the response


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the problem+json handlers and the request-id echo for the whole app."""
    app.register_error_handler(Problem, _handle_problem)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)
