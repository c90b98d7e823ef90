"""Benchmark the map page for a 300-contact account: HTML size and time to stable render.

    python bench/bench_map.py [--contacts 300] [--repeats 3] [--source synthetic|sample]

Builds the account with ``stakegraph.seeds.generate`` (or ``stakegraph.viz.sample``), writes both views as
standalone files, opens each in headless Chromium (``STAKEGRAPH_CHROMIUM``, else
``chromium`` or ``chromium-browser`` from PATH)
and reads the time at which vis-network finished stabilising
(``stabilizationIterationsDone``, physics then switched off) or, for the org chart
(fixed positions, no physics), first drew. Times are from navigation start, so they
include parsing the inlined vis-network build. Prints one line per measurement.

``--build-only`` (no browser): the page build alone, ``account_map_html`` of each view
for ``--contacts`` (median of ``--repeats``), beside its floor from the same run, the
bare fetch of the account's subgraph (``store.account_subgraph``); target: <= 1 s for
1,000 contacts.

The widget (``--widget-sizes 300,3000``, the default; ``--widget-sizes ""`` skips it):
the real app under uvicorn over an embedded store of two synthetic accounts of each size
(the widget of the second one warms the server process up first); each load of the first
one with a fresh token as a CRM page view would: one browser context (so its HTTP
cache) opens the widget twice — first with nothing cached anywhere (the first view after
a write: the account is analysed and its map drawn), then again — and a fresh context
opens it once more (another browser's first view of a map the server has drawn), and
again after a stance is set on one of the account's contacts (the view after a rep's
edit: analysed again, its betweenness kept, no tie having changed). Printed
per size, each beside its floor from the same run: bytes transferred on a first and a
second load (CDP ``encodedDataLength``; floor: the gzipped widget document alone, the
part that cannot be cached), and the time to first readable render of each load
(navigation start to ``data-ready``; floor: navigation to ``load`` of a trivial page of
the same server). Targets: ≤ 60 KB on a second load of a 300-contact account, ≤ 1 s to
first readable render.
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
from typing import Any

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


def bench_build(contacts: int, repeats: int) -> None:
    """The page build of each view beside the bare fetch of the subgraph (medians)."""
    from stakegraph.seeds import generate

    doc = generate(1, contacts, 1)
    cid = doc["companies"][0]["id"]
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "build.db")
        import_dataset(store, doc)
        fetches = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            g = store.account_subgraph(cid)
            fetches.append(time.perf_counter() - t0)
        store.close()
    floor = statistics.median(fetches)
    for view in ("org", "political"):
        builds = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            account_map_html(g, view=view, as_of=AS_OF)
            builds.append(time.perf_counter() - t0)
        build = statistics.median(builds)
        print(
            f"build {view}, {contacts} contacts: account_map_html {build:.2f} s "
            f"({build / floor:.2f}x floor); floor store.account_subgraph {floor:.2f} s; "
            "target <= 1 s at 1000 contacts"
        )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_widget(browser: object, sizes: list[int], workdir: Path) -> None:
    """The widget's bytes on first and second load and its time to first readable render."""
    import threading
    import urllib.request

    import uvicorn
    from pydantic import SecretStr

    from stakegraph.cli.common import OPERATOR
    from stakegraph.gql.app import create_app
    from stakegraph.graph.model import Stance
    from stakegraph.seeds import generate
    from stakegraph.service.embed import mint_embed_token
    from stakegraph.service.scope import Scope
    from stakegraph.service.settings import Settings
    from stakegraph.service.writes import set_stance

    secret = "bench-widget-secret-0123456789-abcdefgh"
    for size in sizes:
        db = workdir / f"widget-{size}.db"
        store = EmbeddedStore(db)
        doc = generate(2, size, 1)  # the second account warms the server process up
        import_dataset(store, doc)
        account_id = doc["companies"][0]["id"]
        settings = Settings(
            store="embedded", db_path=db, demo_mode=True, embed_secret=SecretStr(secret)
        )
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings, store=store), port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"

        def url(base: str = base, account_id: str = account_id) -> str:  # a fresh token
            token = mint_embed_token(secret, account_id, "org", 600, subject="anonymous")
            return f"{base}/embed/accounts/{account_id}?token={token}"

        def open_widget(context: Any, target: str | None = None) -> tuple[int, float]:
            """Bytes on the wire and ms from navigation to data-ready of one widget load."""
            page = context.pages[0] if context.pages else context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            got = {"bytes": 0}
            cdp.on(
                "Network.loadingFinished",
                lambda e: got.__setitem__("bytes", got["bytes"] + int(e["encodedDataLength"])),
            )
            page.goto(url() if target is None else url(account_id=target))
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
            page.wait_for_load_state("load")
            ready_ms = float(page.evaluate("stakegraph.stabilizedMs"))
            cdp.detach()
            return got["bytes"], ready_ms

        viewport = {"width": 1400, "height": 900}
        # a trivial page of the same server: the floor of a navigation
        probe = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        page = probe.new_page()
        page.goto(f"{base}/health")
        floor_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        probe.close()
        # the server process warmed up on the other account's map (imports, templates)
        warm_up = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        open_widget(warm_up, doc["companies"][1]["id"])
        warm_up.close()
        # 1. the first view after a write: nothing cached on the server or in the browser
        first = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        cold_b, cold_ms = open_widget(first)
        # 2. the same CRM page shown again: the browser has the assets, the server the map
        second_b, second_ms = open_widget(first)
        first.close()
        # 3. another browser's first view of a map the server has drawn already
        other = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        warm_b, warm_ms = open_widget(other)
        # 4. a rep sets a stance (no tie changes), and the map is shown again
        contact = next(c["id"] for c in doc["contacts"] if c["id"].startswith(account_id + "-"))
        set_stance(Scope(store, settings, OPERATOR), contact, Stance.OPPONENT)
        edit_b, edit_ms = open_widget(other)
        other.close()
        request = urllib.request.Request(url(), headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as answer:
            document_floor = len(answer.read())
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
        print(
            f"widget {size} contacts: first load {warm_b / 1024:.1f} KB, second load "
            f"{second_b / 1024:.1f} KB (floor: the widget document alone, "
            f"{document_floor / 1024:.1f} KB gzipped; target second load ≤ 60 KB at 300)"
        )
        print(
            f"widget {size} contacts: first readable render {warm_ms:.0f} ms (first load in a "
            f"browser, map drawn on the server already), {second_ms:.0f} ms (second load), "
            f"{cold_ms:.0f} ms (first view after a write: analysed and drawn, "
            f"{cold_b / 1024:.1f} KB), {edit_ms:.0f} ms (the view after a stance edit, "
            f"{edit_b / 1024:.1f} KB) (floor: a trivial page of the same server "
            f"{floor_ms:.0f} ms; target ≤ 1000 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--source", choices=["synthetic", "sample"], default="synthetic")
    parser.add_argument("--widget-sizes", default="300,3000", help="contacts, comma-separated")
    parser.add_argument("--standalone", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--build-only", action="store_true", help="page build vs fetch floor")
    args = parser.parse_args()
    sizes = [int(x) for x in args.widget_sizes.split(",") if x.strip()]
    if args.build_only:
        bench_build(args.contacts, args.repeats)
        return

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
            if sizes:
                bench_widget(browser, sizes, workdir)
            for view in ("org", "political") if args.standalone else ():
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
