"""The attack team's probes of issue 9 (items 1, 2, 3 and 6), against a real server.

    python bench/bench_abuse.py [--accounts 200] [--contacts 30] [--stores embedded,neo4j]

For each store, ``stakegraph serve`` runs in its own process on the synthetic portfolio
and this script, over loopback HTTP:

* floor: the answer time of a small well-formed query (an account's grade) sent alone,
  median of 20;
* for each abusive document (a 14-level fragment bomb, 30 aliases of an analytic sort
  with different dates, a breadth query within the depth limit): the time to its answer
  and the error code it gets, and the slowest answer of the small query sent in a loop
  from another thread meanwhile, beside the floor (target: under 1 s);
* lost writes: one client sets a contact's title 40 times, reading it back after each
  write, while six others set its stance; how many read-backs showed an older title,
  and whether the last title is the one stored (before the fix: 25 of 40 embedded,
  37 of 40 Neo4j, the last title lost);
* the change chain: 20 clients × 10 ``setStance`` on one contact, then the contact's
  events in sequence order: how many events' ``old`` is not the previous event's
  ``new``, and whether the last ``new`` is the stored stance.

Neo4j comes from ``NEO4J_URI`` when set, else a local server is started and stopped.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from bench_api import KEY, open_stores, serve

from stakegraph.graph.dataset import import_dataset
from stakegraph.seeds import generate
from tests.gql.test_abuse import BREADTH, dated_aliases, fragment_bomb

HEADERS = {"X-API-Key": KEY}
STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER")


def post(
    client: httpx.Client, url: str, query: str, variables: dict[str, Any] | None = None
) -> Any:
    r = client.post(url, json={"query": query, "variables": variables or {}}, headers=HEADERS)
    return r.json()


def probe_query(account: str) -> str:
    return f'{{ account(id: "{account}") {{ name relationshipGrade {{ grade }} }} }}'


def floor(url: str, account: str) -> float:
    times = []
    with httpx.Client(timeout=60) as client:
        post(client, url, probe_query(account))
        for _ in range(20):
            t0 = time.perf_counter()
            post(client, url, probe_query(account))
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def abuse(url: str, account: str, query: str) -> tuple[float, str, float]:
    """The abusive query's answer time and code, and the probe's slowest answer meanwhile."""
    latencies: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        with httpx.Client(timeout=120) as client:
            while not stop.is_set():
                t0 = time.perf_counter()
                post(client, url, probe_query(account))
                latencies.append(time.perf_counter() - t0)

    thread = threading.Thread(target=probe)
    thread.start()
    time.sleep(0.2)
    with httpx.Client(timeout=600) as client:
        t0 = time.perf_counter()
        body = post(client, url, query)
        took = time.perf_counter() - t0
    stop.set()
    thread.join()
    errors = body.get("errors") or []
    code = errors[0].get("extensions", {}).get("code", "?") if errors else "answered"
    return took, code, max(latencies)


def lost_writes(url: str, contact: str) -> tuple[int, bool]:
    set_title = (
        "mutation($id: ID!, $t: String!) { upsertContact(input: {id: $id, title: $t}) { title } }"
    )
    read = "query($id: ID!) { contact(id: $id) { title } }"
    stance = "mutation($id: ID!, $s: Stance!) { setStance(contactId: $id, stance: $s) { stance } }"
    older = 0
    done = threading.Event()

    def stance_writer(n: int) -> None:
        with httpx.Client(timeout=60) as client:
            i = n
            while not done.is_set():
                post(client, url, stance, {"id": contact, "s": STANCES[i % len(STANCES)]})
                i += 1

    with ThreadPoolExecutor(max_workers=6) as pool:
        for n in range(6):
            pool.submit(stance_writer, n)
        with httpx.Client(timeout=60) as client:
            for i in range(40):
                post(client, url, set_title, {"id": contact, "t": f"title {i}"})
                got = post(client, url, read, {"id": contact})["data"]["contact"]["title"]
                older += got != f"title {i}"
        done.set()
    with httpx.Client(timeout=60) as client:
        last = post(client, url, read, {"id": contact})["data"]["contact"]["title"]
    return older, last == "title 39"


def change_chain(url: str, account: str, contact: str) -> tuple[int, int, bool]:
    stance = "mutation($id: ID!, $s: Stance!) { setStance(contactId: $id, stance: $s) { stance } }"

    def writer(n: int) -> None:
        with httpx.Client(timeout=60) as client:
            for i in range(10):
                post(client, url, stance, {"id": contact, "s": STANCES[(n + i) % len(STANCES)]})

    with httpx.Client(timeout=60) as client:
        before = post(client, url, f'{{ account(id: "{account}") {{ changes {{ seq }} }} }}')
        start = max((e["seq"] or 0 for e in before["data"]["account"]["changes"]), default=0)
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(writer, range(20)))
    q = (
        f'{{ account(id: "{account}") {{ changes(after: {start}) {{ contactId field old new }} }} '
        f'contact(id: "{contact}") {{ stance }} }}'
    )
    with httpx.Client(timeout=60) as client:
        data = post(client, url, q)["data"]
    events = [
        e
        for e in data["account"]["changes"]
        if e["contactId"] == contact and e["field"] == "stance"
    ]
    broken = sum(1 for a, b in itertools.pairwise(events) if b["old"] != a["new"])
    ends = bool(events) and events[-1]["new"] == data["contact"]["stance"]
    return broken, len(events), ends


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--contacts", type=int, default=30)
    ap.add_argument("--stores", default="embedded,neo4j")
    args = ap.parse_args()
    doc = generate(args.accounts, args.contacts, 1)
    account = doc["companies"][0]["id"]
    contacts = [c["id"] for c in doc["contacts"] if c["id"].startswith(account + "-")]
    print(f"data: {len(doc['companies'])} accounts, {len(doc['contacts'])} contacts")
    with open_stores(args.stores.split(",")) as stores:
        for name, (store, location) in stores.items():
            import_dataset(store, doc)
            with serve(name, location) as url:
                base = floor(url, account)
                print(f"{name:9s} floor: the small query alone answers in {base * 1000:.1f} ms")
                for label, query in (
                    ("fragment bomb, 14 levels", fragment_bomb(14)),
                    ("30 dated aliases of a GRADE_SCORE sort", dated_aliases()),
                    ("breadth within the depth limit", BREADTH),
                ):
                    took, code, worst = abuse(url, account, query)
                    print(
                        f"{name:9s} {label}: {code} in {took:.2f} s; the small query meanwhile "
                        f"at worst {worst * 1000:.1f} ms ({worst / base:.1f}x the floor; bound 1 s)"
                    )
                older, kept = lost_writes(url, contacts[0])
                print(
                    f"{name:9s} lost writes: {older} of 40 read-backs showed an older title; "
                    f"the last title {'kept' if kept else 'LOST'}"
                )
                broken, total, ends = change_chain(url, account, contacts[1])
                print(
                    f"{name:9s} change chain: {broken} of {total} stance events do not follow "
                    f"the previous one; the last {'is' if ends else 'is NOT'} the stored stance"
                )


if __name__ == "__main__":
    main()
