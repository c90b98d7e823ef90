"""A tiny account used by the docstring examples (not part of the public API).

ACME (KEY, region east; as of 2024-06-30):

* departments: Executive Office (key), IT (key) with IT Operations nested in it, Finance;
* contacts: CEO (CHAMPION, KDM), CIO (SUPPORTER), an engineer (STAFF, rated HIGH,
  NEUTRAL), an ops manager (UNKNOWN), the CFO (OPPONENT), a former finance director
  (KDM, LEFT on 2024-05-15), and a partner at another account (foreign);
* one OPEN opportunity with the four required roles, one WON;
* reps: Amy knows the CEO (3, met 2024-06-01) and the CIO (2, last contact 2024-01-01,
  181 days before → 1); Bob knows the engineer (1) and the foreign partner (4);
* ties: engineer INFLUENCES CIO (3); CIO, CFO REPORTS_TO CEO; ops REPORTS_TO CIO;
  partner ALLY_OF CFO; usage 70 against 100 before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import networkx as nx

from stakegraph.graph.model import (
    ChangeEvent,
    Company,
    Contact,
    Department,
    Interaction,
    Opportunity,
    Relationship,
    Rep,
)
from stakegraph.graph.subgraph import build_subgraph

AS_OF = date(2024, 6, 30)


def _rel(type_: str, fl: str, fid: str, tl: str, tid: str, **props: object) -> Relationship:
    return Relationship(
        type=type_, from_label=fl, from_id=fid, to_label=tl, to_id=tid, properties=props
    )


def tiny_account() -> nx.MultiDiGraph:
    """The account subgraph described in the module docstring."""
    at = datetime(2024, 6, 1, 9, tzinfo=UTC)
    nodes = [
        Company(
            id="acme",
            name="ACME",
            tier="KEY",
            region="east",
            strategic_fit=4,
            profit_potential=4,
            stability=3,
            market_influence=5,
            usage_current=70,
            usage_prior=100,
        ),
        Department(id="d-exec", name="Executive Office", function="EXECUTIVE", is_key=True),
        Department(id="d-it", name="IT", function="TECHNICAL", is_key=True),
        Department(id="d-ops", name="IT Operations"),
        Department(id="d-fin", name="Finance", function="FINANCE_PROCUREMENT"),
        Contact(id="c-ceo", name="Wang Wei", seniority="EXECUTIVE", is_kdm=True, stance="CHAMPION"),
        Contact(id="c-cio", name="Li Na", seniority="VP", stance="SUPPORTER"),
        Contact(
            id="c-eng",
            name="Zhang Min",
            seniority="STAFF",
            influence_rating="HIGH",
            stance="NEUTRAL",
        ),
        Contact(id="c-ops", name="Chen Jie", seniority="MANAGER"),
        Contact(id="c-cfo", name="Zhao Lei", seniority="DIRECTOR", stance="OPPONENT"),
        Contact(id="c-old", name="Sun Hao", seniority="DIRECTOR", is_kdm=True, status="LEFT"),
        Contact(id="c-partner", name="Liu Yang", seniority="EXECUTIVE"),
        Opportunity(id="o-crm", name="CRM rollout", status="OPEN", products=["crm"]),
        Opportunity(id="o-bi", name="BI", status="WON", products=["bi"]),
        Rep(id="r-amy", name="Amy", industry_expert=True),
        Rep(id="r-bob", name="Bob"),
        Interaction(id="i-1", at=at, kind="VISIT"),
    ]
    rels = [
        _rel("PART_OF", "Department", "d-exec", "Company", "acme"),
        _rel("PART_OF", "Department", "d-it", "Company", "acme"),
        _rel("PART_OF", "Department", "d-ops", "Department", "d-it"),
        _rel("PART_OF", "Department", "d-fin", "Company", "acme"),
        _rel("WORKS_IN", "Contact", "c-ceo", "Department", "d-exec"),
        _rel("WORKS_IN", "Contact", "c-cio", "Department", "d-it"),
        _rel("WORKS_IN", "Contact", "c-eng", "Department", "d-it"),
        _rel("WORKS_IN", "Contact", "c-ops", "Department", "d-ops"),
        _rel("WORKS_IN", "Contact", "c-cfo", "Department", "d-fin"),
        _rel("WORKS_IN", "Contact", "c-old", "Department", "d-fin"),
        _rel("FOR", "Opportunity", "o-crm", "Company", "acme"),
        _rel("FOR", "Opportunity", "o-bi", "Company", "acme"),
        _rel("HAS_ROLE", "Contact", "c-ceo", "Opportunity", "o-crm", role="ECONOMIC_BUYER"),
        _rel("HAS_ROLE", "Contact", "c-cio", "Opportunity", "o-crm", role="TECHNICAL_EVALUATOR"),
        _rel("HAS_ROLE", "Contact", "c-cfo", "Opportunity", "o-crm", role="FINANCIAL_CONTROLLER"),
        _rel("HAS_ROLE", "Contact", "c-eng", "Opportunity", "o-crm", role="USER"),
        _rel("KNOWS", "Rep", "r-amy", "Contact", "c-ceo", level=3),
        _rel(
            "KNOWS",
            "Rep",
            "r-amy",
            "Contact",
            "c-cio",
            level=2,
            last_contact_at=datetime(2024, 1, 1, tzinfo=UTC),
        ),
        _rel("KNOWS", "Rep", "r-bob", "Contact", "c-eng", level=1),
        _rel("KNOWS", "Rep", "r-bob", "Contact", "c-partner", level=4),
        _rel("INFLUENCES", "Contact", "c-eng", "Contact", "c-cio", strength=3),
        _rel("REPORTS_TO", "Contact", "c-cio", "Contact", "c-ceo"),
        _rel("REPORTS_TO", "Contact", "c-cfo", "Contact", "c-ceo"),
        _rel("REPORTS_TO", "Contact", "c-ops", "Contact", "c-cio"),
        _rel("ALLY_OF", "Contact", "c-partner", "Contact", "c-cfo"),
        _rel("ATTENDED", "Rep", "r-amy", "Interaction", "i-1"),
        _rel("ATTENDED", "Contact", "c-ceo", "Interaction", "i-1"),
        _rel("ABOUT", "Interaction", "i-1", "Company", "acme"),
    ]
    changes = [
        ChangeEvent(
            entity="Contact",
            entity_id="c-old",
            contact_id="c-old",
            field="status",
            old="ACTIVE",
            new="LEFT",
            at=datetime(2024, 5, 15, tzinfo=UTC),
        )
    ]
    return build_subgraph("acme", nodes, rels, changes, foreign_contact_ids=["c-partner"])
