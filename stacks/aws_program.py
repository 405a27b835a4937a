"""plan.yaml -> AWS components (pulumi-aws), for one stack.

As for Azure: `*_spec` builds every component's args from the plan first (pure; run-time
values are placeholders), `declare_*` creates the components. Landing zone
(aws_landing_zone.py): Organization + SecurityBaseline + HubNetwork. Wave (aws_wave.py):
SpokeNetwork and the stack's security groups + IaasWorkload / PaasWorkload / SaasWorkload per
workload (aws_workloads.py), then the stack's hosted services and staff access. Sharing
(aws_sharing.py): the interface endpoints of the services the force consumes.
"""

from __future__ import annotations

from forcelift.stacks.aws_landing_zone import declare_landing_zone, landing_zone_spec
from forcelift.stacks.aws_sharing import declare_sharing, sharing_spec
from forcelift.stacks.aws_wave import declare_wave, wave_spec
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import Layer, build_stack

LANDING_ZONE = Layer(landing_zone_spec, declare_landing_zone)
WAVE = Layer(wave_spec, declare_wave)
SHARING = Layer(sharing_spec, declare_sharing)


def build(ctx: StackContext) -> None:
    """Declare this stack's components; every check runs before the first declaration."""
    build_stack(ctx, LANDING_ZONE, WAVE, SHARING)
