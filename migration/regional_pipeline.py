"""The regional run: several forces' inventories to one plan, one project, one report per force.

The same stages in the same order as :func:`forcelift.migration.pipeline.run`, told to the same
Progress once each: every force is read, then every force classified, then planned (each with
the single-force machinery, so a force's member plan is what it would get alone, apart from its
own address space and what the collaboration adds), then the regional plan is joined
(forcelift.migration.plan.regional) and the Pulumi stages run once over every force's stacks.
Guardrails and the report are per force, over that force's previews only.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.pipeline import (
    DONE,
    Inputs,
    Planned,
    PreviewedStack,
    ProcessPolicy,
    Progress,
    ProjectStages,
    Silent,
    Stage,
    Untouched,
    WrittenFile,
    _Clock,
    _no_stage,
    prepare,
    source_names,
)
from forcelift.migration.plan.planfile import Plan, PlanOptions
from forcelift.migration.plan.regional import (
    PlannedForce,
    RegionalPlan,
    build_regional_plan,
    product_key,
)

if TYPE_CHECKING:
    from forcelift.migration.classify.catalogue import Catalogue
    from forcelift.migration.inventory.collaboration import Collaboration
    from forcelift.migration.inventory.model import Inventory
    from forcelift.migration.policy.model import Finding


@dataclass(frozen=True)
class RegionalPlanned:
    collaboration: Collaboration
    members: tuple[Planned, ...]  # one per force, in the collaboration file's order
    plan: RegionalPlan
    warnings: tuple[Problem, ...]


def forces_collaboration(forces: Sequence[tuple[str, Path]]) -> Collaboration:
    """`--force SLUG=PATH …` without a file: the same forces, no shared services."""
    from pydantic import ValidationError

    from forcelift.migration.inventory.collaboration import Collaboration, CollaborationForce

    slugs = [slug for slug, _ in forces]
    duplicated = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicated:
        raise InputError(
            f"--force-inventory {duplicated[0]} is given twice",
            Location(column="--force-inventory"),
        )
    try:
        return Collaboration(
            name="Forces " + ", ".join(slugs),
            slug="region",
            forces=tuple(
                CollaborationForce(slug=slug, name=slug, inventory=(path.as_posix(),))
                for slug, path in forces
            ),
            directory=Path("."),
        )
    except ValidationError as exc:
        raise InputError(
            f"--force-inventory: {exc.errors(include_url=False)[0]['msg']}",
            Location(column="--force-inventory"),
            hint="SLUG is lower-case letters, digits and hyphens, 2-24 long, e.g. northshire",
        ) from None


def force_supernet(supernet: str, index: int) -> str:
    """The index-th block of the supernet's size from it: forces never share addresses (a
    shared transit gateway or peering needs distinct ranges)."""
    network = ipaddress.ip_network(supernet, strict=False)
    try:
        moved = ipaddress.ip_network(
            (int(network.network_address) + index * network.num_addresses, network.prefixlen)
        )
    except ValueError:
        moved = None
    if moved is None or not moved.is_private:
        raise InputError(
            f"--supernet {supernet}: no private {network.prefixlen}-bit block for force "
            f"{index + 1} of the collaboration",
            Location(column="--supernet"),
            hint="give a supernet with room for one block per force (e.g. 10.64.0.0/14)",
        )
    return str(moved)


def _member_inputs(collaboration: Collaboration, base: Inputs) -> list[Inputs]:
    """Each force's inputs: its own paths and overrides, the partners it may name (the
    collaboration's and the other forces), everything else as given for all."""
    return [
        dataclasses.replace(
            base,
            paths=collaboration.inventory_paths(force.slug),
            overrides=collaboration.overrides_path(force.slug),
            partners=collaboration.known_partners(force.slug),
        )
        for force in collaboration.forces
    ]


def _catalogue_products(
    inventory: Inventory, catalogue: Catalogue
) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Each application's catalogue products by the catalogue's name, and the keys of the
    products that are only a platform (left out of the shared-product comparison)."""
    from forcelift.migration.classify.catalogue import Kind

    found: dict[str, tuple[str, ...]] = {}
    platforms: set[str] = set()
    for app in inventory.applications:
        labels = []
        for product in app.products:
            entry = catalogue.match(product.vendor, product.product, product.version)
            entry = entry or catalogue.match(product.vendor, product.product)  # any version
            ignored = catalogue.is_ignored(product.vendor, product.product)  # a runtime, …
            if entry is None and not ignored:
                continue
            if ignored or (entry is not None and entry.kind is Kind.PLATFORM):
                platforms.add(product_key(product.vendor, product.product))
            elif entry is not None:
                labels.append(entry.label)
        if labels:
            found[app.name] = tuple(dict.fromkeys(labels))
    return found, frozenset(platforms)


def api_hosts(collaboration: Collaboration, slug: str, inventory: Inventory) -> frozenset[str]:
    """The host's applications behind its `api: true` shared services, named as its inventory
    names them: their spoke needs the api-management subnet before addresses are planned,
    though no flow of the inventory says they publish an API."""
    names = {a.name.lower(): a.name for a in inventory.applications}
    wanted = (s.application.lower() for s in collaboration.hosted_by(slug) if s.api)
    return frozenset(names[w] for w in wanted if w in names)


def _ram_ready(collaboration: Collaboration) -> Collaboration:
    """The collaboration OU as the ARN AWS RAM takes (from an ARN, or a bare id and
    `aws_organization`); a bare id alone is dropped, so the share goes to the named accounts
    (see :func:`_bare_ou_note`) and never to an OU RAM cannot name."""
    arn = collaboration.aws_collaboration_ou_arn
    if arn == collaboration.aws_collaboration_ou:
        return collaboration
    return collaboration.model_copy(update={"aws_collaboration_ou": arn})


def _bare_ou_note(plan: RegionalPlan, collaboration: Collaboration) -> RegionalPlan:
    """Say so in each host's plan when its transit gateway share went to accounts because the
    file gives the collaboration OU as a bare id with no organisation to make its ARN."""
    ou = collaboration.aws_collaboration_ou
    if not ou or collaboration.aws_collaboration_ou_arn:
        return plan
    share = f"{collaboration.slug}-transit-gateway"
    note = (
        f"AWS: the collaboration OU {ou} is a bare id and AWS RAM needs its ARN, so the "
        f"transit gateway share {share} goes to the consuming forces' named accounts instead; "
        "add `aws_organization: {management_account, id}` (or give the OU's ARN) in the "
        "collaboration file to share with the OU"
    )
    forces = []
    for member in plan.forces:
        if any(r.name == share for c in member.clouds for r in c.sharing.ram_shares):
            member = member.model_copy(update={"notes": (*member.notes, note)})
        forces.append(member)
    return plan.model_copy(update={"forces": tuple(forces)})


def make_regional_plan(
    collaboration: Collaboration,
    options: PlanOptions,
    base: Inputs | None = None,
    on_stage: Stage = _no_stage,
    policy: ProcessPolicy | None = None,
) -> RegionalPlanned:
    """Every force read, classified and planned (stage by stage), then joined into one plan.

    `base` carries what applies to every force (input format, grouping, catalogue, rules,
    strictness and the --as-of date); each force's paths and overrides come from the file.
    """
    from forcelift.migration.plan.build import PlanRequest, build_plan

    policy = policy or Untouched()
    base = base or Inputs(paths=())
    member_inputs = _member_inputs(collaboration, base)
    on_stage("read")
    with policy.working():
        prepared = [prepare(i) for i in member_inputs]
    policy.loaded()
    on_stage("classify")
    with policy.working():
        results = [p.classifier.classify(p.inventory, p.pinned) for p in prepared]
    on_stage("plan")
    members: list[Planned] = []
    planned_forces = []
    with policy.working():
        for index, (force, ready, result) in enumerate(
            zip(collaboration.forces, prepared, results, strict=True)
        ):
            own = options.model_copy(update={"supernet": force_supernet(options.supernet, index)})
            inventory = ready.inventory
            # sources as the collaboration file names them: the same on every machine
            sources = source_names([Path(p) for p in force.inventory])
            request = PlanRequest(
                inventory,
                result,
                own,
                sources,
                force_slug=force.slug,
                api_hosts=api_hosts(collaboration, force.slug, inventory),
            )
            plan = build_plan(request)
            members.append(Planned(inventory, result, plan, ready.warnings))
            labels, platforms = _catalogue_products(inventory, ready.classifier.catalogue)
            planned_forces.append(PlannedForce(force.slug, plan, inventory, labels, platforms))
        regional = build_regional_plan(_ram_ready(collaboration), planned_forces, options)
        regional = _bare_ou_note(regional, collaboration)
    warnings = tuple(
        dataclasses.replace(w, message=f"{force.slug}: {w.message}")
        for force, p in zip(collaboration.forces, prepared, strict=True)
        for w in p.warnings
    )
    return RegionalPlanned(collaboration, tuple(members), regional, warnings)


# --- the full run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForceRun:
    """One force's share of the run: its plan, guardrail findings and report."""

    slug: str
    plan: Plan
    findings: tuple[Finding, ...]
    blocking: tuple[Finding, ...]
    report: Path


@dataclass(frozen=True)
class RegionalRunResult:
    """Like pipeline.RunResult (the CLI's summary reads the same fields), for several forces."""

    planned: RegionalPlanned
    files: tuple[WrittenFile, ...]
    stacks: tuple[PreviewedStack, ...]
    findings: tuple[Finding, ...]
    blocking: tuple[Finding, ...]
    out_dir: Path
    seconds: float
    stage_seconds: dict[str, float]
    forces: tuple[ForceRun, ...] = ()


def force_stacks(plan: Plan) -> set[str]:
    return {s.name for c in plan.clouds for s in c.stacks}


def run_regional(
    collaboration: Collaboration,
    options: PlanOptions,
    out_dir: Path,
    stages: ProjectStages,
    progress: Progress | None = None,
    policy: ProcessPolicy | None = None,
    base: Inputs | None = None,
) -> RegionalRunResult:
    """Every stage, in order, for every force: one project, previews, per-force guardrails."""
    from forcelift.migration.policy.check import blocking
    from forcelift.migration.report.inputs import checked_previews

    started = time.perf_counter()
    told = progress or Silent()
    clock = _Clock(told)
    planned = make_regional_plan(collaboration, options, base, clock.start, policy)
    told.warnings(planned.warnings)

    clock.start("generate")
    files = tuple(stages.generate(planned.plan, out_dir))

    clock.start("preview")
    told.items(sum(len(c.stacks) for p in planned.plan.forces for c in p.clouds))
    stacks = tuple(stages.preview(out_dir, told.item_done))

    clock.start("guardrails")
    previews: dict[str, dict[str, Any]] = {}  # each preview's digest (inputs.preview_digest)
    runs = []
    for member in planned.plan.forces:  # one preview in memory at a time
        digests, checked = checked_previews(member, out_dir, names=force_stacks(member))
        previews.update(digests)
        found = tuple(checked)
        runs.append(
            ForceRun(
                member.force.slug,
                member,
                found,
                tuple(blocking(found)),
                out_dir / "report" / member.force.slug,
            )
        )

    clock.start("report")
    _write_reports(planned, runs, previews, out_dir)
    clock.start(DONE)
    findings = tuple(f for r in runs for f in r.findings)
    return RegionalRunResult(
        planned,
        files,
        stacks,
        findings,
        tuple(f for r in runs for f in r.blocking),
        out_dir,
        time.perf_counter() - started,
        clock.seconds,
        tuple(runs),
    )


def _write_reports(
    planned: RegionalPlanned,
    runs: Sequence[ForceRun],
    previews: dict[str, dict[str, Any]],
    out_dir: Path,
) -> None:
    """Each force's report in report/<force>/ over its own previews and findings, and the
    collaboration's overview in report/index.html (migration/report/regional.py)."""
    from forcelift.migration.report.inputs import ReportInputs
    from forcelift.migration.report.regional import write_regional_report

    inventories = {m.plan.force.slug: m.inventory for m in planned.members}
    per_force = {}
    for run in runs:
        mine = force_stacks(run.plan)
        per_force[run.slug] = ReportInputs(
            run.plan,
            {k: v for k, v in previews.items() if k in mine},
            run.findings,
            inventories.get(run.slug),
        )
    write_regional_report(planned.plan, per_force, out_dir / "report")


def regional_summary(result: RegionalRunResult) -> dict[str, Any]:
    """The run in numbers, the keys of pipeline.run_summary summed over the forces, plus
    `forces` (each force's own numbers); clouds are labelled "<force> <cloud>"."""
    from forcelift.migration.plan.summary import plan_summary

    decisions: Counter[str] = Counter()
    onprem: Counter[str] = Counter()
    clouds = []
    forces = []
    for run in result.forces:
        digest = plan_summary(run.plan)
        decisions.update(digest["decisions"])
        onprem.update({k: digest["onprem"][k] for k in ("servers", "monthly", "carbon_kgco2e")})
        for c in digest["clouds"]:
            row = {k: c[k] for k in ("region", "monthly", "annual", "currency", "carbon_kgco2e")}
            clouds.append({"cloud": f"{run.slug} {c['cloud']}", **row})
        forces.append(
            {
                "force": run.slug,
                "waves": len(run.plan.waves),
                "stacks": sorted(force_stacks(run.plan)),
                "findings": len(run.findings),
                "blocking": len(run.blocking),
                "report": str(run.report / "index.html"),
            }
        )
    stacks = result.stacks
    severities = Counter(f.severity.value for f in result.findings if not f.waived)
    plans = [r.plan for r in result.forces]
    return {
        "out": str(result.out_dir),
        "collaboration": result.planned.plan.collaboration.name,
        "seconds": round(result.seconds, 1),
        "stage_seconds": result.stage_seconds,
        "decisions": dict(decisions),
        "waves": sum(len(p.waves) for p in plans),
        "onprem": dict(onprem),
        "clouds": clouds,
        "stacks": [
            {"stack": r.stack, "resources": r.resources, "cloud_resources": r.cloud_resources}
            for r in stacks
        ],
        "resources": sum(r.resources for r in stacks),
        "resources_declared": sum(r.resources for r in stacks),
        "cloud_resources": sum(r.cloud_resources for r in stacks),
        "components": sum(r.components for r in stacks),
        "resources_estimated": sum(
            s.estimated_resources for p in plans for c in p.clouds for s in c.stacks
        ),
        "files": dict(Counter(o.status for o in result.files)),
        "guardrails": {
            "findings": len(result.findings),
            "waived": sum(f.waived for f in result.findings),
            "by_severity": dict(sorted(severities.items())),
            "blocking": len(result.blocking),
        },
        "forces": forces,
        "report": str(_report_index(result)),
    }


def _report_index(result: RegionalRunResult) -> Path:
    """The regional report's index when one was written, else the first force's."""
    regional = result.out_dir / "report" / "index.html"
    if regional.is_file() or not result.forces:
        return regional
    return result.forces[0].report / "index.html"
