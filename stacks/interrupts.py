"""Ctrl-C and SIGTERM as one exception, so a long run stops its workers and exits cleanly.

The parent process decides what an interrupt means: worker processes ignore SIGINT (a
terminal's Ctrl-C reaches the whole process group) and are terminated by the parent, which
then raises :class:`Interrupted` up to the CLI edge (exit 128 + signal number, one line).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """An interrupt (SIGINT) or termination request (SIGTERM) seen by the main process."""

    def __init__(self, signum: int = signal.SIGINT, finished: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.finished = finished  # what was complete when it came, for the one-line message

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


_pending: int | None = None  # the signal seen, in case its exception was swallowed


def _raise(signum: int, _frame: FrameType | None) -> None:
    global _pending
    for sig in SIGNALS:  # one is enough: a second Ctrl-C must not break the clean-up
        signal.signal(sig, signal.SIG_IGN)
    _pending = signum
    raise Interrupted(signum)


def raise_pending() -> None:
    """Raise :class:`Interrupted` again if a signal came and its exception was lost.

    Python runs some callbacks where exceptions are only printed ("Exception ignored"):
    the at-fork handlers a process pool's fork runs, finalisers. A signal landing there
    would vanish, and the run would go on with signals ignored; loops that wait call this
    at safe points so the interrupt still stops the run."""
    if _pending is not None:
        raise Interrupted(_pending)


@contextmanager
def signals_raise() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _pending
    _pending = None
    previous = {sig: signal.signal(sig, _raise) for sig in SIGNALS}
    try:
        yield
        raise_pending()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def worker_signals() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; SIGTERM ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


_reporter: Callable[[Interrupted], None] | None = None


def set_reporter(report: Callable[[Interrupted], None] | None) -> None:
    """The CLI edge's way to print its one line when work must stop at once (below)."""
    global _reporter
    _reporter = report


@contextmanager
def exit_at_once(progress: Callable[[], str], cleanup: Callable[[], None]) -> Iterator[None]:
    """For work that swallows or stalls on an exception raised into it - Pulumi's runtime run
    in this process (`--jobs 1`) does both: on SIGINT/SIGTERM clean up, report, and leave
    at once (nothing is half-written: every write is atomic). Without a reporter (library
    use) signals raise :class:`Interrupted` as usual."""
    if _reporter is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    report = _reporter

    def leave(signum: int, _frame: FrameType | None) -> None:
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        try:
            cleanup()
            report(Interrupted(signum, progress()))
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def hard_exit(code: int) -> None:
    """Exit now, after an interrupt stopped the workers and removed their files: the
    interpreter's own exit handlers (concurrent.futures wakes its dead pool) would only print
    tracebacks. multiprocessing's finalizers still run: they unlink the pool's semaphores.
    The resource tracker is then stopped: at exit it would report them as leaked, or warn
    that they are gone, racing the unlinks it was told of."""
    from multiprocessing import resource_tracker, util

    run_finalizers = getattr(util, "_run_finalizers", None)  # private: not in typeshed
    if run_finalizers is not None:
        run_finalizers(0)
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    pid = getattr(tracker, "_pid", None)
    if isinstance(pid, int):
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
