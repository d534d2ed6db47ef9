"""Start the real system once per test session (see system.py)."""

from collections.abc import Iterator

import pytest

from tests.e2e.system import System, SystemDidNotStart, running_system


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    try:
        with running_system(tmp_path_factory.mktemp("e2e") / "houqin.db") as started:
            yield started
    except SystemDidNotStart as exc:
        pytest.fail(f"the system did not start:\n{exc}")
