"""Zero-trust staff access: how officers and staff reach each moving web application.

Instead of a network-level VPN into the spokes, every moving application that serves web users
gets identity-aware access of its own: on Azure, Front Door Premium with a Private Link origin,
its WAF, and Entra ID sign-in (App Service authentication for a PaaS web app, the application's
own OIDC for IaaS); on AWS, a Verified Access endpoint on the landing zone's instance with IAM
Identity Center and device trust. What cannot be fronted this way is listed with the reason, so
the report never leaves an application's access unanswered (docs/sharing.md has the rules).

Pure: the evidence is the inventory (inbound ports, installed products, category, description,
server tags) and the cloud plan's workloads; the answer is deterministic (application order).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import Application, Dependency, Server
from forcelift.migration.inventory.vocabulary import DependencyKind, ExternalService
from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.migration.plan.sharing_plan import NotFronted, StaffAccess

#: ports a web application listens on for its users, best first
WEB_PORTS = (443, 8443, 80, 8080)
STAFF_DOMAIN = "staff.police.uk"
#: services whose code of connection wants users on the accredited police network (PSN), so an
#: application that reaches them is not published through internet-facing zero-trust access
NETWORK_LEVEL = (
    ExternalService.PNC,
    ExternalService.PND,
    ExternalService.LEDS,
    ExternalService.PSN,
)

_WEB_PRODUCT = re.compile(
    r"\b(iis|internet information services?|apache http server|apache web server|httpd|nginx|"
    r"tomcat|jboss|wildfly|websphere|weblogic|jetty|lighttpd)\b|^apache2?(\s+v?\d[\w.]*)?$"
)
_WEB_WORDS = re.compile(r"\b(portal|web|website|intranet|extranet|webapp|web-app)\b")
_PUBLIC = re.compile(
    r"\b(public[- ]facing|public website|public portal|website|internet[- ]facing|"
    r"members of the public|for the public|published to the internet)\b"
)
_PUBLIC_TAGS = frozenset({"public", "internet", "internet-facing", "public-facing", "external"})

_IDENTITY = {
    "paas": "Entra ID (App Service authentication)",
    "iaas": "Entra ID (application OIDC)",
    Cloud.AWS: "IAM Identity Center + device trust",
}


@dataclass(frozen=True)
class Evidence:
    """Why an application is (or is not) a web application, and whether it is public."""

    web: tuple[str, ...]  # each reason it serves web users ("inbound https/443 from …")
    port: int
    public: bool
    network_level: tuple[str, ...]  # the national services that need network-level access


def dns_label(text: str, limit: int = 63) -> str:
    """A DNS label (RFC 1035: a-z, 0-9, hyphen, ≤ 63) from any text; a shortened label keeps a
    hash of the whole text so two long names stay distinct (as migration/naming.py does)."""
    label = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "app"
    if len(label) > limit:
        digest = hashlib.sha256(text.encode()).hexdigest()[:5]
        label = f"{label[: limit - 6].rstrip('-')}-{digest}"
    return label


def staff_hostname(application: str, force: str) -> str:
    """`<app-slug>.<force-slug>.staff.police.uk`: one staff URL per application."""
    return f"{dns_label(application)}.{dns_label(force)}.{STAFF_DOMAIN}"


def web_products(app: Application, servers: Sequence[Server]) -> tuple[str, ...]:
    """The web server software the application or its servers run (product names)."""
    found = set()
    for p in (*app.products, *(x for s in servers for x in s.software)):
        product = " ".join(p.product.lower().split())
        full = " ".join(f"{p.vendor} {p.product}".lower().split())
        if _WEB_PRODUCT.search(product) or _WEB_PRODUCT.search(full):
            found.add(product)
    return tuple(sorted(found))


def evidence(
    app: Application,
    workload: CloudWorkload,
    servers: Sequence[Server],
    incoming: Sequence[Dependency],
    outgoing: Sequence[Dependency],
) -> Evidence:
    """What the inventory and the plan say about the application's users."""
    web: list[str] = []
    ports = sorted(
        {d.port for d in incoming if d.port is not None and d.port in WEB_PORTS},
        key=WEB_PORTS.index,
    )
    if ports:
        web.append("inbound web traffic on port " + ", ".join(str(p) for p in ports))
    if any(p.kind == "web_app" for p in workload.paas):
        web.append("moves to a platform web app")
    products = web_products(app, servers)
    if products:
        web.append("web server software (" + ", ".join(products[:3]) + ")")
    words = sorted({m.group(1) for m in _WEB_WORDS.finditer(f"{app.name} {app.category}".lower())})
    if words:
        web.append("a web name or category (" + ", ".join(words) + ")")
    text = f"{app.category} {app.description}".lower()
    tags = {v.strip().lower() for s in servers for v in s.tags.values()}
    public = bool(_PUBLIC.search(text)) or bool(tags & _PUBLIC_TAGS)
    network_level = sorted(
        {
            d.service.value
            for d in outgoing
            if d.kind is DependencyKind.EXTERNAL and d.service in NETWORK_LEVEL
        }
    )
    return Evidence(
        web=tuple(web),
        port=ports[0] if ports else 443,
        public=public,
        network_level=tuple(network_level),
    )


def decide(
    cloud: Cloud, force: str, workload: CloudWorkload, facts: Evidence
) -> StaffAccess | NotFronted:
    """One moving application: its zero-trust access, or why it has none."""
    name = workload.application
    if workload.decision == "SAAS":
        return NotFronted(
            application=name,
            reason="SaaS: staff sign in through the supplier's own Entra ID single sign-on; "
            "there is no origin of ours to front",
        )
    if facts.network_level:
        return NotFronted(
            application=name,
            reason=f"needs PSN network-level access ({', '.join(facts.network_level)}): its "
            "users stay on the accredited police network rather than identity-aware access "
            "from any device",
        )
    if not facts.web:
        return NotFronted(
            application=name,
            reason="not a web application (no inbound web port, web server software, platform "
            "web app or web category): staff reach it as today, through its own client",
        )
    why = "; ".join(facts.web)
    if cloud is Cloud.AZURE:
        paas = any(p.kind == "web_app" for p in workload.paas)
        identity = _IDENTITY["paas" if paas else "iaas"]
        reason = (
            f"serves web users ({why}): Front Door Premium with WAF and a Private Link origin, "
            f"{identity}"
        )
        method = "front-door-private-origin"
    else:
        identity = _IDENTITY[Cloud.AWS]
        reason = f"serves web users ({why}): a Verified Access endpoint, {identity}"
        method = "verified-access"
    if facts.public:
        reason += "; public-facing, published to the internet as well as to staff"
    return StaffAccess(
        application=name,
        stack=workload.stack,
        method=method,  # type: ignore[arg-type]
        hostname=staff_hostname(name, force),
        port=facts.port,
        public=facts.public,
        identity=identity,
        reason=reason,
    )


def plan_staff_access(
    cloud: Cloud,
    force: str,
    workloads: Sequence[CloudWorkload],
    apps: Mapping[str, Application],
    servers: Mapping[str, Sequence[Server]],
    dependencies: Sequence[Dependency],
) -> tuple[tuple[StaffAccess, ...], tuple[NotFronted, ...]]:
    """Per moving application (each workload once, in name order): fronted or not, and why.

    Hostnames that collide after slugging get a hash of the application name, so every staff
    URL is distinct.
    """
    incoming: dict[str, list[Dependency]] = {}
    outgoing: dict[str, list[Dependency]] = {}
    for dep in dependencies:
        outgoing.setdefault(dep.source, []).append(dep)
        if dep.kind is DependencyKind.APPLICATION:
            incoming.setdefault(dep.target, []).append(dep)
    fronted: list[StaffAccess] = []
    not_fronted: list[NotFronted] = []
    hosts: set[str] = set()
    for workload in sorted({w.application: w for w in workloads}.values(), key=_by_name):
        name = workload.application
        facts = evidence(
            apps[name],
            workload,
            servers.get(name, ()),
            incoming.get(name, ()),
            outgoing.get(name, ()),
        )
        answer = decide(cloud, force, workload, facts)
        if isinstance(answer, NotFronted):
            not_fronted.append(answer)
            continue
        if answer.hostname in hosts:
            label = dns_label(f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:5]}")
            answer = answer.model_copy(update={"hostname": staff_hostname(label, force)})
        hosts.add(answer.hostname)
        fronted.append(answer)
    return tuple(fronted), tuple(not_fronted)


def _by_name(workload: CloudWorkload) -> str:
    return workload.application
