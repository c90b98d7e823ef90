"""Root queries of single records: the caller, a contact, a deal, a visit, a rep, a team.

A record the caller may not see is ``NOT_FOUND``, exactly as one that does not exist.
"""

from __future__ import annotations

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.nodes import Contact, Interaction, Opportunity, Rep, Team, build
from stakegraph.graph.model import Label

__all__ = ["Me", "RecordQueries"]


@strawberry.type(description="Who is calling.")
class Me:
    name: str
    role: str
    rep_id: strawberry.ID | None
    team_ids: list[strawberry.ID]
    anonymous: bool


@strawberry.type
class RecordQueries:
    @strawberry.field(description="The caller's principal.")
    def me(self, info: Info) -> Me:
        p = info.context.scope.principal
        return Me(
            name=p.name,
            role=str(p.role),
            rep_id=None if p.rep_id is None else strawberry.ID(p.rep_id),
            team_ids=[strawberry.ID(t) for t in sorted(p.team_ids)],
            anonymous=p.anonymous,
        )

    @strawberry.field(description="A contact of an account you may see.")
    async def contact(self, info: Info, id: strawberry.ID) -> Contact | None:
        ctx = info.context
        node, company_id = await ctx.run(ctx.scope.record, Label.CONTACT, id)
        return Contact.of(node, company_id)

    @strawberry.field(description="An opportunity of an account you may see.")
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity | None:
        ctx = info.context
        node, company_id = await ctx.run(ctx.scope.record, Label.OPPORTUNITY, id)
        return build(Opportunity, node, company_id=company_id)

    @strawberry.field(description="An interaction about an account you may see.")
    async def interaction(self, info: Info, id: strawberry.ID) -> Interaction | None:
        ctx = info.context
        node, company_id = await ctx.run(ctx.scope.record, Label.INTERACTION, id)
        return build(Interaction, node, company_id=company_id)

    @strawberry.field(
        description="A rep: yourself (REP), your teams' members (MANAGER), anyone (ADMIN, ANALYST)."
    )
    async def rep(self, info: Info, id: strawberry.ID) -> Rep | None:
        ctx = info.context
        node, _ = await ctx.run(ctx.scope.record, Label.REP, id)
        return Rep.of(node)

    @strawberry.field(description="A team: yours (MANAGER) or any (ADMIN, ANALYST).")
    async def team(self, info: Info, id: strawberry.ID) -> Team | None:
        ctx = info.context
        node, _ = await ctx.run(ctx.scope.record, Label.TEAM, id)
        return build(Team, node)
