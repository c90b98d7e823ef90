"""Interchange use cases: spreadsheet and CRM import, graph exports, sales-method views.

* :func:`import_tables` (ADMIN) reads CSV / ``.xlsx`` tables through a mapping and
  writes them with the ordinary validate-then-write import: every bad cell is reported
  (:class:`~stakegraph.graph.errors.InvalidTables`) and nothing is written.
* :func:`account_graph` and :func:`portfolio_graph` render GraphML, GEXF or a Cypher
  script of what the caller may see: contacts of accounts the caller may not see are
  masked, and the computed attributes are those of the masked graph (as in reports).
* :func:`method_view` is an opportunity in MEDDPICC, Blue Sheet or Altify words,
  computed the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import networkx as nx

from stakegraph.graph.tables import TableImport
from stakegraph.graph.tables import import_tables as run_import_tables
from stakegraph.influence import analyze_account
from stakegraph.influence.history import state_as_of
from stakegraph.influence.method_models import MethodView
from stakegraph.influence.methods import METHODS, Method
from stakegraph.influence.methods import method_view as build_method_view
from stakegraph.influence.models import AccountAnalysis
from stakegraph.reports.graph_export import GRAPH_FORMATS, GraphFormat, render_portfolio_graph
from stakegraph.service.access import require_admin
from stakegraph.service.analysis import require_opportunity
from stakegraph.service.errors import BadInput
from stakegraph.service.portfolio import all_company_ids, require_rep, require_team
from stakegraph.service.scope import Scope

__all__ = ["account_graph", "import_tables", "method_view", "portfolio_graph"]


def import_tables(
    scope: Scope,
    sources: Sequence[str | Path],
    mapping: str | Path,
    *,
    encoding: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TableImport:
    """Import CSV files, workbooks, folders or ``.zip`` archives through a mapping (ADMIN).

    ``mapping`` is a packaged mapping's name (``salesforce``, ``cn-template``) or the
    path of a TOML mapping file. All or nothing; importing the same files twice
    changes nothing.

    Raises
    ------
    stakegraph.graph.errors.InvalidTables
        One entry per bad cell (sheet, row, column, value, reason); nothing written.
    """
    require_admin(scope.principal, "import tables")
    result = run_import_tables(
        scope.store,
        list(sources),
        mapping,
        encoding=encoding,
        by=scope.principal.name,
        progress=progress,
    )
    scope.forget()
    return result


def _check_format(fmt: str) -> GraphFormat:
    if fmt not in GRAPH_FORMATS:
        raise BadInput(
            f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}",
            field="format",
        )
    return fmt  # type: ignore[return-value]


def _analysed(
    scope: Scope, company_id: str, day: date, opportunity_id: str | None = None
) -> tuple[nx.MultiDiGraph, AccountAnalysis]:
    """The account as the caller sees it, as it was on ``day`` (§3.17), and the analysis
    of exactly that graph."""
    view = scope.view(company_id)
    graph = state_as_of(view.graph, day, settings=scope.analysis_settings)
    if not view.hidden:
        return graph, scope.analysis(company_id, day, opportunity_id)
    analysis = analyze_account(
        graph, as_of=day, settings=scope.analysis_settings, opportunity_id=opportunity_id
    )
    return graph, analysis


def account_graph(
    scope: Scope, company_id: str, fmt: str = "graphml", *, as_of: date | None = None
) -> str:
    """One visible account's subgraph with its computed attributes, as ``graphml``,
    ``gexf`` or ``cypher`` text.

    Raises
    ------
    NotFound
        An unknown or invisible account.
    BadInput
        An unknown format.
    """
    chosen = _check_format(fmt)
    pair = _analysed(scope, company_id, scope.as_of(as_of))
    return render_portfolio_graph([pair], chosen, settings=scope.analysis_settings)


def portfolio_graph(
    scope: Scope,
    fmt: str = "graphml",
    *,
    rep_id: str | None = None,
    team_id: str | None = None,
    as_of: date | None = None,
) -> str:
    """The visible accounts of a rep's or team's portfolio (every visible account when
    neither is given) composed into one graph, each node once.

    Raises
    ------
    NotFound
        An unknown (or invisible) rep or team.
    BadInput
        An unknown format.
    """
    chosen = _check_format(fmt)
    day = scope.as_of(as_of)
    if rep_id is not None:
        require_rep(scope, rep_id)
        ids = scope.store.covered_company_ids(rep_id=rep_id)
    elif team_id is not None:
        require_team(scope, team_id)
        ids = scope.store.covered_company_ids(team_id=team_id)
    else:
        ids = all_company_ids(scope)
    visible = [c for c in ids if scope.sees(c)]
    scope.views(visible)  # one batched fetch
    pairs = [_analysed(scope, c, day) for c in visible]
    return render_portfolio_graph(pairs, chosen, settings=scope.analysis_settings)


def method_view(
    scope: Scope,
    company_id: str,
    opportunity_id: str | None,
    method: str,
    *,
    as_of: date | None = None,
) -> MethodView:
    """An opportunity of a visible account in a sales method's words (``meddpicc``,
    ``blue_sheet``, ``altify``), from what the caller may see; without an opportunity,
    the account's first open one.

    Raises
    ------
    NotFound
        An unknown or invisible account, or an opportunity not of it.
    BadInput
        An unknown method.
    """
    if method not in METHODS:
        raise BadInput(
            f"unknown sales method {method!r}; choose one of {', '.join(METHODS)}", field="method"
        )
    if opportunity_id is not None:
        require_opportunity(scope, company_id, opportunity_id, field="opportunity")
    g, analysis = _analysed(scope, company_id, scope.as_of(as_of), opportunity_id)
    chosen: Method = method  # type: ignore[assignment]
    return build_method_view(
        chosen, g, analysis, opportunity_id=opportunity_id, settings=scope.analysis_settings
    )
