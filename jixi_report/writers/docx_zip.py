"""Repeatable .docx files: fixed zip timestamps and core properties, zipped in one pass."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_FIXED = (1980, 1, 1, 0, 0, 0)


class _RepeatableZip:
    """Writes a package's parts as python-docx's zip writer does, each entry dated
    1980-01-01 and readable by all (python-docx stamps the time of writing)."""

    def __init__(self, pkg_file: Any) -> None:
        self._zip = zipfile.ZipFile(pkg_file, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self._zip.writestr(entry, blob)

    def close(self) -> None:
        self._zip.close()


_WRITER = threading.Lock()  # the preview may write two Word files at once


@contextmanager
def _zipped_repeatably() -> Iterator[None]:
    """python-docx's package writer with `_RepeatableZip` as its zip: the parts deflated
    once, not deflated, read back and deflated again to re-date them (a sixth of writing
    the report's Word file, its charts' pictures most of it)."""
    from docx.opc import pkgwriter

    with _WRITER:
        own = pkgwriter.PhysPkgWriter
        pkgwriter.PhysPkgWriter = _RepeatableZip  # type: ignore[misc,assignment]
        try:
            yield
        finally:
            pkgwriter.PhysPkgWriter = own  # type: ignore[misc]


def repeatable_docx(document: Any, when: dt.datetime | None = None) -> bytes:
    """The bytes of `document`, the same for the same input (python-docx stamps the time)."""
    when = when or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props = document.core_properties
    props.created = props.modified = when.replace(tzinfo=None)
    props.last_printed = props.created
    props.revision = 1
    buffer = io.BytesIO()
    with _zipped_repeatably():
        document.save(buffer)
    return buffer.getvalue()
