"""Strawberry types of the analytics, thin over ``stakegraph.influence.models``.

Every "§N" in a description is a section of docs/analytics.md (§3: the analytics).

Each analytic reads the account's :class:`~stakegraph.influence.models.AccountAnalysis`
(computed once per request, account and as-of date by the scope) and names its
contacts through the account's :class:`~stakegraph.service.scope.AccountView`: a
contact of an account the caller may not see is masked. The rules themselves live in
``stakegraph.influence``; the use cases in ``stakegraph.service``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.nodes import Contact, Department, build, contact_in_view, load_account
from stakegraph.gql.scalars import (
    DecisionRole,
    HealthSignalCode,
    HealthStatus,
    HoleKind,
    PotentialBand,
    RelationshipGradeLevel,
    RepGradeLevel,
    RoleStatus,
    Stance,
    Verdict,
)
from stakegraph.graph.model import ChangeEvent as ChangeRecord
from stakegraph.graph.model import Label, split_node_key
from stakegraph.influence import models as m
from stakegraph.service import analysis as uc
from stakegraph.service import portfolio
from stakegraph.service.scope import AccountView

if TYPE_CHECKING:
    from stakegraph.gql.accounts import Account

__all__ = [
    "AccountAnalysisView",
    "Balance",
    "ChangeEvent",
    "ContactInfluence",
    "Coverage",
    "Health",
    "Hole",
    "NextBestContact",
    "Path",
    "Potential",
    "RelationshipGrade",
    "RepGrade",
    "Suggestion",
]

_ACCOUNTS = "stakegraph.gql.accounts"


# ------------------------------------------------------------------------------ types


@strawberry.type(description="§3.7 客户关系等级.")
class RelationshipGrade:
    grade: RelationshipGradeLevel
    score: float = strawberry.field(description="0–100, for ranking")
    f_kdm: float
    f_dept: float
    balance: float
    ratio: float
    kdm_count: int
    influenced_kdm_count: int

    @classmethod
    def of(cls, g: m.RelationshipGrade) -> RelationshipGrade:
        return cls(
            grade=g.grade,
            score=g.score,
            f_kdm=g.f_kdm,
            f_dept=g.f_dept,
            balance=g.balance,
            ratio=g.ratio,
            kdm_count=len(g.kdm_ids),
            influenced_kdm_count=len(g.influenced_kdm_ids),
        )


@strawberry.type(description="A step's end: a rep or a contact; id and name are null when masked.")
class PathNode:
    label: str
    id: strawberry.ID | None
    name: str | None
    masked: bool

    @classmethod
    def of(cls, view: AccountView, key: str) -> PathNode:
        label, node_id = split_node_key(key)
        if label == Label.CONTACT:
            attrs = view.contact(node_id)
            if attrs is None:
                return cls(label=str(label), id=None, name=None, masked=True)
            return cls(
                label=str(label), id=strawberry.ID(node_id), name=attrs.get("name"), masked=False
            )
        attrs = view.graph.nodes.get(key, {})
        return cls(
            label=str(label), id=strawberry.ID(node_id), name=attrs.get("name"), masked=False
        )


@strawberry.type
class PathStep:
    from_: PathNode = strawberry.field(name="from")
    to: PathNode
    type: str
    probability: float


@strawberry.type(description="§3.11 a path to power (找到关键人).")
class Path:
    probability: float
    cost: float
    steps: list[PathStep]

    @classmethod
    def of(cls, view: AccountView, p: m.Path) -> Path:
        steps = [
            PathStep(
                from_=PathNode.of(view, s.from_key),
                to=PathNode.of(view, s.to_key),
                type=s.type,
                probability=s.probability,
            )
            for s in p.steps
        ]
        return cls(probability=p.probability, cost=p.cost, steps=steps)


def _id(value: str | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(value)


def _path(view: AccountView, p: m.Path | None) -> Path | None:
    return None if p is None else Path.of(view, p)


def _contacts(view: AccountView, ids: Sequence[str]) -> list[Contact]:
    found = [contact_in_view(view, i) for i in ids]
    return [c for c in found if c is not None]


@strawberry.type
class Suggestion:
    contact: Contact | None
    influence: float
    probability: float | None
    path: Path | None


@strawberry.type(description="A text as a code of the message catalogue and its parameters.")
class TextItem:
    code: str
    params: strawberry.scalars.JSON


_CODE = "the code of the text in the message catalogue (stakegraph.influence.messages)"
_PARAMS = "the parameters of that code, as JSON {name: value}"


@strawberry.type
class Hole:
    kind: HoleKind
    role: DecisionRole | None
    department: Department | None
    reason: str
    suggestions: list[Suggestion]
    code: str | None = strawberry.field(default=None, description=_CODE)
    params: strawberry.scalars.JSON | None = strawberry.field(default=None, description=_PARAMS)

    @classmethod
    def of(cls, view: AccountView, h: m.Hole) -> Hole:
        dept = None
        if h.department_id is not None:
            attrs = view.graph.nodes.get(f"{Label.DEPARTMENT}:{h.department_id}")
            dept = None if attrs is None else build(Department, attrs, company_id=view.company_id)
        return cls(
            kind=h.kind,
            role=h.role,
            department=dept,
            reason=h.reason,
            code=h.code,
            params=_json(h.params),
            suggestions=[
                Suggestion(
                    contact=contact_in_view(view, s.contact_id),
                    influence=s.score,
                    probability=s.probability,
                    path=_path(view, s.path),
                )
                for s in h.suggestions
            ],
        )


@strawberry.type
class RoleCoverage:
    role: DecisionRole
    status: RoleStatus
    at_risk: bool
    holders: list[Contact]
    influenced_holders: list[Contact]
    top_holder: Contact | None


@strawberry.type(description="§3.5 decision-chain coverage (覆盖).")
class Coverage:
    opportunity_id: strawberry.ID | None
    ratio: float
    weighted_ratio: float
    roles: list[RoleCoverage]
    holes: list[Hole]
    chain: list[Contact]

    @classmethod
    def of(cls, view: AccountView, c: m.Coverage) -> Coverage:
        roles = [
            RoleCoverage(
                role=r.role,
                status=r.status,
                at_risk=r.at_risk,
                holders=_contacts(view, r.holder_ids),
                influenced_holders=_contacts(view, r.influenced_holder_ids),
                top_holder=None
                if r.top_holder_id is None
                else contact_in_view(view, r.top_holder_id),
            )
            for r in c.roles
        ]
        return cls(
            opportunity_id=_id(c.opportunity_id),
            ratio=c.ratio,
            weighted_ratio=c.weighted_ratio,
            roles=roles,
            holes=[Hole.of(view, h) for h in c.holes],
            chain=_contacts(view, c.chain_contact_ids),
        )


@strawberry.type
class SwingContact:
    contact: Contact | None
    stance: Stance
    influence: float


@strawberry.type(description="§3.6 supporter / opponent balance (支持/反对力量对比).")
class Balance:
    opportunity_id: strawberry.ID | None
    value: float | None
    verdict: Verdict | None
    supporters: int
    opponents: int
    supporter_influence: float
    opponent_influence: float
    known: int
    swing: list[SwingContact]

    @classmethod
    def of(cls, view: AccountView, b: m.Balance) -> Balance:
        return cls(
            opportunity_id=_id(b.opportunity_id),
            value=b.value,
            verdict=b.verdict,
            supporters=b.supporters,
            opponents=b.opponents,
            supporter_influence=b.supporter_influence,
            opponent_influence=b.opponent_influence,
            known=b.known,
            swing=[
                SwingContact(
                    contact=contact_in_view(view, s.contact_id), stance=s.stance, influence=s.score
                )
                for s in b.swing
            ],
        )


@strawberry.type(description="§3.4 influence of one contact.")
class ContactInfluence:
    contact: Contact | None
    score: float
    pagerank: float = strawberry.field(description="raw personalised PageRank")
    pagerank_normalized: float
    authority: float
    rating: float
    betweenness: float
    hidden: bool = strawberry.field(description="hidden influencer")

    @classmethod
    def of(cls, c: m.ContactInfluence, contact: Contact | None) -> ContactInfluence:
        return cls(
            contact=contact,
            score=c.score,
            pagerank=c.pagerank,
            pagerank_normalized=c.pagerank_n,
            authority=c.authority,
            rating=c.rating,
            betweenness=c.betweenness,
            hidden=c.hidden,
        )


@strawberry.type
class HealthSignal:
    code: HealthSignalCode
    evidence: str
    contact_ids: list[strawberry.ID]
    evidence_code: str | None = strawberry.field(default=None, description=_CODE)
    evidence_params: strawberry.scalars.JSON | None = strawberry.field(
        default=None, description=_PARAMS
    )
    evidence_items: list[TextItem] = strawberry.field(
        default_factory=list, description="the items the code's {items} joins, one per event"
    )


def _json(params: Mapping[str, m.ParamValue]) -> strawberry.scalars.JSON:
    return cast(strawberry.scalars.JSON, dict(params))


@strawberry.type(description="§3.9 account health.")
class Health:
    status: HealthStatus
    signals: list[HealthSignal]

    @classmethod
    def of(cls, h: m.Health) -> Health:
        return cls(
            status=h.status,
            signals=[
                HealthSignal(
                    code=s.code,
                    evidence=s.evidence,
                    contact_ids=[strawberry.ID(c) for c in s.contact_ids],
                    evidence_code=s.evidence_code,
                    evidence_params=_json(s.evidence_params),
                    evidence_items=[
                        TextItem(code=i.code, params=_json(i.params)) for i in s.evidence_items
                    ],
                )
                for s in h.signals
            ],
        )


@strawberry.type(description="§3.9 ICP potential; score and band null on a data gap.")
class Potential:
    score: float | None
    band: PotentialBand | None
    missing: list[str]

    @classmethod
    def of(cls, p: m.Potential) -> Potential:
        return cls(score=p.score, band=p.band, missing=list(p.missing))


@strawberry.type(description="§3.12 the gain if our level with a contact became 2.")
class NextBestContact:
    contact: Contact | None
    influence: float
    grade_before: RelationshipGradeLevel
    grade_after: RelationshipGradeLevel
    grade_gain: int
    score_gain: float
    ratio_gain: float
    path: Path | None

    @classmethod
    def of(cls, view: AccountView, n: m.NextBestContact) -> NextBestContact:
        return cls(
            contact=contact_in_view(view, n.contact_id),
            influence=n.score,
            grade_before=n.grade_before,
            grade_after=n.grade_after,
            grade_gain=n.grade_gain,
            score_gain=n.score_gain,
            ratio_gain=n.ratio_gain,
            path=_path(view, n.path),
        )


@strawberry.type(description="A recorded change of a stance, status, KNOWS level or HAS_ROLE.")
class ChangeEvent:
    entity: str
    entity_id: str
    contact_id: strawberry.ID | None
    field: str
    old: str | None
    new: str | None
    at: datetime
    by: str
    seq: int | None = strawberry.field(
        default=None,
        description="increasing in commit order: pass the last one seen as "
        "`changes(after:)` to poll without missing an event",
    )

    @classmethod
    def of(cls, e: ChangeRecord) -> ChangeEvent:
        return cls(
            entity=e.entity,
            entity_id=e.entity_id,
            contact_id=_id(e.contact_id),
            field=e.field,
            old=None if e.old is None else str(e.old),
            new=None if e.new is None else str(e.new),
            at=e.at,
            by=e.by,
            seq=e.seq,
        )


@strawberry.type(description="§3.8 大客户销售分级.")
class RepGrade:
    grade: RepGradeLevel
    basic: int
    intermediate: int
    strong: int
    industry_expert: bool
    account_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The counted accounts the caller may see.")
    async def accounts(self, info: Info) -> list[Annotated[Account, strawberry.lazy(_ACCOUNTS)]]:
        found = await asyncio.gather(*(load_account(info, i) for i in self.account_ids))
        return [a for a in found if a is not None]


@strawberry.type(description="Every analytic of an account (AccountAnalysis).")
class AccountAnalysisView:
    as_of: date
    view: strawberry.Private[AccountView]
    data: strawberry.Private[m.AccountAnalysis]

    @strawberry.field
    def relationship_grade(self) -> RelationshipGrade:
        return RelationshipGrade.of(self.data.grade)

    @strawberry.field
    def coverage(self) -> Coverage:
        return Coverage.of(self.view, self.data.coverage)

    @strawberry.field
    def opportunity_coverage(self) -> list[Coverage]:
        return [Coverage.of(self.view, c) for c in self.data.opportunity_coverage]

    @strawberry.field
    def balance(self) -> Balance:
        return Balance.of(self.view, self.data.balance)

    @strawberry.field
    def influence(self) -> list[ContactInfluence]:
        return [
            ContactInfluence.of(c, contact_in_view(self.view, c.contact_id))
            for c in self.data.influence.contacts
        ]

    @strawberry.field
    def health(self) -> Health:
        return Health.of(self.data.health)

    @strawberry.field
    def potential(self) -> Potential:
        return Potential.of(self.data.potential)

    @strawberry.field(description="§3.2 effective level of each contact, as JSON {id: level}.")
    def effective_levels(self) -> strawberry.scalars.JSON:
        levels: dict[str, int] = {
            cid: level
            for cid, level in sorted(self.data.effective_levels.items())
            if self.view.shows(cid)
        }
        return cast(strawberry.scalars.JSON, levels)


# ----------------------------------------------------------------- field resolvers


async def deal_coverage(
    info: Info, company_id: str, opportunity_id: str, as_of: date | None
) -> Coverage:
    ctx = info.context
    cov, _ = await ctx.run(uc.deal_analysis, ctx.scope, company_id, opportunity_id, as_of)
    return Coverage.of(await ctx.view(company_id), cov)


async def deal_balance(
    info: Info, company_id: str, opportunity_id: str, as_of: date | None
) -> Balance:
    ctx = info.context
    _, bal = await ctx.run(uc.deal_analysis, ctx.scope, company_id, opportunity_id, as_of)
    return Balance.of(await ctx.view(company_id), bal)


async def rep_grade(info: Info, rep_id: str, as_of: date | None) -> RepGrade:
    ctx = info.context
    report = await ctx.run(portfolio.rep_grade, ctx.scope, rep_id, as_of)
    g = report.grade
    return RepGrade(
        grade=g.grade,
        basic=g.basic,
        intermediate=g.intermediate,
        strong=g.strong,
        industry_expert=g.industry_expert,
        account_ids=list(g.account_ids),
    )
