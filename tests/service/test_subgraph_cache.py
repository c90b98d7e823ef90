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
