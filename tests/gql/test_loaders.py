"""Speed by construction: nested lists are batched per request, and each account's
analysis is computed at most once per request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.service import scope as scope_module

from .conftest import KEYS, make_settings, world


class CountingStore:
    """The real store, counting calls of each method."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


@pytest.fixture
def counting(store: GraphStore) -> Iterator[tuple[TestClient, CountingStore]]:
    import_dataset(store, world())
    spy = CountingStore(store)
    with TestClient(create_app(make_settings(), spy)) as client:  # type: ignore[arg-type]
        yield client, spy


def _post(client: TestClient, query: str) -> dict[str, Any]:
    r = client.post("/graphql", json={"query": query}, headers={"X-API-Key": KEYS["ADMIN"][0]})
    body = r.json()
    assert not body.get("errors"), body
    return body["data"]


def test_nested_lists_are_loaded_in_batches(counting: tuple[TestClient, CountingStore]) -> None:
    client, spy = counting
    _post(
        client,
        """{ accounts(first: 10) { edges { node { id
        departments { id contacts { id } }
        contacts(first: 50) { edges { node { id department { id } reportsTo { id }
          roles { role } company { id } } } }
        opportunities { roles { contact { id } } } } } } }""",
    )
    assert spy.calls["account_subgraphs"] == 1  # every account's subgraph in one round trip
    assert sum(spy.calls.values()) <= 6, spy.calls


def test_each_account_is_analysed_once_per_request(
    counting: tuple[TestClient, CountingStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = counting
    seen: Counter[str] = Counter()
    real = scope_module.analyze_account

    def spy(g: Any, **kwargs: Any) -> Any:
        seen[g.graph["company_id"]] += 1
        return real(g, **kwargs)

    monkeypatch.setattr(scope_module, "analyze_account", spy)
    _post(
        client,
        """{ accounts(first: 10, asOf: "2026-06-30", sort: {field: GRADE_SCORE}) {
        edges { node { id
          relationshipGrade(asOf: "2026-06-30") { grade }
          coverage(asOf: "2026-06-30") { ratio }
          balance(asOf: "2026-06-30") { value }
          health(asOf: "2026-06-30") { status }
          potential(asOf: "2026-06-30") { band }
          contacts(first: 5) { edges { node { effectiveLevel(asOf: "2026-06-30")
                                             influence(asOf: "2026-06-30") { score } } } } } } } }""",
    )
    assert seen and set(seen.values()) == {1}, seen
