"""`prices refresh --azure` against a loopback server shaped like the Azure Retail Prices API.

Never the network: a `http.server` on 127.0.0.1 answers with recorded-shape pages (Items,
NextPageLink), so paging, the currency code, the OData filter and the parsing are all tested.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.plan.azure_prices import refresh_azure_snapshot, retail_url
from forcelift.migration.plan.currency import Conversion
from forcelift.migration.plan.prices import load_prices


def _vm(sku: str, price: float, product: str = "Virtual Machines Dsv5 Series", **extra: Any):
    return {
        "currencyCode": "GBP",
        "retailPrice": price,
        "unitPrice": price,
        "armRegionName": "uksouth",
        "location": "UK South",
        "meterName": sku.removeprefix("Standard_").replace("_", " "),
        "productName": product,
        "skuName": sku.removeprefix("Standard_").replace("_", " "),
        "serviceName": "Virtual Machines",
        "armSkuName": sku,
        "unitOfMeasure": "1 Hour",
        "type": "Consumption",
        "isPrimaryMeterRegion": True,
        **extra,
    }


PAGES: dict[str, list[list[dict[str, Any]]]] = {
    "Virtual Machines": [
        [
            _vm("Standard_D2s_v5", 0.0888),
            _vm("Standard_D4s_v5", 0.1776),
            _vm("Standard_D2s_v5", 0.0266, skuName="D2s v5 Spot"),  # skipped: Spot
        ],
        [
            _vm("Standard_D2s_v5", 0.1256, product="Virtual Machines Dsv5 Series Windows"),
            _vm("Standard_D4s_v5", 0.2512, product="Virtual Machines Dsv5 Series Windows"),
            _vm(
                "Standard_D2s_v5",
                466.79,
                type="Reservation",
                reservationTerm="1 Year",
                unitOfMeasure="1 Hour",
            ),
            _vm("Standard_D2s_v5", 897.6, type="Reservation", reservationTerm="3 Years"),
        ],
    ],
    "Storage": [
        [
            {
                "currencyCode": "GBP",
                "retailPrice": 16.97,
                "productName": "Premium SSD Managed Disks",
                "meterName": "P10 LRS Disk",
                "skuName": "P10 LRS",
                "serviceName": "Storage",
                "unitOfMeasure": "1/Month",
                "type": "Consumption",
            },
            {
                "currencyCode": "GBP",
                "retailPrice": 0.0021,
                "productName": "Premium SSD Managed Disks",
                "meterName": "P10 LRS Disk Operations",
                "serviceName": "Storage",
                "unitOfMeasure": "10K",
                "type": "Consumption",
            },
        ]
    ],
    "Azure App Service": [
        [
            {
                "currencyCode": "GBP",
                "retailPrice": 0.139,
                "productName": "Azure App Service Premium v3 Plan - Linux",
                "skuName": "P1 v3",
                "meterName": "P1 v3 App",
                "serviceName": "Azure App Service",
                "unitOfMeasure": "1 Hour",
                "type": "Consumption",
            }
        ]
    ],
}


class _Api(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        self.requests.append(query)
        if "fail" in query.get("$filter", ""):
            self.send_error(503)
            return
        service = query["$filter"].split("serviceName eq '")[1].rstrip("'")
        pages = PAGES.get(service, [[]])
        index = int(query.get("$skip", "0")) // 1000
        following = None
        if index + 1 < len(pages):
            nxt = dict(query, **{"$skip": str((index + 1) * 1000)})
            following = (
                f"http://127.0.0.1:{self.server.server_address[1]}{url.path}?"
                + urllib.parse.urlencode(nxt, quote_via=urllib.parse.quote)
            )
        body = json.dumps(
            {
                "BillingCurrency": query.get("currencyCode", "'USD'").strip("'"),
                "CustomerEntityId": "Default",
                "CustomerEntityType": "Retail",
                "Items": pages[index],
                "NextPageLink": following,
                "Count": len(pages[index]),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        return None


@pytest.fixture()
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    _Api.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/retail/prices"
    finally:
        server.shutdown()
        server.server_close()


RATE = Conversion(currency="GBP", rate=0.8, source="test rate")


def test_refresh_pages_through_the_api_in_pounds(api: str) -> None:
    base = load_prices(Cloud.AZURE, "uksouth")
    snap = refresh_azure_snapshot(base, endpoint=api, conv=RATE)
    # Asked in GBP, filtered on region and service, and followed NextPageLink.
    assert all(r["currencyCode"] == "'GBP'" for r in _Api.requests)
    assert all("armRegionName eq 'uksouth'" in r["$filter"] for r in _Api.requests)
    vm_requests = [r for r in _Api.requests if "Virtual Machines" in r["$filter"]]
    assert len(vm_requests) == 2 and vm_requests[1]["$skip"] == "1000"
    vm = snap.tables["vm"]
    assert vm.prices["Standard_D2s_v5"] == 0.0888  # the Linux price, not Spot, not Windows
    assert vm.method == "api" and "currencyCode 'GBP'" in (vm.source or "")
    assert vm.unit.startswith("GBP")
    # A size the API did not price is converted at the recorded rate and says so.
    usd = base.tables["vm"].prices["Standard_E2s_v5"]
    assert vm.prices["Standard_E2s_v5"] == pytest.approx(usd * 0.8)
    assert "test rate" in vm.note and vm.confidence == "approximate"
    licence = snap.tables["vm_windows_licence"].prices["per_vcpu"]
    assert licence == pytest.approx((0.1256 - 0.0888) / 2, abs=1e-6)
    one_year = snap.tables["vm_commitment"].prices["one_year"]
    assert one_year == pytest.approx(466.79 / 8760 / 0.0888, abs=1e-4)
    assert snap.tables["disk"].prices["PremiumSSD/P10"] == 16.97
    assert snap.tables["web_app"].prices["linux/P1v3"] == 0.139
    # Tables the API does not serve are converted; fractions are not money.
    sql = snap.tables["sql_database"]
    assert sql.prices["licence_included"] == pytest.approx(
        base.tables["sql_database"].prices["licence_included"] * 0.8, rel=1e-6
    )
    assert "converted from USD at 0.8 GBP/USD" in (sql.method or "")
    assert snap.tables["database_commitment"] == base.tables["database_commitment"]
    assert snap.snapshot.currency == "GBP" and snap.snapshot.method == "api"


def test_an_api_failure_is_an_input_error(api: str) -> None:
    from forcelift.migration.plan.azure_prices import http_get_json

    with pytest.raises(InputError, match="HTTP 503"):
        http_get_json(retail_url(api, "GBP", "uksouth", "fail"))


def test_an_answer_in_the_wrong_currency_is_refused() -> None:
    base = load_prices(Cloud.AZURE, "uksouth")
    page = {"Items": [{**_vm("Standard_D2s_v5", 0.11), "currencyCode": "USD"}]}
    with pytest.raises(InputError, match="answered in USD, not GBP"):
        refresh_azure_snapshot(base, fetch=lambda _url: page, conv=RATE)


def test_cli_refresh_then_plan_with_the_refreshed_prices(api: str, tmp_path: Path) -> None:
    out = tmp_path / "prices-azure-gbp.yaml"
    runner = CliRunner()
    done = runner.invoke(cli, ["prices", "refresh", "--azure", "--endpoint", api, "-o", str(out)])
    assert done.exit_code == 0, done.output
    data = yaml.safe_load(out.read_text())
    assert data["snapshot"]["currency"] == "GBP"
    assert data["tables"]["vm"]["method"] == "api"
    plan_file = tmp_path / "plan.yaml"
    planned = runner.invoke(
        cli,
        [
            "plan",
            str(Path(__file__).parents[2] / "inventories" / "exampleshire"),
            "--as-of",
            "2026-11-25",
            "--prices",
            str(out),
            "-o",
            str(plan_file),
            "-q",
        ],
    )
    assert planned.exit_code == 0, planned.output
    plan = yaml.safe_load(plan_file.read_text())
    azure = plan["clouds"][0]
    assert "Azure Retail Prices API" in azure["price_snapshot"]
    vm_source = next(s for s in azure["price_sources"] if s["table"] == "vm")
    assert vm_source["method"] == "api" and vm_source["unit"].startswith("GBP")
    assert plan["options"]["price_files"] == [out.as_posix()]
