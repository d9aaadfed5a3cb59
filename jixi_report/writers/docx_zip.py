"""Repeatable .docx files: fixed zip timestamps and core properties."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

_FIXED = (1980, 1, 1, 0, 0, 0)


def repeatable_zip(data: bytes) -> bytes:
    """Re-zip with every entry dated 1980-01-01, in the original order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def repeatable_docx(document: Any, when: dt.datetime | None = None) -> bytes:
    """The bytes of `document`, the same for the same input (python-docx stamps the time)."""
    when = when or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props = document.core_properties
    props.created = props.modified = when.replace(tzinfo=None)
    props.last_printed = props.created
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return repeatable_zip(buffer.getvalue())
