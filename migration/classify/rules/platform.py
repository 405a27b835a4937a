"""Platform and runtime: what the servers and the code on them allow."""

from __future__ import annotations

from forcelift.migration.classify.catalogue import Category, Kind
from forcelift.migration.classify.context import Context, EvidenceSource
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import (
    Family,
    Precedence,
    RuleSet,
    TextPattern,
    Verdict,
    managed_paths,
)
from forcelift.migration.inventory.model import OsFamily

RULES = RuleSet(Family.PLATFORM)

_WEB = TextPattern(
    r"\b(web ?(app|application|site|portal|service|api)s?|portal|intranet|extranet|asp\.net|"
    r"\.net|java|php|api|website)\b",
    ("web", "portal", "intranet", "extranet", ".net", "java", "php", "api"),
)
_MOVABLE = (OsFamily.WINDOWS, OsFamily.LINUX)
_OTHER_RULES = (Category.MESSAGING, Category.SEARCH, Category.CACHE)
_OWN_CODE = (Category.WEB_RUNTIME, Category.DATABASE, Category.REPORTING, Category.INTEGRATION)
_UNRECORDED = (OsFamily.UNKNOWN, OsFamily.OTHER)
_FAMILY_NAMES = {
    OsFamily.WINDOWS: "Windows",
    OsFamily.LINUX: "Linux",
    OsFamily.UNIX: "Unix",
    OsFamily.MAINFRAME: "mainframe",
    OsFamily.APPLIANCE: "appliance",
    OsFamily.OTHER: "other OS",
    OsFamily.UNKNOWN: "OS unknown",
}


def _rehost(reason: str, confidence: Confidence = Confidence.LOW) -> Verdict:
    """Rehost as VMs: what is left when no managed path is known."""
    return Verdict(reason, decision=Decision.IAAS, strategy=Strategy.REHOST, confidence=confidence)


@RULES.rule(
    "PAAS-001",
    "Bespoke code on runtimes with managed equivalents",
    rationale="""The force's own code on IIS/.NET, Tomcat, Node, PHP with SQL Server,
    PostgreSQL or MySQL is the classic replatform: managed web hosting and managed databases
    remove OS patching, clustering and backup work, with modest change to the code.""",
    condition="""the workload runs no supplier application or IT service (known to the
    catalogue or not), every platform found on it (web runtime, database) has a managed
    equivalent the catalogue prefers, and it is not containerised or only a broker, search
    engine or cache (PAAS-004 and PAAS-007 decide those)""",
    precedence=Precedence.PAAS,
    tags=("paas", "runtime"),
)
def bespoke_on_managed_runtimes(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.kind is not Kind.PLATFORM or ctx.unknown_products:
        return None
    platforms = ctx.of_kind(Kind.PLATFORM)
    if any(m.entry.category in _OTHER_RULES for m in platforms) and not any(
        m.entry.category in _OWN_CODE for m in platforms
    ):
        return None  # only brokers, search or caches: PAAS-007's
    if any(m.entry.category is Category.CONTAINER_PLATFORM for m in platforms):
        return None  # PAAS-004's
    ordered = sorted(platforms, key=lambda m: m.entry.category is not Category.WEB_RUNTIME)
    paths = managed_paths(ordered)
    if paths is None:
        return None
    azure, aws = paths
    found = ", ".join(m.entry.product for m in ordered)
    weak = primary.source is EvidenceSource.NAME
    equivalent = "each with" if len(ordered) > 1 else "which has"
    return Verdict(
        f"its own code runs on {found}, {equivalent} a managed equivalent",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=Targets.of(azure, aws),
        confidence=Confidence.MEDIUM if weak else Confidence.HIGH,
    )


@RULES.rule(
    "PAAS-003",
    "In-house web application without product evidence",
    rationale="""An application the force built itself and serves on the web is a replatform
    candidate even before its runtime is confirmed: forces' in-house systems are mostly
    .NET or Java sites over a SQL database.""",
    condition="""no product matched, the description says it is built in-house and is a web
    application, and its servers run Windows or Linux""",
    precedence=Precedence.PAAS,
    tags=("paas", "runtime"),
)
def in_house_web(ctx: Context) -> Verdict | None:
    if ctx.matches or ctx.unknown_products or not ctx.in_house or not _WEB.search(ctx.text):
        return None
    if any(s.os.family not in _MOVABLE for s in ctx.servers):
        return None
    return Verdict(
        "built in-house as a web application: replatform onto managed web hosting and a "
        "managed database once the runtime is confirmed",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=Targets.of(
            "Azure App Service + Azure SQL Database", "AWS Elastic Beanstalk + Amazon RDS"
        ),
        confidence=Confidence.MEDIUM,
    )


@RULES.rule(
    "IAAS-002",
    "No product evidence: rehost as VMs",
    rationale="""Without knowing what a workload runs, the safe default is to move it as it is:
    rehosting servers as VMs is always possible for Windows and Linux, and the decision can be
    improved once software inventory is gathered.""",
    condition="""no product, installed software or name matched the catalogue, and no supplier
    product is declared""",
    precedence=Precedence.FALLBACK,
    tags=("iaas", "fallback"),
)
def rehost_fallback(ctx: Context) -> Verdict | None:
    if ctx.matches or ctx.unknown_products:
        return None
    if not ctx.servers:
        return _rehost("no servers and no products recorded: confirm where it runs")
    families = ", ".join(sorted({_FAMILY_NAMES[s.os.family] for s in ctx.servers}))
    servers = "its server" if len(ctx.servers) == 1 else f"its {len(ctx.servers)} servers"
    return _rehost(
        f"no product evidence: rehost {servers} ({families}) as VMs; gather software "
        "inventory to refine"
    )


@RULES.rule(
    "IAAS-004",
    "Supplier product the catalogue does not know",
    rationale="""A declared supplier product that is not in the catalogue is still a supplier
    product: it moves as its supplier supports it, which is VMs until they say otherwise. Ask
    the supplier about a UK-hosted service and add the product to a catalogue file to refine.""",
    condition="""the application declares a product from a supplier (not the force itself) that
    is not in the catalogue, and no supplier application or IT service in the catalogue
    matched""",
    precedence=Precedence.IAAS,
    tags=("iaas", "catalogue"),
)
def unknown_supplier_product(ctx: Context) -> Verdict | None:
    if not ctx.unknown_products:
        return None
    primary = ctx.primary
    if primary is not None and primary.entry.kind is not Kind.PLATFORM:
        return None
    product = ctx.unknown_products[0]
    label = " ".join(p for p in (product.vendor, product.product, product.version) if p)
    return _rehost(
        f"{label} is a supplier product the catalogue does not know: rehost as its supplier "
        "supports, ask about a UK-hosted service, and add it to a catalogue file to refine",
        Confidence.MEDIUM,
    )


@RULES.rule(
    "IAAS-003",
    "Operating system not recorded",
    rationale="""Sizing, licensing and support all depend on the OS; a server without one
    recorded makes every decision about it less certain.""",
    condition="at least one of the workload's servers has no recognisable operating system",
    tags=("evidence",),
)
def os_unrecorded(ctx: Context) -> Verdict | None:
    unknown = [s.name for s in ctx.servers if s.os.family in _UNRECORDED]
    if not unknown:
        return None
    return Verdict(
        f"{len(unknown)} server(s) with no recognisable OS ({', '.join(unknown[:3])}): "
        "confirm before sizing",
        penalty=1,
    )
