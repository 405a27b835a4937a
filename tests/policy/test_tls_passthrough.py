"""FL-TLS-001 and an endpoint service in front of a web app: the NLB may only pass TCP to an
ALB target (AWS's rule), and the TLS is the ALB's; TCP to instances is still a finding."""

from __future__ import annotations

from forcelift.migration.policy.graph import ResourceGraph
from forcelift.migration.policy.model import Resource
from forcelift.migration.policy.rules.transport import RULES

TG = "aws:lb/targetGroup:TargetGroup"
LISTENER = "aws:lb/listener:Listener"


def _findings(target_type: str, protocol: str = "TCP") -> list[str]:
    group = Resource("urn:tg", TG, "tg", {"targetType": target_type, "protocol": "TCP"})
    listener = Resource(
        "urn:listener", LISTENER, "listener", {"protocol": protocol}, dependencies=("urn:tg",)
    )
    graph = ResourceGraph([group, listener], {}, "s")
    rule = next(r for r in RULES if r.id == "FL-TLS-001")
    assert rule.check_graph is not None
    return [v.message for v in rule.check_graph(graph)]


def test_tcp_passed_to_an_alb_is_not_a_finding() -> None:
    assert _findings("alb") == []


def test_tcp_to_instances_is_a_finding() -> None:
    assert _findings("instance") == ["listener protocol is 'TCP', not HTTPS/TLS"]
    assert _findings("ip") == ["listener protocol is 'TCP', not HTTPS/TLS"]


def test_plain_http_to_an_alb_is_still_a_finding() -> None:
    assert _findings("alb", "HTTP") == ["listener protocol is 'HTTP', not HTTPS/TLS"]
