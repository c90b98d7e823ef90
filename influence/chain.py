"""The account's structure and decision chain (决策链, docs/analytics.md §3.3).

Reading of §3.3 taken here: membership is structural, as in the store's selection (``graph/selection.py``): the
account's departments are those ``PART_OF`` its company directly or through other
departments; its contacts are those ``WORKS_IN`` one of them (contacts of other
accounts, ``foreign=True`` in a subgraph, never are); its opportunities are those
``FOR`` it. A department's members are the contacts working in it or in any
department nested in it. The functions here read :func:`~stakegraph.influence.index.account_index`;
an analysis that needs several of them builds the index once and reads it directly.
A KDM is flagged ``is_kdm`` or holds a power role in an OPEN opportunity, and must be
ACTIVE; when the account flags no key department, every department holding a KDM
(directly or in a nested department) is key.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from stakegraph.graph.model import ContactStatus, DecisionRole, Label, RelType, node_key
from stakegraph.influence.index import account_index
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "account_contacts",
    "account_departments",
    "account_id",
    "account_opportunities",
    "chain_contacts",
    "decision_chain",
    "department_membership",
    "is_active",
    "key_decision_makers",
    "key_departments",
    "open_opportunities",
]


def account_id(g: nx.MultiDiGraph, company_id: str | None = None) -> str:
    """The account analysed: ``company_id`` if given, else ``g.graph["company_id"]``."""
    return company_id if company_id is not None else str(g.graph["company_id"])


def _id(key: str) -> str:
    return key.partition(":")[2]


def is_active(g: nx.MultiDiGraph, contact_id: str) -> bool:
    """Whether the contact exists and its status is ``ACTIVE`` (§3: only they take part)."""
    key = node_key(Label.CONTACT, contact_id)
    return key in g and g.nodes[key].get("status", ContactStatus.ACTIVE) == ContactStatus.ACTIVE


def account_departments(g: nx.MultiDiGraph, company_id: str | None = None) -> list[str]:
    """Ids of the departments ``PART_OF`` the company, directly or nested; sorted.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> account_departments(tiny_account())
    ['d-exec', 'd-fin', 'd-it', 'd-ops']
    """
    return account_index(g, company_id=company_id).departments


def department_membership(
    g: nx.MultiDiGraph, company_id: str | None = None
) -> dict[str, list[str]]:
    """``{department id: ids of its member contacts}``, members of nested departments included.

    Members are listed whatever their status; callers keep the active ones.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> department_membership(tiny_account())["d-it"]  # d-ops is PART_OF d-it
    ['c-cio', 'c-eng', 'c-ops']
    """
    return account_index(g, company_id=company_id).membership


def account_contacts(
    g: nx.MultiDiGraph, company_id: str | None = None, *, active_only: bool = True
) -> list[str]:
    """Ids of the contacts working in one of the account's departments; sorted.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> account_contacts(tiny_account())  # c-old has LEFT; c-partner is foreign
    ['c-ceo', 'c-cfo', 'c-cio', 'c-eng', 'c-ops']
    """
    ix = account_index(g, company_id=company_id)
    return ix.contacts if active_only else ix.contacts_all


def account_opportunities(
    g: nx.MultiDiGraph, company_id: str | None = None, *, open_only: bool = False
) -> list[str]:
    """Ids of the opportunities ``FOR`` the company (only ``OPEN`` ones if asked); sorted."""
    ix = account_index(g, company_id=company_id)
    return ix.open_opportunities if open_only else ix.opportunities


def open_opportunities(g: nx.MultiDiGraph, company_id: str | None = None) -> list[str]:
    """Ids of the account's ``OPEN`` opportunities; sorted.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> open_opportunities(tiny_account())
    ['o-crm']
    """
    return account_opportunities(g, company_id, open_only=True)


def decision_chain(
    g: nx.MultiDiGraph,
    *,
    opportunity_id: str | None = None,
    company_id: str | None = None,
) -> dict[DecisionRole, list[str]]:
    """Active holders of each role: of one opportunity, or of the account's open ones.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``stakegraph.graph.model`` convention).
    opportunity_id : str, optional
        The opportunity whose chain is wanted (any status). ``None``: the account's
        chain, the union over its ``OPEN`` opportunities.
    company_id : str, optional
        The account; defaults to ``g.graph["company_id"]``.

    Returns
    -------
    dict
        ``{role: sorted holder ids}`` for every role held by an active account contact.

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> chain = decision_chain(tiny_account())
    >>> chain[DecisionRole.ECONOMIC_BUYER], chain[DecisionRole.USER]
    (['c-ceo'], ['c-eng'])

    References
    ----------
    docs/analytics.md §3.3
    """
    return account_index(g, company_id=company_id).chain_of(opportunity_id)


def chain_contacts(chain: dict[DecisionRole, list[str]]) -> list[str]:
    """Every contact of a decision chain, once; sorted."""
    return sorted({c for ids in chain.values() for c in ids})


def key_decision_makers(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    active_only: bool = True,
) -> list[str]:
    """KDMs: contacts with ``is_kdm``, or holding a KDM role in an ``OPEN`` opportunity.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    settings : AnalysisSettings
        ``kdm_roles`` (ECONOMIC_BUYER, TECHNICAL_EVALUATOR, FINANCIAL_CONTROLLER).
    company_id : str, optional
    active_only : bool
        Only ``ACTIVE`` contacts (default). The health signals (§3.9) speak of KDMs who
        left, so they ask for every status.

    Returns
    -------
    list of str
        Sorted contact ids.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> key_decision_makers(tiny_account())
    ['c-ceo', 'c-cfo', 'c-cio']

    References
    ----------
    docs/analytics.md §3.3
    """
    ix = account_index(g, settings=settings, company_id=company_id)
    return ix.kdms if active_only else ix.kdms_all


def key_departments(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    kdms: Iterable[str] | None = None,
) -> list[str]:
    """Key departments: those flagged ``is_key``; if none is, those a KDM works in.

    In the fallback a department holds a KDM when the KDM ``WORKS_IN`` it directly (its
    parent departments are not thereby key).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    settings : AnalysisSettings
    company_id : str, optional
    kdms : iterable of str, optional
        The KDMs to use in the fallback instead of :func:`key_decision_makers`.

    Returns
    -------
    list of str
        Sorted department ids.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> key_departments(tiny_account())
    ['d-exec', 'd-it']

    References
    ----------
    docs/analytics.md §3.3
    """
    ix = account_index(g, settings=settings, company_id=company_id)
    if kdms is None:
        return ix.key_departments
    if any(g.nodes[node_key(Label.DEPARTMENT, d)].get("is_key") for d in ix.departments):
        return ix.key_departments
    holding: set[str] = set()
    for c in kdms:
        for _, dept, key in g.out_edges(node_key(Label.CONTACT, c), keys=True):
            if key == RelType.WORKS_IN:
                holding.add(_id(dept))
    return [d for d in ix.departments if d in holding]
