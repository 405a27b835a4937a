"""`forcelift plan diff`: what changed between two plans, in the terms reviewers care about."""

from __future__ import annotations

from forcelift.migration.plan.planfile import Plan


def diff_plans(old: Plan, new: Plan) -> list[str]:
    """Human-readable changes: decisions, waves, sizes, stacks, cost (empty when the same)."""
    lines: list[str] = []
    before = {w.application: w for w in old.workloads}
    after = {w.application: w for w in new.workloads}
    for name in sorted(after.keys() - before.keys()):
        lines.append(f"+ {name}: {after[name].decision} (wave {after[name].wave})")
    for name in sorted(before.keys() - after.keys()):
        lines.append(f"- {name}: was {before[name].decision}")
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        if a.decision != b.decision:
            lines.append(f"~ {name}: decision {a.decision} -> {b.decision}")
        if a.wave != b.wave:
            lines.append(f"~ {name}: wave {a.wave} -> {b.wave}")
    old_clouds = {c.cloud: c for c in old.clouds}
    for cloud in new.clouds:
        prev = old_clouds.get(cloud.cloud)
        if prev is None:
            lines.append(f"+ cloud {cloud.cloud} ({len(cloud.stacks)} stacks)")
            continue
        sizes_a = {(w.application, v.server): v.size for w in prev.workloads for v in w.vms}
        sizes_b = {(w.application, v.server): v.size for w in cloud.workloads for v in w.vms}
        for key in sorted(sizes_a.keys() & sizes_b.keys()):
            if sizes_a[key] != sizes_b[key]:
                lines.append(f"~ {cloud.cloud} {key[1]}: size {sizes_a[key]} -> {sizes_b[key]}")
        stacks_a = {s.name for s in prev.stacks}
        stacks_b = {s.name for s in cloud.stacks}
        lines += [f"+ {cloud.cloud} stack {s}" for s in sorted(stacks_b - stacks_a)]
        lines += [f"- {cloud.cloud} stack {s}" for s in sorted(stacks_a - stacks_b)]
        if prev.landing_zone.hub.cidr != cloud.landing_zone.hub.cidr:
            lines.append(
                f"~ {cloud.cloud} hub {prev.landing_zone.hub.cidr} -> {cloud.landing_zone.hub.cidr}"
            )
        a_cost, b_cost = prev.cost.monthly.payg, cloud.cost.monthly.payg
        if round(a_cost, 2) != round(b_cost, 2):
            lines.append(
                f"~ {cloud.cloud} monthly cost {a_cost:,.2f} -> {b_cost:,.2f} "
                f"({b_cost - a_cost:+,.2f})"
            )
    for gone in sorted(old_clouds.keys() - {c.cloud for c in new.clouds}):
        lines.append(f"- cloud {gone}")
    return lines
