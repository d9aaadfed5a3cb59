"""Chart labels wrapped, never cut: a title or name broken into lines of a given width."""

from __future__ import annotations

import unicodedata


def wrap(text: str, em: float) -> list[str]:
    """`text` in lines of at most `em` character widths (CJK 1, Latin ≈ 0.55), broken between
    characters, never inside a run of Latin letters and digits."""
    lines, line, width = [], "", 0.0
    for word in _words(text):
        w = sum(_width(c) for c in word)
        if line and width + w > em:
            lines.append(line)
            line, width = "", 0.0
        line, width = line + word, width + w
    return [*lines, line] if line else lines


def _width(c: str) -> float:
    return 1 if unicodedata.east_asian_width(c) in "WFA" else 0.55


OPENING, CLOSING = "（([《“", "）)]》”，。、；：%"  # kept with the next / the previous character


def _latin(c: str) -> bool:
    """Not an ideograph nor a space: letters, digits, symbols such as △ μ ., which join."""
    return unicodedata.east_asian_width(c) not in "WF" and not c.isspace()


def _words(text: str) -> list[str]:
    """Pieces never broken: a run of Latin letters and digits, an opening bracket with what
    follows it, a closing one or punctuation with what precedes it (避头尾): （%） stays whole."""
    words: list[str] = []
    glue = False  # the previous character opens: the next one joins it
    for c in text:
        latin = _latin(c)
        if words and (glue or c in CLOSING or (latin and _latin(words[-1][-1]))):
            words[-1] += c
        else:
            words.append(c)
        glue = c in OPENING
    return words
