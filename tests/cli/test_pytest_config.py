"""pytest prints skip reasons (issue 16: `addopts` hid them), so a skipped check is visible."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_addopts_reports_skip_reasons() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = shlex.split(config["tool"]["pytest"]["ini_options"]["addopts"])
    assert any(opt.startswith("-r") and "s" in opt[2:] for opt in addopts), addopts
