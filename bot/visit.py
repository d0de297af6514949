"""« Préparer ma visite »: what to bring to a France Services desk for Mon espace santé, as a printable sheet.

Every line comes from docs/knowledge/mon-espace-sante.md (sections 2.3, 2.6, 2.7, 2.9, 4.3 and 8.3, cited
next to each text). The sheet holds nothing personal: fixed texts, the guides the person followed (from
the summary journal) and the public data of the nearest desk found, read from the directory by its id.
"""

from __future__ import annotations

from datetime import datetime

from bot.contact import HOTLINE_HOURS
from bot.france_services.answer import DAY_NAMES, booking_line, spoken_hours
from bot.france_services.index import Point
from bot.summary import OFFICIAL_SITE, SAFETY, Summary, record
from bot.text import french_date

TITLE = "Préparer ma visite – Mon espace santé"
MAX_FIELD = 200

# 2.3: what the activation asks for; 2.7: the one-time code arrives by SMS or e-mail
BRING = [
    "Votre carte Vitale, avec ou sans photo.",
    "Un téléphone qui reçoit les SMS, ou de quoi lire vos e-mails.",
    # 2.3 (5): the provisional code received by letter or e-mail, or a new one asked for during the activation
    "Le courrier ou l'e-mail avec votre code provisoire, si vous l'avez.",
]
# 2.7: an activated space is opened with its identifiers; 2.9: nobody may ask for them
ALREADY_ACTIVATED = "Espace déjà activé ? Votre identifiant et votre mot de passe."
# 4.3: a child's profile is activated from a legal representative's account, with the child's date of birth
FOR_CHILD = "Pour un enfant : la carte Vitale où il est inscrit, et sa date de naissance."
# 2.6: no e-mail address
NO_EMAIL = "Pas d'e-mail ? Dites-le : un agent peut vous aider à en créer un."
# 8.3: trained agents and computers on site; 2.6 and 2.9: the person types their own information and codes
ON_SITE = ["Un agent formé vous aide, avec un ordinateur. Vous tapez vous-même vos codes.",
           # 2.6: a relative sits beside and guides, the person types or dictates their own information (« mon père doit
           # venir ou je peux y aller seul avec sa carte ? », two personas, 7 December 2026)
           "Vous venez pour un proche ? Venez avec lui : c'est lui qui tape ou dicte ses informations."]
# the desk data: Agence nationale de la cohésion des territoires, August 2024 (bot/france_services/answer.py)
CALL_FIRST = "Données d'août 2024 : appelez avant."
CHILD_GUIDE = "child_activation"
HOTLINE = f"Le 3422, {HOTLINE_HOURS}."
# Weekly hours longer than this (a bus stopping at many times) would not fit one printed page: « call » instead.
MAX_HOURS_TEXT = 150


def _clip(value: str) -> str:
    return value[:MAX_FIELD]


def opening_lines(hours: dict[str, str | None]) -> list[str]:
    """Opening hours with consecutive days of the same hours together: « du lundi au vendredi de 8 h 30 à 12 h »,
    « lundi et mardi de 9 h à 12 h » for two days."""
    groups: list[tuple[list[str], str]] = []
    previous: str | None = None
    for key, day in DAY_NAMES.items():
        text = hours.get(key)
        if text and text == previous:
            groups[-1][0].append(day)
        elif text:
            groups.append(([day], text))
        previous = text
    spoken = []
    for days, text in groups:
        when = " et ".join(days) if len(days) <= 2 else f"du {days[0]} au {days[-1]}"
        spoken.append(f"{when} {spoken_hours(_clip(text))}")
    return spoken


def desk_lines(desk: Point | None) -> list[str]:
    """The desk's public data, one fact per line; a short honest line without a desk."""
    if desk is None or not desk.name:
        return ["Trouvez la France services la plus proche avec l'assistant, ou demandez l'adresse à votre mairie."]
    lines = [_clip(desk.name)]
    if desk.full_address:
        lines.append(f"Adresse : {_clip(desk.full_address)}")
    if desk.phone:
        lines.append(f"Téléphone : {_clip(desk.phone)}")
    opening = "Horaires : " + " ; ".join(opening_lines(desk.hours)) + "."
    if len(opening) > MAX_HOURS_TEXT:
        opening = "Horaires : différents selon les jours, demandez-les par téléphone."
    if desk.hours and any(desk.hours.values()):
        lines.append(opening)
    lines.append(f"{booking_line(desk)} {CALL_FIRST}")
    return lines


def build(desk: Point | None, journal: object, moment: datetime) -> Summary:
    """The checklist for a visit to ``desk`` (the nearest found, or None); the child's line comes first when the
    person followed the child's guide (``journal``, the summary sheet's record of the guides)."""
    bring = [*BRING, ALREADY_ACTIVATED]
    if CHILD_GUIDE in record(journal, None):
        bring.insert(0, FOR_CHILD)
    else:
        bring.append(FOR_CHILD)
    bring.append(NO_EMAIL)
    sections = [
        ("À apporter", bring),
        ("Sur place", [*ON_SITE, SAFETY]),
        ("Votre France services", desk_lines(desk)),
        ("Contacts utiles", [HOTLINE, OFFICIAL_SITE]),
    ]
    return Summary(TITLE, f"Préparée le {french_date(moment)}", sections, kind="visit")
