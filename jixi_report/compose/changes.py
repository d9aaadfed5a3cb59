"""The 修编说明 of a revised draft: what changed against the base, where, and why.

The 修订对照表 lists every difference of the marked draft (compose/revise.py) in document order:
its place (chapter and heading, table row and column), the old and the new text with the
changes marked inside the sentence, and the note the content gives for that place. Differences
that follow from the data (a count in a sentence, a total, a subtotal) are listed apart from
the edits, so a reviewer sees which numbers moved because the data moved. The 指标调整表 and
工程调整表 are made from the data of both plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..base.textdiff import Parts, new_text, old_text
from ..base.vocab import BLANK_DATE, build_date, chinese_numeral, date_text, money, years
from ..content.model import Indicator, Plan, Project
from .blocks import Cell, Node, Table, milestone_labels
from .revise_tables import cell_columns, grid_texts


@dataclass
class Change:
    place: str  # 第三章 规划任务与措施 › 一、… 第2段; 表1 6.1 目标值（2025年）
    old: str
    new: Parts  # the new text, its changes marked
    derived: bool = False  # moved because data moved, not edited
    note: str = ""


@dataclass
class _Walk:
    """Gathers the changes of marked blocks, remembering the headings above each."""

    changes: list[Change] = field(default_factory=list)
    path: list[str] = field(default_factory=list)

    def blocks(self, nodes: list[Node]) -> None:
        paragraph = 0
        for n in nodes:
            if n.kind == "section":
                if n.change or n.parts:
                    self._text(n, f"{self._where()}{n.text} 标题")
                self.path.append(n.text)
                self.blocks(n.body)
                self.path.pop()
            elif n.kind == "p":
                paragraph += 1 if n.change != "del" else 0
                if n.change or n.parts or n.lead_parts:
                    self._text(n, f"{self._where()}第{max(paragraph, 1)}段", n.derived)
            elif n.kind == "table":
                self.table(n.table, " › ".join(self.path))

    def _where(self) -> str:
        return " › ".join(self.path) + " " if self.path else ""

    def _text(self, n: Node, place: str, derived: bool = False) -> None:
        lead = n.lead_parts or ([("=", n.lead)] if n.lead else [])
        parts = lead + (n.parts or [("=", n.text)])
        if n.change == "ins":
            parts = [("+", new_text(parts))]
        elif n.change == "del":
            parts = [("-", old_text(parts))]
        parts = excerpt(parts)
        self.changes.append(Change(place, old_text(parts), parts, derived))

    def table(self, t: Table, where: str) -> None:
        name = " ".join(x for x in (t.number, t.caption) if x) or where  # a table without caption
        header = grid_texts(t.head)[-1] if t.head else []
        for r, row in enumerate(t.body):
            key = t.keys[r] if r < len(t.keys) else ""
            mark = t.marks.get(r)
            if mark:
                text = "｜".join(c.text for c in row)
                parts = [("+" if mark == "ins" else "-", text)]
                self.changes.append(Change(f"{name} {key}", old_text(parts), parts))
                continue
            self._cells(f"{name} {key}", row, cell_columns(t.body)[r], header)
        for row, columns in zip(t.foot, cell_columns(t.foot), strict=True):
            self._cells(f"{name} 合计", row, columns, header)

    def _cells(self, where: str, row: list[Cell], columns: list[int], header: list[str]) -> None:
        for cell, c in zip(row, columns, strict=True):
            if cell.parts:
                column = header[c] if c < len(header) else ""
                self.changes.append(
                    Change(f"{where} {column}", old_text(cell.parts), cell.parts, cell.derived)
                )


_LONG = 80  # characters: a longer paragraph is quoted by the sentences that changed
_END = "。；！？"


def excerpt(parts: Parts) -> Parts:
    """A long paragraph's changed sentences only, the rest as ……: a reviewer reads what moved."""
    if len(old_text(parts)) <= _LONG and len(new_text(parts)) <= _LONG:
        return parts
    sentences: list[Parts] = [[]]
    for op, text in parts:  # split kept text at sentence ends; a change stays whole
        if op != "=":
            sentences[-1].append((op, text))
            continue
        for piece in re.split(f"(?<=[{_END}])", text):
            if piece:
                sentences[-1].append(("=", piece))
            if piece.endswith(tuple(_END)):
                sentences.append([])
    out: Parts = []
    skipped = False
    for sentence in sentences:
        if any(op != "=" for op, _ in sentence):
            if skipped:
                out.append(("=", "……"))
            out += sentence
            skipped = False
        elif sentence:
            skipped = True
    if skipped:
        out.append(("=", "……"))
    return out


def changes(chapters: list[Node], notes: dict[str, str]) -> list[Change]:
    """Every difference of the marked chapters, in document order, with the content's notes."""
    walk = _Walk()
    for chapter in chapters:
        walk.path = [
            chapter.text
            if not chapter.number or chapter.text.startswith(chapter.number)
            else f"{chapter.number} {chapter.text}"
        ]
        if chapter.change or chapter.parts:
            walk._text(chapter, f"{walk.path[0]} 标题")
        walk.blocks(chapter.body)
    for change in walk.changes:
        change.note = notes.get(change.place, "")
    return walk.changes


# ---- the data: indicators and projects ------------------------------------------------------


def indicator_changes(old: Plan, new: Plan) -> list[list[str]]:
    """(编号, 指标名称, 调整内容, 修订前, 修订后) for each row of Table 1 added, removed or
    given another standard, target, name or unit."""
    before = {i.id: i for i in old.rows}
    after = {i.id: i for i in new.rows}
    labels = dict(zip(new.meta.milestones, milestone_labels(new.meta), strict=True))
    rows = []
    for ind in new.rows:
        was = before.get(ind.id)
        if was is None:
            rows.append([ind.id, ind.name, "新增指标", "—", _cells(ind)])
            continue
        if was.standard and ind.standard and was.standard.text != ind.standard.text:
            rows.append([ind.id, ind.name, "指标值调整", was.standard.text, ind.standard.text])
        for year, cell in sorted(ind.targets.items()):
            old_cell = was.targets.get(year)
            if old_cell is None or old_cell.text != cell.text:
                label = labels.get(year, f"{year}年目标值")
                old_value = old_cell.text if old_cell else "—"
                rows.append([ind.id, ind.name, f"{label}调整", old_value, cell.text])
        if was.name != ind.name:
            rows.append([ind.id, ind.name, "名称调整", was.name, ind.name])
        if was.display_unit != ind.display_unit:  # its figures mean something else
            unit = [u or "—" for u in (was.display_unit, ind.display_unit)]
            rows.append([ind.id, ind.name, "单位调整", *unit])
    rows += [[i.id, i.name, "删除指标", _cells(i), "—"] for i in old.rows if i.id not in after]
    return rows


def _cells(ind: Indicator) -> str:
    standard = ind.standard.text if ind.standard else ""
    targets = "；".join(c.text for _, c in sorted(ind.targets.items()))
    return f"指标值 {standard}；目标值 {targets}"


def _match_projects(old: Plan, new: Plan) -> list[tuple[Project | None, Project | None]]:
    """Projects by name; a renamed one by its number and category."""
    names = {p.name: p for p in old.projects}
    pairs: list[tuple[Project | None, Project | None]] = []
    used = set()
    for p in new.projects:
        was = names.get(p.name)
        if was is None:
            was = next(
                (
                    o
                    for o in old.projects
                    if o.no == p.no
                    and o.category == p.category
                    and o.name not in {q.name for q in new.projects}
                ),
                None,
            )
        pairs.append((was, p))
        if was is not None:
            used.add(was.name)
    pairs += [(o, None) for o in old.projects if o.name not in used]
    return pairs


def project_changes(old: Plan, new: Plan) -> list[list[str]]:
    """(项目, 调整内容, 修订前, 修订后, 投资变化（万元）) for each project added, removed,
    re-costed, renamed or moved to another category."""
    rows = []
    for was, p in _match_projects(old, new):
        if was is None and p is not None:
            rows.append(
                [
                    p.name,
                    "新增项目",
                    "—",
                    f"{p.category}，{money(p.investment)}",
                    _delta(p.investment),
                ]
            )
        elif p is None and was is not None:
            rows.append(
                [
                    was.name,
                    "删除项目",
                    f"{was.category}，{money(was.investment)}",
                    "—",
                    _delta(-was.investment),
                ]
            )
        elif was is not None and p is not None:
            if was.name != p.name:
                rows.append([p.name, "名称调整", was.name, p.name, ""])
            if was.category != p.category:
                rows.append([p.name, "类别调整", was.category, p.category, ""])
            if was.investment != p.investment:
                delta = _delta(p.investment - was.investment)
                rows.append([p.name, "投资调整", money(was.investment), money(p.investment), delta])
            if (was.period.start, was.period.end) != (p.period.start, p.period.end):
                old_years = years(was.period.start, was.period.end)
                rows.append(
                    [p.name, "建设年限调整", old_years, years(p.period.start, p.period.end), ""]
                )
    return rows


def _delta(value: Any) -> str:
    return f"+{money(value)}" if value > 0 else money(value)


def summary(old: Plan, new: Plan) -> str:
    """The 修编概况's sentence on the totals: what moved from what to what, and what did
    not move as what it still is (“由31项调整为31项” would read as a change, and
    “建设指标体系45行均未调整” as no row adjusted, beside 调整建设指标7项次)."""
    moved, kept = [], []
    for what, before, after, unit, delta in (
        ("重点工程", str(len(old.projects)), str(len(new.projects)), "项", ""),
        (
            "估算总投资",
            money(old.total_investment),
            money(new.total_investment),
            "万元",
            f"（{_delta(new.total_investment - old.total_investment)}万元）",
        ),
        ("建设指标体系", str(len(old.rows)), str(len(new.rows)), "行", ""),
    ):
        if before == after:
            kept.append(f"{what}仍为{after}{unit}")
        else:
            moved.append(f"{what}由{before}{unit}调整为{after}{unit}{delta}")
    parts = []
    if moved:
        parts.append("，".join(moved))
    if kept:
        parts.append("、".join(kept))
    return "；".join(parts) + "。"


def _table(caption: str, cols: list[int], head: list[str], rows: list[list[Cell]]) -> Table:
    return Table(cols, [[Cell(h) for h in head]], rows, None, caption, "detail")


def _cells_of(texts: list[str], classes: tuple[str, ...]) -> list[Cell]:
    """A row of plain cells; `classes` gives the first columns' alignment (left, num)."""
    return [Cell(t, cls=classes[i] if i < len(classes) else "left") for i, t in enumerate(texts)]


def _change_rows(found: list[Change]) -> list[list[Cell]]:
    return [
        [
            Cell(str(n)),
            Cell(c.place, cls="left"),
            Cell(c.old or "—", cls="left"),
            Cell(new_text(c.new) or "—", cls="left", parts=c.new),
            Cell(c.note, cls="left"),
        ]
        for n, c in enumerate(found, 1)
    ]


def changes_context(
    old: Plan, new: Plan, marked: list[Node], stage: str, base_label: str
) -> dict[str, Any]:
    """Everything changes.html.j2 needs: the tables numbered in the order they appear."""
    notes = new.revision.notes if new.revision else {}
    found = changes(marked, notes)
    edits = [c for c in found if not c.derived]
    derived = [c for c in found if c.derived]
    columns = ["序号", "位置", "修订前", "修订后", "说明"]
    tables: dict[str, Table] = {}
    if edits:
        tables["edits"] = _table("修订对照表", [5, 20, 30, 30, 15], columns, _change_rows(edits))
    indicators = indicator_changes(old, new)
    if indicators:
        head = ["编号", "指标名称", "调整内容", "修订前", "修订后"]
        rows = [_cells_of(r, ("", "left", "", "left", "left")) for r in indicators]
        tables["indicators"] = _table("指标调整表", [7, 20, 17, 28, 28], head, rows)
    projects = project_changes(old, new)
    if projects:
        head = ["项目名称", "调整内容", "修订前", "修订后", "投资变化（万元）"]
        rows = [_cells_of(r, ("left", "", "left", "left", "num")) for r in projects]
        tables["projects"] = _table("工程调整表", [30, 12, 21, 21, 16], head, rows)
    if derived:
        tables["derived"] = _table(
            "数据联动变化表", [5, 20, 30, 30, 15], columns, _change_rows(derived)
        )
    comments = new.revision.comments if new.revision else []
    if comments:
        head = ["序号", "单位", "意见", "采纳情况", "理由"]
        rows = [
            _cells_of([str(n), c.unit, c.comment, c.decision, c.reason or ""], ("", "", "left"))
            for n, c in enumerate(comments, 1)
        ]
        tables["comments"] = _table("征求意见采纳情况表", [5, 15, 45, 10, 25], head, rows)
    for n, table in enumerate(tables.values(), 1):
        table.number = f"表{n}"
    today = build_date()
    return {
        "meta": new.meta,
        "stage": stage,
        "base": base_label,
        "counts": {
            "edits": len(edits),
            "derived": len(derived),
            "indicators": len(indicators),
            "projects": len(projects),
            "comments": len(comments),
        },
        "sections": [  # 二、修订对照表 … : one section per table, in this order
            (f"{chinese_numeral(n)}、{t.caption}", t) for n, t in enumerate(tables.values(), 2)
        ],
        "totals": summary(old, new),
        "date_text": revision_date_text(new) or BLANK_DATE,
        "created": today.isoformat(),
    }


def revision_date_text(plan: Plan) -> str | None:
    """The draft's date as printed (2026年11月20日), from revision.yaml."""
    date = plan.revision.date if plan.revision else None
    return date_text(date) if date else None
