"""The address plan reserves API Management's subnet in the spoke of a wave that publishes an
agency API (Azure), so the stack never has to carve one out of a full spoke."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.sharing import FlowDirection, SharingFlow
from forcelift.migration.plan.network import (
    API_MANAGEMENT_SUBNET,
    plan_addresses,
    spoke_request,
)
from forcelift.migration.plan.planfile import Plan

SMALLSHIRE = Path(__file__).resolve().parent / "data" / "smallshire.yaml"


def test_an_azure_spoke_with_an_agency_api_gets_its_own_27() -> None:
    plain = spoke_request("wave-1", 20, Cloud.AZURE)
    api = spoke_request("wave-1", 20, Cloud.AZURE, agency_api=True)
    assert API_MANAGEMENT_SUBNET not in [s.name for s in plain.subnets]
    (subnet,) = [s for s in api.subnets if s.name == API_MANAGEMENT_SUBNET]
    assert subnet.prefix_length == 27
    aws = spoke_request("wave-1", 20, Cloud.AWS, agency_api=True)
    assert API_MANAGEMENT_SUBNET not in [s.name for s in aws.subnets]  # private API Gateway
    (network,) = [n for n in plan_addresses(Cloud.AZURE, [api]).networks if n.role == "spoke"]
    cidrs = [ipaddress.IPv4Network(s.cidr) for s in network.subnets]
    assert all(c.subnet_of(ipaddress.IPv4Network(network.cidr)) for c in cidrs)
    assert not any(a.overlaps(b) for i, a in enumerate(cidrs) for b in cidrs[i + 1 :])


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    from forcelift.migration.inventory.load import load_inventory

    return load_inventory([str(SMALLSHIRE)]).inventory


def _plan(inventory: Inventory, *flows: SharingFlow) -> Plan:
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions

    inventory = inventory.model_copy(update={"sharing": flows})
    return build_plan(
        PlanRequest(
            inventory,
            classify(inventory, as_of=dt.date(2026, 11, 25)),
            PlanOptions(clouds=("azure", "aws")),
            ("smallshire.yaml",),
        )
    )


def _api_subnets(plan: Plan, cloud: str) -> dict[int, str]:
    return {
        w.number: s.cidr
        for w in plan.cloud(cloud).waves
        for s in w.spoke.subnets
        if s.name == API_MANAGEMENT_SUBNET
    }


def test_only_the_wave_that_publishes_an_api_gets_the_subnet(inventory: Inventory) -> None:
    nca = "National Crime Agency"
    plan = _plan(
        inventory,
        SharingFlow(application="Niche RMS", partner=nca, api=True),
        # not published by this force, or not an API: no API Management of ours
        SharingFlow(application="Custody", partner=nca, api=True, direction=FlowDirection.INBOUND),
        SharingFlow(application="Custody", partner=nca),
    )
    (wave,) = [w.wave for w in plan.cloud("azure").workloads if w.application == "Niche RMS"]
    assert list(_api_subnets(plan, "azure")) == [wave]
    assert _api_subnets(plan, "aws") == {}
    (hosted,) = [h for h in plan.cloud("azure").sharing.hosted if h.api]
    assert hosted.application == "Niche RMS"  # the plan's host side agrees with the subnet
    assert _api_subnets(_plan(inventory), "azure") == {}
