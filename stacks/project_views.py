"""The plan as the project's templates see it: each cloud's stacks in deployment order, the CI
deploy groups and steps, and each stack's contract config.

A regional plan (several forces, one project) gives one view per cloud holding every force's
stacks: all landing zones first, then each force's waves, then the sharing stacks (they read
the hosts' wave stacks). Its keys and job ids carry the force's slug, so they stay unique.
"""

from __future__ import annotations

from dataclasses import dataclass

from forcelift.migration.clouds import PROVIDER_CONFIG_KEY
from forcelift.migration.plan.planfile import CloudPlan, Plan, StackPlan
from forcelift.migration.plan.regional import RegionalPlan
from forcelift.stacks.engineer_values import EngineerValue, engineer_values, workloads_by_stack

PLAN_FILE = "plan.yaml"
PLANS_DIR = "plans"  # a regional project's member plans: plans/<force>.yaml
DEFAULT_ORGANIZATION = "organization"
ORGANIZATION_KEY = "forcelift:organization"
CLOUD_TITLE = {"azure": "Azure", "aws": "AWS"}
LAYER_ORDER = {"landing-zone": 0, "wave": 1, "sharing": 2}


def member_plan_file(slug: str) -> str:
    """Where a regional project keeps one force's plan (what that force's stacks read)."""
    return f"{PLANS_DIR}/{slug}.yaml"


@dataclass(frozen=True)
class StackView:
    """One stack as the templates need it: its contract config and its place in the order."""

    name: str
    cloud: str
    layer: str
    wave: int | None
    part: int | None
    applications: tuple[str, ...]
    estimated_resources: int
    step: int
    total: int
    config: tuple[tuple[str, str], ...]
    values: tuple[EngineerValue, ...]
    force: str = ""  # the force's slug; keys carry it in a regional project
    regional: bool = False

    @property
    def is_landing_zone(self) -> bool:
        return self.layer == "landing-zone"

    @property
    def is_sharing(self) -> bool:
        return self.layer == "sharing"

    @property
    def label(self) -> str:
        if self.is_landing_zone:
            text = "landing zone"
        elif self.is_sharing:
            text = "sharing (private endpoints to shared and partner services)"
        else:
            text = f"wave {self.wave}" + (f", part {self.part}" if self.part is not None else "")
        return f"{self.force}: {text}" if self.regional else text

    @property
    def matrix_key(self) -> str:
        return self.name.replace("-", "_")

    @property
    def group_base(self) -> str:
        """The deploy group within the force: `landing-zone`, `wave-3` or `sharing`."""
        if self.is_landing_zone or self.is_sharing:
            return self.layer
        return f"wave-{self.wave}"

    @property
    def key(self) -> str:
        """The stack's name without `<force>-<cloud>-` (`landing-zone`, `wave-3-2`); in a
        regional project without `<cloud>-` only (`northshire-wave-3-2`)."""
        marker = f"-{self.cloud}-"
        rest = self.name.split(marker, 1)[1] if marker in self.name else self.name
        return f"{self.force}-{rest}" if self.regional else rest


@dataclass(frozen=True)
class DeployGroup:
    """One CI deploy job: the landing zone, one wave (all its parts, in order), or sharing."""

    key: str
    title: str
    environment: str
    stacks: tuple[StackView, ...]
    previous: str | None

    @property
    def job_id(self) -> str:
        return f"deploy-{self.key}"

    @property
    def stage_id(self) -> str:
        return f"deploy_{self.key.replace('-', '_')}"

    @property
    def previous_job_id(self) -> str | None:
        return f"deploy-{self.previous}" if self.previous else None

    @property
    def previous_stage_id(self) -> str | None:
        return f"deploy_{self.previous.replace('-', '_')}" if self.previous else None


@dataclass(frozen=True)
class DeployStep:
    """One stack's way to production in CI: live preview (diff posted, update plan saved),
    then, behind its environment's approval, `pulumi up` constrained to that plan."""

    stack: StackView
    group: DeployGroup
    previous: str | None  # the key of the stack deployed just before, if any

    @property
    def environment(self) -> str:
        return self.group.environment

    @property
    def preview_job(self) -> str:
        return f"preview-{self.stack.key}"

    @property
    def deploy_job(self) -> str:
        return f"deploy-{self.stack.key}"

    @property
    def previous_deploy_job(self) -> str | None:
        return f"deploy-{self.previous}" if self.previous else None

    @property
    def preview_stage(self) -> str:
        return f"preview_{self.stack.key.replace('-', '_')}"

    @property
    def deploy_stage(self) -> str:
        return f"deploy_{self.stack.key.replace('-', '_')}"

    @property
    def previous_deploy_stage(self) -> str | None:
        return f"deploy_{self.previous.replace('-', '_')}" if self.previous else None

    @property
    def artifact(self) -> str:
        return f"update-plan-{self.stack.key}"


@dataclass(frozen=True)
class CloudView:
    name: str
    title: str
    region: str
    provider_key: str
    stacks: tuple[StackView, ...]
    groups: tuple[DeployGroup, ...]
    values: tuple[tuple[EngineerValue, tuple[StackView, ...]], ...]

    @property
    def landing_zone(self) -> StackView:
        return self.stacks[0]

    @property
    def steps(self) -> tuple[DeployStep, ...]:
        """Every stack in deployment order, each after the one before it is up."""
        out: list[DeployStep] = []
        for group in self.groups:
            for stack in group.stacks:
                out.append(DeployStep(stack, group, out[-1].stack.key if out else None))
        return tuple(out)


def _order_key(stack: StackPlan, force: int = 0) -> tuple[int, int, int, int]:
    return (LAYER_ORDER.get(stack.layer, 1), force, stack.wave or 0, stack.part or 0)


def stack_config(
    cloud: CloudPlan, stack: StackPlan, plan_file: str = PLAN_FILE
) -> tuple[tuple[str, str], ...]:
    """The contract's keys for one stack (docs/stack-contract.md), sorted as Pulumi sorts them."""
    config = {
        "forcelift:plan": plan_file,
        "forcelift:cloud": cloud.cloud,
        "forcelift:layer": stack.layer,
        ORGANIZATION_KEY: DEFAULT_ORGANIZATION,
        PROVIDER_CONFIG_KEY[cloud.cloud]: cloud.region,
    }
    if stack.layer == "wave":
        config["forcelift:wave"] = str(stack.wave)
    return tuple(sorted(config.items()))


def _deploy_groups(stacks: tuple[StackView, ...]) -> tuple[DeployGroup, ...]:
    """One CI job per landing zone, wave or sharing stack; a wave's parts go in order in it."""
    groups: list[DeployGroup] = []
    for stack in stacks:
        key = f"{stack.force}-{stack.group_base}" if stack.regional else stack.group_base
        if groups and groups[-1].key == key:
            last = groups[-1]
            groups[-1] = DeployGroup(
                last.key, last.title, last.environment, (*last.stacks, stack), last.previous
            )
            continue
        title = (
            "Landing zone"
            if stack.is_landing_zone
            else "Sharing"
            if stack.is_sharing
            else f"Wave {stack.wave}"
        )
        groups.append(
            DeployGroup(
                key=key,
                title=f"{stack.force}: {title}" if stack.regional else title,
                environment=f"{stack.force}-{stack.cloud}-{stack.group_base}",
                stacks=(stack,),
                previous=groups[-1].key if groups else None,
            )
        )
    return tuple(groups)


def _cloud_view(
    name: str, region: str, members: list[tuple[int, Plan, CloudPlan, StackPlan]], regional: bool
) -> CloudView:
    ordered = sorted(members, key=lambda m: _order_key(m[3], m[0]))
    indexed = {id(cloud): workloads_by_stack(cloud) for _, _, cloud, _ in ordered}
    stacks = tuple(
        StackView(
            name=s.name,
            cloud=cloud.cloud,
            layer=s.layer,
            wave=s.wave,
            part=s.part,
            applications=s.applications,
            estimated_resources=s.estimated_resources,
            step=i,
            total=len(ordered),
            config=stack_config(
                cloud, s, member_plan_file(plan.force.slug) if regional else PLAN_FILE
            ),
            values=engineer_values(cloud, s, indexed[id(cloud)]),
            force=plan.force.slug,
            regional=regional,
        )
        for i, (_, plan, cloud, s) in enumerate(ordered, start=1)
    )
    values: dict[EngineerValue, list[StackView]] = {}
    for stack in stacks:
        for value in stack.values:
            values.setdefault(value, []).append(stack)
    return CloudView(
        name=name,
        title=CLOUD_TITLE[name],
        region=region,
        provider_key=PROVIDER_CONFIG_KEY[name],
        stacks=stacks,
        groups=_deploy_groups(stacks),
        values=tuple((v, tuple(users)) for v, users in values.items()),
    )


def member_plans(plan: Plan | RegionalPlan) -> tuple[Plan, ...]:
    """The single-force plans a project's stacks read: the plan itself, or every member."""
    return plan.forces if isinstance(plan, RegionalPlan) else (plan,)


def cloud_views(plan: Plan | RegionalPlan) -> tuple[CloudView, ...]:
    """Each cloud's stacks in deployment order: landing zone(s), waves and parts ascending,
    then sharing stacks. A regional plan's clouds come in the order the forces first use them."""
    members = member_plans(plan)
    regional = isinstance(plan, RegionalPlan)
    by_cloud: dict[str, list[tuple[int, Plan, CloudPlan, StackPlan]]] = {}
    regions: dict[str, str] = {}
    for index, member in enumerate(members):
        for cloud in member.clouds:
            regions.setdefault(cloud.cloud, cloud.region)
            found = by_cloud.setdefault(cloud.cloud, [])
            found.extend((index, member, cloud, s) for s in cloud.stacks)
    return tuple(
        _cloud_view(name, regions[name], stacks, regional) for name, stacks in by_cloud.items()
    )
