"""Change events are stamped and read-before-write under the write lock: per record
they form one chain (each ``old`` the previous ``new``) ending in the stored state,
and the ``seq`` cursor never misses one — 20 writers × 10 ``setStance``, both stores."""

from __future__ import annotations

import itertools
import threading

from stakegraph.graph.model import Label
from stakegraph.graph.store import GraphStore
from stakegraph.service import writes
from tests.conftest import operator_scope
from tests.graph.test_concurrent_patches import run_all, scopes_for, seed_contact

WRITERS = 20
EACH = 10
STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER")


def test_twenty_stance_writers_leave_one_chain_ending_in_the_stored_stance(
    store: GraphStore,
) -> None:
    seed_contact(store)
    scope = scopes_for(store)
    done = threading.Event()
    polled: list[int] = []

    def writer(k: int):  # type: ignore[no-untyped-def]
        def work() -> None:
            for j in range(EACH):
                writes.set_stance(scope(), "c-1", STANCES[(k * 3 + j) % len(STANCES)])

        return work

    def poller() -> None:
        last = 0
        while True:
            finished = done.is_set()
            for e in store.changes_after(last, contact_ids=["c-1"]):
                assert e.seq is not None and e.seq > last
                polled.append(e.seq)
                last = e.seq
            if finished:
                return

    poll = threading.Thread(target=poller)
    poll.start()
    run_all([writer(k) for k in range(WRITERS)])
    done.set()
    poll.join(timeout=120)
    assert not poll.is_alive()

    events = store.changes_after(0, contact_ids=["c-1"])
    stance_events = [e for e in events if e.field == "stance"]
    assert len(stance_events) > WRITERS  # most writes changed the stance
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert polled == seqs  # the poller saw every event, once, in order
    broken = [(a.new, b.old) for a, b in itertools.pairwise(stance_events) if a.new != b.old]
    assert broken == []
    assert stance_events[0].old == "UNKNOWN"
    stored = store.get_node(Label.CONTACT, "c-1")
    assert stance_events[-1].new == str(getattr(stored, "stance", None))
    ats = [e.at for e in stance_events]
    assert ats == sorted(ats)  # stamped in commit order
    # the time cursor keeps working beside the sequence cursor
    assert store.changes_since(ats[0], contact_ids=["c-1"])[0].seq == stance_events[0].seq


def test_the_account_changes_field_filters_by_sequence(store: GraphStore) -> None:
    seed_contact(store)
    scope = operator_scope(store)
    for stance in ("CHAMPION", "BLOCKER", "NEUTRAL"):
        writes.set_stance(scope, "c-1", stance)
    g = store.account_subgraph("acme")
    seqs = [e.seq for e in g.graph["changes"]]
    assert len(seqs) == 3 and None not in seqs
    later = store.changes_after(seqs[0])
    assert [e.new for e in later] == ["BLOCKER", "NEUTRAL"]
