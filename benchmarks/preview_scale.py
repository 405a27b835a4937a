"""Offline preview of the largest stack of a big synthetic plan, against the floor.

Builds a plan for a synthetic estate (default 100,000 servers, Azure), writes a project for
its largest stack, previews that stack's dependencies (untimed), then, each in its own
subprocess and side by side:

- ours:  `forcelift.stacks.program.main` for the stack under the mock runtime (what
         `forcelift preview DIR --stack NAME` runs in a worker);
- floor: a bare program registering the same custom resources (same types, names and
         recorded inputs) through the same SDK classes: no components, no program logic,
         no dependencies between resources;
- raw:   the same again as bare `pulumi.CustomResource`s, for reference: what the mock
         runtime costs without the SDK classes (most of the cost is in them).

It prints wall seconds (whole process, and the mock run alone), peak RSS, and the ratios.
Target: ours within 1.5x of the floor.

    .venv/bin/python benchmarks/preview_scale.py [--servers 100000] [--work /tmp/fl-bench]
    .venv/bin/python benchmarks/preview_scale.py --plan plan.yaml --stack NAME   # any plan

Building the 100k plan takes minutes; it is cached in WORK/plan.yaml (--rebuild to redo it).
Not a test: run it by hand and put the numbers in your note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

PROJECT = "forcelift"
ORG = "organization"


def build_plan(servers: int, seed: int, wave_max: int, supernet: str, limit: int) -> str:
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.inventory.synth import synthesise
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions
    from forcelift.migration.plan.planio import plan_to_yaml

    started = time.perf_counter()
    inventory = synthesise(servers, seed)
    result = classify(inventory, as_of=dt.date(2026, 11, 25))
    options = PlanOptions(
        clouds=("azure",),
        wave_max_servers=wave_max,
        max_resources_per_stack=limit,
        supernet=supernet,
    )
    plan = build_plan(PlanRequest(inventory, result, options, ("synthetic",)))
    print(f"plan for {servers:,} servers built in {time.perf_counter() - started:.0f} s")
    return plan_to_yaml(plan)


def write_project(work: Path, plan_text: str | None) -> Any:
    """plan.yaml, Pulumi.yaml and a Pulumi.<stack>.yaml per stack (as `generate` writes)."""
    from forcelift.stacks.plan_slice import cached_plan

    work.mkdir(parents=True, exist_ok=True)
    if plan_text is not None:
        (work / "plan.yaml").write_text(plan_text, encoding="utf-8")
    (work / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n", encoding="utf-8")
    plan = cached_plan(work / "plan.yaml")  # also writes the per-wave cache stacks read
    keys = {"azure": "azure-native:location", "aws": "aws:region"}
    for cloud in plan.clouds:
        for stack in cloud.stacks:
            config = {
                "forcelift:plan": "plan.yaml",
                "forcelift:cloud": cloud.cloud,
                "forcelift:layer": stack.layer,
                "forcelift:organization": ORG,
                keys[cloud.cloud]: cloud.region,
            }
            if stack.wave is not None:
                config["forcelift:wave"] = str(stack.wave)
            path = work / f"Pulumi.{stack.name}.yaml"
            path.write_text(yaml.safe_dump({"config": config}, sort_keys=True), encoding="utf-8")
    return plan


def peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss it does not carry over the parent's
    memory through fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(work: Path, stack: str) -> dict[str, Any]:
    from forcelift.stacks.mock_runtime import run_mocked
    from forcelift.stacks.plan_slice import stack_view
    from forcelift.stacks.preview import read_project, run_config
    from forcelift.stacks.program import main

    project = read_project(work)
    started = time.perf_counter()
    cpu = time.process_time()
    stack_view(work / "plan.yaml", project.stack(stack).cloud, stack)  # what main() reads
    loaded, cpu_loaded = time.perf_counter(), time.process_time()
    outputs: dict[str, Any] = {}
    for dep in _dependencies(project, stack):
        data = json.loads((work / "preview" / f"{dep}.json").read_text(encoding="utf-8"))
        outputs[f"{ORG}/{project.name}/{dep}"] = data["outputs"]
    run = run_mocked(
        main,
        project=project.name,
        stack=stack,
        config=run_config(project, project.stack(stack)),
        stack_outputs=outputs,
    )
    done, cpu_done = time.perf_counter(), time.process_time()
    from forcelift.stacks.mock_runtime import sanitise
    from forcelift.stacks.preview import document, dumps

    doc = document(run, project.stack(stack).config, sanitise)
    (work / "preview").mkdir(exist_ok=True)
    (work / "preview" / f"{stack}.json").write_text(dumps(doc), encoding="utf-8")
    return {
        "resources": len(run.resources),
        "custom": sum(1 for r in run.resources if r.custom),
        "plan_load_s": round(loaded - started, 2),
        "run_s": round(done - loaded, 2),
        "run_cpu_s": round(cpu_done - cpu_loaded, 2),
        "plan_cpu_s": round(cpu_loaded - cpu, 2),
        "peak_rss_mib": round(peak_rss_mib()),
    }


def _sdk_class(type_token: str) -> Any:
    import importlib

    provider, module, cls = type_token.split(":")
    package = {"azure-native": "pulumi_azure_native", "aws": "pulumi_aws"}[provider]
    return getattr(importlib.import_module(f"{package}.{module.split('/')[0]}"), cls)


def _kwargs(resource_class: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """Wire-form (camelCase) top-level inputs as the SDK class's keyword arguments; nested
    values stay dicts, which the SDK serialises as they are."""
    import inspect

    params = inspect.signature(resource_class._internal_init).parameters
    by_key = {p.replace("_", "").lower(): p for p in params}
    out = {}
    for key, value in inputs.items():
        param = by_key.get(key.replace("_", "").lower())
        if param is not None and param not in ("resource_name", "opts"):
            out[param] = value
    return out


def child_floor(work: Path, stack: str, kind: str) -> dict[str, Any]:
    """The same custom resources without components or program: through the SDK classes
    (`sdk`, the floor) or as bare `pulumi.CustomResource`s (`raw`, the runtime alone)."""
    import pulumi

    from forcelift.stacks.mock_runtime import run_mocked

    doc = json.loads((work / "preview" / f"{stack}.json").read_text(encoding="utf-8"))
    custom = [r for r in doc["resources"] if r["custom"]]
    calls = []
    for r in custom:
        if kind == "raw":
            calls.append((pulumi.CustomResource, (r["type"], r["name"], dict(r["inputs"])), {}))
        else:
            cls = _sdk_class(r["type"])
            calls.append((cls, (r["name"],), _kwargs(cls, r["inputs"])))

    def program() -> None:
        for make, positional, keywords in calls:
            make(*positional, **keywords)

    started, cpu = time.perf_counter(), time.process_time()
    run = run_mocked(program, project=doc["project"], stack=stack)
    return {
        "resources": len(run.resources),
        "custom": len(run.resources),
        "plan_load_s": 0.0,
        "run_s": round(time.perf_counter() - started, 2),
        "run_cpu_s": round(time.process_time() - cpu, 2),
        "peak_rss_mib": round(peak_rss_mib()),
    }


def _dependencies(project: Any, stack: str) -> list[str]:
    """Stacks this one reads (from the plan's stack list; no full plan load needed)."""
    from forcelift.stacks.plan_slice import stack_view

    me = project.stack(stack)
    view = stack_view(project.directory / "plan.yaml", me.cloud, stack)
    cloud = next(c for c in view.plan.clouds if c.cloud == me.cloud)
    found = [cloud.landing_zone.stack] if me.layer == "wave" else []
    found += [w.stacks[0] for w in cloud.waves if stack in w.stacks and w.stacks[0] != stack]
    return found


def timed_child(kind: str, work: Path, stack: str) -> dict[str, Any]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--work", str(work), "--stack", stack],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--servers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wave-max-servers", type=int, default=8000)
    parser.add_argument("--supernet", default="10.96.0.0/12")
    parser.add_argument("--max-resources", type=int, default=1500)
    parser.add_argument("--work", type=Path, default=Path("/tmp/forcelift-preview-bench"))
    parser.add_argument("--plan", type=Path, default=None, help="use this plan instead")
    parser.add_argument("--stack", default=None, help="preview this stack (default: largest)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", choices=["ours", "sdk", "raw"], default=None)
    args = parser.parse_args()

    if args.child:
        if args.child == "ours":
            print(json.dumps(child_ours(args.work, args.stack)))
        else:
            print(json.dumps(child_floor(args.work, args.stack, args.child)))
        return

    text = None
    if args.plan is not None:
        text = args.plan.read_text(encoding="utf-8")
    elif args.rebuild or not (args.work / "plan.yaml").is_file():
        text = build_plan(
            args.servers, args.seed, args.wave_max_servers, args.supernet, args.max_resources
        )
    plan = write_project(args.work, text)
    stacks = [s for c in plan.clouds for s in c.stacks]
    target = args.stack or max(stacks, key=lambda s: (s.estimated_resources, s.name)).name
    waves = sum(len(c.waves) for c in plan.clouds)
    print(f"{len(stacks)} stacks in {waves} waves; previewing {target}")

    from forcelift.stacks.preview import preview_project, read_project

    deps = _dependencies(read_project(args.work), target)
    if deps and (
        args.rebuild
        or text is not None
        or not all((args.work / "preview" / f"{d}.json").is_file() for d in deps)
    ):
        started = time.perf_counter()
        preview_project(args.work, only=deps, jobs=1)
        print(f"dependencies {deps} previewed in {time.perf_counter() - started:.0f} s (untimed)")

    ours = timed_child("ours", args.work, target)
    floor = timed_child("sdk", args.work, target)
    raw = timed_child("raw", args.work, target)
    header = ("resources", "wall s", "run s", "run cpu s", "plan s", "peak MiB")
    print(f"{'':8}" + "".join(f"{h:>11}" for h in header))
    for label, r in (("ours", ours), ("floor", floor), ("raw", raw)):
        values = ("resources", "wall_s", "run_s", "run_cpu_s", "plan_load_s", "peak_rss_mib")
        print(f"{label:8}" + "".join(f"{r[v]!s:>11}" for v in values))

    def ratio(key: str) -> str:
        return f"{ours[key] / floor[key]:.2f}x"

    print(
        f"ours/floor: wall {ratio('wall_s')}, run {ratio('run_s')}, run cpu "
        f"{ratio('run_cpu_s')}, peak RSS {ratio('peak_rss_mib')} (target: within 1.5x)"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
