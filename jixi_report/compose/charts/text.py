"""Chart labels wrapped, never cut: a title or name broken into lines of a given width."""

from __future__ import annotations

import unicodedata


def wrap(text: str, em: float) -> list[str]:
    """`text` in lines of at most `em` character widths (CJK 1, Latin ≈ 0.55), broken between
    characters, never inside a run of Latin letters and digits, and balanced: as few lines as
    fit, each as long as the others rather than a full line and a last of one character
    (“…下降/率（%）” is “…下/降率（%）”, or the same lengths nearer)."""
    words = _words(text)
    lines = _fill(words, em)
    if len(lines) < 2:
        return lines
    narrow, wide = max(_measure(w) for w in words), em  # the narrowest measure, as many lines
    for _ in range(16):
        middle = (narrow + wide) / 2
        if len(_fill(words, middle)) > len(lines):
            narrow = middle
        else:
            wide = middle
    return _fill(words, wide)


def _fill(words: list[str], em: float) -> list[str]:
    """The words in lines of at most `em`, each line as full as it goes."""
    lines, line, width = [], "", 0.0
    for word in words:
        w = _measure(word)
        if line and width + w > em:
            lines.append(line)
            line, width = "", 0.0
        line, width = line + word, width + w
    return [*lines, line] if line else lines


def _measure(word: str) -> float:
    return sum(_width(c) for c in word)


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
