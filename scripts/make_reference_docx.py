"""Regenerate templates/reference.docx from templates/style.yaml.

The Word writer only names styles; this script decides what they look like, so the look of the
Word output is reviewable as code and an office can still restyle the file in Word. Run it after
changing style.yaml: `.venv/bin/python scripts/make_reference_docx.py`.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from jixi_report.base.files import atomic_bytes
from jixi_report.base.style import TEMPLATES, HouseStyle, Role, house_style
from jixi_report.writers.docx_fields import switched_off
from jixi_report.writers.docx_fonts import set_fonts
from jixi_report.writers.docx_zip import repeatable_docx

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
HEADING_LEVEL = {"Heading 1": 0, "Heading 2": 1, "Heading 3": 2, "Heading 4": 3}


def _style(document: docx.document.Document, name: str):
    try:
        return document.styles[name]
    except KeyError:
        return document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _apply(document: docx.document.Document, role: Role, house: HouseStyle) -> None:
    style = _style(document, role.style)
    if role.style != "Normal":
        style.base_style = document.styles["Normal"]
    style.hidden = False
    style.quick_style = True
    font = style.font
    set_fonts(style.element.get_or_add_rPr(), role.font.word, house.fonts["latin"].word)
    font.size = Pt(role.size)
    font.bold = role.bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(role.colour.lstrip("#").upper())
    _tracking(style.element.get_or_add_rPr(), house.tracking_pt(role, word=True))
    pf = style.paragraph_format
    pf.alignment = ALIGN[role.align]
    pf.space_before = Pt(0)
    # Space below as print.css sets it: a chapter title's body line; a caption's gap to the
    # table below it (a figure's picture, set in the caption's style, gets it above its own)
    pf.space_after = Pt(role.after_lines * house.line_pitch_pt + role.gap_pt)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(role.line_pt or max(house.line_pitch_pt, role.size * 1.3))
    pf.first_line_indent = Pt(role.indent_chars * role.size) if role.indent_chars else Pt(0)
    if role.indent_chars:  # Word/WPS keep a character-based indent when the size changes
        pf.element.get_or_add_pPr().get_or_add_ind().set(
            qn("w:firstLineChars"), str(int(role.indent_chars * 100))
        )
    pf.page_break_before = role.page_break_before
    pf.widow_control = True
    ppr = pf.element.get_or_add_pPr()
    if role.name != "body":  # only body text sits on the 22-line grid; tables would be spaced out
        switched_off(ppr, "w:snapToGrid")
    if role.name == "body":  # Normal: every style inherits it
        # Punctuation does not hang past the right margin: a full line of 28 characters
        # takes its 。 or ， along by breaking one character earlier, as the PDF does. Word
        # would hang it in the margin; LibreOffice drops it from the page.
        switched_off(ppr, "w:overflowPunct")
    if role.name == "body" or role.name.startswith("table"):
        # No space added between Chinese and Latin text or figures (Word's default, and
        # LibreOffice's reading of it): the PDF adds none, so a line holds what the PDF's
        # holds (28 characters, 共设置27项 not 共设置 27 项), a cell wraps where the PDF's
        # does, its row as tall, and a table cut where the PDF cut it fits its page in Word
        # too. Every style but the tables' (their own) inherits it from Normal.
        switched_off(ppr, "w:autoSpaceDE")
        switched_off(ppr, "w:autoSpaceDN")
    if role.style in HEADING_LEVEL:
        pf.keep_with_next = True
        _outline(style, HEADING_LEVEL[role.style])
    if role.style in ("Caption", "Title", "Subtitle"):
        pf.keep_with_next = True
        _no_border(style.element.get_or_add_pPr())  # python-docx's Title has a blue rule
    if role.style.startswith("toc "):
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(role.indent_chars * role.size)
        pf.tab_stops.add_tab_stop(
            Pt(house.text_width_pt), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
    if role.name == "figure_missing":
        # A frame the width of the type area, 30 pt of space above and below its line: the
        # PDF's p.figure-missing (print.css). Word draws a side's border `space` pt beside the
        # text, so the text is indented as much: the frame stands on the type area's edges.
        _borders(style.element.get_or_add_pPr(), {"top": 30, "left": 4, "bottom": 30, "right": 4})
        pf.space_before = Pt(12)
        pf.left_indent = pf.right_indent = Pt(4)


# What follows w:spacing in a run's properties (ECMA-376 CT_RPr), which Word requires in order.
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def _tracking(rpr, points: float) -> None:
    """The role's letter spacing for Word (HouseStyle.word_letter_spacing_pt), in Word's
    twentieths of a point rounded down: rounded up, the line would not hold what it must.
    Every style sets it, 0 included, so none inherits the body's from Normal."""
    spacing = rpr.find(qn("w:spacing"))  # python-docx's Title and Subtitle have their own
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, *_AFTER_SPACING)
    spacing.set(qn("w:val"), str(math.floor(points * 20)))


def _outline(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _no_border(ppr) -> None:
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


def _borders(ppr, sides: dict[str, int]) -> None:
    """A paragraph's borders: each side's line, `sides[side]` points beside the text."""
    border = OxmlElement("w:pBdr")
    for side, space in sides.items():
        line = OxmlElement(f"w:{side}")
        for key, value in (
            ("val", "single"),
            ("sz", "6"),
            ("space", str(space)),
            ("color", "000000"),
        ):
            line.set(qn(f"w:{key}"), value)
        border.append(line)
    ppr.insert_element_before(
        border, "w:shd", "w:tabs", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"
    )


def _defaults(document: docx.document.Document, house: HouseStyle) -> None:
    """docDefaults and settings: Chinese as the East-Asian language, no theme fonts."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    body = house.roles["body"]
    set_fonts(rpr_default, body.font.word, house.fonts["latin"].word)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    size = rpr_default.find(qn("w:sz"))
    if size is not None:
        size.set(qn("w:val"), str(round(body.size * 2)))
    spacing = (
        styles.find(qn("w:docDefaults"))
        .find(qn("w:pPrDefault"))
        .find(qn("w:pPr"))
        .find(qn("w:spacing"))
    )
    if spacing is not None:  # Word's 10 pt after and 1.15 lines would loosen every paragraph
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    for rpr in styles.iter(qn("w:rPr")):  # the theme would win over named fonts
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attr}"), None)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), "en-US")
    theme_lang.set(qn("w:eastAsia"), "zh-CN")  # python-docx ships ja-JP (issue #1601)
    document.settings.odd_and_even_pages_header_footer = True


def _font_table(document: docx.document.Document, house: HouseStyle) -> None:
    """Declare the office fonts with their fallbacks (altName) and the GB2312 charset."""
    part = next(p for p in document.part.package.parts if p.partname.endswith("fontTable.xml"))
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    for font in house.fonts.values():
        if font.word == font.word_alt and font.word.isascii():
            continue
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), font.word)
        for tag, value in (
            ("altName", font.word_alt),
            ("charset", "86"),
            ("family", "auto"),
            ("pitch", "variable"),
        ):
            child = OxmlElement(f"w:{tag}")
            child.set(qn("w:val"), value)
            entry.append(child)
        root.append(entry)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(document: docx.document.Document, house: HouseStyle) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    m = house.margins_mm
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits ~7 mm below the type area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(house.line_pitch_pt * 20)))


def build(target: Path) -> None:
    house = house_style()
    document = docx.Document()
    _defaults(document, house)
    for role in house.roles.values():
        _apply(document, role, house)
    _font_table(document, house)
    _page(document, house)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = (
        "jixi-report reference styles",
        "jixi-report",
        "jixi-report",
    )
    props.language = "zh-CN"
    atomic_bytes(target, repeatable_docx(document))


if __name__ == "__main__":
    build(TEMPLATES / "reference.docx")
    print(f"wrote {TEMPLATES / 'reference.docx'}")
