"""Right-sizing: the target VM size, disks and PaaS tiers for each server.

Performance-based sizing as Azure Migrate documents it: observed utilisation x a comfort
factor (default 1.3) gives the vCPUs and memory a server needs; without real utilisation (none
at all, exactly 0 %, or the assessment saying it had no performance data) the server is sized
"as on-premise", never down to almost nothing. The cheapest fitting size across the allowed
families wins (Azure Migrate: "the one with the lowest cost"), or, with
`family_selection="ratio"`, the cheapest in the family whose memory:vCPU ratio covers the need
once vCPUs are rounded to real sizes; small low-utilisation servers may go burstable when the
sustained demand stays under the size's baseline. Every result says why in one line. See
docs/sizing.md.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field

from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import Inventory, OsFamily, Server
from forcelift.migration.plan.datafiles import Frozen, trusted
from forcelift.migration.plan.paas_kind import PaasKind, infer_paas_kind, sql_edition
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.skus import (
    CloudCatalogue,
    DiskTier,
    DiskType,
    PaasOffer,
    PaasTier,
    SkuCatalogue,
    SkuCategory,
    VmSize,
    load_catalogue,
)

DECISIONS = ("SAAS", "PAAS", "IAAS", "RETAIN", "RETIRE")
_RATIO_ORDER = (SkuCategory.COMPUTE, SkuCategory.GENERAL, SkuCategory.MEMORY)
_NOT_VM_READY = (OsFamily.UNIX, OsFamily.MAINFRAME, OsFamily.APPLIANCE)


class SizingBasis(StrEnum):
    PERFORMANCE = "performance"
    AS_ON_PREMISE = "as-on-premise"


_STORAGE_KINDS = (PaasKind.OBJECT_STORAGE, PaasKind.FILE_STORAGE)


class SizingConfig(Frozen):
    """Every sizing choice a user may change (defaults documented in docs/sizing.md)."""

    mode: Literal["performance", "as-on-premise"] = "performance"
    comfort_factor: Annotated[float, Field(ge=1.0, le=5.0)] = 1.3
    family_selection: Literal["ratio", "cheapest"] = "cheapest"
    #: whose size a server gets: forcelift's, or the assessment tool's where it has one
    source: Literal["forcelift", "azure-migrate", "aws-migration-hub"] = "forcelift"
    azure_families: tuple[str, ...] | None = None  # None: every family in the catalogue
    aws_families: tuple[str, ...] | None = None
    burstable: bool = True
    burstable_max_cores: Annotated[int, Field(ge=1)] = 4
    burstable_max_memory_gib: Annotated[float, Field(gt=0)] = 16
    azure_disk_type: Literal["auto", "PremiumSSD", "StandardSSD", "StandardHDD"] = "auto"
    #: data disks (not the first, OS, disk) on Standard HDD (Azure) / sc1-st1 (AWS) when the
    #: server's measured IOPS fit; off by default (HDD has a weaker single-VM SLA)
    hdd_data_disks: bool = False
    os_disk_gib_windows: Annotated[float, Field(gt=0)] = 128
    os_disk_gib_linux: Annotated[float, Field(gt=0)] = 64
    min_memory_gib: Annotated[float, Field(gt=0)] = 0.5
    azure_sql_target: Literal["sql_managed_instance", "sql_database"] = "sql_managed_instance"
    min_database_storage_gib: Annotated[float, Field(gt=0)] = 32


class DiskSizing(Frozen):
    name: str
    source_gib: float
    disk_type: str  # PremiumSSD, StandardSSD (Azure) or gp3 (AWS)
    tier: str = ""  # P10, E10… (Azure); empty for gp3
    size_gib: float
    iops: int
    mbps: int


class VmSizing(Frozen):
    """The target VM for one server, with the evidence for the choice."""

    server: str
    cloud: Cloud
    size: str
    family: str
    category: SkuCategory
    vcpus: int
    memory_gib: float
    os: Literal["windows", "linux"]
    sql_edition: Literal["", "standard", "enterprise"] = ""
    basis: SizingBasis
    required_vcpus: int
    required_memory_gib: float
    cpu_demand_vcpus: float | None = None  # observed busy vCPUs (no comfort factor)
    fits: bool = True
    disks: tuple[DiskSizing, ...] = ()
    notes: tuple[str, ...] = ()
    #: one line an architect can check: the evidence, the arithmetic and the size it gave
    reason: str = ""
    #: whose size this is: "forcelift" or the assessment tool's ("azure-migrate", …)
    source: str = "forcelift"
    #: forcelift's own choice when the tool's size was taken instead
    forcelift_size: str = ""


class PaasSizing(Frozen):
    """A platform service replacing one or more servers."""

    kind: PaasKind
    cloud: Cloud
    offer: str  # catalogue and price-table key, e.g. sql_managed_instance, postgresql
    service: str
    tier: str = ""
    instances: Annotated[int, Field(ge=1)] = 1
    vcpus: Annotated[int, Field(ge=0)] = 0  # per instance
    memory_gib: Annotated[float, Field(ge=0)] = 0
    storage_gib: Annotated[float, Field(ge=0)] = 0
    os: Literal["windows", "linux"] = "linux"
    replaces: tuple[str, ...] = ()
    basis: SizingBasis = SizingBasis.AS_ON_PREMISE
    cpu_demand_vcpus: float | None = None
    fits: bool = True
    notes: tuple[str, ...] = ()


class WorkloadTarget(Frozen):
    """What one application becomes in the target cloud."""

    application: str
    decision: str
    cloud: Cloud
    vms: tuple[VmSizing, ...] = ()
    paas: tuple[PaasSizing, ...] = ()
    notes: tuple[str, ...] = ()


class Need(NamedTuple):
    """What a server needs in the cloud: vCPUs, memory and the evidence for them."""

    vcpus: int
    memory_gib: float
    basis: SizingBasis
    demand: float | None  # busy vCPUs observed, None when unknown
    reason: str = ""


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def usable_utilisation(server: Server) -> tuple[float | None, float | None, str]:
    """CPU and memory percentages that are real measurements, and why any are not.

    Exactly 0 % is what exports write when the appliance collected nothing: it is missing data,
    not an idle machine, so it never sizes a server down (issue 17).
    """
    assessment = server.assessment
    if assessment is not None and assessment.utilisation_missing:
        said = "; ".join(assessment.data_collection_issues[:2])
        return None, None, f"the assessment had no performance data ({said or 'no data'})"
    util = server.utilisation
    if util is None:
        return None, None, "no utilisation data"
    cpu = util.cpu_percent if util.cpu_percent else None
    mem = util.memory_percent if util.memory_percent else None
    if cpu is None and mem is None:
        zero = util.cpu_percent == 0 or util.memory_percent == 0
        return (
            None,
            None,
            "CPU and memory utilisation 0 % (missing data, not idle)"
            if zero
            else ("no utilisation data"),
        )
    return cpu, mem, ""


#: which cloud's plan each assessment tool's recommendation belongs to
TOOL_CLOUD = {"azure-migrate": Cloud.AZURE, "aws-migration-hub": Cloud.AWS}


class Assignment(NamedTuple):
    """Each server under exactly one workload, so nothing is sized or costed twice."""

    servers: dict[str, tuple[Server, ...]]  # application -> the servers it owns
    notes: dict[str, tuple[str, ...]]  # application -> servers it shares but does not own


def assign_servers(inventory: Inventory) -> Assignment:
    """Give every server to one application: the first by name among those listing it.

    Applications sharing a server always sit in the same move group, so wave totals do not
    depend on which of them owns it. Names that are not in the server inventory are skipped.
    """
    index = inventory.server_index()
    owner: dict[str, str] = {}
    for app in sorted(inventory.applications, key=lambda a: a.name):
        for name in app.servers:
            owner.setdefault(name.lower(), app.name)
    servers: dict[str, tuple[Server, ...]] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for app in inventory.applications:
        mine, shared = [], []
        for name in app.servers:
            server = index.get(name.lower())
            if server is None:
                continue
            if owner[name.lower()] == app.name:
                mine.append(server)
            else:
                shared.append(f"{server.name} is sized and costed with {owner[name.lower()]}")
        servers[app.name] = tuple(mine)
        if shared:
            notes[app.name] = tuple(shared)
    return Assignment(servers=servers, notes=notes)


def _os_of(server: Server) -> Literal["windows", "linux"]:
    return "windows" if server.os.family is OsFamily.WINDOWS else "linux"


class Sizer:
    """Sizes servers for one cloud: catalogue, prices and config indexed once, reused often."""

    def __init__(
        self,
        cloud: Cloud,
        prices: PriceSnapshot,
        config: SizingConfig | None = None,
        catalogue: SkuCatalogue | None = None,
    ) -> None:
        if prices.cloud is not cloud:
            raise InputError(
                f"price snapshot is for {prices.cloud.value}, not {cloud.value}",
                hint="pass the snapshot for the cloud being sized",
            )
        self.cloud = cloud
        self.prices = prices
        self.config = config or SizingConfig()
        self.catalogue: CloudCatalogue = (catalogue or load_catalogue()).for_cloud(cloud)
        self._performance = self.config.mode == "performance"
        self._candidates = self._index_sizes()
        self._ratios = {
            cat: sorted(s.memory_gib / s.vcpus for s in sizes)[len(sizes) // 2]
            for cat, sizes in self._candidates.items()
            if sizes
        }
        self._ratio_limits = sorted(
            (self._ratios[c] + 1e-9, c) for c in _RATIO_ORDER if c in self._ratios
        )
        self._everything = sorted(
            (s for c in _RATIO_ORDER for s in self._candidates[c]),
            key=lambda s: (self._price(s.name), s.vcpus, s.memory_gib, s.name),
        )
        self._cache: dict[tuple[object, ...], tuple[VmSize, bool, str]] = {}
        every = [s for sizes in self._candidates.values() for s in sizes]
        self._vcpu_steps = sorted({s.vcpus for s in every})
        self._ratio_vcpu_steps = sorted({s.vcpus for s in self._everything})
        self._by_name = {s.name.lower(): s for s in every}
        self._memory_steps = sorted({s.memory_gib for s in every})
        self._burst_steps = sorted({_capacity(s) for s in self._candidates[SkuCategory.BURSTABLE]})
        self._disk_cache: dict[tuple[object, ...], tuple[DiskSizing, ...]] = {}
        names = {d.type for d in self.catalogue.disks}
        if cloud is Cloud.AZURE:
            self._standard_ssd = self.catalogue.disk_type("StandardSSD")
            self._premium_ssd = self.catalogue.disk_type("PremiumSSD")
            self._standard_hdd = (
                self.catalogue.disk_type("StandardHDD") if "StandardHDD" in names else None
            )
            kinds = (self._standard_ssd, self._premium_ssd, self._standard_hdd)
            steps = {t.iops for d in kinds if d is not None for t in d.tiers}
        else:
            self._gp3 = self.catalogue.disk_type("gp3")
            self._sc1 = self.catalogue.disk_type("sc1") if "sc1" in names else None
            steps = {self._gp3.baseline_iops or 3000}  # above the baseline IOPS are priced
            if self._sc1 is not None and self._sc1.max_iops:
                steps.add(self._sc1.max_iops)
        self._iops_steps = sorted(steps)

    def _index_sizes(self) -> dict[SkuCategory, list[VmSize]]:
        allowed = (
            self.config.azure_families if self.cloud is Cloud.AZURE else self.config.aws_families
        )
        known = {f.family for f in self.catalogue.families}
        if allowed is not None:
            unknown = sorted(set(allowed) - known)
            if unknown:
                raise InputError(
                    f"unknown {self.cloud.value} VM families: {', '.join(unknown)}",
                    hint=f"choose from {', '.join(sorted(known))}",
                )
        by_category: dict[SkuCategory, list[VmSize]] = {c: [] for c in SkuCategory}
        region = self.prices.snapshot.region
        for size in self.catalogue.sizes():
            if allowed is not None and size.family not in allowed:
                continue
            if size.regions and region not in size.regions:
                continue  # the series is not offered in the region being planned
            if self.prices.price("vm", size.name) is None:
                continue  # unpriced sizes cannot be compared on cost
            by_category[size.category].append(size)
        for sizes in by_category.values():
            sizes.sort(key=lambda s: (self._price(s.name), s.vcpus, s.memory_gib, s.name))
        if not any(by_category[c] for c in _RATIO_ORDER):
            raise InputError(
                f"no priced {self.cloud.value} VM sizes to choose from",
                hint="check the family selection and the price snapshot",
            )
        return by_category

    def _price(self, name: str) -> float:
        return self.prices.price("vm", name) or math.inf

    # --- needs ---------------------------------------------------------------------------

    def need(self, server: Server) -> Need:
        """vCPUs and memory the server needs in the cloud, and on what evidence."""
        cfg = self.config
        if server.cores is None or server.memory_mib is None:
            raise InputError(
                f"server {server.name!r} has no size ({server.unsized_reason or 'unsized'})",
                hint="estimate it first (plan.unsized) or leave it out of sizing",
            )
        cores, allocated = server.cores, server.memory_mib / 1024
        allocated_text = f"{cores} vCPU, {_num(allocated)} GiB as on premise"
        if not self._performance:
            return Need(
                cores,
                round(max(cfg.min_memory_gib, allocated), 2),
                SizingBasis.AS_ON_PREMISE,
                None,
                f"as-is (sizing mode as-on-premise): {allocated_text}",
            )
        cpu, mem, missing = usable_utilisation(server)
        if cpu is None and mem is None:
            return Need(
                cores,
                round(max(cfg.min_memory_gib, allocated), 2),
                SizingBasis.AS_ON_PREMISE,
                None,
                f"as-is: {missing} → {allocated_text}",
            )
        k = _num(cfg.comfort_factor)
        demand = cores * cpu / 100 if cpu is not None else None
        if demand is None:
            vcpus = cores
            cpu_text = f"CPU not measured → {cores} vCPU as on premise"
        else:
            vcpus = max(1, math.ceil(demand * cfg.comfort_factor))
            cpu_text = f"CPU {_num(cpu)} % × {k} comfort → {vcpus} of {cores} vCPU"  # type: ignore[arg-type]
        memory = allocated
        if mem is None:
            mem_text = f"memory not measured → {_num(allocated)} GiB as on premise"
        else:
            memory = max(cfg.min_memory_gib, allocated * mem / 100 * cfg.comfort_factor)
            mem_text = (
                f"memory {_num(mem)} % × {k} comfort → {_num(round(memory, 1))} of "
                f"{_num(allocated)} GiB"
            )
        return Need(
            vcpus,
            round(max(cfg.min_memory_gib, memory), 2),
            SizingBasis.PERFORMANCE,
            demand,
            f"{cpu_text}; {mem_text}",
        )

    # --- VM choice -----------------------------------------------------------------------

    def _ratio_category(self, need: Need) -> SkuCategory:
        """The family with the smallest memory:vCPU ratio that still covers the need's.

        The ratio is taken after rounding the vCPUs up to a real size (1 vCPU and 3 GiB is a
        2-vCPU size's 1.5 GiB/vCPU: compute, not general), so shapes are not inflated.
        """
        steps = self._ratio_vcpu_steps
        at = bisect.bisect_left(steps, need.vcpus)
        rounded = steps[at] if at < len(steps) else need.vcpus
        ratio = need.memory_gib / rounded
        for limit, category in self._ratio_limits:
            if ratio <= limit:
                return category
        return self._ratio_limits[-1][1]

    def _burst_demand(self, server: Server, need: Need) -> float | None:
        cfg = self.config
        if (
            not cfg.burstable
            or need.demand is None
            or server.cores is None
            or server.memory_gib is None
            or server.cores > cfg.burstable_max_cores
            or server.memory_gib > cfg.burstable_max_memory_gib
        ):
            return None
        return need.demand * cfg.comfort_factor

    def choose(self, need: Need, burst_demand: float | None) -> tuple[VmSize, bool, str]:
        """The cheapest fitting size, whether it fits, and why this family."""
        # The outcome depends on the need only through which catalogue vCPU counts, memory
        # sizes and burstable baselines it exceeds, and on the ratio family: cache on those.
        category = self._ratio_category(need)
        key = (
            bisect.bisect_left(self._vcpu_steps, need.vcpus),
            bisect.bisect_left(self._memory_steps, need.memory_gib - 1e-9),
            None if burst_demand is None else bisect.bisect_left(self._burst_steps, burst_demand),
            category,
        )
        found = self._cache.get(key)
        if found is None:
            found = self._choose(need, burst_demand, category)
            self._cache[key] = found
        return found

    def _choose(
        self, need: Need, burst_demand: float | None, category: SkuCategory
    ) -> tuple[VmSize, bool, str]:
        def fits(size: VmSize) -> bool:
            return size.vcpus >= need.vcpus and size.memory_gib >= need.memory_gib - 1e-9

        everything = self._everything
        if self.config.family_selection == "ratio" and self._candidates[category]:
            pool = self._candidates[category]
            why = f"{category.value} family by memory:vCPU ratio"
        else:
            pool = everything
            why = "cheapest fitting size across families"
        best = next((s for s in pool if fits(s)), None)
        if best is None and pool is not everything:
            best = next((s for s in everything if fits(s)), None)
            why = "no fitting size in the ratio family; cheapest fitting size elsewhere"
        if burst_demand is not None and self._candidates[SkuCategory.BURSTABLE]:
            burst = next(
                (
                    s
                    for s in self._candidates[SkuCategory.BURSTABLE]
                    if fits(s) and _capacity(s) >= burst_demand
                ),
                None,
            )
            if burst is not None and (
                best is None or self._price(burst.name) < self._price(best.name)
            ):
                return burst, True, ("burstable: sustained demand stays under the size's baseline")
        if best is not None:
            return best, True, why
        largest = max(
            pool or everything, key=lambda s: (s.vcpus, s.memory_gib, -self._price(s.name))
        )
        return largest, False, "larger than any size in the catalogue"

    def _assessed_size(self, server: Server) -> tuple[VmSize | None, str]:
        """The assessment tool's size when the config takes it, and a note when it cannot."""
        wanted = self.config.source
        assessment = server.assessment
        if wanted == "forcelift" or assessment is None or assessment.source != wanted:
            return None, ""
        if TOOL_CLOUD.get(wanted) is not self.cloud:
            return None, ""
        name = assessment.recommended_size.strip()
        if not name:
            return None, f"{wanted} gives no size for {server.name}: forcelift's size taken"
        size = self._by_name.get(name.lower())
        if size is None:
            return None, (
                f"{wanted}'s {name} is not in forcelift's priced catalogue: forcelift's size taken"
            )
        return size, ""

    def server(self, server: Server, *, premium_disks: bool = False) -> VmSizing:
        """The target VM and disks for one server."""
        need = self.need(server)
        assessed, fallback = self._assessed_size(server)
        own, own_fits, own_why = self.choose(need, self._burst_demand(server, need))
        if assessed is not None:
            size, fits, why = assessed, True, f"{self.config.source}'s recommended size"
            source = self.config.source
        else:
            size, fits, why, source = own, own_fits, own_why, "forcelift"
        notes = [why] if not fallback else [why, fallback]
        if not fits:
            notes.append(
                f"needs {need.vcpus} vCPUs / {need.memory_gib} GiB: larger than {size.name}; "
                "consider a dedicated host, scaling out, or re-architecting"
            )
        if server.os.family in _NOT_VM_READY:
            notes.append(
                f"{server.os.family.value} does not run on {self.cloud.value} VMs: "
                "size is indicative of a re-platformed equivalent"
            )
        return trusted(
            VmSizing,
            server=server.name,
            cloud=self.cloud,
            size=size.name,
            family=size.family,
            category=size.category,
            vcpus=size.vcpus,
            memory_gib=size.memory_gib,
            os=_os_of(server),
            sql_edition=sql_edition(server),
            basis=need.basis,
            required_vcpus=need.vcpus,
            required_memory_gib=need.memory_gib,
            cpu_demand_vcpus=None if need.demand is None else round(need.demand, 3),
            fits=fits,
            disks=self.disks(server, premium=premium_disks),
            notes=tuple(notes),
            reason=_reason(server, need, size, why),
            source=source,
            forcelift_size="" if source == "forcelift" else own.name,
        )

    # --- disks ---------------------------------------------------------------------------

    def disks(self, server: Server, *, premium: bool = False) -> tuple[DiskSizing, ...]:
        """Managed disks (Azure) or EBS gp3 volumes (AWS), one or more per source disk."""
        cfg = self.config
        sources = [
            (d.name or f"disk{i + 1}", d.provisioned_gib) for i, d in enumerate(server.disks)
        ]
        if not sources:
            default = (
                cfg.os_disk_gib_windows
                if server.os.family is OsFamily.WINDOWS
                else cfg.os_disk_gib_linux
            )
            sources = [("os disk (assumed: no disk data)", default)]
        total = sum(size for _, size in sources) or 1.0
        iops_total = 0.0
        measured_iops = server.utilisation.iops if server.utilisation else None
        measured = bool(self._performance and measured_iops)
        if measured and measured_iops is not None:
            iops_total = measured_iops * cfg.comfort_factor
        out: list[DiskSizing] = []
        for index, (name, size) in enumerate(sources):
            iops = iops_total * size / total
            # HDD only for data disks, only on measured IOPS, only when the setting allows it.
            hdd = cfg.hdd_data_disks and measured and index > 0 and not premium
            # A disk's result depends on its IOPS only through which tier thresholds it
            # passes, so the key uses that position and identical disks are sized once.
            step = bisect.bisect_left(self._iops_steps, iops) if iops else 0
            key = (name, size, premium, step, hdd)
            found = self._disk_cache.get(key)
            if found is None:
                if self.cloud is Cloud.AZURE:
                    found = self._azure_disk(name, size, iops, premium, hdd)
                else:
                    found = self._aws_disk(name, size, iops, hdd)
                if iops <= self._iops_steps[-1] and len(found) == 1:  # split disks: exact
                    self._disk_cache[key] = found
            out.extend(found)
        return tuple(out)

    def _split(self, name: str, size: float, limit: float) -> list[tuple[str, float, float]]:
        parts = max(1, math.ceil(size / limit))
        if parts == 1:
            return [(name, size, size)]
        return [(f"{name} (part {n + 1}/{parts})", size, size / parts) for n in range(parts)]

    def _azure_disk(
        self, name: str, size: float, iops: float, premium: bool, hdd: bool = False
    ) -> tuple[DiskSizing, ...]:
        choice = self.config.azure_disk_type
        standard = self._standard_ssd
        premium_type = self._premium_ssd
        largest = premium_type.tiers[-1].size_gib
        out = []
        for part_name, source, part in self._split(name, size, largest):
            part_iops = iops * part / size if size else iops
            if choice == "auto":
                std_tier = _smallest_tier(standard, part, 0)
                use_premium = premium or (std_tier is not None and part_iops > std_tier.iops)
                disk_type = premium_type if use_premium else standard
                hdd_tier = (
                    _smallest_tier(self._standard_hdd, part, part_iops)
                    if hdd and self._standard_hdd is not None and not use_premium
                    else None
                )
                if hdd_tier is not None and self._standard_hdd is not None:
                    disk_type = self._standard_hdd
            elif choice == "StandardHDD" and self._standard_hdd is not None:
                disk_type = self._standard_hdd
            else:
                disk_type = premium_type if choice == "PremiumSSD" else standard
            tier = _smallest_tier(disk_type, part, part_iops) or _smallest_tier(disk_type, part, 0)
            assert tier is not None  # parts never exceed the largest tier
            out.append(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=disk_type.type,
                    tier=tier.tier,
                    size_gib=tier.size_gib,
                    iops=tier.iops,
                    mbps=tier.mbps,
                )
            )
        return tuple(out)

    def _aws_disk(
        self, name: str, size: float, iops: float, hdd: bool = False
    ) -> tuple[DiskSizing, ...]:
        gp3 = self._gp3
        limit = gp3.max_gib or 16384
        sc1 = self._sc1
        if hdd and sc1 is not None and size >= (sc1.min_gib or 125) and iops <= (sc1.max_iops or 0):
            # Cold HDD: large, quiet data volumes (at least 125 GiB; never a boot volume).
            return tuple(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=sc1.type,
                    tier="",
                    size_gib=float(max(sc1.min_gib or 125, math.ceil(part))),
                    iops=sc1.max_iops or 0,
                    mbps=sc1.baseline_mbps or 0,
                )
                for part_name, source, part in self._split(name, size, sc1.max_gib or 16384)
            )
        out = []
        for part_name, source, part in self._split(name, size, limit):
            gib = max(gp3.min_gib or 1, math.ceil(part))
            cap = min(gp3.max_iops or 16000, (gp3.iops_per_gib or 500) * gib)
            base = gp3.baseline_iops or 3000
            part_iops = iops * part / size if size else iops
            out.append(
                DiskSizing(
                    name=part_name,
                    source_gib=source,
                    disk_type=gp3.type,
                    tier="",
                    size_gib=float(gib),
                    iops=int(min(cap, max(base, math.ceil(part_iops)))),
                    mbps=gp3.baseline_mbps or 125,
                )
            )
        return tuple(out)

    # --- PaaS ----------------------------------------------------------------------------

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
            "windows" if any(_os_of(s) == "windows" for s in servers) else "linux"
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
        if kind in _STORAGE_KINDS:
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
        tier, fits = _cheapest_tier(
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

        tier, fits = _cheapest_tier(tiers, total, price)
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

    # --- workloads -----------------------------------------------------------------------

    def workload(
        self,
        application: str,
        servers: Sequence[Server],
        decision: str,
        *,
        premium_disks: bool = False,
        paas_kinds: Mapping[str, PaasKind | None] | None = None,
        notes: Sequence[str] = (),
    ) -> WorkloadTarget:
        """What an application's servers become under its decision.

        `premium_disks` puts every Azure disk on Premium SSD (single-VM SLA for important
        systems); `paas_kinds` overrides the inferred platform service per server name;
        `notes` are carried into the target (e.g. from `assign_servers`).
        """
        decision = decision.strip().upper()
        if decision not in DECISIONS:
            raise InputError(
                f"unknown decision {decision!r} for application {application!r}",
                hint=f"use one of: {', '.join(DECISIONS)}",
            )
        base = {"application": application, "decision": decision, "cloud": self.cloud}
        if decision in ("SAAS", "RETAIN", "RETIRE"):
            note = {
                "SAAS": "replaced by a SaaS service: subscription cost not estimated here",
                "RETAIN": "stays on premise: no cloud resources",
                "RETIRE": "retired: no cloud resources",
            }[decision]
            return trusted(WorkloadTarget, **base, notes=(*notes, note))
        said = list(notes)
        unsized = [s for s in servers if not s.sized]
        if unsized:
            said.extend(
                f"{s.name}: not sized ({s.unsized_reason or 'no CPU or memory size'}): "
                "left out of sizing and cost"
                for s in unsized
            )
            servers = [s for s in servers if s.sized]
        vm_servers: list[Server] = list(servers)
        groups: dict[PaasKind, list[Server]] = {}
        if decision == "PAAS":
            overrides = {k.lower(): v for k, v in (paas_kinds or {}).items()}
            vm_servers = []
            for server in servers:
                key = server.name.lower()
                kind = overrides[key] if key in overrides else infer_paas_kind(server)
                if kind is not None and self.catalogue.offer(self.offer_key(kind)) is None:
                    said.append(
                        f"{server.name}: no {self.cloud.value} platform service for "
                        f"{kind.value}; kept as a VM"
                    )
                    kind = None
                if kind is None:
                    vm_servers.append(server)
                else:
                    groups.setdefault(kind, []).append(server)
            if vm_servers:
                said.append(
                    "no platform service inferred for "
                    f"{', '.join(s.name for s in vm_servers[:5])}"
                    f"{' and more' if len(vm_servers) > 5 else ''}: kept as VMs"
                )
        return trusted(
            WorkloadTarget,
            **base,
            vms=tuple(self.server(s, premium_disks=premium_disks) for s in vm_servers),
            paas=tuple(self.paas(kind, members) for kind, members in sorted(groups.items())),
            notes=tuple(said),
        )


def _reason(server: Server, need: Need, size: VmSize, why: str) -> str:
    """Evidence → need → size, and how far below the on-premise allocation it goes."""
    text = f"{need.reason} → {size.name} ({why})"
    cores, memory = server.cores or 0, (server.memory_mib or 0) / 1024
    less = []
    if size.vcpus < cores:
        less.append(f"{cores - size.vcpus} vCPU ({(cores - size.vcpus) / cores:.0%})")
    if size.memory_gib < memory - 1e-9:
        cut = memory - size.memory_gib
        less.append(f"{_num(round(cut, 1))} GiB ({cut / memory:.0%})")
    if less:
        basis = "measured utilisation" if need.basis is SizingBasis.PERFORMANCE else why
        text += f"; {' and '.join(less)} below the on-premise allocation, on {basis}"
    return text


def _capacity(size: VmSize) -> float:
    """Sustained vCPUs a burstable size delivers at its baseline."""
    return size.vcpus * (size.baseline_percent or 0) / 100


def _smallest_tier(disk_type: DiskType, size: float, iops: float) -> DiskTier | None:
    return next((t for t in disk_type.tiers if t.size_gib >= size - 1e-9 and t.iops >= iops), None)


def _cheapest_tier(
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


def size_server(
    server: Server,
    cloud: Cloud,
    prices: PriceSnapshot,
    config: SizingConfig | None = None,
    *,
    premium_disks: bool = False,
) -> VmSizing:
    """One server's target VM (builds a Sizer: use Sizer directly for many servers)."""
    return Sizer(cloud, prices, config).server(server, premium_disks=premium_disks)


def size_paas(
    kind: PaasKind,
    servers: Sequence[Server],
    cloud: Cloud,
    prices: PriceSnapshot,
    config: SizingConfig | None = None,
) -> PaasSizing:
    """The platform-service tier replacing `servers`."""
    return Sizer(cloud, prices, config).paas(kind, servers)
