"""Unanswered questions: the student messages whose bot reply carried the
``{"unanswered": true}`` marker (fallback, out of scope, no relevant guidance article),
grouped so a dorm manager can write the missing guidance.

Grouping, kept simple on purpose: each message is analysed like a guidance query
(backend/dorms/analysis.py: English stems, Chinese character bigrams, stop words and
"dorm"/"宿舍" dropped); messages are taken oldest first and join the first group of the
same building and week whose first message shares at least half of the smaller term set
(overlap coefficient ≥ 0.5), else start a group. The group's id is its first message's id,
so it stays stable as later messages join.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import ChatMessage, Speaker
from backend.dorms import guidance
from backend.dorms.analysis import DOMAIN_EN, analyse
from backend.dorms.models import Building, GuidanceArticle
from backend.dorms.schemas import GuidanceCreate
from backend.dorms.service import current_room
from backend.unanswered.exceptions import UnansweredGroupNotFound
from backend.unanswered.schemas import UnansweredGroup, UnansweredGroups, week_start

MIN_OVERLAP = 0.5
EXAMPLES = 3
ALIASES = 10
_LONG_NUMBER = re.compile(r"\d{5,}")  # phone and student numbers


def key_terms(text: str) -> set[str]:
    analysed = analyse(text)
    terms = {word for word in analysed.words if word not in DOMAIN_EN and not word.isdigit()}
    for piece in analysed.pieces:
        if len(piece) == 1:
            terms.add(piece)
        terms.update(piece[i : i + 2] for i in range(len(piece) - 1))
    return terms


def masked(text: str) -> str:
    return _LONG_NUMBER.sub("…", text)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class _Group:
    id: int
    building_id: int | None
    seed: set[str]
    texts: list[str] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)


def _joins(seed: set[str], terms: set[str]) -> bool:
    if not seed or not terms:
        return seed == terms
    return len(seed & terms) >= MIN_OVERLAP * min(len(seed), len(terms))


async def _groups(
    session: AsyncSession, *, week: str, building_id: int | None, all_buildings: bool, tz: tzinfo
) -> list[_Group]:
    start = datetime.combine(week_start(week), time(0), tzinfo=tz)
    query = (
        select(ChatMessage)
        .where(
            ChatMessage.role == Speaker.student,
            col(ChatMessage.unanswered).is_(True),
            col(ChatMessage.text).is_not(None),
            col(ChatMessage.created_at) >= start,
            col(ChatMessage.created_at) < start + timedelta(days=7),
        )
        .order_by(col(ChatMessage.id))
    )
    homes: dict[tuple[int, date], int | None] = {}
    groups: list[_Group] = []
    for message in await session.exec(query):
        day = message.created_at.astimezone(tz).date()
        if (message.user_id, day) not in homes:
            home = await current_room(session=session, student_id=message.user_id, on=day)
            homes[message.user_id, day] = home[0].id if home else None
        home_id = homes[message.user_id, day]
        if not all_buildings and home_id != building_id:
            continue
        terms = key_terms(message.text or "")
        group = next(
            (g for g in groups if g.building_id == home_id and _joins(g.seed, terms)), None
        )
        if group is None:
            group = _Group(id=message.id, building_id=home_id, seed=terms)
            groups.append(group)
        group.texts.append(masked(message.text or ""))
        group.terms.update(terms)
    return groups


def _public(group: _Group, week: str, codes: dict[int, str]) -> UnansweredGroup:
    shared = [t for t, n in group.terms.most_common() if n * 2 >= len(group.texts)][:6]
    examples = list(dict.fromkeys(reversed(group.texts)))[:EXAMPLES]
    return UnansweredGroup(
        id=group.id,
        building_code=codes.get(group.building_id) if group.building_id else None,
        week=week,
        count=len(group.texts),
        terms=shared,
        examples=examples,
    )


async def list_groups(
    *,
    session: AsyncSession,
    week: str,
    building_id: int | None,
    all_buildings: bool,
    tz: tzinfo,
) -> UnansweredGroups:
    """The week's groups, the largest first (in one building, or every one)."""
    groups = await _groups(
        session, week=week, building_id=building_id, all_buildings=all_buildings, tz=tz
    )
    codes = await guidance.building_codes(session)
    data = [_public(g, week, codes) for g in sorted(groups, key=lambda g: (-len(g.texts), g.id))]
    return UnansweredGroups(data=data, count=len(data), week=week)


async def draft_article(
    *,
    session: AsyncSession,
    group_id: int,
    week: str,
    building: Building,
    author_id: int,
    tz: tzinfo,
) -> GuidanceArticle:
    """An unpublished article in ``building`` whose aliases are the group's questions (so
    the search finds it for them once it is published) and whose body the editor writes."""
    groups = await _groups(session, week=week, building_id=building.id, all_buildings=False, tz=tz)
    group = next((g for g in groups if g.id == group_id), None)
    if group is None:
        raise UnansweredGroupNotFound()
    public = _public(group, week, {building.id: building.code})
    about = ", ".join(public.terms[:4]) or public.examples[0][:60]
    questions = list(dict.fromkeys(group.texts))
    listed = "\n".join(f"- {text}" for text in questions[:10])
    body = GuidanceCreate(
        slug=f"draft-{building.code.lower()}-{week.lower()}-{group.id}",
        topic=f"unanswered-{group.id}",
        building_code=building.code,
        title_en=f"Draft: {about}"[:200],
        title_zh=f"草稿：{about}"[:200],
        summary_en=f"{public.count} student questions in {week} the assistant could not answer.",
        summary_zh=f"{week} 有 {public.count} 个学生问题助手未能回答。",
        body_en=f"Students asked:\n{listed}\n\nWrite the answer here.",
        body_zh=f"学生的问题：\n{listed}\n\n请在此填写答案。",
        tags=["unanswered"],
        aliases=[text[:64].strip() for text in questions[:ALIASES] if text.strip()],
    )
    article = await guidance.create_article(
        session=session, body=body, building_id=building.id, author_id=author_id
    )
    article.published = False
    session.add(article)
    await session.flush()
    return article
