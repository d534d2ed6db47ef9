from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.exceptions import CanteenNotFound
from backend.meals.models import Canteen, Meal, Menu, MenuItem
from backend.meals.schemas import CanteenBrief, DishBrief, MenuPublic, MenusPublic


async def get_canteen(*, session: AsyncSession, slug: str) -> Canteen:
    canteen = (await session.exec(select(Canteen).where(Canteen.slug == slug))).first()
    if canteen is None:
        raise CanteenNotFound(f"No canteen '{slug}'; GET /api/v1/canteens lists them.")
    return canteen


async def list_menus(
    *, session: AsyncSession, served_on: date, canteen: str | None, meal: Meal | None
) -> MenusPublic:
    query = (
        select(Menu)
        .where(Menu.served_on == served_on)
        .options(
            selectinload(Menu.canteen),  # type: ignore[arg-type]
            selectinload(Menu.items).selectinload(MenuItem.dish),  # type: ignore[arg-type]
        )
    )
    if canteen is not None:
        query = query.where(
            Menu.canteen_id == (await get_canteen(session=session, slug=canteen)).id
        )
    if meal is not None:
        query = query.where(Menu.meal == meal)
    menus = sorted(
        (await session.exec(query)).all(),
        key=lambda menu: (menu.canteen_id, list(Meal).index(menu.meal)),
    )
    data = [
        MenuPublic(
            id=menu.id,
            date=menu.served_on,
            meal=menu.meal,
            canteen=CanteenBrief.model_validate(menu.canteen),
            dishes=[DishBrief.model_validate(item.dish) for item in menu.items],
        )
        for menu in menus
    ]
    return MenusPublic(data=data, count=len(data))
