"""Benchmark ``import_dataset`` beside what each database does bare, in the same run.

    python bench/bench_import.py [--accounts 200] [--contacts 100] [--repeats 3]
                                 [--naive-rows 2000] [--store embedded|neo4j|both]

A synthetic portfolio (``stakegraph seed --synthetic``) is imported into a fresh store,
then imported again unchanged. Floors, measured in the same run, interleaved with the
project's imports (medians over ``--repeats``):

* embedded: a bare ``sqlite3`` ``executemany`` of every node and relationship row
  (the records ``json.dumps``-ed, the shorthands expanded beforehand, no validation)
  into the same schema, in one transaction, into a fresh file;
* Neo4j: a bare batched ``UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n += r.props``
  (relationships: ``MATCH`` both ends, ``MERGE`` the edge, ``SET r += r.props``), 10,000
  rows per batch and transaction, with the store's constraints on;
* Neo4j, naive: one auto-commit ``MERGE`` per row, on the first ``--naive-rows`` node
  rows and the relationship rows among them, scaled to the whole document.

Prints the seconds of each, rows per second and the ratios (floor time / import time:
1.0 is the database's own speed); for Neo4j also the median of the interleaved pairs'
ratios and the CPU seconds of client and server together (of a server this run started,
warmed up first by two untimed rounds). Neo4j comes from NEO4J_URI, else a local server
is started (and stopped) for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import REL_ENDPOINTS, Label, RelType
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.seeds import generate

BATCH = 10_000
NodeRow = tuple[str, str, dict[str, Any]]
RelRow = tuple[str, str, str, str, str, dict[str, Any]]


def bare_rows(doc: dict[str, Any]) -> tuple[list[NodeRow], list[RelRow]]:
    """Every node (label, id, properties) and relationship (type, from label, from id,
    to label, to id, properties) of a document, shorthands expanded, nothing checked."""
    nodes: list[NodeRow] = []
    rels: list[RelRow] = []
    for label in Label:
        for record in doc.get(label.plural, []):
            props = dict(record)
            for key in ("department_id", "company_id"):
                target = props.pop(key, None)
                if target is not None:
                    rel_type = {
                        ("department_id", Label.CONTACT): "WORKS_IN",
                        ("company_id", Label.DEPARTMENT): "PART_OF",
                        ("company_id", Label.OPPORTUNITY): "FOR",
                    }[(key, label)]
                    to_label = "Department" if key == "department_id" else "Company"
                    rels.append((rel_type, str(label), props["id"], to_label, target, {}))
            for key, from_label in (("rep_ids", "Rep"), ("contact_ids", "Contact")):
                for a in props.pop(key, []):
                    rels.append(("ATTENDED", from_label, a, "Interaction", props["id"], {}))
            nodes.append((str(label), props["id"], props))
    for r in doc.get("relationships", []):
        allowed_from, allowed_to = REL_ENDPOINTS[RelType(r["type"])]
        fl = r.get("from_label") or next(iter(allowed_from))
        tl = r.get("to_label") or next(iter(allowed_to))
        props = {k: v for k, v in r.items() if k not in ("type", "from", "to")}
        props.pop("from_label", None)
        props.pop("to_label", None)
        rels.append((r["type"], str(fl), r["from"], str(tl), r["to"], props))
    return nodes, rels


def timed(fn: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall seconds of ``fn()``; its CPU seconds (this process) appended to ``cpu``."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    return time.perf_counter() - t0


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_with_server(
    fn: Callable[[], object], pid: int | None, cpu: list[tuple[float, float]]
) -> float:
    """:func:`timed`; the CPU seconds of this process and of the server ``pid`` (0 when
    the run did not start it) appended to ``cpu`` as a pair."""
    before = _process_cpu(pid) if pid is not None else 0.0
    client: list[float] = []
    seconds = timed(fn, client)
    cpu.append((client[0], _process_cpu(pid) - before if pid is not None else 0.0))
    return seconds


# ------------------------------------------------------------------------- embedded


def embedded_floor(path: Path, nodes: list[NodeRow], rels: list[RelRow]) -> None:
    EmbeddedStore(path).close()  # the same schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO nodes (label, id, props, name_lc) VALUES (?, ?, ?, ?)",
        [
            (lab, nid, json.dumps(p, ensure_ascii=False), (p.get("name") or "").casefold())
            for lab, nid, p in nodes
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO rels (type, from_label, from_id, to_label, to_id, props) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(t, fl, f, tl, to, json.dumps(p)) for t, fl, f, tl, to, p in rels],
    )
    conn.execute("COMMIT")
    conn.close()


def bench_embedded(doc: dict[str, Any], repeats: int, rows: int) -> None:
    nodes, rels = bare_rows(doc)
    floor, fresh, again = [], [], []
    cpu: dict[str, list[float]] = {"floor": [], "fresh": [], "again": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            floor_path = Path(tmp) / f"floor{i}.db"
            floor.append(timed(lambda: embedded_floor(floor_path, nodes, rels), cpu["floor"]))  # noqa: B023
            store = EmbeddedStore(Path(tmp) / f"import{i}.db")
            fresh.append(timed(lambda: import_dataset(store, doc), cpu["fresh"]))  # noqa: B023
            again.append(timed(lambda: import_dataset(store, doc), cpu["again"]))  # noqa: B023
            store.close()
    report("embedded", rows, statistics.median(floor), "bare executemany", fresh, again)
    c_floor, c_fresh, c_again = (statistics.median(cpu[k]) for k in ("floor", "fresh", "again"))
    print(
        f"embedded CPU seconds (a shared machine's fairer clock): floor {c_floor:.2f} s, "
        f"import {c_fresh:.2f} s ({c_floor / c_fresh:.2f}x the floor's speed), "
        f"re-import {c_again:.2f} s ({c_again / c_fresh:.2f}x the import)"
    )


# ---------------------------------------------------------------------------- Neo4j


def _neo_props(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nested maps: the contact profile goes as JSON text."""
    return {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in props.items()}


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), BATCH):
        yield items[i : i + BATCH]


def neo4j_floor(store: Neo4jStore, nodes: list[NodeRow], rels: list[RelRow]) -> None:
    driver, db = store._driver, store.database
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for lab, nid, p in nodes:
        by_label[lab].append({"id": nid, "props": _neo_props(p)})
    for lab, rows in by_label.items():
        for batch in _batches(rows):
            driver.execute_query(
                f"UNWIND $rows AS r MERGE (n:`{lab}` {{id: r.id}}) SET n += r.props",
                rows=batch,
                database_=db,
            )
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for t, fl, f, tl, to, p in rels:
        by_type[(t, fl, tl)].append({"f": f, "t": to, "props": p})
    for (t, fl, tl), rows in by_type.items():
        for batch in _batches(rows):
            driver.execute_query(
                f"UNWIND $rows AS r MATCH (a:`{fl}` {{id: r.f}}) MATCH (b:`{tl}` {{id: r.t}}) "
                f"MERGE (a)-[x:`{t}`]->(b) SET x += r.props",
                rows=batch,
                database_=db,
            )


def neo4j_naive(store: Neo4jStore, nodes: list[NodeRow], rels: list[RelRow]) -> None:
    with store._driver.session(database=store.database) as session:
        for lab, nid, p in nodes:
            session.run(
                f"MERGE (n:`{lab}` {{id: $id}}) SET n += $props", id=nid, props=_neo_props(p)
            ).consume()
        for t, fl, f, tl, to, p in rels:
            session.run(
                f"MATCH (a:`{fl}` {{id: $f}}) MATCH (b:`{tl}` {{id: $t}}) "
                f"MERGE (a)-[x:`{t}`]->(b) SET x += $props",
                f=f,
                t=to,
                props=p,
            ).consume()


def bench_neo4j(doc: dict[str, Any], repeats: int, rows: int, naive_rows: int) -> None:
    uri = os.environ.get("NEO4J_URI")
    server = None
    if not uri:
        from stakegraph import neo4j_local

        port = neo4j_local.free_port()
        server = neo4j_local.start(port=port, data_dir=Path(tempfile.mkdtemp()) / "neo4j")
        uri = server.uri
    try:
        store = Neo4jStore(uri, "neo4j", os.environ.get("NEO4J_PASSWORD"))
        nodes, rels = bare_rows(doc)
        sample_nodes = nodes[:naive_rows]
        keys = {(lab, nid) for lab, nid, _ in sample_nodes}
        sample_rels = [r for r in rels if (r[1], r[2]) in keys and (r[3], r[4]) in keys]
        sample = len(sample_nodes) + len(sample_rels)
        store.clear()
        naive = timed(lambda: neo4j_naive(store, sample_nodes, sample_rels)) * rows / sample
        for _ in range(2):  # a server runs warm: its JIT compiles both write paths first
            store.clear()
            neo4j_floor(store, nodes, rels)
            store.clear()
            import_dataset(store, doc)
        floor, fresh, again = [], [], []
        cpu: dict[str, list[tuple[float, float]]] = {"floor": [], "fresh": []}
        pid = server.pid if server is not None else None
        for _ in range(repeats):
            store.clear()
            floor.append(
                timed_with_server(lambda: neo4j_floor(store, nodes, rels), pid, cpu["floor"])
            )
            store.clear()
            fresh.append(timed_with_server(lambda: import_dataset(store, doc), pid, cpu["fresh"]))
            again.append(timed(lambda: import_dataset(store, doc)))
        store.clear()
        report("neo4j", rows, statistics.median(floor), "bare UNWIND MERGE", fresh, again)
        pairs = statistics.median(f / i for f, i in zip(floor, fresh, strict=True))
        print(f"neo4j    import, the median of the {repeats} interleaved pairs' ratios: {pairs:.2f}x the floor's speed")  # fmt: skip
        if pid is not None:
            c_floor, c_fresh = (statistics.median(c + s for c, s in cpu[k]) for k in cpu)
            print(
                f"neo4j    CPU seconds, client + server (a shared machine's fairer clock): "
                f"floor {c_floor:.2f} s, import {c_fresh:.2f} s "
                f"({c_floor / c_fresh:.2f}x the floor's speed)"
            )
            for k, runs in cpu.items():
                each = ", ".join(f"{c:.2f} + {s:.2f}" for c, s in runs)
                print(f"neo4j    CPU seconds, client + server, of each {k} run: {each}")
        print(
            f"neo4j    naive per-row MERGE   : {naive:7.1f} s  {rows / naive:8.0f} rows/s "
            f"(measured on {sample} rows, scaled); import is "
            f"{naive / statistics.median(fresh):.1f}x faster"
        )
        store.close()
    finally:
        if server is not None:
            from stakegraph import neo4j_local

            neo4j_local.stop(port=server.port)


def report(
    name: str, rows: int, floor: float, what: str, fresh: list[float], again: list[float]
) -> None:
    imp, re_imp = statistics.median(fresh), statistics.median(again)
    print(f"{name:8} floor {what:20}: {floor:7.2f} s  {rows / floor:8.0f} rows/s")
    print(
        f"{name:8} import (fresh store)     : {imp:7.2f} s  {rows / imp:8.0f} rows/s  "
        f"{floor / imp:.2f}x the floor's speed"
    )
    print(
        f"{name:8} re-import, unchanged     : {re_imp:7.2f} s  "
        f"{re_imp / imp:.2f}x the fresh import's time"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--contacts", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-rows", type=int, default=2000)
    parser.add_argument("--store", choices=("embedded", "neo4j", "both"), default="both")
    args = parser.parse_args()
    doc = generate(args.accounts, args.contacts, 1)
    nodes, rels = bare_rows(doc)
    rows = len(nodes) + len(rels)
    print(
        f"{args.accounts} accounts x {args.contacts} contacts: {len(nodes)} nodes, "
        f"{len(rels)} relationships, {len(doc['changes'])} change events; "
        f"medians of {args.repeats} interleaved runs"
    )
    if args.store in ("embedded", "both"):
        bench_embedded(doc, args.repeats, rows)
    if args.store in ("neo4j", "both"):
        bench_neo4j(doc, args.repeats, rows, args.naive_rows)


if __name__ == "__main__":
    main()
