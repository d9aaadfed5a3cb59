"""Content directory → validated `Plan`, collecting every problem before giving up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamldoc
from .errors import ContentError, Problem
from .model import (
    Block,
    Category,
    Chapter,
    Figure,
    Indicator,
    Monitoring,
    Paragraph,
    Plan,
    PlanMeta,
    Project,
    Section,
    TableRef,
    shown,
)
from .yamldoc import Path_, YamlDoc

M = TypeVar("M", bound=BaseModel)

_BLOCK_KEYS = "a paragraph (text), or a mapping with one of: section, figure, table, lead"


class Collector:
    """Gathers problems from every file so the user sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def read(self, path: Path) -> YamlDoc | None:
        try:
            return yamldoc.read(path)
        except yamldoc.ProblemFound as found:
            self.problems.append(found.problem)
            return None

    def model(self, cls: type[M], data: Any, doc: YamlDoc, loc: Path_) -> M | None:
        """Validate `data` (found at `loc` in `doc`) as `cls`; record problems, return None."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(_problem(doc, loc, data, err))
            return None

    def add(self, doc: YamlDoc, loc: Path_, message: str) -> None:
        self.problems.append(doc.problem(loc, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def _problem(doc: YamlDoc, base: Path_, data: Any, err: Any) -> Problem:
    loc = (*base, *err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return doc.problem(loc, f"unknown key '{err['loc'][-1]}'")
    if kind == "missing":
        parent = loc[:-1]
        line, col = doc.where(parent)
        return Problem(doc.path, line, col, yamldoc.format_loc(loc), "required field is missing")
    if kind in ("model_type", "dict_type"):
        return doc.problem(loc, f"expected a mapping, got {shown(err.get('input'))}")
    if kind == "list_type":
        return doc.problem(loc, f"expected a list, got {shown(err.get('input'))}")
    if kind in ("bool_type", "bool_parsing"):
        return doc.problem(loc, f"expected true or false, got {shown(err.get('input'))}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return doc.problem(loc, f"expected a whole number, got {shown(err.get('input'))}")
    if kind.startswith("literal_"):
        return doc.problem(loc, f"got {shown(err.get('input'))}: {err['msg'].lower()}")
    return doc.problem(loc, err["msg"])


# ---- files ----------------------------------------------------------------------------------


def _top(c: Collector, doc: YamlDoc, allowed: set[str]) -> dict[str, Any]:
    """The top-level mapping of a file, with unknown keys reported."""
    if not isinstance(doc.data, dict):
        c.add(doc, (), "expected a mapping at the top of the file")
        return {}
    for extra in sorted(set(doc.data) - allowed, key=str):
        c.add(doc, (extra,), f"unknown key '{extra}'")
    return doc.data


def _list_of(
    c: Collector, doc: YamlDoc, top: dict[str, Any], key: str, cls: type[M]
) -> list[tuple[M, Path_]]:
    """Validate `top[key]` as a non-empty list of `cls`; keep each item's location."""
    items = top.get(key)
    if not isinstance(items, list) or not items:
        c.add(doc, (key,), f"expected a non-empty list of {key}")
        return []
    out = []
    for i, item in enumerate(items):
        model = c.model(cls, item, doc, (key, i))
        if model is not None:
            out.append((model, (key, i)))
    return out


def _blocks(c: Collector, doc: YamlDoc, items: Any, loc: Path_, level: int) -> list[Block]:
    if not isinstance(items, list):
        c.add(doc, loc, "expected a list of blocks")
        return []
    out: list[Block] = []
    for i, item in enumerate(items):
        block = _block(c, doc, item, (*loc, i), level)
        if block is not None:
            out.append(block)
    return out


def _block(c: Collector, doc: YamlDoc, item: Any, loc: Path_, level: int) -> Block | None:
    if isinstance(item, str):
        return c.model(Paragraph, {"text": item}, doc, loc)
    if not isinstance(item, dict):
        c.add(doc, loc, f"expected {_BLOCK_KEYS}")
        return None
    if "lead" in item:
        return c.model(Paragraph, {"text": "", **item}, doc, loc)
    simple: dict[str, Callable[..., Any]] = {"figure": Figure, "table": TableRef}
    if len(item) != 1 or next(iter(item)) not in (*simple, "section"):
        c.add(doc, loc, f"expected {_BLOCK_KEYS}")
        return None
    kind, inner = next(iter(item.items()))
    if kind in simple:
        return c.model(simple[kind], inner, doc, (*loc, kind))  # type: ignore[arg-type]
    return _section(c, doc, inner, (*loc, "section"), level + 1)


def _section(c: Collector, doc: YamlDoc, data: Any, loc: Path_, level: int) -> Section | None:
    if not isinstance(data, dict):
        c.add(doc, loc, "expected a mapping with number, title and body")
        return None
    body = _blocks(c, doc, data.get("body", []), (*loc, "body"), level)
    head = {k: v for k, v in data.items() if k != "body"}
    return c.model(Section, {**head, "level": level, "body": body}, doc, loc)


def _chapter(c: Collector, doc: YamlDoc) -> Chapter | None:
    if not isinstance(doc.data, dict):
        c.add(doc, (), "expected a mapping with number, title and body")
        return None
    body = _blocks(c, doc, doc.data.get("body"), ("body",), 1)
    head = {k: v for k, v in doc.data.items() if k != "body"}
    if "body" not in doc.data:
        c.add(doc, (), "required field 'body' is missing")
    return c.model(Chapter, {**head, "body": body, "source": doc.path}, doc, ())


# ---- the whole directory --------------------------------------------------------------------


class Sources:
    """The parsed files of one content directory, kept for locating later problems."""

    def __init__(self) -> None:
        self.plan: YamlDoc | None = None
        self.chapters: list[YamlDoc] = []
        self.indicators: YamlDoc | None = None
        self.projects: YamlDoc | None = None
        self.indicator_locs: list[Path_] = []
        self.project_locs: list[Path_] = []


def load(root: Path) -> Plan:
    """Read and validate everything under `root`; raises ContentError listing all problems."""
    from .validate import check_plan  # cross-item checks, kept apart for length
    from .validate_monitoring import check_monitoring

    root = Path(root)
    c = Collector()
    if not root.is_dir():
        raise ContentError([Problem(root, None, None, None, "content directory not found")])
    src = Sources()
    meta = None
    src.plan = c.read(root / "plan.yaml")
    if src.plan is not None:
        meta = c.model(PlanMeta, src.plan.data, src.plan, ())
    chapter_files = sorted((root / "chapters").glob("*.yaml"))
    if not chapter_files:
        c.problems.append(
            Problem(root / "chapters", None, None, None, "no chapter files (NN-*.yaml)")
        )
    chapters = []
    for path in chapter_files:
        doc = c.read(path)
        if doc is not None:
            src.chapters.append(doc)
            chapter = _chapter(c, doc)
            if chapter is not None:
                chapters.append(chapter)
    indicators: list[Indicator] = []
    src.indicators = c.read(root / "indicators.yaml")
    if src.indicators is not None:
        top = _top(c, src.indicators, {"indicators"})
        pairs = _list_of(c, src.indicators, top, "indicators", Indicator)
        indicators = [m for m, _ in pairs]
        src.indicator_locs = [loc for _, loc in pairs]
    categories: list[Category] = []
    projects: list[Project] = []
    src.projects = c.read(root / "projects.yaml")
    if src.projects is not None:
        top = _top(c, src.projects, {"categories", "projects"})
        categories = [m for m, _ in _list_of(c, src.projects, top, "categories", Category)]
        pairs = _list_of(c, src.projects, top, "projects", Project)
        projects = [m for m, _ in pairs]
        src.project_locs = [loc for _, loc in pairs]
    plan = Plan(root, meta, chapters, indicators, categories, projects)  # type: ignore[arg-type]
    check_plan(c, plan, src)
    known = _raw_keys(src.indicators, "indicators", "id"), _raw_keys(src.projects, "projects", "no")
    for doc in _monitoring_docs(c, root):
        data = _monitoring_data(doc)
        monitoring = c.model(Monitoring, data, doc, ())
        if monitoring is not None and check_monitoring(c, plan, doc, monitoring, *known):
            plan.monitoring[monitoring.year] = monitoring
    c.raise_if_any()
    return plan


def _raw_keys(doc: YamlDoc | None, key: str, field: str) -> set[Any] | None:
    """Ids as written, even of items with errors: None when the file could not be read at all."""
    items = doc.data.get(key) if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return None
    return {i.get(field) for i in items if isinstance(i, dict)}


def _monitoring_docs(c: Collector, root: Path) -> list[YamlDoc]:
    docs = []
    for path in sorted((root / "monitoring").glob("*.yaml")):
        if not path.stem.isdigit() or len(path.stem) != 4:
            c.problems.append(
                Problem(path, None, None, None, "monitoring files are named YYYY.yaml")
            )
            continue
        doc = c.read(path)
        if doc is not None:
            docs.append(doc)
    return docs


def _monitoring_data(doc: YamlDoc) -> Any:
    """A bare number or state for an indicator is shorthand for {value: …}."""
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("indicators"), dict):
        data = {
            **data,
            "indicators": {
                k: v if isinstance(v, dict) else {"value": v} for k, v in data["indicators"].items()
            },
        }
    return data
