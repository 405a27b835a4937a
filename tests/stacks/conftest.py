"""Plans and generated-project directories for the stack program and preview tests.

The mock runtime costs tens of milliseconds per resource, so the sample is reduced for the
tests: both landing zones, waves 1 and 2 whole, and a handful of wave-3 workloads that cover
every mapping (VMs with data disks and backup, web app + PostgreSQL, web app + SQL Managed
Instance, VMs + a database in one workload, SaaS, a workload with nothing to build). Each
cloud's reduced project is previewed once per session and shared by the golden, property and
guardrail tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from forcelift.migration.clouds import PROVIDER_CONFIG_KEY
from forcelift.migration.plan.planfile import CloudPlan, Plan, StackPlan
from forcelift.migration.plan.planio import plan_to_yaml
from forcelift.migration.plan.sharing_plan import CloudSharing

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventories" / "exampleshire"
GOLDEN = ROOT / "tests" / "golden" / "preview"
ORG = "organization"
WAVE3_KEEP = (
    "Active Directory",
    "Address Gazetteer Service",
    "Configuration Manager",
    "Digital Interview Recording",
    "Firearms Licensing",
    "Performance Data Warehouse",
    "SQL Server Shared Cluster 3",
)


def build_sample_plan() -> Plan:
    from forcelift.migration.classify.engine import classify
    from forcelift.migration.inventory.load import load_inventory
    from forcelift.migration.plan.build import PlanRequest, build_plan
    from forcelift.migration.plan.planfile import PlanOptions

    inv = load_inventory([str(SAMPLE)]).inventory
    return build_plan(
        PlanRequest(
            inv,
            classify(inv, as_of=dt.date(2026, 11, 25)),
            # Unbounded waves keep the shape these tests were written for (pilot, standard, one
            # large late wave 3); wave capacity is tested in tests/plan (docs/waves.md).
            PlanOptions(clouds=("azure", "aws"), wave_max_servers=None, wave_max_applications=None),
            ("inventories/exampleshire",),
        )
    )


def keep_workloads(plan: Plan, keep: Iterable[str]) -> Plan:
    """The same plan with only these workloads (stacks list them accordingly), and the
    sharing entries of the removed applications gone with them: their hosted services, staff
    access, not-fronted entries and flows, the consumed services that read a removed hosted
    service, and the sharing stack when it consumes nothing any more."""
    wanted = set(keep)
    removed: set[str] = set()
    clouds = []
    for cloud in plan.clouds:
        removed |= {w.application for w in cloud.workloads if w.application not in wanted}
        workloads = tuple(w for w in cloud.workloads if w.application in wanted)
        sharing = _keep_sharing(cloud.sharing, wanted)
        stacks = tuple(
            s.model_copy(update={"applications": tuple(a for a in s.applications if a in wanted)})
            for s in cloud.stacks
            if s.layer != "sharing" or any(c.stack == s.name for c in sharing.consumed)
        )
        clouds.append(
            cloud.model_copy(update={"workloads": workloads, "stacks": stacks, "sharing": sharing})
        )
    update: dict[str, Any] = {"clouds": tuple(clouds)}
    if plan.sharing is not None:
        flows = tuple(f for f in plan.sharing.flows if f.application not in removed)
        update["sharing"] = plan.sharing.model_copy(update={"flows": flows})
    return plan.model_copy(update=update)


def _keep_sharing(sharing: CloudSharing, wanted: set[str]) -> CloudSharing:
    hosted = tuple(h for h in sharing.hosted if h.application in wanted)
    kept = {(h.stack, h.name) for h in hosted}
    own = {(h.stack, h.name) for h in sharing.hosted}
    consumed = tuple(
        c
        for c in sharing.consumed
        if (c.source_stack, c.source_name) not in own or (c.source_stack, c.source_name) in kept
    )
    return sharing.model_copy(
        update={
            "hosted": hosted,
            "consumed": consumed,
            "staff_access": tuple(a for a in sharing.staff_access if a.application in wanted),
            "not_fronted": tuple(n for n in sharing.not_fronted if n.application in wanted),
        }
    )


def split_wave(plan: Plan, wave: int, second: Iterable[str]) -> Plan:
    """Wave `wave` split into two stacks, `second` in part 2 (as a large wave would be)."""
    moved = set(second)
    clouds: list[CloudPlan] = []
    for cloud in plan.clouds:
        base = f"{plan.force.slug}-{cloud.cloud}-wave-{wave}"
        names = (f"{base}-1", f"{base}-2")
        stacks: list[StackPlan] = []
        for s in cloud.stacks:
            if s.name != base:
                stacks.append(s)
                continue
            for part, name in enumerate(names, start=1):
                apps = tuple(a for a in s.applications if (a in moved) == (part == 2))
                stacks.append(
                    s.model_copy(update={"name": name, "part": part, "applications": apps})
                )
        workloads = []
        for w in cloud.workloads:
            if w.wave == wave:
                name = names[1] if w.application in moved else names[0]
                w = w.model_copy(
                    update={"stack": name, "tags": {**w.tags, "forcelift-stack": name}}
                )
            workloads.append(w)
        waves = tuple(
            v.model_copy(update={"stacks": names}) if v.number == wave else v for v in cloud.waves
        )
        clouds.append(
            cloud.model_copy(
                update={"stacks": tuple(stacks), "workloads": tuple(workloads), "waves": waves}
            )
        )
    return plan.model_copy(update={"clouds": tuple(clouds)})


def only_cloud(plan: Plan, cloud: str) -> Plan:
    return plan.model_copy(
        update={
            "clouds": tuple(c for c in plan.clouds if c.cloud == cloud),
            "options": plan.options.model_copy(update={"clouds": (cloud,)}),
        }
    )


def stack_config(plan: Plan, cloud: CloudPlan, stack: StackPlan) -> dict[str, Any]:
    """A stack's config as `forcelift generate` writes it (docs/stack-contract.md)."""
    config: dict[str, Any] = {
        "forcelift:plan": "plan.yaml",
        "forcelift:cloud": cloud.cloud,
        "forcelift:layer": stack.layer,
        "forcelift:organization": ORG,
        PROVIDER_CONFIG_KEY[cloud.cloud]: cloud.region,
    }
    if stack.layer == "wave":
        config["forcelift:wave"] = str(stack.wave)
    return config


def write_project(
    directory: Path,
    plan: Plan | str,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    drop: Mapping[str, Iterable[str]] | None = None,
) -> Path:
    """A generated project: plan.yaml, Pulumi.yaml and one Pulumi.<stack>.yaml per stack.
    `plan` may be YAML text (to hand-edit it); `extra`/`drop` change one stack's config."""
    directory.mkdir(parents=True, exist_ok=True)
    text = plan if isinstance(plan, str) else plan_to_yaml(plan)
    (directory / "plan.yaml").write_text(text, encoding="utf-8")
    (directory / "Pulumi.yaml").write_text(
        "name: forcelift\nruntime: python\nmain: program/\n", encoding="utf-8"
    )
    model = plan if isinstance(plan, Plan) else None
    if model is None:
        from forcelift.migration.plan.planio import plan_from_data

        model = plan_from_data(yaml.safe_load(text))
    for cloud in model.clouds:
        for stack in cloud.stacks:
            config = stack_config(model, cloud, stack)
            config.update((extra or {}).get(stack.name, {}))
            for key in (drop or {}).get(stack.name, ()):
                config.pop(key, None)
            (directory / f"Pulumi.{stack.name}.yaml").write_text(
                yaml.safe_dump({"config": config}, sort_keys=True), encoding="utf-8"
            )
    return directory


class Helpers:
    """The plan and project helpers above, for test modules (conftest is not importable)."""

    build_sample_plan = staticmethod(build_sample_plan)
    keep_workloads = staticmethod(keep_workloads)
    split_wave = staticmethod(split_wave)
    only_cloud = staticmethod(only_cloud)
    write_project = staticmethod(write_project)


@pytest.fixture(scope="session")
def helpers() -> type[Helpers]:
    return Helpers


@pytest.fixture(scope="session")
def sample_plan() -> Plan:
    return build_sample_plan()


@pytest.fixture(scope="session")
def reduced_plan(sample_plan: Plan) -> Plan:
    keep = [w.application for w in sample_plan.clouds[0].workloads if w.wave in (1, 2)]
    return keep_workloads(sample_plan, [*keep, *WAVE3_KEEP])


def _preview(directory: Path) -> dict[str, dict[str, Any]]:
    from forcelift.stacks.preview import load_documents, preview_project

    result = preview_project(directory, jobs=1)
    names = [r.stack for r in result.stacks]
    return {doc["stack"]: doc for doc in load_documents(directory, names)}


@pytest.fixture(scope="session")
def azure_previews(
    reduced_plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    directory = write_project(
        tmp_path_factory.mktemp("azure"),
        only_cloud(reduced_plan, "azure"),
        extra={
            "exampleshire-azure-landing-zone": {"forcelift:onPremGatewayAddress": "203.0.113.10"}
        },
    )
    return _preview(directory)


@pytest.fixture(scope="session")
def aws_previews(
    reduced_plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    directory = write_project(
        tmp_path_factory.mktemp("aws"),
        only_cloud(reduced_plan, "aws"),
        extra={"exampleshire-aws-landing-zone": {"forcelift:onPremGatewayAddress": "203.0.113.10"}},
    )
    return _preview(directory)
