"""Partners and sharing flows: native YAML and CSV, errors with their place, dependencies that
become partner references, several sources merged, and the YAML round trip."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcelift.migration.errors import InputError, Location
from forcelift.migration.inventory.load import load_inventory
from forcelift.migration.inventory.model import (
    Application,
    DependencyKind,
    ExternalService,
    Inventory,
    SecurityClassification,
)
from forcelift.migration.inventory.sharing import (
    FlowDirection,
    Partner,
    PartnerKind,
    SharingFlow,
    find_partner,
    partner_lookup,
)
from forcelift.migration.inventory.writer import inventory_to_yaml

DATA = Path(__file__).parent / "data" / "sharing"
GUID = "5911006e-eff0-53b7-9587-dc5840dbbba6"


def _errors(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[str, Location]]:
    return [(p.message, p.location) for p in exc.value.problems]


def test_native_yaml_partners_and_flows() -> None:
    inv = load_inventory([DATA / "inventory.yaml"]).inventory
    nca, cps = inv.partners
    assert (nca.name, nca.kind, nca.cloud) == (
        "National Crime Agency",
        PartnerKind.NATIONAL_BODY,
        "aws",
    )
    assert nca.aws_accounts == ("012345678901", "123456789012")  # the unquoted one kept as text
    assert nca.aws_organization_unit == "ou-ab12-cdefgh34"
    assert (cps.kind, cps.cloud) == (PartnerKind.AGENCY, "azure")
    assert cps.azure_tenant == "4530a274-021d-584e-ab7b-e6a1623f2c5c"  # canonical lower case
    assert cps.azure_subscriptions == (GUID,)
    assert cps.endpoint == "cps-casework.uksouth.azure.privatelinkservice"
    custody, case_files, intel = inv.sharing
    # names as recorded: the application's own spelling, the partner's name (not the alias)
    assert (custody.application, custody.partner) == ("Custody", "National Crime Agency")
    assert custody.classification is SecurityClassification.OFFICIAL_SENSITIVE
    assert (custody.direction, custody.protocol, custody.port) == (
        FlowDirection.OUTBOUND,
        "https",
        None,
    )
    assert custody.agreement == "DSA-001"
    assert case_files.partner == "Crown Prosecution Service (CPS)"
    assert (case_files.direction, case_files.protocol, case_files.port) == (
        FlowDirection.BOTH,
        "sftp",
        22,
    )
    assert case_files.agreement == ""  # never invented: a guardrail finding later
    assert (intel.direction, intel.api) == (FlowDirection.INBOUND, True)


def test_external_dependencies_become_partner_references() -> None:
    deps = {d.source: d for d in load_inventory([DATA / "inventory.yaml"]).inventory.dependencies}
    assert deps["Custody"].partner == "National Crime Agency"  # by initials
    assert deps["Custody"].kind is DependencyKind.EXTERNAL
    # an "application" dependency on a partner is external, not a dangling reference
    cps = deps["Case Files"]
    assert (cps.kind, cps.service, cps.partner) == (
        DependencyKind.EXTERNAL,
        ExternalService.PARTNER,
        "Crown Prosecution Service (CPS)",
    )
    pnc = deps["Intelligence"]
    assert (pnc.service, pnc.partner) == (ExternalService.PNC, "")


def test_native_csv_partners_and_sharing() -> None:
    paths = [DATA / n for n in ("applications.csv", "partners.csv", "sharing.csv")]
    inv = load_inventory(paths).inventory
    nca, cps = inv.partners
    assert nca.aws_accounts == ("012345678901", "123456789012")  # a `|` list cell
    assert nca.aliases == ("NCA",) and nca.description == "Serious and organised crime"
    assert cps.azure_subscriptions == (GUID, "0a071506-8848-5ad5-945d-3a7476977e35")  # `;`
    assert cps.aliases == ("CPS", "CPS Direct")
    custody, case_files = inv.sharing
    assert (custody.partner, custody.api, custody.protocol) == (
        "National Crime Agency",
        True,
        "https",
    )
    assert custody.classification is SecurityClassification.OFFICIAL_SENSITIVE
    assert (case_files.partner, case_files.api, case_files.port, case_files.direction) == (
        "Crown Prosecution Service",
        False,
        22,
        FlowDirection.BOTH,
    )


YAML_HEAD = "applications:\n  - name: Custody\npartners:\n"  # partners' items start on line 4


@pytest.mark.parametrize(
    ("partner", "line", "column", "message"),
    [
        (
            "  - name: A\n    kind: agency\n    azure_subscriptions: [abc]\n",
            6,
            "azure_subscriptions",
            "Azure subscription id 'abc' is not a GUID",
        ),
        (
            "  - name: A\n    kind: agency\n    aws_accounts:\n      - '123456789012'\n"
            "      - '12345'\n",
            8,
            "aws_accounts",
            "AWS account id '12345' is not 12 digits",
        ),
        (
            "  - name: A\n    kind: agency\n    aws_organization_unit: ou-x\n",
            6,
            "aws_organization_unit",
            "AWS organizational unit id 'ou-x' is malformed",
        ),
        (
            "  - name: A\n    kind: agency\n    azure_tenant: not-a-guid\n",
            6,
            "azure_tenant",
            "Azure tenant id 'not-a-guid' is not a GUID",
        ),
        ("  - name: A\n    kind: council\n", 5, "kind", "Input should be 'force'"),
        ("  - name: A\n    kind: agency\n    cloud: gcp\n", 6, "cloud", "Input should be"),
        ("  - name: A\n    kind: agency\n    colour: red\n", 6, "colour", "Extra inputs"),
    ],
)
def test_malformed_partner_fields_name_file_and_line(
    write, partner: str, line: int, column: str, message: str
) -> None:
    path = write("inv.yaml", YAML_HEAD + partner)
    with pytest.raises(InputError) as exc:
        load_inventory([path])
    ((text, where),) = _errors(exc)
    assert message in text
    assert (where.file, where.line, where.column) == (str(path), line, column)


@pytest.mark.parametrize(
    ("flow", "message", "line"),
    [
        ("    classification: SECRET\n", "out of scope", 8),
        ("    port: 70000\n", "less than or equal to 65535", 8),
        ("    direction: sideways\n", "Input should be 'outbound'", 8),
    ],
)
def test_malformed_flow_fields_name_file_and_line(
    write, flow: str, message: str, line: int
) -> None:
    text = YAML_HEAD + "  - {name: A, kind: agency}\nsharing:\n  - application: Custody\n"
    path = write("inv.yaml", text + "    partner: A\n" + flow)
    with pytest.raises(InputError) as exc:
        load_inventory([path])
    ((found, where),) = _errors(exc)
    assert message in found and where.line == line


def test_flows_to_unknown_applications_and_partners(write) -> None:
    path = write(
        "inv.yaml",
        YAML_HEAD
        + "  - {name: National Crime Agency, kind: national-body}\n"  # 4
        + "sharing:\n"
        + "  - {application: Custody, partner: NCA}\n"  # 6: fine
        + "  - {application: Custodee, partner: NCA}\n"  # 7
        + "  - {application: Custody, partner: HMRC}\n",  # 8
    )
    with pytest.raises(InputError) as exc:
        load_inventory([path])
    assert sorted((m, w.line, w.column) for m, w in _errors(exc)) == [
        ("sharing flow from unknown application 'Custodee'", 7, "application"),
        ("sharing flow to unknown partner 'HMRC'", 8, "partner"),
    ]
    assert all(p.code == "dangling" and p.hint for p in exc.value.problems)


def test_duplicate_partners_in_one_source(write) -> None:
    path = write(
        "inv.yaml",
        YAML_HEAD
        + "  - {name: National Crime Agency, kind: national-body, aliases: [NCA]}\n"  # 4
        + "  - {name: national crime agency, kind: agency}\n"  # 5: the same name
        + "  - {name: NCA, kind: agency}\n",  # 6: another's alias
    )
    with pytest.raises(InputError) as exc:
        load_inventory([path])
    (dup, alias) = exc.value.problems
    assert dup.message.startswith("duplicate partner 'national crime agency' (also at ")
    assert (dup.location.line, dup.code) == (5, "duplicate")
    assert "'nca' names both 'National Crime Agency'" in alias.message
    assert alias.location.line == 6


def test_csv_errors_name_row_and_column(write) -> None:
    partners = write(
        "partners.csv",
        "Partner,Kind,AWS Accounts,OU\n"
        "National Crime Agency,national-body,123456789012 | 1234,ou-ab12-cdefgh34\n"
        "CPS,agency,,ou-bad\n",
    )
    apps = write("applications.csv", "Application,Owner\nCustody,Head of Custody\n")
    sharing = write("sharing.csv", "Application,Partner,Agreement\nCustody,HMRC,DSA-1\n")
    with pytest.raises(InputError) as exc:
        load_inventory([apps, partners])
    assert [(m, w.file, w.row, w.column) for m, w in _errors(exc)] == [
        (
            "aws_accounts[1]: AWS account id '1234' is not 12 digits",
            str(partners),
            2,
            "AWS Accounts",
        ),
        (
            "aws_organization_unit: AWS organizational unit id 'ou-bad' is malformed "
            "(expected ou-xxxx-xxxxxxxx or its ARN, "
            "arn:aws:organizations::<account>:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)",
            str(partners),
            3,
            "OU",
        ),
    ]
    with pytest.raises(InputError) as exc:
        load_inventory([apps, sharing])
    ((message, where),) = _errors(exc)
    assert message == "sharing flow to unknown partner 'HMRC'"
    assert (where.file, where.row, where.column) == (str(sharing), 2, "partner")


def test_sources_merge_partners_by_name_or_alias(write) -> None:
    yaml_path = write(
        "inv.yaml",
        "applications:\n  - name: Custody\npartners:\n"
        "  - name: NCA\n    kind: national-body\n    cloud: azure\n"
        "    aws_accounts: ['111111111111']\n"
        "sharing:\n  - {application: Custody, partner: NCA, data: records, agreement: A-1}\n",
    )
    csv_path = write(
        "partners.csv",
        "Partner,Kind,Cloud,AWS Accounts,Aliases\n"
        "National Crime Agency,national-body,aws,222222222222 | 111111111111,NCA\n",
    )
    sharing = write(
        "sharing.csv",
        "Application,Partner,Data,Agreement,Protocol\n"
        "Custody,National Crime Agency,records,A-2,sftp\n",
    )
    result = load_inventory([yaml_path, csv_path, sharing])
    (nca,) = result.inventory.partners
    assert nca.name == "NCA"  # the first source's name
    assert nca.aliases == ("National Crime Agency",)
    assert nca.aws_accounts == ("111111111111", "222222222222")
    assert nca.cloud == "azure"
    # both sources describe one flow: it is merged, its disagreements reported
    (flow,) = result.inventory.sharing
    assert (flow.agreement, flow.protocol, flow.partner) == ("A-1", "https", "NCA")
    conflicts = sorted(w.message for w in result.warnings if w.code == "conflict")
    assert conflicts == [
        f"partner 'National Crime Agency': cloud is azure in {yaml_path}, line 4 but aws here; "
        "keeping azure",
        f"sharing flow 'Custody' -> 'National Crime Agency': agreement is A-1 in {yaml_path}, "
        "line 9 but A-2 here; keeping A-1",
        f"sharing flow 'Custody' -> 'National Crime Agency': protocol is https in {yaml_path}, "
        "line 9 but sftp here; keeping https",
    ]


def test_known_partners_from_a_collaboration(write) -> None:
    path = write(
        "inv.yaml",
        "applications:\n  - name: Custody\npartners:\n"
        "  - {name: Beta Police, kind: force, description: neighbours}\n"
        "sharing:\n  - {application: Custody, partner: Beta Police}\n"
        "  - {application: Custody, partner: NCA}\n",
    )
    known = (
        Partner(name="National Crime Agency", kind=PartnerKind.NATIONAL_BODY, aliases=("NCA",)),
        Partner(
            name="beta", kind=PartnerKind.FORCE, aliases=("Beta Police",), aws_accounts=("2" * 12,)
        ),
    )
    inv = load_inventory([path], partners=known).inventory
    assert [(p.name, p.aws_accounts, p.description) for p in inv.partners] == [
        ("National Crime Agency", (), ""),
        ("beta", ("222222222222",), "neighbours"),
    ]
    assert [f.partner for f in inv.sharing] == ["beta", "National Crime Agency"]


def test_partner_names_and_aliases() -> None:
    cps = Partner(
        name="Crown Prosecution Service (CPS)", kind=PartnerKind.AGENCY, aliases=("CPS Direct",)
    )
    nca = Partner.model_validate({"name": "National Crime Agency", "kind": "national_body"})
    index = partner_lookup([cps, nca])
    for text, expected in [
        ("cps", cps),
        ("Crown Prosecution Service", cps),
        ("CPS-Direct", cps),
        ("NCA - National Crime Agency", nca),
        ("national crime agency", nca),
        ("HMRC", None),
    ]:
        assert find_partner(index, text) is expected, text
    assert nca.kind is PartnerKind.NATIONAL_BODY


def test_inventory_show_counts_partners_and_flows(cli_run) -> None:
    result = cli_run("inventory", "show", str(DATA / "inventory.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["partners"] == {"count": 2, "kind": {"agency": 1, "national-body": 1}}
    assert data["sharing"]["count"] == 3
    assert data["sharing"]["without_agreement"] == 1
    assert data["sharing"]["partner"] == {
        "National Crime Agency": 2,
        "Crown Prosecution Service (CPS)": 1,
    }
    table = cli_run("inventory", "show", str(DATA / "inventory.yaml"))
    assert table.exit_code == 0 and "Sharing flows" in table.output


# -- round trip ------------------------------------------------------------------------------

_name = st.from_regex(r"[A-Z][A-Za-z0-9&' ]{0,24}[a-z0-9]", fullmatch=True)
_text = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30)
_guid = st.uuids().map(str)
_account = st.from_regex(r"[0-9]{12}", fullmatch=True)
_ou = st.from_regex(r"ou-[a-z0-9]{4,8}-[a-z0-9]{8,12}", fullmatch=True)

partners = st.builds(
    Partner,
    name=_name,
    kind=st.sampled_from(PartnerKind),
    cloud=st.sampled_from(["azure", "aws", ""]),
    azure_tenant=st.one_of(st.just(""), _guid),
    azure_subscriptions=st.lists(_guid, max_size=3).map(tuple),
    aws_accounts=st.lists(_account, max_size=3).map(tuple),
    aws_organization_unit=st.one_of(st.just(""), _ou),
    endpoint=_text,
    description=_text,
)


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    partner = draw(partners)
    app = draw(_name)
    flows = draw(
        st.lists(
            st.builds(
                SharingFlow,
                application=st.just(app),
                partner=st.just(partner.name),
                data=_text,
                direction=st.sampled_from(FlowDirection),
                classification=st.sampled_from(SecurityClassification),
                protocol=st.sampled_from(["https", "sftp", "smtp", "api", "tcp"]),
                api=st.booleans(),
                port=st.one_of(st.none(), st.integers(0, 65535)),
                agreement=_text,
                description=_text,
            ),
            max_size=3,
            unique_by=lambda f: (f.data.casefold(), f.direction),
        )
    )
    return Inventory(
        applications=(Application(name=app),), partners=(partner,), sharing=tuple(flows)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_any_valid_partner_and_flow_reads_back_equal(inventory: Inventory) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inventory.yaml"
        path.write_text(inventory_to_yaml(inventory), encoding="utf-8")
        read = load_inventory([path]).inventory
    assert read.partners == inventory.partners
    assert read.sharing == inventory.sharing


def test_the_documented_examples_load(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "formats-native.md").read_text()
    csv_part = page.split("### sharing.csv", 1)[1].split("## Writing native CSV", 1)[0]
    blocks = [b.split("```", 1)[0] for b in csv_part.split("```csv\n")[1:]]
    names = ("partners.csv", "sharing.csv", "servers.csv", "cmdb.csv", "dependencies.csv")
    for name, block in zip(names, blocks, strict=True):
        (tmp_path / name).write_text(block, encoding="utf-8")
    inv = load_inventory([tmp_path / n for n in names]).inventory
    assert [p.name for p in inv.partners] == [
        "National Crime Agency",
        "HM Prison and Probation Service",
    ]
    assert [(f.application, f.partner, f.direction) for f in inv.sharing] == [
        ("Custody", "National Crime Agency", FlowDirection.OUTBOUND),
        ("Niche RMS", "HM Prison and Probation Service", FlowDirection.INBOUND),
    ]
    yaml_part = page.split("### Partners and sharing flows", 1)[1].split("```yaml\n", 1)[1]
    (tmp_path / "sharing.yaml").write_text(
        "applications:\n- name: Custody\n" + yaml_part.split("```", 1)[0], encoding="utf-8"
    )
    inv = load_inventory([tmp_path / "sharing.yaml"]).inventory
    assert [p.name for p in inv.partners] == [
        "National Crime Agency",
        "HM Prison and Probation Service",
    ]
    (flow,) = inv.sharing
    assert (flow.partner, flow.api, flow.agreement) == (
        "National Crime Agency",
        True,
        "DSA-EXS-NCA-2024-001",
    )


def test_a_written_dependency_partner_must_exist(write) -> None:
    path = write(
        "inv.yaml",
        "applications:\n  - name: Custody\npartners:\n  - {name: NCA, kind: national-body}\n"
        "dependencies:\n"
        "  - {source: Custody, target: Intel feed, kind: external, partner: nca}\n"  # 6
        "  - {source: Custody, target: Tax data, kind: external, partner: HMRC}\n",  # 7
    )
    with pytest.raises(InputError) as exc:
        load_inventory([path])
    ((message, where),) = _errors(exc)
    assert (message, where.line, where.column) == (
        "dependency on unknown partner 'HMRC'",
        7,
        "partner",
    )
    fixed = write("ok.yaml", path.read_text().replace(", partner: HMRC", ""))
    (intel, tax) = load_inventory([fixed]).inventory.dependencies
    assert (intel.partner, tax.partner) == ("NCA", "")


def test_a_partner_ou_may_be_its_arn() -> None:
    arn = "arn:aws:organizations::999988887777:ou/o-nr01abcdef/ou-ab12-cdefgh34"
    partner = Partner(name="NCA", kind=PartnerKind.NATIONAL_BODY, aws_organization_unit=arn)
    assert partner.aws_ou_arn == partner.aws_organization_unit == arn
    bare = Partner(
        name="NCA", kind=PartnerKind.NATIONAL_BODY, aws_organization_unit="ou-ab12-cdefgh34"
    )
    assert bare.aws_ou_arn == ""  # RAM cannot name a bare id: the accounts are shared with
    for wrong in ("arn:aws:organizations::999988887777:root/o-nr01abcdef/r-ab12", "o-nr01abcdef"):
        with pytest.raises(ValueError, match="is malformed"):
            Partner(name="NCA", kind=PartnerKind.NATIONAL_BODY, aws_organization_unit=wrong)
