"""Helpers for inventory tests: write small files, load them, run the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli

DATA = Path(__file__).parent / "data"


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def cli_run():
    """cli_run(*args) -> click Result of `forcelift *args` run in-process."""
    return run_cli


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text, encoding='utf-8') -> Path in a fresh temporary directory."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return _write
