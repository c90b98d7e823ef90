"""Input types of the mutations. Fields left out keep their stored value on an
upsert; an explicit ``null`` clears it. Validation is the domain models' (pydantic)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import UNSET

from stakegraph.gql.scalars import (
    ContactStatus,
    DepartmentFunction,
    InfluenceRating,
    InteractionKind,
    InteractionPurpose,
    OpportunityStatus,
    Seniority,
    Stage,
    Stance,
    TeamKind,
    Tier,
)

__all__ = [
    "CompanyInput",
    "CompetitorInput",
    "ContactInput",
    "ContactProfileInput",
    "DepartmentInput",
    "InteractionInput",
    "OpportunityInput",
    "RepInput",
    "TeamInput",
]

ID = strawberry.ID


@strawberry.input(description="A company (account); a new one needs an ADMIN.")
class CompanyInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    industry: str | None = UNSET
    region: str | None = UNSET
    tier: Tier | None = UNSET
    annual_revenue: float | None = UNSET
    employees: int | None = UNSET
    strategic_fit: int | None = UNSET
    profit_potential: int | None = UNSET
    stability: int | None = UNSET
    market_influence: int | None = UNSET
    usage_current: float | None = UNSET
    usage_prior: float | None = UNSET
    tickets_current: int | None = UNSET
    tickets_prior: int | None = UNSET
    negative_feedback_90d: int | None = UNSET
    overdue_invoices: int | None = UNSET
    renewal_intent: bool | None = UNSET


@strawberry.input(description="A department; a new one needs companyId or parentDepartmentId.")
class DepartmentInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    function: DepartmentFunction | None = UNSET
    is_key: bool | None = UNSET
    company_id: ID | None = strawberry.field(default=UNSET, description="PART_OF this company")
    parent_department_id: ID | None = strawberry.field(
        default=UNSET, description="PART_OF this department"
    )


@strawberry.input
class ContactProfileInput:
    hometown: str | None = None
    school: str | None = None
    hobbies: list[str] | None = None
    goals: str | None = None
    notes: str | None = None


@strawberry.input(description="A contact; a new one needs departmentId (WORKS_IN).")
class ContactInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    title: str | None = UNSET
    seniority: Seniority | None = UNSET
    is_kdm: bool | None = UNSET
    influence_rating: InfluenceRating | None = UNSET
    stance: Stance | None = UNSET
    status: ContactStatus | None = UNSET
    email: str | None = strawberry.field(
        default=UNSET, description="shorthand: becomes the first of emails"
    )
    emails: list[str] | None = UNSET
    phone: str | None = UNSET
    profile: ContactProfileInput | None = UNSET
    last_verified_at: datetime | None = UNSET
    department_id: ID | None = strawberry.field(default=UNSET, description="WORKS_IN")


@strawberry.input(description="An opportunity; a new one needs companyId (FOR).")
class OpportunityInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    stage: Stage | None = UNSET
    status: OpportunityStatus | None = UNSET
    amount: float | None = UNSET
    currency: str | None = UNSET
    products: list[str] | None = UNSET
    close_date: date | None = UNSET
    company_id: ID | None = strawberry.field(default=UNSET, description="FOR this company")


@strawberry.input
class RepInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    email: str | None = UNSET
    industry_expert: bool | None = UNSET


@strawberry.input
class TeamInput:
    id: ID | None = UNSET
    name: str | None = UNSET
    kind: TeamKind | None = UNSET
    region: str | None = UNSET
    industry: str | None = UNSET
    member_ids: list[ID] | None = strawberry.field(
        default=UNSET, description="reps to add as members (MEMBER_OF)"
    )


@strawberry.input
class CompetitorInput:
    id: ID | None = UNSET
    name: str | None = UNSET


@strawberry.input(description="A visit, call… (每访必记); `at` defaults to now.")
class InteractionInput:
    id: ID | None = UNSET
    at: datetime | None = UNSET
    kind: InteractionKind | None = UNSET
    purpose: InteractionPurpose | None = UNSET
    notes: str | None = UNSET
    company_id: ID | None = strawberry.field(default=UNSET, description="ABOUT this company")
    opportunity_id: ID | None = strawberry.field(
        default=UNSET, description="ABOUT this opportunity"
    )
    rep_ids: list[ID] | None = strawberry.field(default=UNSET, description="reps who ATTENDED")
    contact_ids: list[ID] | None = strawberry.field(
        default=UNSET, description="contacts who ATTENDED"
    )
