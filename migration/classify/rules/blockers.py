"""Hard blockers: things no cloud decision can get round without changing the workload."""

from __future__ import annotations

from forcelift.migration.classify.catalogue import Category, HardwareTie
from forcelift.migration.classify.context import Context
from forcelift.migration.classify.model import Confidence, Decision, Strategy, Targets
from forcelift.migration.classify.rules.base import (
    Family,
    Precedence,
    RuleSet,
    TextPattern,
    Verdict,
)
from forcelift.migration.inventory.model import OsFamily

RULES = RuleSet(Family.BLOCKERS)

_CLOUD = frozenset({Decision.SAAS, Decision.PAAS, Decision.IAAS})
_NOT_LIFTABLE = frozenset({Decision.PAAS, Decision.IAAS})
_ON_PREMISE = Targets.of("stays on-premise", "stays on-premise")

_DONGLE = TextPattern(
    r"\b(dongles?|usb (licen[cs]e )?keys?|hardware (licen[cs]e )?keys?|hasp|sentinel (hl|hasp|key)|"
    r"wibu|codemeter)\b",
    ("dongle", "usb", "hardware", "hasp", "sentinel", "wibu", "codemeter"),
)
_SERIAL = TextPattern(
    r"\b(serial (port|line|link|cable|interface|connection|device)s?|rs-?232|rs-?485|com ?ports?|"
    r"modems?|isdn\d*|x\.25|leased lines?)\b",
    ("serial", "rs-", "rs2", "rs4", "com", "modem", "isdn", "x.25", "leased"),
)
# What the system is (its name, category, products) ...
_RADIO_SYSTEM = TextPattern(
    r"\b(iccs|airwave|tetra|esn|radio)\b", ("iccs", "airwave", "tetra", "esn", "radio")
)
# ... or what its notes say it drives; a mere link ("CTI link to ICCS") is not a tie.
_RADIO_EQUIPMENT = TextPattern(
    r"\b(radio (consoles?|dispatch consoles?|interfaces?|gateways?)|dispatch consoles?|"
    r"control[- ]room consoles?)\b",
    ("radio", "console"),
)
_RECORDERS = TextPattern(
    r"\b(nvrs?|dvrs?|network video recorders?|video recorders?|(cctv|video|camera) recording "
    r"servers?|camera recorders?)\b",
    ("nvr", "dvr", "recorder", "recording"),
)
_CCTV = TextPattern(r"\bcctv\b", ("cctv",))
_CCTV_LOCAL = TextPattern(
    r"\b(recording|recorders?|records? (to|on)|recorded (to|on))\b", ("record",)
)
_EVIDENCE_TOOL = TextPattern(
    r"\b(evidence|portal|review|sharing|redaction)\b",
    ("evidence", "portal", "review", "sharing", "redaction"),
)


def _tied(ctx: Context, tie: HardwareTie) -> str:
    """The evidence that the workload is tied to this kind of hardware, or ''."""
    for match in ctx.matches:
        if match.entry.hardware is tie:
            return f"{match.entry.label} ({match.evidence})"
    return ""


def _hardware_verdict(
    found: str, what: str, blocker: str, strategy: Strategy = Strategy.RETAIN
) -> Verdict:
    return Verdict(
        f"tied to {what}: {found}",
        decision=Decision.RETAIN,
        strategy=strategy,
        targets=_ON_PREMISE,
        vetoes=_CLOUD,
        blockers=(blocker,),
    )


@RULES.rule(
    "BLOCK-001",
    "Operating system neither cloud runs",
    rationale="""Azure and AWS run Windows and Linux (and FreeBSD), not AIX, Solaris, HP-UX or
    mainframe operating systems. Such a workload cannot be lifted: it is refactored onto a
    supported platform, replaced (SaaS), or kept on-premise until one of those happens.""",
    condition="at least one of its servers runs AIX, Solaris, HP-UX or a mainframe OS",
    precedence=Precedence.ON_PREMISE,
    hard=True,
    tags=("os", "blocker"),
)
def unsupported_os(ctx: Context) -> Verdict | None:
    bad = [
        s
        for s in ctx.servers
        if s.os.family in (OsFamily.UNIX, OsFamily.MAINFRAME) and "bsd" not in s.os.name.lower()
    ]
    if not bad:
        return None
    names = ", ".join(f"{s.name} ({s.os.label})" for s in bad[:3])
    return Verdict(
        f"runs on an operating system neither Azure nor AWS offers: {names}",
        decision=Decision.RETAIN,
        strategy=Strategy.RETAIN,
        targets=_ON_PREMISE,
        confidence=Confidence.MEDIUM,
        vetoes=_NOT_LIFTABLE,
        blockers=(
            "OS not offered by either cloud: refactor onto Linux or a managed service, replace "
            "it, or keep it on-premise",
        ),
    )


@RULES.rule(
    "BLOCK-002",
    "Radio console or ICCS",
    rationale="""Integrated communications control systems and radio dispatch consoles connect
    control-room positions to Airwave/ESN radio and telephony through on-site equipment; they
    stay with the control room.""",
    condition="""the catalogue marks a product as radio equipment, its name, category or products
    say it is ICCS, Airwave, TETRA, ESN or radio, or its notes mention radio or dispatch
    consoles (a link to an ICCS is not enough)""",
    precedence=Precedence.HARDWARE,
    decisive=True,
    hard=True,
    tags=("hardware", "blocker"),
)
def radio_console(ctx: Context) -> Verdict | None:
    found = _tied(ctx, HardwareTie.RADIO)
    if not found:
        match = _RADIO_SYSTEM.search(ctx.identity)
        found = f"it is {match.group(0)!r} equipment" if match else ""
    if not found:
        match = _RADIO_EQUIPMENT.search(ctx.text)
        found = f"text mentions {match.group(0)!r}" if match else ""
    if not found:
        return None
    return _hardware_verdict(
        found,
        "control-room radio and telephony equipment",
        "control-room radio/ICCS equipment stays on site with the consoles",
    )


@RULES.rule(
    "BLOCK-003",
    "Local CCTV recorders",
    rationale="""CCTV recording servers (NVRs) take continuous video streams from cameras on the
    same site; moving them to the cloud means backhauling every stream. The recorders stay;
    only review and evidence sharing can move.""",
    condition="""the catalogue marks a product as a CCTV/VMS system, or the text mentions NVRs,
    DVRs or recording servers, or CCTV together with recording (not an evidence-sharing
    tool)""",
    precedence=Precedence.HARDWARE,
    decisive=True,
    hard=True,
    tags=("hardware", "blocker"),
)
def cctv_recorders(ctx: Context) -> Verdict | None:
    found = _tied(ctx, HardwareTie.CCTV)
    if not found:
        match = _RECORDERS.search(ctx.text)
        if match:
            found = f"text mentions {match.group(0)!r}"
        elif (
            _CCTV.search(ctx.text)
            and _CCTV_LOCAL.search(ctx.text)
            and not _EVIDENCE_TOOL.search(ctx.text)
        ):
            found = "CCTV recording on site"
    if not found:
        return None
    return _hardware_verdict(
        found,
        "local CCTV recording",
        "local CCTV recorders stay next to the cameras; only review/evidence sharing can move",
    )


@RULES.rule(
    "BLOCK-004",
    "Licence dongle",
    rationale="""A USB or parallel licence dongle ties software to a physical host. Cloud VMs
    have no USB ports; until the supplier issues a software or network licence, the host stays
    where the dongle is (or relocates with it).""",
    condition="""the catalogue marks a product as dongle-licensed, or the notes mention a
    dongle, USB/hardware licence key, HASP, Sentinel or CodeMeter key""",
    precedence=Precedence.HARDWARE,
    decisive=True,
    hard=True,
    tags=("hardware", "blocker"),
)
def dongle(ctx: Context) -> Verdict | None:
    found = _tied(ctx, HardwareTie.DONGLE)
    if not found:
        match = _DONGLE.search(ctx.text)
        found = f"notes mention {match.group(0)!r}" if match else ""
    if not found:
        return None
    return _hardware_verdict(
        found,
        "a licence dongle",
        "licence tied to a dongle: needs a software or network licence from the supplier "
        "before it can move",
        Strategy.RELOCATE,
    )


@RULES.rule(
    "BLOCK-005",
    "Serial, modem or ISDN line",
    rationale="""Serial ports, modems and ISDN or leased lines are physical interfaces a cloud VM
    does not have. The workload stays next to them until the interface is replaced with an
    IP-based one.""",
    condition="""the notes or description mention serial ports or links, RS-232/485, COM ports,
    modems, ISDN, X.25 or leased lines, and the workload is not itself a telephony system
    (whose move replaces its lines)""",
    precedence=Precedence.HARDWARE,
    decisive=True,
    hard=True,
    tags=("hardware", "blocker"),
)
def serial_lines(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is not None and primary.entry.category is Category.TELEPHONY:
        return None  # moving telephony is replacing its lines; they are not a reason to stay
    found = _tied(ctx, HardwareTie.SERIAL)
    if not found:
        match = _SERIAL.search(ctx.text)
        found = f"notes mention {match.group(0)!r}" if match else ""
    if not found:
        return None
    return _hardware_verdict(
        found,
        "a physical line",
        "physical serial/ISDN interface: replace it with an IP interface before any move",
    )


@RULES.rule(
    "BLOCK-006",
    "Product that serves on-site equipment",
    rationale="""Some IT services exist to serve the sites themselves (DHCP, network access
    control, call control with on-site gateways): they stay with the sites' networks, or are
    replaced, but are not moved.""",
    condition="the catalogue's preferred path for the main product is to stay on-premise",
    precedence=Precedence.ON_PREMISE,
    tags=("blocker", "catalogue"),
)
def serves_sites(ctx: Context) -> Verdict | None:
    primary = ctx.primary
    if primary is None or primary.entry.preferred is not Decision.RETAIN:
        return None
    if primary.entry.hardware is not None:
        return None
    note = f": {primary.entry.notes}" if primary.entry.notes else ""
    return Verdict(
        f"{primary.entry.label} serves the sites' own equipment{note}",
        decision=Decision.RETAIN,
        strategy=Strategy.RETAIN,
        targets=_ON_PREMISE,
        confidence=Confidence.MEDIUM,
    )
