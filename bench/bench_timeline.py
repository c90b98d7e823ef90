"""Benchmark an account's timeline (docs/analytics.md §3.19).

    python bench/bench_timeline.py [--contacts 300] [--months 12] [--events 600] [--repeats 3]

One synthetic account (``seeds.synthetic.generate``) with its change events and about
``--events`` more stance changes over the last year (two a contact), in the embedded
store. Prints, medians of ``--repeats``:

* the floor: the bare fetch of its subgraph (``store.account_subgraph``) and one
  ``analyze_account`` of the same account today;
* the monthly timeline of the ``--months`` month ends up to the data's today
  (``account_timeline``: the subgraph fetched once, replayed to each point), alone and
  with its fetch, and its ratio to one analysis.

Target: the 300-contact, 12-month timeline (fetch included) <= 2 s on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.timeline import account_timeline
from stakegraph.seeds import generate

#: The synthetic data's "today" (seeds.synthetic.generate).
AS_OF = date(2026, 11, 20)


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER")


def add_stance_history(doc: dict[str, Any], events: int, seed: int = 5) -> None:
    """About ``events`` more stance changes over the last year, chained per contact so
    that each contact's last change ends at its stance today (a replay is consistent)."""
    rng = random.Random(seed)
    contacts = doc["contacts"]
    start = datetime.combine(AS_OF - timedelta(days=365), datetime.min.time(), tzinfo=UTC)
    per: dict[int, int] = {}
    for _ in range(events):
        i = rng.randrange(len(contacts))
        per[i] = per.get(i, 0) + 1
    for i, k in per.items():
        c = contacts[i]
        chain = [rng.choice(STANCES) for _ in range(k)] + [c.get("stance") or "UNKNOWN"]
        ats = sorted(start + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(k))
        for j, at in enumerate(ats):
            doc["changes"].append(
                {
                    "entity": "Contact",
                    "entity_id": c["id"],
                    "contact_id": c["id"],
                    "field": "stance",
                    "old": chain[j],
                    "new": chain[j + 1],
                    "at": at.isoformat(),
                    "by": "bench",
                }
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--events", type=int, default=600, help="stance changes added over the last year"
    )
    args = parser.parse_args()
    doc = generate(1, args.contacts, 99, today=AS_OF)
    add_stance_history(doc, args.events)
    cid = doc["companies"][0]["id"]
    start = AS_OF - timedelta(days=round(args.months * 30.44)) + timedelta(days=1)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "timeline.db")
        import_dataset(store, doc)
        g = store.account_subgraph(cid)
        fetch = median_time(lambda: store.account_subgraph(cid), args.repeats)
        analysis = median_time(lambda: analyze_account(g, as_of=AS_OF), args.repeats)
        timeline = median_time(lambda: account_timeline(g, start, AS_OF), args.repeats)
        whole = median_time(
            lambda: account_timeline(store.account_subgraph(cid), start, AS_OF), args.repeats
        )
        t = account_timeline(g, start, AS_OF)
        store.close()
    contacts = sum(1 for _, a in g.nodes(data=True) if a["label"] == "Contact")
    events = len(g.graph["changes"])
    moved = sum(len(p.events) for p in t.points)
    print(
        f"account: {contacts} contacts, {g.number_of_nodes()} nodes, {g.number_of_edges()} "
        f"edges, {events} change events ({moved} within the timeline's {len(t.points)} points)"
    )
    print(f"floor: store.account_subgraph {fetch * 1000:.0f} ms; "
          f"analyze_account {analysis * 1000:.0f} ms")  # fmt: skip
    print(
        f"timeline ({len(t.points)} monthly points, replayed from one fetch): "
        f"{timeline * 1000:.0f} ms ({timeline / analysis:.1f}x one analysis); with the fetch "
        f"{whole * 1000:.0f} ms (target <= 2000 ms)"
    )


if __name__ == "__main__":
    main()
