"""The collaboration file: a good one read whole, and each kind of mistake with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forcelift.migration.errors import InputError
from forcelift.migration.inventory.collaboration import (
    Collaboration,
    CollaborationForce,
    check_applications,
    load_collaboration,
)
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.sharing import PartnerKind
from forcelift.migration.inventory.vocabulary import SecurityClassification
from forcelift.migration.plan.planfile import Plan

DATA = Path(__file__).parent / "data" / "collaboration"
GOOD = (DATA / "collaboration.yaml").read_text(encoding="utf-8")


def test_reads_a_good_collaboration_file() -> None:
    collab = load_collaboration(DATA / "collaboration.yaml")
    assert (collab.name, collab.slug, collab.aws_collaboration_ou) == (
        "Test Region Collaboration",
        "test-region",
        "ou-ab12-cdefgh34",
    )
    alpha, beta = collab.forces
    assert alpha.inventory == ("forces/alpha/inventory.yaml",)  # one path is a list of one
    assert alpha.aws_account == "111111111111"
    assert beta.aws_account == "222222222222"  # unquoted in the file: read as text
    assert collab.directory == DATA.resolve()
    assert collab.inventory_paths("beta") == (DATA.resolve() / "forces/beta/applications.csv",)
    assert collab.overrides_path("beta") == DATA.resolve() / "forces/beta/overrides.yaml"
    assert collab.overrides_path("alpha") is None
    (service,) = collab.shared_services
    # consumers as later stages join on them: a force slug, the partner's own name
    assert service.consumers == ("beta", "National Crime Agency")
    assert (service.protocol, service.port, service.api) == ("https", 443, True)
    assert service.classification is SecurityClassification.OFFICIAL_SENSITIVE
    assert collab.hosted_by("alpha") == (service,) and collab.consumed_by("beta") == (service,)
    assert collab.consumed_by("alpha") == ()
    assert "directory" not in collab.model_dump()


def test_known_partners_let_a_force_name_the_others() -> None:
    collab = load_collaboration(DATA / "collaboration.yaml")
    nca, beta = collab.known_partners("alpha")
    assert nca.name == "National Crime Agency"
    assert (beta.name, beta.kind, beta.aliases) == ("beta", PartnerKind.FORCE, ("Beta Police",))
    assert beta.azure_subscriptions == ("22222222-2222-2222-2222-222222222222",)
    assert beta.aws_accounts == ("222222222222",)
    inv = load_inventory(collab.inventory_paths("alpha"), partners=collab.known_partners("alpha"))
    assert [p.name for p in inv.inventory.partners] == ["National Crime Agency", "beta"]
    assert [f.partner for f in inv.inventory.sharing] == ["beta", "National Crime Agency"]


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(DATA, tmp_path / "c")
    path = tmp_path / "c" / "collaboration.yaml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message", "line", "column"),
    [
        ("slug: beta", "slug: alpha", "'alpha' is given twice", 11, "forces[1].slug"),
        ("slug: beta", "slug: Beta_2", "should match pattern", 11, "forces[1].slug"),
        ("name: Beta Police", "name: Alpha Police", "'Alpha Police' is given twice", 12, None),
        ("forces/beta/applications.csv", "forces/gamma", "'forces/gamma' not found", 13, None),
        ("forces/beta/overrides.yaml", "missing.yaml", "overrides file 'missing.yaml'", 14, None),
        ("host: alpha", "host: gamma", "host 'gamma' is not a force", 25, None),
        ("[beta, nca]", "[beta, HMRC]", "consumer 'HMRC' is neither", 27, None),
        ("[beta, nca]", "[alpha, nca]", "the host 'alpha' cannot consume", 27, None),
        ("[beta, nca]", "[]", "at least 1 item", 27, "shared_services[0].consumers"),
        ("aliases: [NCA]", "aliases: [NCA, Beta Police]", "is a force of this", 22, None),
        ("aws_account: 222222222222", "aws_account: 2222", "'2222' is not 12 digits", 16, None),
        (
            "22222222-2222-2222-2222-222222222222",
            "2222",
            "Azure subscription id 2222 is not a GUID",
            15,
            "forces[1].azure_subscription",
        ),
        ("ou-ab12-cdefgh34", "ou-AB", "AWS organizational unit id 'ou-AB'", 4, None),
        ("classification: OFFICIAL-SENSITIVE", "classification: SECRET", "out of scope", 29, None),
        ("api: true", "api: true\n    colour: blue", "Extra inputs are not permitted", 32, None),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(
    tmp_path: Path, old: str, new: str, message: str, line: int, column: str | None
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(InputError) as exc:
        load_collaboration(path)
    (problem,) = [p for p in exc.value.problems if message in p.message]
    assert (problem.location.file, problem.location.line) == (str(path), line)
    if column:
        assert problem.location.column == column


def test_duplicate_partner_names(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        "shared_services:",
        "  - {name: NCA, kind: agency}\nshared_services:",
    )
    with pytest.raises(InputError) as exc:
        load_collaboration(path)
    (problem,) = exc.value.problems
    assert problem.message == "'NCA' is given twice (also at partners[0].aliases)"
    assert problem.location.line == 23
    assert problem.location.column == "partners[1].name"


def test_several_mistakes_are_reported_together(tmp_path: Path) -> None:
    path = _broken(tmp_path, "host: alpha", "host: gamma")
    path.write_text(
        path.read_text().replace("forces/alpha/inventory.yaml", "nowhere.yaml"), encoding="utf-8"
    )
    with pytest.raises(InputError) as exc:
        load_collaboration(path)
    assert [p.location.line for p in exc.value.problems] == [25, 8]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("name: [unclosed\n", "not valid YAML", 2),
        ("- just\n- a list\n", "expected a mapping", 1),
        ("name: X\nslug: x-region\nforces: []\n", "at least 1 item", 3),
    ],
)
def test_not_a_collaboration_file(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "collaboration.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_collaboration(path)
    problem = exc.value.problems[0]
    assert message in problem.message
    assert (problem.location.file, problem.location.line) == (str(path), line)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_collaboration(tmp_path / "nope.yaml")
    assert "cannot read the collaboration file" in str(exc.value)


def test_the_model_checks_itself_when_built_in_code() -> None:
    force = CollaborationForce(slug="alpha", name="Alpha", inventory=("a.yaml",))
    with pytest.raises(ValueError, match="'alpha' is given twice"):
        Collaboration(name="X", slug="x-region", forces=(force, force))


def test_shared_applications_are_checked_against_the_hosts_inventory() -> None:
    collab = load_collaboration(DATA / "collaboration.yaml")
    assert check_applications(collab, {"alpha": ["rocu intelligence", "Custody"]}) == []
    (problem,) = check_applications(collab, {"alpha": ["Custody"], "beta": ["ROCU Intelligence"]})
    assert problem.message == (
        "shared service 'ROCU intelligence': application 'ROCU Intelligence' is not in "
        "alpha's inventory"
    )
    assert (problem.location.file, problem.location.line) == (
        str(DATA / "collaboration.yaml"),
        26,
    )


# --------------------------------------------------------------------------- the OU as RAM needs it
OU_ARN = "arn:aws:organizations::999988887777:ou/o-nr01abcdef/ou-ab12-cdefgh34"
ORG = "aws_organization: {management_account: '999988887777', id: o-nr01abcdef}\n"


def test_a_bare_ou_with_its_organisation_gives_the_arn(tmp_path: Path) -> None:
    path = _broken(tmp_path, "forces:\n", ORG + "forces:\n")
    collab = load_collaboration(path)
    assert collab.aws_collaboration_ou == "ou-ab12-cdefgh34"  # as written
    assert collab.aws_collaboration_ou_arn == OU_ARN
    assert collab.aws_organization is not None
    assert collab.aws_organization.management_account == "999988887777"


def test_an_ou_arn_is_taken_as_written(tmp_path: Path) -> None:
    collab = load_collaboration(_broken(tmp_path, "ou-ab12-cdefgh34", OU_ARN))
    assert collab.aws_collaboration_ou_arn == collab.aws_collaboration_ou == OU_ARN


def test_a_bare_ou_alone_has_no_arn() -> None:
    collab = load_collaboration(DATA / "collaboration.yaml")
    assert collab.aws_collaboration_ou == "ou-ab12-cdefgh34"
    assert collab.aws_collaboration_ou_arn == ""  # RAM then shares with the named accounts


@pytest.mark.parametrize(
    ("old", "new", "message", "line", "column"),
    [
        (  # the ARN of another organisation than the one the file names
            "forces:\n",
            ORG.replace("o-nr01abcdef", "o-other12345") + "forces:\n",
            "is not in the organisation o-other12345",
            4,
            "aws_collaboration_ou",
        ),
        ("forces:\n", ORG.replace("o-nr01abcdef", "org-1") + "forces:\n", "'org-1'", 5, None),
        ("forces:\n", ORG.replace("'999988887777'", "'9999'") + "forces:\n", "'9999'", 5, None),
        (  # an organisation-wide ARN is no OU
            "ou-ab12-cdefgh34",
            "arn:aws:organizations::999988887777:organization/o-nr01abcdef",
            "is malformed",
            4,
            "aws_collaboration_ou",
        ),
    ],
    ids=["other-organisation", "bad-organisation-id", "bad-management-account", "org-wide"],
)
def test_ou_mistakes_are_reported_with_their_line(
    tmp_path: Path, old: str, new: str, message: str, line: int, column: str | None
) -> None:
    path = _broken(tmp_path, old, new)
    if "other12345" in new:  # an OU ARN beside an organisation it is not in
        text = path.read_text(encoding="utf-8").replace("ou-ab12-cdefgh34", OU_ARN, 1)
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_collaboration(path)
    (problem,) = [p for p in exc.value.problems if message in p.message]
    assert (problem.location.file, problem.location.line) == (str(path), line)
    if column:
        assert problem.location.column == column


PLAN_DATA = Path(__file__).parents[1] / "plan" / "data" / "collaboration"


def _ram_plan(ou: str, organization: dict[str, str] | None) -> tuple[list[str], Plan]:
    import datetime as dt

    from forcelift.migration.pipeline import Inputs
    from forcelift.migration.plan.planfile import PlanOptions
    from forcelift.migration.regional_pipeline import make_regional_plan

    collab = load_collaboration(PLAN_DATA / "collaboration.yaml")
    collab = Collaboration.model_validate(
        {**collab.model_dump(), "aws_collaboration_ou": ou, "aws_organization": organization}
    ).model_copy(update={"directory": collab.directory})
    planned = make_regional_plan(
        collab, PlanOptions(clouds=("aws",)), Inputs(paths=(), as_of=dt.date(2026, 6, 1))
    )
    host = planned.plan.force("northshire")
    (share,) = host.cloud("aws").sharing.ram_shares
    return list(share.principals), host


def test_the_plan_shares_with_the_ou_arn() -> None:
    org = {"management_account": "999988887777", "id": "o-nr01abcdef"}
    principals, host = _ram_plan("ou-ab12-cdefgh34", org)
    assert principals == [OU_ARN]
    assert not any("bare id" in n for n in host.notes)
    assert _ram_plan(OU_ARN, None)[0] == [OU_ARN]


def test_a_bare_ou_alone_shares_with_the_named_accounts_and_says_so() -> None:
    principals, host = _ram_plan("ou-ab12-cdefgh34", None)
    assert principals == ["222222222222"]  # Southshire, the consuming force; never the org
    (note,) = [n for n in host.notes if "bare id" in n]
    assert "ou-ab12-cdefgh34" in note and "test-region-transit-gateway" in note
