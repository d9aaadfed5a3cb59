"""Checks across items and files, after each value has been validated on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..base import superscripts
from ..base.problems import Collector
from ..base.strict_yaml import Path_, YamlDoc
from . import placeholders
from .model import Chapter, Indicator, Paragraph, PlanMeta, Project, Rule, Section
from .sources import Sources


def check_plan(c: Collector, src: Sources) -> None:
    """Check what single values cannot show; `src.meta` is None if plan.yaml is invalid."""
    if src.plan is not None and src.meta is not None:
        _check_meta(c, src.meta, src.plan)
        every_chapter_read = len(src.chapters) == src.chapter_files
        numbers = {ch.number for ch in src.chapters}
        known = "、".join(ch.number for ch in src.chapters)
        for key in ("task_chapter", "safeguard_chapter"):
            named = getattr(src.meta, key)
            if named and every_chapter_read and named not in numbers:
                c.add(src.plan, (key,), f"no chapter {named} (chapters: {known})")
        if every_chapter_read:
            _check_goals(c, src.meta, src.plan, _all_text(src.chapters))
    for doc in src.chapter_docs:
        _check_placeholders(c, doc, len(src.meta.terms) if src.meta else None)
        _check_images(c, src, doc)
    for doc in (src.plan, *src.chapter_docs, src.indicators_doc, src.projects_doc):
        if doc is not None:
            _check_superscripts(c, doc)
    if src.indicators_doc is not None:
        _check_indicators(c, src, src.indicators_doc)
    if src.projects_doc is not None:
        _check_projects(c, src, src.projects_doc)


def _check_meta(c: Collector, meta: PlanMeta, doc: YamlDoc) -> None:
    if meta.period.end < meta.period.start:
        c.add(doc, ("period", "end"), f"period ends ({meta.period.end}) before it starts")
    if meta.base_year >= meta.period.start:
        c.add(doc, ("base_year",), "base year must come before the period starts")
    expected = meta.period.start
    for i, term in enumerate(meta.terms):
        if term.start != expected or term.end < term.start:
            c.add(doc, ("terms", i), f"terms must run on from {expected} without gaps")
        expected = term.end + 1
    if meta.terms and meta.terms[-1].end != meta.period.end:
        c.add(doc, ("terms",), f"the last term must end with the period ({meta.period.end})")
    _duplicates(
        c,
        doc,
        [(d, ("region", "divisions", i)) for i, d in enumerate(meta.region.divisions)],
        "division",
    )


def _all_text(blocks: list[Any]) -> str:
    """Every paragraph of the chapters, joined: where a quotation must be found."""
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Section | Chapter):
            out.append(_all_text(b.body))
    return "\n".join(out)


def _check_goals(c: Collector, meta: PlanMeta, doc: YamlDoc, text: str) -> None:
    """A term's goal is quoted in the reports as the plan's words: it must be them."""
    for i, term in enumerate(meta.terms):
        if term.goal and term.goal not in text:
            c.add(
                doc, ("terms", i, "goal"), "not found in the plan's chapters (quote it as written)"
            )


def _duplicates(c: Collector, doc: YamlDoc, keyed: list[tuple[Any, Path_]], what: str) -> None:
    seen: dict[Any, Path_] = {}
    for key, loc in keyed:
        if key in seen:
            line, _ = doc.where(seen[key])
            c.add(doc, loc, f"duplicate {what} {key!r} (first on line {line})")
        else:
            seen[key] = loc


def _strings(data: Any, loc: Path_) -> Iterator[tuple[str, Path_]]:
    if isinstance(data, str):
        yield data, loc
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*loc, i))


def _check_placeholders(c: Collector, doc: YamlDoc, terms: int | None) -> None:
    for text, loc in _strings(doc.data, ()):
        for message in placeholders.unknown(text, terms):
            c.add(doc, loc, message)


def _check_superscripts(c: Collector, doc: YamlDoc) -> None:
    for text, loc in _strings(doc.data, ()):
        for message in superscripts.problems(text):
            c.add(doc, loc, message)


IMAGE_TYPES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 30_000_000  # a map at print resolution is a few MB
LARGEST_PROJECT = 10**8  # 万元 (一万亿元): no single project of a city's plan costs more


def _check_images(c: Collector, src: Sources, doc: YamlDoc) -> None:
    """A figure's image is a PNG or JPEG file inside the content directory."""
    root = src.root.resolve()
    for text, loc in _strings(doc.data, ()):
        if loc[-2:-1] != ("figure",) or loc[-1] != "image":
            continue
        path = (src.root / text).resolve()
        if not path.is_relative_to(root):
            c.add(doc, loc, "the image must lie inside the content directory")
        elif path.suffix.lower() not in IMAGE_TYPES:
            c.add(doc, loc, "the image must be a PNG or JPEG file")
        elif not path.is_file():
            c.add(doc, loc, f"no such file: {text}")
        else:
            problem = _unreadable_image(path)
            if problem:
                c.add(doc, loc, problem)


def _unreadable_image(path: Path) -> str | None:
    """Why a PNG or JPEG file cannot be printed (truncated, not an image), or None."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    if path.stat().st_size > MAX_IMAGE_BYTES:  # before decoding it
        return f"{path.name} is larger than {MAX_IMAGE_BYTES // 1_000_000} MB: save a smaller copy"
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint sets it for the whole process
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as image:
            image.load()  # decodes every byte: a truncated file fails here
            if image.format not in ("PNG", "JPEG"):
                return f"{path.name} is {image.format}, not a PNG or JPEG image"
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        return f"{path.name} is not a readable image ({exc})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


# ---- indicators -----------------------------------------------------------------------------


def _rule_is_empty(rule: Rule) -> bool:
    return not rule.model_dump(exclude_defaults=True)


def _check_indicators(c: Collector, src: Sources, doc: YamlDoc) -> None:
    """Check ids, parents and cells; a sub-indicator leaves kind, domain and task to its parent."""
    items, locs = src.indicators, src.indicator_locs
    _duplicates(
        c,
        doc,
        [(ind.id, (*loc, "id")) for ind, loc in zip(items, locs, strict=True)],
        "indicator id",
    )
    by_id = {ind.id: ind for ind in items}
    raw = doc.data.get("indicators") if isinstance(doc.data, dict) else None
    # From the raw data, so a sub-indicator with its own error does not also orphan its parent.
    items_raw = raw if isinstance(raw, list) else []  # not a list: reported as such already
    has_children = {
        i["parent"] for i in items_raw if isinstance(i, dict) and isinstance(i.get("parent"), str)
    }
    for ind, loc in zip(items, locs, strict=True):
        parent = by_id.get(ind.parent) if ind.parent else None
        if ind.parent and parent is None:
            c.add(doc, (*loc, "parent"), f"no indicator with id {ind.parent!r}")
        elif parent is not None:
            if parent.parent:
                c.add(
                    doc, (*loc, "parent"), "a sub-indicator's parent must be a top-level indicator"
                )
            for key in ("number", "kind", "domain", "task"):
                if getattr(ind, key) is not None:
                    c.add(
                        doc, (*loc, key), "sub-indicators inherit this from their parent: remove it"
                    )
        else:
            if ind.kind is None:
                c.add(doc, (*loc, "kind"), "required field is missing (binding or reference)")
            if ind.kind == "binding" and (ind.domain is None or ind.task is None):
                c.add(doc, loc, "a binding indicator needs domain and task")
        if ind.id in has_children:
            if ind.standard or ind.baseline or ind.targets:
                c.add(doc, loc, "an indicator with sub-indicators carries no values of its own")
        elif ind.standard is None:
            c.add(doc, (*loc, "standard"), "required field is missing")
        else:
            _check_row(c, doc, ind, loc, src.meta)


def _check_row(
    c: Collector,
    doc: YamlDoc,
    ind: Indicator,
    loc: Path_,
    meta: PlanMeta | None,
) -> None:
    if ind.direction is None:
        c.add(doc, (*loc, "direction"), "required field is missing (higher, lower or none)")
    if ind.baseline is None:
        c.add(doc, (*loc, "baseline"), "required field is missing")
    if meta is not None and set(ind.targets) != set(meta.milestones):
        want = ", ".join(str(y) for y in meta.milestones)
        c.add(doc, (*loc, "targets"), f"expected targets for the milestone years {want}")
    cells = [("standard", ind.standard)] + [
        (("targets", y), cell) for y, cell in ind.targets.items()
    ]
    for key, cell in cells:
        if cell is None:
            continue
        where = (*loc, *(key if isinstance(key, tuple) else (key,)), "rule")
        for problem in _rule_problems(cell.rule, meta):
            c.add(doc, where, problem)


def _rule_problems(rule: Rule, meta: PlanMeta | None) -> list[str]:
    """What makes a rule unusable; region rules are checked once plan.yaml could be read."""
    if _rule_is_empty(rule):
        return ["rule says nothing: give at least one of its keys"]
    problems = []
    if rule.by_region is not None and meta is not None:
        zone = meta.region.zone
        zones = [z for row in rule.by_region for z in row.regions]
        if zone is None:
            problems.append("the rule depends on the region: set region.zone in plan.yaml")
        elif zone not in zones:
            problems.append(f"no row for the plan's region zone {zone!r}")
    for sub in (rule.components or {}).values():
        problems += _rule_problems(sub, meta)
    return problems


# ---- projects -------------------------------------------------------------------------------


def _check_projects(c: Collector, src: Sources, doc: YamlDoc) -> None:
    names = {cat.name for cat in src.categories}
    _duplicates(
        c,
        doc,
        [(cat.name, ("categories", i, "name")) for i, cat in enumerate(src.categories)],
        "category",
    )
    pairs = list(zip(src.projects, src.project_locs, strict=True))
    _duplicates(c, doc, [(p.no, (*loc, "no")) for p, loc in pairs], "project number")
    expected = 1
    for p, loc in sorted(pairs, key=lambda pair: pair[0].no):
        if p.no > expected:
            missing = f"{expected}" if p.no == expected + 1 else f"{expected}–{p.no - 1}"
            c.add(
                doc,
                (*loc, "no"),
                f"project numbers must run 1, 2, 3 … without gaps: {missing} missing",
            )
        expected = max(expected, p.no + 1)
    for p, loc in pairs:
        if p.category not in names:
            c.add(
                doc,
                (*loc, "category"),
                f"{p.category!r} is not one of the categories: {'、'.join(names)}",
            )
        if p.period.end < p.period.start:
            c.add(
                doc, (*loc, "period"), f"ends ({p.period.end}) before it starts ({p.period.start})"
            )
        if p.investment < 0:
            c.add(doc, (*loc, "investment"), f"must not be negative, got {p.investment}")
        elif p.investment > LARGEST_PROJECT:
            c.add(
                doc,
                (*loc, "investment"),
                f"{p.investment} 万元 is implausibly large for one project: check the unit (万元)",
            )
        if src.meta is not None:
            _check_project_place(c, src.meta, doc, p, loc)


def _check_project_place(
    c: Collector, meta: PlanMeta, doc: YamlDoc, p: Project, loc: Path_
) -> None:
    """Years within the plan's (base year allowed); division within the region."""
    if p.period.start <= p.period.end and (
        p.period.start < meta.base_year or p.period.end > meta.period.end
    ):
        c.add(
            doc,
            (*loc, "period"),
            f"{p.period.start}-{p.period.end} lies outside the plan's years "
            f"{meta.base_year}-{meta.period.end}",
        )
    divisions = meta.region.divisions
    if len(set(divisions)) < len(divisions):  # reported in plan.yaml; the list is not to be trusted
        return
    if p.division is not None and p.division not in divisions:
        c.add(doc, (*loc, "division"), f"{p.division!r} is not a division of {meta.region.name}")
