"""Encryption at rest for disks, storage, databases, buckets and key material."""

from __future__ import annotations

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation
from forcelift.migration.policy.rules._util import dig

S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)


def _azure_vm(resource: Resource) -> list[str]:
    if dig(resource.inputs, "securityProfile.encryptionAtHost") is not True:
        return ["VM does not set securityProfile.encryptionAtHost = true"]
    return []


def _azure_storage(resource: Resource) -> list[str]:
    services = dig(resource.inputs, "encryption.services") or {}
    off = [
        name
        for name, svc in services.items()
        if isinstance(svc, dict) and svc.get("enabled") is False
    ]
    return [f"storage encryption disabled for {', '.join(sorted(off))}"] if off else []


def _aws_instance(resource: Resource) -> list[str]:
    problems = []
    if dig(resource.inputs, "rootBlockDevice.encrypted") is not True:
        problems.append("root volume is not encrypted (rootBlockDevice.encrypted)")
    for i, device in enumerate(resource.inputs.get("ebsBlockDevices") or []):
        if not isinstance(device, dict) or device.get("encrypted") is not True:
            problems.append(f"EBS block device {i} is not encrypted")
    return problems


def _aws_volume(resource: Resource) -> list[str]:
    return [] if resource.inputs.get("encrypted") is True else ["EBS volume is not encrypted"]


def _aws_rds(resource: Resource) -> list[str]:
    if resource.inputs.get("storageEncrypted") is not True:
        return ["RDS storage is not encrypted (storageEncrypted)"]
    return []


def _aws_kms_rotation(resource: Resource) -> list[str]:
    if resource.inputs.get("enableKeyRotation") is not True:
        return ["KMS key rotation is not enabled"]
    return []


def _aws_log_group(resource: Resource) -> list[str]:
    return [] if resource.inputs.get("kmsKeyId") else ["log group is not encrypted with KMS"]


def _s3_encrypted(graph: ResourceGraph) -> list[Violation]:
    found = []
    for bucket in graph.of_type(*S3_BUCKETS):
        inline = bucket.inputs.get("serverSideEncryptionConfiguration")
        if inline or graph.dependents(bucket.urn, *S3_SSE):
            continue
        found.append(Violation(bucket.urn, "bucket has no server-side encryption configuration"))
    return found


RULES = (
    Guardrail(
        "FL-ENC-001",
        "Azure VMs encrypt at host",
        Severity.HIGH,
        "Set securityProfile.encryptionAtHost = true (register the EncryptionAtHost "
        "feature on the subscription).",
        (2,),
        ("azure-native:compute:VirtualMachine",),
        check_resource=_azure_vm,
    ),
    Guardrail(
        "FL-ENC-002",
        "Azure storage encryption is not disabled",
        Severity.HIGH,
        "Remove encryption.services.*.enabled = false.",
        (2,),
        ("azure-native:storage:StorageAccount",),
        check_resource=_azure_storage,
    ),
    Guardrail(
        "FL-ENC-003",
        "EC2 volumes are encrypted",
        Severity.HIGH,
        "Set encrypted = true on rootBlockDevice and every ebsBlockDevices entry.",
        (2,),
        ("aws:ec2/instance:Instance",),
        check_resource=_aws_instance,
    ),
    Guardrail(
        "FL-ENC-004",
        "EBS volumes are encrypted",
        Severity.HIGH,
        "Set encrypted = true (and enable EBS encryption by default).",
        (2,),
        ("aws:ebs/volume:Volume",),
        check_resource=_aws_volume,
    ),
    Guardrail(
        "FL-ENC-005",
        "RDS storage is encrypted",
        Severity.HIGH,
        "Set storageEncrypted = true with a KMS key.",
        (2,),
        ("aws:rds/instance:Instance", "aws:rds/cluster:Cluster"),
        check_resource=_aws_rds,
    ),
    Guardrail(
        "FL-ENC-006",
        "S3 buckets have server-side encryption",
        Severity.HIGH,
        "Add a BucketServerSideEncryptionConfiguration with aws:kms for the bucket.",
        (2,),
        check_graph=_s3_encrypted,
    ),
    Guardrail(
        "FL-ENC-007",
        "KMS keys rotate",
        Severity.MEDIUM,
        "Set enableKeyRotation = true on customer-managed keys.",
        (2, 10),
        ("aws:kms/key:Key",),
        check_resource=_aws_kms_rotation,
    ),
    Guardrail(
        "FL-ENC-008",
        "CloudWatch log groups are KMS-encrypted",
        Severity.MEDIUM,
        "Set kmsKeyId on the log group.",
        (2, 13),
        ("aws:cloudwatch/logGroup:LogGroup",),
        check_resource=_aws_log_group,
    ),
)
