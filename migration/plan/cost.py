"""Cloud cost per workload, per wave and in total, from a price snapshot.

Monthly figures for three ways of paying: pay-as-you-go, 1-year and 3-year commitments
(reservations / reserved instances). Commitments discount compute only; licences (Windows,
SQL Server) and storage stay at list price. Azure Hybrid Benefit removes the Windows and SQL
licence charges when the force owns licences with Software Assurance; on AWS, SQL Server can be
brought through License Mobility but Windows cannot on shared tenancy. Amounts are rounded to
the cent per line and every total is the sum of its rounded parts. See docs/cost-and-carbon.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Literal

from pydantic import Field

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.plan.datafiles import Frozen, trusted
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing import (
    DiskSizing,
    PaasKind,
    PaasSizing,
    VmSizing,
    WorkloadTarget,
)
from forcelift.migration.plan.wave_model import by_wave

_DATABASE_OFFERS = (
    "sql_managed_instance",
    "sql_database",
    "sql_server",
    "postgresql",
    "mysql",
    "oracle",
)


class CostConfig(Frozen):
    """Licensing position and reporting currency (prices are in the snapshot's currency)."""

    hybrid_benefit_windows: bool = False
    hybrid_benefit_sql: bool = False
    currency: str = "USD"
    exchange_rate: Annotated[float, Field(gt=0)] = 1.0  # report currency per snapshot unit


class Rates(Frozen):
    """Monthly amounts for pay-as-you-go, 1-year and 3-year commitments."""

    payg: float = 0
    one_year: float = 0
    three_year: float = 0


class CostLine(Frozen):
    """One resource: commitment-discountable compute, plus licence and storage at list."""

    resource: str
    kind: Literal["vm", "paas"]
    sku: str
    compute: Rates
    licence: float = 0
    storage: float = 0
    monthly: Rates
    notes: tuple[str, ...] = ()


class WorkloadCost(Frozen):
    application: str
    decision: str
    lines: tuple[CostLine, ...] = ()
    monthly: Rates
    annual: Rates
    notes: tuple[str, ...] = ()


class WaveCost(Frozen):
    wave: int
    applications: int
    monthly: Rates
    annual: Rates


class CostSummary(Frozen):
    currency: str
    waves: tuple[WaveCost, ...]
    unscheduled_monthly: Rates
    unscheduled_annual: Rates
    monthly: Rates
    annual: Rates


def sum_rates(rates: Iterable[Rates]) -> Rates:
    items = list(rates)
    return trusted(
        Rates,
        payg=round(math.fsum(r.payg for r in items), 2),
        one_year=round(math.fsum(r.one_year for r in items), 2),
        three_year=round(math.fsum(r.three_year for r in items), 2),
    )


def _annual(monthly: Rates) -> Rates:
    return trusted(
        Rates,
        payg=round(monthly.payg * 12, 2),
        one_year=round(monthly.one_year * 12, 2),
        three_year=round(monthly.three_year * 12, 2),
    )


class Pricer:
    """Prices sized resources from one snapshot under one licensing position."""

    def __init__(self, prices: PriceSnapshot, config: CostConfig | None = None) -> None:
        self.prices = prices
        self.config = config or CostConfig()
        self.hours = prices.hours_per_month
        self.rate = self.config.exchange_rate
        self.cloud = prices.cloud
        self._amounts: dict[tuple[float, str, float, float], tuple[Rates, float, float, Rates]] = {}
        self._vm_parts: dict[tuple[str, str, str, int], tuple[float, float, tuple[str, ...]]] = {}
        self._disk_prices: dict[tuple[str, str, float, int, int], float] = {}

    def _factors(self, table: str) -> tuple[float, float]:
        return (
            self.prices.require(table, "one_year"),
            self.prices.require(table, "three_year"),
        )

    def _line(
        self,
        resource: str,
        kind: Literal["vm", "paas"],
        sku: str,
        compute_monthly: float,
        commitment: str,
        licence: float,
        storage: float,
        notes: Sequence[str] = (),
    ) -> CostLine:
        key = (compute_monthly, commitment, licence, storage)
        amounts = self._amounts.get(key)
        if amounts is None:
            amounts = self._price_parts(compute_monthly, commitment, licence, storage)
            self._amounts[key] = amounts
        compute, licence, storage, monthly = amounts
        return trusted(
            CostLine,
            resource=resource,
            kind=kind,
            sku=sku,
            compute=compute,
            licence=licence,
            storage=storage,
            monthly=monthly,
            notes=tuple(notes),
        )

    def _price_parts(
        self, compute_monthly: float, commitment: str, licence: float, storage: float
    ) -> tuple[Rates, float, float, Rates]:
        """Rounded amounts; identical resources share the same (immutable) Rates objects."""
        one, three = self._factors(commitment) if compute_monthly else (1.0, 1.0)
        r = self.rate
        compute = trusted(
            Rates,
            payg=round(compute_monthly * r, 2),
            one_year=round(compute_monthly * one * r, 2),
            three_year=round(compute_monthly * three * r, 2),
        )
        licence, storage = round(licence * r, 2), round(storage * r, 2)
        monthly = trusted(
            Rates,
            payg=round(compute.payg + licence + storage, 2),
            one_year=round(compute.one_year + licence + storage, 2),
            three_year=round(compute.three_year + licence + storage, 2),
        )
        return compute, licence, storage, monthly

    def _licences(self, os: str, sql: str, vcpus: int, notes: list[str]) -> float:
        cfg, hours = self.config, self.hours
        total = 0.0
        if os == "windows":
            if self.cloud is Cloud.AZURE and cfg.hybrid_benefit_windows:
                notes.append("Azure Hybrid Benefit: Windows Server licence not charged")
            else:
                total += self.prices.require("vm_windows_licence", "per_vcpu") * vcpus * hours
        if sql:
            if cfg.hybrid_benefit_sql:
                notes.append(
                    "Azure Hybrid Benefit: SQL Server licence not charged"
                    if self.cloud is Cloud.AZURE
                    else "SQL Server licence brought through License Mobility (Software Assurance)"
                )
            else:
                total += self.prices.require("sql_licence", sql) * max(4, vcpus) * hours
        return total

    def vm(self, vm: VmSizing) -> CostLine:
        key = (vm.size, vm.os, vm.sql_edition, vm.vcpus)
        parts = self._vm_parts.get(key)
        if parts is None:
            notes: list[str] = []
            compute = self.prices.require("vm", vm.size) * self.hours
            licence = self._licences(vm.os, vm.sql_edition, vm.vcpus, notes)
            parts = self._vm_parts[key] = (compute, licence, tuple(notes))
        compute, licence, notes_ = parts
        return self._line(
            vm.server, "vm", vm.size, compute, "vm_commitment", licence, self._disks(vm), notes_
        )

    def _disks(self, vm: VmSizing) -> float:
        # Many servers get the same disks: price each kind once, keyed by what the price reads.
        total = 0.0
        cache = self._disk_prices
        for disk in vm.disks:
            key = (disk.disk_type, disk.tier, disk.size_gib, disk.iops, disk.mbps)
            price = cache.get(key)
            if price is None:
                price = cache[key] = self._disk_price(disk)
            total += price
        return total

    def _disk_price(self, d: DiskSizing) -> float:
        if self.cloud is Cloud.AZURE:
            return self.prices.require("disk", f"{d.disk_type}/{d.tier}")
        per_gib = self.prices.price("disk", f"{d.disk_type}/gib_month")
        if d.disk_type != "gp3" and per_gib is not None:  # EBS HDD (sc1/st1): per GiB only
            return d.size_gib * per_gib
        gib = self.prices.require("disk", "gib_month")
        iops = self.prices.require("disk", "iops_month")
        mbps = self.prices.require("disk", "mbps_month")
        return d.size_gib * gib + max(0, d.iops - 3000) * iops + max(0, d.mbps - 125) * mbps

    def paas(self, service: PaasSizing) -> CostLine:
        p, hours = self.prices, self.hours
        name = f"{service.service}: {', '.join(service.replaces)}"
        notes: list[str] = []
        if service.kind in (PaasKind.OBJECT_STORAGE, PaasKind.FILE_STORAGE):
            storage = p.require(service.offer, "gib_month") * service.storage_gib
            return self._line(name, "paas", service.offer, 0, "", 0, storage)
        if service.kind is PaasKind.WEB_APP:
            if self.cloud is Cloud.AWS:  # Elastic Beanstalk: EC2 instances
                compute = p.require("vm", service.tier) * hours * service.instances
                licence = self._licences(service.os, "", service.vcpus, notes) * service.instances
            else:
                compute = p.require("web_app", f"{service.os}/{service.tier}") * hours
                compute *= service.instances
                licence = 0.0
            return self._line(
                name, "paas", service.tier, compute, "app_commitment", licence, 0, notes
            )
        if service.offer not in _DATABASE_OFFERS:
            raise InputError(f"no pricing rule for platform service {service.offer!r}")
        per_vcore = p.price(service.offer, "licence_included")
        if per_vcore is not None:  # Azure SQL: priced per vCore, licence in the price
            key = "licence_included"
            if self.config.hybrid_benefit_sql:
                key = "hybrid_benefit"
                notes.append("Azure Hybrid Benefit: SQL vCore price without the licence")
            compute = p.require(service.offer, key) * service.vcpus * hours
        else:
            compute = p.require(service.offer, service.tier) * hours
        compute *= service.instances
        storage = p.require("database_storage", service.offer) * service.storage_gib
        return self._line(
            name, "paas", service.tier, compute, "database_commitment", 0, storage, notes
        )

    def workload(self, target: WorkloadTarget) -> WorkloadCost:
        if target.cloud is not self.cloud:
            raise InputError(
                f"workload {target.application!r} is sized for {target.cloud.value}, prices "
                f"are for {self.cloud.value}",
                hint="price each cloud's targets with that cloud's snapshot",
            )
        lines = tuple(self.vm(vm) for vm in target.vms) + tuple(self.paas(s) for s in target.paas)
        monthly = sum_rates(line.monthly for line in lines)
        notes: tuple[str, ...] = ()
        if target.decision == "SAAS":
            notes = ("SaaS subscription not included: add the supplier's price",)
        return trusted(
            WorkloadCost,
            application=target.application,
            decision=target.decision,
            lines=lines,
            monthly=monthly,
            annual=_annual(monthly),
            notes=notes,
        )


def workload_cost(
    target: WorkloadTarget, prices: PriceSnapshot, config: CostConfig | None = None
) -> WorkloadCost:
    """One workload's monthly and annual cost (builds a Pricer: reuse one for many)."""
    return Pricer(prices, config).workload(target)


def cost_summary(
    workloads: Sequence[WorkloadCost], wave_of: Mapping[str, int], currency: str = "USD"
) -> CostSummary:
    """Per wave and in total; workloads in no wave are reported as unscheduled."""
    grouped, unscheduled = by_wave(workloads, wave_of)
    waves = tuple(
        WaveCost(
            wave=n,
            applications=len(items),
            monthly=sum_rates(w.monthly for w in items),
            annual=sum_rates(w.annual for w in items),
        )
        for n, items in grouped
    )
    un_monthly = sum_rates(w.monthly for w in unscheduled)
    un_annual = sum_rates(w.annual for w in unscheduled)
    return CostSummary(
        currency=currency,
        waves=waves,
        unscheduled_monthly=un_monthly,
        unscheduled_annual=un_annual,
        monthly=sum_rates([*(w.monthly for w in waves), un_monthly]),
        annual=sum_rates([*(w.annual for w in waves), un_annual]),
    )
