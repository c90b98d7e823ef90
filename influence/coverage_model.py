"""Coverage-model findings over a portfolio (客户覆盖模型; docs/analytics.md §3.10).

The input is a **portfolio graph**: a ``networkx.MultiDiGraph`` following the subgraph
convention of :mod:`stakegraph.graph.model` (node keys ``"Label:id"``, edge key = type), holding

* ``Company`` nodes with ``tier`` and ``region`` (a company without a tier is an SMB
  account: "the rest are SMB", KAM practice),
* ``Rep`` nodes (``industry_expert`` is read by :func:`~stakegraph.influence.grade.rep_grades`),
* ``Team`` nodes with ``kind`` and ``region``,
* ``COVERS`` edges Rep/Team → Company with ``kind`` ``OWNER`` or ``SUPPORT``, and
* ``MEMBER_OF`` edges Rep → Team.

Anything else in the graph is ignored, so the union of account subgraphs
(``networkx.compose_all``) or ``build_subgraph(...)`` over those records will do.

Readings of §3.10 taken here:

* **Default owners.** An SMB account with no explicit ``OWNER`` is owned by default by
  every REGIONAL team (``smb_owner_team_kinds``) of its region — as KAM practice has it: the
  regional team's accounts need no assignment; any account of the region not assigned
  to a key-account or government team is the regional team's. An account without a
  region has no such team: it stays UNOWNED, as it does when its region has none.
* **Sides.** CONFLICT counts owning sides, not owners (相互争 is two teams fighting over
  one account): a team and each of its member reps that also owns the account are one
  side (joined transitively); two reps are two sides even in one team, and two REGIONAL
  teams owning an SMB account by default are two sides.
* MISROUTED judges explicit owners only (a default owner is of the right kind by
  construction); OVERLOADED counts explicit rep ownership.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from stakegraph.graph.model import CoverKind, Label, RelType, TeamKind, Tier, node_key
from stakegraph.influence.messages import message
from stakegraph.influence.models import Finding, FindingKind, Message
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "coverage_model_findings",
    "default_owners",
    "owned_accounts",
    "owners",
    "owning_sides",
    "rep_teams",
]

_KIND_ORDER = {k: i for i, k in enumerate(FindingKind)}


def owners(portfolio: nx.MultiDiGraph, company_id: str) -> list[str]:
    """Node keys of the reps and teams that ``COVERS`` the company as ``OWNER``; sorted.

    ``SUPPORT`` coverage (solution teams, double credit) is not ownership.

    Examples
    --------
    >>> from stakegraph.graph.subgraph import build_subgraph
    >>> from stakegraph.graph.model import Company, Rep, Relationship
    >>> p = build_subgraph("", [Company(id="c", name="C"), Rep(id="r", name="R")],
    ...     [Relationship(type="COVERS", from_label="Rep", from_id="r", to_label="Company",
    ...                   to_id="c", properties={"kind": "SUPPORT"})])
    >>> owners(p, "c")
    []
    """
    key = node_key(Label.COMPANY, company_id)
    return sorted(
        u
        for u, _, k, a in portfolio.in_edges(key, keys=True, data=True)
        if k == RelType.COVERS and a.get("kind", CoverKind.OWNER) == CoverKind.OWNER
    )


def owned_accounts(portfolio: nx.MultiDiGraph, rep_id: str) -> list[str]:
    """Ids of the companies the rep ``COVERS`` as ``OWNER``; sorted."""
    key = node_key(Label.REP, rep_id)
    if key not in portfolio:
        return []
    return sorted(
        portfolio.nodes[v]["id"]
        for _, v, k, a in portfolio.out_edges(key, keys=True, data=True)
        if k == RelType.COVERS
        and a.get("kind", CoverKind.OWNER) == CoverKind.OWNER
        and portfolio.nodes[v].get("label") == Label.COMPANY
    )


def rep_teams(portfolio: nx.MultiDiGraph, rep_id: str) -> list[str]:
    """Node keys of the teams the rep is ``MEMBER_OF``; sorted."""
    key = node_key(Label.REP, rep_id)
    if key not in portfolio:
        return []
    return sorted(v for _, v, k in portfolio.out_edges(key, keys=True) if k == RelType.MEMBER_OF)


def default_owners(
    portfolio: nx.MultiDiGraph,
    company_id: str,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> list[str]:
    """Node keys of the teams owning an SMB account by default; sorted.

    Only an SMB account without an explicit owner has default owners: the REGIONAL
    teams of its region (none when it has no region).

    Examples
    --------
    >>> from stakegraph.graph.subgraph import build_subgraph
    >>> from stakegraph.graph.model import Company, Team
    >>> p = build_subgraph("", [Company(id="shop", name="Shop", tier="SMB", region="east"),
    ...     Team(id="east", name="East", kind="REGIONAL", region="east"),
    ...     Team(id="west", name="West", kind="REGIONAL", region="west")], [])
    >>> default_owners(p, "shop")
    ['Team:east']

    References
    ----------
    §3.10; KAM practice (地区销售团队: 该组织的客户不用指定).
    """
    company = portfolio.nodes[node_key(Label.COMPANY, company_id)]
    region = company.get("region")
    if _tier(company) != Tier.SMB or region is None or owners(portfolio, company_id):
        return []
    kinds = {TeamKind(k) for k in settings.smb_owner_team_kinds}
    return sorted(
        key
        for key, a in portfolio.nodes(data=True)
        if a.get("label") == Label.TEAM and a.get("kind") in kinds and a.get("region") == region
    )


def owning_sides(portfolio: nx.MultiDiGraph, owner_keys: list[str]) -> list[list[str]]:
    """Group owners into sides: a team and its member reps among the owners are one side.

    Examples
    --------
    >>> from stakegraph.graph.subgraph import build_subgraph
    >>> from stakegraph.graph.model import Rep, Team, Relationship
    >>> p = build_subgraph("", [Rep(id="amy", name="Amy"), Rep(id="bo", name="Bo"),
    ...     Team(id="east", name="East", kind="REGIONAL")],
    ...     [Relationship(type="MEMBER_OF", from_label="Rep", from_id="amy", to_label="Team",
    ...                   to_id="east")])
    >>> owning_sides(p, ["Rep:amy", "Rep:bo", "Team:east"])
    [['Rep:amy', 'Team:east'], ['Rep:bo']]

    References
    ----------
    §3.10
    """
    side = {o: o for o in owner_keys}

    def root(o: str) -> str:
        while side[o] != o:
            o = side[o]
        return o

    for o in owner_keys:
        if portfolio.nodes[o].get("label") != Label.REP:
            continue
        for team in rep_teams(portfolio, portfolio.nodes[o]["id"]):
            if team in side:
                side[root(o)] = root(team)
    groups: dict[str, list[str]] = {}
    for o in owner_keys:
        groups.setdefault(root(o), []).append(o)
    return sorted(sorted(g) for g in groups.values())


def _tier(attrs: dict[str, Any]) -> Tier:
    return Tier(attrs["tier"]) if attrs.get("tier") is not None else Tier.SMB


def _routing_problem(
    portfolio: nx.MultiDiGraph, owner: str, company: dict[str, Any], settings: AnalysisSettings
) -> tuple[Message, str] | None:
    """Why ``owner`` may not own the company, or ``None`` when it may."""
    attrs = portfolio.nodes[owner]
    tier = _tier(company)
    teams = [owner] if attrs["label"] == Label.TEAM else rep_teams(portfolio, attrs["id"])
    if tier in (Tier.STRATEGIC, Tier.KEY):
        kinds = {TeamKind(k) for k in settings.major_owner_team_kinds}
        wanted = "/".join(sorted(kinds))
        if attrs["label"] == Label.TEAM:
            return message("TEAM_OWNS_MAJOR", tier=tier.value, owner=owner)
        if not any(portfolio.nodes[t].get("kind") in kinds for t in teams):
            return message("OWNER_NOT_IN_TEAM", owner=owner, kinds=wanted)
        return None
    kinds = {TeamKind(k) for k in settings.smb_owner_team_kinds}
    region = company.get("region")
    for t in teams:
        team = portfolio.nodes[t]
        if team.get("kind") in kinds and (region is None or team.get("region") == region):
            return None
    wanted = "/".join(sorted(kinds))
    return message("OWNER_WRONG_REGION", owner=owner, kinds=wanted, region=region)


def coverage_model_findings(
    portfolio: nx.MultiDiGraph, *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """Findings of the coverage model over a portfolio graph.

    STRATEGIC and KEY accounts must have exactly one ``OWNER`` rep belonging to a
    STRATEGIC, KEY_ACCOUNT or GOVERNMENT team; SMB accounts are owned by a REGIONAL team,
    or a rep of one, of the account's region (any region when the account has none), and
    an SMB account without an explicit owner is owned by default by the REGIONAL teams of
    its region (:func:`default_owners`).

    * ``UNOWNED``: no owner, explicit or by default; ``CONFLICT``: more than one owning
      side (相互争; :func:`owning_sides`: a team and its member rep are one side);
    * ``MISROUTED``: an owner of the wrong kind (one finding per such owner; a team owning
      a STRATEGIC/KEY account is misrouted — it needs a named rep);
    * ``OVERLOADED``: a rep owning more than 10 KEY or more than 1 STRATEGIC accounts.

    ``SUPPORT`` coverage is never a conflict.

    Parameters
    ----------
    portfolio : networkx.MultiDiGraph
        See the module docstring.
    settings : AnalysisSettings
        ``major_owner_team_kinds``, ``smb_owner_team_kinds``,
        ``max_key_accounts_per_rep`` (10), ``max_strategic_accounts_per_rep`` (1).

    Returns
    -------
    list of Finding
        Ordered UNOWNED, CONFLICT, MISROUTED, OVERLOADED, then by company or rep id.

    Examples
    --------
    >>> from stakegraph.graph.subgraph import build_subgraph
    >>> from stakegraph.graph.model import Company, Rep, Team, Relationship
    >>> def rel(t, fl, f, tl, to, **p):
    ...     return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to,
    ...                         properties=p)
    >>> p = build_subgraph("", [
    ...     Company(id="big", name="Big", tier="KEY"), Company(id="shop", name="Shop"),
    ...     Rep(id="amy", name="Amy"), Team(id="ka", name="KA", kind="KEY_ACCOUNT"),
    ...     Team(id="sol", name="Solutions", kind="SOLUTION")],
    ...     [rel("MEMBER_OF", "Rep", "amy", "Team", "ka"),
    ...      rel("COVERS", "Rep", "amy", "Company", "big"),
    ...      rel("COVERS", "Team", "sol", "Company", "big", kind="SUPPORT")])
    >>> [(f.kind.value, f.company_id) for f in coverage_model_findings(p)]
    [('UNOWNED', 'shop')]

    References
    ----------
    docs/analytics.md §3.10; KAM practice (CCM: 没人管, 相互争, 2–10 accounts per rep).
    """
    findings: list[Finding] = []
    rep_counts: dict[str, Counter[Tier]] = {}
    for key in sorted(portfolio.nodes):
        company = portfolio.nodes[key]
        if company.get("label") != Label.COMPANY:
            continue
        cid = company["id"]
        explicit = owners(portfolio, cid)
        for o in explicit:
            if portfolio.nodes[o]["label"] == Label.REP:
                rep_counts.setdefault(portfolio.nodes[o]["id"], Counter())[_tier(company)] += 1
        owner_keys = explicit or default_owners(portfolio, cid, settings=settings)
        if not owner_keys:
            msg, detail = message("ACCOUNT_UNOWNED", tier=_tier(company).value, company=cid)
            findings.append(
                Finding(
                    kind=FindingKind.UNOWNED,
                    company_id=cid,
                    detail=detail,
                    code=msg.code,
                    params=msg.params,
                )
            )
            continue
        sides = owning_sides(portfolio, owner_keys)
        if len(sides) > 1:
            msg, detail = message(
                "OWNING_SIDES" if explicit else "OWNING_SIDES_BY_DEFAULT",
                count=len(sides),
                sides="; ".join(" + ".join(side) for side in sides),
            )
            findings.append(
                Finding(
                    kind=FindingKind.CONFLICT,
                    company_id=cid,
                    detail=detail,
                    code=msg.code,
                    params=msg.params,
                    owner_keys=owner_keys,
                    sides=sides,
                )
            )
        for o in explicit:
            problem = _routing_problem(portfolio, o, company, settings)
            if problem is not None:
                msg, detail = problem
                findings.append(
                    Finding(
                        kind=FindingKind.MISROUTED,
                        company_id=cid,
                        detail=detail,
                        code=msg.code,
                        params=msg.params,
                        owner_keys=[o],
                    )
                )
    for rep_id, counts in sorted(rep_counts.items()):
        key_n, strategic_n = counts[Tier.KEY], counts[Tier.STRATEGIC]
        if (
            key_n > settings.max_key_accounts_per_rep
            or strategic_n > settings.max_strategic_accounts_per_rep
        ):
            msg, detail = message(
                "REP_OVERLOADED",
                key=key_n,
                key_max=settings.max_key_accounts_per_rep,
                strategic=strategic_n,
                strategic_max=settings.max_strategic_accounts_per_rep,
            )
            findings.append(
                Finding(
                    kind=FindingKind.OVERLOADED,
                    rep_id=rep_id,
                    detail=detail,
                    code=msg.code,
                    params=msg.params,
                    owner_keys=[node_key(Label.REP, rep_id)],
                )
            )
    findings.sort(key=lambda f: (_KIND_ORDER[f.kind], f.company_id or "", f.rep_id or ""))
    return findings
