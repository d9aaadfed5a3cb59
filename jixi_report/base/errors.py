"""Errors the library raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in the content, located as precisely as the source allows."""

    path: Path
    line: int | None
    column: int | None
    field: str | None
    message: str
    cell: str | None = None  # a workbook's sheet and cell, such as 指标!H14, instead of a line

    @property
    def where(self) -> str:
        """file:line:column, or file!sheet!cell for a workbook; the file relative to here."""
        where = _display(self.path)
        if self.cell is not None:
            where += f"!{self.cell}"
        elif self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        """One line, always: a line break quoted from the content is shown as \\n."""
        field = f" {self.field}:" if self.field else ""
        return _one_line(f"{self.where}:{field} {self.message}")


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _display(path: Path) -> str:
    """A path relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class JixiError(Exception):
    """Base class of everything the library raises on purpose."""


class ContentError(JixiError):
    """The content is invalid; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem], label: str = "") -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.column or 0))
        self.label = label  # whose content: "base" for the base of a revised draft
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(JixiError):
    """The command was asked for something it cannot do (bad year, unknown format)."""


class BuildError(JixiError):
    """Rendering or writing an output failed (template, font, file in use)."""
