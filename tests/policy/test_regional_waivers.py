"""Waivers in a regional project: plan.yaml (kind: regional) has none at its top level, each
force's are in its member plan (plans/<slug>.yaml), and they apply to that force's stacks only
(`forcelift policy check` and the deploy guardrails, stacks/deploy.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.errors import InputError
from forcelift.stacks.deploy import guardrail_findings, load_waivers, waivers_by_stack

FORCES = ("north", "north-moor")  # one slug a prefix of the other
AS_OF = "2027-01-01"


def _waiver(resource: str) -> dict[str, Any]:
    return {
        "rule": "FL-NET-002",
        "resource": resource,
        "reason": "vendor appliance until its replacement",
        "expires": "2027-01-31",
        "approved_by": "ISO",
    }


def _preview(stack: str) -> dict[str, Any]:
    """A stack whose one instance has a public IP: FL-NET-002 (high) unless waived."""
    tags = {
        "application": "rms",
        "owner": "hoc",
        "data-classification": "OFFICIAL-SENSITIVE",
        "cost-centre": "cc1",
        "wave": "1",
    }
    return {
        "stack": stack,
        "config": {},
        "resources": [
            {
                "urn": f"urn:pulumi:{stack}::forcelift::aws:ec2/instance:Instance::i",
                "type": "aws:ec2/instance:Instance",
                "name": "i",
                "inputs": {
                    "associatePublicIpAddress": True,
                    "rootBlockDevice": {"encrypted": True},
                    "tags": tags,
                },
            }
        ],
    }


def _project(tmp_path: Path, members: bool = True) -> Path:
    """A regional project: `north` waives its instance (by name), `north-moor` nothing; the
    waivers are in the members (and, with `members`, in plans/<slug>.yaml the stacks read)."""
    waivers = {"north": [_waiver("i")], "north-moor": []}
    forces = [{"force": {"name": s, "slug": s}, "waivers": waivers[s]} for s in FORCES]
    plan = {"schema_version": "1.0", "kind": "regional", "forces": forces}
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    (tmp_path / "preview").mkdir()
    for slug in FORCES:
        stack = f"{slug}-aws-wave-1"
        if members:
            (tmp_path / "plans").mkdir(exist_ok=True)
            member = {"force": {"slug": slug}, "waivers": waivers[slug]}
            (tmp_path / "plans" / f"{slug}.yaml").write_text(yaml.safe_dump(member))
            config = {"config": {"forcelift:plan": f"plans/{slug}.yaml"}}
            (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(config))
        (tmp_path / "preview" / f"{stack}.json").write_text(json.dumps(_preview(stack)))
    return tmp_path


def test_each_stack_gets_its_own_forces_waivers(tmp_path: Path) -> None:
    project = _project(tmp_path)
    found = waivers_by_stack(project, ["north-aws-wave-1", "north-moor-aws-wave-1"])
    assert [(w.rule, w.resource) for w in found["north-aws-wave-1"]] == [("FL-NET-002", "i")]
    assert found["north-moor-aws-wave-1"] == []
    assert [w.resource for w in load_waivers(project)] == ["i"]  # every force's


def test_the_member_inside_plan_yaml_serves_without_plans_files(tmp_path: Path) -> None:
    project = _project(tmp_path, members=False)
    assert [w.resource for w in load_waivers(project, "north-aws-wave-1")] == ["i"]
    assert load_waivers(project, "north-moor-aws-wave-1") == []


def test_a_bad_waiver_names_the_member_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    member = project / "plans" / "north.yaml"
    member.write_text(yaml.safe_dump({"waivers": [{**_waiver("i"), "rule": "FL-NOPE-001"}]}))
    with pytest.raises(InputError, match=r"plans/north\.yaml.*unknown guardrail 'FL-NOPE-001'"):
        load_waivers(project, "north-aws-wave-1")


def test_deploy_guardrails_apply_the_stacks_forces_waivers(tmp_path: Path) -> None:
    import datetime as dt

    project = _project(tmp_path)
    day = dt.date.fromisoformat(AS_OF)
    north = guardrail_findings(project, "north-aws-wave-1", day)
    moor = guardrail_findings(project, "north-moor-aws-wave-1", day)
    assert [(f.rule_id, f.waived) for f in north] == [("FL-NET-002", True)]
    assert [(f.rule_id, f.waived) for f in moor] == [("FL-NET-002", False)]


def test_policy_check_waives_per_force(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = CliRunner().invoke(
        cli, ["policy", "check", str(project), "--format", "json", "--as-of", AS_OF]
    )
    assert result.exit_code == 1, result.output  # north-moor's finding is not waived
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["stack"], "waiver" in f) for f in findings) == [
        ("north-aws-wave-1", True),
        ("north-moor-aws-wave-1", False),
    ]
