"""Running ``stakegraph`` commands in-process (typer's runner) against a test store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from stakegraph.cli import app


def store_args_of(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> list[str]:
    """The options that open the test's store: an embedded file, or the session's
    Neo4j, cleared."""
    if backend == "embedded":
        return ["--store", "embedded", "--db", str(tmp_path / "cli.db")]
    request.getfixturevalue("neo4j_store")  # a clean Neo4j database
    return ["--store", "neo4j", "--neo4j-uri", request.getfixturevalue("neo4j_uri")]


def cli(*args: str) -> Result:
    """One command, its stdout and stderr kept apart; never raises."""
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def exported(store_args: list[str]) -> dict[str, Any]:
    """The whole store as dataset v1, through ``stakegraph export -``."""
    result = cli("export", "-", *store_args)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc
