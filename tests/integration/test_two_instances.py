"""Two Rasa instances sharing PostgreSQL (redacting tracker store) and Redis (lock store), for real.

One conversation alternates between the instances and keeps its state; concurrent messages are
all stored once, in order; killing one instance lets the other continue; personal data never
reaches the database or Rasa's own log files. Needs the local PostgreSQL and Redis: skipped when
they are unreachable, a failure when CI=true.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import action_endpoint_yaml
from tests.integration.conftest import fresh_pg_database, unavailable

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
SECRETS = [
    "1 85 05 78 006 084 36",
    "jeanne.martin@example.fr",
    "06 12 34 56 78",
    "12 rue des Lilas",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh PostgreSQL database for the tracker store, dropped at the end."""
    with fresh_pg_database("mes_it") as url:
        yield url


@pytest.fixture(scope="module")
def redis_ready() -> None:
    try:
        with socket.create_connection(REDIS, timeout=2) as s:
            s.sendall(b"PING\r\n")
            assert s.recv(16).startswith(b"+PONG")
    except (OSError, AssertionError) as error:
        unavailable(f"Redis unreachable at {REDIS}: {error}")


def start_rasa(port: int, endpoints: Path, log: Path) -> subprocess.Popen:
    rasa = Path(sys.executable).parent / "rasa"
    command = [str(rasa), "run", "--model", str(ROOT / "models" / "mes.tar.gz"), "--interface", "127.0.0.1",
               "--port", str(port), "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
               "--debug", "--log-file", str(log)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_up(port: int, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"rasa on {port} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"rasa on {port} not up after {timeout:.0f} s")


class ActionServer:
    """The action server of these instances, which the fault tests stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhook"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        rasa = Path(sys.executable).parent / "rasa"
        # The France Services database is unreachable on purpose: the directory must answer from its copy.
        env = {**os.environ, "PYTHONPATH": str(ROOT), "FRANCE_SERVICES_DB_URL": "postgresql://nobody@127.0.0.1:1/none",
               "SANIC_HOST": "127.0.0.1"}  # fmt: skip
        command = [str(rasa), "run", "actions", "--actions", "actions", "--port", str(self.port)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, **quiet)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("action server not up")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def actions() -> Iterator[ActionServer]:
    server = ActionServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def instances(database, redis_ready, actions, tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("two_instances")
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(
        action_endpoint_yaml(actions.url)
        + f"tracker_store:\n  type: rasa_ext.stores.tracker_store.RedactingSQLTrackerStore\n  url: {database}\n"
        f"lock_store:\n  type: rasa_ext.stores.lock_store.AtomicRedisLockStore\n"
        f"  url: {REDIS[0]}\n  port: {REDIS[1]}\n  db: 1\n"
        f"  key_prefix: mes{uuid.uuid4().hex[:8]}\n",
        encoding="utf-8",
    )
    ports = [free_port(), free_port()]
    logs = [folder / f"rasa_{i}.log" for i in range(2)]
    processes = [start_rasa(port, endpoints, log) for port, log in zip(ports, logs, strict=True)]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_up(port, process)
        yield {"ports": ports, "processes": processes, "logs": logs, "db": database}
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=60)


def say(port: int, sender: str, message: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return "\n".join(m.get("text") or "" for m in json.loads(response.read()))


def user_texts(db: str, sender: str) -> list[str]:
    engine = sa.create_engine(db, future=True)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id")
            rows = conn.execute(query, {"s": sender}).all()
    finally:
        engine.dispose()
    return [json.loads(row.data)["text"] for row in rows]


def test_one_conversation_alternating_between_two_instances(instances):
    a, b = instances["ports"]
    sender = uuid.uuid4().hex
    assert "Étape 1 sur 8" in say(a, sender, "/activation_start")
    for step in range(2, 6):
        port = b if step % 2 == 0 else a
        assert f"Étape {step} sur 8" in say(port, sender, "/step_done"), step
    assert user_texts(instances["db"], sender) == ["/activation_start"] + ["/step_done"] * 4


def test_concurrent_messages_are_serialised_not_lost(instances):
    a, b = instances["ports"]
    sender = uuid.uuid4().hex
    say(a, sender, "/activation_start")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: say((a, b)[i % 2], sender, "/step_done"), range(4)))
    assert user_texts(instances["db"], sender) == ["/activation_start"] + ["/step_done"] * 4
    assert "Étape 6 sur 8" in say(b, sender, "/step_done")  # four steps done, in order, once each


def test_personal_data_never_stored_nor_logged(instances):
    a, b = instances["ports"]
    sender = uuid.uuid4().hex
    say(a, sender, f"bonjour, mon numéro de sécu est {SECRETS[0]} et mon mail {SECRETS[1]}")
    say(b, sender, f"appelez-moi au {SECRETS[2]}, j'habite {SECRETS[3]} 88000 Épinal")
    engine = sa.create_engine(instances["db"], future=True)
    with engine.connect() as conn:
        dump = "\n".join(row.data for row in conn.execute(sa.text("SELECT data FROM events")))
    engine.dispose()
    logs = "\n".join(log.read_text(encoding="utf-8", errors="replace") for log in instances["logs"])
    assert "88000" in dump  # the postcode is kept: the France Services finder needs it
    for secret in SECRETS:
        for digits_only in (secret, secret.replace(" ", "")):
            assert digits_only not in dump, secret
            assert digits_only not in logs, secret


def test_personal_data_sent_through_the_web_front_is_nowhere(instances, tmp_path):
    """The issue's end-to-end check: via the proxy, then scan the database and every log written."""
    import asyncio
    import logging
    from dataclasses import replace

    from aiohttp.test_utils import TestClient, TestServer

    from bot.privacy import logs
    from bot.web.app import create_app
    from bot.web.settings import Settings

    web_log = tmp_path / "web.log"
    handler = logging.FileHandler(web_log, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.DEBUG
    logs.install()
    settings = replace(Settings(), rasa_url=f"http://127.0.0.1:{instances['ports'][1]}")
    session = str(uuid.uuid4())

    async def send_all() -> list[str]:
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()
        try:
            answers = []
            for secret in SECRETS:
                message = {"session_id": session, "message": f"voici {secret} pour mon code provisoire"}
                response = await client.post("/api/chat", json=message)
                answers.append(json.dumps(await response.json(), ensure_ascii=False))
                logging.getLogger("bot.web.app").info("user wrote %s", message["message"])  # a careless log line
            return answers
        finally:
            await client.close()

    try:
        answers = asyncio.run(send_all())
    finally:
        root.removeHandler(handler)
        handler.close()
        root.level = level
    assert all("pas gardé" in answer for answer in answers)
    engine = sa.create_engine(instances["db"], future=True)
    with engine.connect() as conn:
        rows = [json.loads(r.data) for r in conn.execute(sa.text("SELECT data FROM events"))]
    engine.dispose()
    written = [json.dumps(rows, ensure_ascii=False), web_log.read_text(encoding="utf-8"), *answers]
    written += [log.read_text(encoding="utf-8", errors="replace") for log in instances["logs"]]
    assert "user wrote voici [" in written[1]  # the log line exists, redacted
    for text in written:
        for secret in SECRETS:
            assert secret not in text and secret.replace(" ", "") not in text, secret


def test_france_services_answers_while_its_database_is_down(instances):
    a, _ = instances["ports"]
    text = say(a, uuid.uuid4().hex, "une France services près de Épinal")
    assert "Voici les 3 France services les plus proches d'Épinal (88)" in text


def test_action_server_down_is_said_in_french_then_the_conversation_goes_on(instances, actions):
    import asyncio
    from dataclasses import replace

    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import create_app
    from bot.web.settings import Settings

    b = instances["ports"][1]
    health = actions.url.replace("/webhook", "/health")
    settings = replace(Settings(), rasa_url=f"http://127.0.0.1:{b}", actions_health_url=health)

    async def conversation() -> list[str]:
        # One client: its cookie jar keeps the conversation cookie the site issues (the site names the sender).
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()

        async def chat(message: str) -> str:
            response = await client.post("/api/chat", json={"message": message})
            assert response.status == 200
            return "\n".join(m["text"] or "" for m in (await response.json())["messages"])

        try:
            texts = [await chat("/activation_start")]
            actions.stop()
            try:
                texts.append(await chat("/step_done"))
            finally:
                actions.start()
            texts.append(await chat("/step_done"))
            return texts
        finally:
            await client.close()

    first, down, back = asyncio.run(conversation())
    assert "Étape 1 sur 8" in first
    assert "indisponible" in down and "3422" in down
    assert "Étape 2 sur 8" in back  # back where the user was


def test_killing_one_instance_lets_the_other_continue(instances):
    a, b = instances["ports"]
    sender = uuid.uuid4().hex
    assert "Étape 1 sur 4" in say(a, sender, "/child_activation_start")
    assert "Étape 2 sur 4" in say(a, sender, "/step_done")
    first = instances["processes"][0]
    first.kill()
    first.wait(timeout=30)
    assert "Étape 3 sur 4" in say(b, sender, "/step_done")
    assert user_texts(instances["db"], sender) == ["/child_activation_start", "/step_done", "/step_done"]


def test_no_telemetry_anywhere():
    """Rasa's telemetry sends crash reports (which may quote user text) to Sentry: off in every launcher."""
    from rasa import telemetry

    assert telemetry.is_telemetry_enabled() is False
    for path in ("Makefile", "scripts/run.sh", "deploy/Dockerfile"):
        assert "RASA_TELEMETRY_ENABLED" in (ROOT / path).read_text(encoding="utf-8"), path
