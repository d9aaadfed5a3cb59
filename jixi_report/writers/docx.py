"""Document nodes → .docx with python-docx, styled only by naming styles of reference.docx."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..base.errors import BuildError
from ..base.style import PT_PER_MM, TEMPLATES, house_style
from ..base.vocab import NOT_MET, STATUSES
from ..render.tree import Cell, Document, Figure, Para, Region, Table, image_file, walk
from .docx_back import write_back
from .docx_fields import (
    SECT_AFTER_PGNUM,
    bookmark_name,
    field,
    opens_landscape,
    styled,
    text_run,
    turned_number,
    update_fields_on_open,
)
from .docx_fonts import in_face
from .docx_grid import centred, grid, sized, table_props
from .docx_revisions import Revisions
from .docx_split import pieces
from .docx_watermark import add_watermark, pdf_mark
from .docx_zip import repeatable_docx
from .settled import Settled

REFERENCE = TEMPLATES / "reference.docx"
# Status marks keep their meaning in greyscale (√ × ○ —); colour (templates/style.yaml) helps.
_STATUS_COLOURS = {s.css: RGBColor.from_string(s.colour[1:].upper()) for s in STATUSES.values()}
_BOLD = {STATUSES[NOT_MET].css}
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "num": WD_ALIGN_PARAGRAPH.RIGHT}


class _Writer:
    def __init__(
        self,
        pages: dict[str, int],
        revisions: Revisions | None = None,
        cuts: dict[int, list[int]] | None = None,
        leadins: dict[int, int] | None = None,
        back_number: int | None = None,  # the 版记's page's, as the PDF numbers it (or none)
    ) -> None:
        self.doc = docx.Document(str(REFERENCE))
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.house = house_style()
        self.styles = {
            role.name.replace("_", "-"): role.style for role in self.house.roles.values()
        }
        self.pages = pages
        self.cuts = cuts or {}  # id(Table) → body rows starting its continuation pages
        self.leadins = leadins or {}  # id(landscape Region) → blocks before it moved in
        self._styles: dict[str, object] = {}
        self._ids: dict[str, str | None] = {}
        # The tables' style id, found once: python-docx's setter compares the style with the
        # document's default table style, found by scanning every style, at every table.
        grid_style = self.doc.styles["Table Grid"]
        self.table_style = self.doc.part.get_style_id(grid_style, WD_STYLE_TYPE.TABLE)
        self.bookmark = 0
        self.revisions = revisions or Revisions("jixi-report")
        self.landscape = False
        self.portrait_next = False
        self.boxes = 0  # text boxes written (their ids)
        self.numbering = False  # the body's sections have begun: each sets its page numbers
        self.turned = False  # the current section's page numbers are turned (landscape)
        self.back_number = back_number

    # -- text ---------------------------------------------------------------------------------
    def style(self, name: str):
        """The style object, looked up once: python-docx scans every style per lookup by name."""
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    def style_id(self, name: str) -> str | None:
        """The paragraph style's id, None for the document's default (Normal), which a
        paragraph has without naming it; found once (a style's name is a costly lookup)."""
        if name not in self._ids:
            style = self.style(name)
            self._ids[name] = None if style.name == "Normal" else style.style_id
        return self._ids[name]

    def style_for(self, para: Para) -> str | None:
        role = f"heading{para.level}" if para.level else (para.cls or "body")
        try:
            return self.style_id(self.styles[role])
        except KeyError:
            raise BuildError(
                f"Word: class {para.cls!r} has no style in templates/style.yaml"
            ) from None

    def para(self, node: Para) -> Paragraph:
        p = styled(self.doc.add_paragraph(), self.style_for(node))
        if node.level == 1 and node.cls == "annex":  # follows its 附件 label on the same page
            p.paragraph_format.page_break_before = False
        self.runs(p, node)
        if node.id:
            self.add_bookmark(p, node.id)
        return p

    def runs(self, p: Paragraph, node: Para, change: str = "") -> list[Run]:
        """The node's runs; inside revisions where the node or its text changed (a whole row
        or paragraph inserted or deleted marks every run of it)."""
        change = change or node.change
        out = []
        for run in node.runs:
            r = text_run(p, run.text)
            if run.bold:
                r.bold = True
            if run.italic:
                r.italic = True
            if run.sup:
                r.font.superscript = True
            if run.heading:  # run in, in the face of its level's headings (heading3: 楷体)
                in_face(r, self.house.roles["heading3"], self.house.fonts["latin"].word)
            self.revisions.run(r, run.change or change)
            out.append(r)
        self.revisions.paragraph(p, change)
        return out

    def add_bookmark(self, p: Paragraph, name: str) -> None:
        self.bookmark += 1
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self.bookmark))
        start.set(qn("w:name"), bookmark_name(name))
        end.set(qn("w:id"), str(self.bookmark))
        p._p.insert(1 if p._p.pPr is not None else 0, start)
        p._p.append(end)

    # -- regions and sections -----------------------------------------------------------------
    def region(self, region: Region) -> None:
        if region.kind == "toc":
            self.toc(region)
        elif region.kind == "back":
            self.back(region)
        elif region.kind == "landscape" and not self.landscape:
            self.portrait_next = False
            self.new_section(landscape=True)
            self.landscape = True
            self.blocks(region.children)
            self.landscape = False
            self.portrait_next = True  # turned back only if something follows: no blank last page
        else:
            self.blocks(region.children)
        if region.kind == "cover":
            self.cover_spacing(region)
        if region.kind in ("cover", "toc"):
            self.new_section(landscape=False, numbered=(region.kind == "toc"))

    def cover_spacing(self, region: Region) -> None:
        """The cover laid out as the PDF's (templates/style.yaml `cover`): the title well down
        the page, the subtitle below it, the issuer and date low on the page."""
        cover = self.house.cover
        paras = [p for p in self.doc.paragraphs[-len(region.children) :]]
        notes = [p for p in paras if p.style.name == self.styles["cover-note"]]
        if paras:
            paras[0].paragraph_format.space_before = Mm(cover.top_mm)
        for p in paras:
            if p.style.name == self.styles["subtitle"]:
                p.paragraph_format.space_before = Mm(cover.subtitle_gap_mm)
        if notes:
            notes[0].paragraph_format.space_before = Mm(cover.notes_gap_mm)

    def blocks(self, blocks: list) -> None:
        for block in self.with_leadins(blocks):
            if isinstance(block, Region) and block.kind == "back":
                self.portrait_next = False  # the 版记 starts a section of its own
            elif self.portrait_next and not opens_landscape(block):
                self.portrait_next = False
                self.new_section(landscape=False)
            if isinstance(block, Region):
                self.region(block)
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)

    def with_leadins(self, blocks: list) -> list:
        """The blocks with each lead-in the PDF set on its landscape page (a heading and its
        paragraphs before a landscape stretch) moved into that stretch, as the PDF has it:
        else Word leaves them nearly alone on the portrait page before it."""
        out: list = []
        for block in blocks:
            count = self.leadins.get(id(block), 0) if isinstance(block, Region) else 0
            if 0 < count <= len(out) and all(isinstance(b, Para) for b in out[-count:]):
                moved = out[-count:]
                del out[-count:]
                block = replace(block, children=[*moved, *block.children])
            out.append(block)
        return out

    def back(self, region: Region) -> None:
        write_back(self, region)

    def new_section(
        self, landscape: bool, numbered: bool = False, start: WD_SECTION = WD_SECTION.NEW_PAGE
    ) -> None:
        """End the current section; the next one starts on a new page (or `start`)."""
        section = self.doc.add_section(start)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        m = self.house.margins_mm
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(m["left"]), Mm(m["right"])
            section.left_margin, section.right_margin = Mm(m["bottom"]), Mm(m["top"])
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
            section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
        if numbered:  # the body: page numbers start at 1, odd pages right, even pages left
            number = OxmlElement("w:pgNumType")
            number.set(qn("w:start"), "1")
            sect_pr.insert_element_before(number, *SECT_AFTER_PGNUM)
        if numbered or (self.numbering and landscape != self.turned):
            self.numbering, self.turned = True, landscape
            for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
                if landscape:
                    self.turned_footer(footer, odd)
                else:
                    self.footer(
                        footer, WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
                    )

    def turned_footer(self, footer, odd: bool) -> None:
        """GB/T 9704-2012 §10 on a landscape page: the number where the portrait pages have it,
        turned with the sheet — a text box in the left margin, 7 mm from the type area, at the
        table's bottom on odd pages and its top on even ones, one character in (print.css)."""
        footer.is_linked_to_previous = False
        p = styled(footer.paragraphs[0], self.style_id(self.styles["footer"]))
        # The box is placed on the page; its anchor line, as tall as a portrait footer's, would
        # reach above the landscape bottom margin and take its height from the type area.
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(1)
        m, char = self.house.margins_mm, self.house.roles["footer"].size / PT_PER_MM
        across, along = 10.0, 40.0  # mm: the box's width (one line) and length
        y = 210 - m["right"] - char - along if odd else m["left"] + char
        box = (m["bottom"] - 7 - across, y, across, along)
        self.boxes += 1
        turned_number(p, self.boxes, box, self.style(self.styles["footer"]).style_id, odd)

    def footer(self, footer, align) -> None:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        styled(p, self.style_id(self.styles["footer"]))
        p.alignment = align
        indent = Pt(self.house.roles["footer"].size)
        p.paragraph_format.right_indent = indent if align == WD_ALIGN_PARAGRAPH.RIGHT else None
        p.paragraph_format.left_indent = indent if align == WD_ALIGN_PARAGRAPH.LEFT else None
        p.add_run("— ")
        field(p, "PAGE", "1")
        p.add_run(" —")

    # -- table of contents --------------------------------------------------------------------
    def toc(self, region: Region) -> None:
        """Each entry's page number a PAGEREF field to the heading's bookmark: LibreOffice and
        WPS work it out from their own layout, Word when it updates the fields on opening
        (settings: updateFields). No TOC field around them: LibreOffice would take the whole
        contents as a fixed index and show the numbers as written (the PDF's)."""
        for block in region.children:
            if not isinstance(block, Para):
                continue
            if block.cls == "toc-title":
                self.para(block)
                continue
            p = styled(self.doc.add_paragraph(), self.style_id(self.styles[block.cls]))
            anchor = (block.runs[0].href or "").lstrip("#") if block.runs else ""
            p.add_run(block.text)
            p.add_run("\t")
            field(p, f"PAGEREF {bookmark_name(anchor)} \\h", str(self.pages.get(anchor, "")))

    # -- tables and figures -------------------------------------------------------------------
    def table(self, table: Table) -> None:
        """The table, or one table a page where the PDF's layout broke it (docx_split.py)."""
        cuts = self.cuts.get(id(table))
        moved = bool(cuts) and 0 in cuts  # set whole on the next page (table_breaks.recorded)
        for n, piece in enumerate(pieces(table, cuts) if cuts else [table]):
            self.one_table(piece, new_page=n > 0 or moved)

    def one_table(self, table: Table, new_page: bool = False) -> None:
        if table.caption is not None:
            caption = self.para(table.caption)
            if new_page:  # a continuation, or a table moved on whole, starts its page
                caption.paragraph_format.page_break_before = True  # (print.css: the same)
        placed, ncols = grid(table)
        t = self.doc.add_table(rows=len(table.rows), cols=ncols)
        t._tbl.tblStyle_val = self.table_style
        t.autofit = False
        table_props(t)
        width = (
            Mm(297 - self.house.margins_mm["top"] - self.house.margins_mm["bottom"])
            if self.landscape
            else Pt(self.house.text_width_pt)
        )
        total = sum(table.cols) or ncols
        widths = [Emu(int(width * w / total)) for w in (table.cols or [1] * ncols)]
        tcs = [list(row._tr.tc_lst) for row in t.rows]
        for col, w in zip(t.columns, widths, strict=False):
            col.width = w
        tbl_w = t._tbl.tblPr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU → twentieths of a point
        for r, row in enumerate(table.rows):
            tr = t.rows[r]._tr
            props = tr.get_or_add_trPr()
            props.append(OxmlElement("w:cantSplit"))
            if row.header:
                props.append(OxmlElement("w:tblHeader"))  # repeats on every page (#322)
        origins = []
        for r, c, cell in placed:
            origin = _Cell(tcs[r][c], t)
            sized(origin, Emu(sum(widths[c : c + cell.colspan])))
            far = (r + cell.rowspan - 1, c + cell.colspan - 1)
            origins.append(
                (origin, _Cell(tcs[far[0]][far[1]], t) if far != (r, c) else None, cell, r)
            )
        for origin, far, _, _ in origins:  # merge first, write once: merge() joins texts (pitfall)
            if far is not None:
                origin.merge(far)
        small = "small" in table.cls.split()  # 小5号 (print.css: table.small)
        roles = ("table-small", "table-small-head") if small else ("table", "table-head")
        for origin, _, cell, r in origins:
            row = table.rows[r]
            self.cell(origin, cell, roles, row.cls == "total", row.change)
        for r, row in enumerate(table.rows):
            self.revisions.row(t.rows[r], row.change)
            if r + 1 < len(table.rows) and table.rows[r + 1].cls == "total":
                for tc in t.rows[r]._tr.tc_lst:  # the 合计 row never alone on a page
                    for p in tc.iterchildren(qn("w:p")):
                        Paragraph(p, t).paragraph_format.keep_with_next = True

    def cell(
        self,
        target: _Cell,
        cell: Cell,
        roles: tuple[str, str] = ("table", "table-head"),
        total: bool = False,
        change: str = "",
    ) -> None:
        """A cell's text in the table's roles (text; header, and a 合计 row as print.css)."""
        centred(target)
        first = target.paragraphs[0]
        for n, para in enumerate(cell.paras):
            p = first if n == 0 else target.add_paragraph()
            styled(p, self.style_id(self.styles[roles[1] if cell.header or total else roles[0]]))
            runs = self.runs(p, para, change)
            if cell.cls in _ALIGN:
                p.alignment = _ALIGN[cell.cls]
            color = _STATUS_COLOURS.get(cell.cls)
            for run in runs:
                if color is not None:
                    run.font.color.rgb = color
                if cell.cls in _BOLD:
                    run.bold = True

    def picture_width(self, png: Path) -> Emu:
        """The text width, or less where the picture would otherwise not fit the page height."""
        m = self.house.margins_mm
        if self.landscape:
            width, height = Mm(297 - m["top"] - m["bottom"]), Mm(210 - m["left"] - m["right"])
        else:
            width, height = Mm(210 - m["left"] - m["right"]), Mm(297 - m["top"] - m["bottom"])
        image = DocxImage.from_file(str(png))
        room = int(height * 0.85)  # the caption below it stays on the same page
        return Emu(min(int(width), int(room * image.px_width / image.px_height)))

    def figure(self, figure: Figure) -> None:
        if figure.src:
            path = image_file(figure.src)
            png = path.with_suffix(".png") if path.suffix == ".svg" else path
            if not png.is_file():
                raise BuildError(f"Word: figure {figure.caption.text!r}: no PNG at {png}")
            p = styled(self.doc.add_paragraph(), self.style_id(self.styles["caption"]))
            p.paragraph_format.keep_with_next = True
            # An exact line height (the caption style's) would clip the picture to one line.
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.add_run().add_picture(str(png), width=self.picture_width(png))
        elif figure.missing is not None:
            p = self.para(figure.missing)
            p.paragraph_format.keep_with_next = True
        # Below its figure, not kept with what follows (the style keeps a table's with it)
        self.para(figure.caption).paragraph_format.keep_with_next = False


def write(document: Document, settled: Settled, when: dt.date) -> bytes:
    """The .docx bytes of `document`, with what the PDF's layout settled (settled.py): the
    contents' page numbers, the rows at which each table of <main> was cut, the lead-ins set
    on their landscape page."""
    meta = document.meta
    author = meta.get("jixi.revision-author") or meta.get("author") or "jixi-report"
    revised = meta.get("jixi.revision-date")  # YYYY-MM-DD from the content, never the clock
    colours = house_style().revisions
    revisions = Revisions(
        author,
        f"{revised}T00:00:00Z" if revised else None,
        track="jixi.revision-author" in meta,  # a revised draft; elsewhere changes are shown
        colours={"ins": colours.inserted[1:], "del": colours.deleted[1:]},
    )
    main = document.region("main")
    inside = list(walk(main.children if main else []))
    found = [b for b in inside if isinstance(b, Table)]
    cuts = {id(found[n]): rows for n, rows in settled.tables.items() if n < len(found)}
    stretches = [b for b in inside if isinstance(b, Region) and b.kind == "landscape"]
    leadins = {id(stretches[n]): k for n, k in settled.leadins.items() if n < len(stretches)}
    w = _Writer(settled.pages, revisions, cuts, leadins, settled.back)
    header_text = meta.get("jixi.header")
    if header_text:  # example data, a draft's stage: a line at the top of every page
        first = w.doc.sections[0]  # every later section inherits this header
        for n, header in enumerate((first.header, first.even_page_header), 1):
            header.is_linked_to_previous = False
            p = styled(header.paragraphs[0], w.style_id(w.styles["banner"]))
            p.add_run(header_text)
            if meta.get("jixi.watermark"):  # behind every page, as the PDF's
                add_watermark(p, pdf_mark(), n)
    w.blocks(document.body)
    w.revisions.keep_tracking(w.doc.settings.element)
    update_fields_on_open(w.doc.settings.element)
    props = w.doc.core_properties
    props.title = document.meta.get("title", "")
    props.subject = document.meta.get("description", "")
    props.author = props.last_modified_by = document.meta.get("author", "")
    props.language = document.lang or "zh-CN"
    props.comments = ""
    return repeatable_docx(w.doc, dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC))
