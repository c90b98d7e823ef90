"""The catalogue of the analytics' texts: a code and its parameters, rendered per language.

Every text an analytic explains itself with (a coverage hole's ``reason``, a health
signal's or a deal warning's ``evidence``, a coverage-model finding's ``detail``) is a
:class:`~stakegraph.influence.models.Message`: a ``code`` of this catalogue and its
``params``. The analytics keep the English text in those fields as well (for JSON and
GraphQL callers) and always produce it from :data:`TEMPLATES` ``["en"]``, so the text and
the code never disagree. The renderers (reports, maps) call :func:`render` with their
own table of words for the enum values.

A template is a :meth:`str.format` string. A placeholder whose format spec is one of
:data:`ENUM_KINDS` (``{role:role}``) names an enum value: English keeps the value as it
is (``FINANCIAL_CONTROLLER``), another language looks up ``"role.FINANCIAL_CONTROLLER"``
in the words it is given (a value joined with ``/`` is looked up part by part). Any other
spec is an ordinary format spec (``{drop:.0%}``), and ``!r`` quotes as in Python.

:data:`ENUM_WORDS` holds the words of the enum values the reports and the map share
(tiers, statuses, seniorities, team kinds, signal and warning codes); both renderers'
tables include them.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stakegraph.influence.models import (
    DealWarning,
    Finding,
    HealthSignal,
    Hole,
    Message,
    ParamValue,
)

__all__ = [
    "ENUM_KINDS",
    "ENUM_WORDS",
    "TEMPLATES",
    "english",
    "fragments",
    "message",
    "render",
    "text_of",
]

#: Format specs that name an enum kind (translated through ``"<kind>.<VALUE>"``).
ENUM_KINDS: frozenset[str] = frozenset(
    {"role", "stance", "status", "tier", "teamkind", "seniority", "grade"}
)

_EN: dict[str, str] = {
    # coverage holes (§3.5)
    "NO_CONTACT_IN_ROLE": "no active contact holds {role:role}",
    "ROLE_NOT_REACHED": ("{holders} holder(s) of {role:role}, none at effective level >= {level}"),
    "KEY_DEPARTMENT_NOT_REACHED": (
        "no contact we can influence in key department {department!r} ({members} active member(s))"
    ),
    # health signals (§3.9): heads joining their items, then items and single texts
    "KDM_LEFT": "KDM left: {items}",
    "CHAMPION_LOST": "champion lost: {items}",
    "STANCE_DROP": "KDM stance drop: {items}",
    "CONTACT_BECAME": "{name} became {status:status} on {date}",
    "CHAMPION_DROPPED": "{name} went from CHAMPION to {stance:stance} on {date}",
    "CHAMPION_BECAME": "CHAMPION {name} became {status:status} on {date}",
    "STANCE_FELL": "{name} fell from {high:stance} on {since} to {low:stance} on {on}",
    "NO_EXEC_INTERACTION": (
        "no interaction with any of {execs} EXECUTIVE contact(s) in {days} days"
    ),
    "NO_EXEC_CONTACT": "no EXECUTIVE contact on the map",
    "STALE_CONTACTS": (
        "{stale} of {active} active contacts neither verified nor met in {days} days"
    ),
    "USAGE_DROPPED": "usage {current:g} against {prior:g} in the prior period (−{drop:.0%})",
    "TICKETS_SPIKED": "{current} service requests against {prior} in the prior period",
    "NEGATIVE_FEEDBACKS": "{count} negative feedbacks in 90 days",
    "OVERDUE_INVOICES": "{count} overdue invoice(s)",
    "NO_RENEWAL_RECORDED": "no intent to renew recorded",
    # deal warnings (§3.16)
    "FEW_INFLUENCED": "we can influence {can} of {members} chain contact(s)",
    "NO_POWER_REACHED": "no {roles:role} we can influence ({holders} holder(s))",
    "CHAIN_TOO_SMALL": "{members} active chain contact(s), fewer than {minimum}",
    "NOT_TOUCHED_EVER": "no interaction with a chain contact in {days} days (never)",
    "NOT_TOUCHED_SINCE": (
        "no interaction with a chain contact in {days} days (last {ago} days ago, with {contact})"
    ),
    "CHAMPION_NOT_TESTED": "{champions} CHAMPION(s) in the chain, none at level >= {level}",
    # coverage-model findings (§3.10)
    "ACCOUNT_UNOWNED": "{tier:tier} account {company} has no owner",
    "OWNING_SIDES": "{count} owning sides: {sides}",
    "OWNING_SIDES_BY_DEFAULT": "{count} owning sides by default: {sides}",
    "TEAM_OWNS_MAJOR": "{tier:tier} account owned by team {owner}; it needs a named owner rep",
    "OWNER_NOT_IN_TEAM": "owner {owner} belongs to no {kinds:teamkind} team",
    "OWNER_WRONG_REGION": (
        "owner {owner} is not a {kinds:teamkind} team (or its rep) of region {region!r}"
    ),
    "REP_OVERLOADED": (
        "owns {key} KEY (max {key_max}) and {strategic} STRATEGIC (max {strategic_max}) accounts"
    ),
}

_ZH: dict[str, str] = {
    "NO_CONTACT_IN_ROLE": "没有在职联系人担任{role:role}",
    "ROLE_NOT_REACHED": "{role:role}共 {holders} 人，有效关系级别均未达到 {level}",
    "KEY_DEPARTMENT_NOT_REACHED": "关键部门“{department}”中没有我方能影响的联系人（在职 {members} 人）",
    "KDM_LEFT": "关键决策人离开：{items}",
    "CHAMPION_LOST": "失去坚定支持者：{items}",
    "STANCE_DROP": "关键决策人态度下滑：{items}",
    "CONTACT_BECAME": "{name} 于 {date} {status:status}",
    "CHAMPION_DROPPED": "{name} 于 {date} 由坚定支持变为{stance:stance}",
    "CHAMPION_BECAME": "坚定支持者 {name} 于 {date} {status:status}",
    "STANCE_FELL": "{name} 由 {since} 的{high:stance}降为 {on} 的{low:stance}",
    "NO_EXEC_INTERACTION": "{days} 天内与 {execs} 位高管均无互动",
    "NO_EXEC_CONTACT": "版图上没有高管联系人",
    "STALE_CONTACTS": "{active} 位在职联系人中有 {stale} 位在 {days} 天内既未核实也未见面",
    "USAGE_DROPPED": "使用量 {current:g}，上期 {prior:g}（下降 {drop:.0%}）",
    "TICKETS_SPIKED": "服务请求 {current} 个，上期 {prior} 个",
    "NEGATIVE_FEEDBACKS": "90 天内负面反馈 {count} 条",
    "OVERDUE_INVOICES": "逾期发票 {count} 张",
    "NO_RENEWAL_RECORDED": "未记录续约意向",
    "FEW_INFLUENCED": "决策链 {members} 位联系人中我方只能影响 {can} 位",
    "NO_POWER_REACHED": "没有我方能影响的{roles:role}（担任者 {holders} 人）",
    "CHAIN_TOO_SMALL": "决策链在职联系人 {members} 位，少于 {minimum} 位",
    "NOT_TOUCHED_EVER": "{days} 天内与决策链联系人无互动（从未互动）",
    "NOT_TOUCHED_SINCE": "{days} 天内与决策链联系人无互动（最近一次在 {ago} 天前，与 {contact}）",
    "CHAMPION_NOT_TESTED": "决策链中有 {champions} 位坚定支持者，关系级别均未达到 {level}",
    "ACCOUNT_UNOWNED": "{tier:tier}客户 {company} 没有负责人",
    "OWNING_SIDES": "{count} 方同时负责：{sides}",
    "OWNING_SIDES_BY_DEFAULT": "默认有 {count} 方同时负责：{sides}",
    "TEAM_OWNS_MAJOR": "{tier:tier}客户由团队 {owner} 负责，需要指定一名负责销售",
    "OWNER_NOT_IN_TEAM": "负责人 {owner} 不属于任何{kinds:teamkind}团队",
    "OWNER_WRONG_REGION": "负责人 {owner} 不是区域 {region} 的{kinds:teamkind}团队（或其销售）",
    "REP_OVERLOADED": (
        "负责 {key} 个重点客户（上限 {key_max}）和 {strategic} 个战略客户（上限 {strategic_max}）"
    ),
}

#: The templates of every language, by code; a code missing from one falls back to English.
TEMPLATES: dict[str, dict[str, str]] = {"en": _EN, "zh": _ZH}

#: Separators of a head's items.
_ITEM_SEP = {"en": "; ", "zh": "；"}

#: Words of the enum values both renderers show (their tables merge these).
ENUM_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "tier.STRATEGIC": "Strategic",
        "tier.KEY": "Key",
        "tier.SMB": "SMB",
        "status.ACTIVE": "Active",
        "status.LEFT": "Left",
        "status.MOVED": "Moved",
        "seniority.EXECUTIVE": "Executive",
        "seniority.VP": "VP",
        "seniority.DIRECTOR": "Director",
        "seniority.MANAGER": "Manager",
        "seniority.STAFF": "Staff",
        "teamkind.STRATEGIC": "Strategic",
        "teamkind.KEY_ACCOUNT": "Key account",
        "teamkind.GOVERNMENT": "Government",
        "teamkind.REGIONAL": "Regional",
        "teamkind.SOLUTION": "Solution",
        "signal.KDM_LEFT": "KDM left",
        "signal.CHAMPION_LOST": "Champion lost",
        "signal.STANCE_DROP": "Stance drop",
        "signal.NO_EXEC_TOUCH": "No executive touch",
        "signal.STALE_MAP": "Stale map",
        "signal.USAGE_DROP": "Usage drop",
        "signal.TICKET_SPIKE": "Ticket spike",
        "signal.NEGATIVE_FEEDBACK": "Negative feedback",
        "signal.PAYMENT_LATE": "Payment late",
        "signal.NO_RENEWAL_INTENT": "No renewal intent",
        "warning.SINGLE_THREADED": "Single-threaded",
        "warning.NO_POWER": "No power",
        "warning.NOT_ENOUGH_CONTACTS": "Not enough contacts",
        "warning.GONE_COLD": "Gone cold",
        "warning.CHAMPION_UNTESTED": "Champion untested",
        "oppstatus.OPEN": "Open",
        "oppstatus.WON": "Won",
        "oppstatus.LOST": "Lost",
        "stage.DISCOVERY": "Discovery",
        "stage.SOLUTION": "Solution",
        "stage.NEGOTIATION": "Negotiation",
        "stage.IMPLEMENTATION": "Implementation",
        "stage.EXPANSION": "Expansion",
        "score.strategic_fit": "strategic fit",
        "score.profit_potential": "profit potential",
        "score.stability": "stability",
        "score.market_influence": "market influence",
    },
    "zh": {
        "tier.STRATEGIC": "战略",
        "tier.KEY": "重点",
        "tier.SMB": "中小",
        "status.ACTIVE": "在职",
        "status.LEFT": "已离职",
        "status.MOVED": "已调岗",
        "seniority.EXECUTIVE": "高管",
        "seniority.VP": "副总",
        "seniority.DIRECTOR": "总监",
        "seniority.MANAGER": "经理",
        "seniority.STAFF": "员工",
        "teamkind.STRATEGIC": "战略客户",
        "teamkind.KEY_ACCOUNT": "大客户",
        "teamkind.GOVERNMENT": "政府客户",
        "teamkind.REGIONAL": "区域",
        "teamkind.SOLUTION": "解决方案",
        "signal.KDM_LEFT": "关键决策人离开",
        "signal.CHAMPION_LOST": "失去坚定支持者",
        "signal.STANCE_DROP": "态度下滑",
        "signal.NO_EXEC_TOUCH": "缺少高层接触",
        "signal.STALE_MAP": "版图陈旧",
        "signal.USAGE_DROP": "使用量下降",
        "signal.TICKET_SPIKE": "服务请求激增",
        "signal.NEGATIVE_FEEDBACK": "负面反馈",
        "signal.PAYMENT_LATE": "回款逾期",
        "signal.NO_RENEWAL_INTENT": "无续约意向",
        "warning.SINGLE_THREADED": "单线联系",
        "warning.NO_POWER": "未触达决策权",
        "warning.NOT_ENOUGH_CONTACTS": "联系人不足",
        "warning.GONE_COLD": "商机降温",
        "warning.CHAMPION_UNTESTED": "支持者未经验证",
        "oppstatus.OPEN": "进行中",
        "oppstatus.WON": "赢单",
        "oppstatus.LOST": "丢单",
        "stage.DISCOVERY": "需求发现",
        "stage.SOLUTION": "方案",
        "stage.NEGOTIATION": "商务谈判",
        "stage.IMPLEMENTATION": "实施",
        "stage.EXPANSION": "扩展",
        "score.strategic_fit": "战略契合度",
        "score.profit_potential": "利润潜力",
        "score.stability": "稳定性",
        "score.market_influence": "市场影响力",
    },
}


class _Formatter(string.Formatter):
    """``str.format`` whose enum-kind specs translate through ``words`` (or keep the value)."""

    def __init__(self, words: Mapping[str, str] | None) -> None:
        self.words = words

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec in ENUM_KINDS:
            text = "" if value is None else str(value)
            if self.words is None:
                return text
            words = self.words
            return "/".join(words.get(f"{format_spec}.{v}", v) for v in text.split("/"))
        return super().format_field(value, format_spec)


_ENGLISH = _Formatter(None)


def english(code: str, params: Mapping[str, ParamValue], items: Iterable[str] = ()) -> str:
    """The English text of a code (what the analytics store in ``reason``/``evidence``).

    Examples
    --------
    >>> english("NO_CONTACT_IN_ROLE", {"role": "FINANCIAL_CONTROLLER"})
    'no active contact holds FINANCIAL_CONTROLLER'
    """
    return _ENGLISH.vformat(_EN[code], (), {**params, "items": _ITEM_SEP["en"].join(items)})


def message(code: str, **params: ParamValue) -> tuple[Message, str]:
    """A message and its English text (the analytics' one way to word themselves)."""
    return Message(code=code, params=params), english(code, params)


def render(
    code: str,
    params: Mapping[str, ParamValue],
    *,
    lang: str,
    words: Mapping[str, str],
    items: Sequence[Message] = (),
) -> str:
    """The text of a code in ``lang`` with ``words`` for its enum values.

    English renders exactly as the analytics' English text; another language translates
    the enum values through ``words`` and joins the items with its own separator.

    Examples
    --------
    >>> render("NO_CONTACT_IN_ROLE", {"role": "USER"}, lang="zh", words={"role.USER": "使用者"})
    '没有在职联系人担任使用者'
    """
    table = TEMPLATES.get(lang, _EN)
    formatter = _ENGLISH if lang == "en" else _Formatter(words)
    parts = [render(i.code, i.params, lang=lang, words=words) for i in items]
    template = table.get(code) or _EN[code]
    sep = _ITEM_SEP.get(lang, "; ")
    return formatter.vformat(template, (), {**params, "items": sep.join(parts)})


def text_of(
    item: Hole | HealthSignal | DealWarning | Finding, *, lang: str, words: Mapping[str, str]
) -> str:
    """The text of a hole, health signal, deal warning or finding in ``lang``.

    An item without a code (an analysis from before the codes) shows its English text.
    """
    items: Sequence[Message] = ()
    if isinstance(item, Hole):
        code, params, fallback = item.code, item.params, item.reason
    elif isinstance(item, Finding):
        code, params, fallback = item.code, item.params, item.detail
    elif isinstance(item, HealthSignal):
        code, params, items = item.evidence_code, item.evidence_params, item.evidence_items
        fallback = item.evidence
    else:
        code, params, fallback = item.evidence_code, item.evidence_params, item.evidence
    if code is None or code not in _EN:
        return fallback
    return render(code, params, lang=lang, words=words, items=items)


def fragments(min_length: int = 8) -> list[str]:
    """The fixed pieces of the English templates (between placeholders), for tests.

    Examples
    --------
    >>> "no active contact holds" in fragments()
    True
    """
    out: set[str] = set()
    for template in _EN.values():
        for literal, _field, _spec, _conv in string.Formatter().parse(template):
            piece = literal.strip()
            if len(piece) >= min_length:
                out.add(piece)
    return sorted(out)
