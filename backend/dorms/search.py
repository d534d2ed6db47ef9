"""Guidance search: BM25 over the ``guidance_terms`` inverted index, ranked in Python.

1. The query is analysed like the articles (``analysis``): English stems, Chinese
   bigrams and unigrams. An English word the index does not know is replaced by known
   words one or two edits away or that it is a prefix of ("laundary" → laundry,
   "elec" → electricity), at a discount.
2. Only the postings of those terms are fetched (one ``IN`` query), so the database does
   nothing dialect-specific; BM25 (k1=1.2, b=0.75) with field-weighted term frequencies
   is computed here, identically on SQLite and PostgreSQL.
3. Relevance is explicit: an article is relevant only if it explains at least
   ``MIN_COVERAGE`` of the query's units (words / Han characters) and scores at least
   ``MIN_SCORE``. Nothing relevant → no results, never a guess.
4. Building first: the reader's building (or one the query names) is the perspective.
   Its version of a rule scores at least what the general version scores, times
   ``OWN_BUILDING_BOOST``; the general version it overrides and other buildings'
   versions are multiplied by ``DEMOTION``.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.generations import JSON
from backend.dorms import caching
from backend.dorms.analysis import analyse, edit_distance, is_han, normalise
from backend.dorms.models import Building, GuidanceArticle, GuidanceTerm

K1 = 1.2
B = 0.75
BIGRAM_WEIGHT = 1.0
WORD_WEIGHT = 1.0
UNIGRAM_WEIGHT = 0.3  # a single character of a longer piece: weak evidence
LONE_CHAR_WEIGHT = 0.8  # a piece of one character ("充" in 电费怎么充): its only evidence
UNIGRAM_COVERAGE = 0.25  # "学费" is not explained by an article that mentions 学 and 费
PREFIX_WEIGHT = 0.8
TYPO_WEIGHT = 0.7
MAX_EXPANSIONS = 3
# Relevance: both must hold (tests/backend/dorms/test_search_quality.py calibrates them).
MIN_COVERAGE = 0.6
MIN_SCORE = 2.0
OWN_BUILDING_BOOST = 1.5
DEMOTION = 0.5


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    unit: str  # the query word or character piece it came from
    how: str  # exact | prefix | typo | unigram


@dataclass
class Hit:
    article_id: int
    topic: str
    building_id: int | None
    bm25: float
    coverage: float
    matched: list[str]
    relevant: bool
    score: float = 0.0
    why: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    perspective_building_id: int | None
    terms: list[QueryTerm]
    hits: list[Hit]  # every candidate, relevant first, best first


async def _vocabulary(session: AsyncSession, cache: Cache) -> list[str]:
    async def load() -> list[str]:
        terms = await session.exec(select(GuidanceTerm.term).distinct())
        return sorted(term for term in terms.all() if not is_han(term))

    vocabulary: list[str] = await caching.GUIDANCE.cached(cache, "vocabulary", JSON, load)
    return vocabulary


async def _stats(session: AsyncSession, cache: Cache) -> tuple[int, float]:
    async def load() -> list[float]:
        count, average = (
            await session.exec(
                select(func.count(), func.avg(GuidanceArticle.indexed_length))
                .select_from(GuidanceArticle)
                .where(col(GuidanceArticle.published))
            )
        ).one()
        return [float(count), float(average or 0.0)]

    count, average = await caching.GUIDANCE.cached(cache, "stats", JSON, load)
    return int(count), average


def _expand(word: str, vocabulary: list[str]) -> list[QueryTerm]:
    """Known words close to an unknown one: a completion, or a typo's correction."""
    candidates: list[tuple[int, int, str, str]] = []
    limit = 0 if len(word) < 4 else 1 if len(word) < 7 else 2
    for known in vocabulary:
        if len(word) >= 3 and known.startswith(word) and len(known) > len(word):
            candidates.append((0, len(known) - len(word), known, "prefix"))
        elif limit and (distance := edit_distance(word, known, limit)) <= limit:
            candidates.append((distance, abs(len(known) - len(word)), known, "typo"))
    candidates.sort()
    return [
        QueryTerm(known, PREFIX_WEIGHT if how == "prefix" else TYPO_WEIGHT, word, how)
        for _, _, known, how in candidates[:MAX_EXPANSIONS]
    ]


async def _postings(session: AsyncSession, terms: set[str]) -> dict[str, dict[int, float]]:
    by_term: dict[str, dict[int, float]] = defaultdict(dict)
    if not terms:
        return by_term
    rows = await session.exec(
        select(GuidanceTerm.term, GuidanceTerm.article_id, GuidanceTerm.weight)
        .join(GuidanceArticle, col(GuidanceArticle.id) == col(GuidanceTerm.article_id))
        .where(col(GuidanceTerm.term).in_(sorted(terms)), col(GuidanceArticle.published))
    )
    for term, article_id, weight in rows.all():
        by_term[term][article_id] = weight
    return by_term


_BUILDING_MENTION = [
    re.compile(r"(?<![a-z0-9])b\s?(\d{1,3})(?![0-9])"),
    re.compile(r"(?<![a-z0-9])building\s*(?:no\.?\s*)?(\d{1,3})(?![0-9])"),
    re.compile(r"(\d{1,3})\s*(?:号楼|栋|幢)"),
]


async def named_building(session: AsyncSession, query: str) -> int | None:
    """A building the query names ("B12", "building 12", "12号楼", "枫园"), if exactly one."""
    text = normalise(query)
    codes = {f"b{m.group(1)}" for pattern in _BUILDING_MENTION for m in pattern.finditer(text)}
    found: set[int] = set()
    for building in (await session.exec(select(Building))).all():
        names = {normalise(building.name_zh), normalise(building.name_en)}
        nicknames = {
            part
            for name in names
            for part in re.findall(r"[（(]([^)）]+)[)）]", name)  # "桂园", "osmanthus"
        }
        if building.code.lower() in codes or any(nick and nick in text for nick in nicknames):
            found.add(building.id)
    return found.pop() if len(found) == 1 else None


async def rank(
    *,
    session: AsyncSession,
    cache: Cache,
    query: str,
    building_id: int | None,
) -> Ranking:
    """Score every candidate article for ``query`` from the perspective of ``building_id``."""
    analysed = analyse(query)
    perspective = await named_building(session, query) or building_id
    if not analysed.units:
        return Ranking(perspective, [], [])
    terms: list[QueryTerm] = [
        QueryTerm(word, WORD_WEIGHT, word, "exact") for word in analysed.words
    ]
    for piece in dict.fromkeys(analysed.pieces):
        if len(piece) == 1:
            terms.append(QueryTerm(piece, LONE_CHAR_WEIGHT, piece, "exact"))
            continue
        terms += [
            QueryTerm(piece[i : i + 2], BIGRAM_WEIGHT, piece, "exact")
            for i in range(len(piece) - 1)
        ]
        terms += [QueryTerm(char, UNIGRAM_WEIGHT, piece, "unigram") for char in piece]
    terms = list({(t.term, t.how): t for t in terms}.values())
    postings = await _postings(session, {t.term for t in terms})
    unknown = [t.term for t in terms if t.how == "exact" and not is_han(t.term)]
    unknown = [word for word in unknown if word not in postings and not word.isdigit()]
    if unknown:
        vocabulary = await _vocabulary(session, cache)
        expansions = [e for word in unknown for e in _expand(word, vocabulary)]
        terms += expansions
        postings.update(await _postings(session, {e.term for e in expansions}))
    candidates = {article_id for posting in postings.values() for article_id in posting}
    if not candidates:
        return Ranking(perspective, terms, [])
    count, average_length = await _stats(session, cache)
    metas = {
        article_id: (topic, building, length)
        for article_id, topic, building, length in (
            await session.exec(
                select(
                    GuidanceArticle.id,
                    GuidanceArticle.topic,
                    GuidanceArticle.building_id,
                    GuidanceArticle.indexed_length,
                ).where(col(GuidanceArticle.id).in_(sorted(candidates)))
            )
        ).all()
    }
    hits = [
        _score(
            article_id, metas[article_id], terms, postings, analysed.units, count, average_length
        )
        for article_id in sorted(metas)
    ]
    await _building_first(session, hits, perspective)
    hits.sort(key=lambda hit: (not hit.relevant, -hit.score, -hit.bm25, hit.article_id))
    return Ranking(perspective, terms, hits)


def _idf(document_frequency: int, count: int) -> float:
    return math.log(1 + (count - document_frequency + 0.5) / (document_frequency + 0.5))


def _score(
    article_id: int,
    meta: tuple[str, int | None, float],
    terms: list[QueryTerm],
    postings: dict[str, dict[int, float]],
    units: list[tuple[str, ...]],
    count: int,
    average_length: float,
) -> Hit:
    topic, building_id, length = meta
    norm = K1 * (1 - B + B * length / (average_length or 1.0))
    total, matched = 0.0, []
    best_per_term: dict[str, float] = {}
    for term in terms:
        tf = postings.get(term.term, {}).get(article_id)
        if tf is None:
            continue
        contribution = (
            term.weight * _idf(len(postings[term.term]), count) * tf * (K1 + 1) / (tf + norm)
        )
        # An expanded word and an exact one may be the same term: count it once.
        best_per_term[term.term] = max(best_per_term.get(term.term, 0.0), contribution)
        matched.append(
            term.term if term.how in ("exact", "unigram") else f"{term.unit}→{term.term}"
        )
    total = sum(best_per_term.values())
    found = {t.term for t in terms if article_id in postings.get(t.term, {})}
    expanded = {t.unit for t in terms if t.how in ("prefix", "typo") and t.term in found}
    covered = 0.0
    for unit in units:
        if unit[0] == "w":
            covered += 1.0 if unit[1] in found or unit[1] in expanded else 0.0
            continue
        piece, index = unit[1], int(unit[2])
        neighbours = {piece[max(index - 1, 0) : index + 1], piece[index : index + 2]}
        if any(len(gram) == 2 and gram in found for gram in neighbours):
            covered += 1.0
        elif piece[index] in found:  # a lone character, or one character of a longer piece
            covered += 1.0 if len(piece) == 1 else UNIGRAM_COVERAGE
    coverage = covered / len(units)
    relevant = coverage >= MIN_COVERAGE and total >= MIN_SCORE
    return Hit(
        article_id=article_id,
        topic=topic,
        building_id=building_id,
        bm25=total,
        coverage=coverage,
        matched=sorted(set(matched)),
        relevant=relevant,
        score=total,
        why=[f"bm25 {total:.2f}, coverage {coverage:.2f}"]
        + ([] if relevant else ["below the relevance threshold"]),
    )


async def _building_first(
    session: AsyncSession,
    hits: list[Hit],
    perspective: int | None,
) -> None:
    if perspective is None:
        for hit in hits:  # no building known: the general rule comes first
            if hit.building_id is not None:
                hit.score = hit.bm25 * DEMOTION
                hit.why.append(f"a building's version, reader's building unknown: ×{DEMOTION}")
        return
    general = {h.topic: h for h in hits if h.relevant and h.building_id is None}
    own = {h.topic: h for h in hits if h.building_id == perspective}
    # Our building's version of a relevant general rule belongs in the results even if
    # the query's words only appear in the general one.
    missing = [topic for topic in general if topic not in own]
    if missing:
        rows = await session.exec(
            select(GuidanceArticle.id, GuidanceArticle.topic).where(
                GuidanceArticle.building_id == perspective,
                col(GuidanceArticle.topic).in_(missing),
            )
        )
        for article_id, topic in rows.all():
            hit = Hit(article_id, topic, perspective, 0.0, 0.0, [], True)
            hits.append(hit)
            own[topic] = hit
    for hit in hits:
        if hit.building_id == perspective:
            base = general[hit.topic].bm25 if hit.topic in general else 0.0
            if hit.topic in general and not hit.relevant:
                hit.relevant = True
                hit.why.append("relevant as this building's version of a relevant rule")
            hit.score = max(hit.bm25, base) * OWN_BUILDING_BOOST
            hit.why.append(f"this building's version: ×{OWN_BUILDING_BOOST}")
        elif hit.building_id is None and hit.topic in own:
            hit.score = hit.bm25 * DEMOTION
            hit.why.append(f"general rule overridden by this building's version: ×{DEMOTION}")
        elif hit.building_id is not None:
            hit.score = hit.bm25 * DEMOTION
            hit.why.append(f"another building's version: ×{DEMOTION}")
