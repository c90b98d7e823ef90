"""The deal a sales-method view looks at: its chain, levels, influence and stances.

Shared by :mod:`stakegraph.influence.meddpicc`, :mod:`stakegraph.influence.blue_sheet`
and :mod:`stakegraph.influence.altify`; see :mod:`stakegraph.influence.methods`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from stakegraph.graph.model import DecisionRole, Label, Stance, node_key
from stakegraph.influence.chain import account_contacts, decision_chain, open_opportunities
from stakegraph.influence.levels import knows_levels, stance_of
from stakegraph.influence.method_models import (
    Evidence,
    MethodElement,
    MethodPerson,
    MethodStatus,
    MethodView,
    RedFlag,
)
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import AnalysisSettings

__all__ = ["AMBER", "GREEN", "RED", "UNKNOWN", "Deal", "deal_context", "make_view"]

GREEN, AMBER, RED, UNKNOWN = (
    MethodStatus.GREEN,
    MethodStatus.AMBER,
    MethodStatus.RED,
    MethodStatus.UNKNOWN,
)
_SEVERITY = {UNKNOWN: 0, GREEN: 1, AMBER: 2, RED: 3}


@dataclass(frozen=True)
class Deal:
    """One opportunity of an analysed account, and what the views ask of it."""

    g: nx.MultiDiGraph
    analysis: AccountAnalysis
    settings: AnalysisSettings
    company_id: str
    opportunity_id: str
    chain: dict[DecisionRole, list[str]]
    knows: dict[tuple[str, str], int]

    def level(self, contact_id: str) -> int:
        return self.analysis.effective_levels.get(contact_id, 0)

    def influence(self, contact_id: str) -> float:
        return self.analysis.influence.score_of(contact_id)

    def influenced(self, contact_id: str) -> bool:
        return self.level(contact_id) >= self.settings.can_influence_level

    def stance(self, contact_id: str) -> Stance:
        return stance_of(self.g, contact_id, opportunity_id=self.opportunity_id)

    def attr(self, contact_id: str, name: str) -> Any:
        return self.g.nodes[node_key(Label.CONTACT, contact_id)].get(name)

    def roles_of(self, contact_id: str) -> list[DecisionRole]:
        return [r for r in DecisionRole if contact_id in self.chain.get(r, [])]

    def holders(self, roles: Iterable[DecisionRole]) -> list[str]:
        ids = {c for r in roles for c in self.chain.get(r, [])}
        return self.ranked(ids)

    def ranked(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda c: (-self.influence(c), c))

    def members(self) -> list[str]:
        return account_contacts(self.g, self.company_id)

    def covered_by(self, contact_id: str) -> list[str]:
        """Our reps who can influence the contact, best relationship first."""
        reps = [(lvl, r) for (r, c), lvl in self.knows.items() if c == contact_id]
        floor = self.settings.can_influence_level
        return [r for lvl, r in sorted(reps, key=lambda x: (-x[0], x[1])) if lvl >= floor]

    def evidence(self, contact_id: str, detail: str, **extra: Any) -> Evidence:
        stance = self.stance(contact_id)
        values: dict[str, Any] = {
            "roles": ", ".join(str(r) for r in self.roles_of(contact_id)) or None,
            "stance": str(stance),
            "effective_level": self.level(contact_id),
            "influence": round(self.influence(contact_id), 4),
            "can_influence": self.influenced(contact_id),
            **extra,
        }
        return Evidence(
            contact_id=contact_id, name=self.attr(contact_id, "name"), detail=detail, values=values
        )

    def opportunity(self, name: str) -> Any:
        return self.g.nodes[node_key(Label.OPPORTUNITY, self.opportunity_id)].get(name)


def deal_context(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    opportunity_id: str | None,
    settings: AnalysisSettings,
) -> Deal:
    cid = analysis.company_id
    opp = opportunity_id or analysis.opportunity_id
    if opp is None:
        candidates = open_opportunities(g, cid)
        if not candidates:
            raise ValueError(f"account {cid!r} has no open opportunity: name the one to view")
        opp = candidates[0]
    chain = decision_chain(g, opportunity_id=opp, company_id=cid)  # NotFound when not its own
    knows = knows_levels(g, as_of=analysis.as_of, settings=settings)
    return Deal(g, analysis, settings, cid, opp, chain, knows)


def make_view(
    deal: Deal,
    method: str,
    elements: Sequence[MethodElement],
    *,
    status: MethodStatus | None = None,
    people: Sequence[MethodPerson] = (),
    columns: Sequence[str] = (),
    flags: Sequence[RedFlag] = (),
) -> MethodView:
    worst = max((e.status for e in elements), key=lambda s: _SEVERITY[s], default=UNKNOWN)
    return MethodView(
        method=method,
        company_id=deal.company_id,
        opportunity_id=deal.opportunity_id,
        opportunity_name=str(deal.opportunity("name")),
        as_of=deal.analysis.as_of,
        status=status or worst,
        elements=list(elements),
        people=list(people),
        person_columns=list(columns),
        red_flags=list(flags),
    )
