"""Analyses are cached in the store, shared by every process, and no write leaves a
stale one behind (issue: analyses cached where every worker sees them)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, Stance
from stakegraph.graph.store import CacheEntry, GraphStore
from stakegraph.influence.models import AccountAnalysis
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.service import scope as scope_module
from stakegraph.service.analysis_cache import analysis_key, settings_fingerprint
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from stakegraph.service.writes import set_stance
from tests.conftest import operator_scope

ACCOUNT = "co-orient"


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    import_dataset(store, load_demo())
    return store


@pytest.fixture
def analyses_computed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The accounts ``analyze_account`` actually ran on (in the scope module)."""
    ran: list[str] = []
    real = scope_module.analyze_account

    def counting(g: Any, **kwargs: Any) -> AccountAnalysis:
        result = real(g, **kwargs)
        ran.append(result.company_id)
        return result

    monkeypatch.setattr(scope_module, "analyze_account", counting)
    yield ran


def _scope(store: GraphStore) -> Scope:
    return operator_scope(store)


def test_every_write_and_clear_replace_the_generation_but_caching_does_not(
    store: GraphStore,
) -> None:
    empty = store.generation()
    import_dataset(store, load_demo())
    first = store.generation()
    assert first is not None and first != empty
    store.cache([CacheEntry("k", first, b"payload")])
    assert store.generation() == first
    assert store.cached(["k", "absent"]) == {"k": CacheEntry("k", first, b"payload")}
    set_stance(_scope(store), "c-or-03", Stance.OPPONENT)
    second = store.generation()
    assert second not in (None, first)
    store.clear()
    assert store.generation() not in (None, first, second)
    assert store.cached(["k"]) == {}


def test_only_the_current_generation_is_cached_and_storing_drops_the_others(
    store: GraphStore,
) -> None:
    import_dataset(store, load_demo())
    first = store.generation()
    assert first is not None
    store.cache([CacheEntry("old", first, b"1"), CacheEntry("kept", first, b"2")])
    store.cache([CacheEntry("kept", first, b"3")])  # the same generation keeps the others
    assert set(store.cached(["old", "kept"])) == {"old", "kept"}
    set_stance(_scope(store), "c-or-03", Stance.OPPONENT)
    second = store.generation()
    assert second is not None and second != first
    store.cache([CacheEntry("late", first, b"5")])  # computed before the write: not kept
    assert set(store.cached(["old", "kept", "late"])) == {"old", "kept"}
    store.cache([CacheEntry("new", second, b"4")])
    assert store.cached(["old", "kept", "new"]) == {"new": CacheEntry("new", second, b"4")}
    store.cache([CacheEntry("late", first, b"5")])  # nor does it drop the current ones
    assert store.cached(["new", "late"]) == {"new": CacheEntry("new", second, b"4")}


def test_a_second_scope_gets_the_analysis_from_the_store(
    demo: GraphStore, analyses_computed: list[str]
) -> None:
    first = _scope(demo).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == [ACCOUNT]
    again = _scope(demo).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == [ACCOUNT]  # not computed again
    assert again == first


def test_an_analysis_after_a_write_reflects_it(
    demo: GraphStore, analyses_computed: list[str]
) -> None:
    today = datetime.now(UTC).date()  # the day the write is stamped
    before = _scope(demo).analysis(ACCOUNT, today)
    swing = before.balance.swing[0].contact_id  # a neutral of the chain
    set_stance(_scope(demo), swing, Stance.OPPONENT)
    after = _scope(demo).analysis(ACCOUNT, today)
    assert analyses_computed == [ACCOUNT, ACCOUNT]
    assert after.balance.opponents == before.balance.opponents + 1
    assert swing not in {c.contact_id for c in after.balance.swing}
    # as of the demo's day, before the write, the account is as it was then (§3.17)
    past = _scope(demo).analysis(ACCOUNT, DEMO_TODAY)
    assert past.balance.opponents == before.balance.opponents
    assert swing in {c.contact_id for c in past.balance.swing}


def test_a_write_to_another_account_invalidates_too(
    demo: GraphStore, analyses_computed: list[str]
) -> None:
    """A path or a decay may run through another account's contact: any write counts."""
    _scope(demo).analysis(ACCOUNT, DEMO_TODAY)
    assert _scope(demo).owner(Label.CONTACT, "c-hx-02") != ACCOUNT
    set_stance(_scope(demo), "c-hx-02", Stance.NEUTRAL)
    _scope(demo).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == [ACCOUNT, ACCOUNT]


def test_the_key_holds_the_day_the_opportunity_and_the_settings(
    demo: GraphStore, analyses_computed: list[str]
) -> None:
    scope = _scope(demo)
    scope.analysis(ACCOUNT, DEMO_TODAY)
    _scope(demo).analysis(ACCOUNT, DEMO_TODAY.replace(day=1))
    changed = Settings(analysis={"verdict_threshold": 0.35})
    Scope(demo, changed, scope.principal).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == [ACCOUNT, ACCOUNT, ACCOUNT]
    assert settings_fingerprint(changed.analysis) != settings_fingerprint(Settings().analysis)


def test_portfolio_streams_use_and_fill_the_cache(
    demo: GraphStore, analyses_computed: list[str]
) -> None:
    ids = [c["id"] for c in load_demo()["companies"]]
    first = {c: a for c, _, a in _scope(demo).stream_analyses(ids, DEMO_TODAY)}
    count = len(analyses_computed)
    assert count == len(first) > 1
    again = {c: a for c, _, a in _scope(demo).stream_analyses(ids, DEMO_TODAY)}
    assert len(analyses_computed) == count
    assert again == first


def test_another_process_sees_the_cached_analysis(
    tmp_path: Path, analyses_computed: list[str]
) -> None:
    """The cache is the store's: what one worker computed, another one reuses."""
    db = tmp_path / "shared.db"
    with EmbeddedStore(db) as store:
        import_dataset(store, load_demo())
        generation = store.generation()
    code = (
        "from stakegraph.graph.embedded_store import EmbeddedStore\n"
        "from stakegraph.seeds import DEMO_TODAY\n"
        "from tests.conftest import operator_scope\n"
        f"s = EmbeddedStore({str(db)!r})\n"
        f"operator_scope(s).analysis({ACCOUNT!r}, DEMO_TODAY)\n"
        "s.close()\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=300)
    with EmbeddedStore(db) as store:
        key = analysis_key(ACCOUNT, DEMO_TODAY, None, settings_fingerprint(Settings().analysis))
        entry = store.cached([key])[key]
        assert entry.generation == generation
        analysis = _scope(store).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == []
    assert analysis.company_id == ACCOUNT


def test_the_cache_can_be_turned_off(demo: GraphStore, analyses_computed: list[str]) -> None:
    off = Settings(analysis_cache=False)
    principal = _scope(demo).principal
    Scope(demo, off, principal).analysis(ACCOUNT, DEMO_TODAY)
    Scope(demo, off, principal).analysis(ACCOUNT, DEMO_TODAY)
    assert analyses_computed == [ACCOUNT, ACCOUNT]
