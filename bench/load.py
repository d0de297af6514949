"""The bench's one HTTP client (aiohttp): the scripted conversation, cold start, concurrent users, long conversation.

The same code and the same script drive both models. A latency is the wall clock of one POST to
/webhooks/rest/webhook, from sending the request to reading the whole reply.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = aiohttp.ClientTimeout(total=300)

# (file of tests/nlu, intent, index) of a held-out sentence — or a button payload, written as sent.
# A visitor says hello, asks three questions, follows the activation guide (buttons and typed
# answers), looks for a France Services desk step by step, asks one more thing, thanks and leaves.
SCRIPT_SPEC: tuple[tuple[str, str, int] | str, ...] = (
    ("chitchat", "greet", 0),
    ("account", "faq/what_is_mes", 0),
    ("documents", "faq/who_can_see", 0),
    ("activation", "faq/forgot_password", 0),
    "/activation_start",
    ("procedure", "step_done", 0),
    "/step_done",
    "/step_done",
    ("procedure", "step_done", 1),
    ("help", "find_france_services", 0),
    ("places", "inform_place", 0),
    ("documents", "faq/add_document", 0),
    ("chitchat", "thanks", 0),
    ("chitchat", "goodbye", 0),
)
# Sent at the measured turns of the long conversation (1, 10, 50, 100), so that those turns differ only by history.
PROBE_SPEC = ("account", "faq/what_is_mes", 1)


def _held_out(file: str, intent: str, index: int) -> str:
    data = yaml.safe_load((ROOT / "tests" / "nlu" / f"{file}.yml").read_text(encoding="utf-8"))
    for item in data.get("nlu", []):
        if item.get("intent") == intent:
            examples = [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
            return examples[index]
    raise KeyError(f"no intent {intent} in tests/nlu/{file}.yml")


def script() -> list[str]:
    return [item if isinstance(item, str) else _held_out(*item) for item in SCRIPT_SPEC]


def probe() -> str:
    return _held_out(*PROBE_SPEC)


@dataclass
class Tally:
    """Latencies (ms) of the answered messages, and what went wrong."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    error_samples: list[str] = field(default_factory=list)

    def note_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)


class Client:
    def __init__(self, port: int, connections: int = 100) -> None:
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        self.connections = connections
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Client:
        connector = aiohttp.TCPConnector(limit=self.connections, force_close=False)
        self.session = aiohttp.ClientSession(connector=connector, timeout=TIMEOUT)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None
        await self.session.close()

    async def say(self, sender: str, text: str, tally: Tally) -> float | None:
        """Send one message; its latency in ms, or None (counted in the tally) when it failed."""
        assert self.session is not None
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, json={"sender": sender, "message": text}) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            tally.note_error(f"{type(error).__name__}: {error}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            tally.note_error(f"HTTP {status}")
            return None
        if not body:
            tally.empty += 1
        tally.latencies_ms.append(elapsed)
        return elapsed

    async def conversation(self, sender: str, messages: list[str], tally: Tally) -> None:
        for text in messages:
            await self.say(sender, text, tally)


async def cold_start(process: subprocess.Popen, started: float, port: int, timeout: float = 900) -> float:
    """Seconds from `started` (just before the process was launched) to the first 200 of the REST webhook."""
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        while time.monotonic() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"rasa exited with code {process.returncode} before answering")
            try:
                message = {"sender": f"cold-{uuid.uuid4().hex}", "message": "bonjour"}
                async with session.post(url, json=message) as response:
                    await response.read()
                    if response.status == 200:
                        return time.monotonic() - started
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"no answer from rasa after {timeout:.0f} s")


async def concurrent_users(port: int, users: int, conversations: int, messages: list[str], tag: str) -> dict:
    """`users` virtual users run `conversations` scripted conversations between them (each its own sender)."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(conversations):
        queue.put_nowait(number)
    tally = Tally()

    async with Client(port, connections=max(users, 1)) as client:

        async def user() -> None:
            while True:
                try:
                    number = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await client.conversation(f"{tag}-{number}-{uuid.uuid4().hex[:8]}", messages, tally)

        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(users)))
        wall = time.perf_counter() - started
    return {
        "users": users,
        "conversations": conversations,
        "messages": len(tally.latencies_ms),
        "wall_s": wall,
        "throughput_msg_s": len(tally.latencies_ms) / wall if wall else 0.0,
        "errors": tally.errors,
        "error_samples": tally.error_samples,
        "empty_replies": tally.empty,
        "latencies_ms": tally.latencies_ms,
    }


async def long_conversations(port: int, turns: list[int], repetitions: int, messages: list[str], question: str,
                             tag: str) -> dict:  # fmt: skip
    """`repetitions` conversations of max(turns) messages, one after the other; the latency of each measured turn.

    Measured turns get the same question; the others follow the script, again and again.
    """
    last = max(turns)
    measured: dict[str, list[float]] = {str(turn): [] for turn in turns}
    tally = Tally()
    async with Client(port, connections=1) as client:
        for repetition in range(repetitions):
            sender = f"{tag}-{repetition}-{uuid.uuid4().hex[:8]}"
            for turn in range(1, last + 1):
                text = question if turn in turns else messages[(turn - 1) % len(messages)]
                latency = await client.say(sender, text, tally)
                if turn in turns and latency is not None:
                    measured[str(turn)].append(latency)
    return {"latencies_ms": measured, "errors": tally.errors, "error_samples": tally.error_samples,
            "empty_replies": tally.empty}  # fmt: skip
