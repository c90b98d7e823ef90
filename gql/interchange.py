"""Interchange in GraphQL: an account's GraphML, an opportunity's sales-method view.

The fields themselves sit on ``Account`` (``graphml``) and ``Opportunity``
(``methodView``); their resolvers and types live here. Both are computed by
:mod:`stakegraph.service.interchange` from what the caller may see: contacts of
accounts the caller may not see are masked, as everywhere else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from stakegraph.gql.context import Info
from stakegraph.gql.sales_methods import SalesMethod
from stakegraph.gql.scalars import JSON
from stakegraph.influence import method_models as mm
from stakegraph.service import interchange

__all__ = [
    "MethodElement",
    "MethodEvidence",
    "MethodPerson",
    "MethodRedFlag",
    "MethodStatus",
    "MethodView",
    "SalesMethod",
    "account_graphml",
    "opportunity_method_view",
]


MethodStatus = strawberry.enum(mm.MethodStatus, description="Traffic light of a letter or box.")


@strawberry.type(description="One fact behind a status: a contact and the values that count.")
class MethodEvidence:
    contact_id: strawberry.ID | None
    name: str | None
    detail: str
    values: JSON


@strawberry.type(description="One letter of MEDDPICC, one box of the Blue Sheet, one Altify check.")
class MethodElement:
    code: str
    name: str
    status: MethodStatus  # type: ignore[valid-type]
    state: str = strawberry.field(description="the method's word for where it stands")
    summary: str
    contact_ids: list[strawberry.ID]
    evidence: list[MethodEvidence]


@strawberry.type(description="One person of a Blue Sheet or an Altify relationship map.")
class MethodPerson:
    contact_id: strawberry.ID
    name: str
    title: str | None
    group: str = strawberry.field(description="Blue Sheet box or Altify decision role")
    attributes: JSON


@strawberry.type
class MethodRedFlag:
    kind: str
    detail: str
    contact_ids: list[strawberry.ID]


@strawberry.type(description="An opportunity in one sales method's vocabulary (docs/analytics.md).")
class MethodView:
    method: str = strawberry.field(description="MEDDPICC, BLUE_SHEET or ALTIFY")
    company_id: strawberry.ID
    opportunity_id: strawberry.ID
    opportunity_name: str
    as_of: date
    status: MethodStatus  # type: ignore[valid-type]
    elements: list[MethodElement]
    people: list[MethodPerson]
    person_columns: list[str]
    red_flags: list[MethodRedFlag]

    @classmethod
    def of(cls, v: mm.MethodView) -> MethodView:
        def ids(values: list[str]) -> list[strawberry.ID]:
            return [strawberry.ID(i) for i in values]

        def values(raw: dict[str, Any]) -> Any:
            return dict(raw)

        return cls(
            method=v.method,
            company_id=strawberry.ID(v.company_id),
            opportunity_id=strawberry.ID(v.opportunity_id),
            opportunity_name=v.opportunity_name,
            as_of=v.as_of,
            status=v.status,
            elements=[
                MethodElement(
                    code=e.code,
                    name=e.name,
                    status=e.status,
                    state=e.state,
                    summary=e.summary,
                    contact_ids=ids(e.contact_ids),
                    evidence=[
                        MethodEvidence(
                            contact_id=None
                            if x.contact_id is None
                            else strawberry.ID(x.contact_id),
                            name=x.name,
                            detail=x.detail,
                            values=values(x.values),
                        )
                        for x in e.evidence
                    ],
                )
                for e in v.elements
            ],
            people=[
                MethodPerson(
                    contact_id=strawberry.ID(p.contact_id),
                    name=p.name,
                    title=p.title,
                    group=p.group,
                    attributes=values(p.attributes),
                )
                for p in v.people
            ],
            person_columns=list(v.person_columns),
            red_flags=[
                MethodRedFlag(kind=f.kind, detail=f.detail, contact_ids=ids(f.contact_ids))
                for f in v.red_flags
            ],
        )


async def account_graphml(info: Info, company_id: str, as_of: date | None) -> str:
    """The GraphML text of one visible account (masked for the caller)."""
    ctx = info.context
    return await ctx.run(interchange.account_graph, ctx.scope, company_id, "graphml", as_of=as_of)


async def opportunity_method_view(
    info: Info, company_id: str, opportunity_id: str, method: SalesMethod, as_of: date | None
) -> MethodView:
    ctx = info.context
    view = await ctx.run(
        interchange.method_view, ctx.scope, company_id, opportunity_id, method.value, as_of=as_of
    )
    return MethodView.of(view)
