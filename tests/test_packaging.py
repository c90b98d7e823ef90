"""stakegraph installs as ``stakegraph.*`` and shadows no other distribution."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_pypi_gql_client_imports_beside_stakegraph_gql(tmp_path: Path) -> None:
    # the PyPI ``gql`` client is installed into the test environment (test extras);
    # run from an empty folder so the repository's own folders are not on sys.path
    code = (
        "import gql, stakegraph.gql.app\n"
        "from gql import Client, gql as parse\n"
        "assert 'site-packages' in gql.__file__, gql.__file__\n"
        "assert stakegraph.gql.app.create_app\n"
        "assert parse('{ me { name } }')\n"
        "print(gql.__file__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout


def test_no_top_level_module_of_stakegraph_is_importable_outside_the_repository(
    tmp_path: Path,
) -> None:
    code = (
        "import importlib.util\n"
        "bare = [m for m in ('graph', 'influence', 'viz', 'seeds', 'reports', 'service')\n"
        "        if importlib.util.find_spec(m) is not None]\n"
        "print(bare)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_app_and_the_test_client_import_without_deprecation_warnings(tmp_path: Path) -> None:
    # Starlette's deprecation warnings are UserWarnings of their own class; httpx2 (the
    # [test] extra) is the HTTP client its TestClient wants
    code = (
        "import warnings\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "from starlette.exceptions import StarletteDeprecationWarning\n"
        "warnings.simplefilter('error', StarletteDeprecationWarning)\n"
        "import stakegraph.gql.app, fastapi.testclient\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
