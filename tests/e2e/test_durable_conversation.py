"""Rasa keeps conversations in its SQL tracker store: kill -9 it mid-form and the form goes on."""

from tests.e2e.system import System
from tests.e2e.test_bot_flows import buttons, chat, open_tickets, text

REPORT = "the shelf above my desk is broken"


def test_a_repair_form_survives_kill_9_of_rasa(system: System) -> None:
    student = system.login("s20240002")  # English profile
    before = {ticket["id"] for ticket in open_tickets(system, student)}

    asked = chat(system, student, REPORT)  # category (furniture) and description are in it
    assert "Yes, my room" in buttons(asked), text(asked)  # the form asks the place

    rasa = system.child_pids("rasa")
    restarted = system.kill_child("rasa")
    assert restarted not in rasa
    assert (system.database.parent / "rasa-tracker.db").stat().st_size > 0

    # A fresh conversation would not know what "yes" answers; this one asks the next question.
    urgency = chat(system, student, buttons(asked)["Yes, my room"])
    assert urgency["messages"][-1]["text"] == "How urgent is it?", text(urgency)
    [normal] = [p for p in buttons(urgency).values() if '"normal"' in p]

    summary = chat(system, student, normal)
    assert "furniture" in text(summary), text(summary)
    assert REPORT in text(summary), text(summary)
    filed = chat(system, student, buttons(summary)["Submit"])
    assert "Your repair is filed" in text(filed), text(filed)

    [new] = [ticket for ticket in open_tickets(system, student) if ticket["id"] not in before]
    assert (new["category"], new["description"]) == ("furniture", REPORT)
