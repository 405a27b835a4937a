"""Shared fixtures for the AWS component tests: mock-runtime fixes and the property checks
every component must pass (encryption, no public exposure, tags, protection, names)."""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from forcelift.components.aws.tags import REQUIRED_TAG_KEYS, Tags
from forcelift.migration.naming import check_name
from forcelift.stacks import mock_runtime
from forcelift.stacks.mock_runtime import FAKE_AMI, SECRET_SIG, MockRun, RecordedResource

OPEN = {"0.0.0.0/0", "::/0"}

STATEFUL = {
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:rds/instance:Instance",
    "aws:backup/vault:Vault",
    "aws:ebs/volume:Volume",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:organizations/account:Account",
    "aws:organizations/organization:Organization",
}
NAMES = {
    "aws:s3/bucket:Bucket": ("bucket", "aws-s3-bucket"),
    "aws:rds/instance:Instance": ("identifier", "aws-rds-instance"),
    "aws:iam/role:Role": ("name", "aws-iam-role"),
    "aws:iam/instanceProfile:InstanceProfile": ("name", "aws-iam-role"),
    "aws:ec2/securityGroup:SecurityGroup": ("name", "aws-security-group"),
    "aws:ecs/cluster:Cluster": ("name", "aws-ecs-cluster"),
    "aws:organizations/organizationalUnit:OrganizationalUnit": ("name", "aws-organizations-ou"),
}


@pytest.fixture(scope="session")
def tags() -> Tags:
    return Tags(
        application="rms",
        owner="records-team",
        data_classification="OFFICIAL-SENSITIVE",
        cost_centre="CC-042",
        wave="1",
    )


@cache
def taggable(type_token: str) -> bool:
    """Whether the SDK resource class for a type token takes `tags`."""
    module, cls = type_token.split(":")[1].split("/")[0], type_token.split(":")[2]
    resource_class = getattr(importlib.import_module(f"pulumi_aws.{module}"), cls)
    return "tags" in inspect.signature(resource_class._internal_init).parameters


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and SECRET_SIG in value


def policy_of(resource: RecordedResource, key: str = "policy") -> dict[str, Any]:
    return json.loads(resource.inputs[key])


def dependents(run: MockRun, target: RecordedResource, type_token: str) -> list[RecordedResource]:
    return [r for r in run.of_type(type_token) if target.urn in r.dependencies]


def _check_tree(run: MockRun, component: str) -> list[str]:
    roots = [r for r in run.resources if not r.parent]
    problems = [f"{r.urn}: not under a component" for r in roots if r.type != component]
    known = {r.urn for r in run.resources}
    problems += [
        f"{r.urn}: unknown parent" for r in run.resources if r.parent and r.parent not in known
    ]
    return problems


def _check_resource(run: MockRun, r: RecordedResource) -> list[str]:
    inputs, p = r.inputs, []
    if not r.custom:
        return p
    if taggable(r.type):
        tags = inputs.get("tags") or {}
        missing = [k for k in REQUIRED_TAG_KEYS if not str(tags.get(k, "")).strip()]
        if missing:
            p.append(f"missing tags {missing}")
        for key, value in tags.items():
            kind = "aws-name-tag" if key == "Name" else "aws-tag-value"
            if check_name(kind, str(value)):
                p.append(f"tag {key}={value!r}: {check_name(kind, str(value))}")
    if r.type in STATEFUL and not r.protect:
        p.append("stateful resource is not protected")
    if r.type in NAMES:
        field, kind = NAMES[r.type]
        problem = check_name(kind, str(inputs.get(field, "")))
        if problem:
            p.append(f"{field} {inputs.get(field)!r}: {problem}")
    if r.type == "aws:ec2/instance:Instance":
        if inputs.get("associatePublicIpAddress") is not False:
            p.append("instance may get a public IP")
        if (inputs.get("rootBlockDevice") or {}).get("encrypted") is not True:
            p.append("root volume not encrypted")
        if inputs.get("ebsBlockDevices"):
            p.append("inline EBS block devices (use encrypted ebs.Volume)")
        if (inputs.get("metadataOptions") or {}).get("httpTokens") != "required":
            p.append("IMDSv1 allowed")
    if r.type == "aws:ebs/volume:Volume" and not (
        inputs.get("encrypted") and inputs.get("kmsKeyId")
    ):
        p.append("EBS volume not KMS-encrypted")
    if r.type == "aws:rds/instance:Instance":
        if (
            inputs.get("storageEncrypted") is not True
            or inputs.get("publiclyAccessible") is not False
        ):
            p.append("RDS not encrypted or publicly accessible")
        if (
            inputs.get("deletionProtection") is not True
            or inputs.get("backupRetentionPeriod", 0) < 7
        ):
            p.append("RDS without deletion protection / 7 days of backups")
    if r.type == "aws:cloudwatch/logGroup:LogGroup" and not inputs.get("kmsKeyId"):
        p.append("log group not KMS-encrypted")
    if r.type == "aws:kms/key:Key" and inputs.get("enableKeyRotation") is not True:
        p.append("KMS key rotation off")
    if r.type == "aws:backup/vault:Vault" and not inputs.get("kmsKeyArn"):
        p.append("backup vault without KMS key")
    if r.type == "aws:ec2/securityGroup:SecurityGroup" and inputs.get("ingress"):
        p.append("inline ingress rules (use SecurityGroupIngressRule)")
    if r.type == "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup" and (
        inputs.get("ingress") or inputs.get("egress")
    ):
        p.append("default security group is not empty")
    if r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" and (
        inputs.get("cidrIpv4") in OPEN or inputs.get("cidrIpv6") in OPEN
    ):
        p.append("ingress from anywhere")
    if r.type == "aws:ec2/subnet:Subnet" and inputs.get("mapPublicIpOnLaunch") is not False:
        p.append("subnet maps public IPs")
    if r.type == "aws:ecs/service:Service" and (
        (inputs.get("networkConfiguration") or {}).get("assignPublicIp") is not False
    ):
        p.append("ECS service may assign public IPs")
    if r.type == "aws:lb/loadBalancer:LoadBalancer" and inputs.get("internal") is not True:
        p.append("load balancer is internet-facing")
    if r.type == "aws:lb/listener:Listener" and (
        inputs.get("protocol") != "HTTPS"
        or not str(inputs.get("sslPolicy", "")).startswith("ELBSecurityPolicy-TLS13-1-2")
    ):
        p.append("listener is not HTTPS with a TLS 1.2+ policy")
    if r.type == "aws:s3/bucket:Bucket":
        p += _check_bucket(run, r)
    return p


def _check_bucket(run: MockRun, bucket: RecordedResource) -> list[str]:
    p = []
    sse = dependents(
        run,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    algorithms = [
        rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"]
        for s in sse
        for rule in s.inputs["rules"]
    ]
    if algorithms != ["aws:kms"]:
        p.append(f"bucket encryption is {algorithms}")
    blocks = dependents(run, bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    if not any(all(b.inputs.get(f) is True for f in flags) for b in blocks):
        p.append("no full public access block")
    versioning = dependents(run, bucket, "aws:s3/bucketVersioning:BucketVersioning")
    if [v.inputs["versioningConfiguration"]["status"] for v in versioning] != ["Enabled"]:
        p.append("versioning not enabled")
    tls_only = [
        s
        for policy in dependents(run, bucket, "aws:s3/bucketPolicy:BucketPolicy")
        for s in policy_of(policy)["Statement"]
        if s["Effect"] == "Deny"
        and s["Condition"].get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    if not tls_only:
        p.append("no TLS-only bucket policy")
    return p


@pytest.fixture(scope="session")
def assert_secure() -> Callable[[MockRun, str], None]:
    """Assert the properties every AWS component must have on a recorded run."""

    def check(run: MockRun, component: str) -> None:
        assert run.duplicate_urns == []
        problems = _check_tree(run, component)
        for resource in run.resources:
            problems += [f"{resource.urn}: {m}" for m in _check_resource(run, resource)]
        assert problems == []

    return check


def run_component(
    build: Callable[[], object], stack: str = "exampleshire-aws-wave-1", **kwargs: Any
) -> MockRun:
    return mock_runtime.run_mocked(build, project="forcelift", stack=stack, **kwargs)


@pytest.fixture(scope="session")
def run_aws() -> Callable[..., MockRun]:
    return run_component


@pytest.fixture(scope="session")
def helpers() -> Any:
    """Small helpers for reading recorded runs (tests may not import each other)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        is_secret=is_secret, policy_of=policy_of, dependents=dependents, fake_ami=FAKE_AMI
    )
