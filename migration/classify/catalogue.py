"""The product catalogue: what forces run and where each product can go.

The built-in catalogue is data (`catalogue.yaml` next to this module). A user's file extends it:
an entry with a new id is added, an entry with a built-in id replaces it, and `exclude:` removes
built-ins. Every problem in either file names file, line and field; a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.versions import VersionRange
from forcelift.migration.classify.yamlfile import (
    YamlDocument,
    described_as,
    read_yaml,
    validation_problems,
)
from forcelift.migration.errors import InputError, Problem

CATALOGUE_SCHEMA_VERSION = "1.0"
_ID = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
# The version install lists write right after the product's name, up to three words later:
# "Apache Tomcat 6.0", "MySQL Server 5.1", "PHP-FPM 7.4", "JBoss Enterprise Application
# Platform 7.4". "(64-bit)" and other bracketed words end the search.
_VERSION_AFTER = re.compile(r"[\s\-]*(?:[a-z][\w\-]*\s+){0,3}v?(\d+(?:\.\d+)*)\b")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Availability(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Kind(StrEnum):
    """What the product is to the workload that runs it."""

    APPLICATION = "application"  # a supplier's business application (COTS)
    PLATFORM = "platform"  # a database, web server or runtime that bespoke code runs on
    INFRASTRUCTURE = "infrastructure"  # a whole IT service: files, backup, monitoring, identity


class Category(StrEnum):
    EMAIL = "email"
    COLLABORATION = "collaboration"
    FILE_STORAGE = "file-storage"
    DATABASE = "database"
    WEB_RUNTIME = "web-runtime"
    REPORTING = "reporting"
    INTEGRATION = "integration"
    IDENTITY = "identity"
    ENDPOINT_MANAGEMENT = "endpoint-management"
    MONITORING = "monitoring"
    BACKUP = "backup"
    SECURITY = "security"
    VIRTUAL_DESKTOP = "virtual-desktop"
    NETWORKING = "networking"
    TELEPHONY = "telephony"
    ICCS = "iccs"
    CCTV = "cctv"
    RECORDS_MANAGEMENT = "records-management"
    COMMAND_AND_CONTROL = "command-and-control"
    CUSTODY = "custody"
    CASE_PREPARATION = "case-preparation"
    DIGITAL_EVIDENCE = "digital-evidence"
    ANPR = "anpr"
    DUTY_MANAGEMENT = "duty-management"
    INTELLIGENCE = "intelligence"
    INVESTIGATION = "investigation"
    FORENSICS = "forensics"
    BIOMETRICS = "biometrics"
    HR_PAYROLL = "hr-payroll"
    FINANCE = "finance"
    SERVICE_DESK = "service-desk"
    GIS = "gis"
    DOCUMENT_MANAGEMENT = "document-management"
    FLEET = "fleet"
    LEARNING = "learning"
    PRINT = "print"
    VIRTUALISATION = "virtualisation"
    CRM = "crm"
    CONTAINER_PLATFORM = "container-platform"
    CONTENT_MANAGEMENT = "content-management"  # CMSs and wikis: WordPress, Drupal, MediaWiki
    FILE_TRANSFER = "file-transfer"
    MESSAGING = "messaging"  # queues, brokers and event streams
    SEARCH = "search"
    CACHE = "cache"
    OTHER = "other"


class HardwareTie(StrEnum):
    """Physical things a workload cannot leave behind."""

    DONGLE = "dongle"
    SERIAL = "serial"
    RADIO = "radio"
    CCTV = "cctv"


class SaasPath(_Model):
    available: Availability = Availability.UNKNOWN
    offer: str = ""
    uk_hosting: Availability = Availability.UNKNOWN
    assured_by: str = ""  # a national programme that provides and assures it (e.g. NEP)
    note: str = ""

    @property
    def cleared_for_sensitive(self) -> bool:
        """UK-hosted, or provided and assured nationally for policing data."""
        return self.uk_hosting is Availability.YES or bool(self.assured_by)

    @field_validator("available", "uk_hosting", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: object) -> object:
        # YAML 1.1 reads a bare yes / no as a boolean.
        if isinstance(value, bool):
            return Availability.YES if value else Availability.NO
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _offer_named(self) -> SaasPath:
        if self.available is Availability.YES and not self.offer:
            raise ValueError("saas.offer must name the SaaS offer when saas.available is yes")
        return self


class CloudPath(_Model):
    azure: Annotated[str, Field(min_length=1)]
    aws: Annotated[str, Field(min_length=1)]
    note: str = ""


_VMS = CloudPath(azure="Azure Virtual Machines", aws="Amazon EC2")


class CatalogueEntry(_Model):
    id: Annotated[str, Field(pattern=_ID)]
    vendor: Annotated[str, Field(min_length=1)]
    product: Annotated[str, Field(min_length=1)]
    category: Category
    kind: Kind
    match: Annotated[tuple[str, ...], Field(min_length=1)]
    versions: str = "*"
    preferred: Decision
    saas: SaasPath = SaasPath()
    paas: CloudPath | None = None
    iaas: CloudPath = _VMS
    hardware: HardwareTie | None = None
    superseded_by: str = ""
    end_of_support: dt.date | None = None
    notes: str = ""

    @field_validator("match")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern, re.I)
            except re.error as exc:
                raise ValueError(f"match pattern {pattern!r} is not a valid regex: {exc}") from exc
        return value

    @field_validator("versions")
    @classmethod
    def _range_parses(cls, value: str) -> str:
        VersionRange.parse(value)
        return value

    @model_validator(mode="after")
    def _preferred_is_possible(self) -> CatalogueEntry:
        if self.preferred is Decision.SAAS and self.saas.available is not Availability.YES:
            raise ValueError("preferred is SAAS but saas.available is not yes")
        if self.preferred is Decision.PAAS and self.paas is None:
            raise ValueError("preferred is PAAS but there is no paas path")
        if self.preferred is Decision.RETIRE and not self.superseded_by:
            raise ValueError("preferred is RETIRE: say what replaces it in superseded_by")
        return self

    @property
    def version_range(self) -> VersionRange:
        return _range(self.versions)

    @property
    def label(self) -> str:
        """ "Vendor Product", without repeating a vendor the product name already starts with."""
        vendor = self.vendor.split("(")[0].strip()
        first = vendor.split()[0].lower() if vendor else ""
        if first and self.product.lower().startswith(first):
            return self.product
        return f"{vendor} {self.product}"


@functools.lru_cache(maxsize=1024)
def _range(text: str) -> VersionRange:
    return VersionRange.parse(text)


class Catalogue:
    """Validated entries plus the matching machinery; matching is cached per product string."""

    def __init__(self, entries: Iterable[CatalogueEntry], ignore: Iterable[str] = ()) -> None:
        self.entries: tuple[CatalogueEntry, ...] = tuple(entries)
        self.ignore: tuple[str, ...] = tuple(ignore)
        self.by_id = {e.id: e for e in self.entries}
        self._patterns = tuple(
            (index, re.compile(p, re.I)) for index, e in enumerate(self.entries) for p in e.match
        )
        self._any = re.compile("|".join(f"(?:{p})" for e in self.entries for p in e.match), re.I)
        self._ignore = (
            re.compile("|".join(f"(?:{p})" for p in self.ignore), re.I) if self.ignore else None
        )
        self._cache: dict[tuple[str, str, str], CatalogueEntry | None] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, vendor: str, product: str, version: str = "") -> CatalogueEntry | None:
        """The best entry for a piece of software: longest pattern match, then catalogue order."""
        key = (vendor, product, version)
        try:
            return self._cache[key]
        except KeyError:
            pass
        text = " ".join(f"{vendor} {product}".split()).lower()
        year = ""
        # "SQL Server (64-bit) 2016": a release year in the name is the version when no number
        # follows the matched name itself (_match_text)
        if not version:
            found_year = _YEAR.search(product)
            year = found_year.group(1) if found_year else ""
        found = self._match_text(text, version, year)
        self._cache[key] = found
        return found

    def is_ignored(self, vendor: str, product: str) -> bool:
        """Whether the software is on the ignore list (evidence of nothing)."""
        text = " ".join(f"{vendor} {product}".split()).lower()
        return self._ignore is not None and bool(self._ignore.search(text))

    def match_name(self, text: str) -> CatalogueEntry | None:
        """Match free text (an application's name) against the catalogue, ignoring versions."""
        return self.match("", text)

    def _match_text(self, text: str, version: str, year: str = "") -> CatalogueEntry | None:
        """`version` as recorded; without one, the number written after the matched name (or
        a release year in it) limits entries that carry a version range."""
        if not text or not self._any.search(text):
            return None
        if self._ignore is not None and self._ignore.search(text):
            return None
        best: tuple[int, int] | None = None
        for index, pattern in self._patterns:
            found = pattern.search(text)
            if not found:
                continue
            entry = self.entries[index]
            seen = version
            if not seen and entry.versions != "*":
                after = _VERSION_AFTER.match(text, found.end())
                seen = (after.group(1) if after else "") or year
            if seen and not entry.version_range.contains(seen):
                continue
            score = (-(found.end() - found.start()), index)
            if best is None or score < best:
                best = score
        return self.entries[best[1]] if best else None


def _builtin_document() -> YamlDocument:
    path = resources.files("forcelift.migration.classify").joinpath("catalogue.yaml")
    with resources.as_file(path) as real:
        return read_yaml(Path(real), display="catalogue.yaml (built-in)")


def _entries_from(
    doc: YamlDocument, problems: list[Problem]
) -> tuple[list[CatalogueEntry], list[str], list[str]]:
    """Validate one catalogue document; return entries, ignore patterns and excluded ids."""
    data: Any = doc.data
    if not isinstance(data, dict):
        problems.append(
            Problem("a catalogue is a mapping with a `products:` list", doc.location(()))
        )
        return [], [], []
    unknown = sorted(set(data) - {"schema_version", "products", "ignore", "exclude"})
    for key in unknown:
        problems.append(
            Problem(
                f"unknown top-level key {key!r} (expected products, ignore, exclude)",
                doc.location((key,), key),
            )
        )
    version = str(data.get("schema_version", CATALOGUE_SCHEMA_VERSION))
    if version.split(".")[0] != CATALOGUE_SCHEMA_VERSION.split(".")[0]:
        problems.append(
            Problem(
                f"schema_version {version!r} is not supported (expected "
                f"{CATALOGUE_SCHEMA_VERSION})",
                doc.location(("schema_version",), "schema_version"),
            )
        )
    products = data.get("products") or []
    if not isinstance(products, list):
        problems.append(Problem("products must be a list", doc.location(("products",), "products")))
        products = []
    entries: list[CatalogueEntry] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(products):
        label = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            entry = CatalogueEntry.model_validate(raw)
        except ValidationError as exc:
            describe = described_as(f"product {label}")
            problems.extend(validation_problems(exc, doc, ("products", i), describe))
            continue
        if entry.id in seen:
            problems.append(
                Problem(
                    f"duplicate product id {entry.id!r} (first at entry {seen[entry.id] + 1})",
                    doc.location(("products", i, "id"), "id"),
                )
            )
            continue
        seen[entry.id] = i
        entries.append(entry)
    ignore = _string_list(doc, data, "ignore", problems)
    for j, pattern in enumerate(ignore):
        try:
            re.compile(pattern, re.I)
        except re.error as exc:
            problems.append(
                Problem(
                    f"ignore pattern {pattern!r} is not a valid regex: {exc}",
                    doc.location(("ignore", j), "ignore"),
                )
            )
    exclude = _string_list(doc, data, "exclude", problems)
    return entries, ignore, exclude


def _string_list(
    doc: YamlDocument, data: dict[str, Any], key: str, problems: list[Problem]
) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(f"{key} must be a list of strings", doc.location((key,), key)))
        return []
    return value


@functools.lru_cache(maxsize=1)
def builtin_catalogue() -> Catalogue:
    problems: list[Problem] = []
    entries, ignore, _ = _entries_from(_builtin_document(), problems)
    if problems:
        raise InputError(problems)
    return Catalogue(entries, ignore)


def load_catalogue(extra: Path | None = None) -> Catalogue:
    """The built-in catalogue, extended by the user's file when given."""
    base = builtin_catalogue()
    if extra is None:
        return base
    problems: list[Problem] = []
    doc = read_yaml(extra)
    entries, ignore, exclude = _entries_from(doc, problems)
    known = set(base.by_id) | {e.id for e in entries}
    for j, ident in enumerate(exclude):
        if ident not in known:
            problems.append(
                Problem(
                    f"exclude names unknown product id {ident!r}",
                    doc.location(("exclude", j), "exclude"),
                )
            )
    if problems:
        raise InputError(problems)
    replacing = {e.id: e for e in entries}
    merged = [replacing.pop(e.id, e) for e in base.entries]
    merged.extend(e for e in entries if e.id in replacing)
    dropped = set(exclude)
    return Catalogue(
        (e for e in merged if e.id not in dropped),
        (*base.ignore, *(p for p in ignore if p not in base.ignore)),
    )
