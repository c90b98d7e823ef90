"""Strawberry types of brokers (§3.4), data gaps (§3.14), suggested levels (§3.15) and
deal warnings (§3.16), thin over ``stakegraph.influence.models``; the accept / dismiss
mutations of suggested levels; portfolio-wide deal warnings.

Every contact is named through the account's
:class:`~stakegraph.service.scope.AccountView`: a contact of an account the caller may
not see is ``null`` (or dropped from a list). The use cases are
:mod:`stakegraph.service.insights` and :mod:`stakegraph.service.writes`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.nodes import Contact, Rep, contact_in_view, load_account
from stakegraph.gql.scalars import DataGapKind, DealWarningCode, DecisionRole
from stakegraph.graph.model import Label
from stakegraph.influence import models as m
from stakegraph.service import insights, writes
from stakegraph.service import portfolio as pf
from stakegraph.service.scope import AccountView

if TYPE_CHECKING:
    from stakegraph.gql.accounts import Account, AccountFilter

__all__ = [
    "Broker",
    "DataGap",
    "DealWarning",
    "GapRecord",
    "InsightMutations",
    "InsightQueries",
    "LevelSuggestion",
    "account_brokers",
    "account_data_gaps",
    "account_suggestions",
    "opportunity_warnings",
    "rep_suggestions",
]

_ACCOUNTS = "stakegraph.gql.accounts"


@strawberry.type(description="§3.4 a broker: betweenness at or above the threshold.")
class Broker:
    contact: Contact | None = strawberry.field(description="null when masked")
    betweenness: float
    influence: float

    @classmethod
    def of(cls, view: AccountView, b: m.Broker) -> Broker:
        return cls(
            contact=contact_in_view(view, b.contact_id),
            betweenness=b.betweenness,
            influence=b.score,
        )


@strawberry.type(description="The record a data gap concerns.")
class GapRecord:
    label: str
    id: strawberry.ID
    name: str | None


@strawberry.type(description="§3.14 something the analysis could not know, with its record.")
class DataGap:
    kind: DataGapKind
    record: GapRecord
    contact: Contact | None
    opportunity_id: strawberry.ID | None
    role: DecisionRole | None
    fields: list[str] = strawberry.field(description="NO_ICP_SCORE: the missing scores")

    @classmethod
    def of(cls, view: AccountView, d: m.DataGap) -> DataGap:
        if d.contact_id is not None:
            label, rid = Label.CONTACT, d.contact_id
        elif d.opportunity_id is not None:
            label, rid = Label.OPPORTUNITY, d.opportunity_id
        else:
            label, rid = Label.COMPANY, d.company_id or view.company_id
        attrs = view.graph.nodes.get(f"{label}:{rid}", {})
        return cls(
            kind=d.kind,
            record=GapRecord(label=str(label), id=strawberry.ID(rid), name=attrs.get("name")),
            contact=None if d.contact_id is None else contact_in_view(view, d.contact_id),
            opportunity_id=None if d.opportunity_id is None else strawberry.ID(d.opportunity_id),
            role=d.role,
            fields=list(d.fields),
        )


@strawberry.type(description="§3.16 a warning on an OPEN deal, with its evidence.")
class DealWarning:
    kind: DealWarningCode
    evidence: str
    opportunity_id: strawberry.ID
    contacts: list[Contact] = strawberry.field(
        description="the contacts concerned (masked omitted)"
    )
    evidence_code: str | None = strawberry.field(
        default=None, description="the evidence's code (stakegraph.influence.messages)"
    )
    evidence_params: strawberry.scalars.JSON | None = strawberry.field(
        default=None, description="the parameters of that code, as JSON {name: value}"
    )

    @classmethod
    def of(cls, view: AccountView, w: m.DealWarning) -> DealWarning:
        found = [contact_in_view(view, c) for c in w.contact_ids]
        return cls(
            kind=w.code,
            evidence=w.evidence,
            opportunity_id=strawberry.ID(w.opportunity_id),
            contacts=[c for c in found if c is not None],
            evidence_code=w.evidence_code,
            evidence_params=cast(strawberry.scalars.JSON, dict(w.evidence_params)),
        )


@strawberry.type(description="§3.15 a KNOWS level the captured activity suggests.")
class LevelSuggestion:
    contact: Contact | None
    current_level: int | None = strawberry.field(description="null: no KNOWS tie yet")
    suggested_level: int
    interactions: int = strawberry.field(description="interactions both attended in the window")
    visits_or_meetings: int
    last_at: date
    interaction_ids: list[strawberry.ID]
    rep_id: strawberry.Private[str]
    company_id: strawberry.Private[str]

    @strawberry.field
    async def rep(self, info: Info) -> Rep | None:
        node = await info.context.loaders.record(Label.REP, self.rep_id)
        return None if node is None else Rep.of(node)

    @strawberry.field
    async def account(self, info: Info) -> Annotated[Account, strawberry.lazy(_ACCOUNTS)] | None:
        return await load_account(info, self.company_id)

    @classmethod
    def of(cls, view: AccountView, s: m.LevelSuggestion) -> LevelSuggestion:
        return cls(
            contact=contact_in_view(view, s.contact_id),
            current_level=s.current_level,
            suggested_level=s.suggested_level,
            interactions=s.interactions,
            visits_or_meetings=s.visits_or_meetings,
            last_at=s.last_at,
            interaction_ids=[strawberry.ID(i) for i in s.interaction_ids],
            rep_id=s.rep_id,
            company_id=view.company_id,
        )


# ------------------------------------------------------------------ field resolvers


async def account_brokers(info: Info, company_id: str, as_of: date | None) -> list[Broker]:
    ctx = info.context
    found = await ctx.run(insights.brokers, ctx.scope, company_id, as_of)
    view = await ctx.view(company_id)
    return [Broker.of(view, b) for b in found]


async def account_data_gaps(info: Info, company_id: str, as_of: date | None) -> list[DataGap]:
    ctx = info.context
    found = await ctx.run(insights.data_gaps, ctx.scope, company_id, as_of)
    view = await ctx.view(company_id)
    return [DataGap.of(view, d) for d in found]


async def account_deal_warnings(
    info: Info, company_id: str, as_of: date | None
) -> list[DealWarning]:
    ctx = info.context
    found = await ctx.run(insights.deal_warnings, ctx.scope, company_id, as_of)
    view = await ctx.view(company_id)
    return [DealWarning.of(view, w) for w in found]


async def opportunity_warnings(
    info: Info, company_id: str, opportunity_id: str, as_of: date | None
) -> list[DealWarning]:
    ctx = info.context
    found = await ctx.run(
        insights.opportunity_warnings, ctx.scope, company_id, opportunity_id, as_of
    )
    view = await ctx.view(company_id)
    return [DealWarning.of(view, w) for w in found]


async def account_suggestions(
    info: Info, company_id: str, as_of: date | None
) -> list[LevelSuggestion]:
    ctx = info.context
    found = await ctx.run(insights.account_suggestions, ctx.scope, company_id, as_of)
    view = await ctx.view(company_id)
    return [LevelSuggestion.of(view, s) for s in found]


async def rep_suggestions(info: Info, rep_id: str, as_of: date | None) -> list[LevelSuggestion]:
    ctx = info.context
    found = await ctx.run(insights.rep_suggestions, ctx.scope, rep_id, as_of)
    out = []
    for cid, s in found:
        out.append(LevelSuggestion.of(await ctx.view(cid), s))
    return out


# -------------------------------------------------------------------------- queries


@strawberry.type(description="§3.16 the deal warnings of one account.")
class AccountDealWarnings:
    company_id: strawberry.Private[str]
    warnings: list[DealWarning]

    @strawberry.field
    async def account(self, info: Info) -> Annotated[Account, strawberry.lazy(_ACCOUNTS)] | None:
        return await load_account(info, self.company_id)


@strawberry.type
class InsightQueries:
    @strawberry.field(
        description="§3.16 deal warnings of the open deals of every account you may see "
        "(accounts without a warning omitted)."
    )
    async def deal_warnings(
        self,
        info: Info,
        filter: Annotated[AccountFilter, strawberry.lazy(_ACCOUNTS)] | None = None,
        as_of: date | None = None,
    ) -> list[AccountDealWarnings]:
        from stakegraph.gql.accounts import selection_of

        ctx = info.context

        def run() -> list[insights.AccountWarnings]:
            nodes = pf.select_accounts(ctx.scope, selection_of(filter), None, as_of)
            return insights.portfolio_warnings(ctx.scope, [n.id for n in nodes], as_of)

        found = await ctx.run(run)
        return [
            AccountDealWarnings(
                company_id=x.company_id, warnings=[DealWarning.of(x.view, w) for w in x.warnings]
            )
            for x in found
        ]


# ------------------------------------------------------------------------ mutations


@strawberry.type
class InsightMutations:
    @strawberry.mutation(
        description="§3.15 accept the open level suggestion for a rep and a contact: an "
        "ordinary KNOWS level change, with its change event. Returns the suggestion applied."
    )
    async def accept_suggestion(
        self,
        info: Info,
        rep_id: strawberry.ID,
        contact_id: strawberry.ID,
        as_of: date | None = None,
    ) -> LevelSuggestion:
        ctx = info.context
        s, _, company_id = await ctx.run(
            writes.accept_suggestion, ctx.scope, rep_id, contact_id, as_of=as_of
        )
        ctx.forget()
        return LevelSuggestion.of(await ctx.view(company_id), s)

    @strawberry.mutation(
        description="§3.15 dismiss the open level suggestion for a rep and a contact; it "
        "does not return for the same evidence. Returns the suggestion dismissed."
    )
    async def dismiss_suggestion(
        self,
        info: Info,
        rep_id: strawberry.ID,
        contact_id: strawberry.ID,
        as_of: date | None = None,
    ) -> LevelSuggestion:
        ctx = info.context
        s, company_id = await ctx.run(
            writes.dismiss_suggestion, ctx.scope, rep_id, contact_id, as_of=as_of
        )
        ctx.forget()
        return LevelSuggestion.of(await ctx.view(company_id), s)
