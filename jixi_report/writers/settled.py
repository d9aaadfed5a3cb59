"""What the PDF's layout decided that the Word file repeats.

Word paginates by itself, but four things it cannot know are decided where the pages are
laid out: the page each heading lands on (the contents' numbers), the rows at which a table
across pages is cut (each continuation a table of its own under 续表N), the lead-ins set on
their landscape page (a heading and its paragraphs that would otherwise stand nearly alone on
the portrait page before it) and whether the 版记's page is numbered (no blank page before
it). The PDF writer settles them part by part; the Word writer follows; the part cache keeps
the last build's so that Word can be written from them while the PDF is laid out (a guess
that holds only when all four are unchanged).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settled:
    pages: dict[str, int]  # heading id → printed page number
    # nth table of <main> → the body rows that start its continuation pages; 0 first: the
    # table starts a new page (it fits on one, and was set whole on the next)
    tables: dict[int, list[int]] = field(default_factory=dict)
    # nth landscape stretch of <main> → the blocks before it set on its first page
    leadins: dict[int, int] = field(default_factory=dict)
    # the printed number of the 版记's page, None where it has none (a blank page before it)
    back: int | None = None

    def to_json(self) -> bytes:
        record = {
            "pages": self.pages,
            "tables": sorted(self.tables.items()),
            "leadins": sorted(self.leadins.items()),
            "back": self.back,
        }
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_record(cls, record: Any) -> Settled | None:
        """A record as `to_json` wrote it, or None if it is not one (damaged, older)."""
        try:
            pages = {str(k): int(v) for k, v in record["pages"].items()}
            tables = {int(n): [int(r) for r in rows] for n, rows in record["tables"]}
            leadins = {int(n): int(k) for n, k in record["leadins"]}
            back = None if record.get("back") is None else int(record["back"])
        except (TypeError, ValueError, KeyError, AttributeError):
            return None
        return cls(pages, tables, leadins, back)
