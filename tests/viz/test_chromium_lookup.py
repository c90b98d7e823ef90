"""The browser tests find Chromium from STAKEGRAPH_CHROMIUM or PATH, never a fixed path."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.viz.conftest import find_chromium


def _fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_setting_wins_over_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_path = _fake_browser(tmp_path, "chromium")
    configured = _fake_browser(tmp_path, "my-chrome")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("STAKEGRAPH_CHROMIUM", str(configured))
    assert find_chromium() == str(configured)
    assert on_path.exists()


def test_chromium_then_chromium_browser_from_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STAKEGRAPH_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None
    browser = _fake_browser(tmp_path, "chromium-browser")
    assert find_chromium() == str(browser)
    chromium = _fake_browser(tmp_path, "chromium")
    assert find_chromium() == str(chromium)


def test_a_setting_that_is_no_executable_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_browser(tmp_path, "chromium")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("STAKEGRAPH_CHROMIUM", str(tmp_path / "missing"))
    assert find_chromium() is None


def test_no_test_hard_codes_a_chromium_path() -> None:
    root = Path(__file__).resolve().parents[2]
    fixed = "/usr/bin/" + "chromium"  # in pieces, so that this file does not match itself
    offenders = [
        str(p.relative_to(root))
        for folder in ("tests", "bench")
        for p in (root / folder).rglob("*.py")
        if fixed in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
