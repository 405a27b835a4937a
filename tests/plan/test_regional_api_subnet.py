"""A collaboration's `api: true` shared service with no inventory flow behind it still gets the
api-management /27 in the host's Azure wave spoke: the address plan is made before the
collaboration's services are placed, so the host's PlanRequest says which applications need it
(PlanRequest.api_hosts, from migration/regional_pipeline.api_hosts)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest

from forcelift.migration.inventory.collaboration import Collaboration, load_collaboration
from forcelift.migration.pipeline import Inputs
from forcelift.migration.plan.network import API_MANAGEMENT_SUBNET
from forcelift.migration.plan.planfile import Plan, PlanOptions
from forcelift.migration.regional_pipeline import make_regional_plan

DATA = Path(__file__).parent / "data" / "collaboration"
AS_OF = dt.date(2026, 6, 1)
APP = "ROCU Intelligence"


@pytest.fixture(scope="module")
def collaboration() -> Collaboration:
    return load_collaboration(DATA / "collaboration.yaml")


def _with_api(collaboration: Collaboration, api: bool, application: str = APP) -> Collaboration:
    (service,) = collaboration.shared_services
    changed = service.model_copy(update={"api": api, "application": application})
    return collaboration.model_copy(update={"shared_services": (changed,)})


def _host(collaboration: Collaboration) -> Plan:
    options = PlanOptions(clouds=("azure", "aws"))
    planned = make_regional_plan(collaboration, options, Inputs(paths=(), as_of=AS_OF))
    return planned.plan.force("northshire")


def _api_subnets(plan: Plan, cloud: str) -> dict[int, str]:
    return {
        w.number: s.cidr
        for w in plan.cloud(cloud).waves
        for s in w.spoke.subnets
        if s.name == API_MANAGEMENT_SUBNET
    }


def _wave_of(plan: Plan, cloud: str) -> int:
    (wave,) = [w.wave for w in plan.cloud(cloud).workloads if w.application == APP]
    assert wave is not None
    return wave


def test_the_host_spoke_reserves_the_api_management_subnet(collaboration: Collaboration) -> None:
    # the inventories have no sharing flow at all: only the collaboration says "api"
    host = _host(_with_api(collaboration, True, application="rocu intelligence"))
    (hosted,) = host.cloud("azure").sharing.hosted
    assert hosted.api and hosted.application == APP
    wave = _wave_of(host, "azure")
    subnets = _api_subnets(host, "azure")
    assert list(subnets) == [wave]  # that wave's spoke only
    cidr = ipaddress.IPv4Network(subnets[wave])
    assert cidr.prefixlen == 27
    (spoke,) = [w.spoke for w in host.cloud("azure").waves if w.number == wave]
    assert cidr.subnet_of(ipaddress.IPv4Network(spoke.cidr))
    others = [ipaddress.IPv4Network(s.cidr) for s in spoke.subnets if s.cidr != subnets[wave]]
    assert not any(cidr.overlaps(o) for o in others)
    assert _api_subnets(host, "aws") == {}  # AWS fronts it with a private API Gateway


def test_no_api_no_subnet(collaboration: Collaboration) -> None:
    host = _host(_with_api(collaboration, False))
    assert _api_subnets(host, "azure") == {}
    assert not host.cloud("azure").sharing.hosted[0].api


def test_consumers_reserve_nothing(collaboration: Collaboration) -> None:
    options = PlanOptions(clouds=("azure",))
    planned = make_regional_plan(
        _with_api(collaboration, True), options, Inputs(paths=(), as_of=AS_OF)
    )
    assert _api_subnets(planned.plan.force("southshire"), "azure") == {}
