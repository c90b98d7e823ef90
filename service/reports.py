"""Report use cases: the models of :mod:`stakegraph.reports` for one account or a
portfolio, built from what the caller may see (the renderers never read the store)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from stakegraph.graph.model import Label, RelType
from stakegraph.influence.models import BranchWhitespace, ProgrammeFlag, WhitespaceItem
from stakegraph.reports.model import AccountReport, PortfolioReport
from stakegraph.reports.model import account_report as build_account_report
from stakegraph.reports.model import portfolio_report as build_portfolio_report
from stakegraph.reports.render import render_account
from stakegraph.service.analysis import require_opportunity
from stakegraph.service.plans import plan_targets
from stakegraph.service.portfolio import (
    all_company_ids,
    findings,
    portfolio_graph,
    rep_grades_of,
    require_rep,
    require_team,
    whitespace,
)
from stakegraph.service.scope import BATCH_SIZE, Scope
from stakegraph.service.timeline import changes_since as changes_since_of
from stakegraph.service.timeline import drift_alerts, timeline

__all__ = [
    "BATCH_SIZE",
    "Progress",
    "account_report",
    "account_report_html",
    "portfolio_report",
]

#: ``progress(done, total)``, called after each account.
Progress = Callable[[int, int], None]


def account_report(
    scope: Scope,
    company_id: str,
    *,
    as_of: date | None = None,
    opportunity_id: str | None = None,
) -> AccountReport:
    """The report of one visible account (foreign contacts masked for the caller)."""
    view = scope.view(company_id)
    if opportunity_id is not None:
        require_opportunity(scope, company_id, opportunity_id, field="opportunity")
    plan = plan_targets(scope, company_id)
    owners = sorted({t.rep_id for t in plan if t.rep_id is not None})
    reps = scope.visible_records(Label.REP, owners)
    day = scope.as_of(as_of)
    year = timeline(scope, company_id, _year_before(day), day)
    return build_account_report(
        view.graph,
        timeline=year.points,
        as_of=day,
        settings=scope.analysis_settings,
        opportunity_id=opportunity_id,
        plan=plan,
        rep_names={r: str(getattr(n, "name", r)) for r, n in reps.items()},
    )


def _year_before(day: date) -> date:
    """The day after the same day a year earlier: a timeline of twelve month ends."""
    try:
        back = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        back = day.replace(year=day.year - 1, day=28)
    return back + timedelta(days=1)


def account_report_html(
    scope: Scope,
    company_id: str,
    *,
    lang: str = "en",
    as_of: date | None = None,
    opportunity_id: str | None = None,
) -> str:
    """The HTML report of one visible account, as ``stakegraph report --format html``
    writes it (one self-contained page; foreign contacts masked for the caller).

    Raises
    ------
    NotFound
        The account (or the opportunity in it) does not exist or is not visible.
    """
    report = account_report(scope, company_id, as_of=as_of, opportunity_id=opportunity_id)
    return render_account(report, "html", lang=lang, settings=scope.analysis_settings)


def portfolio_report(
    scope: Scope,
    *,
    rep_id: str | None = None,
    team_id: str | None = None,
    as_of: date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    since: date | None = None,
) -> PortfolioReport:
    """Every visible account of a rep's or a team's portfolio (every visible account
    when neither is given), ``batch_size`` subgraphs per store call, with the drift
    alerts of its accounts and — given ``since`` — what changed in them since then.

    Raises
    ------
    NotFound
        An unknown (or invisible) rep or team.
    """
    day = scope.as_of(as_of)
    if rep_id is not None:
        require_rep(scope, rep_id)
        ids = scope.store.covered_company_ids(rep_id=rep_id)
        reps: list[str] | None = [rep_id]
    elif team_id is not None:
        require_team(scope, team_id)
        ids = scope.store.covered_company_ids(team_id=team_id)
        reps = _team_members(scope, team_id)
    else:
        ids, reps = all_company_ids(scope), None
    ids = [c for c in ids if scope.sees(c)]
    analyses = {}
    for done, (cid, _, analysis) in enumerate(
        scope.stream_analyses(ids, day, batch_size=batch_size), 1
    ):
        analyses[cid] = analysis
        if progress is not None:
            progress(done, len(ids))
    label = f"rep {rep_id}" if rep_id else f"team {team_id}" if team_id else "all"
    return build_portfolio_report(
        list(analyses.values()),
        portfolio_graph(scope),
        as_of=day,
        scope=label,
        findings=findings(scope, company_ids=list(analyses)),
        rep_grades=rep_grades_of(scope, analyses, reps),
        whitespace=_portfolio_whitespace(scope, set(analyses), day),
        drift=drift_alerts(scope, list(analyses), as_of=day),
        changes_since=since,
        changes=[]
        if since is None
        else changes_since_of(scope, since, as_of=day, company_ids=list(analyses)),
    )


def _portfolio_whitespace(scope: Scope, company_ids: set[str], day: date) -> list[BranchWhitespace]:
    """§3.13 of every group with an account in the portfolio, as the caller may see it
    (items of visible branches, programmes with the visible branches only)."""
    out = []
    for group in whitespace(scope, as_of=day):
        if not company_ids & {group.headquarters_id, *group.branch_ids}:
            continue
        out.append(
            BranchWhitespace(
                headquarters_id=group.headquarters_id,
                branch_ids=group.branch_ids,
                items=[
                    WhitespaceItem(company_id=c, product=p, won_by=w) for c, p, w in group.items
                ],
                programmes=[
                    ProgrammeFlag(
                        product=p.product,
                        branch_ids=p.branch_ids,
                        first_won=p.first_won,
                        last_won=p.last_won,
                        headquarters_kdm_coverage=p.headquarters_kdm_coverage,
                    )
                    for p in group.programmes
                    if p.first_won is not None
                    and p.last_won is not None
                    and p.headquarters_kdm_coverage is not None
                ],
            )
        )
    return out


def _team_members(scope: Scope, team_id: str) -> list[str]:
    return sorted(
        r.from_id
        for r in scope.relationships(RelType.MEMBER_OF, to_ids=[team_id])
        if r.from_label == Label.REP
    )
