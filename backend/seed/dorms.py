"""Demo dormitory buildings and their rules, rooms, terms with move-in/move-out dates,
checklists, guidance articles, dorm managers and the students who live there."""

from datetime import date, time, timedelta
from typing import Any, NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.dorms.guidance import reindex
from backend.dorms.models import (
    AcademicTerm,
    Building,
    ChecklistItem,
    DueAnchor,
    GuidanceArticle,
    MoveKind,
    MoveWindow,
    Room,
    RoomAssignment,
)
from backend.identity.models import Locale, Role, Team, User
from backend.seed.dorms_guidance import ARTICLES
from backend.seed.identity import DEMO_PASSWORD
from backend.seed.students import student_seeds


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

_TOP_UP_EN = (
    "Electricity: campus app → Dorm → Utilities → Electricity, or the lobby kiosk. "
    "Water and hot water: charged to your campus card; top up in the app (Utilities → Water)."
)
_TOP_UP_ZH = (
    "电费：校园App→宿舍→水电缴费→电费，或一楼大厅自助机。"
    "水费和热水从校园卡扣费，在App（水电缴费→水费）充值。"
)
_VISITORS_EN = (
    "Visitors 08:00-22:00: register at the front desk with a photo ID; no overnight guests."
)
_VISITORS_ZH = "访客开放时间08:00-22:00，须持有效证件在值班室登记，不得留宿。"

# House rules per building; they match the building versions of the guidance articles.
BUILDING_INFO: dict[str, dict[str, Any]] = {
    "B3": {
        "quiet_starts": time(23, 0),
        "quiet_ends": time(7, 0),
        "door_locks_at": time(23, 30),
        "door_opens_at": time(6, 0),
        "visitor_rules_en": _VISITORS_EN,
        "visitor_rules_zh": _VISITORS_ZH,
        "laundry_en": "Room 103, ground floor: 6 washers, 3 dryers, 07:00-23:00; pay in the app.",
        "laundry_zh": "一楼103室：6台洗衣机、3台烘干机，07:00-23:00开放，App扫码支付。",
        "top_up_en": _TOP_UP_EN,
        "top_up_zh": _TOP_UP_ZH,
        "manager_name": "陈静 Chen Jing",
        "manager_phone": "021-6543-0301",
        "manager_email": "b3.manager@dorms.houqin.edu.cn",
        "manager_office_en": "Room 101, ground floor (weekdays 08:30-17:30)",
        "manager_office_zh": "一楼101室（工作日08:30-17:30）",
    },
    "B7": {
        "quiet_starts": time(22, 30),
        "quiet_ends": time(7, 0),
        "door_locks_at": time(23, 0),
        "door_opens_at": time(6, 0),
        "visitor_rules_en": _VISITORS_EN,
        "visitor_rules_zh": _VISITORS_ZH,
        "laundry_en": "Basement B1: 8 washers, 4 dryers, open 24 hours; pay in the app.",
        "laundry_zh": "地下一层（B1）：8台洗衣机、4台烘干机，24小时开放，App扫码支付。",
        "top_up_en": _TOP_UP_EN,
        "top_up_zh": _TOP_UP_ZH,
        "manager_name": "周敏 Zhou Min",
        "manager_phone": "021-6543-0701",
        "manager_email": "b7.manager@dorms.houqin.edu.cn",
        "manager_office_en": "Room 102, ground floor (weekdays 08:30-17:30)",
        "manager_office_zh": "一楼102室（工作日08:30-17:30）",
    },
    "B12": {
        "quiet_starts": time(23, 30),
        "quiet_ends": time(7, 30),
        "door_locks_at": time(0, 30),
        "door_opens_at": time(6, 0),
        "visitor_rules_en": (
            "Visitors 08:00-23:00: pre-register them in the campus app (Dorm → Visitors); "
            "no overnight guests."
        ),
        "visitor_rules_zh": "访客时间08:00-23:00，须通过校园App（宿舍→访客）预约登记，不得留宿。",
        "laundry_en": "Two washers at the east end of every floor (06:00-23:30); dryers on 1F.",
        "laundry_zh": "每层东侧洗衣角各两台洗衣机（06:00-23:30），烘干机在一楼。",
        "top_up_en": (
            "Smart meter: campus app → Dorm → Smart meter (15 kWh a month included). Water: "
            "charged to your campus card; top up in the app (Utilities → Water)."
        ),
        "top_up_zh": (
            "智能电表：校园App→宿舍→智能电表（每月含15度）。"
            "水费从校园卡扣费，在App（水电缴费→水费）充值。"
        ),
        "manager_name": "刘洋 Liu Yang",
        "manager_phone": "021-6543-1201",
        "manager_email": "b12.manager@dorms.houqin.edu.cn",
        "manager_office_en": "Room 105, ground floor (weekdays 08:30-17:30)",
        "manager_office_zh": "一楼105室（工作日08:30-17:30）",
    },
}


class TermSeed(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    starts_on: date
    ends_on: date


TERMS = [
    TermSeed("2026-spring", "Spring 2026", "2026年春季学期", date(2026, 2, 23), date(2026, 7, 10)),
    TermSeed("2026-autumn", "Autumn 2026", "2026年秋季学期", date(2026, 9, 7), date(2027, 1, 15)),
    TermSeed("2027-spring", "Spring 2027", "2027年春季学期", date(2027, 2, 22), date(2027, 7, 9)),
]
# (building code or None, kind, days from term start/end to the window's first and last day)
WINDOWS = [
    (None, MoveKind.move_in, -3, -1),
    (None, MoveKind.move_out, 1, 3),
    ("B7", MoveKind.move_in, -4, -2),  # Building 7 moves in a day early (staggered lifts)
    ("B12", MoveKind.move_in, -2, 2),  # graduate students: a longer, later window
    ("B12", MoveKind.move_out, 1, 7),
]
WINDOW_NOTES = {
    MoveKind.move_in: (
        "Front desk open 08:00-20:00 on move-in days.",
        "入住期间值班室08:00-20:00办理手续。",
    ),
    MoveKind.move_out: (
        "Checkout inspections 09:00-17:00; book at the front desk.",
        "退宿检查时间09:00-17:00，请到值班室预约。",
    ),
}


class ChecklistSeed(NamedTuple):
    kind: MoveKind
    building: str | None
    position: int
    text_en: str
    text_zh: str
    anchor: DueAnchor | None
    offset: int


_IN, _OUT, _OPENS, _CLOSES = MoveKind.move_in, MoveKind.move_out, DueAnchor.opens, DueAnchor.closes
CHECKLIST = [
    ChecklistSeed(
        _IN,
        None,
        10,
        "Pay the term's accommodation fee in the campus app.",
        "在校园App缴纳本学期住宿费。",
        _OPENS,
        -1,
    ),
    ChecklistSeed(
        _IN,
        None,
        20,
        "Check in at the front desk with your student ID; sign the housing agreement.",
        "携带学生证到值班室办理入住，签署住宿协议。",
        _CLOSES,
        0,
    ),
    ChecklistSeed(
        _IN,
        None,
        30,
        "Collect your room key and have your campus card activated for the doors.",
        "领取房间钥匙，激活校园卡门禁权限。",
        _CLOSES,
        0,
    ),
    ChecklistSeed(
        _IN,
        None,
        40,
        "Check the room against the inventory form and report any damage.",
        "对照物品清单检查房间，报告已有损坏。",
        _CLOSES,
        3,
    ),
    ChecklistSeed(
        _IN,
        None,
        50,
        "Top up the room's electricity and your campus card for water.",
        "为房间充电费，为校园卡充值水费。",
        None,
        0,
    ),
    ChecklistSeed(
        _IN,
        None,
        60,
        "Sign in to Campus-WiFi with your student number.",
        "用学号登录Campus-WiFi。",
        None,
        0,
    ),
    ChecklistSeed(
        _IN,
        None,
        70,
        "Attend your building's fire-safety briefing.",
        "参加本楼消防安全培训。",
        _CLOSES,
        7,
    ),
    ChecklistSeed(
        _IN,
        "B7",
        35,
        "Book a lift slot for heavy luggage at the front desk (Building 7 staggers move-in).",
        "到值班室预约搬运大件行李的电梯时段（7号楼错峰入住）。",
        _OPENS,
        0,
    ),
    ChecklistSeed(
        _IN,
        "B12",
        55,
        "Collect your kitchen fridge label and locker key (Building 12 shared kitchens).",
        "领取公共厨房冰箱标签和储物柜钥匙（12号楼）。",
        _CLOSES,
        0,
    ),
    ChecklistSeed(
        _OUT,
        None,
        10,
        "Book a checkout inspection at the front desk.",
        "到值班室预约退宿检查。",
        _CLOSES,
        -2,
    ),
    ChecklistSeed(
        _OUT,
        None,
        20,
        "Take all your belongings and clean the room and bathroom.",
        "带走全部个人物品，打扫房间和卫生间。",
        _CLOSES,
        0,
    ),
    ChecklistSeed(
        _OUT, None, 30, "Settle the room's electricity balance.", "结清房间电费。", _CLOSES, 0
    ),
    ChecklistSeed(
        _OUT,
        None,
        40,
        "Return your key and have your door access removed after the inspection.",
        "检查通过后交还钥匙并注销门禁。",
        _CLOSES,
        0,
    ),
    ChecklistSeed(
        _OUT, None, 50, "Update your parcel delivery address.", "更新快递收件地址。", None, 0
    ),
    ChecklistSeed(
        _OUT,
        "B12",
        45,
        "Empty your shelf in the shared kitchen fridge and return the locker key.",
        "清空公共厨房冰箱隔层，交还储物柜钥匙。",
        _CLOSES,
        0,
    ),
]


async def ensure_buildings(session: AsyncSession) -> bool:
    if (await session.exec(select(func.count()).select_from(Building))).one():
        return False
    for seed in BUILDINGS:
        building = Building(
            code=seed.code, name_en=seed.name_en, name_zh=seed.name_zh, **BUILDING_INFO[seed.code]
        )
        session.add(building)
        await session.flush()
        session.add_all(
            Room(building_id=building.id, number=f"{floor}{n:02d}", floor=floor)
            for floor in range(1, seed.floors + 1)
            for n in range(1, seed.rooms_per_floor + 1)
        )
    await session.flush()
    return True


async def _room(session: AsyncSession, code: str, number: str) -> Room:
    return (
        await session.exec(
            select(Room)
            .join(Building, col(Building.id) == col(Room.building_id))
            .where(Building.code == code, Room.number == number)
        )
    ).one()


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
        room = await _room(session, code, number)
        session.add(
            RoomAssignment(student_id=student.id, room_id=room.id, starts_on=SEMESTER_START)
        )
        added += 1
    await session.flush()
    return added


async def ensure_dorm_life(session: AsyncSession) -> str:
    """Everything else dorm-side, each part only where missing: safe to run on every start."""
    buildings = {b.code: b for b in (await session.exec(select(Building))).all()}
    for code, building in buildings.items():
        if not building.manager_name and code in BUILDING_INFO:  # seeded before rules existed
            for field, value in BUILDING_INFO[code].items():
                setattr(building, field, value)
            session.add(building)
    terms = await ensure_terms(session, buildings)
    items = await ensure_checklist(session, buildings)
    articles = await ensure_guidance(session, buildings)
    managers = await ensure_managers(session)
    students = await ensure_students(session)
    await session.flush()
    return (
        f"{terms} terms, {items} checklist items, {articles} guidance articles, "
        f"{managers} dorm managers, {students} students"
    )


async def ensure_terms(session: AsyncSession, buildings: dict[str, Building]) -> int:
    existing = set((await session.exec(select(AcademicTerm.code))).all())
    added = 0
    for seed in TERMS:
        if seed.code in existing:
            continue
        term = AcademicTerm(**seed._asdict())
        session.add(term)
        await session.flush()
        for code, kind, first, last in WINDOWS:
            if code is not None and code not in buildings:
                continue
            anchor = term.starts_on if kind == MoveKind.move_in else term.ends_on
            note_en, note_zh = WINDOW_NOTES[kind]
            session.add(
                MoveWindow(
                    term_id=term.id,
                    building_id=buildings[code].id if code else None,
                    kind=kind,
                    opens_on=anchor + timedelta(days=first),
                    closes_on=anchor + timedelta(days=last),
                    note_en=note_en,
                    note_zh=note_zh,
                )
            )
        added += 1
    return added


async def ensure_checklist(session: AsyncSession, buildings: dict[str, Building]) -> int:
    if (await session.exec(select(func.count()).select_from(ChecklistItem))).one():
        return 0
    rows = [
        ChecklistItem(
            kind=seed.kind,
            building_id=buildings[seed.building].id if seed.building else None,
            position=seed.position,
            text_en=seed.text_en,
            text_zh=seed.text_zh,
            due_anchor=seed.anchor,
            due_offset_days=seed.offset,
        )
        for seed in CHECKLIST
        if seed.building is None or seed.building in buildings
    ]
    session.add_all(rows)
    return len(rows)


async def ensure_guidance(session: AsyncSession, buildings: dict[str, Building]) -> int:
    existing = set((await session.exec(select(GuidanceArticle.slug))).all())
    added = 0
    for seed in ARTICLES:
        if seed.slug in existing or (seed.building and seed.building not in buildings):
            continue
        fields = {k: v for k, v in seed._asdict().items() if k != "building"}
        article = GuidanceArticle(
            **fields,
            building_id=buildings[seed.building].id if seed.building else None,
        )
        session.add(article)
        await session.flush()
        await reindex(session=session, article=article)
        added += 1
    return added


async def ensure_managers(session: AsyncSession) -> int:
    """One dorm manager account per building team (d0003, d0007, d0012)."""
    existing = set((await session.exec(select(User.username))).all())
    added, password_hash = 0, None
    for code, info in BUILDING_INFO.items():
        username = f"d{int(code[1:]):04d}"
        team = (await session.exec(select(Team).where(Team.slug == f"dorm-{code.lower()}"))).first()
        if username in existing or team is None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        session.add(
            User(
                username=username,
                name=str(info["manager_name"]),
                role=Role.dorm_manager,
                locale=Locale.zh,
                team_id=team.id,
                password_hash=password_hash,
            )
        )
        added += 1
    return added


async def ensure_students(session: AsyncSession) -> int:
    """The demo cohort; each new student gets the next bed free, building by building."""
    seeds = student_seeds()
    existing = set(
        (
            await session.exec(
                select(User.username).where(col(User.username).in_([s.username for s in seeds]))
            )
        ).all()
    )
    missing = [seed for seed in seeds if seed.username not in existing]
    if not missing:
        return 0
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
    users = [
        User(
            username=seed.username,
            name=seed.name,
            role=Role.student,
            locale=seed.locale,
            diets=seed.diets,
            allergens=seed.allergens,
            password_hash=password_hash,
        )
        for seed in missing
    ]
    session.add_all(users)
    await session.flush()
    beds = await _free_beds(session)
    for index, user in enumerate(users):
        queue = beds[index % len(beds)] or next(q for q in beds if q)
        session.add(
            RoomAssignment(student_id=user.id, room_id=queue.pop(0), starts_on=SEMESTER_START)
        )
    return len(users)


async def _free_beds(session: AsyncSession) -> list[list[int]]:
    """Per building (in seed order), a room id per free bed, floors 2 and up, in order."""
    occupied = dict(
        (
            await session.exec(
                select(RoomAssignment.room_id, func.count())
                .where(col(RoomAssignment.ends_on).is_(None))
                .group_by(col(RoomAssignment.room_id))
            )
        ).all()
    )
    queues = []
    for seed in BUILDINGS:
        rooms = (
            await session.exec(
                select(Room)
                .join(Building, col(Building.id) == col(Room.building_id))
                .where(Building.code == seed.code, Room.floor >= 2)
                .order_by(col(Room.floor), col(Room.number))
            )
        ).all()
        queues.append(
            [room.id for room in rooms for _ in range(room.capacity - occupied.get(room.id, 0))]
        )
    return queues
