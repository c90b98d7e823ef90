"""Every example in a docstring of the package runs (numpydoc ``Examples`` sections)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import stakegraph


def _modules() -> list[str]:
    names = ["stakegraph"]
    for info in pkgutil.walk_packages(stakegraph.__path__, "stakegraph."):
        names.append(info.name)
    # the subpackages installed from the top-level folders (package-dir)
    for sub in ("graph", "influence", "gql", "viz", "seeds", "reports", "service", "capture"):
        pkg = importlib.import_module(f"stakegraph.{sub}")
        names.append(pkg.__name__)
        names += [i.name for i in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}.")]
    return sorted(n for n in set(names) if not n.endswith(".__main__"))


MODULES = _modules()


def test_every_subpackage_is_found() -> None:
    for sub in ("graph", "influence", "gql", "viz", "seeds", "reports", "service", "capture"):
        assert f"stakegraph.{sub}" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
