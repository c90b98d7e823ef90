"""The purpose of a captured interaction, from the words of its title (拜访目的).

The keyword map is ordered: the first purpose one of whose keywords the title holds
wins, and a title holding none is a ``RELATIONSHIP`` interaction (relationship
building: dinners, courtesy calls). Matching ignores case; a keyword in Latin letters
or digits must begin a word (``demo`` matches "Demos", not "memo"), a Chinese one
may stand anywhere.

Default map (:data:`PURPOSE_KEYWORDS`), in order:

========== ===================================================================
SIGNING    签约 签署 签字 合同 contract signing sign-off
SOLUTION   方案 演示 demo solution proposal poc presentation
RESEARCH   调研 需求 考察 research discovery survey requirement workshop
PROGRESS   进展 进度 周会 复盘 汇报 review status progress update weekly
========== ===================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

from stakegraph.graph.model import InteractionPurpose

__all__ = ["DEFAULT_PURPOSE", "PURPOSE_KEYWORDS", "KeywordMap", "purpose_of"]

#: Purpose -> keywords, tried in order.
KeywordMap = Mapping[InteractionPurpose, Sequence[str]]

#: A title that names no purpose is relationship building.
DEFAULT_PURPOSE = InteractionPurpose.RELATIONSHIP

PURPOSE_KEYWORDS: KeywordMap = MappingProxyType(
    {
        InteractionPurpose.SIGNING: (
            "签约",
            "签署",
            "签字",
            "合同",
            "contract",
            "signing",
            "sign-off",
        ),
        InteractionPurpose.SOLUTION: (
            "方案",
            "演示",
            "demo",
            "solution",
            "proposal",
            "poc",
            "presentation",
        ),
        InteractionPurpose.RESEARCH: (
            "调研",
            "需求",
            "考察",
            "research",
            "discovery",
            "survey",
            "requirement",
            "workshop",
        ),
        InteractionPurpose.PROGRESS: (
            "进展",
            "进度",
            "周会",
            "复盘",
            "汇报",
            "review",
            "status",
            "progress",
            "update",
            "weekly",
        ),
    }
)


def purpose_of(title: str, keyword_map: KeywordMap = PURPOSE_KEYWORDS) -> InteractionPurpose:
    """The purpose a title names (see the module notes for the rule).

    Examples
    --------
    >>> purpose_of("华夏银行 数据平台 合同签约")
    <InteractionPurpose.SIGNING: 'SIGNING'>
    >>> purpose_of("MES 方案评审 solution review").value
    'SOLUTION'
    >>> purpose_of("Weekly status").value, purpose_of("早餐 with 赵总").value
    ('PROGRESS', 'RELATIONSHIP')
    >>> purpose_of("memo about lunch").value
    'RELATIONSHIP'
    """
    text = title.casefold()
    for purpose, keywords in keyword_map.items():
        if _pattern(tuple(keywords)).search(text):
            return InteractionPurpose(purpose)
    return DEFAULT_PURPOSE


@lru_cache(maxsize=64)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    parts = [
        (r"(?<![0-9a-z])" if k[:1].isascii() and k[:1].isalnum() else "") + re.escape(k.casefold())
        for k in keywords
        if k.strip()
    ]
    return re.compile("|".join(parts) or r"(?!)")
