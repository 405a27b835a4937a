"""What the stacks need of the plan beyond its schema: UK region, names that build valid
resource names, sizes and disk types the components take. Raised as one InputError before
anything is declared."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from forcelift.migration.clouds import ALLOWED_REGIONS, DISK_TYPES, PROVIDER_CONFIG_KEY
from forcelift.migration.errors import InputError, Problem
from forcelift.migration.naming import check_name
from forcelift.migration.plan.planfile import CloudWorkload
from forcelift.stacks.config import config_problem
from forcelift.stacks.context import (
    StackContext,
    component_name,
    server_name,
    sharing_stack_name,
)

REQUIRED_TAGS = ("application", "owner", "data-classification", "cost-centre", "wave")
CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
_AZURE_SIZE = re.compile(r"^(Standard|Basic)_[A-Za-z0-9_]+$")
_AWS_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
_FQDN = re.compile(r"^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_AZURE_TAG_KEY_BAD = re.compile(r"[<>%&\\?/]")
_WAVE_STACK = r"^[a-z][a-z0-9-]{{1,23}}-{cloud}-wave-[0-9]+(-[0-9]+)?$"


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
    if plan_cloud.region not in ALLOWED_REGIONS[cloud]:
        problems.append(
            ctx.problem(
                ctx.path("region"),
                f"{plan_cloud.region!r} is not a UK region ({', '.join(ALLOWED_REGIONS[cloud])})",
            )
        )
    if ctx.config.location != plan_cloud.region:
        problems.append(
            config_problem(
                ctx.stack_name,
                PROVIDER_CONFIG_KEY[cloud],
                f"{PROVIDER_CONFIG_KEY[cloud]} is {ctx.config.location!r} but the plan says "
                f"{plan_cloud.region!r}",
                "re-run `forcelift generate` so config and plan agree",
            )
        )
    problems.extend(_names_once(ctx))
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
    if ctx.stack.layer == "sharing":
        problems.extend(check_sharing(ctx))
    # The first part declares the spoke and its flows from the whole wave, so it checks the
    # whole wave; a later part checks its own workloads (its slice summarises the others).
    if ctx.stack.layer == "wave":
        whole = ctx.first_part() is None
        members = ctx.wave_workloads if whole else ctx.stack_workloads
        problems.extend(
            _once(
                ctx,
                ("wave", ctx.cloud_index, ctx.stack.wave, whole or ctx.stack.name),
                lambda: [p for i, w in members() for p in _check_workload(ctx, i, w)],
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


# The names check keys on the cloud's application names themselves: every stack's slice of
# one plan is its own object, but they share one names tuple (stacks/plan_slice.py).
_NAMES: dict[str, Any] = {"names": None, "results": {}}


def _names_once(ctx: StackContext) -> list[Problem]:
    if ctx.applications is None:
        return _once(ctx, ("names", ctx.cloud_index), lambda: _check_names(ctx))
    if _NAMES["names"] is not ctx.applications:  # holding the tuple keeps its identity unique
        _NAMES["names"], _NAMES["results"] = ctx.applications, {}
    results: dict[tuple[Any, ...], tuple[Problem, ...]] = _NAMES["results"]
    key = (ctx.plan_file, ctx.cloud_index)
    if key not in results:
        results[key] = tuple(_check_names(ctx))
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


def disk_type_known(cloud: str, disk_type: str) -> bool:
    return disk_type.replace("_", "").replace(" ", "").lower() in DISK_TYPES[cloud]


def check_sharing(ctx: StackContext) -> list[Problem]:
    """A sharing stack: its name, and every service it reaches has a source it can read (a
    host's wave stack, which must be in the plan when it is this force's own, with the name
    of the service in that stack's `sharedServices` output) or a partner's endpoint."""
    cloud, slug = ctx.config.cloud, ctx.slug
    index = next(i for i, s in enumerate(ctx.cloud.stacks) if s.name == ctx.stack.name)
    problems = []
    expected = sharing_stack_name(slug, cloud)
    if ctx.stack.name != expected:
        problems.append(ctx.problem(ctx.path("stacks", index, "name"), f"should be {expected!r}"))
    if ctx.stack.wave is not None or ctx.stack.part is not None:
        problems.append(ctx.problem(ctx.path("stacks", index), "a sharing stack has no wave"))
    services = ctx.consumed()
    if not services:
        problems.append(
            ctx.problem(
                ctx.path("sharing", "consumed"),
                f"no consumed service names the sharing stack {ctx.stack.name}",
            )
        )
    own = {s.name for s in ctx.cloud.stacks if s.layer == "wave"}
    for i, service in services:
        path = ctx.path("sharing", "consumed", i)
        source = service.source_stack
        if not source and not service.endpoint:
            problems.append(
                ctx.problem(
                    f"{path}.source_stack",
                    f"{service.name!r} has neither a source stack (the host's wave stack) "
                    "nor a partner endpoint",
                )
            )
        if source and not re.match(_WAVE_STACK.format(cloud=cloud), source):
            problems.append(
                ctx.problem(f"{path}.source_stack", f"{source!r} is not a {cloud} wave stack")
            )
        elif source.startswith(f"{slug}-{cloud}-") and source not in own:
            problems.append(
                ctx.problem(f"{path}.source_stack", f"{source!r} is not a wave stack of the plan")
            )
        if source and not service.source_name:
            problems.append(
                ctx.problem(f"{path}.source_name", f"which service of {source} {service.name!r} is")
            )
        if not 1 <= service.port <= 65535:
            problems.append(ctx.problem(f"{path}.port", f"{service.port} is not a port"))
        if not _FQDN.match(service.dns_name.lower()):
            problems.append(
                ctx.problem(f"{path}.dns_name", f"{service.dns_name!r} is not a domain name")
            )
    return problems
