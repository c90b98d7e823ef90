"""A per-call index of one account subgraph, so analytics scan the graph once.

Every analytic of ``influence`` reads the same structure of the account — its
departments and their members, its contacts, its opportunities and their ``HAS_ROLE``
holders, its KDMs and key departments (§3.3). :func:`account_index` collects it in one
pass; the analytics take it as their ``index`` keyword argument and build one when it
is not given. An index belongs to one call: it is never stored on the graph nor
anywhere else, so a graph changed after the index was built (a what-if copy, a test)
simply needs a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import (
    ContactStatus,
    DecisionRole,
    Label,
    OpportunityStatus,
    RelType,
    node_key,
)
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["AccountIndex", "account_index"]

Chain = dict[DecisionRole, list[str]]


def _id(key: str) -> str:
    return key.partition(":")[2]


@dataclass(frozen=True)
class AccountIndex:
    """The structure of one account (§3.3), as read from its subgraph.

    Attributes
    ----------
    company_id : str
    departments : list of str
        The account's departments (``PART_OF`` it, directly or nested); sorted.
    membership : dict
        ``{department id: sorted member contact ids}``, nested departments' members
        included, whatever their status.
    contacts_all, contacts : list of str
        The account's contacts (``WORKS_IN`` one of its departments) of any status, and
        the ``ACTIVE`` ones; sorted.
    opportunities, open_opportunities : list of str
        Sorted opportunity ids ``FOR`` the account, all and ``OPEN``.
    chains : dict
        ``{opportunity id: {role: sorted active holder ids}}`` for every opportunity.
    chain : dict
        The account's chain: the union over its OPEN opportunities.
    kdms_all, kdms : list of str
        KDMs of any status and the active ones; sorted.
    key_departments : list of str
    """

    company_id: str
    departments: list[str]
    membership: dict[str, list[str]]
    contacts_all: list[str]
    contacts: list[str]
    opportunities: list[str]
    open_opportunities: list[str]
    chains: dict[str, Chain]
    chain: Chain
    kdms_all: list[str]
    kdms: list[str]
    key_departments: list[str]
    active: frozenset[str] = field(default_factory=frozenset)

    def chain_of(self, opportunity_id: str | None) -> Chain:
        """The chain of one opportunity (any status), or the account's for ``None``.

        Raises
        ------
        stakegraph.graph.errors.NotFound
            When the opportunity is not the account's.
        """
        if opportunity_id is None:
            return self.chain
        if opportunity_id not in self.chains:
            raise NotFound(str(Label.OPPORTUNITY), opportunity_id)
        return self.chains[opportunity_id]

    def departments_of(self, contact_id: str) -> list[str]:
        """Departments (nested ones included) counting the contact as a member."""
        return [d for d in self.departments if contact_id in self.membership[d]]


def _sources(g: nx.MultiDiGraph, key: str, rel: RelType, label: Label) -> list[str]:
    if key not in g:
        return []
    nodes = g.nodes
    return [u for u, _, k in g.in_edges(key, keys=True) if k == rel and nodes[u]["label"] == label]


def _departments(g: nx.MultiDiGraph, company_key: str) -> tuple[list[str], dict[str, list[str]]]:
    """Department ids of the company and ``{department: child department ids}``."""
    found: set[str] = set()
    children: dict[str, list[str]] = {}
    frontier = [company_key]
    while frontier:
        key = frontier.pop()
        subs = _sources(g, key, RelType.PART_OF, Label.DEPARTMENT)
        if key != company_key:
            children[_id(key)] = [_id(s) for s in subs]
        for dept in subs:
            if dept not in found:
                found.add(dept)
                frontier.append(dept)
    return sorted(_id(k) for k in found), children


def _membership(
    departments: list[str], children: dict[str, list[str]], direct: dict[str, set[str]]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in departments:
        members: set[str] = set()
        seen, stack = {d}, [d]
        while stack:
            cur = stack.pop()
            members |= direct.get(cur, set())
            for child in children.get(cur, []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        out[d] = sorted(members)
    return out


def account_index(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> AccountIndex:
    """Index the account of a subgraph (one pass over its structural edges).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``stakegraph.graph.model`` convention).
    settings : AnalysisSettings
        ``kdm_roles`` decide who is a KDM (§3.3).
    company_id : str, optional
        Defaults to ``g.graph["company_id"]``.

    Returns
    -------
    AccountIndex

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> ix = account_index(tiny_account())
    >>> ix.contacts, ix.kdms, ix.key_departments
    (['c-ceo', 'c-cfo', 'c-cio', 'c-eng', 'c-ops'], ['c-ceo', 'c-cfo', 'c-cio'], ['d-exec', 'd-it'])

    References
    ----------
    §3.3
    """
    cid = company_id if company_id is not None else str(g.graph["company_id"])
    company_key = node_key(Label.COMPANY, cid)
    nodes = g.nodes
    departments, children = _departments(g, company_key)
    direct: dict[str, set[str]] = {}
    works_in: dict[str, list[str]] = {}
    for d in departments:
        for c in _sources(g, node_key(Label.DEPARTMENT, d), RelType.WORKS_IN, Label.CONTACT):
            direct.setdefault(d, set()).add(_id(c))
            works_in.setdefault(_id(c), []).append(d)
    membership = _membership(departments, children, direct)
    contacts_all = sorted(works_in)
    active = frozenset(
        c
        for c in contacts_all
        if nodes[node_key(Label.CONTACT, c)].get("status", ContactStatus.ACTIVE)
        == ContactStatus.ACTIVE
    )
    contacts = [c for c in contacts_all if c in active]

    opportunities = sorted(_id(o) for o in _sources(g, company_key, RelType.FOR, Label.OPPORTUNITY))
    open_opps = [
        o
        for o in opportunities
        if nodes[node_key(Label.OPPORTUNITY, o)].get("status") == OpportunityStatus.OPEN
    ]
    kdm_roles = set(settings.kdm_roles)
    chains: dict[str, Chain] = {}
    role_holders: set[str] = set()
    account_chain: dict[DecisionRole, set[str]] = {}
    for opp in opportunities:
        holders: dict[DecisionRole, set[str]] = {}
        is_open = opp in open_opps
        for u, _, k, attrs in g.in_edges(node_key(Label.OPPORTUNITY, opp), keys=True, data=True):
            if k != RelType.HAS_ROLE:
                continue
            contact, role = _id(u), DecisionRole(attrs["role"])
            if is_open and role in kdm_roles:
                role_holders.add(contact)
            if contact not in active:
                continue
            holders.setdefault(role, set()).add(contact)
            if is_open:
                account_chain.setdefault(role, set()).add(contact)
        chains[opp] = {r: sorted(ids) for r, ids in holders.items()}

    kdms_all = [
        c
        for c in contacts_all
        if nodes[node_key(Label.CONTACT, c)].get("is_kdm") or c in role_holders
    ]
    kdms = [c for c in kdms_all if c in active]
    flagged = [d for d in departments if nodes[node_key(Label.DEPARTMENT, d)].get("is_key")]
    if flagged:
        keys = flagged
    else:
        holding = {d for c in kdms for d in works_in.get(c, [])}
        keys = [d for d in departments if d in holding]
    return AccountIndex(
        company_id=cid,
        departments=departments,
        membership=membership,
        contacts_all=contacts_all,
        contacts=contacts,
        opportunities=opportunities,
        open_opportunities=open_opps,
        chains=chains,
        chain={r: sorted(ids) for r, ids in account_chain.items()},
        kdms_all=kdms_all,
        kdms=kdms,
        key_departments=keys,
        active=active,
    )
