"""Portfolio-wide reads: account selection, coverage holes, coverage-model findings
(§3.10) and branch whitespace (§3.13), each restricted to what the caller may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from enum import Enum

import networkx as nx
import strawberry

from stakegraph.gql.analytics import Suggestion, hole
from stakegraph.gql.auth import may_see_rep
from stakegraph.gql.context import Context, Info
from stakegraph.gql.errors import BadInput
from stakegraph.gql.loaders import in_thread
from stakegraph.gql.scalars import (
    AccountSortField,
    DecisionRole,
    FindingKind,
    HealthStatus,
    HoleKind,
    RelationshipGradeLevel,
    SortDirection,
    Tier,
)
from stakegraph.gql.types import Account, Department, Rep, build, load_account
from stakegraph.graph.model import Label, Node, RelType
from stakegraph.graph.store import GraphStore
from stakegraph.graph.subgraph import build_subgraph

__all__ = [
    "AccountFilter",
    "AccountSort",
    "BranchWhitespace",
    "CoverageHole",
    "CoverageHoleFilter",
    "Finding",
    "FindingFilter",
    "select_accounts",
]

_SCAN_PAGE = 1000


@strawberry.input
class AccountFilter:
    tier: list[Tier] | None = None
    industry: list[str] | None = None
    region: list[str] | None = None
    owner_rep_id: strawberry.ID | None = strawberry.field(
        default=None, description="accounts this rep COVERS as OWNER"
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="accounts covered by this team or its members"
    )
    grade: list[RelationshipGradeLevel] | None = None
    health_status: list[HealthStatus] | None = None
    name_contains: str | None = None
    ids: list[strawberry.ID] | None = None


@strawberry.input
class AccountSort:
    field: AccountSortField = AccountSortField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class CoverageHoleFilter:
    account: AccountFilter | None = None
    kind: list[HoleKind] | None = None
    role: list[DecisionRole] | None = None


@strawberry.input
class FindingFilter:
    kind: list[FindingKind] | None = None
    account_id: strawberry.ID | None = None
    rep_id: strawberry.ID | None = None


# ---------------------------------------------------------------- account selection


def _where(f: AccountFilter | None) -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    if f is None:
        return where
    for prop, values in (("tier", f.tier), ("industry", f.industry), ("region", f.region)):
        if values is not None:
            where[prop] = [v.value if isinstance(v, Enum) else v for v in values]
    return where


async def candidate_ids(ctx: Context, f: AccountFilter | None) -> list[str] | None:
    """Ids allowed by visibility and the coverage filters (``None``: no restriction)."""
    allowed: set[str] | None = None if (v := await ctx.visible()) is None else set(v)

    def narrow(ids: Sequence[str]) -> None:
        nonlocal allowed
        allowed = set(ids) if allowed is None else allowed & set(ids)

    if f is not None and f.owner_rep_id is not None:
        from stakegraph.graph.model import CoverKind

        narrow(
            await in_thread(
                ctx.store.covered_company_ids, rep_id=f.owner_rep_id, kinds=(CoverKind.OWNER,)
            )
        )
    if f is not None and f.team_id is not None:
        narrow(await in_thread(ctx.store.covered_company_ids, team_id=f.team_id))
    if f is not None and f.ids is not None:
        narrow(f.ids)
    return None if allowed is None else sorted(allowed)


def needs_analysis(f: AccountFilter | None, sort: AccountSort | None) -> bool:
    analytic_filter = f is not None and (f.grade is not None or f.health_status is not None)
    analytic_sort = sort is not None and sort.field in (
        AccountSortField.GRADE_SCORE,
        AccountSortField.POTENTIAL_SCORE,
    )
    return analytic_filter or analytic_sort


def in_store_order(sort: AccountSort | None) -> bool:
    return sort is None or (
        sort.field == AccountSortField.ID and sort.direction == SortDirection.ASC
    )


async def scan(store: GraphStore, label: Label, **kwargs: object) -> list[Node]:
    """Every node of a label matching the store filters, page by page."""
    out: list[Node] = []
    after = None
    while True:
        page = await in_thread(store.list_nodes, label, first=_SCAN_PAGE, after=after, **kwargs)
        out.extend(page.items)
        if not page.has_next_page:
            return out
        after = page.end_cursor


async def select_accounts(
    ctx: Context, f: AccountFilter | None, sort: AccountSort | None, as_of: date | None
) -> list[Node]:
    """Every visible company matching the filter, in the requested order."""
    ids = await candidate_ids(ctx, f)
    if ids is not None and not ids:
        return []
    nodes = await scan(
        ctx.store,
        Label.COMPANY,
        where=_where(f),
        name_contains=f.name_contains if f else None,
        ids=ids,
    )
    if needs_analysis(f, sort):
        analyses = {n.id: await ctx.analysis(n.id, as_of) for n in nodes}
        if f is not None and f.grade is not None:
            nodes = [n for n in nodes if analyses[n.id].grade.grade in f.grade]
        if f is not None and f.health_status is not None:
            nodes = [n for n in nodes if analyses[n.id].health.status in f.health_status]
    else:
        analyses = {}
    return _sorted(nodes, sort, analyses)


def _sorted(nodes: list[Node], sort: AccountSort | None, analyses: dict) -> list[Node]:
    if sort is None:
        return nodes
    tier_rank = {"STRATEGIC": 0, "KEY": 1, "SMB": 2}

    def key(n: Node) -> tuple:
        a = analyses.get(n.id)
        match sort.field:
            case AccountSortField.NAME:
                return (str(n.name).casefold(), n.id)  # type: ignore[attr-defined]
            case AccountSortField.TIER:
                return (tier_rank.get(str(n.tier), 3), n.id)  # type: ignore[attr-defined]
            case AccountSortField.GRADE_SCORE:
                return (a.grade.score, n.id)
            case AccountSortField.POTENTIAL_SCORE:
                score = a.potential.score
                return (score is not None, score or 0.0, n.id)
        return (n.id,)

    return sorted(nodes, key=key, reverse=sort.direction == SortDirection.DESC)


# --------------------------------------------------------------------- coverage holes


@strawberry.type(description="A coverage hole (§3.5) of one account.")
class CoverageHole:
    account: Account
    opportunity_id: strawberry.ID | None
    kind: HoleKind
    role: DecisionRole | None
    department: Department | None
    reason: str
    suggestions: list[Suggestion]


async def coverage_holes(
    info: Info, f: CoverageHoleFilter | None, first: int, as_of: date | None
) -> list[CoverageHole]:
    ctx = info.context
    nodes = await select_accounts(ctx, f.account if f else None, None, as_of)
    out: list[CoverageHole] = []
    for n in nodes:
        analysis = await ctx.analysis(n.id, as_of)
        g = await ctx.subgraph(n.id)
        for h in analysis.coverage.holes:
            if f is not None and f.kind is not None and h.kind not in f.kind:
                continue
            if f is not None and f.role is not None and h.role not in f.role:
                continue
            view = await hole(info, g, n.id, h)
            out.append(
                CoverageHole(
                    account=build(Account, n),
                    opportunity_id=analysis.coverage.opportunity_id,
                    kind=view.kind,
                    role=view.role,
                    department=view.department,
                    reason=view.reason,
                    suggestions=view.suggestions,
                )
            )
            if len(out) >= first:
                return out
    return out


# ------------------------------------------------------------------------- findings


@strawberry.type(description="A coverage-model finding (客户覆盖模型, §3.10).")
class Finding:
    kind: FindingKind
    detail: str
    owner_keys: list[str]
    company_id: strawberry.Private[str | None]
    rep_id: strawberry.Private[str | None]

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field
    async def rep(self, info: Info) -> Rep | None:
        if self.rep_id is None:
            return None
        node = await info.context.loaders.node(Label.REP, self.rep_id)
        return None if node is None else build(Rep, node)


async def portfolio_graph(store: GraphStore) -> nx.MultiDiGraph:
    """Companies, reps, teams, COVERS and MEMBER_OF: the input of §3.10."""
    nodes: list[Node] = []
    for label in (Label.COMPANY, Label.REP, Label.TEAM):
        nodes += await scan(store, label)
    rels = await in_thread(store.relationships, RelType.COVERS)
    rels += await in_thread(store.relationships, RelType.MEMBER_OF)
    return build_subgraph("", nodes, rels)


async def portfolio_findings(info: Info, f: FindingFilter | None) -> list[Finding]:
    from stakegraph.influence.coverage_model import coverage_model_findings

    ctx = info.context
    g = await portfolio_graph(ctx.store)
    found = await in_thread(coverage_model_findings, g, settings=ctx.settings.analysis)
    visible = await ctx.visible()
    out = []
    for x in found:
        if f is not None and f.kind is not None and x.kind not in f.kind:
            continue
        if f is not None and f.account_id is not None and x.company_id != f.account_id:
            continue
        if f is not None and f.rep_id is not None and x.rep_id != f.rep_id:
            continue
        if x.company_id is not None and not (visible is None or x.company_id in visible):
            continue
        if x.company_id is None and x.rep_id is not None:
            teams = await ctx.loaders.outgoing(RelType.MEMBER_OF, x.rep_id)
            if not may_see_rep(ctx.principal, x.rep_id, frozenset(r.to_id for r in teams)):
                continue
        out.append(
            Finding(
                kind=x.kind,
                detail=x.detail,
                owner_keys=list(x.owner_keys),
                company_id=x.company_id,
                rep_id=x.rep_id,
            )
        )
    return out


# ----------------------------------------------------------------------- whitespace


@strawberry.type
class WhitespaceItem:
    product: str
    company_id: strawberry.Private[str]
    won_by_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The branch with no opportunity for the product.")
    async def account(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field(description="Visible branches that won the product.")
    async def won_by(self, info: Info) -> list[Account]:
        found = [await load_account(info, i) for i in self.won_by_ids]
        return [a for a in found if a is not None]


@strawberry.type
class KdmCoverage:
    kdm_count: int
    influenced_kdm_count: int
    ratio: float | None


@strawberry.type(description="Likely headquarters programme: ≥ 2 branches won a product.")
class ProgrammeFlag:
    product: str
    first_won: date | None = strawberry.field(
        description="Null unless you may see every branch of the programme."
    )
    last_won: date | None = strawberry.field(
        description="Null unless you may see every branch of the programme."
    )
    branch_ids: strawberry.Private[list[str]]
    headquarters_kdm_coverage: KdmCoverage | None

    @strawberry.field
    async def branches(self, info: Info) -> list[Account]:
        found = [await load_account(info, i) for i in self.branch_ids]
        return [a for a in found if a is not None]


@strawberry.type(description="总部-分公司 whitespace of one group (§3.13).")
class BranchWhitespace:
    headquarters_id: strawberry.Private[str]
    branch_ids: strawberry.Private[list[str]]
    items: list[WhitespaceItem]
    programmes: list[ProgrammeFlag]

    @strawberry.field(description="The headquarters; null when not visible to you.")
    async def headquarters(self, info: Info) -> Account | None:
        return await load_account(info, self.headquarters_id)

    @strawberry.field(description="Visible branches of the group.")
    async def branches(self, info: Info) -> list[Account]:
        found = [await load_account(info, i) for i in self.branch_ids]
        return [a for a in found if a is not None]


def _groups(rels: list) -> dict[str, list[str]]:
    """Headquarters id → every company below it (BRANCH_OF, any depth)."""
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for r in rels:
        parent[r.from_id] = r.to_id
        children[r.to_id].append(r.from_id)
    roots = sorted({p for p in children if p not in parent})
    groups = {}
    for root in roots:
        seen: list[str] = []
        stack = [root]
        while stack:
            for c in sorted(children.get(stack.pop(), [])):
                if c not in seen and c != root:
                    seen.append(c)
                    stack.append(c)
        groups[root] = sorted(seen)
    return groups


async def whitespace(
    info: Info, headquarters_id: str | None, as_of: date | None
) -> list[BranchWhitespace]:
    from stakegraph.influence.whitespace import branch_whitespace

    ctx = info.context
    rels = await in_thread(ctx.store.relationships, RelType.BRANCH_OF)
    groups = _groups([r for r in rels if r.from_label == Label.COMPANY])
    if headquarters_id is not None:
        if headquarters_id not in groups:
            raise BadInput(
                f"{headquarters_id!r} is no headquarters of a group", field="headquartersId"
            )
        groups = {headquarters_id: groups[headquarters_id]}
    visible = await ctx.visible()
    out = []
    for hq, members in groups.items():
        group = [hq, *members]
        if visible is not None and not visible.intersection(group):
            continue
        graphs = await ctx.loaders.subgraph.load_many(group)
        g = nx.compose_all([x for x in graphs if x is not None])
        g.graph["company_id"] = hq
        ws = await in_thread(
            branch_whitespace,
            g,
            as_of=ctx.as_of(as_of),
            settings=ctx.settings.analysis,
            headquarters_id=hq,
        )
        out.append(_whitespace_view(ws, visible))
    return out


def _whitespace_view(ws: object, visible: frozenset[str] | None) -> BranchWhitespace:
    def ok(cid: str) -> bool:
        return visible is None or cid in visible

    hq_visible = ok(ws.headquarters_id)  # type: ignore[attr-defined]
    return BranchWhitespace(
        headquarters_id=ws.headquarters_id,  # type: ignore[attr-defined]
        branch_ids=list(ws.branch_ids),  # type: ignore[attr-defined]
        items=[
            WhitespaceItem(product=i.product, company_id=i.company_id, won_by_ids=list(i.won_by))
            for i in ws.items  # type: ignore[attr-defined]
            if ok(i.company_id)
        ],
        programmes=[
            ProgrammeFlag(
                product=p.product,
                first_won=p.first_won if all(ok(b) for b in p.branch_ids) else None,
                last_won=p.last_won if all(ok(b) for b in p.branch_ids) else None,
                branch_ids=list(p.branch_ids),
                headquarters_kdm_coverage=KdmCoverage(
                    kdm_count=len(p.headquarters_kdm_coverage.kdm_ids),
                    influenced_kdm_count=len(p.headquarters_kdm_coverage.influenced_kdm_ids),
                    ratio=p.headquarters_kdm_coverage.ratio,
                )
                if hq_visible
                else None,
            )
            for p in ws.programmes  # type: ignore[attr-defined]
            # §3.13 flags the programme for the headquarters' owner, who sees that it
            # exists and its product; the branches' win dates only with every branch
            if hq_visible or all(ok(b) for b in p.branch_ids)
        ],
    )
