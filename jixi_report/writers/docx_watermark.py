"""A text watermark behind every page of the Word file, as the PDF prints one (example data).

Word and WPS draw a watermark from a VML text-path shape in the page header, the form Word's
own 水印 command writes; LibreOffice reads it as one too. Its words, colour, turn and face are
the PDF's mark's (templates/watermark.svg, its face as Word names it), behind the text (a
negative z-index), centred on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree

from ..base.style import TEMPLATES, house_style

_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Word's text-path shape type (o:spt 136), as its 水印 command defines it.
_SHAPETYPE = f"""<v:shapetype xmlns:v="{_V}" xmlns:o="{_O}" id="_x0000_t136"
 coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas>
<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/>
</v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>"""


@dataclass(frozen=True)
class Mark:
    text: str
    colour: str
    font: str  # as Word names it
    turn: float  # degrees anticlockwise
    opacity: str


@cache
def pdf_mark() -> Mark:
    """The PDF's mark, read from templates/watermark.svg."""
    svg = etree.parse(str(TEMPLATES / "watermark.svg")).getroot()
    text = next(svg.iter("{http://www.w3.org/2000/svg}text"))
    turn = re.search(r"rotate\(\s*(-?[\d.]+)", text.get("transform", ""))
    family = text.get("font-family", "")
    house = house_style()
    font = next((f.word for f in house.fonts.values() if f.pdf == family), family)
    return Mark(
        "".join(text.itertext()).strip(),
        text.get("fill", "#808080"),
        font,
        -float(turn[1]) if turn else 45.0,
        text.get("fill-opacity", ".2"),
    )


def add_watermark(paragraph, mark: Mark, n: int) -> None:
    """The mark across the page, behind its text, from a header's `paragraph`; `n` numbers the
    shape (one per header of the document)."""
    run = etree.SubElement(paragraph._p, f"{{{_W}}}r")
    pict = etree.SubElement(run, f"{{{_W}}}pict")
    pict.append(etree.fromstring(_SHAPETYPE))
    style = (
        "position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;"
        f"rotation:{(360 - mark.turn) % 360:g};z-index:-251654144;"
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        "mso-position-vertical:center;mso-position-vertical-relative:margin"
    )
    shape = etree.SubElement(
        pict,
        f"{{{_V}}}shape",
        {
            "id": f"PowerPlusWaterMarkObject{n}",
            f"{{{_O}}}spid": f"_x0000_s{2049 + n}",
            "type": "#_x0000_t136",
            "style": style,
            f"{{{_O}}}allowincell": "f",
            "fillcolor": mark.colour,
            "stroked": "f",
        },
    )
    etree.SubElement(shape, f"{{{_V}}}fill", {"opacity": mark.opacity})
    etree.SubElement(
        shape,
        f"{{{_V}}}textpath",
        {"style": f'font-family:"{mark.font}";font-size:1pt', "string": mark.text},
    )
