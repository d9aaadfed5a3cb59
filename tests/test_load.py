"""The shipped content and the fixture load, and `check` summarises them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, MINI

from jixi_report.base.errors import ContentError
from jixi_report.base.style import TEMPLATES, house_style
from jixi_report.cli import main
from jixi_report.content.model import Paragraph, Plan, Section

STYLE = TEMPLATES / "style.yaml"


def test_real_plan_counts(plan: Plan) -> None:
    top = [i for i in plan.indicators if i.parent is None]
    assert sum(i.kind == "binding" for i in top) == 27
    assert sum(i.kind == "reference" for i in top) == 5
    assert len(plan.rows) == 45
    assert [p.no for p in plan.projects] == list(range(1, 32))
    assert plan.total_investment == Decimal("1004117.06")
    totals = [(c.name, n, str(t)) for c, n, t in plan.category_totals()]
    assert totals == [
        ("生态制度体系建设工程", 3, "0"),
        ("生态安全体系建设工程", 17, "188060.06"),
        ("生态经济体系建设工程", 10, "784447"),
        ("生态文化体系建设工程", 1, "31610"),
    ]


def test_real_plan_structure(plan: Plan) -> None:
    assert [c.number for c in plan.chapters] == [
        "第一章",
        "第二章",
        "第三章",
        "第四章",
        "第五章",
        "附件",
    ]
    assert plan.chapters[-1].appendix
    first = plan.chapters[0].body[0]
    assert isinstance(first, Section) and (first.number, first.title, first.level) == (
        "一、",
        "建设基础",
        2,
    )
    leads = [b for c in plan.chapters for b in _walk(c.body) if isinstance(b, Paragraph) and b.lead]
    assert any(p.lead == "完善生态文明建设管理机制。" for p in leads)
    assert len(plan.meta.region.divisions) == 9


def _walk(blocks):
    for b in blocks:
        yield b
        if isinstance(b, Section):
            yield from _walk(b.body)


def test_exact_investment(plan: Plan) -> None:
    p17 = next(p for p in plan.projects if p.no == 17)
    assert p17.investment == Decimal("4078.06") and str(p17.investment) == "4078.06"
    p21 = next(p for p in plan.projects if p.no == 21)
    assert (p21.period.start, p21.period.end) == (2023, 2025)


def test_sub_indicators_inherit(plan: Plan) -> None:
    pm = next(i for i in plan.indicators if i.id == "4.2")
    assert (pm.kind, pm.domain, pm.task.number, pm.direction) == (
        "binding",
        "生态安全",
        "（二）",
        "lower",
    )
    assert next(i for i in plan.indicators if i.id == "5.4").not_applicable == "不涉及"


def test_check_prints_summary(capsys) -> None:
    assert main(["check", "--content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert "27 binding + 5 reference in 45 rows" in out
    assert "31, investment 1,004,117.06 万元" in out
    assert "188,060.06" in out and "784,447.00" in out


def test_fixture_plan_is_another_region(mini: Plan, capsys) -> None:
    assert mini.meta.region.name == "青川市"
    assert mini.meta.milestones == [2024, 2027]
    assert main(["check", "--content", str(MINI)]) == 0
    assert "4 binding + 2 reference in 7 rows" in capsys.readouterr().out


def test_sub_indicators_inherit_from_their_parent(plan: Plan) -> None:
    """The content writes kind, domain and task once, on the parent; loading copies them."""
    parent = next(i for i in plan.indicators if i.id == "4")
    for child in plan.children("4"):
        assert (child.kind, child.domain, child.task) == (parent.kind, parent.domain, parent.task)
    assert plan.children("4") and parent.kind == "binding" and parent.task is not None


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('met:            {text: "#1e7b34"', 'met:            {text: "green"', "colours.met.text",
         "expected a colour"),
        ("  font: heiti\n", "  font: songhei\n", "charts.font", "no font 'songhei' under fonts"),
        ("size: 16, indent_chars: 2, align: justify", "size: 十六, indent_chars: 2, align: justify",
         "roles.body.size", "expected a number"),
    ],
)  # fmt: skip
def test_the_house_style_is_read_strictly(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    """templates/style.yaml is checked like the content: a typo is a located problem."""
    text = STYLE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "style.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        house_style(tmp_path / "style.yaml")
    line = 1 + text[: text.index(old)].count("\n")
    [problem] = [str(p) for p in info.value.problems]
    assert f"style.yaml:{line}:" in problem and f" {field}: {message}" in problem, problem
