"""France Services search dialogue: understand the user's place and word the questions, plain Python.

The Rasa form ``france_services_form`` asks for one slot, ``fs_place``; its validation action calls
:func:`interpret` on every user message and the ask action calls :func:`prompt`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from bot.places import Gazetteer, Place, Resolution
from bot.places.extract import Found, find_place, trusted_in_request
from bot.places.position import round_coordinate
from bot.text import has_markup, normalize

MAX_FAILURES = 3  # after this many unusable answers, stop asking and point to a human
MAX_CHOICES = 6
CONFIDENT = 0.6  # a message confidently about something else interrupts the search
PLACE_INTENTS = frozenset({"find_france_services", "inform_place", "share_position", "nlu_fallback"})
POSITION_INTENT = "share_position"
POSITION_PAYLOAD = "/share_position"

# Rough boxes around France and its overseas territories (latitude min, max, longitude min, max).
FRANCE_BOXES = (
    (41.2, 51.2, -5.8, 9.8),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.95, -61.3, -60.75),  # Martinique
    (2.0, 5.9, -54.7, -51.4),  # French Guiana
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (17.8, 18.2, -63.2, -62.7),  # Saint-Martin, Saint-Barthélemy
)

_DONT_KNOW = re.compile(
    r"^(?:euh+ )?(?:je (?:ne )?(?:le )?sais (?:pas|plus|rien)|(?:j en )?sais (?:pas|rien)|ch?ais pas|aucune idee|"
    r"je (?:ne )?(?:le )?connais pas|je (?:ne )?m en souviens (?:pas|plus)|pas sur|je suis perdue?|"
    r"j ai oublie|ne sais pas|sais plus|aucune id|no idea|jsp)\b"
)
_STOP = re.compile(
    r"^(?:stop|arrete[rz]?|annule[rz]?|laisse[rz]? tomber|on arrete|c est bon merci|non merci|"
    r"je ne veux plus|plus besoin|quitter?|fin|terminer?)\b"
)
# The days a person names (« le week-end » too), also read by answer.asked_day.
DAY_WORDS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|week[ -]?end"
# « yutz, mais ouvert le samedi matin svp » answering « Dans quelle commune ? » got the 3422's hours (a persona,
# 6 December 2026): the day asked is read by answer.asked_day, the place in what is left.
_OPENING_DAY = re.compile(
    r"[,;]?\s*\b(?:mais\s+)?(?:ouverte?s?\s+)?(?:le\s+|les\s+|un\s+|une\s+)?"
    rf"(?:{DAY_WORDS})s?\b"
    r"(?:\s+(?:matin|midi|soir|apr[eè]s[ -]midi))?(?:\s*(?:svp|stp|s'il vous pla[iî]t|s il vous plait)\b)?",
    re.IGNORECASE,
)
_POSTCODE_ONLY = re.compile(r"^\s*\d{5}\s*$")
_NAME_AND_DEPARTMENT = re.compile(r"^\s*[^\W\d][\w'’ -]*\s\(?(?:\d{2,3}|2a|2b)\)?\s*$", re.I)


@dataclass(frozen=True)
class UserTurn:
    """What the validation action knows about the latest user message."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    entities: dict[str, Any] = field(default_factory=dict)
    answering: bool = False  # the assistant has just asked for the place
    failures: int = 0


@dataclass(frozen=True)
class Decision:
    """What to do with the user's message.

    ``outcome``: "found" (search now), "ask" (ask again, with ``prompt``), "reject" (not about the
    search: let the other rules answer) or "stop" (end the search; ``prompt`` says why).
    """

    outcome: str
    prompt: str | None = None
    label: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    kind: str | None = None
    choices: list[dict[str, str]] = field(default_factory=list)
    failures: int = 0


@dataclass(frozen=True)
class Reply:
    """One message to the user."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def in_france(latitude: float, longitude: float) -> bool:
    """Whether the coordinates fall in France (metropolitan or overseas)."""
    return any(a <= latitude <= b and c <= longitude <= d for a, b, c, d in FRANCE_BOXES)


def place_label(resolution: Resolution) -> str:
    """How to name the place in the answer: "Épinal (88)", "les environs de Épinal, Vosges (88)"."""
    place = resolution.places[0]
    if resolution.kind == "department":
        return f"{place.name}, la plus grande commune du département {place.dep_name} ({place.dep_code})"
    return f"{place.name} ({place.dep_code})"


def interpret(turn: UserTurn, gazetteer: Gazetteer) -> Decision:
    """Decide what the user's message means for the search (never raises)."""
    text = turn.text if isinstance(turn.text, str) else ""
    if turn.intent == POSITION_INTENT or text.strip().startswith(POSITION_PAYLOAD):
        return _position(turn)
    folded = normalize(text)
    if _STOP.match(folded):
        return Decision("stop", prompt="cancelled")
    if _DONT_KNOW.match(folded):
        return Decision("ask", prompt="dont_know", failures=turn.failures)
    # a commune and its department given on their own (« Valence 82 », a one-tap choice) read as an answer
    place_text = _OPENING_DAY.sub(" ", text).strip(" ,;") or text
    found = find_place(gazetteer, place_text,
                       answer=turn.answering or bool(_NAME_AND_DEPARTMENT.match(place_text)))  # fmt: skip
    # markup (« <script>alert('x')</script> ») is no question on another topic, however the classifier reads it
    # (« alert » is close to « alertes »): an unusable answer, asked again
    other_topic = (
        turn.intent not in PLACE_INTENTS and turn.intent is not None and turn.confidence >= CONFIDENT
        and not has_markup(text)
    )
    if found and not (other_topic and found.resolution.kind == "fuzzy"):
        return _from_resolution(found.resolution)
    if not turn.answering:
        if turn.intent == "inform_place":  # taken for a place: a name alone or after « à », « pour »…, any case
            # (« et a AUBUSSON le jeudi ? » after the desks near Guéret), else not understood
            return place_in_request(text, gazetteer, answer=True) or Decision("stop", prompt="not_understood")
        return Decision("ask", prompt="ask", failures=turn.failures)  # the request named no place
    if other_topic:
        return Decision("reject")
    return _failed(turn, "bad_postcode" if _POSTCODE_ONLY.match(text) else "unknown")


def _from_resolution(resolution: Resolution) -> Decision:
    """A place found: search near it. A name shared by several communes: the most populous one
    (the gazetteer ranks them so), with the others offered as one-tap choices."""
    place: Place = resolution.places[0]
    others = _choices(resolution.places[1:], exclude=place) if resolution.status == "ambiguous" else []
    return Decision(
        "found",
        label=place_label(resolution),
        latitude=place.latitude,
        longitude=place.longitude,
        kind=resolution.kind,
        choices=others,
    )


# Right after the nearest desks, a name counts alone (« AUBUSSON ») or after one of these (« et a AUBUSSON le jeudi
# matin ? »), not after « en » (« en bus c'est possible ? » is no commune named Bus).
_AFTER_DESKS_CUE = re.compile(
    r"(?:^|\s)(?:et|a|au|aux|pour|vers|sur|de|d|pres de|cote de|autour de|france services?|fs|celle de|celui de)$"
)
# What may open a follow-up before the name (« et st mihiel ? », « ou sinon Vaucouleurs »), and the last sentence of a
# follow-up (« y en a pas une autre d'ouverte le samedi ? st mihiel ou vaucouleur »)
_LEADING_LINK = re.compile(r"^(?:(?:et|ou|mais|sinon|alors|bon|ok|donc)\b[\s,]*)+", re.I)
_LAST_SENTENCE = re.compile(r"[^.?!]+[.?!]*\s*$")
# A lower-case name that opens a follow-up, with no cue before it, is trusted from this size on (« saint mihiel c
# ouvert le samedi », 4,000 people; not a hamlet named like an everyday word)
MIN_POPULATION_OPENING = 1_000
OPENING_WORDS = 4


def place_in_request(text: str, gazetteer: Gazetteer, answer: bool = False) -> Decision | None:
    """The place named inside a help request (« je suis à Remiremont, qui peut m'aider ? »), if any. ``answer``: the
    message follows the nearest desks, so a name counts in any case, alone or after « à », « pour »…, but never a typo;
    otherwise a typo only of a sizeable town (``trusted_in_request``)."""
    text = text if isinstance(text, str) else ""
    found = find_place(gazetteer, text, answer=answer)
    if not answer and found is not None and (asked := _place_where_asked(text, gazetteer)) is not None:
        found = asked
    if answer and (found is None or found.resolution.kind == "fuzzy"):
        return _opening_name(text, gazetteer)
    if found is None or not trusted_in_request(found):
        return None
    if answer:
        plain = normalize(text)
        at = plain.find(normalize(found.phrase))
        if at < 0 or (plain[:at].strip() and not _AFTER_DESKS_CUE.search(plain[:at].strip())):
            return _opening_name(text, gazetteer)
    return _from_resolution(found.resolution)


# A sentence that asks: up to its question mark
_QUESTION_SENTENCE = re.compile(r"[^.?!]*\?")


def _place_where_asked(text: str, gazetteer: Gazetteer) -> Found | None:
    """The place named in the last sentence that asks, when the message has other sentences: « je peux pas m'asseoir
    à côté d'elle je suis à Lyon !! qui peut l'aider sur place à Bar-le-Duc quand elle sortira ? » wants Bar-le-Duc
    (a daughter got the desks of Lyon, 7 December 2026)."""
    questions = _QUESTION_SENTENCE.findall(text)
    if not questions or questions[-1].strip() == text.strip():
        return None
    return find_place(gazetteer, questions[-1])


def _opening_name(text: str, gazetteer: Gazetteer) -> Decision | None:
    """Right after the desks, a town's name that opens the message or its last sentence, before other words (« st
    mihiel c ouvert le samedi », « … dans le coin ? st mihiel ou vaucouleur »: « Je n'ai pas compris » three times to
    a persona of 71, 7 December 2026)."""
    place_text = _OPENING_DAY.sub(" ", text).strip(" ,;")
    for part in dict.fromkeys([place_text, *_LAST_SENTENCE.findall(place_text)]):
        # the first words only: a name is at most four (« saint mihiel », « dun sur meuse »)
        words = _LEADING_LINK.sub("", part.strip()).split()[:OPENING_WORDS]
        opening = " ".join(words)
        if not gazetteer.may_start_a_name(opening):  # a cheap test first: most messages open with no name
            continue
        found = find_place(gazetteer, "a " + opening, answer=True)
        phrase = normalize(found.phrase) if found else ""
        if found is None or found.resolution.kind == "fuzzy" or not normalize(opening).startswith(phrase):
            continue
        several_words = len(phrase.split()) > 1
        sizeable = max(p.population for p in found.resolution.places) >= MIN_POPULATION_OPENING
        if several_words or found.phrase[:1].isupper() or sizeable:
            return _from_resolution(found.resolution)
    return None


def _choices(places: list[Place], exclude: Place | None = None) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for place in places:
        key = (place.name, place.dep_code)
        if exclude is not None and key == (exclude.name, exclude.dep_code):
            continue
        if key not in seen:
            seen[key] = {"title": f"{place.name} ({place.dep_name}, {place.dep_code})",
                         "payload": f"{place.name} {place.dep_code}"}  # fmt: skip
    return list(seen.values())[:MAX_CHOICES]


def other_places_reply(choices: list[dict[str, str]] | None) -> Reply | None:
    """« Not this one? » with the other communes of the same name, one tap each."""
    if not choices:
        return None
    return Reply("Ce n'est pas la bonne commune ? Choisissez la vôtre :", [*choices[:MAX_CHOICES]])


def _position(turn: UserTurn) -> Decision:
    try:
        latitude = float(turn.entities.get("latitude"))  # type: ignore[arg-type]
        longitude = float(turn.entities.get("longitude"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _failed(turn, "position_missing")
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return _failed(turn, "position_missing")
    latitude, longitude = round_coordinate(latitude), round_coordinate(longitude)  # about 1 km, never finer
    if not in_france(latitude, longitude):
        return _failed(turn, "position_outside")
    return Decision("found", label="votre position", latitude=latitude, longitude=longitude, kind="position")


def _failed(turn: UserTurn, prompt: str) -> Decision:
    failures = turn.failures + 1
    if failures >= MAX_FAILURES:
        return Decision("stop", prompt="gave_up", failures=failures)
    return Decision("ask", prompt=prompt, failures=failures)


# --------------------------------------------------------------------------- wording

HUMAN_BUTTON = {"title": "Parler à un conseiller", "payload": '/faq{"answer": "ask_human"}'}
SEARCH_AGAIN_BUTTON = {"title": "Chercher un autre lieu", "payload": "/find_france_services"}
RESUME_BUTTON = {"title": "Reprendre les étapes", "payload": "/resume_procedure"}
ACTIVATE_BUTTON = {"title": "Activer mon espace", "payload": "/activation_start"}
PREPARE_VISIT_BUTTON = {"title": "Préparer ma visite", "payload": "/prepare_visit"}

# The questions and the search's ends are domain responses (domain/france_services.yml, and utter_fs_gave_up in
# data/guides/_shared.yml), each with its advisor wording: utter_fs_<key of the Decision>.
PROMPT_KEYS = ("ask", "dont_know", "unknown", "bad_postcode", "position_missing", "position_outside")
STOP_KEYS = ("cancelled", "gave_up")


def prompt(key: str | None) -> str:
    """The domain response that asks the question for ``key`` (see :class:`Decision`)."""
    return f"utter_fs_{key if key in PROMPT_KEYS else 'ask'}"


NOT_UNDERSTOOD_RESPONSE = "utter_rephrase"  # domain response: "Je n'ai pas compris votre message…"


def stop_reply(key: str | None) -> str:
    """The domain response that ends the search without a place."""
    if key == "not_understood":
        return NOT_UNDERSTOOD_RESPONSE
    return f"utter_fs_{key if key in STOP_KEYS else 'cancelled'}"
