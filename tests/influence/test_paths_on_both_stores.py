"""§3.2/§3.11 through a dataset import on both stores: decay saved by a visit at another
account, and a path over a contact of another account."""

from __future__ import annotations

from datetime import date

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account, effective_levels, paths_to_power

AS_OF = date(2024, 6, 30)


def _doc() -> dict:
    return {
        "version": 1,
        "companies": [
            {"id": "acme", "name": "ACME", "tier": "KEY"},
            {"id": "beta", "name": "Beta"},
        ],
        "departments": [
            {"id": "d-acme", "name": "Board", "company_id": "acme"},
            {"id": "d-beta", "name": "Board", "company_id": "beta"},
        ],
        "contacts": [
            {"id": "t", "name": "Target", "seniority": "EXECUTIVE", "department_id": "d-acme"},
            {"id": "fb", "name": "Friend", "seniority": "VP", "department_id": "d-beta"},
        ],
        "reps": [{"id": "r1", "name": "Rita"}],
        "interactions": [
            {  # logged at Beta, attended by our rep and the target: 10 days before AS_OF
                "id": "i-beta",
                "at": "2024-06-20T09:00:00Z",
                "kind": "VISIT",
                "rep_ids": ["r1"],
                "contact_ids": ["t"],
            }
        ],
        "relationships": [
            {  # level 3, last contact 400 days before AS_OF: alone it decays to 1
                "type": "KNOWS",
                "from": "r1",
                "to": "t",
                "level": 3,
                "last_contact_at": "2023-05-27T00:00:00Z",
            },
            {"type": "KNOWS", "from": "r1", "to": "fb", "level": 4},
            {"type": "ALLY_OF", "from": "fb", "to": "t"},
            {"type": "ABOUT", "from": "i-beta", "to": "beta"},
        ],
    }


def test_visit_at_another_account_saves_the_decay_and_paths_cross_it(store: GraphStore):
    import_dataset(store, _doc())
    g = store.account_subgraph("acme")
    assert effective_levels(g, as_of=AS_OF)["t"] == 3  # met 10 days ago, at Beta
    paths = paths_to_power(g, "t", as_of=AS_OF)
    assert [([k.partition(":")[2] for k in p.node_keys], p.probability) for p in paths] == [
        (["r1", "t"], 0.75),
        (["r1", "fb", "t"], pytest.approx(0.6)),
    ]
    a = analyze_account(g, as_of=AS_OF)
    assert a.effective_levels["t"] == 3
    assert "fb" not in a.influence.scores()  # crossed, never counted as ours
