"""Exact threshold comparisons on floats (shared by the analytics).

Scores are sums of products of decimal weights (0.3·4 + 0.3·4 + …) that binary floats
represent only approximately, so a value that is exactly on a threshold in decimal
arithmetic may land one ulp below it. Comparisons allow :data:`EPS` of slack, so the
contract's boundaries (``>= 0.25``, ``>= 4.0``, ``⌈0.8·n⌉``) hold as written.
"""

from __future__ import annotations

import math

__all__ = ["EPS", "at_least", "at_most", "ceil_fraction", "clamp", "more_than"]

EPS = 1e-9


def at_least(value: float, threshold: float) -> bool:
    """``value >= threshold`` up to rounding."""
    return value >= threshold - EPS


def at_most(value: float, threshold: float) -> bool:
    """``value <= threshold`` up to rounding."""
    return value <= threshold + EPS


def more_than(value: float, threshold: float) -> bool:
    """``value > threshold`` up to rounding (equality is not more)."""
    return value > threshold + EPS


def ceil_fraction(fraction: float, n: int) -> int:
    """⌈fraction·n⌉ computed robustly: ``ceil_fraction(0.8, 5) == 4``, never 5.

    >>> [ceil_fraction(0.8, n) for n in range(1, 6)]
    [1, 2, 3, 4, 4]
    """
    return max(0, math.ceil(fraction * n - EPS))


def clamp(value: float, low: float, high: float) -> float:
    """``value`` limited to ``[low, high]`` (guards one-ulp overshoots)."""
    return min(high, max(low, value))
