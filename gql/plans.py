"""Relationship plans (§3.18): ``Account.plan { targets gap }`` and the
``setPlanTarget`` / ``removePlanTarget`` mutations."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from stakegraph.gql.analytics import Path
from stakegraph.gql.context import Info
from stakegraph.gql.nodes import Contact, Rep, contact_in_view
from stakegraph.gql.scalars import DecisionRole, RelationshipGradeLevel
from stakegraph.graph.model import Label
from stakegraph.graph.store import PlannedTarget
from stakegraph.influence import models as m
from stakegraph.service import plans as uc
from stakegraph.service.scope import AccountView

__all__ = ["AccountPlan", "PlanGapItem", "PlanMutations", "PlanTarget", "RemovedPlanTarget"]


async def _rep(info: Info, rep_id: str | None) -> Rep | None:
    if rep_id is None:
        return None
    node = await info.context.loaders.record(Label.REP, rep_id)
    return None if node is None else Rep.of(node)


@strawberry.type(
    description="A target of an account's relationship plan (§3.18): the KNOWS level to "
    "reach with a contact or with some holder of a decision-chain role, by a due date."
)
class PlanTarget:
    id: strawberry.ID
    account_id: strawberry.ID
    level: int
    role: DecisionRole | None
    contact_id: strawberry.ID | None
    opportunity_id: strawberry.ID | None
    rep_id: strawberry.ID | None
    due: date | None
    note: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, t: PlannedTarget) -> PlanTarget:
        node = t.target
        return cls(
            id=strawberry.ID(node.id),
            account_id=strawberry.ID(t.company_id),
            level=node.level,
            role=None if node.role is None else DecisionRole(node.role.value),
            contact_id=None if t.contact_id is None else strawberry.ID(t.contact_id),
            opportunity_id=None if t.opportunity_id is None else strawberry.ID(t.opportunity_id),
            rep_id=None if t.rep_id is None else strawberry.ID(t.rep_id),
            due=node.due,
            note=node.note,
            created_at=node.created_at,
            updated_at=node.updated_at,
        )

    @strawberry.field(description="The target contact (null for a role target).")
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        return contact_in_view(await info.context.view(self.account_id), self.contact_id)

    @strawberry.field(description="The owning rep.")
    async def rep(self, info: Info) -> Rep | None:
        return await _rep(info, self.rep_id)


@strawberry.type(
    description="A plan target not met yet (§3.18): where we stand, whom to work on, the "
    "best path there (§3.11) and what meeting it would gain (§3.12)."
)
class PlanGapItem:
    target_id: strawberry.ID
    role: DecisionRole | None
    opportunity_id: strawberry.ID | None
    rep_id: strawberry.ID | None
    due: date | None
    overdue: bool
    target_level: int
    level: int = strawberry.field(description="effective level now (§3.2)")
    contact: Contact | None = strawberry.field(description="the contact to work on")
    holders: list[Contact] = strawberry.field(description="role target: the role's holders")
    grade_before: RelationshipGradeLevel
    grade_after: RelationshipGradeLevel
    grade_gain: int
    score_gain: float
    ratio_gain: float
    path: Path | None

    @classmethod
    def of(cls, view: AccountView, i: m.PlanGapItem) -> PlanGapItem:
        holders = [contact_in_view(view, h) for h in i.holder_ids]
        return cls(
            target_id=strawberry.ID(i.target_id),
            role=None if i.role is None else DecisionRole(i.role.value),
            opportunity_id=None if i.opportunity_id is None else strawberry.ID(i.opportunity_id),
            rep_id=None if i.rep_id is None else strawberry.ID(i.rep_id),
            due=i.due,
            overdue=i.overdue,
            target_level=i.target_level,
            level=i.level,
            contact=None if i.contact_id is None else contact_in_view(view, i.contact_id),
            holders=[h for h in holders if h is not None],
            grade_before=RelationshipGradeLevel(i.grade_before.value),
            grade_after=RelationshipGradeLevel(i.grade_after.value),
            grade_gain=i.grade_gain,
            score_gain=i.score_gain,
            ratio_gain=i.ratio_gain,
            path=None if i.path is None else Path.of(view, i.path),
        )


@strawberry.type(description="An account's relationship plan (§3.18).")
class AccountPlan:
    account_id: strawberry.ID

    @strawberry.field(description="Every target of the plan, by id.")
    async def targets(self, info: Info) -> list[PlanTarget]:
        ctx = info.context
        found = await ctx.run(uc.plan_targets, ctx.scope, self.account_id)
        return [PlanTarget.of(t) for t in found]

    @strawberry.field(
        description="The targets not met as of a day, overdue ones first, each with its "
        "best path and gain (§3.18)."
    )
    async def gap(self, info: Info, as_of: date | None = None) -> list[PlanGapItem]:
        ctx = info.context
        plan = await ctx.run(uc.account_plan, ctx.scope, self.account_id, as_of)
        view = await ctx.view(self.account_id)
        return [PlanGapItem.of(view, i) for i in plan.gap]


@strawberry.input(description="A plan target: give exactly one of contactId and role.")
class PlanTargetInput:
    account_id: strawberry.ID
    level: int
    rep_id: strawberry.ID = strawberry.field(description="the owning rep")
    contact_id: strawberry.ID | None = None
    role: DecisionRole | None = None
    opportunity_id: strawberry.ID | None = None
    due: date | None = None
    note: str | None = None
    id: strawberry.ID | None = strawberry.field(
        default=None, description="an existing target to replace; none: a new target"
    )


@strawberry.type(description="A removed plan target and its account.")
class RemovedPlanTarget:
    id: strawberry.ID
    account_id: strawberry.ID


@strawberry.type
class PlanMutations:
    @strawberry.mutation(
        description="Create or replace a target of an account's relationship plan (§3.18)."
    )
    async def set_plan_target(self, info: Info, input: PlanTargetInput) -> PlanTarget:
        ctx = info.context
        saved = await ctx.run(
            uc.set_plan_target,
            ctx.scope,
            input.account_id,
            level=input.level,
            rep_id=input.rep_id,
            contact_id=input.contact_id,
            role=None if input.role is None else input.role.value,
            opportunity_id=input.opportunity_id,
            due=input.due,
            note=input.note,
            target_id=input.id,
        )
        ctx.forget()
        return PlanTarget.of(saved)

    @strawberry.mutation(description="Remove a target of an account's relationship plan.")
    async def remove_plan_target(self, info: Info, id: strawberry.ID) -> RemovedPlanTarget:
        ctx = info.context
        account = await ctx.run(uc.remove_plan_target, ctx.scope, id)
        ctx.forget()
        return RemovedPlanTarget(id=id, account_id=strawberry.ID(account))
