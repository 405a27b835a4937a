"""Everything a rule may look at for one application, computed once per application.

Indexes (servers by name, dependencies by source and target, catalogue matches per distinct
product string) are built in one pass over the inventory, so classifying is linear in its size.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from forcelift.migration.classify.catalogue import Catalogue, CatalogueEntry, Category, Kind
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.rules.base import TextPattern
from forcelift.migration.inventory.lifecycle import os_end_of_support
from forcelift.migration.inventory.merge import server_key
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    DependencyKind,
    ExternalService,
    Inventory,
    OperatingSystem,
    OsFamily,
    Server,
    SoftwareProduct,
    os_label,
)

_DATABASE_WORDS = re.compile(r"\b(database|databases|db|dbs|sql cluster|data warehouse)\b", re.I)
_IN_HOUSE = TextPattern(
    r"\b(police|constabulary|in-house|in house|bespoke|internal|home[- ]grown|"
    r"developed (internally|in-house)|built in-house|custom[- ]built)\b",
    (
        "police",
        "constabulary",
        "in-house",
        "in house",
        "bespoke",
        "internal",
        "home",
        "developed",
        "built",
    ),
)
_EMPTY: Mapping[str, Decision] = MappingProxyType({})
_KIND_RANK = {Kind.APPLICATION: 0, Kind.INFRASTRUCTURE: 1, Kind.PLATFORM: 2}


class EvidenceSource(StrEnum):
    APPLICATION = "application"  # listed as the application's product
    SERVER = "server"  # installed on one of its servers
    NAME = "name"  # only the application's name says so (weaker)


class ProductMatch(NamedTuple):
    entry: CatalogueEntry
    software: SoftwareProduct | None  # None when only the application's name matched
    source: EvidenceSource
    where: str = ""  # the server it is installed on, or the name that matched

    @property
    def evidence(self) -> str:
        """Where the match came from, in words (built only when a reason needs it)."""
        if self.source is EvidenceSource.NAME or self.software is None:
            return f"name {self.where!r}"
        sw = self.software
        if self.source is EvidenceSource.SERVER:
            label = " ".join(p for p in (sw.product, sw.version) if p)
            return f"{label} on {self.where}"
        return " ".join(p for p in (sw.vendor, sw.product, sw.version) if p)


class OsFacts(NamedTuple):
    """What the rules need to know about one operating system, computed once per distinct OS."""

    label: str
    windows_2008: bool
    windows_2012: bool
    end_of_support: dt.date | None


@functools.lru_cache(maxsize=4096)
def _os_facts(family: OsFamily, name: str, version: str) -> OsFacts:
    label = os_label(name, version)
    windows = family is OsFamily.WINDOWS
    return OsFacts(
        label=label,
        windows_2008=windows and "2008" in label,
        windows_2012=windows and "2012" in label,
        end_of_support=os_end_of_support(
            OperatingSystem(family=family, name=name, version=version)
        ),
    )


def os_facts(server: Server) -> OsFacts:
    return _os_facts(server.os.family, server.os.name, server.os.version)


class Context(NamedTuple):
    """One application and its surroundings, as rules see it."""

    app: Application
    key: str  # the application's name, lower-cased
    servers: tuple[Server, ...]
    matches: tuple[ProductMatch, ...]
    outgoing: tuple[Dependency, ...]
    incoming: tuple[Dependency, ...]
    text: str
    as_of: dt.date
    unknown_products: tuple[SoftwareProduct, ...] = ()  # declared, not in the catalogue
    in_house: bool = False  # the force built it (its own name or "in-house" as vendor/description)
    identity: str = ""  # lower-case name, category and product names: what the system *is*
    server_facts: tuple[OsFacts, ...] = ()  # one per server, same order
    out_of_support: tuple[tuple[Server, OsFacts], ...] = ()  # servers whose OS support ended
    calls: tuple[tuple[str, str], ...] = ()  # (key, name) of applications it depends on
    callers: tuple[tuple[str, str], ...] = ()  # (key, name) of applications depending on it
    externals: tuple[ExternalService, ...] = ()  # national and partner services it calls
    # Shared by every context of one run and filled between the passes: second-pass rules
    # see every application's first-pass decision (or override); first-pass rules must not look.
    decisions: Mapping[str, Decision] = _EMPTY
    database_apps: AbstractSet[str] = frozenset()
    # Applications whose own facts keep them on-premise (an OS neither cloud runs, hardware
    # ties, a product that stays with the sites): known before the first pass, so first-pass
    # rules may look, e.g. for a monitoring tool watching them.
    on_premise_apps: AbstractSet[str] = frozenset()

    @property
    def decision(self) -> Decision | None:
        """This application's first-pass decision (second pass only)."""
        return self.decisions.get(self.key)

    @property
    def primary(self) -> ProductMatch | None:
        """The product that defines the workload: a business application before an IT service
        before the platform it runs on."""
        return self.matches[0] if self.matches else None

    def of_kind(self, kind: Kind) -> tuple[ProductMatch, ...]:
        return tuple(m for m in self.matches if m.entry.kind is kind)

    @property
    def data_gib(self) -> float:
        """Storage on its servers: used where known, else provisioned, disk by disk."""
        return sum(
            d.used_gib if d.used_gib is not None else d.provisioned_gib
            for s in self.servers
            for d in s.disks
        )

    def decision_of(self, name: str) -> Decision | None:
        return self.decisions.get(name.lower())

    @property
    def installed(self) -> str:
        """Lower-case names of the software on its servers, one per line (built when asked)."""
        return "\n".join(
            f"{sw.vendor} {sw.product}".strip().lower() for s in self.servers for sw in s.software
        )


def _rank(match: ProductMatch, position: int) -> tuple[int, int, int]:
    source = (
        0
        if match.source is EvidenceSource.APPLICATION
        else 1
        if match.source is EvidenceSource.SERVER
        else 2
    )
    return (_KIND_RANK[match.entry.kind], source, position)


class ContextBuilder:
    """Indexes an inventory once; `build` then costs only what one application touches."""

    def __init__(self, inventory: Inventory, catalogue: Catalogue, as_of: dt.date) -> None:
        self.catalogue = catalogue
        self.as_of = as_of
        self.force = inventory.force.strip().lower()
        self.decisions: dict[str, Decision] = {}
        self.database_apps: set[str] = set()
        self.on_premise_apps: set[str] = set()
        self.exact = {s.name.lower(): s for s in inventory.servers}
        self._by_key: dict[str, Server] | None = None  # short names, built only if needed
        self.inventory = inventory
        outgoing: dict[str, list[Dependency]] = {}
        incoming: dict[str, list[Dependency]] = {}
        for dep in inventory.dependencies:
            outgoing.setdefault(dep.source.lower(), []).append(dep)
            if dep.kind is DependencyKind.APPLICATION:
                incoming.setdefault(dep.target.lower(), []).append(dep)
        self.outgoing = {k: tuple(v) for k, v in outgoing.items()}
        self.incoming = {k: tuple(v) for k, v in incoming.items()}
        self._server_matches: dict[str, tuple[ProductMatch, ...]] = {}
        self.contexts = [self._build(app) for app in inventory.applications]
        self.database_apps.update(c.key for c in self.contexts if _is_database(c))
        self.on_premise_apps.update(c.key for c in self.contexts if _stays_on_premise(c))

    def _server(self, name: str) -> Server | None:
        found = self.exact.get(name.lower())
        if found is not None:
            return found
        if self._by_key is None:
            self._by_key = {server_key(s.name): s for s in self.inventory.servers}
        return self._by_key.get(server_key(name))

    def _software_matches(self, server: Server) -> tuple[ProductMatch, ...]:
        key = server.name
        cached = self._server_matches.get(key)
        if cached is None:
            found = []
            for sw in server.software:
                entry = self.catalogue.match(sw.vendor, sw.product, sw.version)
                if entry is not None:
                    found.append(ProductMatch(entry, sw, EvidenceSource.SERVER, server.name))
            cached = tuple(found)
            self._server_matches[key] = cached
        return cached

    def _build(self, app: Application) -> Context:
        servers = tuple(s for s in map(self._server, app.servers) if s is not None)
        found: list[ProductMatch] = []
        unknown: list[SoftwareProduct] = []
        for product in app.products:
            entry = self.catalogue.match(product.vendor, product.product, product.version)
            if entry is not None:
                found.append(ProductMatch(entry, product, EvidenceSource.APPLICATION))
            elif not self.catalogue.is_ignored(product.vendor, product.product):
                unknown.append(product)
        for server in servers:
            found.extend(self._software_matches(server))
        if not found:
            for text in (app.name, app.category):
                entry = self.catalogue.match_name(text) if text else None
                if entry is not None:
                    found.append(ProductMatch(entry, None, EvidenceSource.NAME, text))
                    break
        matches = _distinct_ranked(found)
        key = app.name.lower()
        text = _searchable_text(app, servers)
        outgoing = self.outgoing.get(key, ())
        incoming = self.incoming.get(key, ())
        facts = tuple(os_facts(s) for s in servers)
        services = {
            d.service
            for d in outgoing
            if d.service is not None and d.kind is DependencyKind.EXTERNAL
        }
        externals = tuple(sorted(services, key=_by_value)) if services else ()
        own = [p for p in unknown if self._is_own(p)] if unknown else []
        in_house = bool(own) or bool(_IN_HOUSE.search(f"{app.description} {app.notes}".lower()))
        return Context(
            app=app,
            key=key,
            servers=servers,
            matches=matches,
            outgoing=outgoing,
            incoming=incoming,
            text=text,
            as_of=self.as_of,
            unknown_products=tuple(p for p in unknown if p not in own) if unknown else (),
            in_house=in_house,
            identity=" \n ".join(
                [app.name, app.category, *(f"{p.vendor} {p.product}" for p in app.products)]
            ).lower(),
            server_facts=facts,
            out_of_support=tuple(
                (server, f)
                for server, f in zip(servers, facts, strict=True)
                if f.end_of_support is not None and f.end_of_support < self.as_of
            ),
            calls=tuple(
                (d.target.lower(), d.target)
                for d in outgoing
                if d.kind is DependencyKind.APPLICATION
            )
            if outgoing
            else (),
            callers=tuple((d.source.lower(), d.source) for d in incoming) if incoming else (),
            externals=externals,
            decisions=self.decisions,
            database_apps=self.database_apps,
            on_premise_apps=self.on_premise_apps,
        )

    def _is_own(self, product: SoftwareProduct) -> bool:
        vendor = product.vendor.strip().lower()
        return bool(vendor) and (vendor == self.force or _IN_HOUSE.search(vendor) is not None)


def _by_value(service: ExternalService) -> str:
    return service.value


def _distinct_ranked(found: list[ProductMatch]) -> tuple[ProductMatch, ...]:
    if len(found) <= 1:
        return tuple(found)
    seen: dict[str, tuple[tuple[int, int, int], ProductMatch]] = {}
    for position, match in enumerate(found):
        rank = _rank(match, position)
        if match.entry.id not in seen or rank < seen[match.entry.id][0]:
            seen[match.entry.id] = (rank, match)
    return tuple(m for _, m in sorted(seen.values(), key=lambda item: item[0]))


def _searchable_text(app: Application, servers: tuple[Server, ...]) -> str:
    parts = [app.name, app.category, app.description, app.notes]
    parts.extend(p.product for p in app.products)
    parts.extend(server.annotation for server in servers)
    return " \n ".join(p for p in parts if p).lower()


def _is_database(ctx: Context) -> bool:
    """Whether other applications would call this one "their database"."""
    if any(m.entry.kind is not Kind.PLATFORM for m in ctx.matches):
        return False
    if ctx.matches and all(m.entry.category is Category.DATABASE for m in ctx.matches):
        return True
    return bool(_DATABASE_WORDS.search(f"{ctx.app.name} {ctx.app.category}"))


_STUCK_OS = (OsFamily.UNIX, OsFamily.MAINFRAME, OsFamily.APPLIANCE)


def _stays_on_premise(ctx: Context) -> bool:
    """Facts alone keep it on-premise: an OS neither cloud runs, or tied to site equipment."""
    if any(s.os.family in _STUCK_OS and "bsd" not in s.os.name.lower() for s in ctx.servers):
        return True
    return any(m.entry.hardware is not None for m in ctx.matches) or (
        ctx.primary is not None and ctx.primary.entry.preferred is Decision.RETAIN
    )
