"""Use cases over one account: the deal in focus, paths to power, next best contacts
and what-if — each on a visible account, naming only contacts the caller may see.

The analytics themselves are :mod:`stakegraph.influence`'s pure functions; this module
decides which subgraph they run on and refuses what the caller may not ask about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from stakegraph.graph.errors import NotFound as GraphNotFound
from stakegraph.graph.model import Label, RelType, Rep, node_key
from stakegraph.influence.models import (
    Balance,
    Change,
    Coverage,
    LevelBecomes,
    NextBestContact,
    Path,
    WhatIfResult,
)
from stakegraph.influence.paths import paths_to_power
from stakegraph.influence.whatif import next_best_contacts as rank_next_best
from stakegraph.influence.whatif import what_if as run_what_if
from stakegraph.service.errors import BadInput, NotFound
from stakegraph.service.scope import Scope

__all__ = [
    "MAX_WHAT_IF_CHANGES",
    "deal_analysis",
    "next_best_contacts",
    "paths_to",
    "require_opportunity",
    "what_if",
]

#: The most hypothetical changes one what-if takes.
MAX_WHAT_IF_CHANGES = 50


def require_opportunity(
    scope: Scope, company_id: str, opportunity_id: str, *, field: str = "opportunityId"
) -> None:
    """Refuse an opportunity that is not one of this (visible) account's."""
    g = scope.view(company_id).graph
    key = node_key(Label.OPPORTUNITY, opportunity_id)
    if key not in g or not g.has_edge(
        key, node_key(Label.COMPANY, company_id), key=str(RelType.FOR)
    ):
        raise NotFound(
            f"opportunity {opportunity_id!r} not found in account {company_id!r}", field=field
        )


def deal_analysis(
    scope: Scope, company_id: str, opportunity_id: str, as_of: date | None = None
) -> tuple[Coverage, Balance]:
    """One deal's coverage and balance: from the account's analysis when the deal is
    open, else from an analysis of that deal (each computed once per scope)."""
    require_opportunity(scope, company_id, opportunity_id)
    for focus in (None, opportunity_id):
        analysis = scope.analysis(company_id, as_of, focus)
        cov = next(
            (c for c in analysis.opportunity_coverage if c.opportunity_id == opportunity_id), None
        )
        bal = next(
            (b for b in analysis.opportunity_balance if b.opportunity_id == opportunity_id), None
        )
        if cov is not None and bal is not None:
            return cov, bal
    raise NotFound(f"opportunity {opportunity_id!r} not found", field="opportunityId")


def _require_contact(scope: Scope, company_id: str, contact_id: str, field: str) -> None:
    if not scope.view(company_id).shows(contact_id):
        raise NotFound(f"contact {contact_id!r} not found in account {company_id!r}", field=field)


def paths_to(
    scope: Scope, company_id: str, contact_id: str, *, k: int = 3, as_of: date | None = None
) -> list[Path]:
    """§3.11 the ``k`` cheapest paths from our reps to a contact the caller may see."""
    if not 1 <= k <= 10:
        raise BadInput("k must be between 1 and 10", field="k")
    _require_contact(scope, company_id, contact_id, "contactId")
    return paths_to_power(
        scope.raw_subgraph(company_id),
        contact_id,
        as_of=scope.as_of(as_of),
        settings=scope.analysis_settings,
        k=k,
    )


def next_best_contacts(
    scope: Scope, company_id: str, *, k: int = 5, as_of: date | None = None
) -> list[NextBestContact]:
    """§3.12 the ``k`` contacts whose level 2 would help most."""
    return rank_next_best(
        scope.raw_subgraph(company_id),
        as_of=scope.as_of(as_of),
        settings=scope.analysis_settings,
        limit=k,
        company_id=company_id,
    )


def what_if(
    scope: Scope,
    company_id: str,
    changes: Sequence[Change],
    *,
    as_of: date | None = None,
    opportunity_id: str | None = None,
) -> WhatIfResult:
    """§3.12 every analytic before and after hypothetical changes; nothing is written.

    Raises
    ------
    BadInput
        No change, or more than :data:`MAX_WHAT_IF_CHANGES`.
    NotFound
        A change names a contact the caller may not see, or a record not in the account.
    """
    if not changes:
        raise BadInput("give at least one change", field="changes")
    if len(changes) > MAX_WHAT_IF_CHANGES:
        raise BadInput(f"at most {MAX_WHAT_IF_CHANGES} changes", field="changes")
    view = scope.view(company_id)
    for i, ch in enumerate(changes):
        for attr in ("contact_id", "from_contact_id", "to_contact_id"):
            cid = getattr(ch, attr, None)
            if cid is not None and not view.shows(cid):
                raise NotFound(
                    f"contact {cid!r} not found in account {company_id!r}", field=f"changes[{i}]"
                )
    if opportunity_id is not None:
        require_opportunity(scope, company_id, opportunity_id)
    rep_ids = [ch.rep_id for ch in changes if isinstance(ch, LevelBecomes)]
    reps = scope.visible_records(Label.REP, rep_ids)
    for i, ch in enumerate(changes):
        if isinstance(ch, LevelBecomes) and ch.rep_id not in reps:
            raise NotFound.of(Label.REP, ch.rep_id, field=f"changes[{i}]")
    try:
        return run_what_if(
            scope.raw_subgraph(company_id),
            list(changes),
            as_of=scope.as_of(as_of),
            settings=scope.analysis_settings,
            opportunity_id=opportunity_id,
            reps=[r for r in reps.values() if isinstance(r, Rep)],
        )
    except GraphNotFound as exc:
        raise NotFound(str(exc), field="changes") from exc
