"""A page fast on a weak phone signal (issue 15): compressed text, versioned URLs cached a year, the pages
revalidated, and a DSFR stylesheet with only what the pages use (bot/web/assets.py)."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import gzip
import hashlib
import re
import shutil
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from bot.web import assets
from bot.web.app import CSP, create_app
from bot.web.settings import Settings

SETTINGS = Settings()
needs_dsfr = pytest.mark.skipif(not SETTINGS.dsfr_dir.is_dir(), reason="DSFR not installed (make install)")
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"Accept-Encoding": "identity"}


def run(test: Callable[[TestClient], Awaitable[None]], settings: Settings = SETTINGS) -> None:
    async def go() -> None:
        client = TestClient(TestServer(create_app(settings)))
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
        urls = [u for u in urls if not u.startswith(assets.MODULES_URL)]  # versioned in their path: see below
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
        for url in ("/static/print.css", "/static/print.css?v=000000000000", "/dsfr/fonts/Marianne-Regular.woff2",
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
        for url in ("/static/print.css", "/dsfr/icons/system/lock-line.svg"):
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


# ---- The widget's ES modules: one versioned folder, /assets/js/<version>/<name>.js ----------------------------

MODULES = assets.modules(SETTINGS.static_dir)
FOLDER_VERSION = assets.modules_version(MODULES)
JS_FILES = sorted(p.name for p in (SETTINGS.static_dir / assets.MODULES_DIR).glob("*.js"))


def module_url(name: str, version: str | None = FOLDER_VERSION) -> str:
    return f"{assets.MODULES_URL}{version}/{name}"


def test_the_modules_are_the_files_of_the_folder_and_the_old_single_script_is_gone() -> None:
    assert list(MODULES) == JS_FILES and assets.ENTRY_MODULE in MODULES and len(MODULES) > 5
    assert not (SETTINGS.static_dir / "chat.js").exists()
    assert FOLDER_VERSION is not None and re.fullmatch(r"[0-9a-f]{12}", FOLDER_VERSION)


def test_every_module_is_served_under_the_folder_version_cached_a_year_and_compressed() -> None:
    async def test(client: TestClient) -> None:
        for name, content in MODULES.items():
            status, headers, plain = await fetch(client, module_url(name), PLAIN)
            assert status == 200, name
            assert plain == content, name
            assert headers["Content-Type"].split(";")[0] == "text/javascript", name
            assert headers["Cache-Control"] == assets.LONG_CACHE, name
            assert headers["Content-Security-Policy"] == CSP, name
            status, headers, body = await fetch(client, module_url(name), GZIP)
            assert status == 200 and headers["Content-Encoding"] == "gzip", name
            assert "Accept-Encoding" in headers["Vary"], name
            assert gzip.decompress(body) == content, name
            assert headers["Cache-Control"] == assets.LONG_CACHE, name
            response = await client.get(module_url(name), headers={"If-None-Match": headers["ETag"]})
            assert response.status == 304, name

    run(test)


def test_a_module_under_a_stale_version_is_revalidated() -> None:
    async def test(client: TestClient) -> None:
        for version in ("000000000000", "old", FOLDER_VERSION[:-1]):
            status, headers, body = await fetch(client, module_url(assets.ENTRY_MODULE, version), PLAIN)
            assert status == 200, version
            assert body == MODULES[assets.ENTRY_MODULE]
            assert headers["Cache-Control"] == assets.REVALIDATE, version

    run(test)


def test_only_the_modules_of_the_folder_are_served() -> None:
    async def test(client: TestClient) -> None:
        for name in ("nope.js", "chat.css", "index.html", "chat.JS", "chat.js.map", ".chat.js"):
            status, headers, _ = await fetch(client, module_url(name), PLAIN)
            assert status == 404, name
            assert "Cache-Control" not in headers or headers["Cache-Control"] != assets.LONG_CACHE, name

    run(test)


def test_a_path_traversal_out_of_the_modules_folder_is_not_found() -> None:
    async def test(client: TestClient) -> None:
        folder = module_url("")
        for raw in ("..%2Fchat.css", "..%2F..%2F..%2Fapp.py", "%2e%2e%2fchat.css", "..%5Cchat.css", "%2Fetc%2Fpasswd",
                    "js%2Fchat.js", "..%2Fjs%2Fchat.js", "chat.js%00.css", "chat.js%2F"):  # fmt: skip
            response = await client.get(URL(f"{folder}{raw}", encoded=True))
            assert response.status == 404, raw
        base = f"{assets.MODULES_URL}{FOLDER_VERSION}/"
        for raw in (f"{assets.MODULES_URL}..%2F..%2Fstatic%2Findex.html", f"{base}../site.css", base,
                    f"{base}../../js/x/chat.css", f"{base}chat.js/../../../static/index.html"):  # fmt: skip
            response = await client.get(URL(raw, encoded=True))
            assert response.status == 404, raw

    run(test)


@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_the_page_names_the_entry_module_and_preloads_the_others(path: str) -> None:
    async def test(client: TestClient) -> None:
        _, _, body = await fetch(client, path, PLAIN)
        page = body.decode("utf-8")
        scripts = re.findall(r'<script type="module" src="(/assets/js/[^"]+)"', page)
        assert scripts == [module_url(assets.ENTRY_MODULE)]
        preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)"', page)
        assert sorted(preloads) == sorted(module_url(n) for n in MODULES if n != assets.ENTRY_MODULE)
        assert "/static/js/" not in page and "/static/chat.js" not in page  # the placeholder is rewritten
        assert page.index("modulepreload") > page.index("</head>")  # the head stays small
        inline = re.findall(r"<script>(.*?)</script>", page)
        assert inline == [assets.TEXT_SIZE_SCRIPT] and "importmap" not in page  # the one inline script
        assert page.index(assets.TEXT_SIZE_SCRIPT) < page.index("</head>")  # before the first paint

    run(test)


def test_the_inline_script_is_allowed_by_its_hash_and_nothing_else_inline() -> None:
    digest = base64.b64encode(hashlib.sha256(assets.TEXT_SIZE_SCRIPT.encode()).digest()).decode()
    script_src = next(d for d in CSP.split("; ") if d.startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", f"'sha256-{digest}'"]  # no 'unsafe-inline'


def test_the_early_text_size_uses_the_widgets_keys_and_classes() -> None:
    js = SETTINGS.static_dir / assets.MODULES_DIR
    texts, state = (js / "texts.js").read_text(encoding="utf-8"), (js / "state.js").read_text(encoding="utf-8")
    sizes = re.findall(r"\{ value: '(\w+)', title: '[^']+', className: (?:'([\w-]+)'|null) \}", texts)
    assert [value for value, _ in sizes] == ["normal", "lg", "xl"]
    for value, class_name in sizes[1:]:
        assert class_name == f"chat-text-{value}" and f"v==='{value}'" in assets.TEXT_SIZE_SCRIPT
    prefixes = re.search(r"KEY_PREFIX = ADVISOR \? '([^']+)' : '([^']+)'", state)
    assert prefixes and f"?'{prefixes[1]}':'{prefixes[2]}'" in assets.TEXT_SIZE_SCRIPT
    assert "`${KEY_PREFIX}text-size`" in state and "+'text-size'" in assets.TEXT_SIZE_SCRIPT


def copy_static(tmp_path: Path) -> Settings:
    static = tmp_path / "static"
    shutil.copytree(SETTINGS.static_dir, static)
    return dataclasses.replace(SETTINGS, static_dir=static)


async def served_version(client: TestClient) -> str:
    _, _, body = await fetch(client, "/", PLAIN)
    match = re.search(r'<script type="module" src="/assets/js/([0-9a-f]{12})/chat\.js"', body.decode("utf-8"))
    assert match is not None
    return match.group(1)


def test_the_folder_version_changes_when_one_module_changes(tmp_path: Path) -> None:
    settings = copy_static(tmp_path)
    folder = settings.static_dir / assets.MODULES_DIR
    seen: list[str] = []

    async def test(client: TestClient) -> None:
        version = await served_version(client)
        seen.append(version)
        assert version == assets.modules_version(assets.modules(settings.static_dir))
        for name in MODULES:  # every module moves to the new folder: its relative imports too
            status, headers, _ = await fetch(client, module_url(name, version), PLAIN)
            assert status == 200 and headers["Cache-Control"] == assets.LONG_CACHE, name

    run(test, settings)
    assert seen == [FOLDER_VERSION]
    texts = folder / "texts.js"
    texts.write_bytes(texts.read_bytes().replace(b"Taille du texte", b"Taille des lettres"))
    run(test, settings)
    assert seen[1] != seen[0]

    async def stale(client: TestClient) -> None:  # the old folder's URLs are revalidated, with the new content
        status, headers, body = await fetch(client, module_url("texts.js", seen[0]), PLAIN)
        assert status == 200 and headers["Cache-Control"] == assets.REVALIDATE
        assert b"Taille des lettres" in body

    run(stale, settings)
    (folder / "extra.js").write_text("export const x = 1;\n", encoding="utf-8")  # a new module, a new version
    run(test, settings)
    assert len(set(seen)) == 3


def test_the_version_covers_names_and_bytes() -> None:
    base = {"a.js": b"1", "b.js": b"2"}
    assert assets.modules_version(base) == assets.modules_version(dict(reversed(base.items())))
    for other in ({"a.js": b"1", "b.js": b"3"}, {"a.js": b"1", "c.js": b"2"}, {"a.js": b"12", "b.js": b""},
                  {"a.js": b"1"}):  # fmt: skip
        assert assets.modules_version(other) != assets.modules_version(base), other
    assert assets.modules_version({}) is None


def test_the_modules_icons_are_checked(tmp_path: Path) -> None:
    """The icons check scans the modules: an fr-icon-* class used only in a module counts."""
    settings = copy_static(tmp_path)
    assert "fr-icon-printer-line" in assets.used_classes(settings.static_dir)  # only in js/summary.js
    (settings.static_dir / assets.MODULES_DIR / "extra.js").write_text("el('p', 'fr-icon-x-line');\n")
    assert "fr-icon-x-line" in assets.used_classes(settings.static_dir)


def test_the_page_bounds_a_stored_summary_sheet_with_the_sites_own_limits() -> None:
    """One set of limits: the page re-applies to its stored sheet exactly what the site applied."""
    from bot.web import app

    script = (Path(app.__file__).parent / "static" / assets.MODULES_DIR / "state.js").read_text(encoding="utf-8")
    found = re.search(r"const SUMMARY_LIMITS = \{ sections: (\d+), items: (\d+), chars: (\d+) \};", script)
    assert found, "SUMMARY_LIMITS introuvable dans state.js"
    assert tuple(map(int, found.groups())) == (app.MAX_SUMMARY_SECTIONS, app.MAX_SUMMARY_ITEMS, app.MAX_SUMMARY_LINE)


@pytest.mark.parametrize("name", ["index.html", "accompagnement.html"])
def test_each_page_gets_the_shared_head_and_scripts_after_its_own_title(name: str) -> None:
    """The head and the scripts are written once (assets.head_lines, assets.script_lines): each page marks
    where they go, the server puts them in, and the page keeps its own title and description."""
    from bot.web.app import render_page

    page = render_page(SETTINGS.static_dir, name)
    assert page is not None and "<!--#" not in page
    for lines in (assets.head_lines(), assets.script_lines()):
        assert "\n".join("  " + line for line in lines) in page
    assert page.index("<title>") < page.index('<meta name="description"') < page.index(assets.head_lines()[0])
    assert page.index(assets.script_lines()[-1]) < page.index("</body>")
