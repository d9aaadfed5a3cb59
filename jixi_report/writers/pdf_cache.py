"""Laid-out PDF parts on disk (build/.cache/pdf), keyed by everything that can change them.

A cached part is trusted only when it is whole: its record carries a digest of the part's bytes
and of the record itself, so a truncated file, a part replaced by another PDF or an edited page
count is noticed, dropped with a warning and laid out anew. Entries are written as the outputs
are (whole or not at all), and a cache that cannot be written only costs speed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..base.errors import BuildError
from ..base.files import read_record, write_all
from ..render.tree import image_file
from . import pdf
from .font_files import installed
from .office_fonts import stamp
from .settled import Settled

# 3: parts without margin boxes, and their pages' names; 4: font stubs; 5: the tables' cuts;
# 6: the fonts' widths beside the PDF; 7: the lead-ins set on their landscape page; 8: 28 characters
# a line, lead-ins moved in several rounds counted whole; 9: no block ending on a line of one
# character (line_ends.py); 10: Chinese lines justified between characters (justify.py);
# 11: a table that fits on a page set whole on the next; 12: a short bracketed note kept whole;
# 13: a justified share at most a tenth of an em; 14: a figure and the character after it kept;
# 15: blocks of four characters or more, a figure alone at the end
CACHE_FORMAT = "15"
KEEP_BUILDS = 3  # an undo finds its parts


def _digest(data: bytes, fields: dict[str, Any]) -> str:
    record = json.dumps(fields, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data + b"\0" + record).hexdigest()


class Cache:
    """Laid-out parts on disk, keyed by everything that can change their pages."""

    def __init__(self, folder: Path | None, fonts: Path | None = None) -> None:
        self.folder = folder
        self.fonts = fonts  # the office's font folder: its faces change the style
        self.used: list[str] = []
        self.warnings: list[str] = []

    def key(self, html: str, css: str, images: list[str]) -> str:
        """Everything that can change a part's pages: its source, style and images' bytes, the
        fonts installed and the office's own (their files' names, sizes and times)."""
        digest = hashlib.sha256()
        fonts = f"{installed()}|{stamp(self.fonts)}"
        for text in (CACHE_FORMAT, pdf.weasyprint_version(), pdf.stylesheet(self.fonts), fonts):
            digest.update(text.encode("utf-8") + b"\0")
        for text in (css, html):
            digest.update(text.encode("utf-8") + b"\0")
        for src in images:  # an image changed under the same name
            image = image_file(src)
            digest.update(image.read_bytes() if image.is_file() else b"?")
        return digest.hexdigest()[:32]

    def get(self, key: str) -> pdf.Part | None:
        self.used.append(key)
        if self.folder is None:
            return None
        meta, data = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if not (meta.is_file() or data.is_file()):
            return None
        try:
            record = json.loads(meta.read_text(encoding="utf-8"))
            fields, check = record["fields"], record["check"]
            content = data.read_bytes()
            if _digest(content, fields) != check:
                raise ValueError("digest")
            fields["links"] = [(i, tuple(r), t) for i, r, t in fields["links"]]
            fields["size"] = tuple(fields["size"])
            fields["widths"] = {
                tag: {int(gid): w for gid, w in glyphs.items()}  # JSON keys are strings
                for tag, glyphs in fields["widths"].items()
            }
            fields["tables"] = [(int(n), [int(r) for r in rows]) for n, rows in fields["tables"]]
            fields["leadins"] = [(int(n), int(k)) for n, k in fields["leadins"]]
            return pdf.Part(pdf=content, **fields)
        except (OSError, ValueError, KeyError, TypeError):
            self.warnings.append(f"{data}: a damaged cached PDF part: laid out anew")
            meta.unlink(missing_ok=True)
            data.unlink(missing_ok=True)
            return None

    def put(self, key: str, part: pdf.Part) -> None:
        self.used.append(key)
        if self.folder is None:
            return
        fields = {k: v for k, v in asdict(part).items() if k != "pdf"}
        fields = json.loads(json.dumps(fields))  # as get() reads it back: glyph ids as strings
        record = {"fields": fields, "check": _digest(part.pdf, fields)}
        self._write(
            {
                self.folder / f"{key}.pdf": part.pdf,
                self.folder / f"{key}.json": json.dumps(record).encode("utf-8"),
            }
        )

    def _write(self, files: dict[Path, bytes]) -> None:
        """Write cache files; a cache that cannot be written is given up, with a warning."""
        if self.folder is None:
            return
        try:
            write_all(files)
        except BuildError as exc:
            self.warnings.append(f"{exc}: the PDF part cache is not used")
            self.folder = None

    def _json(self, name: str) -> Any:
        """A small record of the last builds, or None when it is missing or unreadable."""
        return read_record(self.folder / name) if self.folder else None

    def last_settled(self, stem: str) -> Settled | None:
        """What the last build's PDF settled (settled.py): Word can be written from it while
        the PDF is laid out."""
        record = self._json(f"{stem}.settled.json")
        return Settled.from_record(record) if record is not None else None

    def finish(self, stem: str, counts: list[int], settled: Settled) -> None:
        """Remember the parts' page counts and what the PDF settled; drop parts none of the
        last few builds used."""
        if self.folder is None:
            return
        builds = self._json(f"{stem}.keys.json")
        builds = builds if isinstance(builds, list) else []
        builds = [sorted(set(self.used)), *builds][:KEEP_BUILDS]
        self._write(
            {
                self.folder / f"{stem}.pages.json": json.dumps(counts).encode("utf-8"),
                self.folder / f"{stem}.settled.json": settled.to_json(),
                self.folder / f"{stem}.keys.json": json.dumps(builds).encode("utf-8"),
            }
        )
        if self.folder is None:
            return
        keep = set()
        for keys in self.folder.glob("*.keys.json"):
            found = self._json(keys.name)
            if isinstance(found, list):
                keep.update(k for build in found if isinstance(build, list) for k in build)
        for path in self.folder.glob("*.pdf"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)
