"""Use cases over many accounts: selection, coverage holes, coverage-model findings
(§3.10), branch whitespace (§3.13) and rep grades (§3.8) — each within what the caller
may see.

The coverage model is judged on the whole store's portfolio graph (companies, reps,
teams, ``COVERS``, ``MEMBER_OF``: :func:`portfolio_graph`), since a rep's load or a
conflict depends on accounts outside any one caller's view; what is shown of it is
then cut to the caller's visible accounts and reps.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import networkx as nx

from stakegraph.graph.model import CoverKind, Label, Node, RelType, node_key
from stakegraph.graph.store import Page
from stakegraph.graph.subgraph import build_subgraph
from stakegraph.influence.coverage_model import coverage_model_findings, owned_accounts
from stakegraph.influence.grade import rep_grades
from stakegraph.influence.models import (
    AccountAnalysis,
    BranchWhitespace,
    Coverage,
    Finding,
    FindingKind,
    HealthStatus,
    Hole,
    HoleKind,
    KdmCoverage,
    RelationshipGradeLevel,
    RepGrade,
)
from stakegraph.influence.whitespace import branch_whitespace, group_companies
from stakegraph.reports.model import RepGradeReport, rep_grade_report
from stakegraph.service.errors import BadInput, NotFound
from stakegraph.service.scope import AccountView, Scope
from stakegraph.viz.facts import (
    GroupWhitespaceView,
    ProgrammeView,
    WhitespaceBuyer,
    WhitespaceRowView,
)

__all__ = [
    "AccountHole",
    "AccountOrder",
    "AccountSelection",
    "AccountSort",
    "GroupWhitespace",
    "VisibleProgramme",
    "account_page",
    "all_company_ids",
    "branch_groups",
    "coverage_holes",
    "findings",
    "map_whitespace",
    "portfolio_graph",
    "rep_grade",
    "rep_grades_of",
    "select_accounts",
    "whitespace",
]

_SCAN_PAGE = 1000


class AccountOrder(StrEnum):
    ID = "ID"
    NAME = "NAME"
    TIER = "TIER"
    GRADE_SCORE = "GRADE_SCORE"
    POTENTIAL_SCORE = "POTENTIAL_SCORE"


@dataclass(frozen=True)
class AccountSort:
    field: AccountOrder = AccountOrder.ID
    descending: bool = False


@dataclass(frozen=True)
class AccountSelection:
    """Which accounts a caller asks for (every filter optional; all must hold)."""

    tier: tuple[str, ...] | None = None
    industry: tuple[str, ...] | None = None
    region: tuple[str, ...] | None = None
    owner_rep_id: str | None = None
    team_id: str | None = None
    grade: tuple[RelationshipGradeLevel, ...] | None = None
    health_status: tuple[HealthStatus, ...] | None = None
    name_contains: str | None = None
    ids: tuple[str, ...] | None = None

    def where(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for prop, values in (
            ("tier", self.tier),
            ("industry", self.industry),
            ("region", self.region),
        ):
            if values is not None:
                out[prop] = [str(v) for v in values]
        return out

    @property
    def needs_analysis(self) -> bool:
        return self.grade is not None or self.health_status is not None


def _needs_analysis(sel: AccountSelection, sort: AccountSort | None) -> bool:
    analytic_sort = sort is not None and sort.field in (
        AccountOrder.GRADE_SCORE,
        AccountOrder.POTENTIAL_SCORE,
    )
    return sel.needs_analysis or analytic_sort


def _in_store_order(sort: AccountSort | None) -> bool:
    return sort is None or (sort.field == AccountOrder.ID and not sort.descending)


def _candidate_ids(scope: Scope, sel: AccountSelection) -> list[str] | None:
    """Ids allowed by visibility and the coverage filters (``None``: no restriction)."""
    visible = scope.visible_account_ids()
    allowed: set[str] | None = None if visible is None else set(visible)

    def narrow(ids: Sequence[str]) -> None:
        nonlocal allowed
        allowed = set(ids) if allowed is None else allowed & set(ids)

    if sel.owner_rep_id is not None:
        narrow(scope.store.covered_company_ids(rep_id=sel.owner_rep_id, kinds=(CoverKind.OWNER,)))
    if sel.team_id is not None:
        narrow(scope.store.covered_company_ids(team_id=sel.team_id))
    if sel.ids is not None:
        narrow(sel.ids)
    return None if allowed is None else sorted(allowed)


def account_page(
    scope: Scope, sel: AccountSelection, *, first: int, after: str | None
) -> Page[Node] | None:
    """A keyset page of visible accounts in id order straight from the store, when the
    selection needs no analysis (``None`` otherwise: use :func:`select_accounts`)."""
    if sel.needs_analysis:
        return None
    ids = _candidate_ids(scope, sel)
    if ids is not None and not ids:
        return Page(items=[], total_count=0, end_cursor=None, has_next_page=False)
    try:
        return scope.store.list_nodes(
            Label.COMPANY,
            where=sel.where(),
            name_contains=sel.name_contains,
            ids=ids,
            first=first,
            after=after,
        )
    except ValueError as exc:
        raise BadInput(str(exc), field="after") from exc


def _scan(scope: Scope, label: Label, **kwargs: object) -> list[Node]:
    out: list[Node] = []
    after = None
    while True:
        page = scope.store.list_nodes(label, first=_SCAN_PAGE, after=after, **kwargs)  # type: ignore[arg-type]
        out.extend(page.items)
        if not page.has_next_page:
            return out
        after = page.end_cursor


def all_company_ids(scope: Scope) -> list[str]:
    """Every visible company id, in id order."""
    visible = scope.visible_account_ids()
    if visible is not None:
        return sorted(visible)
    return [n.id for n in _scan(scope, Label.COMPANY)]


def select_accounts(
    scope: Scope,
    sel: AccountSelection,
    sort: AccountSort | None = None,
    as_of: date | None = None,
) -> list[Node]:
    """Every visible company matching the selection, in the requested order."""
    ids = _candidate_ids(scope, sel)
    if ids is not None and not ids:
        return []
    nodes = _scan(scope, Label.COMPANY, where=sel.where(), name_contains=sel.name_contains, ids=ids)
    analyses: dict[str, AccountAnalysis] = {}
    if _needs_analysis(sel, sort):
        analyses = {c: a for c, _, a in scope.stream_analyses([n.id for n in nodes], as_of)}
        if sel.grade is not None:
            nodes = [n for n in nodes if analyses[n.id].grade.grade in sel.grade]
        if sel.health_status is not None:
            nodes = [n for n in nodes if analyses[n.id].health.status in sel.health_status]
    return _sorted(nodes, sort, analyses)


_TIER_RANK = {"STRATEGIC": 0, "KEY": 1, "SMB": 2}


def _sorted(
    nodes: list[Node], sort: AccountSort | None, analyses: dict[str, AccountAnalysis]
) -> list[Node]:
    if _in_store_order(sort) or sort is None:
        return nodes

    def key(n: Node) -> tuple[object, ...]:
        attrs = n.model_dump()
        match sort.field:
            case AccountOrder.NAME:
                return (str(attrs.get("name")).casefold(), n.id)
            case AccountOrder.TIER:
                return (_TIER_RANK.get(str(attrs.get("tier")), 3), n.id)
            case AccountOrder.GRADE_SCORE:
                return (analyses[n.id].grade.score, n.id)
            case AccountOrder.POTENTIAL_SCORE:
                score = analyses[n.id].potential.score
                return (score is not None, score or 0.0, n.id)
        return (n.id,)

    return sorted(nodes, key=key, reverse=sort.descending)


# --------------------------------------------------------------------- coverage holes


@dataclass(frozen=True)
class AccountHole:
    """A coverage hole (§3.5) of one account, with what is needed to show it."""

    account: Node
    view: AccountView
    coverage: Coverage
    hole: Hole


def coverage_holes(
    scope: Scope,
    sel: AccountSelection,
    *,
    kinds: Sequence[HoleKind] | None = None,
    roles: Sequence[str] | None = None,
    first: int = 100,
    as_of: date | None = None,
) -> list[AccountHole]:
    """The holes of every selected visible account, in account order, at most ``first``."""
    nodes = select_accounts(scope, sel, None, as_of)
    by_id = {n.id: n for n in nodes}
    out: list[AccountHole] = []
    for cid, view, analysis in scope.stream_analyses(list(by_id), as_of, keep_views=True):
        assert view is not None
        for h in analysis.coverage.holes:
            if kinds is not None and h.kind not in kinds:
                continue
            if roles is not None and h.role not in roles:
                continue
            out.append(AccountHole(by_id[cid], view, analysis.coverage, h))
            if len(out) >= first:
                return out
    return out


# ---------------------------------------------------------------- coverage model


def portfolio_graph(scope: Scope) -> nx.MultiDiGraph:
    """Companies, reps, teams, ``COVERS`` and ``MEMBER_OF`` of the whole store: the
    input of the coverage model (§3.10) and of rep grades (§3.8)."""
    return scope._memo.get(("portfolio-graph",), lambda: _portfolio_graph(scope))


def _portfolio_graph(scope: Scope) -> nx.MultiDiGraph:
    nodes: list[Node] = []
    for label in (Label.COMPANY, Label.REP, Label.TEAM):
        nodes += _scan(scope, label)
    rels = scope.store.relationships(RelType.COVERS)
    rels += scope.store.relationships(RelType.MEMBER_OF)
    return build_subgraph("", nodes, rels)


def findings(
    scope: Scope,
    *,
    kinds: Sequence[FindingKind] | None = None,
    account_id: str | None = None,
    rep_id: str | None = None,
    company_ids: Sequence[str] | None = None,
) -> list[Finding]:
    """Coverage-model findings about the accounts and reps the caller may see
    (optionally only those of ``company_ids``)."""
    g = portfolio_graph(scope)
    wanted = None if company_ids is None else set(company_ids)
    out = []
    for x in coverage_model_findings(g, settings=scope.analysis_settings):
        if kinds is not None and x.kind not in kinds:
            continue
        if account_id is not None and x.company_id != account_id:
            continue
        if rep_id is not None and x.rep_id != rep_id:
            continue
        if x.company_id is not None:
            if not scope.sees(x.company_id):
                continue
            if wanted is not None and x.company_id not in wanted:
                continue
        elif x.rep_id is not None and not scope.sees_rep(x.rep_id):
            continue
        out.append(x)
    return out


def rep_grades_of(
    scope: Scope,
    analyses: dict[str, AccountAnalysis],
    rep_ids: Sequence[str] | None = None,
) -> list[RepGrade]:
    """Grades (§3.8) of every rep the caller sees in full (or of ``rep_ids``), NOVICE
    for a rep who owns nothing; accounts missing from ``analyses`` are analysed."""
    g = portfolio_graph(scope)
    wanted = set(rep_ids) if rep_ids is not None else None
    reps = [
        a["id"]
        for _, a in g.nodes(data=True)
        if a.get("label") == Label.REP and (wanted is None or a["id"] in wanted)
    ]
    reps = [r for r in reps if scope.sees_rep(r)]
    owned = sorted({c for r in reps for c in owned_accounts(g, r)} - set(analyses))
    grades = dict(analyses)
    day = _as_of_of(scope, analyses)
    grades |= {c: a for c, _, a in scope.stream_analyses(owned, day, visible_only=False)}
    keep = set(reps)
    return [r for r in rep_grades(g, grades, settings=scope.analysis_settings) if r.rep_id in keep]


def _as_of_of(scope: Scope, analyses: dict[str, AccountAnalysis]) -> date:
    for a in analyses.values():
        return a.as_of
    return scope.today


def rep_grade(scope: Scope, rep_id: str, as_of: date | None = None) -> RepGradeReport:
    """A rep's grade (§3.8) with the accounts it owns (counted or not) that the caller
    may see; the grade itself counts every owned account.

    Raises
    ------
    NotFound
        When the rep does not exist or the caller may not see it in full.
    """
    rep, _ = scope.record(Label.REP, rep_id, field="rep")
    day = scope.as_of(as_of)
    g = portfolio_graph(scope)
    owned = owned_accounts(g, rep_id)
    analyses = {c: a for c, _, a in scope.stream_analyses(owned, day, visible_only=False)}
    if node_key(Label.REP, rep_id) not in g:
        g = g.copy()
        g.add_node(node_key(Label.REP, rep_id), label=str(Label.REP), **rep.model_dump())
    grade = next(
        r for r in rep_grades(g, analyses, settings=scope.analysis_settings) if r.rep_id == rep_id
    )
    name = str(rep.model_dump().get("name") or rep_id)
    shown = {c: a for c, a in analyses.items() if scope.sees(c)}
    return rep_grade_report(rep_id, name, as_of=day, grade=grade, analyses=shown, portfolio=g)


# ----------------------------------------------------------------------- whitespace


def branch_groups(scope: Scope) -> dict[str, list[str]]:
    """Headquarters id → every company below it (``BRANCH_OF``, any depth)."""
    rels = [
        r for r in scope.store.relationships(RelType.BRANCH_OF) if r.from_label == Label.COMPANY
    ]
    g = build_subgraph("", [], [])
    for r in rels:
        for cid in (r.from_id, r.to_id):
            g.add_node(node_key(Label.COMPANY, cid), label=str(Label.COMPANY), id=cid)
        g.add_edge(
            node_key(Label.COMPANY, r.from_id),
            node_key(Label.COMPANY, r.to_id),
            key=str(RelType.BRANCH_OF),
        )
    heads = {r.to_id for r in rels} - {r.from_id for r in rels}
    return {hq: group_companies(g, hq)[1] for hq in sorted(heads)}


@dataclass(frozen=True)
class VisibleProgramme:
    """A likely headquarters programme as one caller may see it: the win dates only
    with every branch visible, the headquarters' KDM coverage only with it visible."""

    product: str
    branch_ids: list[str]
    first_won: date | None
    last_won: date | None
    headquarters_kdm_coverage: KdmCoverage | None


@dataclass(frozen=True)
class GroupWhitespace:
    headquarters_id: str
    branch_ids: list[str]
    items: list[tuple[str, str, list[str]]]  # (company id, product, won by)
    programmes: list[VisibleProgramme]
    result: BranchWhitespace


def whitespace(
    scope: Scope, headquarters_id: str | None = None, as_of: date | None = None
) -> list[GroupWhitespace]:
    """§3.13 whitespace of every group with a visible member (or of one group).

    Raises
    ------
    BadInput
        When ``headquarters_id`` heads no group.
    """
    groups = branch_groups(scope)
    if headquarters_id is not None:
        if headquarters_id not in groups:
            raise BadInput(
                f"{headquarters_id!r} is no headquarters of a group", field="headquartersId"
            )
        groups = {headquarters_id: groups[headquarters_id]}
    out = []
    for hq, members in groups.items():
        group = [hq, *members]
        if not any(scope.sees(c) for c in group):
            continue
        graphs = scope.store.account_subgraphs(
            group, path_depth=scope.analysis_settings.max_path_edges
        )
        if hq not in graphs:
            continue
        g = nx.compose_all(list(graphs.values()))
        g.graph["company_id"] = hq
        ws = branch_whitespace(
            g, as_of=scope.as_of(as_of), settings=scope.analysis_settings, headquarters_id=hq
        )
        out.append(_visible(scope, ws))
    return out


def _visible(scope: Scope, ws: BranchWhitespace) -> GroupWhitespace:
    hq_visible = scope.sees(ws.headquarters_id)
    programmes = []
    for p in ws.programmes:
        all_visible = all(scope.sees(b) for b in p.branch_ids)
        # §3.13 flags the programme for the headquarters' owner, who sees that it
        # exists and its product; the branches' win dates only with every branch
        if not (hq_visible or all_visible):
            continue
        programmes.append(
            VisibleProgramme(
                product=p.product,
                branch_ids=[b for b in p.branch_ids if scope.sees(b)],
                first_won=p.first_won if all_visible else None,
                last_won=p.last_won if all_visible else None,
                headquarters_kdm_coverage=p.headquarters_kdm_coverage if hq_visible else None,
            )
        )
    return GroupWhitespace(
        headquarters_id=ws.headquarters_id,
        branch_ids=[b for b in ws.branch_ids if scope.sees(b)],
        items=[
            (i.company_id, i.product, [w for w in i.won_by if scope.sees(w)])
            for i in ws.items
            if scope.sees(i.company_id)
        ],
        programmes=programmes,
        result=ws,
    )


def iter_views(
    scope: Scope, company_ids: Sequence[str], *, batch_size: int = 200
) -> Iterator[tuple[str, AccountView]]:
    """``(id, view)`` of visible accounts, fetched ``batch_size`` at a time."""
    ids = [c for c in company_ids if scope.sees(c)]
    for start in range(0, len(ids), batch_size):
        found = scope.views(ids[start : start + batch_size])
        for c in ids[start : start + batch_size]:
            if c in found:
                yield c, found[c]


def require_rep(scope: Scope, rep_id: str, *, field: str = "rep") -> Node:
    """A rep the caller sees in full (NotFound otherwise)."""
    return scope.record(Label.REP, rep_id, field=field)[0]


def require_team(scope: Scope, team_id: str, *, field: str = "team") -> Node:
    """A team the caller may see (NotFound otherwise)."""
    try:
        return scope.record(Label.TEAM, team_id, field=field)[0]
    except NotFound:
        raise NotFound.of(Label.TEAM, team_id, field=field) from None


def map_whitespace(
    scope: Scope, account_id: str, as_of: date | None = None
) -> GroupWhitespaceView | None:
    """§3.13 whitespace for the map of a headquarters or a branch (``None``: the account
    is in no group): on a branch's map the products it has not bought, on the
    headquarters' map every branch's, each with the branches that bought it and when,
    and the likely headquarters programmes. Only what :func:`whitespace` shows the
    caller: a branch the caller may not see is neither named nor dated.

    Raises
    ------
    NotFound
        When the account does not exist or is not visible.
    """
    scope.view(account_id, field="account")
    groups = branch_groups(scope)
    hq = next((h for h, members in groups.items() if account_id in (h, *members)), None)
    if hq is None:
        return None
    found = whitespace(scope, hq, as_of=as_of)
    if not found:
        return None
    (group,) = found
    won_on = {(i.company_id, i.product): i.won_on for i in group.result.items}
    ids = [hq, *group.branch_ids]
    visible = scope.visible_records(Label.COMPANY, ids)
    names = {c: str(getattr(n, "name", c)) for c, n in visible.items()}
    is_hq = account_id == hq
    rows = [
        WhitespaceRowView(
            branch=names.get(company_id, company_id),
            product=product,
            buyers=[
                WhitespaceBuyer(names.get(b, b), won_on[company_id, product].get(b)) for b in won_by
            ],
        )
        for company_id, product, won_by in group.items
        if won_by and (is_hq or company_id == account_id)
    ]
    return GroupWhitespaceView(
        headquarters=names.get(hq, hq),
        is_headquarters=is_hq,
        rows=rows,
        programmes=[
            ProgrammeView(
                product=p.product,
                branches=[names.get(b, b) for b in p.branch_ids],
                first_won=p.first_won,
                last_won=p.last_won,
            )
            for p in group.programmes
        ],
    )
