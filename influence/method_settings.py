"""The crosswalk from sales methods' vocabulary to stakegraph's roles and stances.

Sellers trained in MEDDPICC, Miller Heiman's Strategic Selling (the Blue Sheet) or
Altify speak those methods' words; :mod:`stakegraph.influence.methods` answers in them.
How a method's word maps onto the graph is a setting, never a hidden rule: every
field of :class:`SalesMethodSettings` below is a default a team may change (build a
new object, or ``model_copy(update=...)``), exactly like
:class:`~stakegraph.influence.settings.AnalysisSettings`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from stakegraph.graph.model import DecisionRole, Stance

__all__ = [
    "DEFAULT_METHOD_SETTINGS",
    "AltifySettings",
    "BlueSheetMode",
    "BlueSheetSettings",
    "MeddpiccSettings",
    "SalesMethodSettings",
]

_R = DecisionRole
_S = Stance


class BlueSheetMode(StrEnum):
    """Miller Heiman response modes: how a buying influence sees the change we propose."""

    GROWTH = "GROWTH"
    TROUBLE = "TROUBLE"
    EVEN_KEEL = "EVEN_KEEL"
    OVERCONFIDENT = "OVERCONFIDENT"


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeddpiccSettings(_Settings):
    """MEDDPICC letters → roles, stances and thresholds."""

    names: dict[str, str] = Field(
        default={
            "M": "Metrics",
            "E": "Economic buyer",
            "D1": "Decision criteria",
            "D2": "Decision process",
            "P": "Paper process",
            "I": "Identify pain",
            "C1": "Champion",
            "C2": "Competition",
        },
        description="The letters, in the order shown, and their names.",
    )
    economic_buyer_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.ECONOMIC_BUYER,),
        description="E identified = a holder of one of these roles exists; engaged = we can "
        "influence one.",
    )
    decision_criteria_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.TECHNICAL_EVALUATOR,),
        description="D (criteria): who sets the technical criteria.",
    )
    paper_process_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.FINANCIAL_CONTROLLER,),
        description="P: who runs purchasing, finance and contract approval.",
    )
    pain_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.USER,),
        description="I: the users who carry the pain the deal removes.",
    )
    champion_stances: tuple[Stance, ...] = Field(
        default=(_S.CHAMPION,), description="C (champion): stances that make a champion."
    )
    champion_min_level: int = Field(
        default=3, ge=0, le=4, description="Champion tested: our effective level at least this."
    )
    champion_min_influence: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Champion tested: influence at least this."
    )
    champion_in_chain_only: bool = Field(
        default=False,
        description="Look for the champion in the deal's decision chain only (else in the "
        "whole account).",
    )


class BlueSheetSettings(_Settings):
    """Blue Sheet buying influences → roles, stances and thresholds."""

    names: dict[str, str] = Field(
        default={
            "ECONOMIC": "Economic buying influence",
            "USER": "User buying influences",
            "TECHNICAL": "Technical buying influences",
            "COACH": "Coach",
        },
        description="The four boxes, in the order shown.",
    )
    economic_roles: tuple[DecisionRole, ...] = Field(default=(_R.ECONOMIC_BUYER,))
    user_roles: tuple[DecisionRole, ...] = Field(default=(_R.USER,))
    technical_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.TECHNICAL_EVALUATOR, _R.FINANCIAL_CONTROLLER),
        description="Technical buying influences screen: IT, purchasing, finance, legal.",
    )
    coach_stances: tuple[Stance, ...] = Field(
        default=(_S.CHAMPION,), description="A coach wants us to win (≈ CHAMPION) ..."
    )
    coach_min_level: int = Field(
        default=3, ge=0, le=4, description="... and trusts us: effective level at least this."
    )
    modes: dict[Stance, BlueSheetMode] = Field(
        default={
            _S.CHAMPION: BlueSheetMode.GROWTH,
            _S.SUPPORTER: BlueSheetMode.GROWTH,
            _S.NEUTRAL: BlueSheetMode.EVEN_KEEL,
            _S.OPPONENT: BlueSheetMode.EVEN_KEEL,
            _S.BLOCKER: BlueSheetMode.OVERCONFIDENT,
        },
        description="Response mode read from the stance (UNKNOWN: no mode, a red flag). "
        "TROUBLE needs knowledge the graph does not hold; map a stance to it if your "
        "team records it so.",
    )
    receptive_modes: tuple[BlueSheetMode, ...] = Field(
        default=(BlueSheetMode.GROWTH, BlueSheetMode.TROUBLE),
        description="Modes in which a buying influence is open to the proposal.",
    )
    ratings: dict[Stance, int] = Field(
        default={_S.CHAMPION: 5, _S.SUPPORTER: 3, _S.NEUTRAL: 0, _S.OPPONENT: -3, _S.BLOCKER: -5},
        description="The Blue Sheet rating (−5 … +5) of each stance.",
    )
    degree_high: float = Field(
        default=0.6, ge=0.0, le=1.0, description="Degree of influence HIGH at this influence."
    )
    degree_medium: float = Field(
        default=0.3, ge=0.0, le=1.0, description="Degree MEDIUM at this influence, else LOW."
    )
    rating_first: bool = Field(
        default=True,
        description="A contact's recorded influence_rating gives the degree when set.",
    )


class AltifySettings(_Settings):
    """Altify relationship-map attributes → roles, stances, levels and thresholds."""

    decision_roles: dict[DecisionRole, str] = Field(
        default={
            _R.ECONOMIC_BUYER: "Decision Maker",
            _R.FINANCIAL_CONTROLLER: "Approver",
            _R.TECHNICAL_EVALUATOR: "Evaluator",
            _R.USER: "User",
            _R.INFLUENCER: "Influencer",
        },
        description="Altify decision role of each stakegraph role.",
    )
    statuses: dict[Stance, str] = Field(
        default={
            _S.CHAMPION: "Mentor",
            _S.SUPPORTER: "Supporter",
            _S.NEUTRAL: "Neutral",
            _S.OPPONENT: "Non-Supporter",
            _S.BLOCKER: "Enemy",
            _S.UNKNOWN: "Unknown",
        },
        description="Altify status of each stance.",
    )
    coverage: dict[int, str] = Field(
        default={
            0: "No Contact",
            1: "Brief Contact",
            2: "Multiple Contacts",
            3: "In Depth",
            4: "In Depth",
        },
        description="Altify coverage of each effective level ('Unknown' when no rep knows them).",
    )
    key_player_min_influence: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Key player: influence at least this, or a KDM."
    )
    inner_circle_min_influence: float = Field(
        default=0.75, ge=0.0, le=1.0, description="Political: 'Inner Circle' at this influence."
    )
    supportive_stances: tuple[Stance, ...] = Field(
        default=(_S.CHAMPION, _S.SUPPORTER), description="Mentor and Supporter are supportive."
    )
    deciding_roles: tuple[DecisionRole, ...] = Field(
        default=(_R.ECONOMIC_BUYER, _R.FINANCIAL_CONTROLLER),
        description="Map GREEN: a supportive key player holds one of these (Decision Maker / "
        "Approver); AMBER: supportive key players only; RED: none.",
    )


class SalesMethodSettings(_Settings):
    """Every crosswalk, one per method."""

    meddpicc: MeddpiccSettings = Field(default_factory=MeddpiccSettings)
    blue_sheet: BlueSheetSettings = Field(default_factory=BlueSheetSettings)
    altify: AltifySettings = Field(default_factory=AltifySettings)


#: The defaults described above.
DEFAULT_METHOD_SETTINGS = SalesMethodSettings()
