"""Benchmark the map page for a 300-contact account: HTML size and time to stable render.

    python bench/bench_map.py [--contacts 300] [--repeats 3] [--source synthetic|sample]

Builds the account with ``stakegraph.seeds.generate`` (or ``stakegraph.viz.sample``), writes both views as
standalone files, opens each in headless Chromium (``STAKEGRAPH_CHROMIUM``, else
``chromium`` or ``chromium-browser`` from PATH)
and reads the time at which vis-network finished stabilising
(``stabilizationIterationsDone``, physics then switched off) or, for the org chart
(fixed positions, no physics), first drew. Times are from navigation start, so they
include parsing the inlined vis-network build. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.viz.page import account_map_html
from stakegraph.viz.sample import AS_OF, sample_subgraph

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str:
    configured = os.environ.get("STAKEGRAPH_CHROMIUM")
    found = (
        shutil.which(configured)
        if configured
        else shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if found is None:
        raise SystemExit(
            "Chromium not found: install chromium or set STAKEGRAPH_CHROMIUM to its path"
        )
    return found


def account(contacts: int, source: str, workdir: Path) -> nx.MultiDiGraph:
    if source == "sample":
        return sample_subgraph(contacts, company_id="big")
    from stakegraph.seeds import generate

    doc = generate(1, contacts, 1)
    store = EmbeddedStore(workdir / "bench.db")
    try:
        import_dataset(store, doc)
        return store.account_subgraph(doc["companies"][0]["id"])
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--source", choices=["synthetic", "sample"], default="synthetic")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        g = account(args.contacts, args.source, workdir)
        n_contacts = sum(1 for _, a in g.nodes(data=True) if a.get("label") == "Contact")
        print(
            f"account: {n_contacts} contacts, {g.number_of_edges()} relationships ({args.source})"
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for view in ("org", "political"):
                t0 = time.perf_counter()
                html = account_map_html(g, view=view, as_of=AS_OF)
                build = time.perf_counter() - t0
                raw = html.encode()
                path = workdir / f"{view}.html"
                path.write_bytes(raw)
                print(
                    f"{view}: HTML {len(raw) / 1024:.0f} KiB "
                    f"({len(gzip.compress(raw)) / 1024:.0f} KiB gzipped), built in {build:.2f} s"
                )
                times = []
                for _ in range(args.repeats):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(path.as_uri())
                    page.wait_for_selector(
                        "body[data-ready=true]", state="attached", timeout=120_000
                    )
                    stats = page.evaluate(
                        "({ms: stakegraph.stabilizedMs, nodes: stakegraph.nodeCount,"
                        " edges: stakegraph.edgeCount,"
                        " physics: stakegraph.network.physics.physicsEnabled})"
                    )
                    times.append(stats["ms"])
                    page.close()
                print(
                    f"{view}: {stats['nodes']} nodes, {stats['edges']} edges; stable render "
                    f"median {statistics.median(times):.0f} ms (runs: "
                    f"{', '.join(f'{t:.0f}' for t in times)}); physics on after: {stats['physics']}"
                )
            browser.close()


if __name__ == "__main__":
    main()
