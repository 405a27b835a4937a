"""Zero-trust staff access: every decision path, hostnames, determinism, and the sample plan."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.migration.classify.model import Decision
from forcelift.migration.clouds import Cloud
from forcelift.migration.inventory.model import (
    Application,
    Dependency,
    Server,
    SoftwareProduct,
)
from forcelift.migration.inventory.vocabulary import DependencyKind, ExternalService
from forcelift.migration.plan.cost import Rates
from forcelift.migration.plan.planfile import CloudWorkload, PaasPlan
from forcelift.migration.plan.planio import load_plan
from forcelift.migration.plan.sharing_plan import NotFronted, StaffAccess
from forcelift.migration.plan.staff_access import dns_label, plan_staff_access, staff_hostname

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "plan"


def _workload(name: str, decision: str = "IAAS", web_app: bool = False) -> CloudWorkload:
    paas = (PaasPlan(kind="web_app", service="App Service", tier="P1v3"),) if web_app else ()
    return CloudWorkload(
        application=name,
        decision=Decision(decision),
        wave=1,
        stack="north-azure-wave-1",
        target="target",
        tags={},
        paas=paas,
        monthly_cost=Rates(),
    )


def _plan(
    cloud: Cloud,
    workloads: list[CloudWorkload],
    apps: list[Application],
    servers: dict[str, tuple[Server, ...]] | None = None,
    deps: tuple[Dependency, ...] = (),
) -> tuple[tuple[StaffAccess, ...], tuple[NotFronted, ...]]:
    return plan_staff_access(
        cloud, "north", workloads, {a.name: a for a in apps}, servers or {}, deps
    )


def _one(
    cloud: Cloud,
    app: Application,
    decision: str = "IAAS",
    web_app: bool = False,
    servers: tuple[Server, ...] = (),
    deps: tuple[Dependency, ...] = (),
) -> StaffAccess | NotFronted:
    fronted, not_fronted = _plan(
        cloud, [_workload(app.name, decision, web_app)], [app], {app.name: servers}, deps
    )
    assert len(fronted) + len(not_fronted) == 1
    return (fronted or not_fronted)[0]


def _https_into(name: str, port: int = 443) -> Dependency:
    return Dependency(source="Caller", target=name, protocol="tcp", port=port)


def test_paas_web_app_on_azure_uses_front_door_and_app_service_authentication() -> None:
    answer = _one(Cloud.AZURE, Application(name="Lost Property"), "PAAS", web_app=True)
    assert isinstance(answer, StaffAccess)
    assert answer.method == "front-door-private-origin"
    assert answer.identity == "Entra ID (App Service authentication)"
    assert answer.hostname == "lost-property.north.staff.police.uk"
    assert answer.stack == "north-azure-wave-1" and answer.port == 443 and not answer.public
    assert "platform web app" in answer.reason


def test_iaas_web_server_on_azure_uses_application_oidc() -> None:
    server = Server(name="web01", software=(SoftwareProduct(vendor="Apache", product="Tomcat 9"),))
    answer = _one(Cloud.AZURE, Application(name="Duty Rota"), servers=(server,))
    assert isinstance(answer, StaffAccess)
    assert answer.identity == "Entra ID (application OIDC)"
    assert "tomcat 9" in answer.reason


def test_aws_uses_verified_access_with_identity_and_device_trust() -> None:
    deps = (_https_into("Duty Rota", 8443),)
    answer = _one(Cloud.AWS, Application(name="Duty Rota"), deps=deps)
    assert isinstance(answer, StaffAccess)
    assert answer.method == "verified-access"
    assert answer.identity == "IAM Identity Center + device trust"
    assert answer.port == 8443
    assert "port 8443" in answer.reason


def test_best_web_port_wins() -> None:
    deps = (_https_into("Rota", 8080), _https_into("Rota", 443), _https_into("Rota", 5432))
    answer = _one(Cloud.AWS, Application(name="Rota"), deps=deps)
    assert isinstance(answer, StaffAccess) and answer.port == 443


def test_category_or_name_word_is_web_evidence() -> None:
    assert isinstance(_one(Cloud.AZURE, Application(name="HR", category="intranet")), StaffAccess)
    assert isinstance(_one(Cloud.AZURE, Application(name="Force Portal")), StaffAccess)


@pytest.mark.parametrize(
    ("app", "tags"),
    [
        (Application(name="Report It", description="Public-facing crime reporting"), {}),
        (Application(name="Recruitment", category="website"), {}),
        (Application(name="Appeals", category="portal"), {"exposure": "internet"}),
    ],
)
def test_public_facing(app: Application, tags: dict[str, str]) -> None:
    servers = (Server(name="s1", tags=tags),) if tags else ()
    answer = _one(Cloud.AZURE, app, "PAAS", web_app=True, servers=servers)
    assert isinstance(answer, StaffAccess) and answer.public
    assert "public-facing" in answer.reason


def test_public_protection_is_not_public_facing() -> None:
    app = Application(name="Public Protection Portal", description="MAPPA public protection")
    answer = _one(Cloud.AZURE, app, "PAAS", web_app=True)
    assert isinstance(answer, StaffAccess) and not answer.public


def test_saas_is_not_fronted_vendor_sso() -> None:
    answer = _one(Cloud.AZURE, Application(name="HR Portal"), "SAAS")
    assert isinstance(answer, NotFronted)
    assert answer.reason.startswith("SaaS:") and "Entra ID single sign-on" in answer.reason


def _external(source: str, service: ExternalService) -> Dependency:
    return Dependency(
        source=source, target=service.value, kind=DependencyKind.EXTERNAL, service=service
    )


def test_psn_or_pnc_needs_network_level_access() -> None:
    deps = (
        _https_into("Custody"),
        _external("Custody", ExternalService.PNC),
        _external("Custody", ExternalService.M365),
    )
    answer = _one(Cloud.AWS, Application(name="Custody"), deps=deps)
    assert isinstance(answer, NotFronted)
    assert answer.reason.startswith("needs PSN network-level access (PNC)")


def test_no_web_evidence_is_not_fronted() -> None:
    server = Server(name="db1", software=(SoftwareProduct(vendor="Apache", product="Kafka 3"),))
    deps = (_https_into("Broker", 9092),)
    answer = _one(Cloud.AZURE, Application(name="Broker"), servers=(server,), deps=deps)
    assert isinstance(answer, NotFronted)
    assert answer.reason.startswith("not a web application")


def test_hostname_labels_are_dns_safe_and_distinct() -> None:
    long_a = "A" * 70 + " one"
    long_b = "A" * 70 + " two"
    assert len(dns_label(long_a)) <= 63 and dns_label(long_a) != dns_label(long_b)
    assert staff_hostname("GIS (ArcGIS Enterprise)", "north") == (
        "gis-arcgis-enterprise.north.staff.police.uk"
    )
    apps = [Application(name="Case Portal"), Application(name="case-portal")]
    fronted, _ = _plan(Cloud.AZURE, [_workload(a.name) for a in apps], apps)
    hosts = [f.hostname for f in fronted]
    assert len(set(hosts)) == 2
    assert hosts[0] == "case-portal.north.staff.police.uk"
    assert all(len(h.split(".")[0]) <= 63 for h in hosts)


_NAMES = st.text(alphabet="abcdefgh XY-()", min_size=1, max_size=20).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        _NAMES,
        st.tuples(
            st.sampled_from(["SAAS", "PAAS", "IAAS"]),
            st.booleans(),  # PaaS web app
            st.sampled_from(["", "intranet", "finance", "public website"]),
            st.sampled_from([None, 443, 22, 8080]),
        ),
        max_size=12,
    ),
    st.sampled_from([Cloud.AZURE, Cloud.AWS]),
    st.randoms(use_true_random=False),
)
def test_every_moving_application_is_answered_exactly_once(
    spec: dict[str, tuple[str, bool, str, int | None]], cloud: Cloud, rnd: random.Random
) -> None:
    apps = [Application(name=n, category=c) for n, (_, _, c, _) in spec.items()]
    workloads = [_workload(n, d, w and d == "PAAS") for n, (d, w, _, _) in spec.items()]
    deps = tuple(_https_into(n, p) for n, (_, _, _, p) in spec.items() if p is not None)
    fronted, not_fronted = _plan(cloud, workloads, apps, deps=deps)
    answered = [f.application for f in fronted] + [n.application for n in not_fronted]
    assert sorted(answered) == sorted(spec)
    assert [f.application for f in fronted] == sorted(f.application for f in fronted)
    rnd.shuffle(workloads)
    assert _plan(cloud, workloads, apps, deps=deps) == (fronted, not_fronted)


@pytest.mark.parametrize("cloud", ["azure", "aws"])
def test_sample_plan_answers_every_moving_application(cloud: str) -> None:
    plan = load_plan(GOLDEN / f"exampleshire-{cloud}.yaml")
    sharing = plan.cloud(cloud).sharing
    fronted = {s.application for s in sharing.staff_access}
    not_fronted = {n.application for n in sharing.not_fronted}
    moving = {w.application for w in plan.cloud(cloud).workloads}
    stays = {w.application for w in plan.workloads if w.decision in ("RETAIN", "RETIRE")}
    assert fronted | not_fronted == moving and not fronted & not_fronted
    assert not (fronted | not_fronted) & stays
    assert "Force Intranet" in fronted and "Custody" in not_fronted
    assert len(fronted) == len(sharing.staff_access)
