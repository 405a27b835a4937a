"""CollaborationShare: a RAM share of the TGW to an OU or accounts, never org-wide or external."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forcelift.components.aws.ram_share import CollaborationShare, CollaborationShareArgs
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:CollaborationShare"
OU = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-abcd-12345678"
TGW = "arn:aws:ec2:eu-west-2:123456789012:transit-gateway/tgw-1"


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    args = CollaborationShareArgs(tags=tags, resource_arn=TGW, principals=(OU, "444444444444"))
    return run_aws(lambda: CollaborationShare("northern-region", args))


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_share_is_internal_and_names_the_tgw_and_principals(run: MockRun) -> None:
    (share,) = run.of_type("aws:ram/resourceShare:ResourceShare")
    assert share.inputs["allowExternalPrincipals"] is False
    assert share.inputs["name"] == "northern-region"
    (resource,) = run.of_type("aws:ram/resourceAssociation:ResourceAssociation")
    assert resource.inputs["resourceArn"] == TGW
    principals = run.of_type("aws:ram/principalAssociation:PrincipalAssociation")
    assert sorted(p.inputs["principal"] for p in principals) == ["444444444444", OU]
    assert all(share.urn in p.dependencies for p in principals)
    assert len([r for r in run.resources if r.custom]) == 4


@pytest.mark.parametrize(
    ("principals", "message"),
    [
        ((), "needs principals"),
        (("arn:aws:organizations::123456789012:organization/o-abcdefghij",), "whole organization"),
        (("r-ab12",), "whole organization"),
        (("o-abcdefghij",), "whole organization"),
        (("ou-abcd-12345678",), "OU's ARN"),
        (("12345",), "neither"),
        (("444444444444", "444444444444"), "repeat"),
    ],
)
def test_refuses_org_wide_empty_or_malformed_principals(
    tags: Tags, principals: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CollaborationShareArgs(tags=tags, resource_arn=TGW, principals=principals)


def test_refuses_external_principals(tags: Tags) -> None:
    with pytest.raises(ValueError, match="outside the organization"):
        CollaborationShareArgs(
            tags=tags, resource_arn=TGW, principals=(OU,), allow_external_principals=True
        )
