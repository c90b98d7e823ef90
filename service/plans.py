"""Relationship plans (docs/analytics.md §3.18): read an account's targets and gap,
set and remove targets.

A target belongs to one visible account (``PLAN_OF``), names a contact of that account
(``TARGETS``) or a decision-chain role, optionally one of its opportunities
(``PLAN_FOR``), and an owning rep (``ASSIGNED_TO``). Changing a plan is authorised like
changing its account (:func:`~stakegraph.service.access.may_change_plan` and the
account's visibility); each change is one atomic write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from pydantic import ValidationError

from stakegraph.graph.model import (
    DecisionRole,
    Label,
    PlanTarget,
    Relationship,
    RelType,
)
from stakegraph.graph.store import GraphBatch, PlannedTarget, RelKey
from stakegraph.influence.models import PlanGapItem
from stakegraph.influence.plans import plan_gap
from stakegraph.service.access import may_change_plan, require_writer
from stakegraph.service.errors import BadInput, Forbidden, NotFound, from_validation_error
from stakegraph.service.scope import Scope

__all__ = [
    "AccountPlan",
    "account_plan",
    "map_plan_gap",
    "plan_targets",
    "remove_plan_target",
    "set_plan_target",
]


@dataclass(frozen=True)
class AccountPlan:
    """An account's plan as of a day: every target, and the unmet ones (the gap)."""

    company_id: str
    as_of: date
    targets: list[PlannedTarget]
    gap: list[PlanGapItem]


def plan_targets(scope: Scope, company_id: str) -> list[PlannedTarget]:
    """The targets of a visible account's plan, by id."""
    scope.account(company_id, field="id")
    return scope.store.plan_targets([company_id])[company_id]


def account_plan(scope: Scope, company_id: str, as_of: date | None = None) -> AccountPlan:
    """The plan of a visible account with its gap as of a day (§3.18)."""
    targets = plan_targets(scope, company_id)
    day = scope.as_of(as_of)
    gap: list[PlanGapItem] = []
    if targets:
        analysis = scope.analysis(company_id, day)
        gap = plan_gap(
            scope.raw_subgraph(company_id),
            targets,
            as_of=day,
            settings=scope.analysis_settings,
            company_id=company_id,
            influence=analysis.influence,
        )
    return AccountPlan(company_id=company_id, as_of=day, targets=targets, gap=gap)


def _owner_of(scope: Scope, target_id: str) -> str | None:
    found = scope.relationships(RelType.PLAN_OF, from_ids=[target_id])
    return next((r.to_id for r in found if r.from_label == Label.PLAN_TARGET), None)


def _require_plan_writer(scope: Scope) -> None:
    require_writer(scope.principal)
    if not may_change_plan(scope.principal):
        raise Forbidden(f"{scope.principal.role} {scope.principal.name!r} may not change plans")


def _rel(t: RelType, target_id: str, to_label: Label, to_id: str) -> Relationship:
    return Relationship(
        type=t, from_label=Label.PLAN_TARGET, from_id=target_id, to_label=to_label, to_id=to_id
    )


def set_plan_target(
    scope: Scope,
    company_id: str,
    *,
    level: int,
    rep_id: str,
    contact_id: str | None = None,
    role: DecisionRole | str | None = None,
    opportunity_id: str | None = None,
    due: date | None = None,
    note: str | None = None,
    target_id: str | None = None,
) -> PlannedTarget:
    """Create a target of a visible account's plan, or replace one (``target_id``).

    Raises
    ------
    NotFound
        The account, contact, opportunity, rep or target is not (visibly) there.
    BadInput
        Neither or both of contact and role; a contact or opportunity of another
        account; a target of another account; a level outside 0–4.
    Forbidden
        A read-only caller.
    """
    _require_plan_writer(scope)
    scope.account(company_id, field="companyId")
    if (contact_id is None) == (role is None):
        raise BadInput("give exactly one of contactId and role", field="contactId")
    if target_id is not None:
        owner = _owner_of(scope, target_id)
        if owner is not None and not scope.sees(owner):
            raise NotFound.of(Label.PLAN_TARGET, target_id, field="id")
        if owner is not None and owner != company_id:
            raise BadInput(
                f"plan target {target_id!r} belongs to another account", field="companyId"
            )
    else:
        target_id = f"plan-{uuid4().hex[:12]}"
    try:
        node = PlanTarget(
            id=target_id,
            level=level,
            role=None if role is None else DecisionRole(role),
            due=due,
            note=note,
        )
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise from_validation_error(exc, None) from exc
        raise BadInput(str(exc), field="role") from exc
    rels = [_rel(RelType.PLAN_OF, target_id, Label.COMPANY, company_id)]
    for label, node_id, field, rel_type in (
        (Label.CONTACT, contact_id, "contactId", RelType.TARGETS),
        (Label.OPPORTUNITY, opportunity_id, "opportunityId", RelType.PLAN_FOR),
    ):
        if node_id is None:
            continue
        _, owner = scope.record(label, node_id, field=field)
        if owner != company_id:
            raise BadInput(f"{label} {node_id!r} is not of account {company_id!r}", field=field)
        rels.append(_rel(rel_type, target_id, label, node_id))
    if rep_id not in scope.visible_records(Label.REP, [rep_id]):
        raise NotFound.of(Label.REP, rep_id, field="repId")
    rels.append(_rel(RelType.ASSIGNED_TO, target_id, Label.REP, rep_id))
    stale: list[RelKey] = []
    for rel_type, to_label, kept in (
        (RelType.TARGETS, Label.CONTACT, contact_id),
        (RelType.PLAN_FOR, Label.OPPORTUNITY, opportunity_id),
    ):
        if kept is None:
            stale += [
                (str(rel_type), str(Label.PLAN_TARGET), target_id, str(to_label), r.to_id)
                for r in scope.relationships(rel_type, from_ids=[target_id])
            ]
    # created_at is kept from the stored target by the store
    scope.store.write(
        GraphBatch(nodes=[node], relationships=rels, deletions=stale), by=scope.principal.name
    )
    scope.forget()
    return PlannedTarget(
        target=node,
        company_id=company_id,
        rep_id=rep_id,
        contact_id=contact_id,
        opportunity_id=opportunity_id,
    )


def remove_plan_target(scope: Scope, target_id: str) -> str:
    """Remove a target of a visible account's plan; the account's id.

    Raises
    ------
    NotFound
        No such target, or one of an account the caller may not see.
    """
    _require_plan_writer(scope)
    owner = _owner_of(scope, target_id)
    if owner is None or not scope.sees(owner):
        raise NotFound.of(Label.PLAN_TARGET, target_id, field="id")
    scope.store.delete_nodes(Label.PLAN_TARGET, [target_id])
    scope.forget()
    return owner


def map_plan_gap(
    scope: Scope, company_id: str, as_of: date | None = None
) -> list[PlanGapItem] | None:
    """What a map's sidebar lists of the plan (§3.18): the open targets, overdue first;
    ``None`` when the account has no plan."""
    plan = account_plan(scope, company_id, as_of)
    return plan.gap if plan.targets else None
