"""Bulk analyses keep the garbage collector to one batch at a time (graph/gc_policy.py):
between batches what was kept is frozen out of its sight, at the end all is handed back,
and the analyses are those of one unbatched run."""

from __future__ import annotations

import gc
from pathlib import Path

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from tests.conftest import operator_scope


def _serial(store: GraphStore) -> Scope:
    if store.backend == "embedded":
        settings = Settings(store="embedded", db_path=Path(store.path))  # type: ignore[attr-defined]
    else:
        settings = Settings(store="neo4j", neo4j_uri=store.uri)  # type: ignore[attr-defined]
    settings = settings.model_copy(update={"analysis_cache": False, "parallel_portfolios": False})
    return Scope(store, settings, operator_scope(store).principal)


def test_batches_are_settled_between_and_everything_unfrozen_at_the_end(
    store: GraphStore,
) -> None:
    import_dataset(store, load_demo())
    ids = [c["id"] for c in load_demo()["companies"]]
    assert len(ids) >= 3 and gc.get_freeze_count() == 0

    def tracked() -> set[int]:  # what the collector may traverse (frozen objects are not)
        return {id(o) for o in gc.get_objects()}

    batched = {}
    earlier: list[object] = []
    for c, _, analysis in _serial(store).stream_analyses(ids, DEMO_TODAY, batch_size=1):
        if earlier:  # each later batch runs with the earlier batches' results frozen
            seen = tracked()
            assert not any(id(a) in seen for a in earlier)
        earlier.append(analysis)
        batched[c] = analysis
    assert gc.get_freeze_count() == 0  # handed back at the end
    assert id(earlier[0]) in tracked()
    whole = {c: a for c, _, a in _serial(store).stream_analyses(ids, DEMO_TODAY)}
    assert list(batched) == list(whole) and batched == whole


def test_an_abandoned_stream_unfreezes_too(store: GraphStore) -> None:
    import_dataset(store, load_demo())
    ids = [c["id"] for c in load_demo()["companies"]]
    stream = _serial(store).stream_analyses(ids, DEMO_TODAY, batch_size=1)
    next(stream)
    next(stream)
    assert gc.get_freeze_count() > 0
    stream.close()
    assert gc.get_freeze_count() == 0
