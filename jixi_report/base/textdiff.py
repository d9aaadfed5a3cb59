"""Differences between two texts, character by character (Chinese has no spaces to split on),
a number counting as one piece: 30,000 → 32,000 reads as one replacement, not 3[0→2],000."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_PIECE = re.compile(r"[0-9０-９][0-9０-９,，.．]*[0-9０-９]|.", re.S)

Parts = list[tuple[str, str]]  # (op, text): "=" kept, "-" deleted, "+" inserted


def char_diff(old: str, new: str) -> Parts:
    """`old` → `new` as pieces; a deletion comes before the insertion that replaces it."""
    a, b = _PIECE.findall(old), _PIECE.findall(new)
    parts: Parts = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(b[j1:j2])))
    return _absorb(parts)


def _absorb(parts: Parts) -> Parts:
    """Fold a kept piece of one character between two changes into them: 提高到 → 降低至 reads
    as one replacement, not three."""
    out: Parts = []
    for i, (op, text) in enumerate(parts):
        changed_around = 0 < i < len(parts) - 1 and parts[i - 1][0] != "=" != parts[i + 1][0]
        if op == "=" and len(text) == 1 and changed_around:
            out += [("-", text), ("+", text)]
        else:
            out.append((op, text))
    merged: Parts = []  # join neighbours of one kind, keeping deletions before insertions
    for op, text in out:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return _order(merged)


def _order(parts: Parts) -> Parts:
    """Within each run of changes, all that is deleted first, then all that is inserted."""
    out: Parts = []
    i = 0
    while i < len(parts):
        if parts[i][0] == "=":
            out.append(parts[i])
            i += 1
            continue
        j = i
        while j < len(parts) and parts[j][0] != "=":
            j += 1
        deleted = "".join(t for op, t in parts[i:j] if op == "-")
        inserted = "".join(t for op, t in parts[i:j] if op == "+")
        out += [p for p in (("-", deleted), ("+", inserted)) if p[1]]
        i = j
    return out


def old_text(parts: Parts) -> str:
    return "".join(t for op, t in parts if op != "+")


def new_text(parts: Parts) -> str:
    return "".join(t for op, t in parts if op != "-")


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) … 1 (equal)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a or b else 1.0
