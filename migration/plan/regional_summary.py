"""`plan show` and `plan diff` for a regional plan: each force's own digest, then what joins them.

A regional plan is several single-force plans plus the collaboration; the per-force sections
are exactly what `plan show` prints for that force alone, so nothing is summarised twice.
"""

from __future__ import annotations

from typing import Any

from forcelift.migration.plan.diff import diff_plans
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.regional import RegionalPlan
from forcelift.migration.plan.summary import plan_markdown, plan_summary, plan_text


def _services(plan: RegionalPlan) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json") for s in plan.collaboration.shared_services]


def _products(plan: RegionalPlan) -> list[dict[str, Any]]:
    seen: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for member in plan.forces:
        for c in member.sharing.shared_products if member.sharing else ():
            seen.setdefault((c.product, c.applications), c.model_dump(mode="json"))
    return [seen[k] for k in sorted(seen)]


def _hosted_lines(plan: RegionalPlan) -> list[str]:
    lines = []
    for member in plan.forces:
        for cloud in member.clouds:
            for h in cloud.sharing.hosted:
                allowed = h.allowed_subscriptions or h.allowed_accounts
                lines.append(
                    f"{member.force.slug} {cloud.cloud}: hosts {h.name} ({h.application}, "
                    f"{h.stack}) for {', '.join(h.consumers)}; allowed: "
                    f"{', '.join(allowed) or 'nobody yet (no ids in the collaboration file)'}"
                )
            for c in cloud.sharing.consumed:
                lines.append(
                    f"{member.force.slug} {cloud.cloud}: consumes {c.name} from {c.provider} "
                    f"in {c.stack} as {c.dns_name}"
                )
    return lines


def regional_summary_data(plan: RegionalPlan) -> dict[str, Any]:
    """The regional plan in numbers: every force's plan_summary, services and products."""
    return {
        "kind": "regional",
        "collaboration": plan.collaboration.name,
        "as_of": plan.as_of.isoformat(),
        "forces": [{"slug": p.force.slug, **plan_summary(p)} for p in plan.forces],
        "shared_services": _services(plan),
        "shared_products": _products(plan),
    }


def _joining_lines(plan: RegionalPlan) -> list[str]:
    lines = _hosted_lines(plan)
    for c in _products(plan):
        lines.append(
            f"shared product: {c['product']} in {', '.join(c['applications'])} — "
            f"{c['suggestion']} (a finding, not a merge)"
        )
    return lines


def regional_text(plan: RegionalPlan) -> str:
    """Each force's plan_text under its own heading, then the shared services and products."""
    forces = ", ".join(p.force.slug for p in plan.forces)
    out = [f"Regional plan {plan.collaboration.name} (as of {plan.as_of}): {forces}", ""]
    for member in plan.forces:
        out.append(f"== {member.force.slug} ==")
        out.append(plan_text(member).rstrip("\n"))
        out.append("")
    joining = _joining_lines(plan)
    out.append("Sharing between the forces:" if joining else "No shared services or products.")
    out += [f"  {line}" for line in joining]
    return "\n".join(out) + "\n"


def regional_markdown(plan: RegionalPlan) -> str:
    out = [f"# Regional plan: {plan.collaboration.name}", ""]
    for member in plan.forces:
        body = plan_markdown(member)
        # the member's own headings one level down, under the force's heading
        out.append(f"## {member.force.slug}")
        out.append("")
        out += [("#" + line if line.startswith("#") else line) for line in body.splitlines()]
        out.append("")
    out += ["## Sharing between the forces", ""]
    out += [f"- {line}" for line in _joining_lines(plan)] or ["None."]
    return "\n".join(out) + "\n"


def diff_documents(old: Plan | RegionalPlan, new: Plan | RegionalPlan) -> list[str]:
    """Changes per force (`[slug] …`); a single plan compares with the member of its slug."""
    before = _members(old)
    after = _members(new)
    if not isinstance(old, RegionalPlan) and not isinstance(new, RegionalPlan):
        return diff_plans(old, new)
    lines: list[str] = []
    for slug in sorted(after.keys() - before.keys()):
        lines.append(f"+ force {slug}")
    for slug in sorted(before.keys() - after.keys()):
        lines.append(f"- force {slug}")
    for slug in sorted(before.keys() & after.keys()):
        lines += [f"[{slug}] {line}" for line in diff_plans(before[slug], after[slug])]
        lines += [f"[{slug}] {line}" for line in _sharing_changes(before[slug], after[slug])]
    return lines


def _members(plan: Plan | RegionalPlan) -> dict[str, Plan]:
    if isinstance(plan, RegionalPlan):
        return {p.force.slug: p for p in plan.forces}
    return {plan.force.slug: plan}


def _sharing_changes(old: Plan, new: Plan) -> list[str]:
    lines = []
    for cloud in new.clouds:
        prev = next((c for c in old.clouds if c.cloud == cloud.cloud), None)
        if prev is None:
            continue
        for kind in ("hosted", "consumed"):
            a = {s.name: s for s in getattr(prev.sharing, kind)}
            b = {s.name: s for s in getattr(cloud.sharing, kind)}
            lines += [f"+ {cloud.cloud} {kind} {n}" for n in sorted(b.keys() - a.keys())]
            lines += [f"- {cloud.cloud} {kind} {n}" for n in sorted(a.keys() - b.keys())]
            lines += [
                f"~ {cloud.cloud} {kind} {n} changed"
                for n in sorted(a.keys() & b.keys())
                if a[n] != b[n]
            ]
    return lines
