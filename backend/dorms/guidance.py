"""Guidance articles: read (cached), search, and staff writes that keep the index current."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.generations import JSON
from backend.dorms import caching, search
from backend.dorms.analysis import index_terms, normalise
from backend.dorms.exceptions import (
    GuidanceNotFound,
    GuidanceSlugTaken,
    GuidanceVersionExists,
)
from backend.dorms.models import Building, GuidanceArticle, GuidanceTerm
from backend.dorms.schemas import (
    ExplainedHit,
    GuidanceArticlePublic,
    GuidanceArticleStaff,
    GuidanceCreate,
    GuidanceHit,
    GuidanceHits,
    GuidanceUpdate,
    SearchExplanation,
)


def indexed_fields(article: GuidanceArticle) -> dict[str, str]:
    return {
        "title": f"{article.title_en}\n{article.title_zh}",
        "aliases": "\n".join(article.aliases),
        "tags": " ".join(tag.replace("-", " ") for tag in article.tags),
        "summary": f"{article.summary_en}\n{article.summary_zh}",
        "body": f"{article.body_en}\n{article.body_zh}",
    }


async def reindex(*, session: AsyncSession, article: GuidanceArticle) -> None:
    """Replace the article's rows in the inverted index (flushes; the caller commits)."""
    terms = index_terms(indexed_fields(article))
    article.indexed_length = round(sum(terms.values()), 3)
    session.add(article)
    await session.flush()
    await session.exec(delete(GuidanceTerm).where(col(GuidanceTerm.article_id) == article.id))
    if terms:
        await session.exec(
            insert(GuidanceTerm),
            params=[
                {"term": term, "article_id": article.id, "weight": weight}
                for term, weight in sorted(terms.items())
            ],
        )


async def building_codes(session: AsyncSession) -> dict[int, str]:
    return {b.id: b.code for b in (await session.exec(select(Building))).all()}


def _public(article: GuidanceArticle, codes: dict[int, str]) -> GuidanceArticlePublic:
    return GuidanceArticlePublic(
        id=article.id,
        title_en=article.title_en,
        title_zh=article.title_zh,
        body_en=article.body_en,
        body_zh=article.body_zh,
        tags=article.tags,
        building_code=codes.get(article.building_id) if article.building_id else None,
    )


def staff_view(article: GuidanceArticle, building_code: str | None) -> GuidanceArticleStaff:
    return GuidanceArticleStaff(
        **_public(article, {}).model_dump(exclude={"building_code"}),
        building_code=building_code,
        slug=article.slug,
        topic=article.topic,
        summary_en=article.summary_en,
        summary_zh=article.summary_zh,
        aliases=article.aliases,
        published=article.published,
        updated_at=article.updated_at,
    )


async def get_article(*, session: AsyncSession, article_id: int) -> GuidanceArticle:
    article = await session.get(GuidanceArticle, article_id)
    if article is None:
        raise GuidanceNotFound(f"No guidance article {article_id}.")
    return article


async def read_article(
    *, session: AsyncSession, cache: Cache, article_id: int
) -> GuidanceArticlePublic:
    async def load() -> dict[str, Any] | None:
        article = await session.get(GuidanceArticle, article_id)
        if article is None or not article.published:
            return None  # a draft is for its editors only
        return _public(article, await building_codes(session)).model_dump(mode="json")

    value = await caching.GUIDANCE.cached(cache, f"article:{article_id}", JSON, load)
    if value is None:
        raise GuidanceNotFound(f"No guidance article {article_id}.")
    return GuidanceArticlePublic.model_validate(value)


async def search_articles(
    *, session: AsyncSession, cache: Cache, query: str, building_id: int | None, limit: int
) -> GuidanceHits:
    """Relevant articles for ``query``, best first, the reader's building first; cached."""

    async def load() -> list[dict[str, Any]]:
        ranking = await search.rank(
            session=session, cache=cache, query=query, building_id=building_id
        )
        best = [hit for hit in ranking.hits if hit.relevant][:limit]
        if not best:
            return []
        articles = {
            a.id: a
            for a in (
                await session.exec(
                    select(GuidanceArticle).where(
                        col(GuidanceArticle.id).in_([hit.article_id for hit in best])
                    )
                )
            ).all()
        }
        codes = await building_codes(session)
        return [
            GuidanceHit(
                id=hit.article_id,
                title_en=articles[hit.article_id].title_en,
                title_zh=articles[hit.article_id].title_zh,
                summary_en=articles[hit.article_id].summary_en,
                summary_zh=articles[hit.article_id].summary_zh,
                tags=articles[hit.article_id].tags,
                building_code=codes.get(hit.building_id) if hit.building_id else None,
                score=round(hit.score, 3),
            ).model_dump(mode="json")
            for hit in best
        ]

    name = "search:" + caching.digest(normalise(query).strip(), building_id, limit)
    value = await caching.GUIDANCE.cached(cache, name, JSON, load)
    data = [GuidanceHit.model_validate(hit) for hit in value]
    return GuidanceHits(data=data, count=len(data))


async def explain(
    *, session: AsyncSession, cache: Cache, query: str, building_id: int | None, limit: int
) -> SearchExplanation:
    """Every candidate with its BM25, coverage, matched terms and building adjustments."""
    ranking = await search.rank(session=session, cache=cache, query=query, building_id=building_id)
    codes = await building_codes(session)
    slugs = dict(
        (
            await session.exec(
                select(GuidanceArticle.id, GuidanceArticle.slug).where(
                    col(GuidanceArticle.id).in_([h.article_id for h in ranking.hits])
                )
            )
        ).all()
    )
    data = [
        ExplainedHit(
            id=hit.article_id,
            slug=slugs[hit.article_id],
            building_code=codes.get(hit.building_id) if hit.building_id else None,
            relevant=hit.relevant,
            score=round(hit.score, 3),
            bm25=round(hit.bm25, 3),
            coverage=round(hit.coverage, 3),
            matched=hit.matched,
            why=hit.why,
        )
        for hit in ranking.hits[:limit]
    ]
    perspective = ranking.perspective_building_id
    return SearchExplanation(
        query=query,
        perspective_building_code=codes.get(perspective) if perspective else None,
        terms=[f"{t.term}×{t.weight:g} ({t.how})" for t in ranking.terms],
        data=data,
        count=len(data),
    )


async def _check_unique(
    session: AsyncSession, *, slug: str, topic: str, building_id: int | None
) -> None:
    if (await session.exec(select(GuidanceArticle.id).where(GuidanceArticle.slug == slug))).first():
        raise GuidanceSlugTaken(f"The slug '{slug}' is taken.")
    same_version = select(GuidanceArticle.id).where(GuidanceArticle.topic == topic)
    same_version = same_version.where(
        col(GuidanceArticle.building_id).is_(None)
        if building_id is None
        else GuidanceArticle.building_id == building_id
    )
    if (await session.exec(same_version)).first():
        raise GuidanceVersionExists()


async def create_article(
    *,
    session: AsyncSession,
    body: GuidanceCreate,
    building_id: int | None,
    author_id: int | None,
) -> GuidanceArticle:
    await _check_unique(session, slug=body.slug, topic=body.topic, building_id=building_id)
    article = GuidanceArticle(
        **body.model_dump(exclude={"building_code"}),
        building_id=building_id,
        updated_by_id=author_id,
    )
    article.tags = list(dict.fromkeys(article.tags))
    article.aliases = list(dict.fromkeys(article.aliases))
    session.add(article)
    await session.flush()
    await reindex(session=session, article=article)
    return article


async def update_article(
    *,
    session: AsyncSession,
    article: GuidanceArticle,
    changes: GuidanceUpdate,
    author_id: int,
    now: datetime,
) -> GuidanceArticle:
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(article, field, list(dict.fromkeys(value)) if isinstance(value, list) else value)
    article.updated_at = now
    article.updated_by_id = author_id
    await reindex(session=session, article=article)
    return article


async def delete_article(*, session: AsyncSession, article: GuidanceArticle) -> None:
    await session.exec(delete(GuidanceTerm).where(col(GuidanceTerm.article_id) == article.id))
    await session.delete(article)
    await session.flush()
