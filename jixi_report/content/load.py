"""Content directory → validated `Plan`, collecting every problem before giving up.

Four steps, in this order: read each file (`sources.py`), check across items and files
(`checks.py`, `monitoring_checks.py`), let sub-indicators inherit their parent's kind, domain
and task, and only then build the `Plan` — never a half-valid one.
"""

from __future__ import annotations

from pathlib import Path

from ..base.errors import ContentError, Problem
from ..base.problems import Collector
from .checks import check_plan
from .model import Indicator, Plan
from .monitoring_checks import check_monitoring
from .sources import read_sources


def load(root: Path) -> Plan:
    """Read and validate everything under `root`; raises ContentError listing all problems."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(root, None, None, None, "content directory not found")])
    c = Collector()
    src = read_sources(c, root)
    check_plan(c, src)
    indicators = inherit_from_parents(src.indicators)
    monitoring = {m.year: m for doc, m in src.monitoring if check_monitoring(c, src, doc, m)}
    c.raise_if_any()
    assert src.meta is not None  # plan.yaml had no problem, so it was read
    return Plan(
        root,
        src.meta,
        src.chapters,
        indicators,
        src.categories,
        src.projects,
        monitoring,
        src.revision,
    )


def inherit_from_parents(indicators: list[Indicator]) -> list[Indicator]:
    """Sub-indicators (4.1, 4.2 …) as Table 1 reads them: with their parent's kind, domain
    and task, which the content writes once, on the parent; and its leading and partner units
    where the sub-row names none of its own."""
    by_id = {i.id: i for i in indicators}
    out = []
    for ind in indicators:
        parent = by_id.get(ind.parent) if ind.parent else None
        if parent is not None:
            ind = ind.model_copy(
                update={
                    "kind": parent.kind,
                    "domain": parent.domain,
                    "task": parent.task,
                    "lead": ind.lead or parent.lead,
                    "partners": ind.partners or parent.partners,
                }
            )
        out.append(ind)
    return out
