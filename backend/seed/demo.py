"""The demo campus, deterministic: the same campus and the same menu for a given day."""

from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.seed import channels, dorms, identity, meals, repairs, surveys

DEFAULT_TZ = ZoneInfo(Settings.model_fields["campus_timezone"].default)


async def seed_demo_campus(*, session: AsyncSession, today: date, tz: tzinfo = DEFAULT_TZ) -> str:
    """Create what is missing, in dependency order; safe to run on every start."""
    created = await meals.ensure_catalog(session)
    await dorms.ensure_buildings(session)
    teams = await identity.ensure_teams(session)
    accounts = await identity.ensure_accounts(session)
    links = await channels.ensure_links(session)
    homes = await dorms.ensure_homes(session)
    dorm_life = await dorms.ensure_dorm_life(session)
    menus = await meals.ensure_menus(session, today)
    tickets = await repairs.ensure_repairs(session, today)
    survey_report = await surveys.ensure_surveys(session, today, tz)
    await session.commit()
    return (
        f"campus {'created' if created else 'present'}; added {teams} teams, "
        f"{accounts} demo accounts, {links} messaging links, {homes} room assignments, "
        f"{menus} menus, "
        f"{tickets} repair tickets; dorms: {dorm_life}; {survey_report}"
    )
