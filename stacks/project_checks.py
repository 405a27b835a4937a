"""What `forcelift generate` checks before it writes: stack names on the contract, one landing
zone per cloud, waves that exist, and in a regional plan, consumed services whose source stack
is in the project. Stack names become file names, CI job ids and environment names, so a
hand-edited plan must not be able to name a path outside the project."""

from __future__ import annotations

import re

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.regional import RegionalPlan
from forcelift.stacks.project_views import PLAN_FILE

_REGION = re.compile(r"^[a-z0-9][a-z0-9-]{1,30}$")
_HINT = "stack names follow docs/stack-contract.md; re-create the plan with `forcelift plan`"


def _problem(file: str, path: str, message: str) -> Problem:
    return Problem(f"{path}: {message}", Location(file=file, column=path), hint=_HINT)


def plan_problems(plan: Plan, file: str = PLAN_FILE, base: str = "") -> list[Problem]:
    """Every contract problem of one force's plan; `base` prefixes paths (`forces[1].`)."""
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(_problem(file, f"{base}{path}", message))

    if not plan.clouds:
        problem("clouds", "the plan has no target cloud, so there is nothing to generate")
    seen: dict[str, str] = {}
    slug = plan.force.slug
    for ci, cloud in enumerate(plan.clouds):
        at = f"clouds[{ci}]"
        if not _REGION.match(cloud.region):
            problem(f"{at}.region", f"{cloud.region!r} is not a region name")
        landing = [s for s in cloud.stacks if s.layer == "landing-zone"]
        if len(landing) != 1:
            problem(f"{at}.stacks", f"expected one landing-zone stack, found {len(landing)}")
        elif landing[0].name != cloud.landing_zone.stack:
            problem(
                f"{at}.landing_zone.stack",
                f"{cloud.landing_zone.stack!r} is not the landing-zone stack {landing[0].name!r}",
            )
        waves = {w.number for w in cloud.waves}
        for si, stack in enumerate(cloud.stacks):
            path = f"{at}.stacks[{si}]"
            if stack.layer in ("landing-zone", "sharing"):
                expected = f"{slug}-{cloud.cloud}-{stack.layer}"
                if stack.wave is not None or stack.part is not None:
                    problem(path, f"a {stack.layer} stack has no wave or part")
            else:
                expected = f"{slug}-{cloud.cloud}-wave-{stack.wave}" + (
                    f"-{stack.part}" if stack.part is not None else ""
                )
                if stack.wave is None:
                    problem(f"{path}.wave", "a wave stack needs its wave number")
                elif stack.wave not in waves:
                    problem(f"{path}.wave", f"wave {stack.wave} is not in {at}.waves")
            if stack.name != expected:
                problem(f"{path}.name", f"{stack.name!r} should be {expected!r}")
            if stack.name in seen:
                problem(f"{path}.name", f"{stack.name!r} is also {seen[stack.name]}")
            seen.setdefault(stack.name, path)
    return problems


def check_plan(plan: Plan | RegionalPlan, file: str = PLAN_FILE) -> None:
    """Stop before writing when a stack name would break the contract, a file name or a job
    id; for a regional plan also when the forces clash or a consumed service's source stack
    is not one of the project's stacks."""
    if isinstance(plan, RegionalPlan):
        problems = regional_problems(plan, file)
    else:
        problems = plan_problems(plan, file) + _consumed_problems([("", plan)], file)
    if problems:
        raise InputError(problems)


def regional_problems(plan: RegionalPlan, file: str = PLAN_FILE) -> list[Problem]:
    problems: list[Problem] = []
    if not plan.forces:
        problems.append(_problem(file, "forces", "the regional plan has no force"))
    slugs: dict[str, int] = {}
    regions: dict[str, tuple[str, str]] = {}
    for fi, member in enumerate(plan.forces):
        base = f"forces[{fi}]."
        problems.extend(plan_problems(member, file, base))
        slug = member.force.slug
        if slug in slugs:
            problems.append(
                _problem(file, f"{base}force.slug", f"{slug!r} is also forces[{slugs[slug]}]")
            )
        slugs.setdefault(slug, fi)
        for ci, cloud in enumerate(member.clouds):
            first = regions.setdefault(cloud.cloud, (cloud.region, slug))
            if first[0] != cloud.region:
                problems.append(
                    _problem(
                        file,
                        f"{base}clouds[{ci}].region",
                        f"{slug} plans {cloud.cloud} in {cloud.region!r} but {first[1]} in "
                        f"{first[0]!r}: one project deploys one region per cloud",
                    )
                )
    members = [(f"forces[{fi}].", member) for fi, member in enumerate(plan.forces)]
    return problems + _consumed_problems(members, file)


def _consumed_problems(members: list[tuple[str, Plan]], file: str) -> list[Problem]:
    """A sharing stack reads each source stack's outputs: it must be in the same project."""
    stacks = {
        s.name for _, plan in members for c in plan.clouds for s in c.stacks if s.layer == "wave"
    }
    problems = []
    for base, plan in members:
        for ci, cloud in enumerate(plan.clouds):
            for si, service in enumerate(cloud.sharing.consumed):
                if service.source_stack and service.source_stack not in stacks:
                    problems.append(
                        _problem(
                            file,
                            f"{base}clouds[{ci}].sharing.consumed[{si}].source_stack",
                            f"{service.source_stack!r} is not a wave stack of this project",
                        )
                    )
    return problems
