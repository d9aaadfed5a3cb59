"""The house style (templates/style.yaml), read once and shared by the PDF and Word writers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Font:
    word: str
    word_alt: str
    pdf: str


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


@dataclass(frozen=True)
class HouseStyle:
    margins_mm: dict[str, float]
    lines: int
    chars: int
    fonts: dict[str, Font]
    roles: dict[str, Role]

    @property
    def text_width_pt(self) -> float:
        return (210 - self.margins_mm["left"] - self.margins_mm["right"]) * PT_PER_MM

    @property
    def line_pitch_pt(self) -> float:
        """Exact line height giving `lines` lines in the type area (GB/T 9704: 22)."""
        height = 297 - self.margins_mm["top"] - self.margins_mm["bottom"]
        return round(height * PT_PER_MM / self.lines, 2)

    @property
    def letter_spacing_pt(self) -> float:
        """Tracking that fits `chars` body characters on a line (GB/T 9704: 28)."""
        body = self.roles["body"].size
        return round(self.text_width_pt / self.chars - body, 3)


@cache
def house_style(path: Path = TEMPLATES / "style.yaml") -> HouseStyle:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fonts = {k: Font(**v) for k, v in data["fonts"].items()}
    roles = {
        name: Role(name=name, **{**spec, "font": fonts[spec["font"]]})
        for name, spec in data["roles"].items()
    }
    page = data["page"]
    return HouseStyle(page["margin_mm"], page["lines"], page["chars"], fonts, roles)
