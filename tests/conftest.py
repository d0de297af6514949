"""Shared fixtures: project paths, the domain, the trained model and a running action server."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.guides import load_domain
from tools.processes import stop, wait_http

ROOT = Path(__file__).resolve().parent.parent
# Every Rasa process the tests start inherits this: no usage data, no crash report leaves the machine.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they are the slowest, and Playwright's sync API owns the event loop while it runs."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace("\\", "/"))


def pytest_configure(config):
    """Keep Rasa's structured logs at WARNING: its debug lines would echo every test message."""
    if importlib.util.find_spec("rasa") is None:
        return  # .venv-web (tests/web, tests/browser): no Rasa here; its servers run from .venv
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
MODEL = ROOT / "models" / "mes.tar.gz"
SERVER_LOGS = ROOT / "reports" / "servers"  # logs of the servers the tests start
# The shipped action endpoint's options (endpoints.yml), e.g. enable_selective_domain: the tests run them.
ACTION_ENDPOINT_OPTIONS = {
    k: v
    for k, v in yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["action_endpoint"].items()
    if k != "url"
}


def action_endpoint_yaml(url: str) -> str:
    """The shipped ``action_endpoint`` section of endpoints.yml, pointed at ``url`` (for a test's endpoints file)."""
    return yaml.safe_dump({"action_endpoint": {"url": url, **ACTION_ENDPOINT_OPTIONS}}, sort_keys=False)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_domain(ROOT / "domain")


@pytest.fixture(scope="session")
def thresholds() -> dict:
    return yaml.safe_load((ROOT / "config" / "thresholds.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def event_loop_session():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rasa_executable() -> str:
    """`rasa` of this interpreter's environment, else .venv's (the site's tests run in .venv-web, without Rasa)."""
    here = Path(sys.executable).parent / "rasa"
    return str(here if here.exists() else ROOT / ".venv" / "bin" / "rasa")


def start(command: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log = open(SERVER_LOGS / log_name, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)



def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"action server exited with code {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"nothing listens on port {port}")


@pytest.fixture(scope="session")
def france_services_db_url(tmp_path_factory) -> str:
    """A SQLite France Services store loaded from the shipped CSV, for the whole session."""
    from bot.france_services import engine_from_url, load_csv

    url = f"sqlite:///{tmp_path_factory.mktemp('fs') / 'france_services.db'}"
    engine = engine_from_url(url)
    load_csv(engine, ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def action_server_url(france_services_db_url):
    """A real rasa_sdk action server on a free port, for the whole session."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FRANCE_SERVICES_DB_URL": france_services_db_url,
           "SANIC_HOST": "127.0.0.1"}  # fmt: skip
    process = subprocess.Popen(
        [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def agent(event_loop_session, action_server_url):
    """The trained model (``make train``), wired to the test action server."""
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    assert MODEL.exists(), "No trained model: run `make train` (make test does it for you)."
    asyncio.set_event_loop(event_loop_session)
    return Agent.load(str(MODEL), action_endpoint=EndpointConfig(url=action_server_url, **ACTION_ENDPOINT_OPTIONS))


@pytest.fixture(scope="session")
def rasa_url(action_server_url) -> Iterator[str]:
    """A real `rasa run` (REST channel) on a free port, using the test action server."""
    port = free_port()
    endpoints = SERVER_LOGS / "endpoints.yml"
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    endpoints.write_text(action_endpoint_yaml(action_server_url), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [rasa_executable(), "run", "--model", str(ROOT / "models" / "mes.tar.gz"), "--interface", "127.0.0.1",
               "--port", str(port), "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)]
    process = start(command, env, "rasa.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/", process, timeout=240)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
