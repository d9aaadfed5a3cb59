"""The 版记 in Word (GB/T 9704-2012 §10): 抄送 lines, 印发机关 and 印发日期 between rules, at the
foot of a page of its own that is even."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Emu, Mm, Pt

from ..render.tree import Para, Region
from .docx_fields import rule


def write_back(w: Any, region: Region) -> None:
    """The 版记: a section of its own starting on an even page, its lines at the foot of
    the page, set as print.css sets them. `w` is the Word writer (docx.py)."""
    w.new_section(landscape=False, start=WD_SECTION.EVEN_PAGE)
    _numbered_as_the_pdf(w, w.doc.sections[-1])
    start = len(w.doc.paragraphs)
    char = Pt(w.house.roles["cc"].size)
    width = Pt(w.house.text_width_pt)
    lines = [b for b in region.children if isinstance(b, Para)]
    # Its height, to stand on the foot of the page: every line takes the exact line
    # pitch of the reference styles; a 抄送 line holds what fits between its indents.
    pitch = Pt(w.house.line_pitch_pt)
    per_line = int((width - 5 * char) // char)
    height = 3 * Pt(1) + sum(pitch * -(-len(b.text) // per_line) for b in lines)
    for n, block in enumerate(lines):
        if n == 0 or block.cls == "imprint":
            rule(w.doc.add_paragraph(), thick=n == 0)
        p = w.para(block)
        f = p.paragraph_format
        f.page_break_before = False  # the section starts the page
        f.right_indent = char
        if block.cls == "imprint":  # 印发机关 left, 印发日期 right, one character in
            f.left_indent = char
            f.tab_stops.add_tab_stop(width - 2 * char, WD_TAB_ALIGNMENT.RIGHT)
            for run in p.runs:
                run.text = run.text.replace(" ", "\t", 1)
            rule(w.doc.add_paragraph(), thick=True)
        else:  # 抄送 one character in; a wrapped line under the first after the colon
            f.left_indent = 4 * char
            f.first_line_indent = -3 * char if n == 0 else 0
    # Down to the foot: space before the first rule, the page less the 版记 and three lines
    # kept free in case LibreOffice or Word lays its lines out taller than counted. (Neither
    # a section aligned to the bottom nor a floating table is placed so by LibreOffice.)
    first = w.doc.paragraphs[start].paragraph_format
    first.space_before = Emu(max(0, _type_height(w) - height - 3 * pitch))


def _type_height(w: Any) -> int:
    """The height of a portrait page's type area (EMU)."""
    m = w.house.margins_mm
    return Mm(297 - m["top"] - m["bottom"])


def _numbered_as_the_pdf(w: Any, section: Any) -> None:
    """GB/T 9704 §7.5: where a blank page is kept before the 版记, neither it nor the 版记's
    page is numbered; a 版记 on the page after the text is numbered as the text's pages are.
    The section's footers are its own (a footer left linked would number it as the text's
    pages; one unlinked but keeping the number written for a turned section would still
    print it). Its even pages' footer numbers the page where the PDF numbers it (Word's pages
    follow the PDF's: its tables cut and lead-ins set where the PDF's are); the section
    starts on an even page, and a blank page an even-page break inserts before it is not
    numbered (LibreOffice prints nothing there). A field asking Word which page the text ends
    on would decide by Word's own pages, but LibreOffice prints such a field's parts run
    together."""
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for child in list(footer._element):
            footer._element.remove(child)
        footer.add_paragraph()
    if w.back_number is not None:
        w.footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
