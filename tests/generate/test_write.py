"""Writing the project: idempotent, never over a user's file, keeps what the engineer set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.generate import GeneratedFile, render_project
from forcelift.stacks.project_writer import write_project

from .conftest import VERSION

LZ = "Pulumi.smallshire-azure-landing-zone.yaml"
WAVE = "Pulumi.smallshire-azure-wave-1.yaml"


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_first_run_creates_second_run_changes_nothing(
    files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    first = write_project(files, tmp_path)
    assert {o.path for o in first} == set(files)
    assert {o.status for o in first} == {"created"}
    for path, file in files.items():
        assert (tmp_path / path).read_text(encoding="utf-8") == file.content
    before = _snapshot(tmp_path)
    second = write_project(files, tmp_path)
    assert [(o.path, o.status) for o in second] == [(p, "unchanged") for p in files]
    assert _snapshot(tmp_path) == before, "an unchanged file must not even be rewritten"
    leftovers = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and p.name.startswith(".") and p.name != ".gitignore"
    ]
    assert leftovers == [], "no temporary files left behind"


def test_refuses_to_overwrite_a_file_it_did_not_write(
    files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    (tmp_path / "README.md").write_text("# Our own notes\n", encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    own = tmp_path / ".github" / "workflows" / "forcelift-aws.yml"
    own.write_text("name: ours\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        write_project(files, tmp_path)
    refused = sorted(p.location.file or "" for p in info.value.problems)
    assert refused == [str(own), str(tmp_path / "README.md")]
    assert all("--force" in (p.hint or "") for p in info.value.problems)
    assert not (tmp_path / "Pulumi.yaml").exists(), "a refusal writes nothing at all"
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Our own notes\n"
    outcomes = write_project(files, tmp_path, force=True)
    assert {o.path: o.status for o in outcomes}["README.md"] == "updated"
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == files["README.md"].content


def test_a_generated_file_that_differs_is_updated(
    files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    write_project(files, tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "a local edit\n", encoding="utf-8")
    (tmp_path / "requirements.txt").unlink()
    outcomes = {o.path: o.status for o in write_project(files, tmp_path)}
    assert outcomes["README.md"] == "updated"
    assert outcomes["requirements.txt"] == "created"
    assert {s for p, s in outcomes.items() if p not in ("README.md", "requirements.txt")} == {
        "unchanged"
    }
    assert readme.read_text(encoding="utf-8") == files["README.md"].content


def _as_pulumi_rewrote_it(path: Path, extra_top: dict, extra_config: dict) -> None:
    """What `pulumi stack init` / `pulumi config set` leave: sorted keys, comments gone."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["config"].update(extra_config)
    data.update(extra_top)
    path.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")


def test_keeps_values_the_engineer_set_in_stack_config(
    plan: Plan, files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    write_project(files, tmp_path)
    secret = {"secure": "v1:AAAABBBBccccDDDD"}
    _as_pulumi_rewrote_it(
        tmp_path / LZ,
        {"encryptionsalt": "v1:salt:abc"},
        {
            "forcelift:vpnSharedKey": secret,
            "forcelift:onPremGatewayAddress": "203.0.113.10",
            "forcelift:organization": "exampleshire-police",
        },
    )
    _as_pulumi_rewrote_it(tmp_path / WAVE, {}, {"forcelift:adminPassword": secret})
    before = _snapshot(tmp_path)
    outcomes = {o.path: o for o in write_project(files, tmp_path)}
    assert outcomes[LZ].status == "unchanged"
    assert "forcelift:vpnSharedKey" in outcomes[LZ].detail
    assert outcomes[WAVE].status == "unchanged"
    assert _snapshot(tmp_path) == before, "Pulumi's own formatting is left alone"

    # The plan moves Azure to ukwest: the contract keys follow, the engineer's values stay.
    azure = plan.clouds[0].model_copy(update={"region": "ukwest"})
    moved = plan.model_copy(update={"clouds": (azure, *plan.clouds[1:])})
    outcomes = {o.path: o for o in write_project(render_project(moved, version=VERSION), tmp_path)}
    assert outcomes[LZ].status == "updated"
    assert outcomes["Pulumi.smallshire-aws-landing-zone.yaml"].status == "unchanged"
    text = (tmp_path / LZ).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["encryptionsalt"] == "v1:salt:abc"
    assert data["config"]["azure-native:location"] == "ukwest"
    assert data["config"]["forcelift:vpnSharedKey"] == secret
    assert data["config"]["forcelift:onPremGatewayAddress"] == "203.0.113.10"
    assert data["config"]["forcelift:organization"] == "exampleshire-police"
    assert "# forcelift:onPremGatewayAddress:" not in text, "no placeholder once it is set"
    assert "forcelift:vpnSharedKey (secret)" not in text
    wave = yaml.safe_load((tmp_path / WAVE).read_text(encoding="utf-8"))
    assert wave["config"]["forcelift:adminPassword"] == secret


def test_a_stack_config_without_marker_or_forcelift_keys_is_refused(
    files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    (tmp_path / WAVE).write_text("config:\n  aws:region: eu-west-1\n", encoding="utf-8")
    with pytest.raises(InputError):
        write_project(files, tmp_path)


def test_stacks_dropped_from_the_plan_are_reported_stale_and_kept(
    plan: Plan, files: dict[str, GeneratedFile], tmp_path: Path
) -> None:
    write_project(files, tmp_path)
    aws_only = plan.model_copy(update={"clouds": (plan.cloud("aws"),)})
    outcomes = write_project(render_project(aws_only, version=VERSION), tmp_path)
    stale = sorted(o.path for o in outcomes if o.status == "stale")
    assert stale == sorted(
        [
            ".github/workflows/forcelift-azure.yml",
            "azure-pipelines-azure.yml",
            *(p for p in files if p.startswith("Pulumi.smallshire-azure-")),
        ]
    )
    assert all((tmp_path / p).exists() for p in stale)


def test_dry_run_writes_nothing(files: dict[str, GeneratedFile], tmp_path: Path) -> None:
    outcomes = write_project(files, tmp_path / "new", dry_run=True)
    assert {o.status for o in outcomes} == {"created"}
    assert not (tmp_path / "new").exists()
