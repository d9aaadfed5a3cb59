"""`jixi-report new-year YYYY`: an empty monitoring file listing everything the year needs."""

from __future__ import annotations

import json
from pathlib import Path

from ..base.errors import UsageError
from ..base.files import atomic_bytes
from ..base.vocab import PENDING, PROJECT_STATUSES
from .model import Indicator, Plan


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def skeleton(plan: Plan, year: int) -> str:
    meta = plan.meta
    milestone = meta.milestone_for(year)
    lines = [
        f"# {meta.title}：{year}年监测数据。填写后运行 make report YEAR={year}。",
        f"# 空白处保持空白即为“{PENDING}”。数值型指标填数字，定性指标填达到的状态（如 建立）。",
        f"year: {year}",
        "data_status: provisional   # example | provisional | official",
        "source: null                # 数据来源，如 市统计局、市生态环境局",
        'date: null                  # 报告成文日期，如 "2026-03-31"：封面和落款（空白则留空待填）',
        "issuer: null                # 落款单位；空白则用 plan.yaml 的编制单位",
        "# 每项指标可写作 {value: 数值, source: 数据来源, evidence: 证明材料或文号}",
        "indicators:",
    ]
    for ind in plan.rows:
        target = ind.targets[milestone].text if milestone in ind.targets else ""
        unit = ind.unit or "-"
        standard = ind.standard.text if ind.standard else ""
        flags = "  superior_task_met: 是否完成上级考核任务 (true/false)" if _needs_task(ind) else ""
        lead = f"｜牵头 {ind.lead}" if ind.lead else ""
        lines.append(
            f"  # {ind.id} {ind.name}｜单位 {unit}｜指标值 {standard}"
            f"｜{milestone}年目标 {target}{lead}{flags}"
        )
        if ind.not_applicable:
            lines.append(f"  {_q(ind.id)}: {_q(ind.not_applicable)}")
        elif _composite(ind):
            lines.append(f"  {_q(ind.id)}: {{start_rate: null, closure_rate: null}}")
        elif _needs_task(ind):
            lines.append(f"  {_q(ind.id)}: {{value: null, superior_task_met: null}}")
        else:
            lines.append(f"  {_q(ind.id)}: null")
    states = " / ".join(PROJECT_STATUSES)
    lines.append(f"projects:   # status: {states}；invested: 截至年底累计完成投资（万元）")
    for p in sorted(plan.projects, key=lambda p: p.no):
        lines.append(
            f"  # {p.name}｜{p.period.start}-{p.period.end}｜估算总投资 {p.investment} 万元"
        )
        lines.append(f"  {p.no}: {{status: null, invested: null, note: null}}")
    areas = plan.task_areas()
    lines.append(
        f"tasks:      # {meta.task_chapter or ''}各领域重点任务进展" if areas else "tasks: {}"
    )
    for number, title in areas.items():
        lines.append(f"  # {title}")
        lines.append(f"  {number}: null")
    measures = plan.safeguards()
    lines.append(
        f"safeguards: # {meta.safeguard_chapter or ''}保障措施落实情况"
        if measures
        else "safeguards: {}"
    )
    for number, title in measures.items():
        lines.append(f"  # {title}")
        lines.append(f"  {number}: null")
    lines += [
        "funding: {}      # 资金来源：名称: 万元，合计等于各项目累计完成投资之和（可不填）",
        "# 存在问题和下一步工作由数据起草；下列自拟各项列在其后",
        "own_text: follows   # replaces：只用自拟各项",
        "problems: []     # 存在问题，每段一项",
        "next_steps: []   # 下一步工作，每段一项",
        "",
    ]
    return "\n".join(lines)


def _needs_task(ind: Indicator) -> bool:
    return bool(ind.standard and ind.standard.rule.superior_task)


def _composite(ind: Indicator) -> bool:
    return bool(ind.standard and ind.standard.rule.components)


def write_skeleton(plan: Plan, year: int) -> Path:
    """Write content/monitoring/YYYY.yaml; never over an existing file."""
    period = plan.meta.period
    if not period.start <= year <= period.end:
        raise UsageError(f"year {year} is outside the plan period {period.start}–{period.end}")
    target = plan.root / "monitoring" / f"{year}.yaml"
    if target.exists():
        raise UsageError(f"{target} already exists; it was not overwritten")
    atomic_bytes(target, skeleton(plan, year).encode("utf-8"))
    return target
