"""A readable text dump of the document tree: what the golden tests compare, line by line."""

from __future__ import annotations

from .tree import Block, Document, Figure, Para, Region, Table


def dump(doc: Document) -> str:
    """A readable text dump of the node tree, for golden tests."""
    lines: list[str] = []

    def walk(blocks: list[Block], depth: int) -> None:
        pad = "  " * depth
        for b in blocks:
            if isinstance(b, Region):
                lines.append(f"{pad}[{b.kind}]")
                walk(b.children, depth + 1)
            elif isinstance(b, Para):
                tag = f"h{b.level}" if b.level else "p"
                cls = f".{b.cls}" if b.cls else ""
                first = b.runs[0] if b.runs else None
                # a bold lead sentence, a run-in heading
                lead = "**" if first and first.bold else "~~" if first and first.heading else ""
                lines.append(f"{pad}{tag}{cls} {lead}{b.text}")
            elif isinstance(b, Table):
                cap = b.caption.text if b.caption else ""
                lines.append(f"{pad}table.{b.cls.replace(' ', '.')} {cap}")
                for row in b.rows:
                    cells = " | ".join(
                        c.text
                        + (f" ^{c.rowspan}" if c.rowspan > 1 else "")
                        + (f" >{c.colspan}" if c.colspan > 1 else "")
                        for c in row.cells
                    )
                    lines.append(f"{pad}  {'H' if row.header else '-'} {cells}")
            elif isinstance(b, Figure):
                name = b.src.rsplit("/", 1)[-1] if b.src else "(missing)"  # not the machine's path
                lines.append(f"{pad}figure {name} {b.caption.text}")

    walk(doc.body, 0)
    return "\n".join(lines) + "\n"
