"""The browsable HTML page: the template's output, its contents filled in, the screen stylesheet
and every image inside, so it can be mailed or published as one file."""

from __future__ import annotations

import base64
from html import escape

from ..base.style import house_style
from ..base.vocab import STATUSES
from ..render.contents import with_contents
from ..render.templates import environment
from ..render.tree import Document, image_file, images

_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def _data_uri(src: str) -> str:
    path = image_file(src)
    twin = path.with_suffix(".png")
    if path.suffix.lower() == ".svg" and twin.is_file():
        # A chart: its SVG's words are text in the house font (for the PDF), which a
        # reader's browser may not have, and an <img> cannot lend it the page's: the page
        # shows the picture drawn for Word instead, every word where it was drawn.
        path = twin
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{_TYPES[path.suffix.lower()]};base64,{data}"


def write(doc: Document) -> bytes:
    """The page's bytes."""
    css = environment().get_template("screen.css")
    house = house_style()
    screen = css.render(
        statuses=STATUSES.values(), revisions=house.revisions, banner=house.roles["banner"].colour
    )
    head = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    page = with_contents(doc).replace("</head>", f"{head}<style>\n{screen}\n</style>\n</head>", 1)
    for src in dict.fromkeys(images(doc.body)):
        page = page.replace(f'src="{escape(src)}"', f'src="{_data_uri(src)}"')
    return page.encode("utf-8")
