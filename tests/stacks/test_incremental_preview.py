"""Incremental previews: a stack's content key (its plan slice, config, referenced outputs,
versions) says whether its earlier preview can be reused, and the slice holds everything
its program reads.

The fixture is a small two-cloud plan of the sample: both landing zones, waves 1 and 2
whole, and wave 3 split in two parts with the workloads that host shared services and
publish to staff, plus each cloud's sharing stack.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from forcelift.cli.main import cli
from forcelift.migration.plan.planfile import Plan
from forcelift.migration.plan.planio import plan_to_yaml
from forcelift.stacks import plan_slice, program
from forcelift.stacks.plan_slice import PlanView
from forcelift.stacks.preview import preview_project
from forcelift.stacks.preview_documents import PREVIEW_DIR
from forcelift.stacks.stack_slice import canonical_json, slice_id, stack_slice

WAVE3 = ("Custody", "Address Gazetteer Service", "Niche RMS", "Digital Interview Recording")
MOVED = "Digital Interview Recording"  # wave 3, part 2
CHANGED_APP_WAVE = 1  # the pilot: IaaS and PaaS (wave 2 is SaaS only)
CHANGED_STACK = "exampleshire-azure-wave-1"
STACKS = 12  # per cloud: landing zone, waves 1 and 2, wave 3 in two parts, sharing


@pytest.fixture(scope="module")
def small_plan(sample_plan: Plan, helpers: Any) -> Plan:
    keep = [w.application for w in sample_plan.clouds[0].workloads if w.wave in (1, 2)]
    plan = helpers.keep_workloads(sample_plan, [*keep, *WAVE3])
    return helpers.split_wave(plan, 3, [MOVED])


def _workload_of(plan: Plan, cloud: str, wave: int) -> str:
    found = next(c for c in plan.clouds if c.cloud == cloud)
    built = (w for w in found.workloads if w.wave == wave and (w.vms or w.paas))
    return next(w.application for w in built)


def _changed(plan: Plan, cloud: str, application: str) -> Plan:
    """The plan with one workload's owner changed (as an owner override in the inventory
    gives): its tags change on every resource built from it."""
    clouds = []
    for c in plan.clouds:
        if c.cloud == cloud:
            workloads = tuple(
                w.model_copy(update={"tags": {**w.tags, "owner": "changed-owner"}})
                if w.application == application
                else w
                for w in c.workloads
            )
            c = c.model_copy(update={"workloads": workloads})
        clouds.append(c)
    return plan.model_copy(update={"clouds": tuple(clouds)})


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((directory / PREVIEW_DIR).glob("*.json"))}


@pytest.fixture(scope="module")
def previewed(small_plan: Plan, helpers: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture previewed once, every stack from its slice (the program's only view)."""
    directory = helpers.write_project(tmp_path_factory.mktemp("sliced"), small_plan)
    plan_slice.PLAN_CACHE.clear()
    result = preview_project(directory, jobs=1, resume=True)
    assert result.reused == 0 and result.previewed == len(result.stacks) == STACKS
    return directory


def test_slice_and_whole_plan_give_byte_identical_previews(
    previewed: Path,
    small_plan: Plan,
    helpers: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The program run on the whole plan writes the same preview as on its slice, for every
    stack: the slice holds everything the program reads."""
    whole = helpers.write_project(tmp_path / "whole", small_plan)
    plan_slice.PLAN_CACHE.clear()
    loaded = plan_slice.cached_plan(whole / "plan.yaml")
    seen: list[str] = []

    def whole_plan(path: Path, cloud: str, stack: str) -> PlanView:
        seen.append(stack)
        return PlanView(loaded)  # the whole plan: workloads' places are their own

    monkeypatch.setattr(program, "stack_view", whole_plan)
    preview_project(whole, jobs=1)
    sliced, full = _files(previewed), _files(whole)
    assert sorted(full) == sorted(sliced) and len(full) == STACKS
    assert set(seen) == {name.removesuffix(".json") for name in full}
    for name, data in full.items():
        assert data == sliced[name], f"{name}: the slice misses something the program reads"
    plan_slice.PLAN_CACHE.clear()


def test_only_the_changed_stack_is_previewed_again(
    previewed: Path, small_plan: Plan, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(previewed, work)
    before = _files(work)
    app = _workload_of(small_plan, "azure", CHANGED_APP_WAVE)
    changed = _changed(small_plan, "azure", app)
    (work / "plan.yaml").write_text(plan_to_yaml(changed), encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()

    result = preview_project(work, jobs=1, resume=True)
    ran = sorted(r.stack for r in result.stacks if not r.reused)
    assert ran == [CHANGED_STACK]
    assert result.reused == STACKS - 1 and result.previewed == 1
    after = _files(work)
    assert [n for n in after if after[n] != before[n]] == [f"{CHANGED_STACK}.json"]
    doc = json.loads(after[f"{CHANGED_STACK}.json"])
    owners = {(r["inputs"].get("tags") or {}).get("owner") for r in doc["resources"]}
    assert "changed-owner" in owners

    # --no-cache previews every stack again and writes the same bytes
    plan_slice.PLAN_CACHE.clear()
    forced = CliRunner().invoke(cli, ["preview", str(work), "--no-cache", "--format", "json"])
    assert forced.exit_code == 0, forced.output
    summary = json.loads(forced.output)
    assert (summary["reused"], summary["previewed"]) == (0, STACKS)
    assert _files(work) == after

    # and a fresh project of the changed plan gives the same files as the incremental run
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for path in previewed.glob("Pulumi*.yaml"):
        shutil.copy(path, fresh / path.name)
    (fresh / "plan.yaml").write_text(plan_to_yaml(changed), encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()
    preview_project(fresh, jobs=1)
    assert _files(fresh) == after

    # nothing changed: everything is reused, and the summary line says so
    plan_slice.PLAN_CACHE.clear()
    again = CliRunner().invoke(cli, ["preview", str(work)])
    assert again.exit_code == 0, again.output
    assert f"{STACKS} reused, 0 previewed" in again.output
    plan_slice.PLAN_CACHE.clear()


def test_a_change_in_a_later_part_previews_that_part_and_the_first(
    previewed: Path, small_plan: Plan, tmp_path: Path
) -> None:
    """A split wave: changing a workload of its second part previews that part and the
    first (which declares the spoke from the whole wave), not every part, and the files are
    those a fresh preview of the changed plan writes."""
    work = tmp_path / "work"
    shutil.copytree(previewed, work)
    before = _files(work)
    changed = _changed(small_plan, "azure", MOVED)
    (work / "plan.yaml").write_text(plan_to_yaml(changed), encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()

    result = preview_project(work, jobs=1, resume=True)
    ran = sorted(r.stack for r in result.stacks if not r.reused)
    assert ran == ["exampleshire-azure-wave-3-1", "exampleshire-azure-wave-3-2"]
    after = _files(work)
    assert [n for n in after if after[n] != before[n]] == ["exampleshire-azure-wave-3-2.json"]

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for path in previewed.glob("Pulumi*.yaml"):
        shutil.copy(path, fresh / path.name)
    (fresh / "plan.yaml").write_text(plan_to_yaml(changed), encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()
    preview_project(fresh, jobs=1)
    assert _files(fresh) == after
    plan_slice.PLAN_CACHE.clear()


def test_a_referenced_stacks_outputs_are_part_of_the_key(previewed: Path, tmp_path: Path) -> None:
    """A later part reads the first part's outputs: when they change, it is previewed again."""
    work = tmp_path / "work"
    shutil.copytree(previewed, work)
    first = work / PREVIEW_DIR / "exampleshire-aws-wave-3-1.json"
    doc = json.loads(first.read_text(encoding="utf-8"))
    doc["outputs"]["spokeVpcId"] = "vpc-edited"
    first.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()
    result = preview_project(work, only=["exampleshire-aws-wave-3-2"], jobs=1, resume=True)
    assert [(r.stack, r.reused) for r in result.stacks] == [("exampleshire-aws-wave-3-2", False)]
    plan_slice.PLAN_CACHE.clear()


def test_only_the_referenced_outputs_a_stack_read_are_in_its_key(
    previewed: Path, tmp_path: Path
) -> None:
    """A later part reads the first part's spoke, not its `workloads` export: a change to a
    workload of the first part previews the first part again and reuses the later one."""
    stamp = json.loads((previewed / PREVIEW_DIR / "exampleshire-aws-wave-3-2.stamp").read_text())
    first = "organization/forcelift/exampleshire-aws-wave-3-1"
    assert stamp["reads"] == {
        "organization/forcelift/exampleshire-aws-landing-zone": [
            "endpointZoneIds",
            "tgwRouteTableIds",
        ],
        first: ["spokeS3PrefixListId", "spokeSubnetIds", "spokeVpcId"],
    }

    work = tmp_path / "work"
    shutil.copytree(previewed, work)
    path = work / PREVIEW_DIR / "exampleshire-aws-wave-3-1.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["outputs"]["workloads"] = {"Edited": {}}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    plan_slice.PLAN_CACHE.clear()
    result = preview_project(work, only=["exampleshire-aws-wave-3-2"], jobs=1, resume=True)
    assert [(r.stack, r.reused) for r in result.stacks] == [("exampleshire-aws-wave-3-2", True)]
    plan_slice.PLAN_CACHE.clear()


def test_a_slice_changes_only_for_the_stacks_that_read_the_workload(small_plan: Plan) -> None:
    """Property over every stack and every workload: changing a workload's owner changes
    the slice of the stack holding it and of its wave's first part (which declares the
    spoke from the whole wave), and of no other stack: not another wave, not a later part."""
    for cloud in small_plan.clouds:
        for app in cloud.workloads:
            changed = _changed(small_plan, cloud.cloud, app.application)
            wave = next(w for w in cloud.waves if w.number == app.wave)
            for other in small_plan.clouds:
                for stack in other.stacks:
                    before = canonical_json(stack_slice(small_plan, other.cloud, stack.name))
                    after = canonical_json(stack_slice(changed, other.cloud, stack.name))
                    reads = stack.name in (app.stack, wave.stacks[0])
                    holds = other.cloud == cloud.cloud and reads
                    assert (before != after) == holds, (app.application, stack.name)


def test_a_later_part_reads_the_wave_tags_of_every_part(small_plan: Plan) -> None:
    """The wave network's tags come from the whole wave: a later part's slice changes when
    another part's workload becomes OFFICIAL-SENSITIVE or critical."""
    cloud = next(c for c in small_plan.clouds if c.cloud == "aws")
    other = next(w for w in cloud.workloads if w.wave == 3 and w.application != MOVED)
    for tag, value in (("data-classification", "edited"), ("criticality", "edited")):
        clouds = tuple(
            c.model_copy(
                update={
                    "workloads": tuple(
                        w.model_copy(update={"tags": {**w.tags, tag: value}})
                        if w.application == other.application
                        else w
                        for w in c.workloads
                    )
                }
            )
            if c.cloud == "aws"
            else c
            for c in small_plan.clouds
        )
        changed = small_plan.model_copy(update={"clouds": clouds})
        later = "exampleshire-aws-wave-3-2"
        assert canonical_json(stack_slice(small_plan, "aws", later)) != canonical_json(
            stack_slice(changed, "aws", later)
        ), tag


def test_parts_of_a_wave_have_their_own_slices_and_errors_keep_their_paths(
    small_plan: Plan,
) -> None:
    aws = next(i for i, c in enumerate(small_plan.clouds) if c.cloud == "aws")
    one = stack_slice(small_plan, "aws", "exampleshire-aws-wave-3-1")
    two = stack_slice(small_plan, "aws", "exampleshire-aws-wave-3-2")
    assert canonical_json(one) != canonical_json(two)
    assert slice_id(small_plan, "aws", "exampleshire-aws-wave-3-1") == "wave-3"
    assert slice_id(small_plan, "aws", "exampleshire-aws-wave-3-2") == (
        "wave-3-exampleshire-aws-wave-3-2"
    )
    # the first part holds the whole wave; the later part its own workload in full and one
    # summary per distinct (criticality, classification, managed instance) of the wave
    whole = [w for w in small_plan.clouds[aws].workloads if w.wave == 3]
    assert [w.application for w in one.clouds[aws].workloads] == [w.application for w in whole]
    (own,) = [w for w in two.clouds[aws].workloads if w.application]
    original = next(w for w in whole if w.application == MOVED)
    assert own == original.model_copy(update={"monthly_cost": own.monthly_cost})
    summaries = [w for w in two.clouds[aws].workloads if not w.application]
    kinds = {(w.tags.get("criticality"), w.tags.get("data-classification")) for w in whole}
    assert {(w.tags.get("criticality"), w.tags.get("data-classification")) for w in summaries} == (
        kinds
    )
    assert all(w.stack == "" and w.vms == () and w.inbound == () for w in summaries)
    assert len(summaries) == len(kinds) < len(whole)
    # the other cloud is a placeholder at its place, so paths stay clouds[<i>]...
    assert [c.cloud for c in one.clouds] == [c.cloud for c in small_plan.clouds]
    assert one.clouds[aws].region == small_plan.clouds[aws].region
    assert all(not c.workloads for i, c in enumerate(one.clouds) if i != aws)
    assert {w.wave for w in one.clouds[aws].workloads} == {3}
    # waves keep their places: wave 3 is where it is in the whole plan
    numbers = [w.number for w in small_plan.clouds[aws].waves]
    assert [w.number for w in one.clouds[aws].waves] == numbers
    # nothing of cost, carbon or decisions
    assert one.workloads == () and one.clouds[aws].cost.waves == ()


def test_a_wave_slice_holds_its_own_sharing_entries_at_their_places(sample_plan: Plan) -> None:
    """A wave slice holds its own stacks' hosted services and staff access and nothing of
    the others' but one placeholder per staff method; each entry's place in the whole plan
    (error paths) travels beside it. No slice holds the hybrid links, which no program
    reads; only the landing zone's holds the SaaS egress list."""
    from forcelift.stacks.stack_slice import sharing_places

    seen_staff = seen_hosted = 0
    for cloud in sample_plan.clouds:
        assert cloud.landing_zone.connectivity.hybrid_links  # the test would prove nothing
        whole = cloud.sharing
        for stack in cloud.stacks:
            piece = stack_slice(sample_plan, cloud.cloud, stack.name)
            mine = next(c for c in piece.clouds if c.cloud == cloud.cloud)
            assert mine.landing_zone.connectivity.hybrid_links == ()
            egress = mine.landing_zone.saas_egress
            assert egress == (
                cloud.landing_zone.saas_egress if stack.layer == "landing-zone" else ()
            )
            hosted_at, staff_at = sharing_places(sample_plan, cloud.cloud, stack.name)
            if stack.layer != "wave":
                assert (hosted_at, staff_at) == (None, None)
                continue
            assert hosted_at is not None and staff_at is not None
            wave = next(w for w in cloud.waves if w.number == stack.wave)
            owners = {stack.name} if wave.stacks[0] != stack.name else set(wave.stacks)
            own_hosted = [(i, h) for i, h in enumerate(whole.hosted) if h.stack in owners]
            assert list(zip(hosted_at, mine.sharing.hosted, strict=True)) == own_hosted
            placed = list(zip(staff_at, mine.sharing.staff_access, strict=True))
            own_staff = [(i, a) for i, a in enumerate(whole.staff_access) if a.stack in owners]
            assert [p for p in placed if p[0] >= 0] == own_staff
            others = {a.method for a in whole.staff_access if a.stack not in owners}
            assert sorted(a.method for i, a in placed if i < 0) == sorted(others)
            seen_staff += len(own_staff)
            seen_hosted += len(own_hosted)
    assert seen_staff and seen_hosted  # the sample plan has both, or this proves nothing
