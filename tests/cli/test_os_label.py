"""An OS name is printed with its version once (issue 16: "Ubuntu 20.04 LTS 20.04")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.inventory.model import OperatingSystem, os_label

SAMPLE = Path(__file__).resolve().parents[2] / "inventories" / "exampleshire"


def test_os_label_leaves_out_a_version_the_name_already_has() -> None:
    assert OperatingSystem(name="Ubuntu 20.04 LTS", version="20.04").label == "Ubuntu 20.04 LTS"
    assert os_label("Windows Server 2019 Datacenter", "10.0.17763") == (
        "Windows Server 2019 Datacenter 10.0.17763"
    )
    assert os_label("", "7.9") == "7.9"
    assert os_label("CentOS", "") == "CentOS"


def test_no_command_repeats_the_version() -> None:
    runner = CliRunner()
    show = runner.invoke(cli, ["inventory", "show", str(SAMPLE)])
    classify = runner.invoke(
        cli, ["classify", str(SAMPLE), "--as-of", str(dt.date(2026, 11, 25)), "--format", "json"]
    )
    for result in (show, classify):
        assert result.exit_code == 0, result.output
        assert "Ubuntu 20.04 LTS" in result.output
        assert "20.04 LTS 20.04" not in result.output
