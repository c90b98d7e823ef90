"""A deterministic sample account for the map's tests, benchmark and screenshots.

:func:`sample_account` builds one account with every shape the map draws: nested
departments (one key), a ``REPORTS_TO`` tree, ``INFLUENCES`` / ``ALLY_OF`` /
``RIVAL_OF`` ties, every stance, the five decision roles in one open opportunity
(one role missing in a second), KDMs, contacts who left, a contact of another account
tied in, and two reps (one owns the account) whose ``KNOWS`` edges span the levels and the decay bands.
Extra names (``names=``) let tests plant hostile text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import networkx as nx

from stakegraph.graph.model import (
    Company,
    Contact,
    ContactStatus,
    Department,
    DepartmentFunction,
    Interaction,
    InteractionKind,
    Label,
    Node,
    Opportunity,
    Relationship,
    RelType,
    Rep,
    Seniority,
    Stance,
)
from stakegraph.graph.store import GraphBatch
from stakegraph.graph.subgraph import build_subgraph

__all__ = ["AS_OF", "sample_account", "sample_subgraph"]

AS_OF = date(2025, 3, 1)

_DEPARTMENTS = (
    ("exec", "Executive Office", DepartmentFunction.EXECUTIVE, None),
    ("it", "Information Technology", DepartmentFunction.TECHNICAL, "exec"),
    ("ops", "Operations", DepartmentFunction.BUSINESS, "exec"),
    ("fin", "Finance", DepartmentFunction.FINANCE_PROCUREMENT, "exec"),
    ("proc", "Procurement", DepartmentFunction.FINANCE_PROCUREMENT, "fin"),
    ("legal", "Legal", DepartmentFunction.LEGAL, "exec"),
)
_SENIORITY_BY_DEPTH = (
    Seniority.EXECUTIVE,
    Seniority.VP,
    Seniority.DIRECTOR,
    Seniority.MANAGER,
    Seniority.STAFF,
)
_FIRST = ("Ada", "Bo", "Chen", "Dana", "Eli", "Fang", "Gus", "Hui", "Ivy", "Jun", "Kai", "Lin")
_LAST = ("Wang", "Li", "Zhang", "Liu", "Smith", "Garcia", "Zhou", "Xu", "Sun", "Ma", "Hu")


def _rel(t: RelType, fl: Label, fid: str, tl: Label, tid: str, **props: object) -> Relationship:
    return Relationship(
        type=t, from_label=fl, from_id=fid, to_label=tl, to_id=tid, properties=props
    )


def sample_account(
    contacts: int = 24,
    *,
    company_id: str = "acme",
    names: Sequence[str] = (),
    seed: int = 7,
    owner: str = "r-amy",
) -> GraphBatch:
    """Records of one sample account with ``contacts`` contacts (at least 8).

    Parameters
    ----------
    contacts : int
        How many contacts the account has (besides one foreign contact).
    company_id : str
        The company's id; other ids are prefixed with it.
    names : sequence of str
        Names given to the first contacts instead of generated ones.
    seed : int
        Seed of the deterministic random choices.
    owner : str
        The rep (``r-amy`` or ``r-bob``) who ``COVERS`` the account as OWNER.

    Examples
    --------
    >>> batch = sample_account(12)
    >>> sum(1 for n in batch.nodes if n.label == "Contact")
    13
    """
    contacts = max(contacts, 8)
    rng = random.Random(seed)
    p = company_id
    nodes: list[Node] = [Company(id=p, name="ACME Precision Manufacturing", tier="STRATEGIC")]
    rels: list[Relationship] = []
    for did, name, fn, parent in _DEPARTMENTS:
        nodes.append(Department(id=f"{p}-{did}", name=name, function=fn, is_key=did == "it"))
        to_label, to_id = (Label.DEPARTMENT, f"{p}-{parent}") if parent else (Label.COMPANY, p)
        rels.append(_rel(RelType.PART_OF, Label.DEPARTMENT, f"{p}-{did}", to_label, to_id))

    dept_ids = [f"{p}-{d[0]}" for d in _DEPARTMENTS]
    stances = list(Stance)
    cids = [f"{p}-c{i:03d}" for i in range(contacts)]
    depth: dict[str, int] = {}
    works_in: dict[str, str] = {}
    for i, cid in enumerate(cids):
        if i == 0:
            dept, boss = dept_ids[0], None
        elif i < len(dept_ids):
            dept, boss = dept_ids[i], cids[0]
        else:
            dept = dept_ids[1 + (i % (len(dept_ids) - 1))]
            peers = [c for c, d in works_in.items() if d == dept]
            boss = rng.choice([c for c in peers if depth[c] < 4] or [cids[0]])
        depth[cid] = 0 if boss is None else depth[boss] + 1
        works_in[cid] = dept
        name = names[i] if i < len(names) else f"{_FIRST[i % 12]} {_LAST[(i * 7) % 11]}"
        nodes.append(
            Contact(
                id=cid,
                name=name,
                title=f"{_SENIORITY_BY_DEPTH[min(depth[cid], 4)].value.title()} #{i}",
                seniority=_SENIORITY_BY_DEPTH[min(depth[cid], 4)],
                is_kdm=i in (0, 1),
                stance=stances[i % len(stances)],
                status=ContactStatus.LEFT if i % 11 == 10 else ContactStatus.ACTIVE,
            )
        )
        rels.append(_rel(RelType.WORKS_IN, Label.CONTACT, cid, Label.DEPARTMENT, dept))
        if boss is not None:
            rels.append(_rel(RelType.REPORTS_TO, Label.CONTACT, cid, Label.CONTACT, boss))

    for i, cid in enumerate(cids[1:], start=1):
        other = cids[rng.randrange(len(cids))]
        if other != cid and i % 2 == 0:
            rels.append(
                _rel(
                    RelType.INFLUENCES,
                    Label.CONTACT,
                    cid,
                    Label.CONTACT,
                    other,
                    strength=1 + i % 3,
                )
            )
        if i % 5 == 0:
            rels.append(_rel(RelType.ALLY_OF, Label.CONTACT, cid, Label.CONTACT, cids[i // 2]))
        if i % 7 == 0:
            rels.append(_rel(RelType.RIVAL_OF, Label.CONTACT, cid, Label.CONTACT, cids[i - 1]))

    foreign = f"ext-{p}-partner"
    nodes.append(Contact(id=foreign, name="Gloria Partner", stance=Stance.SUPPORTER))
    rels.append(_rel(RelType.ALLY_OF, Label.CONTACT, foreign, Label.CONTACT, cids[2]))

    opp, opp2 = f"{p}-o1", f"{p}-o2"
    nodes += [
        Opportunity(id=opp, name="Data platform", amount=1_200_000, currency="CNY"),
        Opportunity(id=opp2, name="Service renewal", stage="NEGOTIATION"),
    ]
    rels += [_rel(RelType.FOR, Label.OPPORTUNITY, o, Label.COMPANY, p) for o in (opp, opp2)]
    roles = (
        ("ECONOMIC_BUYER", cids[0]),
        ("TECHNICAL_EVALUATOR", cids[1]),
        ("FINANCIAL_CONTROLLER", cids[3]),
        ("USER", cids[7]),
        ("INFLUENCER", cids[4]),
    )
    for role, cid in roles:
        rels.append(_rel(RelType.HAS_ROLE, Label.CONTACT, cid, Label.OPPORTUNITY, opp, role=role))
    rels.append(
        _rel(
            RelType.HAS_ROLE,
            Label.CONTACT,
            cids[3],
            Label.OPPORTUNITY,
            opp2,
            role="ECONOMIC_BUYER",
            stance="BLOCKER",
        )
    )

    at = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    reps = (("r-amy", "Amy Rep"), ("r-bob", "Bob Rep"))
    nodes += [Rep(id=rid, name=name) for rid, name in reps]
    rels.append(_rel(RelType.COVERS, Label.REP, owner, Label.COMPANY, p, kind="OWNER"))
    for i, cid in enumerate(cids):
        if i % 3 == 2:
            continue
        rid = reps[i % 2][0]
        days = (20, 200, 400)[i % 3 if i % 3 != 2 else 0]
        rels.append(
            _rel(
                RelType.KNOWS,
                Label.REP,
                rid,
                Label.CONTACT,
                cid,
                level=1 + (i * 5) % 4,
                last_contact_at=at - timedelta(days=days),
            )
        )
    nodes.append(Interaction(id=f"{p}-i1", at=at - timedelta(days=10), kind=InteractionKind.VISIT))
    rels += [
        _rel(RelType.ATTENDED, Label.REP, "r-amy", Label.INTERACTION, f"{p}-i1"),
        _rel(RelType.ATTENDED, Label.CONTACT, cids[0], Label.INTERACTION, f"{p}-i1"),
        _rel(RelType.ABOUT, Label.INTERACTION, f"{p}-i1", Label.COMPANY, p),
    ]
    return GraphBatch(nodes=nodes, relationships=rels)


def sample_subgraph(contacts: int = 24, **kw: object) -> nx.MultiDiGraph:
    """The account subgraph of :func:`sample_account` (the foreign contact marked)."""
    batch = sample_account(contacts, **kw)  # type: ignore[arg-type]
    company_id = next(n.id for n in batch.nodes if n.label == Label.COMPANY)
    return build_subgraph(
        company_id,
        batch.nodes,
        batch.relationships,
        foreign_contact_ids=[n.id for n in batch.nodes if n.id.startswith("ext-")],
    )
