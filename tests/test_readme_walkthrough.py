"""The README followed literally, as a newcomer does: in a fresh directory, the demo
first, then every command of "A first session" and the examples of "Analytics and
reports" and "Graph exports" in order; each exits 0 with what the README says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(heading: str) -> list[str]:
    """The commands of the first ```bash block after ``heading`` (comments dropped,
    ``[optional parts]`` left out, as a reader trying the plain form does)."""
    section = README.split(heading, 1)[1]
    body = section.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in body.splitlines():
        command = re.sub(r"\s+#.*$", "", line).strip()
        command = re.sub(r"\s*\[[^\]]*\]", "", command)
        if command:
            commands.append(command)
    return commands


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STAKEGRAPH_", "NEO4J_"))}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    env["COLUMNS"] = "120"
    return subprocess.run(
        shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh directory in which the demo data was loaded as `./scripts/demo` does."""
    home = tmp_path_factory.mktemp("newcomer")
    before = run("stakegraph report co-orient", home)
    assert before.returncode == 1
    assert before.stderr.strip() == (
        "error: no store at stakegraph.db: load data first: `stakegraph demo --no-serve`, "
        "`stakegraph seed` or `stakegraph import FILE`"
    )
    assert not (home / "stakegraph.db").exists()  # a reading command creates nothing
    demo = run("stakegraph demo --no-serve", home)
    assert demo.returncode == 0, demo.stderr
    assert "demo data loaded into stakegraph.db" in demo.stderr
    return home


def test_a_first_session(newcomer: Path) -> None:
    commands = block_after("## A first session")
    assert len(commands) == 9
    expect = {
        "stakegraph demo --no-serve": lambda r: "already holds accounts" in r.stderr,
        "stakegraph counts": lambda r: re.search(r"Company\s*│\s*10\b", r.stdout),
        "stakegraph report co-orient -o orient.html": lambda r: (
            "Decision-chain coverage" in (newcomer / "orient.html").read_text(encoding="utf-8")
        ),
        "stakegraph report co-orient --format md": lambda r: (
            r.stdout.startswith("# Influence report: 东方精工集团")
            and "&amp;" not in r.stdout
            and "&gt;" not in r.stdout
        ),
        "stakegraph grade --rep rep-chen-hao": lambda r: "co-orient" in r.stdout,
        "stakegraph whatif co-orient --leave c-or-02 --stance c-or-03=OPPONENT": lambda r: (
            re.search(r"\d+ of \d+ metrics change; \d+ unchanged hidden", r.stdout)
        ),
        "stakegraph map co-orient --view political -o orient-map.html": lambda r: (
            "vis-network" in (newcomer / "orient-map.html").read_text(encoding="utf-8")
            or "vis.Network" in (newcomer / "orient-map.html").read_text(encoding="utf-8")
        ),
        "stakegraph export backup.json": lambda r: (
            (newcomer / "backup.json").stat().st_size > 10_000
        ),
        "stakegraph import backup.json": lambda r: re.search(
            r"records\s*│\s*0\s*│\s*0\s*│\s*\d+", r.stdout
        ),
    }
    assert list(expect) == commands  # the test follows the README, line for line
    for command in commands:
        result = run(command, newcomer)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert expect[command](result), (command, result.stdout[-2000:], result.stderr)


@pytest.mark.parametrize("heading", ["## Analytics and reports", "## Graph exports"])
def test_the_examples_run_in_their_plain_form(newcomer: Path, heading: str) -> None:
    commands = block_after(heading)
    assert commands
    for command in commands:
        result = run(command, newcomer)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout or "wrote " in result.stderr, command
        assert "<html" not in result.stdout.lower()[:200]  # no page dumped into a terminal
