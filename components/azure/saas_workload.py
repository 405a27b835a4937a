"""A workload that moves to a SaaS product: nothing to run, but something to record.

The integration (service, FQDNs, data classification, tags) is registered as component
outputs so the stack exports it and architects can see where data goes. The egress rule that
lets servers reach the service lives in the hub firewall policy; `egress()` gives the entry
the stack program passes to `HubNetworkArgs.egress_allow_list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from forcelift.components.azure.common import EgressDestination
from forcelift.components.azure.tags import DataClassification, Tags


@dataclass(frozen=True)
class SaasWorkloadArgs:
    application: str
    service: str
    fqdns: tuple[str, ...]
    data_classification: DataClassification
    tags: Tags
    port: int = 443

    def __post_init__(self) -> None:
        if not self.fqdns:
            raise ValueError(f"{self.application}: a SaaS integration needs its FQDNs")

    def egress(self) -> EgressDestination:
        return EgressDestination(name=self.application, fqdns=self.fqdns, port=self.port)


class SaasWorkload(pulumi.ComponentResource):
    integration: dict[str, Any]

    def __init__(
        self, name: str, args: SaasWorkloadArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:azure:SaasWorkload", name, None, opts)
        self.integration = {
            "application": args.application,
            "service": args.service,
            "fqdns": sorted(args.fqdns),
            "port": args.port,
            "data_classification": str(args.data_classification),
            "egress": "hub firewall application rule (HTTPS, FQDN allow-list)",
            "tags": args.tags.as_dict(),
        }
        self.register_outputs({"integration": self.integration})
