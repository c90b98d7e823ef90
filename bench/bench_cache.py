"""Benchmark the shared analysis cache and the Dask fan-out of portfolios (embedded).

    python bench/bench_cache.py [--contacts 300] [--accounts 400] [--per-account 30]

1. one ``--contacts``-contact account: the first analysis in a fresh scope (computes
   and stores it) beside the second one in another fresh scope (read from the store's
   cache), and the floor — the bare fetch of the subgraph; target second <= 0.2x first;
2. a portfolio of ``--accounts`` accounts analysed serially beside the same on a Dask
   LocalCluster of 2 workers (cache off for both); target >= 1.7x faster (needs 2 free
   cores: the ratio is only meaningful on an idle machine).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stakegraph.cli.common import OPERATOR
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.seeds.synthetic import generate
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings


def _timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=300)
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--per-account", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "one.db"
        with EmbeddedStore(db) as store:
            import_dataset(store, generate(1, args.contacts, 7))
            account = (
                store.list_nodes(
                    __import__("stakegraph.graph.model").graph.model.Label.COMPANY, first=1
                )
                .items[0]
                .id
            )
            settings = Settings(store="embedded", db_path=db)
            store.account_subgraph(account)  # warm
            floor = _timed(lambda: store.account_subgraph(account))
            first = _timed(lambda: Scope(store, settings, OPERATOR).analysis(account))
            second = _timed(lambda: Scope(store, settings, OPERATOR).analysis(account))
            print(
                f"analysis of a {args.contacts}-contact account: first {first * 1000:.0f} ms, "
                f"second (cached) {second * 1000:.1f} ms = {second / first:.3f}x the first "
                f"(target <= 0.2x); floor bare subgraph fetch {floor * 1000:.0f} ms"
            )
        db = Path(tmp) / "many.db"
        with EmbeddedStore(db) as store:
            import_dataset(store, generate(args.accounts, args.per_account, 11))
            ids = [
                n.id
                for n in store.list_nodes(
                    __import__("stakegraph.graph.model").graph.model.Label.COMPANY,
                    first=args.accounts,
                ).items
            ]
            serial = Settings(
                store="embedded", db_path=db, analysis_cache=False, parallel_portfolios=False
            )
            dask = Settings(
                store="embedded",
                db_path=db,
                analysis_cache=False,
                dask_min_accounts=1,
                dask_workers=2,
            )
            # the cluster starts once per process: warm it before timing
            list(Scope(store, dask, OPERATOR).stream_analyses(ids[:4]))
            t_serial = _timed(lambda: list(Scope(store, serial, OPERATOR).stream_analyses(ids)))
            t_dask = _timed(lambda: list(Scope(store, dask, OPERATOR).stream_analyses(ids)))
            print(
                f"portfolio of {len(ids)} accounts x {args.per_account}: serial {t_serial:.2f} s, "
                f"Dask 2 workers {t_dask:.2f} s = {t_serial / t_dask:.2f}x faster (target >= 1.7x)"
            )


if __name__ == "__main__":
    main()
