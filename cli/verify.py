"""`forcelift verify --aws`: the guardrails on what really exists in the account."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from forcelift.cli.options import output_format
from forcelift.cli.output import EXIT_FINDINGS, echo_json, ensure_writable, handle_input_errors
from forcelift.migration.clouds.aws import FACTS as AWS
from forcelift.migration.errors import InputError, Location


def findings_lines(findings: Sequence[Any]) -> list[str]:
    """Findings most severe first, each with its resource and the fix."""
    lines = []
    for f in sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id, f.urn)):
        mark = " (waived)" if f.waived else ""
        lines.append(f"  {f.severity.value.upper():8} {f.rule_id} {f.message}{mark}")
        lines.append(f"           {f.urn}")
        lines.append(f"           fix: {f.remediation}")
    return lines


@click.command("verify")
@click.option("--aws", "aws", is_flag=True, help="Verify an AWS account (the only cloud so far).")
@click.option(
    "--region", default=AWS.default_region, show_default=True, help="Region to verify in full."
)
@click.option(
    "--stack",
    default=None,
    help="Only resources tagged forcelift-stack=NAME (account settings and trails always count).",
)
@output_format("table", "json")
@click.option("--endpoint-url", default=None, help="AWS API endpoint (an emulator such as moto).")
@click.option(
    "--scan-region",
    "scan_regions",
    multiple=True,
    help="Other region(s) to search for resources outside the UK (default: every enabled one).",
)
@click.option("--no-region-scan", is_flag=True, help="Do not look for resources in other regions.")
@click.option(
    "--dump-graph",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the live resource graph (preview JSON shape) to this file.",
)
@handle_input_errors
def verify(
    aws: bool,
    region: str,
    stack: str | None,
    output_format: str,
    endpoint_url: str | None,
    scan_regions: tuple[str, ...],
    no_region_scan: bool,
    dump_graph: Path | None,
) -> None:
    """Read the live account with boto3 and run the same guardrails as `policy check`.

    Live resources become the resource graph the guardrails read (encryption, public access,
    open security groups, flow logs, CloudTrail, KMS rotation, tags); account settings with no
    rule yet (EBS encryption by default, the account S3 public access block, a stopped trail,
    anything in a non-UK region) are reported under the matching rule ids. Needs read access
    (the SecurityAudit managed policy is the usual choice). Exit 1 when a blocking finding
    exists.

    Example:

        forcelift verify --aws --region eu-west-2 --stack exampleshire-aws-wave-1
    """
    if not aws:
        raise InputError("say which cloud to verify", Location(file="verify"), hint="pass --aws")
    if dump_graph is not None:
        ensure_writable(dump_graph)  # before the account scan
    from forcelift.migration.live.aws_clients import AwsClients
    from forcelift.migration.live.aws_verify import (
        resources_to_json,
        scan_account,
        scan_to_dict,
    )
    from forcelift.migration.live.aws_verify import (
        verify as run_verify,
    )
    from forcelift.migration.policy.check import blocking

    clients = AwsClients(region=region, endpoint_url=endpoint_url)
    scan = scan_account(
        clients,
        region,
        stack,
        scan_regions=list(scan_regions) if scan_regions else None,
        scan_other_regions=not no_region_scan,
    )
    findings = run_verify(scan)
    if dump_graph is not None:
        from forcelift.migration.inventory.writer import write_atomic

        write_atomic(dump_graph, resources_to_json(scan) + "\n", force=True)
    stopping = blocking(findings)
    if output_format == "json":
        echo_json(scan_to_dict(scan, findings))
    else:
        scope = f"stack {stack}" if stack else "whole account"
        click.echo(
            f"Verified {len(scan.resources)} resource(s) in {scan.region} ({scope}, account "
            f"{scan.account}); looked for resources in {len(scan.regions_scanned) - 1} other "
            "region(s)."
        )
        if findings:
            click.echo(f"{len(findings)} finding(s), {len(stopping)} blocking:")
            for line in findings_lines(findings):
                click.echo(line)
        else:
            click.echo("No guardrail findings.")
    if stopping:
        raise SystemExit(EXIT_FINDINGS)
