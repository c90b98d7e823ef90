"""Portfolio analyses fanned out over many cores and machines, on Dask distributed.

A portfolio (reports, rep grades, coverage holes, findings) analyses accounts
independently, so :meth:`stakegraph.service.scope.Scope.stream_analyses` hands batches
of account ids to Dask: a ``distributed.LocalCluster`` of this machine's cores by
default, or the scheduler at ``STAKEGRAPH_DASK_SCHEDULER`` (``tcp://host:port``) for a
real cluster. Each task opens the store from the settings in its worker process (once
per worker), fetches its batch's subgraphs in one query and runs
:func:`stakegraph.influence.analyze_account` on each: the same function on the same
data as the serial path, so the results are identical.

A batch's analyses travel as one pickled blob and the client loads it with the cyclic
garbage collector paused, and keeps it frozen out of the collector's sight
(:mod:`stakegraph.graph.gc_policy`): unpickling thousands of small models into a
large heap otherwise triggers full collections that traverse that heap again and again
(measured: 0.28 s per 100 analyses of 30 contacts with the collector on, 0.08 s
paused; the client's CPU for 400 analyses 1.0 s -> 0.47 s with the freeze), and on a
machine where the client shares cores with the workers that time is taken from them.

Only portfolios of at least ``dask_min_accounts`` accounts to analyse go out (a cluster
costs a few hundred ms per call); ``parallel_portfolios=False`` keeps everything serial.
A store that the settings do not describe (a test's own file) is analysed serially.
"""

from __future__ import annotations

import atexit
import logging
import pickle
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stakegraph.graph.gc_policy import gc_paused
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account
from stakegraph.influence.memo import BETWEENNESS_MEMO
from stakegraph.influence.models import AccountAnalysis

if TYPE_CHECKING:
    from distributed import Client

    from stakegraph.service.settings import Settings

__all__ = ["analyse_batch", "fan_out", "settings_describe"]

log = logging.getLogger(__name__)

_clients: dict[str, Client] = {}
_clients_lock = threading.Lock()
#: Stores opened in a worker process, per settings (one connection per worker).
_worker_stores: dict[str, GraphStore] = {}


def settings_describe(settings: Settings, store: GraphStore) -> bool:
    """Whether a worker opening the store from ``settings`` reaches this very store."""
    location = getattr(store, "path", None) or getattr(store, "uri", None)
    if settings.backend == "embedded" and store.backend == "embedded":
        return (
            location is not None
            and Path(str(location)).resolve() == Path(settings.db_path).resolve()
        )
    if settings.backend == "neo4j" and store.backend == "neo4j":
        return location == settings.neo4j_uri
    return False


def _client(settings: Settings) -> Client:
    from distributed import Client, LocalCluster

    address = settings.dask_scheduler or f"local:{settings.dask_workers}"
    with _clients_lock:
        client = _clients.get(address)
        if client is not None and client.status == "running":
            return client
        if settings.dask_scheduler:
            client = Client(settings.dask_scheduler, set_as_default=False)
        else:
            cluster = LocalCluster(
                n_workers=settings.dask_workers or None,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            )
            client = Client(cluster, set_as_default=False)
        # every worker imports the analytics now, all at once, rather than the first
        # task each one runs paying for it while the other workers wait on its batch
        client.run(_warm_worker)
        log.info("portfolio fan-out on Dask (%s)", address)
        _clients[address] = client
        return client


@atexit.register
def _close_clients() -> None:
    with _clients_lock:
        for client in _clients.values():
            cluster: Any = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
        _clients.clear()


def _warm_worker() -> None:
    """Import, in a worker, what :func:`analyse_batch` runs (this module, unpickled by
    reference, brings the analytics; the stores' modules come with the settings)."""
    import stakegraph.service.settings  # noqa: F401


def analyse_batch(
    settings: Settings, company_ids: Sequence[str], day: date, path_depth: int
) -> bytes:
    """Analyses of a batch of accounts, in a worker (opens the store once per process),
    pickled into one blob (``{company id: AccountAnalysis}``) for :func:`fan_out`."""
    from stakegraph.service.settings import open_store

    marker = settings.model_dump_json(include={"store", "db_path", "neo4j_uri"})
    store = _worker_stores.get(marker)
    if store is None:
        store = _worker_stores[marker] = open_store(settings)
    BETWEENNESS_MEMO.resize(settings.betweenness_memo_size, settings.betweenness_memo_min_nodes)
    graphs = store.account_subgraphs(list(company_ids), path_depth=path_depth)
    found = {
        c: analyze_account(graphs[c], as_of=day, settings=settings.analysis)
        for c in company_ids
        if c in graphs
    }
    with gc_paused():
        return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)


def fan_out(
    settings: Settings, company_ids: Sequence[str], day: date, path_depth: int
) -> Iterator[dict[str, AccountAnalysis]]:
    """Analyses of many accounts, batch by batch (all batches run at once on the
    cluster; they are collected in submission order)."""
    client = _client(settings)
    size = settings.dask_batch_size
    batches = [list(company_ids[i : i + size]) for i in range(0, len(company_ids), size)]
    remote_settings = client.scatter(settings, broadcast=True)
    futures = [
        client.submit(analyse_batch, remote_settings, batch, day, path_depth, pure=False)
        for batch in batches
    ]
    for future in futures:
        blob: bytes = future.result()
        # our own workers' pickles (the cluster is trusted like the store); handed over
        # with the collector still paused, so that the caller may keep (freeze) them
        # before it traverses them
        with gc_paused():
            found: dict[str, AccountAnalysis] = pickle.loads(blob)
            yield found
