"""Writing dataset documents as diff-friendly JSON: one record per line."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps_dataset"]


def dumps_dataset(doc: dict[str, Any]) -> str:
    """A dataset v1 document as UTF-8 JSON text with one record per line.

    Examples
    --------
    >>> print(dumps_dataset({"version": 1, "companies": [{"id": "a", "name": "甲"}]}), end="")
    {
      "version": 1,
      "companies": [
        {"id": "a", "name": "甲"}
      ]
    }
    """
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        name = json.dumps(key)
        if isinstance(value, list) and value:
            lines.append(f"  {name}: [")
            last = len(value) - 1
            lines.extend(
                "    " + json.dumps(record, ensure_ascii=False) + ("," if j < last else "")
                for j, record in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
