"""Checks of a year's monitoring data against the plan it reports on."""

from __future__ import annotations

from decimal import Decimal

from ..base.problems import Collector
from ..base.strict_yaml import YamlDoc
from ..base.vocab import NOT_APPLICABLE_VALUE, money
from .model import task_areas
from .sources import Sources
from .yearly import Monitoring

OVERRUN = 3  # invested to date beyond this multiple of the estimate is a mistake, not a figure
_NOT_FINITE = {".nan", "nan", ".inf", "inf", "-.inf", "+.inf", "-inf", "+inf", ".NaN", ".Inf"}


def check_monitoring(c: Collector, src: Sources, doc: YamlDoc, m: Monitoring) -> bool:
    """Report every problem; True when the year's data can be used.

    Ids and project numbers are compared with those as written, and only while those can be
    trusted: a problem in indicators.yaml or projects.yaml is reported there, not echoed here.
    """
    ids, numbers = src.known_ids(), src.known_numbers()
    estimates = {p.no: p.investment for p in src.projects} if numbers is not None else {}
    meta = src.meta
    before = len(c.problems)
    if doc.path.stem != str(m.year):
        c.add(doc, ("year",), f"year {m.year} differs from the file name {doc.path.name}")
    if meta is not None:  # None: plan.yaml has its own errors, reported already
        first, last = meta.period.start, meta.period.end
        if not first <= m.year <= last:
            c.add(doc, ("year",), f"{m.year} is outside the plan period {first}–{last}")
    rows = {i.id: i for i in src.indicators}
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
        elif isinstance(value, str) and ind.direction != "none" and value != NOT_APPLICABLE_VALUE:
            c.add(
                doc,
                (*loc, "value"),
                f"expected a number ({ind.display_unit or 'no unit'}), got {value!r}",
            )
        elif value is not None and not isinstance(value, str) and ind.direction == "none":
            c.add(doc, (*loc, "value"), f"expected the state reached (such as 建立), got {value}")
        elif isinstance(value, str) and ind.direction == "none" and value not in ind.states:
            known = "、".join(ind.states)
            c.add(doc, (*loc, "value"), f"expected one of {known}, got {value!r}")
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
        elif progress.invested is not None and estimates.get(no, 0) > 0:  # 0: not costed
            limit = estimates[no] * OVERRUN
            if progress.invested > limit:
                c.add(
                    doc,
                    (*loc, "invested"),
                    f"{money(progress.invested)} 万元 is more than {OVERRUN} times the estimate "
                    f"of {money(estimates[no])} 万元: check the unit (万元) and the figure",
                )
    for key, chapter in (
        ("tasks", meta.task_chapter if meta else None),
        ("safeguards", meta.safeguard_chapter if meta else None),
    ):
        _check_areas(c, src, doc, key, chapter, getattr(m, key))
    if m.funding:
        _check_funding(c, doc, m)
    return len(c.problems) == before


def _check_areas(
    c: Collector, src: Sources, doc: YamlDoc, key: str, chapter: str | None, given: dict
) -> None:
    """Progress keyed by a chapter's areas (一、…): only when that chapter was read, since a
    chapter with errors is reported in its own file."""
    if not any(ch.number == chapter for ch in src.chapters):
        return
    areas = task_areas(src.chapters, chapter)
    for area in given:
        if area not in areas:
            known = "、".join(a.rstrip("、") for a in areas) or "none"
            c.add(doc, (key, area), f"no area {area!r} in {chapter} (areas: {known})")


def _check_funding(c: Collector, doc: YamlDoc, m: Monitoring) -> None:
    """The sources of funds account for the investment the projects report, no more or less:
    a report whose two totals differ would contradict itself."""
    for name, amount in m.funding.items():
        if amount < 0:
            c.add(doc, ("funding", name), f"must not be negative, got {amount}")
            return
    funded = sum(m.funding.values(), Decimal(0))
    invested = sum((p.invested for p in m.projects.values() if p.invested is not None), Decimal(0))
    if funded != invested:
        c.add(
            doc,
            ("funding",),
            f"the sources add up to {money(funded)} 万元 but the projects report "
            f"{money(invested)} 万元 invested",
        )
