"""The Pulumi program: stack config + plan.yaml -> this stack's components.

Every stack runs the same program. It reads its config (docs/stack-contract.md), loads the
plan, finds its own entry by `pulumi.get_stack()`, checks everything it will need, and only
then declares resources, so a bad config or a hand-edited plan stops with an
:class:`InputError` naming the config key or the path inside the plan
(`clouds[0].workloads[5].vms[0].size`) and nothing half-declared. The cloud modules turn the
checked plan into component args (pure, no resources) before declaring anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forcelift.migration.errors import InputError, Location, Problem
from forcelift.migration.naming import check_name, make_name
from forcelift.migration.plan.planfile import (
    PLAN_SCHEMA_VERSION,
    CloudPlan,
    CloudWorkload,
    Plan,
    StackPlan,
)
from forcelift.migration.plan.planio import load_plan

NAMESPACE = "forcelift"
PROVIDER_KEY = {"azure": "azure-native:location", "aws": "aws:region"}
REQUIRED_KEYS = ("plan", "cloud", "layer", "organization")
UK_REGIONS = {"azure": ("uksouth", "ukwest"), "aws": ("eu-west-2",)}
REQUIRED_TAGS = ("application", "owner", "data-classification", "cost-centre", "wave")
CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
CRITICALITY_ORDER = ("low", "medium", "high", "critical")

# Values the engineer sets (never written by forcelift) and the stand-ins the offline preview
# uses: key -> (dummy value, secret?). The program asks for them only when a stack needs them.
ENGINEER_VALUES: dict[str, tuple[str, bool]] = {
    "adminPassword": ("preview-Admin-Passw0rd!", True),
    "vpnSharedKey": ("preview-vpn-shared-key", True),
    "vpnTunnel1Key": ("preview_tunnel_key_1", True),
    "vpnTunnel2Key": ("preview_tunnel_key_2", True),
    "certificateArn": (
        "arn:aws:acm:eu-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000",
        False,
    ),
    "accountEmailDomain": ("example.police.uk", False),
}

# Defaults for shared (platform) resources, which the plan gives no owner for.
PLATFORM_OWNER = "platform-team"
PLATFORM_COST_CENTRE = "platform"

_PLAN_CACHE: dict[tuple[str, int], Plan] = {}
_VIEW_CACHE: dict[tuple[tuple[str, int], str, str], PlanView] = {}


@dataclass(frozen=True)
class StackConfig:
    """The stack's config, read once and checked (keys in docs/stack-contract.md)."""

    plan_path: str
    cloud: str
    layer: str
    organization: str
    location: str
    wave: int | None = None
    on_prem_gateway: str | None = None
    platform_owner: str = PLATFORM_OWNER
    platform_cost_centre: str = PLATFORM_COST_CENTRE
    organization_root_id: str | None = None


def _config_problem(stack: str, key: str, message: str, hint: str) -> Problem:
    return Problem(message, Location(file=f"Pulumi.{stack}.yaml", column=key), hint=hint)


def read_config(get: Callable[[str], str | None], stack: str) -> StackConfig:
    """Config from `get(full_key)`; every missing or bad key is reported at once."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for key in REQUIRED_KEYS:
        value = (get(f"{NAMESPACE}:{key}") or "").strip()
        if not value:
            problems.append(
                _config_problem(
                    stack,
                    f"{NAMESPACE}:{key}",
                    f"missing stack config {NAMESPACE}:{key}",
                    f"`pulumi config set {NAMESPACE}:{key} VALUE --stack {stack}` "
                    "or re-run `forcelift generate`",
                )
            )
        values[key] = value
    cloud, layer = values["cloud"], values["layer"]
    if cloud and cloud not in PROVIDER_KEY:
        problems.append(
            _config_problem(
                stack, "forcelift:cloud", f"cloud {cloud!r} is not azure or aws", "use azure or aws"
            )
        )
    if layer and layer not in ("landing-zone", "wave"):
        problems.append(
            _config_problem(
                stack,
                "forcelift:layer",
                f"layer {layer!r} is not landing-zone or wave",
                "use landing-zone or wave",
            )
        )
    wave: int | None = None
    if layer == "wave":
        text = (get(f"{NAMESPACE}:wave") or "").strip()
        if not text.isdigit():
            problems.append(
                _config_problem(
                    stack,
                    "forcelift:wave",
                    f"wave stacks need {NAMESPACE}:wave (a wave number), got {text or 'nothing'}",
                    "re-run `forcelift generate`",
                )
            )
        else:
            wave = int(text)
    location = ""
    if cloud in PROVIDER_KEY:
        location = (get(PROVIDER_KEY[cloud]) or "").strip()
        if not location:
            problems.append(
                _config_problem(
                    stack,
                    PROVIDER_KEY[cloud],
                    f"missing stack config {PROVIDER_KEY[cloud]}",
                    f"`pulumi config set {PROVIDER_KEY[cloud]} REGION` (the plan's region)",
                )
            )
    gateway = (get(f"{NAMESPACE}:onPremGatewayAddress") or "").strip() or None
    if gateway is not None:
        try:
            ipaddress.IPv4Address(gateway)
        except ValueError:
            problems.append(
                _config_problem(
                    stack,
                    "forcelift:onPremGatewayAddress",
                    f"{gateway!r} is not an IPv4 address",
                    "give the public IP of the on-premise / PSN VPN endpoint",
                )
            )
    if problems:
        raise InputError(problems)
    return StackConfig(
        plan_path=values["plan"],
        cloud=cloud,
        layer=layer,
        organization=values["organization"],
        location=location,
        wave=wave,
        on_prem_gateway=gateway,
        platform_owner=(get(f"{NAMESPACE}:platformOwner") or "").strip() or PLATFORM_OWNER,
        platform_cost_centre=(get(f"{NAMESPACE}:platformCostCentre") or "").strip()
        or PLATFORM_COST_CENTRE,
        organization_root_id=(get(f"{NAMESPACE}:organizationRootId") or "").strip() or None,
    )


def cached_plan(path: Path) -> Plan:
    """load_plan, remembered per file and modification time (preview workers inherit it),
    and written once as a per-wave cache next to the plan (see `stack_view`)."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
    except OSError:
        return load_plan(path)  # let load_plan report the missing file
    if key not in _PLAN_CACHE:
        _PLAN_CACHE.clear()
        plan = load_plan(path)
        _PLAN_CACHE[key] = plan
        with contextlib.suppress(OSError):
            _write_cache(resolved, plan)
    return _PLAN_CACHE[key]


def prime_plan_cache(path: Path, plan: Plan) -> None:
    """Remember `plan` as the content of `path`, which the caller has just written from it.

    `forcelift migrate` holds the plan it wrote: handing it over spares the preview a second
    parse of the same YAML (minutes for a 100,000-server plan). Only for a plan written by
    plan_to_yaml, whose reading gives back an equal Plan (tested).
    """
    resolved = path.resolve()
    key = (str(resolved), resolved.stat().st_mtime_ns)
    _PLAN_CACHE.clear()
    _PLAN_CACHE[key] = plan
    with contextlib.suppress(OSError):
        _write_cache(resolved, plan)


@dataclass(frozen=True)
class PlanView:
    """The plan as one stack needs it. From the cache, `plan` holds only this stack's wave
    of its cloud's workloads; `indices` are their places in the whole plan (for error paths)
    and `applications` every application of the cloud (for name clashes)."""

    plan: Plan
    indices: tuple[int, ...] | None = None
    applications: tuple[str, ...] | None = None


# A big plan takes minutes to parse as YAML and holds hundreds of MB: after the first (full,
# validated) load, each stack reads a skeleton and its own wave from JSON files instead.
CACHE_VERSION = "1"


def _cache_dir(path: Path) -> tuple[Path, Path]:
    """(the plan's cache folder, the folder for this exact plan text and forcelift)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("forcelift")
    except PackageNotFoundError:
        release = "0"
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"/{PLAN_SCHEMA_VERSION}/{CACHE_VERSION}/{release}".encode())
    root = path.parent / f".{path.name}.cache"
    return root, root / digest.hexdigest()[:24]


def _write_cache(path: Path, plan: Plan) -> None:
    import shutil

    from pydantic import TypeAdapter

    root, target = _cache_dir(path)
    if (target / "complete").is_file():
        return
    workloads = TypeAdapter(list[CloudWorkload])
    staging = root / f"{target.name}.tmp{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    skeleton = plan.model_copy(
        update={
            "workloads": (),
            "clouds": tuple(c.model_copy(update={"workloads": ()}) for c in plan.clouds),
        }
    )
    (staging / "skeleton.json").write_text(skeleton.model_dump_json(), encoding="utf-8")
    for ci, cloud in enumerate(plan.clouds):
        names = [w.application for w in cloud.workloads]
        (staging / f"cloud-{ci}-names.json").write_text(json.dumps(names), encoding="utf-8")
        by_wave: dict[int, list[int]] = {}
        for i, w in enumerate(cloud.workloads):
            by_wave.setdefault(w.wave, []).append(i)
        for wave, indices in by_wave.items():
            chosen = [cloud.workloads[i] for i in indices]
            (staging / f"cloud-{ci}-wave-{wave}.json").write_bytes(
                b'{"indices":%s,"workloads":%s}'
                % (json.dumps(indices).encode(), workloads.dump_json(chosen))
            )
    (staging / "complete").write_text("", encoding="utf-8")
    for old in root.iterdir():
        if old != staging:
            shutil.rmtree(old, ignore_errors=True)
    staging.rename(target)


def stack_view(path: Path, cloud: str, stack: str) -> PlanView:
    """The plan for one stack: the whole plan if this process has it (preview workers), else
    the cache written by an earlier full load, else a full load (which writes the cache)."""
    resolved = path.resolve()
    try:
        key = (str(resolved), resolved.stat().st_mtime_ns)
        _, target = _cache_dir(resolved)
    except OSError:
        return PlanView(cached_plan(path))
    if key in _PLAN_CACHE or not (target / "complete").is_file():
        return PlanView(cached_plan(path))
    if (key, cloud, stack) not in _VIEW_CACHE:
        _VIEW_CACHE.clear()
        _VIEW_CACHE[(key, cloud, stack)] = _read_view(target, cloud, stack)
    return _VIEW_CACHE[(key, cloud, stack)]


def _read_view(target: Path, cloud: str, stack: str) -> PlanView:
    from pydantic import TypeAdapter

    skeleton = Plan.model_validate_json((target / "skeleton.json").read_bytes())
    ci = next((i for i, c in enumerate(skeleton.clouds) if c.cloud == cloud), None)
    planned = (
        None
        if ci is None
        else next((s for s in skeleton.clouds[ci].stacks if s.name == stack), None)
    )
    if ci is None or planned is None or planned.wave is None:
        return PlanView(skeleton, (), ())  # no workloads needed (or an error to report)
    names = tuple(json.loads((target / f"cloud-{ci}-names.json").read_text(encoding="utf-8")))
    wave_file = target / f"cloud-{ci}-wave-{planned.wave}.json"
    indices: tuple[int, ...] = ()
    workloads: tuple[CloudWorkload, ...] = ()
    if wave_file.is_file():
        data = json.loads(wave_file.read_bytes())
        indices = tuple(data["indices"])
        workloads = tuple(TypeAdapter(list[CloudWorkload]).validate_python(data["workloads"]))
    clouds = list(skeleton.clouds)
    clouds[ci] = clouds[ci].model_copy(update={"workloads": workloads})
    return PlanView(skeleton.model_copy(update={"clouds": tuple(clouds)}), indices, names)


@dataclass(frozen=True)
class StackContext:
    """Everything one stack's program needs: the checked plan, its entry and its config."""

    plan: Plan
    cloud_index: int
    stack: StackPlan
    config: StackConfig
    project: str
    stack_name: str
    plan_file: str = "plan.yaml"
    secrets: Callable[[str], Any] | None = field(default=None, compare=False)
    values: Callable[[str], str | None] | None = field(default=None, compare=False)
    indices: tuple[int, ...] | None = None  # places of cloud.workloads in the whole plan
    applications: tuple[str, ...] | None = None  # every application of the cloud

    @property
    def cloud(self) -> CloudPlan:
        return self.plan.clouds[self.cloud_index]

    @property
    def slug(self) -> str:
        return self.plan.force.slug

    def path(self, *parts: str | int) -> str:
        """A path inside the plan, e.g. clouds[0].workloads[5].vms[0].size."""
        out = f"clouds[{self.cloud_index}]"
        for part in parts:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def problem(self, path: str, message: str, hint: str | None = None) -> Problem:
        return Problem(
            f"{path}: {message}",
            Location(file=self.plan_file, column=path),
            hint=hint or "re-create the plan with `forcelift plan` (do not edit it by hand)",
        )

    def error(self, path: str, message: str, hint: str | None = None) -> InputError:
        return InputError(self.problem(path, message, hint))

    def reference_name(self, stack: str) -> str:
        return f"{self.config.organization}/{self.project}/{stack}"

    def workloads(self) -> list[tuple[int, CloudWorkload]]:
        """(index in the whole plan's cloud, workload) of the workloads this context holds."""
        workloads = self.cloud.workloads
        indices = self.indices if self.indices is not None else range(len(workloads))
        return list(zip(indices, workloads, strict=True))

    def all_applications(self) -> list[tuple[int, str]]:
        if self.applications is not None:
            return list(enumerate(self.applications))
        return [(i, w.application) for i, w in enumerate(self.cloud.workloads)]

    def wave_workloads(self) -> list[tuple[int, CloudWorkload]]:
        """(index in the cloud plan, workload) of every workload in this stack's wave."""
        return [(i, w) for i, w in self.workloads() if w.wave == self.stack.wave]

    def stack_workloads(self) -> list[tuple[int, CloudWorkload]]:
        return [(i, w) for i, w in self.wave_workloads() if w.stack == self.stack.name]

    def first_part(self) -> str | None:
        """The stack that owns this wave's spoke, when it is not this one (split waves)."""
        wave = next((w for w in self.cloud.waves if w.number == self.stack.wave), None)
        if wave is None or not wave.stacks or wave.stacks[0] == self.stack.name:
            return None
        return wave.stacks[0]

    def secret(self, key: str) -> Any:
        """A secret config value as a secret Output; missing -> InputError naming the key."""
        value = self.secrets(key) if self.secrets is not None else None
        if value is None:
            raise InputError(
                _config_problem(
                    self.stack_name,
                    f"{NAMESPACE}:{key}",
                    f"missing secret {NAMESPACE}:{key} (this stack needs it)",
                    f"`pulumi config set --secret {NAMESPACE}:{key} --stack {self.stack_name}`",
                )
            )
        return value

    def optional_secret(self, key: str) -> Any:
        return self.secrets(key) if self.secrets is not None else None

    def value(self, key: str) -> str:
        """A plain config value the engineer sets (e.g. certificateArn); missing -> InputError."""
        text = ((self.values(f"{NAMESPACE}:{key}") if self.values else None) or "").strip()
        if not text:
            raise InputError(
                _config_problem(
                    self.stack_name,
                    f"{NAMESPACE}:{key}",
                    f"missing stack config {NAMESPACE}:{key} (this stack needs it)",
                    f"`pulumi config set {NAMESPACE}:{key} VALUE --stack {self.stack_name}`",
                )
            )
        return text


# --- checks on the plan ------------------------------------------------------------------

_AZURE_SIZE = re.compile(r"^(Standard|Basic)_[A-Za-z0-9_]+$")
_AWS_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
_FQDN = re.compile(r"^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_AZURE_TAG_KEY_BAD = re.compile(r"[<>%&\\?/]")


def slug(text: str, max_len: int = 40) -> str:
    """A lower-case slug for component and server names (stable hash when shortened)."""
    name = make_name("aws-rds-instance", text) if text.strip() else ""
    if len(name) <= max_len:
        return name
    digest = hashlib.sha256(text.encode()).hexdigest()[:5]
    return f"{name[: max_len - 6].rstrip('-')}-{digest}"


def component_name(application: str) -> str:
    """Pulumi name of an application's components: unique per cloud (checked)."""
    return slug(application, 40)


def entry(mapping: Any, key: str) -> Any:
    """One value of a dict-valued Output (e.g. a stack reference's map); None when absent."""
    return mapping.apply(lambda values: (values or {}).get(key))


def highest_criticality(values: Iterable[str]) -> str:
    ranked = [v for v in values if v in CRITICALITY_ORDER]
    return max(ranked, key=CRITICALITY_ORDER.index) if ranked else "medium"


def check_tags(ctx: StackContext, path: str, tags: Mapping[str, str]) -> list[Problem]:
    problems = []
    for key in REQUIRED_TAGS:
        if not str(tags.get(key, "")).strip():
            problems.append(ctx.problem(f"{path}.{key}", "required tag is missing or empty"))
    classification = tags.get("data-classification")
    if classification and classification not in CLASSIFICATIONS:
        problems.append(
            ctx.problem(
                f"{path}.data-classification",
                f"{classification!r} is not OFFICIAL or OFFICIAL-SENSITIVE",
            )
        )
    for key, value in sorted(tags.items()):
        if ctx.config.cloud == "aws":
            why = check_name("aws-tag-value", value)
            if why or len(key) > 128 or key.lower().startswith("aws:"):
                problems.append(
                    ctx.problem(f"{path}.{key}", f"AWS tag {key}={value!r}: {why or 'bad key'}")
                )
        elif len(key) > 512 or len(value) > 256 or _AZURE_TAG_KEY_BAD.search(key):
            problems.append(
                ctx.problem(f"{path}.{key}", f"Azure tag {key}={value[:40]!r} breaks tag rules")
            )
    return problems


def check_plan(ctx: StackContext) -> None:
    """What the stacks need of the plan beyond its schema: UK region, names that build valid
    resource names, sizes and disk types the components take. Raises one InputError."""
    cloud = ctx.config.cloud
    plan_cloud = ctx.cloud
    problems: list[Problem] = []
    if plan_cloud.region not in UK_REGIONS[cloud]:
        problems.append(
            ctx.problem(
                ctx.path("region"),
                f"{plan_cloud.region!r} is not a UK region ({', '.join(UK_REGIONS[cloud])})",
            )
        )
    if ctx.config.location != plan_cloud.region:
        problems.append(
            _config_problem(
                ctx.stack_name,
                PROVIDER_KEY[cloud],
                f"{PROVIDER_KEY[cloud]} is {ctx.config.location!r} but the plan says "
                f"{plan_cloud.region!r}",
                "re-run `forcelift generate` so config and plan agree",
            )
        )
    problems.extend(_once(ctx, ("names", ctx.cloud_index), lambda: _check_names(ctx)))
    mine = ctx.stack_workloads() if ctx.stack.layer == "wave" else []
    if ctx.stack.layer == "wave":
        wanted = set(ctx.stack.applications)
        found = {w.application for _, w in mine}
        for missing in sorted(wanted - found):
            problems.append(
                ctx.problem(
                    ctx.path("stacks"),
                    f"stack {ctx.stack.name} lists {missing!r} but no workload of wave "
                    f"{ctx.stack.wave} is placed in it",
                )
            )
        if not any(w.number == ctx.stack.wave for w in plan_cloud.waves):
            problems.append(
                ctx.problem(ctx.path("waves"), f"wave {ctx.stack.wave} has no spoke in the plan")
            )
    # The spoke and its flows come from the whole wave, so the whole wave is checked.
    if ctx.stack.layer == "wave":
        problems.extend(
            _once(
                ctx,
                ("wave", ctx.cloud_index, ctx.stack.wave),
                lambda: [p for i, w in ctx.wave_workloads() for p in _check_workload(ctx, i, w)],
            )
        )
    if problems:
        raise InputError(problems)


# Checks that depend only on the plan (not on the stack), done once per plan object: every
# stack of a 100,000-server plan shares its cloud's names and its wave's workloads.
_CHECKED: dict[str, Any] = {"plan": None, "results": {}}


def _once(
    ctx: StackContext, key: tuple[Any, ...], check: Callable[[], list[Problem]]
) -> list[Problem]:
    if _CHECKED["plan"] is not ctx.plan:  # holding the plan keeps its identity unique
        _CHECKED["plan"], _CHECKED["results"] = ctx.plan, {}
    results: dict[tuple[Any, ...], tuple[Problem, ...]] = _CHECKED["results"]
    if key not in results:
        results[key] = tuple(check())
    return list(results[key])


def _check_names(ctx: StackContext) -> list[Problem]:
    """Every application of the cloud gives a usable, distinct component name."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, application in ctx.all_applications():
        name = component_name(application)
        if not name:
            problems.append(
                ctx.problem(
                    ctx.path("workloads", index, "application"),
                    f"{application!r} gives no usable resource name",
                )
            )
        elif name in seen:
            problems.append(
                ctx.problem(
                    ctx.path("workloads", index, "application"),
                    f"{application!r} and {seen[name]!r} give the same resource name {name!r}",
                    "rename one application in the inventory",
                )
            )
        seen.setdefault(name, application)
    return problems


def _check_workload(ctx: StackContext, index: int, workload: CloudWorkload) -> list[Problem]:
    cloud = ctx.config.cloud
    base = ctx.path("workloads", index)
    problems = check_tags(ctx, f"{base}.tags", workload.tags)
    servers: dict[str, str] = {}
    for v, vm in enumerate(workload.vms):
        path = f"{base}.vms[{v}]"
        pattern = _AZURE_SIZE if cloud == "azure" else _AWS_TYPE
        if not pattern.match(vm.size):
            problems.append(
                ctx.problem(f"{path}.size", f"{vm.size!r} is not a {cloud} VM size / type")
            )
        if not vm.disks:
            problems.append(ctx.problem(f"{path}.disks", "a VM needs at least its OS disk"))
        server = server_name(cloud, vm.server, vm.os)
        if not server:
            problems.append(ctx.problem(f"{path}.server", f"{vm.server!r} gives no usable VM name"))
        elif server in servers:
            problems.append(
                ctx.problem(
                    f"{path}.server",
                    f"{vm.server!r} and {servers[server]!r} give the same VM name {server!r}",
                    "rename one server in the inventory",
                )
            )
        servers.setdefault(server, vm.server)
        limit = 32767 if cloud == "azure" else 16384
        for d, disk in enumerate(vm.disks):
            if not 1 <= disk.size_gib <= limit:
                problems.append(
                    ctx.problem(
                        f"{path}.disks[{d}].size_gib",
                        f"{disk.size_gib} GiB is outside 1-{limit} for a {cloud} disk",
                    )
                )
            if disk_type_known(cloud, disk.type) is False:
                problems.append(
                    ctx.problem(
                        f"{path}.disks[{d}].type",
                        f"disk type {disk.type!r} is not one the {cloud} components create",
                    )
                )
        if cloud == "aws" and len(vm.disks) - 1 > 11:
            problems.append(
                ctx.problem(f"{path}.disks", "more than 11 data volumes on one instance")
            )
    for f, flow in enumerate(workload.inbound):
        path = f"{base}.inbound[{f}]"
        kind = "azure-nsg" if cloud == "azure" else "aws-security-group"
        why = check_name(kind, flow.name)
        if why:
            problems.append(ctx.problem(f"{path}.name", f"flow name {flow.name!r}: {why}"))
        try:
            network = ipaddress.IPv4Network(flow.source_cidr, strict=True)
        except ValueError as exc:
            problems.append(ctx.problem(f"{path}.source_cidr", str(exc)))
        else:
            if network.prefixlen == 0:
                problems.append(
                    ctx.problem(f"{path}.source_cidr", "ingress from anywhere is never allowed")
                )
        if not 1 <= flow.port <= 65535:
            problems.append(ctx.problem(f"{path}.port", f"{flow.port} is not a port"))
    if workload.saas is not None:
        for q, fqdn in enumerate(workload.saas.fqdns):
            if not _FQDN.match(fqdn.lower()):
                problems.append(
                    ctx.problem(f"{base}.saas.fqdns[{q}]", f"{fqdn!r} is not a domain name")
                )
    return problems


def server_name(cloud: str, server: str, os: str) -> str:
    """The VM name the components use (Azure: make_name rules; AWS: a lower-case slug)."""
    if cloud == "azure":
        return make_name("azure-vm-windows" if os == "windows" else "azure-vm-linux", server)
    return slug(server, 63)


_DISK_TYPES = {
    "azure": {"premiumssd", "standardssd", "standardhdd", "premiumv2", "premiumssdv2"},
    "aws": {"gp3", "gp2"},
}


def disk_type_known(cloud: str, disk_type: str) -> bool:
    return disk_type.replace("_", "").replace(" ", "").lower() in _DISK_TYPES[cloud]


# --- the entry point ---------------------------------------------------------------------


def context_from(
    config: StackConfig,
    stack_name: str,
    project: str,
    *,
    secrets: Callable[[str], Any] | None = None,
    values: Callable[[str], str | None] | None = None,
    base_dir: Path | None = None,
) -> StackContext:
    """Load and check the plan for this stack; raise InputError before anything is declared."""
    path = Path(config.plan_path)
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    view = stack_view(path, config.cloud, stack_name)
    plan = view.plan
    plan_file = config.plan_path
    index = next((i for i, c in enumerate(plan.clouds) if c.cloud == config.cloud), None)
    if index is None:
        raise InputError(
            f"the plan has no {config.cloud} cloud "
            f"(it plans {', '.join(c.cloud for c in plan.clouds)})",
            Location(file=plan_file, column="clouds"),
            hint="re-create the plan with `forcelift plan --cloud ...` or fix forcelift:cloud",
        )
    stack = next((s for s in plan.clouds[index].stacks if s.name == stack_name), None)
    if stack is None:
        raise InputError(
            f"stack {stack_name!r} is not in the plan (clouds[{index}].stacks)",
            Location(file=plan_file, column=f"clouds[{index}].stacks"),
            hint="select one of the plan's stacks, or re-run `forcelift generate`",
        )
    ctx = StackContext(
        plan=plan,
        cloud_index=index,
        stack=stack,
        config=config,
        project=project,
        stack_name=stack_name,
        plan_file=plan_file,
        secrets=secrets,
        values=values,
        indices=view.indices,
        applications=view.applications,
    )
    problems = []
    if stack.layer != config.layer:
        problems.append(
            _config_problem(
                stack_name,
                "forcelift:layer",
                f"forcelift:layer is {config.layer!r} but the plan's stack is {stack.layer!r}",
                "re-run `forcelift generate`",
            )
        )
    if stack.layer == "wave" and stack.wave != config.wave:
        problems.append(
            _config_problem(
                stack_name,
                "forcelift:wave",
                f"forcelift:wave is {config.wave} but the plan's stack is wave {stack.wave}",
                "re-run `forcelift generate`",
            )
        )
    if problems:
        raise InputError(problems)
    check_plan(ctx)
    return ctx


def main() -> None:
    """Entry point of the Pulumi program (stacks/__main__.py)."""
    import pulumi

    stack_name = pulumi.get_stack()
    settings = pulumi.Config(NAMESPACE)

    def secrets(key: str) -> Any:
        return settings.get_secret(key)

    try:
        config = read_config(_config_getter(), stack_name)
        ctx = context_from(
            config, stack_name, pulumi.get_project(), secrets=secrets, values=_config_getter()
        )
        if config.cloud == "azure":
            from forcelift.stacks import azure_program

            azure_program.build(ctx)
        else:
            from forcelift.stacks import aws_program

            aws_program.build(ctx)
    except InputError as exc:
        raise _stack_input_error(exc) from None


def _stack_input_error(exc: InputError) -> InputError:
    """The same InputError, also a pulumi.RunError so the Pulumi CLI prints it cleanly
    (message, no traceback) while callers and tests still catch InputError."""
    import pulumi

    class StackInputError(InputError, pulumi.RunError):
        pass

    return StackInputError(exc.problems)


def _config_getter() -> Callable[[str], str | None]:
    import pulumi

    def get(full_key: str) -> str | None:
        namespace, _, key = full_key.partition(":")
        return pulumi.Config(namespace).get(key)

    return get
