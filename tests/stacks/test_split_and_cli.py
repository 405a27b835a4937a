"""Split waves (later parts read the spoke from the first part) and `forcelift preview`: tree
and counts, --stack, --json, and parallel workers giving byte-identical files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.plan.planfile import Plan
from forcelift.stacks.preview import load_documents, preview_project

MOVED = "Performance Data Warehouse"  # the VM + SQL MI workload of wave 3 goes to part 2
KEPT = ("Active Directory", "Address Gazetteer Service")  # wave 3 VMs that stay in part 1


@pytest.fixture(scope="module")
def split_projects(
    sample_plan: Plan, helpers: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    plan = helpers.split_wave(helpers.keep_workloads(sample_plan, [MOVED, *KEPT]), 3, [MOVED])
    return {
        cloud: helpers.write_project(
            tmp_path_factory.mktemp(f"split-{cloud}"), helpers.only_cloud(plan, cloud)
        )
        for cloud in ("azure", "aws")
    }


@pytest.fixture(scope="module")
def split_docs(split_projects: dict[str, Path]) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for directory in split_projects.values():
        result = preview_project(directory, jobs=1)
        for doc in load_documents(directory, [r.stack for r in result.stacks]):
            docs[doc["stack"]] = doc
    return docs


def _by_type(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in doc["resources"] if r["type"] == kind]


def test_azure_later_part_uses_the_first_parts_spoke(split_docs: dict[str, Any]) -> None:
    first = split_docs["exampleshire-azure-wave-3-1"]
    second = split_docs["exampleshire-azure-wave-3-2"]
    assert len(_by_type(first, "forcelift:azure:Spoke")) == 1
    assert _by_type(second, "forcelift:azure:Spoke") == []
    assert "spokeSubnetIds" not in second["outputs"]
    subnets = first["outputs"]["spokeSubnetIds"]
    nics = _by_type(second, "azure-native:network:NetworkInterface")
    assert nics and all(
        n["inputs"]["ipConfigurations"][0]["subnet"]["id"] == subnets["workload"] for n in nics
    )
    (instance,) = _by_type(second, "azure-native:sql:ManagedInstance")
    assert instance["inputs"]["subnetId"] == subnets["sql-managed-instance"]
    assert second["outputs"]["workloads"][MOVED]["components"] == ["iaas", "paas"]
    # the first part's spoke already lets the moved workload's flows in
    nsg = next(
        r
        for r in _by_type(first, "azure-native:network:NetworkSecurityGroup")
        if r["name"].endswith("-nsg-workload")
    )
    bastion = next(
        rule
        for rule in nsg["inputs"]["securityRules"]
        if rule["sourceAddressPrefix"] == "10.100.0.192/26"
    )
    assert bastion["destinationPortRanges"] == ["22", "3389"]


def test_aws_later_part_uses_the_first_parts_spoke(split_docs: dict[str, Any]) -> None:
    first = split_docs["exampleshire-aws-wave-3-1"]
    second = split_docs["exampleshire-aws-wave-3-2"]
    assert _by_type(second, "forcelift:aws:SpokeNetwork") == []
    subnets = first["outputs"]["spokeSubnetIds"]
    # The later part holds its own workloads' security group, in the first part's VPC
    assert "performance-data-warehouse" not in first["outputs"]["spokeSecurityGroupIds"]
    (own,) = [
        g
        for g in _by_type(second, "aws:ec2/securityGroup:SecurityGroup")
        if g["name"] == "wave-3-sg-performance-data-warehouse"
    ]
    assert own["parent"].endswith("forcelift:aws:WorkloadSecurityGroups::wave-3-2-groups")
    assert own["inputs"]["vpcId"] == first["outputs"]["spokeVpcId"]
    egress = _by_type(second, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert {e["inputs"].get("prefixListId") for e in egress} >= {
        first["outputs"]["spokeS3PrefixListId"]
    }
    instances = _by_type(second, "aws:ec2/instance:Instance")
    assert len(instances) == 1  # the warehouse ETL server
    for instance in instances:
        assert own["urn"] in instance["dependencies"]
        assert instance["inputs"]["subnetId"] in subnets.values()
    # servers are spread over zones in order: the one server lands in the first
    assert {i["inputs"]["subnetId"] for i in instances} == {subnets["eu-west-2a"]}
    (group,) = _by_type(second, "aws:rds/subnetGroup:SubnetGroup")
    assert group["inputs"]["subnetIds"] == [subnets[z] for z in sorted(subnets)]


def test_cli_tree_counts_stack_and_json(
    split_projects: dict[str, Path], split_docs: dict[str, Any], tmp_path: Path
) -> None:
    directory = split_projects["azure"]
    out = tmp_path / "graph.json"
    stack = "exampleshire-azure-wave-3-2"
    result = CliRunner().invoke(
        cli, ["preview", str(directory), "--stack", stack, "--json", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    # its dependencies were previewed before: only this stack runs
    assert f"{stack} (" in result.output and "landing-zone (" not in result.output
    assert "+ forcelift:azure:IaasWorkload performance-data-warehouse-iaas" in result.output
    assert "- azure-native:compute:VirtualMachine" in result.output
    assert "azure-native:network:NetworkInterface" in result.output.split("counts")[1]
    data = json.loads(out.read_text())
    assert [d["stack"] for d in data["stacks"]] == [stack]
    assert data["stacks"][0]["resources"] == split_docs[stack]["resources"]


def test_parallel_workers_write_byte_identical_previews(
    split_projects: dict[str, Path], split_docs: dict[str, Any]
) -> None:
    directory = split_projects["aws"]  # previewed in this process (jobs=1) by split_docs
    before = {p.name: p.read_bytes() for p in sorted((directory / "preview").glob("*.json"))}
    # landing zone, waves 1 and 2, wave 3 in two parts, and the sharing stack (the partner
    # agencies' endpoints exampleshire consumes)
    assert sorted(before) == sorted(
        f"exampleshire-aws-{s}.json"
        for s in ("landing-zone", "wave-1", "wave-2", "wave-3-1", "wave-3-2", "sharing")
    )
    for path in (directory / "preview").glob("*.json"):
        path.unlink()
    run = subprocess.run(
        [str(Path(sys.executable).parent / "forcelift"), "preview", str(directory), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    after = {p.name: p.read_bytes() for p in sorted((directory / "preview").glob("*.json"))}
    assert after == before
    # landing zone first, then the waves, and the later part after the first (the sharing
    # stack reads no wave here: it consumes only the partners' own services)
    order = [line.split(" (")[0] for line in run.stdout.splitlines() if " resources)" in line]
    assert order.index("exampleshire-aws-landing-zone") == 0
    assert order.index("exampleshire-aws-wave-3-1") < order.index("exampleshire-aws-wave-3-2")
    assert order.index("exampleshire-aws-sharing") > 0


def test_each_stack_is_reported_when_it_finishes(
    split_projects: dict[str, Path], split_docs: dict[str, Any]
) -> None:
    finished: list[str] = []
    results: list[str] = []
    preview_project(
        split_projects["azure"],
        only=["exampleshire-azure-wave-3-2"],
        jobs=1,
        on_result=lambda r: results.append(r.stack),
        on_done=finished.append,
    )
    assert finished == results == ["exampleshire-azure-wave-3-2"]
