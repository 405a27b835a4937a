"""Catalogue matches: what the products a workload runs say about where it can go."""

from __future__ import annotations

from forcelift.migration.classify.catalogue import Availability, Category, Kind
from forcelift.migration.classify.context import Context, EvidenceSource
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import Family, Precedence, RuleSet, Verdict
from forcelift.migration.inventory.model import SecurityClassification

RULES = RuleSet(Family.CATALOGUE)

_ALREADY_SAAS = (
    "saas",
    "software as a service",
    "supplier hosted",
    "supplier-hosted",
    "hosted by the supplier",
    "hosted by supplier",
    "vendor hosted",
    "vendor-hosted",
    "cloud service",
    "already in the cloud",
)


def _evidence(ctx: Context) -> str:
    primary = ctx.primary
    return f" (evidence: {primary.evidence})" if primary else ""


@RULES.rule(
    "SAAS-001",
    "Supplier offers a UK-hosted SaaS",
    rationale="""Government Cloud First policy puts SaaS first: when the supplier of the product
    that defines the workload runs it as a service hosted in the UK, buying the service beats
    building and running any platform, and satisfies data residency for OFFICIAL-SENSITIVE
    data.""",
    condition="""the workload's main product prefers SaaS in the catalogue and its SaaS offer is
    hosted in the UK or provided and assured nationally (NEP)""",
    precedence=Precedence.SAAS,
    decisive=True,
    tags=("saas", "catalogue"),
)
def saas_uk_hosted(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.preferred is not Decision.SAAS:
        return None
    saas = primary.entry.saas
    if saas.available is not Availability.YES or not saas.cleared_for_sensitive:
        return None
    how = f"assured by {saas.assured_by}" if saas.assured_by else "UK-hosted"
    return Verdict(
        f"{primary.entry.label} has a SaaS offer {how}: {saas.offer}{_evidence(ctx)}",
        decision=Decision.SAAS,
        strategy=Strategy.REPURCHASE,
        targets=Targets.of(saas.offer, saas.offer),
    )


@RULES.rule(
    "SAAS-002",
    "SaaS offer without confirmed UK hosting, OFFICIAL data",
    rationale="""OFFICIAL data may be held by a SaaS supplier whose UK hosting is not confirmed,
    but a force will still want to know where it lives: SaaS remains the first choice, with
    the data location to confirm before contract.""",
    condition="""the main product prefers SaaS, its offer's UK hosting is not confirmed, and the
    data is OFFICIAL (not OFFICIAL-SENSITIVE)""",
    precedence=Precedence.SAAS,
    tags=("saas", "catalogue", "residency"),
)
def saas_unconfirmed_hosting(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.preferred is not Decision.SAAS:
        return None
    saas = primary.entry.saas
    if saas.available is not Availability.YES or saas.cleared_for_sensitive:
        return None
    if ctx.app.classification is not SecurityClassification.OFFICIAL:
        return None
    return Verdict(
        f"{primary.entry.label} is offered as SaaS ({saas.offer}); the data is OFFICIAL"
        f"{_evidence(ctx)}",
        decision=Decision.SAAS,
        strategy=Strategy.REPURCHASE,
        targets=Targets.of(saas.offer, saas.offer),
        confidence=Confidence.MEDIUM,
        blockers=(f"confirm where {saas.offer} holds the force's data (UK hosting unconfirmed)",),
    )


@RULES.rule(
    "SAAS-003",
    "Already consumed as SaaS",
    rationale="""A workload the force already consumes as a supplier-hosted service has no
    servers to move: it stays SaaS, and only its connections to the landing zone matter.""",
    condition="""the application lists no servers and its description or notes say it is SaaS or
    supplier-hosted""",
    precedence=Precedence.SAAS,
    decisive=True,
    tags=("saas",),
)
def already_saas(ctx: Context) -> Verdict | None:
    if ctx.app.servers or not any(word in ctx.text for word in _ALREADY_SAAS):
        return None
    return Verdict(
        "already supplier-hosted (SaaS) with no servers on the estate: keep the service",
        decision=Decision.SAAS,
        strategy=Strategy.RETAIN,
        targets=Targets.of("existing SaaS", "existing SaaS"),
    )


@RULES.rule(
    "PAAS-002",
    "IT service with a cloud-native replacement",
    rationale="""Backup, monitoring, file shares, patching, desktop brokers and similar IT
    services are better replaced by the cloud's managed service than lifted: the platform
    team stops running servers whose only job is the service itself.""",
    condition="""the workload's main product is an IT service or application whose catalogue
    path is a managed cloud service (open-source web applications and file transfer servers
    have their own rules, PAAS-005 and PAAS-006)""",
    precedence=Precedence.PAAS,
    tags=("paas", "catalogue"),
)
def managed_service_replacement(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.kind is Kind.PLATFORM:
        return None
    entry = primary.entry
    if entry.paas is None or entry.preferred is not Decision.PAAS:
        return None
    if entry.category in (Category.CONTENT_MANAGEMENT, Category.FILE_TRANSFER):
        return None
    return Verdict(
        f"{entry.label} is replaced by {entry.paas.azure} / {entry.paas.aws}{_evidence(ctx)}",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=Targets.of(entry.paas.azure, entry.paas.aws),
        confidence=Confidence.HIGH,
    )


@RULES.rule(
    "IAAS-001",
    "Supplier product supported on VMs",
    rationale="""A supplier's product with no managed or SaaS path the catalogue prefers moves
    as the supplier supports it: their application servers rehosted as VMs in the landing zone,
    sized from observed use. Platforms without a preferred managed equivalent (Oracle, Db2,
    WebLogic) keep the whole stack on VMs too.""",
    condition="""the catalogue's preferred path for the main product is IaaS, or a platform it
    runs on prefers VMs""",
    precedence=Precedence.IAAS,
    tags=("iaas", "catalogue"),
)
def supplier_vms(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None:
        return None
    entry = primary.entry
    stays = next(
        (m for m in ctx.of_kind(Kind.PLATFORM) if m.entry.preferred is Decision.IAAS), None
    )
    if entry.kind is Kind.PLATFORM and stays is not None and stays.entry.versions != "*":
        # a version-limited platform entry: a runtime or database version no managed
        # platform offers (PHP 5, Tomcat 7, MySQL 5.6)
        reason = (
            f"unsupported runtime version: {stays.entry.label} ({stays.evidence}) is a version "
            "no managed platform runs, so the stack stays on VMs until it is upgraded"
        )
        entry = stays.entry
    elif entry.preferred is Decision.IAAS:
        reason = f"{entry.label} runs on supplier-supported VMs{_evidence(ctx)}"
    elif entry.kind is Kind.PLATFORM and stays is not None:
        reason = f"{stays.entry.label} has no preferred managed path, so the stack stays on VMs"
        entry = stays.entry
    else:
        return None
    if entry.saas.available is Availability.YES:
        reason += f"; {entry.saas.offer} exists for a later re-procurement"
    return Verdict(
        reason,
        decision=Decision.IAAS,
        strategy=Strategy.REHOST,
        targets=Targets.of(entry.iaas.azure, entry.iaas.aws),
        confidence=Confidence.HIGH
        if primary.source is not EvidenceSource.NAME
        else Confidence.MEDIUM,
    )


@RULES.rule(
    "CAT-001",
    "Supplier's SaaS offer not established",
    rationale="""Where public sources do not show whether a supplier offers a hosted or SaaS
    version, the catalogue says "unknown" rather than guessing; the architect's action is to
    ask before committing to VMs for another contract term.""",
    condition="the main product is a supplier application whose SaaS availability is unknown",
    tags=("catalogue",),
)
def saas_unknown(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.kind is not Kind.APPLICATION:
        return None
    if primary.entry.saas.available is not Availability.UNKNOWN:
        return None
    return Verdict(
        f"ask {primary.entry.vendor} whether a UK-hosted service of {primary.entry.product} is "
        "offered (not established in public sources)"
    )


@RULES.rule(
    "CAT-002",
    "Products in one workload point different ways",
    rationale="""When one workload bundles supplier products whose catalogue paths differ (one
    SaaS, one VMs), the workload is really several: the decision follows the main product, and
    the split should be confirmed with the owner.""",
    condition="two or more supplier applications in the workload prefer different decisions",
    tags=("catalogue", "conflict"),
)
def products_disagree(ctx: Context) -> Verdict | None:
    apps = [m for m in ctx.of_kind(Kind.APPLICATION) if m.source is not EvidenceSource.NAME]
    preferred = {m.entry.preferred for m in apps}
    if len(preferred) < 2:
        return None
    listed = ", ".join(f"{m.entry.label} → {m.entry.preferred.value}" for m in apps[:4])
    return Verdict(
        f"the workload bundles products with different paths ({listed}); the decision follows "
        f"{apps[0].entry.label}",
        penalty=1,
        conflict=f"products disagree: {listed}",
    )


@RULES.rule(
    "CAT-003",
    "Recognised from the application's name only",
    rationale="""A name is weak evidence: "Exchange" may be a mail server or a data exchange. A
    decision resting on a name match is worth less than one resting on installed software.""",
    condition="no product or installed software matched, but the application's name did",
    tags=("catalogue", "evidence"),
)
def name_only(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.source is not EvidenceSource.NAME:
        return None
    return Verdict(
        f"recognised as {primary.entry.label} from its {primary.evidence} only: confirm against "
        "installed software",
        penalty=1,
    )
