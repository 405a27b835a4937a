"""Annual energy and emissions, on premise versus in the cloud (Cloud Carbon Footprint method).

Operational: energy (compute + memory + storage, kWh) x PUE x grid intensity. Compute watts per
vCPU = min + utilisation x (max - min), with the observed utilisation when there is one and
50 % otherwise; in the cloud the same observed demand runs on the right-sized target, so
utilisation there is demand / target vCPUs. Embodied: total embodied x (a year / lifespan) x
(vCPUs reserved / host vCPUs). Every coefficient lives in data/carbon-coefficients.yaml with its
source and can be overridden. See docs/cost-and-carbon.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

from pydantic import Field

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Server
from forcelift.migration.plan.datafiles import (
    Frozen,
    Provenance,
    read_data,
    trusted,
    validate,
    with_overrides,
)
from forcelift.migration.plan.sizing import PaasKind, WorkloadTarget
from forcelift.migration.plan.wave_model import by_wave

Positive = Annotated[float, Field(ge=0)]


class Sourced(Frozen):
    value: Positive
    source: str


class Watts(Frozen):
    min_watts: Positive
    max_watts: Positive
    source: str


class ComputeCoefficients(Frozen):
    aws: Watts
    azure: Watts
    onprem: Watts


class MemoryCoefficient(Frozen):
    kwh_per_gib_hour: Positive
    source: str


class StorageCoefficients(Frozen):
    hdd_wh_per_tb_hour: Positive
    ssd_wh_per_tb_hour: Positive
    source: str
    onprem_type: str = "hdd"
    onprem_replication: Positive = 1
    onprem_note: str = ""
    azure_replication: Positive = 3
    aws_replication: Positive = 2
    replication_source: str = ""
    object_replication: Positive = 3


class Pue(Frozen):
    aws: Annotated[float, Field(ge=1)]
    azure: Annotated[float, Field(ge=1)]
    onprem: Annotated[float, Field(ge=1)]
    source: str


class Embodied(Frozen):
    base_kgco2e: Positive
    per_extra_cpu_kgco2e: Positive
    per_gib_memory_above_16_kgco2e: Positive
    host_cpus: Annotated[int, Field(ge=1)]
    host_memory_gib: Positive
    host_vcpus: Annotated[int, Field(ge=1)]
    lifespan_years: Annotated[float, Field(gt=0)]
    source: str

    def per_vcpu_year(self) -> float:
        total = (
            self.base_kgco2e
            + self.per_extra_cpu_kgco2e * (self.host_cpus - 1)
            + self.per_gib_memory_above_16_kgco2e * max(0.0, self.host_memory_gib - 16)
        )
        return total / self.lifespan_years / self.host_vcpus


class CarbonCoefficients(Frozen):
    provenance: Provenance
    hours_per_year: Positive = 8760
    default_utilisation_percent: Sourced
    compute: ComputeCoefficients
    memory: MemoryCoefficient
    storage: StorageCoefficients
    pue: Pue
    grid_kg_per_kwh: dict[str, Positive | str]
    embodied: Embodied

    def grid(self, key: str) -> float:
        value = self.grid_kg_per_kwh.get(key)
        if not isinstance(value, int | float):
            known = sorted(k for k, v in self.grid_kg_per_kwh.items() if not isinstance(v, str))
            raise InputError(
                f"no grid carbon intensity for {key!r}",
                hint=f"add it under grid_kg_per_kwh (known: {', '.join(known)})",
            )
        return float(value)


class Footprint(Frozen):
    """A year of energy and emissions; totals are the sum of their parts."""

    compute_kwh: float = 0
    memory_kwh: float = 0
    storage_kwh: float = 0
    energy_kwh: float = 0  # (compute + memory + storage) x PUE
    operational_kgco2e: float = 0
    embodied_kgco2e: float = 0
    total_kgco2e: float = 0


class WorkloadCarbon(Frozen):
    application: str
    onprem: Footprint
    cloud: Footprint


class WaveCarbon(Frozen):
    wave: int
    onprem: Footprint
    cloud: Footprint


class CarbonSummary(Frozen):
    waves: tuple[WaveCarbon, ...]
    unscheduled_onprem: Footprint
    unscheduled_cloud: Footprint
    onprem: Footprint
    cloud: Footprint


@lru_cache(maxsize=1)
def load_coefficients() -> CarbonCoefficients:
    return validate(
        CarbonCoefficients, read_data("carbon-coefficients.yaml"), "carbon-coefficients.yaml"
    )


def carbon_coefficients(overrides: Mapping[str, Any] | None = None) -> CarbonCoefficients:
    """The shipped coefficients with a user's overrides applied (unknown keys refused)."""
    return with_overrides(load_coefficients(), overrides, "carbon overrides")


class _Acc:
    """Plain-float accumulator: models are built once per workload, not per server."""

    __slots__ = ("compute", "embodied", "memory", "operational", "storage")

    def __init__(self) -> None:
        self.compute = self.memory = self.storage = self.operational = self.embodied = 0.0

    def add(
        self,
        compute: float,
        memory: float,
        storage: float,
        pue: float,
        grid: float,
        embodied: float,
    ) -> None:
        self.compute += compute
        self.memory += memory
        self.storage += storage
        self.operational += (compute + memory + storage) * pue * grid
        self.embodied += embodied

    def footprint(self, pue_energy: float) -> Footprint:
        compute, memory, storage = (
            round(self.compute, 2),
            round(self.memory, 2),
            round(self.storage, 2),
        )
        operational, embodied = round(self.operational, 2), round(self.embodied, 2)
        return trusted(
            Footprint,
            compute_kwh=compute,
            memory_kwh=memory,
            storage_kwh=storage,
            energy_kwh=round(pue_energy, 2),
            operational_kgco2e=operational,
            embodied_kgco2e=embodied,
            total_kgco2e=round(operational + embodied, 2),
        )


class _OnPremRates(NamedTuple):
    """Per-server multipliers derived once from the coefficients (hot loop on big estates)."""

    compute_min: float  # kWh a year per vCPU at 0 % utilisation
    compute_span: float  # extra kWh a year per vCPU at 100 %
    default_utilisation: float
    memory: float  # kWh a year per GiB
    storage: float  # kWh a year per GiB provisioned (copies included)
    embodied: float  # kg CO2e a year per vCPU
    pue: float
    grid: float


def _onprem_rates(c: CarbonCoefficients) -> _OnPremRates:
    hours = c.hours_per_year
    watts = c.compute.onprem
    storage_wh = (
        c.storage.ssd_wh_per_tb_hour
        if c.storage.onprem_type == "ssd"
        else c.storage.hdd_wh_per_tb_hour
    )
    return _OnPremRates(
        compute_min=watts.min_watts * hours / 1000,
        compute_span=(watts.max_watts - watts.min_watts) * hours / 1000,
        default_utilisation=c.default_utilisation_percent.value / 100,
        memory=c.memory.kwh_per_gib_hour * hours,
        storage=storage_wh * c.storage.onprem_replication * hours / 1000 / 1024,
        embodied=c.embodied.per_vcpu_year(),
        pue=c.pue.onprem,
        grid=c.grid("onprem"),
    )


def onprem_energy_kwh(server: Server, coefficients: Coefficients) -> float:
    """A year of one server's energy on premise, PUE included (what the power bill pays for)."""
    rates = carbon_rates(coefficients).onprem
    compute, memory, storage, _ = _onprem_parts(server, rates)
    return (compute + memory + storage) * rates.pue


def _onprem_parts(server: Server, k: _OnPremRates) -> tuple[float, float, float, float]:
    if server.cores is None or server.memory_mib is None:
        return (0.0, 0.0, 0.0, 0.0)  # unsized: left out, the plan lists it with the reason
    util = server.utilisation
    cpu = util.cpu_percent if util is not None else None
    utilisation = k.default_utilisation if cpu is None else cpu / 100
    cores = server.cores
    provisioned = 0.0
    for disk in server.disks:
        provisioned += disk.provisioned_gib
    return (
        cores * (k.compute_min + utilisation * k.compute_span),
        server.memory_mib / 1024 * k.memory,
        provisioned * k.storage,
        cores * k.embodied,
    )


def onprem_footprint(servers: Iterable[Server], coefficients: Coefficients) -> Footprint:
    """A year of the servers as they run today."""
    k = carbon_rates(coefficients).onprem
    compute = memory = storage = embodied = 0.0
    for server in servers:
        parts = _onprem_parts(server, k)
        compute += parts[0]
        memory += parts[1]
        storage += parts[2]
        embodied += parts[3]
    acc = _Acc()
    acc.add(compute, memory, storage, k.pue, k.grid, embodied)
    return acc.footprint((compute + memory + storage) * k.pue)


class _CloudRates(NamedTuple):
    """Per-vCPU, per-GiB multipliers for one cloud and region, derived once."""

    compute_min: float  # kWh a year per vCPU at 0 % utilisation
    compute_span: float  # extra kWh a year per busy vCPU
    default_utilisation: float
    memory: float  # kWh a year per GiB
    disk: float  # kWh a year per GiB of managed disk / volume (SSD, copies included)
    database: float  # kWh a year per GiB of database storage (SSD, copies included)
    objects: float  # kWh a year per GiB of object / file storage (HDD, copies included)
    embodied: float  # kg CO2e a year per vCPU
    pue: float
    grid: float


def _cloud_rates(c: CarbonCoefficients, cloud: Cloud, region: str) -> _CloudRates:
    hours = c.hours_per_year
    watts = c.compute.azure if cloud is Cloud.AZURE else c.compute.aws
    st = c.storage
    copies = st.azure_replication if cloud is Cloud.AZURE else st.aws_replication
    per_gib = hours / 1000 / 1024  # Wh per TB-hour -> kWh a year per GiB
    return _CloudRates(
        compute_min=watts.min_watts * hours / 1000,
        compute_span=(watts.max_watts - watts.min_watts) * hours / 1000,
        default_utilisation=c.default_utilisation_percent.value / 100,
        memory=c.memory.kwh_per_gib_hour * hours,
        disk=st.ssd_wh_per_tb_hour * copies * per_gib,
        database=st.ssd_wh_per_tb_hour * copies * per_gib,
        objects=st.hdd_wh_per_tb_hour * st.object_replication * per_gib,
        embodied=c.embodied.per_vcpu_year(),
        pue=c.pue.azure if cloud is Cloud.AZURE else c.pue.aws,
        grid=c.grid(region),
    )


class CarbonRates:
    """Coefficients turned into per-vCPU and per-GiB multipliers once, for a whole plan.

    Every function here takes coefficients or one of these: with coefficients it derives the
    multipliers on each call (fine for one server); a plan builds one `CarbonRates` and passes
    it to every call, so a 100,000-server estate derives them once, not per workload.
    """

    def __init__(self, coefficients: CarbonCoefficients) -> None:
        self.coefficients = coefficients
        self.onprem = _onprem_rates(coefficients)
        self._cloud: dict[tuple[Cloud, str], _CloudRates] = {}

    def cloud(self, cloud: Cloud, region: str) -> _CloudRates:
        key = (cloud, region)
        found = self._cloud.get(key)
        if found is None:
            found = self._cloud[key] = _cloud_rates(self.coefficients, cloud, region)
        return found


Coefficients = CarbonCoefficients | CarbonRates


def carbon_rates(coefficients: Coefficients) -> CarbonRates:
    """The rates for `coefficients` (itself when it already is one)."""
    return coefficients if isinstance(coefficients, CarbonRates) else CarbonRates(coefficients)


def _busy(demand: float | None, vcpus: int, default: float) -> float:
    """Busy vCPUs: the observed demand (at most all of them), else the default share."""
    return vcpus * default if demand is None else min(float(vcpus), demand)


def cloud_footprint(target: WorkloadTarget, coefficients: Coefficients, region: str) -> Footprint:
    """A year of the workload on its target VMs and platform services."""
    k = carbon_rates(coefficients).cloud(target.cloud, region)
    compute = memory = storage = embodied = 0.0
    for vm in target.vms:
        vcpus = vm.vcpus
        compute += (
            vcpus * k.compute_min
            + _busy(vm.cpu_demand_vcpus, vcpus, k.default_utilisation) * k.compute_span
        )
        memory += vm.memory_gib * k.memory
        for disk in vm.disks:
            storage += disk.size_gib * k.disk
        embodied += vcpus * k.embodied
    for service in target.paas:
        vcpus = service.vcpus * service.instances
        compute += (
            vcpus * k.compute_min
            + _busy(service.cpu_demand_vcpus, vcpus, k.default_utilisation) * k.compute_span
        )
        memory += service.memory_gib * service.instances * k.memory
        per_gib = k.objects if service.kind in _OBJECT_KINDS else k.database
        storage += service.storage_gib * per_gib
        embodied += vcpus * k.embodied
    acc = _Acc()
    acc.add(compute, memory, storage, k.pue, k.grid, embodied)
    return acc.footprint((compute + memory + storage) * k.pue)


_OBJECT_KINDS = (PaasKind.OBJECT_STORAGE, PaasKind.FILE_STORAGE)


def workload_carbon(
    application: str,
    servers: Sequence[Server],
    target: WorkloadTarget,
    coefficients: Coefficients,
    region: str,
) -> WorkloadCarbon:
    """One application's year today (its servers) and in the cloud (its target)."""
    rates = carbon_rates(coefficients)
    return trusted(
        WorkloadCarbon,
        application=application,
        onprem=onprem_footprint(servers, rates),
        cloud=cloud_footprint(target, rates, region),
    )


def sum_footprints(footprints: Iterable[Footprint]) -> Footprint:
    """Field-by-field sums of already-rounded parts, so totals equal the sum of their parts."""
    items = list(footprints)
    fields = (
        "compute_kwh",
        "memory_kwh",
        "storage_kwh",
        "energy_kwh",
        "operational_kgco2e",
        "embodied_kgco2e",
    )
    sums = {f: round(math.fsum(getattr(x, f) for x in items), 2) for f in fields}
    sums["total_kgco2e"] = round(math.fsum(x.total_kgco2e for x in items), 2)
    return trusted(Footprint, **sums)


def carbon_summary(
    workloads: Sequence[WorkloadCarbon], wave_of: Mapping[str, int]
) -> CarbonSummary:
    """Per wave and in total; workloads in no wave (retained, retired) count as unscheduled."""
    grouped, unscheduled = by_wave(workloads, wave_of)
    waves = tuple(
        WaveCarbon(
            wave=n,
            onprem=sum_footprints(w.onprem for w in items),
            cloud=sum_footprints(w.cloud for w in items),
        )
        for n, items in grouped
    )
    un_onprem = sum_footprints(w.onprem for w in unscheduled)
    un_cloud = sum_footprints(w.cloud for w in unscheduled)
    return CarbonSummary(
        waves=waves,
        unscheduled_onprem=un_onprem,
        unscheduled_cloud=un_cloud,
        onprem=sum_footprints([*(w.onprem for w in waves), un_onprem]),
        cloud=sum_footprints([*(w.cloud for w in waves), un_cloud]),
    )


class CarbonHeadline(Frozen):
    """The two like-for-like comparisons a headline may make (issue 16): the workloads that
    move, on premise today vs in the cloud; and the whole estate today vs after the move (what
    moves in the cloud plus everything else still on premise; retirements are not credited)."""

    moving_onprem_kgco2e: float
    moving_cloud_kgco2e: float
    estate_onprem_kgco2e: float
    estate_after_kgco2e: float

    @staticmethod
    def percent(before: float, after: float) -> float | None:
        return None if not before else round((after - before) / before * 100, 1)

    @property
    def moving_change_percent(self) -> float | None:
        return self.percent(self.moving_onprem_kgco2e, self.moving_cloud_kgco2e)

    @property
    def estate_change_percent(self) -> float | None:
        return self.percent(self.estate_onprem_kgco2e, self.estate_after_kgco2e)


def carbon_headline(summary: CarbonSummary, estate_onprem_kgco2e: float) -> CarbonHeadline:
    """Moving vs moving (the waves' own on-premise and cloud figures), estate vs estate."""
    moving_onprem = round(math.fsum(w.onprem.total_kgco2e for w in summary.waves), 2)
    moving_cloud = round(math.fsum(w.cloud.total_kgco2e for w in summary.waves), 2)
    return CarbonHeadline(
        moving_onprem_kgco2e=moving_onprem,
        moving_cloud_kgco2e=moving_cloud,
        estate_onprem_kgco2e=round(estate_onprem_kgco2e, 2),
        estate_after_kgco2e=round(estate_onprem_kgco2e - moving_onprem + moving_cloud, 2),
    )
