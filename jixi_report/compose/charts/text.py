"""Chart labels wrapped, never cut: a title or name broken into lines of a given width."""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Iterable


def wrap(text: str, em: float, siblings: Iterable[str] = ()) -> list[str]:
    """`text` in lines of at most `em` character widths (CJK 1, Latin ≈ 0.55), broken between
    characters, never inside a run of Latin letters and digits, and balanced: as few lines as
    fit, each as long as the others rather than a full line and a last of one character
    (“…下降/率（%）” is “…下/降率（%）”, or the same lengths nearer).

    `siblings`, the other labels of the same chart, show where a label's words meet: a title
    of two lines breaks where a phrase it begins with alike with one of them ends, if such a
    break fits (“15 单位地区生产总值/二氧化碳排放下降率（%）” beside “14 单位地区生产总值
    能耗降低率（%）”, not “…生产总值二/氧化碳…”)."""
    words = _words(text)
    lines = _fill(words, em)
    if len(lines) < 2:
        return lines
    if len(lines) == 2 and (shared := _shared_break(text, words, em, siblings)):
        return shared
    narrow, wide = max(_measure(w) for w in words), em  # the narrowest measure, as many lines
    for _ in range(16):
        middle = (narrow + wide) / 2
        if len(_fill(words, middle)) > len(lines):
            narrow = middle
        else:
            wide = middle
    return _fill(words, wide)


_NUMBER = re.compile(r"[\d.]+\s+")  # a panel title's indicator number, “15 ”


def _shared_break(text: str, words: list[str], em: float, siblings: Iterable[str]) -> list[str]:
    """`text` in two lines that fit, broken where a phrase it begins with, shared with a
    sibling, ends (the qualifier indicator names share: 单位地区生产总值…), the most even
    such pair with neither line under a quarter of the whole; none if no such break fits."""
    start = _numbered(text)
    body, breaks = text[start:], set()
    for other in siblings:
        other = other[_numbered(other) :]
        # character by character, as os.path.commonprefix compares (not a path's parts)
        shared = len(os.path.commonprefix([body, other]))  # noqa: RUF071
        if other != body and 2 <= shared <= len(body) - 2:
            breaks.add(start + shared)
    bounds = set(itertools.accumulate(len(w) for w in words))  # never inside a word
    whole = _measure(text)
    pairs = [(text[:b], text[b:]) for b in sorted(breaks & bounds)]
    fitting = [
        p for p in pairs if max(map(_measure, p)) <= em and min(map(_measure, p)) >= whole / 4
    ]
    if not fitting:
        return []
    return list(min(fitting, key=lambda p: max(map(_measure, p))))


def _numbered(title: str) -> int:
    """The length of a panel title's indicator number and its space (“15 ”), 0 if none."""
    found = _NUMBER.match(title)
    return len(found[0]) if found else 0


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
