"""The read queries of the Neo4j store that walk the graph, each one Cypher statement.

* :func:`account_subgraphs_query`: the rules of :mod:`stakegraph.graph.selection` for
  a batch of accounts; the cross-account neighbourhood is an unrolled breadth-first
  expansion (one ``CALL`` per hop, each keeping only contacts not seen before), so a
  dense tie graph costs its size times the depth, never its number of paths;
* :data:`OWNING_ACCOUNTS`: which account owns each of some nodes, per label.

Labels and relationship types come from the enums; every value from a caller is a
parameter. The depth is checked (:func:`~stakegraph.graph.selection.check_path_depth`)
and spliced in as the number of unrolled hops.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, LiteralString

import neo4j
import networkx as nx

from stakegraph.graph.model import ChangeEvent, Label, RelType
from stakegraph.graph.selection import (
    FETCH_FROM_END,
    FETCH_FROM_START,
    MAX_PATH_DEPTH,
    PATH_TIE_TYPES,
)
from stakegraph.graph.subgraph import RelationshipRecord, _utc_datetime, subgraph_from_records

__all__ = ["OWNING_ACCOUNTS", "account_subgraphs_query", "owning_accounts_query", "subgraphs"]

_LABELS = {str(label) for label in Label}


def _types(types: Sequence[RelType]) -> str:
    return "|".join(f"`{t}`" for t in types)


def _properties(var: str) -> str:
    """An entity's properties as ``[key, value]`` pairs, temporal values as ISO text:
    the driver hydrates each temporal value into a ``neo4j.time`` object, slowly (about
    as long as the whole query for a few hundred nodes), while ISO text parses in C."""
    return (
        f"[k IN keys({var}) WHERE NOT k STARTS WITH '_' | [k, CASE WHEN {var}[k] IS :: ZONED DATETIME "
        f"OR {var}[k] IS :: DATE THEN toString({var}[k]) ELSE {var}[k] END]]"
    )


#: One hop of the breadth-first neighbourhood: the contacts tied to the frontier that
#: were not seen before.
_HOP = """
  CALL (seen, frontier) {
    UNWIND frontier AS p
    MATCH (p)-[:PATH_TIES]-(y:Contact)
    WHERE NOT y IN seen
    RETURN collect(DISTINCT y) AS next
  }
  WITH seen + next AS seen, next AS frontier
""".replace("PATH_TIES", _types(PATH_TIE_TYPES))

_ACCOUNT_SUBGRAPHS = """
UNWIND $ids AS cid
MATCH (c:Company {id: cid})
WITH DISTINCT c
CALL (c) {
  OPTIONAL MATCH (c)-[:BRANCH_OF]-(b:Company)
  RETURN collect(DISTINCT b) AS branches
}
CALL (c) {
  OPTIONAL MATCH (d:Department)-[:PART_OF*1..]->(c)
  RETURN collect(DISTINCT d) AS depts
}
CALL (depts) {
  UNWIND depts AS d
  MATCH (p:Contact)-[:WORKS_IN]->(d)
  RETURN collect(DISTINCT p) AS contacts
}
CALL (c) {
  OPTIONAL MATCH (o:Opportunity)-[:FOR]->(c)
  RETURN collect(DISTINCT o) AS opps
}
CALL (contacts) {
  WITH contacts AS seen, contacts AS frontier
  __HOPS__
  RETURN seen AS reached
}
CALL (contacts) {
  UNWIND contacts AS p
  MATCH (p)-[:RIVAL_OF]-(y:Contact)
  RETURN collect(DISTINCT y) AS rivals
}
WITH c, branches, depts, contacts, opps, reached + [y IN rivals WHERE NOT y IN reached] AS people
WITH c, branches, depts, contacts, opps, people,
     [y IN people WHERE NOT y IN contacts] AS foreign
CALL (people) {
  UNWIND people AS p
  MATCH (r:Rep)-[:KNOWS]->(p)
  RETURN collect(DISTINCT r) AS knowers
}
CALL (people) {
  UNWIND people AS p
  MATCH (r:Rep)-[:KNOWS]->(p)-[:ATTENDED]->(i:Interaction)
  WHERE (r)-[:ATTENDED]->(i)
  RETURN collect(DISTINCT i) AS met
}
CALL (c, opps, contacts) {
  CALL (c, opps, contacts) {
    UNWIND [c] + opps AS t
    MATCH (i:Interaction)-[:ABOUT]->(t)
    RETURN i
    UNION
    UNWIND contacts AS p
    MATCH (p)-[:ATTENDED]->(i:Interaction)
    RETURN i
  }
  RETURN collect(DISTINCT i) AS interactions
}
CALL (c, knowers, interactions) {
  CALL (c, knowers, interactions) {
    UNWIND knowers AS r
    RETURN r
    UNION
    MATCH (r:Rep)-[:COVERS]->(c)
    RETURN r
    UNION
    UNWIND interactions AS i
    MATCH (r:Rep)-[:ATTENDED]->(i)
    RETURN r
  }
  RETURN collect(DISTINCT r) AS reps
}
CALL (c, reps) {
  CALL (c, reps) {
    MATCH (t:Team)-[:COVERS]->(c)
    RETURN t
    UNION
    UNWIND reps AS r
    MATCH (r)-[:MEMBER_OF]->(t:Team)
    RETURN t
  }
  RETURN collect(DISTINCT t) AS teams
}
CALL (opps, contacts) {
  CALL (opps, contacts) {
    UNWIND opps AS o
    MATCH (k:Competitor)-[:COMPETES_FOR]->(o)
    RETURN k
    UNION
    UNWIND contacts AS p
    MATCH (p)-[:FAVORS]->(k:Competitor)
    RETURN k
  }
  RETURN collect(DISTINCT k) AS competitors
}
WITH c, contacts, foreign,
     [c] + branches + depts + contacts + opps + foreign + interactions
     + [i IN met WHERE NOT i IN interactions] + reps + teams + competitors AS ns
CALL (ns) {
  CALL (ns) {
    UNWIND ns AS a
    MATCH (a)-[r:FROM_START]->(b)
    WHERE b IN ns
    RETURN r
    UNION
    UNWIND ns AS b
    MATCH (a)-[r:FROM_END]->(b)
    WHERE a IN ns
    RETURN r
  }
  RETURN collect(r) AS rels
}
CALL (contacts) {
  UNWIND contacts AS p
  MATCH (e:ChangeEvent {contact_id: p.id})
  RETURN collect(e) AS changes
}
RETURN c.id AS company_id,
       [n IN ns | [labels(n), PROPS(n)]] AS nodes,
       [r IN rels | [type(r), labels(startNode(r)), startNode(r).id,
                     labels(endNode(r)), endNode(r).id, PROPS(r)]] AS rels,
       [e IN changes | PROPS(e)] AS changes,
       [f IN foreign | f.id] AS foreign_ids
"""
_ACCOUNT_SUBGRAPHS = (
    _ACCOUNT_SUBGRAPHS.replace("FROM_START", _types(FETCH_FROM_START))
    .replace("FROM_END", _types(FETCH_FROM_END))
    .replace("PROPS(n)", _properties("n"))
    .replace("PROPS(r)", _properties("r"))
    .replace("PROPS(e)", _properties("e"))
)


@cache
def account_subgraphs_query(hops: int) -> LiteralString:
    """The subgraph query whose neighbourhood reaches ``hops`` ties (0 … depth − 1)."""
    if not 0 <= hops < MAX_PATH_DEPTH:
        raise ValueError(f"hops must be between 0 and {MAX_PATH_DEPTH - 1}, got {hops}")
    query: LiteralString = _ACCOUNT_SUBGRAPHS.replace("__HOPS__", _HOP * hops)
    return query


def _label(labels: Sequence[str]) -> str | None:
    return next((lab for lab in labels if lab in _LABELS), None)


def _event(props: Mapping[str, Any]) -> ChangeEvent:
    """A stored change event, not validated again."""
    return ChangeEvent.model_construct(
        entity=props["entity"],
        entity_id=props["entity_id"],
        contact_id=props.get("contact_id"),
        field=props["field"],
        old=json.loads(props["old"]),
        new=json.loads(props["new"]),
        at=_utc_datetime(props["at"]),
        by=props["by"],
        seq=props.get("seq"),
    )


def subgraphs(records: Sequence[neo4j.Record]) -> dict[str, nx.MultiDiGraph]:
    """The graphs of the rows of :func:`account_subgraphs_query`."""
    out: dict[str, nx.MultiDiGraph] = {}
    for row in records:
        nodes = []
        for labels, props in row["nodes"]:
            label = _label(labels)
            if label is not None:
                nodes.append((label, dict(props)))
        rels: list[RelationshipRecord] = []
        for rel_type, fls, fid, tls, tid, props in row["rels"]:
            fl, tl = _label(fls), _label(tls)
            if fl is not None and tl is not None:
                rels.append((rel_type, fl, fid, tl, tid, dict(props)))
        out[row["company_id"]] = subgraph_from_records(
            row["company_id"],
            nodes,
            rels,
            [_event(dict(e)) for e in row["changes"]],
            foreign_contact_ids=row["foreign_ids"],
        )
    return out


# --------------------------------------------------------------- owning accounts

#: $ids = node ids. Rows: (id, company) for each node that has an account.
OWNING_ACCOUNTS: dict[Label, LiteralString] = {
    Label.COMPANY: "MATCH (n:Company) WHERE n.id IN $ids RETURN n.id AS id, n.id AS company",
    Label.DEPARTMENT: (
        "MATCH (n:Department) WHERE n.id IN $ids "
        "MATCH (n)-[:PART_OF*1..]->(c:Company) "
        "RETURN n.id AS id, min(c.id) AS company"
    ),
    Label.CONTACT: (
        "MATCH (n:Contact) WHERE n.id IN $ids "
        "MATCH (n)-[:WORKS_IN]->(:Department)-[:PART_OF*1..]->(c:Company) "
        "RETURN n.id AS id, min(c.id) AS company"
    ),
    Label.OPPORTUNITY: (
        "MATCH (n:Opportunity) WHERE n.id IN $ids "
        "MATCH (n)-[:FOR]->(c:Company) "
        "RETURN n.id AS id, min(c.id) AS company"
    ),
    Label.INTERACTION: """
MATCH (n:Interaction) WHERE n.id IN $ids
CALL (n) {
  OPTIONAL MATCH (n)-[:ABOUT]->(c:Company)
  RETURN min(c.id) AS direct
}
CALL (n) {
  OPTIONAL MATCH (n)-[:ABOUT]->(:Opportunity)-[:FOR]->(c:Company)
  RETURN min(c.id) AS via_opportunity
}
CALL (n) {
  MATCH (p:Contact)-[:ATTENDED]->(n)
  MATCH (p)-[:WORKS_IN]->(:Department)-[:PART_OF*1..]->(c:Company)
  WITH p.id AS contact, min(c.id) AS company
  ORDER BY contact
  RETURN collect(company)[0] AS by_attendee
}
WITH n.id AS id, coalesce(direct, via_opportunity, by_attendee) AS company
WHERE company IS NOT NULL
RETURN id, company
""",
}


def owning_accounts_query(label: Label) -> LiteralString | None:
    """The :data:`OWNING_ACCOUNTS` query of ``label``; ``None`` for reps, teams, competitors."""
    return OWNING_ACCOUNTS.get(Label(label))
