"""Run a Pulumi program in-process under the mock runtime and record what it declares.

This is the offline preview: no CLI, no cloud, deterministic ids and outputs. Every resource
registration is recorded with its URN, type, parent, inputs (wire form), dependencies and
protect flag, which is what architects review and what the guardrails check. Two resources with
the same URN are recorded as a duplicate (the mock runtime itself would not notice).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi.resource as pulumi_resource
import pulumi.runtime
import pulumi.runtime.resource as pulumi_runtime_resource
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings

FAKE_ACCOUNT = "123456789012"
FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
FAKE_TENANT = "11111111-1111-1111-1111-111111111111"
FAKE_AMI = "ami-0123456789abcdef0"
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how the wire form marks a secret value
COMPUTED = "<computed>"
SECRET = "<secret>"
# Output-only ids other resources or stack references use, made deterministic (otherwise they
# stay unknown in a preview): type -> {property: template}.
AWS_OUTPUT_IDS: dict[str, dict[str, str]] = {
    "aws:route53/zone:Zone": {"zoneId": "Z{rid}"},
    "aws:kms/key:Key": {"keyId": "{rid}"},
    "aws:ec2/vpcEndpoint:VpcEndpoint": {"prefixListId": "pl-{rid}"},
    # What the sharing layer hands on: consumers' endpoints name the service, staff reach
    # the Verified Access endpoint's domain, and the staff endpoints attach to a server's
    # primary network interface or to the ALB Elastic Beanstalk makes (its name is its ARN).
    "aws:ec2/vpcEndpointService:VpcEndpointService": {
        "serviceName": "com.amazonaws.vpce.eu-west-2.vpce-svc-{rid}"
    },
    "aws:verifiedaccess/endpoint:Endpoint": {
        "endpointDomain": "{endpointDomainPrefix}.edge-{rid}.vai-{rid}"
        ".prod.verified-access.eu-west-2.amazonaws.com"
    },
    "aws:ec2/instance:Instance": {"primaryNetworkInterfaceId": "eni-{rid}"},
}
AWS_OUTPUT_LISTS: dict[str, dict[str, str]] = {
    "aws:elasticbeanstalk/environment:Environment": {
        "loadBalancers": "arn:aws:elasticloadbalancing:eu-west-2:"
        + FAKE_ACCOUNT
        + ":loadbalancer/app/awseb-{rid}/{rid}"
    },
}
# azure-native: a Private Link service's alias, what consumers' private endpoints connect to.
AZURE_OUTPUT_IDS: dict[str, dict[str, str]] = {
    "azure-native:network:PrivateLinkService": {
        "alias": "{serviceName}.{guid}.{location}.azure.privatelinkservice"
    },
}


def _template_values(rid: str, inputs: Mapping[str, Any]) -> dict[str, str]:
    """What an output template may name: the resource's id hash, a GUID from it, and its
    plain-text inputs."""
    digest = hashlib.sha256(rid.encode()).hexdigest()
    guid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    values = {k: v for k, v in inputs.items() if isinstance(v, str)}
    return {"location": "uksouth", **values, "rid": rid, "guid": guid}


def _fill(state: dict[str, Any], templates: Mapping[str, str], values: Mapping[str, str]) -> None:
    for key, template in templates.items():
        # an input the template needs is unknown (or missing): the output stays unknown
        with contextlib.suppress(KeyError):
            state.setdefault(key, template.format(**values))


def sanitise(value: Any) -> Any:
    """Wire-form inputs made safe to print and store: secrets redacted, unknowns named."""
    if isinstance(value, Mapping):
        if SECRET_SIG in value:
            return SECRET
        return {str(k): sanitise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [sanitise(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return COMPUTED  # pulumi's Unknown sentinel and other runtime-only values


@dataclass(frozen=True)
class RecordedResource:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    protect: bool
    dependencies: tuple[str, ...]
    inputs: Mapping[str, Any]
    provider: str = ""
    aliases: int = 0  # aliases sent with the registration (none: see _aliases_skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "custom": self.custom,
            "protect": self.protect,
            "dependencies": list(self.dependencies),
            "inputs": sanitise(self.inputs),
        }


@dataclass
class MockRun:
    """Everything one program run declared."""

    project: str
    stack: str
    resources: list[RecordedResource] = field(default_factory=list)
    duplicate_urns: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    #: the outputs the program read of each stack reference (by its name; "*": a name that
    #: was itself an Output, so all of them)
    reads: dict[str, set[str]] = field(default_factory=dict)

    def of_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]


def _stable_id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:16]


class DeterministicMocks(pulumi.runtime.Mocks):
    """Echo inputs as outputs, with ids and ARNs derived from names (stable across runs)."""

    def __init__(self, stack_outputs: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.stack_outputs = dict(stack_outputs or {})
        # The SDK registers resources from a thread pool: each registration reads back the
        # inputs it just handed to new_resource, so they are kept per thread.
        self._local = threading.local()

    @property
    def last_inputs(self) -> dict[str, Any]:
        return getattr(self._local, "inputs", {})

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        self._local.inputs = dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            stack_name = str(args.inputs.get("name", args.name))
            outputs = dict(self.stack_outputs.get(stack_name, {}))
            return stack_name, {"name": stack_name, "outputs": outputs, "secretOutputNames": []}
        state = dict(args.inputs)
        rid = _stable_id(args.typ, args.name)
        if args.typ.startswith("aws:"):
            service = args.typ.split(":")[1].split("/")[0]
            state.setdefault("arn", f"arn:aws:{service}:eu-west-2:{FAKE_ACCOUNT}:{args.name}")
            state.setdefault("id", f"{args.name}-{rid[:8]}")
            if args.typ in AWS_OUTPUT_IDS or args.typ in AWS_OUTPUT_LISTS:
                values = _template_values(rid, args.inputs)
                _fill(state, AWS_OUTPUT_IDS.get(args.typ, {}), values)
                lists: dict[str, Any] = {}
                _fill(lists, AWS_OUTPUT_LISTS.get(args.typ, {}), values)
                for key, value in lists.items():
                    state.setdefault(key, [value])
        if args.typ.startswith("azure-native:"):
            resource_id = (
                f"/subscriptions/{FAKE_SUBSCRIPTION}/resourceGroups/mock/providers/"
                f"{args.typ.split(':')[1]}/{args.name}"
            )
            state.setdefault("id", resource_id)
            # azure-native names live in `<resourceType>Name` (e.g. virtualNetworkName)
            kind = args.typ.rsplit(":", 1)[-1]
            own_name = args.inputs.get(kind[:1].lower() + kind[1:] + "Name")
            state.setdefault("name", args.inputs.get("name", own_name or args.name))
            if args.typ in AZURE_OUTPUT_IDS:
                _fill(state, AZURE_OUTPUT_IDS[args.typ], _template_values(rid, args.inputs))
            return resource_id, state
        return f"{args.name}-{rid}", state

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        return self.answer(args), []

    def answer(self, args: pulumi_mocks.MockCallArgs) -> dict:
        """The result of an invoke the stack programs make (account, region, zones, AMIs)."""
        token = args.token
        if token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": FAKE_TENANT,
                "objectId": FAKE_TENANT,
                "subscriptionId": FAKE_SUBSCRIPTION,
                "tenantId": FAKE_TENANT,
            }
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": FAKE_ACCOUNT,
                "arn": f"arn:aws:iam::{FAKE_ACCOUNT}:user/mock",
                "userId": "MOCK",
                "id": FAKE_ACCOUNT,
            }
        if token == "aws:index/getRegion:getRegion":
            return {
                "name": "eu-west-2",
                "region": "eu-west-2",
                "id": "eu-west-2",
                "description": "Europe (London)",
                "endpoint": "ec2.eu-west-2.amazonaws.com",
            }
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                "names": ["eu-west-2a", "eu-west-2b", "eu-west-2c"],
                "zoneIds": ["euw2-az2", "euw2-az3", "euw2-az1"],
                "id": "eu-west-2",
            }
        if token == "aws:ssm/getParameter:getParameter":
            name = str(args.args.get("name", ""))
            return {"name": name, "value": FAKE_AMI, "type": "String", "id": name}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        return {}


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock monitor, plus a record of parents, dependencies, protect and duplicates.

    The mock runtime builds URNs with the root stack in the type chain; the engine does not.
    Recorded URNs follow the engine's form (`urn:pulumi:STACK::PROJECT::Parent$Type::name`), so
    the resource graph reads the same as `pulumi preview` would show it.
    """

    def __init__(self, mocks: DeterministicMocks, run: MockRun) -> None:
        super().__init__(mocks)
        self._mocks = mocks
        self._run = run
        self._engine_urn: dict[str, str] = {}
        self._type_chain: dict[str, str] = {}
        self._seen: set[str] = set()

    def SupportsFeature(self, request: Any) -> Any:
        # With alias specs the SDK never reads the alias URNs Resource.__init__ would build
        # (`_aliases_skipped` relies on it).
        if request.id == "aliasSpecs":
            return type("SupportsFeatureResponse", (object,), {"hasSupport": True})
        return super().SupportsFeature(request)

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        parent_chain = self._type_chain.get(request.parent, "")
        chain = f"{parent_chain}${request.type}" if parent_chain else request.type
        urn = f"urn:pulumi:{self._run.stack}::{self._run.project}::{chain}::{request.name}"
        self._type_chain[response.urn] = chain
        self._engine_urn[response.urn] = urn
        if urn in self._seen:
            self._run.duplicate_urns.append(urn)
        self._seen.add(urn)
        self._run.resources.append(
            RecordedResource(
                urn=urn,
                type=request.type,
                name=request.name,
                parent=self._engine_urn.get(request.parent, ""),
                custom=bool(request.custom),
                protect=bool(request.protect),
                dependencies=tuple(
                    sorted({self._engine_urn.get(d, d) for d in request.dependencies})
                ),
                inputs=self._mocks.last_inputs,
                provider=request.provider,
                aliases=len(request.aliases),
            )
        )
        return response


@contextlib.contextmanager
def _aliases_skipped() -> Iterator[None]:
    """Leave out resource aliases: an offline preview has no earlier state for them to match.

    Aliases only tell the engine that a resource in existing state is the same one under an
    older name or type. Every azure-native resource carries one per API version (60 on a
    NIC), and the SDK pays for each twice: Resource.__init__ builds a URN Output chain (read
    only for engines without alias specs) and registration resolves it into an alias spec.
    That was about two thirds of a large stack's preview time; nothing recorded depends on it.
    """
    collapse = pulumi_resource.collapse_alias_to_urn
    prepare = pulumi_runtime_resource.prepare_aliases

    async def no_aliases(*_args: Any) -> list[Any]:
        return []

    pulumi_resource.collapse_alias_to_urn = lambda alias, *_: alias  # type: ignore[assignment]
    pulumi_runtime_resource.prepare_aliases = no_aliases  # type: ignore[assignment]
    try:
        yield
    finally:
        pulumi_resource.collapse_alias_to_urn = collapse
        pulumi_runtime_resource.prepare_aliases = prepare


def run_mocked(
    program: Callable[[], None],
    *,
    project: str,
    stack: str,
    config: Mapping[str, str] | None = None,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> MockRun:
    """Run `program` under the mock runtime; return every resource it declared."""
    run = MockRun(project=project, stack=stack)
    mocks = DeterministicMocks(stack_outputs)
    monitor = RecordingMonitor(mocks, run)
    pulumi_settings.reset_options()
    pulumi.runtime.set_all_config(dict(config or {}))
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=True, monitor=monitor)

    def wrapped() -> pulumi.Output[None]:
        program()
        root = pulumi_settings.get_root_resource()
        exports = dict(getattr(root, "outputs", {}) or {})
        # Exports only known after deployment are kept (as Unknown, shown as <computed>)
        # instead of dropping the whole set.
        return pulumi.Output.from_input(exports).apply(run.outputs.update, run_with_unknowns=True)

    with _aliases_skipped(), _reads_recorded(run):
        pulumi.runtime.test(wrapped)()
    return run


@contextlib.contextmanager
def _reads_recorded(run: MockRun) -> Iterator[None]:
    """Record every `get_output` / `require_output` on a StackReference into `run.reads`:
    a stack's content key covers only the referenced outputs it read (preview_stamps.py)."""
    reference = pulumi.StackReference
    get, require = reference.get_output, reference.require_output

    def note(self: pulumi.StackReference, name: Any) -> None:
        run.reads.setdefault(self._name, set()).add(name if isinstance(name, str) else "*")

    def get_output(self: pulumi.StackReference, name: Any) -> pulumi.Output[Any]:
        note(self, name)
        return get(self, name)

    def require_output(self: pulumi.StackReference, name: Any) -> pulumi.Output[Any]:
        note(self, name)
        return require(self, name)

    reference.get_output = get_output  # type: ignore[method-assign]
    reference.require_output = require_output  # type: ignore[method-assign]
    try:
        yield
    finally:
        reference.get_output = get  # type: ignore[method-assign]
        reference.require_output = require  # type: ignore[method-assign]
