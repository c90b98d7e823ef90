"""What-if change specs, as people type them (§3.12): ``--leave C``,
``--stance C=OPPONENT``, ``--level C=3`` or ``--level REP:C=3`` and ``--tie A>B=2``
(the ``stakegraph whatif`` options), read against the account they are about.

The analysis itself is :func:`stakegraph.service.analysis.what_if`; the before/after
table is :func:`stakegraph.reports.whatif.comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from stakegraph.graph.model import CoverKind, Label, RelType, Stance, node_key
from stakegraph.influence.models import (
    Change,
    ContactLeaves,
    InfluenceTieAppears,
    LevelBecomes,
    StanceBecomes,
)

__all__ = ["ChangeSpecError", "default_rep", "parse_changes"]


class ChangeSpecError(ValueError):
    """A ``whatif`` option that cannot be read."""


def _split(spec: str, sep: str, option: str, form: str) -> tuple[str, str]:
    left, found, right = spec.rpartition(sep)
    if not found or not left or not right:
        raise ChangeSpecError(f"{option} {spec!r}: expected {form}")
    return left.strip(), right.strip()


def default_rep(g: nx.MultiDiGraph, contact_id: str) -> str | None:
    """The rep whose level ``--level C=L`` changes: the one who knows the contact best,
    else the account's owner rep; ``None`` when there is neither."""
    contact = node_key(Label.CONTACT, contact_id)
    best: tuple[int, str] | None = None
    if contact in g:
        for rep, _, key, attrs in g.in_edges(contact, keys=True, data=True):
            if key == RelType.KNOWS:
                cand = (-int(attrs.get("level", 0)), g.nodes[rep]["id"])
                best = cand if best is None or cand < best else best
    if best is not None:
        return best[1]
    company = node_key(Label.COMPANY, str(g.graph.get("company_id")))
    owners = sorted(
        g.nodes[u]["id"]
        for u, _, key, attrs in (g.in_edges(company, keys=True, data=True) if company in g else [])
        if key == RelType.COVERS
        and g.nodes[u].get("label") == Label.REP
        and attrs.get("kind", CoverKind.OWNER) == CoverKind.OWNER
    )
    return owners[0] if owners else None


def parse_changes(
    g: nx.MultiDiGraph,
    *,
    leave: Sequence[str] = (),
    stance: Sequence[str] = (),
    level: Sequence[str] = (),
    tie: Sequence[str] = (),
    opportunity_id: str | None = None,
) -> list[Change]:
    """Change models from the ``whatif`` option values, in option order.

    A stance change applies to the contact (to its ``HAS_ROLE`` on ``opportunity_id``
    when given). ``--level C=L`` without a rep picks :func:`default_rep`.

    Raises
    ------
    ChangeSpecError
        When a spec is malformed or names a stance or level that does not exist.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> [c.kind for c in parse_changes(tiny_account(), leave=["c-ceo"], level=["c-cio=3"],
    ...                                tie=["c-eng>c-cfo=2"])]
    ['contact_leaves', 'level_becomes', 'influence_tie_appears']
    >>> parse_changes(tiny_account(), level=["c-eng=3"])[0].rep_id
    'r-bob'
    """
    changes: list[Change] = [ContactLeaves(contact_id=c.strip()) for c in leave]
    for spec in stance:
        contact, value = _split(spec, "=", "--stance", "CONTACT=STANCE")
        try:
            new = Stance(value.upper())
        except ValueError as exc:
            raise ChangeSpecError(
                f"--stance {spec!r}: unknown stance; one of {', '.join(Stance)}"
            ) from exc
        changes.append(StanceBecomes(contact_id=contact, stance=new, opportunity_id=opportunity_id))
    for spec in level:
        target, value = _split(spec, "=", "--level", "[REP:]CONTACT=LEVEL")
        given, _, contact = target.rpartition(":")
        rep = given or default_rep(g, contact)
        if rep is None:
            raise ChangeSpecError(
                f"--level {spec!r}: no rep knows {contact!r} and the account has no owner rep; "
                "use REP:CONTACT=LEVEL"
            )
        changes.append(LevelBecomes(rep_id=rep, contact_id=contact, level=_int(value, spec, 0, 4)))
    for spec in tie:
        pair, value = _split(spec, "=", "--tie", "A>B=STRENGTH") if "=" in spec else (spec, "1")
        a, b = _split(pair, ">", "--tie", "A>B=STRENGTH")
        changes.append(
            InfluenceTieAppears(
                from_contact_id=a, to_contact_id=b, strength=_int(value, spec, 1, 3)
            )
        )
    return changes


def _int(value: str, spec: str, low: int, high: int) -> int:
    try:
        n = int(value)
    except ValueError:
        n = low - 1
    if not low <= n <= high:
        raise ChangeSpecError(f"{spec!r}: expected a whole number {low}–{high}, got {value!r}")
    return n
