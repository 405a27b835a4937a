"""Check the guardrails on what really exists in an AWS account, not on what the code says.

Live resources are read with boto3 and turned into the same :class:`Resource` objects the
offline preview records — Pulumi type tokens and wire-form (camelCase) inputs — so the SAME
guardrail functions judge them. S3 bucket settings that Pulumi models as separate resources
(encryption configuration, public access block, bucket policy) are synthesised as dependents of
the bucket, as the preview graph has them. Account settings that no guardrail reads yet (EBS
encryption by default, the account-wide S3 public access block, a trail that has stopped
logging, resources in a non-UK region) are checked by live variants of the existing rules and
reported under those rules' ids.

Resource ids are ARNs (pseudo-ARNs for synthesised pieces), so a finding names what to fix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from forcelift.migration.live.aws_backend import AwsClients, aws_errors, missing
from forcelift.migration.policy.check import check
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Finding, Guardrail, Resource
from forcelift.migration.policy.rules import BY_ID, GUARDRAILS
from forcelift.migration.policy.rules.governance import CRITICAL_VALUES
from forcelift.migration.policy.rules.regions import UK_AWS_REGIONS

STACK_TAG = "forcelift-stack"
MAX_WORKERS = 8
_LIVE_STATES = ["pending", "running", "stopping", "stopped"]

INSTANCE = "aws:ec2/instance:Instance"
VOLUME = "aws:ebs/volume:Volume"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
KMS_KEY = "aws:kms/key:Key"
RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
BACKUP_SELECTION = "aws:backup/selection:Selection"
EBS_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
_PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def live_config(region: str) -> dict[str, str]:
    """Graph config: the account is judged as a landing zone, so the trail check runs."""
    return {"aws:region": region, "forcelift:cloud": "aws", "forcelift:layer": "landing-zone"}


# --------------------------------------------------------------------------- live-only rules


def _ebs_default(resource: Resource) -> list[str]:
    if resource.inputs.get("enabled") is True:
        return []
    return [f"EBS encryption by default is off in {resource.inputs.get('region')}"]


def _account_pab(resource: Resource) -> list[str]:
    off = [f for f in _PAB_FLAGS if resource.inputs.get(f) is not True]
    return (
        [f"account-level S3 public access block is not fully on ({', '.join(off)} off)"]
        if off
        else []
    )


def _trail_logging(resource: Resource) -> list[str]:
    return [] if resource.inputs.get("enableLogging") is not False else ["trail is not logging"]


def _outside_uk(resource: Resource) -> list[str]:
    region = resource.inputs.get("region")
    if region and region not in UK_AWS_REGIONS:
        return [f"{resource.type.split(':')[-1]} {resource.name} is in {region}, outside the UK"]
    return []


LIVE_RULES: tuple[Guardrail, ...] = (
    dataclasses.replace(
        BY_ID["FL-ENC-004"],
        applies_to=(EBS_DEFAULT,),
        check_resource=_ebs_default,
        check_graph=None,
        remediation="Enable EBS encryption by default in the region "
        "(aws ec2 enable-ebs-encryption-by-default, or aws.ebs.EncryptionByDefault).",
    ),
    dataclasses.replace(
        BY_ID["FL-NET-007"],
        applies_to=(ACCOUNT_PAB,),
        check_resource=_account_pab,
        check_graph=None,
        remediation="Turn on all four account-level S3 Block Public Access settings "
        "(s3control put-public-access-block, or aws.s3.AccountPublicAccessBlock).",
    ),
    dataclasses.replace(
        BY_ID["FL-LOG-003"],
        applies_to=(TRAIL,),
        check_resource=_trail_logging,
        check_graph=None,
        remediation="Start logging on the trail (aws cloudtrail start-logging) and find out "
        "who stopped it.",
    ),
)

OUTSIDE_UK_RULE = dataclasses.replace(
    BY_ID["FL-RES-002"],
    applies_to=("aws:",),
    check_resource=_outside_uk,
    check_graph=None,
    remediation="Move or delete the resource; UK data stays in eu-west-2 unless the plan "
    "records an exception.",
)


# --------------------------------------------------------------------------- the scan


@dataclass(frozen=True)
class LiveScan:
    """What was read: the region's resources, and resources found in other regions."""

    account: str
    region: str
    stack: str | None
    resources: tuple[Resource, ...]
    elsewhere: tuple[Resource, ...]
    regions_scanned: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.stack or f"live:{self.account}:{self.region}"


def _tags(
    items: Iterable[Mapping[str, Any]] | None, key: str = "Key", value: str = "Value"
) -> dict[str, str]:
    return {str(t[key]): str(t.get(value, "")) for t in items or [] if key in t}


def _with_tags(inputs: dict[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """Add `tags` only when there are some, as Pulumi's wire form has it."""
    if tags:
        inputs["tags"] = dict(sorted(tags.items()))
    return inputs


def _wanted(tags: Mapping[str, str], stack: str | None) -> bool:
    return stack is None or tags.get(STACK_TAG) == stack


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key) or [])
    return out


def _parallel(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    if len(items) <= 1:
        return [func(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(items))) as pool:
        return list(pool.map(func, items))


class _Reader:
    """Reads one region of one account into Resources."""

    def __init__(self, clients: AwsClients, region: str, account: str, stack: str | None) -> None:
        self.clients = clients
        self.region = region
        self.account = account
        self.stack = stack

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"

    def ec2_filters(self, extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        filters = list(extra or [])
        if self.stack is not None:
            filters.append({"Name": f"tag:{STACK_TAG}", "Values": [self.stack]})
        return filters

    # -- compute and storage
    def instances_and_volumes(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        reservations = _pages(
            ec2,
            "describe_instances",
            "Reservations",
            Filters=self.ec2_filters([{"Name": "instance-state-name", "Values": _LIVE_STATES}]),
        )
        instances = [i for r in reservations for i in r.get("Instances", [])]
        volumes = {v["VolumeId"]: v for v in _pages(ec2, "describe_volumes", "Volumes")}
        out: list[Resource] = []
        for inst in sorted(instances, key=lambda i: i["InstanceId"]):
            root_name = inst.get("RootDeviceName")
            root: dict[str, Any] = {}
            extra: list[dict[str, Any]] = []
            for mapping in inst.get("BlockDeviceMappings", []):
                vol = volumes.get(mapping.get("Ebs", {}).get("VolumeId", ""), {})
                device = {
                    "deviceName": mapping.get("DeviceName"),
                    "encrypted": bool(vol.get("Encrypted")),
                    "volumeId": vol.get("VolumeId"),
                    "volumeSize": vol.get("Size"),
                    "volumeType": vol.get("VolumeType"),
                }
                if vol.get("KmsKeyId"):
                    device["kmsKeyId"] = vol["KmsKeyId"]
                if mapping.get("DeviceName") == root_name:
                    root = {k: v for k, v in device.items() if k != "deviceName"}
                else:
                    extra.append(device)
            inputs: dict[str, Any] = {
                "region": self.region,
                "ami": inst.get("ImageId"),
                "instanceType": inst.get("InstanceType"),
                "subnetId": inst.get("SubnetId"),
                "associatePublicIpAddress": bool(inst.get("PublicIpAddress")),
                "vpcSecurityGroupIds": sorted(g["GroupId"] for g in inst.get("SecurityGroups", [])),
                "rootBlockDevice": root,
                "ebsBlockDevices": extra,
                "metadataOptions": {
                    "httpTokens": inst.get("MetadataOptions", {}).get("HttpTokens")
                },
            }
            if inst.get("PublicIpAddress"):
                inputs["publicIp"] = inst["PublicIpAddress"]
            out.append(
                Resource(
                    urn=self.arn("ec2", f"instance/{inst['InstanceId']}"),
                    type=INSTANCE,
                    name=inst["InstanceId"],
                    inputs=_with_tags(inputs, _tags(inst.get("Tags"))),
                )
            )
        # Attached volumes are judged with their instance (rootBlockDevice / ebsBlockDevices).
        for vol in sorted(volumes.values(), key=lambda v: v["VolumeId"]):
            if vol.get("Attachments"):
                continue
            tags = _tags(vol.get("Tags"))
            if not _wanted(tags, self.stack):
                continue
            inputs = {
                "region": self.region,
                "availabilityZone": vol.get("AvailabilityZone"),
                "encrypted": bool(vol.get("Encrypted")),
                "size": vol.get("Size"),
                "type": vol.get("VolumeType"),
            }
            if vol.get("KmsKeyId"):
                inputs["kmsKeyId"] = vol["KmsKeyId"]
            out.append(
                Resource(
                    urn=self.arn("ec2", f"volume/{vol['VolumeId']}"),
                    type=VOLUME,
                    name=vol["VolumeId"],
                    inputs=_with_tags(inputs, tags),
                )
            )
        return out

    # -- network
    def security_groups(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        groups = _pages(
            ec2, "describe_security_groups", "SecurityGroups", Filters=self.ec2_filters()
        )
        out = []
        for group in sorted(groups, key=lambda g: g["GroupId"]):
            ingress = []
            for perm in group.get("IpPermissions", []):
                protocol = str(perm.get("IpProtocol", "-1"))
                if protocol in ("icmp", "icmpv6", "1", "58"):
                    continue  # ICMP type/code are not ports
                ingress.append(
                    {
                        "protocol": protocol,
                        "fromPort": int(perm.get("FromPort", 0)),
                        "toPort": int(perm.get("ToPort", 0)),
                        "cidrBlocks": sorted(r["CidrIp"] for r in perm.get("IpRanges", [])),
                        "ipv6CidrBlocks": sorted(r["CidrIpv6"] for r in perm.get("Ipv6Ranges", [])),
                        "securityGroups": sorted(
                            p["GroupId"] for p in perm.get("UserIdGroupPairs", []) if "GroupId" in p
                        ),
                        "prefixListIds": sorted(
                            p["PrefixListId"] for p in perm.get("PrefixListIds", [])
                        ),
                    }
                )
            inputs = {
                "region": self.region,
                "name": group.get("GroupName"),
                "description": group.get("Description"),
                "vpcId": group.get("VpcId"),
                "ingress": ingress,
            }
            out.append(
                Resource(
                    urn=self.arn("ec2", f"security-group/{group['GroupId']}"),
                    type=SECURITY_GROUP,
                    name=group["GroupId"],
                    inputs=_with_tags(inputs, _tags(group.get("Tags"))),
                )
            )
        return out

    def vpcs_and_flow_logs(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        vpcs = _pages(ec2, "describe_vpcs", "Vpcs", Filters=self.ec2_filters())
        urns = {v["VpcId"]: self.arn("ec2", f"vpc/{v['VpcId']}") for v in vpcs}
        out = []
        for vpc in sorted(vpcs, key=lambda v: v["VpcId"]):
            inputs = {
                "region": self.region,
                "cidrBlock": vpc.get("CidrBlock"),
                "isDefault": bool(vpc.get("IsDefault")),
            }
            out.append(
                Resource(
                    urns[vpc["VpcId"]],
                    VPC,
                    vpc["VpcId"],
                    _with_tags(inputs, _tags(vpc.get("Tags"))),
                )
            )
        for log in sorted(
            _pages(ec2, "describe_flow_logs", "FlowLogs"), key=lambda f: f["FlowLogId"]
        ):
            vpc_urn = urns.get(str(log.get("ResourceId")))
            if vpc_urn is None or log.get("FlowLogStatus", "ACTIVE") != "ACTIVE":
                continue
            inputs = {
                "region": self.region,
                "vpcId": log["ResourceId"],
                "trafficType": log.get("TrafficType"),
                "logDestinationType": log.get("LogDestinationType"),
                "logDestination": log.get("LogDestination") or log.get("LogGroupName"),
            }
            out.append(
                Resource(
                    self.arn("ec2", f"vpc-flow-log/{log['FlowLogId']}"),
                    FLOW_LOG,
                    log["FlowLogId"],
                    inputs,
                    dependencies=(vpc_urn,),
                )
            )
        return out

    # -- data
    def buckets(self) -> tuple[list[Resource], list[Resource]]:
        """(buckets in this region with their settings, wanted buckets outside the UK)."""
        s3 = self.clients.client("s3", self.region)
        names = sorted(b["Name"] for b in _pages(s3, "list_buckets", "Buckets"))
        results = _parallel(self._bucket, names)
        here = [r for rs, where in results if where == "here" for r in rs]
        away = [r for rs, where in results if where == "away" for r in rs]
        return here, away

    def _bucket(self, name: str) -> tuple[list[Resource], str]:
        s3 = self.clients.client("s3", self.region)
        location = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
        region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)
        try:
            tags = _tags(s3.get_bucket_tagging(Bucket=name).get("TagSet"))
        except Exception as exc:
            if not missing(exc, "NoSuchTagSet"):
                raise
            tags = {}
        if not _wanted(tags, self.stack):
            return [], "skip"
        urn = f"arn:aws:s3:::{name}"
        bucket = Resource(urn, BUCKET, name, _with_tags({"bucket": name, "region": region}, tags))
        if region != self.region:
            return ([bucket], "away") if region not in UK_AWS_REGIONS else ([], "skip")
        out = [bucket]
        try:
            rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"][
                "Rules"
            ]
        except Exception as exc:
            if not missing(exc, "ServerSideEncryptionConfigurationNotFoundError"):
                raise
            rules = None
        if rules:
            out.append(
                Resource(
                    f"{urn}#encryption",
                    BUCKET_SSE,
                    f"{name}-encryption",
                    {
                        "bucket": name,
                        "rules": [
                            {
                                "applyServerSideEncryptionByDefault": {
                                    "sseAlgorithm": r.get(
                                        "ApplyServerSideEncryptionByDefault", {}
                                    ).get("SSEAlgorithm"),
                                    "kmsMasterKeyId": r.get(
                                        "ApplyServerSideEncryptionByDefault", {}
                                    ).get("KMSMasterKeyID"),
                                },
                                "bucketKeyEnabled": bool(r.get("BucketKeyEnabled")),
                            }
                            for r in rules
                        ],
                    },
                    dependencies=(urn,),
                )
            )
        try:
            block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        except Exception as exc:
            if not missing(exc, "NoSuchPublicAccessBlockConfiguration"):
                raise
            block = None
        if block is not None:
            out.append(
                Resource(
                    f"{urn}#public-access-block",
                    BUCKET_PAB,
                    f"{name}-public-access-block",
                    {"bucket": name, **_pab_inputs(block)},
                    dependencies=(urn,),
                )
            )
        try:
            policy = s3.get_bucket_policy(Bucket=name)["Policy"]
        except Exception as exc:
            if not missing(exc, "NoSuchBucketPolicy"):
                raise
            policy = None
        if policy:
            out.append(
                Resource(
                    f"{urn}#policy",
                    BUCKET_POLICY,
                    f"{name}-policy",
                    {"bucket": name, "policy": policy},
                    dependencies=(urn,),
                )
            )
        return out, "here"

    # -- logging and keys (account evidence: never filtered by stack)
    def trails(self) -> list[Resource]:
        cloudtrail = self.clients.client("cloudtrail", self.region)
        out = []
        trails = cloudtrail.describe_trails(includeShadowTrails=True).get("trailList", [])
        for trail in sorted(trails, key=lambda t: t["TrailARN"]):
            home = trail.get("HomeRegion") or self.region
            status = self.clients.client("cloudtrail", home).get_trail_status(
                Name=trail["TrailARN"]
            )
            inputs = {
                "region": home,
                "name": trail.get("Name"),
                "s3BucketName": trail.get("S3BucketName"),
                "isMultiRegionTrail": bool(trail.get("IsMultiRegionTrail")),
                "enableLogFileValidation": bool(trail.get("LogFileValidationEnabled")),
                "includeGlobalServiceEvents": bool(trail.get("IncludeGlobalServiceEvents")),
                "isOrganizationTrail": bool(trail.get("IsOrganizationTrail")),
                "enableLogging": bool(status.get("IsLogging")),
            }
            if trail.get("KmsKeyId"):
                inputs["kmsKeyId"] = trail["KmsKeyId"]
            out.append(Resource(trail["TrailARN"], TRAIL, str(trail.get("Name")), inputs))
        return out

    def tagged(self) -> dict[str, dict[str, str]]:
        """Tags of KMS keys and log groups in one paginated call (their APIs lack inline tags)."""
        tagging = self.clients.client("resourcegroupstaggingapi", self.region)
        mappings = _pages(
            tagging,
            "get_resources",
            "ResourceTagMappingList",
            ResourceTypeFilters=["kms", "logs"],  # service-level: moto ignores "logs:log-group"
        )
        return {m["ResourceARN"]: _tags(m.get("Tags")) for m in mappings}

    def kms_keys(self, tags_by_arn: Mapping[str, dict[str, str]]) -> list[Resource]:
        kms = self.clients.client("kms", self.region)
        keys = _pages(kms, "list_keys", "Keys")

        def read(key: Mapping[str, Any]) -> Resource | None:
            tags = tags_by_arn.get(key["KeyArn"], {})
            if not _wanted(tags, self.stack):
                return None
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            rotatable = (
                meta.get("KeyManager") == "CUSTOMER"
                and meta.get("KeyState") == "Enabled"
                and meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
                and meta.get("Origin", "AWS_KMS") == "AWS_KMS"
            )
            if not rotatable:
                return None
            status = kms.get_key_rotation_status(KeyId=key["KeyId"])
            inputs = {
                "region": self.region,
                "description": meta.get("Description", ""),
                "enableKeyRotation": bool(status.get("KeyRotationEnabled")),
            }
            return Resource(meta["Arn"], KMS_KEY, meta["KeyId"], _with_tags(inputs, tags))

        found = _parallel(read, sorted(keys, key=lambda k: k["KeyArn"]))
        return [r for r in found if r is not None]

    def log_groups(self, tags_by_arn: Mapping[str, dict[str, str]]) -> list[Resource]:
        logs = self.clients.client("logs", self.region)
        out = []
        for group in sorted(
            _pages(logs, "describe_log_groups", "logGroups"), key=lambda g: g["logGroupName"]
        ):
            arn = str(group.get("logGroupArn") or str(group.get("arn", "")).removesuffix(":*"))
            tags = tags_by_arn.get(arn, {})
            if not _wanted(tags, self.stack):
                continue
            inputs: dict[str, Any] = {"region": self.region, "name": group["logGroupName"]}
            if group.get("kmsKeyId"):
                inputs["kmsKeyId"] = group["kmsKeyId"]
            if group.get("retentionInDays"):
                inputs["retentionInDays"] = group["retentionInDays"]
            out.append(Resource(arn, LOG_GROUP, group["logGroupName"], _with_tags(inputs, tags)))
        return out

    def databases(self) -> list[Resource]:
        rds = self.clients.client("rds", self.region)
        out = []
        for db in sorted(
            _pages(rds, "describe_db_instances", "DBInstances"),
            key=lambda d: d["DBInstanceIdentifier"],
        ):
            tags = _tags(db.get("TagList"))
            if not _wanted(tags, self.stack):
                continue
            inputs = {
                "region": self.region,
                "identifier": db["DBInstanceIdentifier"],
                "engine": db.get("Engine"),
                "storageEncrypted": bool(db.get("StorageEncrypted")),
                "publiclyAccessible": bool(db.get("PubliclyAccessible")),
                "backupRetentionPeriod": db.get("BackupRetentionPeriod"),
                "deletionProtection": bool(db.get("DeletionProtection")),
            }
            if db.get("KmsKeyId"):
                inputs["kmsKeyId"] = db["KmsKeyId"]
            out.append(
                Resource(
                    str(
                        db.get("DBInstanceArn")
                        or self.arn("rds", f"db:{db['DBInstanceIdentifier']}")
                    ),
                    RDS_INSTANCE,
                    db["DBInstanceIdentifier"],
                    _with_tags(inputs, tags),
                )
            )
        for cluster in sorted(
            _pages(rds, "describe_db_clusters", "DBClusters"),
            key=lambda c: c["DBClusterIdentifier"],
        ):
            tags = _tags(cluster.get("TagList"))
            if not _wanted(tags, self.stack):
                continue
            inputs = {
                "region": self.region,
                "clusterIdentifier": cluster["DBClusterIdentifier"],
                "engine": cluster.get("Engine"),
                "storageEncrypted": bool(cluster.get("StorageEncrypted")),
                "publiclyAccessible": bool(cluster.get("PubliclyAccessible")),
            }
            out.append(
                Resource(
                    str(cluster.get("DBClusterArn")),
                    RDS_CLUSTER,
                    cluster["DBClusterIdentifier"],
                    _with_tags(inputs, tags),
                )
            )
        return out

    def access_keys(self) -> list[Resource]:
        """Active IAM user access keys and root keys (account-wide; skipped for --stack)."""
        iam = self.clients.client("iam", self.region)
        users = sorted(u["UserName"] for u in _pages(iam, "list_users", "Users"))

        def keys(user: str) -> list[Resource]:
            found = _pages(iam, "list_access_keys", "AccessKeyMetadata", UserName=user)
            return [
                Resource(
                    f"arn:aws:iam::{self.account}:user/{user}#{k['AccessKeyId']}",
                    ACCESS_KEY,
                    k["AccessKeyId"],
                    {"user": user, "status": k.get("Status")},
                )
                for k in sorted(found, key=lambda k: k["AccessKeyId"])
                if k.get("Status") == "Active"
            ]

        out = [r for rs in _parallel(keys, users) for r in rs]
        summary = iam.get_account_summary().get("SummaryMap", {})
        if summary.get("AccountAccessKeysPresent"):
            out.append(
                Resource(
                    f"arn:aws:iam::{self.account}:root#access-key",
                    ACCESS_KEY,
                    "root",
                    {"user": "root", "status": "Active"},
                )
            )
        return out

    def backup_selections(self) -> list[Resource]:
        backup = self.clients.client("backup", self.region)
        out = []
        for plan in sorted(
            _pages(backup, "list_backup_plans", "BackupPlansList"), key=lambda p: p["BackupPlanId"]
        ):
            for item in _pages(
                backup,
                "list_backup_selections",
                "BackupSelectionsList",
                BackupPlanId=plan["BackupPlanId"],
            ):
                selection = backup.get_backup_selection(
                    BackupPlanId=plan["BackupPlanId"], SelectionId=item["SelectionId"]
                )["BackupSelection"]
                resources = tuple(sorted(selection.get("Resources") or []))
                out.append(
                    Resource(
                        f"arn:aws:backup:{self.region}:{self.account}:backup-plan:"
                        f"{plan['BackupPlanId']}/selection/{item['SelectionId']}",
                        BACKUP_SELECTION,
                        str(selection.get("SelectionName", item["SelectionId"])),
                        {
                            "region": self.region,
                            "planId": plan["BackupPlanId"],
                            "resources": list(resources),
                            "selectionTags": [
                                {
                                    "type": t.get("ConditionType"),
                                    "key": t.get("ConditionKey"),
                                    "value": t.get("ConditionValue"),
                                }
                                for t in selection.get("ListOfTags") or []
                            ],
                        },
                        dependencies=resources,
                    )
                )
        return out

    # -- account settings
    def account_settings(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        ebs = bool(ec2.get_ebs_encryption_by_default().get("EbsEncryptionByDefault"))
        s3control = self.clients.client("s3control", self.region)
        try:
            block = s3control.get_public_access_block(AccountId=self.account)[
                "PublicAccessBlockConfiguration"
            ]
        except Exception as exc:
            if not missing(exc, "NoSuchPublicAccessBlockConfiguration"):
                raise
            block = {}
        return [
            Resource(
                f"arn:aws:ec2:{self.region}:{self.account}:ebs-encryption-by-default",
                EBS_DEFAULT,
                "ebs-encryption-by-default",
                {"region": self.region, "enabled": ebs},
            ),
            Resource(
                f"arn:aws:s3:::account/{self.account}/public-access-block",
                ACCOUNT_PAB,
                "account-public-access-block",
                {"accountId": self.account, **_pab_inputs(block)},
            ),
        ]

    # -- other regions: only what would put data outside the UK
    def elsewhere(self) -> list[Resource]:
        ec2 = self.clients.client("ec2", self.region)
        out = []
        reservations = _pages(
            ec2,
            "describe_instances",
            "Reservations",
            Filters=self.ec2_filters([{"Name": "instance-state-name", "Values": _LIVE_STATES}]),
        )
        for inst in sorted(
            (i for r in reservations for i in r.get("Instances", [])), key=lambda i: i["InstanceId"]
        ):
            out.append(
                Resource(
                    self.arn("ec2", f"instance/{inst['InstanceId']}"),
                    INSTANCE,
                    inst["InstanceId"],
                    {"region": self.region},
                )
            )
        vpcs = _pages(
            ec2,
            "describe_vpcs",
            "Vpcs",
            Filters=self.ec2_filters([{"Name": "is-default", "Values": ["false"]}]),
        )
        for vpc in sorted(vpcs, key=lambda v: v["VpcId"]):
            out.append(
                Resource(
                    self.arn("ec2", f"vpc/{vpc['VpcId']}"),
                    VPC,
                    vpc["VpcId"],
                    {"region": self.region},
                )
            )
        return out


def _pab_inputs(block: Mapping[str, Any]) -> dict[str, bool]:
    return {
        "blockPublicAcls": block.get("BlockPublicAcls") is True,
        "blockPublicPolicy": block.get("BlockPublicPolicy") is True,
        "ignorePublicAcls": block.get("IgnorePublicAcls") is True,
        "restrictPublicBuckets": block.get("RestrictPublicBuckets") is True,
    }


def regions_to_scan(clients: AwsClients, region: str, only: Sequence[str] | None) -> list[str]:
    """Other regions to look in: the given list, or every region enabled for the account."""
    if only is not None:
        return sorted({r for r in only if r != region})
    ec2 = clients.client("ec2", region)
    enabled = ec2.describe_regions(AllRegions=False).get("Regions", [])
    return sorted({r["RegionName"] for r in enabled} - {region})


def _critical(resource: Resource) -> bool:
    return str(resource.tags.get("criticality", "")).lower() in CRITICAL_VALUES


def scan_account(
    clients: AwsClients,
    region: str,
    stack: str | None = None,
    scan_regions: Sequence[str] | None = None,
    scan_other_regions: bool = True,
) -> LiveScan:
    """Read the account: `region` in full, other regions for resources outside the UK."""
    with aws_errors("checking the AWS identity", f"aws:{region}"):
        account = clients.account_id()
    reader = _Reader(clients, region, account, stack)
    resources: list[Resource] = []
    elsewhere: list[Resource] = []
    steps: list[tuple[str, Callable[[], list[Resource]]]] = [
        ("reading EC2 instances and volumes", reader.instances_and_volumes),
        ("reading security groups", reader.security_groups),
        ("reading VPCs and flow logs", reader.vpcs_and_flow_logs),
        ("reading CloudTrail trails", reader.trails),
        ("reading RDS databases", reader.databases),
        (
            "reading account settings (EBS default encryption, S3 public access block)",
            reader.account_settings,
        ),
    ]
    for action, step in steps:
        with aws_errors(action, f"aws:{region}"):
            resources.extend(step())
    with aws_errors("reading S3 buckets", f"aws:{region}"):
        here, away = reader.buckets()
        resources.extend(here)
        elsewhere.extend(away)
    with aws_errors("reading KMS keys and log groups", f"aws:{region}"):
        tags = reader.tagged()
        resources.extend(reader.kms_keys(tags))
        resources.extend(reader.log_groups(tags))
    if stack is None:
        with aws_errors("reading IAM access keys", "aws:iam"):
            resources.extend(reader.access_keys())
    if any(r.type == INSTANCE and _critical(r) for r in resources):
        with aws_errors("reading AWS Backup selections", f"aws:{region}"):
            resources.extend(reader.backup_selections())
    regions: list[str] = []
    if scan_other_regions:
        with aws_errors("listing regions", f"aws:{region}"):
            regions = regions_to_scan(clients, region, scan_regions)

        def other(name: str) -> list[Resource]:
            with aws_errors(f"reading instances and VPCs in {name}", f"aws:{name}"):
                return _Reader(clients, name, account, stack).elsewhere()

        elsewhere.extend(r for rs in _parallel(other, regions) for r in rs)
    return LiveScan(
        account=account,
        region=region,
        stack=stack,
        resources=tuple(resources),
        elsewhere=tuple(sorted(elsewhere, key=lambda r: r.urn)),
        regions_scanned=(region, *regions),
    )


def verify(scan: LiveScan, as_of: dt.date | None = None) -> list[Finding]:
    """The guardrails (plus their live variants) over what the scan found, most severe first."""
    graph = ResourceGraph(scan.resources, live_config(scan.region), scan.label)
    findings = check([graph], as_of=as_of, rules=(*GUARDRAILS, *LIVE_RULES))
    away = ResourceGraph(scan.elsewhere, {}, scan.label)
    findings += check([away], as_of=as_of, rules=(OUTSIDE_UK_RULE,))
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id, f.urn, f.message))


def scan_to_dict(scan: LiveScan, findings: Sequence[Finding]) -> dict[str, Any]:
    from forcelift.migration.policy.check import blocking

    return {
        "account": scan.account,
        "region": scan.region,
        "stack": scan.stack,
        "regions_scanned": list(scan.regions_scanned),
        "resources": len(scan.resources),
        "resources_elsewhere": len(scan.elsewhere),
        "blocking": len(blocking(findings)),
        "findings": [f.to_dict() for f in findings],
    }


def resources_to_json(scan: LiveScan) -> str:
    """The live graph in the preview's JSON shape (for diffing against `forcelift preview`)."""
    return json.dumps(
        {
            "stack": scan.label,
            "config": live_config(scan.region),
            "resources": [
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "inputs": dict(r.inputs),
                    "dependencies": list(r.dependencies),
                }
                for r in scan.resources
            ],
        },
        indent=2,
        sort_keys=True,
        default=str,
    )
