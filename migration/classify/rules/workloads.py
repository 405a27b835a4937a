"""Workload classes: what kind of system it is decides the platform, more than its product.

Web code that needs a VM, containerised services, open-source web applications, file transfer
servers, queues/search/caches, and the operations tools that must stay beside on-premise kit.
This family is registered before the catalogue and platform families, so at equal precedence
its more specific proposals win (and their reasons come first).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from forcelift.migration.classify.catalogue import Category, Kind
from forcelift.migration.classify.context import Context, ProductMatch
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import (
    Family,
    Precedence,
    RuleSet,
    TextPattern,
    Verdict,
    join_services,
    managed_paths,
)
from forcelift.migration.inventory.model import ExternalService, OsFamily

RULES = RuleSet(Family.WORKLOADS)

_ON_PREMISE = Targets.of("stays on-premise", "stays on-premise")
_NO_PAAS = frozenset({Decision.PAAS})
_MANAGED_SFTP = Targets.of(
    "Azure Blob Storage SFTP (storage account with SFTP enabled)", "AWS Transfer Family (SFTP)"
)
_PARTNERS = (ExternalService.CJSM, ExternalService.PARTNER)
_OWN_CODE_HOSTS = (Category.VIRTUAL_DESKTOP, Category.FILE_TRANSFER)
_PLATFORM_SERVICES = (Category.MESSAGING, Category.SEARCH, Category.CACHE)
_OPERATIONS = (Category.MONITORING, Category.BACKUP)
_MOVABLE = (OsFamily.WINDOWS, OsFamily.LINUX)
_NOT_SERVICES = (*_PLATFORM_SERVICES, Category.DATABASE)


class _Signal(NamedTuple):
    what: str  # what needs the VM, in words
    pattern: re.Pattern[str]


# What keeps an application's own code on a VM: things managed web hosting cannot run.
_NEEDS_VM = (
    _Signal("COM+ components", re.compile(r"\bcom\+|\bcomponent services\b|\bdcom\b")),
    _Signal(
        "assemblies installed in the GAC (e.g. the Crystal Reports runtime)",
        re.compile(r"\bgac\b|\bglobal assembly cache\b|\bcrystal reports\b.*\b(runtime|for \.net)"),
    ),
    _Signal(
        "desktop Office/Acrobat on the server (interop automation)",
        re.compile(
            r"\boffice interop\b|\bmicrosoft office (professional|standard|home|20\d\d)|"
            r"\bmicrosoft (word|excel|powerpoint) 20\d\d|\badobe acrobat (pro|standard|dc)\b"
        ),
    ),
    _Signal("MSMQ queues", re.compile(r"\bmsmq\b|\bmessage queuing\b")),
    _Signal(
        "a Windows service, listener or device driver of its own",
        re.compile(
            r"\bwindows service\b|\bdevice driver\b|\bkernel driver\b|"
            r"\blisten(s|er|ing)? (on|for) (tcp|udp)\b|\bon udp \d+|\bnt service\b"
        ),
    ),
    _Signal(
        "files kept on the server's local disk",
        re.compile(
            r"(?<!browser )\blocal ([c-z]:\\|disks?\b|drives?\b|storage\b|file ?systems?\b)|"
            r"\b(stored|written|saved|kept) (on|to) (the )?[c-z]:\\"
        ),
    ),
    _Signal(
        "local scripts and UNC shares on the box",
        # PowerShell only on a local path: a pipeline's deploy.ps1 runs anywhere
        re.compile(r"\b[c-z]:\\(scripts\b|\S*\.ps1\b)|\.(bat|cmd|vbs)\b|\bbatch (files|scripts)\b"),
    ),
    _Signal(
        "a desktop thick client (VB6 / PowerBuilder)",
        re.compile(r"\bvisual basic 6|\bvb6\b|\bpowerbuilder\b|\bthick client\b"),
    ),
)
_NEEDS_VM_HINTS = TextPattern(
    "|".join(f"(?:{s.pattern.pattern})" for s in _NEEDS_VM),
    (
        "com",
        "gac",
        "assembly",
        "crystal",
        "office",
        "word",
        "excel",
        "powerpoint",
        "acrobat",
        "msmq",
        "queuing",
        "service",
        "driver",
        "listen",
        "udp",
        "local",
        ":\\",
        ".bat",
        ".cmd",
        ".ps1",
        ".vbs",
        "batch",
        "visual basic",
        "vb6",
        "powerbuilder",
        "thick",
    ),
)
_FILE_TRANSFER = TextPattern(
    r"\b(sftp|ftps?|managed file transfer|mft|file transfer|file drop|drop box)\b",
    ("ftp", "mft", "file transfer", "file drop", "drop"),
)
# A backup tool's on-premise side: the data movers and the storage they write to.
_BACKUP_KIT = TextPattern(
    r"\b(prox(y|ies)|repositor(y|ies)|data movers?|media ?agents?|"
    r"media servers?|tapes?|storage nodes?)\b",
    ("prox", "repositor", "mover", "media", "tape", "storage node"),
)
# Devices a monitoring tool polls. Nouns only where the word is also a verb ("switch to Azure
# Monitor"); repositories and proxies count for backup tools alone (a monitoring tool's
# "repository" is where its dashboards are kept).
_WATCHED_KIT = TextPattern(
    r"\b(switches|(network|core|edge|access|ethernet|san) switch|routers?|firewalls?|ups|upss|"
    r"snmp|netflow|network devices?|radio|infrastructure monitoring|pollers?)\b",
    (
        "switch",
        "router",
        "firewall",
        "ups",
        "snmp",
        "netflow",
        "network device",
        "radio",
        "infrastructure monitoring",
        "poller",
    ),
)


def _databases(ctx: Context) -> list[ProductMatch]:
    return [
        m
        for m in ctx.of_kind(Kind.PLATFORM)
        if m.entry.category is Category.DATABASE and m.entry.paas is not None
    ]


def _with_databases(ctx: Context, azure: str, aws: str) -> Targets:
    """The platform's targets, followed by the managed database for each database it uses."""
    dbs = [m.entry.paas for m in _databases(ctx) if m.entry.paas is not None]
    return Targets.of(
        join_services([azure, *(p.azure for p in dbs)]), join_services([aws, *(p.aws for p in dbs)])
    )


def _needs_vm(ctx: Context) -> list[str]:
    text = f"{ctx.text}\n{ctx.installed}"
    if not _NEEDS_VM_HINTS.search(text):
        return []
    found = []
    for signal in _NEEDS_VM:
        match = signal.pattern.search(text)
        if match:
            found.append(f"{signal.what} ({match.group(0).strip()!r})")
    return found


@RULES.rule(
    "IAAS-005",
    "Own code that needs a VM",
    rationale="""Managed web hosting runs a site's code, not the operating system around it.
    COM+ components, assemblies in the GAC, desktop Office or Acrobat driven by the site, MSMQ
    queues, the application's own Windows services, listeners or drivers, files on the server's
    local disk, local scripts and VB6 thick clients all need a server to live on: rehost, and
    replatform once they are rewritten.""",
    condition="""the workload is the force's own code (no supplier application matched, or only
    the desktop or file-transfer service it is delivered through) and its text or installed
    software shows COM+, GAC assemblies, Office interop, MSMQ, its own Windows service or
    driver, local file state, local scripts or a VB6 thick client""",
    precedence=Precedence.IAAS,
    tags=("iaas", "runtime"),
)
def needs_a_vm(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if (
        primary is not None
        and primary.entry.kind is not Kind.PLATFORM
        and primary.entry.category not in _OWN_CODE_HOSTS
    ):
        return None
    if not ctx.servers or any(s.os.family not in _MOVABLE for s in ctx.servers):
        return None
    found = _needs_vm(ctx)
    if not found:
        return None
    return Verdict(
        f"needs a VM: {'; '.join(found)}; managed web hosting cannot run these, so rehost and "
        "replatform once they are rewritten",
        decision=Decision.IAAS,
        strategy=Strategy.REHOST,
        confidence=Confidence.MEDIUM,
        vetoes=_NO_PAAS,
    )


def _partners(ctx: Context) -> list[str]:
    return [s.value for s in ctx.externals if s in _PARTNERS]


def _file_transfer(ctx: Context) -> ProductMatch | bool | None:
    """The file-transfer product, True when only its name or description says so, or None.

    Only the product that defines the workload counts: an FTP server installed beside a
    supplier application or an IT service does not make that workload a file transfer server.
    """
    primary = ctx.primary
    if primary is not None and primary.entry.category is Category.FILE_TRANSFER:
        return primary
    if ctx.unknown_products or (primary is not None and primary.entry.kind is not Kind.PLATFORM):
        return None
    words = f"{ctx.identity}\n{ctx.app.description}".lower()
    return True if _FILE_TRANSFER.search(words) else None


@RULES.rule(
    "IAAS-006",
    "File transfer with partner endpoints",
    rationale="""A file transfer server that partners (CJSM, courts, CPS, local authorities)
    connect to is configured against its addresses, keys and certificates on both sides. Rehost
    it first so partners re-point once, then move the flows to a managed SFTP service one
    partner at a time.""",
    condition="""the workload is a file transfer server (a file-transfer product, or SFTP, FTPS or
    managed file transfer in its name or description) and it exchanges data with CJSM or a
    partner system""",
    precedence=Precedence.IAAS,
    tags=("iaas", "file-transfer", "connectivity"),
)
def file_transfer_with_partners(ctx: Context) -> Verdict | None:
    partners = _partners(ctx)
    if not partners or _file_transfer(ctx) is None:
        return None
    return Verdict(
        f"a file transfer service with partner endpoints ({', '.join(partners)}): rehost it so "
        "partners keep one address change, then move flows to Azure Blob Storage SFTP / AWS "
        "Transfer Family",
        decision=Decision.IAAS,
        strategy=Strategy.REHOST,
        confidence=Confidence.MEDIUM,
        vetoes=_NO_PAAS,
    )


@RULES.rule(
    "RETAIN-001",
    "Operations tool that watches or backs up on-premise kit",
    rationale="""A backup server with proxies, media agents, repositories or tape, and a
    monitoring tool that polls switches, routers, UPSs or systems that stay, works on what is
    left on-premise: moving it would pull every backup or poll across the hybrid link. It
    stays beside that kit (cloud workloads use the cloud's native backup and monitoring) until
    the kit is gone.""",
    condition="""the main product is a monitoring or backup tool, and it depends on or is used by
    an application that stays on-premise (an OS neither cloud runs, hardware ties), or its
    products prefer to stay with the network, or its software and text show on-premise data
    movers or devices (for a backup tool: proxies, media agents, repositories, tape; for
    either: switches, routers, UPSs, SNMP, NetFlow, infrastructure monitoring)""",
    precedence=Precedence.ON_PREMISE,
    tags=("retain", "operations"),
)
def watches_on_premise_kit(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.category not in _OPERATIONS:
        return None
    staying = sorted(
        {name for key, name in (*ctx.calls, *ctx.callers) if key in ctx.on_premise_apps},
        key=str.lower,
    )
    if staying:
        why = f"it watches {', '.join(staying[:3])}, which stays on-premise"
    else:
        network = next(
            (
                m
                for m in ctx.matches
                if m.entry.category in _OPERATIONS and m.entry.preferred is Decision.RETAIN
            ),
            None,
        )
        if network is not None:
            why = f"{network.entry.label} ({network.evidence}) works on the network it watches"
        else:
            text = f"{ctx.text}\n{ctx.installed}"
            backup = primary.entry.category is Category.BACKUP
            match = (backup and _BACKUP_KIT.search(text)) or _WATCHED_KIT.search(text)
            if match is None:
                return None
            why = f"it works on on-premise kit ({match.group(0)!r})"
    native = (
        f"{primary.entry.paas.azure} / {primary.entry.paas.aws}"
        if primary.entry.paas is not None
        else "the clouds' native services"
    )
    return Verdict(
        f"{primary.entry.label} stays beside what it watches or protects: {why}; cloud "
        f"workloads use {native}",
        decision=Decision.RETAIN,
        strategy=Strategy.RETAIN,
        targets=_ON_PREMISE,
        confidence=Confidence.MEDIUM,
    )


_ORCHESTRATOR_RANK = (("openshift", 0), ("kubernetes", 1))


def _container_rank(match: ProductMatch) -> int:
    target = (match.entry.paas.azure if match.entry.paas else "").lower()
    return next((rank for word, rank in _ORCHESTRATOR_RANK if word in target), 2)


@RULES.rule(
    "PAAS-004",
    "Containerised services",
    rationale="""Services already packaged as containers (Docker, Podman, Kubernetes, OpenShift,
    Rancher, Tanzu) run unchanged on a managed container platform: Azure Container Apps or AKS,
    Amazon ECS on Fargate or EKS (Azure Red Hat OpenShift / ROSA for OpenShift). The force stops
    running hosts and control planes; the images and manifests move as they are.""",
    condition="""a container engine or orchestrator is installed on the workload's servers (or
    declared), and no supplier application or IT service defines it""",
    precedence=Precedence.PAAS,
    tags=("paas", "containers"),
)
def containerised(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.kind is not Kind.PLATFORM:
        return None
    found = [m for m in ctx.matches if m.entry.category is Category.CONTAINER_PLATFORM]
    if not found:
        return None
    chosen = min(found, key=_container_rank)
    paas = chosen.entry.paas
    if paas is None:
        return None
    azure, aws = paas.azure, paas.aws
    windows = any(s.os.family is OsFamily.WINDOWS for s in ctx.servers)
    if windows and _container_rank(chosen) == 2:
        azure = "Azure Kubernetes Service (AKS, Windows Server containers)"
        aws = "Amazon ECS on AWS Fargate (Windows containers)"
    engines = ", ".join(dict.fromkeys(m.entry.product for m in found))
    return Verdict(
        f"runs as containers on {engines} (evidence: {chosen.evidence}): the same images run on "
        f"{azure} / {aws} with no hosts to patch",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=_with_databases(ctx, azure, aws),
        confidence=Confidence.HIGH,
    )


@RULES.rule(
    "PAAS-006",
    "File transfer server onto managed SFTP",
    rationale="""SFTP, FTPS and managed-file-transfer servers exist to receive and hand over
    files. Azure Blob Storage SFTP and AWS Transfer Family provide the endpoint, accounts and
    storage as a service, so there is no internet-facing server to patch (file transfer servers
    are a favourite target).""",
    condition="""the workload is a file transfer server (a file-transfer product the catalogue
    prefers on PaaS, or SFTP, FTPS or managed file transfer in its name or description, on no
    supplier product) and it has no partner endpoints""",
    precedence=Precedence.PAAS,
    tags=("paas", "file-transfer"),
)
def managed_file_transfer(ctx: Context) -> Verdict | None:
    if _partners(ctx):
        return None
    found = _file_transfer(ctx)
    if found is None:
        return None
    if isinstance(found, bool):
        targets, evidence = _MANAGED_SFTP, f"its name or description ({ctx.app.name!r})"
    else:
        if found.entry.preferred is not Decision.PAAS or found.entry.paas is None:
            return None
        targets = Targets.of(found.entry.paas.azure, found.entry.paas.aws)
        evidence = f"{found.entry.label}, {found.evidence}"
    return Verdict(
        f"a file transfer server ({evidence}): {targets.azure} / {targets.aws} replace it with "
        "no server to patch",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=targets,
        confidence=Confidence.HIGH if not isinstance(found, bool) else Confidence.MEDIUM,
    )


@RULES.rule(
    "PAAS-005",
    "Open-source web application on a managed stack",
    rationale="""WordPress, Drupal, Joomla, MediaWiki and similar open-source web applications
    are PHP (or .NET) code over MySQL or PostgreSQL: they run on managed web hosting with the
    managed database service, keeping the force's own content and plugins, where a hosted
    edition is not what the catalogue prefers.""",
    condition="""the main product is an open-source CMS or wiki whose catalogue path is a managed
    platform""",
    precedence=Precedence.PAAS,
    tags=("paas", "open-source"),
)
def open_source_web_app(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.category is not Category.CONTENT_MANAGEMENT:
        return None
    entry = primary.entry
    if entry.preferred is not Decision.PAAS or entry.paas is None:
        return None
    targets = _with_databases(ctx, entry.paas.azure, entry.paas.aws)
    return Verdict(
        f"{entry.label} is an open-source web application ({primary.evidence}): it runs on "
        f"{targets.azure} / {targets.aws}",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=targets,
        confidence=Confidence.HIGH,
    )


@RULES.rule(
    "PAAS-007",
    "Queue, stream, search or cache with a managed service",
    rationale="""Message brokers, event streams, search indexes and caches are commodity
    platforms each cloud runs as a service (Service Bus or Amazon MQ, Event Hubs or MSK,
    Azure AI Search or OpenSearch Service, Azure Cache for Redis or ElastiCache): clustering,
    patching and failover become the provider's job.""",
    condition="""every platform found on the workload is a message broker, event stream, search
    engine or cache (databases aside) whose catalogue path is a managed service, and no
    supplier application or IT service defines it""",
    precedence=Precedence.PAAS,
    tags=("paas", "platform-services"),
)
def managed_platform_service(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.kind is not Kind.PLATFORM or ctx.unknown_products:
        return None
    services = [m for m in ctx.matches if m.entry.category in _PLATFORM_SERVICES]
    others = [m for m in ctx.matches if m.entry.category not in _NOT_SERVICES]
    if not services or others:
        return None
    paths = managed_paths(services)
    if paths is None:
        return None
    azure, aws = paths
    found = ", ".join(dict.fromkeys(m.entry.label for m in services))
    return Verdict(
        f"{found} has a managed equivalent: {azure} / {aws}",
        decision=Decision.PAAS,
        strategy=Strategy.REPLATFORM,
        targets=_with_databases(ctx, azure, aws),
        confidence=Confidence.HIGH,
    )
