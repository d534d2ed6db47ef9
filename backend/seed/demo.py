"""The demo campus, deterministic: the same campus and the same menu for a given day."""

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import get_settings
from backend.seed import dorms, identity, meals, surveys


async def seed_demo_campus(*, session: AsyncSession, today: date) -> str:
    """Create what is missing, in dependency order; safe to run on every start."""
    created = await meals.ensure_catalog(session)
    await dorms.ensure_buildings(session)
    teams = await identity.ensure_teams(session)
    accounts = await identity.ensure_accounts(session)
    homes = await dorms.ensure_homes(session)
    menus = await meals.ensure_menus(session, today)
    survey_report = await surveys.ensure_surveys(session, today, get_settings().tz)
    await session.commit()
    return (
        f"campus {'created' if created else 'present'}; added {teams} teams, "
        f"{accounts} demo accounts, {homes} room assignments, {menus} menus; {survey_report}"
    )
