"""Start the real system once per test session (see system.py), with its WeCom and
Telegram API base URLs on local fakes (tests/platform_fakes.py)."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from backend.core.config import DEV_CHANNELS
from tests.e2e.system import System, SystemDidNotStart, running_system
from tests.platform_fakes import FakeTelegram, FakeWeCom, serving


@dataclass
class Platforms:
    wecom: FakeWeCom
    telegram: FakeTelegram
    wecom_url: str
    telegram_url: str


@pytest.fixture(scope="session")
def platforms() -> Iterator[Platforms]:
    wecom = FakeWeCom(
        corp_id=str(DEV_CHANNELS["wecom_corp_id"]),
        secret=str(DEV_CHANNELS["wecom_secret"]),
        agent_id=int(DEV_CHANNELS["wecom_agent_id"]),
    )
    telegram = FakeTelegram(token=str(DEV_CHANNELS["telegram_bot_token"]))
    with serving(wecom.app()) as wecom_url, serving(telegram.app()) as telegram_url:
        yield Platforms(wecom, telegram, wecom_url, telegram_url)


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory, platforms: Platforms) -> Iterator[System]:
    settings = {
        "HOUQIN_WECOM_API_URL": f"{platforms.wecom_url}/cgi-bin",
        "HOUQIN_TELEGRAM_API_URL": platforms.telegram_url,
        # The browser tests' tabs come "through the campus proxy", each from an address of
        # its own (tests/browser/support.py, open_tab).
        "HOUQIN_TRUSTED_PROXIES": "127.0.0.1/32",
    }
    try:
        with running_system(tmp_path_factory.mktemp("e2e") / "houqin.db", settings) as started:
            yield started
    except SystemDidNotStart as exc:
        pytest.fail(f"the system did not start:\n{exc}")
