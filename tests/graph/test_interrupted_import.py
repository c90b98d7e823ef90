"""An import process SIGKILLed halfway leaves whole accounts or none (both stores):
every account of the document is either entirely in the store or entirely absent, no
node stands without the relationships of the document between it and what is there,
the import journal says the import was interrupted, and importing the same document
again completes it (the journal then says done)."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from stakegraph.graph.dataset import document_digest, import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.import_journal import SHARED_LABELS
from stakegraph.graph.model import Label
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import generate

#: Small transactions, so that a kill halfway lands between and inside several.
PART_ROWS = 300
DEADLINE = 240.0

CHILD = """
import json, os, sys
from stakegraph.graph.dataset import import_dataset
doc = json.load(open(sys.argv[2]))
if sys.argv[1] == "embedded":
    from stakegraph.graph.embedded_store import EmbeddedStore
    store = EmbeddedStore(sys.argv[3])
else:
    from stakegraph.graph.neo4j_store import Neo4jStore
    store = Neo4jStore(sys.argv[3], os.environ.get("NEO4J_USER", "neo4j"),
                       os.environ.get("NEO4J_PASSWORD", "neo4j"))
store.import_part_rows = int(sys.argv[4])
def progress(done, total):
    print(done, total, flush=True)
import_dataset(store, doc, progress=progress)
print("finished", flush=True)
"""


def location(store: GraphStore) -> str:
    if isinstance(store, EmbeddedStore):
        return store.path
    assert isinstance(store, Neo4jStore)
    return store.uri


def kill_halfway(store: GraphStore, doc_path: Path) -> None:
    """Run the import in a child process and SIGKILL it once half its records are
    written (Neo4j: committed; embedded: inside its one transaction)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            store.backend,
            str(doc_path),
            location(store),
            str(PART_ROWS),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + DEADLINE
    try:
        while True:
            assert time.monotonic() < deadline, "the import never got halfway"
            if not selector.select(timeout=1.0):
                assert proc.poll() is None, "the import process ended before halfway"
                continue
            line = proc.stdout.readline()
            assert line and line != "finished\n", "the import ended before halfway"
            done, total = map(int, line.split())
            if total and done * 2 >= total:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)  # reaped: its pid is gone
        selector.close()
    assert proc.returncode == -signal.SIGKILL


def test_a_killed_import_leaves_whole_accounts_and_a_rerun_completes_it(
    store: GraphStore, tmp_path: Path
) -> None:
    doc: dict[str, Any] = generate(12, 20, 1)
    doc_path = tmp_path / "atomic-doc.json"
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    batch = parse_dataset(doc)
    companies = {n.id for n in batch.nodes if n.label == Label.COMPANY}

    kill_halfway(store, doc_path)

    partial = store.export()
    present = {(n.label, n.id) for n in partial.nodes}
    present_rels = {r.key for r in partial.relationships}
    journal = store.import_journal()
    assert journal is not None
    assert journal.digest == document_digest(doc)
    assert journal.state == "running"
    assert journal.status() == "interrupted"
    assert journal.accounts_total == len(companies)
    assert journal.accounts_done < journal.accounts_total
    accounts_done = journal.accounts_done
    if store.backend == "embedded":  # one transaction: nothing of it stays
        assert present == set() and journal.accounts_done == 0
    else:  # accounts committed before the kill are there, the shared records first
        assert journal.accounts_done > 0
        shared = {(n.label, n.id) for n in batch.nodes if n.label in SHARED_LABELS}
        assert shared <= present
    # no node without its relationships: every relationship of the document between
    # two records that are there is there too
    missing = [
        r.key
        for r in batch.relationships
        if (r.from_label, r.from_id) in present
        and (r.to_label, r.to_id) in present
        and r.key not in present_rels
    ]
    assert missing == []

    summary = import_dataset(store, doc)  # the rerun
    assert summary.nodes_updated == 0  # what the killed import wrote was whole
    journal = store.import_journal()
    assert journal is not None and journal.state == "done" and journal.status() == "done"
    assert journal.accounts_done == journal.accounts_total == len(companies)
    complete = store.export()
    assert {(n.label, n.id) for n in complete.nodes} == {(n.label, n.id) for n in batch.nodes}
    assert {r.key for r in complete.relationships} == {r.key for r in batch.relationships}

    # every account was, after the kill, either entirely there or entirely absent
    owners: dict[str, set[tuple[Label, str]]] = {c: set() for c in companies}
    for label in (Label.COMPANY, Label.DEPARTMENT, Label.CONTACT, Label.OPPORTUNITY):
        ids = [n.id for n in batch.nodes if n.label == label]
        for node_id, company in store.owning_accounts(label, ids).items():
            owners[company].add((label, node_id))
    kept = [c for c, records in owners.items() if records <= present]
    for company, records in owners.items():
        assert records <= present or not (records & present), company
    assert len(kept) == accounts_done  # the journal counts the accounts that are whole
