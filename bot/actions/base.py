"""The base of every action that reaches the backend: the student's token and the answers to
"the backend is down" or "the backend said no", so an action holds only its own logic.

An action subclasses ``BackendAction``, names itself (``action_name``) and implements
``act(turn)``. ``turn.token`` is the delegation token; reading it when the backend attached
none counts as the backend being unavailable. ``BackendUnavailable`` → the ``unavailable``
responses; ``BackendError`` → ``errors[code]``, else ``statuses[status]``, else the
``unavailable`` responses (never a raw error); ``refused`` can be overridden for answers that
need the turn's details. ``settle`` gives the events to return after a failure.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable, backend
from actions.conversation import language, student_token

UNAVAILABLE = "utter_backend_unavailable"


@dataclass
class Turn:
    """One run of an action: who says what, in which language, with which token."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    domain: DomainDict
    lang: str

    @property
    def token(self) -> str:
        token = student_token(self.tracker)
        if token is None:
            raise BackendUnavailable("no delegation token in the message metadata")
        return token

    @property
    def backend(self) -> BackendClient:
        return backend()

    def say(self, response: str, **variables: Any) -> None:
        self.dispatcher.utter_message(response=response, **variables)


class BackendAction(Action, ABC):
    action_name: ClassVar[str]
    unavailable: ClassVar[tuple[str, ...]] = (UNAVAILABLE,)
    errors: ClassVar[dict[str, str]] = {}  # BackendError.code → response
    statuses: ClassVar[dict[int, str]] = {}  # HTTP status → response (after the codes)

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn(dispatcher, tracker, domain, language(tracker))
        try:
            return await self.act(turn)
        except BackendUnavailable:
            self.say_unavailable(turn)
        except BackendError as error:
            await self.refused(turn, error)
        return self.settle(turn)

    @abstractmethod
    async def act(self, turn: Turn) -> list[EventType]: ...

    async def refused(self, turn: Turn, error: BackendError) -> None:
        response = self.errors.get(error.code) or self.statuses.get(error.status)
        if response:
            turn.say(response)
        else:
            self.say_unavailable(turn)

    def say_unavailable(self, turn: Turn) -> None:
        for response in self.unavailable:
            turn.say(response)

    def settle(self, turn: Turn) -> list[EventType]:
        return []
