"""The content says exactly what the original plan says: prose, Table 1 and the annex."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from conftest import ORIGINAL

from jixi_report.base.superscripts import plain
from jixi_report.base.vocab import decimal_text
from jixi_report.content import placeholders
from jixi_report.content.model import Figure, Paragraph, Plan, Section, TableRef

LINES = ORIGINAL.read_text(encoding="utf-8").splitlines()
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def region(start: str, end: str) -> range:
    """Line numbers strictly between the line equal to `start` and the next starting with `end`."""
    i = next(n for n, ln in enumerate(LINES) if squash(ln) == squash(start))
    j = next(n for n in range(i + 1, len(LINES)) if squash(LINES[n]).startswith(squash(end)))
    return range(i + 1, j)


TABLES = [
    region("表1 鸡西市生态文明建设示范区建设指标体系", "第三章"),
    region("表1 鸡西市生态文明示范创建重点建设工程项目概况", "二、效益分析"),
    region("工程内容与投资估算", "抄送"),
]
TABLE1, SUMMARY, ANNEX = ([LINES[n] for n in r] for r in TABLES)


# The corrections of the source. It captions two different tables 表1; the documents number
# tables in order, so the summary table and the sentence that refers to it say 表2. Chapter 4
# names the five 领域 with 生态生活 where Table 1 (and chapter 2) has 生态文化: the names are
# the data's ({{ domain_names }}).
CORRECTIONS = {
    "表1鸡西市生态文明示范创建重点建设工程项目": "表2鸡西市生态文明示范创建重点建设工程项目",
    "项重点工程（表1）": "项重点工程（表2）",
    "立足目标责任、生态安全、生态经济、生态生活、生态文明制度等": (
        "立足目标责任、生态安全、生态经济、生态文化、生态文明制度等"
    ),
}


def original_prose() -> list[str]:
    """Every non-empty line outside the three tables: headings, paragraphs, captions, with
    the source's numbering corrected (CORRECTIONS)."""
    inside = {n for r in TABLES for n in r}
    lines = [squash(ln) for n, ln in enumerate(LINES) if n not in inside and squash(ln)]
    for old, new in CORRECTIONS.items():
        assert sum(old in line for line in lines) == 1, old
        lines = [line.replace(old, new) for line in lines]
    return lines


def content_prose(plan: Plan) -> Iterator[str]:
    """The plan's text in reading order, placeholders filled, as the original prints it."""
    values = placeholders.values(plan)
    yield plan.meta.title
    yield f"（{plan.meta.period.start}—{plan.meta.period.end}年）"
    for chapter in plan.chapters:
        yield chapter.number + chapter.title
        yield from _blocks(chapter.body, values)
    yield "抄送：" + plan.meta.cc[0]
    yield from plan.meta.cc[1:]


def _blocks(blocks, values) -> Iterator[str]:
    for b in blocks:
        if isinstance(b, Section):
            yield (b.number or "") + placeholders.fill(b.title, values)
            yield from _blocks(b.body, values)
        elif isinstance(b, Paragraph):
            yield plain(placeholders.fill((b.lead or "") + b.text, values))
        elif isinstance(b, Figure | TableRef) and b.caption:
            yield f"{b.number or ''}{b.caption}"


def test_every_paragraph_in_order(plan: Plan) -> None:
    original = "".join(original_prose())
    ours = "".join(squash(s) for s in content_prose(plan))
    if original != ours:
        at = next(i for i, (a, b) in enumerate(zip(original, ours, strict=False)) if a != b)
        near = slice(max(at - 40, 0), at + 60)
        raise AssertionError(f"at {at}:\noriginal {original[near]}\ncontent  {ours[near]}")
    for line in original_prose():  # each paragraph, not just the concatenation
        assert line in ours


def test_placeholders_reproduce_the_original_figures(plan: Plan) -> None:
    values = placeholders.values(plan)
    assert (values["table_indicators"], values["table_project_summary"]) == ("表1", "表2")
    assert values["binding_count"] == "27" and values["reference_count"] == "5"
    assert values["total_investment_yi"] == "100.41" and values["project_count"] == "31"
    assert (values["domain_count_cn"], values["task_count_cn"]) == ("五", "八")


def _table1_numbers(plan: Plan) -> list[str]:
    out = [str(plan.meta.base_year), *map(str, plan.meta.milestones)]  # the header row
    for ind in plan.indicators:
        cells = [ind.number or "", ind.name, plain(ind.unit or "")]
        if ind.standard:
            cells += [ind.standard.text, ind.baseline.text if ind.baseline else ""]
            cells += [c.text for y, c in sorted(ind.targets.items()) if not c.rule.not_applicable]
        for cell in cells:
            out += NUMBER.findall(cell)
    return out


def test_table1_numbers_equal_the_original(plan: Plan) -> None:
    original = NUMBER.findall("\n".join(TABLE1))
    assert _table1_numbers(plan) == original


# A cell the source prints on two lines, one per group of regions: the content separates the
# lines with ；, which would otherwise run together (≥60中西部…).
CELL_LINES = {"≥60；中西部其他地区": "≥60中西部其他地区"}


def test_table1_names_and_cells_as_printed(plan: Plan) -> None:
    text = squash("".join(TABLE1))
    for ind in plan.indicators:
        assert squash(ind.name) in text, ind.id
        for cell in [ind.standard, ind.baseline, *ind.targets.values()]:
            if cell is not None:
                printed = squash(cell.text)
                for ours, source in CELL_LINES.items():
                    printed = printed.replace(ours, source)
                assert printed in text, (ind.id, cell.text)


# Table 1's 单位 cells the original merges across their group: the extracted text has the unit
# on the group's first row only; the content gives every row of the group its unit.
MERGED_UNITS = {"5.1": ["5.2", "5.3", "5.4"], "6.1": ["6.2", "6.3", "6.4", "6.5"]}


def test_a_merged_unit_cell_gives_every_row_of_its_group_the_unit(plan: Plan) -> None:
    rows = {ind.id: ind for ind in plan.indicators}
    lines = [squash(line).removesuffix("※") for line in TABLE1]  # ※: the content's `marked`
    for first, rest in MERGED_UNITS.items():
        assert rows[first].unit == "%"
        for row in rest:
            assert rows[row].unit == rows[first].unit, row
            at = lines.index(squash(rows[row].name))
            assert lines[at + 1] == "", row  # blank in the extracted text: the merged cell


def test_annex_numbers_equal_the_original(plan: Plan) -> None:
    ours: list[str] = []
    for p in plan.projects:
        for cell in [
            str(p.no),
            p.name,
            plain(p.content),
            f"{p.period.start}-{p.period.end}",
            str(p.investment),
            p.lead,
        ]:
            ours += NUMBER.findall(cell)
    ours += NUMBER.findall(decimal_text(plan.total_investment))
    assert ours == NUMBER.findall("\n".join(ANNEX))


def test_summary_table_equals_the_original(plan: Plan) -> None:
    ours = []
    for n, (cat, count, total) in enumerate(plan.category_totals(), 1):
        ours += [str(n), cat.name, str(count), cat.summary or "", decimal_text(total)]
    ours += ["合计", decimal_text(plan.total_investment)]
    assert squash("".join(ours)) == squash("".join(SUMMARY)).replace(
        "序号重点建设工程类型项目数量主要内容估算总投资（万元）", ""
    )
    assert plan.total_investment == Decimal("1004117.06")
