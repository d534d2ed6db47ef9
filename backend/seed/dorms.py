"""Demo dormitory buildings, rooms, and where the demo students live."""

from datetime import date
from typing import NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import User


class BuildingSeed(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    floors: int
    rooms_per_floor: int


BUILDINGS = [
    BuildingSeed("B3", "Building 3 (Osmanthus)", "3号楼（桂园）", 6, 20),
    BuildingSeed("B7", "Building 7 (Bamboo)", "7号楼（竹园）", 6, 20),
    BuildingSeed("B12", "Building 12 (Maple)", "12号楼（枫园）", 8, 24),
]
# Demo students' rooms: (username, building code, room number).
HOMES = [("s20240001", "B7", "312"), ("s20240002", "B3", "204")]
SEMESTER_START = date(2026, 9, 1)


async def ensure_buildings(session: AsyncSession) -> bool:
    if (await session.exec(select(func.count()).select_from(Building))).one():
        return False
    for seed in BUILDINGS:
        building = Building(code=seed.code, name_en=seed.name_en, name_zh=seed.name_zh)
        session.add(building)
        await session.flush()
        session.add_all(
            Room(building_id=building.id, number=f"{floor}{n:02d}", floor=floor)
            for floor in range(1, seed.floors + 1)
            for n in range(1, seed.rooms_per_floor + 1)
        )
    await session.flush()
    return True


async def ensure_homes(session: AsyncSession) -> int:
    """Give each demo student without a room their demo room."""
    added = 0
    for username, code, number in HOMES:
        student = (await session.exec(select(User).where(User.username == username))).first()
        if student is None:
            continue
        housed = (
            await session.exec(
                select(RoomAssignment).where(RoomAssignment.student_id == student.id)
            )
        ).first()
        if housed is not None:
            continue
        room = (
            await session.exec(
                select(Room)
                .join(Building, col(Building.id) == col(Room.building_id))
                .where(Building.code == code, Room.number == number)
            )
        ).one()
        session.add(
            RoomAssignment(student_id=student.id, room_id=room.id, starts_on=SEMESTER_START)
        )
        added += 1
    return added
