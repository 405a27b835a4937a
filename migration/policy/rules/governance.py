"""Required tags, key vault protection, backup of critical workloads, no long-lived keys."""

from __future__ import annotations

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Guardrail, Resource, Severity, Violation
from forcelift.migration.policy.rules._util import dig

REQUIRED_TAGS = ("application", "owner", "data-classification", "cost-centre", "wave")

# Resources that must carry tags even if the code forgot to pass any.
MUST_BE_TAGGED = (
    "azure-native:compute:VirtualMachine",
    "azure-native:network:NetworkInterface",
    "azure-native:compute:Disk",
    "azure-native:network:VirtualNetwork",
    "azure-native:storage:StorageAccount",
    "azure-native:keyvault:Vault",
    "azure-native:sql:Server",
    "azure-native:web:WebApp",
    "azure-native:web:AppServicePlan",
    "azure-native:resources:ResourceGroup",
    "azure-native:network:NetworkSecurityGroup",
    "azure-native:dbforpostgresql:Server",
    "aws:ec2/instance:Instance",
    "aws:ebs/volume:Volume",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:rds/instance:Instance",
    "aws:kms/key:Key",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/service:Service",
)
CRITICAL_VALUES = frozenset({"critical", "high"})


def _tags(resource: Resource) -> list[str]:
    if "tags" not in resource.inputs and resource.type not in MUST_BE_TAGGED:
        return []
    missing = [t for t in REQUIRED_TAGS if not str(resource.tags.get(t, "")).strip()]
    return [f"missing required tag(s): {', '.join(missing)}"] if missing else []


def _key_vault(resource: Resource) -> list[str]:
    problems = []
    if dig(resource.inputs, "properties.enablePurgeProtection") is not True:
        problems.append("purge protection is not enabled")
    if dig(resource.inputs, "properties.enableSoftDelete") is False:
        problems.append("soft delete is disabled")
    return problems


def _access_keys(resource: Resource) -> list[str]:
    return ["IAM access keys are long-lived credentials; use roles and OIDC federation"]


def _is_critical(resource: Resource) -> bool:
    return str(resource.tags.get("criticality", "")).lower() in CRITICAL_VALUES


def _backup(graph: ResourceGraph) -> list[Violation]:
    found = []
    for vm in graph.of_type("azure-native:compute:VirtualMachine"):
        if _is_critical(vm) and not graph.dependents(
            vm.urn, "azure-native:recoveryservices:ProtectedItem"
        ):
            found.append(Violation(vm.urn, "critical VM has no backup protected item"))
    selections = graph.of_type("aws:backup/selection:Selection")
    for instance in graph.of_type("aws:ec2/instance:Instance"):
        if not _is_critical(instance):
            continue
        covered = any(
            instance.urn in s.dependencies
            or any(
                isinstance(t, dict) and instance.tags.get(str(t.get("key"))) == t.get("value")
                for t in s.inputs.get("selectionTags") or []
            )
            for s in selections
        )
        if not covered:
            found.append(Violation(instance.urn, "critical instance is in no AWS Backup selection"))
    return found


RULES = (
    Guardrail(
        "FL-TAG-001",
        "Resources carry the required tags",
        Severity.MEDIUM,
        f"Tag with {', '.join(REQUIRED_TAGS)} (the plan provides the values).",
        (4, 13),
        check_resource=_tags,
    ),
    Guardrail(
        "FL-KEY-001",
        "Key vaults have purge protection and soft delete",
        Severity.HIGH,
        "Set properties.enablePurgeProtection = true and keep soft delete on.",
        (2, 9),
        ("azure-native:keyvault:Vault",),
        check_resource=_key_vault,
    ),
    Guardrail(
        "FL-BAK-001",
        "Critical workloads are backed up",
        Severity.HIGH,
        "Protect the VM with a Recovery Services backup policy / add the instance to an "
        "AWS Backup selection.",
        (2,),
        check_graph=_backup,
    ),
    Guardrail(
        "FL-IAM-001",
        "No long-lived access keys",
        Severity.HIGH,
        "Remove the access key; use IAM roles, instance profiles and OIDC federation.",
        (10, 12),
        ("aws:iam/accessKey:AccessKey",),
        check_resource=_access_keys,
    ),
)
