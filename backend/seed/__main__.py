"""``python -m backend.seed``: create the demo campus if empty; keep its menus current.

Development only: the demo accounts share a published password. The campus comes from the
data files in ``demo/`` (read when the seed modules are imported, after the guard below).
"""

import asyncio
import sys
from datetime import datetime

from pydantic import ValidationError

from backend.core.config import Settings
from backend.core.db import create_engine, create_sessionmaker
from backend.seed.data import DemoDataError


async def main() -> None:
    try:
        settings = Settings()
    except ValidationError as exc:
        sys.exit(f"seed: invalid settings: {exc}")
    if settings.env != "development":
        sys.exit("seed: refusing to create demo accounts outside development (HOUQIN_ENV).")
    try:
        from backend.seed.demo import seed_demo_campus
    except DemoDataError as exc:
        sys.exit(f"seed: {exc}")
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            report = await seed_demo_campus(
                session=session, today=datetime.now(settings.tz).date(), tz=settings.tz
            )
    finally:
        await engine.dispose()
    print(f"seed: {report}")


if __name__ == "__main__":
    asyncio.run(main())
