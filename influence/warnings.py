"""Deal warnings on each OPEN opportunity (§3.16).

For an OPEN opportunity, its decision chain is its active ``HAS_ROLE`` holders (§3.3)
and "we can influence" is an effective level >= 2 (§3.2):

* ``SINGLE_THREADED`` — we can influence at most one contact of its chain
  (``single_threaded_max``);
* ``NO_POWER`` — no ECONOMIC_BUYER of it (``power_roles``) we can influence;
* ``NOT_ENOUGH_CONTACTS`` — fewer than 3 active contacts in its chain
  (``min_chain_contacts``);
* ``GONE_COLD`` — no interaction attended by any of its chain contacts in the last 30
  days (``gone_cold_days``);
* ``CHAMPION_UNTESTED`` — no CHAMPION in its chain whom we can influence at level >= 3
  (``champion_tested_level``).

Readings of §3.16 taken here: windows are closed, in whole days between UTC calendar
dates like §3.9 (an interaction exactly 30 days before the as-of date keeps a deal
warm, one 31 days before does not; a later one has not happened yet). "Interaction with
a chain contact" is one the contact attended, whatever account it was logged at. A
CHAMPION is judged by the stance for that deal: a ``HAS_ROLE.stance`` overrides the
contact's own (§3.1). A deal without a chain gets every warning that its emptiness
implies (single-threaded, no power, not enough contacts, gone cold, untested).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import networkx as nx

from stakegraph.graph.model import Label, OpportunityStatus, RelType, Stance, node_key
from stakegraph.influence.chain import chain_contacts
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import days_since, effective_levels, stance_of
from stakegraph.influence.messages import message
from stakegraph.influence.models import DealWarning, DealWarningCode, ParamValue
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["deal_warnings", "opportunity_warnings"]


def _last_interaction(
    g: nx.MultiDiGraph, contacts: list[str], as_of: date
) -> tuple[int, str] | None:
    """``(days ago, contact id)`` of the latest interaction a contact attended, not after as_of."""
    best: tuple[int, str] | None = None
    for c in contacts:
        for _, v, k in g.out_edges(node_key(Label.CONTACT, c), keys=True):
            if k != RelType.ATTENDED:
                continue
            d = days_since(g.nodes[v].get("at"), as_of)
            if d is not None and d >= 0 and (best is None or d < best[0]):
                best = (d, c)
    return best


def opportunity_warnings(
    g: nx.MultiDiGraph,
    opportunity_id: str,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    levels: Mapping[str, int] | None = None,
    index: AccountIndex | None = None,
) -> list[DealWarning]:
    """The warnings of one opportunity, in the order of the module docstring.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    opportunity_id : str
        An opportunity of the account (a closed one gets no warning).
    as_of : datetime.date
    settings : AnalysisSettings
    levels : mapping, optional
        Precomputed :func:`~stakegraph.influence.levels.effective_levels`.
    index : AccountIndex, optional

    Returns
    -------
    list of DealWarning

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When the opportunity is not the account's.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> [w.code.value for w in opportunity_warnings(tiny_account(), "o-crm", as_of=AS_OF)]
    ['SINGLE_THREADED']

    References
    ----------
    §3.16
    """
    ix = index if index is not None else account_index(g, settings=settings)
    chain = ix.chain_of(opportunity_id)
    status = g.nodes[node_key(Label.OPPORTUNITY, opportunity_id)].get("status")
    if status != OpportunityStatus.OPEN:
        return []
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    members = chain_contacts(chain)
    can = [c for c in members if levels.get(c, 0) >= settings.can_influence_level]
    out: list[DealWarning] = []

    def warn(code: DealWarningCode, contacts: list[str], text: str, **params: ParamValue) -> None:
        msg, evidence = message(text, **params)
        out.append(
            DealWarning(
                opportunity_id=opportunity_id,
                code=code,
                evidence=evidence,
                evidence_code=msg.code,
                evidence_params=msg.params,
                contact_ids=contacts,
            )
        )

    if len(can) <= settings.single_threaded_max:
        warn(
            DealWarningCode.SINGLE_THREADED,
            can,
            "FEW_INFLUENCED",
            can=len(can),
            members=len(members),
        )
    power = sorted({c for r in settings.power_roles for c in chain.get(r, [])})
    if not any(c in can for c in power):
        roles = "/".join(str(r) for r in settings.power_roles)
        warn(DealWarningCode.NO_POWER, power, "NO_POWER_REACHED", roles=roles, holders=len(power))
    if len(members) < settings.min_chain_contacts:
        warn(
            DealWarningCode.NOT_ENOUGH_CONTACTS,
            members,
            "CHAIN_TOO_SMALL",
            members=len(members),
            minimum=settings.min_chain_contacts,
        )
    last = _last_interaction(g, members, as_of)
    if last is None or last[0] > settings.gone_cold_days:
        days = settings.gone_cold_days
        if last is None:
            warn(DealWarningCode.GONE_COLD, members, "NOT_TOUCHED_EVER", days=days)
        else:
            warn(
                DealWarningCode.GONE_COLD,
                members,
                "NOT_TOUCHED_SINCE",
                days=days,
                ago=last[0],
                contact=last[1],
            )
    champions = [
        c for c in members if stance_of(g, c, opportunity_id=opportunity_id) == Stance.CHAMPION
    ]
    tested = [c for c in champions if levels.get(c, 0) >= settings.champion_tested_level]
    if not tested:
        warn(
            DealWarningCode.CHAMPION_UNTESTED,
            champions,
            "CHAMPION_NOT_TESTED",
            champions=len(champions),
            level=settings.champion_tested_level,
        )
    return out


def deal_warnings(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    levels: Mapping[str, int] | None = None,
    index: AccountIndex | None = None,
) -> list[DealWarning]:
    """The warnings of every OPEN opportunity of the account, by opportunity id.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> [(w.opportunity_id, w.code.value) for w in deal_warnings(tiny_account(), as_of=AS_OF)]
    [('o-crm', 'SINGLE_THREADED')]

    References
    ----------
    §3.16
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    return [
        w
        for opp in ix.open_opportunities
        for w in opportunity_warnings(
            g, opp, as_of=as_of, settings=settings, levels=levels, index=ix
        )
    ]
