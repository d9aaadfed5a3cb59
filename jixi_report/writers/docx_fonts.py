"""Naming fonts in Word XML: python-docx sets only the Latin font (issue #154)."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

from ..base.style import Role

_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def set_fonts(rpr, east_asian: str, latin: str) -> None:
    """Name the East-Asian and Latin fonts on a w:rPr and drop theme fonts that would win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def in_face(run: Run, role: Role, latin: str) -> None:
    """A run set in a role's face, bold as that role is (a run-in heading: heading3's 楷体)."""
    set_fonts(run._r.get_or_add_rPr(), role.font.word, latin)
    run.bold = role.bold or None
