"""The gap of an account's relationship plan (docs/analytics.md §3.18).

A plan is a list of targets (:class:`~stakegraph.graph.store.PlannedTarget`): the KNOWS
level we must reach with a contact, or with some holder of a decision-chain role, by a
due date. :func:`plan_gap` lists the targets not met as of a date, with the best path
to the contact to work on (§3.11) and what meeting the target would gain (§3.12). It
reuses the effective levels of §3.2, the path search of §3.11 and the next-best-contact
gains of §3.12; nothing here is a rule of its own beyond "met" and the order.

Readings taken here:

* A contact target is met when the contact is an active contact of the account and
  their effective level is at least the target level; a contact who left never meets it.
* A role target is met when some active holder of the role — in the target's
  opportunity, or in any OPEN opportunity of the account when it names none — is at
  the level. The contact to work on is the holder with the highest effective level,
  then the most probable best path, then the smallest id.
* The account is taken as it was on the as-of date (§3.17); the plan itself has no
  history: its targets are taken as they are now.
* The gain is the next-best-contact gain of that contact (its level becoming 2): zero
  when we can influence them already, or when the target level is below 2 (a level
  of 1 changes no grade).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.store import PlannedTarget
from stakegraph.influence.grade import relationship_grade
from stakegraph.influence.history import state_as_of
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import effective_levels, influenced
from stakegraph.influence.models import InfluenceResult, Path, PlanGapItem
from stakegraph.influence.paths import best_paths
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.influence.whatif import next_best_contacts

__all__ = ["is_overdue", "plan_gap", "target_levels"]


def is_overdue(target: PlannedTarget, as_of: date) -> bool:
    """Whether a target's due date lies before the as-of date (a target due on the
    as-of date is not overdue yet).

    Examples
    --------
    >>> from stakegraph.graph.model import PlanTarget
    >>> t = PlannedTarget(PlanTarget(id="t", level=2, due=date(2024, 6, 29)), "acme")
    >>> is_overdue(t, date(2024, 6, 30)), is_overdue(t, date(2024, 6, 29))
    (True, False)
    """
    due = target.target.due
    return due is not None and due < as_of


def _standing(
    ix: AccountIndex, levels: Mapping[str, int], t: PlannedTarget
) -> tuple[list[str], int, bool]:
    """(the people who may meet a target, the best effective level among them, met)."""
    active = set(ix.contacts)
    if t.target.role is None:
        people = [t.contact_id] if t.contact_id is not None else []
    else:
        try:
            chain = ix.chain_of(t.opportunity_id)
        except NotFound:
            chain = {}
        people = [h for h in chain.get(t.target.role, []) if h in active]
    level = max((levels.get(p, 0) for p in people if p in active), default=0)
    return people, level, level >= t.target.level and any(p in active for p in people)


def target_levels(
    g: nx.MultiDiGraph,
    targets: Iterable[PlannedTarget],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> dict[str, tuple[int, bool]]:
    """``{target id: (level now, met)}``: the effective level (§3.2) of a target's
    contact, or the best of its role's active holders, and whether it meets the target.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> from stakegraph.graph.model import PlanTarget
    >>> eb = PlannedTarget(PlanTarget(id="t", level=3, role="ECONOMIC_BUYER"), "acme")
    >>> target_levels(tiny_account(), [eb], as_of=AS_OF)
    {'t': (3, True)}

    References
    ----------
    docs/analytics.md §3.18
    """
    g = state_as_of(g, as_of, settings=settings, company_id=company_id)
    ix = account_index(g, settings=settings, company_id=company_id)
    levels = effective_levels(g, as_of=as_of, settings=settings)
    out: dict[str, tuple[int, bool]] = {}
    for t in targets:
        _, level, met = _standing(ix, levels, t)
        out[t.id] = (level, met)
    return out


def plan_gap(
    g: nx.MultiDiGraph,
    targets: Iterable[PlannedTarget],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
) -> list[PlanGapItem]:
    """The targets of a relationship plan not yet met, overdue ones first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The account subgraph (``stakegraph.graph.model`` convention).
    targets : iterable of PlannedTarget
        The account's plan targets (``GraphStore.plan_targets``).
    as_of : datetime.date
        The date levels are measured to (§3.2) and due dates compared with.
    settings : AnalysisSettings
    company_id : str, optional
        The account; defaults to ``g.graph["company_id"]``.
    influence : InfluenceResult, optional
        Precomputed influence scores of ``g``, reused by the gains.

    Returns
    -------
    list of PlanGapItem
        One per unmet target: overdue ones first, then by due date (targets without
        one last), then by id.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> from stakegraph.graph.model import PlanTarget
    >>> plan = [
    ...     PlannedTarget(PlanTarget(id="t-cio", level=2, due=date(2024, 6, 1)), "acme",
    ...                   contact_id="c-cio"),
    ...     PlannedTarget(PlanTarget(id="t-fc", level=2, role="FINANCIAL_CONTROLLER",
    ...                              due=date(2024, 12, 31)), "acme", opportunity_id="o-crm"),
    ...     PlannedTarget(PlanTarget(id="t-ceo", level=3), "acme", contact_id="c-ceo"),
    ... ]
    >>> gap = plan_gap(tiny_account(), plan, as_of=AS_OF)
    >>> [(i.target_id, i.overdue, i.contact_id, i.level, round(i.score_gain, 2)) for i in gap]
    [('t-cio', True, 'c-cio', 1, 27.92), ('t-fc', False, 'c-cfo', 0, 15.42)]

    References
    ----------
    docs/analytics.md §3.18 (with §3.2, §3.11, §3.12)
    """
    plan = list(targets)
    if not plan:
        return []
    past = state_as_of(g, as_of, settings=settings, company_id=company_id)
    if past is not g:  # the account as it was (§3.17): precomputed parts are of today's
        g, influence = past, None
    ix = account_index(g, settings=settings, company_id=company_id)
    levels = effective_levels(g, as_of=as_of, settings=settings)
    open_items: list[tuple[PlannedTarget, list[str], int]] = []
    for t in plan:
        people, _, met = _standing(ix, levels, t)
        if not met:
            open_items.append((t, people, t.target.level))
    if not open_items:
        return []

    everyone = sorted({p for _, people, _ in open_items for p in people})
    paths: dict[str, Path] = best_paths(g, everyone, as_of=as_of, settings=settings)
    gains = {
        n.contact_id: n
        for n in next_best_contacts(
            g,
            as_of=as_of,
            settings=settings,
            company_id=ix.company_id,
            influence=influence,
            index=ix,
        )
    }
    grade = relationship_grade(
        g, as_of=as_of, settings=settings, company_id=ix.company_id, influence=influence, index=ix
    ).grade
    can = influenced(levels, settings=settings)

    def closeness(c: str) -> tuple[int, float, str]:
        path = paths.get(c)
        return (-levels.get(c, 0), -(path.probability if path else 0.0), c)

    out: list[PlanGapItem] = []
    active = set(ix.contacts)
    for t, people, wanted in open_items:
        focus = min(people, key=closeness) if people else None
        gain = gains.get(focus) if focus is not None else None
        counts = gain is not None and wanted >= settings.can_influence_level and focus not in can
        out.append(
            PlanGapItem(
                target_id=t.id,
                role=t.target.role,
                opportunity_id=t.opportunity_id,
                rep_id=t.rep_id,
                due=t.target.due,
                overdue=is_overdue(t, as_of),
                target_level=wanted,
                level=max((levels.get(p, 0) for p in people if p in active), default=0),
                contact_id=focus,
                holder_ids=people if t.target.role is not None else [],
                grade_before=grade,
                grade_after=gain.grade_after if counts and gain else grade,
                grade_gain=gain.grade_gain if counts and gain else 0,
                score_gain=gain.score_gain if counts and gain else 0.0,
                ratio_gain=gain.ratio_gain if counts and gain else 0.0,
                path=paths.get(focus) if focus is not None else None,
            )
        )
    out.sort(key=lambda i: (not i.overdue, i.due or date.max, i.target_id))
    return out
