"""`forcelift prices …`: the price snapshots cost estimates come from."""

from __future__ import annotations

from pathlib import Path

import click

from forcelift.cli.options import output_option
from forcelift.cli.output import ensure_writable, handle_input_errors
from forcelift.migration.clouds.azure import FACTS as AZURE


@click.group()
def prices() -> None:
    """Show or refresh the price snapshots used for cost estimates."""


@prices.command("refresh")
@click.option("--aws", "aws", is_flag=True, help="Refresh the AWS eu-west-2 snapshot (USD).")
@click.option(
    "--azure",
    "azure",
    is_flag=True,
    help="Refresh the Azure snapshot from the Azure Retail Prices API, in --currency.",
)
@click.option(
    "--region",
    type=click.Choice(AZURE.regions),
    default=AZURE.default_region,
    show_default=True,
    help="Azure region to price (--azure).",
)
@click.option(
    "--currency",
    type=click.Choice(["GBP", "USD", "EUR"], case_sensitive=False),
    default="GBP",
    show_default=True,
    help="Currency the Azure prices are asked for (--azure).",
)
@click.option(
    "--fx-rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="CURRENCY per USD for the tables the API does not serve (default: the recorded rate).",
)
@click.option("--endpoint", default=None, hidden=True, help="Retail Prices API URL (tests).")
@output_option("Snapshot file to write [default: prices-<cloud>-<region>.yaml].", dir_okay=False)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@handle_input_errors
def refresh(
    aws: bool,
    azure: bool,
    region: str,
    currency: str,
    fx_rate: float | None,
    endpoint: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Refresh a price snapshot from the provider's price API.

    --azure asks the public Azure Retail Prices API (no credentials) for GBP prices in UK
    South; tables it does not serve are converted from the shipped USD snapshot at the
    recorded rate, and each table says which. --aws uses the AWS Price List API (boto3
    `pricing`, needs pricing:GetProducts); AWS lists USD only. Plans use the shipped
    snapshots unless given the refreshed file with `forcelift plan --prices FILE`.

    Examples:

        forcelift prices refresh --azure -o prices-azure-gbp.yaml

        forcelift plan inventories/exampleshire --prices prices-azure-gbp.yaml -o plan.yaml

        forcelift prices refresh --aws -o prices-aws.yaml
    """
    if aws == azure:
        raise click.UsageError("choose one of --azure or --aws")
    from forcelift.migration.clouds import Cloud
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.migration.plan import prices as price_data

    if azure:
        target = output or Path(f"prices-azure-{region}.yaml")
        ensure_writable(target)  # before the API calls
        from forcelift.migration.plan import azure_prices
        from forcelift.migration.plan.currency import conversion

        base = price_data.load_prices(Cloud.AZURE, "uksouth")
        snapshot = azure_prices.refresh_azure_snapshot(
            base,
            currency=currency.upper(),
            region=region,
            endpoint=endpoint or azure_prices.AZURE_RETAIL_PRICES_URL,
            conv=conversion(currency, fx_rate),
        )
    else:
        target = output or Path("prices-aws-eu-west-2.yaml")
        ensure_writable(target)  # before the Price List API calls
        base = price_data.load_prices(Cloud.AWS, "eu-west-2")
        snapshot = price_data.refresh_aws_snapshot(base)
    write_atomic(target, price_data.snapshot_to_yaml(snapshot), force=force)
    click.echo(f"wrote {target}")
