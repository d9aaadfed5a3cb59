"""Every kind of bad input gets one line naming file, line and field, and exit code 1."""

from __future__ import annotations

import re

import pytest
from conftest import Broken


def one_error(
    broken: Broken, capsys, file: str, line: int, field: str | None, message: str
) -> None:
    """Exactly one problem, located at `file:line`, naming `field`: a spurious second one fails."""
    code, lines = broken.check(capsys)
    assert code == 1, lines
    *problems, last = lines
    field_part = f" {re.escape(field)}:" if field else ""
    pattern = rf"{re.escape(file)}:{line}:\d+:{field_part} .*{message}"
    assert len(problems) == 1, f"expected one problem, got {lines}"
    assert re.search(pattern, problems[0]), f"{pattern!r} not in {lines}"
    assert last == "1 problem in the content; nothing was written."


CASES = [
    # (file, old, new, line offset of the error within `new`, field, message)
    (
        "projects.yaml",
        "investment: 30000",
        "investment: 约2000",
        0,
        "projects[1].investment",
        r"expected a number, got '约2000'",
    ),
    (
        "projects.yaml",
        "investment: 1234.5",
        "investment: -1",
        0,
        "projects[0].investment",
        "must not be negative",
    ),
    (
        "projects.yaml",
        "category: 生态经济工程",
        "category: 生态旅游工程",
        0,
        "projects[1].category",
        "not one of the categories",
    ),
    (
        "projects.yaml",
        "period: 2024-2026",
        "period: 2024-2031",
        0,
        "projects[1].period",
        "outside the plan's years 2022-2027",
    ),
    (
        "projects.yaml",
        "period: 2024-2026",
        "period: 2026-2024",
        0,
        "projects[1].period",
        r"ends \(2024\) before it starts",
    ),
    (
        "projects.yaml",
        "period: 2024-2026",
        "period: 2024",
        0,
        "projects[1].period",
        "expected start-end years",
    ),
    ("projects.yaml", "  - no: 2", "  - no: 3", 0, "projects[1].no", "without gaps: 2 missing"),
    ("projects.yaml", "  - no: 2", "  - no: 1", 0, "projects[1].no", "duplicate project number 1"),
    (
        "projects.yaml",
        "    lead: 市发展和改革委员会\n",
        "    lead: 市发展和改革委员会\n    leader: 张三\n",
        1,
        "projects[1].leader",
        "unknown key 'leader'",
    ),
    (
        "projects.yaml",
        "    content: 安装10台5MW风力发电机组。\n",
        "",
        -3,
        "projects[1].content",
        "required field is missing",
    ),
    (
        "projects.yaml",
        "division: 南山县",
        "division: 东城区",
        0,
        "projects[1].division",
        "not a division of 青川市",
    ),
    (
        "indicators.yaml",
        '  - id: "2"',
        '  - id: "1.1"',
        0,
        "indicators[3].id",
        "duplicate indicator id '1.1'",
    ),
    (
        "indicators.yaml",
        '  - id: "2"',
        "  - id: 2",
        0,
        "indicators[3].id",
        r"expected text, got a number 2 \(quote it\)",
    ),
    (
        "indicators.yaml",
        "    direction: lower\n",
        "",
        -4,
        "indicators[1].direction",
        "required field is missing",
    ),
    (
        "indicators.yaml",
        "    direction: lower",
        "    direction: down",
        0,
        "indicators[1].direction",
        "'down'",
    ),
    (
        "indicators.yaml",
        '      "2027": {text: ≤30, rule: {max: 30}}',
        '      "2028": {text: ≤30, rule: {max: 30}}',
        -2,
        "indicators[1].targets",
        "milestone years 2024, 2027",
    ),
    (
        "indicators.yaml",
        "rule: {min: 60}}, {regions: [东北地区]",
        "rule: {min: 60}}, {regions: [西部地区]",
        0,
        None,
        None,
    ),  # still valid: the plan's zone 东部地区 is present
    (
        "plan.yaml",
        "  divisions: [北湖区, 南山县]",
        "  divisions: [北湖区, 北湖区]",
        0,
        "region.divisions[1]",
        "duplicate division",
    ),
    ("plan.yaml", "base_year: 2022", "base_year: 二〇二二", 0, "base_year", "expected a year"),
    (
        "plan.yaml",
        "stage: 全面建设期}",
        "stage: 全面建设期, goal: 建成示范区}",
        0,
        "terms[0].goal",
        "not found in the plan's chapters",
    ),
    (
        "plan.yaml",
        "task_chapter: 第一章",
        "safeguard_chapter: 第九章",
        0,
        "safeguard_chapter",
        "no chapter 第九章",
    ),
    (
        "monitoring/2025.yaml",
        "tasks:\n",
        "funding: {中央资金: 1000, 社会资本: 21000}\ntasks:\n",
        0,
        "funding",
        "the sources add up to 22,000 万元 but the projects report 22,234.5 万元 invested",
    ),
    (
        "monitoring/2025.yaml",
        "data_status: example",
        "data_status: example\ndate: 2026年3月",
        1,
        "date",
        "expected a date written as",
    ),
    (
        "chapters/01-general.yaml",
        "'规划基准年为{{ base_year }}年",
        "'规划基准年为{{ baseyear }}年",
        0,
        "body[0].section.body[0]",
        "unknown placeholder 'baseyear'",
    ),
    (
        "chapters/01-general.yaml",
        "'规划基准年为{{ base_year }}年",
        "'{{ term3_name }}规划基准年为{{ base_year }}年",
        0,
        "body[0].section.body[0]",
        "placeholder 'term3_name': the plan has 2 terms",
    ),
    (
        "chapters/01-general.yaml",
        "        - lead: 指标体系。",
        "        - leed: 指标体系。",
        0,
        "body[1].section.body[0]",
        "expected a paragraph",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "offset", "field", "message"),
    CASES,
    ids=[f"{c[0]}:{c[4]}:{c[5]}" for c in CASES],
)
def test_bad_value(broken: Broken, capsys, file, old, new, offset, field, message) -> None:
    line = broken.replace(file, old, new) + offset
    if message is None:
        assert broken.check(capsys)[0] == 0
        return
    one_error(broken, capsys, file, line, field, message)


def test_yaml_syntax_error(broken: Broken, capsys) -> None:
    line = broken.replace(
        "projects.yaml", "    name: 南山县50MW风电项目", "    name: [南山县50MW风电项目"
    )
    code, lines = broken.check(capsys)
    assert code == 1
    assert re.search(r"projects\.yaml:\d+:\d+: YAML syntax: ", lines[0]), lines
    assert int(lines[0].split("projects.yaml:")[1].split(":")[0]) >= line


def test_duplicate_key_is_not_silently_overwritten(broken: Broken, capsys) -> None:
    line = broken.replace(
        "projects.yaml", "    investment: 30000\n", "    investment: 30000\n    investment: 3\n"
    )
    one_error(
        broken,
        capsys,
        "projects.yaml",
        line + 1,
        "projects[1].investment",
        rf"duplicate key \(first defined on line {line}\)",
    )


def test_not_utf8(broken: Broken, capsys) -> None:
    path = broken.root / "projects.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    code, lines = broken.check(capsys)
    assert code == 1
    assert re.search(r"projects\.yaml:\d+: not UTF-8 text", lines[0]), lines


def test_utf8_bom_is_fine(broken: Broken, capsys) -> None:
    path = broken.root / "projects.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert broken.check(capsys)[0] == 0


def test_control_character(broken: Broken, capsys) -> None:
    line = broken.replace("projects.yaml", "安装10台", "安装\x0b10台")
    one_error(broken, capsys, "projects.yaml", line, None, r"control character U\+000B")


def test_aliases_rejected(broken: Broken, capsys) -> None:
    broken.replace(
        "projects.yaml",
        "    lead: 市发展和改革委员会",
        "    lead: &x 市发展和改革委员会\n    division: *x",
    )
    code, lines = broken.check(capsys)
    assert code == 1 and "aliases are not allowed" in lines[0]


def test_yaml_11_traps_do_not_bite(broken: Broken, capsys) -> None:
    """`no` stays a key, 2024-2026 a period string, `off`/`yes` stay text, 1e3 a number."""
    broken.replace("projects.yaml", "    lead: 市发展和改革委员会", "    lead: off")
    broken.replace("projects.yaml", "    division: 南山县", "    division: null")
    broken.replace("projects.yaml", "    investment: 30000", "    investment: 3e4")
    broken.replace("indicators.yaml", "    name: 绿色食品种植面积", "    name: yes")
    from jixi_report.content.load import load

    loaded = load(broken.root)
    assert loaded.projects[1].lead == "off" and str(loaded.projects[1].investment) == "3E+4"
    assert (loaded.projects[1].period.start, loaded.projects[1].period.end) == (2024, 2026)
    assert loaded.indicators[-1].name == "yes"


def test_all_errors_reported_at_once(broken: Broken, capsys) -> None:
    broken.replace("projects.yaml", "investment: 30000", "investment: 约2000")
    broken.replace("indicators.yaml", "    direction: lower\n", "")
    broken.replace("plan.yaml", "base_year: 2022", "base_year: '2022'")
    code, lines = broken.check(capsys)
    assert code == 1
    assert [ln.split(":")[0].rsplit("/", 1)[-1] for ln in lines[:-1]] == [
        "indicators.yaml",
        "plan.yaml",
        "projects.yaml",
    ]
    assert lines[-1] == "3 problems in the content; nothing was written."


def test_missing_content_dir(tmp_path, capsys) -> None:
    from jixi_report.cli import main

    assert main(["check", "--content", str(tmp_path / "nope")]) == 1
    assert "content directory not found" in capsys.readouterr().err


def test_explicit_tags_rejected(broken: Broken, capsys) -> None:
    line = broken.replace("projects.yaml", "    investment: 30000", "    investment: !!float 30000")
    one_error(broken, capsys, "projects.yaml", line, "projects[1].investment", "explicit tag")


def test_region_rule_without_a_zone(broken: Broken, capsys) -> None:
    """R1's standard depends on the region: without region.zone it cannot be judged."""
    broken.replace("plan.yaml", "  zone: 东部地区\n", "")
    line = broken.replace("indicators.yaml", "      rule: {by_region:", "      rule: {by_region:")
    one_error(
        broken, capsys, "indicators.yaml", line, "indicators[6].standard.rule", "set region.zone"
    )
