"""Strawberry types of the analytics (domain.md §3), thin over ``stakegraph.influence.models``.

Each ``Account`` analytic reads the account's :class:`~stakegraph.influence.models.AccountAnalysis`
(computed at most once per request and as-of date, see :meth:`Context.analysis`) and
names its contacts through the account subgraph; a contact of an account the caller
may not see is masked. The rules themselves live in ``influence``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import networkx as nx
import strawberry

from stakegraph.gql.context import Context, Info
from stakegraph.gql.errors import BadInput, NotFoundError
from stakegraph.gql.loaders import in_thread
from stakegraph.gql.scalars import (
    DecisionRole,
    HealthSignalCode,
    HealthStatus,
    HoleKind,
    MapView,
    PotentialBand,
    RelationshipGradeLevel,
    RepGradeLevel,
    RoleStatus,
    Stance,
    Verdict,
)
from stakegraph.gql.types import (
    Account,
    Contact,
    Department,
    Rep,
    build,
    contact_from_graph,
    load_account,
)
from stakegraph.graph.model import Label, split_node_key
from stakegraph.influence import models as m

if TYPE_CHECKING:
    from stakegraph.config import Settings

__all__ = [
    "AccountAnalysisView",
    "Balance",
    "ChangeEvent",
    "ContactInfluence",
    "Coverage",
    "Health",
    "NextBestContact",
    "Path",
    "Potential",
    "RelationshipGrade",
    "RepGrade",
    "WhatIfChange",
    "WhatIfResult",
]


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


@strawberry.type(description="A step's end: a rep or a contact; id and name are null when masked.")
class PathNode:
    label: str
    id: strawberry.ID | None
    name: str | None
    masked: bool


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


@strawberry.type
class Suggestion:
    contact: Contact | None
    influence: float
    probability: float | None
    path: Path | None


@strawberry.type
class Hole:
    kind: HoleKind
    role: DecisionRole | None
    department: Department | None
    reason: str
    suggestions: list[Suggestion]


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


@strawberry.type
class HealthSignal:
    code: HealthSignalCode
    evidence: str
    contact_ids: list[strawberry.ID]


@strawberry.type(description="§3.9 account health.")
class Health:
    status: HealthStatus
    signals: list[HealthSignal]


@strawberry.type(description="§3.9 ICP potential; score and band null on a data gap.")
class Potential:
    score: float | None
    band: PotentialBand | None
    missing: list[str]


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


@strawberry.type(description="§3.8 大客户销售分级.")
class RepGrade:
    grade: RepGradeLevel
    basic: int
    intermediate: int
    strong: int
    industry_expert: bool
    account_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The counted accounts the caller may see.")
    async def accounts(self, info: Info) -> list[Account]:
        found = [await load_account(info, i) for i in self.account_ids]
        return [a for a in found if a is not None]


@strawberry.type(description="Every analytic of an account (AccountAnalysis).")
class AccountAnalysisView:
    as_of: date
    company_id: strawberry.Private[str]
    data: strawberry.Private[m.AccountAnalysis]

    @classmethod
    def of(cls, company_id: str, data: m.AccountAnalysis) -> AccountAnalysisView:
        return cls(as_of=data.as_of, company_id=company_id, data=data)

    @strawberry.field
    def relationship_grade(self) -> RelationshipGrade:
        return relationship_grade(self.data.grade)

    @strawberry.field
    async def coverage(self, info: Info) -> Coverage:
        return await coverage(info, self.company_id, self.data.coverage)

    @strawberry.field
    async def opportunity_coverage(self, info: Info) -> list[Coverage]:
        return [await coverage(info, self.company_id, c) for c in self.data.opportunity_coverage]

    @strawberry.field
    async def balance(self, info: Info) -> Balance:
        return await balance(info, self.company_id, self.data.balance)

    @strawberry.field
    async def influence(self, info: Info) -> list[ContactInfluence]:
        g = await info.context.subgraph(self.company_id)
        return [
            contact_influence(c, await contact_from_graph(info, g, c.contact_id))
            for c in self.data.influence.contacts
        ]

    @strawberry.field
    def health(self) -> Health:
        return health(self.data.health)

    @strawberry.field
    def potential(self) -> Potential:
        return potential(self.data.potential)

    @strawberry.field(description="§3.2 effective level of each contact, as JSON {id: level}.")
    async def effective_levels(self, info: Info) -> strawberry.scalars.JSON:
        visible = {}
        g = await info.context.subgraph(self.company_id)
        for cid, level in sorted(self.data.effective_levels.items()):
            if await contact_from_graph(info, g, cid) is not None:
                visible[cid] = level
        return visible


@strawberry.type(description="§3.12 what-if: every analytic before and after; nothing written.")
class WhatIfResult:
    before: AccountAnalysisView
    after: AccountAnalysisView


@strawberry.input
class ContactLeavesInput:
    contact_id: strawberry.ID


@strawberry.input
class StanceBecomesInput:
    contact_id: strawberry.ID
    stance: Stance
    opportunity_id: strawberry.ID | None = None


@strawberry.input
class LevelBecomesInput:
    rep_id: strawberry.ID
    contact_id: strawberry.ID
    level: int


@strawberry.input
class InfluenceTieAppearsInput:
    from_contact_id: strawberry.ID
    to_contact_id: strawberry.ID
    strength: int = 1


@strawberry.input(one_of=True, description="One hypothetical change (set exactly one field).")
class WhatIfChange:
    contact_leaves: ContactLeavesInput | None = strawberry.UNSET
    stance_becomes: StanceBecomesInput | None = strawberry.UNSET
    level_becomes: LevelBecomesInput | None = strawberry.UNSET
    influence_tie_appears: InfluenceTieAppearsInput | None = strawberry.UNSET


# ------------------------------------------------------------------------ converters


def relationship_grade(g: m.RelationshipGrade) -> RelationshipGrade:
    return RelationshipGrade(
        grade=g.grade,
        score=g.score,
        f_kdm=g.f_kdm,
        f_dept=g.f_dept,
        balance=g.balance,
        ratio=g.ratio,
        kdm_count=len(g.kdm_ids),
        influenced_kdm_count=len(g.influenced_kdm_ids),
    )


def health(h: m.Health) -> Health:
    return Health(
        status=h.status,
        signals=[
            HealthSignal(code=s.code, evidence=s.evidence, contact_ids=list(s.contact_ids))
            for s in h.signals
        ],
    )


def potential(p: m.Potential) -> Potential:
    return Potential(score=p.score, band=p.band, missing=list(p.missing))


def contact_influence(c: m.ContactInfluence, contact: Contact | None) -> ContactInfluence:
    return ContactInfluence(
        contact=contact,
        score=c.score,
        pagerank=c.pagerank,
        pagerank_normalized=c.pagerank_n,
        authority=c.authority,
        rating=c.rating,
        betweenness=c.betweenness,
        hidden=c.hidden,
    )


def change_event(e: object) -> ChangeEvent:
    return ChangeEvent(
        entity=e.entity,  # type: ignore[attr-defined]
        entity_id=e.entity_id,  # type: ignore[attr-defined]
        contact_id=e.contact_id,  # type: ignore[attr-defined]
        field=e.field,  # type: ignore[attr-defined]
        old=None if e.old is None else str(e.old),  # type: ignore[attr-defined]
        new=None if e.new is None else str(e.new),  # type: ignore[attr-defined]
        at=e.at,  # type: ignore[attr-defined]
        by=e.by,  # type: ignore[attr-defined]
    )


async def _contacts(info: Info, g: nx.MultiDiGraph, ids: Sequence[str]) -> list[Contact]:
    found = [await contact_from_graph(info, g, i) for i in ids]
    return [c for c in found if c is not None]


async def _path_node(info: Info, g: nx.MultiDiGraph, key: str) -> PathNode:
    label, node_id = split_node_key(key)
    if label == Label.CONTACT:
        contact = await contact_from_graph(info, g, node_id)
        if contact is None:
            return PathNode(label=str(label), id=None, name=None, masked=True)
        return PathNode(label=str(label), id=contact.id, name=contact.name, masked=False)
    attrs = g.nodes.get(key, {})
    return PathNode(label=str(label), id=node_id, name=attrs.get("name"), masked=False)


async def path(info: Info, g: nx.MultiDiGraph, p: m.Path | None) -> Path | None:
    if p is None:
        return None
    steps = [
        PathStep(
            from_=await _path_node(info, g, s.from_key),
            to=await _path_node(info, g, s.to_key),
            type=s.type,
            probability=s.probability,
        )
        for s in p.steps
    ]
    return Path(probability=p.probability, cost=p.cost, steps=steps)


async def hole(info: Info, g: nx.MultiDiGraph, company_id: str, h: m.Hole) -> Hole:
    dept = None
    if h.department_id is not None:
        attrs = g.nodes.get(f"{Label.DEPARTMENT}:{h.department_id}")
        dept = None if attrs is None else build(Department, attrs, company_id=company_id)
    return Hole(
        kind=h.kind,
        role=h.role,
        department=dept,
        reason=h.reason,
        suggestions=[
            Suggestion(
                contact=await contact_from_graph(info, g, s.contact_id),
                influence=s.score,
                probability=s.probability,
                path=await path(info, g, s.path),
            )
            for s in h.suggestions
        ],
    )


async def coverage(info: Info, company_id: str, c: m.Coverage) -> Coverage:
    g = await info.context.subgraph(company_id)
    roles = []
    for r in c.roles:
        top = (
            None if r.top_holder_id is None else await contact_from_graph(info, g, r.top_holder_id)
        )
        roles.append(
            RoleCoverage(
                role=r.role,
                status=r.status,
                at_risk=r.at_risk,
                holders=await _contacts(info, g, r.holder_ids),
                influenced_holders=await _contacts(info, g, r.influenced_holder_ids),
                top_holder=top,
            )
        )
    return Coverage(
        opportunity_id=c.opportunity_id,
        ratio=c.ratio,
        weighted_ratio=c.weighted_ratio,
        roles=roles,
        holes=[await hole(info, g, company_id, h) for h in c.holes],
        chain=await _contacts(info, g, c.chain_contact_ids),
    )


async def balance(info: Info, company_id: str, b: m.Balance) -> Balance:
    g = await info.context.subgraph(company_id)
    return Balance(
        opportunity_id=b.opportunity_id,
        value=b.value,
        verdict=b.verdict,
        supporters=b.supporters,
        opponents=b.opponents,
        supporter_influence=b.supporter_influence,
        opponent_influence=b.opponent_influence,
        known=b.known,
        swing=[
            SwingContact(
                contact=await contact_from_graph(info, g, s.contact_id),
                stance=s.stance,
                influence=s.score,
            )
            for s in b.swing
        ],
    )


# ----------------------------------------------------------------- field resolvers


async def account_coverage(info: Info, company_id: str, as_of: date | None) -> Coverage:
    analysis = await info.context.analysis(company_id, as_of)
    return await coverage(info, company_id, analysis.coverage)


async def account_balance(info: Info, company_id: str, as_of: date | None) -> Balance:
    analysis = await info.context.analysis(company_id, as_of)
    return await balance(info, company_id, analysis.balance)


async def _opportunity_analysis(
    ctx: Context, company_id: str, opportunity_id: str, as_of: date | None
) -> tuple[m.Coverage, m.Balance]:
    """The deal's coverage and balance: from the account's analysis when the deal is
    open, else from an analysis of that deal (each computed once per request)."""
    for opp in (None, opportunity_id):
        analysis = await ctx.analysis(company_id, as_of, opp)
        cov = next(
            (c for c in analysis.opportunity_coverage if c.opportunity_id == opportunity_id), None
        )
        bal = next(
            (b for b in analysis.opportunity_balance if b.opportunity_id == opportunity_id), None
        )
        if cov is not None and bal is not None:
            return cov, bal
    raise NotFoundError(f"opportunity {opportunity_id!r} not found", field="opportunityId")


async def opportunity_coverage(
    info: Info, company_id: str, opportunity_id: str, as_of: date | None
) -> Coverage:
    cov, _ = await _opportunity_analysis(info.context, company_id, opportunity_id, as_of)
    return await coverage(info, company_id, cov)


async def opportunity_balance(
    info: Info, company_id: str, opportunity_id: str, as_of: date | None
) -> Balance:
    _, bal = await _opportunity_analysis(info.context, company_id, opportunity_id, as_of)
    return await balance(info, company_id, bal)


async def influence_list(
    info: Info, company_id: str, as_of: date | None, first: int | None
) -> list[ContactInfluence]:
    analysis = await info.context.analysis(company_id, as_of)
    g = await info.context.subgraph(company_id)
    entries = (
        analysis.influence.contacts[:first] if first is not None else analysis.influence.contacts
    )
    return [contact_influence(c, await contact_from_graph(info, g, c.contact_id)) for c in entries]


async def paths_to(
    info: Info, company_id: str, contact_id: str, k: int, as_of: date | None
) -> list[Path]:
    from stakegraph.influence.paths import paths_to_power

    ctx = info.context
    g = await ctx.subgraph(company_id)
    if await contact_from_graph(info, g, contact_id) is None:
        raise NotFoundError(
            f"contact {contact_id!r} not found in account {company_id!r}", field="contactId"
        )
    found = await in_thread(
        paths_to_power, g, contact_id, as_of=ctx.as_of(as_of), settings=ctx.settings.analysis, k=k
    )
    out = [await path(info, g, p) for p in found]
    return [p for p in out if p is not None]


async def next_best_contacts(
    info: Info, company_id: str, k: int, as_of: date | None
) -> list[NextBestContact]:
    from stakegraph.influence.whatif import next_best_contacts as rank

    ctx = info.context
    g = await ctx.subgraph(company_id)
    found = await in_thread(
        rank,
        g,
        as_of=ctx.as_of(as_of),
        settings=ctx.settings.analysis,
        limit=k,
        company_id=company_id,
    )
    return [
        NextBestContact(
            contact=await contact_from_graph(info, g, n.contact_id),
            influence=n.score,
            grade_before=n.grade_before,
            grade_after=n.grade_after,
            grade_gain=n.grade_gain,
            score_gain=n.score_gain,
            ratio_gain=n.ratio_gain,
            path=await path(info, g, n.path),
        )
        for n in found
    ]


def _to_change(c: WhatIfChange, i: int) -> m.Change:
    from pydantic import TypeAdapter, ValidationError

    from stakegraph.gql.errors import from_validation_error

    chosen = [
        (kind, value)
        for kind, value in (
            ("contact_leaves", c.contact_leaves),
            ("stance_becomes", c.stance_becomes),
            ("level_becomes", c.level_becomes),
            ("influence_tie_appears", c.influence_tie_appears),
        )
        if value
    ]
    if len(chosen) != 1:
        raise BadInput("set exactly one kind of change", field=f"changes[{i}]")
    kind, value = chosen[0]
    raw = {k: v for k, v in vars(value).items() if v is not None}
    try:
        return TypeAdapter(m.Change).validate_python({"kind": kind, **raw})
    except ValidationError as exc:
        raise from_validation_error(exc, f"changes[{i}].{kind}") from exc


async def what_if(
    info: Info, company_id: str, changes: list[WhatIfChange], as_of: date | None
) -> WhatIfResult:
    from stakegraph.graph.errors import NotFound
    from stakegraph.influence.whatif import what_if as run

    if not changes:
        raise BadInput("give at least one change", field="changes")
    if len(changes) > 50:
        raise BadInput("at most 50 changes", field="changes")
    parsed = [_to_change(c, i) for i, c in enumerate(changes)]
    ctx = info.context
    g = await ctx.subgraph(company_id)
    for i, ch in enumerate(parsed):
        for attr in ("contact_id", "from_contact_id", "to_contact_id"):
            cid = getattr(ch, attr, None)
            if cid is not None and await contact_from_graph(info, g, cid) is None:
                raise NotFoundError(
                    f"contact {cid!r} not found in account {company_id!r}", field=f"changes[{i}]"
                )
    try:
        result = await in_thread(
            run, g, parsed, as_of=ctx.as_of(as_of), settings=ctx.settings.analysis
        )
    except NotFound as exc:
        raise NotFoundError(str(exc), field="changes") from exc
    return WhatIfResult(
        before=AccountAnalysisView.of(company_id, result.before),
        after=AccountAnalysisView.of(company_id, result.after),
    )


async def rep_grade(info: Info, rep: Rep, as_of: date | None) -> RepGrade:
    from stakegraph.graph.model import CoverKind, RelType
    from stakegraph.influence.grade import rep_grade as grade_of

    ctx = info.context
    rels = await ctx.loaders.outgoing(RelType.COVERS, rep.id)
    owned = sorted(
        {
            r.to_id
            for r in rels
            if r.from_label == Label.REP and r.properties.get("kind") == CoverKind.OWNER
        }
    )
    accounts = {}
    for cid in owned:
        node = await ctx.loaders.node(Label.COMPANY, cid)
        if node is None:
            continue
        accounts[cid] = (node.tier, (await ctx.analysis(cid, as_of)).grade.grade)  # type: ignore[attr-defined]
    g = grade_of(
        accounts, industry_expert=rep.industry_expert, rep_id=rep.id, settings=ctx.settings.analysis
    )
    return RepGrade(
        grade=g.grade,
        basic=g.basic,
        intermediate=g.intermediate,
        strong=g.strong,
        industry_expert=g.industry_expert,
        account_ids=list(g.account_ids),
    )


def mint_token(
    settings: Settings,
    company_id: str,
    view: MapView,
    opportunity_id: str | None = None,
    *,
    mask_foreign: bool = True,
) -> str:
    """A signed embed token of the map widget (``stakegraph.viz.tokens``); contacts of other
    accounts are masked unless ``mask_foreign`` is false (a caller who sees them all)."""
    from stakegraph.viz.tokens import mint_embed_token

    return mint_embed_token(
        settings.embed_secret.get_secret_value(),
        company_id,
        view.value,
        settings.embed_token_ttl_seconds,
        opportunity_id=opportunity_id,
        mask_foreign=mask_foreign,
    )


def map_url(
    settings: Settings,
    company_id: str,
    view: MapView,
    opportunity_id: str | None = None,
    *,
    token: str | None = None,
    mask_foreign: bool = True,
) -> str:
    """``{public_url}/embed/accounts/{id}?view=…&token=…`` (a fresh token unless given)."""
    token = token or mint_token(
        settings, company_id, view, opportunity_id, mask_foreign=mask_foreign
    )
    query = urlencode({"view": view.value, "token": token})
    return f"{settings.public_url.rstrip('/')}/embed/accounts/{quote(company_id, safe='')}?{query}"
