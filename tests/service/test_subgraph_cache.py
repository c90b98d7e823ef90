"""A process keeps the account subgraphs it read until the next write: a repeated
request for an unchanged account reads no subgraph from the store, and the first one
after a write reads it again and shows the write (both stores)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Label, Stance, node_key
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import load_demo
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from stakegraph.service.writes import set_stance
from tests.conftest import operator_scope

ACCOUNT = "co-orient"
CONTACT = "c-or-03"


@pytest.fixture
def reads(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The account ids of every ``account_subgraphs`` call that reached the store."""
    import_dataset(store, load_demo())
    calls: list[list[str]] = []
    real = store.account_subgraphs

    def counting(ids: Any, **kwargs: Any) -> dict[str, nx.MultiDiGraph]:
        calls.append(list(ids))
        return real(ids, **kwargs)

    monkeypatch.setattr(store, "account_subgraphs", counting)
    return calls


def _stance(scope: Scope) -> str:
    return str(scope.view(ACCOUNT).graph.nodes[node_key(Label.CONTACT, CONTACT)]["stance"])


def test_a_repeated_request_reads_no_subgraph_until_a_write(
    store: GraphStore, reads: list[list[str]]
) -> None:
    before = _stance(operator_scope(store))
    assert reads == [[ACCOUNT]]
    assert _stance(operator_scope(store)) == before  # a new request (scope): no read
    assert reads == [[ACCOUNT]]

    changed = Stance.OPPONENT if before != Stance.OPPONENT else Stance.CHAMPION
    set_stance(operator_scope(store), CONTACT, changed)
    reads.clear()
    assert _stance(operator_scope(store)) == changed  # read again, with the write
    assert reads == [[ACCOUNT]]


def test_without_the_analysis_cache_or_with_no_entries_every_request_reads(
    store: GraphStore, reads: list[list[str]]
) -> None:
    for settings in (Settings(analysis_cache=False), Settings(subgraph_cache_local_entries=0)):
        reads.clear()
        _stance(Scope(store, settings, operator_scope(store).principal))
        _stance(Scope(store, settings, operator_scope(store).principal))
        assert reads == [[ACCOUNT], [ACCOUNT]]


def test_an_analysis_after_a_write_that_changed_no_tie_computes_no_betweenness(
    store: GraphStore,
) -> None:
    """A stance is no tie: the next analysis shows the new stance, and takes the
    betweenness of the unchanged influence graph from the process's memo."""
    from stakegraph.influence.memo import BETWEENNESS_MEMO
    from stakegraph.seeds import generate

    doc = generate(1, 260, 11)
    import_dataset(store, doc)
    account = doc["companies"][0]["id"]
    settings = Settings(betweenness_memo_ties=50_000, betweenness_memo_min_nodes=100)
    scope = Scope(store, settings, operator_scope(store).principal)
    assert (BETWEENNESS_MEMO.ties, BETWEENNESS_MEMO.min_nodes) == (50_000, 100)
    before = scope.analysis(account)
    contact = before.influence.contacts[0].contact_id
    was = _stance_of(scope, account, contact)
    stance = Stance.OPPONENT if was != Stance.OPPONENT else Stance.CHAMPION
    set_stance(Scope(store, settings, scope.principal), contact, stance)
    hits = BETWEENNESS_MEMO.hits
    later = Scope(store, settings, scope.principal)
    after = later.analysis(account)
    assert BETWEENNESS_MEMO.hits == hits + 1  # analysed again, its betweenness kept
    assert _stance_of(later, account, contact) == stance
    assert [(c.contact_id, c.betweenness) for c in after.influence.contacts] == [
        (c.contact_id, c.betweenness) for c in before.influence.contacts
    ]
    operator_scope(store)  # the default bounds again


def _stance_of(scope: Scope, account: str, contact_id: str) -> str:
    return str(scope.view(account).graph.nodes[node_key(Label.CONTACT, contact_id)]["stance"])
