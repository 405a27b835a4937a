"""The Pulumi program: stack config + plan.yaml -> this stack's components.

Every stack runs the same program. It reads its config (docs/stack-contract.md), loads the
plan, finds its own entry by `pulumi.get_stack()`, checks everything it will need, and only
then declares resources, so a bad config or a hand-edited plan stops with an
:class:`InputError` naming the config key or the path inside the plan
(`clouds[0].workloads[5].vms[0].size`) and nothing half-declared. The cloud modules turn the
checked plan into component args (pure, no resources) before declaring anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forcelift.migration.errors import InputError, Location
from forcelift.stacks.checks import check_plan
from forcelift.stacks.config import (
    NAMESPACE,
    StackConfig,
    config_getter,
    config_problem,
    read_config,
)
from forcelift.stacks.context import StackContext
from forcelift.stacks.plan_slice import stack_view

# The program of each cloud: a module with `build(ctx: StackContext) -> None`. A third cloud
# adds its facts module (forcelift.migration.clouds), its components and one line here.
CLOUD_PROGRAMS: dict[str, str] = {
    "azure": "forcelift.stacks.azure_program",
    "aws": "forcelift.stacks.aws_program",
}


def context_from(
    config: StackConfig,
    stack_name: str,
    project: str,
    *,
    secrets: Callable[[str], Any] | None = None,
    values: Callable[[str], str | None] | None = None,
    base_dir: Path | None = None,
) -> StackContext:
    """Load and check the plan for this stack; raise InputError before anything is declared."""
    path = Path(config.plan_path)
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    view = stack_view(path, config.cloud, stack_name)
    plan = view.plan
    plan_file = config.plan_path
    index = next((i for i, c in enumerate(plan.clouds) if c.cloud == config.cloud), None)
    if index is None:
        raise InputError(
            f"the plan has no {config.cloud} cloud "
            f"(it plans {', '.join(c.cloud for c in plan.clouds)})",
            Location(file=plan_file, column="clouds"),
            hint="re-create the plan with `forcelift plan --cloud ...` or fix forcelift:cloud",
        )
    stack = next((s for s in plan.clouds[index].stacks if s.name == stack_name), None)
    if stack is None:
        raise InputError(
            f"stack {stack_name!r} is not in the plan (clouds[{index}].stacks)",
            Location(file=plan_file, column=f"clouds[{index}].stacks"),
            hint="select one of the plan's stacks, or re-run `forcelift generate`",
        )
    ctx = StackContext(
        plan=plan,
        cloud_index=index,
        stack=stack,
        config=config,
        project=project,
        stack_name=stack_name,
        plan_file=plan_file,
        secrets=secrets,
        values=values,
        indices=view.indices,
        applications=view.applications,
        hosted_places=view.hosted_places,
        staff_places=view.staff_places,
    )
    problems = []
    if stack.layer != config.layer:
        problems.append(
            config_problem(
                stack_name,
                "forcelift:layer",
                f"forcelift:layer is {config.layer!r} but the plan's stack is {stack.layer!r}",
                "re-run `forcelift generate`",
            )
        )
    if stack.layer == "wave" and stack.wave != config.wave:
        problems.append(
            config_problem(
                stack_name,
                "forcelift:wave",
                f"forcelift:wave is {config.wave} but the plan's stack is wave {stack.wave}",
                "re-run `forcelift generate`",
            )
        )
    if problems:
        raise InputError(problems)
    check_plan(ctx)
    return ctx


def main() -> None:
    """Entry point of the Pulumi program (stacks/__main__.py)."""
    import pulumi

    stack_name = pulumi.get_stack()
    settings = pulumi.Config(NAMESPACE)

    def secrets(key: str) -> Any:
        return settings.get_secret(key)

    try:
        config = read_config(config_getter(), stack_name)
        ctx = context_from(
            config, stack_name, pulumi.get_project(), secrets=secrets, values=config_getter()
        )
        importlib.import_module(CLOUD_PROGRAMS[config.cloud]).build(ctx)
    except InputError as exc:
        raise _stack_input_error(exc) from None


def _stack_input_error(exc: InputError) -> InputError:
    """The same InputError, also a pulumi.RunError so the Pulumi CLI prints it cleanly
    (message, no traceback) while callers and tests still catch InputError."""
    import pulumi

    class StackInputError(InputError, pulumi.RunError):
        pass

    return StackInputError(exc.problems)
