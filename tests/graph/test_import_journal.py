"""How an import is cut into accounts (the parts Neo4j writes one transaction each):
shared records apart, an account's records and relationships together and never split,
a relationship between two accounts with the later one, a change event with its
contact's account; and how a journal entry reads (done, running, interrupted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stakegraph.graph.dataset import parse_dataset
from stakegraph.graph.import_journal import STALE_AFTER, ImportJournal, account_parts
from stakegraph.graph.model import Label
from stakegraph.seeds import generate
from tests.gql.test_health import dead_pid


def owner_of(parts_nodes: list[set[tuple[Label, str]]], key: tuple[Label, str]) -> int:
    return next(i for i, keys in enumerate(parts_nodes) if key in keys)


def test_accounts_are_whole_in_one_part_and_ties_go_with_the_later_end() -> None:
    batch = parse_dataset(generate(6, 10, 1))
    shared, parts = account_parts(batch.nodes, batch.relationships, batch.changes, 50)
    assert {n.label for n in shared.nodes} == {Label.REP, Label.TEAM, Label.COMPETITOR}
    assert sum(p.accounts for p in parts) == 6
    assert len(parts) == 6  # each account is more than 50 records: one part each, unsplit
    keys = [{(n.label, n.id) for n in p.nodes} for p in parts]
    assert sum(len(k) for k in keys) + len(shared.nodes) == len(batch.nodes)
    for i, part in enumerate(parts):
        companies = [n for n in part.nodes if n.label == Label.COMPANY]
        assert len(companies) == 1 == part.accounts
        for rel in part.relationships:  # both ends written by then
            for end in ((rel.from_label, rel.from_id), (rel.to_label, rel.to_id)):
                if end[0] not in (Label.REP, Label.TEAM, Label.COMPETITOR):
                    assert owner_of(keys, end) <= i
        for event in part.changes:
            assert (Label.CONTACT, event.contact_id) in keys[i]
    assert sum(len(p.relationships) for p in parts) + len(shared.relationships) == len(
        batch.relationships
    )
    packed = account_parts(batch.nodes, batch.relationships, batch.changes, 10_000)[1]
    assert len(packed) == 1 and packed[0].accounts == 6


def test_a_journal_reads_done_running_or_interrupted() -> None:
    begun = ImportJournal.begin("a" * 32, 4, "import")
    assert begun.status() == "running"  # this process is alive
    assert begun.advanced(4, last=True).status() == "done"
    assert begun.failed().status() == "interrupted"
    assert begun.model_copy(update={"pid": dead_pid()}).status() == "interrupted"
    later = datetime.now(UTC) + STALE_AFTER + timedelta(seconds=1)
    assert begun.status(later) == "interrupted"  # not advanced for too long
