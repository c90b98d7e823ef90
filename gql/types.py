"""Hand-written strawberry types of the graph's entities, thin over the domain records.

Objects are built from a node's properties (a subgraph node's attributes or a
``Node.model_dump()``: same names) by :func:`build`. Nested fields read the
account's subgraph (loaded once per request) or the per-request loaders, and hide
whatever belongs to an account the caller may not see: a contact of such an account
shows up as masked (``null`` or dropped), never by name.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import networkx as nx
import strawberry

from stakegraph.gql.auth import may_see_rep
from stakegraph.gql.context import Info
from stakegraph.gql.errors import BadInput, ForbiddenError, NotFoundError
from stakegraph.gql.pagination import Connection, check_first, page_by_id
from stakegraph.gql.scalars import (
    ContactStatus,
    CoverKind,
    DecisionRole,
    DepartmentFunction,
    InfluenceRating,
    InteractionKind,
    InteractionPurpose,
    MapView,
    OpportunityStatus,
    Seniority,
    Stage,
    Stance,
    TeamKind,
    Tier,
    TieType,
)
from stakegraph.graph.model import Label, Node, RelType, node_key, split_node_key

if TYPE_CHECKING:
    from stakegraph.gql.analytics import (
        AccountAnalysisView,
        Balance,
        ChangeEvent,
        ContactInfluence,
        Coverage,
        Health,
        NextBestContact,
        Path,
        Potential,
        RelationshipGrade,
        RepGrade,
        WhatIfChange,
        WhatIfResult,
    )

__all__ = [
    "Account",
    "Competitor",
    "Contact",
    "ContactFilter",
    "ContactProfile",
    "Department",
    "Interaction",
    "Opportunity",
    "Rep",
    "RoleHolder",
    "Team",
    "Tie",
    "build",
    "contact_from_graph",
]

T = TypeVar("T")
_AN = "stakegraph.gql.analytics"


def build(cls: type[T], attrs: Mapping[str, Any] | Node, **extra: Any) -> T:
    """An object of a strawberry type from a node's properties (same field names)."""
    if isinstance(attrs, Node):
        attrs = attrs.model_dump()
    values = {
        f.name: attrs.get(f.name)
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.init and f.name not in extra
    }
    return cls(**values, **extra)


def _attrs(g: nx.MultiDiGraph, label: Label, node_id: str) -> dict[str, Any] | None:
    return g.nodes.get(node_key(label, node_id))


def _neighbours(
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
    out = []
    for u, v, k, data in edges:
        if k == str(rel):
            out.append((v if direction == "out" else u, data))
    return sorted(out, key=lambda x: x[0])


async def contact_from_graph(info: Info, g: nx.MultiDiGraph, contact_id: str) -> Contact | None:
    """A contact of the subgraph, or ``None`` when it is masked (another account's
    contact the caller may not see) or absent."""
    attrs = _attrs(g, Label.CONTACT, contact_id)
    if attrs is None:
        return None
    if not attrs.get("foreign"):
        return Contact.of(attrs, g.graph["company_id"])
    ctx = info.context
    company_id = await ctx.loaders.company_of_contact.load(contact_id)
    if not await ctx.sees(company_id):
        return None
    return Contact.of(attrs, company_id)


async def load_contact(info: Info, contact_id: str) -> Contact | None:
    """A contact by id if visible (``None`` when absent or masked)."""
    ctx = info.context
    node = await ctx.loaders.node(Label.CONTACT, contact_id)
    if node is None:
        return None
    company_id = await ctx.loaders.company_of_contact.load(contact_id)
    if not await ctx.sees(company_id):
        return None
    return Contact.of(node, company_id)


async def load_account(info: Info, company_id: str | None) -> Account | None:
    """An account if it exists and is visible, else ``None``."""
    if company_id is None or not await info.context.sees(company_id):
        return None
    node = await info.context.loaders.node(Label.COMPANY, company_id)
    return None if node is None else build(Account, node)


async def interaction_company(info: Info, interaction_id: str) -> str | None:
    """The account an interaction is about (directly, or through its opportunity)."""
    loaders = info.context.loaders
    for rel in await loaders.outgoing(RelType.ABOUT, interaction_id):
        if rel.to_label == Label.COMPANY:
            return rel.to_id
        if rel.to_label == Label.OPPORTUNITY:
            return await loaders.company_of(Label.OPPORTUNITY, rel.to_id)
    for rel in await loaders.incoming(RelType.ATTENDED, interaction_id):
        if rel.from_label == Label.CONTACT:
            return await loaders.company_of(Label.CONTACT, rel.from_id)
    return None


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


def _matches(c: Mapping[str, Any], f: ContactFilter | None) -> bool:
    if f is None:
        return True
    checks = [
        f.status is None or c.get("status") in f.status,
        f.seniority is None or c.get("seniority") in f.seniority,
        f.stance is None or c.get("stance") in f.stance,
        f.is_kdm is None or bool(c.get("is_kdm")) == f.is_kdm,
        f.name_contains is None or f.name_contains.casefold() in str(c.get("name", "")).casefold(),
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
    email: str | None
    phone: str | None
    last_verified_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    profile_data: strawberry.Private[dict[str, Any] | None] = None
    company_id: strawberry.Private[str | None] = None

    @classmethod
    def of(cls, attrs: Mapping[str, Any] | Node, company_id: str | None) -> Contact:
        if isinstance(attrs, Node):
            attrs = attrs.model_dump()
        return build(cls, attrs, company_id=company_id, profile_data=attrs.get("profile"))

    @strawberry.field
    def profile(self) -> ContactProfile | None:
        return None if not self.profile_data else build(ContactProfile, self.profile_data)

    async def _graph(self, info: Info) -> nx.MultiDiGraph | None:
        return None if self.company_id is None else await info.context.subgraph(self.company_id)

    @property
    def key(self) -> str:
        return node_key(Label.CONTACT, self.id)

    @strawberry.field
    async def company(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field
    async def department(self, info: Info) -> Department | None:
        g = await self._graph(info)
        if g is None:
            return None
        for other, _ in _neighbours(g, self.key, RelType.WORKS_IN, "out"):
            return build(Department, g.nodes[other], company_id=self.company_id)
        return None

    @strawberry.field(description="Formal line (REPORTS_TO); null when masked.")
    async def reports_to(self, info: Info) -> Contact | None:
        g = await self._graph(info)
        for other, _ in [] if g is None else _neighbours(g, self.key, RelType.REPORTS_TO, "out"):
            return await contact_from_graph(info, g, split_node_key(other)[1])
        return None

    @strawberry.field(description="Who reports to this contact (masked contacts omitted).")
    async def direct_reports(self, info: Info) -> list[Contact]:
        g = await self._graph(info)
        if g is None:
            return []
        found = [
            await contact_from_graph(info, g, split_node_key(o)[1])
            for o, _ in _neighbours(g, self.key, RelType.REPORTS_TO, "in")
        ]
        return [c for c in found if c is not None]

    @strawberry.field(description="REPORTS_TO, INFLUENCES, ALLY_OF and RIVAL_OF ties, both ways.")
    async def ties(self, info: Info, type: TieType | None = None) -> list[Tie]:
        g = await self._graph(info)
        if g is None:
            return []
        out: list[Tie] = []
        for tie in TieType:
            if type is not None and tie != type:
                continue
            for direction in Direction:
                edges = _neighbours(g, self.key, RelType(tie.value), direction.value.lower())
                for other, data in edges:
                    contact = await contact_from_graph(info, g, split_node_key(other)[1])
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
        g = await self._graph(info)
        if g is None:
            return []
        return [
            RoleHolder(
                role=data["role"],
                stance=data.get("stance"),
                contact=self,
                opportunity=build(Opportunity, g.nodes[o], company_id=self.company_id),
            )
            for o, data in _neighbours(g, self.key, RelType.HAS_ROLE, "out")
        ]

    @strawberry.field(description="Our reps' relationships with this contact (KNOWS).")
    async def known_by(self, info: Info) -> list[Acquaintance]:
        g = await self._graph(info)
        if g is None:
            return []
        return [
            Acquaintance(
                level=data["level"],
                since=data.get("since"),
                last_contact_at=data.get("last_contact_at"),
                rep=build(Rep, g.nodes[r]),
            )
            for r, data in _neighbours(g, self.key, RelType.KNOWS, "in")
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
    ) -> Annotated[ContactInfluence, strawberry.lazy(_AN)] | None:
        from stakegraph.gql.analytics import contact_influence

        if self.company_id is None:
            return None
        analysis = await info.context.analysis(self.company_id, as_of)
        entry = analysis.influence.get(self.id)
        return None if entry is None else contact_influence(entry, self)


# --------------------------------------------------------------------------- Department


@strawberry.type
class Department:
    id: strawberry.ID
    name: str
    function: DepartmentFunction
    is_key: bool
    company_id: strawberry.Private[str | None] = None

    @strawberry.field
    async def company(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field(description="The department this one is part of, if nested.")
    async def parent(self, info: Info) -> Department | None:
        if self.company_id is None:
            return None
        g = await info.context.subgraph(self.company_id)
        key = node_key(Label.DEPARTMENT, self.id)
        for other, _ in _neighbours(g, key, RelType.PART_OF, "out"):
            if other.startswith("Department:"):
                return build(Department, g.nodes[other], company_id=self.company_id)
        return None

    @strawberry.field(description="Contacts working in this department (not sub-departments).")
    async def contacts(self, info: Info) -> list[Contact]:
        if self.company_id is None:
            return []
        g = await info.context.subgraph(self.company_id)
        key = node_key(Label.DEPARTMENT, self.id)
        return [
            Contact.of(g.nodes[c], self.company_id)
            for c, _ in _neighbours(g, key, RelType.WORKS_IN, "in")
        ]


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

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field(description="The decision chain of this deal (决策链).")
    async def roles(self, info: Info) -> list[RoleHolder]:
        if self.company_id is None:
            return []
        g = await info.context.subgraph(self.company_id)
        key = node_key(Label.OPPORTUNITY, self.id)
        out = []
        for c, data in _neighbours(g, key, RelType.HAS_ROLE, "in"):
            contact = await contact_from_graph(info, g, split_node_key(c)[1])
            out.append(
                RoleHolder(
                    role=data["role"], stance=data.get("stance"), contact=contact, opportunity=self
                )
            )
        return out

    @strawberry.field
    async def competitors(self, info: Info) -> list[Competitor]:
        if self.company_id is None:
            return []
        g = await info.context.subgraph(self.company_id)
        key = node_key(Label.OPPORTUNITY, self.id)
        return [
            build(Competitor, g.nodes[c])
            for c, _ in _neighbours(g, key, RelType.COMPETES_FOR, "in")
        ]

    @strawberry.field(description="§3.5 coverage of this deal's chain.")
    async def coverage(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Coverage, strawberry.lazy(_AN)] | None:
        from stakegraph.gql.analytics import opportunity_coverage

        if self.company_id is None:
            return None
        return await opportunity_coverage(info, self.company_id, self.id, as_of)

    @strawberry.field(description="§3.6 balance of this deal's chain (HAS_ROLE stances apply).")
    async def balance(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Balance, strawberry.lazy(_AN)] | None:
        from stakegraph.gql.analytics import opportunity_balance

        if self.company_id is None:
            return None
        return await opportunity_balance(info, self.company_id, self.id, as_of)


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
        ids = [r.from_id for r in rels if r.from_label == Label.REP]
        return [build(Rep, n) for n in await info.context.loaders.many(Label.REP, sorted(ids))]

    @strawberry.field(description="Attending contacts (masked contacts omitted).")
    async def contacts(self, info: Info) -> list[Contact]:
        rels = await info.context.loaders.incoming(RelType.ATTENDED, self.id)
        ids = sorted(r.from_id for r in rels if r.from_label == Label.CONTACT)
        found = [await load_contact(info, i) for i in ids]
        return [c for c in found if c is not None]


# --------------------------------------------------------------------------- Rep, Team


@strawberry.type(description="One of our salespeople.")
class Rep:
    id: strawberry.ID
    name: str
    email: str | None
    industry_expert: bool

    async def _team_ids(self, info: Info) -> frozenset[str]:
        rels = await info.context.loaders.outgoing(RelType.MEMBER_OF, self.id)
        return frozenset(r.to_id for r in rels)

    async def _require_visible(self, info: Info, what: str) -> None:
        if not may_see_rep(info.context.principal, self.id, await self._team_ids(info)):
            raise ForbiddenError(f"the {what} of rep {self.id!r} is not visible to you")

    @strawberry.field
    async def teams(self, info: Info) -> list[Team]:
        ids = sorted(await self._team_ids(info))
        return [build(Team, n) for n in await info.context.loaders.many(Label.TEAM, ids)]

    @strawberry.field(description="Accounts the rep covers that the caller may see.")
    async def accounts(self, info: Info, kind: CoverKind | None = None) -> list[Account]:
        rels = await info.context.loaders.outgoing(RelType.COVERS, self.id)
        ids = sorted(
            {
                r.to_id
                for r in rels
                if r.from_label == Label.REP and (kind is None or r.properties.get("kind") == kind)
            }
        )
        found = [await load_account(info, i) for i in ids]
        return [a for a in found if a is not None]

    @strawberry.field(
        description="§3.8 rep grade (大客户销售分级) over owned STRATEGIC/KEY accounts."
    )
    async def grade(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[RepGrade, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import rep_grade

        await self._require_visible(info, "grade")
        return await rep_grade(info, self, as_of)


@strawberry.type
class Team:
    id: strawberry.ID
    name: str
    kind: TeamKind
    region: str | None
    industry: str | None

    @strawberry.field(description="Members the caller may see (as `rep(id)`).")
    async def members(self, info: Info) -> list[Rep]:
        ctx = info.context
        rels = await ctx.loaders.incoming(RelType.MEMBER_OF, self.id)
        ids = sorted(r.from_id for r in rels if r.from_label == Label.REP)
        teams = await asyncio.gather(
            *(ctx.loaders.outgoing(RelType.MEMBER_OF, rep_id) for rep_id in ids)
        )
        shown = [
            rep_id
            for rep_id, rels in zip(ids, teams, strict=True)
            if may_see_rep(ctx.principal, rep_id, frozenset(r.to_id for r in rels))
        ]
        return [build(Rep, n) for n in await ctx.loaders.many(Label.REP, shown)]

    @strawberry.field(description="Accounts the team covers that the caller may see.")
    async def accounts(self, info: Info) -> list[Account]:
        rels = await info.context.loaders.outgoing(RelType.COVERS, self.id)
        ids = sorted({r.to_id for r in rels if r.from_label == Label.TEAM})
        found = [await load_account(info, i) for i in ids]
        return [a for a in found if a is not None]


# ------------------------------------------------------------------------------ Account


@strawberry.type(description="A customer company (大客户) and its analytics.")
class Account:
    id: strawberry.ID
    name: str
    tier: Tier | None
    industry: str | None
    region: str | None
    annual_revenue: float | None
    employees: int | None
    strategic_fit: int | None
    profit_potential: int | None
    stability: int | None
    market_influence: int | None
    created_at: datetime | None
    updated_at: datetime | None

    async def _graph(self, info: Info) -> nx.MultiDiGraph:
        return await info.context.subgraph(self.id)

    @property
    def key(self) -> str:
        return node_key(Label.COMPANY, self.id)

    # -------------------------------------------------------------- structure
    @strawberry.field
    async def departments(self, info: Info) -> list[Department]:
        g = await self._graph(info)
        depts = sorted(k for k, a in g.nodes(data=True) if a.get("label") == "Department")
        return [build(Department, g.nodes[k], company_id=self.id) for k in depts]

    @strawberry.field(description="The account's contacts (any status unless filtered), by id.")
    async def contacts(
        self,
        info: Info,
        filter: ContactFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Contact]:
        check_first(first, info.context.settings.page_max)
        g = await self._graph(info)
        dept = _department_filter(g, filter)
        rows = sorted(
            (
                a
                for k, a in g.nodes(data=True)
                if a.get("label") == "Contact"
                and not a.get("foreign")
                and _matches(a, filter)
                and (dept is None or k in dept)
            ),
            key=lambda a: a["id"],
        )
        return page_by_id(
            rows,
            first=first,
            after=after,
            id_of=lambda a: a["id"],
            wrap=lambda a: Contact.of(a, self.id),
        )

    @strawberry.field
    async def opportunities(
        self, info: Info, status: OpportunityStatus | None = None
    ) -> list[Opportunity]:
        g = await self._graph(info)
        found = [
            build(Opportunity, g.nodes[o], company_id=self.id)
            for o, _ in _neighbours(g, self.key, RelType.FOR, "in")
        ]
        return [o for o in found if status is None or o.status == status]

    @strawberry.field(description="Logged interactions about the account, newest first.")
    async def interactions(self, info: Info, first: int = 20) -> list[Interaction]:
        check_first(first, info.context.settings.page_max)
        g = await self._graph(info)
        rows = [a for _, a in g.nodes(data=True) if a.get("label") == "Interaction"]
        # an interaction attended by this account's contacts may be about another
        # account: list it only when that account is visible (as interaction(id) does)
        ctx = info.context
        if await ctx.visible() is not None:
            owners = await asyncio.gather(*(interaction_company(info, a["id"]) for a in rows))
            rows = [a for a, owner in zip(rows, owners, strict=True) if await ctx.sees(owner)]
        rows.sort(key=lambda a: (a["at"], a["id"]), reverse=True)
        return [build(Interaction, a, company_id=self.id) for a in rows[:first]]

    @strawberry.field(
        description="Who covers the account (客户覆盖): reps and teams, OWNER / SUPPORT."
    )
    async def covered_by(self, info: Info) -> list[Coverer]:
        g = await self._graph(info)
        out = []
        for other, data in _neighbours(g, self.key, RelType.COVERS, "in"):
            label, _ = split_node_key(other)
            is_rep = label == Label.REP
            out.append(
                Coverer(
                    kind=data.get("kind", "OWNER"),
                    rep=build(Rep, g.nodes[other]) if is_rep else None,
                    team=None if is_rep else build(Team, g.nodes[other]),
                )
            )
        return out

    @strawberry.field(description="The headquarters this account is a branch of (BRANCH_OF).")
    async def headquarters(self, info: Info) -> Account | None:
        g = await self._graph(info)
        for other, _ in _neighbours(g, self.key, RelType.BRANCH_OF, "out"):
            return await load_account(info, split_node_key(other)[1])
        return None

    @strawberry.field(description="Visible branches of this account.")
    async def branches(self, info: Info) -> list[Account]:
        g = await self._graph(info)
        found = [
            await load_account(info, split_node_key(o)[1])
            for o, _ in _neighbours(g, self.key, RelType.BRANCH_OF, "in")
        ]
        return [a for a in found if a is not None]

    # -------------------------------------------------------------- analytics
    @strawberry.field(description="§3.7 客户关系等级 and its 0–100 score.")
    async def relationship_grade(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[RelationshipGrade, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import relationship_grade

        return relationship_grade((await info.context.analysis(self.id, as_of)).grade)

    @strawberry.field(description="§3.5 decision-chain coverage: the account's or one deal's.")
    async def coverage(
        self, info: Info, opportunity_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> Annotated[Coverage, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import account_coverage, opportunity_coverage

        if opportunity_id is None:
            return await account_coverage(info, self.id, as_of)
        await _check_opportunity(info, self.id, opportunity_id)
        return await opportunity_coverage(info, self.id, opportunity_id, as_of)

    @strawberry.field(description="§3.6 supporter / opponent balance: the account's or one deal's.")
    async def balance(
        self, info: Info, opportunity_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> Annotated[Balance, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import account_balance, opportunity_balance

        if opportunity_id is None:
            return await account_balance(info, self.id, as_of)
        await _check_opportunity(info, self.id, opportunity_id)
        return await opportunity_balance(info, self.id, opportunity_id, as_of)

    @strawberry.field(description="§3.4 influence of every active contact, most influential first.")
    async def influence(
        self, info: Info, as_of: date | None = None, first: int | None = None
    ) -> list[Annotated[ContactInfluence, strawberry.lazy(_AN)]]:
        from stakegraph.gql.analytics import influence_list

        if first is not None:
            check_first(first, info.context.settings.page_max)
        return await influence_list(info, self.id, as_of, first)

    @strawberry.field(description="§3.9 health status and signals with their evidence.")
    async def health(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Health, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import health

        return health((await info.context.analysis(self.id, as_of)).health)

    @strawberry.field(description="§3.9 ICP potential (null score: a data gap).")
    async def potential(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[Potential, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import potential

        return potential((await info.context.analysis(self.id, as_of)).potential)

    @strawberry.field(description="§3.11 the k cheapest paths from our reps to a contact.")
    async def paths_to(
        self, info: Info, contact_id: strawberry.ID, k: int = 3, as_of: date | None = None
    ) -> list[Annotated[Path, strawberry.lazy(_AN)]]:
        from stakegraph.gql.analytics import paths_to

        if not 1 <= k <= 10:
            raise BadInput("k must be between 1 and 10", field="k")
        return await paths_to(info, self.id, contact_id, k, as_of)

    @strawberry.field(description="§3.12 contacts whose level 2 would help most.")
    async def next_best_contacts(
        self, info: Info, k: int = 5, as_of: date | None = None
    ) -> list[Annotated[NextBestContact, strawberry.lazy(_AN)]]:
        from stakegraph.gql.analytics import next_best_contacts

        check_first(k, info.context.settings.page_max, field="k")
        return await next_best_contacts(info, self.id, k, as_of)

    @strawberry.field(description="§3.12 every analytic before and after hypothetical changes.")
    async def what_if(
        self,
        info: Info,
        changes: list[Annotated[WhatIfChange, strawberry.lazy(_AN)]],
        as_of: date | None = None,
    ) -> Annotated[WhatIfResult, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import what_if

        return await what_if(info, self.id, changes, as_of)

    @strawberry.field(description="Recorded changes of the account's contacts since a moment.")
    async def changes(
        self, info: Info, since: datetime
    ) -> list[Annotated[ChangeEvent, strawberry.lazy(_AN)]]:
        from stakegraph.gql.analytics import change_event

        g = await self._graph(info)
        if since.tzinfo is None:
            from datetime import UTC

            since = since.replace(tzinfo=UTC)
        return [change_event(e) for e in g.graph["changes"] if e.at >= since]

    @strawberry.field(description="A signed URL of the embeddable map widget for this account.")
    async def map_url(self, info: Info, view: MapView = MapView.ORG) -> str:
        from stakegraph.gql.analytics import map_url

        mask = not info.context.principal.sees_everything
        return map_url(info.context.settings, self.id, view, mask_foreign=mask)

    @strawberry.field(description="All analytics at once (the AccountAnalysis bundle).")
    async def analysis(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[AccountAnalysisView, strawberry.lazy(_AN)]:
        from stakegraph.gql.analytics import AccountAnalysisView

        return AccountAnalysisView.of(self.id, await info.context.analysis(self.id, as_of))


def _department_filter(g: nx.MultiDiGraph, f: ContactFilter | None) -> set[str] | None:
    """Contact keys working in the filter's department (``None``: no filter)."""
    if f is None or f.department_id is None:
        return None
    key = node_key(Label.DEPARTMENT, f.department_id)
    return {c for c, _ in _neighbours(g, key, RelType.WORKS_IN, "in")}


async def _check_opportunity(info: Info, company_id: str, opportunity_id: str) -> None:
    g = await info.context.subgraph(company_id)
    key = node_key(Label.OPPORTUNITY, opportunity_id)
    if key not in g or not g.has_edge(
        key, node_key(Label.COMPANY, company_id), key=str(RelType.FOR)
    ):
        raise NotFoundError(
            f"opportunity {opportunity_id!r} not found in account {company_id!r}",
            field="opportunityId",
        )
