"""Strawberry types of the graph's records (contacts, departments, deals, visits, reps,
teams, competitors), thin over the domain records.

Objects are built from a record's properties (a subgraph node's attributes or a
``Node.model_dump()``: same names) by :func:`build`. Nested fields read the account's
:class:`~stakegraph.service.scope.AccountView` (the subgraph as the caller may see it,
loaded once per request) or the per-request loaders; a contact of an account the
caller may not see is masked there already and shows up as ``null`` (or is dropped),
never by name. A rep the caller may not see in full shows its id and name only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import networkx as nx
import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.sales_methods import SalesMethod
from stakegraph.gql.scalars import (
    ContactStatus,
    CoverKind,
    DecisionRole,
    DepartmentFunction,
    InfluenceRating,
    InteractionKind,
    InteractionPurpose,
    OpportunityStatus,
    Seniority,
    Stage,
    Stance,
    TeamKind,
    TieType,
)
from stakegraph.graph.model import Label, Node, RelType, node_key, split_node_key
from stakegraph.service.access import may_see_rep
from stakegraph.service.errors import Forbidden
from stakegraph.service.scope import AccountView

if TYPE_CHECKING:
    from stakegraph.gql.accounts import Account
    from stakegraph.gql.analytics import Balance, ContactInfluence, Coverage, RepGrade
    from stakegraph.gql.insights import DealWarning, LevelSuggestion
    from stakegraph.gql.interchange import MethodView

__all__ = [
    "Acquaintance",
    "Competitor",
    "Contact",
    "ContactProfile",
    "Coverer",
    "Department",
    "Interaction",
    "Opportunity",
    "Rep",
    "RoleHolder",
    "Team",
    "Tie",
    "build",
    "contact_in_view",
    "edges_of",
    "load_account",
]

T = TypeVar("T")
_ACCOUNTS = "stakegraph.gql.accounts"
_ANALYTICS = "stakegraph.gql.analytics"
_INSIGHTS = "stakegraph.gql.insights"
_INTERCHANGE = "stakegraph.gql.interchange"


def build(cls: type[T], attrs: Mapping[str, Any] | Node, **extra: Any) -> T:
    """An object of a strawberry type from a record's properties (same field names)."""
    values = attrs.model_dump() if isinstance(attrs, Node) else attrs
    fields = getattr(cls, "__dataclass_fields__", {})
    kwargs = {
        name: values.get(name)
        for name, f in fields.items()
        if f.init and name not in extra and not name.startswith("_")
    }
    return cls(**kwargs, **extra)


def edges_of(
    g: nx.MultiDiGraph, key: str, rel: RelType, direction: str
) -> list[tuple[str, dict[str, Any]]]:
    """(other node key, edge attributes) of ``rel`` edges leaving / entering ``key``."""
    if key not in g:
        return []
    edges = (
        g.out_edges(key, keys=True, data=True)
        if direction == "out"
        else g.in_edges(key, keys=True, data=True)
    )
    out = [(v if direction == "out" else u, data) for u, v, k, data in edges if k == str(rel)]
    return sorted(out, key=lambda x: x[0])


def contact_in_view(view: AccountView, contact_id: str) -> Contact | None:
    """A contact of the view, or ``None`` when masked or absent."""
    attrs = view.contact(contact_id)
    if attrs is None:
        return None
    company = view.company_id if not attrs.get("foreign") else None
    return Contact.of(attrs, company)


def _contact_at(view: AccountView, key: str) -> Contact | None:
    label, node_id = split_node_key(key)
    return contact_in_view(view, node_id) if label == Label.CONTACT else None


async def load_account(info: Info, company_id: str | None) -> Account | None:
    """An account if it exists and is visible, else ``None``."""
    from stakegraph.gql import accounts

    if company_id is None:
        return None
    node = await info.context.loaders.record(Label.COMPANY, company_id)
    return None if node is None else build(accounts.Account, node)


async def load_contact(info: Info, contact_id: str) -> Contact | None:
    """A contact by id if visible (``None`` when absent or masked)."""
    loaders = info.context.loaders
    node = await loaders.record(Label.CONTACT, contact_id)
    if node is None:
        return None
    return Contact.of(node, await loaders.owner(Label.CONTACT, contact_id))


# ------------------------------------------------------------------------- small types


@strawberry.type
class ContactProfile:
    """访前 KP 画像: the pre-visit profile."""

    hometown: str | None
    school: str | None
    hobbies: list[str]
    goals: str | None
    notes: str | None


@strawberry.type
class Competitor:
    id: strawberry.ID
    name: str


@strawberry.enum
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"


@strawberry.type(description="A contact-to-contact tie; `contact` is null when masked.")
class Tie:
    type: TieType
    direction: Direction
    strength: int | None
    contact: Contact | None
    masked: bool


@strawberry.type(description="A buying-centre role held in an opportunity (HAS_ROLE).")
class RoleHolder:
    role: DecisionRole
    stance: Stance | None = strawberry.field(description="per-deal override of the stance")
    contact: Contact | None
    opportunity: Opportunity | None


@strawberry.type(description="Our relationship with a contact (KNOWS).")
class Acquaintance:
    level: int
    since: date | None
    last_contact_at: datetime | None
    rep: Rep | None


@strawberry.type(description="Who covers an account (COVERS): a rep or a team.")
class Coverer:
    kind: CoverKind
    rep: Rep | None
    team: Team | None


@strawberry.input
class ContactFilter:
    status: list[ContactStatus] | None = None
    seniority: list[Seniority] | None = None
    stance: list[Stance] | None = None
    is_kdm: bool | None = None
    department_id: strawberry.ID | None = None
    name_contains: str | None = None

    def matches(self, c: Mapping[str, Any]) -> bool:
        checks = [
            self.status is None or c.get("status") in self.status,
            self.seniority is None or c.get("seniority") in self.seniority,
            self.stance is None or c.get("stance") in self.stance,
            self.is_kdm is None or bool(c.get("is_kdm")) == self.is_kdm,
            self.name_contains is None
            or self.name_contains.casefold() in str(c.get("name", "")).casefold(),
        ]
        return all(checks)


# ------------------------------------------------------------------------------ Contact


@strawberry.type(description="A person at an account.")
class Contact:
    id: strawberry.ID
    name: str
    title: str | None
    seniority: Seniority | None
    is_kdm: bool
    influence_rating: InfluenceRating | None
    stance: Stance
    status: ContactStatus
    emails: list[str]
    phone: str | None
    last_verified_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    profile_data: strawberry.Private[dict[str, Any] | None] = None
    company_id: strawberry.Private[str | None] = None

    @classmethod
    def of(cls, attrs: Mapping[str, Any] | Node, company_id: str | None) -> Contact:
        values = attrs.model_dump() if isinstance(attrs, Node) else attrs
        return build(
            cls,
            {**values, "emails": list(values.get("emails") or [])},
            company_id=company_id,
            profile_data=values.get("profile"),
        )

    @property
    def key(self) -> str:
        return node_key(Label.CONTACT, self.id)

    async def _view(self, info: Info) -> AccountView | None:
        company = self.company_id
        if company is None:
            company = await info.context.loaders.owner(Label.CONTACT, self.id)
        return await info.context.loaders.maybe_view(company)

    @strawberry.field(description="The first of `emails`.")
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    @strawberry.field
    def profile(self) -> ContactProfile | None:
        return None if not self.profile_data else build(ContactProfile, self.profile_data)

    @strawberry.field
    async def company(self, info: Info) -> Annotated[Account, strawberry.lazy(_ACCOUNTS)] | None:
        return await load_account(info, self.company_id)

    @strawberry.field
    async def department(self, info: Info) -> Department | None:
        view = await self._view(info)
        if view is None:
            return None
        for other, _ in edges_of(view.graph, self.key, RelType.WORKS_IN, "out"):
            return build(Department, view.graph.nodes[other], company_id=view.company_id)
        return None

    @strawberry.field(description="Formal line (REPORTS_TO); null when masked.")
    async def reports_to(self, info: Info) -> Contact | None:
        view = await self._view(info)
        if view is None:
            return None
        for other, _ in edges_of(view.graph, self.key, RelType.REPORTS_TO, "out"):
            return _contact_at(view, other)
        return None

    @strawberry.field(description="Who reports to this contact (masked contacts omitted).")
    async def direct_reports(self, info: Info) -> list[Contact]:
        view = await self._view(info)
        if view is None:
            return []
        found = [
            _contact_at(view, o)
            for o, _ in edges_of(view.graph, self.key, RelType.REPORTS_TO, "in")
        ]
        return [c for c in found if c is not None]

    @strawberry.field(description="REPORTS_TO, INFLUENCES, ALLY_OF and RIVAL_OF ties, both ways.")
    async def ties(self, info: Info, type: TieType | None = None) -> list[Tie]:
        view = await self._view(info)
        if view is None:
            return []
        out: list[Tie] = []
        for tie in TieType:
            if type is not None and tie != type:
                continue
            for direction in Direction:
                edges = edges_of(view.graph, self.key, RelType(tie.value), direction.value.lower())
                for other, data in edges:
                    contact = _contact_at(view, other)
                    out.append(
                        Tie(
                            type=tie,
                            direction=direction,
                            strength=data.get("strength"),
                            contact=contact,
                            masked=contact is None,
                        )
                    )
        return out

    @strawberry.field(description="Buying-centre roles (HAS_ROLE) in this account's deals.")
    async def roles(self, info: Info) -> list[RoleHolder]:
        view = await self._view(info)
        if view is None:
            return []
        return [
            RoleHolder(
                role=data["role"],
                stance=data.get("stance"),
                contact=self,
                opportunity=build(Opportunity, view.graph.nodes[o], company_id=view.company_id),
            )
            for o, data in edges_of(view.graph, self.key, RelType.HAS_ROLE, "out")
            if view.graph.nodes[o].get("label") == Label.OPPORTUNITY
        ]

    @strawberry.field(description="Our reps' relationships with this contact (KNOWS).")
    async def known_by(self, info: Info) -> list[Acquaintance]:
        view = await self._view(info)
        if view is None:
            return []
        return [
            Acquaintance(
                level=data["level"],
                since=data.get("since"),
                last_contact_at=data.get("last_contact_at"),
                rep=Rep.of(view.graph.nodes[r]),
            )
            for r, data in edges_of(view.graph, self.key, RelType.KNOWS, "in")
        ]

    @strawberry.field(description="§3.2 effective relationship level (max over reps, decayed).")
    async def effective_level(self, info: Info, as_of: date | None = None) -> int | None:
        if self.company_id is None:
            return None
        analysis = await info.context.analysis(self.company_id, as_of)
        return analysis.effective_levels.get(self.id)

    @strawberry.field(description="§3.4 influence; null for contacts who take no part.")
    async def influence(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[ContactInfluence, strawberry.lazy(_ANALYTICS)] | None:
        from stakegraph.gql import analytics

        if self.company_id is None:
            return None
        entry = (await info.context.analysis(self.company_id, as_of)).influence.get(self.id)
        return None if entry is None else analytics.ContactInfluence.of(entry, self)


# --------------------------------------------------------------------------- Department


@strawberry.type
class Department:
    id: strawberry.ID
    name: str
    function: DepartmentFunction
    is_key: bool
    company_id: strawberry.Private[str | None] = None

    @property
    def key(self) -> str:
        return node_key(Label.DEPARTMENT, self.id)

    @strawberry.field
    async def company(self, info: Info) -> Annotated[Account, strawberry.lazy(_ACCOUNTS)] | None:
        return await load_account(info, self.company_id)

    @strawberry.field(description="The department this one is part of, if nested.")
    async def parent(self, info: Info) -> Department | None:
        view = await info.context.loaders.maybe_view(self.company_id)
        if view is None:
            return None
        for other, _ in edges_of(view.graph, self.key, RelType.PART_OF, "out"):
            if view.graph.nodes[other].get("label") == Label.DEPARTMENT:
                return build(Department, view.graph.nodes[other], company_id=self.company_id)
        return None

    @strawberry.field(description="Contacts working in this department (not sub-departments).")
    async def contacts(self, info: Info) -> list[Contact]:
        view = await info.context.loaders.maybe_view(self.company_id)
        if view is None:
            return []
        found = [
            _contact_at(view, c) for c, _ in edges_of(view.graph, self.key, RelType.WORKS_IN, "in")
        ]
        return [c for c in found if c is not None]


# -------------------------------------------------------------------------- Opportunity


@strawberry.type
class Opportunity:
    id: strawberry.ID
    name: str
    stage: Stage
    status: OpportunityStatus
    amount: float | None
    currency: str | None
    products: list[str]
    close_date: date | None
    created_at: datetime | None
    updated_at: datetime | None
    company_id: strawberry.Private[str | None] = None

    @property
    def key(self) -> str:
        return node_key(Label.OPPORTUNITY, self.id)

    @strawberry.field
    async def account(self, info: Info) -> Annotated[Account, strawberry.lazy(_ACCOUNTS)] | None:
        return await load_account(info, self.company_id)

    @strawberry.field(description="The decision chain of this deal (决策链).")
    async def roles(self, info: Info) -> list[RoleHolder]:
        view = await info.context.loaders.maybe_view(self.company_id)
        if view is None:
            return []
        return [
            RoleHolder(
                role=data["role"],
                stance=data.get("stance"),
                contact=_contact_at(view, c),
                opportunity=self,
            )
            for c, data in edges_of(view.graph, self.key, RelType.HAS_ROLE, "in")
        ]

    @strawberry.field
    async def competitors(self, info: Info) -> list[Competitor]:
        view = await info.context.loaders.maybe_view(self.company_id)
        if view is None:
            return []
        return [
            build(Competitor, view.graph.nodes[c])
            for c, _ in edges_of(view.graph, self.key, RelType.COMPETES_FOR, "in")
        ]

    @strawberry.field(description="§3.5 coverage of this deal's chain.")
    async def coverage(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Coverage, strawberry.lazy(_ANALYTICS)] | None:
        from stakegraph.gql import analytics

        if self.company_id is None:
            return None
        return await analytics.deal_coverage(info, self.company_id, self.id, as_of)

    @strawberry.field(description="§3.6 balance of this deal's chain (HAS_ROLE stances apply).")
    async def balance(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Balance, strawberry.lazy(_ANALYTICS)] | None:
        from stakegraph.gql import analytics

        if self.company_id is None:
            return None
        return await analytics.deal_balance(info, self.company_id, self.id, as_of)

    @strawberry.field(description="§3.16 warnings with their evidence (none unless OPEN).")
    async def warnings(
        self, info: Info, as_of: date | None = None
    ) -> list[Annotated[DealWarning, strawberry.lazy(_INSIGHTS)]]:
        from stakegraph.gql import insights

        if self.company_id is None:
            return []
        return await insights.opportunity_warnings(info, self.company_id, self.id, as_of)

    @strawberry.field(
        description="This deal in a sales method's words (MEDDPICC, Blue Sheet, Altify)."
    )
    async def method_view(
        self,
        info: Info,
        method: SalesMethod,
        as_of: date | None = None,
    ) -> Annotated[MethodView, strawberry.lazy(_INTERCHANGE)] | None:
        from stakegraph.gql import interchange

        if self.company_id is None:
            return None
        return await interchange.opportunity_method_view(
            info, self.company_id, self.id, method, as_of
        )


# -------------------------------------------------------------------------- Interaction


@strawberry.type(description="A logged visit, call, meeting… (每访必记).")
class Interaction:
    id: strawberry.ID
    at: datetime
    kind: InteractionKind
    purpose: InteractionPurpose | None
    notes: str | None
    company_id: strawberry.Private[str | None] = None

    @strawberry.field
    async def reps(self, info: Info) -> list[Rep]:
        rels = await info.context.loaders.incoming(RelType.ATTENDED, self.id)
        ids = sorted(r.from_id for r in rels if r.from_label == Label.REP)
        return [Rep.of(n) for n in await info.context.loaders.records(Label.REP, ids)]

    @strawberry.field(description="Attending contacts (masked contacts omitted).")
    async def contacts(self, info: Info) -> list[Contact]:
        rels = await info.context.loaders.incoming(RelType.ATTENDED, self.id)
        ids = sorted(r.from_id for r in rels if r.from_label == Label.CONTACT)
        found = await asyncio.gather(*(load_contact(info, i) for i in ids))
        return [c for c in found if c is not None]


# --------------------------------------------------------------------------- Rep, Team


@strawberry.type(
    description="One of our salespeople. Who may not see the rep in full sees its id and "
    "name only: `email` and `industryExpert` are null, `teams` empty."
)
class Rep:
    id: strawberry.ID
    name: str
    email_value: strawberry.Private[str | None] = None
    expert_value: strawberry.Private[bool | None] = None

    @classmethod
    def of(cls, attrs: Mapping[str, Any] | Node) -> Rep:
        values = attrs.model_dump() if isinstance(attrs, Node) else attrs
        return cls(
            id=values["id"],
            name=values["name"],
            email_value=values.get("email"),
            expert_value=bool(values.get("industry_expert")),
        )

    async def _full(self, info: Info) -> bool:
        teams = await info.context.loaders.rep_teams(self.id)
        return may_see_rep(info.context.scope.principal, self.id, teams)

    @strawberry.field
    async def email(self, info: Info) -> str | None:
        return self.email_value if await self._full(info) else None

    @strawberry.field
    async def industry_expert(self, info: Info) -> bool | None:
        return self.expert_value if await self._full(info) else None

    @strawberry.field
    async def teams(self, info: Info) -> list[Team]:
        if not await self._full(info):
            return []
        ids = sorted(await info.context.loaders.rep_teams(self.id))
        nodes = await info.context.run(info.context.scope.nodes, Label.TEAM, ids)
        return [build(Team, nodes[i]) for i in ids if i in nodes]

    @strawberry.field(description="Accounts the rep covers that the caller may see.")
    async def accounts(
        self, info: Info, kind: CoverKind | None = None
    ) -> list[Annotated[Account, strawberry.lazy(_ACCOUNTS)]]:
        rels = await info.context.loaders.outgoing(RelType.COVERS, self.id)
        ids = sorted(
            {
                r.to_id
                for r in rels
                if r.from_label == Label.REP and (kind is None or r.properties.get("kind") == kind)
            }
        )
        found = await asyncio.gather(*(load_account(info, i) for i in ids))
        return [a for a in found if a is not None]

    @strawberry.field(
        description="§3.8 rep grade (大客户销售分级) over owned STRATEGIC/KEY accounts."
    )
    async def grade(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[RepGrade, strawberry.lazy(_ANALYTICS)]:
        from stakegraph.gql import analytics

        if not await self._full(info):
            raise Forbidden(f"the grade of rep {self.id!r} is not visible to you")
        return await analytics.rep_grade(info, self.id, as_of)

    @strawberry.field(
        description="§3.15 suggested KNOWS levels of this rep not dismissed, in the accounts "
        "you may see."
    )
    async def suggestions(
        self, info: Info, as_of: date | None = None
    ) -> list[Annotated[LevelSuggestion, strawberry.lazy(_INSIGHTS)]]:
        from stakegraph.gql import insights

        if not await self._full(info):
            raise Forbidden(f"the suggestions of rep {self.id!r} are not visible to you")
        return await insights.rep_suggestions(info, self.id, as_of)


@strawberry.type
class Team:
    id: strawberry.ID
    name: str
    kind: TeamKind
    region: str | None
    industry: str | None

    @strawberry.field(description="Members the caller may see in full (as `rep(id)`).")
    async def members(self, info: Info) -> list[Rep]:
        ctx = info.context
        rels = await ctx.loaders.incoming(RelType.MEMBER_OF, self.id)
        ids = sorted(r.from_id for r in rels if r.from_label == Label.REP)
        return [Rep.of(n) for n in await ctx.loaders.records(Label.REP, ids, full=True)]

    @strawberry.field(description="Accounts the team covers that the caller may see.")
    async def accounts(self, info: Info) -> list[Annotated[Account, strawberry.lazy(_ACCOUNTS)]]:
        rels = await info.context.loaders.outgoing(RelType.COVERS, self.id)
        ids = sorted({r.to_id for r in rels if r.from_label == Label.TEAM})
        found = await asyncio.gather(*(load_account(info, i) for i in ids))
        return [a for a in found if a is not None]
