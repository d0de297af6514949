"""The whole stack for browser tests: action server, Rasa (REST), the web front, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port, start
from tools.processes import stop, wait_http

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "reports" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@pytest.fixture(scope="session")
def chromium_path() -> str:
    result = subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        reason = result.stderr.strip() or "Chromium missing"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return result.stdout.strip()


@contextlib.contextmanager
def web_front(rasa: str, log_name: str, **env: str) -> Iterator[str]:
    """Run `python -m bot.web` on a free port in front of ``rasa``; yield its URL."""
    port = free_port()
    # One browser plays many users from 127.0.0.1: lift the rate limits (tested in tests/web).
    limits = {"MES_RATE_CAPACITY": "1000", "MES_ADDRESS_RATE_CAPACITY": "10000"}
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MES_RASA_URL": rasa, **limits, **env}
    command = [sys.executable, "-m", "bot.web", "--host", "127.0.0.1", "--port", str(port)]
    process = start(command, environment, log_name)
    try:
        wait_http(f"http://127.0.0.1:{port}/", process, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def site_url(rasa_url, action_server_url, france_services_db_url) -> Iterator[str]:
    """The web front in front of that Rasa."""
    env = {
        "MES_ACTIONS_HEALTH_URL": action_server_url.replace("/webhook", "/health"),
        "FRANCE_SERVICES_DB_URL": france_services_db_url,
    }
    with web_front(rasa_url, "web.log", **env) as url:
        yield url


@pytest.fixture
def site_without_rasa() -> Iterator[str]:
    """The web front in front of a port where nothing listens."""
    with web_front(f"http://127.0.0.1:{free_port()}", "web_rasa_down.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Playwright's sync API runs its own event loop in this thread: keep it to this module only,
    so that the asyncio-based tests that run after it find no loop running."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url, request):
    """A fresh tab (new context: empty session storage) that records errors and foreign requests."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems = []  # console errors, CSP violations, page errors, requests to other origins
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else page.problems.append(f"request: {r.url}"),
    )
    page.goto(site_url)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
