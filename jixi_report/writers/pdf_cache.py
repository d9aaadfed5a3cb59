"""Laid-out PDF parts on disk (build/.cache/pdf), keyed by everything that can change them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import pdf

CACHE_FORMAT = "1"
KEEP_BUILDS = 3  # an undo finds its parts


class Cache:
    """Laid-out parts on disk, keyed by everything that can change their pages."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: list[str] = []

    def key(self, html: str, css: str, images: list[str]) -> str:
        """Everything that can change a part's pages: its source, style and images' bytes."""
        digest = hashlib.sha256()
        for text in (CACHE_FORMAT, pdf.weasyprint_version(), pdf.stylesheet(), css, html):
            digest.update(text.encode("utf-8") + b"\0")
        for src in images:  # an image changed under the same name
            image = Path(unquote(urlparse(src).path))
            digest.update(image.read_bytes() if image.is_file() else b"?")
        return digest.hexdigest()[:32]

    def get(self, key: str) -> pdf.Part | None:
        self.used.append(key)
        if self.folder is None:
            return None
        meta, data = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if not (meta.is_file() and data.is_file()):
            return None
        fields = json.loads(meta.read_text(encoding="utf-8"))
        fields["links"] = [(i, tuple(r), t) for i, r, t in fields["links"]]
        fields["size"] = tuple(fields["size"])
        return pdf.Part(pdf=data.read_bytes(), **fields)

    def put(self, key: str, part: pdf.Part) -> None:
        self.used.append(key)
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.pdf").write_bytes(part.pdf)
        fields = {k: v for k, v in asdict(part).items() if k != "pdf"}
        (self.folder / f"{key}.json").write_text(json.dumps(fields), encoding="utf-8")

    def hint(self, stem: str) -> list[int]:
        """Page counts of the parts at the last build of `stem`: this build's first guess."""
        path = self.folder / f"{stem}.pages.json" if self.folder else None
        return json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else []

    def last_pages(self, stem: str) -> dict[str, int] | None:
        """Every heading's page at the last build: Word's contents can start from these."""
        path = self.folder / f"{stem}.anchors.json" if self.folder else None
        return json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None

    def finish(self, stem: str, counts: list[int], pages: dict[str, int]) -> None:
        """Remember the parts' page counts and the headings' pages; drop parts none of the
        last few builds used."""
        if self.folder is None:
            return
        (self.folder / f"{stem}.pages.json").write_text(json.dumps(counts), encoding="utf-8")
        (self.folder / f"{stem}.anchors.json").write_text(json.dumps(pages), encoding="utf-8")
        history = self.folder / f"{stem}.keys.json"
        builds = json.loads(history.read_text(encoding="utf-8")) if history.is_file() else []
        builds = [sorted(set(self.used)), *builds][:KEEP_BUILDS]  # an undo finds its parts
        history.write_text(json.dumps(builds), encoding="utf-8")
        keep = set()
        for keys in self.folder.glob("*.keys.json"):
            keep.update(k for build in json.loads(keys.read_text(encoding="utf-8")) for k in build)
        for path in self.folder.glob("*.pdf"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)
