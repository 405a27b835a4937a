"""`forcelift prices …`: the price snapshots cost estimates come from."""

from __future__ import annotations

from pathlib import Path

import click

from forcelift.cli.output import ensure_writable, handle_input_errors


@click.group()
def prices() -> None:
    """Show or refresh the price snapshots used for cost estimates."""


@prices.command("refresh")
@click.option("--aws", "aws", is_flag=True, help="Refresh the AWS eu-west-2 snapshot.")
@click.option(
    "--azure",
    "azure",
    is_flag=True,
    help="Explain how to refresh the Azure snapshot (Azure Retail Prices API).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("prices-aws-eu-west-2.yaml"),
    show_default=True,
    help="Snapshot file to write.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@handle_input_errors
def refresh(aws: bool, azure: bool, output: Path, force: bool) -> None:
    """Refresh the AWS price snapshot through the AWS Price List API (boto3 `pricing`).

    Needs AWS credentials that may call pricing:GetProducts. Plans use the shipped snapshot
    unless given the refreshed file.

    Example:

        forcelift prices refresh --aws -o prices-aws.yaml
    """
    from forcelift.migration.plan import prices as price_data

    if azure or not aws:
        click.echo(price_data.AZURE_RETAIL_PRICES_HELP)
        if not aws:
            return
    ensure_writable(output)  # before the Price List API calls
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.plan.clouds import Cloud

    base = price_data.load_prices(Cloud.AWS, "eu-west-2")
    snapshot = price_data.refresh_aws_snapshot(base)
    write_atomic(output, price_data.snapshot_to_yaml(snapshot), force=force)
    click.echo(f"wrote {output}")
