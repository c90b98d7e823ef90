"""How an account moved: its timeline, drift alerts and what changed since a date
(docs/analytics.md §3.19).

Every function here takes the account subgraph as it is now, with its change events
(``G.graph["changes"]``), and replays it to each moment it needs
(:func:`~stakegraph.influence.history.graph_as_of`): one fetch of the account serves
every point of a timeline.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import networkx as nx

from stakegraph.graph.model import ChangeEvent
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.chain import account_id
from stakegraph.influence.history import end_of_day, events_between, graph_as_of
from stakegraph.influence.models import (
    AccountChanges,
    AccountSnapshot,
    DriftAlert,
    Timeline,
    TimelinePoint,
    TimelineStep,
)
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "account_changes",
    "account_timeline",
    "drift_alert",
    "snapshot_at",
    "step_ends",
]


def step_ends(start: date, end: date, every: TimelineStep = TimelineStep.MONTH) -> list[date]:
    """The days a timeline of ``[start, end]`` has a point at: every month end (or
    week end, Sunday) within the period, and ``end`` itself when it is not one.

    >>> step_ends(date(2025, 1, 15), date(2025, 3, 10))
    [datetime.date(2025, 1, 31), datetime.date(2025, 2, 28), datetime.date(2025, 3, 10)]
    >>> step_ends(date(2025, 6, 2), date(2025, 6, 15), TimelineStep.WEEK)
    [datetime.date(2025, 6, 8), datetime.date(2025, 6, 15)]
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    days: list[date] = []
    if every == TimelineStep.WEEK:
        d = start + timedelta(days=6 - start.weekday())
        while d <= end:
            days.append(d)
            d += timedelta(days=7)
    else:
        y, m = start.year, start.month
        while True:
            d = date(y, m, calendar.monthrange(y, m)[1])
            if d > end:
                break
            days.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not days or days[-1] != end:
        days.append(end)
    return days


def _snapshot(
    g: nx.MultiDiGraph, day: date, settings: AnalysisSettings, cid: str
) -> AccountSnapshot:
    a = analyze_account(g, as_of=day, settings=settings, company_id=cid)
    return AccountSnapshot(
        at=day,
        grade=a.grade.grade,
        score=a.grade.score,
        coverage_ratio=a.coverage.ratio,
        balance=a.balance.value,
        health=a.health.status,
    )


def snapshot_at(
    g: nx.MultiDiGraph,
    day: date,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> AccountSnapshot:
    """Grade, score, coverage ratio, balance and health of the account as it was at the
    end of ``day`` (§3.17 replay, then §3.5–3.9).

    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> s = snapshot_at(tiny_account(), AS_OF)
    >>> s.grade.value, s.coverage_ratio, s.health.value
    ('INTERMEDIATE', 0.25, 'RED')
    """
    cid = account_id(g, company_id)
    return _snapshot(graph_as_of(g, at=end_of_day(day), company_id=cid), day, settings, cid)


def account_timeline(
    g: nx.MultiDiGraph,
    start: date,
    end: date,
    *,
    every: TimelineStep = TimelineStep.MONTH,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> Timeline:
    """The account's grade, score, coverage ratio, balance and health at each step end
    of ``[start, end]``, each with the change events that moved it.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph as it is now, with its change events; never modified.
    start, end : datetime.date
        The period (both days included).
    every : TimelineStep
        ``MONTH`` (a point at each month end) or ``WEEK`` (each Sunday); the last
        point is ``end`` itself (:func:`step_ends`).
    settings : AnalysisSettings
        ``timeline_max_points`` bounds the number of points.
    company_id : str, optional
        Defaults to ``g.graph["company_id"]``.

    Returns
    -------
    Timeline
        One :class:`~stakegraph.influence.models.TimelinePoint` per step end, oldest
        first; a point's ``events`` are those after the previous point (after the
        start of ``start`` for the first) up to the end of its day.

    Raises
    ------
    ValueError
        ``end`` before ``start``, or more points than ``settings.timeline_max_points``.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> t = account_timeline(tiny_account(), date(2024, 4, 1), AS_OF)
    >>> [(p.at.isoformat(), p.grade.value) for p in t.points][-1]
    ('2024-06-30', 'INTERMEDIATE')

    References
    ----------
    docs/analytics.md §3.19
    """
    days = step_ends(start, end, every)
    if len(days) > settings.timeline_max_points:
        raise ValueError(
            f"a timeline of {len(days)} points exceeds timeline_max_points "
            f"({settings.timeline_max_points})"
        )
    cid = account_id(g, company_id)
    events = list(g.graph.get("changes", ()))
    points: list[TimelinePoint] = []
    previous = end_of_day(start - timedelta(days=1))
    for day in days:
        moment = end_of_day(day)
        snap = _snapshot(graph_as_of(g, events, at=moment, company_id=cid), day, settings, cid)
        points.append(
            TimelinePoint(**snap.model_dump(), events=events_between(events, previous, moment))
        )
        previous = moment
    return Timeline(company_id=cid, start=start, end=end, every=every, points=points)


def account_changes(
    g: nx.MultiDiGraph,
    since: date,
    as_of: date,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> AccountChanges:
    """The change events after the end of ``since`` up to the end of ``as_of``, with the
    account's figures as of ``since`` (replayed) and as of ``as_of``.

    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> c = account_changes(tiny_account(), date(2024, 1, 1), AS_OF)
    >>> c.before.at.isoformat(), c.after.grade.value
    ('2024-01-01', 'INTERMEDIATE')
    """
    cid = account_id(g, company_id)
    events = list(g.graph.get("changes", ()))
    return AccountChanges(
        company_id=cid,
        since=since,
        events=events_between(events, end_of_day(since), end_of_day(as_of)),
        before=snapshot_at(g, since, settings=settings, company_id=cid),
        after=snapshot_at(g, as_of, settings=settings, company_id=cid),
    )


def drift_alert(
    g: nx.MultiDiGraph,
    as_of: date,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    after: AccountSnapshot | None = None,
) -> DriftAlert | None:
    """A drift alert when, over the last ``settings.drift_window_days`` up to ``as_of``,
    the account's grade fell or its balance dropped by at least
    ``settings.drift_balance_drop``; ``None`` otherwise (or when no event lies in the
    window, since then nothing recorded moved it).

    The alert names the change events within the window.

    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> drift_alert(tiny_account(), AS_OF) is None
    True
    """
    cid = account_id(g, company_id)
    since = as_of - timedelta(days=settings.drift_window_days)
    events: list[ChangeEvent] = events_between(
        g.graph.get("changes", ()), end_of_day(since), end_of_day(as_of)
    )
    if not events:
        return None
    before = snapshot_at(g, since, settings=settings, company_id=cid)
    now = after if after is not None else snapshot_at(g, as_of, settings=settings, company_id=cid)
    fell = now.grade.rank < before.grade.rank
    drop = (
        None
        if before.balance is None or now.balance is None
        else round(before.balance - now.balance, 6)
    )
    if not fell and (drop is None or drop < settings.drift_balance_drop):
        return None
    return DriftAlert(
        company_id=cid, before=before, after=now, grade_fell=fell, balance_drop=drop, events=events
    )
