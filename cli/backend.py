"""`forcelift backend …`: the encrypted S3 bucket that holds Pulumi state."""

from __future__ import annotations

import click

from forcelift.cli.options import output_format
from forcelift.cli.output import echo_json, handle_input_errors
from forcelift.migration.clouds.aws import FACTS as AWS
from forcelift.migration.errors import InputError, Location

_STYLE = {"created": "green", "updated": "yellow", "already set": None}


@click.group()
def backend() -> None:
    """Create and check the Pulumi state backend."""


@backend.command("init")
@click.option(
    "--aws", "aws", is_flag=True, help="Create the backend in AWS S3 (the only one so far)."
)
@click.option("--bucket", required=True, help="Globally unique S3 bucket name for the state.")
@click.option(
    "--region", default=AWS.default_region, show_default=True, help="Bucket and key region."
)
@click.option(
    "--kms-alias",
    default="alias/forcelift-state",
    show_default=True,
    help="Alias of the customer KMS key (found, or created with rotation on).",
)
@click.option("--endpoint-url", default=None, help="AWS API endpoint (an emulator such as moto).")
@click.option(
    "--allow-non-uk-region",
    is_flag=True,
    help="Permit a region outside the UK (only with a recorded guardrail exception).",
)
@output_format("table", "json")
@handle_input_errors
def init_command(
    aws: bool,
    bucket: str,
    region: str,
    kms_alias: str,
    endpoint_url: str | None,
    allow_non_uk_region: bool,
    output_format: str,
) -> None:
    """Create the Pulumi state bucket: SSE-KMS, versioning, private, TLS only.

    Idempotent: each setting is read first and written only when it differs, and the report
    says per setting whether it was created, updated or already set. Prints the
    `pulumi login` line for the bucket.

    Example:

        forcelift backend init --aws --bucket exampleshire-pulumi-state-123456789012
    """
    if not aws:
        raise InputError(
            "say where the backend lives", Location(file="backend init"), hint="pass --aws"
        )
    from forcelift.migration.live.aws_backend import init_state_backend

    result = init_state_backend(
        bucket,
        region,
        kms_alias,
        endpoint_url=endpoint_url,
        allow_non_uk_region=allow_non_uk_region,
    )
    if output_format == "json":
        echo_json(result.to_dict())
        return
    if allow_non_uk_region and region not in AWS.regions:
        click.secho(
            f"warning: state bucket in {region}, outside the UK (--allow-non-uk-region)",
            fg="yellow",
            err=True,
        )
    click.echo(f"State backend s3://{result.bucket} in {result.region} (account {result.account}):")
    width = max(len(step.setting) for step in result.steps)
    for step in result.steps:
        status = click.style(f"{step.status:11}", fg=_STYLE.get(step.status))
        click.echo(f"  {step.setting:{width}}  {status}  {step.detail}")
    if not result.changed:
        click.echo("Nothing changed: every setting was already in place.")
    click.echo("")
    click.echo("Log in with:")
    click.echo(f"  pulumi login '{result.login_url}'")
    click.echo("Encrypt stack secrets with the same key:")
    click.echo(
        f"  forcelift deploy DIR --stack NAME --secrets-provider '{result.secrets_provider}'"
    )
