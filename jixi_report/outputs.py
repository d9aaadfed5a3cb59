"""What a build writes, and whether what it wrote last is still up to date.

A document is made from its content files (a report also reads the years before it; the plan
no monitoring data), the templates and house style, the code, the formats asked for and the
build date. When none of these changed since the document was built and its files are still the
ones that build wrote, building it again would write the same bytes: `jixi-report plan` and
`report` then say so and stop, and `build --all` skips it. Only the standard library is
imported here, so that answer costs a few hundredths of a second, not the pipeline's imports.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .base.clock import build_date
from .base.errors import BuildError, UsageError

FORMATS = ("html", "pdf", "docx")
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"
RECORD = Path(".cache") / "built.json"  # document → what it was built from, and its files


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(f"--format takes a comma list of {', '.join(FORMATS)}; got {text!r}")
    return wanted


def files_of(out: Path, year: int | None, formats: tuple[str, ...]) -> list[Path]:
    """The files a build of the plan (year None) or a year's report writes."""
    folder, stem = (out / "plan", "plan") if year is None else (out / str(year), "report")
    return [folder / f"{stem}.{f}" for f in formats]


def fingerprint(content: Path, year: int | None, formats: tuple[str, ...]) -> str:
    """Everything a document is made from, hashed."""
    digest = hashlib.sha256(f"{year}|{','.join(formats)}|{build_date()}".encode())
    files = sorted(p for p in content.rglob("*") if p.is_file())
    code = sorted(PACKAGE.rglob("*.py")) + sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    for path in (*files, *code):
        if _reads(content, path, year):
            root = content if path.is_relative_to(content) else PACKAGE.parent
            name = path.relative_to(root).as_posix()  # the same wherever the folders lie
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _reads(content: Path, path: Path, year: int | None) -> bool:
    """Whether the document of `year` (None: the plan) is made from `path`."""
    if path.name.startswith((".~lock.", "~$")):  # an office program's lock file
        return False
    if not path.is_relative_to(content) or path.parent.name != "monitoring":
        return True
    stem = path.stem
    return year is not None and stem.isdigit() and int(stem) <= year


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _record(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(out: Path, name: str, made_from: str, files: list[Path]) -> bool:
    """Whether `name` was last built from `made_from` and its files are still those it wrote
    (none deleted, replaced or edited by hand)."""
    entry = _record(out).get(name)
    if not isinstance(entry, dict) or entry.get("from") != made_from:
        return False
    wrote = entry.get("files")
    if not isinstance(wrote, dict) or set(wrote) != {p.name for p in files}:
        return False
    return all(_digest(p) == wrote[p.name] for p in files)


def remember(out: Path, name: str, made_from: str, files: list[Path]) -> None:
    """Note that `name` was built from `made_from` into `files`; a record that cannot be
    written only costs the next build its shortcut."""
    from .base.files import atomic_bytes

    record = _record(out)
    record[name] = {"from": made_from, "files": {p.name: _digest(p) for p in files}}
    try:
        atomic_bytes(out / RECORD, json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    except BuildError:
        pass
