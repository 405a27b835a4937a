"""plan.yaml end to end: golden plans per cloud, byte stability, CLI, bad input with hints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.errors import InputError
from forcelift.migration.plan.planio import load_plan, plan_from_data

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventories" / "exampleshire"
GOLDEN = ROOT / "tests" / "golden" / "plan"
AS_OF = "2026-11-25"


def _plan(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / "plan.yaml"
    result = CliRunner().invoke(
        cli, ["plan", str(SAMPLE.relative_to(ROOT)), "-o", str(out), "-q", "--as-of", AS_OF, *args]
    )
    return result.exit_code, result.output, out


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the plan records its sources as given, relative to the repo


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_golden_plan_per_cloud_is_byte_stable(tmp_path: Path, cloud: str) -> None:
    code, output, out = _plan(tmp_path, "--cloud", cloud)
    assert code == 0, output
    golden = GOLDEN / f"exampleshire-{cloud}.yaml"
    if os.environ.get("FORCELIFT_REGENERATE_GOLDEN"):
        golden.write_bytes(out.read_bytes())
    assert out.read_bytes() == golden.read_bytes(), "plan changed: review and regenerate"
    again = tmp_path / "again"
    again.mkdir()
    _, _, second = _plan(again, "--cloud", cloud)
    assert second.read_bytes() == out.read_bytes()


def test_plan_contents_an_architect_can_follow(tmp_path: Path) -> None:
    code, output, out = _plan(tmp_path, "--cloud", "both")
    assert code == 0, output
    plan = load_plan(out)
    names = {w.application for w in plan.workloads}
    waved = {a for w in plan.waves for a in w.applications}
    excluded = {e.application for e in plan.excluded}
    assert waved | excluded == names and not waved & excluded
    for cloud in plan.clouds:
        assert cloud.region in ("uksouth", "eu-west-2")
        assert cloud.stacks[0].name.endswith(f"{cloud.cloud}-landing-zone")
        assert {w.application for w in cloud.workloads} == waved
        assert all(
            set(w.tags) >= {"application", "owner", "data-classification", "cost-centre", "wave"}
            for w in cloud.workloads
        )
        assert cloud.landing_zone.connectivity.psn_required
        monthly = sum(w.monthly_cost.payg for w in cloud.workloads)
        assert monthly == pytest.approx(cloud.cost.monthly.payg, rel=1e-6)
    for text in ("Waves (", "On-premise today", "azure uksouth", "aws eu-west-2"):
        assert text in output


def test_show_and_diff(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, _, azure = _plan(tmp_path / "a", "--cloud", "azure")
    _, _, both = _plan(tmp_path / "b", "--cloud", "both", "--wave-max-servers", "200")
    runner = CliRunner()
    shown = runner.invoke(cli, ["plan", "show", str(azure), "--format", "markdown"])
    assert shown.exit_code == 0 and "| SaaS | PaaS | IaaS | Retain | Retire |" in shown.output
    same = runner.invoke(cli, ["plan", "diff", str(azure), str(azure)])
    assert same.exit_code == 0 and "plans are the same" in same.output
    changed = runner.invoke(cli, ["plan", "diff", str(azure), str(both)])
    assert changed.exit_code == 1 and "+ cloud aws" in changed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--supernet", "10.100.0.0/33"], "supernet"),
        (["--supernet", "10.100.0.0/28"], "supernet"),
        (["--reserve", "10.100.0.0/14", "--reserve", "10.101.0.0/16"], "overlap"),
        (["--freeze", "2027-02-01..2027-01-01"], "ends before it starts"),
        (["--cloud", "gcp"], "Invalid value for '--cloud'"),
    ],
)
def test_bad_planning_input_exits_2_with_a_hint(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, output, out = _plan(tmp_path, *args)
    assert code == 2, output
    assert message.lower() in output.lower()
    assert "Traceback" not in output
    assert not out.exists()


def test_hand_edited_plan_errors_name_the_path(tmp_path: Path) -> None:
    _, _, out = _plan(tmp_path, "--cloud", "azure")
    data = yaml.safe_load(out.read_text())
    data["clouds"][0]["workloads"][1]["vms"] = [{"server": "x"}]
    with pytest.raises(InputError) as err:
        plan_from_data(data)
    assert "clouds[0].workloads[1].vms[0].size" in str(err.value)
    data["schema_version"] = "9.0"
    with pytest.raises(InputError, match="schema_version"):
        plan_from_data(data)


@pytest.mark.parametrize("hybrid", [False, True])
def test_written_plan_reads_back_equal(tmp_path: Path, hybrid: bool) -> None:
    """`migrate` hands the preview the plan it wrote instead of re-reading it (prime_plan_cache):
    that is only sound while reading plan.yaml gives back an equal Plan."""
    import datetime as dt

    from forcelift.migration.pipeline import Inputs, make_plan
    from forcelift.migration.plan.planfile import PlanOptions
    from forcelift.migration.plan.planio import plan_to_yaml

    options = PlanOptions(
        clouds=("azure", "aws"), hybrid_benefit_windows=hybrid, wave_max_servers=120
    )
    planned = make_plan(Inputs((SAMPLE,), as_of=dt.date(2026, 11, 25)), options)
    path = tmp_path / "plan.yaml"
    path.write_text(plan_to_yaml(planned.plan), encoding="utf-8")
    assert load_plan(path) == planned.plan
