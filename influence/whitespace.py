"""Branch whitespace and headquarters programmes (总部-分公司; docs/analytics.md §3.13).

The input is a **group graph**: a ``networkx.MultiDiGraph`` following the subgraph
convention, holding the companies of a group joined by ``BRANCH_OF`` (branch →
headquarters, possibly over several levels), every opportunity ``FOR`` each of them
(``status``, ``products``, ``close_date``), and the headquarters' account subgraph
(departments, contacts, reps' ``KNOWS``, interactions) for the coverage of its KDMs —
e.g. ``networkx.compose_all`` of the account subgraphs of the group's companies.

Reading of §3.13 taken here: "within 12 calendar months of each other" counts calendar
months, not days. Two close dates ``a <= b`` are within 12 months when ``b`` is no later
than the same day of the month 12 months after ``a``; when that month is shorter (a
29 February, a 31st), its last day. So 2024-02-29 and 2025-02-28 are within 12 months,
2024-02-29 and 2025-03-01 are not; 2024-01-31 and 2025-01-31 are. The sources tie the
programme to a headquarters policy issued to every branch at once, bought within one
budget year (年度预算), and a budget year runs from a day of a month to the same day a
year later.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import Label, OpportunityStatus, RelType, node_key
from stakegraph.influence.chain import account_opportunities, key_decision_makers
from stakegraph.influence.levels import effective_levels, influenced
from stakegraph.influence.models import BranchWhitespace, KdmCoverage, ProgrammeFlag, WhitespaceItem
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["add_months", "branch_whitespace", "group_companies", "kdm_coverage"]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day.

    Examples
    --------
    >>> add_months(date(2024, 2, 29), 12), add_months(date(2024, 1, 31), 1)
    (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29))

    References
    ----------
    §3.13
    """
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _parents(g: nx.MultiDiGraph, company_id: str) -> list[str]:
    key = node_key(Label.COMPANY, company_id)
    return sorted(
        g.nodes[v]["id"]
        for _, v, k in g.out_edges(key, keys=True)
        if k == RelType.BRANCH_OF and g.nodes[v].get("label") == Label.COMPANY
    )


def _children(g: nx.MultiDiGraph, company_id: str) -> list[str]:
    key = node_key(Label.COMPANY, company_id)
    return sorted(
        g.nodes[u]["id"]
        for u, _, k in g.in_edges(key, keys=True)
        if k == RelType.BRANCH_OF and g.nodes[u].get("label") == Label.COMPANY
    )


def group_companies(
    g: nx.MultiDiGraph, headquarters_id: str | None = None
) -> tuple[str, list[str]]:
    """The headquarters and its branches (direct or through other branches).

    Without ``headquarters_id`` the headquarters is found by following ``BRANCH_OF`` up
    from ``g.graph["company_id"]``, or, without one, is the only company that has
    branches and is itself no branch.

    Returns
    -------
    tuple
        ``(headquarters id, sorted branch ids)``.

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When the headquarters is not in the graph.
    ValueError
        When the headquarters cannot be told.
    """
    hq = headquarters_id
    if hq is None and g.graph.get("company_id"):
        hq, seen = str(g.graph["company_id"]), set()
        while _parents(g, hq) and hq not in seen:
            seen.add(hq)
            hq = _parents(g, hq)[0]
    if hq is None:
        roots = [
            a["id"]
            for _, a in g.nodes(data=True)
            if a.get("label") == Label.COMPANY
            and _children(g, a["id"])
            and not _parents(g, a["id"])
        ]
        if len(roots) != 1:
            raise ValueError(f"cannot tell the headquarters among {sorted(roots)}")
        hq = roots[0]
    if node_key(Label.COMPANY, hq) not in g:
        raise NotFound(str(Label.COMPANY), hq)
    branches: set[str] = set()
    stack = [hq]
    while stack:
        for child in _children(g, stack.pop()):
            if child not in branches and child != hq:
                branches.add(child)
                stack.append(child)
    return hq, sorted(branches)


def kdm_coverage(
    g: nx.MultiDiGraph,
    company_id: str,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    levels: Mapping[str, int] | None = None,
) -> KdmCoverage:
    """How many of a company's KDMs (§3.3) we can influence (§3.2).

    Returns
    -------
    KdmCoverage
        ``ratio`` is null when the company has no KDM.

    References
    ----------
    docs/analytics.md §3.13
    """
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    can = influenced(dict(levels), settings=settings)
    kdms = key_decision_makers(g, settings=settings, company_id=company_id)
    reached = [k for k in kdms if k in can]
    return KdmCoverage(
        company_id=company_id,
        kdm_ids=kdms,
        influenced_kdm_ids=reached,
        ratio=len(reached) / len(kdms) if kdms else None,
    )


def _programme(wins: list[tuple[date, str]], months: int) -> tuple[list[str], date, date] | None:
    """The cluster of wins within ``months`` calendar months with the most distinct branches."""
    best: tuple[int, date, list[str], date] | None = None
    for i, (start, _) in enumerate(wins):
        end = add_months(start, months)
        cluster = [(d, b) for d, b in wins[i:] if d <= end]
        branches = sorted({b for _, b in cluster})
        last = cluster[-1][0]
        if len(branches) >= 2 and (best is None or (len(branches), last) > (best[0], best[1])):
            best = (len(branches), last, branches, start)
    if best is None:
        return None
    return best[2], best[3], best[1]


def branch_whitespace(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    headquarters_id: str | None = None,
) -> BranchWhitespace:
    """Whitespace across a group's branches and likely headquarters programmes.

    When a branch has a WON opportunity for a product, every other branch with no
    opportunity (of any status) for that product is whitespace. When two or more
    branches won the same product within 12 calendar months of each other (close dates;
    see the module docstring for the calendar-month reading; none after ``as_of``), a
    likely headquarters programme is flagged, with the coverage of the headquarters' KDMs.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A group graph (see the module docstring).
    as_of : datetime.date
    settings : AnalysisSettings
        ``programme_window_months`` (12).
    headquarters_id : str, optional
        See :func:`group_companies`.

    Returns
    -------
    BranchWhitespace

    Examples
    --------
    >>> from datetime import date
    >>> from stakegraph.graph.subgraph import build_subgraph
    >>> from stakegraph.graph.model import Company, Opportunity, Relationship
    >>> def rel(t, fl, f, tl, to):
    ...     return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to)
    >>> nodes = [Company(id=c, name=c) for c in ("hq", "b1", "b2", "b3")] + [
    ...     Opportunity(id=f"o{i}", name="x", status="WON", products=["crm"], close_date=d)
    ...     for i, d in ((1, date(2024, 1, 10)), (2, date(2024, 9, 1)))]
    >>> rels = [rel("BRANCH_OF", "Company", b, "Company", "hq") for b in ("b1", "b2", "b3")]
    >>> rels += [rel("FOR", "Opportunity", "o1", "Company", "b1"),
    ...          rel("FOR", "Opportunity", "o2", "Company", "b2")]
    >>> ws = branch_whitespace(build_subgraph("hq", nodes, rels), as_of=date(2024, 12, 31))
    >>> [(i.company_id, i.product) for i in ws.items]
    [('b3', 'crm')]
    >>> [(p.product, p.branch_ids) for p in ws.programmes]
    [('crm', ['b1', 'b2'])]

    References
    ----------
    docs/analytics.md §3.13; KAM practice (a branch bought alone while headquarters ran a
    group-wide programme).
    """
    hq, branches = group_companies(g, headquarters_id)
    products_of: dict[str, set[str]] = {}
    wins: dict[str, list[tuple[date | None, str]]] = {}
    for b in branches:
        products_of[b] = set()
        for o in account_opportunities(g, b):
            attrs = g.nodes[node_key(Label.OPPORTUNITY, o)]
            products = set(attrs.get("products") or [])
            products_of[b] |= products
            if attrs.get("status") == OpportunityStatus.WON:
                for p in products:
                    wins.setdefault(p, []).append((attrs.get("close_date"), b))
    items: list[WhitespaceItem] = []
    programmes: list[ProgrammeFlag] = []
    hq_coverage: KdmCoverage | None = None
    for product in sorted(wins):
        won_by = sorted({b for _, b in wins[product]})
        won_on = {
            b: max((d for d, w in wins[product] if w == b and d), default=None) for b in won_by
        }
        items.extend(
            WhitespaceItem(company_id=b, product=product, won_by=won_by, won_on=won_on)
            for b in branches
            if product not in products_of[b]
        )
        dated = sorted((d, b) for d, b in wins[product] if d is not None and d <= as_of)
        found = _programme(dated, settings.programme_window_months)
        if found is None:
            continue
        if hq_coverage is None:
            hq_coverage = kdm_coverage(g, hq, as_of=as_of, settings=settings)
        ids, first, last = found
        programmes.append(
            ProgrammeFlag(
                product=product,
                branch_ids=ids,
                first_won=first,
                last_won=last,
                headquarters_kdm_coverage=hq_coverage,
            )
        )
    return BranchWhitespace(
        headquarters_id=hq, branch_ids=branches, items=items, programmes=programmes
    )
