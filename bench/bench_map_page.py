"""Benchmark what one map page view costs over HTTP: bytes and time, against a floor.

    python bench/bench_map_page.py [--account co-hx-hq] [--view political] [--repeats 20]

Loads the demo dataset into a temporary embedded store, serves the real app (demo
mode) with uvicorn on a free 127.0.0.1 port and measures, in the same run:

* **before**: the page as every response used to be — everything inlined (what
  ``stakegraph map -o`` still writes), raw and gzip-compressed;
* **after**: the served page (data + ``<script src>`` to hashed assets), raw and as
  sent with ``Accept-Encoding: gzip``; the assets, raw and gzip (sent once, then
  cached ``immutable``); a first view (page + assets) and a repeat view (page only);
* **floor**: the bare map data as JSON (the page can not be smaller than its data),
  raw and gzip, and the time to compute it in-process (no HTML, no HTTP) beside the
  time of a page request;
* the gzip cost per request of vis-network (why the assets are precompressed once).
"""

from __future__ import annotations

import argparse
import gzip
import json
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.service.settings import Settings
from stakegraph.viz.facts import map_facts
from stakegraph.viz.mapdata import build_map
from stakegraph.viz.page import account_map_html, json_for_script, map_assets

DEMO = Path(__file__).resolve().parents[1] / "seeds" / "demo.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:7.1f} ms"


def _kb(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


_CLIENT = httpx.Client(timeout=60, trust_env=False)


def _get(base: str, path: str, enc: str) -> tuple[int, float]:
    """Bytes on the wire and seconds of one GET (one kept-alive client)."""
    t0 = time.perf_counter()
    with _CLIENT.stream("GET", base + path, headers={"Accept-Encoding": enc}) as r:
        r.raise_for_status()
        raw = b"".join(r.iter_raw())
    return len(raw), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--account", default="co-hx-hq")
    parser.add_argument("--view", choices=["org", "political"], default="political")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-map-page-"))
    store = EmbeddedStore(work / "bench.db")
    import_dataset(store, json.loads(DEMO.read_text(encoding="utf-8")))
    g = store.account_subgraph(args.account)
    today = datetime.now(UTC).date()

    settings = Settings(
        store="embedded", db_path=work / "unused.db", demo_mode=True, log_level="WARNING"
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
    path = f"/accounts/{args.account}/map?view={args.view}"
    try:
        _get(base, path, "gzip")  # warm up
        before = account_map_html(g, view=args.view, as_of=today).encode()
        print(f"account {args.account}, view {args.view}, {args.repeats} repeats")
        print(
            f"before  page, all inlined     raw {_kb(len(before))}  gzip {_kb(len(gzip.compress(before, 6)))}"
        )

        raw_n, _ = _get(base, path, "identity")
        page = [_get(base, path, "gzip") for _ in range(args.repeats)]
        gz_n = page[0][0]
        print(
            f"after   page, served          raw {_kb(raw_n)}  gzip {_kb(gz_n)}  {_ms([t for _, t in page])}"
        )
        assets_raw = assets_gz = 0
        for a in map_assets().values():
            url = f"/static/map/{a.filename}"
            n_raw, _ = _get(base, url, "identity")
            n_gz, t = _get(base, url, "gzip")
            assets_raw += n_raw
            assets_gz += n_gz
            print(
                f"        asset {a.filename:32} raw {_kb(n_raw)}  gzip {_kb(n_gz)}  {t * 1000:7.1f} ms"
            )
        print(
            f"after   first view (page+assets)  {_kb(gz_n + assets_gz)} on the wire (raw {_kb(raw_n + assets_raw)})"
        )
        print(f"after   repeat view (page only)   {_kb(gz_n)} on the wire")

        compute = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            data = build_map(g, map_facts(g, as_of=today), view=args.view)
            text = json_for_script(data).encode()
            compute.append(time.perf_counter() - t0)
        print(
            f"floor   bare data JSON        raw {_kb(len(text))}  gzip {_kb(len(gzip.compress(text, 6)))}  {_ms(compute)} (in-process, no HTTP)"
        )

        vis = map_assets()["vis-network.min.js"].body
        for level in (6, 9):
            runs = []
            for _ in range(5):
                t0 = time.perf_counter()
                gzip.compress(vis, level)
                runs.append(time.perf_counter() - t0)
            print(f"gzip of vis-network per request, level {level}: {_ms(runs)} (precompressed: 0)")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


if __name__ == "__main__":
    main()
