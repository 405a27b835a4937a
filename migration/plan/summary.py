"""What `forcelift plan show` prints: waves, cost and carbon side by side with on-premise."""

from __future__ import annotations

from collections import Counter
from typing import Any

from forcelift.migration.classify.model import Decision
from forcelift.migration.plan.carbon import carbon_headline
from forcelift.migration.plan.planfile import CloudPlan, Plan

DECISIONS = tuple(d.value for d in Decision)  # plain text: the summary is dumped as YAML/JSON


def plan_summary(plan: Plan) -> dict[str, Any]:
    """A JSON-ready digest of the plan (stable ordering)."""
    counts = Counter(w.decision for w in plan.workloads)
    clouds = []
    for c in plan.clouds:
        headline = carbon_headline(c.carbon, plan.onprem.carbon.total_kgco2e)
        clouds.append(
            {
                "cloud": c.cloud,
                "region": c.region,
                "stacks": [s.name for s in c.stacks],
                "resources_estimated": sum(s.estimated_resources for s in c.stacks),
                "monthly": c.cost.monthly.model_dump(),
                "annual": c.cost.annual.model_dump(),
                "currency": c.cost.currency,
                "per_wave": [
                    {
                        "wave": w.wave,
                        "applications": w.applications,
                        "monthly_payg": round(w.monthly.payg, 2),
                        "annual_payg": round(w.annual.payg, 2),
                    }
                    for w in c.cost.waves
                ],
                "assessment_agreement": _agreement(c),
                "carbon_kgco2e": round(c.carbon.cloud.total_kgco2e, 1),
                "carbon_onprem_kgco2e": round(c.carbon.onprem.total_kgco2e, 1),
                # Like for like (issue 16): moving vs moving, estate vs estate.
                "carbon_moving": {
                    "onprem_kgco2e": round(headline.moving_onprem_kgco2e, 1),
                    "cloud_kgco2e": round(headline.moving_cloud_kgco2e, 1),
                    "change_percent": headline.moving_change_percent,
                },
                "carbon_estate": {
                    "today_kgco2e": round(headline.estate_onprem_kgco2e, 1),
                    "after_kgco2e": round(headline.estate_after_kgco2e, 1),
                    "change_percent": headline.estate_change_percent,
                },
                "energy_kwh": round(c.carbon.cloud.energy_kwh, 1),
            }
        )
    return {
        "force": plan.force.name,
        "as_of": plan.as_of.isoformat(),
        "decisions": {d.value: counts.get(d, 0) for d in Decision},
        "waves": [
            {
                "number": w.number,
                "kind": w.kind,
                "applications": len(w.applications),
                "servers": w.server_count,
                "reasons": list(w.reasons),
            }
            for w in plan.waves
        ],
        "excluded": len(plan.excluded),
        "sizing": {
            "servers": plan.sizing.servers,
            "sized": plan.sizing.sized,
            "estimated": plan.sizing.estimated,
            "unsized": plan.sizing.unsized,
            "unsized_servers": [u.model_dump(mode="json") for u in plan.sizing.unsized_servers],
        },
        "onprem": {
            "servers": plan.onprem.servers,
            "cores": plan.onprem.cores,
            "monthly": round(plan.onprem.cost.monthly, 2),
            "annual": round(plan.onprem.cost.annual, 2),
            "carbon_kgco2e": round(plan.onprem.carbon.total_kgco2e, 1),
            "energy_kwh": round(plan.onprem.carbon.energy_kwh, 1),
        },
        "clouds": clouds,
    }


def _agreement(cloud: CloudPlan) -> dict[str, int]:
    """How many VMs the assessment tool sized, and how often it agrees with the plan."""
    counts = Counter(
        vm.assessment.agrees for w in cloud.workloads for vm in w.vms if vm.assessment is not None
    )
    taken = sum(
        1 for w in cloud.workloads for vm in w.vms if vm.sized_by not in ("forcelift", "estimated")
    )
    return {
        "assessed": sum(counts.values()),
        "same_size": counts.get("same size", 0),
        "same_family": counts.get("same family", 0),
        "different": counts.get("different", 0),
        "tool_size_taken": taken,
    }


def _sizing_line(s: dict[str, Any]) -> str:
    z = s["sizing"]
    return (
        f"Servers: {z['servers']} ({z['sized']} sized, {z['estimated']} estimated from their "
        f"application, {z['unsized']} unsized and left out of sizing and cost)"
    )


def _percent(value: float | None) -> str:
    """Signed, like the report's change column: '−26 %', '+3 %', 'n/a'."""
    if value is None:
        return "n/a"
    sign = "+" if value > 0.05 else ("−" if value < -0.05 else "±")
    return f"{sign}{abs(value):.0f} %"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def plan_markdown(plan: Plan) -> str:
    """GitHub-flavoured Markdown for a pull-request comment."""
    s = plan_summary(plan)
    lines = [
        f"### forcelift plan: {s['force']}",
        "",
        "| SaaS | PaaS | IaaS | Retain | Retire |",
        "| ---: | ---: | ---: | ---: | ---: |",
        "| " + " | ".join(str(s["decisions"][d]) for d in DECISIONS) + " |",
        "",
        "| wave | kind | applications | servers |",
        "| ---: | --- | ---: | ---: |",
    ]
    lines += [
        f"| {w['number']} | {w['kind']} | {w['applications']} | {w['servers']} |"
        for w in s["waves"]
    ]
    lines += [
        "",
        "| | monthly | annual | tCO2e / year |",
        "| --- | ---: | ---: | ---: |",
        f"| on-premise today | {_money(s['onprem']['monthly'])} | "
        f"{_money(s['onprem']['annual'])} | {s['onprem']['carbon_kgco2e'] / 1000:,.1f} |",
    ]
    for c in s["clouds"]:
        lines.append(
            f"| {c['cloud']} {c['region']} (pay-as-you-go) | "
            f"{_money(c['monthly']['payg'])} | {_money(c['annual']['payg'])} | "
            f"{c['carbon_kgco2e'] / 1000:,.1f} |"
        )
        lines.append(
            f"| {c['cloud']} {c['region']} (3-year commitment) | "
            f"{_money(c['monthly']['three_year'])} | {_money(c['annual']['three_year'])}"
            f" | |"
        )
    currency = plan.clouds[0].cost.currency if plan.clouds else "USD"
    lines += ["", f"Costs in {currency}; cloud figures cover the workloads that migrate."]
    if s["clouds"]:
        lines += [
            "",
            "| carbon, tCO2e / year | on premise today | after the move | change |",
            "| --- | ---: | ---: | ---: |",
        ]
        for c in s["clouds"]:
            m, e = c["carbon_moving"], c["carbon_estate"]
            lines.append(
                f"| workloads that move ({c['cloud']}) | {m['onprem_kgco2e'] / 1000:,.1f} | "
                f"{m['cloud_kgco2e'] / 1000:,.1f} | {_percent(m['change_percent'])} |"
            )
            lines.append(
                f"| whole estate ({c['cloud']}) | {e['today_kgco2e'] / 1000:,.1f} | "
                f"{e['after_kgco2e'] / 1000:,.1f} | {_percent(e['change_percent'])} |"
            )
    lines += ["", _sizing_line(s) + "."]
    for u in s["sizing"]["unsized_servers"]:
        lines.append(f"- `{u['server']}` ({u['application'] or 'no application'}): {u['action']}")
    return "\n".join(lines) + "\n"


def plan_text(plan: Plan) -> str:
    """A plain-text digest for the terminal."""
    s = plan_summary(plan)
    out = [
        f"Plan for {s['force']} (as of {s['as_of']})",
        "Decisions: " + ", ".join(f"{d} {n}" for d, n in s["decisions"].items()),
        f"Waves ({len(s['waves'])}):",
    ]
    for w in s["waves"]:
        out.append(
            f"  wave {w['number']} ({w['kind']}): {w['applications']} applications, "
            f"{w['servers']} servers — {w['reasons'][0] if w['reasons'] else ''}"
        )
    out.append(_sizing_line(s))
    for u in s["sizing"]["unsized_servers"][:10]:
        out.append(f"  {u['server']}: {u['action']} — {u['reason']}")
    if len(s["sizing"]["unsized_servers"]) > 10:
        out.append(f"  … and {len(s['sizing']['unsized_servers']) - 10} more (plan.yaml: sizing)")
    o = s["onprem"]
    out.append(
        f"On-premise today: {o['servers']} servers, {o['cores']} cores; "
        f"{_money(o['monthly'])}/month, {_money(o['annual'])}/year; "
        f"{o['carbon_kgco2e'] / 1000:,.1f} tCO2e/year"
    )
    for c in s["clouds"]:
        out.append(
            f"{c['cloud']} {c['region']}: {_money(c['monthly']['payg'])}/month PAYG, "
            f"{_money(c['monthly']['three_year'])}/month 3-year; "
            f"{len(c['stacks'])} stacks, ~{c['resources_estimated']} resources "
            "(plan estimate)"
        )
        m, e = c["carbon_moving"], c["carbon_estate"]
        out.append(
            f"    carbon, tCO2e/year: the workloads that move {m['onprem_kgco2e'] / 1000:,.1f} "
            f"on premise -> {m['cloud_kgco2e'] / 1000:,.1f} in {c['cloud']} "
            f"({_percent(m['change_percent'])}); the whole estate "
            f"{e['today_kgco2e'] / 1000:,.1f} -> {e['after_kgco2e'] / 1000:,.1f} "
            f"({_percent(e['change_percent'])})"
        )
        agree = c["assessment_agreement"]
        if agree["assessed"]:
            out.append(
                f"    assessment sizes: {agree['assessed']} VMs, {agree['same_size']} same size, "
                f"{agree['same_family']} same family, {agree['different']} different; "
                f"tool's size taken for {agree['tool_size_taken']}"
            )
        for w in c["per_wave"]:
            out.append(
                f"    wave {w['wave']}: {w['applications']} apps, {_money(w['monthly_payg'])}/month"
            )
    return "\n".join(out) + "\n"
