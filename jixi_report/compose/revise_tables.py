"""A table of a revised draft against the same table of its base, merges kept.

Rows are matched by what they are about (`Table.keys`: an indicator id, a project's name), or by
their text where a table has no keys. A matched row's changed cells carry their character
changes; a new row is marked inserted; a row only the base has is put back where it stood,
marked deleted. Merged cells (a 领域 spanning its indicators) are kept: a span that runs across a
deleted row is stretched over it, so that Word's grid and the HTML table stay whole.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from ..base.textdiff import char_diff, similarity
from .blocks import Cell, Table

Grid = list[list[tuple[int, int] | None]]  # (row, column) → (origin row, index in that row)


def _place(rows: list[list[Cell]]) -> tuple[Grid, int]:
    """Where every cell of `rows` stands on the column grid, spans included."""
    taken: dict[tuple[int, int], tuple[int, int]] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for i, cell in enumerate(row):
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = (r, i)
            c += cell.colspan
            width = max(width, c)
    grid: Grid = [[taken.get((r, c)) for c in range(width)] for r in range(len(rows))]
    return grid, width


def grid_texts(rows: list[list[Cell]]) -> list[list[str]]:
    """Each row as the text of every column (a merged cell's text in each column it covers)."""
    grid, _ = _place(rows)
    return [[rows[o[0]][o[1]].text if o else "" for o in line] for line in grid]


def cell_columns(rows: list[list[Cell]]) -> list[list[int]]:
    """The first column of every cell, row by row."""
    grid, width = _place(rows)
    out: list[list[int]] = [[0] * len(row) for row in rows]
    for r, line in enumerate(grid):
        for c in range(width):
            origin = line[c]
            if origin is not None and origin[0] == r and (c == 0 or line[c - 1] != origin):
                out[r][origin[1]] = c
    return out


def _match(old: Table, new: Table) -> list[tuple[int | None, int | None]]:
    """Body rows in merged order: (old, new) when matched, (old, None) deleted, (None, new)."""
    old_keys = old.keys or ["|".join(t) for t in grid_texts(old.body)]
    new_keys = new.keys or ["|".join(t) for t in grid_texts(new.body)]
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
            continue
        keyed = bool(old.keys and new.keys)
        i = i1
        for j in range(j1, j2):  # unkeyed rows: a similar row in order is the same row changed
            k = next(
                (
                    k
                    for k in range(i, i2)
                    if not keyed and similarity(old_keys[k], new_keys[j]) > 0.6
                ),
                None,
            )
            if k is None:
                pairs.append((None, j))
                continue
            pairs += [(d, None) for d in range(i, k)]
            pairs.append((k, j))
            i = k + 1
        pairs += [(d, None) for d in range(i, i2)]
    return pairs


def _diff_row(old_texts: list[str], new_row: list[Cell], columns: list[int]) -> list[Cell]:
    """The new row's cells, each changed one with its character changes."""
    out = []
    for cell, c in zip(new_row, columns, strict=True):
        before = old_texts[c] if c < len(old_texts) else ""
        out.append(
            replace(cell, parts=char_diff(before, cell.text)) if before != cell.text else cell
        )
    return out


def merge_tables(old: Table, new: Table) -> Table:
    """The new table with its changes from `old` marked (see the module's docstring)."""
    pairs = _match(old, new)
    old_texts, new_columns = grid_texts(old.body), cell_columns(new.body)
    new_grid, width = _place(new.body)
    at = {j: m for m, (_, j) in enumerate(pairs) if j is not None}  # new row → merged position
    body: list[list[Cell]] = []
    marks: dict[int, str] = {}
    keys: list[str] = []
    for m, (i, j) in enumerate(pairs):
        if j is not None:
            row = new.body[j]
            row = _diff_row(old_texts[i], row, new_columns[j]) if i is not None else row
            # A span over rows of the new table also covers the deleted rows put back among them.
            row = [
                replace(cell, rowspan=at[j + cell.rowspan - 1] - m + 1)
                if cell.rowspan > 1
                else cell
                for cell in row
            ]
            body.append(row)
            keys.append(new.keys[j] if new.keys else "")
            if i is None:
                marks[m] = "ins"
            continue
        assert i is not None
        covered = _covered(pairs, m, new_grid, width)
        body.append(_old_row(old.body, i, covered))
        keys.append(old.keys[i] if old.keys else "")
        marks[m] = "del"
    head = [_diff_row(t, row, c) for t, row, c in _zip_rows(old.head, new.head)]
    foot = [_diff_row(t, row, c) for t, row, c in _zip_rows(old.foot, new.foot)]
    return replace(new, head=head, body=body, foot=foot, keys=keys, marks=marks)


def _zip_rows(old: list[list[Cell]], new: list[list[Cell]]):
    """Header or total rows, matched by position."""
    old_texts, columns = grid_texts(old), cell_columns(new)
    for n, row in enumerate(new):
        yield (old_texts[n] if n < len(old_texts) else []), row, columns[n]


def _covered(
    pairs: list[tuple[int | None, int | None]], m: int, new_grid: Grid, width: int
) -> set[int]:
    """Columns a merged cell of the new table holds across merged position `m`: the rows of the
    new table just before and after `m` share that cell there."""
    before = next((j for _, j in reversed(pairs[:m]) if j is not None), None)
    after = next((j for _, j in pairs[m + 1 :] if j is not None), None)
    if before is None or after is None:
        return set()
    return {
        c
        for c in range(width)
        if new_grid[before][c] is not None and new_grid[before][c] == new_grid[after][c]
    }


def _old_row(rows: list[list[Cell]], i: int, covered: set[int]) -> list[Cell]:
    """A base row as a row of its own: one cell per run of columns one old cell covered,
    leaving out the columns a merged cell of the new table spans."""
    grid, width = _place(rows)
    out: list[Cell] = []
    c = 0
    while c < width:
        origin = grid[i][c]
        span = 1
        while c + span < width and grid[i][c + span] == origin and c + span not in covered:
            span += 1
        if c not in covered:
            cell = rows[origin[0]][origin[1]] if origin else Cell("")
            out.append(Cell(cell.text, colspan=span, cls=cell.cls))
        c += span
    return out
