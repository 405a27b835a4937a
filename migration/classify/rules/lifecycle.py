"""Lifecycle and retirement: what is finished, and what is out of support."""

from __future__ import annotations

import datetime as dt
import re

from forcelift.migration.classify.catalogue import Kind
from forcelift.migration.classify.context import Context
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import (
    Family,
    Phase,
    Precedence,
    RuleSet,
    TextPattern,
    Verdict,
)
from forcelift.migration.inventory.model import Criticality, PowerState, Server

RULES = RuleSet(Family.LIFECYCLE)

_DECOMMISSION = Targets.of("decommission", "decommission")
_LIFTED = (Decision.IAAS, Decision.RETAIN)
_RETIRING = TextPattern(
    r"\b(decommission(ed|ing)?|to be (retired|decommissioned|switched off)|"
    r"being (retired|decommissioned|replaced)|retire (it )?(once|after|when)|"
    r"no longer (used|in use|required|needed)|not used since|replaced by|superseded by|"
    r"switched off)\b",
    ("decommission", "retire", "switched off", "no longer", "not used", "replaced", "superseded"),
)
# Users outside the force are not in its user count: the public, partners, other systems.
_SERVES_OUTSIDE = TextPattern(
    r"\b(public|website|web ?site|apis?|feeds?|open data|internet[- ]facing|citizens?|"
    r"external users|partners?)\b",
    ("public", "web", "api", "feed", "open data", "internet", "citizen", "external", "partner"),
)
# A hardware refresh is not a retirement: "servers replaced by new hardware in 2023".
_REFRESH = re.compile(
    r"\b((servers?|hardware|hosts?|disks?|storage|kit)\s+(were\s+|was\s+)?"
    r"(replaced|refreshed|upgraded)|replaced by new (hardware|servers?|hosts?|kit|storage))\b"
)

# Microsoft lifecycle: end of extended support and of the extended security updates (ESU).
WS2008_END = dt.date(2020, 1, 14)
WS2008_ESU_END = dt.date(2024, 1, 9)  # the Azure-only fourth year
WS2012_END = dt.date(2023, 10, 10)
WS2012_ESU_END = dt.date(2026, 10, 13)


def _listed(servers: list[Server]) -> str:
    shown = ", ".join(s.name for s in servers[:3])
    return shown + (f" and {len(servers) - 3} more" if len(servers) > 3 else "")


@RULES.rule(
    "RETIRE-001",
    "Powered off with no users",
    rationale="""A workload whose servers are all powered off and which records no users is
    already out of service: the cheapest migration is none. Archive what must be kept, then
    decommission.""",
    condition="every server of the workload is powered off and no users are recorded (0 or none)",
    precedence=Precedence.RETIRE,
    decisive=True,
    tags=("retirement",),
)
def powered_off_unused(ctx: Context) -> Verdict | None:
    if not ctx.servers or ctx.app.user_count not in (None, 0):
        return None
    if any(s.power_state is not PowerState.OFF for s in ctx.servers):
        return None
    recorded = "0 users recorded" if ctx.app.user_count == 0 else "no user count recorded"
    servers = (
        "its server is powered off"
        if len(ctx.servers) == 1
        else f"all {len(ctx.servers)} servers are powered off"
    )
    return Verdict(
        f"{servers} and {recorded}: already out of service",
        decision=Decision.RETIRE,
        strategy=Strategy.RETIRE,
        targets=_DECOMMISSION,
        confidence=Confidence.HIGH if ctx.app.user_count == 0 else Confidence.MEDIUM,
    )


@RULES.rule(
    "RETIRE-002",
    "Recorded as replaced or being decommissioned",
    rationale="""When the force's own records say a system is replaced, superseded or being
    decommissioned, moving it would be wasted effort: retire it once its replacement carries
    the load, keeping an archive if retention rules need one.""",
    condition="""the description or notes say it is decommissioned, replaced by or superseded by
    something, no longer used, or to be retired""",
    precedence=Precedence.RETIRE,
    tags=("retirement",),
)
def recorded_retiring(ctx: Context) -> Verdict | None:
    text = f"{ctx.app.description}\n{ctx.app.notes}".lower()
    if _RETIRING.search(text) is None:
        return None
    match = _RETIRING.search(_REFRESH.sub(" ", text))
    if not match:
        return None
    blockers: tuple[str, ...] = ()
    if ctx.app.user_count:
        blockers = (
            f"{ctx.app.user_count:,} users still recorded: confirm they have moved to the "
            "replacement before switch-off",
        )
    return Verdict(
        f"the force's records say {match.group(0)!r}: retire rather than move",
        decision=Decision.RETIRE,
        strategy=Strategy.RETIRE,
        targets=_DECOMMISSION,
        blockers=blockers,
    )


@RULES.rule(
    "RETIRE-003",
    "No users and nothing depends on it",
    rationale="""A business application with no users recorded and no other application
    calling it is probably vestigial. Confirm with its owner and switch it off rather than
    paying to move it.""",
    condition="""the user count is 0, some server is still running, nothing depends on it, it
    is not an IT service or platform (which have no users of their own), it is neither
    high/critical nor a user of national services (both mean the count is wrong), and it does
    not serve people or systems outside the force (a public website, an API or a feed, whose
    users a staff count does not include)""",
    precedence=Precedence.RETIRE_WEAK,
    tags=("retirement",),
)
def no_users(ctx: Context) -> Verdict | None:
    if ctx.app.user_count != 0 or ctx.incoming or not ctx.servers:
        return None
    if all(s.power_state is PowerState.OFF for s in ctx.servers):
        return None  # RETIRE-001's case
    if ctx.primary is not None and ctx.primary.entry.kind is not Kind.APPLICATION:
        return None
    if ctx.app.criticality in (Criticality.HIGH, Criticality.CRITICAL) or ctx.externals:
        return None
    if _SERVES_OUTSIDE.search(f"{ctx.app.name}\n{ctx.app.description}".lower()):
        return None
    return Verdict(
        "0 users recorded and no application depends on it: confirm with the owner, then "
        "switch off",
        decision=Decision.RETIRE,
        strategy=Strategy.RETIRE,
        targets=_DECOMMISSION,
        confidence=Confidence.MEDIUM,
    )


@RULES.rule(
    "RETIRE-004",
    "Product superseded by a national or cloud service",
    rationale="""Some products have been superseded outright (the local ANPR back office by the
    National ANPR Service, Forefront TMG by the landing zone firewall, Domino by Microsoft 365):
    there is nothing to move, only content to archive or rebuild.""",
    condition="the catalogue's preferred path for the main product is RETIRE",
    precedence=Precedence.RETIRE,
    tags=("retirement", "catalogue"),
)
def superseded_product(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.preferred is not Decision.RETIRE:
        return None
    return Verdict(
        f"{primary.entry.label} is superseded by {primary.entry.superseded_by}",
        decision=Decision.RETIRE,
        strategy=Strategy.RETIRE,
        targets=_DECOMMISSION,
        confidence=Confidence.MEDIUM,
        blockers=(f"confirm {primary.entry.superseded_by} is in service before switch-off",),
    )


@RULES.rule(
    "LIFE-001",
    "Windows Server 2008 / 2008 R2",
    rationale="""Windows Server 2008 left extended support on 14 January 2020 and its last
    extended-security-update year (Azure only) ended on 9 January 2024. Rehosting it moves an
    unpatched OS; upgrade or rebuild as part of the move.""",
    condition="the workload is rehosted or retained and a server runs Windows Server 2008",
    phase=Phase.SECOND,
    applies_to=_LIFTED,
    tags=("os", "lifecycle"),
)
def windows_2008(ctx: Context) -> Verdict | None:
    if ctx.decision not in _LIFTED:
        return None
    old = [s for s, f in ctx.out_of_support if f.windows_2008]
    if not old:
        return None
    if ctx.as_of <= WS2008_ESU_END:
        path = f"extended security updates on Azure VMs until {WS2008_ESU_END:%d %B %Y}"
    else:
        path = f"no security updates at all since {WS2008_ESU_END:%d %B %Y}"
    if ctx.decision is Decision.RETAIN:
        return Verdict(f"stays on Windows Server 2008 ({_listed(old)}), {path}: a risk to manage")
    return Verdict(
        f"Windows Server 2008 on {_listed(old)}: out of support since "
        f"{WS2008_END:%d %B %Y}, {path}",
        blockers=(
            f"OS out of support (Windows Server 2008 on {_listed(old)}): upgrade in place or "
            "rebuild on a supported version during the move",
        ),
        effort=1,
    )


@RULES.rule(
    "LIFE-002",
    "Windows Server 2012 / 2012 R2",
    rationale="""Windows Server 2012 and 2012 R2 left extended support on 10 October 2023.
    Extended security updates run to 13 October 2026: free for Azure VMs, bought from Microsoft
    elsewhere (AWS included). After that the only path is an upgrade.""",
    condition="the workload is rehosted or retained and a server runs Windows Server 2012",
    phase=Phase.SECOND,
    applies_to=_LIFTED,
    tags=("os", "lifecycle", "esu"),
)
def windows_2012(ctx: Context) -> Verdict | None:
    if ctx.decision not in _LIFTED:
        return None
    old = [s for s, f in ctx.out_of_support if f.windows_2012]
    if not old:
        return None
    if ctx.as_of <= WS2012_ESU_END:
        blocker = (
            f"OS out of support (Windows Server 2012 on {_listed(old)}): upgrade, or use extended "
            f"security updates (free on Azure VMs, bought from Microsoft for AWS) until "
            f"{WS2012_ESU_END:%d %B %Y}"
        )
    else:
        blocker = (
            f"OS out of support (Windows Server 2012 on {_listed(old)}) and its extended "
            f"security updates ended {WS2012_ESU_END:%d %B %Y}: upgrade during the move"
        )
    if ctx.decision is Decision.RETAIN:
        return Verdict(
            f"stays on Windows Server 2012 ({_listed(old)}): {blocker.split(': ', 1)[1]}"
        )
    return Verdict(f"Windows Server 2012 on {_listed(old)}", blockers=(blocker,), effort=1)


@RULES.rule(
    "LIFE-003",
    "Other operating system out of support",
    rationale="""An OS past its vendor's end of support (RHEL 6/7, CentOS, old Ubuntu or SLES,
    Windows 2003) gets no security fixes; moving it unchanged carries the risk into the landing
    zone. Upgrade, or buy the vendor's extended support where it exists.""",
    condition="""the workload is rehosted or retained and a server's OS (other than Windows
    Server 2008/2012) is past its end-of-support date""",
    phase=Phase.SECOND,
    applies_to=_LIFTED,
    tags=("os", "lifecycle"),
)
def os_out_of_support(ctx: Context) -> Verdict | None:
    if ctx.decision not in _LIFTED:
        return None
    old: list[tuple[Server, dt.date]] = []
    for server, facts in ctx.out_of_support:
        if not (facts.windows_2008 or facts.windows_2012) and facts.end_of_support:
            old.append((server, facts.end_of_support))
    if not old:
        return None
    first, end = old[0]
    label = next(f.label for s, f in ctx.out_of_support if s is first)
    names = _listed([s for s, _ in old])
    if ctx.decision is Decision.RETAIN:
        return Verdict(f"stays on {label} (out of support since {end:%B %Y}) on {names}")
    return Verdict(
        f"{label} on {names} is out of support since {end:%B %Y}",
        blockers=(
            f"OS out of support ({label} on {names}): upgrade, or buy the vendor's extended "
            "support, before it moves",
        ),
        effort=1,
    )


@RULES.rule(
    "LIFE-004",
    "Application out of supplier support",
    rationale="""A product past its supplier's end of support will not be certified on new
    platforms and gets no fixes: when it is rehosted or kept as it is, the move is the moment
    to upgrade it, and the effort grows accordingly. (SaaS and managed platforms replace it.)""",
    condition="""the workload is rehosted or retained and the application's (or its main
    product's) end-of-support date has passed""",
    phase=Phase.SECOND,
    applies_to=_LIFTED,
    tags=("lifecycle",),
)
def application_out_of_support(ctx: Context) -> Verdict | None:
    if ctx.decision not in _LIFTED:
        return None
    end = ctx.app.end_of_support
    if end is None and ctx.primary is not None:
        end = ctx.primary.entry.end_of_support
    if end is None or end >= ctx.as_of:
        return None
    return Verdict(
        f"the application is out of supplier support since {end:%d %B %Y}",
        blockers=(
            f"application out of supplier support since {end:%d %B %Y}: upgrade or replace it "
            "as part of the move",
        ),
        effort=1,
    )
