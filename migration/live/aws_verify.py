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

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from forcelift.migration.live.aws_backend import AwsClients, aws_errors
from forcelift.migration.live.aws_live_rules import (
    INSTANCE,
    LIVE_RULES,
    OUTSIDE_UK_RULE,
    live_config,
)
from forcelift.migration.live.aws_read_compute import ComputeReads
from forcelift.migration.live.aws_read_data import DataReads
from forcelift.migration.live.aws_reading import (
    _parallel,
)
from forcelift.migration.policy.check import check
from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Finding, Resource
from forcelift.migration.policy.rules import GUARDRAILS
from forcelift.migration.policy.rules.governance import CRITICAL_VALUES

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


class AccountReader(ComputeReads, DataReads):
    """Reads one region of one account into Resources."""


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
    reader = AccountReader(clients, region, account, stack)
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
                return AccountReader(clients, name, account, stack).elsewhere()

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
