from datetime import date, timedelta

import httpx
from sqlalchemy import delete
from sqlalchemy.orm import selectinload
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import Canteen, CanteenHours, Dish, Meal, MealPlan, Menu
from backend.meals.suggestion import plan_day
from backend.seed import meals as meal_seed
from backend.seed.demo import seed_demo_campus
from backend.seed.identity import DEMO_ACCOUNTS, DEMO_PASSWORD

TODAY = date(2026, 11, 23)  # a Monday
WINDOW = [TODAY + timedelta(days=offset) for offset in range(-14, 15)]


async def count(session: AsyncSession, model: type) -> int:
    return int((await session.exec(select(func.count()).select_from(model))).one())


async def served_slots(session: AsyncSession) -> set[tuple[int, int, Meal]]:
    """(canteen id, weekday, meal) of every meal service in the opening hours."""
    rows = (await session.exec(select(CanteenHours))).all()
    return {(row.canteen_id, row.weekday, row.meal) for row in rows}


def expected_menus(slots: set[tuple[int, int, Meal]], days: list[date]) -> int:
    return sum(1 for day in days for _, weekday, _ in slots if weekday == day.weekday())


async def test_seed_creates_the_catalogue(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    assert await count(session, Canteen) >= 3
    assert await count(session, Dish) >= 60
    plans = (await session.exec(select(MealPlan).order_by(MealPlan.position))).all()
    assert [plan.slug for plan in plans] == ["balanced", "high-protein", "low-sodium", "light"]
    for plan in plans:
        assert all((plan.name_en, plan.name_zh, plan.description_en, plan.description_zh))
        # the targets add up: kcal ≈ 4 × protein + 9 × fat + 4 × carbohydrate
        energy = 4 * plan.protein_g + 9 * plan.fat_g + 4 * plan.carbs_g
        assert abs(plan.kcal - energy) / plan.kcal < 0.05, plan.slug


async def test_seed_creates_a_fresh_window_and_is_idempotent(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    slots = await served_slots(session)
    first = await count(session, Menu)
    assert first == expected_menus(slots, WINDOW)  # two weeks back, today, two weeks ahead
    for day in WINDOW:  # every day has menus, at least one canteen per meal
        meals = (await session.exec(select(Menu.meal).where(Menu.served_on == day))).all()
        assert set(meals) == set(Meal), day
    await seed_demo_campus(session=session, today=TODAY)
    assert await count(session, Menu) == first
    assert await count(session, Dish) == len(meal_seed.DISHES)
    assert await count(session, CanteenHours) == len(slots)


async def test_menus_only_when_the_canteen_serves(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    slots = await served_slots(session)
    menus = (await session.exec(select(Menu))).all()
    assert all((m.canteen_id, m.served_on.weekday(), m.meal) in slots for m in menus)
    lakeside = (await session.exec(select(Canteen).where(Canteen.slug == "lakeside"))).one()
    sundays = [day for day in WINDOW if day.weekday() == 6]
    on_sunday = await session.exec(
        select(Menu).where(Menu.canteen_id == lakeside.id, Menu.served_on.in_(sundays))  # type: ignore[attr-defined]
    )
    assert on_sunday.all() == []


async def test_seed_tops_up_menus_as_days_pass(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    before = await count(session, Menu)
    await seed_demo_campus(session=session, today=TODAY + timedelta(days=3))
    new_days = [TODAY + timedelta(days=15 + offset) for offset in range(3)]
    assert await count(session, Menu) == before + expected_menus(
        await served_slots(session), new_days
    )
    latest = (await session.exec(select(func.max(Menu.served_on)))).one()
    assert latest == TODAY + timedelta(days=17)


async def menus_on(session: AsyncSession, day: date) -> dict[tuple[int, Meal], list[int]]:
    query = (
        select(Menu)
        .where(Menu.served_on == day)
        .options(selectinload(Menu.items))  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return {(m.canteen_id, m.meal): [i.dish_id for i in m.items] for m in await session.exec(query)}


async def test_same_day_same_menu(session: AsyncSession) -> None:
    """Deterministic: the demo menu for a day does not depend on when the seed ran."""
    day = TODAY + timedelta(days=2)  # a Wednesday: north 3 meals, south 3, lakeside 2
    await seed_demo_campus(session=session, today=TODAY)
    first = await menus_on(session, day)
    await session.exec(delete(Menu).where(Menu.served_on == day))  # type: ignore[call-overload]
    session.expunge_all()
    await seed_demo_campus(session=session, today=TODAY + timedelta(days=1))
    again = await menus_on(session, day)
    assert len(first) == 8
    assert first == again
    rice = (await session.exec(select(Dish.id).where(Dish.name_en == "Steamed Rice"))).one()
    for (_, meal), dish_ids in first.items():
        size = meal_seed.DISHES_PER_MEAL[meal]
        if meal == Meal.breakfast:
            assert len(dish_ids) == size
        else:  # the day's dishes, then the staple
            assert (len(dish_ids), dish_ids[-1]) == (size + 1, rice)


def test_dishes_are_plausible_and_consistently_labelled() -> None:
    names_en = [d.name_en.lower() for d in meal_seed.DISHES]
    names_zh = [d.name_zh for d in meal_seed.DISHES]
    for names in (names_en, names_zh):
        assert len(set(names)) == len(names)
        # no name inside another: a reply naming one dish never seems to name another
        assert not [(a, b) for a in names for b in names if a != b and a in b]
    for seed in meal_seed.DISHES:
        energy = 4 * seed.protein_g + 9 * seed.fat_g + 4 * seed.carbs_g
        assert abs(seed.kcal - energy) / seed.kcal <= 0.15, seed.name_en
        assert 0 < seed.price_fen <= 5000, seed.name_en
        assert 0 <= seed.sodium_mg <= 2500, seed.name_en
        assert seed.meals, seed.name_en
        assert set(seed.meals) <= {"B", "L", "D"}, seed.name_en
        tags = set(seed.tags.split())
        assert tags <= {"vegetarian", "vegan", "halal", "spicy"}, seed.name_en
        if seed.pork:
            assert not tags & {"vegetarian", "vegan", "halal"}, seed.name_en
        if "vegan" in tags:
            assert not set(seed.allergens.split()) & {"milk", "egg", "fish", "shellfish"}


async def test_demo_plans_have_good_suggestions(session: AsyncSession) -> None:
    """On a demo day, the suggestion for each plan gets reasonably close."""
    from backend.meals import plans as plans_service
    from backend.meals import service

    await seed_demo_campus(session=session, today=TODAY)
    day = TODAY + timedelta(days=1)
    menus = await service.load_day(session=session, served_on=day)
    canteens = await service.load_canteens(session=session)
    for info in await plans_service.load_plans(session=session):
        result = plan_day(
            plan=info,
            served_on=day,
            targets=info.targets,
            focus=info.focus,
            menus=menus,
            canteens=canteens,
            plan_canteens=info.canteens,
            preferred=None,
            diets=[],
            allergens=[],
        )
        assert [meal.meal for meal in result.meals] == list(Meal), info.slug
        assert result.closeness >= 0.8, (info.slug, result.closeness, result.notes_en)


async def test_a_demo_campus_from_before_labels_is_brought_up_to_date(
    session: AsyncSession,
) -> None:
    """Migration 0002 leaves existing dishes unlabelled; the seed labels its own dishes, adds
    the missing ones, opening hours and plans, and keeps what staff added."""
    session.add_all(Canteen(**canteen._asdict()) for canteen in meal_seed.CANTEENS)
    old = {"Kung Pao Chicken": 1600, "Egg Fried Rice": 1000, "Staff Special": 1200}
    session.add_all(
        Dish(name_en=name, name_zh=name, price_fen=price, kcal=500) for name, price in old.items()
    )
    await session.commit()
    await seed_demo_campus(session=session, today=TODAY)
    dishes = {d.name_en: d for d in (await session.exec(select(Dish))).all()}
    assert len(dishes) == len(meal_seed.DISHES) + 1
    kung_pao, fried_rice, special = (dishes[name] for name in old)
    assert (kung_pao.allergens, kung_pao.tags, kung_pao.price_fen) == (
        ["peanut", "soy"],
        ["spicy"],
        1600,
    )
    assert fried_rice.contains_pork
    assert (special.allergens, special.tags, special.contains_pork) == ([], [], False)
    assert await count(session, CanteenHours) > 0
    assert await count(session, MealPlan) == len(meal_seed.PLANS)


async def test_a_labelled_catalogue_is_left_alone(session: AsyncSession) -> None:
    session.add_all(Canteen(**canteen._asdict()) for canteen in meal_seed.CANTEENS)
    session.add_all(
        [
            Dish(name_en="Kung Pao Chicken", name_zh="宫保鸡丁", price_fen=1, kcal=1),
            Dish(name_en="House Salad", name_zh="沙拉", price_fen=1, kcal=1, vegan=True),
        ]
    )
    await session.commit()
    await seed_demo_campus(session=session, today=TODAY)
    dishes = {d.name_en: d for d in (await session.exec(select(Dish))).all()}
    assert len(dishes) == 2
    assert dishes["Kung Pao Chicken"].allergens == []


async def test_demo_accounts_sign_in(session: AsyncSession, client: httpx.AsyncClient) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    for username, *_ in DEMO_ACCOUNTS:
        response = await client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, username


async def test_demo_canteen_staff_edit_only_their_canteen(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    for username, own, other in (("c0001", "north", "south"), ("c0003", "lakeside", "north")):
        response = await client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        mine = await client.get(f"/api/v1/canteens/{own}/hours", headers=headers)
        assert mine.status_code == 200, mine.text
        theirs = await client.put(
            f"/api/v1/menus/{other}/{TODAY.isoformat()}/lunch",
            json={"dish_ids": [1]},
            headers=headers,
        )
        assert theirs.status_code == 403
        assert theirs.json()["error"] == "NotYourCanteen"
