from datetime import date

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room, RoomAssignment


async def current_room(
    *, session: AsyncSession, student_id: int, on: date
) -> tuple[Building, Room] | None:
    """Where the student lives on ``on`` (None if nowhere on campus)."""
    query = (
        select(Building, Room)
        .join(Room, col(Room.building_id) == col(Building.id))
        .join(RoomAssignment, col(RoomAssignment.room_id) == col(Room.id))
        .where(
            RoomAssignment.student_id == student_id,
            RoomAssignment.starts_on <= on,
            or_(col(RoomAssignment.ends_on).is_(None), col(RoomAssignment.ends_on) >= on),
        )
        .order_by(col(RoomAssignment.starts_on).desc())
    )
    row = (await session.exec(query)).first()
    return (row[0], row[1]) if row else None
