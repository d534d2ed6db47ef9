"""``python -m backend.notify``: a dispatcher worker outside the backend (PostgreSQL).

Start as many as needed; claims never overlap. Backend processes may keep their embedded
dispatcher or turn it off with ``HOUQIN_NOTIFY_DISPATCHER=false``. Stops on Ctrl-C/SIGTERM.
"""

import asyncio
import logging

from backend.core.config import get_settings
from backend.main import create_app


async def main() -> None:
    settings = get_settings().model_copy(update={"notify_dispatcher": False})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await app.state.dispatcher.run_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s notify %(levelname)s %(message)s")
    asyncio.run(main())
