"""The office's own fonts in the PDF: files dropped into `fonts/` beside the content folder.

An office that owns 仿宋_GB2312, 方正小标宋简体, 黑体 or 楷体_GB2312 puts the font files (.ttf,
.otf, .ttc) into that folder; each font of the house style lists, under `office`, the family
names that may serve it (templates/style.yaml). The first name found in a file (any family or
full name it carries, in any language) wins and the PDF embeds that file, declared with
@font-face; a font none of whose names is there keeps its open fallback (`pdf`). The choice is
made here once and read by the PDF writer and by `jixi-report check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..base.style import HouseStyle, house_style

FOLDER = "fonts"  # beside the content folder
_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_NAME_IDS = (1, 4, 16)  # family, full name, typographic family


def folder_for(content: Path) -> Path:
    """Where an office puts its fonts: `fonts/` beside its content folder."""
    return content.resolve().parent / FOLDER


@dataclass(frozen=True)
class Choice:
    """The face serving one font of the house style in the PDF."""

    key: str  # the style's font key: fangsong, heiti …
    family: str  # the family name the PDF's stylesheet uses
    file: Path | None  # the office's file; None: the open fallback, installed on the system
    wanted: tuple[str, ...]  # the office names looked for


def faces(folder: Path) -> dict[str, Path]:
    """Every name (family, full) a font file in the folder carries → the file."""
    return _faces(folder.resolve(), stamp(folder))


def stamp(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """The folder's font files as they are now (name, size, time): a new file is noticed."""
    if folder is None or not folder.is_dir():
        return ()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES)
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@cache
def _faces(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, Path]:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    found: dict[str, Path] = {}
    for name, _size, _mtime in stamp:
        path = folder / name
        try:
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = list(TTCollection(str(path), lazy=True).fonts)[:1]  # its first face
            else:
                fonts = [TTFont(str(path), lazy=True)]
            for record in fonts[0]["name"].names:
                if record.nameID in _NAME_IDS:
                    found.setdefault(record.toUnicode().strip(), path)
        except (TTLibError, KeyError, ValueError, OSError, UnicodeDecodeError, AssertionError):
            continue  # not a font: ignored, as a font program would
    return found


def choose(folder: Path | None, style: HouseStyle | None = None) -> dict[str, Choice]:
    """For each font of the house style, the office's face in `folder` or the open one."""
    style = style or house_style()
    there = faces(folder) if folder is not None else {}
    chosen = {}
    for key, font in style.fonts.items():
        name = next((n for n in font.office if n in there), None)
        wanted = tuple(font.office)
        if name is None:
            chosen[key] = Choice(key, font.pdf, None, wanted)
        else:
            chosen[key] = Choice(key, name, there[name], wanted)
    return chosen


def pdf_style(folder: Path | None) -> tuple[HouseStyle, str]:
    """The house style with the office's faces in place, and the @font-face rules that make
    WeasyPrint load them from their files."""
    chosen = choose(folder)
    office = {key: c.family for key, c in chosen.items() if c.file is not None}
    rules = "".join(
        f'@font-face {{ font-family: "{c.family}"; src: url("{c.file.as_uri()}"); }}\n'
        for c in {c.family: c for c in chosen.values() if c.file is not None}.values()
        if c.file is not None
    )
    return house_style().with_pdf_fonts(office), rules


def describe(folder: Path) -> list[str]:
    """Which face serves each role in the PDF, as `check` prints it."""
    chosen = choose(folder)
    style = house_style()
    key_of = {id(font): key for key, font in style.fonts.items()}
    lines = [f"  fonts (PDF; the office's own from {folder}):"]
    for name, role in style.roles.items():
        choice = chosen[key_of[id(role.font)]]
        if choice.file is not None:
            source = f"office font {choice.file.name}"
        elif choice.wanted:
            source = f"open fallback: none of {', '.join(choice.wanted)} found"
        else:
            source = "open font"
        lines.append(f"    {name:<15} {choice.family} ({source})")
    return lines
