"""The third stack layer, `<force>-<cloud>-sharing`: its config, its context, its checks (a bad
consumed service stops the program with an InputError naming the plan file and the path in
it) and the dispatch to the cloud program's sharing layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.plan.planfile import Plan, StackPlan
from forcelift.migration.plan.planio import load_plan, plan_to_yaml
from forcelift.migration.plan.sharing_plan import CloudSharing, ConsumedService
from forcelift.migration.policy.crossguard import stack_config_from_urns
from forcelift.stacks.config import read_config
from forcelift.stacks.context import StackContext
from forcelift.stacks.engineer_values import engineer_values
from forcelift.stacks.program import context_from
from forcelift.stacks.project_reader import dependencies, read_project
from forcelift.stacks.specs import Layer, build_stack

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "generate" / "data" / "smallshire-plan.yaml"
SHARING = "smallshire-azure-sharing"
MEMBER = "plans/smallshire.yaml"
CPS_ENDPOINT = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/cps/providers/"
    "Microsoft.Network/privateLinkServices/cps-case-files"
)


def roci(**changes: Any) -> ConsumedService:
    values: dict[str, Any] = {
        "name": "roci",
        "provider": "northshire",
        "stack": SHARING,
        "source_stack": "northshire-azure-wave-1",
        "source_name": "roci",
        "dns_name": "roci.share.smallshire.internal",
        "agreements": ("ISA-ROCU-7",),
    }
    values.update(changes)
    return ConsumedService(**values)


def cps() -> ConsumedService:
    return ConsumedService(
        name="cps-case-files",
        provider="Crown Prosecution Service",
        stack=SHARING,
        endpoint=CPS_ENDPOINT,
        dns_name="cps-case-files.share.smallshire.internal",
    )


def with_sharing(plan: Plan, *consumed: ConsumedService) -> Plan:
    """smallshire's Azure cloud consuming these services from its sharing stack."""
    clouds = []
    for cloud in plan.clouds:
        if cloud.cloud == "azure":
            stacks = (
                *cloud.stacks,
                StackPlan(name=SHARING, layer="sharing", estimated_resources=10),
            )
            sharing = CloudSharing(consumed=consumed)
            cloud = cloud.model_copy(update={"stacks": stacks, "sharing": sharing})
        clouds.append(cloud)
    return plan.model_copy(update={"clouds": tuple(clouds)})


@pytest.fixture(scope="module")
def small() -> Plan:
    return load_plan(SMALL)


def config_for(plan: Plan, stack: str, **changes: str) -> dict[str, str]:
    cloud = next(c for c in plan.clouds if any(s.name == stack for s in c.stacks))
    planned = next(s for s in cloud.stacks if s.name == stack)
    layer = planned.layer
    key = "azure-native:location" if cloud.cloud == "azure" else "aws:region"
    config = {
        "forcelift:plan": MEMBER,
        "forcelift:cloud": cloud.cloud,
        "forcelift:layer": layer,
        "forcelift:organization": "organization",
        key: cloud.region,
    }
    if layer == "wave":
        config["forcelift:wave"] = str(planned.wave)
    config.update(changes)
    return config


def context(tmp_path: Path, plan: Plan, stack: str = SHARING) -> StackContext:
    """The program's context for `stack`, the plan written where a regional project has it."""
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / MEMBER).write_text(plan_to_yaml(plan), encoding="utf-8")
    settings = config_for(plan, stack)
    config = read_config(settings.get, stack)
    return context_from(config, stack, "forcelift-northern-region", base_dir=tmp_path)


def problems(exc: InputError) -> list[tuple[str, str, str]]:
    return [(p.location.file or "", p.location.column or "", p.message) for p in exc.problems]


def test_config_accepts_the_sharing_layer_without_a_wave(small: Plan) -> None:
    config = read_config(config_for(with_sharing(small, cps()), SHARING).get, SHARING)
    assert (config.layer, config.wave, config.plan_path) == ("sharing", None, MEMBER)
    with pytest.raises(InputError) as caught:
        read_config(
            config_for(small, "smallshire-azure-wave-1", **{"forcelift:layer": "shared"}).get,
            "smallshire-azure-wave-1",
        )
    [(file, column, message)] = problems(caught.value)
    assert (file, column) == ("Pulumi.smallshire-azure-wave-1.yaml", "forcelift:layer")
    assert message == "layer 'shared' is not landing-zone, wave or sharing"


def test_context_of_a_sharing_stack(tmp_path: Path, small: Plan) -> None:
    plan = with_sharing(small, cps(), roci(), roci(name="roci-2", source_name="roci-2"))
    ctx = context(tmp_path, plan)
    assert ctx.stack.layer == "sharing" and ctx.stack.wave is None
    assert ctx.plan_file == MEMBER
    assert [(i, c.name) for i, c in ctx.consumed()] == [
        (0, "cps-case-files"),
        (1, "roci"),
        (2, "roci-2"),
    ]
    assert ctx.source_stacks() == ["northshire-azure-wave-1"]  # one reference for both
    assert engineer_values(ctx.cloud, ctx.stack) == ()


def test_a_service_with_no_source_stops_with_the_plan_path(tmp_path: Path, small: Plan) -> None:
    plan = with_sharing(small, cps(), roci(source_stack="", source_name=""))
    with pytest.raises(InputError) as caught:
        context(tmp_path, plan)
    assert problems(caught.value) == [
        (
            MEMBER,
            "clouds[0].sharing.consumed[1].source_stack",
            "clouds[0].sharing.consumed[1].source_stack: 'roci' has neither a source stack "
            "(the host's wave stack) nor a partner endpoint",
        )
    ]


def test_bad_source_stacks_stop_with_the_plan_path(tmp_path: Path, small: Plan) -> None:
    plan = with_sharing(
        small,
        roci(name="own", source_stack="smallshire-azure-wave-9"),  # this force's: not planned
        roci(name="landing", source_stack="northshire-azure-landing-zone"),
        roci(name="nameless", source_name=""),
        roci(name="dns", dns_name="not a name"),
    )
    with pytest.raises(InputError) as caught:
        context(tmp_path, plan)
    found = problems(caught.value)
    assert {f for f, _, _ in found} == {MEMBER}
    assert [c for _, c, _ in found] == [
        "clouds[0].sharing.consumed[0].source_stack",
        "clouds[0].sharing.consumed[1].source_stack",
        "clouds[0].sharing.consumed[2].source_name",
        "clouds[0].sharing.consumed[3].dns_name",
    ]
    assert "'smallshire-azure-wave-9' is not a wave stack of the plan" in found[0][2]
    assert "'northshire-azure-landing-zone' is not a azure wave stack" in found[1][2]


def test_a_sharing_stack_with_nothing_to_reach(tmp_path: Path, small: Plan) -> None:
    with pytest.raises(InputError) as caught:
        context(tmp_path, with_sharing(small))
    [(_, column, message)] = problems(caught.value)
    assert column == "clouds[0].sharing.consumed"
    assert "no consumed service names the sharing stack smallshire-azure-sharing" in message


def test_build_stack_dispatches_by_layer(tmp_path: Path, small: Plan) -> None:
    calls: list[str] = []

    def layer(name: str) -> Layer[str]:
        return Layer(lambda ctx: f"{name}:{ctx.stack.name}", lambda ctx, spec: calls.append(spec))

    plan = with_sharing(small, cps())
    ctx = context(tmp_path, plan)
    build_stack(ctx, layer("lz"), layer("wave"), layer("sharing"))
    wave_ctx = context(tmp_path, plan, "smallshire-azure-wave-1")
    build_stack(wave_ctx, layer("lz"), layer("wave"))  # two layers still enough for a wave
    assert calls == ["sharing:smallshire-azure-sharing", "wave:smallshire-azure-wave-1"]
    with pytest.raises(InputError) as caught:
        build_stack(ctx, layer("lz"), layer("wave"))
    [(file, column, message)] = problems(caught.value)
    assert (file, column) == (MEMBER, "clouds[0].stacks[4].layer")
    assert "the azure program has no sharing layer yet" in message
    assert calls == ["sharing:smallshire-azure-sharing", "wave:smallshire-azure-wave-1"]


def test_the_sharing_stack_reads_its_landing_zone_and_the_hosts(
    tmp_path: Path, small: Plan, helpers: Any
) -> None:
    plan = with_sharing(small, cps(), roci())
    directory = helpers.write_project(tmp_path, plan)
    project = read_project(directory)
    assert dependencies(project, project.stack(SHARING)) == [
        "smallshire-azure-landing-zone",
        "smallshire-azure-wave-1",
        "smallshire-azure-wave-2",
        "smallshire-azure-wave-3",
        "northshire-azure-wave-1",
    ]
    assert dependencies(project, project.stack("smallshire-azure-landing-zone")) == []


def test_crossguard_recovers_the_sharing_layer_from_the_stack_name() -> None:
    urn = "urn:pulumi:bravo-aws-sharing::forcelift-region::aws:ec2/vpcEndpoint:VpcEndpoint::x"
    assert stack_config_from_urns([urn]) == {
        "forcelift:layer": "sharing",
        "forcelift:cloud": "aws",
    }
    wave = urn.replace("bravo-aws-sharing", "bravo-aws-wave-2-1")
    assert stack_config_from_urns([wave])["forcelift:layer"] == "wave"
