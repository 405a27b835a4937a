"""Turn pydantic validation errors into problems a user can act on."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError

from forcelift.migration.errors import Location, Problem


def format_loc(loc: tuple[int | str, ...]) -> str:
    """`('servers', 3, 'cores')` -> `servers[3].cores`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems_from_validation(
    exc: ValidationError, locate: Callable[[tuple[int | str, ...]], Location]
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(Problem(f"{format_loc(loc)}: {message}", locate(loc)))
    return problems
