"""The pages: served by the backend, locked down, every string in both languages."""

import json
import re

import httpx
import pytest

from backend.web.router import STATIC

PAGES = ["/", "/console"]


@pytest.mark.parametrize("path", PAGES)
async def test_pages_are_served_with_a_strict_content_security_policy(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="zh-CN">' in response.text


@pytest.mark.parametrize("path", PAGES)
async def test_pages_reference_only_our_own_assets(client: httpx.AsyncClient, path: str) -> None:
    html = (await client.get(path)).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert (await client.get(asset)).status_code == 200, asset


async def test_assets_revalidate_with_an_etag(client: httpx.AsyncClient) -> None:
    first = await client.get("/static/app/main.js")
    assert first.headers["cache-control"] == "no-cache"
    again = await client.get(
        "/static/app/main.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


def test_no_script_or_style_refers_to_another_origin() -> None:
    for path in STATIC.rglob("*"):
        if path.suffix in {".js", ".css", ".html"}:
            text = path.read_text()
            assert not re.search(r"(?<![\w.])(https?:)?//[a-z0-9-]+\.[a-z]", text), path
            if path.suffix == ".css":
                assert "@import" not in text, path
                assert "url(" not in text, path


@pytest.mark.parametrize("path", sorted(STATIC.rglob("strings.json")), ids=lambda p: p.parent.name)
def test_every_string_exists_in_both_languages(path) -> None:  # type: ignore[no-untyped-def]
    strings = json.loads(path.read_text())
    assert set(strings) == {"en", "zh"}
    assert set(strings["en"]) == set(strings["zh"])
    for key, english in strings["en"].items():
        chinese = strings["zh"][key]
        assert english.strip(), key
        assert chinese.strip(), key
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", chinese)), key


def test_every_key_the_pages_use_is_defined() -> None:
    defined: set[str] = set()
    for path in STATIC.rglob("strings.json"):
        defined |= set(json.loads(path.read_text())["en"])
    used = {
        key
        for path in STATIC.rglob("*.js")
        for key in re.findall(r'\bt\("([\w.]+)"', path.read_text())
    }
    assert used
    assert used <= defined, sorted(used - defined)
