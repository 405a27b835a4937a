"""Lift-and-shift servers: EC2 in private subnets, encrypted disks, managed through SSM.

No public IP and no inbound management ports: administrators use Session Manager through the
hub's endpoints. IMDSv2 only, every volume encrypted with the workload's KMS key, and AWS
Backup by tag when the plan asks for it (NCSC principles 2, 5, 11 and 12).

AMIs: `ServerSpec.ami` is an AMI id ("ami-…") or the name of an SSM parameter holding one
(e.g. "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"), read with the
ssm getParameter invoke, so previews stay deterministic and no image search (getAmi) is needed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import (
    bounded_name,
    child,
    instance_profile,
    key_or_new,
    service_role,
)
from forcelift.components.aws.tags import Tags
from forcelift.migration.naming import make_name

DATA_DEVICES = tuple(f"/dev/sd{letter}" for letter in "fghijklmnop")
_AMI = re.compile(r"^ami-[0-9a-f]{8,17}$")
_SERVER = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
BACKUP_TAG = "backup-plan"


@dataclass(frozen=True)
class ServerSpec:
    name: str
    instance_type: str
    ami: str  # "ami-…" or an SSM parameter name ("/aws/service/…")
    availability_zone: str
    root_volume_gib: int
    data_volume_gib: tuple[int, ...] = ()
    criticality: str = "medium"

    def __post_init__(self) -> None:
        if not _SERVER.match(self.name):
            raise ValueError(f"server name {self.name!r} must be a lower-case slug")
        if not (_AMI.match(self.ami) or self.ami.startswith("/")):
            raise ValueError(f"server {self.name!r}: ami must be ami-… or an SSM parameter name")
        if len(self.data_volume_gib) > len(DATA_DEVICES):
            raise ValueError(f"server {self.name!r}: at most {len(DATA_DEVICES)} data volumes")
        for size in (self.root_volume_gib, *self.data_volume_gib):
            if not 1 <= size <= 65536:
                raise ValueError(f"server {self.name!r}: volume size {size} GiB out of range")


@dataclass(frozen=True)
class BackupSpec:
    schedule: str = "cron(0 1 * * ? *)"  # daily at 01:00 UTC
    retention_days: int = 35
    cold_storage_after_days: int | None = None

    def __post_init__(self) -> None:
        if self.retention_days < 7:
            raise ValueError("keep backups for at least 7 days")
        cold = self.cold_storage_after_days
        if cold is not None and self.retention_days < cold + 90:
            raise ValueError("cold storage needs retention of at least 90 days after the move")


@dataclass(frozen=True)
class IaasWorkloadArgs:
    tags: Tags
    servers: tuple[ServerSpec, ...]
    subnet_ids: Mapping[str, pulumi.Input[str]]  # availability zone -> private subnet id
    security_group_ids: tuple[pulumi.Input[str], ...]
    kms_key_arn: pulumi.Input[str] | None = None  # None: the workload gets its own key
    backup: BackupSpec | None = None
    protect: bool = True

    def __post_init__(self) -> None:
        names = [s.name for s in self.servers]
        if len(names) != len(set(names)):
            raise ValueError("server names must be unique within a workload")
        for server in self.servers:
            if server.availability_zone not in self.subnet_ids:
                raise ValueError(f"server {server.name!r}: no subnet in {server.availability_zone}")


class IaasWorkload(pulumi.ComponentResource):
    """EC2 instances with encrypted gp3 volumes, an SSM instance profile and AWS Backup."""

    def __init__(
        self, name: str, args: IaasWorkloadArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:IaasWorkload", name, None, opts)
        tags = args.tags.as_dict()
        key_arn = key_or_new(self, name, args, f"{name}: EBS volumes and backups")
        role, profile = instance_profile(
            f"{name}-instance",
            self,
            role_name=f"{name}-instance",
            profile_name=make_name("aws-iam-role", name, "instance"),
            managed_policies=("AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"),
            tags=tags,
        )
        backup_tags = {BACKUP_TAG: name} if args.backup else {}
        amis = {
            path: aws.ssm.get_parameter_output(
                name=path, opts=pulumi.InvokeOutputOptions(parent=self)
            ).value
            for path in sorted({s.ami for s in args.servers if s.ami.startswith("/")})
        }
        instance_ids: dict[str, pulumi.Output[str]] = {}
        enis: dict[str, pulumi.Output[str]] = {}
        for server in args.servers:
            server_tags = args.tags.named(
                name, server.name, criticality=server.criticality, **backup_tags
            )
            instance = aws.ec2.Instance(
                f"{name}-{server.name}",
                ami=amis.get(server.ami, server.ami),
                instance_type=server.instance_type,
                subnet_id=args.subnet_ids[server.availability_zone],
                vpc_security_group_ids=list(args.security_group_ids),
                associate_public_ip_address=False,
                iam_instance_profile=profile.name,
                ebs_optimized=True,
                monitoring=True,
                metadata_options=aws.ec2.InstanceMetadataOptionsArgs(
                    http_endpoint="enabled",
                    http_tokens="required",
                    http_put_response_hop_limit=1,
                ),
                root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(
                    encrypted=True,
                    kms_key_id=key_arn,
                    volume_type="gp3",
                    volume_size=server.root_volume_gib,
                    delete_on_termination=True,
                    tags=server_tags,
                ),
                tags=server_tags,
                opts=child(self),
            )
            for index, size in enumerate(server.data_volume_gib):
                volume = aws.ebs.Volume(
                    f"{name}-{server.name}-data-{index}",
                    availability_zone=server.availability_zone,
                    size=size,
                    type="gp3",
                    encrypted=True,
                    kms_key_id=key_arn,
                    final_snapshot=True,
                    tags=args.tags.named(
                        name, server.name, f"data-{index}", criticality=server.criticality
                    ),
                    opts=child(self, protect=args.protect),
                )
                aws.ec2.VolumeAttachment(
                    f"{name}-{server.name}-data-{index}-attachment",
                    device_name=DATA_DEVICES[index],
                    volume_id=volume.id,
                    instance_id=instance.id,
                    opts=child(self),
                )
            instance_ids[server.name] = instance.id
            enis[server.name] = instance.primary_network_interface_id

        if args.backup is not None:
            self._backup(name, args.backup, key_arn, args)

        self.instance_ids = instance_ids
        # what a Verified Access network-interface endpoint attaches to (staff access)
        self.primary_network_interface_ids = enis
        self.register_outputs({"instance_ids": instance_ids, "instance_role": role.name})

    def _backup(
        self, name: str, spec: BackupSpec, key_arn: pulumi.Input[str], args: IaasWorkloadArgs
    ) -> None:
        """A KMS-encrypted vault, a daily plan and a selection of everything tagged for it."""
        tags = args.tags.as_dict()
        vault = aws.backup.Vault(
            f"{name}-backup-vault",
            name=bounded_name(name, "vault", max_len=50),
            kms_key_arn=key_arn,
            force_destroy=False,
            tags=tags,
            opts=child(self, protect=args.protect),
        )
        plan = aws.backup.Plan(
            f"{name}-backup-plan",
            name=f"{name}-daily",
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="daily",
                    target_vault_name=vault.name,
                    schedule=spec.schedule,
                    start_window=60,
                    completion_window=360,
                    lifecycle=aws.backup.PlanRuleLifecycleArgs(
                        delete_after=spec.retention_days,
                        cold_storage_after=spec.cold_storage_after_days,
                    ),
                    recovery_point_tags=tags,
                )
            ],
            tags=tags,
            opts=child(self),
        )
        role = service_role(
            f"{name}-backup-role",
            self,
            role_name=f"{name}-backup",
            service="backup.amazonaws.com",
            managed_policies=(
                "service-role/AWSBackupServiceRolePolicyForBackup",
                "service-role/AWSBackupServiceRolePolicyForRestores",
            ),
            tags=tags,
        )
        aws.backup.Selection(
            f"{name}-backup-selection",
            name=f"{name}-tagged",
            plan_id=plan.id,
            iam_role_arn=role.arn,
            selection_tags=[
                aws.backup.SelectionSelectionTagArgs(
                    type="STRINGEQUALS", key=BACKUP_TAG, value=name
                )
            ],
            opts=child(self),
        )
