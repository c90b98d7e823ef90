"""Logging visits, calls, meetings… (每访必记)."""

from __future__ import annotations

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.inputs import InteractionInput
from stakegraph.gql.mutations.common import given
from stakegraph.gql.nodes import Interaction, build
from stakegraph.service import writes

__all__ = ["VisitMutations"]

_LINKS = ("company_id", "opportunity_id", "contact_ids", "rep_ids")


async def _save(info: Info, inp: InteractionInput, *, log: bool) -> Interaction:
    ctx = info.context
    fields, links = given(inp, *_LINKS)
    node, company = await ctx.run(
        writes.log_interaction,
        ctx.scope,
        fields,
        company_id=links.get("company_id"),
        opportunity_id=links.get("opportunity_id"),
        contact_ids=links.get("contact_ids") or [],
        rep_ids=links.get("rep_ids") or [],
        log=log,
    )
    ctx.forget()
    return build(Interaction, node, company_id=company)


@strawberry.type
class VisitMutations:
    @strawberry.mutation(description="Create or change an interaction (changes: ADMIN).")
    async def upsert_interaction(self, info: Info, input: InteractionInput) -> Interaction:
        return await _save(info, input, log=False)

    @strawberry.mutation(description="Log a visit, call… with its attendees (每访必记).")
    async def log_interaction(self, info: Info, input: InteractionInput) -> Interaction:
        return await _save(info, input, log=True)
