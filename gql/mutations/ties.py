"""Stances, relationship levels, contact ties, buying-centre roles and coverage."""

from __future__ import annotations

from datetime import datetime

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.mutations.common import WriteResult
from stakegraph.gql.nodes import Contact
from stakegraph.gql.scalars import CoverKind, DecisionRole, Stance, TieType
from stakegraph.graph.model import RelType
from stakegraph.service import writes

__all__ = ["TieMutations"]


@strawberry.type
class TieMutations:
    @strawberry.mutation(
        description="Set a contact's stance, or its stance in one deal (HAS_ROLE)."
    )
    async def set_stance(
        self,
        info: Info,
        contact_id: strawberry.ID,
        stance: Stance,
        opportunity_id: strawberry.ID | None = None,
    ) -> Contact:
        ctx = info.context
        node, company = await ctx.run(
            writes.set_stance, ctx.scope, contact_id, stance.value, opportunity_id
        )
        ctx.forget()
        return Contact.of(node, company)

    @strawberry.mutation(description="Set a rep's KNOWS level (0–4) with a contact.")
    async def set_relationship_level(
        self,
        info: Info,
        rep_id: strawberry.ID,
        contact_id: strawberry.ID,
        level: int,
        last_contact_at: datetime | None = None,
        since: datetime | None = None,
    ) -> Contact:
        ctx = info.context
        node, company = await ctx.run(
            writes.set_relationship_level,
            ctx.scope,
            rep_id,
            contact_id,
            level,
            last_contact_at=last_contact_at,
            since=since.date() if since else None,
        )
        ctx.forget()
        return Contact.of(node, company)

    @strawberry.mutation(description="Tie two contacts (INFLUENCES takes a strength 1–3).")
    async def link(
        self,
        info: Info,
        type: TieType,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        strength: int | None = None,
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.link, ctx.scope, RelType(type.value), from_id, to_id, strength=strength
        )
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation
    async def unlink(
        self, info: Info, type: TieType, from_id: strawberry.ID, to_id: strawberry.ID
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.link, ctx.scope, RelType(type.value), from_id, to_id, remove=True
        )
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation(description="Give a contact a buying-centre role in a deal.")
    async def assign_role(
        self,
        info: Info,
        contact_id: strawberry.ID,
        opportunity_id: strawberry.ID,
        role: DecisionRole,
        stance: Stance | None = None,
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.assign_role,
            ctx.scope,
            contact_id,
            opportunity_id,
            role.value,
            None if stance is None else stance.value,
        )
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation
    async def remove_role(
        self, info: Info, contact_id: strawberry.ID, opportunity_id: strawberry.ID
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.assign_role, ctx.scope, contact_id, opportunity_id, remove=True
        )
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation(
        description="A rep or team COVERS an account (ADMIN; MANAGER for their teams)."
    )
    async def assign_coverage(
        self,
        info: Info,
        company_id: strawberry.ID,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
        kind: CoverKind = CoverKind.OWNER,
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.assign_coverage,
            ctx.scope,
            company_id,
            rep_id=rep_id,
            team_id=team_id,
            kind=kind.value,
        )
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation
    async def unassign_coverage(
        self,
        info: Info,
        company_id: strawberry.ID,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
    ) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(
            writes.assign_coverage,
            ctx.scope,
            company_id,
            rep_id=rep_id,
            team_id=team_id,
            remove=True,
        )
        ctx.forget()
        return WriteResult.of(summary)
