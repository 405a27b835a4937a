"""A RAM share of the host force's transit gateway to a collaboration's OU or named accounts.

Forces in a regional collaboration attach their own spokes to the host's transit gateway to
reach shared services. The share never goes to the whole organization (every account of the
host's organization would see the TGW) and never outside it (allow_external_principals is off):
only the collaboration OU or the partner accounts the agreement names (NCSC principle 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from forcelift.components.aws.common import child
from forcelift.components.aws.tags import Tags

__all__ = ["CollaborationShare", "CollaborationShareArgs", "check_principal"]

ACCOUNT = re.compile(r"^\d{12}$")
OU_ARN = re.compile(
    r"^arn:aws:organizations::\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$"
)
ORG_WIDE = re.compile(r"^arn:aws:organizations::\d{12}:(organization|root)/|^(o|r)-[a-z0-9]+$")


def check_principal(principal: str) -> str:
    """An OU ARN or a 12-digit account id; never the organization, its root or a bare id."""
    if ORG_WIDE.match(principal):
        raise ValueError(
            f"RAM principal {principal!r} is the whole organization: share with the "
            "collaboration OU or the named accounts only"
        )
    if principal.startswith("ou-"):
        raise ValueError(
            f"RAM principal {principal!r} is an OU id: RAM needs the OU's ARN "
            "(arn:aws:organizations::<management account>:ou/<org id>/<ou id>)"
        )
    if not (ACCOUNT.match(principal) or OU_ARN.match(principal)):
        raise ValueError(f"RAM principal {principal!r} is neither an OU ARN nor an account id")
    return principal


@dataclass(frozen=True)
class CollaborationShareArgs:
    tags: Tags
    resource_arn: pulumi.Input[str]  # the transit gateway (or a shared-services subnet)
    principals: tuple[str, ...]  # OU ARNs or account ids, ≥ 1
    allow_external_principals: bool = False  # refused when True: kept so plans can say it

    def __post_init__(self) -> None:
        if not self.principals:
            raise ValueError("a RAM share needs principals (the collaboration OU or accounts)")
        if self.allow_external_principals:
            raise ValueError("a RAM share must not allow principals outside the organization")
        for principal in self.principals:
            check_principal(principal)
        if len(set(self.principals)) != len(self.principals):
            raise ValueError("RAM principals must not repeat")


class CollaborationShare(pulumi.ComponentResource):
    """ResourceShare (internal only) + the resource + one association per principal."""

    def __init__(
        self, name: str, args: CollaborationShareArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:CollaborationShare", name, None, opts)
        share = aws.ram.ResourceShare(
            f"{name}-share",
            name=name,
            allow_external_principals=False,
            tags=args.tags.as_dict(),
            opts=child(self),
        )
        aws.ram.ResourceAssociation(
            f"{name}-resource",
            resource_arn=args.resource_arn,
            resource_share_arn=share.arn,
            opts=child(self),
        )
        for index, principal in enumerate(sorted(args.principals)):
            aws.ram.PrincipalAssociation(
                f"{name}-principal-{index}",
                principal=principal,
                resource_share_arn=share.arn,
                opts=child(self),
            )
        self.share_arn = share.arn
        self.register_outputs({"shareArn": share.arn, "principals": sorted(args.principals)})
