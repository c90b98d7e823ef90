"""The front page's words in English and Chinese (data — names, ids — is never
translated; enum values through the maps' and reports' shared words)."""

from __future__ import annotations

from stakegraph.influence.messages import ENUM_WORDS

__all__ = ["FRONT_WORDS", "front_words"]

_EN: dict[str, str] = {
    "title": "stakegraph — accounts",
    "nav.accounts": "Accounts",
    "nav.graphiql": "GraphiQL",
    "nav.docs": "API docs",
    "nav.health": "Health",
    "nav.other_lang": "中文",
    "demo_mode": "demo mode",
    "summary.one": "1 account visible to you · figures as of {day}",
    "summary.many": "{n} accounts visible to you · figures as of {day}",
    "col.account": "Account",
    "col.grade": "Relationship grade",
    "col.coverage": "Coverage",
    "col.balance": "Balance",
    "col.health": "Health",
    "col.potential": "Potential",
    "col.links": "Maps and report",
    "holes.one": "1 hole",
    "holes.many": "{n} holes",
    "missing": "missing: {what}",
    "link.org": "Org chart",
    "link.political": "Political map",
    "link.report": "Report",
    "empty": "No account is visible to you.",
    "next": "Next {n} accounts →",
    "grade.NONE": "NONE",
    "grade.BASIC": "BASIC",
    "grade.INTERMEDIATE": "INTERMEDIATE",
    "grade.STRONG": "STRONG",
    "health.GREEN": "GREEN",
    "health.YELLOW": "YELLOW",
    "health.RED": "RED",
    "verdict.FAVORABLE": "FAVORABLE",
    "verdict.CONTESTED": "CONTESTED",
    "verdict.UNFAVORABLE": "UNFAVORABLE",
    "role.ADMIN": "admin",
    "role.MANAGER": "manager",
    "role.REP": "rep",
    "role.ANALYST": "analyst",
}

_ZH: dict[str, str] = {
    "title": "stakegraph — 客户",
    "nav.accounts": "客户",
    "nav.graphiql": "GraphiQL 调试台",
    "nav.docs": "接口文档",
    "nav.health": "健康检查",
    "nav.other_lang": "English",
    "demo_mode": "演示模式",
    "summary.one": "您可查看 1 个客户 · 数据截至 {day}",
    "summary.many": "您可查看 {n} 个客户 · 数据截至 {day}",
    "col.account": "客户",
    "col.grade": "关系等级",
    "col.coverage": "覆盖率",
    "col.balance": "支持力量对比",
    "col.health": "健康度",
    "col.potential": "潜力",
    "col.links": "地图与报告",
    "holes.one": "1 个缺口",
    "holes.many": "{n} 个缺口",
    "missing": "缺少：{what}",
    "link.org": "组织架构",
    "link.political": "政治版图",
    "link.report": "报告",
    "empty": "没有您可查看的客户。",
    "next": "后 {n} 个客户 →",
    "grade.NONE": "无关系",
    "grade.BASIC": "初级关系",
    "grade.INTERMEDIATE": "中级关系",
    "grade.STRONG": "强关系",
    "health.GREEN": "良好",
    "health.YELLOW": "需关注",
    "health.RED": "危险",
    "verdict.FAVORABLE": "有利",
    "verdict.CONTESTED": "胶着",
    "verdict.UNFAVORABLE": "不利",
    "role.ADMIN": "管理员",
    "role.MANAGER": "经理",
    "role.REP": "销售",
    "role.ANALYST": "分析师",
}

#: Both languages (a test checks they have the same keys).
FRONT_WORDS: dict[str, dict[str, str]] = {"en": _EN, "zh": _ZH}


def front_words(lang: str) -> dict[str, str]:
    """The page's words and the shared enum words in ``lang`` (English when unknown)."""
    table = FRONT_WORDS.get(lang, _EN)
    return {**ENUM_WORDS.get(lang, ENUM_WORDS["en"]), **table}
