"""Deterministic demo data: the same campus and the same menu for a given day, every time."""

import random
from datetime import date, timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.identity.models import Locale, Role, User
from backend.meals.models import Canteen, Dish, Meal, Menu, MenuItem
from backend.seed.campus import CANTEENS, DISHES

DEMO_PASSWORD = "demo-pass"  # noqa: S105 - development seed only, documented in the README
DEMO_ACCOUNTS = [
    ("s20240001", "李华 Li Hua", Role.student, Locale.zh),
    ("s20240002", "Alex Chen", Role.student, Locale.en),
    ("t0001", "王师傅 Wang Wei", Role.technician, Locale.zh),
    ("admin", "Logistics Office 后勤处", Role.logistics_admin, Locale.zh),
]
MENU_DAYS_BACK = 14
MENU_DAYS_AHEAD = 14
DISHES_PER_MEAL = {Meal.breakfast: 4, Meal.lunch: 6, Meal.dinner: 6}


async def seed_demo_campus(*, session: AsyncSession, today: date) -> str:
    created_campus = await _ensure_campus(session)
    accounts = await _ensure_accounts(session)
    menus = await _ensure_menus(session, today)
    await session.commit()
    return (
        f"campus {'created' if created_campus else 'present'}, "
        f"{accounts} demo accounts added, {menus} menus added "
        f"({today - timedelta(days=MENU_DAYS_BACK)} … {today + timedelta(days=MENU_DAYS_AHEAD)})"
    )


async def _ensure_campus(session: AsyncSession) -> bool:
    if (await session.exec(select(func.count()).select_from(Canteen))).one():
        return False
    session.add_all(Canteen(**canteen._asdict()) for canteen in CANTEENS)
    session.add_all(
        Dish(**{k: v for k, v in dish._asdict().items() if k != "meals"}) for dish in DISHES
    )
    await session.flush()
    return True


async def _ensure_accounts(session: AsyncSession) -> int:
    existing = set((await session.exec(select(User.username))).all())
    missing = [account for account in DEMO_ACCOUNTS if account[0] not in existing]
    password_hash = hash_password(DEMO_PASSWORD) if missing else ""
    session.add_all(
        User(username=username, name=name, role=role, locale=locale, password_hash=password_hash)
        for username, name, role, locale in missing
    )
    return len(missing)


async def _ensure_menus(session: AsyncSession, today: date) -> int:
    """Add any missing menu in the window around today, so the demo never goes stale."""
    canteens = (await session.exec(select(Canteen).order_by(Canteen.slug))).all()
    dishes_by_name = {dish.name_en: dish for dish in (await session.exec(select(Dish))).all()}
    pools = {
        meal: [
            dishes_by_name[d.name_en]
            for d in DISHES
            if meal in d.meals and d.name_en in dishes_by_name
        ]
        for meal in Meal
    }
    first, last = today - timedelta(days=MENU_DAYS_BACK), today + timedelta(days=MENU_DAYS_AHEAD)
    existing = set(
        (
            await session.exec(
                select(col(Menu.canteen_id), col(Menu.served_on), col(Menu.meal)).where(
                    Menu.served_on >= first, Menu.served_on <= last
                )
            )
        ).all()
    )
    added = 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for canteen in canteens:
            for meal in Meal:
                if (canteen.id, day, meal) in existing:
                    continue
                rng = random.Random(f"{canteen.slug}/{day.isoformat()}/{meal.value}")
                chosen = rng.sample(pools[meal], k=min(DISHES_PER_MEAL[meal], len(pools[meal])))
                session.add(
                    Menu(
                        canteen_id=canteen.id,
                        served_on=day,
                        meal=meal,
                        items=[
                            MenuItem(dish_id=dish.id, position=position)
                            for position, dish in enumerate(chosen)
                        ],
                    )
                )
                added += 1
    return added
