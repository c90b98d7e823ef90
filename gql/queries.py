"""The ``Query`` root: entry points into the graph, each checked against the caller."""

from __future__ import annotations

from datetime import date

import strawberry

from stakegraph.gql.auth import may_see_rep, may_see_team
from stakegraph.gql.context import Info
from stakegraph.gql.errors import ForbiddenError, NotFoundError
from stakegraph.gql.loaders import in_thread
from stakegraph.gql.pagination import Connection, Edge, PageInfo, check_first, page_by_offset
from stakegraph.gql.portfolio import (
    AccountFilter,
    AccountSort,
    BranchWhitespace,
    CoverageHole,
    CoverageHoleFilter,
    Finding,
    FindingFilter,
    _where,
    candidate_ids,
    coverage_holes,
    in_store_order,
    needs_analysis,
    portfolio_findings,
    select_accounts,
    whitespace,
)
from stakegraph.gql.types import (
    Account,
    Contact,
    Interaction,
    Opportunity,
    Rep,
    Team,
    build,
    interaction_company,
)
from stakegraph.graph.model import Label, RelType

__all__ = ["Query"]


@strawberry.type(description="Who is calling.")
class Me:
    name: str
    role: str
    rep_id: strawberry.ID | None
    team_ids: list[strawberry.ID]
    anonymous: bool


@strawberry.type
class Query:
    @strawberry.field(description="The caller's principal.")
    def me(self, info: Info) -> Me:
        p = info.context.principal
        return Me(
            name=p.name,
            role=str(p.role),
            rep_id=p.rep_id,
            team_ids=sorted(p.team_ids),
            anonymous=p.anonymous,
        )

    @strawberry.field(description="One account; FORBIDDEN when you may not see it.")
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        return build(Account, await info.context.account_node(id))

    @strawberry.field(description="Visible accounts, filtered and sorted; `first` ≤ page max.")
    async def accounts(
        self,
        info: Info,
        filter: AccountFilter | None = None,
        sort: AccountSort | None = None,
        first: int = 20,
        after: str | None = None,
        as_of: date | None = None,
    ) -> Connection[Account]:
        ctx = info.context
        check_first(first, ctx.settings.page_max)
        if in_store_order(sort) and not needs_analysis(filter, sort):
            return await _store_page(info, filter, first, after)
        nodes = await select_accounts(ctx, filter, sort, as_of)
        return page_by_offset(nodes, first=first, after=after, wrap=lambda n: build(Account, n))

    @strawberry.field(description="A contact; FORBIDDEN when its account is not visible.")
    async def contact(self, info: Info, id: strawberry.ID) -> Contact | None:
        node, company_id = await info.context.owned_node(Label.CONTACT, id)
        return Contact.of(node, company_id)

    @strawberry.field(description="An opportunity; FORBIDDEN when its account is not visible.")
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity | None:
        node, company_id = await info.context.owned_node(Label.OPPORTUNITY, id)
        return build(Opportunity, node, company_id=company_id)

    @strawberry.field(description="An interaction about a visible account.")
    async def interaction(self, info: Info, id: strawberry.ID) -> Interaction | None:
        ctx = info.context
        node = await ctx.loaders.node(Label.INTERACTION, id)
        if node is None:
            raise NotFoundError(f"Interaction {id!r} not found", field="id")
        company_id = await interaction_company(info, id)
        if not await ctx.sees(company_id):
            raise ForbiddenError(f"Interaction {id!r} is not visible to you", field="id")
        return build(Interaction, node, company_id=company_id)

    @strawberry.field(
        description="A rep: yourself (REP), your teams' members (MANAGER), anyone (ADMIN, ANALYST)."
    )
    async def rep(self, info: Info, id: strawberry.ID) -> Rep | None:
        ctx = info.context
        node = await ctx.loaders.node(Label.REP, id)
        if node is None:
            raise NotFoundError(f"Rep {id!r} not found", field="id")
        teams = await ctx.loaders.outgoing(RelType.MEMBER_OF, id)
        if not may_see_rep(ctx.principal, id, frozenset(r.to_id for r in teams)):
            raise ForbiddenError(f"rep {id!r} is not visible to you", field="id")
        return build(Rep, node)

    @strawberry.field(description="A team: yours (MANAGER) or any (ADMIN, ANALYST).")
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        ctx = info.context
        node = await ctx.loaders.node(Label.TEAM, id)
        if node is None:
            raise NotFoundError(f"Team {id!r} not found", field="id")
        if not may_see_team(ctx.principal, id):
            raise ForbiddenError(f"team {id!r} is not visible to you", field="id")
        return build(Team, node)

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
        check_first(first, info.context.settings.page_max)
        return await coverage_holes(info, filter, first, as_of)

    @strawberry.field(
        description="§3.10 coverage-model findings about accounts and reps you may see."
    )
    async def portfolio_findings(
        self, info: Info, filter: FindingFilter | None = None
    ) -> list[Finding]:
        return await portfolio_findings(info, filter)

    @strawberry.field(description="§3.13 branch whitespace of the groups you may see.")
    async def whitespace(
        self, info: Info, headquarters_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> list[BranchWhitespace]:
        return await whitespace(info, headquarters_id, as_of)


async def _store_page(
    info: Info, f: AccountFilter | None, first: int, after: str | None
) -> Connection[Account]:
    """Keyset page straight from the store (id order, store-side filters only)."""
    ctx = info.context
    ids = await candidate_ids(ctx, f)
    if ids is not None and not ids:
        empty = PageInfo(
            has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
        )
        return Connection(total_count=0, page_info=empty, edges=[])
    try:
        page = await in_thread(
            ctx.store.list_nodes,
            Label.COMPANY,
            where=_where(f),
            name_contains=f.name_contains if f else None,
            ids=ids,
            first=first,
            after=after,
        )
    except ValueError as exc:
        from stakegraph.gql.errors import BadInput

        raise BadInput(str(exc), field="after") from exc
    edges = [
        Edge(cursor=c, node=build(Account, n))
        for c, n in zip(page.cursors, page.items, strict=True)
    ]
    return Connection(
        total_count=page.total_count,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=after is not None,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        edges=edges,
    )
