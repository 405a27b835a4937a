"""`plan show` on something that is not a plan says what it is (issue 16), not that "the
plan no longer validates": it never was a plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli

SAMPLE = Path(__file__).resolve().parents[2] / "inventories" / "exampleshire"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (SAMPLE / "inventory.yaml", "this is an inventory (native YAML), not a forcelift plan"),
        (SAMPLE / "exports" / "dependencies.csv", "this is a CSV file (an inventory export?)"),
        (
            SAMPLE / "exports" / "rvtools" / "RVTools_export_all.xlsx",
            "this is a binary file (a spreadsheet export?), not a forcelift plan",
        ),
    ],
    ids=["native-yaml", "csv", "xlsx"],
)
def test_plan_show_on_an_inventory_names_the_file_kind(path: Path, kind: str) -> None:
    result = CliRunner().invoke(cli, ["plan", "show", str(path)])
    assert result.exit_code == 2
    assert kind in result.stderr
    assert "no longer validates" not in result.stderr
    assert "forcelift plan INVENTORY -o plan.yaml" in result.stderr
    assert result.stderr.count("error:") == 1
    assert "Traceback" not in result.output
