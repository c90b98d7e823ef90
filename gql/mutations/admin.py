"""Dataset import and the widget's tokens."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.mutations.common import WriteResult
from stakegraph.gql.scalars import JSON, MapView
from stakegraph.service import datasets, maps

__all__ = ["AdminMutations", "EmbedToken"]


@strawberry.type(description="A signed token for the embeddable map widget.")
class EmbedToken:
    token: str
    url: str
    expires_at: datetime


@strawberry.type
class AdminMutations:
    @strawberry.mutation(description="Validate, then upsert a dataset v1 document (ADMIN).")
    async def import_dataset(self, info: Info, dataset: JSON) -> WriteResult:
        ctx = info.context
        summary = await ctx.run(datasets.import_dataset, ctx.scope, dataset)
        ctx.forget()
        return WriteResult.of(summary)

    @strawberry.mutation(
        description="A signed, short-lived token for the map widget of an account; with "
        "`write` it lets the widget edit the account as one rep (`repId`, default the "
        "caller's own rep), sent by the widget in the X-Stakegraph-Token header."
    )
    async def embed_token(
        self,
        info: Info,
        account_id: strawberry.ID,
        view: MapView = MapView.ORG,
        opportunity_id: strawberry.ID | None = None,
        as_of: date | None = None,
        write: bool = False,
        rep_id: strawberry.ID | None = None,
    ) -> EmbedToken:
        ctx = info.context
        t = await ctx.run(
            maps.widget_token,
            ctx.scope,
            account_id,
            view.value,
            opportunity_id,
            as_of=as_of,
            write=write,
            rep_id=rep_id,
        )
        return EmbedToken(token=t.token, url=t.url, expires_at=t.expires_at)
