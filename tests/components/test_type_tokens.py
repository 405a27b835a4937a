"""Type tokens are part of every resource's URN: a Python rename must never change them.

The Azure spoke's class became `SpokeNetwork` (as on AWS) but its token stays
`forcelift:azure:Spoke`; a changed token would make Pulumi replace deployed resources.
"""

from __future__ import annotations

import ast
from pathlib import Path

COMPONENTS = Path(__file__).resolve().parents[2] / "components"

TOKENS = {
    "aws.AgencyPrivateApi": "forcelift:aws:AgencyPrivateApi",
    "aws.ApiGatewayLogging": "forcelift:aws:ApiGatewayLogging",
    "aws.CollaborationShare": "forcelift:aws:CollaborationShare",
    "aws.FlowLogs": "forcelift:aws:FlowLogs",
    "aws.HubNetwork": "forcelift:aws:HubNetwork",
    "aws.IaasWorkload": "forcelift:aws:IaasWorkload",
    "aws.Organization": "forcelift:aws:Organization",
    "aws.PaasWorkload": "forcelift:aws:PaasWorkload",
    "aws.PartnerInterfaceEndpoint": "forcelift:aws:PartnerInterfaceEndpoint",
    "aws.SaasWorkload": "forcelift:aws:SaasWorkload",
    "aws.SecureBucket": "forcelift:aws:SecureBucket",
    "aws.SecurityBaseline": "forcelift:aws:SecurityBaseline",
    "aws.SharedEndpointService": "forcelift:aws:SharedEndpointService",
    "aws.SpokeNetwork": "forcelift:aws:SpokeNetwork",
    "aws.StaffAccessEndpoint": "forcelift:aws:StaffAccessEndpoint",
    "aws.WorkloadSecurityGroups": "forcelift:aws:WorkloadSecurityGroups",
    "azure.AgencyApiGateway": "forcelift:azure:AgencyApiGateway",
    "azure.HubNetwork": "forcelift:azure:HubNetwork",
    "azure.IaasWorkload": "forcelift:azure:IaasWorkload",
    "azure.Management": "forcelift:azure:Management",
    "azure.ManagementGroups": "forcelift:azure:ManagementGroups",
    "azure.PaasWorkload": "forcelift:azure:PaasWorkload",
    "azure.PartnerEndpoint": "forcelift:azure:PartnerEndpoint",
    "azure.SaasWorkload": "forcelift:azure:SaasWorkload",
    "azure.SharedService": "forcelift:azure:SharedService",
    "azure.SpokeNetwork": "forcelift:azure:Spoke",
    "azure.StaffAccessFrontDoor": "forcelift:azure:StaffAccessFrontDoor",
}


def _declared_tokens() -> dict[str, str]:
    """Class -> the token its constructor passes to ComponentResource.__init__."""
    found: dict[str, str] = {}
    for path in sorted(COMPONENTS.glob("*/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "__init__"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and str(call.args[0].value).startswith("forcelift:")
                ):
                    found[f"{path.parent.name}.{node.name}"] = str(call.args[0].value)
    return found


def test_every_component_keeps_its_type_token() -> None:
    assert _declared_tokens() == TOKENS
