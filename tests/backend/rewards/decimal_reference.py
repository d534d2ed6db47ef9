"""An independent Decimal implementation of the reward rules, for the property tests.

Written from docs/rewards.md, not from the production code: it finds the cap water level
by trying "the k highest teams are capped" for k = 0, 1, … instead of iterating, and does
all arithmetic in Decimal at 100 digits instead of integers and fractions.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext

from backend.rewards.calculation import CalculationInputs

Q4 = Decimal("0.0001")


def reference_amounts(inputs: CalculationInputs) -> dict[int, int]:
    rules = inputs.rules
    with localcontext() as ctx:
        ctx.prec = 100
        points: dict[int, Decimal] = {}
        for team in inputs.teams:
            if team.responses == 0 or team.responses < rules.min_responses:
                continue
            mean = Decimal(inputs.campus_total) / Decimal(inputs.campus_responses)
            c = rules.prior_weight
            adjusted = ((c * mean + team.total) / (c + team.responses)).quantize(
                Q4, rounding=ROUND_HALF_EVEN
            )
            if adjusted < rules.baseline:
                continue
            weight = rules.weights.get(team.slug, rules.default_weight)
            multiplier = Decimal(1)
            if rules.sla_multiplier and team.kind == "maintenance" and team.sla_measured:
                rate = Decimal(team.sla_on_time) / Decimal(team.sla_measured)
                multiplier = (rules.sla_floor + (1 - rules.sla_floor) * rate).quantize(
                    Q4, rounding=ROUND_HALF_EVEN
                )
            points[team.team_id] = (adjusted - rules.baseline) * weight * multiplier
        amounts = {team.team_id: 0 for team in inputs.teams}
        ranked = sorted((t for t, p in points.items() if p > 0), key=lambda t: -points[t])
        pool = Decimal(inputs.pool_fen)
        cap = rules.cap_fen
        capped = 0
        if cap is not None:
            while capped < len(ranked):
                rest = ranked[capped:]
                level = (pool - capped * cap) / sum(points[t] for t in rest)
                if level * points[rest[0]] <= cap:
                    break
                capped += 1
        for team in ranked[:capped]:
            assert cap is not None
            amounts[team] = cap
        rest = ranked[capped:]
        if rest:
            share = pool - capped * (cap or 0)
            total = sum(points[t] for t in rest)
            exact = {t: share * points[t] / total for t in rest}
            floors = {t: int(exact[t].to_integral_value(rounding=ROUND_FLOOR)) for t in rest}
            left = int(share) - sum(floors.values())
            order = sorted(rest, key=lambda t: (-(exact[t] - floors[t]), -points[t], t))
            for t in rest:
                amounts[t] = floors[t]
            for t in order[:left]:
                amounts[t] += 1
        return amounts
