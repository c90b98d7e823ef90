"""A map's data is kept in the store's cache like an analysis (``service.maps.map_data``).

It is drawn once per caller, account, view, language and day at the store's generation:
a second view of an unchanged account is not drawn again, a write draws it again, and
no caller is ever given a map drawn for another (the masked contacts stay masked).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Stance
from stakegraph.graph.store import GraphStore
from stakegraph.service import maps as maps_module
from stakegraph.service.access import Principal, Role
from stakegraph.service.errors import NotFound
from stakegraph.service.maps import map_data
from stakegraph.service.scope import Scope
from stakegraph.service.writes import set_stance
from tests.gql.conftest import AS_OF, make_settings, world

ADMIN = Principal(name="admin", role=Role.ADMIN)
AMY = Principal(name="rep", role=Role.REP, rep_id="r-amy")


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


def scope(store: GraphStore, principal: Principal = ADMIN, **settings: Any) -> Scope:
    """A fresh scope, as each request has."""
    return Scope(store, make_settings(**settings), principal, today=AS_OF)


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
    before = map_data(scope(acme), "acme", view="political", as_of=today)
    assert contact_meta(before, "a-cio")["stance"] != Stance.BLOCKER
    set_stance(scope(acme), "a-cio", Stance.BLOCKER.value)
    after = map_data(scope(acme), "acme", view="political", as_of=today)
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
    with pytest.raises(NotFound):
        map_data(scope(acme, AMY), "globex", view="org")


def test_view_language_and_day_are_each_their_own_map(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    map_data(scope(acme), "acme", view="org")
    map_data(scope(acme), "acme", view="political")
    zh = map_data(scope(acme), "acme", view="org", lang="zh")
    earlier = map_data(scope(acme), "acme", view="org", as_of=AS_OF.replace(day=1))
    assert drawn == [("org", "en"), ("political", "en"), ("org", "zh"), ("org", "en")]
    assert zh["lang"] == "zh"
    assert earlier["asOf"] != zh["asOf"]


def test_with_the_cache_off_every_view_is_drawn(
    acme: GraphStore, drawn: list[tuple[str, str]]
) -> None:
    for _ in range(2):
        map_data(scope(acme, analysis_cache=False), "acme", view="org")
    assert len(drawn) == 2
