"""RVTools exports: the xlsx workbook, or the per-tab CSV files (`RVTools_tabvInfo.csv`, …).

vInfo (one row per VM) is required; vDisk, vNetwork, vHost, vCPU and vMemory are used when
present. Headers are matched by folded name, so column order, case, spacing, extra columns and
the naming of RVTools 3.x (`Provisioned MB`, `# CPUs`) and of the CSV export (`vInfoVMName`)
all work. The mapping, and how `In Use MiB` becomes per-disk used space, is in
docs/formats-rvtools.md.

Speed matters (100,000-VM exports are real): each sheet streams once, column indices are
resolved once, only the cells forcelift uses are touched, and numbers already typed by the
workbook skip the text parsers.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from forcelift.migration.errors import InputError, Location, ProblemCollector
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source
from forcelift.migration.inventory.readers.rvtools_columns import (
    COMPANION_TABS,
    CPUS,
    HOST,
    HOST_CPU,
    MEMORY,
    POWERSTATE,
    TEMPLATE,
    VM,
    header_keys,
)
from forcelift.migration.inventory.readers.rvtools_tabs import Tabs, read_extras
from forcelift.migration.inventory.readers.rvtools_vinfo import VInfo, fill_gaps, read_fallbacks
from forcelift.migration.inventory.tabular import Workbook, read_csv_table

FORMAT = "rvtools"

_TAB_FILE = re.compile(r"tab(v[a-z_]+)$", re.I)
_VM_KEYS, _CPU_KEYS, _MEM_KEYS = header_keys(VM), header_keys(CPUS), header_keys(MEMORY)
_POWER_KEYS, _TEMPLATE_KEYS = header_keys(POWERSTATE), header_keys(TEMPLATE)
_HOST_KEYS, _HOST_CPU_KEYS = header_keys(HOST), header_keys(HOST_CPU)


# ---------------------------------------------------------------------------------- detection


def _tab_from_name(path: Path) -> str | None:
    """`RVTools_tabvDisk.csv` -> `vdisk` (folded), else None."""
    match = _TAB_FILE.search(path.stem)
    return match.group(1).lower() if match and path.stem.lower().startswith("rvtools") else None


def _is_vinfo(keys: frozenset[str]) -> bool:
    return bool(keys & _VM_KEYS and keys & _CPU_KEYS and keys & _MEM_KEYS and keys & _POWER_KEYS)


def _is_rvtools_tab(keys: frozenset[str]) -> bool:
    """Any other RVTools VM tab (VM, Powerstate, Template columns) or the vHost tab."""
    vm_tab = bool(keys & _VM_KEYS and keys & _POWER_KEYS and keys & _TEMPLATE_KEYS)
    host_tab = bool(keys & _HOST_KEYS and keys & _HOST_CPU_KEYS and "esxversion" in keys)
    return vm_tab or host_tab


def _csv_tab(source: Source) -> str | None:
    """'vinfo', another tab name, or None when this CSV is not an RVTools tab."""
    if source.kind != "csv":
        return None
    keys = source.csv_keys
    by_name = _tab_from_name(source.path)
    if _is_vinfo(keys) and by_name in (None, "vinfo"):
        return "vinfo"
    if by_name is not None and by_name != "vinfo":
        return by_name
    if _is_rvtools_tab(keys):
        return "rvtools-tab"
    return None


def detect(source: Source) -> bool:
    """A workbook with a vInfo sheet, or an RVTools tab CSV.

    A workbook that cannot be opened at all (corrupt, or encrypted: an OLE file named .xlsx)
    is claimed too, so the user hears why (password, damage) rather than "unknown format".
    """
    if source.kind == "xlsx":
        return not source.sheet_keys or "vinfo" in source.sheet_keys
    if source.kind == "ole":
        return source.path.suffix.lower() in (".xlsx", ".xlsm")
    return _csv_tab(source) is not None


def is_companion(source: Source) -> bool:
    """Tab CSVs other than vInfo: read together with their vInfo, never on their own."""
    tab = _csv_tab(source)
    return tab is not None and tab != "vinfo"


def _read_tabs(tabs: Tabs, fragment: Fragment, problems: ProblemCollector) -> None:
    extras = read_extras(tabs, problems)
    table = tabs.vinfo()
    vinfo = VInfo(table, problems)
    read_fallbacks(tabs, extras, vinfo, problems)
    missing = vinfo.missing_required(extras)
    if missing:
        problems.error(
            f"required column(s) {', '.join(map(repr, missing))} not found in vInfo",
            table.location(row=table.header_row),
            hint=f"columns present: {', '.join(h for h in table.header if h)[:300]}",
        )
        return
    vinfo.read(table.rows, extras, fragment)
    fill_gaps(tabs, extras, vinfo, fragment, problems)
    fragment.skip("template", vinfo.templates)
    fragment.skip("SRM placeholder", vinfo.placeholders)
    fragment.rows = len(fragment.servers) + vinfo.templates + vinfo.placeholders
    skipped = [
        f"{count} {what}"
        for count, what in (
            (vinfo.templates, "template(s)"),
            (vinfo.placeholders, "SRM placeholder(s)"),
        )
        if count
    ]
    if skipped:
        problems.info(
            f"skipped {' and '.join(skipped)}: not workloads", Location(table.file, table.sheet)
        )


# ---------------------------------------------------------------------------------- sources


def _workbook_tabs(source: Source) -> tuple[Tabs, Workbook]:
    workbook = source.workbook()
    sheet = workbook.find_sheet("vInfo")
    if sheet is None:
        workbook.close()
        raise InputError(
            "no vInfo sheet in this workbook",
            source.location(),
            hint=f"sheets present: {', '.join(workbook.sheet_names)}",
        )
    tabs = Tabs(partial(workbook.table, sheet))
    for name in COMPANION_TABS:
        real = workbook.find_sheet(name)
        if real is not None:
            tabs.others[name] = partial(workbook.table, real)
    return tabs, workbook


def sibling_tab(vinfo_path: Path, tab: str) -> Path | None:
    """The file beside `…vInfo….csv` whose name has `tab` in place of `vInfo`, if any."""
    stem = vinfo_path.stem
    at = stem.lower().rfind("vinfo")
    if at < 0:
        return None
    wanted = (stem[:at] + tab + stem[at + len("vinfo") :]).lower()
    for candidate in sorted(vinfo_path.parent.iterdir()):
        if (
            candidate.is_file()
            and candidate.suffix.lower() == ".csv"
            and candidate.stem.lower() == wanted
        ):
            return candidate
    return None


def _csv_tabs(source: Source) -> Tabs:
    tabs = Tabs(source.csv_table)
    for name in COMPANION_TABS:
        path = sibling_tab(source.path, name)
        if path is not None:
            display = str(Path(source.display).parent / path.name)
            tabs.others[name] = partial(read_csv_table, path, display)
    return tabs


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    if source.kind == "csv" and is_companion(source):
        raise InputError(
            "this is an RVTools tab other than vInfo; it is read together with its vInfo file",
            source.location(),
            hint="pass RVTools_tabvInfo.csv (the list of VMs) too, or the folder holding the "
            "whole CSV export",
        )
    if source.kind != "csv":
        tabs, workbook = _workbook_tabs(source)
        try:
            _read_tabs(tabs, fragment, problems)
        finally:
            workbook.close()
    else:
        _read_tabs(_csv_tabs(source), fragment, problems)
    return fragment


SPEC = ReaderSpec(
    FORMAT,
    "RVTools export (xlsx workbook or per-tab CSV files)",
    detect,
    read,
    is_companion=is_companion,
)
