"""A process keeps the account subgraphs it read until the next write: a repeated
request for an unchanged account reads no subgraph from the store, and the first one
after a write reads it again and shows the write (both stores). An analysis after a
write that changed no tie takes its betweenness from the process's memo, whose bounds
come from the settings (of the request, or of the batch a Dask worker analyses)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, Stance, node_key
from stakegraph.graph.store import GraphStore
from stakegraph.influence.memo import BETWEENNESS_MEMO
from stakegraph.seeds import generate, load_demo
from stakegraph.service.fanout import analyse_batch
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


@pytest.fixture
def memo_bounds() -> Iterator[None]:
    """The process's betweenness memo as it was, whatever the test set."""
    bounds = BETWEENNESS_MEMO.size, BETWEENNESS_MEMO.min_nodes
    yield
    BETWEENNESS_MEMO.resize(*bounds)


def test_an_analysis_after_a_write_that_changed_no_tie_computes_no_betweenness(
    store: GraphStore, memo_bounds: None
) -> None:
    """A stance is no tie: the next analysis shows the new stance, and takes the
    betweenness of the unchanged influence graph from the process's memo."""
    doc = generate(1, 260, 11)
    import_dataset(store, doc)
    account = doc["companies"][0]["id"]
    settings = Settings(betweenness_memo_size=50_000, betweenness_memo_min_nodes=100)
    scope = Scope(store, settings, operator_scope(store).principal)
    assert (BETWEENNESS_MEMO.size, BETWEENNESS_MEMO.min_nodes) == (50_000, 100)
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


def test_a_dask_worker_takes_the_memo_bounds_of_the_batch_it_analyses(
    tmp_path: Path, memo_bounds: None
) -> None:
    db = tmp_path / "worker.db"
    store = EmbeddedStore(db)
    doc = generate(1, 30, 3)
    import_dataset(store, doc)
    store.close()
    BETWEENNESS_MEMO.resize(250_000, 200)
    settings = Settings(
        store="embedded", db_path=db, betweenness_memo_size=0, betweenness_memo_min_nodes=7
    )
    blob = analyse_batch(settings, [doc["companies"][0]["id"]], date(2026, 11, 20), 2)
    assert (BETWEENNESS_MEMO.size, BETWEENNESS_MEMO.min_nodes) == (0, 7)
    assert doc["companies"][0]["id"] in pickle.loads(blob)


def _stance_of(scope: Scope, account: str, contact_id: str) -> str:
    return str(scope.view(account).graph.nodes[node_key(Label.CONTACT, contact_id)]["stance"])
