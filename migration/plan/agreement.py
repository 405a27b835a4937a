"""Does forcelift's sizing agree with the assessment tool's own recommendation?

For every server with an assessment recommendation: forcelift's size beside the tool's, same
SKU, same family, vCPU and memory ratios (forcelift / tool) and monthly cost side by side.
Used by `benchmarks/sizing_agreement.py` and its tests; costs stay in each side's currency
(the tool's as the export says, forcelift's as its price snapshot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forcelift.migration.clouds import DEFAULT_REGION, Cloud
from forcelift.migration.inventory.model import Inventory, Server
from forcelift.migration.plan.assessed import agreement
from forcelift.migration.plan.cost import Pricer
from forcelift.migration.plan.prices import load_prices
from forcelift.migration.plan.sizing import TOOL_CLOUD, Sizer, SizingConfig
from forcelift.migration.plan.skuname import shape_of


@dataclass(frozen=True)
class Row:
    server: str
    cores: int
    memory_gib: float
    ours: str
    ours_vcpus: int
    ours_memory_gib: float
    ours_monthly: float
    theirs: str
    theirs_vcpus: int | None
    theirs_memory_gib: float | None
    theirs_monthly: float | None
    verdict: str  # same size / same family / different / no size
    reason: str


@dataclass(frozen=True)
class Totals:
    machines: int
    same_sku: int
    same_family: int
    vcpu_ratio: tuple[float, float, float] | None  # p10, median, p90 of ours / theirs
    memory_ratio: tuple[float, float, float] | None
    ours_monthly: float
    theirs_monthly: float
    ours_currency: str
    theirs_currency: str
    onprem_vcpus: int
    onprem_memory_gib: float
    ours_vcpus: int
    ours_memory_gib: float


def _percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (deterministic, no interpolation surprises on small sets)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _spread(values: Sequence[float]) -> tuple[float, float, float] | None:
    if not values:
        return None
    return (
        round(_percentile(values, 10), 3),
        round(_percentile(values, 50), 3),
        round(_percentile(values, 90), 3),
    )


def compare(
    inventory: Inventory, config: SizingConfig | None = None, cloud: Cloud | None = None
) -> tuple[list[Row], Totals]:
    """Per machine and in total, forcelift's sizing beside the assessment's."""
    assessed = [s for s in inventory.servers if s.assessment is not None and s.sized]
    if cloud is None:
        sources = {TOOL_CLOUD.get(s.assessment.source) for s in assessed if s.assessment}
        cloud = Cloud(next(iter(sorted(c.value for c in sources if c)), "azure"))
    snapshot = load_prices(cloud, DEFAULT_REGION[cloud])
    sizer = Sizer(cloud, snapshot, config or SizingConfig())
    pricer = Pricer(snapshot)
    rows: list[Row] = []
    for server in sorted(assessed, key=lambda s: s.name.lower()):
        rows.append(_row(server, sizer, pricer))
    with_shape = [r for r in rows if r.theirs_vcpus]
    theirs_cost = [r.theirs_monthly for r in rows if r.theirs_monthly is not None]
    currencies = {s.assessment.currency for s in assessed if s.assessment}
    totals = Totals(
        machines=len(rows),
        same_sku=sum(r.verdict == "same size" for r in rows),
        same_family=sum(r.verdict in ("same size", "same family") for r in rows),
        vcpu_ratio=_spread([r.ours_vcpus / r.theirs_vcpus for r in with_shape]),  # type: ignore[operator]
        memory_ratio=_spread(
            [r.ours_memory_gib / r.theirs_memory_gib for r in with_shape if r.theirs_memory_gib]
        ),
        ours_monthly=round(sum(r.ours_monthly for r in rows), 2),
        theirs_monthly=round(sum(theirs_cost), 2),
        ours_currency=snapshot.snapshot.currency,
        theirs_currency="/".join(sorted(c for c in currencies if c)) or "?",
        onprem_vcpus=sum(r.cores for r in rows),
        onprem_memory_gib=round(sum(r.memory_gib for r in rows), 1),
        ours_vcpus=sum(r.ours_vcpus for r in rows),
        ours_memory_gib=round(sum(r.ours_memory_gib for r in rows), 1),
    )
    return rows, totals


def _row(server: Server, sizer: Sizer, pricer: Pricer) -> Row:
    assert server.assessment is not None and server.cores and server.memory_mib
    vm = sizer.server(server)
    line = pricer.vm(vm)
    theirs = server.assessment.recommended_size
    shape = shape_of(theirs, sizer.catalogue) if theirs else None
    cost = [
        c
        for c in (server.assessment.monthly_compute_cost, server.assessment.monthly_storage_cost)
        if c is not None
    ]
    return Row(
        server=server.name,
        cores=server.cores,
        memory_gib=round(server.memory_mib / 1024, 2),
        ours=vm.size,
        ours_vcpus=vm.vcpus,
        ours_memory_gib=vm.memory_gib,
        ours_monthly=round(line.monthly.payg, 2),
        theirs=theirs,
        theirs_vcpus=shape[0] if shape else None,
        theirs_memory_gib=shape[1] if shape else None,
        theirs_monthly=round(sum(cost), 2) if cost else None,
        verdict=agreement(vm.size, theirs),
        reason=vm.reason,
    )
