"""The product catalogue: size, validity, honesty about SaaS, user extension, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcelift.migration.classify.catalogue import (
    Availability,
    Kind,
    builtin_catalogue,
    load_catalogue,
)
from forcelift.migration.classify.model import Decision
from forcelift.migration.errors import InputError

DATA = Path(__file__).parent / "data"


def test_builtin_catalogue_has_at_least_80_valid_products() -> None:
    catalogue = builtin_catalogue()
    assert len(catalogue) >= 80
    assert len({e.id for e in catalogue.entries}) == len(catalogue)
    kinds = {e.kind for e in catalogue.entries}
    assert kinds == set(Kind)


def test_catalogue_covers_what_forces_run() -> None:
    categories = {e.category.value for e in builtin_catalogue().entries}
    for needed in (
        "email", "collaboration", "file-storage", "database", "web-runtime", "reporting",
        "records-management", "command-and-control", "custody", "case-preparation",
        "digital-evidence", "anpr", "duty-management", "intelligence", "hr-payroll", "finance",
        "service-desk", "backup", "monitoring", "iccs", "telephony", "cctv", "virtual-desktop",
    ):  # fmt: skip
        assert needed in categories, needed


def test_saas_claims_are_never_invented() -> None:
    for entry in builtin_catalogue().entries:
        if entry.saas.available is not Availability.YES:
            assert entry.saas.uk_hosting is Availability.UNKNOWN or not entry.saas.offer, entry.id
            assert entry.preferred is not Decision.SAAS, entry.id
        else:
            assert entry.saas.offer, entry.id


def test_every_entry_is_reachable_by_its_own_name() -> None:
    catalogue = builtin_catalogue()
    for entry in catalogue.entries:
        version = ""
        for op, bound in (
            entry.version_range.alternatives[:1] and entry.version_range.alternatives[0]
        ):
            if op in (">=", "=="):
                version = ".".join(map(str, bound))
        assert catalogue.match(entry.vendor, entry.product, version) is entry, entry.id


@pytest.mark.parametrize(
    ("vendor", "product", "version", "expected"),
    [
        ("Microsoft", "SQL Server 2019", "", "microsoft-sql-server"),
        ("Microsoft", "SQL Server", "15.0.4153.1", "microsoft-sql-server"),
        ("Microsoft", "SQL Server", "9.00.5000", "microsoft-sql-server-legacy"),
        ("Microsoft", "SQL Server 2005", "", "microsoft-sql-server-legacy"),
        ("Microsoft", "SQL Server Reporting Services", "2016", "microsoft-ssrs"),
        ("Microsoft", "SQL Server 2016 Native Client", "", None),
        ("", "Veeam Agent for Microsoft Windows", "", None),
        ("Genetec", "AutoVu", "", "genetec-autovu"),
        ("Niche Technology", "Niche RMS", "5.2", "niche-rms"),
        ("", "Data Exchange Hub", "", None),
    ],
)
def test_matching_prefers_the_longest_pattern_and_respects_versions(
    vendor: str, product: str, version: str, expected: str | None
) -> None:
    found = builtin_catalogue().match(vendor, product, version)
    assert (found.id if found else None) == expected


def test_user_catalogue_adds_replaces_and_excludes_by_id() -> None:
    merged = load_catalogue(DATA / "extra-catalogue.yaml")
    base = builtin_catalogue()
    assert "wpc-centurion" in merged.by_id
    assert merged.by_id["niche-rms"].preferred is Decision.SAAS
    assert base.by_id["niche-rms"].preferred is Decision.IAAS  # the built-in is untouched
    assert "microsoft-dhcp" not in merged.by_id
    # replaced entries keep their place (it breaks ties); new ones come last
    expected = [e.id for e in base.entries if e.id != "microsoft-dhcp"] + ["wpc-centurion"]
    assert [e.id for e in merged.entries] == expected


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("catalogue-version-range.yaml", 8, "versions", "malformed version range"),
        ("catalogue-decision.yaml", 8, "preferred", "Input should be"),
        ("catalogue-duplicate.yaml", 9, "id", "duplicate product id 'thing'"),
    ],
)
def test_bad_catalogue_names_file_line_and_field(
    name: str, line: int, field: str, words: str
) -> None:
    path = DATA / "bad" / name
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    problem = caught.value.problems[0]
    assert problem.location.file == str(path)
    assert problem.location.row == line
    assert problem.location.column == field
    assert words in problem.message
    assert len(builtin_catalogue()) >= 80  # nothing half-applied to the shared catalogue


def test_invalid_yaml_and_unknown_exclude_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("products:\n  - id: [unclosed\n")
    with pytest.raises(InputError) as caught:
        load_catalogue(broken)
    assert caught.value.problems[0].location.row is not None
    excluding = tmp_path / "exclude.yaml"
    excluding.write_text("exclude: [no-such-product]\n")
    with pytest.raises(InputError, match="unknown product id 'no-such-product'"):
        load_catalogue(excluding)


def test_yes_and_no_read_as_yaml_booleans_still_validate(tmp_path: Path) -> None:
    path = tmp_path / "bools.yaml"
    path.write_text(
        "products:\n"
        "  - {id: acme-x, vendor: Acme, product: X, category: other, kind: application,\n"
        "     match: ['\\bacme x\\b'], preferred: SAAS,\n"
        "     saas: {available: yes, offer: Acme Cloud, uk_hosting: no}}\n"
    )
    entry = load_catalogue(path).by_id["acme-x"]
    assert entry.saas.available is Availability.YES
    assert entry.saas.uk_hosting is Availability.NO


def test_every_builtin_product_is_listed_in_the_docs() -> None:
    text = (Path(__file__).parents[2] / "docs" / "catalogue.md").read_text(encoding="utf-8")
    for entry in builtin_catalogue().entries:
        assert f"`{entry.id}`" in text, entry.id


@pytest.mark.parametrize(
    ("software", "entry_id"),
    [
        ("SolarWinds Web Help Desk 12.7", "solarwinds-web-help-desk"),
        ("SolarWinds Serv-U MFT Server 15.4", "solarwinds-serv-u"),
        ("SolarWinds Orion Platform 2023.2", "solarwinds-orion"),
        ("SolarWinds Network Performance Monitor", "solarwinds-network"),
        ("PHP 5.6", "php-legacy"),
        ("PHP 8.1", "php"),
        ("PHP-FPM 7.4", "php"),
        ("Apache Tomcat 6.0", "apache-tomcat-legacy"),
        ("Apache Tomcat 9.0 (64-bit)", "apache-tomcat"),
        ("MySQL Server 5.1", "mysql-legacy"),
        ("Microsoft SQL Server 2019 (64-bit)", "microsoft-sql-server"),
        ("Confluence Data Center 8.5", "atlassian-data-center"),
        ("Jira Software Server", "atlassian-server"),
        ("Docker Engine - Enterprise 19.03", "docker"),
        ("VMware Tanzu Kubernetes Grid 2.3", "vmware-tanzu"),
    ],
)
def test_install_list_names_match_the_right_entry(software: str, entry_id: str) -> None:
    entry = builtin_catalogue().match("", software)
    assert entry is not None and entry.id == entry_id, (software, entry)


@pytest.mark.parametrize("software", ["OpenSSH 8.0p1", "Python 3.8", "FTP Server", "SolarWinds"])
def test_everyday_or_vendor_only_names_match_nothing(software: str) -> None:
    assert builtin_catalogue().match("", software) is None
