"""Shared fixtures for the classifier tests, and the accuracy figure in the run's summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 6, 1)

_REPORT: dict[str, Any] = {}


@pytest.fixture
def accuracy_report() -> dict[str, Any]:
    """Where the accuracy test leaves its figure for the terminal summary."""
    return _REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if "agreement" in _REPORT:
        terminalreporter.write_line(
            f"classifier agreement with the labelled set: {_REPORT['agreed']}/{_REPORT['total']} "
            f"({_REPORT['agreement']:.1%})"
        )
