"""The before/after table of a what-if (§3.12): the headline analytics, then every
contact whose influence or effective level changed."""

from __future__ import annotations

from dataclasses import dataclass

from stakegraph.influence.models import AccountAnalysis, WhatIfResult

__all__ = ["METRIC_WORDS", "WhatIfRow", "comparison"]

#: The metrics' names, English and Chinese (data — names, ids, enum values — as it is).
METRIC_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "grade": "grade",
        "score": "score",
        "coverage": "coverage ratio",
        "weighted": "weighted coverage",
        "balance": "balance",
        "verdict": "verdict",
        "support": "supporters / opponents",
        "health": "health",
        "signals": "health signals",
        "kdms": "KDMs we can influence",
        "holes": "coverage holes",
        "hidden": "hidden influencers",
        "swing": "swing contacts",
        "potential": "potential band",
        "role": "role {role}",
        "at_risk": " (at risk)",
        "opportunity": "opportunity {id} coverage",
        "influence_of": "influence of {name} ({id})",
        "level_of": "effective level of {name} ({id})",
    },
    "zh": {
        "grade": "关系等级",
        "score": "得分",
        "coverage": "覆盖率",
        "weighted": "加权覆盖率",
        "balance": "支持力量对比",
        "verdict": "判断",
        "support": "支持者 / 反对者",
        "health": "健康度",
        "signals": "健康信号",
        "kdms": "可影响的关键决策人",
        "holes": "覆盖缺口",
        "hidden": "隐性影响者",
        "swing": "摇摆联系人",
        "potential": "潜力档位",
        "role": "角色 {role}",
        "at_risk": "（有风险）",
        "opportunity": "商机 {id} 覆盖率",
        "influence_of": "{name}（{id}）的影响力",
        "level_of": "{name}（{id}）的有效关系等级",
    },
}


@dataclass(frozen=True)
class WhatIfRow:
    """One line of the before/after table."""

    metric: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _summary(a: AccountAnalysis, lang: str) -> dict[str, str]:
    w = METRIC_WORDS.get(lang, METRIC_WORDS["en"])
    out = {
        w["grade"]: str(a.grade.grade),
        w["score"]: _f(a.grade.score, 1),
        w["coverage"]: _f(a.coverage.ratio),
        w["weighted"]: _f(a.coverage.weighted_ratio),
        w["balance"]: _f(a.balance.value),
        w["verdict"]: str(a.balance.verdict or "–"),
        w["support"]: f"{a.balance.supporters} / {a.balance.opponents}",
        w["health"]: str(a.health.status),
        w["signals"]: ", ".join(str(c) for c in a.health.codes) or "–",
        w["kdms"]: f"{len(a.grade.influenced_kdm_ids)} / {len(a.grade.kdm_ids)}",
        w["holes"]: str(len(a.coverage.holes)),
        w["hidden"]: ", ".join(c.name for c in a.influence.hidden_influencers) or "–",
        w["swing"]: ", ".join(s.name for s in a.balance.swing) or "–",
        w["potential"]: str(a.potential.band or "–"),
    }
    for rc in a.coverage.roles:
        out[w["role"].format(role=rc.role)] = str(rc.status) + (w["at_risk"] if rc.at_risk else "")
    for o, cov in ((c.opportunity_id, c) for c in a.opportunity_coverage):
        out[w["opportunity"].format(id=o)] = _f(cov.ratio)
    return out


def _contacts(a: AccountAnalysis) -> dict[str, tuple[str, str, int]]:
    """``{contact id: (name, influence text, effective level)}``."""
    names = {c.contact_id: c.name for c in a.influence.contacts}
    ids = set(a.effective_levels) | set(names)
    return {
        c: (
            names.get(c, c),
            _f(a.influence.score_of(c), 3) if c in names else "–",
            a.effective_levels.get(c, 0),
        )
        for c in ids
    }


def comparison(result: WhatIfResult, lang: str = "en") -> list[WhatIfRow]:
    """The headline analytics before and after, then every contact whose influence or
    effective level changed."""
    w = METRIC_WORDS.get(lang, METRIC_WORDS["en"])
    before, after = _summary(result.before, lang), _summary(result.after, lang)
    rows = [
        WhatIfRow(k, before.get(k, "–"), after.get(k, "–"))
        for k in dict.fromkeys([*before, *after])
    ]
    cb, ca = _contacts(result.before), _contacts(result.after)
    for c in sorted(set(cb) | set(ca)):
        name, inf_b, lvl_b = cb.get(c, (c, "–", 0))
        _, inf_a, lvl_a = ca.get(c, (name, "–", 0))
        if inf_b != inf_a:
            rows.append(WhatIfRow(w["influence_of"].format(name=name, id=c), inf_b, inf_a))
        if lvl_b != lvl_a:
            rows.append(WhatIfRow(w["level_of"].format(name=name, id=c), str(lvl_b), str(lvl_a)))
    return rows
