"""Price snapshots: list prices shipped as data, looked up by table and key, refreshable.

A plan must be reproducible offline, so costs come from a dated snapshot in
`data/prices-<cloud>-<region>.yaml` rather than a live API. Each table carries its unit,
source, date and confidence. `refresh_aws_snapshot` rebuilds the EC2 table from the AWS Price
List API; `AZURE_RETAIL_PRICES_HELP` explains the Azure equivalent.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field

from forcelift.migration.clouds import DEFAULT_REGION, Cloud, check_region
from forcelift.migration.errors import InputError, Location
from forcelift.migration.plan.datafiles import Frozen, Provenance, read_data, validate

PRICE_API_REGION = "us-east-1"  # the Price List API is served from us-east-1 (and ap-south-1)
_AWS_LOCATION_FILTERS = {
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "preInstalledSw": "NA",
    "capacitystatus": "Used",
    "licenseModel": "No License required",
}

AZURE_RETAIL_PRICES_HELP = """\
Azure has no SDK call for list prices; the Azure Retail Prices API is a public REST endpoint
(no authentication): GET https://prices.azure.com/api/retail/prices?currencyCode='USD'
&$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'uksouth'
and priceType eq 'Consumption'
Results come 1,000 at a time; follow NextPageLink until it is null. For each item use
armSkuName (e.g. Standard_D2s_v5) and retailPrice (unitOfMeasure '1 Hour'); skip items whose
skuName contains 'Spot' or 'Low Priority', and keep productName without 'Windows' for the Linux
price (the Windows item minus the Linux item is the licence uplift). Reserved prices are
priceType eq 'Reservation' with reservationTerm '1 Year' or '3 Years' (the price is for the
whole term: divide by 8,760 or 26,280 hours). Managed disks are serviceName 'Storage' with
productName 'Premium SSD Managed Disks' / 'Standard SSD Managed Disks' (meterName 'P10 LRS
Disk', unitOfMeasure '1/Month'); SQL is serviceName 'SQL Database' / 'SQL Managed Instance'.
Write the figures into a copy of data/prices-azure-uksouth.yaml with method: api and the date
taken, and pass that file to the planner.
"""


class SnapshotInfo(Frozen):
    provider: Cloud
    region: str
    currency: str = "USD"
    hours_per_month: Annotated[float, Field(gt=0)] = 730
    taken: dt.date
    method: str = "transcribed"
    source: str
    refresh: str = ""


class PriceTable(Frozen):
    """Prices sharing a unit and a source; source/date default to the snapshot's."""

    unit: str
    confidence: Literal["list", "approximate"] = "list"
    source: str | None = None
    taken: dt.date | None = None
    method: str | None = None
    note: str = ""
    prices: dict[str, Annotated[float, Field(ge=0)]]


class PriceSnapshot(Frozen):
    snapshot: SnapshotInfo
    tables: dict[str, PriceTable]

    @property
    def cloud(self) -> Cloud:
        return self.snapshot.provider

    @property
    def hours_per_month(self) -> float:
        return self.snapshot.hours_per_month

    def price(self, table: str, key: str) -> float | None:
        found = self.tables.get(table)
        return None if found is None else found.prices.get(key)

    def require(self, table: str, key: str) -> float:
        """A price that must exist; a missing one is a data problem the user can fix."""
        value = self.price(table, key)
        if value is None:
            raise InputError(
                f"no {self.snapshot.provider.value} {self.snapshot.region} price for "
                f"{table} {key!r}",
                Location(file=f"prices-{self.snapshot.provider.value}-{self.snapshot.region}"),
                hint="add it to the price snapshot or refresh the snapshot from the price API",
            )
        return value

    def provenance(self, table: str) -> Provenance:
        """Where the figures of one table come from, resolved against the snapshot."""
        found = self.tables[table]
        info = self.snapshot
        return Provenance(
            source=found.source or info.source,
            taken=found.taken or info.taken,
            method=found.method or info.method,
            note=found.note,
        )


def snapshot_name(cloud: Cloud, region: str) -> str:
    return f"prices-{cloud.value}-{region}.yaml"


def _read_snapshot_file(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read price snapshot: {exc}", Location(file=str(path))) from None


def load_prices(cloud: Cloud, region: str, path: Path | None = None) -> PriceSnapshot:
    """The snapshot for a cloud and region: the shipped one, or the user's file at `path`."""
    check_region(cloud, region)
    if path is not None:
        snapshot = validate(PriceSnapshot, _read_snapshot_file(path), str(path))
    else:
        snapshot = _shipped(cloud, region)
    if snapshot.cloud is not cloud or snapshot.snapshot.region != region:
        raise InputError(
            f"price snapshot is for {snapshot.cloud.value} {snapshot.snapshot.region}, "
            f"not {cloud.value} {region}",
            Location(file=str(path) if path else snapshot_name(cloud, region)),
            hint="pass the snapshot for the plan's cloud and region",
        )
    return snapshot


@lru_cache(maxsize=8)
def _shipped(cloud: Cloud, region: str) -> PriceSnapshot:
    name = snapshot_name(cloud, region)
    try:
        data = read_data(name)
    except FileNotFoundError:
        raise InputError(
            f"no shipped price snapshot for {cloud.value} {region}",
            hint="plan costs in the primary region (uksouth / eu-west-2) or pass your own "
            f"snapshot file shaped like {snapshot_name(cloud, DEFAULT_REGION[cloud])}",
        ) from None
    return validate(PriceSnapshot, data, name)


def snapshot_to_yaml(snapshot: PriceSnapshot) -> str:
    """Serialise a snapshot in the shipped file's shape (stable key order)."""
    data = snapshot.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- AWS Price List API --------------------------------------------------------------------


def _iter_products(client: Any, region: str) -> Iterator[str]:
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}] + [
        {"Type": "TERM_MATCH", "Field": field, "Value": value}
        for field, value in _AWS_LOCATION_FILTERS.items()
    ]
    kwargs: dict[str, Any] = {
        "ServiceCode": "AmazonEC2",
        "Filters": filters,
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    while True:
        page = client.get_products(**kwargs)
        yield from page.get("PriceList", [])
        token = page.get("NextToken")
        if not token:
            return
        kwargs["NextToken"] = token


def _hourly(term: Mapping[str, Any]) -> float | None:
    for dimension in term.get("priceDimensions", {}).values():
        if dimension.get("unit") in ("Hrs", "Hours"):
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is not None:
                return float(usd)
    return None


def parse_ec2_price_list(
    items: Iterable[str | Mapping[str, Any]], wanted: set[str] | None = None
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """On-Demand hourly prices and standard no-upfront RI hourly prices per instance type.

    Items are the JSON strings of `get_products` PriceList (or already-parsed dicts).
    """
    on_demand: dict[str, float] = {}
    reserved: dict[str, dict[str, float]] = {}
    for raw in items:
        item = json.loads(raw) if isinstance(raw, str) else raw
        instance = item.get("product", {}).get("attributes", {}).get("instanceType")
        if not instance or (wanted is not None and instance not in wanted):
            continue
        terms = item.get("terms", {})
        for term in terms.get("OnDemand", {}).values():
            price = _hourly(term)
            if price:
                on_demand[instance] = price
        for term in terms.get("Reserved", {}).values():
            attrs = term.get("termAttributes", {})
            if attrs.get("OfferingClass") != "standard" or attrs.get("PurchaseOption") != (
                "No Upfront"
            ):
                continue
            length = {"1yr": "one_year", "3yr": "three_year"}.get(attrs.get("LeaseContractLength"))
            price = _hourly(term)
            if length and price:
                reserved.setdefault(instance, {})[length] = price
    return on_demand, reserved


def refresh_aws_snapshot(
    base: PriceSnapshot,
    *,
    client: Any = None,
    instance_types: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> PriceSnapshot:
    """A copy of `base` with EC2 On-Demand prices and RI factors from the Price List API.

    `client` is a boto3 `pricing` client (created on the us-east-1 endpoint when omitted);
    boto3 is imported only here so planning never needs it.
    """
    if base.cloud is not Cloud.AWS:
        raise InputError(
            "only AWS snapshots refresh through the Price List API",
            hint="see AZURE_RETAIL_PRICES_HELP for Azure",
        )
    if client is None:
        try:
            import boto3
        except ImportError:
            raise InputError(
                "refreshing AWS prices needs boto3", hint="pip install boto3, then retry"
            ) from None
        client = boto3.client("pricing", region_name=PRICE_API_REGION)
    wanted = set(instance_types) if instance_types is not None else set(base.tables["vm"].prices)
    on_demand, reserved = parse_ec2_price_list(_iter_products(client, base.snapshot.region), wanted)
    if not on_demand:
        raise InputError(
            "the AWS Price List API returned no EC2 prices for the catalogue's instance types",
            hint="check the region and the credentials (pricing:GetProducts), then retry",
        )
    when = today or dt.date.today()
    source = f"AWS Price List API, AmazonEC2, regionCode {base.snapshot.region}"
    tables = dict(base.tables)
    vm = tables["vm"]
    tables["vm"] = vm.model_copy(
        update={
            "prices": dict(sorted({**vm.prices, **on_demand}.items())),
            "source": source,
            "taken": when,
            "method": "api",
            "confidence": "list",
        }
    )
    factors = {
        term: statistics.median(
            r[term] / on_demand[i] for i, r in reserved.items() if term in r and i in on_demand
        )
        for term in ("one_year", "three_year")
        if any(term in r and i in on_demand for i, r in reserved.items())
    }
    if factors and "vm_commitment" in tables:
        commitment = tables["vm_commitment"]
        tables["vm_commitment"] = commitment.model_copy(
            update={
                "prices": {**commitment.prices, **{k: round(v, 4) for k, v in factors.items()}},
                "source": source + ", median of standard no-upfront Reserved Instance prices",
                "taken": when,
                "method": "api",
            }
        )
    return base.model_copy(update={"tables": tables})


def snapshot_for(cloud: Cloud, region: str, files: Iterable[str]) -> PriceSnapshot:
    """The user's snapshot for this cloud among `files` (by provider), else the shipped one."""
    for name in files:
        path = Path(name)
        data = _read_snapshot_file(path)
        provider = (
            (data or {}).get("snapshot", {}).get("provider") if isinstance(data, dict) else None
        )
        if provider == cloud.value:
            return load_prices(cloud, region, path)
    return load_prices(cloud, region)
