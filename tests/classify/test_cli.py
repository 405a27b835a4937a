"""`forcelift classify`, `classify explain` and `rules` through click's test runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.classify.registry import all_rules

DATA = Path(__file__).parent / "data"
ESTATE = str(DATA / "small-estate.yaml")
AS_OF = ["--as-of", "2026-06-01"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_default_table_reads_like_an_assessment() -> None:
    code, out, _ = _run("classify", ESTATE, *AS_OF, "-q")
    assert code == 0, out
    for words in ("Classification of Testshire Police", "Exchange Online", "RETAIN", "RETIRE",
                  "needs PSN for Policing", "6 applications"):  # fmt: skip
        assert words in out, words


def test_json_is_byte_identical_across_runs_and_records_as_of() -> None:
    first = _run("classify", ESTATE, *AS_OF, "--format", "json", "-q")
    second = _run("classify", ESTATE, *AS_OF, "--format", "json", "-q")
    assert first[0] == 0 and first[1] == second[1]
    data = json.loads(first[1])
    assert data["as_of"] == "2026-06-01"
    assert [c["application"] for c in data["classifications"]] == sorted(
        (c["application"] for c in data["classifications"]), key=str.casefold
    )
    assert all(c["reasons"] for c in data["classifications"])


def test_csv_has_one_row_per_application() -> None:
    code, out, _ = _run("classify", ESTATE, *AS_OF, "--format", "csv", "-q")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 6
    assert {r["decision"] for r in rows} == {"SAAS", "PAAS", "IAAS", "RETAIN", "RETIRE"}


def test_output_file_is_written_and_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = _run("classify", ESTATE, *AS_OF, "--format", "json", "-o", str(target), "-q")
    assert code == 0 and "wrote" in out
    written = target.read_text()
    code, _, err = _run("classify", ESTATE, *AS_OF, "--format", "json", "-o", str(target), "-q")
    assert code == 2 and "refusing to overwrite" in err
    code, _, _ = _run(
        "classify", ESTATE, *AS_OF, "--format", "json", "-o", str(target), "--force", "-q"
    )
    assert code == 0 and target.read_text() == written


def test_run_is_the_explicit_spelling_of_the_default() -> None:
    assert (
        _run("classify", "run", ESTATE, *AS_OF, "-q")[1]
        == _run("classify", ESTATE, *AS_OF, "-q")[1]
    )


def test_overrides_through_the_cli() -> None:
    code, out, _ = _run(
        "classify", ESTATE, *AS_OF, "--overrides", str(DATA / "overrides.yaml"), "--format",
        "json", "-q",
    )  # fmt: skip
    assert code == 0
    by_name = {c["application"]: c for c in json.loads(out)["classifications"]}
    assert by_name["Custody CCTV"]["override"]["rules_decision"] == "RETAIN"
    assert by_name["Custody CCTV"]["conflicts"]


def test_bad_override_file_exits_2_naming_file_and_line() -> None:
    bad = str(DATA / "bad" / "overrides-decision.yaml")
    code, out, err = _run("classify", ESTATE, *AS_OF, "--overrides", bad)
    assert code == 2
    assert "overrides-decision.yaml, row 3, column 'decision'" in err
    assert "nothing was written" in err and out == ""


def test_bad_catalogue_file_exits_2_naming_file_and_line() -> None:
    bad = str(DATA / "bad" / "catalogue-version-range.yaml")
    code, _, err = _run("classify", ESTATE, *AS_OF, "--catalogue", bad)
    assert code == 2
    assert "catalogue-version-range.yaml, row 8, column 'versions'" in err


def test_extra_catalogue_changes_the_decision() -> None:
    extra = str(DATA / "extra-catalogue.yaml")
    code, out, _ = _run("classify", ESTATE, *AS_OF, "--catalogue", extra, "--format", "json", "-q")
    by_name = {c["application"]: c for c in json.loads(out)["classifications"]}
    assert code == 0 and by_name["Niche RMS"]["decision"] == "SAAS"


def test_explain_shows_every_rule_and_why() -> None:
    code, out, _ = _run("classify", "explain", "niche rms", ESTATE, *AS_OF)
    assert code == 0
    assert out.startswith("Niche RMS: IAAS (rehost)")
    for rule in all_rules():
        assert rule.id in out, rule.id
    assert "DECIDES IAAS" in out
    assert "not fired" in out and "fires when" in out
    assert "needs PSN for Policing connectivity from the landing zone (PNC)" in out


def test_explain_json_and_unknown_application() -> None:
    code, out, _ = _run(
        "classify", "explain", "Warrant Checker", ESTATE, *AS_OF, "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["classification"]["decision"] == "PAAS"
    assert len(data["evaluations"]) == len(all_rules())
    assert any(e["rule"] == "CONN-003" and e["fired"] for e in data["evaluations"])
    code, _, err = _run("classify", "explain", "Warrant", ESTATE, *AS_OF)
    assert code == 2 and "did you mean: Warrant Checker, Warrant DB" in err


def test_evaluate_prints_agreement_and_matrix() -> None:
    code, out, _ = _run("classify", "--evaluate", str(DATA / "labelled.yaml"))
    assert code == 0
    assert out.startswith("agreement: ")
    assert "confusion matrix" in out and "RETIRE" in out


def test_evaluate_against_an_inventory_and_a_threshold(tmp_path: Path) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "cases:\n"
        "  - {id: mail, application: Email, expected: SAAS, why: Exchange Online}\n"
        "  - {id: db, application: Warrant DB, expected: IAAS, why: deliberately wrong}\n"
    )
    code, out, err = _run(
        "classify", "--evaluate", str(labels), ESTATE, *AS_OF, "--min-agreement", "90", "-q"
    )
    assert code == 1, out
    assert "agreement: 1/2 (50.0%)" in out
    assert "db: expected IAAS, classified RETAIN" in out
    assert "below 90%" in err


def test_no_inventory_is_a_usage_error() -> None:
    code, _, err = _run("classify")
    assert code == 2 and "INVENTORY" in err


def test_rules_list_and_show() -> None:
    code, out, _ = _run("rules", "list", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [r["id"] for r in listed] == [r.id for r in all_rules()]
    assert all(r["rationale"] for r in listed)
    code, out, _ = _run("rules", "show", "conn-001")
    assert code == 0 and "PSN for Policing" in out
    assert _run("rules", "show", "NOPE-001")[0] == 2
