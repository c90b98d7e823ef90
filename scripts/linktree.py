"""The installed layout as a tree of links, for tools that read packages from disk.

stakegraph's packages live in the design card's top-level folders (``graph/``,
``influence/``, ``gql/`` …) and install as ``stakegraph.graph``, ``stakegraph.influence``
… through setuptools' ``package-dir`` (pyproject.toml). Import hooks make that work at
run time; static tools (mypy, import-linter) need the packages on disk, so this module
mirrors the mapping as real directories of symbolic links to the source files.

``python scripts/linktree.py DEST`` builds ``DEST/stakegraph/…``.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = {".py", ".pyi", ".typed"}


def package_dirs(root: Path = ROOT) -> dict[str, Path]:
    """``{package name: source folder}`` of pyproject.toml's ``package-dir``."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: root / folder for name, folder in mapping.items()}


def build(dest: Path, root: Path = ROOT) -> Path:
    """Mirror every mapped package under ``dest``; returns ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    for name, source in package_dirs(root).items():
        target = dest.joinpath(*name.split("."))
        for path in sorted(source.rglob("*")):
            if "__pycache__" in path.parts or path.suffix not in SUFFIXES or not path.is_file():
                continue
            rel = path.relative_to(source)
            if any(part in ("templates", "static") for part in rel.parts):
                continue
            link = target / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(path)
    return dest


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build" / "tree"))
