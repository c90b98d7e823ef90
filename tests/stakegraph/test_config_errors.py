"""Configuration mistakes, run as a person runs them: one line naming the variable and
what it allows, exit 2, never a secret in the output."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from stakegraph.service.settings import Settings, load_settings

#: A key whose hash is configured next to the broken one: its hash must never be echoed.
GOOD_HASH = hashlib.sha256(b"a-real-key-of-ours").hexdigest()
SECRET_PASSWORD = "s3cret-neo4j-password-never-printed"
SHORT_SECRET = "x"


def run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("STAKEGRAPH_", "NEO4J_")) and k != "COLUMNS"
    }
    return subprocess.run(
        [sys.executable, "-m", "stakegraph", *args],
        capture_output=True,
        text=True,
        env={**base, "COLUMNS": "80", **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def one_line_refusal(result: subprocess.CompletedProcess[str], *, code: int = 2) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # no traceback, no wrapping
    assert "Traceback" not in result.stderr and result.stdout == ""
    return lines[0]


def test_an_unknown_store_names_the_variable_and_the_choices(tmp_path: Path) -> None:
    line = one_line_refusal(run("counts", env={"STAKEGRAPH_STORE": "mongo"}, cwd=tmp_path))
    assert "STAKEGRAPH_STORE='mongo'" in line and "'embedded'" in line and "'neo4j'" in line


def test_an_unknown_store_option_is_refused_by_the_option_parser(tmp_path: Path) -> None:
    result = run("counts", "--store", "mongo", env={}, cwd=tmp_path)
    assert result.returncode == 2 and "'mongo' is not one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_neo4j_without_a_uri(tmp_path: Path) -> None:
    line = one_line_refusal(run("counts", "--store", "neo4j", env={}, cwd=tmp_path))
    assert "STAKEGRAPH_STORE=neo4j needs NEO4J_URI" in line
    line = one_line_refusal(run("serve", env={"STAKEGRAPH_STORE": "neo4j"}, cwd=tmp_path))
    assert "needs NEO4J_URI" in line


def test_a_uri_of_another_scheme(tmp_path: Path) -> None:
    env = {"NEO4J_URI": "http://127.0.0.1:7474", "NEO4J_PASSWORD": SECRET_PASSWORD}
    line = one_line_refusal(run("counts", env=env, cwd=tmp_path))
    assert line.startswith("error: configuration: NEO4J_URI='http://127.0.0.1:7474'")
    assert "neo4j+s://" in line and SECRET_PASSWORD not in line


@pytest.mark.neo4j
def test_an_unknown_neo4j_database(neo4j_uri: str, tmp_path: Path) -> None:
    env = {"NEO4J_URI": neo4j_uri, "NEO4J_DATABASE": "nosuchdb", "NEO4J_PASSWORD": SECRET_PASSWORD}
    for command in (("counts",), ("report", "co-orient"), ("demo", "--no-serve")):
        line = one_line_refusal(run(*command, env=env, cwd=tmp_path))
        assert line == f"error: NEO4J_DATABASE 'nosuchdb': no such database on {neo4j_uri}"


def test_a_malformed_key_hash_never_echoes_the_configured_hashes(tmp_path: Path) -> None:
    keys = [
        {"name": "ops", "key_sha256": GOOD_HASH, "role": "ADMIN"},
        {"name": "broken", "key_sha256": "NOT-A-HASH-abc123", "role": "REP"},
    ]
    result = run("serve", env={"STAKEGRAPH_API_KEYS": json.dumps(keys)}, cwd=tmp_path)
    line = one_line_refusal(result)
    assert "STAKEGRAPH_API_KEYS[1].key_sha256" in line and "64 lowercase hex digits" in line
    assert GOOD_HASH not in result.stderr and "NOT-A-HASH" not in result.stderr


def test_keys_that_are_not_json(tmp_path: Path) -> None:
    line = one_line_refusal(run("counts", env={"STAKEGRAPH_API_KEYS": "[{oops"}, cwd=tmp_path))
    assert line == "error: configuration: STAKEGRAPH_API_KEYS is not valid JSON"


def test_a_short_embed_secret_is_refused_outside_demo_mode(tmp_path: Path) -> None:
    env = {"STAKEGRAPH_EMBED_SECRET": SHORT_SECRET + "yz"}
    line = one_line_refusal(run("counts", env=env, cwd=tmp_path))
    assert "STAKEGRAPH_EMBED_SECRET must be at least 32 bytes" in line
    assert "xyz" not in line


def test_serve_without_keys_outside_demo_mode_refuses_to_start(tmp_path: Path) -> None:
    line = one_line_refusal(run("serve", "--port", "1", env={}, cwd=tmp_path))
    assert "no API key and not in demo mode" in line and "STAKEGRAPH_ADMIN_KEY_FILE" in line


def test_a_bad_number_names_its_variable(tmp_path: Path) -> None:
    line = one_line_refusal(run("counts", env={"STAKEGRAPH_PORT": "eighty"}, cwd=tmp_path))
    assert "STAKEGRAPH_PORT='eighty'" in line and "integer" in line
    env = {"STAKEGRAPH_ANALYSIS": '{"verdict_threshold": "high"}'}
    line = one_line_refusal(run("counts", env=env, cwd=tmp_path))
    assert "STAKEGRAPH_ANALYSIS.verdict_threshold='high'" in line


def test_neo4j_username_is_read_as_neo4j_and_aura_write_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEO4J_USERNAME", "aura-user")
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abcd1234.databases.neo4j.io")
    settings = load_settings()
    assert settings.neo4j_user == "aura-user" and settings.backend == "neo4j"
    monkeypatch.delenv("NEO4J_USERNAME")
    monkeypatch.setenv("NEO4J_USER", "older-name")
    assert load_settings().neo4j_user == "older-name"


def test_no_default_password_pretends_to_be_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    assert Settings().neo4j_password is None  # no authentication, not "neo4j"


def test_the_admin_key_file_is_generated_once_and_shown_once(tmp_path: Path) -> None:
    from stakegraph.service.access import admin_key_from_file, authenticate

    path = tmp_path / "keys" / "admin-key"
    record, created = admin_key_from_file(path)
    assert created is not None and len(created) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, shown = admin_key_from_file(path)
    assert shown is None and again == record
    principal = authenticate(created, [record], demo_mode=False)
    assert principal.name == "admin" and principal.is_admin
