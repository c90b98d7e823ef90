"""The layering of the packages and their types are checked, and the checks bite.

``scripts/check`` runs import-linter's contracts (pyproject.toml) and mypy on the
installed layout (``scripts/linktree.py``). These tests run the same tools on a copy
of that layout with one deliberate mistake and expect them to refuse it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _linktree() -> object:
    spec = importlib.util.spec_from_file_location("linktree", ROOT / "scripts" / "linktree.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    _linktree().build(tree)  # type: ignore[attr-defined]
    return tree


def _spoil(tree: Path, relative: str, extra: str) -> None:
    """Replace one linked module by a copy with ``extra`` appended."""
    link = tree / relative
    text = link.read_text(encoding="utf-8")
    link.unlink()
    link.write_text(text + "\n" + extra + "\n", encoding="utf-8")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layering_contracts_hold_on_the_installed_layout(tmp_path: Path) -> None:
    result = _lint(_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("stakegraph/graph/model.py", "import stakegraph.gql.app", "Entry points > application"),
        ("stakegraph/viz/page.py", "import stakegraph.service.scope", "Entry points > application"),
        (
            "stakegraph/reports/render.py",
            "import stakegraph.viz.page",
            "Entry points > application",
        ),
        ("stakegraph/influence/score.py", "import fastapi", "know no web framework"),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    tmp_path: Path, module: str, bad_import: str, contract: str
) -> None:
    tree = _tree(tmp_path)
    _spoil(tree, module, bad_import)
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    assert contract in result.stdout and "BROKEN" in result.stdout


def test_the_type_checker_refuses_a_type_error(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _spoil(tree, "stakegraph/influence/levels.py", 'def _wrong() -> int:\n    return "three"')
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "stakegraph.influence",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "stakegraph/influence/levels.py" in result.stdout
    assert "Incompatible return value type" in result.stdout
