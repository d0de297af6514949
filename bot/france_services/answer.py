"""Word the France Services search results: a short list that can be read aloud."""

from __future__ import annotations

import re
from datetime import datetime

from bot.contact import HOTLINE_HOURS
from bot.france_services.dialogue import (
    ACTIVATE_BUTTON,
    DAY_WORDS,
    HUMAN_BUTTON,
    PREPARE_VISIT_BUTTON,
    RESUME_BUTTON,
    SEARCH_AGAIN_BUTTON,
    Reply,
)
from bot.france_services.directory import Lookup
from bot.france_services.index import Point
from bot.france_services.schema import DAYS, LABELLED
from bot.france_services.store import local_time_zone, opening_today
from bot.text import fold_accents, normalize

INFO_URL = "https://info.gouv.fr/actualite/quest-ce-quune-maison-france-services"
DATA_DATE = "août 2024"
MAX_COMMENT = 240
MOBILE_KINDS = frozenset({"bus", "itinerant"})
_INTERVAL = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


# The nearest desk this far or farther: the town hall and the caisse are nearer ways to help (« il ya rien dans saint
# dizier meme ? jai pa de voiture », a persona of 62, 6 December 2026; knowledge 8.3 and 8.6)
FAR_KM = 10.0
FAR_LINE = ("La plus proche est à plus de {km} km. Sans voiture ? Votre mairie peut vous indiquer une aide plus près, "
            "et l'accueil de votre caisse d'assurance maladie (CPAM, MSA) aide aussi.")


def spoken_time(hour: str, minute: str) -> str:
    """"08", "30" -> "8 h 30"; "12", "00" -> "12 h"."""
    return f"{int(hour)} h" + (f" {minute}" if minute != "00" else "")


def spoken_hours(hours: str) -> str:
    """"09:00 - 12:00 / 14:00 - 17:00" -> "de 9 h à 12 h et de 14 h à 17 h"."""
    parts = [f"de {spoken_time(h1, m1)} à {spoken_time(h2, m2)}" for h1, m1, h2, m2 in _INTERVAL.findall(hours)]
    return " et ".join(parts) if parts else hours


def spoken_distance(km: float) -> str:
    """1.24 -> "1,2 km"; 13.6 -> "14 km"; 0.04 -> "moins de 1 km"."""
    if km < 1:
        return "moins de 1 km"
    if km < 10:
        return f"{km:.1f} km".replace(".", ",")
    return f"{round(km)} km"


def map_link(point: Point) -> str:
    """OpenStreetMap page centred on the point."""
    lat, lon = f"{point.latitude:.5f}", f"{point.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


# The days of the week in French, Monday first (0 = Monday, as datetime.weekday), and the directory's days (Point.hours
# keys, Monday to Saturday) as said in French (also the visit sheet's, bot/visit.py).
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DAY_NAMES = dict(zip(DAYS, WEEKDAY_NAMES[: len(DAYS)], strict=True))


def next_opening(point: Point, weekday: int) -> str | None:
    """« Prochaine ouverture : lundi de 8 h 30 à 12 h 30 … » after ``weekday`` (0 = Monday), or None when the
    directory gives no hours on any day."""
    for ahead in range(1, 8):
        day = (weekday + ahead) % 7
        hours = point.hours.get(DAYS[day]) if day < len(DAYS) else None
        if hours:
            return f"Prochaine ouverture : {DAY_NAMES[DAYS[day]]} {spoken_hours(hours)}."
    return None


# « une France Services ouverte le samedi près de Thionville ? » got the same three desks four times (a persona who
# drives a truck all week, 6 December 2026): a day named in the request picks the desks open that day.
_ASKED_DAY = re.compile(rf"\b({DAY_WORDS})s?\b")
_WEEKDAY = {name: day for day, name in enumerate(WEEKDAY_NAMES)}
DAY_SEARCH_LIMIT = 60  # nearest desks read to find three open on the day asked
MAX_KM_FOR_A_DAY = 50.0  # farther than this, a desk open that day is no answer to « near me »


def asked_day(text: object) -> int | None:
    """The day a request names (0 = Monday; « le week-end » is Saturday), or None."""
    if not isinstance(text, str):
        return None
    found = _ASKED_DAY.search(normalize(text))
    if found is None:
        return None
    return _WEEKDAY.get(found.group(1), 5)


def open_on(points: list[Point], day: int, limit: int = 3, max_km: float = MAX_KM_FOR_A_DAY) -> list[Point]:
    """The ``limit`` nearest of ``points`` (nearest first) that the directory gives hours for on ``day``, within
    ``max_km``; none on Sunday (the directory has no Sunday column)."""
    if not 0 <= day < len(DAYS):
        return []
    return [point for point in points if point.hours.get(DAYS[day]) and point.distance_km <= max_km][:limit]


def booking_line(point: Point) -> str:
    """« Sur rendez-vous. » or « Avec ou sans rendez-vous. », from the directory."""
    return "Sur rendez-vous." if point.appointment else "Avec ou sans rendez-vous."


def on_day(point: Point, day: int) -> str:
    """« Le samedi : ouvert de 9 h à 12 h. », or closed that day as far as the directory knows."""
    hours = point.hours.get(DAYS[day]) if 0 <= day < len(DAYS) else None
    name = WEEKDAY_NAMES[day]
    return f"Le {name} : ouvert {spoken_hours(hours)}." if hours else f"Le {name} : fermé ou horaires non connus."


def _today(point: Point, now: datetime) -> str:
    """Today's hours, and when it is closed today (Saturday, Sunday…), the next day it opens."""
    hours, open_now = opening_today(point, now)
    local = now.astimezone(local_time_zone(point.dep_code)) if now.tzinfo else now
    if hours:
        state = "ouvert en ce moment" if open_now else "fermé en ce moment"
        return f"Aujourd'hui : ouvert {spoken_hours(hours)} ({state})."
    today = "Aujourd'hui dimanche : fermé." if local.weekday() == 6 else "Aujourd'hui : fermé ou horaires non connus."
    later = next_opening(point, local.weekday())
    return f"{today}\n{later}" if later else today


def short_reply(point: Point, now: datetime) -> Reply:
    """« plus court » after the results: the nearest desk's name, phone and today's hours only (a persona with poor
    eyesight asked for « LE PLUS PRES ET LE TELEPHONE SEULEMENT » after three desks of about 25 lines)."""
    lines = [f"La plus proche : {point.name}."]
    if point.phone:
        lines.append(f"Téléphone : {point.phone}")
    lines += [_today(point, now), "Appelez avant de vous déplacer."]
    return Reply("\n".join(lines), [PREPARE_VISIT_BUTTON, HUMAN_BUTTON])


# « 08:12 - 14:18 » (La Rochotte, Chaumont), « 13:30 - 16:33 »: minutes that are no multiple of 5 are likely typing
# slips of the directory (« 8 h - 12 h / 14 h - 18 h »?); 7 desks of the August 2024 list. A persona asked whether the
# assistant had read them right (6 December 2026): they are given as written, with a warning.
_ODD_MINUTES = re.compile(r":(?!00|05|10|15|20|25|30|35|40|45|50|55)\d\d")
ODD_HOURS = "Ces horaires semblent mal saisis dans l'annuaire : appelez avant de vous déplacer."


def has_odd_hours(point: Point) -> bool:
    """Whether the directory's hours of ``point`` have minutes that are no multiple of 5 (likely typing slips)."""
    return any(value and _ODD_MINUTES.search(value) for value in point.hours.values())


def point_reply(rank: int, point: Point, now: datetime, day: int | None = None) -> Reply:
    """One result: name and distance, then one fact per line (and its hours on the ``day`` asked)."""
    lines = [f"{rank}. {point.name}, à {spoken_distance(point.distance_km)}"]
    if point.kind in MOBILE_KINDS:
        what = "un bus qui se déplace" if point.kind == "bus" else "un service itinérant"
        lines.append(f"Attention : c'est {what}. L'adresse est celle de son point de départ.")
        lines.append("Appelez avant de vous déplacer.")
        if point.comment:
            comment = point.comment if len(point.comment) <= MAX_COMMENT else point.comment[:MAX_COMMENT] + "…"
            lines.append(f"Précision : {comment}")
    lines.append(f"Adresse : {point.full_address}")
    lines.append(_today(point, now))
    if day is not None:
        lines.append(on_day(point, day))
    if has_odd_hours(point):
        lines.append(ODD_HOURS)
    lines.append(booking_line(point))
    for field in LABELLED:  # phone, e-mail… (schema.py)
        value = getattr(point, field.name)
        if value:
            lines.append(f"{field.label} : {value}")
    lines.append(f"Plan : {map_link(point)}")
    return Reply("\n".join(lines))


def of_place(label: str) -> str:
    """« de » before a place, as French writes it: « d'Épinal », « du Havre », « des Mureaux », « de Nancy »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if label.startswith(article):
            return contracted + label[len(article) :]
    return f"d'{label}" if fold_accents(label[:1]) in set("aeiou") and label[:1] else f"de {label}"


def shown_points(points: list[Point], day: int | None = None) -> list[Point]:
    """The desks an answer shows: the three nearest, or with a ``day`` asked, the three nearest open that day when
    one is near (else the three nearest)."""
    opened = open_on(points, day) if day is not None else []
    return opened or points[:3]


def results_replies(
    label: str, lookup: Lookup, now: datetime, in_procedure: bool = False, day: int | None = None
) -> list[Reply]:
    """The whole answer: an introduction, one message per point, then the date of the data and next steps. With a
    ``day`` asked, ``lookup`` holds the nearest desks (up to ``DAY_SEARCH_LIMIT``): those open that day are shown, or,
    when none is near, the three nearest with that day's hours and a line that says so."""
    next_step = RESUME_BUTTON if in_procedure else ACTIVATE_BUTTON
    buttons = [PREPARE_VISIT_BUTTON, SEARCH_AGAIN_BUTTON, next_step, HUMAN_BUTTON]
    if not lookup.points:
        return [
            Reply(
                "Désolé, la liste des France services est indisponible pour le moment.\n"
                "Votre mairie peut vous donner l'adresse la plus proche.\n"
                f"Vous pouvez aussi appeler le 3422, {HOTLINE_HOURS}.",
                [HUMAN_BUTTON],
            )
        ]
    points, intro = shown_points(lookup.points, day), []
    if day is not None and open_on(points, day):
        what = (f"les {len(points)} France services ouvertes le {WEEKDAY_NAMES[day]} les plus proches"
                if len(points) > 1 else f"la France services ouverte le {WEEKDAY_NAMES[day]} la plus proche")
        intro.append(f"Voici {what} {of_place(label)}, d'après l'annuaire :")
    else:
        if day is not None:
            km = round(MAX_KM_FOR_A_DAY)
            intro.append(f"D'après l'annuaire, aucune France services n'ouvre le {WEEKDAY_NAMES[day]} à moins de {km} "
                         f"km {of_place(label)}. Appelez-les : leurs horaires ont pu changer.")
        intro.append(
            f"Voici les {len(points)} France services les plus proches {of_place(label)} :"
            if len(points) > 1
            else f"Voici la France services la plus proche {of_place(label)} :"
        )
    if lookup.points[0].distance_km > FAR_KM:  # the nearest of all, whatever the day
        intro.append(FAR_LINE.format(km=round(FAR_KM)))
    replies = [Reply("\n".join(intro))]
    replies += [point_reply(rank, point, now, day) for rank, point in enumerate(points, start=1)]
    replies.append(
        Reply(
            f"Ces informations datent d'{DATA_DATE} : appelez ou écrivez-leur avant de vous déplacer.\n"
            "Les agents France services aident à faire les démarches en ligne, dont celles de l'Assurance Maladie.\n"
            f"Plus d'infos : {INFO_URL}",
            buttons,
        )
    )
    return replies
