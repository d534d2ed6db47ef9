"""Async engine and sessions. SQLite by default, PostgreSQL via ``DATABASE_URL``."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            # Let SQLAlchemy, not the driver, emit BEGIN: savepoints then work as documented.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(connection: Any) -> None:
            # IMMEDIATE: take the write lock up front. A deferred transaction that reads and
            # then writes fails at once ("database is locked") when another writer got in
            # between; this way it waits (busy_timeout) instead. SQLite is the single-node
            # default, so serialising transactions is the right trade.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No pre-ping (a round trip per checkout); stale connections are recycled instead.
    return create_async_engine(database_url, pool_recycle=1800, **kwargs)


class LazySession(AsyncSession):
    """A session connects on its first statement; this one also closes for free when it
    never ran one (no transaction, no objects): a cache hit costs no database work at all."""

    async def close(self) -> None:
        sync = self.sync_session
        if sync.in_transaction() or sync.identity_map or sync.new or sync.deleted:
            await super().close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=LazySession, expire_on_commit=False)
