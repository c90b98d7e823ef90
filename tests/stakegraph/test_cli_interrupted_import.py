"""``stakegraph import`` of a file whose last import was interrupted says that this
import completed it (in the CLI's language); after an interrupted import of another
file it says the written accounts stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakegraph.graph.dataset import document_digest
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.import_journal import ImportJournal
from tests.gql.test_health import dead_pid
from tests.graph.test_dataset import small_dataset
from tests.stakegraph.cli_helpers import cli


def interrupt(db: Path, digest: str) -> None:
    """Leave the journal of an import whose process died after 1 of 2 accounts."""
    store = EmbeddedStore(db)
    begun = ImportJournal.begin(digest, 2, "import").model_copy(update={"pid": dead_pid()})
    store._put_journal(begun.advanced(1))
    store.close()


@pytest.mark.parametrize(
    ("lang", "same", "words"),
    [
        ("en", True, "this import completed it"),
        ("zh", True, "本次导入已将其补全"),
        ("en", False, "its written accounts stay"),
        ("zh", False, "已写入的客户保留"),
    ],
)
def test_a_rerun_says_it_completed_the_interrupted_import(
    tmp_path: Path, lang: str, same: bool, words: str
) -> None:
    doc = small_dataset()
    src = tmp_path / "in.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "cli.db"
    interrupt(db, document_digest(doc) if same else "0" * 32)
    result = cli(
        "--lang", lang, "import", str(src), "--json", "--store", "embedded", "--db", str(db)
    )
    assert result.exit_code == 0, result.stderr
    assert words in result.stderr and "1" in result.stderr and "2" in result.stderr
    assert json.loads(result.stdout)["nodes_created"] == 11
    again = cli("--lang", lang, "import", str(src), "--store", "embedded", "--db", str(db))
    assert words not in again.stderr  # the journal now says done
    store = EmbeddedStore(db)
    journal = store.import_journal()
    store.close()
    assert journal is not None and journal.status() == "done"
