"""`forcelift classify` is readable at 80 columns: a narrow layout whose headers and cells
wrap instead of being cut off with an ellipsis (issue 16: "Anti-M…", "Decisi…")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli

SAMPLE = Path(__file__).resolve().parents[2] / "inventories" / "exampleshire"


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        (80, ("Application", "Decision", "Details")),
        (100, ("Application", "Decision", "Details")),
        (200, ("Application", "Decision", "Strategy", "Target", "Conf.", "Effort", "Why")),
    ],
)
def test_classify_table_fits_without_truncation(columns: int, headers: tuple[str, ...]) -> None:
    result = CliRunner().invoke(
        cli,
        ["classify", str(SAMPLE), "--as-of", "2026-11-25", "-q"],
        env={"COLUMNS": str(columns)},
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "…" not in out, "a header or cell was truncated"
    assert max(len(line) for line in out.splitlines()) <= columns
    header_line = next(line for line in out.splitlines() if "Application" in line)
    for word in headers:
        assert word in header_line, (word, header_line)
    words = " ".join(out.split())  # an application name may wrap inside its cell
    assert "Anti-Malware" in words or "Anti-" in out  # the name the issue saw cut to "Anti-M…"
