"""WeasyPrint's default stylesheet without its rules for list markers, footnotes and notes
(writers/ua_sheet.py): our pages have none, so the PDF must be the one WeasyPrint's own
stylesheet gives, and the reason it may be left out must hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINI, REPO, epoch

from jixi_report.build import report_document
from jixi_report.render import parse
from jixi_report.writers import pdf, pdf_parts, ua_sheet


def test_no_element_is_a_list_item_a_footnote_or_a_note() -> None:
    """What the rules left out style: list items' markers, footnotes' and notes' calls."""
    assert not {"li", "summary", "details"} & set(parse._ALLOWED)  # nothing a list item
    for sheet in (REPO / "templates").glob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"list-item|footnote|::?(marker|note-)|float:\s*note", css), sheet.name


def test_the_same_pdf_as_with_weasyprint_s_own_stylesheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weasyprint = pdf._weasyprint()
    ua_sheet.html_class.cache_clear()  # made anew in the first layout, its messages caught
    doc, allowed, _ = report_document(MINI, tmp_path, 2025)
    parts, _ = pdf_parts.split(doc)
    css = pdf_parts.BARE + pdf_parts.watermark_css(doc)
    with epoch():
        pruned = [pdf.write(pdf.layout(part, allowed, css))[0] for part in parts]
        monkeypatch.setattr(ua_sheet, "html_class", lambda w: w.HTML)
        stock = [pdf.write(pdf.layout(part, allowed, css))[0] for part in parts]
    monkeypatch.undo()
    assert len(parts) > 1
    assert pruned == stock
    ours = ua_sheet.html_class(weasyprint)
    assert ours is not weasyprint.HTML
    from weasyprint.html import UA_STYLESHEET

    sheets = ours(string="<p>字</p>")._ua_stylesheets()
    assert UA_STYLESHEET not in sheets
    kept = sheets[0].matcher.other_selectors
    left_out = [e for e in UA_STYLESHEET.matcher.other_selectors if e not in kept]
    assert left_out and all(entry[3] in ua_sheet.UNUSED for entry in left_out)
