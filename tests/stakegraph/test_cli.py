"""The ``stakegraph`` command line, run as a real process against both stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.graph.test_dataset import small_dataset


@pytest.fixture(params=["embedded", "neo4j"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    if request.param == "embedded":
        return ["--store", "embedded", "--db", str(tmp_path / "cli.db")]
    request.getfixturevalue("neo4j_store")  # a clean Neo4j database
    return ["--store", "neo4j", "--neo4j-uri", request.getfixturevalue("neo4j_uri")]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "STAKEGRAPH_STORE")}
    return subprocess.run(
        [sys.executable, "-m", "stakegraph", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_schema_prints_the_dataset_json_schema() -> None:
    result = run("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "stakegraph dataset v1"
    assert "relationships" in schema["properties"]


def test_import_export_round_trip_and_idempotence(store_args: list[str], tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(small_dataset(), ensure_ascii=False), encoding="utf-8")
    first = run("import", str(src), "--json", *store_args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["nodes_created"] == 11
    second = run("import", str(src), "--json", *store_args)
    assert second.returncode == 0 and json.loads(second.stdout)["nodes_created"] == 0
    assert json.loads(second.stdout)["relationships_created"] == 0
    table = run("import", str(src), *store_args)  # for people: a table
    assert table.returncode == 0 and "unchanged" in table.stdout and "{" not in table.stdout
    out = tmp_path / "out.json"
    exported = run("export", str(out), *store_args)
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["contacts"]) == 2 and len(doc["relationships"]) == 19


def test_a_bad_file_exits_non_zero_with_one_line_per_error(
    store_args: list[str], tmp_path: Path
) -> None:
    doc = small_dataset()
    doc["contacts"][1]["department_id"] = "ghost"
    doc["contacts"][0]["seniority"] = "INTERN"
    doc["reps"][0]["industry_expert"] = "very"
    doc["relationships"].append({"type": "WORKS_IN", "from": "p1", "to": "hq"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = run("import", str(bad), *store_args)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1] == "4 invalid record(s); nothing was written."
    assert len(lines) == 5, result.stderr
    assert any("contacts[1].department_id" in line and "ghost" in line for line in lines)
    assert any("'hq' is a Company, but this end must be a Department" in line for line in lines)
    counts = run("export", "-", *store_args)
    assert json.loads(counts.stdout)["contacts"] == []


def test_malformed_json_is_reported_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"companies": [}', encoding="utf-8")
    result = run("import", str(bad), "--store", "embedded", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    assert "line 1, column 16" in result.stderr
