"""Gathering problems: every file read, every value validated, all problems reported at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import strict_yaml
from .errors import ContentError, Problem
from .strict_yaml import Path_, YamlDoc

M = TypeVar("M", bound=BaseModel)
_SHOW = 40


def shown(value: Any) -> str:
    """A value as a message quotes it: '约2000', 3, nothing; long text cut short."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'" if len(value) < _SHOW else f"'{value[: _SHOW - 3]}…'"
    text = repr(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= _SHOW else text[: _SHOW - 1] + "…"


def kind_of(value: Any) -> str:
    """What a value is, in a message's words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else "text"


class Collector:
    """Gathers problems from every file so the user sees them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def read(self, path: Path) -> YamlDoc | None:
        try:
            return strict_yaml.read(path)
        except strict_yaml.ProblemFound as found:
            self.problems.append(found.problem)
            return None

    def model(self, cls: type[M], data: Any, doc: YamlDoc, loc: Path_) -> M | None:
        """Validate `data` (found at `loc` in `doc`) as `cls`; record problems, return None."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                self.problems.append(_problem(doc, loc, err))
            return None

    def add(self, doc: YamlDoc, loc: Path_, message: str) -> None:
        self.problems.append(doc.problem(loc, message))

    def add_file(self, path: Path, message: str) -> None:
        """A problem of a whole file or folder (missing, misnamed)."""
        self.problems.append(Problem(path, None, None, None, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def _problem(doc: YamlDoc, base: Path_, err: Any) -> Problem:
    """One pydantic error as a located problem in our words."""
    loc = (*base, *err["loc"])
    kind = err["type"]
    got = shown(err.get("input"))
    if kind == "extra_forbidden":
        return doc.problem(loc, f"unknown key '{err['loc'][-1]}'")
    if kind == "missing":
        line, col = doc.where(loc[:-1])
        return Problem(
            doc.path, line, col, strict_yaml.format_loc(loc), "required field is missing"
        )
    if kind in ("model_type", "dict_type"):
        return doc.problem(loc, f"expected a mapping, got {got}")
    if kind == "list_type":
        return doc.problem(loc, f"expected a list, got {got}")
    if kind in ("bool_type", "bool_parsing"):
        return doc.problem(loc, f"expected true or false, got {got}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return doc.problem(loc, f"expected a whole number, got {got}")
    if kind in ("float_type", "float_parsing"):
        return doc.problem(loc, f"expected a number, got {got}")
    if kind.startswith("literal_"):
        return doc.problem(loc, f"got {got}: {err['msg'].lower()}")
    return doc.problem(loc, err["msg"])
