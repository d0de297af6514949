"""Score the reply a person reads: right facts in the first reply, or an honest decline.

A reply is every message the assistant sends back to the question. The markers below are the
opening sentences of the assistant's off-topic and « not sure » replies (domain/); a reply that
carries one of them declined to answer.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.text import normalize
from tools.evaluation.questions import Question

DECLINE_MARKERS = ("Je ne réponds qu'aux questions sur Mon espace santé",)
UNSURE_MARKERS = (
    "Je ne suis pas sûr de comprendre",
    "Je n'ai pas compris votre message",
    "Je n'ai pas de réponse plus sûre",  # utter_clarify_failed, after « not sure »
)
DESKS_FILE = Path("data") / "france_services" / "france_services_anct_20240801_raw.csv"
COMMUNES_FILE = Path("data") / "geo" / "communes_gazetteer_cog2026.csv"


@dataclass(frozen=True)
class Verdict:
    """How one reply scores."""

    correct: bool
    declined: bool  # off-topic message or « not sure »: no confident answer
    reason: str


def _has(text: str, phrase: str) -> bool:
    return normalize(phrase) in normalize(text)


def declined(text: str) -> bool:
    return any(_has(text, m) for m in (*DECLINE_MARKERS, *UNSURE_MARKERS))


def missing_facts(text: str, facts: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """The fact groups of which no alternative appears in ``text`` (case and accents ignored)."""
    folded = normalize(text)
    return [group for group in facts if not any(normalize(alternative) in folded for alternative in group)]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@lru_cache(maxsize=1)
def _desks(root: Path) -> list[tuple[str, float, float]]:
    from bot.france_services.raw import read_table  # the directory's own reader (schema.py)

    return [(r["name"], r["latitude"], r["longitude"]) for r in read_table(root / DESKS_FILE)]


@lru_cache(maxsize=1)
def _communes(root: Path) -> dict[str, tuple[float, float]]:
    with (root / COMMUNES_FILE).open(encoding="utf-8") as handle:
        return {r["insee_code"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(handle)
                if r["latitude"] and r["longitude"]}  # fmt: skip


def nearest_desks(insee: str, root: Path = Path("."), count: int = 3) -> list[str]:
    """Names of the ``count`` desks nearest to the commune, computed here from the open data alone."""
    position = _communes(root).get(insee)
    if position is None:
        return []
    ranked = sorted(_desks(root), key=lambda d: _distance_km(position[0], position[1], d[1], d[2]))
    return [name for name, _, _ in ranked[:count]]


def score(question: Question, text: str, root: Path = Path(".")) -> Verdict:
    """The verdict for the first reply ``text`` to ``question``."""
    refused = declined(text)
    if question.expect == "decline":
        return Verdict(refused, refused, "déclinée" if refused else "réponse donnée à une question hors sujet")
    if question.expect == "facts" and not question.facts:
        # the knowledge file has no answer: the honest reply is « not sure », which hands over to a person
        return Verdict(refused, False, "« je ne sais pas » honnête" if refused else "réponse assurée sans base")
    if refused:
        return Verdict(False, True, "a décliné ou n'a pas compris")
    if question.expect == "places":
        desks = nearest_desks(question.insee or "", root)
        hit = any(_has(text, name) for name in desks)
        return Verdict(hit, False, "France Services les plus proches" if hit else f"attendu : {desks[:1]}")
    missing = missing_facts(text, question.facts)
    if missing:
        return Verdict(False, False, "manque : " + " ; ".join(" / ".join(g) for g in missing))
    return Verdict(True, False, "faits présents")
