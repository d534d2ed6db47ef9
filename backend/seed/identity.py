"""Demo service teams and accounts (development only: one published password), from
``demo/identity.yml``."""

from typing import NamedTuple

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.dorms.models import Building
from backend.identity.models import Locale, Role, Team, TeamKind, Trade, User
from backend.meals.models import Canteen
from backend.seed.data import field

SOURCE = "identity.yml"


class AccountSeed(NamedTuple):
    username: str
    name: str
    role: Role
    locale: Locale
    team: str | None = None  # team slug


class NamesSeed(NamedTuple):
    name_en: str
    name_zh: str


DEMO_PASSWORD: str = field(SOURCE, "password", str)
TRADE_NAMES: dict[Trade, NamesSeed] = field(SOURCE, "crews", dict[Trade, NamesSeed])
DEMO_ACCOUNTS: list[AccountSeed] = field(SOURCE, "accounts", list[AccountSeed])


async def ensure_teams(session: AsyncSession) -> int:
    """A canteen team per canteen, a dorm team per building, a maintenance crew per trade."""
    existing = set((await session.exec(select(Team.slug))).all())
    wanted: list[Team] = []
    for canteen in (await session.exec(select(Canteen))).all():
        wanted.append(
            Team(
                slug=f"canteen-{canteen.slug}",
                name_en=f"{canteen.name_en} Team",
                name_zh=f"{canteen.name_zh}团队",
                kind=TeamKind.canteen,
                canteen_id=canteen.id,
            )
        )
    for building in (await session.exec(select(Building))).all():
        wanted.append(
            Team(
                slug=f"dorm-{building.code.lower()}",
                name_en=f"{building.name_en} Management",
                name_zh=f"{building.name_zh}宿管",
                kind=TeamKind.dorm,
                building_id=building.id,
            )
        )
    for trade, (name_en, name_zh) in TRADE_NAMES.items():
        wanted.append(
            Team(
                slug=f"maint-{trade.value}",
                name_en=name_en,
                name_zh=name_zh,
                kind=TeamKind.maintenance,
                trade=trade,
            )
        )
    missing = [team for team in wanted if team.slug not in existing]
    session.add_all(missing)
    await session.flush()
    return len(missing)


async def ensure_accounts(session: AsyncSession) -> int:
    existing = set((await session.exec(select(User.username))).all())
    missing = [account for account in DEMO_ACCOUNTS if account.username not in existing]
    if not missing:
        return 0
    teams = {team.slug: team.id for team in (await session.exec(select(Team))).all()}
    password_hash = hash_password(DEMO_PASSWORD)
    session.add_all(
        User(
            username=account.username,
            name=account.name,
            role=account.role,
            locale=account.locale,
            team_id=teams[account.team] if account.team else None,
            password_hash=password_hash,
        )
        for account in missing
    )
    await session.flush()
    return len(missing)
