"""`forcelift preview --shard I/N` and `policy check` over the shards, as the generated CI runs
them: the landing zone first, then each shard in its own copy of the project (a CI job) reading
the landing zone's preview, then one guardrail report over every shard's artifact."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.plan.planio import load_plan
from forcelift.stacks.generate import render_project
from forcelift.stacks.project_writer import write_project

PLAN = Path(__file__).resolve().parents[1] / "generate" / "data" / "smallshire-plan.yaml"
LANDING_ZONE = "smallshire-azure-landing-zone"
WAVES = ["smallshire-azure-wave-1", "smallshire-azure-wave-2", "smallshire-azure-wave-3"]
# The heaviest wave stack by estimated resources: alone in shard 1 of 2.
HEAVIEST = "smallshire-azure-wave-2"
OTHERS = [WAVES[0], WAVES[2]]
AS_OF = ("--as-of", "2026-11-25")


def plant(preview: Path) -> None:
    """A finding in a preview, as a program change would make one: its first located resource
    moves to westeurope (FL-RES-001, critical). Only the graph changes, so the preview stays
    current (its stamp records the inputs, which are the same)."""
    doc = json.loads(preview.read_text(encoding="utf-8"))
    first = next(r for r in doc["resources"] if "location" in r["inputs"])
    first["inputs"]["location"] = "westeurope"
    preview.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stacks actually run under the mock runtime (in-process with --jobs 1)."""
    import forcelift.stacks.preview as preview

    ran: list[str] = []
    real: Callable[..., Any] = preview.run_stack

    def run_stack(project: Any, name: str, outputs: Any) -> Any:
        ran.append(name)
        return real(project, name, outputs)

    monkeypatch.setattr(preview, "run_stack", run_stack)
    return ran


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("project") / "smallshire"
    files = render_project(load_plan(PLAN), version="0.0.0", requirement="forcelift")
    write_project(files, directory, vendor=False)
    return directory


@pytest.fixture(scope="module")
def ci_run(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The landing-zone job, two shard jobs (each a fresh checkout given the landing zone's
    preview as an artifact), and a full unsharded preview to compare with."""
    base = tmp_path_factory.mktemp("ci")
    monkeypatch = pytest.MonkeyPatch()
    try:
        ran = recording(monkeypatch)
        landing = base / "landing"
        shutil.copytree(generated, landing)
        done = invoke(
            "preview", str(landing), "--cloud", "azure", "--layer", "landing-zone", "--jobs", "1"
        )
        assert done.exit_code == 0, done.output
        plant(landing / "preview" / f"{LANDING_ZONE}.json")  # every artifact carries it again
        runs: dict[str, list[str]] = {"landing": list(ran)}
        shards: dict[int, dict[str, Any]] = {}
        for index in (1, 2):
            job = base / f"shard-{index}"
            shutil.copytree(generated, job)
            shutil.copytree(landing / "preview", job / "preview")  # the downloaded artifact
            ran.clear()
            result = invoke(
                "preview", str(job), "--cloud", "azure", "--layer", "wave",
                "--shard", f"{index}/2", "--jobs", "1", "--format", "json",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            if index == 1:
                plant(job / "preview" / f"{HEAVIEST}.json")
            artifact = base / f"artifact-{index}"  # what the job uploads: preview/ + SARIF
            shutil.copytree(job / "preview", artifact / "preview")
            shards[index] = {"dir": job, "artifact": artifact, "ran": list(ran)}
            shards[index]["stacks"] = [s["stack"] for s in json.loads(result.output)["stacks"]]
        full = base / "full"
        shutil.copytree(generated, full)
        done = invoke("preview", str(full), "--cloud", "azure", "--jobs", "1")
        assert done.exit_code == 0, done.output
        for stack in (LANDING_ZONE, HEAVIEST):
            plant(full / "preview" / f"{stack}.json")
    finally:
        monkeypatch.undo()
    return {"landing": landing, "runs": runs, "shards": shards, "full": full}


def test_each_shard_previews_its_own_waves_and_never_the_landing_zone(
    ci_run: dict[str, Any],
) -> None:
    assert ci_run["runs"]["landing"] == [LANDING_ZONE]
    shards = ci_run["shards"]
    # Estimated resources 31, 88, 59 (staff access counted): the heaviest alone, the others
    # together.
    assert shards[1]["ran"] == shards[1]["stacks"] == [HEAVIEST]
    assert shards[2]["ran"] == shards[2]["stacks"] == OTHERS
    assert LANDING_ZONE not in shards[1]["ran"] + shards[2]["ran"]


def test_sharded_previews_are_byte_identical_to_a_full_preview(ci_run: dict[str, Any]) -> None:
    full = ci_run["full"] / "preview"
    for shard in ci_run["shards"].values():
        for stack in shard["stacks"]:  # (the planted finding is in both)
            ours = (shard["dir"] / "preview" / f"{stack}.json").read_bytes()
            assert ours == (full / f"{stack}.json").read_bytes(), stack


def _sarif(*args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("policy", "check", *args, "--format", "sarif", *AS_OF)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_policy_check_over_the_shard_artifacts_is_one_sarif(ci_run: dict[str, Any]) -> None:
    """The landing-zone job's project plus both shards' artifacts (each holding the landing
    zone's preview again) give exactly the full run's findings, once each."""
    artifacts = [str(s["artifact"]) for s in ci_run["shards"].values()]
    code, merged = _sarif(str(ci_run["landing"]), *artifacts, "--cloud", "azure")
    full_code, full = _sarif(str(ci_run["full"]), "--cloud", "azure")
    results = merged["runs"][0]["results"]
    assert results == full["runs"][0]["results"]
    assert code == full_code == 1  # the planted critical findings block
    assert [r["ruleId"] for r in results] == ["FL-RES-001", "FL-RES-001"]
    keys = [(r["ruleId"], r["message"]["text"]) for r in results]
    assert len(keys) == len(set(keys))
    rules = [r["ruleId"] for r in results]
    assert rules == sorted(rules)  # a stable order, whichever shard finished first
    stacks = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert stacks <= {f"Pulumi.{s}.yaml" for s in [LANDING_ZONE, *WAVES]}
    # The same artifacts in another order: the same report.
    assert _sarif(str(ci_run["landing"]), *reversed(artifacts), "--cloud", "azure")[1] == merged


def test_artifacts_merged_into_one_project_are_current(
    ci_run: dict[str, Any], tmp_path: Path
) -> None:
    """What the merge job does: every artifact's preview/ copied into a fresh checkout. The
    stamps travel with the previews, so the stale check passes there."""
    merge = tmp_path / "merge"
    shutil.copytree(ci_run["landing"], merge)
    for shard in ci_run["shards"].values():
        shutil.copytree(shard["artifact"] / "preview", merge / "preview", dirs_exist_ok=True)
    _, merged = _sarif(str(merge), "--cloud", "azure")
    _, full = _sarif(str(ci_run["full"]), "--cloud", "azure")
    assert merged["runs"][0]["results"] == full["runs"][0]["results"]
    # Without a shard's artifact the merge job refuses: a missing stack is not "no findings".
    (merge / "preview" / f"{HEAVIEST}.json").unlink()
    missing = invoke("policy", "check", str(merge), "--cloud", "azure", *AS_OF)
    assert missing.exit_code == 2
    assert f"{HEAVIEST} is not current" in missing.output


def test_a_shards_guardrails_judge_only_its_stacks(ci_run: dict[str, Any]) -> None:
    job = ci_run["shards"][2]["dir"]
    result = invoke(
        "policy", "check", str(job), "--cloud", "azure", "--layer", "wave", "--shard", "2/2",
        "--format", "json", *AS_OF,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.output)["findings"]
    assert {f["stack"] for f in findings} <= set(OTHERS)
    first = invoke(
        "policy", "check", str(ci_run["shards"][1]["dir"]), "--cloud", "azure", "--layer",
        "wave", "--shard", "1/2", "--format", "json", *AS_OF,
    )  # fmt: skip
    assert first.exit_code == 1, first.output  # the planted finding, not the landing zone's
    assert [f["stack"] for f in json.loads(first.output)["findings"]] == [HEAVIEST]


def test_an_empty_layer_previews_and_checks_nothing(
    ci_run: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = recording(monkeypatch)
    project = str(ci_run["landing"])
    result = invoke("preview", project, "--cloud", "azure", "--layer", "sharing", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert ran == [] and "wrote 0 preview(s)" in result.output
    checked = invoke("policy", "check", project, "--cloud", "azure", "--layer", "sharing", *AS_OF)
    assert checked.exit_code == 0, checked.output
    assert "No guardrail findings in 0 stack(s)." in checked.output


@pytest.mark.parametrize(
    "args",
    [
        ("--shard", "0/2"),
        ("--shard", "3/2"),
        ("--shard", "1/0"),
        ("--shard", "two"),
        ("--layer", "waves"),
        ("--cloud", "gcp"),
        ("--stack", LANDING_ZONE, "--shard", "1/2"),
    ],
)
def test_usage_errors_exit_2(generated: Path, args: tuple[str, ...]) -> None:
    for command in (("preview",), ("policy", "check")):
        result = invoke(*command, str(generated), *args)
        assert result.exit_code == 2, (command, result.output)


def test_policy_check_needs_the_project_to_pick_a_shard(ci_run: dict[str, Any]) -> None:
    artifact = str(ci_run["shards"][1]["artifact"])
    result = invoke("policy", "check", artifact, "--shard", "1/2")
    assert result.exit_code == 2
    assert "need the project" in result.output
    plain = invoke("policy", "check", artifact, "--format", "json", *AS_OF)
    assert plain.exit_code in (0, 1), plain.output
    assert sorted(f["stack"] for f in json.loads(plain.output)["findings"]) == [
        LANDING_ZONE,
        HEAVIEST,
    ]
