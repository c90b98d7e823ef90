"""Data gaps: what an analysis could not know (§3.14).

Every analysis lists, beside its results, each record it had to do without, as a
:class:`~stakegraph.influence.models.DataGap` (a kind code and the ids it concerns, so
reports, GraphQL and maps word it themselves). A gap never fails an analysis: the rule
that needed the record uses its default (a contact without seniority counts as STAFF,
§3.4; a null potential, §3.9; an UNKNOWN stance is left out of the balance, §3.6).

Readings of §3.14 taken here:

* Only the account's ``ACTIVE`` contacts are judged (§3 preamble); contacts of other
  accounts are not the account's gaps.
* "KDMs with UNKNOWN stance" reads the contact's own stance (a per-deal ``HAS_ROLE``
  stance does not tell the contact's).
* "Required roles nobody holds" is judged per ``OPEN`` opportunity: one gap per
  (opportunity, role) without an active holder.
* "Accounts with no ICP score": the potential is null because one of its four scores is
  missing; the gap names the missing ones.
* "Contacts never verified nor met": no ``last_verified_at``, no interaction attended,
  and no ``KNOWS.last_contact_at`` — ever, whatever the date (STALE_MAP, §3.9, is the
  recency test).

Gaps are ordered by kind (as listed in :class:`~stakegraph.influence.models.DataGapKind`),
then by the ids they name.
"""

from __future__ import annotations

import networkx as nx

from stakegraph.graph.model import Label, RelType, Stance, node_key
from stakegraph.influence.health import POTENTIAL_FIELDS
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.models import DataGap, DataGapKind
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["data_gaps"]


def _never_verified_nor_met(g: nx.MultiDiGraph, contact_key: str) -> bool:
    if g.nodes[contact_key].get("last_verified_at") is not None:
        return False
    for _, v, k in g.out_edges(contact_key, keys=True):
        if k == RelType.ATTENDED and g.nodes[v].get("at") is not None:
            return False
    for _, _, k, a in g.in_edges(contact_key, keys=True, data=True):
        if k == RelType.KNOWS and a.get("last_contact_at") is not None:
            return False
    return True


def data_gaps(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> list[DataGap]:
    """Every data gap of the account: the records its analysis had to do without.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph.
    settings : AnalysisSettings
        ``required_roles`` and ``kdm_roles`` (§3.3).
    company_id : str, optional
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    list of DataGap
        Ordered by kind, then by the ids they name.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> [(d.kind.value, d.contact_id) for d in data_gaps(tiny_account())]  # doctest: +NORMALIZE_WHITESPACE
    [('NEVER_VERIFIED_NOR_MET', 'c-cfo'), ('NEVER_VERIFIED_NOR_MET', 'c-eng'),
     ('NEVER_VERIFIED_NOR_MET', 'c-ops')]

    References
    ----------
    §3.14
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    nodes = g.nodes
    out: list[DataGap] = []
    for c in ix.contacts:
        if nodes[node_key(Label.CONTACT, c)].get("seniority") is None:
            out.append(DataGap(kind=DataGapKind.NO_SENIORITY, contact_id=c))
    for c in ix.kdms:
        stance = nodes[node_key(Label.CONTACT, c)].get("stance") or Stance.UNKNOWN
        if Stance(stance) == Stance.UNKNOWN:
            out.append(DataGap(kind=DataGapKind.UNKNOWN_KDM_STANCE, contact_id=c))
    for opp in ix.open_opportunities:
        chain = ix.chains[opp]
        for role in settings.required_roles:
            if not chain.get(role):
                out.append(DataGap(kind=DataGapKind.ROLE_UNFILLED, opportunity_id=opp, role=role))
    company = nodes[node_key(Label.COMPANY, ix.company_id)]
    missing = [f for f in POTENTIAL_FIELDS if company.get(f) is None]
    if missing:
        out.append(DataGap(kind=DataGapKind.NO_ICP_SCORE, company_id=ix.company_id, fields=missing))
    for c in ix.contacts:
        if _never_verified_nor_met(g, node_key(Label.CONTACT, c)):
            out.append(DataGap(kind=DataGapKind.NEVER_VERIFIED_NOR_MET, contact_id=c))
    return out
