"""A page fast on a weak phone signal (issue 15): compressed text, versioned URLs cached a year, the pages
revalidated, and a DSFR stylesheet with only what the pages use (bot/web/assets.py)."""

from __future__ import annotations

import asyncio
import gzip
import re
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web import assets
from bot.web.app import CSP, create_app
from bot.web.settings import Settings

SETTINGS = Settings()
needs_dsfr = pytest.mark.skipif(not SETTINGS.dsfr_dir.is_dir(), reason="DSFR not installed (make install)")
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"Accept-Encoding": "identity"}


def run(test: Callable[[TestClient], Awaitable[None]]) -> None:
    async def go() -> None:
        client = TestClient(TestServer(create_app(SETTINGS)))
        await client.start_server()
        try:
            await test(client)
        finally:
            await client.close()

    asyncio.run(go())


async def fetch(client: TestClient, url: str, headers: dict[str, str]) -> tuple[int, Mapping[str, str], bytes]:
    """Status, headers (case-insensitive) and raw body (not decompressed)."""
    response = await client.get(url, headers=headers, auto_decompress=False)
    return response.status, response.headers, await response.read()


async def page_urls(client: TestClient, path: str) -> list[str]:
    _, _, body = await fetch(client, path, PLAIN)
    return re.findall(r'(?:href|src)="(/(?:static|dsfr|assets)/[^"]+)"', body.decode("utf-8"))


@needs_dsfr
@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_pages_are_compressed_and_revalidated(path: str) -> None:
    async def test(client: TestClient) -> None:
        status, plain_headers, plain = await fetch(client, path, PLAIN)
        assert status == 200 and "Content-Encoding" not in plain_headers
        status, headers, body = await fetch(client, path, GZIP)
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body) == plain
        assert headers["Cache-Control"] == "no-cache"
        assert headers["Content-Security-Policy"] == CSP  # the security headers are kept
        assert headers["X-Content-Type-Options"] == "nosniff"

    run(test)


@needs_dsfr
@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_every_stylesheet_and_script_of_a_page_is_versioned_compressed_and_cached_a_year(path: str) -> None:
    async def test(client: TestClient) -> None:
        urls = [u for u in await page_urls(client, path) if u.split("?")[0].endswith((".css", ".js"))]
        assert assets.CSS_URL in {u.split("?")[0] for u in urls}
        assert "/dsfr/dsfr.min.css" not in {u.split("?")[0] for u in urls}  # not the whole DSFR any more
        assert "/static/chat.css" not in {u.split("?")[0] for u in urls}  # it is in assets.CSS_URL
        for url in urls:
            status, plain_headers, plain = await fetch(client, url, PLAIN)
            assert status == 200, url
            assert re.search(r"\?v=[0-9a-f]{12}$", url), url
            assert url.endswith(f"?v={assets.version(plain)}"), url  # the version is the content's
            assert plain_headers["Cache-Control"] == "public, max-age=31536000, immutable", url
            status, headers, body = await fetch(client, url, GZIP)
            assert headers["Content-Encoding"] == "gzip", url
            assert gzip.decompress(body) == plain, url
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable", url
            assert headers["Content-Security-Policy"] == CSP, url

    run(test)


@needs_dsfr
def test_a_static_file_without_its_version_or_with_another_is_revalidated() -> None:
    async def test(client: TestClient) -> None:
        for url in ("/static/chat.js", "/static/chat.js?v=000000000000", "/dsfr/fonts/Marianne-Regular.woff2",
                    assets.CSS_URL, f"{assets.CSS_URL}?v=0"):  # fmt: skip
            status, headers, _ = await fetch(client, url, GZIP)
            assert status == 200, url
            assert headers["Cache-Control"] == "no-cache", url

    run(test)


@needs_dsfr
def test_binary_files_are_not_compressed_and_svg_and_manifest_are() -> None:
    async def test(client: TestClient) -> None:
        _, font, _ = await fetch(client, "/dsfr/fonts/Marianne-Regular.woff2", GZIP)
        assert "Content-Encoding" not in font
        for url in ("/dsfr/favicon/favicon.svg", "/dsfr/favicon/manifest.webmanifest", "/static/chat.css"):
            _, headers, body = await fetch(client, url, GZIP)
            _, _, plain = await fetch(client, url, PLAIN)
            assert headers.get("Content-Encoding") == "gzip", url
            assert gzip.decompress(body) == plain, url

    run(test)


@needs_dsfr
def test_the_stylesheet_answers_304_to_its_etag() -> None:
    async def test(client: TestClient) -> None:
        _, headers, _ = await fetch(client, assets.CSS_URL, GZIP)
        response = await client.get(assets.CSS_URL, headers={"If-None-Match": headers["ETag"]})
        assert response.status == 304

    run(test)


@needs_dsfr
def test_a_revalidated_static_file_gets_a_plain_304() -> None:
    """A browser revalidating a no-cache file (fonts, icons) gets a valid 304: no compressed body."""

    async def test(client: TestClient) -> None:
        for url in ("/static/chat.js", "/dsfr/icons/system/lock-line.svg"):
            _, headers, _ = await fetch(client, url, GZIP)
            response = await client.get(url, headers={**GZIP, "If-None-Match": headers["ETag"]}, auto_decompress=False)
            assert response.status == 304, url
            assert "Content-Encoding" not in response.headers and "Transfer-Encoding" not in response.headers, url
            response = await client.get(
                url, headers={**GZIP, "If-Modified-Since": headers["Last-Modified"]}, auto_decompress=False
            )
            assert response.status == 304, url

    run(test)


def test_a_compressed_request_body_is_still_refused() -> None:
    async def test(client: TestClient) -> None:
        body = gzip.compress(b'{"message": "bonjour"}')
        response = await client.post(
            "/api/chat", data=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )
        assert response.status == 415

    run(test)


@needs_dsfr
def test_the_stylesheet_has_every_class_and_icon_the_pages_use() -> None:
    static = SETTINGS.static_dir
    css = assets.dsfr_css(SETTINGS.dsfr_dir, static)
    assert css is not None
    text = css.decode("utf-8")
    used = assets.used_classes(static)
    icons = {c.removeprefix("fr-icon-") for c in used if c.startswith("fr-icon-")}
    assert icons == set(assets.ICONS)  # add a new icon to assets.ICONS
    for name in icons:
        assert f".fr-icon-{name}:before" in text
    for component in ("fr-btn", "fr-header", "fr-footer", "fr-callout", "fr-input", "fr-segmented", "fr-skiplinks"):
        assert f".{component}" in text, component
    assert "url(../" not in text  # every URL points into /dsfr/
    assert "Marianne-Medium" not in text  # one font less on the first view
    assert len(css) < 200_000  # DSFR's dsfr.min.css + icons.min.css: about 1.1 MB
    site = assets.site_css(SETTINGS.dsfr_dir, static)
    assert site is not None and site.startswith(css) and site.endswith((static / "chat.css").read_bytes())


def test_unused_rules_go_and_used_ones_stay() -> None:
    css = (".fr-a{color:red}.fr-b,.fr-a:hover{color:blue}.fr-b{x:y}.fr-a:not(.fr-b){z:w}"
           "@media (min-width:1px){.fr-b{a:b}.fr-a{c:d}}p{e:f}@font-face{font-family:M}")  # fmt: skip
    assert assets.keep_used(css, {"fr-a"}) == (
        ".fr-a{color:red}.fr-b,.fr-a:hover{color:blue}.fr-a:not(.fr-b){z:w}"
        "@media (min-width:1px){.fr-a{c:d}}p{e:f}@font-face{font-family:M}"
    )


def test_relative_urls_become_absolute() -> None:
    css = 'a{b:url(../fonts/x.woff2)}c{d:url("../../icons/system/y.svg")}e{f:url(data:image/png;base64,AA)}'
    assert assets._absolute_urls(css, "component/link/link.min.css") == (
        'a{b:url(/dsfr/component/fonts/x.woff2)}c{d:url("/dsfr/icons/system/y.svg")}e{f:url(data:image/png;base64,AA)}'
    )


def test_missing_dsfr_gives_no_stylesheet(tmp_path: Path) -> None:
    assert assets.dsfr_css(tmp_path) is None
