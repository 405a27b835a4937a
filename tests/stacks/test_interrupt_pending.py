"""A signal whose exception Python swallows (fork handlers, finalisers) still stops the run."""

from __future__ import annotations

import contextlib
import os
import signal

import pytest

from forcelift.stacks.interrupts import Interrupted, raise_pending, signals_raise


def _swallowed_signal(signum: int) -> None:
    with contextlib.suppress(Interrupted):  # what an at-fork handler does with it
        os.kill(os.getpid(), signum)  # the handler runs before the next bytecode here


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_swallowed_interrupt_is_raised_again_at_the_next_safe_point(signum: int) -> None:
    with pytest.raises(Interrupted) as caught, signals_raise():
        _swallowed_signal(signum)
        raise_pending()
        pytest.fail("the run went on after an interrupt")
    assert caught.value.signum == signum


def test_swallowed_interrupt_is_raised_when_the_guarded_block_ends() -> None:
    with pytest.raises(Interrupted), signals_raise():
        _swallowed_signal(signal.SIGINT)


def test_no_signal_no_interrupt_and_a_new_run_starts_clean() -> None:
    with pytest.raises(Interrupted), signals_raise():
        _swallowed_signal(signal.SIGINT)
    with signals_raise():
        raise_pending()  # the previous run's signal does not leak into this one
