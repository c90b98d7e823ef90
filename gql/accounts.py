"""Accounts: the ``Account`` type (structure and analytics) and the ``account`` /
``accounts`` queries."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated

import strawberry

from stakegraph.gql import insights
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
)
from stakegraph.gql.context import Info
from stakegraph.gql.interchange import account_graphml
from stakegraph.gql.nodes import (
    Contact,
    ContactFilter,
    Coverer,
    Department,
    Interaction,
    Opportunity,
    Rep,
    Team,
    build,
    contact_in_view,
    edges_of,
    load_account,
)
from stakegraph.gql.pagination import (
    Connection,
    Edge,
    PageInfo,
    check_first,
    page_by_id,
    page_by_offset,
)
from stakegraph.gql.plans import AccountPlan
from stakegraph.gql.scalars import (
    AccountSortField,
    HealthStatus,
    MapView,
    OpportunityStatus,
    RelationshipGradeLevel,
    SortDirection,
    Tier,
    TimelineStep,
)
from stakegraph.gql.timeline import Timeline, timeline_of
from stakegraph.gql.whatif import WhatIfChange, WhatIfResult, to_changes
from stakegraph.graph.model import Label, RelType, node_key, split_node_key
from stakegraph.service import analysis as uc
from stakegraph.service import maps
from stakegraph.service import portfolio as pf
from stakegraph.service import timeline as tl
from stakegraph.service.scope import AccountView

__all__ = ["Account", "AccountFilter", "AccountQueries", "AccountSort", "selection_of"]


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

    async def _view(self, info: Info) -> AccountView:
        return await info.context.view(self.id)

    @property
    def key(self) -> str:
        return node_key(Label.COMPANY, self.id)

    # -------------------------------------------------------------- structure
    @strawberry.field
    async def departments(self, info: Info) -> list[Department]:
        g = (await self._view(info)).graph
        keys = sorted(k for k, a in g.nodes(data=True) if a.get("label") == Label.DEPARTMENT)
        return [build(Department, g.nodes[k], company_id=self.id) for k in keys]

    @strawberry.field(description="The account's contacts (any status unless filtered), by id.")
    async def contacts(
        self,
        info: Info,
        filter: ContactFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[Contact]:
        check_first(first, info.context.page_max)
        view = await self._view(info)
        g = view.graph
        dept = None
        if filter is not None and filter.department_id is not None:
            key = node_key(Label.DEPARTMENT, filter.department_id)
            dept = {c for c, _ in edges_of(g, key, RelType.WORKS_IN, "in")}
        rows = sorted(
            (
                a
                for k, a in g.nodes(data=True)
                if a.get("label") == Label.CONTACT
                and not a.get("foreign")
                and (filter is None or filter.matches(a))
                and (dept is None or k in dept)
            ),
            key=lambda a: str(a["id"]),
        )
        return page_by_id(
            rows,
            first=first,
            after=after,
            id_of=lambda a: str(a["id"]),
            wrap=lambda a: Contact.of(a, self.id),
        )

    @strawberry.field
    async def opportunities(
        self, info: Info, status: OpportunityStatus | None = None
    ) -> list[Opportunity]:
        g = (await self._view(info)).graph
        found = [
            build(Opportunity, g.nodes[o], company_id=self.id)
            for o, _ in edges_of(g, self.key, RelType.FOR, "in")
        ]
        return [o for o in found if status is None or o.status == status]

    @strawberry.field(description="Logged interactions about the account, newest first.")
    async def interactions(self, info: Info, first: int = 20) -> list[Interaction]:
        check_first(first, info.context.page_max)
        g = (await self._view(info)).graph
        ids = [str(a["id"]) for _, a in g.nodes(data=True) if a.get("label") == Label.INTERACTION]
        # an interaction attended by this account's contacts may be about another
        # account: it is listed only when that account is visible (as interaction(id))
        shown = await asyncio.gather(
            *(info.context.loaders.record(Label.INTERACTION, i) for i in ids)
        )
        rows = [g.nodes[node_key(Label.INTERACTION, n.id)] for n in shown if n is not None]
        rows.sort(key=lambda a: (a["at"], a["id"]), reverse=True)
        return [build(Interaction, a, company_id=self.id) for a in rows[:first]]

    @strawberry.field(
        description="Who covers the account (客户覆盖): reps and teams, OWNER / SUPPORT."
    )
    async def covered_by(self, info: Info) -> list[Coverer]:
        g = (await self._view(info)).graph
        out = []
        for other, data in edges_of(g, self.key, RelType.COVERS, "in"):
            label, _ = split_node_key(other)
            is_rep = label == Label.REP
            out.append(
                Coverer(
                    kind=data.get("kind", "OWNER"),
                    rep=Rep.of(g.nodes[other]) if is_rep else None,
                    team=None if is_rep else build(Team, g.nodes[other]),
                )
            )
        return out

    @strawberry.field(description="The headquarters this account is a branch of (BRANCH_OF).")
    async def headquarters(self, info: Info) -> Account | None:
        g = (await self._view(info)).graph
        for other, _ in edges_of(g, self.key, RelType.BRANCH_OF, "out"):
            return await load_account(info, split_node_key(other)[1])
        return None

    @strawberry.field(description="Visible branches of this account.")
    async def branches(self, info: Info) -> list[Account]:
        g = (await self._view(info)).graph
        found = await asyncio.gather(
            *(
                load_account(info, split_node_key(o)[1])
                for o, _ in edges_of(g, self.key, RelType.BRANCH_OF, "in")
            )
        )
        return [a for a in found if a is not None]

    # -------------------------------------------------------------- analytics
    @strawberry.field(description="§3.7 客户关系等级 and its 0–100 score.")
    async def relationship_grade(self, info: Info, as_of: date | None = None) -> RelationshipGrade:
        return RelationshipGrade.of((await info.context.analysis(self.id, as_of)).grade)

    @strawberry.field(description="§3.5 decision-chain coverage: the account's or one deal's.")
    async def coverage(
        self, info: Info, opportunity_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> Coverage:
        ctx = info.context
        view = await self._view(info)
        if opportunity_id is None:
            return Coverage.of(view, (await ctx.analysis(self.id, as_of)).coverage)
        cov, _ = await ctx.run(uc.deal_analysis, ctx.scope, self.id, opportunity_id, as_of)
        return Coverage.of(view, cov)

    @strawberry.field(description="§3.6 supporter / opponent balance: the account's or one deal's.")
    async def balance(
        self, info: Info, opportunity_id: strawberry.ID | None = None, as_of: date | None = None
    ) -> Balance:
        ctx = info.context
        view = await self._view(info)
        if opportunity_id is None:
            return Balance.of(view, (await ctx.analysis(self.id, as_of)).balance)
        _, bal = await ctx.run(uc.deal_analysis, ctx.scope, self.id, opportunity_id, as_of)
        return Balance.of(view, bal)

    @strawberry.field(description="§3.4 influence of every active contact, most influential first.")
    async def influence(
        self, info: Info, as_of: date | None = None, first: int | None = None
    ) -> list[ContactInfluence]:
        if first is not None:
            check_first(first, info.context.page_max)
        analysis = await info.context.analysis(self.id, as_of)
        view = await self._view(info)
        entries = analysis.influence.contacts
        entries = entries[:first] if first is not None else entries
        return [ContactInfluence.of(c, contact_in_view(view, c.contact_id)) for c in entries]

    @strawberry.field(description="§3.9 health status and signals with their evidence.")
    async def health(self, info: Info, as_of: date | None = None) -> Health:
        return Health.of((await info.context.analysis(self.id, as_of)).health)

    @strawberry.field(description="§3.9 ICP potential (null score: a data gap).")
    async def potential(self, info: Info, as_of: date | None = None) -> Potential:
        return Potential.of((await info.context.analysis(self.id, as_of)).potential)

    @strawberry.field(description="§3.11 the k cheapest paths from our reps to a contact.")
    async def paths_to(
        self, info: Info, contact_id: strawberry.ID, k: int = 3, as_of: date | None = None
    ) -> list[Path]:
        ctx = info.context
        found = await ctx.run(uc.paths_to, ctx.scope, self.id, contact_id, k=k, as_of=as_of)
        view = await self._view(info)
        return [Path.of(view, p) for p in found]

    @strawberry.field(description="§3.12 contacts whose level 2 would help most.")
    async def next_best_contacts(
        self, info: Info, k: int = 5, as_of: date | None = None
    ) -> list[NextBestContact]:
        ctx = info.context
        check_first(k, ctx.page_max, field="k")
        found = await ctx.run(uc.next_best_contacts, ctx.scope, self.id, k=k, as_of=as_of)
        view = await self._view(info)
        return [NextBestContact.of(view, n) for n in found]

    @strawberry.field(
        description="§3.19 grade, score, coverage ratio, balance and health at each month "
        "(or week) end of [from, to], each with the change events since the previous point; "
        "at most timeline_max_points points."
    )
    async def timeline(
        self,
        info: Info,
        start: Annotated[date, strawberry.argument(name="from")],
        end: Annotated[date, strawberry.argument(name="to")],
        every: TimelineStep = TimelineStep.MONTH,
    ) -> Timeline:
        ctx = info.context
        found = await ctx.run(tl.timeline, ctx.scope, self.id, start, end, every)
        return timeline_of(found)

    @strawberry.field(description="§3.18 the relationship plan: its targets and its gap.")
    async def plan(self, info: Info) -> AccountPlan:
        await self._view(info)
        return AccountPlan(account_id=self.id)

    @strawberry.field(description="§3.12 every analytic before and after hypothetical changes.")
    async def what_if(
        self, info: Info, changes: list[WhatIfChange], as_of: date | None = None
    ) -> WhatIfResult:
        ctx = info.context
        parsed = to_changes(changes)
        result = await ctx.run(uc.what_if, ctx.scope, self.id, parsed, as_of=as_of)
        view = await self._view(info)
        return WhatIfResult(
            before=AccountAnalysisView(as_of=result.before.as_of, view=view, data=result.before),
            after=AccountAnalysisView(as_of=result.after.as_of, view=view, data=result.after),
        )

    @strawberry.field(
        description="Recorded changes of the account's contacts: at or after a moment "
        "(`since`), and/or with a sequence number greater than `after` (a poller's cursor "
        "that never misses an event); in sequence order."
    )
    async def changes(
        self, info: Info, since: datetime | None = None, after: int | None = None
    ) -> list[ChangeEvent]:
        g = (await self._view(info)).graph
        events = list(g.graph["changes"])
        if since is not None:
            moment = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
            events = [e for e in events if e.at >= moment]
        if after is not None:
            events = [e for e in events if e.seq is not None and e.seq > after]
        events.sort(key=lambda e: (e.seq is None, e.seq or 0, e.at))
        return [ChangeEvent.of(e) for e in events]

    @strawberry.field(
        description="A signed URL of the embeddable map widget for this account; with "
        "`asOf` the widget shows the map as of that date (default: the day it is opened)."
    )
    async def map_url(
        self, info: Info, view: MapView = MapView.ORG, as_of: date | None = None
    ) -> str:
        ctx = info.context
        token = await ctx.run(maps.widget_token, ctx.scope, self.id, view.value, as_of=as_of)
        return token.url

    @strawberry.field(description="§3.4 brokers: betweenness ≥ the threshold, highest first.")
    async def brokers(self, info: Info, as_of: date | None = None) -> list[insights.Broker]:
        return await insights.account_brokers(info, self.id, as_of)

    @strawberry.field(description="§3.14 what the analysis could not know, each with its record.")
    async def data_gaps(self, info: Info, as_of: date | None = None) -> list[insights.DataGap]:
        return await insights.account_data_gaps(info, self.id, as_of)

    @strawberry.field(description="§3.16 warnings of the account's open deals, with evidence.")
    async def deal_warnings(
        self, info: Info, as_of: date | None = None
    ) -> list[insights.DealWarning]:
        return await insights.account_deal_warnings(info, self.id, as_of)

    @strawberry.field(
        description="§3.15 suggested KNOWS levels not dismissed, by rep then contact."
    )
    async def suggestions(
        self, info: Info, as_of: date | None = None
    ) -> list[insights.LevelSuggestion]:
        return await insights.account_suggestions(info, self.id, as_of)

    @strawberry.field(
        description="The account subgraph as GraphML (Gephi, yEd): every property and the "
        "computed influence, stance and roles as attributes; foreign contacts masked."
    )
    async def graphml(self, info: Info, as_of: date | None = None) -> str:
        return await account_graphml(info, self.id, as_of)

    @strawberry.field(description="All analytics at once (the AccountAnalysis bundle).")
    async def analysis(self, info: Info, as_of: date | None = None) -> AccountAnalysisView:
        data = await info.context.analysis(self.id, as_of)
        return AccountAnalysisView(as_of=data.as_of, view=await self._view(info), data=data)


# -------------------------------------------------------------------------- queries


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


def _tuple(values: list[str] | list[Tier] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(getattr(v, "value", v) for v in values)


def selection_of(f: AccountFilter | None) -> pf.AccountSelection:
    """The application layer's selection of a GraphQL filter."""
    if f is None:
        return pf.AccountSelection()
    return pf.AccountSelection(
        tier=_tuple(f.tier),
        industry=_tuple(f.industry),
        region=_tuple(f.region),
        owner_rep_id=f.owner_rep_id,
        team_id=f.team_id,
        grade=None if f.grade is None else tuple(f.grade),
        health_status=None if f.health_status is None else tuple(f.health_status),
        name_contains=f.name_contains,
        ids=None if f.ids is None else tuple(f.ids),
    )


def _sort_of(s: AccountSort | None) -> pf.AccountSort | None:
    if s is None:
        return None
    return pf.AccountSort(
        field=pf.AccountOrder(s.field.value), descending=s.direction == SortDirection.DESC
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(description="One account; NOT_FOUND when it does not exist or is not yours.")
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        ctx = info.context
        return build(Account, await ctx.run(ctx.scope.account, id))

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
        check_first(first, ctx.page_max)
        sel, order = selection_of(filter), _sort_of(sort)
        if order is None or (order.field == pf.AccountOrder.ID and not order.descending):
            page = await ctx.run(pf.account_page, ctx.scope, sel, first=first, after=after)
            if page is not None:
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
        nodes = await ctx.run(pf.select_accounts, ctx.scope, sel, order, as_of)
        return page_by_offset(nodes, first=first, after=after, wrap=lambda n: build(Account, n))
