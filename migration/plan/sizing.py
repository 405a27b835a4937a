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
from collections.abc import Mapping, Sequence

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import OsFamily, Server
from forcelift.migration.plan.assignment import Assignment, assign_servers
from forcelift.migration.plan.datafiles import trusted
from forcelift.migration.plan.disk_sizing import DiskSizer
from forcelift.migration.plan.paas_kind import PaasKind, infer_paas_kind, sql_edition
from forcelift.migration.plan.paas_sizing import PaasSizer
from forcelift.migration.plan.prices import PriceSnapshot
from forcelift.migration.plan.sizing_model import (
    DECISIONS,
    TOOL_CLOUD,
    DiskSizing,
    Need,
    PaasSizing,
    SizingBasis,
    SizingConfig,
    VmSizing,
    WorkloadTarget,
    num,
    os_of,
)
from forcelift.migration.plan.skus import (
    CloudCatalogue,
    SkuCatalogue,
    SkuCategory,
    VmSize,
    load_catalogue,
)

__all__ = [
    "DECISIONS",
    "TOOL_CLOUD",
    "Assignment",
    "DiskSizing",
    "Need",
    "PaasKind",
    "PaasSizing",
    "Sizer",
    "SizingBasis",
    "SizingConfig",
    "VmSizing",
    "WorkloadTarget",
    "assign_servers",
    "infer_paas_kind",
    "size_paas",
    "size_server",
    "usable_utilisation",
]

_RATIO_ORDER = (SkuCategory.COMPUTE, SkuCategory.GENERAL, SkuCategory.MEMORY)
_NOT_VM_READY = (OsFamily.UNIX, OsFamily.MAINFRAME, OsFamily.APPLIANCE)


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
        self._disks = DiskSizer(cloud, self.catalogue, self.config)
        self._paas = PaasSizer(cloud, prices, self.catalogue, self.config, self.need, self.choose)

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

    def need(self, server: Server) -> Need:
        """vCPUs and memory the server needs in the cloud, and on what evidence."""
        cfg = self.config
        if server.cores is None or server.memory_mib is None:
            raise InputError(
                f"server {server.name!r} has no size ({server.unsized_reason or 'unsized'})",
                hint="estimate it first (plan.unsized) or leave it out of sizing",
            )
        cores, allocated = server.cores, server.memory_mib / 1024
        allocated_text = f"{cores} vCPU, {num(allocated)} GiB as on premise"
        as_is = Need(
            cores, round(max(cfg.min_memory_gib, allocated), 2), SizingBasis.AS_ON_PREMISE, None
        )
        if not self._performance:
            return as_is._replace(reason=f"as-is (sizing mode as-on-premise): {allocated_text}")
        cpu, mem, missing = usable_utilisation(server)
        if cpu is None and mem is None:
            return as_is._replace(reason=f"as-is: {missing} → {allocated_text}")
        k = num(cfg.comfort_factor)
        demand = cores * cpu / 100 if cpu is not None else None
        if demand is None:
            vcpus = cores
            cpu_text = f"CPU not measured → {cores} vCPU as on premise"
        else:
            vcpus = max(1, math.ceil(demand * cfg.comfort_factor))
            cpu_text = f"CPU {num(cpu)} % × {k} comfort → {vcpus} of {cores} vCPU"  # type: ignore[arg-type]
        memory = allocated
        if mem is None:
            mem_text = f"memory not measured → {num(allocated)} GiB as on premise"
        else:
            memory = max(cfg.min_memory_gib, allocated * mem / 100 * cfg.comfort_factor)
            mem_text = (
                f"memory {num(mem)} % × {k} comfort → {num(round(memory, 1))} of "
                f"{num(allocated)} GiB"
            )
        return Need(
            vcpus,
            round(max(cfg.min_memory_gib, memory), 2),
            SizingBasis.PERFORMANCE,
            demand,
            f"{cpu_text}; {mem_text}",
        )

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
            os=os_of(server),
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

    def disks(self, server: Server, *, premium: bool = False) -> tuple[DiskSizing, ...]:
        """Managed disks (Azure) or EBS gp3 volumes (AWS), one or more per source disk."""
        return self._disks.disks(server, premium=premium)

    def offer_key(self, kind: PaasKind) -> str:
        return self._paas.offer_key(kind)

    def paas(self, kind: PaasKind, servers: Sequence[Server]) -> PaasSizing:
        """The platform-service tier replacing `servers` (sizing summed across them)."""
        return self._paas.paas(kind, servers)

    def workload(
        self,
        application: str,
        servers: Sequence[Server],
        decision: Decision | str,
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
        text = decision.strip().upper()
        if text not in DECISIONS:
            raise InputError(
                f"unknown decision {text!r} for application {application!r}",
                hint=f"use one of: {', '.join(DECISIONS)}",
            )
        decision = Decision(text)
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
        less.append(f"{num(round(cut, 1))} GiB ({cut / memory:.0%})")
    if less:
        basis = "measured utilisation" if need.basis is SizingBasis.PERFORMANCE else why
        text += f"; {' and '.join(less)} below the on-premise allocation, on {basis}"
    return text


def _capacity(size: VmSize) -> float:
    """Sustained vCPUs a burstable size delivers at its baseline."""
    return size.vcpus * (size.baseline_percent or 0) / 100


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
