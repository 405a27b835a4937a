"""Results built without validation (datafiles.trusted) are exactly what validation gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from pydantic import BaseModel

from forcelift.migration.clouds import DEFAULT_REGION, Cloud
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.synth import synthesise
from forcelift.migration.plan.carbon import carbon_summary, load_coefficients, workload_carbon
from forcelift.migration.plan.cost import Pricer, Rates, cost_summary
from forcelift.migration.plan.datafiles import trusted
from forcelift.migration.plan.onprem_cost import sum_onprem, workload_onprem_cost
from forcelift.migration.plan.prices import load_prices
from forcelift.migration.plan.sizing import Sizer, assign_servers
from forcelift.migration.plan.waves import HybridLink, plan_waves

from .conftest import DATA, load_smallshire

_MIX = ("IAAS", "IAAS", "PAAS", "SAAS", "RETAIN", "RETIRE")


def _models(value: object) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for field in type(value).model_fields:
            yield from _models(getattr(value, field))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _models(item)


def _everything(inventory: Inventory, decisions: dict[str, str]) -> list[object]:
    plan = plan_waves(inventory.applications, inventory.dependencies, decisions)
    wave_of = plan.wave_of()
    owned = assign_servers(inventory)
    out: list[object] = [plan]
    for cloud in Cloud:
        prices = load_prices(cloud, DEFAULT_REGION[cloud])
        sizer, pricer = Sizer(cloud, prices), Pricer(prices)
        targets = [
            sizer.workload(a.name, owned.servers[a.name], decisions[a.name], premium_disks=True)
            for a in inventory.applications
        ]
        costs = [pricer.workload(t) for t in targets]
        footprints = [
            workload_carbon(
                t.application,
                owned.servers[t.application],
                t,
                load_coefficients(),
                DEFAULT_REGION[cloud],
            )
            for t in targets
        ]
        out += [targets, costs, cost_summary(costs, wave_of), footprints]
        out.append(carbon_summary(footprints, wave_of))
    onprem = [workload_onprem_cost(a.name, owned.servers[a.name]) for a in inventory.applications]
    out += [onprem, sum_onprem(o.cost for o in onprem)]
    return out


@pytest.mark.parametrize("estate", ["smallshire", "synthetic"])
def test_every_result_revalidates_to_itself(estate: str) -> None:
    if estate == "smallshire":
        inventory = load_smallshire()
        decisions = yaml.safe_load((DATA / "smallshire-decisions.yaml").read_text())
    else:
        inventory = synthesise(400, 3)
        decisions = {a.name: _MIX[i % len(_MIX)] for i, a in enumerate(inventory.applications)}
    seen: set[str] = set()
    for model in _models(_everything(inventory, decisions)):
        dumped = model.model_dump(mode="json")
        again = type(model).model_validate(model.model_dump())
        assert again.model_dump(mode="json") == dumped, type(model).__name__
        assert list(model.__dict__) == list(type(model).model_fields)  # declared order
        seen.add(type(model).__name__)
    assert {"VmSizing", "CostLine", "Rates", "Footprint", "WaveWorkload", "HybridLink"} <= seen


def test_trusted_refuses_unknown_and_missing_fields() -> None:
    assert trusted(Rates, payg=1.0) == Rates(payg=1.0)
    with pytest.raises(TypeError, match="unknown fields"):
        trusted(Rates, monthly=1.0)
    with pytest.raises(TypeError, match="missing field"):
        trusted(HybridLink, source="a")
