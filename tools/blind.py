"""`python -m tools blind`: the trained model on the questions written blind (tests/blind), answer by answer.

A yardstick for trials, not a bar: `make eval` (tests/external) judges understanding. The external set's dev split
and test half A have been looked at or compared on for days; these 1,850 questions, written by helpers who never
saw the bank's phrasings nor the external set, are many more and unworn. Each is parsed by the bare NLU model (no
action server, no conversation): right when the model's answer is the one it was written for, « in the three
likeliest » when that answer is among the selector's first three, refused when the gate declines or is unsure.
Writes reports/blind/results.{json,md}.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import yaml

from bot.answers.bank import load_bank
from bot.answers.respond import selector_ranking

BLIND_FILE = Path("tests") / "blind" / "questions.yml"
MODEL = Path("models") / "mes.tar.gz"
REFUSALS = ("nlu_fallback", "out_of_scope")


def load_blind(root: Path) -> list[tuple[str, str]]:
    """(question, answer id) pairs of tests/blind/questions.yml."""
    grouped = (yaml.safe_load((root / BLIND_FILE).read_text(encoding="utf-8")) or {}).get("answers") or {}
    return [(str(text), str(unit_id)) for unit_id, texts in grouped.items() for text in texts or []]


def outcome(parsed: dict, expected: str) -> str:
    """« right », « top3 » (among the three likeliest answers), « refused » or « wrong »."""
    intent = (parsed.get("intent") or {}).get("name")
    ranking = [unit_id for unit_id, _ in selector_ranking(parsed.get("response_selector"))]
    if intent == "faq" and ranking[:1] == [expected]:
        return "right"
    if expected in ranking[:3]:
        return "top3"
    return "refused" if intent in REFUSALS else "wrong"


def summarize(rows: list[tuple[str, str, str]], tasks: dict[str, str]) -> dict:
    """Shares of each outcome, overall and by task (rows: question, answer id, outcome)."""

    def shares(outcomes: list[str]) -> dict:
        counts, total = Counter(outcomes), len(outcomes)

        def share(count: int) -> float:
            return round(count / total, 4) if total else 0.0

        return {"total": total, "right": share(counts["right"]), "top3": share(counts["right"] + counts["top3"]),
                "refused": share(counts["refused"])}  # fmt: skip

    by_task: dict[str, list[str]] = {}
    for _, unit_id, result in rows:
        by_task.setdefault(tasks.get(unit_id, "?"), []).append(result)
    return {**shares([result for _, _, result in rows]),
            "by_task": {task: shares(results) for task, results in sorted(by_task.items())}}  # fmt: skip


def _markdown(summary: dict) -> str:
    lines = ["# Questions écrites à l'aveugle (tests/blind)", "",
             "Modèle seul (sans serveur d'actions ni conversation) : juste si la réponse choisie est celle pour "
             "laquelle la question a été écrite. Un étalon pour comparer des essais ; `make eval` reste le juge.", "",
             "| tâche | questions | juste | dans les trois premières | refusée |", "|---|---|---|---|---|"]  # fmt: skip
    for task, part in [("toutes", summary), *summary["by_task"].items()]:
        lines.append(f"| {task} | {part['total']} | {part['right']:.1%} | {part['top3']:.1%} | {part['refused']:.1%} |")
    return "\n".join(lines) + "\n"


def run(root: Path) -> dict:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # not a debug line per question
    agent = Agent.load(str(root / MODEL))
    loop = asyncio.new_event_loop()
    rows = []
    for text, unit_id in load_blind(root):
        parsed = loop.run_until_complete(agent.parse_message(text))
        rows.append((text, unit_id, outcome(parsed, unit_id)))
    loop.close()
    summary = summarize(rows, {unit.id: unit.task for unit in load_bank(root / "data" / "answers")})
    out = root / "reports" / "blind"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "results.md").write_text(_markdown(summary), encoding="utf-8")
    return summary


def main(root: Path) -> int:
    summary = run(root)
    print(f"{summary['total']} questions : juste {summary['right']:.1%}, dans les trois premières "
          f"{summary['top3']:.1%}, refusées {summary['refused']:.1%} (reports/blind/results.md)")  # fmt: skip
    return 0
