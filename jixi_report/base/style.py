"""The house style (templates/style.yaml): fonts, sizes, page and colours, read once, typed.

It is read through the strict YAML reader like the content, so a typo in the style file is a
located problem, not a silently different document. The PDF's print.css, the Word reference
document, the Word writer and the charts all take their fonts, sizes and colours from here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, PlainValidator
from pydantic_core import PydanticCustomError

from .problems import Collector, shown

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
PT_PER_MM = 72 / 25.4
_TRACKING_SLACK_PT = 0.01  # a character's share of the line left spare (letter_spacing_pt)
_ON_THE_GRID = frozenset(("body", "signature"))  # the roles tracked to 28 a line
_HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("number", "expected a number, got {got}", {"got": shown(value)})
    number = float(value)
    return int(number) if number.is_integer() else number  # 16, not 16.0, in print.css


def _colour(value: Any) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise PydanticCustomError(
            "colour", 'expected a colour such as "#1e7b34", got {got}', {"got": shown(value)}
        )
    return value.lower()


Pt = Annotated[float, PlainValidator(_float)]
Colour = Annotated[str, PlainValidator(_colour)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Font(_Model):
    word: str  # the font an office's Word or WPS has (w:eastAsia)
    word_alt: str  # Word's fallback name for it
    pdf: str  # the open font embedded in the PDF when the office gives none of `office`
    office: list[str] = []  # family names the office's own font files may carry, preferred


class Fill(_Model):
    """How a status or a project state is coloured: text in tables, fill and hatch in charts."""

    fill: Colour
    hatch: str = ""  # matplotlib hatch: keeps fills apart in a greyscale print
    text: Colour | None = None


class _Margins(_Model):
    top: Pt
    bottom: Pt
    left: Pt
    right: Pt


class _Page(_Model):
    size: Literal["A4"]
    margin_mm: _Margins
    lines: int
    chars: int


class _Role(_Model):
    style: str
    font: str
    size: Pt
    align: Literal["left", "center", "right", "justify"] = "left"
    bold: bool = False
    indent_chars: Pt = 0
    page_break_before: bool = False
    line_pt: Pt | None = None
    gap_pt: Pt = 0  # between a caption and what it captions
    after_lines: float = 0  # space below it, in body lines (a chapter title: one)
    colour: Colour = "#000000"


class _Series(_Model):
    planned: Colour
    done: Colour


class Line(_Model):
    """One series of a trend panel: colour, and what tells it apart in a greyscale print."""

    colour: Colour
    dash: list[Pt] = []  # on/off lengths in points; none: solid
    marker: str = ""  # a matplotlib marker; none: a line without markers
    hollow: bool = False  # the marker outlined, not filled


class _Lines(_Model):
    value: Line
    standard: Line


class _Heights(_Model):
    portrait: Pt
    landscape: Pt


class ChartStyle(_Model):
    font: str  # a key of `fonts`: the charts are drawn in its PDF face
    text_pt: Pt  # sizes as printed: each chart is drawn at the width it is printed
    small_pt: Pt  # the smallest text of any chart
    min_span: Pt  # a trend panel's y range: at least this share of its largest value
    panels: int  # trend panels per figure
    max_height_mm: _Heights  # the tallest figure printed at full width; taller ones shrink
    series: _Series
    lines: _Lines
    milestones: list[Line]
    projects: dict[str, Fill]  # project states other than 完工, which is coloured as 达标


class Revisions(_Model):
    inserted: Colour
    deleted: Colour


class Cover(_Model):
    top_mm: float  # above the title, below the top margin
    subtitle_gap_mm: float  # above the subtitle
    notes_gap_mm: float  # above the issuer and date


class Numbers(_Model):
    thousands: str  # groups the digits of a figure in threes (",", or a thin space)
    column_decimals: Literal["widest"]  # a table column: as many decimals as its longest


class Tables(_Model):
    cell_padding_mm: float  # left and right of a cell's text (PDF and Word)


class _StyleFile(_Model):
    page: _Page
    numbers: Numbers
    tables: Tables
    cover: Cover
    fonts: dict[str, Font]
    roles: dict[str, _Role]
    colours: dict[Literal["met", "not_met", "undecided", "no_data", "not_applicable"], Fill]
    revisions: Revisions
    charts: ChartStyle


@dataclass(frozen=True)
class Role:
    name: str
    style: str
    font: Font
    size: float
    align: str = "left"
    bold: bool = False
    indent_chars: float = 0
    page_break_before: bool = False
    line_pt: float | None = None
    gap_pt: float = 0
    after_lines: float = 0
    colour: str = "#000000"


@dataclass(frozen=True)
class HouseStyle:
    margins_mm: dict[str, float]
    lines: int
    chars: int
    fonts: dict[str, Font]
    roles: dict[str, Role]
    colours: dict[str, Fill]  # status code → colours
    charts: ChartStyle
    revisions: Revisions  # colours of changes shown in a revised draft
    cover: Cover
    numbers: Numbers
    tables: Tables

    @property
    def text_width_pt(self) -> float:
        return (210 - self.margins_mm["left"] - self.margins_mm["right"]) * PT_PER_MM

    @property
    def landscape_width_pt(self) -> float:
        """The text width of a landscape page: the portrait page turned (print.css)."""
        return (297 - self.margins_mm["top"] - self.margins_mm["bottom"]) * PT_PER_MM

    @property
    def landscape_height_pt(self) -> float:
        return (210 - self.margins_mm["left"] - self.margins_mm["right"]) * PT_PER_MM

    @property
    def line_pitch_pt(self) -> float:
        """Line height giving `lines` lines in the type area (GB/T 9704: 22), rounded down:
        rounded up, the last line would not fit."""
        height = 297 - self.margins_mm["top"] - self.margins_mm["bottom"]
        return math.floor(height * PT_PER_MM / self.lines * 100) / 100

    @property
    def letter_spacing_pt(self) -> float:
        """Tracking that fits `chars` body characters on a line (GB/T 9704: 28), a hair
        tighter than the exact figure: the layout rounds each character's advance, and at
        the exact figure 28 of them overran the line by 0.05 px, so every line held 27.
        Justified lines are stretched to the full width all the same."""
        body = self.roles["body"].size
        exact = self.text_width_pt / self.chars - body
        return math.floor((exact - _TRACKING_SLACK_PT) * 1000) / 1000

    @property
    def word_letter_spacing_pt(self) -> float:
        """The Word styles' tracking for `chars` characters a line: tighter than the PDF's,
        so that a line's 28 characters and a 。 or ， after them, squeezed to half its width,
        fit. Word breaks a character earlier where it does not fit (as the PDF does);
        LibreOffice squeezes it in if it can, and otherwise drops it from the page (a plan
        converted there lost 12 。 at the PDF's tracking). Justified lines fill the measure
        all the same."""
        body = self.roles["body"].size
        return self.text_width_pt / (self.chars + 0.5) - body

    def tracking_pt(self, role: Role, word: bool = False) -> float:
        """A role's letter spacing: the body's on the 28-character grid (body text and the
        落款, whose place is counted in its characters), none for the rest (titles, headings,
        tables, the 版记 set their own measure). print.css and the Word styles (`word`) ask."""
        if role.name not in _ON_THE_GRID:
            return 0.0
        if word and role.name == "body":  # full lines: room for a squeezed 。 at their end
            return self.word_letter_spacing_pt
        return self.letter_spacing_pt  # the 落款's lines are never full: its place exact

    def with_pdf_fonts(self, families: dict[str, str]) -> HouseStyle:
        """This style with the PDF family of some fonts (by key) replaced: the office's own
        font files, found in its fonts folder, serve those roles in the PDF."""
        fonts = {
            key: font.model_copy(update={"pdf": families[key]}) if key in families else font
            for key, font in self.fonts.items()
        }
        key_of = {id(font): key for key, font in self.fonts.items()}  # roles hold these fonts
        roles = {
            name: replace(role, font=fonts[key_of[id(role.font)]])
            for name, role in self.roles.items()
        }
        return replace(self, fonts=fonts, roles=roles)

    @property
    def chart_font(self) -> str:
        return self.fonts[self.charts.font].pdf


def _margins(page: _Page) -> dict[str, float]:
    return {k: float(v) for k, v in page.margin_mm.model_dump().items()}


@cache
def house_style(path: Path = TEMPLATES / "style.yaml") -> HouseStyle:
    """The style file, checked; raises ContentError naming the file, line and field."""
    c = Collector()
    doc = c.read(path)
    spec = c.model(_StyleFile, doc.data, doc, ()) if doc is not None else None
    if doc is not None and spec is not None:
        for name, role in spec.roles.items():
            if role.font not in spec.fonts:
                c.add(doc, ("roles", name, "font"), f"no font {role.font!r} under fonts")
        if spec.charts.font not in spec.fonts:
            c.add(doc, ("charts", "font"), f"no font {spec.charts.font!r} under fonts")
        missing = {"met", "not_met", "undecided", "no_data", "not_applicable"} - set(spec.colours)
        for code in sorted(missing):
            c.add(doc, ("colours",), f"no colours for the status {code}")
        for code, fill in spec.colours.items():
            if fill.text is None:
                c.add(doc, ("colours", code, "text"), "required field is missing")
    c.raise_if_any()
    assert spec is not None
    roles = {
        name: Role(name=name, **{**r.model_dump(), "font": spec.fonts[r.font]})
        for name, r in spec.roles.items()
    }
    return HouseStyle(
        _margins(spec.page),
        spec.page.lines,
        spec.page.chars,
        dict(spec.fonts),
        roles,
        dict(spec.colours),
        spec.charts,
        spec.revisions,
        spec.cover,
        spec.numbers,
        spec.tables,
    )
