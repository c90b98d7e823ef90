"""Portfolio analyses fanned out on Dask distributed give exactly the serial results,
on both stores (a real LocalCluster of worker processes)."""

from __future__ import annotations

from pathlib import Path

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.service.fanout import settings_describe
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from tests.conftest import operator_scope


def _settings_of(store: GraphStore, **extra: object) -> Settings:
    if store.backend == "embedded":
        return Settings(store="embedded", db_path=Path(store.path), **extra)  # type: ignore[attr-defined]
    return Settings(store="neo4j", neo4j_uri=store.uri, **extra)  # type: ignore[attr-defined]


def test_dask_and_serial_portfolios_are_identical(store: GraphStore) -> None:
    import_dataset(store, load_demo())
    ids = [c["id"] for c in load_demo()["companies"]]
    serial_settings = _settings_of(store, analysis_cache=False, parallel_portfolios=False)
    serial = {
        c: a
        for c, _, a in Scope(
            store, serial_settings, operator_scope(store).principal
        ).stream_analyses(ids, DEMO_TODAY)
    }
    dask_settings = _settings_of(
        store, analysis_cache=False, dask_min_accounts=1, dask_batch_size=3, dask_workers=2
    )
    assert settings_describe(dask_settings, store)
    fanned = Scope(store, dask_settings, operator_scope(store).principal)
    parallel = {c: a for c, _, a in fanned.stream_analyses(ids, DEMO_TODAY)}
    assert list(parallel) == list(serial)
    assert parallel == serial


def test_a_store_the_settings_do_not_describe_stays_serial(store: GraphStore) -> None:
    other = Settings(store="embedded", db_path=Path("/nonexistent/other.db"))
    assert not settings_describe(other, store)
