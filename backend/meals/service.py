"""Canteens, dishes and menus: reads (the hot ones cached) and staff writes.

Writes add and flush; the route commits and then invalidates the meal cache.
"""

import re
from collections.abc import Collection
from datetime import date, datetime, tzinfo

from sqlalchemy import func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.meals import cache as meals_cache
from backend.meals.diet import suits
from backend.meals.editors import MealsEditor
from backend.meals.exceptions import (
    CanteenNotFound,
    DishNotFound,
    DishNotServedHere,
    InconsistentDishLabels,
    UnknownCanteen,
    UnknownDishes,
)
from backend.meals.hours import next_opening, open_service
from backend.meals.models import (
    Canteen,
    CanteenClosure,
    CanteenHours,
    Dish,
    DishTag,
    Meal,
    Menu,
    MenuItem,
)
from backend.meals.schemas import (
    CanteenBrief,
    CanteenInfo,
    CanteenPublic,
    CanteensPublic,
    Closure,
    DishCreate,
    DishesPublic,
    DishPublic,
    DishUpdate,
    MenuPublic,
    MenusPublic,
    OpeningHours,
    check_labels,
)

# --- canteens --------------------------------------------------------------------------


async def load_canteens(*, session: AsyncSession) -> list[CanteenInfo]:
    query = (
        select(Canteen)
        .order_by(col(Canteen.id))
        .options(
            selectinload(Canteen.hours),  # type: ignore[arg-type]
            selectinload(Canteen.closures),  # type: ignore[arg-type]
            selectinload(Canteen.meal_plans),  # type: ignore[arg-type]
        )
    )
    return [
        CanteenInfo(
            id=canteen.id,
            slug=canteen.slug,
            name_en=canteen.name_en,
            name_zh=canteen.name_zh,
            location_en=canteen.location_en,
            location_zh=canteen.location_zh,
            hours=hours_public(canteen.hours),
            closures=[closure_public(closure) for closure in canteen.closures],
            meal_plans=[plan.slug for plan in canteen.meal_plans],
        )
        for canteen in await session.exec(query)
    ]


def hours_public(hours: Collection[CanteenHours]) -> list[OpeningHours]:
    return [
        OpeningHours(
            meal=service.meal,
            weekday=service.weekday,
            opens=service.opens.strftime("%H:%M"),
            closes=service.closes.strftime("%H:%M"),
        )
        for service in hours
    ]


def closure_public(closure: CanteenClosure) -> Closure:
    return Closure(
        date=closure.closed_on,
        meal=closure.meal,
        note_en=closure.note_en,
        note_zh=closure.note_zh,
    )


async def canteens(*, session: AsyncSession, cache: Cache) -> list[CanteenInfo]:
    """Every canteen with its hours and meal plans (cached)."""
    return await meals_cache.MEALS.cached(
        cache, "canteens", meals_cache.CANTEENS, lambda: load_canteens(session=session)
    )


def canteen_public(canteen: CanteenInfo, *, now: datetime, tz: tzinfo) -> CanteenPublic:
    today = now.astimezone(tz).date()
    return CanteenPublic(
        **canteen.model_dump(exclude={"closures"}),
        closures=[closure for closure in canteen.closures if closure.date >= today],
        open_now=open_service(canteen.hours, now, tz, canteen.closures) is not None,
        next_opening=next_opening(canteen.hours, now, tz, canteen.closures),
    )


async def list_canteens(
    *, session: AsyncSession, cache: Cache, now: datetime, tz: tzinfo, open_now: bool | None
) -> CanteensPublic:
    data = [
        canteen_public(canteen, now=now, tz=tz)
        for canteen in await canteens(session=session, cache=cache)
    ]
    if open_now is not None:
        data = [canteen for canteen in data if canteen.open_now == open_now]
    return CanteensPublic(data=data, count=len(data))


async def find_canteen(*, session: AsyncSession, cache: Cache, slug: str) -> CanteenInfo:
    for canteen in await canteens(session=session, cache=cache):
        if canteen.slug == slug:
            return canteen
    raise CanteenNotFound(f"No canteen '{slug}'; GET /api/v1/canteens lists them.")


async def canteen_slug(*, session: AsyncSession, canteen_id: int) -> str | None:
    """A canteen team's canteen as GET /me names it (identity gets this function from the
    app, ``app.state.canteen_of``: identity does not import meals)."""
    canteen = await session.get(Canteen, canteen_id)
    return canteen.slug if canteen else None


async def get_canteen(*, session: AsyncSession, slug: str) -> Canteen:
    canteen = (await session.exec(select(Canteen).where(Canteen.slug == slug))).first()
    if canteen is None:
        raise CanteenNotFound(f"No canteen '{slug}'; GET /api/v1/canteens lists them.")
    return canteen


# --- dishes ----------------------------------------------------------------------------


def dish_public(dish: Dish) -> DishPublic:
    """``dish.canteen`` must be loaded."""
    return DishPublic(
        id=dish.id,
        name_en=dish.name_en,
        name_zh=dish.name_zh,
        price_fen=dish.price_fen,
        kcal=dish.kcal,
        protein_g=dish.protein_g,
        fat_g=dish.fat_g,
        carbs_g=dish.carbs_g,
        sodium_mg=dish.sodium_mg,
        allergens=dish.allergens,  # type: ignore[arg-type]  # validated into Allergen
        tags=dish.tags,
        contains_pork=dish.contains_pork,
        owner_canteen=dish.canteen.slug if dish.canteen else None,
    )


async def get_dish(*, session: AsyncSession, dish_id: int) -> Dish:
    query = select(Dish).where(Dish.id == dish_id).options(selectinload(Dish.canteen))  # type: ignore[arg-type]
    dish = (await session.exec(query)).first()
    if dish is None:
        raise DishNotFound(f"No dish {dish_id}; GET /api/v1/dishes?q=… finds dishes by name.")
    return dish


def _match_rank(dish: Dish, phrase: str) -> tuple[int, int, int]:
    """Lower is better: exact name, name starts with the query, a word starts with it,
    contains it, contains every word of it; then the shorter name, then the older dish."""

    def rank(name: str) -> tuple[int, int]:
        if name == phrase:
            level = 0
        elif name.startswith(phrase):
            level = 1
        elif any(word.startswith(phrase) for word in re.split(r"[\s\-,]+", name)):
            level = 2
        elif phrase in name:
            level = 3
        else:
            level = 4
        return level, len(name)

    level, length = min(rank(dish.name_en.lower()), rank(dish.name_zh))
    return level, length, dish.id


async def search_dishes(
    *, session: AsyncSession, q: str | None, limit: int, offset: int
) -> DishesPublic:
    """Dishes whose English or Chinese name contains every word of ``q`` (any case), best
    match first; without ``q``, every dish by id."""
    query = select(Dish).options(selectinload(Dish.canteen))  # type: ignore[arg-type]
    phrase = " ".join((q or "").lower().split())
    for word in phrase.split():
        query = query.where(
            or_(
                func.lower(Dish.name_en).contains(word, autoescape=True),
                col(Dish.name_zh).contains(word, autoescape=True),
            )
        )
    dishes = list((await session.exec(query.order_by(col(Dish.id)))).all())
    if phrase:
        dishes.sort(key=lambda dish: _match_rank(dish, phrase))
    page = [dish_public(dish) for dish in dishes[offset : offset + limit]]
    return DishesPublic(data=page, count=len(page), total=len(dishes))


def _set_tags(dish: Dish, tags: Collection[DishTag]) -> None:
    for tag in DishTag:
        setattr(dish, tag.value, tag in tags)


async def create_dish(
    *, session: AsyncSession, editor: MealsEditor, body: DishCreate
) -> DishPublic:
    owner: Canteen | None = None
    if body.owner_canteen is not None:
        owner = (
            await session.exec(select(Canteen).where(Canteen.slug == body.owner_canteen))
        ).first()
        if owner is None:
            raise UnknownCanteen(f"owner_canteen '{body.owner_canteen}' names no canteen.")
        editor.check_canteen(owner.id)
    elif editor.canteen_id is not None:
        owner = await session.get(Canteen, editor.canteen_id)
    dish = Dish(
        **body.model_dump(mode="json", exclude={"tags", "owner_canteen"}),
        canteen_id=owner.id if owner else None,
    )
    _set_tags(dish, body.tags)
    dish.canteen = owner
    session.add(dish)
    await session.flush()
    return dish_public(dish)


async def update_dish(
    *, session: AsyncSession, editor: MealsEditor, dish_id: int, changes: DishUpdate
) -> DishPublic:
    dish = await get_dish(session=session, dish_id=dish_id)
    editor.check_canteen(dish.canteen_id)
    fields = changes.model_dump(mode="json", exclude_unset=True)
    tags = fields.pop("tags", dish.tags)
    contains_pork = fields.pop("contains_pork", dish.contains_pork)
    try:
        tags = check_labels(tags, contains_pork)
    except ValueError as exc:
        raise InconsistentDishLabels(f"{exc}; change tags and contains_pork together.") from exc
    for field, value in fields.items():
        setattr(dish, field, value)
    dish.contains_pork = contains_pork
    _set_tags(dish, tags)
    session.add(dish)
    await session.flush()
    return dish_public(dish)


# --- menus -----------------------------------------------------------------------------


async def load_day(*, session: AsyncSession, served_on: date) -> list[MenuPublic]:
    query = (
        select(Menu)
        .where(Menu.served_on == served_on)
        .options(
            selectinload(Menu.canteen),  # type: ignore[arg-type]
            selectinload(Menu.items)  # type: ignore[arg-type]
            .selectinload(MenuItem.dish)  # type: ignore[arg-type]
            .selectinload(Dish.canteen),  # type: ignore[arg-type]
        )
    )
    menus = sorted(
        (await session.exec(query)).all(),
        key=lambda menu: (menu.canteen_id, list(Meal).index(menu.meal)),
    )
    return [
        MenuPublic(
            id=menu.id,
            date=menu.served_on,
            meal=menu.meal,
            canteen=CanteenBrief.model_validate(menu.canteen),
            dishes=[dish_public(item.dish) for item in menu.items],
        )
        for menu in menus
    ]


async def day_menus(*, session: AsyncSession, cache: Cache, served_on: date) -> list[MenuPublic]:
    """Every menu of one day, canteen by canteen in meal order (cached)."""
    return await meals_cache.MEALS.cached(
        cache,
        meals_cache.day_menus_name(served_on),
        meals_cache.DAY_MENUS,
        lambda: load_day(session=session, served_on=served_on),
    )


def filter_menus(
    menus: list[MenuPublic],
    *,
    canteen: str | None = None,
    meal: Meal | None = None,
    tags: Collection[DishTag] = (),
    max_kcal: int | None = None,
    diets: Collection[str] | None = None,
    allergens: Collection[str] = (),
) -> list[MenuPublic]:
    """Menus of ``canteen`` and ``meal`` with only the dishes that carry every tag, stay
    within ``max_kcal`` and suit ``diets``/``allergens`` (when given). With a dish filter,
    a menu left without dishes is left out."""
    filters_dishes = bool(tags) or max_kcal is not None or diets is not None
    result = []
    for menu in menus:
        if (canteen is not None and menu.canteen.slug != canteen) or (
            meal is not None and menu.meal != meal
        ):
            continue
        dishes = [
            dish
            for dish in menu.dishes
            if all(tag in dish.tags for tag in tags)
            and (max_kcal is None or dish.kcal <= max_kcal)
            and (diets is None or suits(dish, diets=diets, allergens=allergens))
        ]
        if filters_dishes and not dishes:
            continue
        result.append(menu.model_copy(update={"dishes": dishes}))
    return result


async def list_menus(
    *,
    session: AsyncSession,
    cache: Cache,
    served_on: date,
    canteen: str | None = None,
    meal: Meal | None = None,
    tags: Collection[DishTag] = (),
    max_kcal: int | None = None,
    diets: Collection[str] | None = None,
    allergens: Collection[str] = (),
) -> MenusPublic:
    if canteen is not None:
        await find_canteen(session=session, cache=cache, slug=canteen)
    data = filter_menus(
        await day_menus(session=session, cache=cache, served_on=served_on),
        canteen=canteen,
        meal=meal,
        tags=tags,
        max_kcal=max_kcal,
        diets=diets,
        allergens=allergens,
    )
    return MenusPublic(data=data, count=len(data))


async def _lock_menu(
    *, session: AsyncSession, canteen_id: int, served_on: date, meal: Meal
) -> tuple[Menu, bool]:
    """The menu row, created if missing and locked for this transaction; True if created.

    INSERT … ON CONFLICT DO NOTHING and then SELECT … FOR UPDATE: two concurrent writers
    of one menu never both insert it (no unique-violation 500), and the second waits for
    the first to commit before it replaces the items (last writer wins). SQLite's
    ``BEGIN IMMEDIATE`` already serialises writers; the same statements work there.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = await session.scalar(
        insert(Menu)
        .values(canteen_id=canteen_id, served_on=served_on, meal=meal)
        .on_conflict_do_nothing(index_elements=["canteen_id", "served_on", "meal"])
        .returning(col(Menu.id))
    )
    query = (
        select(Menu)
        .where(Menu.canteen_id == canteen_id, Menu.served_on == served_on, Menu.meal == meal)
        .with_for_update()
        .options(selectinload(Menu.items))  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).one(), inserted is not None


async def replace_menu(
    *,
    session: AsyncSession,
    editor: MealsEditor,
    canteen_slug: str,
    served_on: date,
    meal: Meal,
    dish_ids: list[int],
) -> tuple[MenuPublic, bool]:
    """Create or replace one menu; True if it was created."""
    canteen = await get_canteen(session=session, slug=canteen_slug)
    editor.check_canteen(canteen.id)
    query = select(Dish).where(col(Dish.id).in_(dish_ids)).options(selectinload(Dish.canteen))  # type: ignore[arg-type]
    dishes = {dish.id: dish for dish in await session.exec(query)}
    if missing := [str(dish_id) for dish_id in dish_ids if dish_id not in dishes]:
        raise UnknownDishes(f"No dish with id {', '.join(missing)}; nothing was changed.")
    if foreign := [
        f"{dish_id} ({dishes[dish_id].name_en})"
        for dish_id in dish_ids
        if dishes[dish_id].canteen_id not in (None, canteen.id)
    ]:
        raise DishNotServedHere(
            f"Dish {', '.join(foreign)} belongs to another canteen's kitchen; nothing was changed."
        )
    menu, created = await _lock_menu(
        session=session, canteen_id=canteen.id, served_on=served_on, meal=meal
    )
    menu.items.clear()
    await session.flush()  # old items go before new ones reuse their keys
    menu.items = [
        MenuItem(dish_id=dish_id, position=position) for position, dish_id in enumerate(dish_ids)
    ]
    await session.flush()
    public = MenuPublic(
        id=menu.id,
        date=served_on,
        meal=meal,
        canteen=CanteenBrief.model_validate(canteen),
        dishes=[dish_public(dishes[dish_id]) for dish_id in dish_ids],
    )
    return public, created
