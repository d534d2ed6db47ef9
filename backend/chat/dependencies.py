from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from backend.chat.pipeline import ChatState
from backend.chat.rasa import RasaClient


async def get_rasa(connection: HTTPConnection) -> RasaClient:
    rasa: RasaClient = connection.app.state.rasa
    return rasa


async def get_chat_state(connection: HTTPConnection) -> ChatState:
    state: ChatState = connection.app.state.chat
    return state


RasaDep = Annotated[RasaClient, Depends(get_rasa)]
ChatStateDep = Annotated[ChatState, Depends(get_chat_state)]
