"""IaaS: private EC2, encrypted gp3 volumes, IMDSv2, SSM role, AWS Backup by tag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.iaas_workload import (
    BackupSpec,
    IaasWorkload,
    IaasWorkloadArgs,
    ServerSpec,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:IaasWorkload"
WINDOWS = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"


def _args(tags: Tags, **overrides: Any) -> IaasWorkloadArgs:
    values: dict[str, Any] = {
        "tags": tags,
        "servers": (
            ServerSpec("app01", "m6i.large", WINDOWS, "eu-west-2a", 100, (200, 50), "critical"),
            ServerSpec("web01", "t3.medium", "ami-0abcdef1234567890", "eu-west-2b", 40),
        ),
        "subnet_ids": {"eu-west-2a": "subnet-a", "eu-west-2b": "subnet-b"},
        "security_group_ids": ("sg-app",),
        "backup": BackupSpec(retention_days=35),
    }
    values.update(overrides)
    return IaasWorkloadArgs(**values)


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(lambda: IaasWorkload("rms", _args(tags)))


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_instances(run: MockRun, helpers: Any) -> None:
    instances = {r.name: r.inputs for r in run.of_type("aws:ec2/instance:Instance")}
    assert set(instances) == {"rms-app01", "rms-web01"}
    app, web = instances["rms-app01"], instances["rms-web01"]
    assert app["ami"] == helpers.fake_ami  # resolved from the SSM parameter
    assert web["ami"] == "ami-0abcdef1234567890"
    assert app["instanceType"] == "m6i.large" and app["subnetId"] == "subnet-a"
    assert web["subnetId"] == "subnet-b" and web["vpcSecurityGroupIds"] == ["sg-app"]
    assert app["associatePublicIpAddress"] is False
    assert app["metadataOptions"]["httpTokens"] == "required"
    root = app["rootBlockDevice"]
    assert (root["encrypted"], root["volumeType"], root["volumeSize"]) == (True, "gp3", 100)
    assert root["kmsKeyId"] and app["iamInstanceProfile"] == "rms-instance"
    assert app["tags"]["criticality"] == "critical"


def test_data_volumes_are_encrypted_and_attached(run: MockRun) -> None:
    volumes = run.of_type("aws:ebs/volume:Volume")
    assert sorted(v.inputs["size"] for v in volumes) == [50, 200]
    assert {v.inputs["type"] for v in volumes} == {"gp3"}
    assert {v.inputs["availabilityZone"] for v in volumes} == {"eu-west-2a"}
    (key,) = run.of_type("aws:kms/key:Key")
    assert all(key.urn in v.dependencies for v in volumes)
    attachments = run.of_type("aws:ec2/volumeAttachment:VolumeAttachment")
    assert sorted(a.inputs["deviceName"] for a in attachments) == ["/dev/sdf", "/dev/sdg"]


def test_ssm_instance_role(run: MockRun, helpers: Any) -> None:
    roles = {r.name: r for r in run.of_type("aws:iam/role:Role")}
    trust = helpers.policy_of(roles["rms-instance-role"], "assumeRolePolicy")
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    policies = {
        a.inputs["policyArn"]
        for a in run.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if roles["rms-instance-role"].urn in a.dependencies
    }
    assert "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" in policies


def test_backup_selects_the_servers_by_tag(run: MockRun) -> None:
    (vault,) = run.of_type("aws:backup/vault:Vault")
    assert vault.protect and vault.inputs["kmsKeyArn"]
    (plan,) = run.of_type("aws:backup/plan:Plan")
    (rule,) = plan.inputs["rules"]
    assert (
        rule["lifecycle"]["deleteAfter"] == 35 and rule["targetVaultName"] == vault.inputs["name"]
    )
    (selection,) = run.of_type("aws:backup/selection:Selection")
    (tag,) = selection.inputs["selectionTags"]
    for instance in run.of_type("aws:ec2/instance:Instance"):
        assert instance.inputs["tags"][tag["key"]] == tag["value"]


def test_without_backup_or_protection(tags: Tags, run_aws: Callable[..., MockRun]) -> None:
    servers = (ServerSpec("app01", "t3.small", "ami-0abcdef1234567890", "eu-west-2a", 30, (10,)),)
    run = run_aws(
        lambda: IaasWorkload(
            "tiny",
            _args(tags, servers=servers, backup=None, protect=False, kms_key_arn="arn:aws:kms:k"),
        )
    )
    assert run.of_type("aws:backup/plan:Plan") == [] and run.of_type("aws:kms/key:Key") == []
    assert not any(r.protect for r in run.resources)
    (volume,) = run.of_type("aws:ebs/volume:Volume")
    assert volume.inputs["kmsKeyId"] == "arn:aws:kms:k"


def test_bad_servers_are_refused(tags: Tags) -> None:
    with pytest.raises(ValueError, match="no subnet"):
        _args(tags, subnet_ids={"eu-west-2a": "subnet-a"})
    with pytest.raises(ValueError, match="ami"):
        ServerSpec("x", "t3.small", "latest-windows", "eu-west-2a", 30)
    with pytest.raises(ValueError, match="7 days"):
        BackupSpec(retention_days=3)
