"""Concurrent writers never revert each other's fields (field-level patches applied
inside the write transaction), on both stores.

One writer sets a contact's title 40 times while six others set its stance: every
read after an acknowledged title write shows that title or a newer one, and the last
title survives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, RelType
from stakegraph.graph.store import GraphStore
from stakegraph.service import writes
from stakegraph.service.scope import Scope
from tests.conftest import operator_scope

TITLES = 40
STANCE_WRITERS = 6
STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER")


def seed_contact(store: GraphStore) -> None:
    scope = operator_scope(store)
    writes.upsert_company(scope, {"id": "acme", "name": "Acme", "tier": "KEY"})
    writes.upsert_department(scope, {"id": "d-it", "name": "IT"}, company_id="acme")
    writes.upsert_contact(
        scope, {"id": "c-1", "name": "Ada", "title": "title 0"}, department_id="d-it"
    )


def scopes_for(store: GraphStore) -> Callable[[], Scope]:
    """A fresh scope per operation, over a connection of its own for the embedded
    store (as separate service workers have)."""
    if isinstance(store, EmbeddedStore):
        local = threading.local()

        def embedded() -> Scope:
            if not hasattr(local, "store"):
                local.store = EmbeddedStore(store.path, busy_timeout=60)
            return operator_scope(local.store)

        return embedded
    return lambda: operator_scope(store)


def run_all(workers: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(len(workers))

    def guarded(work: Callable[[], None]) -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    if errors:
        raise errors[0]


def test_a_title_writer_and_six_stance_writers_lose_nothing(store: GraphStore) -> None:
    seed_contact(store)
    scope = scopes_for(store)
    stale_reads: list[tuple[int, str | None]] = []

    def title_writer() -> None:
        for i in range(1, TITLES + 1):
            writes.upsert_contact(scope(), {"id": "c-1", "title": f"title {i}"})
            seen = scope().store.get_node(Label.CONTACT, "c-1")
            title = getattr(seen, "title", None)
            if title is None or int(title.split()[1]) < i:
                stale_reads.append((i, title))

    def stance_writer(k: int) -> Callable[[], None]:
        def work() -> None:
            for j in range(TITLES // 4):
                writes.set_stance(scope(), "c-1", STANCES[(k + j) % len(STANCES)])

        return work

    run_all([title_writer, *(stance_writer(k) for k in range(STANCE_WRITERS))])
    assert stale_reads == []
    final = store.get_node(Label.CONTACT, "c-1")
    assert getattr(final, "title", None) == f"title {TITLES}"
    assert getattr(final, "name", None) == "Ada"


def test_a_stance_patch_keeps_fields_written_after_the_callers_read(store: GraphStore) -> None:
    seed_contact(store)
    stale = operator_scope(store)
    stale.record(Label.CONTACT, "c-1", field="contactId")  # the caller has read the contact
    writes.upsert_contact(operator_scope(store), {"id": "c-1", "title": "CTO"})
    updated, _ = writes.set_stance(stale, "c-1", "CHAMPION")
    stored = store.get_node(Label.CONTACT, "c-1")
    assert getattr(stored, "title", None) == "CTO" == getattr(updated, "title", None)
    assert str(getattr(stored, "stance", None)) == "CHAMPION"


def test_a_deal_stance_patch_keeps_the_role(store: GraphStore) -> None:
    seed_contact(store)
    scope = operator_scope(store)
    writes.upsert_opportunity(scope, {"id": "o-1", "name": "Deal"}, company_id="acme")
    writes.assign_role(scope, "c-1", "o-1", role="ECONOMIC_BUYER", stance="NEUTRAL")
    writes.set_stance(operator_scope(store), "c-1", "CHAMPION", opportunity_id="o-1")
    (rel,) = store.relationships(RelType.HAS_ROLE)
    assert rel.properties == {"role": "ECONOMIC_BUYER", "stance": "CHAMPION"}
