"""Who may reach a shared service of a collaboration: the consumers' own ids, nothing wider.

The host side of a shared service allows exactly its consumers' Azure subscriptions or AWS
accounts, as the collaboration file gives them; a consumer the file names no id for is said
in the plan's notes (it cannot connect until added), never guessed or widened. Pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forcelift.migration.inventory.collaboration import Collaboration
    from forcelift.migration.inventory.sharing import Partner
    from forcelift.migration.plan.regional import SharedServicePlan


def partner_named(collaboration: Collaboration, name: str) -> Partner | None:
    """The collaboration's partner of that name (names are case-insensitive)."""
    return next((p for p in collaboration.partners if p.name.lower() == name.lower()), None)


def allow_lists(
    service: SharedServicePlan, collaboration: Collaboration
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The consumers' Azure subscriptions and AWS accounts: exactly these, nothing wider."""
    forces = {f.slug: f for f in collaboration.forces}
    subscriptions: set[str] = set()
    accounts: set[str] = set()
    for consumer in service.consumers:
        if consumer in forces:
            force = forces[consumer]
            subscriptions.update([force.azure_subscription] if force.azure_subscription else [])
            accounts.update([force.aws_account] if force.aws_account else [])
        elif (partner := partner_named(collaboration, consumer)) is not None:
            subscriptions.update(partner.azure_subscriptions)
            accounts.update(partner.aws_accounts)
    return tuple(sorted(subscriptions)), tuple(sorted(accounts))


def missing_ids(service: SharedServicePlan, collaboration: Collaboration, cloud: str) -> list[str]:
    """Consumers the allow list cannot name on this cloud: said, never guessed or widened."""
    forces = {f.slug: f for f in collaboration.forces}
    missing = []
    for consumer in service.consumers:
        known: bool
        if consumer in forces:
            force = forces[consumer]
            known = bool(force.azure_subscription if cloud == "azure" else force.aws_account)
        else:
            partner = partner_named(collaboration, consumer)
            ids = () if partner is None else partner.azure_subscriptions
            if partner is not None and cloud == "aws":
                ids = partner.aws_accounts
            known = bool(ids)
        if not known:
            what = "Azure subscription" if cloud == "azure" else "AWS account"
            missing.append(
                f"shared service {service.name!r}: the collaboration file gives no {what} for "
                f"{consumer}, so it is not on the {cloud} allow list and cannot connect until "
                "it is added"
            )
    return missing
