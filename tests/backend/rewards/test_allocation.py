"""Property-based tests of the reward allocation (hypothesis), plus worked examples."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.rewards.allocation import allocate
from backend.rewards.calculation import CalculationInputs, TeamInput, calculate, team_factors
from backend.rewards.models import StatementOutcome
from backend.rewards.schemas import RewardRules
from tests.backend.rewards.decimal_reference import reference_amounts

# Pure functions: the test command runs them once, in the SQLite suite (tests/backend/conftest.py).
pytestmark = pytest.mark.database_free

KINDS = ["canteen", "dorm", "maintenance"]


def decimals(low: str, high: str, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(low), max_value=Decimal(high), places=places, allow_nan=False
    )


@st.composite
def team_inputs(draw: st.DrawFn, team_id: int, *, kind: str | None = None) -> TeamInput:
    responses = draw(st.integers(0, 400))
    total = draw(st.integers(responses, 5 * responses))
    measured = draw(st.integers(0, 60))
    return TeamInput(
        team_id=team_id,
        slug=f"team-{team_id}",
        name_en=f"Team {team_id}",
        name_zh=f"班组{team_id}",
        kind=kind or draw(st.sampled_from(KINDS)),
        responses=responses,
        total=total,
        sla_measured=measured,
        sla_on_time=draw(st.integers(0, measured)),
    )


@st.composite
def calculation_inputs(draw: st.DrawFn, *, plain_weights: bool = False) -> CalculationInputs:
    count = draw(st.integers(1, 12))
    teams = [draw(team_inputs(i + 1, kind="dorm" if plain_weights else None)) for i in range(count)]
    others = draw(st.integers(0, 300))
    campus_responses = sum(t.responses for t in teams) + others
    if campus_responses == 0:
        others, campus_responses = 1, 1
    campus_total = sum(t.total for t in teams) + draw(st.integers(others, 5 * others))
    pool = draw(st.one_of(st.integers(0, 1000), st.integers(0, 10**10)))
    weights = (
        {}
        if plain_weights
        else draw(
            st.dictionaries(
                st.sampled_from([t.slug for t in teams]), decimals("0.0001", "5", 4), max_size=4
            )
        )
    )
    rules = RewardRules(
        baseline=draw(decimals("1", "5", 4)),
        min_responses=draw(st.integers(1, 30)),
        prior_weight=draw(decimals("0", "50", 2)),
        default_weight=Decimal(1) if plain_weights else draw(decimals("0.5", "2", 4)),
        weights=weights,
        cap_fen=draw(st.one_of(st.none(), st.integers(1, max(1, pool)))),
        sla_multiplier=False if plain_weights else draw(st.booleans()),
        sla_floor=draw(decimals("0", "1", 4)),
    )
    return CalculationInputs(
        period="2026-10",
        pool_fen=pool,
        rules=rules,
        campus_total=campus_total,
        campus_responses=campus_responses,
        teams=tuple(teams),
    )


@settings(max_examples=400, deadline=None)
@given(calculation_inputs())
def test_amounts_sum_exactly_and_caps_hold(inputs: CalculationInputs) -> None:
    result = calculate(inputs)
    amounts = [s.amount_fen for s in result.statements]
    assert sum(amounts) == result.distributed_fen
    assert result.distributed_fen + result.returned_fen == inputs.pool_fen
    assert all(a >= 0 for a in amounts)
    if inputs.rules.cap_fen is not None:
        assert all(a <= inputs.rules.cap_fen for a in amounts)
    sharing = [s for s in result.statements if s.outcome == StatementOutcome.rewarded]
    if sharing:  # someone is uncapped: nothing is returned to the pool
        assert result.returned_fen == 0


@settings(max_examples=400, deadline=None)
@given(calculation_inputs())
def test_below_threshold_or_too_few_answers_gets_nothing(inputs: CalculationInputs) -> None:
    result = calculate(inputs)
    for statement in result.statements:
        f = team_factors(inputs, statement.team)
        if statement.team.responses < inputs.rules.min_responses or statement.team.responses == 0:
            assert statement.amount_fen == 0
            assert statement.outcome == StatementOutcome.too_few_responses
        elif f.adjusted is not None and f.adjusted < inputs.rules.baseline:
            assert statement.amount_fen == 0
            assert statement.outcome == StatementOutcome.below_baseline
        elif f.adjusted == inputs.rules.baseline:
            assert statement.amount_fen == 0


@settings(max_examples=400, deadline=None)
@given(calculation_inputs(plain_weights=True))
def test_equal_weight_higher_score_never_gets_less(inputs: CalculationInputs) -> None:
    result = calculate(inputs)
    qualified = [
        (team_factors(inputs, s.team).adjusted, s.amount_fen)
        for s in result.statements
        if s.team.responses >= inputs.rules.min_responses
    ]
    for score_a, amount_a in qualified:
        for score_b, amount_b in qualified:
            assert score_a is not None
            assert score_b is not None
            if score_a > score_b:
                assert amount_a >= amount_b


@settings(max_examples=500, deadline=None)
@given(calculation_inputs())
def test_identical_to_the_decimal_reference(inputs: CalculationInputs) -> None:
    result = calculate(inputs)
    assert {s.team.team_id: s.amount_fen for s in result.statements} == reference_amounts(inputs)


@settings(max_examples=100, deadline=None)
@given(calculation_inputs(), st.randoms(use_true_random=False))
def test_reproducible_whatever_the_order(inputs: CalculationInputs, rnd: random.Random) -> None:
    shuffled = list(inputs.teams)
    rnd.shuffle(shuffled)
    again = CalculationInputs(**{**inputs.__dict__, "teams": tuple(shuffled)})
    assert again.sha256() == inputs.sha256()
    first, second = calculate(inputs), calculate(again)
    assert [(s.amount_fen, s.explanation) for s in first.statements] == [
        (s.amount_fen, s.explanation) for s in second.statements
    ]
    restored = CalculationInputs.from_json(inputs.as_json())
    assert restored.sha256() == inputs.sha256()


def test_largest_remainder_breaks_ties_by_points_then_id() -> None:
    # 100 fen over three equal teams: 33.33 each, one fen left → the lowest id.
    equal = allocate(pool_fen=100, points={3: 5, 1: 5, 2: 5}, cap_fen=None)
    assert equal.amounts == {1: 34, 2: 33, 3: 33}
    assert equal.rounded_up == frozenset({1})


def test_cap_excess_goes_to_the_uncapped_then_back_to_the_pool() -> None:
    # 1000 fen, points 6:3:1, cap 500 → 600 > 500 capped; 500 shared 3:1 → 375, 125.
    shared = allocate(pool_fen=1000, points={1: 6, 2: 3, 3: 1}, cap_fen=500)
    assert shared.amounts == {1: 500, 2: 375, 3: 125}
    assert shared.returned_fen == 0
    # Everyone capped: 3 × 200 = 600 distributed, 400 returned to the pool.
    everyone = allocate(pool_fen=1000, points={1: 6, 2: 3, 3: 1}, cap_fen=200)
    assert everyone.amounts == {1: 200, 2: 200, 3: 200}
    assert everyone.returned_fen == 400


def test_nobody_qualifies_returns_the_whole_pool() -> None:
    nothing = allocate(pool_fen=5000, points={1: 0, 2: 0}, cap_fen=None)
    assert nothing.amounts == {1: 0, 2: 0}
    assert nothing.distributed_fen == 0
    assert nothing.returned_fen == 5000


WORKED = CalculationInputs(
    period="2026-10",
    pool_fen=1_000_000,
    rules=RewardRules(
        baseline=Decimal("3.8"),
        min_responses=5,
        prior_weight=Decimal(10),
        weights={"maint-electrical": Decimal("1.2")},
        cap_fen=450_000,
        sla_multiplier=True,
        sla_floor=Decimal("0.5"),
    ),
    campus_total=4100,
    campus_responses=1000,
    teams=(
        TeamInput(
            1, "maint-electrical", "Electrical Crew", "电工班", "maintenance", 37, 160, 34, 30
        ),
        TeamInput(2, "canteen-north", "North Canteen Team", "北区食堂团队", "canteen", 200, 900),
        TeamInput(3, "dorm-b7", "Building 7 Management", "7号楼宿管", "dorm", 50, 200),
        TeamInput(4, "dorm-b3", "Building 3 Management", "3号楼宿管", "dorm", 3, 15),
        TeamInput(5, "dorm-b12", "Building 12 Management", "12号楼宿管", "dorm", 40, 140),
    ),
)


def test_the_worked_example_in_docs_rewards_md() -> None:
    result = calculate(WORKED)
    by_slug = {s.team.slug: s for s in result.statements}
    assert {slug: s.amount_fen for slug, s in by_slug.items()} == {
        "maint-electrical": 392_137,
        "canteen-north": 450_000,
        "dorm-b7": 157_863,
        "dorm-b3": 0,
        "dorm-b12": 0,
    }
    electrical = by_slug["maint-electrical"].explanation
    assert electrical["factors"]["adjusted_score"] == "4.2766"
    assert electrical["factors"]["sla_multiplier"] == "0.9412"
    assert electrical["factors"]["points"] == "0.538291104"
    assert by_slug["canteen-north"].outcome == StatementOutcome.capped
    assert by_slug["dorm-b7"].explanation["factors"]["rounded_up"] is True
    assert by_slug["dorm-b3"].outcome == StatementOutcome.too_few_responses
    assert by_slug["dorm-b12"].outcome == StatementOutcome.below_baseline
    assert any("392,137 fen" in line for line in electrical["formula_en"])
    assert any("392,137 分" in line for line in electrical["formula_zh"])
