"""Live deployment of a generated project through the Pulumi Automation API.

The Automation API drives the `pulumi` CLI (it is a client of the CLI, not a replacement), so
this is the one place forcelift needs the CLI. The order is fixed: check the project files, run
the guardrails on the offline preview (with the plan's waivers) and refuse when anything
blocking remains, then find the CLI, then select or create the stack and run the operation,
streaming the engine's output. `destroy` always excludes protected resources, so databases,
key material and state buckets created with `protect=True` survive.

Failures come back as :class:`InputError` (exit 2: something to fix before running, such as a
missing CLI, project file or backend login) or :class:`DeployFailed` (exit 1: the operation ran
and failed, or the guardrails refused). `pulumi.automation` is imported inside the functions
that need it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forcelift.migration.errors import InputError, Location
from forcelift.migration.policy.model import Finding

OPERATIONS = ("preview", "up", "refresh", "destroy")
GUARDED = frozenset({"preview", "up"})

INSTALL_URL = "https://www.pulumi.com/docs/install/"
INSTALL_HINT = (
    f"install the Pulumi CLI ({INSTALL_URL}): `curl -fsSL https://get.pulumi.com | sh`, "
    "`brew install pulumi`, or `winget install pulumi`; then check `pulumi version` and re-run"
)
LOGIN_HINT = (
    "log in to the state backend first, e.g. `pulumi login 's3://BUCKET?region=eu-west-2&"
    "awssdk=v2'` (see `forcelift backend init`), and set PULUMI_CONFIG_PASSPHRASE or pass "
    "--secrets-provider"
)


class DeployFailed(Exception):
    """The guardrails refused, or the operation ran and failed (exit 1)."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


@dataclass
class StepCounter:
    """Counts engine resource steps by operation, from the Automation API's event stream.

    The summary Pulumi returns covers a finished operation; after a failure these counts say
    how far it got.
    """

    steps: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)

    def __call__(self, event: Any) -> None:
        pre = getattr(event, "resource_pre_event", None)
        if pre is not None and getattr(pre, "metadata", None) is not None:
            op = getattr(pre.metadata.op, "value", pre.metadata.op)
            if op != "same":
                self.steps[str(op)] += 1
        failed = getattr(event, "res_op_failed_event", None)
        if failed is not None and getattr(failed, "metadata", None) is not None:
            self.failed.append(str(failed.metadata.urn))


@dataclass(frozen=True)
class DeployResult:
    operation: str
    stack: str
    changes: dict[str, int]
    outputs: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.changes:
            return "no resource changes reported"
        return ", ".join(f"{op} {n}" for op, n in sorted(self.changes.items()))


# --------------------------------------------------------------------------- project checks


def check_project(work_dir: Path, stack: str, operation: str) -> None:
    """The files a generated project needs for this operation, with what to run if absent."""
    problems = []
    if not (work_dir / "Pulumi.yaml").is_file():
        problems.append(("Pulumi.yaml", "DIR must be a project written by `forcelift generate`"))
    if not (work_dir / f"Pulumi.{stack}.yaml").is_file():
        problems.append(
            (f"Pulumi.{stack}.yaml", "the stack's config is missing; check --stack or re-generate")
        )
    if operation in GUARDED and not (work_dir / "preview" / f"{stack}.json").is_file():
        problems.append(
            (f"preview/{stack}.json", "run `forcelift preview DIR` so the guardrails can check it")
        )
    from forcelift.migration.errors import Problem

    found = [
        Problem(f"missing {name}", Location(file=str(work_dir / name)), hint=hint)
        for name, hint in problems
    ]
    if operation in GUARDED and not problems:
        found.extend(stale_preview_problems(work_dir, [stack]))
    if found:
        raise InputError(found)


def stale_preview_problems(work_dir: Path, stacks: list[str]) -> list[Any]:
    """A problem per stack whose preview is missing, incomplete or older than its plan or
    config (content hashes, stacks/preview_stamps.py): guardrails on it would judge something
    else."""
    from forcelift.migration.errors import Problem
    from forcelift.stacks.preview_stamps import stale_stacks

    return [
        Problem(
            f"the offline preview of {name} is not current: {reason}",
            Location(file=str(work_dir / "preview" / f"{name}.json")),
            hint=f"run `forcelift preview {work_dir} --stack {name}` (or `forcelift migrate` "
            "again), then retry",
        )
        for name, reason in stale_stacks(work_dir, stacks).items()
    ]


def load_stack_preview(work_dir: Path, stack: str) -> dict[str, Any]:
    """DIR/preview/<stack>.json: one stack, or a `stacks:` list holding it."""
    path = work_dir / "preview" / f"{stack}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the preview: {exc}", Location(file=str(path))) from exc
    items = data.get("stacks", [data]) if isinstance(data, dict) else []
    for item in items:
        if isinstance(item, dict) and item.get("stack", stack) == stack:
            return item
    raise InputError(f"the preview has no stack named {stack!r}", Location(file=str(path)))


def _read_yaml(path: Path, what: str = "the plan") -> Any:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {what}: {exc}", Location(file=str(path))) from exc


def _waivers_in(data: Any, file: str) -> list[Any]:
    from forcelift.migration.policy.waivers import parse_waivers

    return parse_waivers(data.get("waivers") if isinstance(data, dict) else None, file)


def is_regional_project(work_dir: Path) -> bool:
    """Whether DIR/plan.yaml is a regional plan (several forces, docs/generate.md)."""
    from forcelift.migration.plan.regional_io import is_regional

    return is_regional(work_dir / "plan.yaml")


def _member_file(work_dir: Path, stack: str) -> Path | None:
    """The member plan a stack of a regional project reads (`forcelift:plan`, normally
    plans/<slug>.yaml), when its config names one that exists."""
    config_file = work_dir / f"Pulumi.{stack}.yaml"
    if not config_file.is_file():
        return None
    data = _read_yaml(config_file, "the stack config")
    config = data.get("config") if isinstance(data, dict) else None
    name = config.get("forcelift:plan") if isinstance(config, dict) else None
    if not isinstance(name, str) or name in ("", "plan.yaml"):
        return None
    path = work_dir / name
    return path if path.is_file() else None


def _member_of(members: Sequence[Any], stack: str) -> Any:
    """The regional plan's member whose force owns the stack (`<slug>-<cloud>-…`)."""
    for member in members:
        force = member.get("force") if isinstance(member, dict) else None
        slug = force.get("slug") if isinstance(force, dict) else None
        if slug and stack.startswith((f"{slug}-azure-", f"{slug}-aws-")):
            return member
    return None


def waivers_by_stack(work_dir: Path, stacks: Sequence[str]) -> dict[str, list[Any]]:
    """Each stack's waivers. A single-force project has one list, plan.yaml's `waivers:`. A
    regional plan.yaml keeps none at its top level: each force's waivers are in its member plan
    (the plans/<slug>.yaml its stacks read, else the member inside plan.yaml), so one force's
    waivers, even a `*` one, never waive another force's findings. Each file is read once."""
    plan = work_dir / "plan.yaml"
    if not plan.is_file():
        return {stack: [] for stack in stacks}
    if not is_regional_project(work_dir):
        shared = _waivers_in(_read_yaml(plan), str(plan))
        return {stack: shared for stack in stacks}
    files: dict[Path, list[Any]] = {}
    regional: dict[str, Any] = {}
    out: dict[str, list[Any]] = {}
    for stack in stacks:
        own = _member_file(work_dir, stack)
        if own is not None:
            if own not in files:
                files[own] = _waivers_in(_read_yaml(own), str(own))
            out[stack] = files[own]
            continue
        if "data" not in regional:
            data = _read_yaml(plan)
            regional["data"] = data.get("forces") if isinstance(data, dict) else None
        members = regional["data"] if isinstance(regional["data"], list) else []
        member = _member_of(members, stack)
        out[stack] = _waivers_in(member, f"{plan} ({stack})") if member is not None else []
    return out


def load_waivers(work_dir: Path, stack: str | None = None) -> list[Any]:
    """The waivers that apply to `stack` (docs/guardrails.md); without a stack, every waiver of
    the project (every force's, in a regional project): what may have expired."""
    if stack is not None:
        return waivers_by_stack(work_dir, [stack])[stack]
    plan = work_dir / "plan.yaml"
    if not plan.is_file():
        return []
    data = _read_yaml(plan)
    if not is_regional_project(work_dir):
        return _waivers_in(data, str(plan))
    members = data.get("forces") if isinstance(data, dict) else None
    waivers: list[Any] = []
    for i, member in enumerate(members if isinstance(members, list) else []):
        waivers.extend(_waivers_in(member, f"{plan} (forces[{i}])"))
    return waivers


def _plan_or_none(path: Path, regional: bool = False) -> Any:
    """The plan in the file, or None when it does not load as one (a hand-made or partial
    file): the sharing rules then judge the stack without the plan's facts."""
    from forcelift.migration.plan.planio import load_plan
    from forcelift.migration.plan.regional_io import load_regional

    try:
        return load_regional(path) if regional else load_plan(path)
    except InputError:
        return None


def plans_by_stack(work_dir: Path, stacks: Sequence[str]) -> dict[str, Any]:
    """The plan each stack is judged with (its sharing facts, for the plan-aware rules):
    plan.yaml, or in a regional project the stack's force's member plan (the plans/<slug>.yaml
    its config names, else the member inside plan.yaml); None without a plan that loads. Each
    file is read once, so the stacks of one force share one Plan object."""
    plan_file = work_dir / "plan.yaml"
    if not plan_file.is_file():
        return {stack: None for stack in stacks}
    if not is_regional_project(work_dir):
        single = _plan_or_none(plan_file)
        return {stack: single for stack in stacks}
    files: dict[Path, Any] = {}
    regional: dict[str, Any] = {}
    out: dict[str, Any] = {}
    for stack in stacks:
        own = _member_file(work_dir, stack)
        if own is not None:
            if own not in files:
                files[own] = _plan_or_none(own)
            out[stack] = files[own]
            continue
        if "plan" not in regional:
            regional["plan"] = _plan_or_none(plan_file, regional=True)
        members = regional["plan"].forces if regional["plan"] is not None else ()
        out[stack] = next(
            (
                m
                for m in members
                if stack.startswith((f"{m.force.slug}-azure-", f"{m.force.slug}-aws-"))
            ),
            None,
        )
    return out


def guardrail_findings(work_dir: Path, stack: str, as_of: dt.date | None = None) -> list[Finding]:
    """The guardrails on the stack's offline preview, with the plan's waivers applied; the
    plan-aware sharing rules judge it against its (force's) plan, whose own sharing entries
    (flows without an agreement, ...) are judged too, as `policy check` and `migrate` do."""
    from forcelift.migration.policy.check import check, with_plan
    from forcelift.migration.policy.graph import ResourceGraph

    graph = ResourceGraph.from_preview(load_stack_preview(work_dir, stack))
    if not graph.stack:
        graph.stack = stack
    plan = plans_by_stack(work_dir, [stack])[stack]
    graphs = with_plan([graph], plan) if plan is not None else [graph]
    return check(graphs, load_waivers(work_dir, stack), as_of or dt.date.today())


def enforce_guardrails(work_dir: Path, stack: str, as_of: dt.date | None = None) -> list[Finding]:
    """All findings; raises :class:`DeployFailed` when a blocking one is not waived."""
    from forcelift.migration.policy.check import blocking

    findings = guardrail_findings(work_dir, stack, as_of)
    stopping = blocking(findings)
    if stopping:
        raise DeployFailed(
            f"guardrails refused stack {stack}: {len(stopping)} blocking finding(s)", stopping
        )
    return findings


def find_pulumi() -> str:
    """The CLI on PATH, or a clear stop naming how to install it."""
    path = shutil.which("pulumi")
    if path is None:
        raise InputError(
            "the Pulumi CLI (`pulumi`) is not installed or not on PATH; forcelift deploy drives "
            "it through the Automation API",
            Location(file="pulumi"),
            hint=INSTALL_HINT,
        )
    return path


# --------------------------------------------------------------------------- the operation


def _last_error_line(lines: Sequence[str], fallback: str) -> str:
    for line in reversed(lines):
        if line.strip():
            return line.strip()
    return fallback.strip().splitlines()[-1] if fallback.strip() else "no error output"


def open_stack(work_dir: Path, stack: str, secrets_provider: str | None = None) -> Any:
    """Select or create the stack in DIR; problems here are setup problems (exit 2)."""
    import subprocess

    from pulumi import automation as auto

    options = auto.LocalWorkspaceOptions(secrets_provider=secrets_provider)
    try:
        return auto.create_or_select_stack(stack_name=stack, work_dir=str(work_dir), opts=options)
    except FileNotFoundError as exc:
        raise InputError(
            "the Pulumi CLI disappeared from PATH", Location(file="pulumi"), hint=INSTALL_HINT
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise InputError(
            "`pulumi version` failed, so the CLI cannot be used",
            Location(file="pulumi"),
            hint=INSTALL_HINT,
        ) from exc
    except auto.errors.InvalidVersionError as exc:
        raise InputError(str(exc), Location(file="pulumi"), hint=INSTALL_HINT) from exc
    except auto.errors.CommandError as exc:
        raise InputError(
            f"could not select or create stack {stack}: {_last_error_line([], _stderr_of(exc))}",
            Location(file=str(work_dir)),
            hint=LOGIN_HINT,
        ) from exc
    except ValueError as exc:  # e.g. the semver check on a strange `pulumi version` answer
        raise InputError(
            f"the Pulumi CLI is not usable: {exc}", Location(file="pulumi"), hint=INSTALL_HINT
        ) from exc


def _stderr_of(exc: BaseException) -> str:
    text = str(exc)
    return text.split("stderr:", 1)[1] if "stderr:" in text else text


def run_operation(
    work_dir: Path,
    stack: str,
    operation: str,
    *,
    secrets_provider: str | None = None,
    on_output: Callable[[str], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> DeployResult:
    """Select/create the stack and run one operation, streaming the engine's output."""
    from pulumi import automation as auto

    if operation not in OPERATIONS:
        raise InputError(f"unknown operation {operation!r}", hint=", ".join(OPERATIONS))
    errors: list[str] = []

    def err(line: str) -> None:
        errors.append(line)
        if on_error is not None:
            on_error(line)

    handle = open_stack(work_dir, stack, secrets_provider)
    counter = StepCounter()
    try:
        if operation == "preview":
            preview = handle.preview(on_output=on_output, on_error=err, on_event=counter)
            changes = dict(preview.change_summary or {})
            outputs: dict[str, Any] = {}
        elif operation == "up":
            up = handle.up(on_output=on_output, on_error=err, on_event=counter)
            changes = dict(up.summary.resource_changes or {})
            outputs = {k: v.value for k, v in (up.outputs or {}).items() if not v.secret}
        elif operation == "refresh":
            refresh = handle.refresh(on_output=on_output, on_error=err, on_event=counter)
            changes = dict(refresh.summary.resource_changes or {})
            outputs = {}
        else:
            destroy = handle.destroy(
                on_output=on_output, on_error=err, on_event=counter, exclude_protected=True
            )
            changes = dict(destroy.summary.resource_changes or {})
            outputs = {}
    except auto.errors.ConcurrentUpdateError as exc:
        raise DeployFailed(
            f"stack {stack} is locked by another update; wait for it to finish. If it crashed "
            "and nothing is running, remove the lock: `pulumi cancel` on Pulumi Cloud, or delete "
            "the stack's object under .pulumi/locks/ in the state bucket (S3 backend)"
        ) from exc
    except auto.errors.CommandError as exc:
        done = ", ".join(f"{op} {n}" for op, n in sorted(counter.steps.items()))
        progress = f"; steps started before the failure: {done}" if done else ""
        raise DeployFailed(
            f"pulumi {operation} failed on stack {stack}: "
            f"{_last_error_line(errors, _stderr_of(exc))}{progress}"
        ) from exc
    except RuntimeError as exc:  # the Automation API saw no summary event from the engine
        raise DeployFailed(f"pulumi {operation} on stack {stack} ended abnormally: {exc}") from exc
    return DeployResult(
        operation=operation,
        stack=stack,
        changes={str(getattr(k, "value", k)): int(v) for k, v in changes.items()},
        outputs=outputs,
    )
