"""Share a pool in integer fen: proportional to points, capped, largest remainder.

Pure integer/rational arithmetic, no floats:

1. Every team with points > 0 gets ``R × points / S`` (R: the fen to share, S: the points
   of the teams sharing it).
2. Caps (water-filling): a team whose share exceeds the cap gets exactly the cap; what it
   would have had above the cap is shared among the uncapped teams, in proportion to their
   points, and the shares are recomputed until no uncapped share exceeds the cap. If every
   team ends up capped, the rest of the pool is returned (not distributed).
3. Rounding: uncapped teams get the floor of their exact share; the fen left over (fewer
   than the number of uncapped teams) go one each to the largest remainders; ties by more
   points, then by lower team id. So the amounts sum exactly to what is distributed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Allocation:
    amounts: dict[int, int]
    capped: frozenset[int]
    rounded_up: frozenset[int]
    # Fen per point for the uncapped teams (None when nobody shares by points).
    rate: Fraction | None
    # Exact share before rounding; capped teams: their share in the round they were capped.
    exact: dict[int, Fraction]
    distributed_fen: int
    returned_fen: int


def allocate(*, pool_fen: int, points: Mapping[int, int], cap_fen: int | None) -> Allocation:
    if pool_fen < 0:
        raise ValueError("the pool cannot be negative")
    if cap_fen is not None and cap_fen < 1:
        raise ValueError("a cap must be at least 1 fen")
    if any(p < 0 for p in points.values()):
        raise ValueError("points cannot be negative")
    sharing = {team: p for team, p in points.items() if p > 0}
    capped: set[int] = set()
    capped_share: dict[int, Fraction] = {}
    while True:
        uncapped = {team: p for team, p in sharing.items() if team not in capped}
        to_share = pool_fen - (cap_fen or 0) * len(capped)
        total = sum(uncapped.values())
        if cap_fen is None or not uncapped:
            break
        over = {team for team, p in uncapped.items() if to_share * p > cap_fen * total}
        if not over:
            break
        capped |= over
        capped_share.update({team: Fraction(to_share * uncapped[team], total) for team in over})
    amounts = dict.fromkeys(points, 0)
    for team in capped:
        assert cap_fen is not None
        amounts[team] = cap_fen
    rate = Fraction(to_share, total) if uncapped else None
    exact = {
        team: capped_share.get(team) or (rate * p if rate is not None else Fraction(0))
        for team, p in points.items()
    }
    rounded_up: set[int] = set()
    if uncapped:
        floors = {team: to_share * p // total for team, p in uncapped.items()}
        remainders = {team: to_share * p % total for team, p in uncapped.items()}
        leftover = to_share - sum(floors.values())
        order = sorted(uncapped, key=lambda team: (-remainders[team], -uncapped[team], team))
        rounded_up = set(order[:leftover])
        for team, floor in floors.items():
            amounts[team] = floor + (1 if team in rounded_up else 0)
    distributed = sum(amounts.values())
    return Allocation(
        amounts=amounts,
        capped=frozenset(capped),
        rounded_up=frozenset(rounded_up),
        rate=rate,
        exact=exact,
        distributed_fen=distributed,
        returned_fen=pool_fen - distributed,
    )
