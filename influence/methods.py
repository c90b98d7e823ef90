"""Sales-method views: an opportunity in MEDDPICC, Blue Sheet or Altify words.

Each view is a pure function of an account subgraph and its
:func:`~stakegraph.influence.analysis.analyze_account` result; the crosswalk from the
method's vocabulary to stakegraph's roles, stances and levels is
:class:`~stakegraph.influence.method_settings.SalesMethodSettings`. Every letter or box
carries its status, the method's word for it and its evidence (contact ids, levels,
influence, stances), so a seller can check it against the graph.

* MEDDPICC — E (economic buyer), D (decision criteria), P (paper process) and I
  (identify pain) are answered by the holders of their roles: none → RED; held, but
  we can influence no holder (§3.2) → AMBER; influenced → GREEN, AMBER again when the
  most influential holder opposes (stance < 0). D (decision process) is the deal's
  coverage of the required roles (§3.5). C (champion) is tested when a CHAMPION has
  effective level ≥ 3 and influence ≥ 0.5. C (competition) reads ``COMPETES_FOR``
  and ``FAVORS``. M (metrics) is not held in the graph: UNKNOWN, with the deal's
  amount as evidence.
* Blue Sheet — Economic, User and Technical buying influences are the holders of
  their roles; a Coach is a CHAMPION (for this deal) whom we know at level ≥ 3. Each
  person gets a degree of influence, a response mode and a rating read from the
  stance, and whether we cover them; red flags name the missing, the uncovered and
  the unclear.
* Altify — the relationship map: decision role, status (Mentor … Enemy), coverage
  (No Contact … In Depth), key player and political standing of each person, and
  the map status (RED: no supportive key player; AMBER: some; GREEN: a supportive
  key player decides or approves).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import networkx as nx

from stakegraph.influence.altify import altify_view
from stakegraph.influence.blue_sheet import blue_sheet_view
from stakegraph.influence.meddpicc import meddpicc_view
from stakegraph.influence.method_models import MethodView
from stakegraph.influence.method_settings import DEFAULT_METHOD_SETTINGS, SalesMethodSettings
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["METHODS", "Method", "altify_view", "blue_sheet_view", "meddpicc_view", "method_view"]

Method = Literal["meddpicc", "blue_sheet", "altify"]
METHODS: tuple[str, ...] = ("meddpicc", "blue_sheet", "altify")

_VIEWS: dict[str, Callable[..., MethodView]] = {
    "meddpicc": meddpicc_view,
    "blue_sheet": blue_sheet_view,
    "altify": altify_view,
}


def method_view(
    method: Method,
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The view of one method by name (``"meddpicc"``, ``"blue_sheet"``, ``"altify"``).

    Raises
    ------
    ValueError
        For an unknown method.
    """
    view = _VIEWS.get(method)
    if view is None:
        raise ValueError(f"unknown sales method {method!r}; choose one of {', '.join(METHODS)}")
    return view(g, analysis, opportunity_id=opportunity_id, settings=settings, methods=methods)
