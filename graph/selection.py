"""Which records make up an account's subgraph (docs/analytics.md §3 preamble, §3.2, §3.11).

For a company C and a path depth D (the most edges a path to power may have, §3.11;
default :data:`DEFAULT_PATH_DEPTH`) the subgraph holds:

1. C, and the companies joined to it by ``BRANCH_OF`` (either way; the nodes only);
2. its departments: those ``PART_OF`` C, directly or through other departments;
3. its contacts: those ``WORKS_IN`` one of its departments (any status);
4. its opportunities: those ``FOR`` C;
5. its cross-account neighbourhood (for paths, §3.11): every contact reachable from
   its contacts through ``INFLUENCES``, ``REPORTS_TO`` or ``ALLY_OF`` ties (either
   way) within D − 1 hops — a path opens with one of our reps' ``KNOWS`` edges, so its
   other D − 1 edges are ties — through contacts of any account; and, for the
   political map, the contacts tied to its contacts by ``RIVAL_OF`` (either way, one
   hop). Those of them who are not its contacts are *foreign* (``foreign=True``);
6. interactions ``ABOUT`` C or one of its opportunities, or attended by its contacts;
   and, for the decay of a level (§3.2, whichever account the interaction is about),
   every interaction attended both by a rep and by a contact of rules 3 and 5 that
   rep ``KNOWS``;
7. reps who ``KNOWS`` a contact of rules 3 and 5, ``COVERS`` C, or attended one of
   the interactions of the first half of rule 6;
8. teams that ``COVERS`` C or that one of those reps is ``MEMBER_OF``;
9. competitors that ``COMPETES_FOR`` one of its opportunities or that one of its
   contacts ``FAVORS``;

and every relationship among those nodes, plus the change events of its contacts.

Both stores run these rules per batch of accounts (Neo4j: one Cypher statement with
an unrolled breadth-first expansion; embedded: in one read transaction, a small
statement per hop of the expansion, then one SQL statement), and fetch the
relationships among the selected nodes from the end each type has few of
(:data:`FETCH_FROM_START`, :data:`FETCH_FROM_END`), so that the cost of a subgraph
does not grow with the rest of the store. :func:`select_account` walks
the same rules in Python over any ``neighbours`` lookup: the executable reference the
contract suite checks both stores against.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stakegraph.graph.model import Label, Relationship, RelType

__all__ = [
    "DEFAULT_PATH_DEPTH",
    "FETCH_FROM_END",
    "FETCH_FROM_START",
    "MAX_PATH_DEPTH",
    "PATH_TIE_TYPES",
    "TIE_TYPES",
    "SubgraphSelection",
    "check_path_depth",
    "select_account",
]

#: §3.11: a path to power has at most this many edges (``AnalysisSettings``).
DEFAULT_PATH_DEPTH = 6
#: The deepest neighbourhood a store fetches (a guard against runaway queries).
MAX_PATH_DEPTH = 12

#: Contact–contact ties a path to power may cross (§3.11), followed D − 1 hops.
PATH_TIE_TYPES = (RelType.INFLUENCES, RelType.REPORTS_TO, RelType.ALLY_OF)
#: Every contact–contact tie; ``RIVAL_OF`` is followed one hop only (political map).
TIE_TYPES = (*PATH_TIE_TYPES, RelType.RIVAL_OF)

#: Relationship types fetched from their start node: each node has few of them.
FETCH_FROM_START: tuple[RelType, ...] = (
    RelType.PART_OF,
    RelType.WORKS_IN,
    RelType.BRANCH_OF,
    RelType.REPORTS_TO,
    RelType.INFLUENCES,
    RelType.ALLY_OF,
    RelType.RIVAL_OF,
    RelType.HAS_ROLE,
    RelType.FOR,
    RelType.MEMBER_OF,
    RelType.ABOUT,
    RelType.FAVORS,
    # plan targets (§3.18) are never selected, so their ties are never fetched
    RelType.PLAN_OF,
    RelType.PLAN_FOR,
    RelType.TARGETS,
    RelType.ASSIGNED_TO,
)
#: Relationship types fetched from their end node: a rep KNOWS, COVERS and ATTENDED
#: across the whole portfolio, a competitor COMPETES_FOR across the whole market.
FETCH_FROM_END: tuple[RelType, ...] = (
    RelType.KNOWS,
    RelType.COVERS,
    RelType.ATTENDED,
    RelType.COMPETES_FOR,
)
assert set(FETCH_FROM_START) | set(FETCH_FROM_END) == set(RelType)
assert not set(FETCH_FROM_START) & set(FETCH_FROM_END)

Key = tuple[str, str]
Neighbours = Callable[[set[Key], Sequence[RelType], str], list[Relationship]]


def check_path_depth(path_depth: int) -> int:
    """``path_depth`` as an int in 1 … :data:`MAX_PATH_DEPTH`, else ``ValueError``.

    >>> check_path_depth(6)
    6
    """
    if isinstance(path_depth, bool) or not isinstance(path_depth, int):
        raise ValueError(f"path_depth must be an integer, got {path_depth!r}")
    if not 1 <= path_depth <= MAX_PATH_DEPTH:
        raise ValueError(f"path_depth must be between 1 and {MAX_PATH_DEPTH}, got {path_depth}")
    return path_depth


@dataclass
class SubgraphSelection:
    keys: set[Key] = field(default_factory=set)
    contact_ids: set[str] = field(default_factory=set)
    foreign_contact_ids: set[str] = field(default_factory=set)

    def add(self, label: Label | str, node_id: str) -> None:
        self.keys.add((str(label), node_id))

    def nodes_by_label(self) -> dict[Label, set[str]]:
        out: dict[Label, set[str]] = {}
        for label, node_id in self.keys:
            out.setdefault(Label(label), set()).add(node_id)
        return out


def _ends(rels: list[Relationship], end: str, label: Label) -> set[Key]:
    out: set[Key] = set()
    for r in rels:
        lab, nid = (r.from_label, r.from_id) if end == "from" else (r.to_label, r.to_id)
        if lab == label:
            out.add((str(lab), nid))
    return out


def _tied(contacts: set[Key], types: Sequence[RelType], neighbours: Neighbours) -> set[Key]:
    """Contacts one tie of ``types`` away from ``contacts`` (either way)."""
    ties = neighbours(contacts, types, "out") + neighbours(contacts, types, "in")
    return _ends(ties, "to", Label.CONTACT) | _ends(ties, "from", Label.CONTACT)


def _neighbourhood(contacts: set[Key], hops: int, neighbours: Neighbours) -> set[Key]:
    """Breadth-first over :data:`PATH_TIE_TYPES`, ``hops`` levels from ``contacts``."""
    seen, frontier = set(contacts), set(contacts)
    for _ in range(hops):
        frontier = _tied(frontier, PATH_TIE_TYPES, neighbours) - seen if frontier else set()
        seen |= frontier
    return seen


def _met(knows: list[Relationship], neighbours: Neighbours) -> set[Key]:
    """Interactions attended both by a rep and by a contact that rep KNOWS."""
    reps = _ends(knows, "from", Label.REP)
    people = _ends(knows, "to", Label.CONTACT)
    attended: dict[Key, set[Key]] = {}
    for r in neighbours(reps | people, [RelType.ATTENDED], "out"):
        attended.setdefault((str(r.from_label), r.from_id), set()).add((str(r.to_label), r.to_id))
    out: set[Key] = set()
    for k in knows:
        rep = attended.get((str(k.from_label), k.from_id), set())
        out |= rep & attended.get((str(k.to_label), k.to_id), set())
    return out


def select_account(
    company_id: str, neighbours: Neighbours, *, path_depth: int = DEFAULT_PATH_DEPTH
) -> SubgraphSelection:
    """Apply the rules above, given ``neighbours(keys, types, "in" | "out")``."""
    hops = check_path_depth(path_depth) - 1
    sel = SubgraphSelection()
    company = (str(Label.COMPANY), company_id)
    sel.keys.add(company)
    branch = neighbours({company}, [RelType.BRANCH_OF], "out")
    branch += neighbours({company}, [RelType.BRANCH_OF], "in")
    sel.keys |= _ends(branch, "to", Label.COMPANY) | _ends(branch, "from", Label.COMPANY)

    departments: set[Key] = set()
    frontier: set[Key] = {company}
    while frontier:
        found = _ends(neighbours(frontier, [RelType.PART_OF], "in"), "from", Label.DEPARTMENT)
        frontier = found - departments
        departments |= found
    sel.keys |= departments

    contacts = _ends(neighbours(departments, [RelType.WORKS_IN], "in"), "from", Label.CONTACT)
    sel.keys |= contacts
    sel.contact_ids = {nid for _, nid in contacts}

    opportunities = _ends(neighbours({company}, [RelType.FOR], "in"), "from", Label.OPPORTUNITY)
    sel.keys |= opportunities

    people = _neighbourhood(contacts, hops, neighbours) if contacts else set()
    people |= _tied(contacts, [RelType.RIVAL_OF], neighbours) if contacts else set()
    sel.keys |= people
    sel.foreign_contact_ids = {nid for _, nid in people - contacts}

    interactions = _ends(
        neighbours({company} | opportunities, [RelType.ABOUT], "in"), "from", Label.INTERACTION
    )
    interactions |= _ends(neighbours(contacts, [RelType.ATTENDED], "out"), "to", Label.INTERACTION)
    knows = neighbours(people, [RelType.KNOWS], "in")
    sel.keys |= interactions | _met(knows, neighbours)

    reps = _ends(knows, "from", Label.REP)
    covers = neighbours({company}, [RelType.COVERS], "in")
    reps |= _ends(covers, "from", Label.REP)
    reps |= _ends(neighbours(interactions, [RelType.ATTENDED], "in"), "from", Label.REP)
    sel.keys |= reps

    teams = _ends(covers, "from", Label.TEAM)
    teams |= _ends(neighbours(reps, [RelType.MEMBER_OF], "out"), "to", Label.TEAM)
    sel.keys |= teams

    competitors = _ends(
        neighbours(opportunities, [RelType.COMPETES_FOR], "in"), "from", Label.COMPETITOR
    )
    competitors |= _ends(neighbours(contacts, [RelType.FAVORS], "out"), "to", Label.COMPETITOR)
    sel.keys |= competitors
    return sel
