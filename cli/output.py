"""Printing problems, and the CLI edge: user-input errors, OS errors on the paths a user gave
and interrupts become one clear message and an exit code, never a traceback.

Exit codes: 0 ok, 1 real findings (guardrails, drift), 2 usage, input or path errors,
130 interrupted (Ctrl-C, SIGINT), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
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


_PROGRESS_KEY = "forcelift.finished"
_REASONS = {
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.EEXIST: "something already exists there",
    errno.ENOENT: "no such file or folder (is the drive or mount there?)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EISDIR: "it is a folder, a file was expected",
}
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}$")  # write_atomic's mkstemp names


def note_finished(what: str) -> None:
    """Record what is complete so far; an interrupt's one line says it."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_PROGRESS_KEY] = what


def user_path(exc: OSError) -> str:
    """The path an OS error is about, as the user knows it (not write_atomic's temp name)."""
    raw = exc.filename if exc.filename is not None else exc.filename2
    if raw is None:
        return ""
    path = Path(str(raw))
    match = _TEMP_NAME.match(path.name)
    return str(path.parent / match["name"]) if match else str(path)


def ensure_writable(path: Path) -> None:
    """Fail before slow work (a network scan, a long run) when an output path cannot be
    written: probe the nearest existing folder with a temporary file, create nothing else."""
    probe = path if path.is_dir() else path.parent
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".forcelift-probe.", dir=probe)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    os.close(fd)
    os.unlink(tmp)


def os_error_line(exc: OSError) -> str:
    path = user_path(exc)
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    where = f"cannot use {path}" if path else "file system error"
    return f"error: {where}: {reason}. Nothing was written there; fix the path and re-run."


# Set by the console entry point (a real process); in-process callers (tests) get SystemExit.
HARD_EXIT_ON_INTERRUPT = False


def interrupt_line(exc: KeyboardInterrupt) -> tuple[str, int]:
    from forcelift.stacks.interrupts import Interrupted

    signum = exc.signum if isinstance(exc, Interrupted) else 2
    name = "SIGTERM" if signum == 15 else "Ctrl-C" if signum == 2 else f"signal {signum}"
    ctx = click.get_current_context(silent=True)
    parts = [ctx.meta.get(_PROGRESS_KEY, "") if ctx is not None else ""]
    if isinstance(exc, Interrupted) and exc.finished:
        parts.append(exc.finished)
    done = "; ".join(p for p in parts if p) or "nothing finished"
    line = (
        f"interrupted ({name}): {done}. Nothing is left half-written; "
        "re-run the same command to resume."
    )
    return line, 128 + signum


@contextmanager
def cli_edge() -> Iterator[None]:
    """The one place a command's errors become messages and exit codes (see module doc)."""
    from forcelift.stacks.interrupts import hard_exit, set_reporter, signals_raise

    def report(exc: KeyboardInterrupt) -> None:
        click.secho(interrupt_line(exc)[0], fg="yellow", err=True)

    set_reporter(report)
    try:
        with signals_raise():
            yield
    except InputError as exc:
        print_problems(exc.problems)
        n = len(exc.problems)
        click.secho(f"{n} error{'s' if n != 1 else ''}; nothing was written.", fg="red", err=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt as exc:
        line, code = interrupt_line(exc)
        click.secho(line, fg="yellow", err=True)
        if HARD_EXIT_ON_INTERRUPT:
            hard_exit(code)
        sys.exit(code)
    except OSError as exc:
        click.secho(os_error_line(exc), fg="red", err=True)
        sys.exit(EXIT_INPUT)
    finally:
        set_reporter(None)


def handle_input_errors(func: F) -> F:
    """Run a command at the CLI edge (:func:`cli_edge`): input and path errors exit 2,
    interrupts 130/143, each with one message and no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with cli_edge():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
