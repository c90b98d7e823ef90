"""Portfolio-wide queries: coverage holes, coverage-model findings (§3.10) and branch
whitespace (§3.13) across the accounts the caller may see."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import cast

import strawberry

from stakegraph.gql.accounts import Account, AccountFilter, selection_of
from stakegraph.gql.analytics import Hole, Suggestion
from stakegraph.gql.context import Info
from stakegraph.gql.nodes import Department, Rep, build, load_account
from stakegraph.gql.pagination import check_first
from stakegraph.gql.scalars import DecisionRole, FindingKind, HoleKind
from stakegraph.graph.model import Label
from stakegraph.service import portfolio as pf

__all__ = ["BranchWhitespace", "CoverageHole", "Finding", "PortfolioQueries"]


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


@strawberry.type(description="A coverage hole (§3.5) of one account.")
class CoverageHole:
    account: Account
    opportunity_id: strawberry.ID | None
    kind: HoleKind
    role: DecisionRole | None
    department: Department | None
    reason: str
    suggestions: list[Suggestion]
    code: str | None = strawberry.field(
        default=None, description="the reason's code (stakegraph.influence.messages)"
    )
    params: strawberry.scalars.JSON | None = strawberry.field(
        default=None, description="the parameters of that code, as JSON {name: value}"
    )


@strawberry.type(description="A coverage-model finding (客户覆盖模型, §3.10).")
class Finding:
    kind: FindingKind
    detail: str
    owner_keys: list[str]
    company_id: strawberry.Private[str | None]
    rep_id: strawberry.Private[str | None]
    code: str | None = strawberry.field(
        default=None, description="the detail's code (stakegraph.influence.messages)"
    )
    params: strawberry.scalars.JSON | None = strawberry.field(
        default=None, description="the parameters of that code, as JSON {name: value}"
    )

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        return await load_account(info, self.company_id)

    @strawberry.field
    async def rep(self, info: Info) -> Rep | None:
        if self.rep_id is None:
            return None
        node = await info.context.loaders.record(Label.REP, self.rep_id)
        return None if node is None else Rep.of(node)


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
        found = await asyncio.gather(*(load_account(info, i) for i in self.won_by_ids))
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
        found = await asyncio.gather(*(load_account(info, i) for i in self.branch_ids))
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
        found = await asyncio.gather(*(load_account(info, i) for i in self.branch_ids))
        return [a for a in found if a is not None]

    @classmethod
    def of(cls, ws: pf.GroupWhitespace) -> BranchWhitespace:
        return cls(
            headquarters_id=ws.headquarters_id,
            branch_ids=list(ws.branch_ids),
            items=[
                WhitespaceItem(product=product, company_id=cid, won_by_ids=list(won))
                for cid, product, won in ws.items
            ],
            programmes=[
                ProgrammeFlag(
                    product=p.product,
                    first_won=p.first_won,
                    last_won=p.last_won,
                    branch_ids=list(p.branch_ids),
                    headquarters_kdm_coverage=None
                    if p.headquarters_kdm_coverage is None
                    else KdmCoverage(
                        kdm_count=len(p.headquarters_kdm_coverage.kdm_ids),
                        influenced_kdm_count=len(p.headquarters_kdm_coverage.influenced_kdm_ids),
                        ratio=p.headquarters_kdm_coverage.ratio,
                    ),
                )
                for p in ws.programmes
            ],
        )


@strawberry.type
class PortfolioQueries:
    @strawberry.field(
        description="§3.5 holes across every account you may see, each with its account."
    )
    async def coverage_holes(
        self,
        info: Info,
        filter: CoverageHoleFilter | None = None,
        first: int = 100,
        as_of: date | None = None,
    ) -> list[CoverageHole]:
        ctx = info.context
        check_first(first, ctx.page_max)
        found = await ctx.run(
            pf.coverage_holes,
            ctx.scope,
            selection_of(filter.account if filter else None),
            kinds=filter.kind if filter else None,
            roles=filter.role if filter else None,
            first=first,
            as_of=as_of,
        )
        out = []
        for x in found:
            view = Hole.of(x.view, x.hole)
            out.append(
                CoverageHole(
                    account=build(Account, x.account),
                    opportunity_id=None
                    if x.coverage.opportunity_id is None
                    else strawberry.ID(x.coverage.opportunity_id),
                    kind=view.kind,
                    role=view.role,
                    department=view.department,
                    reason=view.reason,
                    suggestions=view.suggestions,
                    code=view.code,
                    params=view.params,
                )
            )
        return out

    @strawberry.field(
        description="§3.10 coverage-model findings about accounts and reps you may see."
    )
    async def portfolio_findings(
        self, info: Info, filter: FindingFilter | None = None
    ) -> list[Finding]:
        ctx = info.context
        found = await ctx.run(
            pf.findings,
            ctx.scope,
            kinds=filter.kind if filter else None,
            account_id=filter.account_id if filter else None,
            rep_id=filter.rep_id if filter else None,
        )
        return [
            Finding(
                kind=x.kind,
                detail=x.detail,
                owner_keys=list(x.owner_keys),
                company_id=x.company_id,
                rep_id=x.rep_id,
                code=x.code,
                params=cast(strawberry.scalars.JSON, dict(x.params)),
            )
            for x in found
        ]

    @strawberry.field(description="§3.13 branch whitespace of the groups you may see.")
    async def whitespace(
        self, info: Info, headquarters_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> list[BranchWhitespace]:
        ctx = info.context
        found = await ctx.run(pf.whitespace, ctx.scope, headquarters_id, as_of)
        return [BranchWhitespace.of(ws) for ws in found]
