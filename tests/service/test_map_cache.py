"""A map's data is kept in the store's cache like an analysis (``service.maps.map_document``).

It is drawn once per caller, account, view, language and day at the store's generation:
a second view of an unchanged account is not drawn again, a write draws it again, and
no caller is ever given a map drawn for another (the masked contacts stay masked).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Stance
from stakegraph.graph.store import CacheEntry, GraphStore
from stakegraph.service import maps as maps_module
from stakegraph.service.access import Principal, Role
from stakegraph.service.errors import NotFound
from stakegraph.service.maps import map_data_key, map_document
from stakegraph.service.scope import Scope
from stakegraph.service.writes import set_stance
from tests.gql.conftest import AS_OF, make_settings, world

ADMIN = Principal(name="admin", role=Role.ADMIN)
AMY = Principal(name="rep", role=Role.REP, rep_id="r-amy")


def map_data(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return map_document(*args, **kwargs).data


@pytest.fixture
def acme(store: GraphStore) -> GraphStore:
    import_dataset(store, world())
    return store


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The (view, language) of every map actually drawn."""
    calls: list[tuple[str, str]] = []
    real = maps_module.account_map_data

    def counting(g: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append((kwargs["view"], kwargs.get("lang", "en")))
        return real(g, **kwargs)

    monkeypatch.setattr(maps_module, "account_map_data", counting)
    yield calls


def scope(
    store: GraphStore, principal: Principal = ADMIN, today: date = AS_OF, **settings: Any
) -> Scope:
    """A fresh scope, as each request has; its today is the day maps are drawn at."""
    return Scope(store, make_settings(**settings), principal, today=today)


def contact_meta(data: dict[str, Any], contact_id: str) -> dict[str, Any]:
    return next(n["meta"] for n in data["nodes"] if n["meta"].get("contactId") == contact_id)


def test_a_second_view_of_an_unchanged_account_is_not_drawn_again(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    first = map_data(scope(acme), "acme", view="political")
    again = map_data(scope(acme), "acme", view="political")
    assert drawn == [("political", "en")]
    assert again == first


def test_a_write_draws_the_map_again_with_the_change(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    today = datetime.now(UTC).date()  # the write is stamped now; a past map shows the past
    before = map_data(scope(acme, today=today), "acme", view="political")
    assert contact_meta(before, "a-cio")["stance"] != Stance.BLOCKER
    assert map_data(scope(acme, today=today), "acme", view="political") == before
    assert len(drawn) == 1
    set_stance(scope(acme, today=today), "a-cio", Stance.BLOCKER.value)
    after = map_data(scope(acme, today=today), "acme", view="political")
    assert len(drawn) == 2
    assert contact_meta(after, "a-cio")["stance"] == Stance.BLOCKER


def test_another_caller_never_gets_a_map_drawn_for_someone_else(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    admins = map_data(scope(acme), "acme", view="political")
    assert "Gus" in json.dumps(admins, ensure_ascii=False)  # globex's g-cto, a foreign tie
    amys = map_data(scope(acme, AMY), "acme", view="political")
    assert len(drawn) == 2  # drawn for amy, not taken from the admin's
    assert "Gus" not in json.dumps(amys, ensure_ascii=False)
    assert map_data(scope(acme, AMY), "acme", view="political") == amys
    assert len(drawn) == 2


def test_a_hidden_account_stays_not_found_though_its_map_is_cached(acme: GraphStore) -> None:
    map_data(scope(acme), "globex", view="org")
    amy = scope(acme, AMY)
    planted = map_data_key(amy, "globex", view="org", day=AS_OF, opportunity_id=None, lang="en")
    generation = acme.generation()
    assert generation is not None
    acme.cache([CacheEntry(planted, generation, zlib.compress(b'{"nodes": []}'))])
    with pytest.raises(NotFound):  # even an entry under amy's own key is not handed out
        map_data(scope(acme, AMY), "globex", view="org")


def test_view_and_language_are_each_their_own_map(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    for _ in range(2):
        map_data(scope(acme), "acme", view="org")
        map_data(scope(acme), "acme", view="political")
        zh = map_data(scope(acme), "acme", view="org", lang="zh")
    assert drawn == [("org", "en"), ("political", "en"), ("org", "zh")]
    assert zh["lang"] == "zh"


def test_a_map_of_a_past_day_is_drawn_each_time(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    for _ in range(2):
        earlier = map_data(scope(acme), "acme", view="org", as_of=AS_OF.replace(day=1))
    assert len(drawn) == 2
    assert earlier["asOf"] == AS_OF.replace(day=1).isoformat()


def test_with_the_cache_off_every_view_is_drawn(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    for _ in range(2):
        map_data(scope(acme, analysis_cache=False), "acme", view="org")
    assert len(drawn) == 2
