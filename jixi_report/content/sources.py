"""The files of a content directory, parsed and validated one value at a time.

What comes out may still be inconsistent across items and files (`checks.py` looks at that);
every problem found on the way is recorded, never raised, so the user sees them all at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.problems import Collector, M
from ..base.strict_yaml import Path_, YamlDoc
from .model import (
    Block,
    Category,
    Chapter,
    Figure,
    Indicator,
    Monitoring,
    Paragraph,
    PlanMeta,
    Project,
    Revision,
    Section,
    TableRef,
)

_BLOCK_KEYS = "a paragraph (text), or a mapping with one of: section, figure, table, lead"


@dataclass
class Sources:
    """One content directory as read: each file's document (for locating problems later) and
    the items validated from it. A file that could not be read leaves its parts empty."""

    root: Path
    plan: YamlDoc | None = None
    meta: PlanMeta | None = None
    chapter_files: int = 0  # found, whether or not they could be read
    chapter_docs: list[YamlDoc] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    indicators_doc: YamlDoc | None = None
    indicators: list[Indicator] = field(default_factory=list)
    indicator_locs: list[Path_] = field(default_factory=list)
    projects_doc: YamlDoc | None = None
    categories: list[Category] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    project_locs: list[Path_] = field(default_factory=list)
    monitoring: list[tuple[YamlDoc, Monitoring]] = field(default_factory=list)
    revision: Revision | None = None

    def known_ids(self) -> set[str] | None:
        """Indicator ids as written (as text, even of items with errors), or None while they
        cannot be trusted (the file unread, an id repeated): a year's data is then not told
        that an id is unknown, which would only echo the problem in indicators.yaml."""
        raw = _raw(self.indicators_doc, "indicators", "id")
        ids = [str(i) for i in raw or []]
        return set(ids) if raw is not None and len(set(ids)) == len(ids) else None

    def known_numbers(self) -> set[int] | None:
        """Project numbers as written, or None unless they run 1, 2, 3 … (see `known_ids`)."""
        raw = _raw(self.projects_doc, "projects", "no")
        expected = list(range(1, len(raw) + 1)) if raw is not None else None
        ok = raw is not None and sorted(raw, key=str) == sorted(expected or [], key=str)
        return set(expected or []) if ok else None


def _raw(doc: YamlDoc | None, key: str, name: str) -> list[Any] | None:
    """`name` of every item of the list `key`, as written; None when there is no such list."""
    items = doc.data.get(key) if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return None
    return [i.get(name) for i in items if isinstance(i, dict)]


def read_sources(c: Collector, root: Path) -> Sources:
    """Read every file under `root`; problems go to `c`."""
    src = Sources(root)
    _misnamed(c, root)
    src.plan = c.read(root / "plan.yaml")
    if src.plan is not None:
        src.meta = c.model(PlanMeta, src.plan.data, src.plan, ())
    chapter_files = _chapter_files(c, root / "chapters")
    src.chapter_files = len(chapter_files)
    for path in chapter_files:
        doc = c.read(path)
        if doc is not None:
            src.chapter_docs.append(doc)
            chapter = _chapter(c, doc)
            if chapter is not None:
                src.chapters.append(chapter)
    src.indicators_doc = c.read(root / "indicators.yaml")
    if src.indicators_doc is not None:
        top = _top(c, src.indicators_doc, {"indicators"})
        pairs = _list_of(c, src.indicators_doc, top, "indicators", Indicator)
        src.indicators = [m for m, _ in pairs]
        src.indicator_locs = [loc for _, loc in pairs]
    src.projects_doc = c.read(root / "projects.yaml")
    if src.projects_doc is not None:
        top = _top(c, src.projects_doc, {"categories", "projects"})
        src.categories = [m for m, _ in _list_of(c, src.projects_doc, top, "categories", Category)]
        pairs = _list_of(c, src.projects_doc, top, "projects", Project)
        src.projects = [m for m, _ in pairs]
        src.project_locs = [loc for _, loc in pairs]
    if (root / "revision.yaml").exists():  # optional: only a plan under revision has one
        doc = c.read(root / "revision.yaml")
        if doc is not None:
            src.revision = c.model(Revision, doc.data, doc, ())
    for doc in _monitoring_docs(c, root):
        monitoring = c.model(Monitoring, _monitoring_data(doc), doc, ())
        if monitoring is not None:
            src.monitoring.append((doc, monitoring))
    return src


# ---- plan files -----------------------------------------------------------------------------


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


MAX_LEVEL = 4  # 第一章 / 一、 / （一） / 1.: the headings a 公文 uses, and the templates render


def _section(c: Collector, doc: YamlDoc, data: Any, loc: Path_, level: int) -> Section | None:
    if not isinstance(data, dict):
        c.add(doc, loc, "expected a mapping with number, title and body")
        return None
    if level > MAX_LEVEL:
        c.add(doc, loc, "sections nest at most three levels below a chapter (一、 （一） 1.)")
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


def _chapter_files(c: Collector, folder: Path) -> list[Path]:
    """chapters/NN-*.yaml in order; a gap in the numbers is a chapter file lost, not a shorter
    plan."""
    _misnamed(c, folder)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        c.add_file(folder, "no chapter files (NN-*.yaml)")
    expected = 1
    for path in files:
        number = path.name.split("-", 1)[0]
        if not (number.isdigit() and "-" in path.name):
            c.add_file(path, "chapter files are named NN-name.yaml (01-general.yaml)")
        elif int(number) != expected:
            c.add_file(path, f"chapter files run 01, 02, 03 …: chapter {expected:02d} is missing")
            expected = int(number) + 1
        else:
            expected += 1
    return files


def _misnamed(c: Collector, folder: Path) -> None:
    """A .yml file would be silently left out: say so."""
    for path in sorted(folder.glob("*.yml")):
        c.add_file(path, f"content files end in .yaml: rename it {path.stem}.yaml")


# ---- monitoring files -----------------------------------------------------------------------


def _monitoring_docs(c: Collector, root: Path) -> list[YamlDoc]:
    _misnamed(c, root / "monitoring")
    docs = []
    for path in sorted((root / "monitoring").glob("*.yaml")):
        if not path.stem.isdigit() or len(path.stem) != 4:
            c.add_file(path, "monitoring files are named YYYY.yaml")
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
