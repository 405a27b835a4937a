"""A regional collaboration file: several forces planned together, the services they share.

Forces that work together (a regional organised crime unit, a shared control room) want one
plan: each force keeps its own landing zone, and a shared service is placed once, in the host
force the file names, for the others to reach privately. The file says which forces take part
(and where their inventories are), which partner agencies all of them know, and which services
are shared with whom. It is read strictly, like an inventory: every problem is reported with
the file and YAML line, so a typo in a consumer's name cannot quietly widen or narrow who may
connect. See docs/collaboration-file.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.inventory.normalise import parse_classification
from forcelift.migration.inventory.pydantic_errors import format_loc, problems_from_validation
from forcelift.migration.inventory.readers.native_yaml import SAFE_LOADER, node_line
from forcelift.migration.inventory.sharing import (
    AwsOrganization,
    OptionalAccountId,
    OptionalSubscriptionId,
    OrganizationUnitId,
    Partner,
    PartnerKind,
    find_partner,
    name_key,
    ou_arn,
    ou_mismatch,
    partner_lookup,
)
from forcelift.migration.inventory.vocabulary import SecurityClassification

SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,23}$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
_CHECKED = "checked"  # validation context key: load_collaboration checks with YAML lines itself

#: (message, path into the document, hint)
Finding = tuple[str, tuple[int | str, ...], str | None]


def _as_tuple(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class CollaborationForce(_Model):
    """One force taking part: its inventory sources and where its cloud estate lives."""

    slug: Slug
    name: Annotated[str, Field(min_length=1)]
    #: inventory sources, relative to the collaboration file (files or directories)
    inventory: Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    overrides: str = ""  # the force's classification overrides file, relative like inventory
    azure_subscription: OptionalSubscriptionId = ""
    aws_account: OptionalAccountId = ""

    inventory_as_tuple = field_validator("inventory", mode="before")(_as_tuple)


class SharedService(_Model):
    """A service one force hosts for named consumers (other forces, partner agencies)."""

    name: Annotated[str, Field(min_length=1)]
    host: Annotated[str, Field(min_length=1)]  # a force slug
    application: Annotated[str, Field(min_length=1)]  # an application in the host's inventory
    #: force slugs and/or partner names; exactly these may connect
    consumers: Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    agreement: str = ""
    classification: SecurityClassification = SecurityClassification.OFFICIAL_SENSITIVE
    protocol: str = "https"
    port: Annotated[int, Field(ge=1, le=65535)] = 443
    api: bool = False
    data: str = ""

    consumers_as_tuple = field_validator("consumers", mode="before")(_as_tuple)

    @field_validator("classification", mode="before")
    @classmethod
    def _classification(cls, value: object) -> object:
        return parse_classification(value) if isinstance(value, str) else value

    @field_validator("protocol", mode="before")
    @classmethod
    def _protocol(cls, value: object) -> object:
        return value.strip().lower() or "https" if isinstance(value, str) else value


class Collaboration(_Model):
    """The forces planned together, the partners all of them know, the services they share."""

    name: Annotated[str, Field(min_length=1)]
    slug: Slug
    forces: Annotated[tuple[CollaborationForce, ...], Field(min_length=1)]
    partners: tuple[Partner, ...] = ()  # partner agencies known to every force
    shared_services: tuple[SharedService, ...] = ()
    #: RAM shares go to this OU (an OU ARN, or a bare id with `aws_organization`); without
    #: it, or with a bare id alone, to the forces' named accounts (never the organisation)
    aws_collaboration_ou: OrganizationUnitId = ""
    #: the organisation the OU id belongs to (management account, o-… id): RAM needs its ARN
    aws_organization: AwsOrganization | None = None
    #: where the file lives, to resolve inventory paths (not part of a dump)
    directory: Path = Field(default=Path("."), exclude=True)
    #: where each shared service's `application` is written, for later errors (see
    #: check_applications); empty when built in code
    _application_at: dict[int, Location] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Collaboration:
        if not (info.context or {}).get(_CHECKED):
            found = [f"{format_loc(loc)}: {message}" for message, loc, _ in check(self)]
            if found:
                raise ValueError("; ".join(found))
        return self

    @property
    def aws_collaboration_ou_arn(self) -> str:
        """The collaboration OU as AWS RAM takes it; "" when not given or only a bare id."""
        return ou_arn(self.aws_collaboration_ou, self.aws_organization)

    def force(self, slug: str) -> CollaborationForce:
        for force in self.forces:
            if force.slug == slug:
                return force
        raise KeyError(slug)

    def inventory_paths(self, slug: str) -> tuple[Path, ...]:
        return tuple(self.directory / p for p in self.force(slug).inventory)

    def overrides_path(self, slug: str) -> Path | None:
        overrides = self.force(slug).overrides
        return self.directory / overrides if overrides else None

    def known_partners(self, slug: str) -> tuple[Partner, ...]:
        """What force `slug` may name in its flows and dependencies besides its own partners:
        the collaboration's partners and the other forces (named by slug, their name an alias,
        their subscription/account as identifiers), for `load_inventory(partners=...)`."""
        forces = tuple(
            Partner(
                name=f.slug,
                kind=PartnerKind.FORCE,
                azure_subscriptions=(f.azure_subscription,) if f.azure_subscription else (),
                aws_accounts=(f.aws_account,) if f.aws_account else (),
                aliases=(f.name,),
            )
            for f in self.forces
            if f.slug != slug
        )
        return (*self.partners, *forces)

    def hosted_by(self, slug: str) -> tuple[SharedService, ...]:
        return tuple(s for s in self.shared_services if s.host == slug)

    def consumed_by(self, slug: str) -> tuple[SharedService, ...]:
        return tuple(s for s in self.shared_services if slug in s.consumers)


def _duplicates(names: Iterator[tuple[str, tuple[int | str, ...]]]) -> Iterator[Finding]:
    seen: dict[str, tuple[int | str, ...]] = {}
    for name, loc in names:
        key = name_key(name)
        if key in seen:
            yield f"{name!r} is given twice (also at {format_loc(seen[key])})", loc, None
        else:
            seen[key] = loc


def check(collab: Collaboration) -> list[Finding]:
    """Cross-references the model alone cannot check: unique names, hosts and consumers that
    exist. Files on disk are checked by :func:`load_collaboration`."""
    found: list[Finding] = []
    found += _duplicates((f.slug, ("forces", i, "slug")) for i, f in enumerate(collab.forces))
    found += _duplicates((f.name, ("forces", i, "name")) for i, f in enumerate(collab.forces))
    found += _duplicates(
        (name, ("partners", i, "name" if name == p.name else "aliases"))
        for i, p in enumerate(collab.partners)
        for name in dict.fromkeys((p.name, *p.aliases))
    )
    found += _duplicates(
        (s.name, ("shared_services", i, "name")) for i, s in enumerate(collab.shared_services)
    )
    mismatch = ou_mismatch(collab.aws_collaboration_ou, collab.aws_organization)
    if mismatch:
        found.append(
            (
                mismatch,
                ("aws_collaboration_ou",),
                "give the OU's bare id with `aws_organization`, or an ARN of that organisation",
            )
        )
    forces = {f.slug for f in collab.forces}
    force_names = {name_key(n) for f in collab.forces for n in (f.slug, f.name)}
    for i, partner in enumerate(collab.partners):
        clash = next(
            (n for n in (partner.name, *partner.aliases) if name_key(n) in force_names), ""
        )
        if clash:
            found.append(
                (
                    f"partner {partner.name!r}: {clash!r} is a force of this collaboration",
                    ("partners", i, "name" if clash == partner.name else "aliases"),
                    "the forces are partners of each other already; list them only once",
                )
            )
    partners = partner_lookup(collab.partners)
    for i, service in enumerate(collab.shared_services):
        if service.host not in forces:
            found.append(
                (
                    f"host {service.host!r} is not a force of this collaboration",
                    ("shared_services", i, "host"),
                    f"one of: {', '.join(sorted(forces))}",
                )
            )
        for j, consumer in enumerate(service.consumers):
            loc: tuple[int | str, ...] = ("shared_services", i, "consumers", j)
            if consumer == service.host:
                found.append((f"the host {consumer!r} cannot consume its own service", loc, None))
            elif consumer not in forces and find_partner(partners, consumer) is None:
                found.append(
                    (
                        f"consumer {consumer!r} is neither a force slug nor a partner",
                        loc,
                        "name a force by its slug, or add the partner to `partners:`",
                    )
                )
    return found


def _file_findings(collab: Collaboration) -> list[Finding]:
    found: list[Finding] = []
    for i, force in enumerate(collab.forces):
        for j, path in enumerate(force.inventory):
            if not (collab.directory / path).exists():
                found.append(
                    (
                        f"inventory {path!r} not found (looked for {collab.directory / path})",
                        ("forces", i, "inventory", j),
                        "inventory paths are relative to the collaboration file",
                    )
                )
        if force.overrides and not (collab.directory / force.overrides).is_file():
            found.append(
                (
                    f"overrides file {force.overrides!r} not found",
                    ("forces", i, "overrides"),
                    "paths are relative to the collaboration file",
                )
            )
    return found


def _canonical(collab: Collaboration) -> Collaboration:
    """Consumers as the names later stages join on: a force's slug, a partner's own name."""
    index = partner_lookup(collab.partners)
    forces = {f.slug for f in collab.forces}
    services = []
    for service in collab.shared_services:
        consumers = tuple(
            dict.fromkeys(
                c if c in forces else getattr(find_partner(index, c), "name", c)
                for c in service.consumers
            )
        )
        services.append(service.model_copy(update={"consumers": consumers}))
    return collab.model_copy(update={"shared_services": tuple(services)})


def check_applications(
    collab: Collaboration, applications: Mapping[str, Iterable[str]]
) -> list[Problem]:
    """Shared services whose `application` is not in the host's inventory (by the host's
    application names, case-insensitive), located in the collaboration file; the caller reads
    the inventories, so this runs after them."""
    problems = []
    for i, service in enumerate(collab.shared_services):
        names = {n.lower() for n in applications.get(service.host, ())}
        if service.application.lower() not in names:
            problems.append(
                Problem(
                    f"shared service {service.name!r}: application {service.application!r} is "
                    f"not in {service.host}'s inventory",
                    collab._application_at.get(i, Location(column=f"shared_services[{i}]")),
                    hint="name the application as the host's inventory does",
                )
            )
    return problems


def load_collaboration(path: Path) -> Collaboration:
    """Read and check a collaboration file; :class:`InputError` lists every problem found,
    each with the file and YAML line."""
    display = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"cannot read the collaboration file: {exc.strerror or exc}", Location(file=display)
        ) from None
    try:
        data: Any = yaml.load(raw, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            Location(file=display, line=mark.line + 1 if mark else None),
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            "expected a mapping with name, slug and forces at the top",
            Location(file=display, line=1),
            hint="see docs/collaboration-file.md",
        )
    tree = yaml.compose(raw, Loader=SAFE_LOADER)

    def locate(loc: tuple[int | str, ...]) -> Location:
        return Location(file=display, line=node_line(tree, loc), column=format_loc(loc) or None)

    directory = path.resolve().parent
    try:
        collab = Collaboration.model_validate(
            {**data, "directory": directory}, context={_CHECKED: True}
        )
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, locate)) from None
    found = check(collab) + _file_findings(collab)
    if found:
        raise InputError([Problem(m, locate(loc), hint=hint) for m, loc, hint in found])
    result = _canonical(collab)
    result._application_at = {
        i: locate(("shared_services", i, "application")) for i in range(len(result.shared_services))
    }
    return result
