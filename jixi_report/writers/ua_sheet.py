"""WeasyPrint's default stylesheet without its rules for pseudo-elements our pages never have.

WeasyPrint's user-agent stylesheet styles `::marker` (a list item's bullet or number) and the
call, marker and callback of footnotes and notes with selectors that match every element. So
the cascade makes each element of a document a style for six pseudo-elements it will never
draw: a third of all the declarations it applies to the report, and half its time. Our pages
have none of them: the HTML subset has no list items (render/parse.py) and the house
stylesheet makes no element a list item, footnote or note (tests/test_ua_sheet.py checks both).
Without those rules the report's parts are styled in half the time (0.35 → 0.17 s of CPU), and
the PDF is the same byte for byte (the same test compares it with WeasyPrint's own stylesheet).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

# The pseudo-elements whose rules for every element are left out; a rule for one element
# (li::marker) or a rule WeasyPrint adds later for another pseudo-element stays in.
UNUSED = ("marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")


@cache
def html_class(weasyprint: Any) -> Any:
    """`weasyprint.HTML` laying out with the stylesheet above; WeasyPrint's own `HTML` where
    its stylesheet or the method that hands it over are not as this expects them.

    The stylesheet is WeasyPrint's own, parsed once when it loads, with those rules taken
    out of its selector matcher's list for every element (cssselect2's `other_selectors`:
    test, specificity, order, pseudo-element, declarations): no parsing again."""
    try:
        from weasyprint.html import UA_STYLESHEET

        every = UA_STYLESHEET.matcher.other_selectors
        kept = [entry for entry in every if entry[3] not in UNUSED]
    except (ImportError, AttributeError, IndexError, TypeError):
        return weasyprint.HTML
    if len(kept) == len(every) or not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        return weasyprint.HTML
    sheet = copy.copy(UA_STYLESHEET)
    sheet.matcher = copy.copy(UA_STYLESHEET.matcher)
    sheet.matcher.other_selectors = kept

    class HTML(weasyprint.HTML):  # type: ignore[misc, name-defined]
        def _ua_stylesheets(self, *args: Any, **kwargs: Any) -> list[Any]:
            sheets = super()._ua_stylesheets(*args, **kwargs)
            return [sheet if s is UA_STYLESHEET else s for s in sheets]

    return HTML
