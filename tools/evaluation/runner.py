"""Ask every external question through the REST channel and write ``reports/eval/results.{json,md}``.

Uses the assistant on ports 5005/5055 when it answers; otherwise starts one (actions and Rasa, with a
throw-away conversation store) and stops it afterwards. Each question opens a new conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import yaml

from tools.evaluation.questions import QUESTIONS_FOLDER, TEAM_PLACES_FILE, Question, load_questions, load_team_places
from tools.evaluation.report import summarize, write_reports
from tools.evaluation.scoring import score
from tools.processes import answers, stop, wait_http

RASA_URL = "http://127.0.0.1:5005"
ACTIONS_URL = "http://127.0.0.1:5055"
ADVISOR_PAYLOAD = '/set_audience{"audience": "advisor"}'
CONCURRENCY = 4
TIMEOUT = aiohttp.ClientTimeout(total=60)
STARTUP_TIMEOUT = 240  # seconds for each server to answer


async def _post(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> list[dict]:
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as reply:
        reply.raise_for_status()
        return await reply.json()


async def ask(session: aiohttp.ClientSession, url: str, question: Question) -> list[dict]:
    """The assistant's messages in reply to ``question``, in a new conversation."""
    sender = f"eval-{question.id}-{uuid.uuid4().hex[:8]}"
    if question.audience == "advisor":
        await _post(session, url, sender, ADVISOR_PAYLOAD)
    return await _post(session, url, sender, question.text)


async def ask_all(url: str, questions: list[Question]) -> list[tuple[Question, list[dict], float]]:
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(session: aiohttp.ClientSession, question: Question) -> tuple[Question, list[dict], float]:
        async with limit:
            started = time.perf_counter()
            messages = await ask(session, url, question)
            return question, messages, time.perf_counter() - started

    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        return await asyncio.gather(*(one(session, q) for q in questions))


def reply_text(messages: list[dict]) -> str:
    """What the person reads: every text message of the reply, in order."""
    return "\n".join(m["text"] for m in messages if isinstance(m, dict) and isinstance(m.get("text"), str))


@contextlib.contextmanager
def assistant(root: Path) -> Iterator[str]:
    """The running assistant's URL, or a temporary one started (and stopped) here."""
    if answers(RASA_URL) and answers(f"{ACTIONS_URL}/health"):
        yield RASA_URL
        return
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": "127.0.0.1"}
    with tempfile.TemporaryDirectory(prefix="mes-eval-") as tmp:
        shipped = yaml.safe_load((root / "endpoints.yml").read_text(encoding="utf-8"))
        shipped["action_endpoint"]["url"] = f"{ACTIONS_URL}/webhook"
        env["MES_TRACKER_DB_URL"] = f"sqlite:///{tmp}/eval-trackers.db"  # never the users' conversations
        endpoints = Path(tmp) / "endpoints.yml"
        endpoints.write_text(yaml.safe_dump(shipped), encoding="utf-8")
        log = open(Path(tmp) / "servers.log", "w")  # noqa: SIM115 - closed below
        processes = [
            subprocess.Popen([str(bin_dir / "rasa"), "run", "actions", "--actions", "actions", "--port", "5055"],
                             cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT),
            subprocess.Popen([str(bin_dir / "rasa"), "run", "--model", str(root / "models" / "mes.tar.gz"),
                              "--interface", "127.0.0.1", "--port", "5005", "--endpoints", str(endpoints),
                              "--credentials", str(root / "credentials.yml")],
                             cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT),
        ]  # fmt: skip
        try:
            wait_http(f"{ACTIONS_URL}/health", processes[0], STARTUP_TIMEOUT)
            wait_http(f"{RASA_URL}/", processes[1], STARTUP_TIMEOUT)
            yield RASA_URL
        finally:
            for process in processes:
                stop(process)
            log.close()


def scored(asked: list[tuple[Question, list[dict], float]], root: Path) -> list[dict]:
    """One row per question: the reply as read, its verdict and the time it took."""
    rows = []
    for question, messages, seconds in asked:
        text = reply_text(messages)
        rows.append({"question": question, "reply": text, "verdict": score(question, text, root), "seconds": seconds})
    return rows


def all_questions(root: Path) -> list[Question]:
    """The external questions, then the team's place questions."""
    return [*load_questions(root / QUESTIONS_FOLDER), *load_team_places(root / TEAM_PLACES_FILE)]


def run(root: Path, out: Path) -> dict:
    """Ask, score and write the reports; returns the summary."""
    questions = all_questions(root)
    with assistant(root) as url:
        asked = asyncio.run(ask_all(url, questions))
    rows = scored(asked, root)
    summary = summarize(rows)
    write_reports(rows, summary, out)
    return summary


def main(root: Path) -> int:
    out = root / "reports" / "eval"
    summary = run(root, out)
    print(json.dumps({k: summary[k] for k in ("total", "correct", "accuracy", "out_of_scope", "in_scope_refused")},
                     ensure_ascii=False))  # fmt: skip
    print(f"Rapport : {out / 'results.md'}")
    return 0
