"""forcelift's own YAML inventory: the model as written by `forcelift inventory convert`,
including the partners a force shares with and its sharing flows."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import ValidationError

from forcelift.migration import yamlio
from forcelift.migration.chunked import prevalidated
from forcelift.migration.errors import Location, ProblemCollector
from forcelift.migration.inventory.gaps import Gap, gap_detail, report_gaps, zero_utilisation
from forcelift.migration.inventory.model import SCHEMA_VERSION, Inventory
from forcelift.migration.inventory.normalise import is_missing, parse_float
from forcelift.migration.inventory.pydantic_errors import problems_from_validation
from forcelift.migration.inventory.readers.base import Fragment, ReaderSpec, Source

FORMAT = "native-yaml"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: the safe loader every forcelift YAML input is read with (libyaml's when present)
SAFE_LOADER: Any = _Loader


def detect(source: Source) -> bool:
    if source.kind != "yaml":
        return False
    with source.path.open("rb") as fh:
        head = fh.read(8192).decode("utf-8", errors="replace")
    return any(
        key in head
        for key in (
            "servers:",
            "applications:",
            "dependencies:",
            "schema_version:",
            "partners:",
            "sharing:",
        )
    )


def node_line(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Walk the composed YAML tree along a pydantic error path to the nearest line."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_ITEM = re.compile(r"^(\s*)- ")


def item_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of the items of each top-level list (servers, applications, ...).

    A cheap scan instead of a composed node tree, so a 100k-server file needs no second copy
    in memory; the node tree is built only when there are errors to locate.
    """
    lines: dict[str, list[int]] = {}
    section, indent = "", None
    for number, line in enumerate(text.splitlines(), start=1):
        top = _TOP_KEY.match(line)
        if top:
            section, indent = top.group(1), None
            lines.setdefault(section, [])
            continue
        item = _ITEM.match(line)
        if item and section:
            if indent is None:
                indent = len(item.group(1))
            if len(item.group(1)) == indent:
                lines[section].append(number)
    return lines


def _size(value: object) -> tuple[object, str | None]:
    """(the value, None) when usable as a size, else (None, how the gap is described)."""
    if value is None or (isinstance(value, str) and is_missing(value)):
        return None, gap_detail(value if isinstance(value, str) else None)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, gap_detail(str(value), "expected a number")
    try:
        number = parse_float(value)
    except ValueError as exc:
        return None, gap_detail(str(value), str(exc))
    if number < 1 or not number.is_integer():
        return None, gap_detail(str(value), f"{value} is not a usable size")
    return int(number), None


def _size_gaps(
    data: dict[str, Any], raw_text: str, source: Source, problems: ProblemCollector
) -> None:
    """Servers without a usable `cores` / `memory_mib` are kept unsized, with a warning, as in
    every other reader; sentinel and 0/0 utilisation is dropped as missing."""
    servers = data.get("servers")
    if not isinstance(servers, list):
        return
    found: list[tuple[int, str, str]] = []
    for i, server in enumerate(servers):
        if not isinstance(server, dict) or not server.get("name"):
            continue
        for field in ("cores", "memory_mib"):
            value, detail = _size(server.get(field))
            if detail is not None:
                found.append((i, field, detail))
            server[field] = value
    tree = yaml.compose(raw_text, Loader=_Loader) if found else None  # only to place gaps
    gaps: dict[int, list[Gap]] = {}
    for i, field, detail in found:
        line = node_line(tree, ("servers", i, field))
        where = source.location(line=line, column=f"servers[{i}].{field}")
        gaps.setdefault(i, []).append(Gap(field, where, detail))
    for i, server_gaps in gaps.items():
        if not servers[i].get("unsized_reason"):
            servers[i]["unsized_reason"] = report_gaps(problems, server_gaps)
    for i, server in enumerate(servers):
        util = server.get("utilisation") if isinstance(server, dict) else None
        if not isinstance(util, dict):
            continue
        for key in [k for k, v in util.items() if isinstance(v, str) and is_missing(v)]:
            del util[key]
        where = source.location(column=f"servers[{i}].utilisation")
        if zero_utilisation(util.get("cpu_percent"), util.get("memory_percent"), where, problems):
            util.pop("cpu_percent")
            util.pop("memory_percent")
        if not util:
            server["utilisation"] = None


def read(source: Source, problems: ProblemCollector) -> Fragment:
    fragment = Fragment(source.display, FORMAT)
    try:
        raw_text = source.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raw_text = source.path.read_text(encoding="cp1252")
    try:
        data: Any = yamlio.load(raw_text)  # PyYAML's values and errors, faster
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            source.location(line=mark.line + 1 if mark else None),
        )
        return fragment

    def root() -> yaml.Node | None:
        return yaml.compose(raw_text, Loader=_Loader)

    if not isinstance(data, dict):
        problems.error(
            "expected a mapping with servers/applications/dependencies/partners/sharing at the top",
            source.location(line=1),
        )
        return fragment
    version = str(data.get("schema_version", SCHEMA_VERSION))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        problems.error(
            f"schema_version {version!r} is not supported (this forcelift reads {SCHEMA_VERSION})",
            source.location(line=node_line(root(), ("schema_version",))),
            hint="convert the file with the forcelift version that wrote it",
        )
        return fragment
    data["schema_version"] = SCHEMA_VERSION
    _size_gaps(data, raw_text, source, problems)
    try:
        try:  # a chunk of servers at a time: the progress display keeps drawing at 100k
            inventory = Inventory.model_validate(prevalidated(Inventory, data, None))
        except ValidationError:
            inventory = Inventory.model_validate(data)  # the errors with their full paths
    except ValidationError as exc:
        tree = root()

        def locate(loc: tuple[int | str, ...]) -> Location:
            # the field, not a list position: `aws_accounts`, not `1`
            field = next((str(p) for p in reversed(loc) if isinstance(p, str)), None)
            return source.location(line=node_line(tree, loc), column=field)

        for problem in problems_from_validation(exc, locate):
            problems.problems.append(problem)
        return fragment
    lines = item_lines(raw_text)

    def where(section: str, index: int) -> Location:
        found = lines.get(section, [])
        line = found[index] if len(found) == len(data.get(section) or ()) else None
        return source.location(line=line, column=None if line else f"{section}[{index}]")

    fragment.force = inventory.force
    fragment.rows = len(inventory.servers)
    for i, server in enumerate(inventory.servers):
        fragment.add_server(server, where("servers", i))
    for i, app in enumerate(inventory.applications):
        fragment.add_application(app, where("applications", i))
    for i, dep in enumerate(inventory.dependencies):
        fragment.add_dependency(dep, where("dependencies", i))
    for i, partner in enumerate(inventory.partners):
        fragment.add_partner(partner, where("partners", i))
    for i, flow in enumerate(inventory.sharing):
        fragment.add_flow(flow, where("sharing", i))
    fragment.has_application_data = "applications" in data
    return fragment


SPEC = ReaderSpec(FORMAT, "forcelift native inventory (YAML)", detect, read)
