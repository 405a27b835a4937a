"""One CLI convention (issue 15): --format is the output, --json its alias, --input-format the
inventories' format, --rules a rule selection; classify and plan are default groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli

ESTATE = str(Path(__file__).parents[1] / "classify" / "data" / "small-estate.yaml")
AS_OF = ["--as-of", "2026-06-01"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["rules", "list"],
        ["policy", "rules"],
        ["classify", ESTATE, *AS_OF, "-q"],
        ["inventory", "show", ESTATE],
    ],
)
def test_json_is_the_same_as_format_json(command: list[str]) -> None:
    code, by_flag, _ = _run(*command, "--json")
    code_format, by_format, _ = _run(*command, "--format", "json")
    assert code == code_format == 0, by_flag
    assert by_flag == by_format
    json.loads(by_flag)


def test_input_format_reads_and_format_with_an_input_name_says_where_it_went() -> None:
    code, out, _ = _run("inventory", "show", ESTATE, "--input-format", "native-yaml", "--json")
    assert code == 0 and json.loads(out)["sources"][0]["format"] == "native-yaml"
    for command in (["inventory", "validate"], ["plan", "-o", "never.yaml"], ["classify"]):
        result = CliRunner().invoke(cli, [*command, ESTATE, "--format", "native-yaml"])
        assert result.exit_code == 2, (command, result.output)
        assert "--input-format native-yaml" in result.output, command
    assert not Path("never.yaml").exists()


def test_the_default_group_help_lists_the_default_commands_options() -> None:
    for group, option in (("plan", "--wave-max-servers"), ("classify", "--evaluate")):
        code, out, _ = _run(group, "--help")
        assert code == 0 and option in out and "--input-format" in out, group
        assert "Commands:" in out


def _decisions(out: str) -> dict[str, str]:
    return {c["application"]: c["decision"] for c in json.loads(out)["classifications"]}


def test_rules_file_excludes_rules_in_classify_and_explain(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("exclude:\n  - RETIRE-001\n", encoding="utf-8")
    code, everything, _ = _run("classify", ESTATE, *AS_OF, "--json", "-q")
    assert code == 0 and _decisions(everything)["Old Intranet"] == "RETIRE"
    code, selected, _ = _run("classify", ESTATE, *AS_OF, "--json", "-q", "--rules", str(rules))
    assert code == 0, selected
    assert _decisions(selected)["Old Intranet"] != "RETIRE"
    assert json.loads(selected)["rules_evaluated"] == json.loads(everything)["rules_evaluated"] - 1
    code, out, _ = _run(
        "classify", "explain", "Old Intranet", ESTATE, *AS_OF, "--json", "--rules", str(rules)
    )
    assert code == 0, out
    assert "RETIRE-001" not in out


def test_rules_file_with_an_unknown_id_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("exclude:\n  - RETIRE-001\n  - RETIRE-999\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["classify", ESTATE, *AS_OF, "--rules", str(rules)])
    assert result.exit_code == 2
    assert "rules.yaml" in result.output and "row 3" in result.output  # yamlfile.py says row
    assert "RETIRE-999" in result.output and "Traceback" not in result.output
