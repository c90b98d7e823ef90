"""The ``SalesMethod`` enum (a module of its own: argument types cannot be lazy)."""

from __future__ import annotations

from enum import Enum

import strawberry

__all__ = ["SalesMethod"]


@strawberry.enum(description="A sales method whose vocabulary a view speaks.")
class SalesMethod(Enum):
    MEDDPICC = "meddpicc"
    BLUE_SHEET = "blue_sheet"
    ALTIFY = "altify"
