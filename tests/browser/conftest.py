"""The whole stack for browser tests: action server, Rasa (REST), the web front, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import action_endpoint_yaml

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "reports" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start(command: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    result = subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        reason = result.stderr.strip() or "Chromium missing"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return result.stdout.strip()


@pytest.fixture(scope="session")
def rasa_url(action_server_url) -> Iterator[str]:
    """A real `rasa run` (REST channel) on a free port, using the test action server."""
    port = free_port()
    endpoints = ARTIFACTS / "endpoints.yml"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    endpoints.write_text(action_endpoint_yaml(action_server_url), encoding="utf-8")
    rasa = Path(sys.executable).parent / "rasa"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [str(rasa), "run", "--model", str(ROOT / "models" / "mes.tar.gz"), "--interface", "127.0.0.1",
               "--port", str(port), "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)]
    process = start(command, env, "rasa.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/", process, timeout=240)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def web_front(rasa: str, log_name: str, **env: str) -> Iterator[str]:
    """Run `python -m bot.web` on a free port in front of ``rasa``; yield its URL."""
    port = free_port()
    # One browser plays many users from 127.0.0.1: lift the per-client rate limit (tested in tests/web).
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MES_RASA_URL": rasa, "MES_RATE_CAPACITY": "1000", **env}
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
