"""The bundled Exampleshire Police estate: complete, consistent, and reproducible."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from forcelift.migration.inventory.load import LoadResult, load_inventory
from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import (
    Criticality,
    DependencyKind,
    ExternalService,
    Inventory,
    OsFamily,
    PowerState,
    SecurityClassification,
)
from forcelift.migration.inventory.writer import inventory_to_yaml

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "inventories" / "exampleshire"

REQUIRED_CATEGORIES = {
    "records-management",
    "command-and-control",
    "custody",
    "case-preparation",
    "digital-evidence",
    "anpr",
    "intelligence",
    "hr",
    "duty-management",
    "finance",
    "email",
    "file-share",
    "intranet",
    "bi",
    "cctv",
    "telephony",
    "mobile-data",
    "database",
}


@pytest.fixture(scope="module")
def loaded() -> LoadResult:
    return load_inventory([SAMPLE / "inventory.yaml"])


@pytest.fixture(scope="module")
def inventory(loaded: LoadResult) -> Inventory:
    return loaded.inventory


def test_yaml_loads_as_native_yaml_and_is_canonical(loaded: LoadResult) -> None:
    assert loaded.sources == [(str(SAMPLE / "inventory.yaml"), "native-yaml")]
    text = (SAMPLE / "inventory.yaml").read_text(encoding="utf-8")
    assert inventory_to_yaml(loaded.inventory) == text


def test_native_csv_gives_the_same_inventory(inventory: Inventory) -> None:
    result = load_inventory([SAMPLE / "native-csv"])
    assert {fmt for _, fmt in result.sources} == {"native-csv", "native-yaml"}
    assert result.inventory == inventory


def test_cmdb_and_dependency_exports_give_the_same_applications(inventory: Inventory) -> None:
    # The server half of this set is an RVTools workbook generated elsewhere; the native
    # servers.csv stands in for it here so the CMDB-style files are checked on their own.
    result = load_inventory(
        [
            SAMPLE / "exports" / "cmdb.csv",
            SAMPLE / "exports" / "dependencies.csv",
            SAMPLE / "native-csv" / "servers.csv",
        ]
    )
    assert result.inventory.applications == inventory.applications
    assert result.inventory.dependencies == inventory.dependencies


def test_cmdb_export_has_one_row_per_application_server_pair(inventory: Inventory) -> None:
    with (SAMPLE / "exports" / "cmdb.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[:11] == [
        "Application",
        "Server",
        "Owner",
        "Business Criticality",
        "Security Classification",
        "Category",
        "Products",
        "Users",
        "RTO",
        "RPO",
        "Cost Centre",
    ]
    pairs = [(a.name, s) for a in inventory.applications for s in a.servers]
    assert [(row[0], row[1]) for row in rows] == pairs


def test_size_and_mix_of_the_estate(inventory: Inventory) -> None:
    assert len(inventory.applications) >= 60
    assert len(inventory.servers) >= 250
    assert inventory.force == "Exampleshire Police"
    classification = Counter(a.classification for a in inventory.applications)
    share = classification[SecurityClassification.OFFICIAL_SENSITIVE] / len(inventory.applications)
    assert 0.4 <= share <= 0.65
    criticality = Counter(a.criticality for a in inventory.applications)
    assert all(criticality[level] for level in Criticality)
    critical = {a.category for a in inventory.applications if a.criticality is Criticality.CRITICAL}
    assert {"records-management", "command-and-control", "custody"} <= critical


def test_covers_the_systems_a_force_runs(inventory: Inventory) -> None:
    categories = {a.category for a in inventory.applications}
    assert categories >= REQUIRED_CATEGORIES
    products = {(p.vendor, p.product) for a in inventory.applications for p in a.products}
    for expected in [
        ("Microsoft", "Exchange Server"),
        ("Microsoft", "SharePoint Server"),
        ("Microsoft", "SQL Server"),
        ("Citrix", "Virtual Apps and Desktops"),
        ("Veeam", "Backup & Replication"),
        ("Niche Technology", "Niche RMS"),
    ]:
        assert expected in products


def test_servers_look_like_a_real_estate(inventory: Inventory) -> None:
    servers = inventory.servers
    assert {s.datacentre for s in servers} == {"HQ-DC1", "DR-DC2"}
    families = Counter(s.os.family for s in servers)
    assert families[OsFamily.WINDOWS] > families[OsFamily.LINUX] > 0
    assert families[OsFamily.UNIX] >= 3  # AIX and Solaris legacy
    names = {s.os.name for s in servers}
    for release in ("2008 R2", "2012 R2", "2016", "2019", "2022"):
        assert any(release in n for n in names)
    off = sum(1 for s in servers if s.power_state is PowerState.OFF)
    assert 0.03 <= off / len(servers) <= 0.1
    with_utilisation = sum(1 for s in servers if s.utilisation is not None)
    assert 0.8 <= with_utilisation / len(servers) <= 0.9
    assert all(s.fqdn.endswith(".exampleshire.police.uk") for s in servers)
    assert all(s.disks and all(d.used_gib is not None for d in s.disks) for s in servers)
    ips = [ip for s in servers for ip in s.ip_addresses]
    assert len(ips) == len(set(ips))
    assert {ip.split(".")[0] for ip in ips} == {"10", "172"}


def test_every_server_is_claimed_and_every_application_has_servers(inventory: Inventory) -> None:
    claims = Counter(server_key(n) for a in inventory.applications for n in a.servers)
    assert {server_key(s.name) for s in inventory.servers} == set(claims)
    assert all(app.servers for app in inventory.applications)
    assert any(count > 1 for count in claims.values())  # shared SQL clusters, DCs
    derived = [a for a in inventory.applications if a.notes.startswith("derived")]
    assert not derived


def test_retirement_candidates_are_powered_off_and_unused(inventory: Inventory) -> None:
    servers = inventory.server_index()
    unused = [a for a in inventory.applications if a.user_count == 0 and a.servers]
    retired = [
        a
        for a in unused
        if all(servers[n.lower()].power_state is PowerState.OFF for n in a.servers)
    ]
    assert len(retired) >= 3


def test_national_and_partner_dependencies(inventory: Inventory) -> None:
    services = Counter(
        d.service for d in inventory.dependencies if d.kind is DependencyKind.EXTERNAL
    )
    assert services[ExternalService.PNC] >= 3
    assert services[ExternalService.PSN] >= 1
    assert services[ExternalService.NEP] + services[ExternalService.M365] >= 1
    assert services[ExternalService.PND] and services[ExternalService.CJSM]
    app_deps = [d for d in inventory.dependencies if d.kind is DependencyKind.APPLICATION]
    assert any(d.port == 1433 for d in app_deps)
    assert any(d.port == 443 for d in app_deps)


def test_dependency_cycles_are_reported(loaded: LoadResult) -> None:
    cycles = [p.message for p in loaded.warnings if p.code == "cycle"]
    assert any("Niche RMS" in m and "Intelligence Analysis" in m for m in cycles)


def test_hardware_dependencies_are_in_the_notes(inventory: Inventory) -> None:
    notes = " ".join(a.notes for a in inventory.applications).lower()
    for phrase in ("usb licence dongle", "isdn30", "radio console", "local cctv nvrs"):
        assert phrase in notes
