"""Settings, WeCom signatures and decryption, and the pacing bound, without servers."""

import asyncio
import math
import time

import pytest
from pydantic import ValidationError
from wechatpy.enterprise.crypto import WeChatCrypto

from backend.channels.exceptions import InvalidSignature
from backend.channels.pacing import Pace, Pacer
from backend.channels.wecom import WeComCallback, inbound
from backend.core.cache import MemoryCache
from backend.core.config import Settings
from backend.notify.senders import RetryLater
from tests.backend.channels.conftest import AES_KEY, AGENT_ID, CORP_ID, WECOM_TOKEN
from tests.platform_fakes import wecom_callback, wecom_text

PRODUCTION = {
    "env": "production",
    "jwt_secret": "j" * 40,
    "bot_secret": "b" * 40,
    "rasa_token": "r" * 40,
}
REAL_WECOM = {
    "wecom_corp_id": "ww0123456789abcdef",
    "wecom_token": "Q2v8XyL0pR4sT6uW",
    "wecom_aes_key": "A" * 43,
    "wecom_agent_id": 1000005,
    "wecom_secret": "S" * 43,
}


def test_development_has_the_demo_apps_and_production_has_none() -> None:
    dev = Settings(env="development")
    assert dev.wecom_enabled
    assert dev.telegram_enabled
    assert dev.wecom_corp_id == "wwhouqindemo0001"
    assert dev.wecom_agent_id == 1000002
    production = Settings(**PRODUCTION)  # type: ignore[arg-type]
    assert not production.wecom_enabled
    assert not production.telegram_enabled
    assert Settings(**PRODUCTION, **REAL_WECOM).wecom_enabled  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"wecom_token": "HouqinDemoToken2026"}, "HOUQIN_WECOM_TOKEN"),
        ({"wecom_token": "short"}, "HOUQIN_WECOM_TOKEN"),
        ({"wecom_aes_key": "houqinDemoAesKey0123456789abcdefghijklmnopq"}, "HOUQIN_WECOM_AES_KEY"),
        ({"wecom_aes_key": "tooshort"}, "HOUQIN_WECOM_AES_KEY"),
        ({"wecom_corp_id": "wwhouqindemo0001"}, "HOUQIN_WECOM_CORP_ID"),
        ({"wecom_secret": None}, "set all of these or none"),
        ({"channel_pace_scale": 0.5}, "HOUQIN_CHANNEL_PACE_SCALE"),
    ],
)
def test_weak_demo_or_partial_channel_settings_are_refused(
    override: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        Settings(**{**PRODUCTION, **REAL_WECOM, **override})  # type: ignore[arg-type]


def test_telegram_values_are_checked_outside_development() -> None:
    with pytest.raises(ValidationError, match="HOUQIN_TELEGRAM_SECRET_TOKEN"):
        Settings(
            **PRODUCTION,  # type: ignore[arg-type]
            telegram_bot_token="123456789:" + "A" * 35,
            telegram_secret_token="houqin-demo-telegram-secret",
        )


def callback() -> WeComCallback:
    return WeComCallback(token=WECOM_TOKEN, aes_key=AES_KEY, corp_id=CORP_ID)


def signed(xml: str) -> tuple[dict[str, str], bytes]:
    return wecom_callback(
        token=WECOM_TOKEN, aes_key=AES_KEY, corp_id=CORP_ID, agent_id=AGENT_ID, xml=xml
    )


def test_a_signed_message_decrypts() -> None:
    params, body = signed(
        wecom_text(corp_id=CORP_ID, user="s20240001", content="你好", msg_id=5, agent_id=AGENT_ID)
    )
    message = callback().decrypt(
        signature=params["msg_signature"],
        timestamp=params["timestamp"],
        nonce=params["nonce"],
        body=body,
    )
    assert inbound(message) == ("msg:5", "你好", None, "s20240001")


@pytest.mark.parametrize("part", ["msg_signature", "timestamp", "nonce", "body"])
def test_any_changed_part_fails_the_signature(part: str) -> None:
    params, body = signed(
        wecom_text(corp_id=CORP_ID, user="u", content="x", msg_id=1, agent_id=AGENT_ID)
    )
    if part == "body":
        body = body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA")
    else:
        params[part] = "1" + params[part][1:] if params[part][0] != "1" else "2" + params[part][1:]
    with pytest.raises(InvalidSignature):
        callback().decrypt(
            signature=params["msg_signature"],
            timestamp=params["timestamp"],
            nonce=params["nonce"],
            body=body,
        )


def test_another_corps_ciphertext_is_refused_even_when_signed_with_our_token() -> None:
    xml = wecom_text(corp_id="wwother", user="u", content="x", msg_id=1, agent_id=AGENT_ID)
    params, body = wecom_callback(
        token=WECOM_TOKEN, aes_key=AES_KEY, corp_id="wwothercorp00001", agent_id=1, xml=xml
    )
    with pytest.raises(InvalidSignature):
        callback().decrypt(
            signature=params["msg_signature"],
            timestamp=params["timestamp"],
            nonce=params["nonce"],
            body=body,
        )


def test_url_verification_needs_our_signature() -> None:
    envelope = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID).encrypt_message("hello", "n", "1")
    echostr = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    good = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    assert (
        callback().verify_url(signature=good, timestamp="1", nonce="n", echostr=echostr) == "hello"
    )
    with pytest.raises(InvalidSignature):
        callback().verify_url(signature=good, timestamp="2", nonce="n", echostr=echostr)


async def test_pacing_never_exceeds_the_limit_in_any_window() -> None:
    """Also when sends arrive up to a part late (the platform counts arrivals): in every 7
    parts the first's sends land 1.05 parts late, the next five's half a part late and the
    last's on time, so one minute holds sends started in 7 parts."""
    pacer = Pacer(MemoryCache(), scale=0.01)  # a 60 s window becomes 0.6 s
    pace = Pace(limit=30, window_seconds=60, parts=5)
    part = pacer.part_seconds(pace)
    stamps: list[float] = []

    async def send() -> None:
        await pacer.acquire("member", pace, max_wait=10)
        stamps.append(time.time())

    await asyncio.gather(*(send() for _ in range(90)))
    window = 0.6
    lateness = {0: 1.05, 6: 0.0}
    late = [t + lateness.get(math.floor(t / part) % 7, 0.5) * part for t in stamps]
    assert len(stamps) == 90
    for arrivals in (stamps, late):
        assert max(sum(1 for u in arrivals if t <= u < t + window) for t in arrivals) <= 30
    for _ in range(pace.per_part):
        await pacer.acquire("other", pace, max_wait=0)
    with pytest.raises(RetryLater) as waited:
        await pacer.acquire("other", pace, max_wait=0)
    assert 0 < waited.value.seconds <= window / 5 + 0.01
