"""Printing problems and turning user-input errors into exit code 2, never a traceback."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from forcelift.migration.errors import InputError, Problem, Severity

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_problems(problems: Sequence[Problem], *, limit: int = 200) -> None:
    for problem in problems[:limit]:
        click.secho(str(problem), fg=_STYLE[problem.severity], err=True)
    if len(problems) > limit:
        click.secho(f"... and {len(problems) - limit} more", err=True)


def handle_input_errors(func: F) -> F:
    """Report :class:`InputError` with locations and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            print_problems(exc.problems)
            n = len(exc.problems)
            click.secho(
                f"{n} error{'s' if n != 1 else ''}; nothing was written.", fg="red", err=True
            )
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
