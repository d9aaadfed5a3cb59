"""The browsable HTML page: the templates' output with the screen stylesheet inlined."""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..style import TEMPLATES

_IMG = re.compile(r'(<img src=")(file://[^"]+)(")')
_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@cache
def _screen_css() -> str:
    return (TEMPLATES / "screen.css").read_text(encoding="utf-8")


def _inline(match: re.Match[str]) -> str:
    path = Path(unquote(urlparse(match[2]).path))
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"{match[1]}data:{_TYPES[path.suffix.lower()]};base64,{data}{match[3]}"


def write(html: str) -> bytes:
    """One self-contained file (styles and images inside): it can be mailed or published as is."""
    head = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    page = html.replace("</head>", f"{head}<style>\n{_screen_css()}</style>\n</head>", 1)
    return _IMG.sub(_inline, page).encode("utf-8")
