"""Marshmallow schemas for what /extract takes in and gives back.

Requests are validated by loading them; responses are serialised once, by dumping the
engine's result objects (plus `meta`) through `ExtractResponseSchema`. The field lists mirror
`service.extract.model` and `openapi.yaml`; the tests compare all three with real output.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

SOURCE_MAX_LENGTH = 255


def _not_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError("text is empty or only whitespace")


class ExtractRequestSchema(Schema):
    """JSON body of POST /extract."""

    class Meta:
        unknown = RAISE

    text = fields.String(required=True, validate=_not_blank)
    source = fields.String(allow_none=True, load_default=None,
                           validate=validate.Length(max=SOURCE_MAX_LENGTH))


class SpanSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class ItemSchema(Schema):
    id = fields.String()
    number = fields.Integer()
    title = fields.String()
    section = fields.String(allow_none=True)
    span = fields.Nested(SpanSchema)
    responsible_units = fields.List(fields.String())
    responsible_leaders = fields.List(fields.String())


class DocumentSchema(Schema):
    index = fields.Integer()
    title = fields.String(allow_none=True)
    issuer = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    doc_number = fields.String(allow_none=True)
    span = fields.Nested(SpanSchema)
    items = fields.List(fields.Nested(ItemSchema))


class ItemRefSchema(Schema):
    id = fields.String()
    number = fields.Integer()
    title = fields.String()


class MeasureSchema(Schema):
    """The fields a target and a result share (`service.extract.model.Measure`)."""
    id = fields.String()
    document = fields.Integer()
    item = fields.Nested(ItemRefSchema, allow_none=True)
    section = fields.String(allow_none=True)
    text = fields.String()
    span = fields.Nested(SpanSchema)
    raw = fields.String()
    value = fields.Float(allow_none=True)
    low = fields.Float(allow_none=True)
    high = fields.Float(allow_none=True)
    unit = fields.String()
    currency = fields.String(allow_none=True)
    category = fields.String()
    comparator = fields.String()
    direction = fields.String(allow_none=True)
    per = fields.String(allow_none=True)
    metric = fields.String(allow_none=True)
    # responsible_units and responsible_leaders come last, after each kind's own fields, in the
    # order of the engine's `to_dict` (the response is that dict; this schema describes it).


class BaselineSchema(Schema):
    raw = fields.String()
    value = fields.Float(allow_none=True)


class TargetSchema(MeasureSchema):
    """A quantity the plan commits to."""
    deadline = fields.String(allow_none=True)
    baseline = fields.Nested(BaselineSchema, allow_none=True)
    responsible_units = fields.List(fields.String())
    responsible_leaders = fields.List(fields.String())


class ResultSchema(MeasureSchema):
    """A quantity the text reports as achieved; `target` is the id of a target beside it."""
    as_of = fields.String(allow_none=True)
    target = fields.String(allow_none=True)
    responsible_units = fields.List(fields.String())
    responsible_leaders = fields.List(fields.String())


class ExtractionSchema(Schema):
    """The engine's result, `Extraction.to_dict()` field for field."""

    documents = fields.List(fields.Nested(DocumentSchema))
    targets = fields.List(fields.Nested(TargetSchema))
    results = fields.List(fields.Nested(ResultSchema))
    warnings = fields.List(fields.String())


class ExtractMetaSchema(Schema):
    version = fields.String()
    chars = fields.Integer()
    elapsed_ms = fields.Float()
    source = fields.String(allow_none=True)
    text = fields.String()  # only present with ?include_text=1


class ExtractResponseSchema(ExtractionSchema):
    meta = fields.Nested(ExtractMetaSchema)


class ProblemSchema(Schema):
    """RFC 9457 problem details, the body of every error response."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
