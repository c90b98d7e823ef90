"""Benchmark the analytics and reports on both stores.

    python bench/bench_analysis.py [--sizes 30,300,1000,3000] [--accounts 1000]
                                   [--contacts 30] [--big 300] [--only embedded|neo4j]
                                   [--scaling-only] [--portfolio-growth 1000,5000]

0. scaling (embedded store): for one synthetic account of each size, the floor — the
   bare fetch of its subgraph, ``store.account_subgraph(id)`` — beside ``analyze_account``
   (its betweenness computed: the memo emptied first), the same analysis again (as
   after a write that changed no tie: the betweenness of a graph of 200 nodes or more
   is kept by its shape, ``stakegraph.influence.memo``) and ``next_best_contacts``,
   their ratio to the floor (the analysis timed in
   alternation with the fetch, the median of 7 pairs' ratios), and the growth
   from the 300-contact account; targets: ``analyze_account`` at 300 contacts <= 1.5x
   its floor, and at 3,000 contacts <= 12x its time at 300. Betweenness (§3.4, exact,
   rustworkx on one thread) takes O(contacts x ties): about a quarter of an analysis at
   300 contacts and two thirds at 3,000, which alone keeps that growth above 12x; the
   rest of the analysis grows about tenfold;
1. one ``--big``-contact account: load its subgraph, ``analyze_account`` (median of 3),
   and the whole HTML report (analysis + rendering);
2. a portfolio report over ``--accounts`` synthetic accounts (subgraphs fetched 200 per
   batch), and its rendering;
3. with ``--portfolio-growth 1000,5000`` (alone): the serial, uncached portfolio report
   over a store of each size, and its growth (target: 5,000 accounts <= 5.5x the time
   of 1,000).

Neo4j comes from NEO4J_URI, else a local server is started (and stopped) for the run.
Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from stakegraph.cli.common import OPERATOR
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphStore
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.memo import BETWEENNESS_MEMO
from stakegraph.influence.whatif import next_best_contacts
from stakegraph.reports.model import account_report
from stakegraph.reports.render import render_account, render_portfolio
from stakegraph.seeds import generate
from stakegraph.service.reports import portfolio_report
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings

#: The synthetic data's "today" (seeds.synthetic.generate).
AS_OF = date(2026, 11, 20)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def median_time(fn: Callable[[], Any], repeats: int = 3) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeats))


def bench_scaling(sizes: list[int], repeats: int = 7) -> None:
    """analyze_account and next_best_contacts against the bare fetch, by account size.

    The fetch and the analysis are timed in alternation, ``repeats`` pairs per size, so
    that both see the same moments of a noisy machine; the ratio printed is the median
    of the pairs' ratios, the times the medians of each.
    """
    at: dict[int, float] = {}
    at_kept: dict[int, float] = {}
    for n in sizes:
        doc = generate(1, n, 99)
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "scale.db", slow_query_seconds=None)
            import_dataset(store, doc)
            cid = doc["companies"][0]["id"]
            g = store.account_subgraph(cid)
            analyze_account(g, as_of=AS_OF)  # warm
            floors, analyses, kept = [], [], []
            for _ in range(repeats):
                floors.append(timed(lambda cid=cid, store=store: store.account_subgraph(cid))[0])
                BETWEENNESS_MEMO.clear()  # every analysis computes its betweenness
                analyses.append(timed(lambda g=g: analyze_account(g, as_of=AS_OF))[0])
                # again, as after a write that changed no tie: betweenness from the memo
                kept.append(timed(lambda g=g: analyze_account(g, as_of=AS_OF))[0])
            store.close()
        contacts = sum(1 for _, a in g.nodes(data=True) if a["label"] == "Contact")
        floor, analysis = statistics.median(floors), statistics.median(analyses)
        ratio = statistics.median(a / f for a, f in zip(analyses, floors, strict=True))
        again = statistics.median(kept)
        ranking = median_time(
            lambda g=g: (BETWEENNESS_MEMO.clear(), next_best_contacts(g, as_of=AS_OF)), 3
        )
        at[n] = analysis
        at_kept[n] = again
        print(
            f"scale {n}: {contacts} contacts ({g.number_of_nodes()} nodes, "
            f"{g.number_of_edges()} edges): floor store.account_subgraph {floor * 1000:.1f} ms; "
            f"analyze_account {analysis * 1000:.1f} ms ({ratio:.2f}x floor, median of "
            f"{repeats} interleaved pairs); the same after a write that changed no tie "
            f"{again * 1000:.1f} ms ({again / floor:.2f}x floor; betweenness kept by the "
            f"graph's shape{'' if len(g) >= BETWEENNESS_MEMO.min_nodes else ': not, too small'});"
            f" next_best_contacts {ranking * 1000:.1f} ms ({ranking / floor:.2f}x floor)"
        )
    if 300 in at:
        for n in sizes:
            if n != 300:
                print(
                    f"scale: analyze_account at {n} contacts = {at[n] / at[300]:.2f}x its time at"
                    f" 300 ({at_kept[n] / at_kept[300]:.2f}x after a write that changed no tie)"
                )
        print("scale targets: at 300 <= 1.5x floor; at 3000 <= 12x the time at 300")


def bench_account(store: GraphStore, name: str, doc: dict, repeats: int = 3) -> None:
    store.clear()
    import_dataset(store, doc)
    cid = doc["companies"][0]["id"]
    seconds, g = timed(lambda: store.account_subgraph(cid))
    contacts = sum(1 for _, a in g.nodes(data=True) if a["label"] == "Contact")
    print(f"{name}: load the {contacts}-contact account subgraph: {seconds * 1000:.0f} ms")
    times = [timed(lambda: analyze_account(g, as_of=AS_OF))[0] for _ in range(repeats)]
    print(
        f"{name}: analyze_account, {contacts} contacts ({g.number_of_nodes()} nodes, "
        f"{g.number_of_edges()} edges): median {statistics.median(times) * 1000:.0f} ms"
        f" over {repeats}"
    )
    seconds, html = timed(
        lambda: render_account(account_report(store.account_subgraph(cid), as_of=AS_OF), "html")
    )
    print(f"{name}: HTML report of that account (load + analyse + render, {len(html) // 1024} KiB):"
          f" {seconds * 1000:.0f} ms")  # fmt: skip


def serial_scope(store: GraphStore) -> Scope:
    """The operator's scope on ``store``, serial and uncached: the growth of the work
    itself (bench_cache.py measures the cache and Dask)."""
    if isinstance(store, EmbeddedStore):
        settings = Settings(store="embedded", db_path=store.path)
    else:
        assert isinstance(store, Neo4jStore)
        settings = Settings(store="neo4j", neo4j_uri=store.uri)
    settings = settings.model_copy(update={"analysis_cache": False, "parallel_portfolios": False})
    return Scope(store, settings, OPERATOR)


def bench_portfolio_scaling(store: GraphStore, name: str, sizes: list[int], contacts: int) -> None:
    """The portfolio report over stores of ``sizes`` accounts (each imported fresh),
    and the growth of its time from the first size to each other one."""
    at: dict[int, float] = {}
    for n in sizes:
        store.clear()
        import_dataset(store, generate(n, contacts, 1))
        seconds, report = timed(lambda: portfolio_report(serial_scope(store), as_of=AS_OF))
        at[n] = seconds
        print(f"{name}: portfolio of {len(report.rows)} accounts x {contacts}: {seconds:.1f} s")
    first = sizes[0]
    for n in sizes[1:]:
        print(
            f"{name}: portfolio of {n} accounts = {at[n] / at[first]:.2f}x the time of {first} "
            f"({n / first:.0f}x the accounts; target <= 5.5x for 5x)"
        )


def bench_portfolio(store: GraphStore, name: str, doc: dict) -> None:
    store.clear()
    seconds, _ = timed(lambda: import_dataset(store, doc))
    print(f"{name}: import {len(doc['companies'])} accounts x {len(doc['contacts']) // max(len(doc['companies']), 1)} contacts: {seconds:.1f} s")  # fmt: skip
    scope = serial_scope(store)
    seconds, report = timed(lambda: portfolio_report(scope, as_of=AS_OF))
    print(
        f"{name}: portfolio report over {len(report.rows)} accounts (batches of 200, analyse, "
        f"findings, rep grades): {seconds:.1f} s ({seconds / max(len(report.rows), 1) * 1000:.0f}"
        " ms per account)"
    )
    for fmt in ("html", "csv"):
        seconds, text = timed(lambda fmt=fmt: render_portfolio(report, fmt))
        print(f"{name}: render the portfolio as {fmt} ({len(text) // 1024} KiB): {seconds * 1000:.0f} ms")  # fmt: skip


def run(store: GraphStore, name: str, big: dict, portfolio: dict, growth: list[int]) -> None:
    if growth:
        bench_portfolio_scaling(
            store, name, growth, len(portfolio["contacts"]) // max(len(portfolio["companies"]), 1)
        )
    else:
        bench_account(store, name, big)
        bench_portfolio(store, name, portfolio)
    store.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=30)
    parser.add_argument("--big", type=int, default=300)
    parser.add_argument("--only", choices=("embedded", "neo4j"), default=None)
    parser.add_argument("--sizes", default="30,300,1000,3000")
    parser.add_argument("--scaling-only", action="store_true")
    parser.add_argument(
        "--portfolio-growth",
        default="",
        help="e.g. 1000,5000: only the portfolio report's growth over stores of these sizes",
    )
    args = parser.parse_args()
    growth = [int(n) for n in args.portfolio_growth.split(",") if n]

    if not growth:
        bench_scaling([int(n) for n in args.sizes.split(",") if n])
    if args.scaling_only:
        return

    big = generate(1, args.big, 99)
    portfolio = generate(1 if growth else args.accounts, args.contacts, 1)

    if args.only != "neo4j":
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "bench.db", slow_query_seconds=None)
            run(store, "embedded", big, portfolio, growth)
            store.close()
    if args.only == "embedded":
        return

    uri = os.environ.get("NEO4J_URI")
    server = None
    if not uri:
        from stakegraph import neo4j_local

        port = neo4j_local.free_port()
        server = neo4j_local.start(port=port, data_dir=Path(tempfile.mkdtemp()) / "neo4j")
        uri = server.uri
    try:
        neo = Neo4jStore(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "neo4j")
        )
        run(neo, "neo4j", big, portfolio, growth)
        neo.close()
    finally:
        if server is not None:
            from stakegraph import neo4j_local

            neo4j_local.stop(port=server.port)


if __name__ == "__main__":
    main()
