"""Word revisions (tracked changes): what a revised draft's Word file carries from its base.

python-docx writes none, so the elements are made here, in the places WordprocessingML allows
them (Word refuses a file with one out of place): a run inside `w:ins` or `w:del` (its text as
`w:delText`), a paragraph mark in `w:pPr/w:rPr`, a table row in `w:trPr`. Word, WPS and
LibreOffice then show each change and can accept or reject it.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

_TAGS = {"ins": "w:ins", "del": "w:del"}
# What may follow w:trackRevisions in w:settings (ECMA-376 Part 1, CT_Settings), as far as a
# settings part of ours can hold it.
_AFTER_TRACKING = (
    "doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme "
    "styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone "
    "doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle defaultTableStyle "
    "evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets "
    "drawingGridHorizontalSpacing drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace "
    "updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
    "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
).split()


@dataclass
class Revisions:
    """Who made the changes and when (both from the content), and the ids handed out so far.

    Without `track` (a document that only shows changes, such as the 修订对照表's 修订后
    column) the changes are formatting: underlined and struck through, in the style's colours.
    """

    author: str
    date: str | None = None  # xsd:dateTime; Word shows none when absent
    track: bool = True
    colours: dict[str, str] | None = None  # ins / del → RRGGBB, when not tracked
    last_id: int = 0

    def mark(self, change: str) -> OxmlElement:
        """A new `w:ins` or `w:del` element with its id, author and date."""
        self.last_id += 1
        element = OxmlElement(_TAGS[change])
        element.set(qn("w:id"), str(100000 + self.last_id))  # apart from the bookmarks' ids
        element.set(qn("w:author"), self.author)
        if self.date:
            element.set(qn("w:date"), self.date)
        return element

    def run(self, run: Run, change: str) -> None:
        """Put the run inside a revision; deleted text is `w:delText`."""
        if change not in _TAGS:
            return
        if not self.track:
            if change == "ins":
                run.font.underline = True
            else:
                run.font.strike = True
            if self.colours:
                run.font.color.rgb = RGBColor.from_string(self.colours[change])
            return
        r = run._r
        wrapper = self.mark(change)
        r.addprevious(wrapper)
        wrapper.append(r)
        if change == "del":
            for t in r.findall(qn("w:t")):
                t.tag = qn("w:delText")

    def paragraph(self, p: Paragraph, change: str) -> None:
        """The paragraph mark itself inserted or deleted: the paragraph comes or goes whole."""
        if change not in _TAGS or not self.track:
            return
        ppr = p._p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
        rpr.insert(0, self.mark(change))  # ins/del come first in a paragraph mark's properties

    def row(self, row: _Row, change: str) -> None:
        """A table row inserted or deleted (after the row's other properties, as the schema
        orders them)."""
        if change not in _TAGS or not self.track:
            return
        props = row._tr.get_or_add_trPr()
        props.append(self.mark(change))

    def keep_tracking(self, settings) -> None:
        """Turn Track Changes on in the draft, so a reviewer's own edits are tracked too."""
        if not self.track or self.last_id == 0 or settings.find(qn("w:trackRevisions")) is not None:
            return
        element = OxmlElement("w:trackRevisions")
        later = next((c for c in settings if c.tag.rsplit("}", 1)[-1] in _AFTER_TRACKING), None)
        if later is None:
            settings.append(element)
        else:
            later.addprevious(element)
