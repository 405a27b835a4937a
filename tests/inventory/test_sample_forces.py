"""Exampleshire's neighbours, Northmoor and Eastdale, and the Northern Region collaboration: the
builder reproduces them, they read cleanly, and they share the products and partners the
multi-force plan is meant to find."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from forcelift.migration.inventory.collaboration import load_collaboration
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.sharing import FlowDirection, Partner
from forcelift.migration.inventory.writer import inventory_to_yaml

REPO = Path(__file__).resolve().parents[2]
BUILDER = REPO / "tools" / "build_exampleshire.py"
COLLABORATION = REPO / "inventories" / "northern-region" / "collaboration.yaml"
FORCES = ("exampleshire", "northmoor", "eastdale")


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_exampleshire", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def inventories() -> dict[str, Inventory]:
    return {
        slug: load_inventory([REPO / "inventories" / slug / "inventory.yaml"]).inventory
        for slug in FORCES
    }


@pytest.mark.parametrize(
    ("slug", "force", "servers", "applications"),
    [("northmoor", "Northmoor Constabulary", 56, 22), ("eastdale", "Eastdale Police", 48, 20)],
)
def test_the_builder_reproduces_each_neighbour(
    builder: ModuleType,
    inventories: dict[str, Inventory],
    tmp_path: Path,
    slug: str,
    force: str,
    servers: int,
    applications: int,
) -> None:
    written = builder.build(tmp_path, REPO / "tools" / "data" / slug)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["inventory.yaml"]
    committed = REPO / "inventories" / slug / "inventory.yaml"
    assert (tmp_path / "inventory.yaml").read_bytes() == committed.read_bytes()
    inventory = inventories[slug]
    assert inventory_to_yaml(inventory) == committed.read_text(encoding="utf-8")  # canonical
    assert (inventory.force, len(inventory.servers), len(inventory.applications)) == (
        force,
        servers,
        applications,
    )
    prefix = {"northmoor": "NMC-", "eastdale": "EDP-"}[slug]
    assert all(s.name.startswith(prefix) for s in inventory.servers)


def test_the_command_builds_a_neighbour_by_slug(builder: ModuleType, tmp_path: Path) -> None:
    assert builder.main(["--force", "eastdale", "--out", str(tmp_path)]) == 0
    committed = REPO / "inventories" / "eastdale" / "inventory.yaml"
    assert (tmp_path / "inventory.yaml").read_bytes() == committed.read_bytes()


def _products(inventory: Inventory) -> dict[tuple[str, str], str]:
    """(vendor, product) of each application's main product -> the application."""
    return {(a.products[0].vendor, a.products[0].product): a.name for a in inventory.applications}


def test_the_forces_share_products(inventories: dict[str, Inventory]) -> None:
    forces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for slug, inventory in inventories.items():
        for product in _products(inventory):
            forces[product].add(slug)
    shared = {product: slugs for product, slugs in forces.items() if len(slugs) > 1}
    assert shared[("Niche Technology", "Niche RMS")] == set(FORCES)
    assert shared[("NEC Software Solutions", "CONNECT Custody")] == set(FORCES)
    assert shared[("Crown", "Duty Management System")] == set(FORCES)
    assert shared[("Microsoft", "Microsoft 365")] == {"northmoor", "eastdale"}
    assert shared[("Sopra Steria", "STORM")] == {"exampleshire", "eastdale"}
    assert shared[("NICE", "Investigate")] == {"exampleshire", "northmoor"}
    # and each keeps systems of its own
    assert ("Capita", "ControlWorks") in _products(inventories["northmoor"])
    assert ("Eastdale Police", "Vulnerability Referral Hub") in _products(inventories["eastdale"])


def test_every_sample_flow_has_an_agreement_and_a_known_partner(
    inventories: dict[str, Inventory],
) -> None:
    for slug, inventory in inventories.items():
        names = {p.name for p in inventory.partners}
        apps = {a.name for a in inventory.applications}
        assert inventory.sharing, slug
        for flow in inventory.sharing:
            assert flow.agreement.startswith(("ISA-", "DSA-")), (slug, flow)
            assert flow.partner in names and flow.application in apps, (slug, flow)
    exampleshire = {(f.application, f.partner): f for f in inventories["exampleshire"].sharing}
    custody = exampleshire[("Custody", "Crown Prosecution Service")]
    assert (custody.api, custody.agreement) == (True, "ISA-EXS-CPS-2024-003")
    inbound = exampleshire[("Niche RMS", "HM Prison and Probation Service")]
    assert inbound.direction is FlowDirection.INBOUND
    hmpps = inventories["exampleshire"].partner_index()["hmpps"]
    assert hmpps.endpoint.startswith("com.amazonaws.vpce.eu-west-2.vpce-svc-")


def test_national_partners_are_the_same_everywhere(inventories: dict[str, Inventory]) -> None:
    common = yaml.safe_load((REPO / "tools" / "data" / "partners.yaml").read_text("utf-8"))
    national = tuple(Partner.model_validate(entry) for entry in common["partners"])
    collaboration = load_collaboration(COLLABORATION)
    assert collaboration.partners == national
    for slug, inventory in inventories.items():
        for partner in inventory.partners:
            if partner.kind.value == "national-body":
                assert partner in national, (slug, partner.name)


def test_the_collaboration_reads_with_its_inventories(inventories: dict[str, Inventory]) -> None:
    collaboration = load_collaboration(COLLABORATION)
    assert [f.slug for f in collaboration.forces] == list(FORCES)
    assert collaboration.aws_collaboration_ou == "ou-nr01-4f7c2a9b"
    (service,) = collaboration.shared_services
    assert service.host == "northmoor"
    assert service.consumers == (
        "exampleshire",
        "eastdale",
        "Northern Regional Organised Crime Unit",
    )
    assert service.application in {a.name for a in inventories["northmoor"].applications}
    for force in collaboration.forces:
        assert force.azure_subscription and len(force.aws_account) == 12
        loaded = load_inventory(
            list(collaboration.inventory_paths(force.slug)),
            partners=collaboration.known_partners(force.slug),
        )
        assert loaded.inventory.force == force.name  # read without an InputError
        assert loaded.inventory.sharing == inventories[force.slug].sharing
