"""Typed errors of the capture package, mapped once at the edges (CLI, GraphQL)."""

from __future__ import annotations

__all__ = ["CaptureError", "InvalidCalendar", "InvalidMailbox"]


class CaptureError(ValueError):
    """Base of every error raised by ``capture``: the input file is refused whole."""


class InvalidCalendar(CaptureError):
    """Text that is not an iCalendar document, or a series that cannot be expanded."""


class InvalidMailbox(CaptureError):
    """A path that is neither an mbox file, an ``.eml`` file nor a folder of them."""
