"""Word fields, bookmarks and rules: the page numbers Word, WPS and LibreOffice work out
themselves; the 版记's lines."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..render.tree import Region

# settings.xml children that come after w:updateFields (ECMA-376 schema order).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def update_fields_on_open(settings) -> None:
    """Word works the contents' page numbers out from its own layout when it opens the file."""
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


def opens_landscape(block: object) -> bool:
    """A landscape stretch, or a part whose first block is one: no portrait page before it."""
    if not isinstance(block, Region):
        return False
    first = block.children[0] if block.children else None
    return block.kind == "landscape" or opens_landscape(first)


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and _ only, at most 40 characters."""
    return ("_" + anchor.replace("-", "_"))[:40]


def fld_char(p: Paragraph, kind: str) -> None:
    run = p.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def instr(p: Paragraph, text: str) -> None:
    run = p.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run._r.append(instr)


def field(p: Paragraph, code: str, shown: str) -> None:
    fld_char(p, "begin")
    instr(p, code)
    fld_char(p, "separate")
    p.add_run(shown)
    fld_char(p, "end")


def rule(p: Paragraph, thick: bool) -> None:
    """A paragraph that is only a rule as wide as the type area (its bottom border): the 版记's
    thick (0.35 mm ≈ 1 pt) and thin (0.25 mm ≈ 0.75 pt) lines. Word draws a paragraph's border
    between its indents, so the lines cannot be borders of the indented text itself."""
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "8" if thick else "6"), ("space", "0")):
        line.set(qn(f"w:{key}"), value)
    line.set(qn("w:color"), "000000")
    borders.append(line)
    ppr.insert_element_before(borders, *ppr_after("w:pBdr"))
    switched_off(ppr, "w:snapToGrid")  # a line of its own on the document grid otherwise
    f = p.paragraph_format
    f.left_indent = f.right_indent = f.first_line_indent = 0
    f.space_before = f.space_after = 0
    f.line_spacing = Pt(1)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.keep_with_next = True


_VML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape id="jr-page-{id}" type="#_x0000_t202" filled="f" stroked="f" style="'
    "position:absolute;mso-position-horizontal-relative:page;"
    'mso-position-vertical-relative:page;left:{x}mm;top:{y}mm;width:{w}mm;height:{h}mm">'
    '<v:textbox style="layout-flow:vertical" inset="0,0,0,0"><w:txbxContent>'
    '<w:p><w:pPr><w:pStyle w:val="{style}"/><w:snapToGrid w:val="0"/>'
    '<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:left="0" w:right="0"/>'
    '<w:jc w:val="{jc}"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def turned_number(
    p: Paragraph, number: int, box: tuple[float, ...], style: str, at_end: bool
) -> None:
    """The page number in a text box placed on the page at `box` (x, y, width, height in mm
    from the top left), its text running top to bottom: a landscape page's number, turned
    with the sheet. At the box's end (its bottom) or its start."""
    from lxml import etree

    x, y, w, h = box
    xml = _VML.format(id=number, x=x, y=y, w=w, h=h, style=style, jc="right" if at_end else "left")
    p._p.append(etree.fromstring(xml))


# Word rejects children out of schema order: what may follow a section's w:pgNumType.
SECT_AFTER_PGNUM = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
)

# A paragraph's properties in ECMA-376's order (CT_PPr), which Word requires.
_PPR = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def ppr_after(tag: str) -> tuple[str, ...]:
    """The paragraph properties that follow `tag` (insert_element_before's successors)."""
    return _PPR[_PPR.index(tag) + 1 :]


def switched_off(ppr: Any, tag: str) -> None:
    """A paragraph property such as w:snapToGrid set to 0, in its place."""
    off = OxmlElement(tag)
    off.set(qn("w:val"), "0")
    ppr.insert_element_before(off, *ppr_after(tag))


_P_PR, _P_STYLE, _VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:val")
_SPACE = qn("xml:space")


def styled(p: Paragraph, style_id: str | None) -> Paragraph:
    """Set the paragraph style by id (None: the default style, which a paragraph has without
    naming it): python-docx's setter scans all styles on every call, and its element adders
    look for every element that may follow (a sixth of writing a report's Word file); a
    paragraph's properties come first in it, and its style first in them."""
    if style_id is not None:
        ppr = p._p.find(_P_PR)
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            p._p.insert(0, ppr)
        pstyle = ppr.find(_P_STYLE)
        if pstyle is None:
            pstyle = OxmlElement("w:pStyle")
            ppr.insert(0, pstyle)
        pstyle.set(_VAL, style_id)
    return p


def text_run(p: Paragraph, text: str) -> Run:
    """`p.add_run(text)`: python-docx clears the new, empty run with an XPath search and
    feeds it the text a character at a time (for tabs and breaks), each element added by a
    search for what may follow it. Text with neither goes into its one w:t at once, the run
    after all else in the paragraph, as python-docx puts them (a fifth of writing the
    report's Word file)."""
    if not text or any(c in text for c in "\t\n\r"):
        return p.add_run(text)
    r, t = OxmlElement("w:r"), OxmlElement("w:t")
    t.text = text
    if text.strip() != text:
        t.set(_SPACE, "preserve")
    r.append(t)
    p._p.append(r)
    return Run(r, p)
