"""A small builder of account subgraphs for the influence tests.

Graphs are built through the real ``stakegraph.graph.subgraph.build_subgraph`` from validated
domain models, so the tests see exactly what the stores hand to ``influence``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import networkx as nx

from stakegraph.graph.model import (
    ChangeEvent,
    Company,
    Contact,
    Department,
    Interaction,
    Node,
    Opportunity,
    Relationship,
    Rep,
    Team,
)
from stakegraph.graph.subgraph import build_subgraph

AS_OF = date(2024, 6, 30)


def days_ago(n: int, as_of: date = AS_OF) -> datetime:
    """Noon UTC, ``n`` calendar days before ``as_of``."""
    return datetime.combine(as_of - timedelta(days=n), time(12), tzinfo=UTC)


class Account:
    """Collects nodes, relationships and change events, then builds the subgraph."""

    def __init__(self, company_id: str = "acme", **company: Any) -> None:
        self.company_id = company_id
        self.nodes: dict[str, Node] = {}
        self.rels: list[Relationship] = []
        self.changes: list[ChangeEvent] = []
        self.foreign: set[str] = set()
        self._add(Company(id=company_id, name=company_id.upper(), **company))

    # ----------------------------------------------------------------- helpers
    def _add(self, node: Node) -> str:
        self.nodes[f"{node.label}:{node.id}"] = node
        return node.id

    def rel(self, type_: str, fl: str, fid: str, tl: str, tid: str, **props: Any) -> None:
        self.rels.append(
            Relationship(
                type=type_, from_label=fl, from_id=fid, to_label=tl, to_id=tid, properties=props
            )
        )

    # ------------------------------------------------------------------- nodes
    def company(self, company_id: str, *, branch_of: str | None = None, **fields: Any) -> str:
        self._add(Company(id=company_id, name=company_id.upper(), **fields))
        if branch_of:
            self.rel("BRANCH_OF", "Company", company_id, "Company", branch_of)
        return company_id

    def dept(
        self,
        dept_id: str,
        *,
        key: bool = False,
        function: str = "OTHER",
        parent: str | None = None,
        company: str | None = None,
    ) -> str:
        self._add(Department(id=dept_id, name=dept_id, function=function, is_key=key))
        if parent is not None:
            self.rel("PART_OF", "Department", dept_id, "Department", parent)
        else:
            self.rel("PART_OF", "Department", dept_id, "Company", company or self.company_id)
        return dept_id

    def contact(
        self,
        contact_id: str,
        dept: str | None = "d-main",
        *,
        seniority: str | None = "MANAGER",
        kdm: bool = False,
        stance: str = "UNKNOWN",
        status: str = "ACTIVE",
        rating: str | None = None,
        foreign: bool = False,
        **fields: Any,
    ) -> str:
        if dept is not None and f"Department:{dept}" not in self.nodes and not foreign:
            self.dept(dept)
        self._add(
            Contact(
                id=contact_id,
                name=contact_id,
                seniority=seniority,
                is_kdm=kdm,
                stance=stance,
                status=status,
                influence_rating=rating,
                **fields,
            )
        )
        if foreign:
            self.foreign.add(contact_id)
        elif dept is not None:
            self.rel("WORKS_IN", "Contact", contact_id, "Department", dept)
        return contact_id

    def opp(
        self,
        opp_id: str,
        *,
        status: str = "OPEN",
        products: list[str] | None = None,
        close_date: date | None = None,
        company: str | None = None,
    ) -> str:
        self._add(
            Opportunity(
                id=opp_id,
                name=opp_id,
                status=status,
                products=products or [],
                close_date=close_date,
            )
        )
        self.rel("FOR", "Opportunity", opp_id, "Company", company or self.company_id)
        return opp_id

    def role(self, contact: str, opp: str, role: str, stance: str | None = None) -> None:
        props: dict[str, Any] = {"role": role}
        if stance is not None:
            props["stance"] = stance
        self.rel("HAS_ROLE", "Contact", contact, "Opportunity", opp, **props)

    def rep(self, rep_id: str, *, expert: bool = False) -> str:
        key = f"Rep:{rep_id}"
        if key not in self.nodes:
            self._add(Rep(id=rep_id, name=rep_id, industry_expert=expert))
        return rep_id

    def team(self, team_id: str, kind: str, region: str | None = None) -> str:
        return self._add(Team(id=team_id, name=team_id, kind=kind, region=region))

    # ------------------------------------------------------------ relationships
    def knows(self, rep: str, contact: str, level: int, last: datetime | None = None) -> None:
        self.rep(rep)
        props: dict[str, Any] = {"level": level}
        if last is not None:
            props["last_contact_at"] = last
        self.rel("KNOWS", "Rep", rep, "Contact", contact, **props)

    def influences(self, a: str, b: str, strength: int = 1) -> None:
        self.rel("INFLUENCES", "Contact", a, "Contact", b, strength=strength)

    def reports_to(self, a: str, b: str) -> None:
        self.rel("REPORTS_TO", "Contact", a, "Contact", b)

    def ally(self, a: str, b: str) -> None:
        self.rel("ALLY_OF", "Contact", a, "Contact", b)

    def interaction(
        self,
        interaction_id: str,
        at: datetime,
        *,
        reps: tuple[str, ...] = (),
        contacts: tuple[str, ...] = (),
    ) -> None:
        self._add(Interaction(id=interaction_id, at=at, kind="MEETING"))
        for r in reps:
            self.rep(r)
            self.rel("ATTENDED", "Rep", r, "Interaction", interaction_id)
        for c in contacts:
            self.rel("ATTENDED", "Contact", c, "Interaction", interaction_id)
        self.rel("ABOUT", "Interaction", interaction_id, "Company", self.company_id)

    def covers(self, who_label: str, who: str, company: str, kind: str = "OWNER") -> None:
        self.rel("COVERS", who_label, who, "Company", company, kind=kind)

    def member(self, rep: str, team: str) -> None:
        self.rep(rep)
        self.rel("MEMBER_OF", "Rep", rep, "Team", team)

    def change(
        self,
        contact: str,
        field: str,
        old: str | None,
        new: str | None,
        at: datetime,
    ) -> None:
        self.changes.append(
            ChangeEvent(
                entity="Contact",
                entity_id=contact,
                contact_id=contact,
                field=field,
                old=old,
                new=new,
                at=at,
            )
        )

    # ------------------------------------------------------------------ result
    def graph(self) -> nx.MultiDiGraph:
        return build_subgraph(
            self.company_id,
            self.nodes.values(),
            self.rels,
            self.changes,
            foreign_contact_ids=self.foreign,
        )
