"""Refresh the Azure price snapshot from the Azure Retail Prices API, in pounds.

The API is public (no authentication), takes a currency code, and pages its answers: each
page holds `Items` and a `NextPageLink` to follow until it is null. Microsoft publishes GBP
prices there, so Azure needs no exchange rate once refreshed. Tables the API does not serve
in a shape we read (SQL, PostgreSQL, storage per GiB …) are converted from the shipped USD
snapshot at the plan's recorded rate, and each table says which it is. `fetch` is injectable
so tests run against a local server; the network is only touched by `forcelift prices
refresh --azure`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from forcelift.migration.clouds import Cloud, check_region
from forcelift.migration.errors import InputError
from forcelift.migration.plan.currency import Conversion, conversion, convert_snapshot, factor
from forcelift.migration.plan.prices import PriceSnapshot

AZURE_RETAIL_PRICES_URL = "https://prices.azure.com/api/retail/prices"
MAX_PAGES = 2000  # a runaway NextPageLink loop stops here
HOURS = {"1 Year": 8760.0, "3 Years": 26280.0}
TERMS = {"1 Year": "one_year", "3 Years": "three_year"}
SERVICES = ("Virtual Machines", "Storage", "Azure App Service")
_DISK_PRODUCTS = {
    "Premium SSD Managed Disks": ("PremiumSSD", "P"),
    "Standard SSD Managed Disks": ("StandardSSD", "E"),
    "Standard HDD Managed Disks": ("StandardHDD", "S"),
}
_DISK_METER = re.compile(r"^([PES]\d+) LRS Disk$")
_APP_PRODUCT = re.compile(r"^Azure App Service Premium v3 Plan( - Linux)?$")
_VCPUS = re.compile(r"^Standard_[A-Z]+?(\d+)")

Fetch = Callable[[str], Mapping[str, Any]]


def retail_url(endpoint: str, currency: str, region: str, service: str) -> str:
    """The first page's URL: currency code and an OData filter on region and service."""
    query = urllib.parse.urlencode(
        {
            "currencyCode": f"'{currency}'",
            "$filter": f"armRegionName eq '{region}' and serviceName eq '{service}'",
        },
        quote_via=urllib.parse.quote,
    )
    return f"{endpoint}?{query}"


def http_get_json(url: str, timeout: float = 60) -> Mapping[str, Any]:
    """One page of the API, as JSON; network and format problems are InputErrors."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"Azure Retail Prices API answered HTTP {exc.code} for {url}",
            hint="check the filter and retry later; the API limits request rates",
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InputError(
            f"cannot reach the Azure Retail Prices API: {exc}",
            hint="check the network or proxy (HTTPS_PROXY); plans keep using the shipped snapshot",
        ) from None
    try:
        data = json.loads(body)
    except ValueError:
        raise InputError(
            f"the Azure Retail Prices API sent something that is not JSON ({url})"
        ) from None
    if not isinstance(data, Mapping):
        raise InputError(f"unexpected Azure Retail Prices answer (not an object) from {url}")
    return data


def iter_items(url: str, fetch: Fetch) -> Iterator[Mapping[str, Any]]:
    """Every item of every page, following NextPageLink until it is null."""
    pages = 0
    while url:
        pages += 1
        if pages > MAX_PAGES:
            raise InputError(f"the Azure Retail Prices API sent more than {MAX_PAGES} pages")
        page = fetch(url)
        items = page.get("Items")
        if not isinstance(items, list):
            raise InputError(f"Azure Retail Prices page without an Items list: {url}")
        yield from (i for i in items if isinstance(i, Mapping))
        url = page.get("NextPageLink") or ""


def _hourly_linux_and_windows(
    items: list[Mapping[str, Any]], wanted: set[str]
) -> tuple[dict[str, float], dict[str, float], dict[str, dict[str, float]]]:
    linux: dict[str, float] = {}
    windows: dict[str, float] = {}
    reserved: dict[str, dict[str, float]] = {}
    for item in items:
        sku = str(item.get("armSkuName", ""))
        if sku not in wanted:
            continue
        name = f"{item.get('skuName', '')} {item.get('meterName', '')}"
        if "Spot" in name or "Low Priority" in name:
            continue
        price = float(item.get("retailPrice", 0) or 0)
        kind = item.get("type")
        if kind == "Consumption" and item.get("unitOfMeasure") == "1 Hour" and price > 0:
            target = windows if "Windows" in str(item.get("productName", "")) else linux
            target[sku] = min(price, target.get(sku, price))
        elif kind == "Reservation" and item.get("reservationTerm") in HOURS and price > 0:
            term = str(item["reservationTerm"])
            reserved.setdefault(sku, {})[TERMS[term]] = price / HOURS[term]
    return linux, windows, reserved


def _disks(items: list[Mapping[str, Any]], wanted: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        product = _DISK_PRODUCTS.get(str(item.get("productName", "")))
        meter = _DISK_METER.match(str(item.get("meterName", "")))
        if not product or not meter or item.get("type") != "Consumption":
            continue
        if item.get("unitOfMeasure") != "1/Month":
            continue
        key = f"{product[0]}/{meter.group(1)}"
        if key in wanted:
            out[key] = float(item.get("retailPrice", 0) or 0)
    return out


def _web_apps(items: list[Mapping[str, Any]], wanted: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        product = _APP_PRODUCT.match(str(item.get("productName", "")))
        if not product or item.get("type") != "Consumption":
            continue
        if item.get("unitOfMeasure") != "1 Hour":
            continue
        os = "linux" if product.group(1) else "windows"
        key = f"{os}/{str(item.get('skuName', '')).replace(' ', '')}"
        if key in wanted:
            out[key] = float(item.get("retailPrice", 0) or 0)
    return out


def refresh_azure_snapshot(
    base: PriceSnapshot,
    *,
    currency: str = "GBP",
    region: str = "uksouth",
    endpoint: str = AZURE_RETAIL_PRICES_URL,
    fetch: Fetch | None = None,
    conv: Conversion | None = None,
    today: dt.date | None = None,
) -> PriceSnapshot:
    """A copy of `base` priced by the API in `currency`: VMs (Linux, the Windows uplift,
    reservations), managed disks and App Service; every other table converted at `conv`."""
    if base.cloud is not Cloud.AZURE:
        raise InputError("only Azure snapshots refresh through the Azure Retail Prices API")
    check_region(Cloud.AZURE, region)
    fetch = fetch or http_get_json
    conv = conv or conversion(currency)
    when = today or dt.date.today()
    items: dict[str, list[Mapping[str, Any]]] = {}
    for service in SERVICES:
        found = list(iter_items(retail_url(endpoint, currency, region, service), fetch))
        wrong = {str(i.get("currencyCode")) for i in found if i.get("currencyCode") != currency}
        if wrong:
            raise InputError(
                f"the Azure Retail Prices API answered in {', '.join(sorted(wrong))}, "
                f"not {currency}"
            )
        items[service] = found
    vm_table = base.tables["vm"]
    linux, windows, reserved = _hourly_linux_and_windows(
        items["Virtual Machines"], set(vm_table.prices)
    )
    if not linux:
        raise InputError(
            f"the Azure Retail Prices API returned no Linux pay-as-you-go prices in {region} "
            "for the catalogue's VM sizes",
            hint="check the region and retry; plans keep using the shipped snapshot",
        )
    source = (
        f"Azure Retail Prices API ({endpoint}), currencyCode '{currency}', armRegionName '{region}'"
    )
    refreshed: dict[str, Any] = {}

    def api_table(name: str, prices: Mapping[str, float], note: str = "") -> None:
        table = base.tables[name]
        update: dict[str, Any] = {
            "unit": table.unit.replace(base.snapshot.currency, currency),
            "prices": dict(sorted({**_converted(table.prices, base, conv), **prices}.items())),
            "source": source + (f", {note}" if note else ""),
            "taken": when,
            "method": "api",
        }
        missing = sorted(set(table.prices) - set(prices))
        if missing:
            update["note"] = (
                f"{len(missing)} price(s) not in the API answer kept from the shipped snapshot, "
                f"{conv.text()}: {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else "")
            )
            update["confidence"] = "approximate"
        else:
            update["confidence"] = "list"
            update["note"] = ""
        refreshed[name] = table.model_copy(update=update)

    api_table("vm", {k: round(v, 6) for k, v in linux.items()}, "serviceName 'Virtual Machines'")
    uplift = [
        (windows[s] - linux[s]) / int(m.group(1))
        for s in sorted(set(windows) & set(linux))
        if (m := _VCPUS.match(s)) and int(m.group(1)) > 0 and windows[s] > linux[s]
    ]
    if uplift and "vm_windows_licence" in base.tables:
        api_table(
            "vm_windows_licence",
            {"per_vcpu": round(statistics.median(uplift), 6)},
            "median Windows minus Linux price per vCPU",
        )
    factors = {
        term: round(
            statistics.median(
                r[term] / linux[s] for s, r in reserved.items() if term in r and s in linux
            ),
            4,
        )
        for term in ("one_year", "three_year")
        if any(term in r and s in linux for s, r in reserved.items())
    }
    if factors and "vm_commitment" in base.tables:
        table = base.tables["vm_commitment"]
        refreshed["vm_commitment"] = table.model_copy(
            update={
                "prices": {**table.prices, **factors},
                "source": source
                + ", median of Reservation prices (per term hour) over pay-as-you-go",
                "taken": when,
                "method": "api",
            }
        )
    if "disk" in base.tables:
        disks = _disks(items["Storage"], set(base.tables["disk"].prices))
        if disks:
            api_table("disk", disks, "serviceName 'Storage', managed disks (LRS)")
    if "web_app" in base.tables:
        apps = _web_apps(items["Azure App Service"], set(base.tables["web_app"].prices))
        if apps:
            api_table("web_app", apps, "serviceName 'Azure App Service', Premium v3 plans")
    converted = convert_snapshot(base, conv, keep=refreshed)
    tables = {**converted.tables, **refreshed}
    info = base.snapshot.model_copy(
        update={
            "region": region,
            "currency": currency,
            "taken": when,
            "method": "api",
            "source": source
            + f"; tables the API does not serve here converted from {base.snapshot.currency} "
            "(each table says which)",
            "refresh": "forcelift prices refresh --azure",
        }
    )
    return base.model_copy(update={"snapshot": info, "tables": dict(tables)})


def _converted(
    prices: Mapping[str, float], base: PriceSnapshot, conv: Conversion
) -> dict[str, float]:
    rate = factor(base.snapshot.currency, conv)
    return {k: round(v * rate, 6) for k, v in prices.items()}
