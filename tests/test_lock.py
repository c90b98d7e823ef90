"""Installs are locked: the scripts install requirements/ with hashes, and the locks agree."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQ = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def pins(name: str) -> dict[tuple[str, str], str]:
    """(package, marker) -> version of one lock; every pin carries at least one hash."""
    found: dict[tuple[str, str], str] = {}
    lines = (REQ / name).read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        m = PIN.match(line)
        if m:
            assert lines[n + 1].strip().startswith("--hash=sha256:"), line
            found[(m[1].lower().replace("_", "-"), (m[3] or "").strip())] = m[2]
    assert found, name
    return found


def test_the_runtime_lock_is_the_test_lock_without_the_test_extra() -> None:
    test, runtime = pins("test.txt"), pins("runtime.txt")
    assert {k: test.get(k) for k in runtime} == runtime
    assert ("ruff", "") in test and ("ruff", "") not in runtime


def test_sgqlc_is_locked_apart_and_nowhere_else() -> None:
    assert [k for k, _ in pins("sgqlc.txt")] == ["sgqlc"]
    assert not any(k == "sgqlc" for k, _ in pins("test.txt"))


def test_the_scripts_install_exactly_the_locks() -> None:
    test = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    demo = (ROOT / "scripts" / "demo").read_text(encoding="utf-8")
    for script, lock in ((test, "test.txt"), (demo, "runtime.txt")):
        installs = [ln for ln in script.splitlines() if "pip install" in ln]
        assert all("--require-hashes" in ln or "--no-deps" in ln for ln in installs), installs
        assert any(f"-r requirements/{lock}" in ln for ln in installs)
        assert any("-r requirements/tools.txt" in ln for ln in installs)
        assert any(ln.endswith("--no-deps --no-build-isolation -e .") for ln in installs)
    assert "--no-deps -r requirements/sgqlc.txt" in test


def test_the_gating_tools_are_held_to_their_locked_minor_series() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    test = pins("test.txt")
    for tool in ("ruff", "mypy"):
        m = re.search(rf'"{tool}>=([\d.]+),<([\d.]+)"', pyproject)
        assert m, tool
        locked = tuple(int(x) for x in test[(tool, "")].split(".")[:2])
        upper = tuple(int(x) for x in m[2].split("."))
        assert locked < upper and upper[:-1] == locked[:-1], (tool, locked, upper)


def _locked_here(name: str) -> dict[str, str]:
    """package -> version that the lock installs on this interpreter and platform."""
    from packaging.markers import Marker

    return {
        pkg: version
        for (pkg, marker), version in pins(name).items()
        if not marker or Marker(marker).evaluate()
    }


def test_the_locks_satisfy_pyproject() -> None:
    # a dependency changed in pyproject.toml without ./scripts/lock fails here
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for lock, reqs in (
        ("runtime.txt", project["dependencies"]),
        ("test.txt", project["dependencies"] + project["optional-dependencies"]["test"]),
    ):
        locked = _locked_here(lock)
        for text in reqs:
            req = Requirement(text)
            name = req.name.lower().replace("_", "-")
            assert name in locked, f"{text} is not in requirements/{lock}: run ./scripts/lock"
            assert req.specifier.contains(locked[name], prereleases=True), (
                f"requirements/{lock} has {name}=={locked[name]}, pyproject.toml wants {text}:"
                " run ./scripts/lock"
            )
