"""Property-based tests of the loader (issue 11): random byte changes to the fictional plan's
files, and random whole YAML documents in their place. `load` may only return a Plan or raise
a ContentError whose every problem lies in the content folder, has a message, a line within the
file (or none) and prints as one line. Any other exception, a RecursionError or a hang fails.

Repeatable (derandomized, no example database) and quick. To search harder, at random:
JIXI_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixi_report.base import strict_yaml
from jixi_report.base.errors import ContentError, Problem
from jixi_report.content.load import load
from jixi_report.content.model import Plan

FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))
EXAMPLES = int(os.environ.get("JIXI_FUZZ_EXAMPLES", "0"))  # 0: the repeatable default
HANG = 10  # seconds before an example counts as hung (hypothesis' deadline only measures)
FUZZ = settings(
    max_examples=EXAMPLES or 80,
    deadline=timedelta(seconds=3),
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],  # a 2.4 MB value takes a while to write
)
# What a terminal or str.splitlines() takes for the end of a line.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


# ---- the property ---------------------------------------------------------------------------


class Hang(Exception):
    """The loader ran longer than HANG seconds."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a hang, where the platform has SIGALRM."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise Hang(f"load() still running after {seconds} s")

    before = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def line_count(path: Path) -> int:
    """Lines as an editor counts them: ended by \\n, \\r\\n or \\r."""
    return len(re.split(rb"\r\n|\r|\n", path.read_bytes()))


def assert_located(root: Path, problem: Problem) -> None:
    path = Path(problem.path).resolve()
    assert path == root or root in path.parents, f"outside the content folder: {problem!r}"
    assert problem.message.strip(), f"empty message: {problem!r}"
    if problem.line is not None:
        assert type(problem.line) is int and problem.line >= 1, f"bad line: {problem!r}"
        if path.is_file():
            limit = line_count(path) + 1
            assert problem.line <= limit, f"line beyond the file's {limit - 1}: {problem!r}"
    text = str(problem)
    assert not any(ch in text for ch in _BREAKS), f"not one line: {text!r}"


def assert_clean_or_located(root: Path) -> None:
    """The property: a Plan, or a ContentError of located one-line problems; nothing else."""
    root = root.resolve()
    try:
        with time_limit(HANG):
            result = load(root)
    except ContentError as exc:
        assert exc.problems, "ContentError without problems"
        for problem in exc.problems:
            assert_located(root, problem)
    else:
        assert isinstance(result, Plan)


@contextmanager
def content_copy() -> Iterator[Path]:
    """A fresh copy of the fictional plan, one per example."""
    with tempfile.TemporaryDirectory(prefix="jixi-fuzz-") as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(MINI, root)
        yield root


# ---- random byte changes --------------------------------------------------------------------

SPECIAL = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\t", "\r", "\n",
    "\r\n", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udfff", "\U0001f600",
    "\u3000", "：", "＃", "#", ":", ": ", "- ", "? ", "&a ", "*a", "!!python/object ", "!x ",
    "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "{", "}", "[", "]", ",", "'", '"',
    "|", ">", "@", "`", "\\", "<<: ",
]  # fmt: skip
# A YAML value in place of one of the files' values.
SCALARS = [
    "no", "off", "yes", "On", "0x1F", "0o17", "017", "0b101", "1e3", "1E3", "-1e-3", "1_000",
    "190:20:30", ".nan", ".NaN", "-.inf", ".inf", "2024-01-01", "2024-01-01T10:00:00Z",
    "2024-2025", "~", "null", "true", "False", "-0", "+1", "0.", ".5", "1e999999999",
    "-1e-999999999", "9" * 5000, "1." + "0" * 5000, "0." + "1" * 5000, "1e" + "9" * 5000,
    '""', "''", '"…"', "'a''b'", '"a\\nb"', '"\\u0000"', '"\\x07"', '"\\e"', '"\\ud800"',
    '"\\uFFFE"', '"\\u2028"', '"\\N"', "'多\n  行'", "|\n  块\n", ">-\n  折\n", "|9\n x",
    "&a 1", "*a", "&a [1, *a]", "&a {b: 1}", "{c: *a}", "!!python/object:os.system ls",
    "!!python/object/apply:os.system [ls]", "!!python/name:os.system", "!!str 1", "!!int 1",
    "!!float 1", "!!binary aGk=", "!!set {a}", "!!omap [a: 1]", "!foo x", "!<tag:x> y",
    "<<: *a", "{}", "[]", "{a: 1, a: 2}", "[1, {b: 2}]", "? a", "- - -", "{? [1]: 2}",
    "[a: 1]", "{[1]: 2}", "@x", "`x", "%x", "a #c", "#c", "'", '"', "[", "{", "]", "}",
]  # fmt: skip


def nested(depth: int, kind: str) -> str:
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "map":
        return "{a: " * depth + "1" + "}" * depth
    return "".join(f"\n{'  ' * i}- " for i in range(depth)) + "x"  # block style


unicode_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=6).map(
    "".join
)
scalars = st.one_of(
    st.sampled_from(SCALARS),
    st.builds(nested, st.integers(1, 400), st.sampled_from(["list", "map", "block"])),
    st.integers(1, 800_000).map(lambda n: "长" * n),  # 2.4 MB: too large
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.text(max_size=20),
)
pos = st.integers(0, 1_000_000)  # taken modulo the size of what it indexes
mutations = st.one_of(
    st.tuples(st.just("flip"), pos, st.integers(0, 7)),
    st.tuples(st.just("replace"), pos, st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("insert"), pos, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), pos, st.integers(1, 16)),
    st.tuples(st.just("unicode"), pos, unicode_text),
    st.tuples(st.just("dup_line"), pos, st.integers(1, 3)),
    st.tuples(st.just("del_line"), pos, st.integers(1, 3)),
    st.tuples(st.just("swap_lines"), pos, pos),
    st.tuples(st.just("indent"), pos, st.integers(-4, 4)),
    st.tuples(st.just("tab"), pos, st.just(0)),
    st.tuples(st.just("value"), pos, scalars),
)
# A value's place (group 2): after `key: ` or `- ` starting a line, or an item or `key: ` in
# a flow collection.
_KEY = rb"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s#:,\[\]{}'\"][^:#,\[\]{}\n]*?): +"
_VALUE = re.compile(
    rb"(^[ \t]*(?:- )*(?:" + _KEY + rb"|- )|[\[{,] *(?:" + _KEY + rb")?)([^\s\[\]{},#][^\n,\]}]*)",
    re.M,
)


def mutate(raw: bytes, op: tuple[Any, ...]) -> bytes:
    kind, where, arg = op
    at = where % (len(raw) + 1)
    if kind == "flip" and raw:
        at %= len(raw)
        return raw[:at] + bytes([raw[at] ^ (1 << arg)]) + raw[at + 1 :]
    if kind == "replace":
        return raw[:at] + arg + raw[at + len(arg) :]
    if kind == "insert":
        return raw[:at] + arg + raw[at:]
    if kind == "delete":
        return raw[:at] + raw[at + arg :]
    if kind == "unicode":
        return raw[:at] + arg.encode("utf-8", "surrogatepass") + raw[at:]
    if kind == "value":
        found = list(_VALUE.finditer(raw))
        if not found:
            return raw
        m = found[where % len(found)]
        return raw[: m.start(2)] + arg.encode("utf-8") + raw[m.end(2) :]
    lines = raw.splitlines(keepends=True) or [b""]
    i = where % len(lines)
    if kind == "dup_line":
        lines[i:i] = lines[i : i + arg]
    elif kind == "del_line":
        del lines[i : i + arg]
    elif kind == "swap_lines":
        j = arg % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        body = lines[i].lstrip(b" ")
        lines[i] = b" " * max(0, len(lines[i]) - len(body) + arg) + body
    elif kind == "tab":
        lines[i] = b"\t" + lines[i]
    return b"".join(lines)


@FUZZ
@given(file=st.sampled_from(FILES), ops=st.lists(mutations, min_size=1, max_size=4))
def test_random_byte_changes(file: str, ops: list[tuple[Any, ...]]) -> None:
    with content_copy() as root:
        path = root / file
        raw = path.read_bytes()
        for op in ops:
            raw = mutate(raw, op)
        path.write_bytes(raw)
        assert_clean_or_located(root)


# ---- random whole documents -----------------------------------------------------------------

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
keys = st.one_of(st.text(max_size=10), st.integers(-3, 40))
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=40,
)


def plain(data: Any) -> Any:
    """A file's data as read, made dumpable (exact decimals as floats)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return float(data) if isinstance(data, Decimal) else data


ORIGINAL = {name: plain(strict_yaml.read(MINI / name).data) for name in FILES}


@st.composite
def near_original(draw: st.DrawFn, name: str) -> Any:
    """The file's own data with one part (picked by walking down at random) replaced."""
    data = ORIGINAL[name]
    path: list[Any] = []
    node = data
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)) > 0:
        key = draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    new = draw(values)
    if not path:
        return new
    copy = plain(data)  # a deep copy
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and draw(st.booleans()):  # or add a key beside it
        parent[draw(keys)] = new
    else:
        parent[path[-1]] = new
    return copy


@st.composite
def documents(draw: st.DrawFn, name: str) -> str:
    data = draw(st.one_of(values, st.dictionaries(keys, values, max_size=6), near_original(name)))
    return yaml.safe_dump(
        data,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        sort_keys=draw(st.booleans()),
        width=draw(st.sampled_from([80, 10**9])),
    )


@pytest.mark.parametrize("name", FILES)
@settings(FUZZ, max_examples=EXAMPLES // len(FILES) or 25)
@given(data=st.data())
def test_random_documents(name: str, data: st.DataObject) -> None:
    text = data.draw(documents(name), label="document")
    with content_copy() as root:
        (root / name).write_text(text, encoding="utf-8")
        assert_clean_or_located(root)


# ---- what the property found ---------------------------------------------------------------


@contextmanager
def edited(name: str, old: str, new: str) -> Iterator[Path]:
    """A copy of the fictional plan with `old` replaced by `new` in one file."""
    with content_copy() as root:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        yield root.resolve()


def problems_of(root: Path) -> list[str]:
    """The problems `load` reports, as printed, relative to the content folder."""
    assert_clean_or_located(root)
    with pytest.raises(ContentError) as caught:
        load(root)
    return [str(p).replace(str(root), "") for p in caught.value.problems]


# Each was a traceback, a problem printed on several lines or a line beyond the end of the file;
# the YAML reader (base/strict_yaml.py) now reports it as one located problem.
FIXED = {
    "int-digits": (  # ValueError of int(): more than 4300 digits
        "plan.yaml", "base_year: 2022", "base_year: " + "9" * 5000,
        "/plan.yaml:8:12: base_year: number too long (5000 digits)",
    ),
    "exponent": (  # decimal.InvalidOperation of Decimal()
        "monitoring/2025.yaml", '"R2": 12600', '"R2": 1e99999999999999999999',
        "/monitoring/2025.yaml:12:9: indicators.R2: number out of range",
    ),
    "nesting": (  # RecursionError
        "plan.yaml", "cc: [市委办公室。]", "cc: " + "[" * 500 + "]" * 500,
        "/plan.yaml:15:",
    ),
    "U+2028": (  # a line break to YAML: every later line was counted one too many
        "plan.yaml", "issuer: 青川市人民政府", "issuer: 青川市人民政府\u2028\u2028\u2028 x: 1",
        "/plan.yaml:13:16: control character U+2028 not allowed",
    ),
    "U+0085": (
        "plan.yaml", "issuer: 青川市人民政府", "issuer: 青川市人民政府\x85",
        "/plan.yaml:13:16: control character U+0085 not allowed",
    ),
    "U+009F": (  # yaml.reader.ReaderError, not a MarkedYAMLError: a traceback
        "projects.yaml", "projects:", "projects:\x9f",
        "/projects.yaml:6:10: control character U+009F not allowed",
    ),
    "key-newline": (  # the key's line break in the field
        "monitoring/2025.yaml", "tasks:\n", 'tasks: {"一、\\n": a, "一、\\n": b}\nx:\n',
        "/monitoring/2025.yaml:16:20: tasks.一、\\n: duplicate key (first defined on line 16)",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "first"), FIXED.values(), ids=FIXED.keys())
def test_found_and_fixed(name: str, old: str, new: str, first: str) -> None:
    with edited(name, old, new) as root:
        assert problems_of(root)[0].startswith(first)


# Found outside the YAML reader, each once a traceback or a problem on two lines; now fixed
# where it was (checks.py, model.py, errors.py's one-line rule).
ELSEWHERE = [
    pytest.param("indicators.yaml", "indicators:\n", "indicators: 5\nx:\n", id="indicators-number"),
    pytest.param(
        "indicators.yaml", "indicators:\n", "indicators: true\nx:\n", id="indicators-bool"
    ),
    pytest.param(
        "indicators.yaml",
        '  parent: "1"\n    name: 细颗粒物',
        "  parent: [1]\n    name: x",
        id="parent-list",
    ),
    pytest.param("monitoring/2025.yaml", '"R2": 12600', '"R2": 1e1000000', id="exponent-overflow"),
    pytest.param(
        "plan.yaml", "cc: [市委办公室。]", 'cc: [市委办公室。]\n"a\\nb": 1', id="unknown-key-model"
    ),
    pytest.param(
        "indicators.yaml", "indicators:\n", '"a\\rb": 1\nindicators:\n', id="unknown-key-top"
    ),
    pytest.param("plan.yaml", "base_year: 2022", 'base_year: "20\\n22"', id="shown-text"),
]


@pytest.mark.parametrize(("name", "old", "new"), ELSEWHERE)
def test_found_elsewhere_and_fixed(name: str, old: str, new: str) -> None:
    with edited(name, old, new) as root:
        assert_clean_or_located(root)
