"""Contacts of accounts the caller may not see, stripped of their identity.

An account's subgraph holds contacts of other accounts (for warm paths and the
political map, §3.11). A caller who may not see such an account still sees that a
tie exists — the analytics would change otherwise — but never who is at its end:
the contact is renamed ``masked-N`` and loses its name, title, e-mail, phone,
profile and dates; its seniority, stance and ties stay, so every analytic gives the
same result on the masked graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from stakegraph.graph.model import Label, node_key

__all__ = [
    "IDENTITY_FIELDS",
    "MASKED_NAME",
    "foreign_contact_ids",
    "mask_contacts",
    "masked_ids",
]

#: What a masked contact of another account is called.
MASKED_NAME = "(other account)"

#: Attributes that tell who a contact is.
IDENTITY_FIELDS = (
    "name",
    "title",
    "email",
    "emails",
    "phone",
    "profile",
    "last_verified_at",
    "created_at",
    "updated_at",
)


def foreign_contact_ids(g: nx.MultiDiGraph) -> list[str]:
    """Ids of the contacts of other accounts held by an account subgraph, sorted."""
    return sorted(
        str(a["id"])
        for _, a in g.nodes(data=True)
        if a.get("label") == Label.CONTACT and a.get("foreign")
    )


def masked_ids(hidden: Iterable[str], present: Iterable[str] | None = None) -> dict[str, str]:
    """Real id → ``masked-N`` of the hidden contacts (those ``present`` in the subgraph,
    by default all), numbered in id order as :func:`mask_contacts` names them.

    >>> masked_ids(["c-b", "c-a"])
    {'c-a': 'masked-1', 'c-b': 'masked-2'}
    """
    ids = sorted(set(hidden))
    keep = None if present is None else set(present)
    return {c: f"masked-{i}" for i, c in enumerate(ids, 1) if keep is None or c in keep}


def mask_contacts(g: nx.MultiDiGraph, hidden: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of ``g`` in which every contact of ``hidden`` is masked (``g`` itself when
    there is none).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> g = mask_contacts(tiny_account(), ["c-partner"])
    >>> a = g.nodes["Contact:masked-1"]
    >>> a["name"], a["title"], a["masked"], "Contact:c-partner" in g
    ('(other account)', None, True, False)
    """
    present = [c for c in set(hidden) if node_key(Label.CONTACT, c) in g]
    if not set(hidden):
        return g
    mapping = {
        node_key(Label.CONTACT, c): node_key(Label.CONTACT, m)
        for c, m in masked_ids(hidden, present).items()
    }
    h = nx.relabel_nodes(g, mapping, copy=True)
    for key in mapping.values():
        attrs = h.nodes[key]
        attrs.update({f: None for f in IDENTITY_FIELDS if f in attrs})
        attrs.update(id=key.split(":", 1)[1], name=MASKED_NAME, masked=True)
    return h
