"""A sample force's partners and sharing flows (tools/data/<force>/sharing.yaml), read and checked.

National bodies every sample force shares with (NCA, CPS, HMPPS, the regional organised crime
unit) are written once, in tools/data/partners.yaml, so their subscription and account ids
cannot drift apart between forces and the collaboration file; a force's sharing.yaml names them
and adds its own local partners (its county council). Flows name applications by their code,
like dependencies.yaml, and are turned into application names here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forcelift.migration.classify.yamlfile import (
    Loc,
    YamlDocument,
    described_as,
    read_yaml,
    validation_problems,
)
from forcelift.migration.errors import InputError
from forcelift.migration.inventory.export.native_csv import csv_text, format_list, format_number
from forcelift.migration.inventory.sharing import Partner, SharingFlow

COMMON = Path(__file__).resolve().parent / "data" / "partners.yaml"
MODELS: dict[str, type[Partner] | type[SharingFlow]] = {"partners": Partner, "sharing": SharingFlow}


@dataclass(frozen=True)
class Sharing:
    """Partners and flows in inventory form (application names, not codes), in file order."""

    partners: tuple[Partner, ...] = ()
    flows: tuple[SharingFlow, ...] = ()


def _fail(message: str, doc: YamlDocument, loc: Loc) -> InputError:
    return InputError(message, doc.location(loc))


def _entries(doc: YamlDocument, section: str) -> list[tuple[Loc, dict[str, Any]]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    rows = data.get(section) or []
    if not isinstance(rows, list):
        raise _fail(f"{section} must be a list", doc, (section,))
    return [((section, i), row) for i, row in enumerate(rows)]


def _typed(section: str, entry: dict[str, Any], doc: YamlDocument, loc: Loc) -> Any:
    """The entry as the inventory model's type, its errors located at their line."""
    try:
        return MODELS[section].model_validate(entry)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, loc, described_as(section))
        raise InputError(problems) from exc


def _common() -> dict[str, tuple[dict[str, Any], YamlDocument, Loc]]:
    doc = read_yaml(COMMON)
    common = {}
    for loc, entry in _entries(doc, "partners"):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise _fail("a partner needs a name", doc, loc)
        common[str(entry["name"]).casefold()] = (entry, doc, loc)
    return common


def load_sharing(data: Path, names: dict[str, str]) -> Sharing:
    """`data`/sharing.yaml (none: no partners); `names` maps application codes to names."""
    path = data / "sharing.yaml"
    if not path.is_file():
        return Sharing()
    doc = read_yaml(path)
    common = _common()
    partners: list[Partner] = []
    known: set[str] = set()
    for loc, entry in _entries(doc, "partners"):
        if isinstance(entry, str):  # a national body from partners.yaml
            if entry.casefold() not in common:
                raise _fail(f"{entry!r} is not a partner in {COMMON.name}", doc, loc)
            entry, source, loc = common[entry.casefold()]
            partners.append(_typed("partners", entry, source, loc))
        elif isinstance(entry, dict):
            partners.append(_typed("partners", entry, doc, loc))
        else:
            raise _fail("a partner is a name from partners.yaml or a mapping", doc, loc)
        known.add(str(entry.get("name", "")).casefold())
    flows: list[SharingFlow] = []
    for loc, entry in _entries(doc, "sharing"):
        if not isinstance(entry, dict):
            raise _fail("a sharing flow is a mapping", doc, loc)
        code = entry.get("application")
        if code not in names:
            raise _fail(f"unknown application code {code!r}", doc, (*loc, "application"))
        if str(entry.get("partner", "")).casefold() not in known:
            raise _fail(f"unknown partner {entry.get('partner')!r}", doc, (*loc, "partner"))
        flows.append(_typed("sharing", {**entry, "application": names[code]}, doc, loc))
    return Sharing(partners=tuple(partners), flows=tuple(flows))


PARTNER_HEADER = (
    "name",
    "kind",
    "cloud",
    "azure_tenant",
    "azure_subscriptions",
    "aws_accounts",
    "aws_organization_unit",
    "endpoint",
    "description",
    "aliases",
)
SHARING_HEADER = (
    "application",
    "partner",
    "data",
    "direction",
    "classification",
    "protocol",
    "api",
    "port",
    "agreement",
    "description",
)


def sharing_csv_files(partners: Sequence[Partner], flows: Sequence[SharingFlow]) -> dict[str, str]:
    """partners.csv and sharing.csv of the native CSV set (none when there are no partners):
    the native readers take them by header, so the CSV set carries the same sharing data."""
    if not partners and not flows:
        return {}
    partner_rows = [
        [
            p.name,
            p.kind.value,
            p.cloud,
            p.azure_tenant,
            format_list(p.azure_subscriptions, "subscription"),
            format_list(p.aws_accounts, "account"),
            p.aws_organization_unit,
            p.endpoint,
            p.description,
            format_list(p.aliases, "alias"),
        ]
        for p in partners
    ]
    flow_rows = [
        [
            f.application,
            f.partner,
            f.data,
            f.direction.value,
            f.classification.value,
            f.protocol,
            "true" if f.api else "false",
            format_number(f.port),
            f.agreement,
            f.description,
        ]
        for f in flows
    ]
    return {
        "partners.csv": csv_text(PARTNER_HEADER, partner_rows),
        "sharing.csv": csv_text(SHARING_HEADER, flow_rows),
    }
