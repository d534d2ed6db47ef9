"""Runs after every other end-to-end module (pytest orders modules by name)."""

import signal
import time

from tests.e2e.system import System, port_open


def test_ctrl_c_stops_all_three(system: System) -> None:
    """Ctrl-C (SIGINT) takes down backend, Rasa and actions."""
    system.process.send_signal(signal.SIGINT)
    assert system.process.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(port_open(port) for port in system.ports.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [name for name, port in system.ports.items() if port_open(port)]
