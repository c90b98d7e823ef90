"""Upserts of accounts, departments, contacts, deals, reps, teams and competitors."""

from __future__ import annotations

import strawberry

from stakegraph.gql.accounts import Account
from stakegraph.gql.context import Info
from stakegraph.gql.inputs import (
    CompanyInput,
    CompetitorInput,
    ContactInput,
    DepartmentInput,
    OpportunityInput,
    RepInput,
    TeamInput,
)
from stakegraph.gql.mutations.common import given
from stakegraph.gql.nodes import Competitor, Contact, Department, Opportunity, Rep, Team, build
from stakegraph.service import writes

__all__ = ["RecordMutations"]


@strawberry.type
class RecordMutations:
    @strawberry.mutation(description="Create (ADMIN) or update an account.")
    async def upsert_company(self, info: Info, input: CompanyInput) -> Account:
        ctx = info.context
        fields, _ = given(input)
        node = await ctx.run(writes.upsert_company, ctx.scope, fields)
        ctx.forget()
        return build(Account, node)

    @strawberry.mutation
    async def upsert_department(self, info: Info, input: DepartmentInput) -> Department:
        ctx = info.context
        fields, links = given(input, "company_id", "parent_department_id")
        node, company = await ctx.run(writes.upsert_department, ctx.scope, fields, **links)
        ctx.forget()
        return build(Department, node, company_id=company)

    @strawberry.mutation
    async def upsert_contact(self, info: Info, input: ContactInput) -> Contact:
        ctx = info.context
        fields, links = given(input, "department_id")
        node, company = await ctx.run(writes.upsert_contact, ctx.scope, fields, **links)
        ctx.forget()
        return Contact.of(node, company)

    @strawberry.mutation
    async def upsert_opportunity(self, info: Info, input: OpportunityInput) -> Opportunity:
        ctx = info.context
        fields, links = given(input, "company_id")
        node, company = await ctx.run(writes.upsert_opportunity, ctx.scope, fields, **links)
        ctx.forget()
        return build(Opportunity, node, company_id=company)

    @strawberry.mutation(description="Create or change a rep (ADMIN; a REP may edit themselves).")
    async def upsert_rep(self, info: Info, input: RepInput) -> Rep:
        ctx = info.context
        fields, _ = given(input)
        node = await ctx.run(writes.upsert_rep, ctx.scope, fields)
        ctx.forget()
        return Rep.of(node)

    @strawberry.mutation(description="Create or change a team and add members (ADMIN).")
    async def upsert_team(self, info: Info, input: TeamInput) -> Team:
        ctx = info.context
        fields, links = given(input, "member_ids")
        node = await ctx.run(
            writes.upsert_team, ctx.scope, fields, member_ids=links.get("member_ids") or []
        )
        ctx.forget()
        return build(Team, node)

    @strawberry.mutation(description="Create or rename a competitor (ADMIN).")
    async def upsert_competitor(self, info: Info, input: CompetitorInput) -> Competitor:
        ctx = info.context
        fields, _ = given(input)
        node = await ctx.run(writes.upsert_competitor, ctx.scope, fields)
        ctx.forget()
        return build(Competitor, node)
