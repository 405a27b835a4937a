"""A workload that moves to a supplier's SaaS: nothing to run, but it must be on the record.

Government Cloud First: SaaS is considered first. The landing zone still needs to know the
integration (which service, which FQDNs staff and systems reach, at what classification) so
egress rules, DNS and data-protection records can be built from the stack outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi

from forcelift.components.aws.tags import Tags

_FQDN = re.compile(r"^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE")


@dataclass(frozen=True)
class SaasWorkloadArgs:
    tags: Tags
    service_name: str
    fqdns: tuple[str, ...]
    data_classification: str = "OFFICIAL"
    supplier: str = ""

    def __post_init__(self) -> None:
        if not self.service_name.strip():
            raise ValueError("service_name must not be empty")
        if self.data_classification not in CLASSIFICATIONS:
            raise ValueError(
                f"data classification {self.data_classification!r} is out of scope "
                f"(expected one of {', '.join(CLASSIFICATIONS)})"
            )
        for fqdn in self.fqdns:
            if not _FQDN.match(fqdn.lower()):
                raise ValueError(f"{self.service_name}: {fqdn!r} is not a domain name")


class SaasWorkload(pulumi.ComponentResource):
    """No child resources: the integration is recorded in the stack outputs."""

    def __init__(
        self, name: str, args: SaasWorkloadArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("forcelift:aws:SaasWorkload", name, None, opts)
        self.integration: dict[str, object] = {
            "service": args.service_name,
            "supplier": args.supplier,
            "fqdns": sorted({f.lower() for f in args.fqdns}),
            "data_classification": args.data_classification,
            "tags": args.tags.as_dict(),
        }
        self.register_outputs({"integration": self.integration})
