"""`python -m bench selector`: the project's classifier against Rasa's DIET + ResponseSelector, same bank.

Uses the two models `make bench` trains on the same data (var/bench/full: the project's config.yml and
Rasa's default recipe, whose DIET chooses the intent and whose ResponseSelector chooses the answer among
the retrieval intents faq/<id>); trains them first if they are missing or stale. Each model is loaded
with Rasa's Agent and asked every external question (tests/external, place questions aside); the text
the assistant would send for the chosen label is scored as `make eval` scores it (tools/evaluation).
Writes reports/bench/selector.{md,json}: answer accuracy, off-topic declined, in-scope refused, time to
train the classifiers (from the training logs) and the whole model, median time to parse a message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import statistics
import time
from pathlib import Path

from bot.answers.bank import load_bank
from tools.evaluation.offline import ReplyTexts, label_of
from tools.evaluation.questions import load_questions
from tools.evaluation.report import summarize
from tools.evaluation.scoring import score

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "full"
REPORTS = ROOT / "reports" / "bench"
CLASSIFIERS = {"project": ("LinearIntentClassifier",), "default": ("DIETClassifier", "ResponseSelector")}
_STEP = re.compile(r"^(\S+ \S+) INFO\s+rasa\.engine\.training\.hooks\s+- (Starting to train|Finished training) "
                   r"component '(\w+)'")  # fmt: skip


def classifier_seconds(log: Path, components: tuple[str, ...]) -> float:
    """Seconds spent training ``components``, from the timestamps of Rasa's training log."""
    started: dict[str, dt.datetime] = {}
    total = 0.0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _STEP.match(line)
        if not match or match.group(3) not in components:
            continue
        moment = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S")
        if match.group(2) == "Starting to train":
            started[match.group(3)] = moment
        elif match.group(3) in started:
            total += (moment - started.pop(match.group(3))).total_seconds()
    return total


def evaluate(model: Path) -> dict:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    texts = ReplyTexts(load_bank(ROOT / "data" / "answers"), ROOT / "domain")
    questions = [q for q in load_questions(ROOT / "tests" / "external" / "questions") if q.expect != "places"]
    loop = asyncio.new_event_loop()
    rows = []
    for question in questions:
        started = time.perf_counter()
        parsed = loop.run_until_complete(agent.parse_message(question.text))
        seconds = time.perf_counter() - started
        rows.append({"question": question, "verdict": score(question, texts.text(label_of(parsed)), ROOT),
                     "seconds": seconds})  # fmt: skip
    loop.close()
    summary = summarize(rows)  # the figures make eval reports, from the same verdicts
    return {
        "questions": summary["total"],
        "accuracy": summary["accuracy"],
        "in_scope_accuracy": summary["in_scope"]["accuracy"],
        "off_topic_declined": summary["out_of_scope"]["rate"],
        "in_scope_refused": summary["in_scope_refused"],
        "parse_ms_median": round(1000 * statistics.median(r["seconds"] for r in rows), 2),
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    from bench.runner import add_default_epochs, train_both

    parser = argparse.ArgumentParser(prog="python -m bench selector", description=__doc__.split("\n\n")[0])
    add_default_epochs(parser)
    args = parser.parse_args(argv)
    training = train_both(WORK, quick=False, force=False, epochs=args.default_epochs)
    results = {}
    for name in ("project", "default"):
        log = WORK / "logs" / f"train_{name}.log"
        results[name] = {"classifier_training_s": round(classifier_seconds(log, CLASSIFIERS[name]), 1),
                         "training_s": round(training[name]["seconds"], 1),
                         **evaluate(ROOT / training[name]["model"])}  # fmt: skip
        print(f"{name} : {results[name]}", flush=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "selector.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = ["# Classifieur du projet et ResponseSelector de Rasa, même banque, mêmes questions", ""]
    if args.default_epochs:
        lines += [f"> **Recette par défaut entraînée avec {args.default_epochs} époques au lieu de 100** : son temps "
                  "d'analyse est celui du vrai modèle, mais ses réponses justes ne se comparent pas à celles du "
                  "projet (réseau sous-entraîné).", ""]  # fmt: skip
    lines += ["| mesure | projet | DIET + ResponseSelector (recette par défaut) |", "|---|---|---|"]  # fmt: skip
    rows = (("accuracy", "réponses justes (questions hors lieux)"),
            ("in_scope_accuracy", "réponses justes, questions du domaine"),
            ("off_topic_declined", "hors sujet déclinées"), ("in_scope_refused", "domaine refusé"),
            ("classifier_training_s", "entraînement des classifieurs (s)"),
            ("training_s", "entraînement complet, rasa train (s)"),
            ("parse_ms_median", "analyse d'un message, médiane (ms)"))  # fmt: skip
    for key, title in rows:
        lines.append(f"| {title} | {results['project'][key]} | {results['default'][key]} |")
    (REPORTS / "selector.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Rapport : {REPORTS / 'selector.md'}")
    return 0
