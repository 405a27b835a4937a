"""Data and security: classification, residency, volume and recovery objectives."""

from __future__ import annotations

from forcelift.migration.classify.catalogue import Availability, Category
from forcelift.migration.classify.context import Context
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import Family, Phase, Precedence, RuleSet, Verdict
from forcelift.migration.inventory.model import SecurityClassification

RULES = RuleSet(Family.DATA)

_CLOUD = (Decision.SAAS, Decision.PAAS, Decision.IAAS)
_BUILT = (Decision.PAAS, Decision.IAAS)
LARGE_DATA_GIB = 10 * 1024


@RULES.rule(
    "DATA-001",
    "OFFICIAL-SENSITIVE data needs UK-hosted SaaS",
    rationale="""OFFICIAL-SENSITIVE policing data must stay in UK regions. A SaaS offer whose
    UK hosting is not confirmed is therefore not SaaS-ready: the workload moves to the force's
    own landing zone (managed platform or VMs, UK regions) until the supplier confirms UK
    hosting.""",
    condition="""the data is OFFICIAL-SENSITIVE and the main product prefers a SaaS offer whose
    UK hosting is not confirmed (and no national programme assures it)""",
    precedence=Precedence.PAAS,
    hard=True,
    tags=("residency", "saas"),
)
def sensitive_needs_uk_saas(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if ctx.app.classification is not SecurityClassification.OFFICIAL_SENSITIVE:
        return None
    if primary is None or primary.entry.preferred is not Decision.SAAS:
        return None
    saas = primary.entry.saas
    if saas.available is not Availability.YES or saas.cleared_for_sensitive:
        return None
    entry = primary.entry
    if entry.paas is not None:
        decision, strategy = Decision.PAAS, Strategy.REPLATFORM
        targets = Targets.of(entry.paas.azure, entry.paas.aws)
    else:
        decision, strategy = Decision.IAAS, Strategy.REHOST
        targets = Targets.of(entry.iaas.azure, entry.iaas.aws)
    hosting = (
        "is not UK-hosted" if saas.uk_hosting is Availability.NO else "has no confirmed UK hosting"
    )
    return Verdict(
        f"OFFICIAL-SENSITIVE data: {saas.offer} {hosting}, so it is not SaaS-ready; "
        f"{decision.value} in the force's UK landing zone instead",
        decision=decision,
        strategy=strategy,
        targets=targets,
        confidence=Confidence.MEDIUM,
        vetoes=frozenset({Decision.SAAS}),
    )


@RULES.rule(
    "DATA-002",
    "Large data volume to move",
    rationale="""Beyond about 10 TiB, copying data over the network competes with live traffic
    for weeks; an offline transfer device or a long seeding window has to be planned before the
    cutover date is.""",
    condition="the workload moves to the cloud and its servers hold more than 10 TiB",
    phase=Phase.SECOND,
    applies_to=_CLOUD,
    tags=("data",),
)
def large_data(ctx: Context) -> Verdict | None:
    if ctx.decision not in _CLOUD:
        return None
    total = ctx.data_gib
    if total <= LARGE_DATA_GIB:
        return None
    tib = total / 1024
    return Verdict(
        f"about {tib:,.1f} TiB of data to move", blockers=(_transfer(ctx, tib),), effort=1
    )


# The offline device of each cloud; a plan for one cloud names only its own (offline_device).
OFFLINE_DEVICES = {"azure": "Azure Data Box", "aws": "AWS Snowball"}
DEVICE_CHOICE = "the target cloud's offline transfer device (Azure Data Box / AWS Snowball)"


def offline_device(text: str, clouds: tuple[str, ...]) -> str:
    """A blocker as a plan for these clouds should read it: only their own device named."""
    if DEVICE_CHOICE not in text or not clouds:
        return text
    devices = " / ".join(OFFLINE_DEVICES[c] for c in clouds if c in OFFLINE_DEVICES)
    return text.replace(DEVICE_CHOICE, f"an offline transfer device ({devices})")


def _transfer(ctx: Context, tib: float) -> str:
    """How the data gets there: a SaaS move goes through the service's own migration path
    (mailboxes through mail migration), never a cloud provider's data box."""
    primary = ctx.primary
    if ctx.decision is Decision.SAAS:
        if primary is not None and primary.entry.category is Category.EMAIL:
            return (
                f"{tib:,.1f} TiB of mailboxes to move: plan the mail migration (hybrid "
                "mailbox moves or migration batches to the hosted service) over the network, "
                "in batches over weeks, before fixing the cutover date"
            )
        return (
            f"{tib:,.1f} TiB to move into the SaaS service: plan its vendor's import or "
            "migration path and how long it takes before fixing the cutover date"
        )
    return (
        f"{tib:,.1f} TiB to transfer: plan {DEVICE_CHOICE} or a long seeding window before "
        "fixing the cutover date"
    )


@RULES.rule(
    "DATA-003",
    "Near-zero recovery objectives",
    rationale="""A recovery point of zero or a recovery time under an hour needs synchronous
    replication and automatic failover across availability zones, designed and rehearsed before
    the workload moves, not after.""",
    condition="the workload moves to the cloud with RPO 0 or RTO under one hour",
    phase=Phase.SECOND,
    applies_to=_BUILT,
    tags=("resilience",),
)
def tight_recovery(ctx: Context) -> Verdict | None:
    if ctx.decision not in _BUILT:
        return None
    rpo, rto = ctx.app.rpo_hours, ctx.app.rto_hours
    if not ((rpo is not None and rpo == 0) or (rto is not None and rto < 1)):
        return None
    shown = ", ".join(
        part
        for part in (
            f"RPO {rpo:g} h" if rpo is not None else "",
            f"RTO {rto:g} h" if rto is not None else "",
        )
        if part
    )
    return Verdict(
        f"recovery objectives {shown}",
        blockers=(
            f"{shown}: design across availability zones and rehearse failover before cutover",
        ),
        effort=1,
    )


@RULES.rule(
    "DATA-004",
    "OFFICIAL-SENSITIVE data in the landing zone",
    rationale="""OFFICIAL-SENSITIVE workloads built in the landing zone are confined to UK
    regions (Azure UK South/UK West, AWS eu-west-2) by the allowed-locations guardrail; the
    design has to keep replicas and backups there too.""",
    condition="the data is OFFICIAL-SENSITIVE and the workload moves to PaaS or IaaS",
    phase=Phase.SECOND,
    applies_to=_BUILT,
    tags=("residency",),
)
def sensitive_in_uk_regions(ctx: Context) -> Verdict | None:
    if ctx.decision not in _BUILT:
        return None
    if ctx.app.classification is not SecurityClassification.OFFICIAL_SENSITIVE:
        return None
    return Verdict(
        "OFFICIAL-SENSITIVE: UK South/UK West or eu-west-2 only, replicas and backups included"
    )
