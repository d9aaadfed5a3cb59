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

from functools import cache
from typing import Any

# The rules left out, by their whole selector: a rule WeasyPrint adds later stays in.
UNUSED = (
    "::marker",
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)


@cache
def html_class(weasyprint: Any) -> Any:
    """`weasyprint.HTML` laying out with the stylesheet above; WeasyPrint's own `HTML` where
    its stylesheet or the method that hands it over are not where this expects them."""
    try:
        import tinycss2
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA, UA_STYLESHEET
    except ImportError:
        return weasyprint.HTML
    if not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        return weasyprint.HTML
    rules = tinycss2.parse_stylesheet(UA, skip_comments=True, skip_whitespace=True)
    kept = [
        rule
        for rule in rules
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() not in UNUSED
    ]
    # Its @counter-style rules into a store of their own: WeasyPrint's holds them already
    # (from its own sheet), and a document is given a copy of that store, not this one.
    sheet = weasyprint.CSS(string=tinycss2.serialize(kept), counter_style=CounterStyle())

    class HTML(weasyprint.HTML):  # type: ignore[misc, name-defined]
        def _ua_stylesheets(self, *args: Any, **kwargs: Any) -> list[Any]:
            sheets = super()._ua_stylesheets(*args, **kwargs)
            return [sheet if s is UA_STYLESHEET else s for s in sheets]

    return HTML
