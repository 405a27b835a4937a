"""A generated project as the preview reads it: Pulumi.yaml, each Pulumi.<stack>.yaml's plain
config, the config each stack's program runs with, and which stacks read which others'
outputs (its landing zone; for a later part of a split wave, the part that owns the spoke).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forcelift.migration.errors import InputError, Location
from forcelift.stacks.config import ENGINEER_VALUES, NAMESPACE
from forcelift.stacks.plan_slice import stack_view


@dataclass(frozen=True)
class StackFile:
    """One `Pulumi.<stack>.yaml`: its plain config (secure values are left out)."""

    name: str
    config: Mapping[str, str]

    @property
    def layer(self) -> str:
        return self.config.get(f"{NAMESPACE}:layer", "")

    @property
    def cloud(self) -> str:
        return self.config.get(f"{NAMESPACE}:cloud", "")


@dataclass(frozen=True)
class Project:
    directory: Path
    name: str
    stacks: tuple[StackFile, ...]

    def stack(self, name: str) -> StackFile:
        for stack in self.stacks:
            if stack.name == name:
                return stack
        raise InputError(
            f"no stack {name!r} in this project (stacks: "
            f"{', '.join(s.name for s in self.stacks) or 'none'})",
            Location(file=str(self.directory)),
            hint="pick one of the Pulumi.<stack>.yaml files",
        )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {path.name}: {exc}", Location(file=str(path))) from exc


def _plain(value: Any) -> str | None:
    """A config value as the Pulumi engine passes it to a program; None for secure ones."""
    if isinstance(value, Mapping):
        return None if "secure" in value else json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value)
    return None if value is None else str(value)


def read_project(directory: Path) -> Project:
    """Pulumi.yaml (project name) and every Pulumi.<stack>.yaml of a generated project."""
    project_file = directory / "Pulumi.yaml"
    if not project_file.is_file():
        raise InputError(
            "not a Pulumi project (no Pulumi.yaml)",
            Location(file=str(directory)),
            hint="run `forcelift generate plan.yaml -o DIR` first",
        )
    project = _read_yaml(project_file) or {}
    name = str(project.get("name") or "forcelift") if isinstance(project, Mapping) else ""
    stacks = []
    for path in sorted(directory.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi.") : -len(".yaml")]
        data = _read_yaml(path) or {}
        raw = data.get("config") if isinstance(data, Mapping) else None
        if not isinstance(raw, Mapping):
            raise InputError(
                "no `config:` mapping", Location(file=str(path)), hint="re-run `forcelift generate`"
            )
        config = {str(k): v for k, v in ((k, _plain(v)) for k, v in raw.items()) if v is not None}
        stacks.append(StackFile(stack, dict(sorted(config.items()))))
    if not stacks:
        raise InputError(
            "no Pulumi.<stack>.yaml files", Location(file=str(directory)), hint="run generate"
        )
    return Project(directory, name, tuple(stacks))


def run_config(project: Project, stack: StackFile) -> dict[str, str]:
    """The config a stack's program runs with: its own, the plan path made absolute, and the
    preview's stand-ins for what the engineer sets."""
    config = dict(stack.config)
    plan = config.get(f"{NAMESPACE}:plan")
    if plan and not Path(plan).is_absolute():
        config[f"{NAMESPACE}:plan"] = str((project.directory / plan).resolve())
    for key, (dummy, _secret) in ENGINEER_VALUES.items():
        config.setdefault(f"{NAMESPACE}:{key}", dummy)
    return config


def dependencies(project: Project, stack: StackFile) -> list[str]:
    """Stacks whose outputs this one reads: its landing zone, and for a later part of a split
    wave, the part that owns the spoke (from the plan); for a sharing stack its landing zone,
    the stacks owning its waves' spokes and the hosts' wave stacks (in a regional project,
    other forces' stacks)."""
    if stack.layer not in ("wave", "sharing"):
        return []
    plan = plan_of(project, stack)
    cloud = next((c for c in plan.clouds if c.cloud == stack.cloud), None)
    if cloud is None:
        return []
    found = [cloud.landing_zone.stack]
    if stack.layer == "sharing":  # after every wave: it reaches the spokes (AWS) and hosts
        spokes = [w.stacks[0] for w in cloud.waves if w.stacks]
        sources = {c.source_stack for c in cloud.sharing.consumed if c.stack == stack.name}
        return list(dict.fromkeys([*found, *spokes, *sorted(s for s in sources if s)]))
    for wave in cloud.waves:
        if stack.name in wave.stacks and wave.stacks[0] != stack.name:
            found.append(wave.stacks[0])
    return found


def plan_of(project: Project, stack: StackFile) -> Any:
    """The plan a stack reads (loaded once per process; see plan_slice)."""
    plan = stack.config.get(f"{NAMESPACE}:plan")
    if not plan:
        raise InputError(
            f"missing stack config {NAMESPACE}:plan",
            Location(file=f"Pulumi.{stack.name}.yaml", column=f"{NAMESPACE}:plan"),
            hint="re-run `forcelift generate`",
        )
    path = Path(plan) if Path(plan).is_absolute() else project.directory / plan
    return stack_view(path, stack.cloud, stack.name).plan


def phases(project: Project, names: Sequence[str]) -> list[list[str]]:
    """Stacks in dependency order: each phase depends only on earlier ones."""
    wanted = set(names)
    deps = {n: [d for d in dependencies(project, project.stack(n)) if d in wanted] for n in names}
    done: set[str] = set()
    out: list[list[str]] = []
    while len(done) < len(names):
        ready = sorted(n for n in names if n not in done and all(d in done for d in deps[n]))
        if not ready:
            raise InputError(f"stack dependencies form a cycle: {sorted(wanted - done)}")
        out.append(ready)
        done.update(ready)
    return out


def reference_outputs(
    project: Project, stack: StackFile, outputs: Mapping[str, Mapping[str, Any]]
) -> dict[str, Mapping[str, Any]]:
    org = stack.config.get(f"{NAMESPACE}:organization", "organization")
    return {
        f"{org}/{project.name}/{dep}": outputs[dep]
        for dep in dependencies(project, stack)
        if dep in outputs
    }
