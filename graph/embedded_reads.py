"""The read queries of the embedded store that walk the graph.

* :func:`account_subgraphs`: the rules of :mod:`stakegraph.graph.selection` for a batch
  of accounts, in one read transaction: :data:`OWN_CONTACTS` finds each account's own
  contacts, :data:`PATH_TIES` walks the cross-account neighbourhood one hop per
  statement (breadth-first, each contact expanded once per account), and
  :data:`ACCOUNT_SUBGRAPHS` returns the selected nodes, the relationships among them
  and the change events of the accounts' contacts;
* :data:`OWNING_ACCOUNTS`: which account owns each of some nodes, per label.

The walk is driven from Python, one small statement per hop, rather than unrolled into
the main statement: SQLite's planner takes time exponential in the number of unrolled
hops (0.6 s at the default five, minutes at the deepest allowed), and a recursive CTE
would expand each contact again at every hop count.

Labels and relationship types are spliced in from the enums when the module loads;
every value from a caller is a bound parameter.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import networkx as nx

from stakegraph.graph.model import ChangeEvent, Label, RelType
from stakegraph.graph.selection import (
    FETCH_FROM_END,
    FETCH_FROM_START,
    MAX_PATH_DEPTH,
    PATH_TIE_TYPES,
)
from stakegraph.graph.subgraph import RelationshipRecord, subgraph_from_records

__all__ = [
    "ACCOUNT_SUBGRAPHS",
    "OWNING_ACCOUNTS",
    "OWN_CONTACTS",
    "PATH_TIES",
    "account_subgraphs",
    "neighbourhoods",
    "owning_accounts",
]


def _in(types: Sequence[RelType]) -> str:
    return ", ".join(f"'{t}'" for t in types)


def _sql(template: str) -> str:
    """Fill ``{Label}`` / ``{TYPE}`` slots with enum values (never caller input)."""
    return template.format(
        **{str(label): f"'{label}'" for label in Label},
        **{str(t): f"'{t}'" for t in RelType},
        PATH_TIES=_in(PATH_TIE_TYPES),
        FROM_START=_in(FETCH_FROM_START),
        FROM_END=_in(FETCH_FROM_END),
    )


#: Rules 1–3: the accounts of ?1 (a JSON array of company ids), their departments and
#: their own contacts, the start of every other rule.
_OWN = """
WITH RECURSIVE
acc(cid) AS MATERIALIZED (
  SELECT DISTINCT n.id FROM json_each(?1) AS j
  CROSS JOIN nodes AS n ON n.label = {Company} AND n.id = j.value
),
depts(cid, id) AS (
  SELECT a.cid, r.from_id FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {PART_OF}
   AND r.from_label = {Department}
  UNION
  SELECT d.cid, r.from_id FROM depts AS d CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Department} AND r.to_id = d.id AND r.type = {PART_OF}
   AND r.from_label = {Department}
),
own(cid, id) AS MATERIALIZED (
  SELECT DISTINCT d.cid, r.from_id FROM depts AS d CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Department} AND r.to_id = d.id AND r.type = {WORKS_IN}
   AND r.from_label = {Contact}
)
"""

#: ?1 = JSON array of company ids. Rows: (company id, contact id), its own contacts.
OWN_CONTACTS = _sql(_OWN + "SELECT cid, id FROM own")

#: One hop of rule 5: ?1 = JSON array of contact ids. Rows: (contact, tied contact) for
#: every path tie of theirs to another contact, either way.
PATH_TIES = _sql(
    """
SELECT r.from_id, r.to_id FROM json_each(?1) AS j CROSS JOIN rels AS r INDEXED BY rels_from
  ON r.from_label = {Contact} AND r.from_id = j.value AND r.type IN ({PATH_TIES})
 AND r.to_label = {Contact}
UNION ALL
SELECT r.to_id, r.from_id FROM json_each(?1) AS j CROSS JOIN rels AS r INDEXED BY rels_to
  ON r.to_label = {Contact} AND r.to_id = j.value AND r.type IN ({PATH_TIES})
 AND r.from_label = {Contact}
"""
)

#: ?1 = JSON array of company ids, ?2 = JSON array of ``[company id, contact id]`` pairs
#: (each account's own contacts and neighbourhood, from :func:`neighbourhoods`).
#: Rows: (kind, cid, a, b, c, d, e, f, g, h) with kind 0 a node (label, id, props,
#: foreign), 1 a relationship (type, from label, from id, to label, to id, props), 2 a
#: change event (entity, entity_id, contact_id, field, old, new, at, by).
ACCOUNT_SUBGRAPHS = _sql(
    _OWN
    + """,
reach(cid, id) AS MATERIALIZED (
  SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') FROM json_each(?2) AS j
),
people(cid, id) AS MATERIALIZED (
  SELECT cid, id FROM reach
  UNION
  SELECT o.cid, r.to_id FROM own AS o CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Contact} AND r.from_id = o.id AND r.type = {RIVAL_OF}
   AND r.to_label = {Contact}
  UNION
  SELECT o.cid, r.from_id FROM own AS o CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Contact} AND r.to_id = o.id AND r.type = {RIVAL_OF}
   AND r.from_label = {Contact}
),
opps(cid, id) AS MATERIALIZED (
  SELECT a.cid, r.from_id FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {FOR}
),
knows(cid, rep, contact) AS MATERIALIZED (
  SELECT p.cid, r.from_id, p.id FROM people AS p CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Contact} AND r.to_id = p.id AND r.type = {KNOWS}
),
own_ints(cid, id) AS MATERIALIZED (
  SELECT a.cid, r.from_id FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {ABOUT}
  UNION
  SELECT o.cid, r.from_id FROM opps AS o CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Opportunity} AND r.to_id = o.id AND r.type = {ABOUT}
  UNION
  SELECT o.cid, r.to_id FROM own AS o CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Contact} AND r.from_id = o.id AND r.type = {ATTENDED}
),
met(cid, id) AS (
  SELECT k.cid, rc.to_id FROM knows AS k
  CROSS JOIN rels AS rc INDEXED BY rels_from
    ON rc.from_label = {Contact} AND rc.from_id = k.contact AND rc.type = {ATTENDED}
  CROSS JOIN rels AS rr
    ON rr.type = {ATTENDED} AND rr.from_label = {Rep} AND rr.from_id = k.rep
   AND rr.to_label = {Interaction} AND rr.to_id = rc.to_id
),
reps(cid, id) AS MATERIALIZED (
  SELECT cid, rep FROM knows
  UNION
  SELECT a.cid, r.from_id FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {COVERS}
   AND r.from_label = {Rep}
  UNION
  SELECT i.cid, r.from_id FROM own_ints AS i CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Interaction} AND r.to_id = i.id AND r.type = {ATTENDED}
   AND r.from_label = {Rep}
),
sel(cid, label, id, foreign_) AS MATERIALIZED (
  SELECT cid, {Company}, cid, 0 FROM acc
  UNION
  SELECT a.cid, {Company}, r.to_id, 0 FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Company} AND r.from_id = a.cid AND r.type = {BRANCH_OF}
  UNION
  SELECT a.cid, {Company}, r.from_id, 0 FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {BRANCH_OF}
  UNION
  SELECT cid, {Department}, id, 0 FROM depts
  UNION
  SELECT cid, {Contact}, id, 0 FROM own
  UNION
  SELECT p.cid, {Contact}, p.id, 1 FROM people AS p
  WHERE NOT EXISTS (SELECT 1 FROM own AS o WHERE o.cid = p.cid AND o.id = p.id)
  UNION
  SELECT cid, {Opportunity}, id, 0 FROM opps
  UNION
  SELECT cid, {Interaction}, id, 0 FROM own_ints
  UNION
  SELECT cid, {Interaction}, id, 0 FROM met
  UNION
  SELECT cid, {Rep}, id, 0 FROM reps
  UNION
  SELECT a.cid, {Team}, r.from_id, 0 FROM acc AS a CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Company} AND r.to_id = a.cid AND r.type = {COVERS}
   AND r.from_label = {Team}
  UNION
  SELECT p.cid, {Team}, r.to_id, 0 FROM reps AS p CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Rep} AND r.from_id = p.id AND r.type = {MEMBER_OF}
  UNION
  SELECT o.cid, {Competitor}, r.from_id, 0 FROM opps AS o CROSS JOIN rels AS r INDEXED BY rels_to
    ON r.to_label = {Opportunity} AND r.to_id = o.id AND r.type = {COMPETES_FOR}
  UNION
  SELECT o.cid, {Competitor}, r.to_id, 0 FROM own AS o CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Contact} AND r.from_id = o.id AND r.type = {FAVORS}
)
SELECT 0, s.cid, s.label, s.id, n.props, s.foreign_, NULL, NULL, NULL, NULL, NULL
FROM sel AS s JOIN nodes AS n ON n.label = s.label AND n.id = s.id
UNION ALL
SELECT 1, s.cid, r.type, r.from_label, r.from_id, r.to_label, r.to_id, r.props, NULL, NULL, NULL
FROM sel AS s CROSS JOIN rels AS r INDEXED BY rels_from
  ON r.from_label = s.label AND r.from_id = s.id AND r.type IN ({FROM_START})
CROSS JOIN sel AS t ON t.cid = s.cid AND t.label = r.to_label AND t.id = r.to_id
UNION ALL
SELECT 1, t.cid, r.type, r.from_label, r.from_id, r.to_label, r.to_id, r.props, NULL, NULL, NULL
FROM sel AS t CROSS JOIN rels AS r INDEXED BY rels_to
  ON r.to_label = t.label AND r.to_id = t.id AND r.type IN ({FROM_END})
CROSS JOIN sel AS s ON s.cid = t.cid AND s.label = r.from_label AND s.id = r.from_id
UNION ALL
SELECT 2, o.cid, e.entity, e.entity_id, e.contact_id, e.field, e.old, e.new, e.at, e.by, e.seq
FROM own AS o CROSS JOIN changes AS e ON e.contact_id = o.id
"""
)


def neighbourhoods(
    conn: sqlite3.Connection, company_ids: Sequence[str], hops: int
) -> dict[str, set[str]]:
    """Each account's own contacts and the contacts within ``hops`` path ties of them
    (rule 5), walked breadth-first: one :data:`PATH_TIES` statement per hop for the
    frontier of every account at once."""
    if not 0 <= hops < MAX_PATH_DEPTH:
        raise ValueError(f"hops must be between 0 and {MAX_PATH_DEPTH - 1}, got {hops}")
    seen: dict[str, set[str]] = defaultdict(set)
    for cid, contact in conn.execute(OWN_CONTACTS, (json.dumps(list(company_ids)),)):
        seen[cid].add(contact)
    frontier = {cid: set(ids) for cid, ids in seen.items()}
    for _ in range(hops):
        todo = sorted(set().union(*frontier.values()))
        if not todo:
            break
        ties: dict[str, set[str]] = defaultdict(set)
        for a, b in conn.execute(PATH_TIES, (json.dumps(todo),)):
            ties[a].add(b)
        frontier = {
            cid: found
            for cid, ids in frontier.items()
            if (found := set().union(*(ties[i] for i in ids)) - seen[cid])
        }
        for cid, found in frontier.items():
            seen[cid] |= found
    return seen


def account_subgraphs(
    conn: sqlite3.Connection, company_ids: Sequence[str], hops: int
) -> dict[str, nx.MultiDiGraph]:
    """The subgraphs of ``company_ids`` whose neighbourhood reaches ``hops`` ties
    (0 … depth − 1), one graph per account found, read in one transaction."""
    nodes: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    foreign: dict[str, set[str]] = defaultdict(set)
    rels: dict[str, list[RelationshipRecord]] = defaultdict(list)
    changes: dict[str, list[ChangeEvent]] = defaultdict(list)
    ids = json.dumps(list(company_ids))
    with _read_transaction(conn):
        reach = neighbourhoods(conn, company_ids, hops)
        pairs = json.dumps([[cid, c] for cid, contacts in reach.items() for c in contacts])
        rows = conn.execute(ACCOUNT_SUBGRAPHS, (ids, pairs)).fetchall()
    # every stored property object decoded in one json.loads call (one per row costs
    # more in call overhead than in decoding)
    props = iter(_decode_all([row[4] if row[0] == 0 else row[7] for row in rows if row[0] < 2]))
    for kind, cid, a, b, c, d, e, f, g, h, seq in rows:
        if kind == 0:
            nodes[cid].append((a, next(props)))
            if d:
                foreign[cid].add(b)
        elif kind == 1:
            rels[cid].append((a, b, c, d, e, next(props)))
        else:
            changes[cid].append(_event(a, b, c, d, e, f, g, h, seq))
    return {
        cid: subgraph_from_records(
            cid, nodes[cid], rels[cid], changes[cid], foreign_contact_ids=foreign[cid]
        )
        for cid in dict.fromkeys(company_ids)
        if cid in nodes
    }


def _decode_all(texts: list[str]) -> list[dict[str, Any]]:
    """The JSON objects ``texts`` (stored property objects), decoded together."""
    decoded: list[dict[str, Any]] = json.loads("[" + ",".join(texts) + "]")
    return decoded


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One snapshot for several statements (an autocommit connection would let another
    process's write land between them); nested in a transaction already open."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _event(
    entity: str,
    entity_id: str,
    contact_id: str | None,
    field: str,
    old: str,
    new: str,
    at: str,
    by: str,
    seq: int | None = None,
) -> ChangeEvent:
    """A stored change event, not validated again."""
    return ChangeEvent.model_construct(
        entity=entity,
        entity_id=entity_id,
        contact_id=contact_id,
        field=field,
        old=json.loads(old),
        new=json.loads(new),
        at=datetime.fromisoformat(at),
        by=by,
        seq=seq,
    )


# --------------------------------------------------------------- owning accounts

_OWNER_CLIMB = """
WITH RECURSIVE
start(id, dept) AS ({start}),
up(id, label, node) AS (
  SELECT s.id, {Department}, s.dept FROM start AS s WHERE s.dept IS NOT NULL
  UNION
  SELECT u.id, r.to_label, r.to_id FROM up AS u CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Department} AND r.from_id = u.node AND r.type = {PART_OF}
  WHERE u.label = {Department}
)
SELECT id, min(node) FROM up WHERE label = {Company} GROUP BY id
"""

#: ?1 = JSON array of ids. Rows: (id, company id) for each node that has an account.
OWNING_ACCOUNTS: dict[Label, str] = {
    Label.COMPANY: _sql(
        "SELECT n.id, n.id FROM json_each(?1) AS j "
        "CROSS JOIN nodes AS n ON n.label = {Company} AND n.id = j.value"
    ),
    Label.DEPARTMENT: _sql(
        _OWNER_CLIMB.replace(
            "{start}",
            "SELECT n.id, n.id FROM json_each(?1) AS j "
            "CROSS JOIN nodes AS n ON n.label = {Department} AND n.id = j.value",
        )
    ),
    Label.CONTACT: _sql(
        _OWNER_CLIMB.replace(
            "{start}",
            "SELECT r.from_id, r.to_id FROM json_each(?1) AS j CROSS JOIN rels AS r INDEXED BY rels_from "
            "ON r.from_label = {Contact} AND r.from_id = j.value AND r.type = {WORKS_IN} "
            "AND r.to_label = {Department}",
        )
    ),
    Label.OPPORTUNITY: _sql(
        "SELECT r.from_id, min(r.to_id) FROM json_each(?1) AS j CROSS JOIN rels AS r INDEXED BY rels_from "
        "ON r.from_label = {Opportunity} AND r.from_id = j.value AND r.type = {FOR} "
        "AND r.to_label = {Company} GROUP BY r.from_id"
    ),
    Label.INTERACTION: _sql(
        """
WITH RECURSIVE
ints(id) AS (
  SELECT n.id FROM json_each(?1) AS j
  CROSS JOIN nodes AS n ON n.label = {Interaction} AND n.id = j.value
),
about(id, cid, rank) AS (
  SELECT i.id, r.to_id, 0 FROM ints AS i CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Interaction} AND r.from_id = i.id AND r.type = {ABOUT}
   AND r.to_label = {Company}
  UNION ALL
  SELECT i.id, f.to_id, 1 FROM ints AS i CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Interaction} AND r.from_id = i.id AND r.type = {ABOUT}
   AND r.to_label = {Opportunity}
  CROSS JOIN rels AS f INDEXED BY rels_from
    ON f.from_label = {Opportunity} AND f.from_id = r.to_id AND f.type = {FOR}
   AND f.to_label = {Company}
),
attendees(id, contact, dept) AS (
  SELECT i.id, a.from_id, w.to_id FROM ints AS i
  CROSS JOIN rels AS a INDEXED BY rels_to ON a.to_label = {Interaction} AND a.to_id = i.id AND a.type = {ATTENDED}
   AND a.from_label = {Contact}
  CROSS JOIN rels AS w INDEXED BY rels_from ON w.from_label = {Contact} AND w.from_id = a.from_id
   AND w.type = {WORKS_IN} AND w.to_label = {Department}
  WHERE NOT EXISTS (SELECT 1 FROM about AS b WHERE b.id = i.id)
),
up(id, contact, label, node) AS (
  SELECT id, contact, {Department}, dept FROM attendees
  UNION
  SELECT u.id, u.contact, r.to_label, r.to_id FROM up AS u CROSS JOIN rels AS r INDEXED BY rels_from
    ON r.from_label = {Department} AND r.from_id = u.node AND r.type = {PART_OF}
  WHERE u.label = {Department}
),
by_contact(id, contact, cid) AS (
  SELECT id, contact, min(node) FROM up WHERE label = {Company} GROUP BY id, contact
),
first_contact(id, contact) AS (
  SELECT id, min(contact) FROM by_contact GROUP BY id
),
best_about(id, rank) AS (SELECT id, min(rank) FROM about GROUP BY id)
SELECT a.id, min(a.cid) FROM about AS a JOIN best_about AS b ON b.id = a.id AND b.rank = a.rank
GROUP BY a.id
UNION ALL
SELECT c.id, c.cid FROM by_contact AS c
JOIN first_contact AS f ON f.id = c.id AND f.contact = c.contact
"""
    ),
}


def owning_accounts(conn: sqlite3.Connection, label: Label, ids: Sequence[str]) -> dict[str, str]:
    """Run the :data:`OWNING_ACCOUNTS` query of ``label`` (none for unowned labels)."""
    sql = OWNING_ACCOUNTS.get(label)
    if sql is None or not ids:
        return {}
    return {node_id: cid for node_id, cid in conn.execute(sql, (json.dumps(list(ids)),))}
