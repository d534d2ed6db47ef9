"""Staff edits of a canteen's timetable: weekly opening hours, closures (holidays), and
copying a day's or a week's menus. Services add and flush; the route commits and then
invalidates the meal cache."""

from datetime import time, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.editors import MealsEditor
from backend.meals.exceptions import NothingToCopy
from backend.meals.models import Canteen, CanteenClosure, CanteenHours, Menu
from backend.meals.schemas import (
    CanteenBrief,
    MenuCopy,
    MenuCopyResult,
    OpeningHoursEdit,
    OpeningHoursPublic,
)
from backend.meals.service import closure_public, get_canteen, hours_public, replace_menu


async def _editable(session: AsyncSession, editor: MealsEditor, slug: str) -> Canteen:
    canteen = await get_canteen(session=session, slug=slug)
    editor.check_canteen(canteen.id)
    return canteen


async def _timetable(session: AsyncSession, canteen: Canteen) -> OpeningHoursPublic:
    query = (
        select(Canteen)
        .where(Canteen.id == canteen.id)
        .options(
            selectinload(Canteen.hours),  # type: ignore[arg-type]
            selectinload(Canteen.closures),  # type: ignore[arg-type]
        )
        .execution_options(populate_existing=True)
    )
    loaded = (await session.exec(query)).one()
    return OpeningHoursPublic(
        canteen=CanteenBrief.model_validate(loaded),
        hours=hours_public(loaded.hours),
        closures=[closure_public(closure) for closure in loaded.closures],
    )


async def read_hours(
    *, session: AsyncSession, editor: MealsEditor, slug: str
) -> OpeningHoursPublic:
    return await _timetable(session, await _editable(session, editor, slug))


async def replace_hours(
    *, session: AsyncSession, editor: MealsEditor, slug: str, body: OpeningHoursEdit
) -> OpeningHoursPublic:
    """Replace the weekly hours and the closures (the body is already consistent)."""
    canteen = await _editable(session, editor, slug)
    for model in (CanteenHours, CanteenClosure):
        for row in await session.exec(select(model).where(model.canteen_id == canteen.id)):
            await session.delete(row)
    await session.flush()  # old rows go before new ones reuse their (weekday, meal)
    session.add_all(
        [
            CanteenHours(
                canteen_id=canteen.id,
                weekday=service.weekday,
                meal=service.meal,
                opens=time.fromisoformat(service.opens),
                closes=time.fromisoformat(service.closes),
            )
            for service in body.hours
        ]
        + [
            CanteenClosure(
                canteen_id=canteen.id,
                closed_on=closure.date,
                meal=closure.meal,
                note_en=closure.note_en,
                note_zh=closure.note_zh,
            )
            for closure in body.closures
        ]
    )
    await session.flush()
    return await _timetable(session, canteen)


async def copy_menus(
    *, session: AsyncSession, editor: MealsEditor, slug: str, body: MenuCopy
) -> MenuCopyResult:
    """Each source menu replaces the same meal ``target - source`` days later."""
    canteen = await _editable(session, editor, slug)
    query = (
        select(Menu)
        .where(
            Menu.canteen_id == canteen.id,
            col(Menu.served_on) >= body.source,
            col(Menu.served_on) < body.source + timedelta(days=body.days),
        )
        .order_by(col(Menu.served_on), col(Menu.id))
        .options(selectinload(Menu.items))  # type: ignore[arg-type]
    )
    sources = [
        (menu.served_on, menu.meal, [item.dish_id for item in menu.items])
        for menu in await session.exec(query)
    ]
    if not sources:
        raise NothingToCopy(
            f"{canteen.slug} has no menus from {body.source.isoformat()} for {body.days} "
            f"day(s). {canteen.name_zh}在{body.source.isoformat()}起{body.days}天内没有菜单。"
        )
    shift = body.target - body.source
    copied, created = [], 0
    for served_on, meal, dish_ids in sources:
        menu, is_new = await replace_menu(
            session=session,
            editor=editor,
            canteen_slug=slug,
            served_on=served_on + shift,
            meal=meal,
            dish_ids=dish_ids,
        )
        copied.append(menu)
        created += is_new
    return MenuCopyResult(data=copied, count=len(copied), created=created)
