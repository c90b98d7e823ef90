"""Seed data: the hand-designed demo portfolio and a synthetic generator (dataset v1).

* :func:`load_demo` returns the packaged ``demo.json`` (written by
  ``python -m stakegraph.seeds.build_demo``; its "today" is 2026-11-20);
* :func:`generate` builds a deterministic synthetic portfolio of any size.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

from stakegraph.seeds.synthetic import generate

__all__ = ["DEMO_TODAY", "generate", "load_demo"]

#: The date the demo data treats as "today" (pass it as ``as_of`` to analytics).
DEMO_TODAY = date(2026, 11, 20)


def load_demo() -> dict[str, Any]:
    """The demo dataset v1 document, read from the package's ``demo.json``.

    Examples
    --------
    >>> doc = load_demo()
    >>> doc["version"], len(doc["companies"])
    (1, 10)
    """
    text = resources.files(__name__).joinpath("demo.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc
