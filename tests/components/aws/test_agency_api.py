"""AgencyPrivateApi: PRIVATE REST API, SourceVpce-only policy, AWS_IAM, stage access logs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.agency_api import (
    ACCESS_LOG_FORMAT,
    AgencyPrivateApi,
    AgencyPrivateApiArgs,
)
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:AgencyPrivateApi"
NLB = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/net/rocu/1"
LZ_KEY = "arn:aws:kms:eu-west-2:123456789012:key/lz"


def _args(tags: Tags, **more: Any) -> AgencyPrivateApiArgs:
    base: dict[str, Any] = {
        "tags": tags,
        "vpc_endpoint_ids": ("vpce-b", "vpce-a"),
        "backend_nlb_arn": NLB,
        "backend_uri": "https://rocu-nlb.internal:8443",
        "allowed_accounts": ("111111111111",),
        "log_retention_days": 400,
        "kms_key_arn": LZ_KEY,
    }
    return AgencyPrivateApiArgs(**{**base, **more})


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    def program() -> None:
        AgencyPrivateApi("rocu-api", _args(tags))
        AgencyPrivateApi("cps-api", _args(tags, kms_key_arn=None, allowed_accounts=()))

    return run_aws(program)


def named(run: MockRun, name: str) -> Any:
    return next(r for r in run.resources if r.name == name)


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_private_endpoint_only(run: MockRun) -> None:
    api = named(run, "rocu-api-api").inputs
    assert api["endpointConfiguration"] == {
        "types": "PRIVATE",
        "vpcEndpointIds": ["vpce-b", "vpce-a"],
    }


def test_policy_allows_only_the_named_endpoints_and_accounts(run: MockRun, helpers: Any) -> None:
    policy = helpers.policy_of(named(run, "rocu-api-policy"))
    allow, deny = policy["Statement"]
    assert allow["Effect"] == "Allow" and allow["Action"] == "execute-api:Invoke"
    assert allow["Condition"] == {"StringEquals": {"aws:SourceVpce": ["vpce-a", "vpce-b"]}}
    assert allow["Principal"] == {"AWS": ["arn:aws:iam::111111111111:root"]}
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
    assert deny["Condition"] == {"StringNotEquals": {"aws:SourceVpce": ["vpce-a", "vpce-b"]}}
    open_policy = helpers.policy_of(named(run, "cps-api-policy"))
    assert open_policy["Statement"][0]["Principal"] == "*"


def test_iam_authorisation_over_a_vpc_link(run: MockRun) -> None:
    method = named(run, "rocu-api-any").inputs
    assert (method["httpMethod"], method["authorization"]) == ("ANY", "AWS_IAM")
    integration = named(run, "rocu-api-backend").inputs
    assert (integration["type"], integration["connectionType"]) == ("HTTP_PROXY", "VPC_LINK")
    assert integration["uri"] == "https://rocu-nlb.internal:8443/{proxy}"
    assert named(run, "rocu-api-link").inputs["targetArn"] == NLB


def test_stage_access_logs_and_method_logging(run: MockRun) -> None:
    logs = named(run, "rocu-api-access-logs")
    assert (logs.inputs["kmsKeyId"], logs.inputs["retentionInDays"]) == (LZ_KEY, 400)
    stage = named(run, "rocu-api-stage")
    assert logs.urn in stage.dependencies
    settings = stage.inputs["accessLogSettings"]
    assert settings["format"] == ACCESS_LOG_FORMAT
    assert json.loads(settings["format"])["sourceVpce"] == "$context.identity.vpceId"
    method_settings = named(run, "rocu-api-logging").inputs
    assert method_settings["methodPath"] == "*/*"
    assert method_settings["settings"]["loggingLevel"] == "INFO"
    assert method_settings["settings"]["dataTraceEnabled"] is False


def test_own_key_without_the_landing_zone_key(run: MockRun) -> None:
    assert [r.name for r in run.of_type("aws:kms/key:Key")] == ["cps-api-key"]
    assert named(run, "cps-api-key").urn in named(run, "cps-api-access-logs").dependencies
    counts = {
        n: sum(1 for r in run.resources if r.custom and r.name.startswith(f"{n}-"))
        for n in ("rocu-api", "cps-api")
    }
    assert counts == {"rocu-api": 10, "cps-api": 12}  # + own key and alias


def test_refuses_an_api_without_endpoints(tags: Tags) -> None:
    with pytest.raises(ValueError, match="interface endpoints"):
        _args(tags, vpc_endpoint_ids=())
    with pytest.raises(ValueError, match="12-digit"):
        _args(tags, allowed_accounts=("abc",))
