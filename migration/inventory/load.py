"""Read any mix of inventory sources into one validated :class:`Inventory`.

This is the one entry point the CLI and later stages use: expand paths, detect each file's
format (or take the forced one), read, merge, add workloads for unclaimed servers, check
references, and return the inventory with every warning. Errors from all sources are raised
together as one :class:`InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from forcelift.migration.errors import InputError, Location, Problem, ProblemCollector
from forcelift.migration.inventory.gaps import STRICT_CODES
from forcelift.migration.inventory.merge import merge, server_key
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.inventory.readers import BY_NAME, READERS, Fragment, ReaderSpec, Source
from forcelift.migration.inventory.sharing import Partner
from forcelift.migration.inventory.validate import (
    advisory_warnings,
    check_partner_names,
    check_server_references,
    report_cycles,
    resolve_dependencies,
    resolve_sharing,
)
from forcelift.migration.inventory.workloads import GroupBy, derive_applications

_DIRECTORY_SUFFIXES = {".yaml", ".yml", ".csv", ".xlsx", ".xlsm"}


@dataclass(frozen=True)
class SourceCount:
    """What one source held, so the summary's counts add up to the export's rows."""

    file: str
    format: str
    rows: int  # machine rows in the source (0: not a server list, e.g. applications.csv)
    servers: int
    skipped: dict[str, int]  # reason -> rows


@dataclass
class LoadResult:
    inventory: Inventory
    warnings: list[Problem] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (file, format)
    counts: list[SourceCount] = field(default_factory=list)


def expand_paths(paths: Sequence[Path], problems: ProblemCollector) -> list[tuple[Source, bool]]:
    """Files to read, each flagged whether the user named it (vs found it in a directory)."""
    out: list[tuple[Source, bool]] = []
    for path in paths:
        if path.is_dir():
            members = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in _DIRECTORY_SUFFIXES
                and not p.name.startswith((".", "~$"))
            )
            if not members:
                problems.error(
                    "no inventory files (.yaml, .csv, .xlsx) in this directory",
                    Location(file=str(path)),
                )
            out.extend((Source(p), False) for p in members)
        elif path.is_file():
            out.append((Source(path), True))
        else:
            problems.error("no such file or directory", Location(file=str(path)))
    return out


def detect_format(source: Source) -> ReaderSpec | None:
    for spec in READERS:
        if spec.detect(source):
            return spec
    return None


def _choose_readers(
    sources: list[tuple[Source, bool]], forced: str | None, problems: ProblemCollector
) -> list[tuple[Source, ReaderSpec]]:
    chosen: list[tuple[Source, ReaderSpec]] = []
    for source, explicit in sources:
        if source.kind == "empty":
            problems.error("the file is empty", source.location())
            continue
        if source.kind == "binary":
            problems.error(
                "this is not a text CSV or YAML file (it contains binary data)",
                source.location(),
                hint="export the sheet as CSV, or pass the .xlsx workbook itself",
            )
            continue
        if source.open_error is not None:
            problems.problems.extend(source.open_error.problems)
            continue
        spec = BY_NAME.get(forced) if forced else detect_format(source)
        if spec is None:
            if explicit or forced:
                problems.error(
                    "cannot tell which inventory format this is",
                    source.location(),
                    hint="supported: " + ", ".join(s.name for s in READERS) + "; force one with "
                    "--input-format",
                )
            else:
                problems.info(
                    "skipped: not an inventory file forcelift recognises", source.location()
                )
            continue
        chosen.append((source, spec))
    main_specs = {
        spec.name
        for source, spec in chosen
        if not (spec.is_companion and spec.is_companion(source))
    }
    return [
        (source, spec)
        for source, spec in chosen
        if not (spec.is_companion and spec.is_companion(source) and spec.name in main_specs)
    ]


def _read_one(source: Source, spec: ReaderSpec, problems: ProblemCollector) -> Fragment:
    try:
        fragment = spec.read(source, problems)
        fragment.disambiguate(problems)  # every reader alike; once (a reader may have done it)
        return fragment
    except InputError as exc:
        problems.problems.extend(exc.problems)
    except (ValidationError, ValueError, KeyError, IndexError, TypeError, OSError) as exc:
        # A reader bug or an input shape nobody foresaw: still the user's file, still a clear
        # message naming it, never a traceback.
        problems.error(
            f"could not read as {spec.name}: {type(exc).__name__}: {exc}", source.location()
        )
    return Fragment(source.display, spec.name)


def load_inventory(
    paths: Sequence[Path | str],
    *,
    forced_format: str | None = None,
    group_by: GroupBy = GroupBy.VM,
    as_of: dt.date | None = None,
    strict: bool = False,
    partners: Sequence[Partner] = (),
    partners_from: str = "collaboration file",
) -> LoadResult:
    """Read, merge and validate; raise :class:`InputError` carrying every error found.

    `strict` turns the warnings about gaps in the export (unsized rows, told-apart duplicate
    names, missing required values: gaps.STRICT_CODES) into errors, for pipelines that want
    a clean estate. `partners` are known from elsewhere (a collaboration file's partners and
    its other forces, `partners_from` says where): the inventory's flows and dependencies may
    name them, and an inventory partner with one of their names or aliases is merged into
    them (their name and identifiers win, a disagreement is reported).
    """
    problems = ProblemCollector()
    if forced_format and forced_format not in BY_NAME:
        raise InputError(f"unknown format {forced_format!r}", hint="one of: " + ", ".join(BY_NAME))
    sources = expand_paths([Path(p) for p in paths], problems)
    chosen = _choose_readers(sources, forced_format, problems)
    fragments = [_read_one(source, spec, problems) for source, spec in chosen]
    for fragment in fragments:
        problems.problems.extend(fragment.problems)
    if strict:
        problems.promote(STRICT_CODES, "an error because --strict is on; without it, a warning")
    if not problems.errors and not chosen:
        problems.error("no inventory sources given", Location())
    problems.raise_if_errors()

    known = Fragment(partners_from, "partners")
    for partner in partners:
        known.add_partner(partner, Location(file=partners_from))
    return _assemble(fragments, problems, group_by, as_of, chosen, known)


def _assemble(
    fragments: list[Fragment],
    problems: ProblemCollector,
    group_by: GroupBy,
    as_of: dt.date | None,
    chosen: list[tuple[Source, ReaderSpec]],
    known: Fragment | None = None,
) -> LoadResult:
    # known partners first: a collaboration's names and identifiers are shared by its forces
    parts = merge([known, *fragments] if known and known.partners else fragments, problems)
    servers = parts["servers"]
    applications = parts["applications"]
    app_origins = parts["application_origins"]
    server_names = {server_key(s.name) for s in servers}
    check_server_references(applications, app_origins, server_names, problems)
    claimed = {server_key(n) for a in applications for n in a.servers}
    derived = derive_applications(
        servers, claimed, group_by, frozenset(a.name.lower() for a in applications)
    )
    if derived:
        problems.info(
            f"{len(derived)} workload(s) derived for servers no application claims "
            f"(grouped by {group_by.value})",
            Location(),
            code="derived-workloads",
        )
    partners = parts["partners"]
    check_partner_names(partners, parts["partner_origins"], problems)
    dependencies = resolve_dependencies(
        parts["dependencies"],
        parts["dependency_origins"],
        [*applications, *derived],
        problems,
        partners,
    )
    sharing = resolve_sharing(
        parts["sharing"], parts["sharing_origins"], [*applications, *derived], partners, problems
    )
    problems.raise_if_errors()
    try:
        inventory = Inventory(
            force=parts["force"],
            servers=tuple(servers),
            applications=(*applications, *derived),
            dependencies=tuple(dependencies),
            partners=tuple(partners),
            sharing=tuple(sharing),
        )
    except ValidationError as exc:
        raise InputError(f"merged inventory is invalid: {exc}") from exc
    report_cycles(inventory, problems)
    advisory_warnings(inventory, as_of or dt.date.today(), problems)
    counts = [
        SourceCount(f.source, f.format, f.rows, len(f.servers), dict(sorted(f.skipped.items())))
        for f in fragments
    ]
    return LoadResult(
        inventory,
        problems.warnings,
        [(source.display, spec.name) for source, spec in chosen],
        counts,
    )
