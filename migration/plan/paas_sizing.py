"""Platform-service tiers (web apps, databases, storage) replacing a workload's servers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Server
from forcelift.migration.plan.paas_kind import PaasKind
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing_model import Need, PaasSizing, SizingBasis, SizingConfig, os_of
from forcelift.migration.plan.skus import CloudCatalogue, PaasOffer, PaasTier, VmSize

STORAGE_KINDS = (PaasKind.OBJECT_STORAGE, PaasKind.FILE_STORAGE)


class PaasSizer:
    """Sizes one cloud's platform services from the servers' needs (the `Sizer`'s own)."""

    def __init__(
        self,
        cloud: Cloud,
        prices: PriceSnapshot,
        catalogue: CloudCatalogue,
        config: SizingConfig,
        need: Callable[[Server], Need],
        choose: Callable[[Need, float | None], tuple[VmSize, bool, str]],
    ) -> None:
        self.cloud = cloud
        self.prices = prices
        self.catalogue = catalogue
        self.config = config
        self.need = need
        self.choose = choose

    def offer_key(self, kind: PaasKind) -> str:
        if self.cloud is Cloud.AZURE and kind is PaasKind.SQL_SERVER:
            return self.config.azure_sql_target
        return kind.value

    def paas(self, kind: PaasKind, servers: Sequence[Server]) -> PaasSizing:
        """The platform-service tier replacing `servers` (sizing summed across them)."""
        kind = PaasKind(kind)
        if not servers:
            raise InputError(
                f"no servers to size {kind.value} for",
                hint="name the servers the platform service replaces",
            )
        key = self.offer_key(kind)
        offer = self.catalogue.offer(key)
        if offer is None:
            raise InputError(
                f"no {self.cloud.value} platform service for {kind.value}",
                hint="plan these servers as IAAS (VMs) or choose another target",
            )
        needs = [self.need(s) for s in servers]
        basis = (
            SizingBasis.PERFORMANCE
            if any(n.basis is SizingBasis.PERFORMANCE for n in needs)
            else SizingBasis.AS_ON_PREMISE
        )
        demands = [n.demand for n in needs]
        demand = None if any(d is None for d in demands) else round(sum(demands), 3)  # type: ignore[arg-type]
        names = tuple(s.name for s in servers)
        storage = sum(
            (s.used_gib if s.used_gib is not None else s.provisioned_gib) for s in servers
        )
        os: Literal["windows", "linux"] = (
            "windows" if any(os_of(s) == "windows" for s in servers) else "linux"
        )
        common: dict[str, Any] = {
            "kind": kind,
            "cloud": self.cloud,
            "offer": key,
            "service": offer.service,
            "replaces": names,
            "basis": basis,
            "cpu_demand_vcpus": demand,
            "os": os,
        }
        if kind in STORAGE_KINDS:
            return PaasSizing(
                **common,
                storage_gib=round(storage, 2),
                notes=("sized on used capacity where known, else provisioned",),
            )
        if kind is PaasKind.WEB_APP:
            return self._web_app(offer, needs, common)
        return self._database(kind, offer, needs, storage, common)

    def _web_app(self, offer: PaasOffer, needs: list[Need], common: dict) -> PaasSizing:
        biggest = Need(
            vcpus=max(n.vcpus for n in needs),
            memory_gib=max(n.memory_gib for n in needs),
            basis=common["basis"],
            demand=None,
        )
        notes = [f"one instance per server replaced ({len(needs)})"]
        if not offer.tiers:  # AWS: Elastic Beanstalk runs EC2 instances
            size, fits, why = self.choose(biggest, None)
            return PaasSizing(
                **common,
                tier=size.name,
                instances=len(needs),
                vcpus=size.vcpus,
                memory_gib=size.memory_gib,
                fits=fits,
                notes=(*notes, why),
            )
        table = f"{common['os']}/"
        tier, fits = cheapest_tier(
            offer.tiers, biggest, lambda t: self.prices.price("web_app", table + t.name)
        )
        return PaasSizing(
            **common,
            tier=tier.name,
            instances=len(needs),
            vcpus=tier.vcpus,
            memory_gib=tier.memory_gib,
            fits=fits,
            notes=tuple(notes),
        )

    def _database(
        self, kind: PaasKind, offer: PaasOffer, needs: list[Need], storage: float, common: dict
    ) -> PaasSizing:
        cfg = self.config
        total = Need(
            vcpus=sum(n.vcpus for n in needs),
            memory_gib=round(sum(n.memory_gib for n in needs), 2),
            basis=common["basis"],
            demand=common["cpu_demand_vcpus"],
        )
        notes = []
        if len(needs) > 1:
            notes.append(
                f"sized for the combined load of {len(needs)} servers; if they are replicas of "
                "one database, size for one"
            )
        storage = max(cfg.min_database_storage_gib, round(storage, 2))
        key = common["offer"]
        if (
            self.cloud is Cloud.AZURE
            and key == "sql_database"
            and offer.max_storage_gib is not None
            and storage > offer.max_storage_gib
        ):
            key = "sql_managed_instance"
            offer = self.catalogue.offer(key) or offer
            common = {**common, "offer": key, "service": offer.service}
            notes.append("data exceeds Azure SQL Database's limit: SQL Managed Instance instead")
        if offer.max_storage_gib is not None and storage > offer.max_storage_gib:
            notes.append(
                f"{storage:.0f} GiB exceeds {offer.service}'s {offer.max_storage_gib:.0f} GiB "
                "limit: split the databases"
            )
        burst_ok = (
            cfg.burstable
            and total.demand is not None
            and total.demand * cfg.comfort_factor <= 0.2 * total.vcpus
        )
        tiers = [t for t in offer.tiers if burst_ok or not t.burstable]

        def price(tier: PaasTier) -> float | None:
            per_vcore = self.prices.price(key, "licence_included")
            if per_vcore is not None:
                return per_vcore * tier.vcpus
            return self.prices.price(key, tier.name)

        tier, fits = cheapest_tier(tiers, total, price)
        return PaasSizing(
            **common,
            tier=tier.name,
            instances=1,
            vcpus=tier.vcpus,
            memory_gib=tier.memory_gib,
            storage_gib=storage,
            fits=fits,
            notes=tuple(notes),
        )


def cheapest_tier(
    tiers: Sequence[PaasTier], need: Need, price: Callable[[PaasTier], float | None]
) -> tuple[PaasTier, bool]:
    priced = [(p, t) for t in tiers if (p := price(t)) is not None]
    if not priced:
        raise InputError(
            "no priced tiers for this platform service",
            hint="add the tier prices to the price snapshot",
        )
    priced.sort(key=lambda pt: (pt[0], pt[1].vcpus, pt[1].memory_gib, pt[1].name))
    for _, tier in priced:
        if tier.vcpus >= need.vcpus and tier.memory_gib >= need.memory_gib - 1e-9:
            return tier, True
    return max((t for _, t in priced), key=lambda t: (t.vcpus, t.memory_gib)), False
