"""Account potential and health (ICP 潜力评分, 健康度预警; docs/analytics.md §3.9).

Time windows are measured like the decay of §3.2, in whole days between UTC calendar
dates, and are closed: "in the last 90 days" is ``0 <= as_of − date <= 90``. Anything
dated after the as-of date has not happened yet as of then and is ignored.

Reading of ``STANCE_DROP`` (§3.9) taken here: a fall of two or more steps anywhere in
the window, not only from its first to its last stance. The stances of a KDM in the
window are, in time order, the one it held when the window opened (the ``new`` of its
last change before the window, else the ``old`` of its first change in it) and the
``new`` of every change in the window; the signal fires when some known stance is
followed, later in that sequence, by a known stance at least two steps lower. So a dip
CHAMPION → BLOCKER → CHAMPION fires; UNKNOWN stances are skipped, never neutral. The
evidence names the larger fall (the earliest of equal ones): both stances and the dates
they were held from (the window's first day for the stance held when it opened).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx

from stakegraph.graph.model import (
    ChangeEvent,
    ContactStatus,
    Label,
    RelType,
    Seniority,
    Stance,
    node_key,
)
from stakegraph.influence._num import at_least, more_than
from stakegraph.influence.chain import account_id
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import days_since
from stakegraph.influence.messages import english, message
from stakegraph.influence.models import (
    Health,
    HealthSignal,
    HealthSignalCode,
    HealthStatus,
    Message,
    ParamValue,
    Potential,
    PotentialBand,
)
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "POTENTIAL_FIELDS",
    "account_health",
    "account_potential",
    "health_status",
    "stance_drop",
]

#: The ICP scores of §3.9, in the order of their weights.
POTENTIAL_FIELDS = ("strategic_fit", "profit_potential", "stability", "market_influence")
_GONE = (ContactStatus.LEFT, ContactStatus.MOVED)


def account_potential(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> Potential:
    """``0.3·strategic_fit + 0.3·profit_potential + 0.2·stability + 0.2·market_influence``.

    Band ``A`` at >= 4.0, ``B`` at >= 3.0, else ``C``; score and band are null (a data
    gap) when any of the four scores is missing, and ``missing`` names them.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    settings : AnalysisSettings
        ``potential_*_weight``, ``potential_band_a`` (4.0), ``potential_band_b`` (3.0).
    company_id : str, optional

    Returns
    -------
    Potential

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> p = account_potential(tiny_account())  # 4, 4, 3, 5
    >>> p.score, p.band.value
    (4.0, 'A')

    References
    ----------
    docs/analytics.md §3.9; KAM practice (30/30/20/20, A at 4.0).
    """
    company = g.nodes[node_key(Label.COMPANY, account_id(g, company_id))]
    weights = (
        settings.potential_strategic_fit_weight,
        settings.potential_profit_potential_weight,
        settings.potential_stability_weight,
        settings.potential_market_influence_weight,
    )
    missing = [f for f in POTENTIAL_FIELDS if company.get(f) is None]
    if missing:
        return Potential(missing=missing)
    score = round(sum(w * company[f] for w, f in zip(weights, POTENTIAL_FIELDS, strict=True)), 9)
    if at_least(score, settings.potential_band_a):
        band = PotentialBand.A
    elif at_least(score, settings.potential_band_b):
        band = PotentialBand.B
    else:
        band = PotentialBand.C
    return Potential(score=score, band=band)


def health_status(
    codes: Iterable[HealthSignalCode | str], *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> HealthStatus:
    """``RED`` when (USAGE_DROP and KDM_LEFT) or >= 3 signals; ``YELLOW`` with >= 1; else GREEN.

    Examples
    --------
    >>> health_status(["USAGE_DROP", "KDM_LEFT"]).value, health_status(["USAGE_DROP"]).value
    ('RED', 'YELLOW')

    References
    ----------
    docs/analytics.md §3.9
    """
    present = {str(c) for c in codes}
    if set(settings.red_signal_combination) <= present or len(present) >= settings.red_signal_count:
        return HealthStatus.RED
    if present:
        return HealthStatus.YELLOW
    return HealthStatus.GREEN


def _within(moment: datetime | date | None, as_of: date, days: int) -> bool:
    d = days_since(moment, as_of)
    return d is not None and 0 <= d <= days


def _name(g: nx.MultiDiGraph, contact_id: str) -> str:
    key = node_key(Label.CONTACT, contact_id)
    return f"{g.nodes[key].get('name', contact_id)} ({contact_id})" if key in g else contact_id


def _contact_of(event: ChangeEvent) -> str | None:
    if event.contact_id is not None:
        return event.contact_id
    return event.entity_id if event.entity == Label.CONTACT else None


def _contact_events(g: nx.MultiDiGraph, field: str) -> dict[str, list[ChangeEvent]]:
    """Contact change events of one field, per contact, oldest first."""
    out: dict[str, list[ChangeEvent]] = {}
    for e in sorted(g.graph.get("changes", []), key=lambda e: e.at):
        contact = _contact_of(e)
        if e.entity == Label.CONTACT and e.field == field and contact is not None:
            out.setdefault(contact, []).append(e)
    return out


def _stance_at(
    g: nx.MultiDiGraph, contact_id: str, at: datetime, stances: list[ChangeEvent]
) -> str:
    """The contact's stance at a moment, rebuilt from its stance events."""
    before = [e for e in stances if e.at <= at]
    if before:
        return str(before[-1].new)
    if stances:
        return str(stances[0].old)
    return str(g.nodes[node_key(Label.CONTACT, contact_id)].get("stance") or Stance.UNKNOWN)


def _weight(value: object) -> int | None:
    try:
        return Stance(str(value)).weight
    except ValueError:
        return None


def _stance_sequence(
    events: list[ChangeEvent], start_stance: str, as_of: date, recent: int
) -> list[tuple[str, date]]:
    """``[(stance, held from)]`` over the window: the one held at its start, then each change."""
    opened = as_of - timedelta(days=recent)
    past = [e for e in events if (days_since(e.at, as_of) or 0) > recent]
    window = [e for e in events if _within(e.at, as_of, recent)]
    if past:
        start = str(past[-1].new)
    elif window:
        start = str(window[0].old)
    else:
        start = start_stance
    return [(start, opened)] + [(str(e.new), e.at.date()) for e in window]


def stance_drop(
    sequence: list[tuple[str, date]], *, steps: int = 2
) -> tuple[tuple[str, date], tuple[str, date]] | None:
    """The larger fall of at least ``steps`` in a time-ordered stance sequence, if any.

    Examples
    --------
    >>> d = date(2024, 5, 1)
    >>> seq = [("CHAMPION", d), ("BLOCKER", date(2024, 5, 2)), ("CHAMPION", date(2024, 5, 3))]
    >>> stance_drop(seq)
    (('CHAMPION', datetime.date(2024, 5, 1)), ('BLOCKER', datetime.date(2024, 5, 2)))
    >>> stance_drop([("SUPPORTER", d), ("UNKNOWN", d), ("NEUTRAL", d)]) is None
    True

    References
    ----------
    §3.9
    """
    best: tuple[int, tuple[str, date], tuple[str, date]] | None = None
    highest: tuple[int, tuple[str, date]] | None = None
    for stance, day in sequence:
        w = _weight(stance)
        if w is None:
            continue
        if (
            highest is not None
            and highest[0] - w >= steps
            and (best is None or highest[0] - w > best[0])
        ):
            best = (highest[0] - w, highest[1], (stance, day))
        if highest is None or w > highest[0]:
            highest = (w, (stance, day))
    return None if best is None else (best[1], best[2])


def _graph_signals(
    g: nx.MultiDiGraph, as_of: date, settings: AnalysisSettings, ix: AccountIndex
) -> list[HealthSignal]:
    recent = settings.health_recent_days
    members = set(ix.contacts_all)
    kdms = set(ix.kdms_all)
    statuses = _contact_events(g, "status")
    stances = _contact_events(g, "stance")
    signals: list[HealthSignal] = []

    left = []
    for c in sorted(kdms):
        for e in statuses.get(c, []):
            if str(e.new) in _GONE and _within(e.at, as_of, recent):
                left.append((c, _item("CONTACT_BECAME", g, c, status=e.new, date=e.at.date())))
    if left:
        signals.append(_signal(HealthSignalCode.KDM_LEFT, left))

    lost = []
    for c in sorted(members):
        for e in stances.get(c, []):
            dropped = str(e.old) == Stance.CHAMPION and str(e.new) != Stance.CHAMPION
            if dropped and _within(e.at, as_of, recent):
                lost.append((c, _item("CHAMPION_DROPPED", g, c, stance=e.new, date=e.at.date())))
        for e in statuses.get(c, []):
            gone = str(e.new) in _GONE and _within(e.at, as_of, recent)
            if gone and _stance_at(g, c, e.at, stances.get(c, [])) == Stance.CHAMPION:
                lost.append((c, _item("CHAMPION_BECAME", g, c, status=e.new, date=e.at.date())))
    if lost:
        signals.append(_signal(HealthSignalCode.CHAMPION_LOST, lost))

    # STANCE_DROP speaks of no contact who left: only ACTIVE KDMs take part (§3 preamble).
    drops = []
    for c in sorted(kdms & ix.active):
        events = [e for e in stances.get(c, []) if (days_since(e.at, as_of) or 0) >= 0]
        if not events:
            continue
        current = str(g.nodes[node_key(Label.CONTACT, c)].get("stance") or Stance.UNKNOWN)
        found = stance_drop(
            _stance_sequence(events, current, as_of, recent), steps=settings.stance_drop_steps
        )
        if found is not None:
            (high, since), (low, on) = found
            item = _item("STANCE_FELL", g, c, high=high, since=since, low=low, on=on)
            drops.append((c, item))
    if drops:
        signals.append(_signal(HealthSignalCode.STANCE_DROP, drops))

    signals.extend(_touch_signals(g, as_of, settings, ix))
    return signals


def _item(code: str, g: nx.MultiDiGraph, contact_id: str, **params: object) -> Message:
    """One item of a head signal: a contact's name and the event's values as text."""
    values: dict[str, ParamValue] = {k: str(v) for k, v in params.items()}
    return Message(code=code, params={"name": _name(g, contact_id), **values})


def _signal(code: HealthSignalCode, items: list[tuple[str, Message]]) -> HealthSignal:
    """A signal whose evidence is its code's head joining one item per event."""
    parts = [m for _, m in items]
    return HealthSignal(
        code=code,
        evidence=english(code.value, {}, [english(m.code, m.params) for m in parts]),
        evidence_code=code.value,
        evidence_items=parts,
        contact_ids=sorted({c for c, _ in items}),
    )


def _coded(
    code: HealthSignalCode, text: str, contact_ids: list[str] | None = None, **params: ParamValue
) -> HealthSignal:
    """A signal worded by one code of the catalogue."""
    msg, evidence = message(text, **params)
    return HealthSignal(
        code=code,
        evidence=evidence,
        evidence_code=msg.code,
        evidence_params=msg.params,
        contact_ids=contact_ids or [],
    )


def _attended(g: nx.MultiDiGraph, contact_id: str) -> list[datetime]:
    """Dates of the interactions the contact attended."""
    nodes = g.nodes
    return [
        at
        for v, ties in g.succ[node_key(Label.CONTACT, contact_id)].items()
        if RelType.ATTENDED in ties and (at := nodes[v].get("at")) is not None
    ]


def _touch_signals(
    g: nx.MultiDiGraph,
    as_of: date,
    settings: AnalysisSettings,
    ix: AccountIndex,
) -> list[HealthSignal]:
    out = []
    recent, stale_days = settings.health_recent_days, settings.health_stale_days
    active = ix.contacts
    # NO_EXEC_TOUCH speaks of no contact who left: an executive who left or moved is no
    # longer a touch point (§3 preamble: only ACTIVE contacts take part).
    execs = [
        c
        for c in active
        if g.nodes[node_key(Label.CONTACT, c)].get("seniority") == Seniority.EXECUTIVE
    ]
    touched = [c for c in execs if any(_within(at, as_of, recent) for at in _attended(g, c))]
    if not touched:
        code = HealthSignalCode.NO_EXEC_TOUCH
        out.append(
            _coded(code, "NO_EXEC_INTERACTION", execs, execs=len(execs), days=recent)
            if execs
            else _coded(code, "NO_EXEC_CONTACT", execs)
        )

    stale = []
    for c in active:
        key = node_key(Label.CONTACT, c)
        verified = _within(g.nodes[key].get("last_verified_at"), as_of, stale_days)
        met = any(_within(at, as_of, stale_days) for at in _attended(g, c)) or any(
            _within(ties[RelType.KNOWS].get("last_contact_at"), as_of, stale_days)
            for ties in g.pred[key].values()
            if RelType.KNOWS in ties
        )
        if not (verified or met):
            stale.append(c)
    if active and more_than(len(stale), settings.stale_map_fraction * len(active)):
        out.append(
            _coded(
                HealthSignalCode.STALE_MAP,
                "STALE_CONTACTS",
                stale,
                stale=len(stale),
                active=len(active),
                days=stale_days,
            )
        )
    return out


def _metric_signals(company: dict[str, Any], settings: AnalysisSettings) -> list[HealthSignal]:
    out = []
    current, prior = company.get("usage_current"), company.get("usage_prior")
    if current is not None and prior:
        drop = (prior - current) / prior
        if at_least(drop, settings.usage_drop_fraction):
            out.append(
                _coded(
                    HealthSignalCode.USAGE_DROP,
                    "USAGE_DROPPED",
                    current=current,
                    prior=prior,
                    drop=drop,
                )
            )
    current, prior = company.get("tickets_current"), company.get("tickets_prior")
    if current and prior is not None and at_least(current, settings.ticket_spike_factor * prior):
        out.append(
            _coded(HealthSignalCode.TICKET_SPIKE, "TICKETS_SPIKED", current=current, prior=prior)
        )
    feedback = company.get("negative_feedback_90d")
    if feedback is not None and feedback >= settings.negative_feedback_min:
        out.append(_coded(HealthSignalCode.NEGATIVE_FEEDBACK, "NEGATIVE_FEEDBACKS", count=feedback))
    overdue = company.get("overdue_invoices")
    if overdue is not None and overdue >= settings.overdue_invoices_min:
        out.append(_coded(HealthSignalCode.PAYMENT_LATE, "OVERDUE_INVOICES", count=overdue))
    if company.get("renewal_intent") is False:
        out.append(_coded(HealthSignalCode.NO_RENEWAL_INTENT, "NO_RENEWAL_RECORDED"))
    return out


def account_health(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> Health:
    """Health signals of the account, each with its evidence, and the status they give.

    Graph-derived, from ``g.graph["changes"]`` and the map (windows end at ``as_of``):

    * ``KDM_LEFT``: a KDM's status became LEFT or MOVED in the last 90 days;
    * ``CHAMPION_LOST``: a CHAMPION left, or stopped being CHAMPION, in the last 90 days;
    * ``STANCE_DROP``: an active KDM's stance fell by >= 2 steps within the last 90 days:
      some known stance held in the window (the one held when it opened counts) is
      followed later in it by a known stance two or more steps lower (see the module
      docstring; a dip CHAMPION → BLOCKER → CHAMPION fires);
    * ``NO_EXEC_TOUCH``: no interaction attended by an active EXECUTIVE contact in 90 days;
    * ``STALE_MAP``: more than half of the active contacts neither verified
      (``last_verified_at``) nor met (an interaction attended, or a ``KNOWS.last_contact_at``)
      in 180 days.

    From the company's metrics: ``USAGE_DROP`` usage down >= 20% against the prior
    period; ``TICKET_SPIKE`` service requests >= 2× the prior period (and at least one);
    ``NEGATIVE_FEEDBACK`` >= 2 in 90 days; ``PAYMENT_LATE`` an overdue invoice;
    ``NO_RENEWAL_INTENT`` ``renewal_intent`` is false (unknown is no signal).

    ``KDM_LEFT`` and ``CHAMPION_LOST`` speak of contacts who left, so they judge contacts
    whatever their status; the other signals take only ``ACTIVE`` contacts (§3 preamble).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    as_of : datetime.date
    settings : AnalysisSettings
    company_id : str, optional
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    Health
        Status per :func:`health_status` and the signals in the order above.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> h = account_health(tiny_account(), as_of=AS_OF)
    >>> h.status.value, [s.value for s in h.codes]
    ('RED', ['KDM_LEFT', 'STALE_MAP', 'USAGE_DROP'])
    >>> h.signals[0].evidence
    'KDM left: Sun Hao (c-old) became LEFT on 2024-05-15'

    References
    ----------
    docs/analytics.md §3.9; KAM practice (usage −20% and a key-contact change → warning).
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    company = g.nodes[node_key(Label.COMPANY, ix.company_id)]
    signals = _graph_signals(g, as_of, settings, ix) + _metric_signals(company, settings)
    return Health(
        status=health_status((s.code for s in signals), settings=settings), signals=signals
    )
