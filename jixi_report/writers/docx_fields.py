"""Word fields and bookmarks: the page numbers Word, WPS and LibreOffice work out themselves."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

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
