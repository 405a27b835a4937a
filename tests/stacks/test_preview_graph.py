"""The program's mapping, checked on the recorded graphs of the reduced sample (both clouds).

Golden files: tests/golden/preview/<cloud>/<stack>.json (regenerate with
FORCELIFT_REGENERATE_GOLDEN=1 and review the diff). What a resource type accepts (tags,
location) is read from the SDK class, so new resource types are covered without edits here.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.plan.planfile import Plan
from forcelift.migration.policy.check import check
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Severity
from forcelift.stacks.preview_documents import dumps

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "preview"
CLOUDS = ("azure", "aws")
REQUIRED = ("application", "owner", "data-classification", "cost-centre", "wave")
EXTRA = ("criticality", "forcelift-stack")


def previews(request: pytest.FixtureRequest, cloud: str) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = request.getfixturevalue(f"{cloud}_previews")
    return docs


def resources(docs: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for stack, doc in sorted(docs.items()):
        for resource in doc["resources"]:
            yield stack, resource


@functools.cache
def takes(type_token: str, parameter: str) -> bool:
    """Whether the SDK class behind a type token has this constructor parameter."""
    provider, module, cls = type_token.split(":")
    if provider == "azure-native":
        package = f"pulumi_azure_native.{module}"
    elif provider == "aws":
        package = f"pulumi_aws.{module.split('/')[0]}"
    else:
        return False
    resource = getattr(importlib.import_module(package), cls)
    return parameter in inspect.signature(resource._internal_init).parameters


@pytest.mark.parametrize("cloud", CLOUDS)
def test_golden_graphs(request: pytest.FixtureRequest, cloud: str) -> None:
    docs = previews(request, cloud)
    folder = GOLDEN / cloud
    if os.environ.get("FORCELIFT_REGENERATE_GOLDEN") == "1":
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        for stack, doc in docs.items():
            (folder / f"{stack}.json").write_text(dumps(doc), encoding="utf-8")
    expected = sorted(p.stem for p in folder.glob("*.json"))
    assert expected == sorted(docs), "stacks differ from the golden set"
    for stack, doc in docs.items():
        golden = (folder / f"{stack}.json").read_text(encoding="utf-8")
        assert dumps(doc) == golden, f"{stack} differs from its golden graph"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_one_stack_per_wave_and_a_landing_zone(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = previews(request, cloud)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    assert sorted(docs) == sorted(s.name for s in planned.stacks)
    for doc in docs.values():
        assert doc["duplicate_urns"] == []
        assert doc["schema_version"] == "1.0"
        assert [r["urn"] for r in doc["resources"]] == sorted(r["urn"] for r in doc["resources"])
        assert sum(doc["counts"].values()) == len(doc["resources"])


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_resource_in_a_uk_region(request: pytest.FixtureRequest, cloud: str) -> None:
    docs = previews(request, cloud)
    for _, resource in resources(docs):
        inputs = resource["inputs"]
        if cloud == "azure" and "location" in inputs:
            assert inputs["location"] in ("uksouth", "ukwest", "global"), resource["urn"]
        if cloud == "aws" and "availabilityZone" in inputs:
            assert str(inputs["availabilityZone"]).startswith("eu-west-2"), resource["urn"]
    for doc in docs.values():
        if cloud == "aws":
            assert doc["config"]["aws:region"] == "eu-west-2"
        else:
            assert doc["config"]["azure-native:location"] == "uksouth"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_taggable_resource_carries_the_plan_tags(
    request: pytest.FixtureRequest, cloud: str
) -> None:
    docs = previews(request, cloud)
    tagged = 0
    for stack, resource in resources(docs):
        if not resource["custom"] or not takes(resource["type"], "tags"):
            continue
        tags = resource["inputs"].get("tags") or {}
        missing = [k for k in (*REQUIRED, *EXTRA) if not str(tags.get(k, "")).strip()]
        assert not missing, f"{resource['urn']} lacks {missing}"
        assert tags["forcelift-stack"] == stack
        tagged += 1
    assert tagged > 50


@pytest.mark.parametrize("cloud", CLOUDS)
def test_workload_tags_come_from_the_plan(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = previews(request, cloud)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    by_app = {w.tags["application"]: w.tags for w in planned.workloads}
    seen = set()
    for _, resource in resources(docs):
        tags = resource["inputs"].get("tags") or {}
        if resource["custom"] and tags.get("application") in by_app:
            expected = dict(by_app[tags["application"]])
            if resource["type"] == "aws:rds/instance:Instance":
                # the AWS component sets criticality=critical|standard on databases itself
                expected.pop("criticality")
            assert {k: tags[k] for k in expected} == expected, resource["urn"]
            seen.add(tags["application"])
    with_resources = {w.tags["application"] for w in planned.workloads if w.vms or w.paas}
    assert with_resources <= seen


@pytest.mark.parametrize("cloud", CLOUDS)
def test_no_public_ips_on_servers(request: pytest.FixtureRequest, cloud: str) -> None:
    docs = previews(request, cloud)
    for _, resource in resources(docs):
        inputs = resource["inputs"]
        if resource["type"] == "azure-native:network:NetworkInterface":
            for config in inputs.get("ipConfigurations") or []:
                assert not config.get("publicIPAddress"), resource["urn"]
        if resource["type"] == "aws:ec2/instance:Instance":
            assert inputs.get("associatePublicIpAddress") is False, resource["urn"]
        if resource["type"] == "azure-native:network:PublicIPAddress":
            assert resource["urn"].split("::")[-1].startswith("hub-pip-"), resource["urn"]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_disk_bucket_and_database_is_encrypted(
    request: pytest.FixtureRequest, cloud: str
) -> None:
    docs = previews(request, cloud)
    found: dict[str, int] = {}
    for stack, resource in resources(docs):
        kind, inputs = resource["type"], resource["inputs"]
        if kind == "azure-native:compute:Disk":
            assert inputs["encryption"]["type"] == "EncryptionAtRestWithPlatformKey"
        elif kind == "azure-native:compute:VirtualMachine":
            assert inputs["securityProfile"]["encryptionAtHost"] is True
        elif kind == "azure-native:storage:StorageAccount":
            assert inputs["encryption"]["requireInfrastructureEncryption"] is True
        elif kind == "azure-native:sql:ManagedInstance":
            assert inputs["minimalTlsVersion"] == "1.2"
            assert inputs["publicDataEndpointEnabled"] is False
        elif kind == "azure-native:dbforpostgresql:Server":
            assert inputs["network"]["publicNetworkAccess"] == "Disabled"
        elif kind == "aws:ebs/volume:Volume":
            assert inputs["encrypted"] is True and inputs.get("kmsKeyId")
        elif kind == "aws:ec2/instance:Instance":
            assert inputs["rootBlockDevice"]["encrypted"] is True
        elif kind == "aws:rds/instance:Instance":
            assert inputs["storageEncrypted"] is True and inputs["publiclyAccessible"] is False
        elif kind == "aws:s3/bucket:Bucket":
            doc = docs[stack]
            sse = [
                r
                for r in doc["resources"]
                if r["type"].startswith("aws:s3/bucketServerSideEncryptionConfiguration")
                and resource["urn"] in r["dependencies"]
            ]
            assert sse, f"{resource['urn']} has no server-side encryption"
        else:
            continue
        found[kind] = found.get(kind, 0) + 1
    expected = (
        {"azure-native:compute:Disk", "azure-native:sql:ManagedInstance"}
        if cloud == "azure"
        else {"aws:ebs/volume:Volume", "aws:rds/instance:Instance", "aws:s3/bucket:Bucket"}
    )
    assert expected <= set(found)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_vms_sized_and_disked_as_the_plan_says(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = previews(request, cloud)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    vms = {vm.server: vm for w in planned.workloads for vm in w.vms}
    seen = {}
    for _, resource in resources(docs):
        inputs = resource["inputs"]
        if resource["type"] == "azure-native:compute:VirtualMachine":
            server = resource["name"].split("-vm-", 1)[1]
            assert inputs["hardwareProfile"]["vmSize"] == vms[server].size
            disk = inputs["storageProfile"]["osDisk"]["diskSizeGB"]
            assert disk == vms[server].disks[0].size_gib
            assert len(inputs["storageProfile"]["dataDisks"]) == len(vms[server].disks) - 1
            seen[server] = resource
        if resource["type"] == "aws:ec2/instance:Instance":
            server = next(s for s in vms if resource["name"].endswith(s.lower()))
            assert inputs["instanceType"] == vms[server].size
            assert inputs["rootBlockDevice"]["volumeSize"] == vms[server].disks[0].size_gib
            seen[server] = resource
    assert set(seen) == set(vms)
    if cloud == "aws":
        volumes = sorted(
            r["inputs"]["size"] for _, r in resources(docs) if r["type"] == "aws:ebs/volume:Volume"
        )
        assert volumes == sorted(d.size_gib for vm in vms.values() for d in vm.disks[1:])
    else:
        disks = sorted(
            r["inputs"]["diskSizeGB"]
            for _, r in resources(docs)
            if r["type"] == "azure-native:compute:Disk"
        )
        assert disks == sorted(d.size_gib for vm in vms.values() for d in vm.disks[1:])


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_workload_has_its_components(
    request: pytest.FixtureRequest, cloud: str, reduced_plan: Plan
) -> None:
    docs = previews(request, cloud)
    planned = next(c for c in reduced_plan.clouds if c.cloud == cloud)
    components = {
        (stack, r["type"].rsplit(":", 1)[1], r["name"])
        for stack, r in resources(docs)
        if r["type"].startswith(f"forcelift:{cloud}:")
    }
    from forcelift.stacks.context import component_name

    for workload in planned.workloads:
        name = component_name(workload.application)
        if workload.vms:
            assert (workload.stack, "IaasWorkload", f"{name}-iaas") in components
        if workload.paas:
            assert (workload.stack, "PaasWorkload", f"{name}-paas") in components
        if workload.saas is not None and (workload.saas.fqdns or cloud == "aws"):
            assert (workload.stack, "SaasWorkload", f"{name}-saas") in components
        record = docs[workload.stack]["outputs"]["workloads"][workload.application]
        assert record["decision"] == workload.decision


@pytest.mark.parametrize("cloud", CLOUDS)
def test_guardrails_find_nothing_high(request: pytest.FixtureRequest, cloud: str) -> None:
    docs = previews(request, cloud)
    findings = check([ResourceGraph.from_preview(doc) for doc in docs.values()])
    serious = [
        f"{f.rule_id} {f.urn}: {f.message}"
        for f in findings
        if f.severity.rank >= Severity.HIGH.rank and not f.waived
    ]
    assert serious == []


def test_azure_flows_reach_the_subnets_their_workloads_use(
    azure_previews: dict[str, dict[str, Any]],
) -> None:
    """Active Directory's LDAP from on-premise lands on the VM subnet; every NSG ends with a
    deny-all; the web app + PostgreSQL workload's HTTPS flow lands on the endpoint subnet."""
    doc = azure_previews["exampleshire-azure-wave-3"]
    nsgs = {
        r["name"].rsplit("-nsg-", 1)[1]: r["inputs"]["securityRules"]
        for r in doc["resources"]
        if r["type"] == "azure-native:network:NetworkSecurityGroup"
    }
    for rules in nsgs.values():
        assert rules[-1]["name"] == "DenyAllInbound" and rules[-1]["priority"] == 4096
    workload = {r["sourceAddressPrefix"]: r for r in nsgs["workload"][:-1]}
    assert "389" in workload["10.20.0.0/16"]["destinationPortRanges"]
    assert workload["10.20.0.0/16"]["destinationAddressPrefix"] == "10.100.4.0/23"
    endpoints = nsgs["private-endpoints"][:-1]
    assert any("443" in r["destinationPortRanges"] for r in endpoints)
    assert "sql-managed-instance" in nsgs  # carved: the plan has no SQL MI subnet yet
