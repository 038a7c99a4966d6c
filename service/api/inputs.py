"""Read the plan text out of a request, whatever form it came in.

`read_plan(request)` accepts the three forms of POST /extract (JSON, plain text, a multipart
upload), enforces the size limit and decodes bytes with `service.sources`, so that every route
taking a plan (extraction, ingestion) rejects bad input alike, as a `Problem`.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

from flask import Request, current_app, json
from marshmallow import ValidationError

from ..sources import UndecodableText, UnsupportedFileType, decode_text, file_text
from .errors import Problem, too_large
from .schemas import SOURCE_MAX_LENGTH, ExtractRequestSchema

ACCEPTED_MEDIA_TYPES = ("application/json", "text/plain", "multipart/form-data")

_request_schema = ExtractRequestSchema()


@dataclass(frozen=True)
class PlanInput:
    """The plan as received (offsets in results refer to `text`) and an optional source name."""
    text: str
    source: str | None


def max_bytes() -> int:
    return current_app.config["MAX_BYTES"]


def no_text(detail: str) -> Problem:
    return Problem(400, "No plan text", detail, type="no-text")


def _check_size(request: Request) -> None:
    size = request.content_length
    if size is not None and size > max_bytes():
        raise too_large(size)


def _body(request: Request) -> bytes:
    """The whole body, read once and cached (multipart parsing then reads the cache).

    A chunked body has no Content-Length to check first: Werkzeug stops reading it at
    MAX_CONTENT_LENGTH, one byte past our limit (see create_app), which shows it is too large.
    """
    data = request.get_data(cache=True, parse_form_data=False)
    if len(data) > max_bytes():
        raise too_large(len(data) if request.content_length is not None else None)
    return data


def _checked_text(text: str, what: str) -> str:
    if not text.strip():
        raise no_text(f"The {what} is empty or only whitespace.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(422, "Undecodable text", f"The {what} contains an unpaired surrogate.",
                      type="undecodable-text") from None
    return text


def _source_name(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > SOURCE_MAX_LENGTH:
        raise Problem(400, "Invalid request", f"source: longer than {SOURCE_MAX_LENGTH} characters.",
                      type="invalid-request")
    return value


def _from_json(request: Request) -> PlanInput:
    data = _body(request)
    try:
        document = json.loads(data)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise Problem(400, "Malformed JSON", f"The body is not valid JSON: {exc}.",
                      type="malformed-json") from None
    try:
        loaded = _request_schema.load(document)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        if isinstance(messages, dict) and "text" in messages:
            raise no_text("text: " + "; ".join(map(str, messages["text"]))) from None
        raise Problem(400, "Invalid request", _describe(messages), type="invalid-request") from None
    return PlanInput(_checked_text(loaded["text"], "text"), _source_name(loaded["source"]))


def _describe(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{field}: {' '.join(map(str, errs)) if isinstance(errs, list) else errs}"
                         for field, errs in messages.items())
    return str(messages)


def _from_plain_text(request: Request) -> PlanInput:
    data = _body(request)
    charset = request.mimetype_params.get("charset")
    if charset is None:
        text = _decode(data, decode_text)
    else:
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            raise Problem(415, "Unsupported Media Type", f"Unknown charset {charset!r}; send UTF-8.",
                          type="unsupported-media-type") from None
        text = _decode(data, lambda raw: _strict_decode(raw, codec.name))
    return PlanInput(_checked_text(text, "body"), _source_name(request.args.get("source")))


def _strict_decode(data: bytes, codec: str) -> str:
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UndecodableText(f"not valid {codec} (invalid byte at offset {exc.start})") from None


def _decode(data: bytes, decoder) -> str:
    try:
        return decoder(data)
    except UndecodableText as exc:
        raise Problem(422, "Undecodable text", f"The text is {exc}.", type="undecodable-text") from None


def _from_upload(request: Request) -> PlanInput:
    _body(request)  # size check; the form is then parsed from the cached body
    upload = request.files.get("file")
    if upload is None:
        raise no_text("The multipart form has no `file` field.")
    data = upload.read()
    if len(data) > max_bytes():
        raise too_large(len(data))
    filename = upload.filename or ""
    try:
        text = _decode(data, lambda raw: file_text(filename, raw))
    except UnsupportedFileType as exc:
        raise Problem(415, "Unsupported file type", f"{exc}.", type="unsupported-file-type") from None
    source = request.form.get("source") or filename or None
    return PlanInput(_checked_text(text, f"file {filename!r}" if filename else "file"),
                     _source_name(source))


def read_plan(request: Request) -> PlanInput:
    """The plan text and source name of a request; raises `Problem` (400, 413, 415, 422)."""
    _check_size(request)
    mimetype = request.mimetype
    if mimetype == "application/json":
        return _from_json(request)
    if mimetype == "text/plain":
        return _from_plain_text(request)
    if mimetype == "multipart/form-data":
        return _from_upload(request)
    said = f"Content-Type {mimetype!r}" if mimetype else "A body without a Content-Type"
    raise Problem(415, "Unsupported Media Type",
                  f"{said} is not accepted; send one of {', '.join(ACCEPTED_MEDIA_TYPES)}.",
                  type="unsupported-media-type")
