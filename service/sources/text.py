"""Plain text files: UTF-8 (with or without BOM), else GB18030, the usual encoding of government files."""
from __future__ import annotations

from .base import Converted, Limits, UndecodableText

MEDIA_TYPE = "text/plain"


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UndecodableText(
                f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not GB18030"
            ) from None


def convert(data: bytes, limits: Limits) -> Converted:
    return Converted(decode_text(data), MEDIA_TYPE)
