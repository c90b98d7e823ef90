"""docker-compose.yml, checked without Docker: its invariants, its Neo4j healthcheck
run by a shell as the container runs it, and the service container's exact command run
against the test session's Neo4j, twice (first start, then a restart)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from stakegraph.graph.store import GraphStore
from stakegraph.service.settings import Settings, env_name
from tests.gql.server import free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _compose_unescape(text: str) -> str:
    """What compose hands the container: ``$$`` is a literal ``$``."""
    return text.replace("$$", "$")


def test_the_neo4j_healthcheck_works_for_any_password(tmp_path: Path) -> None:
    test = COMPOSE["services"]["neo4j"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    command = _compose_unescape(test[1])
    # the container's shell runs it; cypher-shell stands in as a program printing its args
    fake = tmp_path / "cypher-shell"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done\n')
    fake.chmod(0o755)
    for password in ("stakegraph-dev", 'p@ss/w"rd $HOME', "x y"):
        out = subprocess.run(
            ["sh", "-c", command],
            env={"PATH": f"{tmp_path}:/usr/bin:/bin", "NEO4J_AUTH": f"neo4j/{password}"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out == f"[-u][neo4j][-p][{password}][RETURN 1]"


def test_the_service_seeds_only_an_empty_store_and_is_reachable_on_first_start() -> None:
    service = COMPOSE["services"]["stakegraph"]
    assert "stakegraph seed --if-empty &&" in service["command"]
    assert "stakegraph serve" in service["command"]
    env = service["environment"]
    assert env["STAKEGRAPH_ADMIN_KEY_FILE"].startswith("/var/lib/stakegraph/")
    assert "stakegraph-keys:/var/lib/stakegraph" in service["volumes"]
    assert env["NEO4J_PASSWORD"] == "${NEO4J_PASSWORD:-stakegraph-dev}"
    assert COMPOSE["services"]["neo4j"]["environment"]["NEO4J_AUTH"] == (
        "neo4j/${NEO4J_PASSWORD:-stakegraph-dev}"
    )
    assert service["env_file"] == [{"path": ".env", "required": False}]


def test_env_example_and_readme_name_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        name = env_name(field)
        assert re.search(rf"^#? ?{name}=", example, re.M), f"{name} missing from .env.example"
        short = "_" + name.removeprefix("STAKEGRAPH_")
        assert f"`{name}`" in readme or f"{short}`" in readme, f"{name} missing from README"


@contextmanager
def container_command(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[str]]:
    """The service's command minus its `pip install` (the package is installed here)."""
    command = COMPOSE["services"]["stakegraph"]["command"]
    inner = shlex.split(command)[2]  # sh -c "<inner>"
    steps = [s.strip() for s in inner.split("&&")]
    assert steps[0].startswith("pip install")
    script = " && ".join(steps[1:]).replace("--host 0.0.0.0", "--host 127.0.0.1")
    bindir = str(Path(sys.executable).parent)
    proc = subprocess.Popen(
        ["sh", "-c", script],
        env={**env, "PATH": f"{bindir}:{os.environ['PATH']}", "STAKEGRAPH_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _wait_healthy(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the service did not become healthy")


def _graphql(base: str, key: str, query: str) -> dict[str, Any]:
    r = httpx.post(f"{base}/graphql", json={"query": query}, headers={"X-API-Key": key}, timeout=60)
    body: dict[str, Any] = r.json()
    assert r.status_code == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.mark.neo4j
def test_the_container_command_on_first_start_and_after_a_restart(
    neo4j_uri: str, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    compose_env = COMPOSE["services"]["stakegraph"]["environment"]
    env = {
        "HOME": str(tmp_path),
        "STAKEGRAPH_STORE": compose_env["STAKEGRAPH_STORE"],
        "NEO4J_URI": neo4j_uri,  # bolt://neo4j:7687 in the container
        "NEO4J_USERNAME": compose_env["NEO4J_USERNAME"],
        "STAKEGRAPH_ADMIN_KEY_FILE": str(tmp_path / "var-lib-stakegraph" / "admin-key"),
        "STAKEGRAPH_WORKERS": str(compose_env["STAKEGRAPH_WORKERS"]),
        "STAKEGRAPH_DASK_MIN_ACCOUNTS": "100000",
    }
    assert int(env["STAKEGRAPH_WORKERS"]) >= 2  # the container serves with several processes
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with container_command(env, port) as proc:
        _wait_healthy(base, proc)
        unauthenticated = httpx.post(f"{base}/graphql", json={"query": "{ me { name } }"})
        assert unauthenticated.status_code == 401
        key = (tmp_path / "var-lib-stakegraph" / "admin-key").read_text().strip()
        assert _graphql(base, key, "{ me { name role } }")["me"] == {
            "name": "admin",
            "role": "ADMIN",
        }
        set_stance = 'mutation { setStance(contactId: "c-or-05", stance: BLOCKER) { stance } }'
        assert _graphql(base, key, set_stance)["setStance"]["stance"] == "BLOCKER"
    first_err = proc.stderr.read() if proc.stderr else ""
    assert key in first_err  # shown on the first start
    with container_command(env, port) as proc:
        _wait_healthy(base, proc)
        read = '{ contact(id: "c-or-05") { stance } }'
        assert _graphql(base, key, read)["contact"]["stance"] == "BLOCKER"  # not re-seeded
    second_err = proc.stderr.read() if proc.stderr else ""
    assert "nothing seeded" in second_err and key not in second_err
