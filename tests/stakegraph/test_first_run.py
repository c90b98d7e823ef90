"""`stakegraph demo` as a newcomer runs it: it loads the store every other command
reads, prints where to go, and every address it prints answers."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.gql.server import free_port


def test_the_demo_prints_addresses_that_answer(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STAKEGRAPH_", "NEO4J_"))}
    env["STAKEGRAPH_DASK_MIN_ACCOUNTS"] = "100000"
    proc = subprocess.Popen(
        [sys.executable, "-m", "stakegraph", "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stderr is not None
        lines: list[str] = []
        deadline = time.monotonic() + 120
        while not any(line.strip().startswith("health") for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            lines.append(proc.stderr.readline())
        text = "".join(lines)
        assert "demo data loaded into stakegraph.db" in text
        urls = dict(re.findall(r"^\s+(front page|a map|GraphiQL|health)\s+(\S+)$", text, re.M))
        assert set(urls) == {"front page", "a map", "GraphiQL", "health"}
        while True:  # uvicorn is up once /health answers
            try:
                if httpx.get(urls["health"], timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        front = httpx.get(urls["front page"], timeout=60)
        assert front.status_code == 200 and "/accounts/co-orient/map" in front.text
        assert "东方精工集团" in front.text
        mapped = httpx.get(urls["a map"], timeout=60)
        assert mapped.status_code == 200 and "孙志远" in mapped.text
        ide = httpx.get(urls["GraphiQL"], headers={"Accept": "text/html"}, timeout=10)
        assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    # every other command reads what the demo loaded
    report = subprocess.run(
        [sys.executable, "-m", "stakegraph", "report", "co-orient", "-f", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["account"]["company_id"] == "co-orient"
