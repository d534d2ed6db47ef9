"""Demo repairs: maintenance technicians, and months of historical tickets.

Deterministic for a given ``today``: the same tickets, histories and people every time.
Every history is a legal walk through the state machine (``transitions.MOVES``), made by
the right people (the crew's technicians, the reporter, sometimes the office or the bot
for the reporter), with increasing timestamps, none after the seed's "now". The demo
students get a fixed handful of tickets so the assistant always has something to show.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import insert
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.dorms.models import Building, Room
from backend.dorms.service import current_room
from backend.identity.models import Locale, Role, Team, TeamKind, Trade, User
from backend.repairs.config import RepairsSettings
from backend.repairs.models import (
    RepairAction,
    RepairCategory,
    RepairEvent,
    RepairPriority,
    RepairStatus,
    RepairTicket,
)
from backend.repairs.service import responsible_team
from backend.repairs.transitions import MOVES
from backend.seed.identity import DEMO_PASSWORD

A = RepairAction
C = RepairCategory
S = RepairStatus
DEFAULT_TICKETS = 320
HISTORY_DAYS = 180
SEED = "houqin-repairs-v1"


class TechnicianSeed(NamedTuple):
    username: str
    name: str
    locale: Locale
    trade: Trade


# Staff numbers t1xxx are maintenance (t0001, the first demo account, is an electrician).
TECHNICIANS = [
    TechnicianSeed("t1001", "刘建国 Liu Jianguo", Locale.zh, Trade.electrical),
    TechnicianSeed("t1002", "陈明 Chen Ming", Locale.zh, Trade.electrical),
    TechnicianSeed("t1011", "张海 Zhang Hai", Locale.zh, Trade.plumbing),
    TechnicianSeed("t1012", "赵立 Zhao Li", Locale.zh, Trade.plumbing),
    TechnicianSeed("t1021", "孙木 Sun Mu", Locale.zh, Trade.carpentry),
    TechnicianSeed("t1022", "周强 Zhou Qiang", Locale.zh, Trade.carpentry),
    TechnicianSeed("t1031", "吴凉 Wu Liang", Locale.zh, Trade.hvac),
    TechnicianSeed("t1032", "郑暖 Zheng Nuan", Locale.zh, Trade.hvac),
    TechnicianSeed("t1041", "Kevin Lin 林凯", Locale.en, Trade.network),
    TechnicianSeed("t1042", "黄网 Huang Wang", Locale.zh, Trade.network),
    TechnicianSeed("t1051", "何电 He Dian", Locale.zh, Trade.appliance),
    TechnicianSeed("t1052", "马器 Ma Qi", Locale.zh, Trade.appliance),
    TechnicianSeed("t1061", "钱工 Qian Gong", Locale.zh, Trade.general),
    TechnicianSeed("t1062", "冯修 Feng Xiu", Locale.zh, Trade.general),
]

# Students who reported the historical tickets (class of 2023: s2023xxxx).
REPORTERS = 40
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "婷", "杰", "欣"]

# (English, Chinese) descriptions per category.
DESCRIPTIONS: dict[RepairCategory, list[tuple[str, str]]] = {
    C.electrical: [
        ("The ceiling light keeps flickering.", "天花板的灯一直在闪。"),
        ("The socket next to my desk has no power.", "书桌旁边的插座没电了。"),
        ("The circuit breaker trips whenever we use the kettle.", "一用电热水壶就跳闸。"),
        ("The bathroom light switch is loose and sparks.", "卫生间电灯开关松了，还冒火花。"),
        ("The corridor lights on our floor are out.", "我们楼层走廊的灯不亮了。"),
    ],
    C.plumbing: [
        ("The bathroom tap keeps dripping.", "卫生间水龙头一直滴水。"),
        ("The toilet will not stop running.", "马桶一直在流水，停不下来。"),
        ("The shower drain is blocked and water pools.", "淋浴下水道堵了，地上积水。"),
        ("There is no hot water in the shower.", "洗澡没有热水。"),
        ("Water is leaking under the sink.", "洗手池下面漏水。"),
    ],
    C.furniture: [
        ("A bed slat is broken.", "床板断了一根。"),
        ("The wardrobe door has come off its hinge.", "衣柜门的合页掉了。"),
        ("The desk drawer is stuck.", "书桌抽屉卡住拉不开。"),
        ("The chair leg is cracked.", "椅子腿裂了。"),
        ("The bookshelf above the desk is loose.", "书桌上方的书架松动了。"),
    ],
    C.network: [
        ("The wired network port gives no connection.", "宿舍网口插上网线没有反应。"),
        ("Campus Wi-Fi keeps dropping in our room.", "房间里校园网Wi-Fi经常掉线。"),
        ("Very slow internet every evening.", "每天晚上网速特别慢。"),
        ("Cannot log in to the campus network portal.", "校园网认证页面登录不了。"),
    ],
    C.air_conditioning: [
        ("The air conditioner does not cool.", "空调不制冷。"),
        ("The air conditioner is leaking water.", "空调漏水。"),
        ("The radiator stays cold.", "暖气片不热。"),
        ("The AC remote does not work and the unit beeps.", "空调遥控器没反应，机器一直响。"),
        ("The AC makes a loud rattling noise.", "空调运行时噪音很大。"),
    ],
    C.appliance: [
        ("The water heater shows an error code.", "热水器显示故障代码。"),
        ("The washing machine on our floor will not drain.", "我们楼层的洗衣机不排水。"),
        ("The drinking water dispenser is not heating.", "饮水机不加热了。"),
        ("The exhaust fan in the bathroom does not turn.", "卫生间排气扇不转。"),
    ],
    C.door_lock: [
        ("The door lock is jammed; the key will not turn.", "门锁卡住了，钥匙拧不动。"),
        ("The card reader on our door does not respond.", "门禁刷卡没反应。"),
        ("The door does not close properly.", "宿舍门关不严。"),
        ("The balcony door handle is broken.", "阳台门把手坏了。"),
    ],
    C.other: [
        ("The window will not close fully.", "窗户关不严。"),
        ("Paint is peeling and there is mould on the wall.", "墙面掉漆，还有霉斑。"),
        ("The mosquito screen is torn.", "纱窗破了。"),
        ("The curtain rail has fallen down.", "窗帘轨道掉下来了。"),
    ],
}
SHARED_AREAS = [
    ("1F laundry room", "一楼洗衣房"),
    ("3F corridor", "三楼走廊"),
    ("Stairwell B", "B楼梯间"),
    ("Ground-floor entrance", "一楼大门"),
    ("Study room 2F", "二楼自习室"),
]
HOLD_REASONS = [
    "Waiting for a replacement part / 等待配件",
    "Student not in the room at the agreed time / 约定时间宿舍无人",
    "Needs an outside contractor / 需外包单位维修",
    "Waiting for the building water supply to be shut off / 等待停水后维修",
]
STAFF_NOTES = [
    "On my way / 马上到",
    "Replaced the faulty part / 已更换故障部件",
    "Fixed, please check / 已修好，请确认",
    None,
    None,
]
STUDENT_NOTES = ["Thanks! 谢谢！", "Works now. 好了。", None, None, "修好了，谢谢师傅"]
REOPEN_NOTES = [
    "Still broken / 还是坏的",
    "It happened again the next day / 第二天又坏了",
    "Only half fixed / 只修好了一半",
]

# Final statuses for old tickets (weeks ago) and recent ones (this fortnight).
OLD_OUTCOMES = [(S.closed, 82), (S.cancelled, 10), (S.completed, 8)]
RECENT_OUTCOMES = [
    (S.submitted, 16),
    (S.assigned, 14),
    (S.in_progress, 14),
    (S.on_hold, 10),
    (S.completed, 16),
    (S.reopened, 6),
    (S.closed, 16),
    (S.cancelled, 8),
]
PRIORITIES = [
    (RepairPriority.emergency, 5),
    (RepairPriority.high, 20),
    (RepairPriority.normal, 60),
    (RepairPriority.low, 15),
]
CATEGORIES = [
    (C.electrical, 18),
    (C.plumbing, 20),
    (C.furniture, 12),
    (C.network, 12),
    (C.air_conditioning, 14),
    (C.appliance, 8),
    (C.door_lock, 9),
    (C.other, 7),
]
# Typical hours before each move (low, high), scaled down for urgent tickets.
DELAYS: dict[RepairAction, tuple[float, float]] = {
    A.assign: (0.2, 8),
    A.start: (0.5, 24),
    A.hold: (0.2, 2),
    A.resume: (12, 96),
    A.complete: (0.3, 6),
    A.confirm: (1, 72),
    A.reopen: (2, 48),
    A.cancel: (0.5, 24),
}
URGENCY = {
    RepairPriority.emergency: 0.1,
    RepairPriority.high: 0.4,
    RepairPriority.normal: 1.0,
    RepairPriority.low: 1.6,
}


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _path(rng: random.Random, outcome: RepairStatus) -> list[RepairAction]:
    """A legal sequence of moves from submitted to ``outcome``, with realistic detours."""
    work = [A.assign, A.start]
    if rng.random() < 0.2:
        work += [A.hold, A.resume]
    work.append(A.complete)
    if outcome == S.submitted:
        return []
    if outcome == S.assigned:
        return [A.assign]
    if outcome == S.in_progress:
        return [A.assign, A.start] + ([A.hold, A.resume] if rng.random() < 0.2 else [])
    if outcome == S.on_hold:
        return [A.assign, A.start, A.hold]
    if outcome == S.completed:
        return work
    if outcome == S.reopened:
        return [*work, A.reopen]
    if outcome == S.cancelled:
        return rng.choice([[A.cancel], [A.assign, A.cancel], [A.assign, A.start, A.hold, A.cancel]])
    # closed, sometimes after a rework
    if rng.random() < 0.12:
        return [*work, A.reopen, A.start, A.complete, A.confirm]
    return [*work, A.confirm]


@dataclass
class Cast:
    """The people the seed needs, by role."""

    admin: User | None
    reporters: list[User]
    technicians: dict[int, list[User]]  # team id → technicians
    places: list[tuple[Building, Room]]


@lru_cache
def _demo_password_hash() -> str:
    """One argon2 hash for every seeded account (hashing is deliberately slow)."""
    return hash_password(DEMO_PASSWORD)


async def ensure_technicians(session: AsyncSession) -> int:
    """At least two technicians in every maintenance crew (plus t0001, an electrician)."""
    existing = set((await session.exec(select(User.username))).all())
    missing = [tech for tech in TECHNICIANS if tech.username not in existing]
    if not missing:
        return 0
    crews = {
        team.trade: team.id
        for team in (
            await session.exec(select(Team).where(Team.kind == TeamKind.maintenance))
        ).all()
        if team.building_id is None
    }
    password_hash = _demo_password_hash()
    session.add_all(
        User(
            username=tech.username,
            name=tech.name,
            role=Role.technician,
            locale=tech.locale,
            team_id=crews[tech.trade],
            password_hash=password_hash,
        )
        for tech in missing
        if tech.trade in crews
    )
    await session.flush()
    return len(missing)


async def ensure_reporters(session: AsyncSession) -> int:
    usernames = [f"s2023{n:04d}" for n in range(1, REPORTERS + 1)]
    existing = set(
        (await session.exec(select(User.username).where(col(User.username).in_(usernames)))).all()
    )
    missing = [name for name in usernames if name not in existing]
    if not missing:
        return 0
    password_hash = _demo_password_hash()
    for username in missing:
        n = int(username[-4:])
        zh = n % 3 != 0
        surname, given = SURNAMES[n % len(SURNAMES)], GIVEN[(n * 7) % len(GIVEN)]
        session.add(
            User(
                username=username,
                name=f"{surname}{given}" if zh else f"Student {surname}{given} #{n}",
                role=Role.student,
                locale=Locale.zh if zh else Locale.en,
                password_hash=password_hash,
            )
        )
    await session.flush()
    return len(missing)


async def _cast(session: AsyncSession) -> Cast:
    reporters = (
        await session.exec(
            select(User).where(col(User.username).like("s2023%")).order_by(col(User.username))
        )
    ).all()
    admin = (
        await session.exec(
            select(User).where(User.role == Role.logistics_admin).order_by(col(User.id))
        )
    ).first()
    technicians: dict[int, list[User]] = {}
    for tech in (
        await session.exec(
            select(User)
            .where(User.role == Role.technician, col(User.is_active))
            .order_by(col(User.username))
        )
    ).all():
        if tech.team_id is not None:
            technicians.setdefault(tech.team_id, []).append(tech)
    places = list(
        (
            await session.exec(
                select(Building, Room)
                .join(Room, col(Room.building_id) == col(Building.id))
                .order_by(col(Building.code), col(Room.number))
            )
        ).all()
    )
    return Cast(admin=admin, reporters=list(reporters), technicians=technicians, places=places)


@dataclass
class Planned:
    ticket: dict[str, Any]
    events: list[dict[str, Any]]


class Planner:
    """Plans tickets and their histories in memory; rows are inserted in bulk."""

    def __init__(self, session: AsyncSession, cast: Cast, now: datetime) -> None:
        self.session = session
        self.cast = cast
        self.now = now
        self.sla = RepairsSettings()
        self._teams: dict[tuple[RepairCategory, int | None], Team | None] = {}

    async def team(self, category: RepairCategory, building_id: int | None) -> Team | None:
        key = (category, building_id)
        if key not in self._teams:
            self._teams[key] = await responsible_team(
                session=self.session, category=category, building_id=building_id
            )
        return self._teams[key]

    async def plan(
        self,
        rng: random.Random,
        *,
        reporter: User,
        category: RepairCategory,
        priority: RepairPriority,
        place: tuple[Building, Room | None],
        note: str | None,
        outcome: RepairStatus,
        latest_start: datetime,
        earliest_start: datetime,
    ) -> Planned | None:
        building, room = place
        team = await self.team(category, building.id)
        crew = self.cast.technicians.get(team.id, []) if team else []
        path = _path(rng, outcome)
        if not crew and any(move in (A.assign, A.start) for move in path):
            return None  # nobody could have done the work
        scale = URGENCY[priority]
        gaps = [
            timedelta(hours=rng.uniform(*DELAYS[move]) * (scale if move != A.confirm else 1))
            for move in path
        ]
        total = sum(gaps, timedelta())
        latest = min(latest_start, self.now - total - timedelta(minutes=5))
        if latest <= earliest_start:
            return None
        span = (latest - earliest_start).total_seconds()
        created = earliest_start + timedelta(seconds=rng.uniform(0, span))
        created = created.replace(microsecond=0)
        en, zh = rng.choice(DESCRIPTIONS[category])
        style = rng.random()
        description = zh if style < 0.6 else en if style < 0.9 else f"{zh} / {en}"
        ticket: dict[str, Any] = {
            "reporter_id": reporter.id,
            "category": category,
            "priority": priority,
            "status": S.submitted,
            "description": description,
            "building_id": building.id,
            "room_id": room.id if room else None,
            "location_note": note,
            "team_id": team.id if team else None,
            "assignee_id": None,
            "due_at": created + self.sla.sla(priority),
            "created_at": created,
            "updated_at": created,
        }
        events = [self._event(created, reporter, A.submit, None, S.submitted, rng)]
        at = created
        technician = rng.choice(crew) if crew else None
        for move, gap in zip(path, gaps, strict=True):
            at = at + gap
            step = MOVES[move]
            status: RepairStatus = ticket["status"]
            assert status in step.sources, (status, move)  # the seed only walks legal paths
            actor = self._actor(rng, move, reporter, technician)
            event = self._event(at, actor, move, status, step.target, rng)
            if move == A.assign:
                assert technician is not None
                ticket["assignee_id"] = event["assignee_id"] = technician.id
            elif move == A.reopen:
                ticket["due_at"] = at + self.sla.sla(priority)
            events.append(event)
            ticket["status"] = step.target
            ticket["updated_at"] = at
        assert ticket["status"] == outcome
        return Planned(ticket=ticket, events=events)

    def _actor(
        self, rng: random.Random, move: RepairAction, reporter: User, technician: User | None
    ) -> User:
        if move in (A.cancel, A.confirm, A.reopen):
            return reporter
        if move == A.assign and self.cast.admin is not None and rng.random() < 0.15:
            return self.cast.admin  # the office dispatches some tickets itself
        assert technician is not None
        return technician

    def _event(
        self,
        at: datetime,
        actor: User,
        move: RepairAction,
        source: RepairStatus | None,
        target: RepairStatus,
        rng: random.Random,
    ) -> dict[str, Any]:
        if move == A.reopen:
            note: str | None = rng.choice(REOPEN_NOTES)
        elif move in (A.confirm, A.cancel):
            note = rng.choice(STUDENT_NOTES)
        elif move == A.submit:
            note = None
        else:
            note = rng.choice(STAFF_NOTES)
        return {
            "at": at,
            "actor_id": actor.id,
            "actor_role": actor.role,
            "via_bot": actor.role == Role.student and rng.random() < 0.25,
            "action": move,
            "from_status": source,
            "to_status": target,
            "note": note,
            "reason": rng.choice(HOLD_REASONS) if move == A.hold else None,
            "assignee_id": None,
        }


async def _insert(session: AsyncSession, planned: list[Planned]) -> None:
    """Bulk insert (the bench seeds tens of thousands of tickets)."""
    chunk = 500
    for start in range(0, len(planned), chunk):
        batch = planned[start : start + chunk]
        result = await session.exec(
            insert(RepairTicket).returning(col(RepairTicket.id), sort_by_parameter_order=True),
            params=[p.ticket for p in batch],
        )
        ids = [row[0] for row in result.all()]
        events = [
            {**event, "ticket_id": ticket_id}
            for ticket_id, p in zip(ids, batch, strict=True)
            for event in p.events
        ]
        await session.exec(insert(RepairEvent), params=events)


async def _demo_students(session: AsyncSession, today: date) -> list[tuple[User, Building, Room]]:
    homes = []
    for username in ("s20240001", "s20240002"):
        student = (await session.exec(select(User).where(User.username == username))).first()
        if student is None:
            continue
        home = await current_room(session=session, student_id=student.id, on=today)
        if home is not None:
            homes.append((student, *home))
    return homes


# The demo students' tickets: (days ago, category, priority, outcome).
DEMO_TICKETS = [
    [
        (0.2, C.plumbing, RepairPriority.high, S.in_progress),
        (2, C.electrical, RepairPriority.normal, S.completed),
        (40, C.network, RepairPriority.normal, S.closed),
    ],
    [
        (0.1, C.network, RepairPriority.normal, S.submitted),
        (3, C.air_conditioning, RepairPriority.high, S.on_hold),
        (60, C.door_lock, RepairPriority.high, S.closed),
    ],
]


async def ensure_repairs(
    session: AsyncSession, today: date, *, tickets: int = DEFAULT_TICKETS
) -> int:
    """Technicians, reporters and ``tickets`` historical tickets, once. Returns tickets added."""
    await ensure_technicians(session)
    await ensure_reporters(session)
    if (await session.exec(select(func.count()).select_from(RepairTicket))).one():
        return 0
    return await add_history(session, today, tickets=tickets, with_demo_students=True)


async def add_history(
    session: AsyncSession,
    today: date,
    *,
    tickets: int,
    with_demo_students: bool = False,
    seed: str = SEED,
) -> int:
    """Add ``tickets`` historical tickets (the benchmark adds thousands). Needs the
    technicians and reporters (``ensure_technicians``, ``ensure_reporters``)."""
    cast = await _cast(session)
    if not cast.reporters or not cast.places:
        return 0
    # The seed's "now": midnight UTC of ``today`` (08:00 in Shanghai); nothing happens later.
    now = datetime.combine(today, time(0, 0), tzinfo=UTC)
    rng = random.Random(f"{seed}/{today.isoformat()}")
    planner = Planner(session, cast, now)
    planned: list[Planned] = []
    start = now - timedelta(days=HISTORY_DAYS)
    demo_students = await _demo_students(session, today) if with_demo_students else []
    for (student, building, room), demo in zip(demo_students, DEMO_TICKETS, strict=False):
        for days_ago, category, priority, outcome in demo:
            latest = now - timedelta(days=days_ago)
            item = await planner.plan(
                rng,
                reporter=student,
                category=category,
                priority=priority,
                place=(building, room),
                note=None,
                outcome=outcome,
                latest_start=latest,
                earliest_start=latest - timedelta(hours=6),
            )
            if item is not None:
                planned.append(item)
    recent = now - timedelta(days=14)
    for _ in range(tickets * 3):  # bounded: a crew without technicians skips its tickets
        if len(planned) >= tickets:
            break
        is_recent = rng.random() < 0.25
        outcome = _pick(rng, RECENT_OUTCOMES if is_recent else OLD_OUTCOMES)
        building, room = rng.choice(cast.places)
        shared = rng.random() < 0.12
        note = None
        if shared:
            en, zh = rng.choice(SHARED_AREAS)
            note = rng.choice([en, zh])
        elif rng.random() < 0.15:
            note = rng.choice(["bathroom / 卫生间", "balcony / 阳台", "near the window / 靠窗"])
        item = await planner.plan(
            rng,
            reporter=rng.choice(cast.reporters),
            category=_pick(rng, CATEGORIES),
            priority=_pick(rng, PRIORITIES),
            place=(building, None if shared else room),
            note=note,
            outcome=outcome,
            latest_start=now if is_recent else recent,
            earliest_start=recent if is_recent else start,
        )
        if item is not None:
            planned.append(item)
    planned.sort(key=lambda p: p.ticket["created_at"])  # ids follow time, like real tickets
    await _insert(session, planned)
    return len(planned)
