"""The field types every content file is checked with (pydantic, strict: a number where text
is needed is an error, never a silent conversion), and the strict base model."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator
from pydantic_core import PydanticCustomError

from ..base.problems import kind_of, shown

LARGEST_DIGITS = 12  # digits before the point: 999,999,999,999 at most


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("number", "expected a number, got {got}", {"got": shown(value)})
    number = Decimal(value)
    if not number.is_finite():
        raise PydanticCustomError("number", "expected a finite number, got {got}", {"got": value})
    if number and number.adjusted() >= LARGEST_DIGITS:  # 1e300 is a typo; it would overflow
        raise PydanticCustomError(
            "number", "{got} is implausibly large (at most 12 digits)", {"got": shown(value)}
        )
    return number


def _text(value: Any) -> str:
    if value is None:
        raise PydanticCustomError("text", "expected text, got nothing", {})
    if not isinstance(value, str):
        hint = " (quote it)" if isinstance(value, int | Decimal | bool) else ""
        raise PydanticCustomError(
            "text",
            "expected text, got {kind} {got}{hint}",
            {"kind": kind_of(value), "got": shown(value), "hint": hint},
        )
    if not value.strip():
        raise PydanticCustomError("text", "must not be empty", {})
    return value


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise PydanticCustomError(
            "year", "expected a year such as 2025, got {got}", {"got": shown(value)}
        )
    return value


def _year_key(value: Any) -> int:
    """Mapping keys that are years may be quoted ("2025") for readability."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return _year(value)


def _value(value: Any) -> Decimal | str:
    """A monitored value: a number, or a qualitative state such as 建立."""
    return _text(value) if isinstance(value, str) else _number(value)


Num = Annotated[Decimal, PlainValidator(_number)]
Text = Annotated[str, PlainValidator(_text)]
Year = Annotated[int, PlainValidator(_year)]
YearKey = Annotated[int, PlainValidator(_year_key)]
Value = Annotated[Decimal | str, PlainValidator(_value)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _date(value: Any) -> str:
    text = _text(value)
    if not _DATE.match(text):
        raise PydanticCustomError(
            "date",
            'expected a date written as "2026-11-20" (quoted), got {got}',
            {"got": shown(value)},
        )
    return text


Date = Annotated[str, PlainValidator(_date)]  # "2026-11-20", quoted in YAML

_DOC_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\Z")


def _doc_date(value: Any) -> str:
    text = _text(value)
    if not _DOC_DATE.match(text):
        raise PydanticCustomError(
            "date",
            'expected a date written as "2025-03-15" or a month as "2025-03" (quoted), got {got}',
            {"got": shown(value)},
        )
    return text


DocDate = Annotated[str, PlainValidator(_doc_date)]  # a document's date; a cover may give a month
