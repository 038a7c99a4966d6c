"""Read the plan text out of a request, whatever form it came in.

`read_plan(request)` accepts the forms of POST /extract (JSON, plain text, a multipart upload, or
a file sent as the body with its own media type: PDF, .docx, HTML, .doc ...), enforces the size
limit and converts bytes with `service.sources`, so that every route taking a plan (extraction,
ingestion, the review page) rejects bad input alike, as a `Problem`.
"""
from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from types import MappingProxyType

from flask import Request, current_app, json
from marshmallow import ValidationError
from werkzeug.exceptions import ClientDisconnected
from werkzeug.http import parse_options_header

from .. import sources
from ..sources import SourceError, UndecodableText, decode_text
from .errors import Problem, too_large
from .schemas import SOURCE_MAX_LENGTH, ExtractRequestSchema

ACCEPTED_MEDIA_TYPES = ("application/json", "text/plain", "multipart/form-data",
                        *(m for m in sources.MEDIA_TYPES if m != "text/plain"))

_request_schema = ExtractRequestSchema()

#: A plan request is one flat object; nothing legitimate nests deeper than this.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[][{}]")


@dataclass(frozen=True)
class PlanInput:
    """The plan as received (offsets in results refer to `text`) and an optional source name.

    `file` holds what a converted file was (filename, media type, pages, sha256 of its bytes) and
    `page_starts` where its pages begin in `text`; both are None for text sent as text.
    """
    text: str
    source: str | None
    file: dict | None = None
    page_starts: tuple[int, ...] | None = None


def conversion_limits() -> sources.Limits:
    return sources.Limits.from_settings(current_app.config)


def source_problem(exc: SourceError) -> Problem:
    return Problem(exc.status, exc.title, f"{str(exc)[:1].upper()}{str(exc)[1:]}.", type=exc.slug)


def converted_plan(data: bytes, filename: str | None, media_type: str | None,
                   source: str | None, charset: str | None = None) -> PlanInput:
    """Convert a file's bytes to plan text; plain text stays text (no `file` facts)."""
    try:
        found = sources.format_for(filename, media_type)
        converted = sources.convert(data, filename=filename, media_type=media_type, charset=charset,
                                    limits=conversion_limits())
    except SourceError as exc:
        raise source_problem(exc) from None
    what = f"file {filename!r}" if filename else "file"
    # A file that holds no text is there but unusable: 422, where an empty text field is a 400.
    text = _checked_text(converted.text, what, empty_status=422)
    if found.name == "text":
        return PlanInput(text, _source_name(source))
    facts = {"filename": filename or None, "media_type": converted.media_type,
             "pages": converted.pages, "sha256": sources.sha256(data)}
    return PlanInput(text, _source_name(source), facts, converted.page_starts)


def unproxied(request: Request) -> Request:
    """The request itself behind Flask's `request` proxy, through which every attribute read
    costs a context-variable lookup (a dozen of them here)."""
    unwrap = getattr(request, "_get_current_object", None)
    return unwrap() if unwrap is not None else request


@functools.lru_cache(maxsize=64)
def _parsed_content_type(header: str) -> tuple[str, MappingProxyType]:
    value, params = parse_options_header(header)
    return value.lower(), MappingProxyType(params)


def content_type(request: Request) -> tuple[str, MappingProxyType]:
    """(media type, parameters) of the request's Content-Type, as werkzeug parses it; clients
    send the same few headers, so each is parsed once per worker."""
    return _parsed_content_type(request.environ.get("CONTENT_TYPE", ""))


def query_parameter(request: Request, name: str) -> str | None:
    """The first value of a query parameter, or None, without parsing an empty query string;
    and without werkzeug's `args.get`, which raises and catches an exception for every absent
    parameter, the common case on the extraction path."""
    if not request.environ.get("QUERY_STRING"):
        return None
    args = request.args
    return args[name] if name in args else None


def max_bytes() -> int:
    return current_app.config["MAX_BYTES"]


def no_text(detail: str, status: int = 400) -> Problem:
    return Problem(status, "No plan text", detail, type="no-text")


def _check_size(request: Request) -> None:
    size = request.content_length
    if size is not None and size > max_bytes():
        raise too_large(size)


def _body(request: Request, keep: bool = False) -> bytes:
    """The whole body, read once; `keep` caches it in the request (multipart parsing reads it).

    A body of declared length (checked against the limit already) is read straight from the
    WSGI input: werkzeug's stream wrappers cost a fifth of a small plan's extraction. A body
    shorter than declared (the client went away) is refused as werkzeug refuses it. A chunked
    body has no Content-Length to check first: Werkzeug stops reading it at MAX_CONTENT_LENGTH,
    one byte past our limit (see create_app), which shows it is too large.
    """
    length = request.content_length
    if length is not None and not keep:
        data = request.environ["wsgi.input"].read(length)
        if len(data) < length:
            raise ClientDisconnected()
        return data
    data = request.get_data(cache=True, parse_form_data=False)
    if len(data) > max_bytes():
        raise too_large(len(data) if length is not None else None)
    return data


def _checked_text(text: str, what: str, empty_status: int = 400) -> str:
    if not text.strip():
        raise no_text(f"The {what} is empty or only whitespace.", empty_status)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(422, "Undecodable text", f"The {what} contains an unpaired surrogate.",
                      type="undecodable-text") from None
    return text


def _source_name(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if "\x00" in value:
        raise Problem(400, "Invalid request", "source: contains a NUL character.",
                      type="invalid-request")
    if len(value) > SOURCE_MAX_LENGTH:
        raise Problem(400, "Invalid request", f"source: longer than {SOURCE_MAX_LENGTH} characters.",
                      type="invalid-request")
    return value


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (strings skipped), in linear time, so
    that a body nested thousands deep is refused before a recursive parser sees it."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", data)):
        if bracket in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _from_json(request: Request, query_source: str | None) -> PlanInput:
    data = _body(request)
    openings = data.count(b"[") + data.count(b"{")  # the usual request has one: no scan
    if openings > MAX_JSON_DEPTH and json_depth(data) > MAX_JSON_DEPTH:
        raise Problem(400, "Malformed JSON",
                      f"The body nests arrays or objects deeper than {MAX_JSON_DEPTH} levels.",
                      type="malformed-json")
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
    return PlanInput(_checked_text(loaded["text"], "text"),
                     _source_name(loaded["source"]) or _source_name(query_source))


def _describe(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{field}: {' '.join(map(str, errs)) if isinstance(errs, list) else errs}"
                         for field, errs in messages.items())
    return str(messages)


def _from_plain_text(request: Request, charset: str | None, query_source: str | None) -> PlanInput:
    data = _body(request)
    if charset is None:
        text = _decode(data, decode_text)
    else:
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            raise Problem(415, "Unsupported Media Type", f"Unknown charset {charset!r}; send UTF-8.",
                          type="unsupported-media-type") from None
        text = _decode(data, lambda raw: _strict_decode(raw, codec.name))
    return PlanInput(_checked_text(text, "body"), _source_name(query_source))


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


def _from_upload(request: Request, query_source: str | None) -> PlanInput:
    _body(request, keep=True)  # size check; the form is then parsed from the cached body
    upload = request.files.get("file")
    if upload is None:
        raise no_text("The multipart form has no `file` field.")
    data = upload.read()
    if len(data) > max_bytes():
        raise too_large(len(data))
    filename = upload.filename or ""
    media_type = upload.mimetype if upload.mimetype != "application/octet-stream" else None
    source = request.form.get("source") or query_source or filename or None
    return converted_plan(data, filename, media_type, source,
                          upload.mimetype_params.get("charset"))


def _from_file_body(request: Request, mimetype: str, charset: str | None,
                    query_source: str | None) -> PlanInput:
    """A file sent as the whole body, its format named by the Content-Type."""
    data = _body(request)
    return converted_plan(data, None, mimetype, query_source, charset)


def read_plan(request: Request) -> PlanInput:
    """The plan text and source name of a request; raises `Problem` (400, 413, 415, 422)."""
    request = unproxied(request)
    _check_size(request)
    query_source = query_parameter(request, "source")
    _source_name(query_source)  # `?source=` is checked whatever the body's form
    mimetype, params = content_type(request)
    if mimetype == "application/json":
        return _from_json(request, query_source)
    if mimetype == "text/plain":
        return _from_plain_text(request, params.get("charset"), query_source)
    if mimetype == "multipart/form-data":
        return _from_upload(request, query_source)
    if mimetype in sources.MEDIA_TYPES:
        return _from_file_body(request, mimetype, params.get("charset"), query_source)
    said = f"Content-Type {mimetype!r}" if mimetype else "A body without a Content-Type"
    raise Problem(415, "Unsupported Media Type",
                  f"{said} is not accepted; send one of {', '.join(ACCEPTED_MEDIA_TYPES)}.",
                  type="unsupported-media-type")
