"""One exception type for user-facing problems, carrying where they are.

Readers collect every problem they find and raise them together, so a user fixes a file in one
pass instead of one error per run. The CLI turns :class:`InputError` into a message and exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where in the user's input something was found (all parts optional).

    `row` is a spreadsheet/CSV row; `line` a line of a text file such as YAML, where "row"
    would mislead.
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) if parts else "inventory"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the input: an error stops the run, a warning does not."""

    message: str
    location: Location = Location()
    severity: Severity = Severity.ERROR
    hint: str | None = None
    code: str = "input"

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        loc = {
            k: v
            for k, v in (
                ("file", self.location.file),
                ("sheet", self.location.sheet),
                ("row", self.location.row),
                ("column", self.location.column),
                ("line", self.location.line),
            )
            if v is not None
        }
        out: dict[str, object] = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "location": loc,
        }
        if self.hint:
            out["hint"] = self.hint
        return out


class InputError(Exception):
    """Bad user input: one or more :class:`Problem` with their locations."""

    def __init__(
        self,
        problems: list[Problem] | Problem | str,
        location: Location | None = None,
        hint: str | None = None,
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, location or Location(), hint=hint)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemCollector:
    """Gathers problems while reading so all of them reach the user at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(
        self, message: str, location: Location, hint: str | None = None, code: str = "input"
    ) -> None:
        self.problems.append(Problem(message, location, Severity.ERROR, hint, code))

    def warning(
        self, message: str, location: Location, hint: str | None = None, code: str = "input"
    ) -> None:
        self.problems.append(Problem(message, location, Severity.WARNING, hint, code))

    def info(self, message: str, location: Location, code: str = "input") -> None:
        self.problems.append(Problem(message, location, Severity.INFO, None, code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is not Severity.ERROR]

    def promote(self, codes: frozenset[str], hint: str) -> None:
        """Turn the warnings with these codes into errors (`--strict`)."""
        self.problems = [
            replace(p, severity=Severity.ERROR, hint=hint)
            if p.severity is Severity.WARNING and p.code in codes
            else p
            for p in self.problems
        ]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)
