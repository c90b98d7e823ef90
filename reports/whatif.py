"""The before/after table of a what-if (§3.12): the headline analytics, then every
contact whose influence or effective level changed."""

from __future__ import annotations

from dataclasses import dataclass

from stakegraph.influence.models import AccountAnalysis, WhatIfResult

__all__ = ["WhatIfRow", "comparison"]


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


def _summary(a: AccountAnalysis) -> dict[str, str]:
    out = {
        "grade": str(a.grade.grade),
        "score": _f(a.grade.score, 1),
        "coverage ratio": _f(a.coverage.ratio),
        "weighted coverage": _f(a.coverage.weighted_ratio),
        "balance": _f(a.balance.value),
        "verdict": str(a.balance.verdict or "–"),
        "supporters / opponents": f"{a.balance.supporters} / {a.balance.opponents}",
        "health": str(a.health.status),
        "health signals": ", ".join(str(c) for c in a.health.codes) or "–",
        "KDMs we can influence": f"{len(a.grade.influenced_kdm_ids)} / {len(a.grade.kdm_ids)}",
        "coverage holes": str(len(a.coverage.holes)),
        "hidden influencers": ", ".join(c.name for c in a.influence.hidden_influencers) or "–",
        "swing contacts": ", ".join(s.name for s in a.balance.swing) or "–",
        "potential band": str(a.potential.band or "–"),
    }
    for rc in a.coverage.roles:
        out[f"role {rc.role}"] = str(rc.status) + (" (at risk)" if rc.at_risk else "")
    for o, cov in ((c.opportunity_id, c) for c in a.opportunity_coverage):
        out[f"opportunity {o} coverage"] = _f(cov.ratio)
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


def comparison(result: WhatIfResult) -> list[WhatIfRow]:
    """The headline analytics before and after, then every contact whose influence or
    effective level changed."""
    before, after = _summary(result.before), _summary(result.after)
    rows = [
        WhatIfRow(k, before.get(k, "–"), after.get(k, "–"))
        for k in dict.fromkeys([*before, *after])
    ]
    cb, ca = _contacts(result.before), _contacts(result.after)
    for c in sorted(set(cb) | set(ca)):
        name, inf_b, lvl_b = cb.get(c, (c, "–", 0))
        _, inf_a, lvl_a = ca.get(c, (name, "–", 0))
        if inf_b != inf_a:
            rows.append(WhatIfRow(f"influence of {name} ({c})", inf_b, inf_a))
        if lvl_b != lvl_a:
            rows.append(WhatIfRow(f"effective level of {name} ({c})", str(lvl_b), str(lvl_a)))
    return rows
