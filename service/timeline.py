"""How accounts moved (docs/analytics.md §3.19): an account's timeline, drift alerts
and what changed since a date — each on accounts the caller may see, each account
fetched once and replayed, the contacts of accounts the caller may not see masked in
the events exactly as in every other analytic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from stakegraph.graph.gc_policy import settled_batches
from stakegraph.graph.model import ChangeEvent, Label
from stakegraph.influence.history import end_of_day
from stakegraph.influence.models import AccountChanges, DriftAlert, Timeline, TimelineStep
from stakegraph.influence.timeline import account_changes, account_timeline, drift_alert
from stakegraph.service.errors import BadInput
from stakegraph.service.masking import masked_ids
from stakegraph.service.portfolio import all_company_ids
from stakegraph.service.scope import BATCH_SIZE, AccountView, Scope

__all__ = ["changes_since", "drift_alerts", "mask_events", "record_names", "timeline"]


def mask_events(view: AccountView, events: Sequence[ChangeEvent]) -> list[ChangeEvent]:
    """The events with every contact the caller may not see renamed as in the view
    (``masked-N``): the change shows, not who it concerns."""
    if not view.hidden:
        return list(events)
    renamed = masked_ids(view.hidden)
    out = []
    for e in events:
        if e.contact_id not in renamed and not any(
            part in renamed for part in e.entity_id.split("->")
        ):
            out.append(e)
            continue
        parts = [renamed.get(p, p) for p in e.entity_id.split("->")]
        cid = None if e.contact_id is None else renamed.get(e.contact_id, e.contact_id)
        out.append(e.model_copy(update={"entity_id": "->".join(parts), "contact_id": cid}))
    return out


def timeline(
    scope: Scope,
    company_id: str,
    start: date,
    end: date | None = None,
    every: TimelineStep = TimelineStep.MONTH,
) -> Timeline:
    """The timeline of a visible account over ``[start, end]`` (``end`` defaults to the
    scope's day), from one fetch of its subgraph.

    Raises
    ------
    NotFound
        The account does not exist or is not visible.
    BadInput
        ``end`` before ``start``, or more points than ``timeline_max_points``.
    """
    view = scope.view(company_id)
    last = scope.as_of(end)
    try:
        t = account_timeline(
            scope.raw_subgraph(company_id),
            start,
            last,
            every=TimelineStep(every),
            settings=scope.analysis_settings,
            company_id=company_id,
        )
    except ValueError as exc:
        raise BadInput(str(exc), field="from") from exc
    points = [p.model_copy(update={"events": mask_events(view, p.events)}) for p in t.points]
    return t.model_copy(update={"points": points})


def record_names(scope: Scope, company_id: str) -> dict[str, str]:
    """The names of the account's contacts, reps and opportunities by id, as the caller
    may see them (a masked contact has none): what words a change event."""
    g = scope.view(company_id).graph
    return {
        str(a["id"]): str(a["name"])
        for _, a in g.nodes(data=True)
        if a.get("label") in (Label.CONTACT, Label.REP, Label.OPPORTUNITY)
        and not a.get("masked")
        and a.get("id") is not None
        and a.get("name")
    }


def _visible_ids(scope: Scope, company_ids: Sequence[str] | None) -> list[str]:
    ids = all_company_ids(scope) if company_ids is None else list(company_ids)
    return [c for c in ids if scope.sees(c)]


def _with_events(scope: Scope, ids: Sequence[str], since: date, day: date) -> list[str]:
    """Those of ``ids`` (in order) with a change event after the end of ``since`` up to
    the end of ``day``: one read of the events, so that only these accounts are fetched."""
    start, end = end_of_day(since), end_of_day(day)
    contacts = {
        e.contact_id
        for e in scope.store.changes_since(start)
        if e.contact_id is not None and start < e.at <= end
    }
    owners = set(scope.owners(Label.CONTACT, sorted(contacts)).values())
    return [c for c in ids if c in owners]


def drift_alerts(
    scope: Scope, company_ids: Sequence[str] | None = None, as_of: date | None = None
) -> list[DriftAlert]:
    """The drift alerts (§3.19) of the visible accounts among ``company_ids`` (every
    visible account by default), in id order."""
    day = scope.as_of(as_of)
    out = []
    since = day - timedelta(days=scope.analysis_settings.drift_window_days)
    ids = _with_events(scope, _visible_ids(scope, company_ids), since, day)
    with settled_batches() as settle:  # the collector sees one batch at a time
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            views = scope.views(batch)  # the batch's subgraphs in one store call
            for c in batch:
                if c not in views:
                    continue
                alert = drift_alert(
                    scope.raw_subgraph(c), day, settings=scope.analysis_settings, company_id=c
                )
                if alert is not None:
                    events = mask_events(views[c], alert.events)
                    out.append(alert.model_copy(update={"events": events}))
            if start + BATCH_SIZE < len(ids):
                settle()
    return out


def changes_since(
    scope: Scope,
    since: date,
    *,
    as_of: date | None = None,
    company_ids: Sequence[str] | None = None,
) -> list[AccountChanges]:
    """Per visible account with change events after ``since``: the events, and the
    figures as of ``since`` (replayed) and as of the scope's day; in id order.

    Raises
    ------
    BadInput
        ``since`` after the scope's day.
    """
    day = scope.as_of(as_of)
    if since > day:
        raise BadInput(f"since ({since}) is after the as-of day ({day})", field="since")
    ids = _with_events(scope, _visible_ids(scope, company_ids), since, day)
    views = scope.views(ids)
    out = []
    for c in ids:
        if c not in views:
            continue
        g = scope.raw_subgraph(c)
        found = account_changes(g, since, day, settings=scope.analysis_settings, company_id=c)
        out.append(found.model_copy(update={"events": mask_events(views[c], found.events)}))
    return out
