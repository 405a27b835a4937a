"""What the estate costs to run on premise today, per server, workload and wave.

The model follows the Azure Migrate business case: hardware refresh amortised over its life,
storage and network hardware with maintenance, power at the data centre's PUE (energy from the
carbon model, so cost and carbon agree), space, operational support and licences. Defaults and
their sources are in data/onprem-defaults.yaml; every figure can be overridden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

from pydantic import Field

from forcelift.migration.inventory.model import OsFamily, Server
from forcelift.migration.plan.carbon import (
    CarbonRates,
    Coefficients,
    carbon_rates,
    load_coefficients,
    onprem_energy_kwh,
)
from forcelift.migration.plan.datafiles import (
    Frozen,
    Provenance,
    read_data,
    trusted,
    validate,
    with_overrides,
)
from forcelift.migration.plan.paas_kind import sql_edition

Money = Annotated[float, Field(ge=0)]
Years = Annotated[float, Field(gt=0)]


class Hardware(Frozen):
    cost_per_core_slope: Money
    cost_per_core_intercept: Money
    vcpus_per_physical_core: Annotated[float, Field(gt=0)]
    depreciation_years: Years
    source: str


class Storage(Frozen):
    cost_per_gib: Money
    depreciation_years: Years
    maintenance_percent: Money
    source: str


class NetworkCost(Frozen):
    percent_of_hardware: Money
    depreciation_years: Years
    maintenance_percent: Money
    source: str


class Power(Frozen):
    price_per_kwh: Money
    source: str


class Space(Frozen):
    per_rack_unit_month: Money
    host_rack_units: Annotated[float, Field(gt=0)]
    host_physical_cores: Annotated[float, Field(gt=0)]
    source: str


class Support(Frozen):
    security_per_server: Money
    security_per_sql_server: Money
    monitoring_per_server: Money
    patching_per_server: Money
    backup_per_server: Money
    backup_per_gib_month: Money
    source: str


class Licences(Frozen):
    windows_datacenter_per_core: Money
    sql_standard_per_core: Money
    sql_enterprise_per_core: Money
    sql_min_cores: Annotated[int, Field(ge=0)]
    software_assurance_percent: Money
    depreciation_years: Years
    linux_per_server_year: Money
    virtualisation_per_physical_core_year: Money
    source: str


class OnPremAssumptions(Frozen):
    provenance: Provenance
    hardware: Hardware
    storage: Storage
    network: NetworkCost
    power: Power
    space: Space
    support: Support
    licences: Licences


class OnPremCost(Frozen):
    """A year on premise by category (USD unless converted); total is the sum of the parts."""

    hardware: float = 0
    storage: float = 0
    network: float = 0
    power: float = 0
    space: float = 0
    support: float = 0
    licences: float = 0
    annual: float = 0
    monthly: float = 0


CATEGORIES = ("hardware", "storage", "network", "power", "space", "support", "licences")


class WorkloadOnPremCost(Frozen):
    application: str
    cost: OnPremCost


@lru_cache(maxsize=1)
def load_onprem_defaults() -> OnPremAssumptions:
    return validate(OnPremAssumptions, read_data("onprem-defaults.yaml"), "onprem-defaults.yaml")


def onprem_assumptions(overrides: Mapping[str, Any] | None = None) -> OnPremAssumptions:
    """The shipped defaults with a force's own figures applied (unknown keys refused)."""
    return with_overrides(load_onprem_defaults(), overrides, "on-premise cost overrides")


class _Rates(NamedTuple):
    """Per-server multipliers derived once from the assumptions (hot loop on big estates)."""

    vcpus_per_physical: float
    core_slope: float
    core_intercept: float
    hardware_years: float
    storage_per_gib_year: float  # depreciation + maintenance of 1 GiB
    network_factor: float  # of hardware + storage acquisition, depreciation + maintenance
    power_per_kwh: float
    space_per_physical_core: float
    support_base: float
    support_sql: float
    backup_per_gib_year: float
    licence_factor: float  # share of a licence's price paid a year (amortised + assurance)
    windows_per_core: float
    sql_standard_per_core: float
    sql_enterprise_per_core: float
    sql_min_cores: int
    virtualisation_per_core: float
    linux_per_server: float


def _rates(a: OnPremAssumptions) -> _Rates:
    st, net, lic, sup = a.storage, a.network, a.licences, a.support
    return _Rates(
        vcpus_per_physical=a.hardware.vcpus_per_physical_core,
        core_slope=a.hardware.cost_per_core_slope,
        core_intercept=a.hardware.cost_per_core_intercept,
        hardware_years=a.hardware.depreciation_years,
        storage_per_gib_year=st.cost_per_gib
        * (1 / st.depreciation_years + st.maintenance_percent / 100),
        network_factor=net.percent_of_hardware
        / 100
        * (1 / net.depreciation_years + net.maintenance_percent / 100),
        power_per_kwh=a.power.price_per_kwh,
        space_per_physical_core=a.space.host_rack_units
        / a.space.host_physical_cores
        * a.space.per_rack_unit_month
        * 12,
        support_base=sup.monitoring_per_server + sup.patching_per_server + sup.backup_per_server,
        support_sql=sup.security_per_sql_server,
        backup_per_gib_year=sup.backup_per_gib_month * 12,
        licence_factor=1 / lic.depreciation_years + lic.software_assurance_percent / 100,
        windows_per_core=lic.windows_datacenter_per_core,
        sql_standard_per_core=lic.sql_standard_per_core,
        sql_enterprise_per_core=lic.sql_enterprise_per_core,
        sql_min_cores=lic.sql_min_cores,
        virtualisation_per_core=lic.virtualisation_per_physical_core_year,
        linux_per_server=lic.linux_per_server_year,
    )


class OnPremRates:
    """Assumptions turned into per-core and per-GiB multipliers once, for a whole plan.

    `onprem_cost` takes assumptions or one of these: a plan costs every application with one
    `OnPremRates` (and one `CarbonRates`), so the multipliers are derived once, not per call.
    """

    def __init__(self, assumptions: OnPremAssumptions) -> None:
        self.assumptions = assumptions
        self.rates = _rates(assumptions)


def _server_parts(
    server: Server, a: OnPremAssumptions, k: _Rates, energy_kwh: float
) -> tuple[float, float, float, float, float, float, float]:
    if server.cores is None or server.memory_mib is None:
        return (0.0,) * 7  # unsized: left out, the plan lists it with the reason
    cores = server.cores
    physical = cores / k.vcpus_per_physical
    gib_per_thread = server.memory_mib / 1024 / cores  # a vCPU is a hyper-threaded core
    provisioned = used = 0.0
    for disk in server.disks:
        provisioned += disk.provisioned_gib
        used += disk.provisioned_gib if disk.used_gib is None else disk.used_gib
    hardware_buy = physical * (k.core_slope * gib_per_thread + k.core_intercept)
    storage_buy = provisioned * a.storage.cost_per_gib
    edition = sql_edition(server) if server.software else ""
    family = server.os.family
    buy = physical * k.windows_per_core if family is OsFamily.WINDOWS else 0.0
    if edition:
        per_core = k.sql_enterprise_per_core if edition == "enterprise" else k.sql_standard_per_core
        buy += max(k.sql_min_cores, cores) * per_core
    licences = buy * k.licence_factor + physical * k.virtualisation_per_core
    if family is OsFamily.LINUX:
        licences += k.linux_per_server
    return (
        hardware_buy / k.hardware_years,
        provisioned * k.storage_per_gib_year,
        (hardware_buy + storage_buy) * k.network_factor,
        energy_kwh * k.power_per_kwh,
        physical * k.space_per_physical_core,
        (k.support_sql if edition else a.support.security_per_server)
        + k.support_base
        + used * k.backup_per_gib_year,
        licences,
    )


def onprem_cost(
    servers: Iterable[Server],
    assumptions: OnPremAssumptions | OnPremRates | None = None,
    coefficients: Coefficients | None = None,
    *,
    exchange_rate: float = 1.0,
) -> OnPremCost:
    """A year of these servers on premise; `exchange_rate` converts USD to the report currency."""
    rated = (
        assumptions
        if isinstance(assumptions, OnPremRates)
        else OnPremRates(assumptions or load_onprem_defaults())
    )
    a, k = rated.assumptions, rated.rates
    c: CarbonRates = carbon_rates(coefficients or load_coefficients())
    totals = [0.0] * len(CATEGORIES)
    for server in servers:
        server_parts = _server_parts(server, a, k, onprem_energy_kwh(server, c))
        for i in range(len(totals)):
            totals[i] += server_parts[i]
    totals = [t * exchange_rate for t in totals]
    parts = {name: round(value, 2) for name, value in zip(CATEGORIES, totals, strict=True)}
    annual = round(math.fsum(parts.values()), 2)
    return trusted(OnPremCost, **parts, annual=annual, monthly=round(annual / 12, 2))


def workload_onprem_cost(
    application: str,
    servers: Sequence[Server],
    assumptions: OnPremAssumptions | OnPremRates | None = None,
    coefficients: Coefficients | None = None,
    *,
    exchange_rate: float = 1.0,
) -> WorkloadOnPremCost:
    return trusted(
        WorkloadOnPremCost,
        application=application,
        cost=onprem_cost(servers, assumptions, coefficients, exchange_rate=exchange_rate),
    )


def sum_onprem(costs: Iterable[OnPremCost]) -> OnPremCost:
    """Category-by-category sums of rounded parts: totals equal the sum of their parts."""
    items = list(costs)
    parts = {name: round(math.fsum(getattr(c, name) for c in items), 2) for name in CATEGORIES}
    annual = round(math.fsum(parts.values()), 2)
    return trusted(OnPremCost, **parts, annual=annual, monthly=round(annual / 12, 2))
