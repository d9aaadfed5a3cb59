"""Checks of a year's monitoring data against the plan it reports on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Monitoring, Plan, Section

if TYPE_CHECKING:
    from .load import Collector
    from .yamldoc import YamlDoc

_NOT_FINITE = {".nan", "nan", ".inf", "inf", "-.inf", "+.inf", "-inf", "+inf", ".NaN", ".Inf"}


def task_areas(plan: Plan) -> dict[str, str]:
    """Area number (一、) → title, from the chapter `task_chapter` names."""
    if plan.meta is None:
        return {}
    chapter = next((c for c in plan.chapters if c.number == plan.meta.task_chapter), None)
    if chapter is None:
        return {}
    return {b.number: b.title for b in chapter.body if isinstance(b, Section) and b.number}


def check_monitoring(
    c: Collector,
    plan: Plan,
    doc: YamlDoc,
    m: Monitoring,
    ids: set[object] | None,
    numbers: set[object] | None,
) -> bool:
    """Report every problem; True when the year's data can be used.

    `ids` and `numbers` are the indicator ids and project numbers as written (None when their
    file could not be read): an item with an error of its own is not reported again here.
    """
    before = len(c.problems)
    if doc.path.stem != str(m.year):
        c.add(doc, ("year",), f"year {m.year} differs from the file name {doc.path.name}")
    if plan.meta is not None:  # None: plan.yaml has its own errors, reported already
        first, last = plan.meta.period.start, plan.meta.period.end
        if not first <= m.year <= last:
            c.add(doc, ("year",), f"{m.year} is outside the plan period {first}–{last}")
    rows = {i.id: i for i in plan.indicators}
    for key, obs in m.indicators.items():
        loc = ("indicators", key)
        ind = rows.get(key)
        if ind is None:
            if ids is not None and key not in ids:
                c.add(doc, loc, f"unknown indicator id {key!r}")
            continue
        if not ind.has_values:
            c.add(doc, loc, f"indicator {key} is judged by its sub-indicators: give those instead")
            continue
        value = obs.value
        if isinstance(value, str) and value.strip() in _NOT_FINITE:
            c.add(doc, (*loc, "value"), f"NaN and infinite values are not allowed, got {value!r}")
        elif isinstance(value, str) and ind.direction != "none" and value != "不涉及":
            c.add(
                doc,
                (*loc, "value"),
                f"expected a number ({ind.display_unit or 'no unit'}), got {value!r}",
            )
        elif value is not None and not isinstance(value, str) and ind.direction == "none":
            c.add(doc, (*loc, "value"), f"expected the state reached (such as 建立), got {value}")
        if ind.unit == "%":
            for name in ("value", "start_rate", "closure_rate"):
                number = getattr(obs, name)
                if number is not None and not isinstance(number, str) and not 0 <= number <= 100:
                    c.add(doc, (*loc, name), f"a percentage must lie within 0–100, got {number}")
    for no, progress in m.projects.items():
        loc = ("projects", no)
        if numbers is not None and no not in numbers:
            c.add(doc, loc, f"unknown project number {no}")
        elif progress.invested is not None and progress.invested < 0:
            c.add(doc, (*loc, "invested"), f"must not be negative, got {progress.invested}")
    areas = task_areas(plan)
    for area in m.tasks if plan.meta is not None else ():
        if area not in areas:
            known = "、".join(a.rstrip("、") for a in areas) or "none"
            chapter = plan.meta.task_chapter if plan.meta else None
            c.add(doc, ("tasks", area), f"no area {area!r} in {chapter} (areas: {known})")
    return len(c.problems) == before
