"""The property-graph model of stakegraph (docs/analytics.md §2).

Every node label and relationship type is a pydantic model with its enums spelled
exactly as in the domain contract. Models validate ranges (KNOWS level 0–4,
INFLUENCES strength 1–3, ICP scores 1–5) and :data:`REL_ENDPOINTS` says which labels
a relationship type may join.

Account subgraphs (``GraphStore.account_subgraph``) are ``networkx.MultiDiGraph``
objects following one convention, used by ``influence/`` and ``viz/``:

* node key ``"<Label>:<id>"`` (see :func:`node_key`); attributes ``label`` (str),
  ``id`` and every property of the node's model as Python values (``model_dump()``);
  contacts of other accounts reached by a tie carry ``foreign=True``;
* edge key = relationship type (str); attributes ``type`` plus the relationship's
  properties;
* ``G.graph["company_id"]`` is the account, ``G.graph["changes"]`` the list of
  :class:`ChangeEvent` recorded for the account's contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from stakegraph.graph.email_address import EmailAddress, EmailAddresses

__all__ = [
    "LABEL_MODELS",
    "REL_ENDPOINTS",
    "REL_PROPERTY_MODELS",
    "TRACKED_CONTACT_FIELDS",
    "ChangeEvent",
    "Company",
    "Competitor",
    "Contact",
    "ContactProfile",
    "ContactStatus",
    "CoverKind",
    "DecisionRole",
    "Department",
    "DepartmentFunction",
    "InfluenceRating",
    "Interaction",
    "InteractionKind",
    "InteractionPurpose",
    "Label",
    "Node",
    "Opportunity",
    "OpportunityStatus",
    "PlanTarget",
    "RelType",
    "Relationship",
    "Rep",
    "Seniority",
    "Stage",
    "Stance",
    "Team",
    "TeamKind",
    "Tier",
    "node_key",
    "rel_properties",
    "split_node_key",
]


def _to_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]


class Label(StrEnum):
    COMPANY = "Company"
    DEPARTMENT = "Department"
    CONTACT = "Contact"
    OPPORTUNITY = "Opportunity"
    REP = "Rep"
    TEAM = "Team"
    INTERACTION = "Interaction"
    COMPETITOR = "Competitor"
    PLAN_TARGET = "PlanTarget"

    @property
    def plural(self) -> str:
        """The dataset v1 key of this label (docs/analytics.md §4)."""
        return {
            Label.COMPANY: "companies",
            Label.OPPORTUNITY: "opportunities",
            Label.PLAN_TARGET: "plan_targets",
        }.get(self, self.value.lower() + "s")


class RelType(StrEnum):
    PART_OF = "PART_OF"
    WORKS_IN = "WORKS_IN"
    BRANCH_OF = "BRANCH_OF"
    REPORTS_TO = "REPORTS_TO"
    INFLUENCES = "INFLUENCES"
    ALLY_OF = "ALLY_OF"
    RIVAL_OF = "RIVAL_OF"
    KNOWS = "KNOWS"
    HAS_ROLE = "HAS_ROLE"
    FOR = "FOR"
    MEMBER_OF = "MEMBER_OF"
    COVERS = "COVERS"
    ATTENDED = "ATTENDED"
    ABOUT = "ABOUT"
    FAVORS = "FAVORS"
    COMPETES_FOR = "COMPETES_FOR"
    # relationship plans (docs/analytics.md §3.18)
    PLAN_OF = "PLAN_OF"
    PLAN_FOR = "PLAN_FOR"
    TARGETS = "TARGETS"
    ASSIGNED_TO = "ASSIGNED_TO"


class Tier(StrEnum):
    STRATEGIC = "STRATEGIC"
    KEY = "KEY"
    SMB = "SMB"


class DepartmentFunction(StrEnum):
    EXECUTIVE = "EXECUTIVE"
    BUSINESS = "BUSINESS"
    TECHNICAL = "TECHNICAL"
    FINANCE_PROCUREMENT = "FINANCE_PROCUREMENT"
    LEGAL = "LEGAL"
    OTHER = "OTHER"


class Seniority(StrEnum):
    EXECUTIVE = "EXECUTIVE"
    VP = "VP"
    DIRECTOR = "DIRECTOR"
    MANAGER = "MANAGER"
    STAFF = "STAFF"


class InfluenceRating(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


class Stance(StrEnum):
    """态度 (docs/analytics.md §3.1). :attr:`weight` gives the numeric weight."""

    CHAMPION = "CHAMPION"
    SUPPORTER = "SUPPORTER"
    NEUTRAL = "NEUTRAL"
    OPPONENT = "OPPONENT"
    BLOCKER = "BLOCKER"
    UNKNOWN = "UNKNOWN"

    @property
    def weight(self) -> int | None:
        """+2 … −2, or ``None`` for UNKNOWN (never treated as neutral)."""
        return _STANCE_WEIGHT[self]


_STANCE_WEIGHT: dict[Stance, int | None] = {
    Stance.CHAMPION: 2,
    Stance.SUPPORTER: 1,
    Stance.NEUTRAL: 0,
    Stance.OPPONENT: -1,
    Stance.BLOCKER: -2,
    Stance.UNKNOWN: None,
}


class ContactStatus(StrEnum):
    ACTIVE = "ACTIVE"
    LEFT = "LEFT"
    MOVED = "MOVED"


class Stage(StrEnum):
    DISCOVERY = "DISCOVERY"
    SOLUTION = "SOLUTION"
    NEGOTIATION = "NEGOTIATION"
    IMPLEMENTATION = "IMPLEMENTATION"
    EXPANSION = "EXPANSION"


class OpportunityStatus(StrEnum):
    OPEN = "OPEN"
    WON = "WON"
    LOST = "LOST"


class TeamKind(StrEnum):
    STRATEGIC = "STRATEGIC"
    KEY_ACCOUNT = "KEY_ACCOUNT"
    REGIONAL = "REGIONAL"
    SOLUTION = "SOLUTION"
    GOVERNMENT = "GOVERNMENT"


class InteractionKind(StrEnum):
    VISIT = "VISIT"
    CALL = "CALL"
    EMAIL = "EMAIL"
    MEETING = "MEETING"
    EVENT = "EVENT"


class InteractionPurpose(StrEnum):
    SIGNING = "SIGNING"
    RELATIONSHIP = "RELATIONSHIP"
    PROGRESS = "PROGRESS"
    SOLUTION = "SOLUTION"
    RESEARCH = "RESEARCH"


class DecisionRole(StrEnum):
    """Buying-centre roles of the decision chain (决策链, docs/analytics.md §3.3)."""

    ECONOMIC_BUYER = "ECONOMIC_BUYER"
    TECHNICAL_EVALUATOR = "TECHNICAL_EVALUATOR"
    FINANCIAL_CONTROLLER = "FINANCIAL_CONTROLLER"
    USER = "USER"
    INFLUENCER = "INFLUENCER"


class CoverKind(StrEnum):
    OWNER = "OWNER"
    SUPPORT = "SUPPORT"


# --------------------------------------------------------------------------- nodes


class Node(BaseModel):
    """Common fields of every node: a stable string id unique per label."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    label: ClassVar[Label]

    id: str = Field(min_length=1, max_length=200)
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None

    def properties(self) -> dict[str, Any]:
        """The node's properties without id and timestamps, as Python values."""
        return self.model_dump(exclude={"id", "created_at", "updated_at"}, exclude_none=True)


Score = Annotated[int, Field(ge=1, le=5)]


class Company(Node):
    label: ClassVar[Label] = Label.COMPANY

    name: str = Field(min_length=1)
    industry: str | None = None
    region: str | None = None
    tier: Tier | None = None
    annual_revenue: float | None = Field(default=None, ge=0)
    employees: int | None = Field(default=None, ge=0)
    # Ideal customer profile scores (ICP 潜力评分, §3.9), integers 1–5.
    strategic_fit: Score | None = None
    profit_potential: Score | None = None
    stability: Score | None = None
    market_influence: Score | None = None
    # Account health metrics (§3.9), ingested from product and service systems.
    usage_current: float | None = Field(default=None, ge=0)
    usage_prior: float | None = Field(default=None, ge=0)
    tickets_current: int | None = Field(default=None, ge=0)
    tickets_prior: int | None = Field(default=None, ge=0)
    negative_feedback_90d: int | None = Field(default=None, ge=0)
    overdue_invoices: int | None = Field(default=None, ge=0)
    renewal_intent: bool | None = None


class Department(Node):
    label: ClassVar[Label] = Label.DEPARTMENT

    name: str = Field(min_length=1)
    function: DepartmentFunction = DepartmentFunction.OTHER
    is_key: bool = False


class ContactProfile(BaseModel):
    """The pre-visit KP profile (访前 KP 画像)."""

    model_config = ConfigDict(extra="forbid")

    hometown: str | None = None
    school: str | None = None
    hobbies: list[str] = Field(default_factory=list)
    goals: str | None = None
    notes: str | None = None


class Contact(Node):
    label: ClassVar[Label] = Label.CONTACT

    name: str = Field(min_length=1)
    title: str | None = None
    seniority: Seniority | None = None
    is_kdm: bool = False
    influence_rating: InfluenceRating | None = None
    stance: Stance = Stance.UNKNOWN
    status: ContactStatus = ContactStatus.ACTIVE
    # Canonical addresses (graph.email_address), matched case-insensitively (§3.15).
    emails: EmailAddresses = Field(default_factory=list)
    email: EmailAddress | None = Field(
        default=None,
        exclude=True,
        description="input shorthand: added to emails as the first (primary) address",
    )
    phone: str | None = None
    profile: ContactProfile | None = None
    last_verified_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _email_shorthand(self) -> Contact:
        """``email`` is never stored: it becomes the first of ``emails``."""
        if self.email is not None:
            merged = list(dict.fromkeys([self.email, *self.emails]))
            # plain attribute writes: validate_assignment would run this validator again
            object.__setattr__(self, "emails", merged)
            object.__setattr__(self, "email", None)
        return self


class Opportunity(Node):
    label: ClassVar[Label] = Label.OPPORTUNITY

    name: str = Field(min_length=1)
    stage: Stage = Stage.DISCOVERY
    status: OpportunityStatus = OpportunityStatus.OPEN
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    products: list[str] = Field(default_factory=list)
    close_date: date | None = None


class Rep(Node):
    label: ClassVar[Label] = Label.REP

    name: str = Field(min_length=1)
    email: EmailAddress | None = None
    industry_expert: bool = False
    dismissed_suggestions: list[str] = Field(
        default_factory=list,
        description="evidence keys of the level suggestions (§3.15) dismissed for this rep",
    )


class Team(Node):
    label: ClassVar[Label] = Label.TEAM

    name: str = Field(min_length=1)
    kind: TeamKind
    region: str | None = None
    industry: str | None = None


class Interaction(Node):
    label: ClassVar[Label] = Label.INTERACTION

    at: UtcDatetime
    kind: InteractionKind
    purpose: InteractionPurpose | None = None
    notes: str | None = None


class Competitor(Node):
    label: ClassVar[Label] = Label.COMPETITOR

    name: str = Field(min_length=1)


class PlanTarget(Node):
    """One target of an account's relationship plan (§3.18): the KNOWS level (0–4) we
    must reach with a contact (``TARGETS``) or with some holder of a decision-chain
    ``role``, by ``due``. Its ties: ``PLAN_OF`` the account, optionally ``PLAN_FOR``
    one of its opportunities, ``ASSIGNED_TO`` the owning rep."""

    label: ClassVar[Label] = Label.PLAN_TARGET

    level: int = Field(ge=0, le=4, description="the KNOWS level to reach (§3.2)")
    role: DecisionRole | None = Field(
        default=None, description="a role target: met by any holder of the role"
    )
    due: date | None = None
    note: str | None = Field(default=None, max_length=2000)


LABEL_MODELS: dict[Label, type[Node]] = {
    Label.COMPANY: Company,
    Label.DEPARTMENT: Department,
    Label.CONTACT: Contact,
    Label.OPPORTUNITY: Opportunity,
    Label.REP: Rep,
    Label.TEAM: Team,
    Label.INTERACTION: Interaction,
    Label.COMPETITOR: Competitor,
    Label.PLAN_TARGET: PlanTarget,
}

#: Fields stored as JSON text where a backend has no nested maps (Neo4j).
JSON_FIELDS: dict[Label, frozenset[str]] = {Label.CONTACT: frozenset({"profile"})}

# ------------------------------------------------------------------- relationships


class _RelProps(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoProps(_RelProps):
    pass


class InfluencesProps(_RelProps):
    strength: int = Field(default=1, ge=1, le=3)


class KnowsProps(_RelProps):
    level: int = Field(ge=0, le=4)
    since: date | None = None
    last_contact_at: UtcDatetime | None = None


class HasRoleProps(_RelProps):
    role: DecisionRole
    stance: Stance | None = None


class CoversProps(_RelProps):
    kind: CoverKind = CoverKind.OWNER


REL_PROPERTY_MODELS: dict[RelType, type[_RelProps]] = {t: NoProps for t in RelType} | {
    RelType.INFLUENCES: InfluencesProps,
    RelType.KNOWS: KnowsProps,
    RelType.HAS_ROLE: HasRoleProps,
    RelType.COVERS: CoversProps,
}

_C = frozenset({Label.CONTACT})
_P = frozenset({Label.PLAN_TARGET})
#: Which labels each relationship type may join: (from labels, to labels).
REL_ENDPOINTS: dict[RelType, tuple[frozenset[Label], frozenset[Label]]] = {
    RelType.PART_OF: (frozenset({Label.DEPARTMENT}), frozenset({Label.COMPANY, Label.DEPARTMENT})),
    RelType.WORKS_IN: (_C, frozenset({Label.DEPARTMENT})),
    RelType.BRANCH_OF: (frozenset({Label.COMPANY}), frozenset({Label.COMPANY})),
    RelType.REPORTS_TO: (_C, _C),
    RelType.INFLUENCES: (_C, _C),
    RelType.ALLY_OF: (_C, _C),
    RelType.RIVAL_OF: (_C, _C),
    RelType.KNOWS: (frozenset({Label.REP}), _C),
    RelType.HAS_ROLE: (_C, frozenset({Label.OPPORTUNITY})),
    RelType.FOR: (frozenset({Label.OPPORTUNITY}), frozenset({Label.COMPANY})),
    RelType.MEMBER_OF: (frozenset({Label.REP}), frozenset({Label.TEAM})),
    RelType.COVERS: (frozenset({Label.REP, Label.TEAM}), frozenset({Label.COMPANY})),
    RelType.ATTENDED: (frozenset({Label.REP, Label.CONTACT}), frozenset({Label.INTERACTION})),
    RelType.ABOUT: (
        frozenset({Label.INTERACTION}),
        frozenset({Label.OPPORTUNITY, Label.COMPANY}),
    ),
    RelType.FAVORS: (_C, frozenset({Label.COMPETITOR})),
    RelType.COMPETES_FOR: (frozenset({Label.COMPETITOR}), frozenset({Label.OPPORTUNITY})),
    RelType.PLAN_OF: (_P, frozenset({Label.COMPANY})),
    RelType.PLAN_FOR: (_P, frozenset({Label.OPPORTUNITY})),
    RelType.TARGETS: (_P, _C),
    RelType.ASSIGNED_TO: (_P, frozenset({Label.REP})),
}

#: Relationship types that may hold only one edge per source node.
SINGLE_TARGET: frozenset[RelType] = frozenset(
    {
        RelType.WORKS_IN,
        RelType.FOR,
        RelType.PART_OF,
        RelType.PLAN_OF,
        RelType.PLAN_FOR,
        RelType.TARGETS,
        RelType.ASSIGNED_TO,
    }
)
#: The ties of a plan target (§3.18), each at most one per target.
PLAN_TIES: tuple[RelType, ...] = (
    RelType.PLAN_OF,
    RelType.PLAN_FOR,
    RelType.TARGETS,
    RelType.ASSIGNED_TO,
)


class Relationship(BaseModel):
    """One relationship: identified by (type, from label, from id, to label, to id)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: RelType
    from_label: Label
    from_id: str = Field(min_length=1)
    to_label: Label
    to_id: str = Field(min_length=1)
    properties: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Relationship:
        allowed_from, allowed_to = REL_ENDPOINTS[self.type]
        if self.from_label not in allowed_from:
            raise ValueError(
                f"{self.type} cannot start at a {self.from_label}; "
                f"allowed: {', '.join(sorted(allowed_from))}"
            )
        if self.to_label not in allowed_to:
            raise ValueError(
                f"{self.type} cannot end at a {self.to_label}; "
                f"allowed: {', '.join(sorted(allowed_to))}"
            )
        object.__setattr__(self, "properties", rel_properties(self.type, self.properties))
        return self

    @classmethod
    def trusted(
        cls,
        rel_type: RelType,
        from_label: Label,
        from_id: str,
        to_label: Label,
        to_id: str,
        properties: dict[str, Any],
    ) -> Relationship:
        """A relationship from parts validated already (the ends' labels against
        :data:`REL_ENDPOINTS`, the properties by :func:`rel_properties`), without
        validating them again: what ``model_construct`` does, several times faster."""
        return cls.trusted_many([(rel_type, from_label, from_id, to_label, to_id, properties)])[0]

    @classmethod
    def trusted_many(
        cls, parts: Iterable[tuple[RelType, Label, str, Label, str, dict[str, Any]]]
    ) -> list[Relationship]:
        """:meth:`trusted` of each (type, from label, from id, to label, to id,
        properties), in one loop (an import builds tens of thousands)."""
        out = []
        new, set_dict, set_fields = _new_object, _set_dict, _set_fields_set
        set_extra, set_private, fields = _set_extra, _set_private, _REL_FIELDS
        for rel_type, from_label, from_id, to_label, to_id, properties in parts:
            rel = new(cls)
            set_dict(
                rel,
                {
                    "type": rel_type,
                    "from_label": from_label,
                    "from_id": from_id,
                    "to_label": to_label,
                    "to_id": to_id,
                    "properties": properties,
                },
            )
            set_fields(rel, set(fields))
            set_extra(rel, None)
            set_private(rel, None)
            out.append(rel)
        return out

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.type, self.from_label, self.from_id, self.to_label, self.to_id)

    @property
    def from_key(self) -> str:
        return node_key(self.from_label, self.from_id)

    @property
    def to_key(self) -> str:
        return node_key(self.to_label, self.to_id)


_REL_FIELDS = frozenset(("type", "from_label", "from_id", "to_label", "to_id", "properties"))
# what Relationship.trusted sets, as pydantic's model_construct does: BaseModel's slots,
# through their own descriptors (no attribute lookup by name)
_new_object = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def rel_properties(rel_type: RelType | str, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a relationship's properties into Python values (dates as ``date``)."""
    model = REL_PROPERTY_MODELS[RelType(rel_type)]
    return model.model_validate(raw).model_dump(exclude_none=True)


# -------------------------------------------------------------------- change events

#: Contact fields whose every change is recorded (§2).
TRACKED_CONTACT_FIELDS: tuple[str, ...] = ("stance", "status")


class ChangeEvent(BaseModel):
    """A recorded change of a stance, status, KNOWS level or HAS_ROLE (§2).

    ``entity`` is the label or relationship type; ``entity_id`` the node id, or
    ``"<from id>-><to id>"`` for a relationship; ``contact_id`` the contact the change
    concerns (for KNOWS the known contact, for HAS_ROLE the role holder).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str
    entity_id: str
    contact_id: str | None = None
    field: str
    old: str | int | None = None
    new: str | int | None = None
    at: UtcDatetime
    by: str = "system"
    seq: int | None = Field(
        default=None,
        exclude=True,
        description="the store's sequence number: increasing in commit order, a cursor "
        "that never misses an event (set by the store; not part of the dataset format)",
    )

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.entity, self.entity_id, self.field, self.at.isoformat())


# -------------------------------------------------------------------------- helpers


def node_key(label: Label | str, node_id: str) -> str:
    """The key of a node in an account subgraph: ``"Contact:c-17"``."""
    return f"{label}:{node_id}"


def split_node_key(key: str) -> tuple[Label, str]:
    """Inverse of :func:`node_key`."""
    label, _, node_id = key.partition(":")
    return Label(label), node_id
