"""« elle est ouverte le mercredi ? » right after the nearest desks: the opening hours of the desk meant.

An 81-year-old who takes the bus asked « la premiere c est ouvert quels jours ? », then « celle d epinal elle est
ouverte le mercredi ? »: she got the same three desks again, then a refusal (persona session, 6 December 2026).
The desk meant is the one named (« la première », « celle d'Épinal »), else the nearest shown; its hours come from
the directory (ANCT, August 2024), with the phone number to check them.
"""

from __future__ import annotations

import re

from bot.france_services.answer import DATA_DATE, DAY_NAMES, WEEKDAY_NAMES, asked_day, booking_line, on_day
from bot.france_services.dialogue import HUMAN_BUTTON, PREPARE_VISIT_BUTTON, SEARCH_AGAIN_BUTTON, Reply
from bot.france_services.index import Point
from bot.text import normalize
from bot.visit import opening_lines

_OPENING = re.compile(r"\b(?:ouvert|ouverte|ouverts|ouvertes|ouvre|ouvrent|ouverture|fermee|ferment|horaires?|"
                      r"quels? jours?|quelle heure|quelles heures|heures d ouverture)\b")  # fmt: skip
# « j'ai ouvert mon espace » is about Mon espace santé, not about a desk; « c'est ouvert aux personnes sans carte
# Vitale ? » asks who may come, not when
_ABOUT_THE_SERVICE = re.compile(r"\b(?:espace|compte|profil|dossier|documents?|appli|application|site|code)\b|"
                                r"\bouverte?s? (?:aux|a tous|a toutes|a tout le monde|a ceux|a celles|pour les|"
                                r"pour tous)\b")
# « la retraite agricole elle tombe quel jour ? » asks when money is paid, not when a desk opens (a persona of 71 got
# the desk's days, 7 December 2026)
_PAYMENT = re.compile(r"\b(?:retraites?|pensions?|paiements?|payee?s?|verse\w*|virements?|vire|tombe|allocations?|"
                      r"salaires?|rembourse\w*|factures?|prelev\w*)\b")
# « et le samedi ? »: a day alone, in a short message
SHORT_DAY_QUESTION = 5
_ORDINALS = (
    (0, re.compile(r"\b(?:premiere?|1re|1ere|1er)\b")),
    (1, re.compile(r"\b(?:deuxieme|seconde?|2e|2eme|2nde?)\b")),
    (2, re.compile(r"\b(?:troisieme|3e|3eme)\b")),
    (-1, re.compile(r"\b(?:derniere?)\b")),
)
# words of a desk's name that do not tell it apart (« France services Épinal »: « epinal » does)
_COMMON_NAME_WORDS = {"france", "services", "service", "maison", "espace", "agence", "point", "relais", "saint",
                      "sainte"}


# « il faut prendre rdv ? » right after the desks: an appointment at the desk, not a medical one (a citizen chat of 6
# December 2026 got the refusal of medical appointments)
_APPOINTMENT = re.compile(r"\b(?:rendez ?vous|rendez vou|rdv)\b")


def asks_appointment(text: object) -> bool:
    """Whether a message asks about an appointment (« il faut prendre rdv ? »)."""
    return isinstance(text, str) and _APPOINTMENT.search(normalize(text)) is not None


def asks_opening(text: object) -> bool:
    """Whether a message asks when a desk opens (« c'est ouvert quels jours ? », « et le samedi ? ») or whether to
    book (« il faut prendre rdv ? »)."""
    if not isinstance(text, str):
        return False
    plain = normalize(text)
    if _ABOUT_THE_SERVICE.search(plain) or _PAYMENT.search(plain):
        return False
    short_day = asked_day(plain) is not None and len(plain.split()) <= SHORT_DAY_QUESTION
    return bool(_OPENING.search(plain)) or short_day or asks_appointment(plain)


def _name_words(point: Point) -> set[str]:
    return {word for word in re.findall(r"\w+", normalize(point.name or ""))
            if len(word) >= 4 and word not in _COMMON_NAME_WORDS}  # fmt: skip


def referred_point(points: list[Point], text: str, default: Point | None = None) -> Point:
    """The desk a message means among ``points`` (shown nearest first): by its rank (« la première », « la
    dernière ») or a word of its name (« celle d'Épinal »); otherwise ``default`` (the desk nearest to a town the
    message names: « st mihiel c ouvert le samedi » got Commercy's hours, 7 December 2026), else the nearest."""
    plain = normalize(text)
    for rank, pattern in _ORDINALS:
        if pattern.search(plain) and -len(points) <= rank < len(points):
            return points[rank]
    words = set(re.findall(r"\w+", plain))
    named = [point for point in points if _name_words(point) & words]
    return named[0] if named else (default or points[0])


def hours_reply(point: Point, day: int | None = None, appointment_first: bool = False) -> Reply:
    """The desk's hours: the ``day`` asked first, then the week, one line a day (or days with the same hours); whether
    to book comes first when asked (``appointment_first``)."""
    booking = booking_line(point)
    lines = [f"{point.name} :"]
    if appointment_first:
        lines.append(booking)
    if day is not None:
        lines.append(on_day(point, day))
    hours = point.hours or {}
    week = opening_lines(hours)
    if week:
        lines.append("Ses horaires de la semaine :")
        lines += [f"{when[:1].upper()}{when[1:]}." for when in week]
        closed = [f"le {name}" for key, name in DAY_NAMES.items() if not hours.get(key)]
        closed.append(f"le {WEEKDAY_NAMES[-1]}")  # the directory has no Sunday
        said = ", ".join(closed[:-1]) + " et " + closed[-1] if len(closed) > 1 else closed[0]
        lines.append(f"Fermé {said}, d'après l'annuaire.")
    else:
        lines.append("Ses horaires ne sont pas dans l'annuaire.")
    if not appointment_first:
        lines.append(booking)
    if point.phone:
        lines.append(f"Téléphone : {point.phone}")
    lines.append(f"Ces horaires datent d'{DATA_DATE} : appelez avant de vous déplacer.")
    return Reply("\n".join(lines), [PREPARE_VISIT_BUTTON, SEARCH_AGAIN_BUTTON, HUMAN_BUTTON])
