"""Influence reports of one account or a portfolio (for the analyst; docs/analytics.md §3).

The report is assembled from the analytics, never re-derived: :func:`account_report`
runs :func:`~stakegraph.influence.analysis.analyze_account` once on an account subgraph and joins
its results with the records a reader needs (names, titles, departments, roles, the
ties of the political map, the paths to the economic buyer of §3.11) into an
:class:`AccountReport`. :func:`portfolio_report` gathers the analyses of many accounts,
the coverage-model findings (§3.10) and the rep grades (§3.8). Reports never read the
store: the application layer (:mod:`stakegraph.service.reports`) hands them subgraphs
and results. Rendering to HTML, Markdown, JSON and CSV lives in
:mod:`stakegraph.reports.render`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from stakegraph.graph.model import (
    ContactStatus,
    DecisionRole,
    Label,
    RelType,
    Seniority,
    Stance,
    node_key,
)
from stakegraph.graph.store import PlannedTarget
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.chain import (
    account_contacts,
    account_opportunities,
    decision_chain,
    key_decision_makers,
)
from stakegraph.influence.coverage_model import owners
from stakegraph.influence.history import state_as_of
from stakegraph.influence.levels import influenced, stance_of
from stakegraph.influence.models import (
    AccountAnalysis,
    AccountChanges,
    Balance,
    BranchWhitespace,
    Coverage,
    DriftAlert,
    Finding,
    Path,
    RelationshipGrade,
    RepGrade,
    TimelinePoint,
)
from stakegraph.influence.paths import paths_to_power, power_graph
from stakegraph.influence.plans import plan_gap, target_levels
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "AccountInfo",
    "AccountReport",
    "ContactRow",
    "GradedAccount",
    "OpportunityRow",
    "PlanRow",
    "PortfolioReport",
    "PortfolioRow",
    "RepGradeReport",
    "Tie",
    "account_report",
    "focus_balance",
    "focus_coverage",
    "owner_names",
    "portfolio_report",
    "rep_grade_report",
]

_TIES = (RelType.INFLUENCES, RelType.REPORTS_TO, RelType.ALLY_OF, RelType.RIVAL_OF)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AccountInfo(_Row):
    company_id: str
    name: str
    tier: str | None = None
    industry: str | None = None
    region: str | None = None


class ContactRow(_Row):
    """One contact of the account as the report shows it (the CSV row)."""

    contact_id: str
    name: str
    title: str | None = None
    department_id: str | None = None
    department: str | None = None
    seniority: Seniority | None = None
    status: ContactStatus
    stance: Stance = Field(description="for the opportunity asked about, its HAS_ROLE override")
    effective_level: int
    can_influence: bool
    influence: float | None = Field(default=None, description="§3.4; null unless ACTIVE")
    pagerank: float | None = None
    pagerank_n: float | None = None
    betweenness: float | None = None
    roles: list[DecisionRole] = Field(default_factory=list)
    kdm: bool = False
    hidden: bool = False
    swing: bool = False

    @property
    def flags(self) -> list[str]:
        """``KDM``, ``hidden``, ``swing``, ``LEFT`` / ``MOVED`` as they apply."""
        out = [
            name
            for name, on in (("KDM", self.kdm), ("hidden", self.hidden), ("swing", self.swing))
            if on
        ]
        if self.status != ContactStatus.ACTIVE:
            out.append(str(self.status))
        return out


class Tie(_Row):
    """A tie between two active contacts of the account (the political map's edges)."""

    type: RelType
    from_id: str
    to_id: str
    strength: int | None = None


class OpportunityRow(_Row):
    opportunity_id: str
    name: str
    stage: str | None = None
    status: str | None = None
    amount: float | None = None
    currency: str | None = None
    coverage: Coverage | None = None
    balance: Balance | None = None


class PlanRow(_Row):
    """One target of the account's relationship plan (§3.18) and where it stands."""

    target_id: str
    contact_id: str | None = None
    role: DecisionRole | None = None
    opportunity_id: str | None = None
    rep_id: str | None = None
    target_level: int
    level: int = Field(description="effective level now (§3.2)")
    due: date | None = None
    note: str | None = None
    status: Literal["OVERDUE", "OPEN", "MET"]
    work_on_id: str | None = Field(default=None, description="the contact to work on")
    path: Path | None = None
    grade_gain: int = 0
    score_gain: float = 0.0


class AccountReport(_Row):
    """Everything an account report shows; the JSON format is this model."""

    account: AccountInfo
    analysis: AccountAnalysis
    contacts: list[ContactRow] = Field(description="active first (by influence), then the rest")
    opportunities: list[OpportunityRow]
    economic_buyer_ids: list[str] = Field(description="holders of ECONOMIC_BUYER in focus")
    economic_buyer_paths: list[Path] = Field(
        description="§3.11 paths to the economic buyer(s); to the suggested candidates when "
        "the role is missing"
    )
    ties: list[Tie]
    plan: list[PlanRow] = Field(
        default_factory=list, description="§3.18 the plan: the gap (overdue first), then met"
    )
    timeline: list[TimelinePoint] = Field(
        default_factory=list,
        description="§3.19 grade, score, coverage, balance and health at each month end "
        "of the year to the report's day, with the events that moved each step",
    )
    names: dict[str, str] = Field(description="node key → name (reps, contacts, departments)")

    @property
    def coverage(self) -> Coverage:
        """The coverage in focus: of the opportunity asked about, else the account's."""
        return focus_coverage(self.analysis)

    @property
    def balance(self) -> Balance:
        """The balance in focus: of the opportunity asked about, else the account's."""
        return focus_balance(self.analysis)

    @property
    def active_contacts(self) -> list[ContactRow]:
        return [c for c in self.contacts if c.status == ContactStatus.ACTIVE]

    def name_of(self, key_or_id: str, label: Label = Label.CONTACT) -> str:
        """The name of a node key (``"Rep:r1"``) or of a contact id; the id when unknown."""
        key = key_or_id if ":" in key_or_id else node_key(label, key_or_id)
        return self.names.get(key, key.partition(":")[2])


# --------------------------------------------------------------------------- one account


def focus_coverage(analysis: AccountAnalysis) -> Coverage:
    """The opportunity's coverage when the analysis asked about one, else the account's."""
    if analysis.opportunity_id is not None and analysis.opportunity_coverage:
        return analysis.opportunity_coverage[0]
    return analysis.coverage


def focus_balance(analysis: AccountAnalysis) -> Balance:
    """The opportunity's balance when the analysis asked about one, else the account's."""
    if analysis.opportunity_id is not None and analysis.opportunity_balance:
        return analysis.opportunity_balance[0]
    return analysis.balance


def _info(g: nx.MultiDiGraph, company_id: str) -> AccountInfo:
    attrs = g.nodes[node_key(Label.COMPANY, company_id)]
    return AccountInfo(
        company_id=company_id,
        name=attrs.get("name") or company_id,
        tier=_text(attrs.get("tier")),
        industry=attrs.get("industry"),
        region=attrs.get("region"),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _names(g: nx.MultiDiGraph) -> dict[str, str]:
    return {
        key: str(attrs.get("name") or attrs.get("id"))
        for key, attrs in g.nodes(data=True)
        if attrs.get("label")
        in (Label.CONTACT, Label.REP, Label.DEPARTMENT, Label.OPPORTUNITY, Label.COMPANY)
    }


def _department_of(g: nx.MultiDiGraph, contact_key: str) -> str | None:
    for _, dept, key in g.out_edges(contact_key, keys=True):
        if key == RelType.WORKS_IN:
            return str(g.nodes[dept]["id"])
    return None


def _roles_by_contact(chain: dict[DecisionRole, list[str]]) -> dict[str, list[DecisionRole]]:
    out: dict[str, list[DecisionRole]] = {}
    for role in DecisionRole:  # enum order: most senior role first
        for c in chain.get(role, []):
            out.setdefault(c, []).append(role)
    return out


def _contact_rows(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    balance: Balance,
    settings: AnalysisSettings,
) -> list[ContactRow]:
    cid, opp = analysis.company_id, analysis.opportunity_id
    roles = _roles_by_contact(decision_chain(g, opportunity_id=opp, company_id=cid))
    kdms = set(key_decision_makers(g, settings=settings, company_id=cid, active_only=False))
    reach = influenced(analysis.effective_levels, settings=settings)
    swing = {s.contact_id for s in balance.swing}
    names = _names(g)
    rows = []
    for contact_id in account_contacts(g, cid, active_only=False):
        key = node_key(Label.CONTACT, contact_id)
        attrs = g.nodes[key]
        entry = analysis.influence.get(contact_id)
        dept = _department_of(g, key)
        rows.append(
            ContactRow(
                contact_id=contact_id,
                name=attrs.get("name") or contact_id,
                title=attrs.get("title"),
                department_id=dept,
                department=None if dept is None else names.get(node_key(Label.DEPARTMENT, dept)),
                seniority=attrs.get("seniority"),
                status=attrs.get("status", ContactStatus.ACTIVE),
                stance=stance_of(g, contact_id, opportunity_id=opp),
                effective_level=analysis.effective_levels.get(contact_id, 0),
                can_influence=contact_id in reach,
                influence=None if entry is None else entry.score,
                pagerank=None if entry is None else entry.pagerank,
                pagerank_n=None if entry is None else entry.pagerank_n,
                betweenness=None if entry is None else entry.betweenness,
                roles=roles.get(contact_id, []),
                kdm=contact_id in kdms,
                hidden=bool(entry and entry.hidden),
                swing=contact_id in swing,
            )
        )
    rows.sort(key=lambda r: (r.status != ContactStatus.ACTIVE, -(r.influence or 0.0), r.contact_id))
    return rows


def _ties(g: nx.MultiDiGraph, active: set[str]) -> list[Tie]:
    out = []
    for u, v, key, attrs in g.edges(keys=True, data=True):
        if key not in _TIES:
            continue
        a, b = g.nodes[u].get("id"), g.nodes[v].get("id")
        if g.nodes[u].get("label") != Label.CONTACT or a not in active or b not in active:
            continue
        out.append(Tie(type=key, from_id=a, to_id=b, strength=attrs.get("strength")))
    return sorted(out, key=lambda t: (t.type, t.from_id, t.to_id))


def _opportunities(g: nx.MultiDiGraph, analysis: AccountAnalysis) -> list[OpportunityRow]:
    coverage = {c.opportunity_id: c for c in analysis.opportunity_coverage}
    balance = {b.opportunity_id: b for b in analysis.opportunity_balance}
    out = []
    for opp in account_opportunities(g, analysis.company_id):
        if opp not in coverage:
            continue
        attrs = g.nodes[node_key(Label.OPPORTUNITY, opp)]
        out.append(
            OpportunityRow(
                opportunity_id=opp,
                name=attrs.get("name") or opp,
                stage=_text(attrs.get("stage")),
                status=_text(attrs.get("status")),
                amount=attrs.get("amount"),
                currency=attrs.get("currency"),
                coverage=coverage[opp],
                balance=balance.get(opp),
            )
        )
    return out


def _economic_buyer_paths(
    g: nx.MultiDiGraph, coverage: Coverage, *, as_of: date, settings: AnalysisSettings
) -> tuple[list[str], list[Path]]:
    holders = next(
        (r.holder_ids for r in coverage.roles if r.role == DecisionRole.ECONOMIC_BUYER), []
    )
    if not holders:
        candidates = [
            s.path
            for h in coverage.holes
            if h.role == DecisionRole.ECONOMIC_BUYER
            for s in h.suggestions
            if s.path is not None
        ]
        return [], candidates
    power = power_graph(g, as_of=as_of, settings=settings)
    paths = [
        p
        for eb in holders
        for p in paths_to_power(g, eb, as_of=as_of, settings=settings, power=power)
    ]
    return list(holders), sorted(paths, key=lambda p: (p.cost, p.target_id))


def account_report(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    plan: Sequence[PlannedTarget] = (),
    rep_names: Mapping[str, str] | None = None,
    timeline: Sequence[TimelinePoint] = (),
) -> AccountReport:
    """Analyse an account subgraph once and gather what its report shows.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``GraphStore.account_subgraph``).
    as_of : datetime.date
    settings : AnalysisSettings
    opportunity_id : str, optional
        Focus the coverage, balance, stances and paths on this opportunity.
    plan : sequence of PlannedTarget, optional
        The account's relationship-plan targets (§3.18), shown with their gap.
    rep_names : mapping, optional
        Names of reps (by id) not in the subgraph, e.g. owners of plan targets.
    timeline : sequence of TimelinePoint, optional
        The account's timeline (§3.19), shown as a chart and a table.

    Returns
    -------
    AccountReport

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> r = account_report(tiny_account(), as_of=AS_OF)
    >>> r.account.name, r.analysis.grade.grade.value, [c.contact_id for c in r.contacts][:2]
    ('ACME', 'INTERMEDIATE', ['c-ceo', 'c-cio'])
    >>> r.economic_buyer_ids, r.contacts[-1].flags
    (['c-ceo'], ['KDM', 'LEFT'])
    """
    g = state_as_of(g, as_of, settings=settings)  # the account as it was (§3.17)
    analysis = analyze_account(g, as_of=as_of, settings=settings, opportunity_id=opportunity_id)
    cid = analysis.company_id
    coverage, balance = focus_coverage(analysis), focus_balance(analysis)
    contacts = _contact_rows(g, analysis, balance, settings)
    eb_ids, eb_paths = _economic_buyer_paths(g, coverage, as_of=as_of, settings=settings)
    active = {c.contact_id for c in contacts if c.status == ContactStatus.ACTIVE}
    names = _names(g) | {node_key(Label.REP, r): n for r, n in (rep_names or {}).items()}
    return AccountReport(
        account=_info(g, cid),
        analysis=analysis,
        contacts=contacts,
        opportunities=_opportunities(g, analysis),
        economic_buyer_ids=eb_ids,
        economic_buyer_paths=eb_paths,
        ties=_ties(g, active),
        plan=_plan_rows(g, plan, analysis, as_of=as_of, settings=settings),
        timeline=list(timeline),
        names=names,
    )


def _plan_rows(
    g: nx.MultiDiGraph,
    plan: Sequence[PlannedTarget],
    analysis: AccountAnalysis,
    *,
    as_of: date,
    settings: AnalysisSettings,
) -> list[PlanRow]:
    if not plan:
        return []
    cid = analysis.company_id
    gap = plan_gap(
        g, plan, as_of=as_of, settings=settings, company_id=cid, influence=analysis.influence
    )
    standing = target_levels(g, plan, as_of=as_of, settings=settings, company_id=cid)
    by_id = {t.id: t for t in plan}
    rows = [
        _plan_row(
            by_id[item.target_id],
            level=item.level,
            status="OVERDUE" if item.overdue else "OPEN",
            work_on_id=item.contact_id,
            path=item.path,
            grade_gain=item.grade_gain,
            score_gain=item.score_gain,
        )
        for item in gap
    ]
    unmet = {i.target_id for i in gap}
    rows += [_plan_row(t, level=standing[t.id][0], status="MET") for t in plan if t.id not in unmet]
    return rows


def _plan_row(t: PlannedTarget, **found: Any) -> PlanRow:
    """A target's row: what the plan says, and what the gap found (``found``)."""
    return PlanRow(
        target_id=t.id,
        contact_id=t.contact_id,
        role=t.target.role,
        opportunity_id=t.opportunity_id,
        rep_id=t.rep_id,
        target_level=t.target.level,
        due=t.target.due,
        note=t.target.note,
        **found,
    )


# ----------------------------------------------------------------------------- portfolio


class PortfolioRow(_Row):
    company_id: str
    name: str
    tier: str | None = None
    region: str | None = None
    grade: RelationshipGrade
    ratio: float
    weighted_ratio: float
    balance: float | None = None
    verdict: str | None = None
    health: str
    signals: list[str] = Field(default_factory=list)
    potential: float | None = None
    band: str | None = None
    owners: list[str] = Field(default_factory=list, description="names of the OWNER reps/teams")


class PortfolioReport(_Row):
    """The portfolio report: one row per account, findings (§3.10) and rep grades (§3.8)."""

    as_of: date
    scope: str = Field(description='"rep R", "team T" or "all"')
    rows: list[PortfolioRow]
    findings: list[Finding]
    rep_grades: list[RepGrade]
    whitespace: list[BranchWhitespace] = Field(
        default_factory=list,
        description="§3.13 whitespace of the groups with an account in the portfolio",
    )
    drift: list[DriftAlert] = Field(
        default_factory=list,
        description="§3.19 accounts whose grade fell or balance dropped over the drift window",
    )
    changes_since: date | None = Field(default=None, description="§3.19 the date of `changes`")
    changes: list[AccountChanges] = Field(
        default_factory=list,
        description="§3.19 per account with events since `changes_since`: events, before, after",
    )
    names: dict[str, str] = Field(description="node key → name (companies, reps, teams)")


def portfolio_report(
    analyses: Sequence[AccountAnalysis],
    portfolio: nx.MultiDiGraph,
    *,
    as_of: date,
    scope: str,
    findings: Sequence[Finding],
    rep_grades: Sequence[RepGrade],
    whitespace: Sequence[BranchWhitespace] = (),
    drift: Sequence[DriftAlert] = (),
    changes_since: date | None = None,
    changes: Sequence[AccountChanges] = (),
) -> PortfolioReport:
    """The portfolio report of analysed accounts.

    Parameters
    ----------
    analyses : sequence of AccountAnalysis
        One per account, in report order.
    portfolio : networkx.MultiDiGraph
        The coverage model's graph (companies, reps, teams, ``COVERS``, ``MEMBER_OF``):
        names, tiers and owners of the rows.
    as_of : datetime.date
    scope : str
        ``"rep R"``, ``"team T"`` or ``"all"``.
    findings : sequence of Finding
        §3.10 findings about these accounts.
    rep_grades : sequence of RepGrade
        §3.8 grades of the reps in scope.
    drift, changes_since, changes : optional
        §3.19 drift alerts, and what changed since a date.
    """
    names = {
        k: str(a.get("name") or a.get("id"))
        for k, a in portfolio.nodes(data=True)
        if a.get("label") in (Label.COMPANY, Label.REP, Label.TEAM)
    }
    return PortfolioReport(
        as_of=as_of,
        scope=scope,
        rows=[_portfolio_row(portfolio, a) for a in analyses],
        findings=list(findings),
        rep_grades=list(rep_grades),
        whitespace=list(whitespace),
        drift=list(drift),
        changes_since=changes_since,
        changes=list(changes),
        names=names,
    )


def owner_names(portfolio: nx.MultiDiGraph, company_id: str) -> list[str]:
    """Names of the OWNER reps and teams of an account (§3.10), sorted."""
    if node_key(Label.COMPANY, company_id) not in portfolio:
        return []
    return sorted(
        str(portfolio.nodes[k].get("name") or portfolio.nodes[k]["id"])
        for k in owners(portfolio, company_id)
    )


def _portfolio_row(portfolio: nx.MultiDiGraph, a: AccountAnalysis) -> PortfolioRow:
    attrs = portfolio.nodes[node_key(Label.COMPANY, a.company_id)]
    return PortfolioRow(
        company_id=a.company_id,
        name=attrs.get("name") or a.company_id,
        tier=_text(attrs.get("tier")),
        region=attrs.get("region"),
        grade=a.grade,
        ratio=a.coverage.ratio,
        weighted_ratio=a.coverage.weighted_ratio,
        balance=a.balance.value,
        verdict=_text(a.balance.verdict),
        health=str(a.health.status),
        signals=[str(c) for c in a.health.codes],
        potential=a.potential.score,
        band=_text(a.potential.band),
        owners=owner_names(portfolio, a.company_id),
    )


# ------------------------------------------------------------------------------ rep grade


class GradedAccount(_Row):
    company_id: str
    name: str
    tier: str | None = None
    grade: RelationshipGrade
    counted: bool = Field(description="counts towards the rep grade (STRATEGIC or KEY)")
    owners: list[str] = Field(default_factory=list)


class RepGradeReport(_Row):
    """A rep's grade (§3.8) with the owned accounts behind its counts."""

    rep_id: str
    name: str
    as_of: date
    grade: RepGrade
    accounts: list[GradedAccount] = Field(description="every owned account, counted or not")


def rep_grade_report(
    rep_id: str,
    name: str,
    *,
    as_of: date,
    grade: RepGrade,
    analyses: dict[str, AccountAnalysis],
    portfolio: nx.MultiDiGraph,
) -> RepGradeReport:
    """A rep's grade with every account it owns (``analyses``), counted ones first."""
    counted = set(grade.account_ids)
    accounts = []
    for cid, a in analyses.items():
        attrs = portfolio.nodes[node_key(Label.COMPANY, cid)]
        accounts.append(
            GradedAccount(
                company_id=cid,
                name=attrs.get("name") or cid,
                tier=_text(attrs.get("tier")),
                grade=a.grade,
                counted=cid in counted,
                owners=owner_names(portfolio, cid),
            )
        )
    accounts.sort(key=lambda a: (not a.counted, -a.grade.score, a.company_id))
    return RepGradeReport(rep_id=rep_id, name=name, as_of=as_of, grade=grade, accounts=accounts)
