"""plan.yaml -> Azure components (pulumi-azure-native), for one stack.

Two steps, so a bad plan stops before anything is declared: `*_spec` builds every component's
args from the plan (pure; values only known at run time, such as the hub's ids, are
placeholders), then `declare_*` creates the components and swaps the placeholders for
outputs. Landing zone (azure_landing_zone.py): ManagementGroups + HubNetwork + Management.
Wave (azure_wave.py): the SpokeNetwork (subnets and flows: azure_subnets.py) + one
Iaas/Paas/SaasWorkload per workload (azure_workloads.py), and the host side of shared
services and staff access (azure_sharing.py). Sharing (azure_sharing.py): a PartnerEndpoint
per service the force consumes.
"""

from __future__ import annotations

from forcelift.stacks.azure_landing_zone import declare_landing_zone, landing_zone_spec
from forcelift.stacks.azure_sharing import declare_sharing, sharing_spec
from forcelift.stacks.azure_wave import declare_wave, wave_spec
from forcelift.stacks.context import StackContext
from forcelift.stacks.specs import Layer, build_stack

LANDING_ZONE = Layer(landing_zone_spec, declare_landing_zone)
WAVE = Layer(wave_spec, declare_wave)
SHARING = Layer(sharing_spec, declare_sharing)


def build(ctx: StackContext) -> None:
    """Declare this stack's components; every check runs before the first declaration."""
    build_stack(ctx, LANDING_ZONE, WAVE, SHARING)
