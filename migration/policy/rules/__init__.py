"""The guardrail registry: every rule, in a stable order, registered explicitly."""

from __future__ import annotations

from forcelift.migration.policy.model import Guardrail
from forcelift.migration.policy.rules import (
    encryption,
    governance,
    logging,
    network,
    regions,
    sharing,
)
from forcelift.migration.policy.rules import transport as transport

GUARDRAILS: tuple[Guardrail, ...] = (
    *regions.RULES,
    *encryption.RULES,
    *network.RULES,
    *transport.RULES,
    *logging.RULES,
    *governance.RULES,
    *sharing.RULES,
)

BY_ID: dict[str, Guardrail] = {rule.id: rule for rule in GUARDRAILS}
