"""One name per resource count, the same numbers everywhere (issue 16): declared resources
(everything the previews register, components included), cloud resources (the custom ones
among them) and the plan estimate - in `migrate`'s summary, `plan show` and the report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.inventory.writer import inventory_to_yaml
from forcelift.migration.plan.planio import load_plan

FORCELIFT = [sys.executable, "-c", "from forcelift.cli.main import main; main()"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:  # type: ignore[type-arg]
    base = tmp_path_factory.mktemp("counts")
    estate = base / "estate.yaml"
    estate.write_text(inventory_to_yaml(synthesise(40, seed=11)), encoding="utf-8")
    out = base / "out"
    args = [*FORCELIFT, "migrate", str(estate), "--cloud", "aws", "--out", str(out), "-q"]
    first = subprocess.run([*args, "--json"], capture_output=True, text=True, timeout=300)
    assert first.returncode in (0, 1), first.stderr
    again = subprocess.run(args, capture_output=True, text=True, timeout=300)
    return out, json.loads(first.stdout), again.stdout


def _from_previews(out: Path) -> tuple[int, int]:
    declared = cloud = 0
    for path in (out / "preview").glob("*.json"):
        resources = json.loads(path.read_text(encoding="utf-8"))["resources"]
        declared += len(resources)
        cloud += sum(1 for r in resources if r["custom"])
    return declared, cloud


def test_migrate_names_all_three_counts(run: tuple[Path, dict, str]) -> None:  # type: ignore[type-arg]
    out, summary, text = run
    declared, cloud = _from_previews(out)
    estimate = sum(
        s.estimated_resources for c in load_plan(out / "plan.yaml").clouds for s in c.stacks
    )
    assert declared > cloud > 0 and estimate > 0
    assert summary["resources_declared"] == declared
    assert summary["cloud_resources"] == cloud
    assert summary["components"] == declared - cloud
    assert summary["resources_estimated"] == estimate
    line = next(ln for ln in text.splitlines() if ln.startswith("Stacks:"))
    assert f"{declared:,} declared resources" in line
    assert f"{cloud:,} cloud resources" in line
    assert f"plan estimate ~{estimate:,}" in line


def test_plan_show_calls_its_number_the_plan_estimate(run: tuple[Path, dict, str]) -> None:  # type: ignore[type-arg]
    out, summary, _ = run
    shown = CliRunner().invoke(cli, ["plan", "show", str(out / "plan.yaml")])
    assert shown.exit_code == 0, shown.output
    assert f"~{summary['resources_estimated']} resources (plan estimate)" in shown.output


def test_report_shows_the_same_three_counts(run: tuple[Path, dict, str]) -> None:  # type: ignore[type-arg]
    out, summary, _ = run
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    num = r"<td class=\"num\">([\d,]+)</td>"
    heads = ("Plan estimate", "Declared resources", "Cloud resources")
    assert "".join(f'<th class="num">{h}</th>' for h in heads) in html
    foot = re.search(
        r"<tfoot><tr><td>Total</td><td></td><td class=\"num\">\d+</td>" + num * 3, html
    )
    assert foot is not None
    estimate, declared, cloud = (int(g.replace(",", "")) for g in foot.groups())
    assert (estimate, declared, cloud) == (
        summary["resources_estimated"],
        summary["resources_declared"],
        summary["cloud_resources"],
    )
