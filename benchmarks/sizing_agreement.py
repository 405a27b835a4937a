"""How far forcelift's sizing agrees with an assessment tool's own recommendation.

    .venv/bin/python benchmarks/sizing_agreement.py ASSESSMENT.xlsx [...] [--cloud azure]
        [--family-selection cheapest|ratio] [--comfort-factor 1.3] [--json]
    .venv/bin/python benchmarks/sizing_agreement.py --fixtures   # the test fixtures, no file

Reads any assessment export through forcelift's loader (Azure Migrate "All_Assessed_Machines",
AWS Migration Hub recommendations), sizes every machine the tool sized, and prints per machine
and in total: same SKU, same family, vCPU and memory ratios (forcelift / tool: p10, median,
p90), and monthly cost side by side (each in its own currency: the tool's as the export says,
forcelift's as its price snapshot).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path


def _ratio(spread: tuple[float, float, float] | None) -> str:
    if spread is None:
        return "n/a"
    p10, median, p90 = spread
    return f"median {median:.2f} (p10 {p10:.2f}, p90 {p90:.2f})"


def report(name: str, inventory, args: argparse.Namespace) -> dict:  # type: ignore[no-untyped-def]
    from forcelift.migration.clouds import Cloud
    from forcelift.migration.plan.agreement import compare
    from forcelift.migration.plan.sizing import SizingConfig

    config = SizingConfig(
        family_selection=args.family_selection, comfort_factor=args.comfort_factor
    )
    rows, totals = compare(inventory, config, Cloud(args.cloud) if args.cloud else None)
    if not args.json:
        print(f"== {name}: {totals.machines} machines with a recommendation")
        if not rows:
            print("   (the export carries no recommended sizes forcelift could read)")
        width = max([len(r.server) for r in rows] + [7])
        print(
            f"   {'machine':<{width}}  {'on-prem':>10}  {'forcelift':<20} {'tool':<20} "
            f"{'verdict':<12} {'ours/month':>11} {'tool/month':>11}"
        )
        for r in rows:
            tool_cost = "" if r.theirs_monthly is None else f"{r.theirs_monthly:,.2f}"
            print(
                f"   {r.server:<{width}}  {r.cores:>3}/{r.memory_gib:>6.1f}  {r.ours:<20} "
                f"{r.theirs or '-':<20} {r.verdict:<12} {r.ours_monthly:>11,.2f} {tool_cost:>11}"
            )
        n = totals.machines or 1
        print(
            f"   same SKU {totals.same_sku}/{totals.machines} ({totals.same_sku / n:.0%}), "
            f"same family {totals.same_family}/{totals.machines} ({totals.same_family / n:.0%})"
        )
        print(
            f"   vCPU ratio {_ratio(totals.vcpu_ratio)}; memory ratio {_ratio(totals.memory_ratio)}"
        )
        print(
            f"   on premise {totals.onprem_vcpus} vCPU / {totals.onprem_memory_gib} GiB; "
            f"forcelift {totals.ours_vcpus} vCPU / {totals.ours_memory_gib} GiB"
        )
        print(
            f"   monthly: forcelift {totals.ours_monthly:,.2f} {totals.ours_currency} "
            f"(compute, licences, disks; pay-as-you-go) vs tool "
            f"{totals.theirs_monthly:,.2f} {totals.theirs_currency}"
        )
    return {"name": name, "totals": asdict(totals), "machines": [asdict(r) for r in rows]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--fixtures", action="store_true", help="run on the test fixtures")
    parser.add_argument("--cloud", choices=("azure", "aws"), default=None)
    parser.add_argument("--family-selection", choices=("cheapest", "ratio"), default="cheapest")
    parser.add_argument("--comfort-factor", type=float, default=1.3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.paths and not args.fixtures:
        parser.error("give assessment exports, or --fixtures")

    out = []
    if args.fixtures:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "plan"))
        from assessment_data import KINDS, inventory  # type: ignore[import-not-found]

        for kind in KINDS:
            out.append(report(f"fixture {kind}", inventory(kind), args))
    if args.paths:
        from forcelift.migration.inventory.load import load_inventory

        loaded = load_inventory(tuple(args.paths))
        out.append(report(", ".join(str(p) for p in args.paths), loaded.inventory, args))
    if args.json:
        print(json.dumps(out, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
