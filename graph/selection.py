"""Which records make up an account's subgraph (domain.md §3 preamble).

For a company C the subgraph holds:

1. C, and the companies joined to it by ``BRANCH_OF`` (either way; the nodes only);
2. its departments: those ``PART_OF`` C, directly or through other departments;
3. its contacts: those ``WORKS_IN`` one of its departments (any status);
4. its opportunities: those ``FOR`` C;
5. foreign contacts: contacts of other accounts tied to one of its contacts by
   ``INFLUENCES``, ``REPORTS_TO``, ``ALLY_OF`` or ``RIVAL_OF`` (either way; for paths);
6. interactions ``ABOUT`` C or one of its opportunities, or attended by its contacts;
7. reps who ``KNOWS`` one of its (or the foreign) contacts, ``COVERS`` C, or attended
   one of those interactions;
8. teams that ``COVERS`` C or that one of those reps is ``MEMBER_OF``;
9. competitors that ``COMPETES_FOR`` one of its opportunities or that one of its
   contacts ``FAVORS``;

and every relationship among those nodes, plus the change events of its contacts.
The embedded store walks these rules with :func:`select_account`; the Neo4j store
runs the same rules as one Cypher query, and the shared contract suite checks that
both give the same graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stakegraph.graph.model import Label, Relationship, RelType

__all__ = ["TIE_TYPES", "SubgraphSelection", "select_account"]

#: Contact–contact ties followed to foreign contacts.
TIE_TYPES = (RelType.INFLUENCES, RelType.REPORTS_TO, RelType.ALLY_OF, RelType.RIVAL_OF)

Key = tuple[str, str]
Neighbours = Callable[[set[Key], Sequence[RelType], str], list[Relationship]]


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


def select_account(company_id: str, neighbours: Neighbours) -> SubgraphSelection:
    """Apply the rules above, given ``neighbours(keys, types, "in" | "out")``."""
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

    ties = neighbours(contacts, TIE_TYPES, "out") + neighbours(contacts, TIE_TYPES, "in")
    tied = (_ends(ties, "to", Label.CONTACT) | _ends(ties, "from", Label.CONTACT)) - contacts
    sel.keys |= tied
    sel.foreign_contact_ids = {nid for _, nid in tied}

    interactions = _ends(
        neighbours({company} | opportunities, [RelType.ABOUT], "in"), "from", Label.INTERACTION
    )
    interactions |= _ends(neighbours(contacts, [RelType.ATTENDED], "out"), "to", Label.INTERACTION)
    sel.keys |= interactions

    reps = _ends(neighbours(contacts | tied, [RelType.KNOWS], "in"), "from", Label.REP)
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
