"""A sample force's data files (tools/data/<force>, Exampleshire's by default), read and checked.

The facts live in YAML so that adding an application is an edit to a data file, not to code;
this module turns them into frozen values and names the file and line of anything that does
not fit, so a mistake in the data reads like a mistake in a user's inventory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sample_sharing import Sharing, load_sharing

from forcelift.migration.classify.yamlfile import Loc, YamlDocument, read_yaml
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.model import (
    Criticality,
    ExternalService,
    SecurityClassification,
    SoftwareProduct,
)
from forcelift.migration.inventory.readers.native_csv import parse_products

DATA = Path(__file__).resolve().parent / "data" / "exampleshire"
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Role:
    """A group of like servers of one application: `hq` at HQ-DC1, `dr` at DR-DC2."""

    role: str  # the part of the server name after the application code, e.g. APP, SQL
    hq: int
    os: str
    cores: int
    memory_gib: int
    dr: int = 0
    disks: tuple[tuple[str, int], ...] = ()  # data disks after the system disk
    zone: str = "app"
    load: str = "app"  # utilisation profile, a key of `loads` in estate.yaml
    software: tuple[SoftwareProduct, ...] = ()
    label: str = "application server"
    environment: str = "production"
    powered_off: bool = False  # every server of this role is powered off
    dr_powered_off: bool = False  # the DR servers are cold standby (powered off)
    names: tuple[str, ...] = ()  # explicit server names, overriding the numbering


@dataclass(frozen=True)
class App:
    """One application as its CMDB entry holds it, with the server groups it runs on."""

    code: str
    name: str
    category: str
    owner: str
    criticality: Criticality
    classification: SecurityClassification
    cost_centre: str
    folder: str  # vCenter folder
    products: tuple[SoftwareProduct, ...]
    description: str
    servers: tuple[Role, ...]
    users: int | None = None
    rto_hours: float | None = None
    rpo_hours: float | None = None
    end_of_support: dt.date | None = None
    notes: str = ""
    shares_servers_of: tuple[str, ...] = ()  # codes of applications whose servers it also uses


@dataclass(frozen=True)
class Link:
    """A dependency row: `target` is an application code, or a name outside the force."""

    source: str
    target: str
    protocol: str
    port: int | None
    description: str
    service: ExternalService | None = None  # set for external dependencies


@dataclass(frozen=True)
class Layout:
    """estate.yaml: where servers go (sites, clusters, zones) and how their details are drawn."""

    force: str
    domain: str
    seed: int
    datacentres: dict[str, str]  # site -> data centre
    clusters: dict[str, dict[str, dict[str, Any]]]  # site -> label -> cluster, hosts, count
    zones: dict[str, dict[str, str]]  # zone -> cluster label and subnet prefix per site
    operating_systems: dict[str, dict[str, Any]]  # key -> name, version, windows, metrics
    loads: dict[str, dict[str, list[float]]]  # profile -> cpu, memory, iops [low, high]
    backup: dict[str, str]  # criticality -> backup tag
    patch_groups: list[str]
    server_prefix: str = "EXS"  # server names <prefix>-<code>-<role>NN
    exports: bool = True  # also the native CSV set and the CMDB exports (else inventory.yaml only)


@dataclass(frozen=True)
class Estate:
    """Everything the builder expands: the layout, the applications and their dependencies."""

    layout: Layout
    apps: tuple[App, ...]
    links: tuple[Link, ...]
    sharing: Sharing = field(default_factory=Sharing)  # partners and flows (sharing.yaml)


def _fail(message: str, doc: YamlDocument, loc: Loc, hint: str | None = None) -> InputError:
    return InputError(message, doc.location(loc), hint=hint)


def _make(cls: type[T], entry: object, doc: YamlDocument, loc: Loc, **values: object) -> T:
    """`cls(**entry)` with some values replaced; unknown and missing keys are located errors."""
    if not isinstance(entry, dict):
        raise _fail(f"expected a mapping of {cls.__name__} keys", doc, loc)
    known = {f.name: f for f in fields(cls)}
    for key in entry:
        if key not in known:
            raise _fail(f"unknown key {key!r}", doc, (*loc, key), hint=", ".join(known))
    for name, spec in known.items():
        if spec.default is MISSING and name not in entry:
            raise _fail(f"{cls.__name__.lower()} without {name!r}", doc, loc)
    return cls(**{**entry, **values})


def _enum(cls: type[E], value: object, doc: YamlDocument, loc: Loc) -> E:
    try:
        return cls(value)
    except ValueError as exc:
        raise _fail(str(exc), doc, loc, hint=" | ".join(cls)) from exc


@dataclass(frozen=True)
class _Context:
    """What an applications file is read against: software.yaml and estate.yaml."""

    software: dict[str, str]
    layout: Layout

    def products(self, names: object, doc: YamlDocument, loc: Loc) -> tuple[SoftwareProduct, ...]:
        """Product specs (`vendor:product:version[:edition]`) or names from software.yaml."""
        products: list[SoftwareProduct] = []
        for i, name in enumerate(names if isinstance(names, list) else [names]):
            spec = self.software.get(name, name) if isinstance(name, str) else name
            if not isinstance(spec, str) or ":" not in spec:
                hint = "a name in software.yaml or vendor:product:version[:edition]"
                raise _fail(f"unknown software {name!r}", doc, (*loc, i), hint=hint)
            try:
                products += parse_products(spec)
            except ValueError as exc:
                raise _fail(str(exc), doc, (*loc, i)) from exc
        return tuple(products)

    def role(self, entry: object, doc: YamlDocument, loc: Loc) -> Role:
        if not isinstance(entry, dict):
            raise _fail("expected a mapping of Role keys", doc, loc)
        for key, table in (("os", "operating_systems"), ("zone", "zones"), ("load", "loads")):
            if key in entry and entry[key] not in getattr(self.layout, table):
                message = f"{key} {entry[key]!r} is not in {table} of estate.yaml"
                raise _fail(message, doc, (*loc, key))
        return _make(
            Role,
            entry,
            doc,
            loc,
            disks=tuple(dict(entry.get("disks") or {}).items()),
            software=self.products(entry.get("software", []), doc, (*loc, "software")),
            names=tuple(entry.get("names", ())),
        )

    def app(self, entry: object, doc: YamlDocument, loc: Loc) -> App:
        if not isinstance(entry, dict):
            raise _fail("expected a mapping of App keys", doc, loc)
        servers = entry.get("servers") or []
        return _make(
            App,
            entry,
            doc,
            loc,
            criticality=_enum(Criticality, entry.get("criticality"), doc, (*loc, "criticality")),
            classification=_enum(
                SecurityClassification, entry.get("classification"), doc, (*loc, "classification")
            ),
            products=self.products(entry.get("products", []), doc, (*loc, "products")),
            servers=tuple(self.role(r, doc, (*loc, "servers", i)) for i, r in enumerate(servers)),
            shares_servers_of=tuple(entry.get("shares_servers_of", ())),
        )


def _links(doc: YamlDocument, section: str, codes: set[str]) -> Iterator[Link]:
    """Rows of dependencies.yaml: application ones name two codes, external ones a service."""
    external = section == "external"
    for i, row in enumerate((doc.data or {}).get(section) or []):
        loc = (section, i)
        if not isinstance(row, list) or len(row) != (6 if external else 5):
            raise _fail("a dependency row has the wrong number of columns", doc, loc)
        if row[0] not in codes or (not external and row[1] not in codes):
            raise _fail(f"unknown application code in {row[:2]}", doc, loc)
        if external:
            service = _enum(ExternalService, row[2], doc, loc)
            yield Link(row[0], row[1], row[3], row[4], row[5], service=service)
        else:
            yield Link(*row)


def load_estate(data: Path = DATA) -> Estate:
    """The estate in `data`: applications in file-name order, then in file order."""
    estate = read_yaml(data / "estate.yaml")
    layout = _make(Layout, estate.data, estate, ())
    context = _Context(read_yaml(data / "software.yaml").data, layout)
    read: list[tuple[App, YamlDocument, Loc]] = []
    for path in sorted((data / "applications").glob("*.yaml")):
        doc = read_yaml(path)
        read += ((context.app(e, doc, (i,)), doc, (i,)) for i, e in enumerate(doc.data or []))
    codes = {app.code for app, _, _ in read}
    for app, doc, loc in read:
        for code in app.shares_servers_of:
            if code not in codes:
                raise _fail(
                    f"shares the servers of unknown {code!r}", doc, (*loc, "shares_servers_of")
                )
    deps = read_yaml(data / "dependencies.yaml")
    links = (*_links(deps, "applications", codes), *_links(deps, "external", codes))
    names = {app.code: app.name for app, _, _ in read}
    return Estate(
        layout=layout,
        apps=tuple(app for app, _, _ in read),
        links=links,
        sharing=load_sharing(data, names),
    )
