"""Nothing in the repository points outside it: the analytics are documented in
docs/analytics.md, and no tracked file outside tests/ names an outside contract file."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# spelled in pieces so that this file does not match itself
FORBIDDEN = ("domain" + ".md", ".." + "/shared", "/work" + "/shared")


def _tracked() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [p for p in out.split("\0") if p and not p.startswith("tests/")]


def test_no_tracked_file_outside_tests_points_outside_the_repository() -> None:
    offenders = []
    for rel in _tracked():
        path = ROOT / rel
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if any(f in line for f in FORBIDDEN):
                offenders.append(f"{rel}:{n}: {line.strip()[:80]}")
    assert offenders == []


def test_the_readme_points_at_the_analytics_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/analytics.md" in readme
    assert (ROOT / "docs" / "analytics.md").is_file()
