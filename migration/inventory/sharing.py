"""Partner organisations and the information a force shares with them, as inventory data.

Forces move to share safely, so who they share with (another force, the NCA, CPS, a council's
social services) and under which agreement is recorded beside the estate rather than guessed
from "external" dependencies. Identifiers are checked on read: a malformed subscription or
account id here would otherwise become an allow list that lets nobody (or the wrong party) in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from forcelift.migration.inventory.normalise import parse_classification
from forcelift.migration.inventory.vocabulary import SecurityClassification

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AWS_ACCOUNT = re.compile(r"^[0-9]{12}$")
AWS_OU = re.compile(r"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$")
AWS_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
#: what AWS RAM takes for an OU (components/aws/ram_share.py checks the same pattern)
AWS_OU_ARN = re.compile(
    r"^arn:aws:organizations::(?P<account>[0-9]{12}):ou/(?P<org>o-[a-z0-9]{10,32})/"
    r"(?P<ou>ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$"
)


class PartnerKind(StrEnum):
    FORCE = "force"
    NATIONAL_BODY = "national-body"
    AGENCY = "agency"
    SUPPLIER = "supplier"


class FlowDirection(StrEnum):
    OUTBOUND = "outbound"  # our application provides, the partner consumes
    INBOUND = "inbound"  # the partner provides, our application consumes
    BOTH = "both"


def _word(value: object) -> object:
    """`National Body`, `national_body` and `NATIONAL-BODY` are one enum word."""
    if isinstance(value, str):
        return re.sub(r"[\s_]+", "-", value.strip().lower())
    return value


def check_guid(value: object, what: str = "GUID") -> str:
    """A GUID in its canonical lower-case form; `ValueError` names what was malformed."""
    text = value.strip().strip("{}").lower() if isinstance(value, str) else ""
    if not GUID.match(text):
        raise ValueError(f"{what} {value!r} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    return text


def check_account(value: object, what: str = "AWS account id") -> str:
    """Twelve digits. YAML reads an unquoted id as a number, which is fine when it has twelve
    digits; a shorter number is rejected, never padded (an id with leading zeros must be
    quoted, or YAML may even read it as octal)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = value.strip() if isinstance(value, str) else ""
    if not AWS_ACCOUNT.match(text):
        raise ValueError(f"{what} {value!r} is not 12 digits")
    return text


def check_ou(value: object) -> str:
    """An OU as its bare id (`ou-xxxx-xxxxxxxx`) or its ARN; AWS RAM takes only the ARN, so a
    bare id is usable for a share only with the organisation it belongs to (:func:`ou_arn`)."""
    text = value.strip() if isinstance(value, str) else None
    if text is None or (text and not (AWS_OU.match(text) or AWS_OU_ARN.match(text))):
        raise ValueError(
            f"AWS organizational unit id {value!r} is malformed (expected ou-xxxx-xxxxxxxx "
            "or its ARN, arn:aws:organizations::<account>:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)"
        )
    return text


def check_organization_id(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not AWS_ORG.match(text):
        raise ValueError(f"AWS organization id {value!r} is malformed (expected o-xxxxxxxxxx)")
    return text


def _optional_guid(what: str) -> BeforeValidator:
    return BeforeValidator(lambda v: "" if v in (None, "") else check_guid(v, what))


#: an Azure subscription id (GUID, lower-cased) and an AWS account id (12 digits), validated
#: per item so an error names the list position
SubscriptionId = Annotated[str, BeforeValidator(lambda v: check_guid(v, "Azure subscription id"))]
AccountId = Annotated[str, BeforeValidator(check_account)]
#: the same, optional ("" when not known)
OptionalSubscriptionId = Annotated[str, _optional_guid("Azure subscription id")]
OptionalTenantId = Annotated[str, _optional_guid("Azure tenant id")]
OptionalAccountId = Annotated[
    str, BeforeValidator(lambda v: "" if v in (None, "") else check_account(v))
]
OrganizationUnitId = Annotated[str, BeforeValidator(check_ou)]
OrganizationId = Annotated[str, BeforeValidator(check_organization_id)]


def name_key(name: str) -> str:
    """How partner names are compared: case, spaces and punctuation do not count, so
    "National Crime Agency", "national-crime-agency" and "NATIONAL CRIME AGENCY" are one."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def _strings(value: object) -> object:
    """One string or a list: a single id written without a list is still a list of one."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return (value,)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class AwsOrganization(_Model):
    """The AWS organisation an OU id belongs to: the two parts of an OU's ARN the id lacks."""

    management_account: AccountId
    id: OrganizationId

    def ou_arn(self, ou: str) -> str:
        return f"arn:aws:organizations::{self.management_account}:ou/{self.id}/{ou}"


def ou_arn(ou: str, organization: AwsOrganization | None = None) -> str:
    """The ARN AWS RAM needs for `ou` (an ARN already, or a bare id and its organisation);
    "" when only a bare id is known: a share then goes to the named accounts instead."""
    if AWS_OU_ARN.match(ou):
        return ou
    if ou and organization is not None:
        return organization.ou_arn(ou)
    return ""


def ou_mismatch(ou: str, organization: AwsOrganization | None) -> str:
    """Why an OU ARN cannot be in `organization` (another management account or organisation
    id), or "" when it can (or either is not given)."""
    found = AWS_OU_ARN.match(ou)
    if found is None or organization is None:
        return ""
    if found["account"] != organization.management_account or found["org"] != organization.id:
        return (
            f"OU {ou!r} is not in the organisation {organization.id} managed from "
            f"{organization.management_account}"
        )
    return ""


class Partner(_Model):
    """An organisation this force shares with: another force, a national body, an agency."""

    name: Annotated[str, Field(min_length=1)]  # the key, compared case-insensitively
    kind: PartnerKind
    cloud: Literal["azure", "aws", ""] = ""
    azure_tenant: OptionalTenantId = ""
    azure_subscriptions: tuple[SubscriptionId, ...] = ()
    aws_accounts: tuple[AccountId, ...] = ()
    aws_organization_unit: OrganizationUnitId = ""
    #: the partner's own private service for INBOUND flows: an Azure Private Link service alias
    #: or resource id, or an AWS endpoint service name
    endpoint: str = ""
    description: str = ""
    #: other names the estate uses for it ("NCA"); matched like the name
    aliases: tuple[str, ...] = ()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError("a partner needs a name")
        return text

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _word(value)

    @field_validator("cloud", mode="before")
    @classmethod
    def _cloud(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("azure_subscriptions", "aws_accounts", "aliases", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _strings(value)

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def aws_ou_arn(self) -> str:
        """The OU as AWS RAM takes it, when written as an ARN; "" for a bare id (a share then
        goes to `aws_accounts`)."""
        return ou_arn(self.aws_organization_unit)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this partner is known by, as :func:`name_key`s: its name, its aliases, the
        initials of a long name ("National Crime Agency" → "nca") and a bracketed short form
        ("Crown Prosecution Service (CPS)" → "cps" and "crownprosecutionservice")."""
        found = [self.name, *self.aliases]
        bracket = re.search(r"\(([^)]+)\)\s*$", self.name)
        if bracket:
            found += [bracket.group(1), self.name[: bracket.start()]]
        long_name = self.name[: bracket.start()] if bracket else self.name
        capitals = [w for w in re.findall(r"[A-Za-z][\w'-]*", long_name) if w[0].isupper()]
        if len(capitals) >= 2:
            found.append("".join(w[0] for w in capitals))
        keys = (name_key(name) for name in found)
        return tuple(dict.fromkeys(k for k in keys if k))


class SharingFlow(_Model):
    """One application sharing one kind of information with one partner, under one agreement."""

    application: Annotated[str, Field(min_length=1)]  # an application of this inventory
    partner: Annotated[str, Field(min_length=1)]  # a Partner name (or a force slug)
    data: str = ""  # what is shared: "custody records", "case files"
    direction: FlowDirection = FlowDirection.OUTBOUND
    classification: SecurityClassification = SecurityClassification.OFFICIAL
    protocol: str = "https"  # lower-cased: https | sftp | smtp | api | tcp | ...
    api: bool = False  # an agency API: goes through the API gateway
    port: Annotated[int, Field(ge=0, le=65535)] | None = None  # None: the protocol's default
    #: DSA / ISA reference; "" is allowed on read (a guardrail finding later), never invented
    agreement: str = ""
    description: str = ""

    @field_validator("application", "partner")
    @classmethod
    def _names(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError("must not be blank")
        return text

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, value: object) -> object:
        return _word(value)

    @field_validator("classification", mode="before")
    @classmethod
    def _classification(cls, value: object) -> object:
        return parse_classification(value) if isinstance(value, str) else value

    @field_validator("protocol", mode="before")
    @classmethod
    def _protocol(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().lower() or "https"
        return value

    @field_validator("agreement", "data", "description")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


def partner_lookup(partners: Iterable[Partner]) -> dict[str, Partner]:
    """Every :func:`name_key` of every partner → the partner, for O(1) resolution; the first
    partner wins where two share an initialism, and a real name always beats a derived one."""
    ordered = list(partners)
    index = {partner.key: partner for partner in reversed(ordered)}
    for partner in ordered:
        for name in partner.names:
            index.setdefault(name, partner)
    return index


def find_partner(index: dict[str, Partner], name: str) -> Partner | None:
    """The partner a free-text reference names: the whole text, else a bracketed short form or
    the part before " - " ("NCA - National Crime Agency", "Social care (county council)")."""
    for candidate in _candidates(name):
        found = index.get(name_key(candidate))
        if found is not None:
            return found
    return None


def _candidates(name: str) -> Iterator[str]:
    yield name
    bracket = re.search(r"\(([^)]+)\)\s*$", name)
    if bracket:
        yield bracket.group(1)
        yield name[: bracket.start()]
    yield from re.split(r"\s+[-–:]\s+", name)[:2]
