from typing import Annotated

from fastapi import Depends, Request

from backend.chat.rasa import RasaClient


async def get_rasa(request: Request) -> RasaClient:
    rasa: RasaClient = request.app.state.rasa
    return rasa


RasaDep = Annotated[RasaClient, Depends(get_rasa)]
