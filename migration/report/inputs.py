"""Read a generated project DIR: the plan, the offline previews and the guardrail findings.

Previews may be missing (the report then says "not previewed" for those stacks, rather than
refusing to report). Guardrails are evaluated as of the plan's date unless told otherwise, so the
report for the same inputs is the same file whatever day it is rendered.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.model import Inventory
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.policy.model import Finding, Waiver

if TYPE_CHECKING:
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.migration.policy.findings_cache import CheckedStack


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report is rendered from."""

    plan: Plan
    previews: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # stack -> preview
    findings: Sequence[Finding] = ()
    inventory: Inventory | None = None
    as_of: dt.date | None = None  # date the waivers were judged against (default: plan.as_of)

    @property
    def checked_on(self) -> dt.date:
        return self.as_of or self.plan.as_of


@dataclass(frozen=True)
class RegionalInputs:
    """A regional project's report inputs: each force's own, over that force's stacks only."""

    plan: RegionalPlan
    per_force: Mapping[str, ReportInputs]  # force slug -> its inputs


def stack_names(plan: Plan) -> set[str]:
    """The stacks a force's plan declares (its share of a regional project's previews)."""
    return {s.name for c in plan.clouds for s in c.stacks}


def read_previews(directory: Path) -> dict[str, dict[str, Any]]:
    """DIR/preview/*.json by stack name; a file may hold one stack or a `stacks:` list."""
    return dict(iter_previews(directory))


def iter_previews(
    directory: Path, names: Container[str] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(stack name, preview) of DIR/preview/*.json in file order, one file in memory at a
    time (a 100,000-server estate's previews hold hundreds of thousands of resources); a
    later file's stack replaces an earlier one of the same name, as in read_previews.
    `names`: only these stacks (a file named after another stack is not read)."""
    for file in _preview_files(directory, names):
        for name, item in _file_items(file, _read_preview(file)):
            if names is None or name in names:
                yield name, item


def _preview_files(directory: Path, names: Container[str] | None) -> list[Path]:
    folder = directory / "preview"
    if not folder.is_dir():
        return []
    return [
        file
        for file in sorted(folder.glob("*.json"))
        if names is None or file.stem in names or _holds_stacks(file)
    ]


def _read_preview(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise _unreadable(file, exc) from exc


def _unreadable(file: Path, exc: Exception) -> InputError:
    return InputError(
        f"cannot read preview: {exc}",
        Location(file=str(file)),
        hint="re-run `forcelift preview DIR`",
    )


def _file_items(file: Path, raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    """(stack name, preview) of every stack in one preview file (one, or a `stacks:` list)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise _unreadable(file, exc) from exc
    items = data.get("stacks", [data]) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(
            "not a forcelift preview (expected a JSON object per stack)",
            Location(file=str(file)),
            hint="re-run `forcelift preview DIR`",
        )
    return [(str(item.get("stack") or file.stem), item) for item in items]


def _holds_stacks(file: Path) -> bool:
    """Whether a preview file may hold several stacks (a `stacks:` list, as `policy check`
    reads): only such a file is read for stacks not named after it."""
    with file.open("rb") as fh:
        return b'"stacks"' in fh.read(4096)


def preview_digest(preview: Mapping[str, Any]) -> dict[str, Any]:
    """What the report reads of a preview (guardrail_rows._stack_row): resource counts by
    type, components, protected resources and the stack's cloud; not its resources."""
    resources = list(preview.get("resources") or [])
    custom = [r for r in resources if r.get("custom", True)]
    if custom:
        counts = Counter(str(r.get("type", "")) for r in custom)
    else:
        counts = Counter({str(k): int(v) for k, v in (preview.get("counts") or {}).items()})
    config = preview.get("config") or {}
    return {
        "stack": preview.get("stack"),
        "config": {k: config[k] for k in ("forcelift:cloud",) if k in config},
        "counts": dict(sorted(counts.items())),
        "components": len(resources) - len(custom),
        "protected": sum(1 for r in resources if r.get("protect")),
    }


def checked_previews(
    plan: Plan,
    directory: Path,
    as_of: dt.date | None = None,
    names: Container[str] | None = None,
) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    """The guardrail findings over DIR's previews (as guardrail_findings gives them, in the
    same order) and each preview's digest for the report, reading one preview at a time:
    only one stack's resources and graph are ever in memory. A preview file checked before
    with the same bytes, facts and rules is not parsed again (policy/findings_cache.py).
    `names`: only these stacks (one force's, in a regional project)."""
    from forcelift.migration.policy.check import apply_waivers, check, plan_graph
    from forcelift.migration.policy.findings_cache import FindingsCache
    from forcelift.migration.policy.rules.sharing import plan_facts

    facts = plan_facts(plan)
    waivers, day = plan_waivers(plan), as_of or plan.as_of
    cache = FindingsCache(directory / "preview", facts)
    digests: dict[str, dict[str, Any]] = {}
    found: dict[str, list[Finding]] = {}
    for file in _preview_files(directory, names):
        raw = _read_preview(file)
        stacks = cache.get(file, raw)
        if stacks is None:
            stacks = [_checked(name, preview, facts) for name, preview in _file_items(file, raw)]
            cache.put(file, raw, stacks)
        for stack in stacks:
            if names is None or stack.name in names:
                found[stack.name] = apply_waivers(stack.findings, waivers, day)
                digests[stack.name] = dict(stack.digest)
    findings = [f for name in sorted(found) for f in found[name]]
    if facts is not None:
        findings.extend(check([plan_graph(facts)], waivers, day))
    return digests, findings


def _checked(name: str, preview: Mapping[str, Any], facts: dict[str, Any] | None) -> CheckedStack:
    """One stack's preview checked against the guardrails, before waivers."""
    from forcelift.migration.policy.check import check, with_facts
    from forcelift.migration.policy.findings_cache import CheckedStack
    from forcelift.migration.policy.graph import ResourceGraph

    graph = ResourceGraph.from_preview(preview)
    if not graph.stack:
        graph.stack = name
    findings = check(with_facts([graph], facts))
    return CheckedStack(name, preview_digest(preview), tuple(findings))


def plan_waivers(plan: Plan) -> list[Waiver]:
    return [
        Waiver(
            rule=w.rule,
            resource=w.resource,
            reason=w.reason,
            expires=w.expires,
            approved_by=w.approved_by,
        )
        for w in plan.waivers
    ]


def guardrail_findings(
    plan: Plan, previews: Mapping[str, Mapping[str, Any]], as_of: dt.date | None = None
) -> list[Finding]:
    """The guardrails over every previewed stack and the plan's sharing, with its waivers."""
    from forcelift.migration.policy.check import check, with_plan
    from forcelift.migration.policy.graph import ResourceGraph

    graphs = []
    for name in sorted(previews):
        graph = ResourceGraph.from_preview(previews[name])
        if not graph.stack:
            graph.stack = name
        graphs.append(graph)
    return check(with_plan(graphs, plan), plan_waivers(plan), as_of or plan.as_of)


def regional_inputs(
    regional: RegionalPlan,
    previews: Mapping[str, Mapping[str, Any]],
    inventories: Mapping[str, Inventory] | None = None,
    as_of: dt.date | None = None,
) -> RegionalInputs:
    """Each force's inputs: its own previews, its guardrail findings (its waivers)."""
    per_force = {}
    for member in regional.forces:
        mine = stack_names(member)
        own = {k: v for k, v in previews.items() if k in mine}
        per_force[member.force.slug] = ReportInputs(
            member,
            own,
            guardrail_findings(member, own, as_of),
            (inventories or {}).get(member.force.slug),
            as_of,
        )
    return RegionalInputs(regional, per_force)


def read_inputs(
    directory: Path,
    inventory: Inventory | None = None,
    as_of: dt.date | None = None,
) -> ReportInputs | RegionalInputs:
    """Plan, previews and findings from a generated project DIR: one force's, or per force
    for a regional project (plan.yaml of kind regional; `inventory` is not used then)."""
    from forcelift.migration.plan.regional import RegionalPlan
    from forcelift.migration.plan.regional_io import load_plan_document

    plan_file = directory / "plan.yaml"
    if not plan_file.is_file():
        raise InputError(
            "no plan.yaml in the project directory",
            Location(file=str(directory)),
            hint="run `forcelift migrate` (or `forcelift plan`) first, or point at its --out DIR",
        )
    plan = load_plan_document(plan_file)
    if isinstance(plan, RegionalPlan):
        return regional_inputs(plan, read_previews(directory), as_of=as_of)
    previews, findings = checked_previews(plan, directory, as_of)
    return ReportInputs(plan, previews, findings, inventory, as_of)
