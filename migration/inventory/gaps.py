"""What every reader does with gaps in an export: the one shared mechanism of issues 11 and 17.

- A row with a name but a blank, sentinel or unreadable CPU / memory cell is kept, **unsized**
  (`cores` / `memory_mib` None, `unsized_reason` set), with a warning naming the cell and what
  was assumed; `--strict` turns these warnings into errors.
- CPU and memory utilisation of exactly 0 / 0 is missing performance data, not an idle machine.
- Machines with the same name but different identities (VM UUID, site, FQDN) are kept apart
  under a stable, disambiguated name, with a warning naming both rows.

Readers report gaps through here so the wording, the problem codes and the strict behaviour
are the same for every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.model import Server
from forcelift.migration.inventory.normalise import Cell, text

#: A required size value is missing: the server is kept unsized.
UNSIZED = "unsized"
#: Two machines share a name but not an identity: both kept, one renamed.
DUPLICATE_NAME = "duplicate-name"
#: A required, non-size value is missing (e.g. the OS name of an Azure Migrate import row).
MISSING_VALUE = "missing-value"
#: Utilisation was dropped as missing data (0/0, sentinels, the tool's own data issues).
NO_PERFORMANCE_DATA = "no-performance-data"

#: The warnings `--strict` makes errors.
STRICT_CODES = frozenset({UNSIZED, DUPLICATE_NAME, MISSING_VALUE})
STRICT_HINT = "--strict makes this an error"

_WHAT = {"cores": "CPU count", "memory_mib": "memory size"}


@dataclass(frozen=True, slots=True)
class Gap:
    """One required size cell that gave no usable value."""

    field: str  # "cores" | "memory_mib"
    location: Location  # file, sheet, row and the column as the export names it
    detail: str  # "is blank", "is 'Not applicable'", "'two': expected a number, got 'two'"

    @property
    def reason(self) -> str:
        """Short text for `Server.unsized_reason`: 'CPUs is blank in vInfo row 12'."""
        loc = self.location
        where = loc.sheet or (PurePath(loc.file).name if loc.file else "the export")
        place = f"row {loc.row}" if loc.row is not None else f"line {loc.line}"
        return f"{loc.column or _WHAT[self.field]} {self.detail} in {where} {place}"


def gap_detail(cell: Cell, error: str | None = None) -> str:
    """How the message describes the cell: blank, a sentinel, or an unreadable value."""
    shown = text(cell)
    if error is not None:
        return f"is unreadable ({error})"
    if not shown:
        return "is blank"
    return f"is {shown!r} (no value)"


def report_gaps(
    problems: ProblemCollector, gaps: Sequence[Gap], filled: dict[str, str] | None = None
) -> str:
    """Warn once per gap, saying what was assumed; return the server's `unsized_reason`.

    `filled` maps a field to where another part of the export supplied it ("the vCPU tab: 4");
    a filled gap is still a warning (the cell the user looks at is wrong) but not unsized.
    """
    filled = filled or {}
    reasons = []
    for gap in gaps:
        source = filled.get(gap.field)
        if source is not None:
            assumed = f"{_WHAT[gap.field]} taken from {source}"
        else:
            assumed = (
                f"the server is kept with its {_WHAT[gap.field]} unknown (unsized: sized from "
                "its application's other servers, or left out of sizing and cost)"
            )
            reasons.append(gap.reason)
        column = gap.location.column or _WHAT[gap.field]
        problems.warning(
            f"{column} {gap.detail}: {assumed}", gap.location, hint=STRICT_HINT, code=UNSIZED
        )
    return "; ".join(reasons)


def zero_utilisation(
    cpu: float | None, memory: float | None, where: Location, problems: ProblemCollector
) -> bool:
    """True when CPU and memory use are both exactly 0 %: a tool that collected nothing.

    Noted once per row (info), since sizing down from 0 % would shrink the machine to nothing.
    """
    if cpu == 0 and memory == 0:
        problems.info(
            "CPU and memory utilisation are both 0 %: read as missing performance data, "
            "not an idle machine",
            where,
            code=NO_PERFORMANCE_DATA,
        )
        return True
    return False


# ------------------------------------------------------------------ duplicate machine names

_NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def _slug(value: str) -> str:
    """A readable, dot-free suffix (server names match on the part before the first dot)."""
    head = value.strip()
    if "." in head and not head.replace(".", "").isdigit():
        head = head.split(".", 1)[0]
    return _NOT_SLUG.sub("-", head).strip("-")


def _short_id(identity: str) -> str:
    return _NOT_SLUG.sub("", identity)[:8].lower()


class Identified(Protocol):
    """What tells same-named machines apart: a Server, or a reader's lighter probe of a row."""

    @property
    def identity(self) -> str: ...
    @property
    def site(self) -> str: ...
    @property
    def fqdn(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Identity:
    """A row's identity without building a Server (readers compare rows before they have one)."""

    identity: str = ""
    site: str = ""
    fqdn: str = ""


def distinct(a: Identified, b: Identified) -> bool:
    """Whether two same-named servers are different machines by the export's own identity.

    The identity (VM / BIOS UUID, machine id) decides when both rows have one; else the site
    (vCenter, Azure Migrate site), else the FQDN. Rows nothing tells apart are one machine.
    """
    for attribute in ("identity", "site", "fqdn"):
        left, right = getattr(a, attribute), getattr(b, attribute)
        if left and right:
            return bool(left.strip().lower() != right.strip().lower())
    return False


def _same(left: str, right: str) -> bool:
    return left.strip().lower() == right.strip().lower()


def _suffixes(server: Server, keeper: Server) -> list[str]:
    """Suffix candidates, those that tell this machine from the keeper first (two machines
    at one site are told apart by id, not called `name@<the site they share>`)."""
    out = []
    if server.site:
        out.append((_same(server.site, keeper.site), _slug(server.site)))
    if server.identity:
        shared = _same(server.identity, keeper.identity)
        out.append((shared, _short_id(server.identity)))
        out.append((shared, _slug(server.identity)))
    if server.fqdn and "." in server.fqdn:
        domain = server.fqdn.split(".", 1)[1]
        out.append((_same(domain, keeper.fqdn.partition(".")[2]), _slug(domain)))
    return [suffix for _, suffix in sorted(out, key=lambda pair: pair[0]) if suffix]


def _strength(server: Server) -> tuple[bool, str, bool, str, bool, str]:
    """Rows with an id (then a site, then an FQDN) first, so machines are seeded by the rows
    that identify them best, whatever the order of rows."""
    return (
        not server.identity,
        server.identity.strip().lower(),
        not server.site,
        server.site.strip().lower(),
        not server.fqdn,
        server.fqdn.strip().lower(),
    )


def disambiguate(
    servers: Sequence[Server],
    origins: Sequence[Location],
    name_key: Callable[[str], str],
    problems: ProblemCollector,
) -> dict[int, str]:
    """Rename same-named servers that are different machines; {index: new name}.

    Servers sharing a (short, case-insensitive) name are split into machines by identity
    (:func:`distinct`), the rows with the strongest identity seeding the machines. Machines
    are ordered by (site, identity, FQDN): the first keeps the name, each other becomes
    `name@<site>` (else `@<first 8 of its id>`, else `@<domain>`; a suffix that differs from
    the keeper's first), so the result does not depend on the order of rows. Rows of one
    machine keep one name (merging reports them as duplicates, as before). `name_key` must
    give each `name@suffix` a key of its own (identity.server_key does).
    """
    groups: dict[str, list[int]] = {}
    for index, server in enumerate(servers):
        groups.setdefault(name_key(server.name), []).append(index)
    taken = set(groups)
    renames: dict[int, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        machines: list[list[int]] = []
        for i in sorted(members, key=lambda i: (_strength(servers[i]), i)):
            home = next((m for m in machines if not distinct(servers[m[0]], servers[i])), None)
            if home is None:
                machines.append([i])
            else:
                home.append(i)
        if len(machines) < 2:
            continue
        machines.sort(key=lambda m: (servers[m[0]].site.strip().lower(),
                                     servers[m[0]].identity.strip().lower(),
                                     servers[m[0]].fqdn.strip().lower(), m[0]))  # fmt: skip
        keeper = machines[0][0]
        for machine in machines[1:]:
            first = min(machine)  # the row the warning points at
            server = servers[machine[0]]
            new = _new_name(server, servers[keeper], taken, name_key)
            taken.add(name_key(new))
            for index in machine:
                renames[index] = new
            problems.warning(
                f"two machines are named {server.name!r}: this one "
                f"({_identity_text(server)}) is read as {new!r}; the one at "
                f"{origins[min(machines[0])]} ({_identity_text(servers[keeper])}) keeps the name",
                origins[first],
                hint=STRICT_HINT,
                code=DUPLICATE_NAME,
            )
    return renames


def _new_name(
    server: Server, keeper: Server, taken: set[str], name_key: Callable[[str], str]
) -> str:
    for suffix in _suffixes(server, keeper):
        candidate = f"{server.name}@{suffix}"
        if name_key(candidate) not in taken:
            return candidate
    n = 2
    while name_key(f"{server.name}@{n}") in taken:
        n += 1
    return f"{server.name}@{n}"


def _identity_text(server: Server) -> str:
    parts = [
        f"{label} {value}"
        for label, value in (("id", server.identity), ("site", server.site), ("FQDN", server.fqdn))
        if value
    ]
    return ", ".join(parts) or "no identity"
