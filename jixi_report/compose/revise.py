"""A revised draft against its base: the new plan's blocks with every difference marked.

Blocks are matched in document order, by kind and text (a heading or paragraph that changed a
little is the same block, changed; one that changed beyond recognition is deleted and
inserted). A changed text carries its character changes; a block only the new plan has is
marked inserted; a block only the base has is put back where it stood, marked deleted and
without its id (it is not a heading the contents or links may point to). Templates render the
marks as <ins>/<del>; the Word writer turns them into tracked changes.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from ..base.textdiff import char_diff, similarity
from .blocks import Node, Table
from .revise_tables import merge_tables

_SIMILAR = 0.5  # a changed paragraph or heading still shares half its characters


def mark_revisions(old: list[Node], new: list[Node]) -> list[Node]:
    """`new` with its differences from `old` marked, deleted blocks included."""
    out: list[Node] = []
    matcher = SequenceMatcher(None, [_key(n) for n in old], [_key(n) for n in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [_pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
            continue
        for a, b in _align(old[i1:i2], new[j1:j2]):
            if a is None:
                out.append(_whole(b, "ins"))  # type: ignore[arg-type]
            elif b is None:
                out.append(_whole(a, "del"))
            else:
                out.append(_pair(a, b))
    return out


def _key(n: Node) -> tuple[object, ...]:
    if n.kind == "table":
        return ("table", n.cls, n.table.number, n.table.caption)
    return (n.kind, n.level, n.number, n.lead, n.text)


def _alike(a: Node, b: Node) -> bool:
    if a.kind != b.kind or a.level != b.level:
        return False
    if a.kind == "table":
        return a.cls == b.cls
    return similarity((a.lead or "") + a.text, (b.lead or "") + b.text) >= _SIMILAR


def _align(old: list[Node], new: list[Node]) -> list[tuple[Node | None, Node | None]]:
    """Changed stretch: pairs in document order; an old block with no like new one is deleted."""
    pairs: list[tuple[Node | None, Node | None]] = []
    i = 0
    for b in new:
        k = next((k for k in range(i, len(old)) if _alike(old[k], b)), None)
        if k is None:
            pairs.append((None, b))
            continue
        pairs += [(a, None) for a in old[i:k]]
        pairs.append((old[k], b))
        i = k + 1
    pairs += [(a, None) for a in old[i:]]
    return pairs


def _parts(old: str | None, new: str | None) -> list[tuple[str, str]] | None:
    return char_diff(old or "", new or "") if (old or "") != (new or "") else None


def _pair(a: Node, b: Node) -> Node:
    """The same block in both: its text's changes, and those of what it holds."""
    if b.kind == "table":
        return replace(b, table=merge_tables(a.table, b.table))
    lead_parts = _parts(a.lead, b.lead)
    if lead_parts and not b.lead:  # a lead sentence dropped: show it deleted, before the text
        b = replace(b, lead=a.lead)
    return replace(
        b,
        parts=_parts(a.text, b.text),
        lead_parts=lead_parts,
        body=mark_revisions(a.body, b.body) if b.body or a.body else [],
        derived=b.kind == "p" and a.source == b.source,  # same words, a computed figure moved
    )


def _whole(n: Node, change: str) -> Node:
    """A block inserted or deleted as a whole, with all it holds."""
    body = [_whole(child, change) for child in n.body]
    table = n.table
    if isinstance(table, Table):
        table = replace(table, marks={m: change for m in range(len(table.body))})
    return replace(n, change=change, body=body, table=table, id="" if change == "del" else n.id)
