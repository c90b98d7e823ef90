"""Supporter / opponent balance (支持/反对力量对比; docs/analytics.md §3.6).

Readings of §3.6 taken here: the account's balance weighs its chain (all ACTIVE contacts
when it has no OPEN opportunity) with the contacts' own stances; an opportunity's balance
weighs that deal's chain with its ``HAS_ROLE`` stance overrides. UNKNOWN stances take no
part (never neutral); no known stance → a null balance and no verdict. Swing contacts
are the weighed contacts whose stance is NEUTRAL or UNKNOWN with influence >= 0.5, most
influential first.
"""

from __future__ import annotations

import networkx as nx

from stakegraph.graph.model import Stance
from stakegraph.influence._num import at_least, at_most, clamp
from stakegraph.influence.chain import chain_contacts
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import stance_of
from stakegraph.influence.models import Balance, InfluenceResult, SwingContact, Verdict
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["balance_contacts", "supporter_balance", "verdict"]


def verdict(
    value: float | None, *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> Verdict | None:
    """``FAVORABLE`` at >= 0.25, ``UNFAVORABLE`` at <= −0.25, else ``CONTESTED``; null stays null.

    Examples
    --------
    >>> [verdict(v).value for v in (0.25, 0.2499, -0.25)]
    ['FAVORABLE', 'CONTESTED', 'UNFAVORABLE']

    References
    ----------
    docs/analytics.md §3.6
    """
    if value is None:
        return None
    if at_least(value, settings.verdict_threshold):
        return Verdict.FAVORABLE
    if at_most(value, -settings.verdict_threshold):
        return Verdict.UNFAVORABLE
    return Verdict.CONTESTED


def balance_contacts(
    g: nx.MultiDiGraph,
    *,
    opportunity_id: str | None = None,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> list[str]:
    """Whom the balance weighs: the chain's contacts, or every active contact without an open deal.

    For an opportunity, its chain; for the account, the union over its OPEN
    opportunities, or all active contacts when it has none.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> balance_contacts(tiny_account())
    ['c-ceo', 'c-cfo', 'c-cio', 'c-eng']
    """
    ix = index if index is not None else account_index(g, company_id=company_id)
    if opportunity_id is None and not ix.open_opportunities:
        return ix.contacts
    return chain_contacts(ix.chain_of(opportunity_id))


def supporter_balance(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
    index: AccountIndex | None = None,
) -> Balance:
    """``balance = Σ influence·stance / (2·Σ influence)`` over contacts of known stance.

    UNKNOWN stances take no part (never neutral); the balance is null when no stance is
    known (or the known contacts have no influence at all). Swing contacts are those
    NEUTRAL or UNKNOWN with influence >= 0.5, most influential first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    settings : AnalysisSettings
        ``verdict_threshold`` (0.25), ``swing_threshold`` (0.5).
    opportunity_id : str, optional
        Weigh that opportunity's chain, with its ``HAS_ROLE`` stance overrides. ``None``:
        the account's chain (see :func:`balance_contacts`) with the contacts' own stances.
    company_id : str, optional
    influence : InfluenceResult, optional
        Precomputed :func:`~stakegraph.influence.score.influence_scores`.
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    Balance

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> b = supporter_balance(tiny_account())
    >>> round(b.value, 4), b.verdict.value, b.supporters, b.opponents
    (0.3954, 'FAVORABLE', 2, 1)
    >>> [s.contact_id for s in b.swing]
    ['c-eng']

    References
    ----------
    docs/analytics.md §3.6
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    if influence is None:
        influence = influence_scores(g, settings=settings, company_id=company_id, index=ix)
    scores = influence.scores()
    contacts = balance_contacts(g, opportunity_id=opportunity_id, index=ix)
    stances = {c: stance_of(g, c, opportunity_id=opportunity_id) for c in contacts}
    known = [c for c in contacts if stances[c].weight is not None]
    weighted = sum(scores.get(c, 0.0) * (stances[c].weight or 0) for c in known)
    total = sum(scores.get(c, 0.0) for c in known)
    value = clamp(weighted / (2 * total), -1.0, 1.0) if total > 0 else None
    supporters = [c for c in known if (stances[c].weight or 0) > 0]
    opponents = [c for c in known if (stances[c].weight or 0) < 0]
    swing = sorted(
        (
            c
            for c in contacts
            if stances[c] in (Stance.NEUTRAL, Stance.UNKNOWN)
            and at_least(scores.get(c, 0.0), settings.swing_threshold)
        ),
        key=lambda c: (-scores.get(c, 0.0), c),
    )
    entries = {c.contact_id: c for c in influence.contacts}
    return Balance(
        opportunity_id=opportunity_id,
        value=value,
        verdict=verdict(value, settings=settings),
        supporters=len(supporters),
        opponents=len(opponents),
        supporter_influence=sum(scores.get(c, 0.0) for c in supporters),
        opponent_influence=sum(scores.get(c, 0.0) for c in opponents),
        known=len(known),
        swing=[
            SwingContact(
                contact_id=c,
                name=entries[c].name if c in entries else c,
                stance=stances[c],
                score=scores.get(c, 0.0),
            )
            for c in swing
        ],
    )
