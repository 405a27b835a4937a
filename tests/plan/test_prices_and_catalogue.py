"""SKU catalogue and price snapshots: completeness, provenance, loading, AWS refresh."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.clouds import Cloud, check_region, parse_cloud
from forcelift.migration.errors import InputError
from forcelift.migration.plan.datafiles import read_data
from forcelift.migration.plan.prices import (
    AZURE_RETAIL_PRICES_HELP,
    PRICE_API_REGION,
    PriceSnapshot,
    load_prices,
    parse_ec2_price_list,
    refresh_aws_snapshot,
    snapshot_to_yaml,
)
from forcelift.migration.plan.skus import catalogue_from_data, load_catalogue

from .conftest import DATA

RECORDED = json.loads((DATA / "aws-pricing-get-products.json").read_text())


@pytest.mark.parametrize(("cloud", "region"), [(Cloud.AZURE, "uksouth"), (Cloud.AWS, "eu-west-2")])
def test_every_catalogue_entry_is_priced(cloud: Cloud, region: str) -> None:
    prices = load_prices(cloud, region)
    catalogue = load_catalogue().for_cloud(cloud)
    assert {s.name for s in catalogue.sizes()} <= set(prices.tables["vm"].prices)
    for key, offer in catalogue.paas.items():
        for tier in offer.tiers:
            table = "web_app" if key == "web_app" else key
            priced = (
                prices.price(table, tier.name) is not None
                or prices.price(table, "licence_included") is not None
                or prices.price(table, f"linux/{tier.name}") is not None
            )
            assert priced, (key, tier.name)
    if cloud is Cloud.AZURE:
        for disk in catalogue.disks:
            for tier in disk.tiers:
                assert prices.price("disk", f"{disk.type}/{tier.tier}") is not None


@pytest.mark.parametrize(("cloud", "region"), [(Cloud.AZURE, "uksouth"), (Cloud.AWS, "eu-west-2")])
def test_every_price_has_a_source_and_a_date(cloud: Cloud, region: str) -> None:
    prices = load_prices(cloud, region)
    assert prices.snapshot.refresh
    for name, table in prices.tables.items():
        origin = prices.provenance(name)
        assert origin.source.strip() and isinstance(origin.taken, dt.date), name
        assert table.unit.strip() and table.prices, name
        assert table.confidence in ("list", "approximate")


def test_catalogue_has_its_date_and_the_named_families() -> None:
    catalogue = load_catalogue()
    assert catalogue.catalogue.taken and catalogue.catalogue.source
    azure = {f.family for f in catalogue.azure.families}
    aws = {f.family for f in catalogue.aws.families}
    assert {"Dsv5", "Esv5", "Fsv2", "Bs"} <= azure
    assert {"m6i", "m7i", "r6i", "r7i", "c6i", "c7i", "t3"} <= aws


def test_duplicate_sizes_are_refused() -> None:
    data = read_data("skus.yaml")
    data["aws"]["families"][1]["sizes"].append({"name": "m6i.large", "vcpus": 2, "memory_gib": 8})
    with pytest.raises(InputError, match=r"listed twice: m6i\.large"):
        catalogue_from_data(data, "my-skus.yaml")


def test_regions_and_clouds_are_checked() -> None:
    assert parse_cloud(" AWS ") is Cloud.AWS
    with pytest.raises(InputError, match="unknown cloud 'gcp'") as err:
        parse_cloud("gcp")
    assert "azure, aws" in (err.value.problems[0].hint or "")
    with pytest.raises(InputError, match="not an allowed azure region") as err:
        check_region(Cloud.AZURE, "westeurope")
    assert "uksouth" in (err.value.problems[0].hint or "")
    with pytest.raises(InputError, match="no shipped price snapshot for azure ukwest"):
        load_prices(Cloud.AZURE, "ukwest")


def test_a_users_snapshot_file(tmp_path: Path, aws_prices: PriceSnapshot) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(snapshot_to_yaml(aws_prices))
    assert load_prices(Cloud.AWS, "eu-west-2", path) == aws_prices
    with pytest.raises(InputError, match="is for aws eu-west-2, not azure uksouth"):
        load_prices(Cloud.AZURE, "uksouth", path)
    path.write_text("snapshot: {provider: aws}\n")
    with pytest.raises(InputError) as err:
        load_prices(Cloud.AWS, "eu-west-2", path)
    assert err.value.problems[0].location.file == str(path)


def test_missing_price_says_how_to_fix_it(aws_prices: PriceSnapshot) -> None:
    with pytest.raises(InputError, match=r"no aws eu-west-2 price for vm 'm5\.large'") as err:
        aws_prices.require("vm", "m5.large")
    assert "refresh" in (err.value.problems[0].hint or "")


def test_parse_recorded_price_list() -> None:
    items = [i for page in RECORDED["pages"] for i in page["PriceList"]]
    on_demand, reserved = parse_ec2_price_list(items, {"m6i.large", "c6i.large", "t3.micro"})
    assert on_demand == {"m6i.large": 0.118, "c6i.large": 0.107, "t3.micro": 0.0125}
    assert reserved["m6i.large"] == {"one_year": 0.0743, "three_year": 0.0508}
    assert "t3.micro" not in reserved  # partial upfront terms are not used


class FakePricing:
    """Replays recorded get_products pages and records the requests."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def get_products(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return RECORDED["pages"][1 if kwargs.get("NextToken") == "page-2" else 0]


def test_refresh_aws_snapshot_from_recorded_pages(aws_prices: PriceSnapshot) -> None:
    client = FakePricing()
    fresh = refresh_aws_snapshot(aws_prices, client=client, today=dt.date(2026, 1, 2))
    assert [c.get("NextToken") for c in client.calls] == [None, "page-2"]
    filters = {f["Field"]: f["Value"] for f in client.calls[0]["Filters"]}
    assert filters["regionCode"] == "eu-west-2" and filters["operatingSystem"] == "Linux"
    assert client.calls[0]["ServiceCode"] == "AmazonEC2"
    vm = fresh.tables["vm"]
    assert vm.prices["m6i.large"] == 0.118 and vm.prices["r6i.large"] == 0.148  # kept
    assert "x2iedn.xlarge" not in vm.prices  # not in the catalogue
    assert (vm.method, vm.taken) == ("api", dt.date(2026, 1, 2))
    assert fresh.provenance("vm").source.startswith("AWS Price List API")
    commitment = fresh.tables["vm_commitment"].prices
    assert commitment["one_year"] == pytest.approx((0.0743 / 0.118 + 0.0674 / 0.107) / 2, 1e-3)
    assert fresh.tables["disk"] == aws_prices.tables["disk"]  # untouched tables stay as they were


def test_refresh_refuses_empty_answers_and_azure(
    aws_prices: PriceSnapshot, azure_prices: PriceSnapshot
) -> None:
    class Empty:
        def get_products(self, **kwargs: Any) -> dict[str, Any]:
            return {"PriceList": []}

    with pytest.raises(InputError, match="returned no EC2 prices"):
        refresh_aws_snapshot(aws_prices, client=Empty())
    with pytest.raises(InputError, match="only AWS snapshots"):
        refresh_aws_snapshot(azure_prices, client=Empty())
    assert "prices.azure.com/api/retail/prices" in AZURE_RETAIL_PRICES_HELP
    assert "NextPageLink" in AZURE_RETAIL_PRICES_HELP


def test_refresh_through_a_stubbed_boto3_client(aws_prices: PriceSnapshot) -> None:
    boto3 = pytest.importorskip("boto3")
    stub_module = pytest.importorskip("botocore.stub")
    client = boto3.client(
        "pricing",
        region_name=PRICE_API_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with stub_module.Stubber(client) as stubber:
        for page in RECORDED["pages"]:
            stubber.add_response("get_products", page)
        fresh = refresh_aws_snapshot(aws_prices, client=client, today=dt.date(2026, 1, 2))
        stubber.assert_no_pending_responses()
    assert fresh.tables["vm"].prices["c6i.large"] == 0.107
