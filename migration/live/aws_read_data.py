"""Live reads of data, identity and account settings: buckets, trails, KMS keys, log groups,
databases, access keys, backup selections and account-wide settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forcelift.migration.live.aws_backend import missing
from forcelift.migration.live.aws_live_rules import (
    ACCESS_KEY,
    ACCOUNT_PAB,
    BACKUP_SELECTION,
    BUCKET,
    BUCKET_PAB,
    BUCKET_POLICY,
    BUCKET_SSE,
    EBS_DEFAULT,
    KMS_KEY,
    LOG_GROUP,
    RDS_CLUSTER,
    RDS_INSTANCE,
    TRAIL,
)
from forcelift.migration.live.aws_reading import (
    ReaderBase,
    _pab_inputs,
    _pages,
    _parallel,
    _tags,
    _wanted,
    _with_tags,
)
from forcelift.migration.policy.model import Resource
from forcelift.migration.policy.rules.regions import UK_AWS_REGIONS


class DataReads(ReaderBase):
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
