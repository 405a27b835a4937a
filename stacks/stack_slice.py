"""The minimal plan one stack's program reads: its slice.

A stack's preview is a function of its slice (plus its config, the outputs it references and
the tool versions), so the slice's digest is what says whether an earlier preview can be
reused (preview_stamps.py). Correct by construction: the program is only ever given the
slice (plan_slice.stack_view), and tests/stacks/test_incremental_preview.py checks that every
stack's preview from its slice is byte-identical to one from the whole plan.

What a slice keeps, by the stack's layer:

- every layer: the force, the plan options the program reads, its cloud's region, landing
  zone plan and its own stack entry; other clouds only as placeholders (their name, so
  "the plan has no aws cloud" still names them, and their position, so error paths such as
  `clouds[1]...` stay those of the whole plan);
- landing zone: the cloud's sharing entries (RAM shares, whether anything is hosted as an
  API, consumed or published to staff);
- wave, unsplit or the first part of a split wave (it declares the spoke for every part):
  the wave's workloads and stack entries, its `waves` entry (spoke, parts), its hosted
  services and staff access; other waves as placeholders that keep their places (a wave's
  number), other stacks' staff access as one placeholder per method (AWS waves ask whether
  any is planned through Verified Access) and nothing of other stacks' hosted services;
- a later part of a split wave: the same, but only its own workloads, stack entry, hosted
  services and staff access in full, and of the whole wave only the distinct summaries of
  what a later part reads of its workloads (the classification and criticality tags the wave
  network's tags come from, whether a managed instance needs its subnet), each at the place
  of the first workload it stands for; so a change to an application in one part previews
  that part and the first part again, not the whole wave, and a later part's slice stays
  small however big the wave;
- sharing: the consumed services and the cloud's sharing entries, every wave's parts (the
  sharing layer reaches each spoke) and every stack's name and layer.

Of the landing zone plan, no slice keeps the hybrid links (no program reads them) and only
the landing zone's keeps the SaaS egress allow-list. Everything else (cost, carbon, business
case, on-premise summary, schedule, decisions, workloads of other waves, prices) is emptied
to fixed values. The places of the slice's workloads, hosted services and staff access in
the whole plan (for error paths) and the cloud's application names (for name clashes) are
not in the slice: they only appear in error messages, never in a preview, so they must not
change its key (see plan_slice.PlanView).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from forcelift.migration.classify.model import Decision
from forcelift.migration.plan.carbon import CarbonSummary, Footprint
from forcelift.migration.plan.cost import CostSummary, Rates
from forcelift.migration.plan.onprem_cost import OnPremCost
from forcelift.migration.plan.planfile import (
    CloudPlan,
    CloudWavePlan,
    CloudWorkload,
    Connectivity,
    LandingZonePlan,
    NetworkPlan,
    OnPremSummary,
    PaasPlan,
    Plan,
    PlanOptions,
    StackPlan,
)
from forcelift.migration.plan.sharing_plan import (
    CloudSharing,
    HostedService,
    StaffAccess,
    StaffMethod,
)

_EPOCH = dt.date(1970, 1, 1)
_NO_NETWORK = NetworkPlan(name="", cidr="", subnets=())
_NO_COST = CostSummary(
    currency="",
    waves=(),
    unscheduled_monthly=Rates(),
    unscheduled_annual=Rates(),
    monthly=Rates(),
    annual=Rates(),
)
_NO_CARBON = CarbonSummary(
    waves=(),
    unscheduled_onprem=Footprint(),
    unscheduled_cloud=Footprint(),
    onprem=Footprint(),
    cloud=Footprint(),
)
_NO_ONPREM = OnPremSummary(cost=OnPremCost(), carbon=Footprint(), servers=0, cores=0, memory_gib=0)
_NO_RATES = Rates()


def slice_id(plan: Plan, cloud: str, stack: str) -> str:
    """Which slice a stack reads: `landing-zone`, `sharing`, `wave-<n>` (a whole wave, or
    the first part of a split one), `wave-<n>-<stack>` (a later part) or `none` for a stack
    or cloud the plan does not have (its program reports that; any such stack's slice is
    the same)."""
    found = next((c for c in plan.clouds if c.cloud == cloud), None)
    entry = None if found is None else next((s for s in found.stacks if s.name == stack), None)
    if found is None or entry is None:
        return "none"
    if entry.layer == "wave":
        if _later_part(found, entry):
            return f"wave-{entry.wave}-{entry.name}"
        return f"wave-{entry.wave}"
    return entry.layer


def _later_part(cloud: CloudPlan, entry: StackPlan) -> bool:
    """A wave stack that is not the first of its wave's parts (the first owns the spoke)."""
    wave = next((w for w in cloud.waves if w.number == entry.wave), None)
    return wave is not None and bool(wave.stacks) and wave.stacks[0] != entry.name


@dataclass(frozen=True)
class WaveIndex:
    """One cloud's workloads by wave, made once per plan (a 100,000-server plan has tens of
    thousands of workloads and a hundred stacks): `places` are the places in
    `cloud.workloads` of each wave's workloads; `summaries` are made once per wave, as the
    first later part's slice is made, and shared by every later part of the wave."""

    places: dict[int, tuple[int, ...]]
    #: per wave: (place, summary) of each distinct summary of its workloads (`_summary_key`)
    summaries: dict[int, tuple[tuple[int, CloudWorkload], ...]] = field(default_factory=dict)


def wave_positions(cloud: CloudPlan) -> WaveIndex:
    """The cloud's WaveIndex (see there)."""
    found: dict[int, list[int]] = {}
    for index, workload in enumerate(cloud.workloads):
        found.setdefault(workload.wave, []).append(index)
    return WaveIndex({wave: tuple(indices) for wave, indices in found.items()})


def stack_slice(
    plan: Plan,
    cloud: str,
    stack: str,
    positions: WaveIndex | None = None,
) -> Plan:
    """The minimal Plan the program needs for `stack` of `cloud` (pure; see the module
    docstring). `positions` is `wave_positions` of the cloud, when the caller has it."""
    clouds = tuple(
        _own_cloud(c, stack, positions) if c.cloud == cloud else _placeholder(c)
        for c in plan.clouds
    )
    return Plan(
        schema_version=plan.schema_version,
        force=plan.force,
        as_of=_EPOCH,
        sources=(),
        options=PlanOptions(
            clouds=plan.options.clouds, hybrid_benefit_sql=plan.options.hybrid_benefit_sql
        ),
        workloads=(),
        waves=(),
        excluded=(),
        onprem=_NO_ONPREM,
        clouds=clouds,
    )


def slice_indices(
    plan: Plan, cloud: str, stack: str, positions: WaveIndex | None = None
) -> tuple[int, ...]:
    """Places in the whole cloud plan's workloads of the workloads in the stack's slice."""
    found = next((c for c in plan.clouds if c.cloud == cloud), None)
    entry = None if found is None else next((s for s in found.stacks if s.name == stack), None)
    if found is None or entry is None or entry.layer != "wave" or entry.wave is None:
        return ()
    table = positions if positions is not None else wave_positions(found)
    return tuple(i for i, _ in _wave_members(found, entry, table))


def slice_digest(piece: Plan) -> str:
    """sha256 of the slice's canonical JSON (sorted keys, no spaces)."""
    return hashlib.sha256(canonical_json(piece)).hexdigest()


def canonical_json(piece: Plan) -> bytes:
    data = piece.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def _placeholder(cloud: CloudPlan) -> CloudPlan:
    """Another cloud: its name and place only."""
    remote = cloud.landing_zone.remote_access
    return CloudPlan(
        cloud=cloud.cloud,
        region="",
        landing_zone=LandingZonePlan(
            stack="",
            hub=_NO_NETWORK,
            supernet="",
            connectivity=Connectivity(on_premise_ranges=(), psn_required=False),
            remote_access=remote,
        ),
        waves=(),
        workloads=(),
        stacks=(),
        cost=_NO_COST,
        carbon=_NO_CARBON,
        price_snapshot="",
    )


def _own_cloud(cloud: CloudPlan, stack: str, positions: WaveIndex | None) -> CloudPlan:
    entry = next((s for s in cloud.stacks if s.name == stack), None)
    base = _placeholder(cloud).model_copy(
        update={
            "region": cloud.region,
            "secondary_region": cloud.secondary_region,
            "landing_zone": _landing_zone(cloud.landing_zone, entry),
        }
    )
    if entry is None:
        return base
    if entry.layer == "landing-zone":
        sharing = cloud.sharing.model_copy(update={"not_fronted": ()})
        return base.model_copy(update={"stacks": (entry,), "sharing": sharing})
    if entry.layer == "sharing":
        waves = tuple(
            CloudWavePlan(number=w.number, spoke=_NO_NETWORK, stacks=w.stacks) for w in cloud.waves
        )
        stacks = tuple(s if s.name == stack else _stack_name_only(s) for s in cloud.stacks)
        sharing = cloud.sharing.model_copy(update={"not_fronted": ()})
        return base.model_copy(update={"waves": waves, "stacks": stacks, "sharing": sharing})
    return _wave_cloud(cloud, base, entry, positions)


def _landing_zone(plan: LandingZonePlan, entry: StackPlan | None) -> LandingZonePlan:
    """The landing zone plan without what no program reads: the hybrid links (the report's:
    one per dependency that crosses back on-premise, tens of thousands at 100,000 servers)
    and, outside the landing-zone stack, the SaaS egress allow-list its firewall takes."""
    update: dict[str, object] = {
        "connectivity": plan.connectivity.model_copy(update={"hybrid_links": ()})
    }
    if entry is None or entry.layer != "landing-zone":
        update["saas_egress"] = ()
    return plan.model_copy(update=update)


def _wave_cloud(
    cloud: CloudPlan,
    base: CloudPlan,
    entry: StackPlan,
    positions: WaveIndex | None,
) -> CloudPlan:
    wave = entry.wave
    table = positions if positions is not None else wave_positions(cloud)
    later = _later_part(cloud, entry)
    workloads = [w for _, w in _wave_members(cloud, entry, table)]
    waves = tuple(
        w if w.number == wave else CloudWavePlan(number=w.number, spoke=_NO_NETWORK, stacks=())
        for w in cloud.waves
    )
    stacks = tuple(
        _stack_name_only(s) if later and s.name != entry.name else s
        for s in cloud.stacks
        if s.layer == "wave" and s.wave == wave
    )
    hosted, staff = _wave_sharing(cloud, entry)
    sharing = CloudSharing(
        hosted=tuple(h for _, h in hosted), staff_access=tuple(a for _, a in staff)
    )
    return base.model_copy(
        update={
            "waves": waves,
            "workloads": tuple(workloads),
            "stacks": stacks,
            "sharing": sharing,
        }
    )


SharingPlaces = tuple[tuple[int, ...] | None, tuple[int, ...] | None]


def sharing_places(plan: Plan, cloud: str, stack: str) -> SharingPlaces:
    """Places in the whole cloud plan's `sharing.hosted` and `sharing.staff_access` of a wave
    stack's slice's entries (for error paths; -1 for the per-method placeholders, which no
    stack owns). None for other layers: their slices keep the lists whole."""
    found = next((c for c in plan.clouds if c.cloud == cloud), None)
    entry = None if found is None else next((s for s in found.stacks if s.name == stack), None)
    if found is None or entry is None or entry.layer != "wave":
        return None, None
    hosted, staff = _wave_sharing(found, entry)
    return tuple(i for i, _ in hosted), tuple(i for i, _ in staff)


def _wave_sharing(
    cloud: CloudPlan, entry: StackPlan
) -> tuple[list[tuple[int, HostedService]], list[tuple[int, StaffAccess]]]:
    """(place, entry) of the hosted services and staff access a wave stack reads: those of
    its own stacks (every part, for an unsplit wave or a first part; itself, for a later
    part), then one placeholder per method of the others' staff access (AWS waves ask
    whether any is planned through Verified Access). A cloud of 100,000 servers has
    thousands of entries and hundreds of wave stacks, so nothing else of them is copied."""
    if _later_part(cloud, entry):
        mine = {entry.name}
    else:
        own = next((w for w in cloud.waves if w.number == entry.wave), None)
        mine = {s.name for s in cloud.stacks if s.layer == "wave" and s.wave == entry.wave}
        mine |= set(own.stacks) if own is not None else set()
    sharing = cloud.sharing
    hosted = [(i, h) for i, h in enumerate(sharing.hosted) if h.stack in mine]
    staff = [(i, a) for i, a in enumerate(sharing.staff_access) if a.stack in mine]
    methods = sorted({a.method for a in sharing.staff_access if a.stack not in mine})
    return hosted, staff + [(-1, _staff_method(m)) for m in methods]


_NO_COST_UPDATE = {"monthly_cost": _NO_RATES}
#: the tags of other parts' workloads a later part reads: the wave network's tags take the
#: most sensitive classification and the highest criticality of the whole wave
_WAVE_TAGS = ("criticality", "data-classification")
#: a SQL managed instance adds its subnet to the spoke every part of the wave sees
_MANAGED_INSTANCE = PaasPlan(kind="sql_server", service="SQL Managed Instance", tier="")


def _wave_members(
    cloud: CloudPlan, entry: StackPlan, table: WaveIndex
) -> list[tuple[int, CloudWorkload]]:
    """(place in cloud.workloads, workload) of a wave stack's slice, in place order: the whole
    wave for an unsplit wave or a first part; for a later part, its own workloads and the
    wave's distinct summaries (what a later part reads of the others)."""
    places = table.places.get(entry.wave, ()) if entry.wave is not None else ()
    if not _later_part(cloud, entry):
        return [(i, cloud.workloads[i].model_copy(update=_NO_COST_UPDATE)) for i in places]
    assert entry.wave is not None
    if entry.wave not in table.summaries:
        found: dict[tuple[str, str, bool], int] = {}
        for i in places:
            found.setdefault(_summary_key(cloud.workloads[i]), i)
        table.summaries[entry.wave] = tuple(
            (i, _summary(key, entry.wave)) for key, i in found.items()
        )
    own = [
        (i, cloud.workloads[i].model_copy(update=_NO_COST_UPDATE))
        for i in places
        if cloud.workloads[i].stack == entry.name
    ]
    return sorted([*own, *table.summaries[entry.wave]], key=lambda pair: pair[0])


def _summary_key(workload: CloudWorkload) -> tuple[str, str, bool]:
    tags = workload.tags
    managed = any(
        p.kind == "sql_server" and "managed instance" in p.service.lower() for p in workload.paas
    )
    return (tags.get(_WAVE_TAGS[0], ""), tags.get(_WAVE_TAGS[1], ""), managed)


def _summary(key: tuple[str, str, bool], wave: int) -> CloudWorkload:
    """What a later part reads of the wave's other workloads, one per distinct kind: the
    tags the wave network's tags come from and whether a managed instance needs its subnet
    (no name, no stack: the wave's first part names and checks each workload)."""
    criticality, classification, managed = key
    tags = {k: v for k, v in zip(_WAVE_TAGS, (criticality, classification), strict=True) if v}
    return CloudWorkload(
        application="",
        decision=Decision.IAAS,
        wave=wave,
        stack="",
        target="",
        tags=tags,
        paas=(_MANAGED_INSTANCE,) if managed else (),
        monthly_cost=_NO_RATES,
    )


@lru_cache(maxsize=16)
def _staff_method(method: StaffMethod) -> StaffAccess:
    """Others' staff access as a wave slice keeps it: only its method, one object per
    method shared by every slice."""
    return StaffAccess(application="", stack="", method=method, hostname="", identity="", reason="")


def _stack_name_only(entry: StackPlan) -> StackPlan:
    return StackPlan(
        name=entry.name, layer=entry.layer, wave=entry.wave, part=entry.part, estimated_resources=0
    )
