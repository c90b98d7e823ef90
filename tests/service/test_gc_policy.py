"""Bulk analyses keep the garbage collector to one batch at a time (service/gc_policy.py):
between batches what was kept is frozen out of its sight, at the end all is handed back,
and the analyses are those of one unbatched run."""

from __future__ import annotations

import gc
from itertools import pairwise
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

    frozen_at: list[int] = []
    batched = {}
    for c, _, analysis in _serial(store).stream_analyses(ids, DEMO_TODAY, batch_size=1):
        frozen_at.append(gc.get_freeze_count())
        batched[c] = analysis

    # what was there before is frozen from the start; each later batch runs with the
    # earlier ones' results frozen too
    assert all(n > 0 for n in frozen_at)
    assert all(later > earlier for earlier, later in pairwise(frozen_at))
    assert gc.get_freeze_count() == 0  # handed back at the end
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
