"""Read one YAML file into plain data plus the line and column of every key and item.

PyYAML alone is YAML 1.1 and forgiving in ways that corrupt a plan silently: `no` becomes
False, `2024-2025` may become a date, duplicate keys keep the last value. Here only the
YAML 1.2 core scalars are resolved (null, true/false, decimal ints, decimals), non-integer
numbers become exact `Decimal`s, and duplicate keys, aliases and explicit tags are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

MAX_BYTES = 2_000_000
Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_DECIMAL = re.compile(
    r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z"
)
_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


# libyaml's composer when available: the pure-Python one is most of a check's run time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDoc:
    """A parsed file: its data and where each part of it stands."""

    path: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_) -> tuple[int | None, int | None]:
        """Line and column of `loc`, or of its nearest located ancestor."""
        loc = tuple(loc)
        while True:
            if loc in self.marks:
                return self.marks[loc]
            if not loc:
                return None, None
            loc = loc[:-1]

    def problem(self, loc: Path_, message: str) -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, format_loc(loc), message)


def format_loc(loc: Path_) -> str | None:
    """('projects', 12, 'investment') → 'projects[12].investment'."""
    out = ""
    for part in loc:
        if isinstance(part, str):  # a quoted key may hold a line break: keep the problem one line
            part = part.replace("\r", "\\r").replace("\n", "\\n")
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


def read(path: Path) -> YamlDoc:
    """Parse `path`; raises `ProblemFound` with one located problem when it cannot."""
    try:
        if path.stat().st_size > MAX_BYTES:  # before reading: a huge file is refused unread
            raise ProblemFound(
                Problem(path, None, None, None, f"file larger than {MAX_BYTES} bytes")
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ProblemFound(Problem(path, None, None, None, f"cannot read: {exc.strerror}")) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProblemFound(
            Problem(path, line, None, None, "not UTF-8 text (GBK or UTF-16?): save it as UTF-8")
        ) from exc
    bad = _first_control(text)
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        col = bad - (text.rfind("\n", 0, bad) + 1) + 1
        raise ProblemFound(
            Problem(path, line, col, None, f"control character U+{ord(text[bad]):04X} not allowed")
        )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ProblemFound(Problem(path, line, col, None, f"YAML syntax: {msg}")) from exc
    doc = YamlDoc(path, None)
    if node is None:
        raise ProblemFound(Problem(path, 1, 1, None, "file is empty"))
    doc.data = _build(node, (), doc, set())
    return doc


# What XML 1.0 (and so Word) cannot hold; C1 controls (U+007F–U+009F, which the YAML reader
# refuses without a line); U+2028 and U+2029 (line breaks to YAML but not to editors, so every
# later line would be miscounted).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def _first_control(text: str) -> int | None:
    """Index of the first character a document cannot carry (_CONTROL), if any."""
    found = _CONTROL.search(text)
    return found.start() if found else None


class ProblemFound(Exception):
    """Raised while building data from nodes; carries one located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


MAX_DEPTH = 40  # no content needs more; a deeper document is a mistake or an attack


def _build(node: Node, loc: Path_, doc: YamlDoc, seen: set[int]) -> Any:
    doc.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(loc) > MAX_DEPTH:
        raise ProblemFound(doc.problem(loc, f"nested more than {MAX_DEPTH} levels deep"))
    if id(node) in seen:  # the composer shares an anchored node with every alias to it
        raise ProblemFound(doc.problem(loc, "anchors and aliases are not allowed in content"))
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        return _scalar(node, loc, doc)
    if node.tag not in _STD_TAGS:
        raise ProblemFound(doc.problem(loc, f"explicit tag {node.tag} not allowed"))
    if isinstance(node, SequenceNode):
        return [_build(item, (*loc, i), doc, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[Any, Any] = {}
    first_line: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise ProblemFound(doc.problem(loc, "mapping keys must be plain text or numbers"))
        key = _scalar(key_node, loc, doc)
        key_line = key_node.start_mark.line + 1
        if key in out:
            doc.marks[(*loc, key)] = (key_line, key_node.start_mark.column + 1)
            raise ProblemFound(
                doc.problem((*loc, key), f"duplicate key (first defined on line {first_line[key]})")
            )
        first_line[key] = key_line
        doc.marks[(*loc, key)] = (key_line, key_node.start_mark.column + 1)
        value = _build(value_node, (*loc, key), doc, seen)
        doc.marks[(*loc, key)] = (key_line, key_node.start_mark.column + 1)
        out[key] = value
    return out


def _scalar(node: ScalarNode, loc: Path_, doc: YamlDoc) -> Any:
    """Resolve a scalar by YAML 1.2 core rules, narrowed: no octal, hex, inf or nan."""
    implicit = "tag:yaml.org,2002:str" if node.style else _implicit_tag(node.value)
    if node.tag != implicit:
        raise ProblemFound(doc.problem(loc, f"explicit tag {node.tag} not allowed"))
    value = node.value
    bad = _first_control(value)  # an escape such as "\0" or "\x0b" makes what Word cannot hold
    if bad is not None:
        char = f"U+{ord(value[bad]):04X}"
        raise ProblemFound(doc.problem(loc, f"control character {char} not allowed (an escape?)"))
    if node.style:  # quoted or block scalar: always text (plain is None or "")
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        try:
            return int(value)
        except ValueError as exc:  # more digits than int() converts (sys.get_int_max_str_digits)
            raise ProblemFound(doc.problem(loc, f"number too long ({len(value)} digits)")) from exc
    if _DECIMAL.match(value):
        try:
            return Decimal(value)
        except InvalidOperation as exc:  # an exponent Decimal cannot hold: 1e99999999999999999
            raise ProblemFound(doc.problem(loc, "number out of range")) from exc
    return value


def _implicit_tag(value: str) -> str:
    return yaml.SafeLoader.resolve(yaml.SafeLoader, ScalarNode, value, (True, False))  # type: ignore[arg-type]
