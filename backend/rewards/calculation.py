"""From inputs (counts, rules, pool) to statements that explain themselves.

Everything here is a pure function of ``CalculationInputs``, which a finalized version
stores verbatim (with its SHA-256): recomputing a stored version gives the same fen.

Per team, in order:
  adjusted = (C × campus mean + Σ overall) / (C + n)         exact, then 4 places half-even
  qualifies when n ≥ min_responses and adjusted ≥ baseline
  multiplier = floor + (1 − floor) × on-time rate              crews, if enabled; 4 places
  points = (adjusted − baseline) × weight × multiplier          exact (12 places)
  share ∝ points, capped, largest remainder                    see allocation.py
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from backend.rewards.allocation import Allocation, allocate
from backend.rewards.models import StatementOutcome
from backend.rewards.schemas import RewardRules
from backend.surveys.scoring import adjusted_score, to_decimal

E4 = 10_000  # scores, weights and multipliers are exact to 4 places: integers in 1e-4
ONE = Decimal("1.0000")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


@dataclass(frozen=True)
class TeamInput:
    team_id: int
    slug: str
    name_en: str
    name_zh: str
    kind: str
    responses: int  # counted answers in the period
    total: int  # Σ overall of those answers
    sla_measured: int = 0  # completed repairs with an SLA due time (crews)
    sla_on_time: int = 0

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class CalculationInputs:
    period: str
    pool_fen: int
    rules: RewardRules
    campus_total: int
    campus_responses: int
    teams: tuple[TeamInput, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "pool_fen": self.pool_fen,
            "rules": self.rules.model_dump(mode="json"),
            "campus": {"total": self.campus_total, "responses": self.campus_responses},
            "teams": [t.as_json() for t in sorted(self.teams, key=lambda t: t.team_id)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CalculationInputs":
        return cls(
            period=data["period"],
            pool_fen=data["pool_fen"],
            rules=RewardRules.model_validate(data["rules"]),
            campus_total=data["campus"]["total"],
            campus_responses=data["campus"]["responses"],
            teams=tuple(TeamInput(**t) for t in data["teams"]),
        )

    def sha256(self) -> str:
        return sha256(self.as_json())


@dataclass(frozen=True)
class StatementDraft:
    team: TeamInput
    amount_fen: int
    outcome: StatementOutcome
    explanation: dict[str, Any]
    inputs_sha256: str


@dataclass(frozen=True)
class Calculation:
    inputs: CalculationInputs
    statements: list[StatementDraft]
    allocation: Allocation

    @property
    def distributed_fen(self) -> int:
        return self.allocation.distributed_fen

    @property
    def returned_fen(self) -> int:
        return self.allocation.returned_fen


@dataclass(frozen=True)
class Factors:
    adjusted: Decimal | None
    weight: Decimal
    multiplier: Decimal
    on_time_rate: Decimal | None
    points: int  # in 1e-12 (E4³)
    outcome: StatementOutcome | None  # None: shares by points (decided by the allocation)


def team_factors(inputs: CalculationInputs, team: TeamInput) -> Factors:
    rules = inputs.rules
    weight = rules.weights.get(team.slug, rules.default_weight)
    adjusted = None
    if team.responses and inputs.campus_responses:
        adjusted = to_decimal(
            adjusted_score(
                total=team.total,
                responses=team.responses,
                campus_total=inputs.campus_total,
                campus_responses=inputs.campus_responses,
                prior_weight=Fraction(rules.prior_weight),
            ),
            4,
        )
    on_time_rate = (
        to_decimal(Fraction(team.sla_on_time, team.sla_measured), 4) if team.sla_measured else None
    )
    multiplier = ONE
    if rules.sla_multiplier and team.kind == "maintenance" and team.sla_measured:
        floor = Fraction(rules.sla_floor)
        multiplier = to_decimal(
            floor + (1 - floor) * Fraction(team.sla_on_time, team.sla_measured), 4
        )
    outcome: StatementOutcome | None = None
    points = 0
    if adjusted is None or team.responses < rules.min_responses:
        outcome = StatementOutcome.too_few_responses
    elif adjusted < rules.baseline:
        outcome = StatementOutcome.below_baseline
    else:
        points = int((adjusted - rules.baseline) * E4) * int(weight * E4) * int(multiplier * E4)
        if points == 0:
            outcome = StatementOutcome.at_baseline
    return Factors(adjusted, weight, multiplier, on_time_rate, points, outcome)


def calculate(inputs: CalculationInputs) -> Calculation:
    factors = {team.team_id: team_factors(inputs, team) for team in inputs.teams}
    allocation = allocate(
        pool_fen=inputs.pool_fen,
        points={team_id: f.points for team_id, f in factors.items()},
        cap_fen=inputs.rules.cap_fen,
    )
    total_points = sum(f.points for f in factors.values())
    sharing_points = sum(
        f.points for team_id, f in factors.items() if team_id not in allocation.capped
    )
    statements = []
    all_inputs_sha256 = inputs.sha256()
    for team in sorted(inputs.teams, key=lambda t: t.team_id):
        f = factors[team.team_id]
        outcome = f.outcome or (
            StatementOutcome.capped
            if team.team_id in allocation.capped
            else StatementOutcome.rewarded
        )
        own_inputs = team_inputs(inputs, team, all_inputs_sha256)
        statements.append(
            StatementDraft(
                team=team,
                amount_fen=allocation.amounts[team.team_id],
                outcome=outcome,
                explanation=explain(
                    inputs, team, f, outcome, allocation, total_points, sharing_points
                ),
                inputs_sha256=sha256(own_inputs),
            )
        )
    return Calculation(inputs=inputs, statements=statements, allocation=allocation)


def team_inputs(
    inputs: CalculationInputs, team: TeamInput, all_inputs_sha256: str
) -> dict[str, Any]:
    return {
        "period": inputs.period,
        "pool_fen": inputs.pool_fen,
        "rules": inputs.rules.model_dump(mode="json"),
        "campus": {"total": inputs.campus_total, "responses": inputs.campus_responses},
        "team": team.as_json(),
        "all_inputs_sha256": all_inputs_sha256,
    }


# ---- explanations ------------------------------------------------------------------------


def fen(amount: int) -> str:
    return f"{amount:,} fen (¥{amount // 100:,}.{amount % 100:02d})"


def fen_zh(amount: int) -> str:
    return f"{amount:,} 分（{amount // 100:,}.{amount % 100:02d} 元）"


def plain(value: Decimal | Fraction, places: int = 4) -> str:
    if isinstance(value, Fraction):
        value = to_decimal(value, places)
    return f"{value:f}"


def points_text(points: int) -> str:
    text = f"{Decimal(points).scaleb(-12):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def explain(
    inputs: CalculationInputs,
    team: TeamInput,
    f: Factors,
    outcome: StatementOutcome,
    allocation: Allocation,
    total_points: int,
    sharing_points: int,
) -> dict[str, Any]:
    rules = inputs.rules
    c = plain(rules.prior_weight, 2)
    lines_en: list[str] = []
    lines_zh: list[str] = []
    if inputs.campus_responses:
        mean = Fraction(inputs.campus_total, inputs.campus_responses)
        campus = f"{inputs.campus_total}/{inputs.campus_responses} ≈ {plain(mean)}"
    else:
        campus = "none"
    if f.adjusted is not None:
        lines_en.append(
            f"Adjusted score = (C × campus mean + sum of ratings) / (C + responses) = "
            f"({c} × {campus} + {team.total}) / ({c} + {team.responses}) = {f.adjusted} "
            "(exact, then rounded half-even to 4 places)"
        )
        lines_zh.append(
            f"调整分 =（C × 全校均分 + 评分总和）/（C + 有效评价数）= "
            f"（{c} × {campus} + {team.total}）/（{c} + {team.responses}）= {f.adjusted}"
            "（精确计算后四舍六入五成双保留4位）"
        )
    if outcome == StatementOutcome.too_few_responses:
        lines_en.append(
            f"{team.responses} counted responses < the minimum {rules.min_responses}: "
            "does not qualify, 0 fen."
        )
        lines_zh.append(
            f"有效评价 {team.responses} 条，少于最低要求 {rules.min_responses} 条："
            "不参与分配，0 分。"
        )
    elif outcome == StatementOutcome.below_baseline:
        lines_en.append(
            f"Adjusted score {f.adjusted} < baseline {rules.baseline}: below the standard, 0 fen."
        )
        lines_zh.append(f"调整分 {f.adjusted} 低于达标线 {rules.baseline}：未达标，0 分。")
    else:
        points = points_text(f.points)
        lines_en.append(
            f"Points = (adjusted − baseline) × weight × SLA multiplier = "
            f"({f.adjusted} − {rules.baseline}) × {f.weight} × {f.multiplier} = {points}"
        )
        lines_zh.append(
            f"积分 =（调整分 − 达标线）× 权重 × 时效系数 = "
            f"（{f.adjusted} − {rules.baseline}）× {f.weight} × {f.multiplier} = {points}"
        )
        if f.multiplier != ONE:
            lines_en.append(
                f"SLA multiplier = floor + (1 − floor) × on-time rate = {rules.sla_floor} + "
                f"(1 − {rules.sla_floor}) × {team.sla_on_time}/{team.sla_measured} = "
                f"{f.multiplier}"
            )
            lines_zh.append(
                f"时效系数 = 保底 +（1 − 保底）× 按时完成率 = {rules.sla_floor} +"
                f"（1 − {rules.sla_floor}）× {team.sla_on_time}/{team.sla_measured} = "
                f"{f.multiplier}"
            )
        amount = allocation.amounts[team.team_id]
        exact = plain(allocation.exact[team.team_id])
        if outcome == StatementOutcome.at_baseline:
            lines_en.append("Exactly at the baseline: qualifies with zero points, 0 fen.")
            lines_zh.append("恰好达标：积分为 0，分配 0 分。")
        elif outcome == StatementOutcome.capped:
            lines_en.append(
                f"Share when capped = {exact} fen > cap {fen(rules.cap_fen or 0)}: "
                f"capped; the excess went to the uncapped teams."
            )
            lines_zh.append(
                f"封顶前份额 {exact} 分，超过单队上限 {fen_zh(rules.cap_fen or 0)}："
                "按上限发放，超出部分分给其他未封顶团队。"
            )
        else:
            assert allocation.rate is not None
            shared = allocation.rate * sharing_points
            up = team.team_id in allocation.rounded_up
            lines_en.append(
                f"Share = fen shared × points / all sharing points = {plain(shared, 0)} × "
                f"{points} / {points_text(sharing_points)} = {exact} fen → {fen(amount)}"
                + (" (largest remainder: +1 fen)" if up else " (rounded down)")
            )
            lines_zh.append(
                f"份额 = 可分配金额 × 积分 / 参与分配总积分 = {plain(shared, 0)} × {points} / "
                f"{points_text(sharing_points)} = {exact} 分 → {fen_zh(amount)}"
                + ("（最大余数法：+1 分）" if up else "（向下取整）")
            )
    amount = allocation.amounts[team.team_id]
    return {
        "inputs": {
            "responses": team.responses,
            "sum_overall": team.total,
            "campus_total": inputs.campus_total,
            "campus_responses": inputs.campus_responses,
            "sla_measured": team.sla_measured,
            "sla_on_time": team.sla_on_time,
            "pool_fen": inputs.pool_fen,
            "rules": rules.model_dump(mode="json"),
        },
        "factors": {
            "adjusted_score": None if f.adjusted is None else f"{f.adjusted}",
            "baseline": f"{rules.baseline}",
            "weight": f"{f.weight}",
            "sla_multiplier": f"{f.multiplier}",
            "on_time_rate": None if f.on_time_rate is None else f"{f.on_time_rate}",
            "points": points_text(f.points),
            "all_points": points_text(total_points),
            "exact_share_fen": plain(allocation.exact[team.team_id]),
            "capped": team.team_id in allocation.capped,
            "rounded_up": team.team_id in allocation.rounded_up,
            "distributed_fen": allocation.distributed_fen,
            "returned_fen": allocation.returned_fen,
        },
        "formula_en": lines_en,
        "formula_zh": lines_zh,
        "summary_en": f"{team.name_en}, {inputs.period}: {fen(amount)} ({outcome.value}).",
        "summary_zh": (
            f"{team.name_zh}，{inputs.period}：{fen_zh(amount)}（{_OUTCOME_ZH[outcome]}）。"
        ),
    }


_OUTCOME_ZH = {
    StatementOutcome.rewarded: "获得奖励",
    StatementOutcome.capped: "达到单队上限",
    StatementOutcome.at_baseline: "恰好达标",
    StatementOutcome.below_baseline: "未达标",
    StatementOutcome.too_few_responses: "有效评价不足",
}
