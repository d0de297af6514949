"""« elle est ouverte le mercredi ? » right after the nearest desks (bot/france_services/hours.py)."""

import pytest

from bot.france_services.directory import Directory
from bot.france_services.hours import asks_appointment, asks_opening, hours_reply, referred_point

EPINAL = (48.1724, 6.4496)


@pytest.fixture(scope="module")
def desks():
    """The three nearest desks to Épinal in the shipped directory: Épinal, Thaon-les-Vosges, Girancourt."""
    return Directory(None).nearest(*EPINAL, 3).points


@pytest.mark.parametrize(("text", "asks"), [
    ("celle d epinal elle est ouverte le mercredi?", True), ("la premiere c est ouvert quels jours?", True),
    ("et le samedi ?", True), ("quels sont les horaires", True), ("ils ouvrent à quelle heure", True),
    ("elle ferment a midi ?", True),
    ("j'ai ouvert mon espace", False), ("c'est ouvert aux personnes sans carte vitale ?", False),
    ("c'est ouvert à quelle heure ?", True), ("comment je ferme mon espace", False), ("et la cpam ?", False),
    ("je veux refuser pour mon fils, je passerai samedi avec le courrier", False), (None, False),
    # whether to book, right after the desks (a citizen chat, 6 December 2026)
    ("il faut prendre rdv ?", True), ("c'est sans rendez-vous ?", True),
    # when a pension is paid, not when the desk opens (a persona of 71, 7 December 2026)
    ("autre chose la retraite agricole msa elle tombe quel jour ce mois ci j ai rien recu encore", False),
])  # fmt: skip
def test_a_question_on_opening_hours_is_told_apart(text, asks):
    assert asks_opening(text) is asks


def test_the_desk_meant_is_the_one_named_or_ranked_else_the_nearest(desks):
    assert [d.name for d in desks][:1] == ["France services Epinal"]
    assert referred_point(desks, "celle de Girancourt elle ouvre quand ?") is desks[2]
    assert referred_point(desks, "et la 2e ?") is desks[1]
    assert referred_point(desks, "la dernière, elle ouvre le samedi ?") is desks[2]
    assert referred_point(desks, "c'est ouvert quels jours ?") is desks[0]
    # the desk nearest to a town the message names, when no desk is named or ranked (a persona of 71, 7 December 2026)
    assert referred_point(desks, "et la bas c ouvert le samedi ?", default=desks[1]) is desks[1]
    assert referred_point(desks, "et la 3e ?", default=desks[1]) is desks[2]


def test_the_hours_answer_the_day_asked_first_then_the_week(desks):
    reply = hours_reply(desks[2], 5)
    lines = reply.text.splitlines()
    assert lines[:2] == ["France services de Girancourt :", "Le samedi : fermé ou horaires non connus."]
    assert "Mardi de 8 h 30 à 12 h." in lines
    assert "Fermé le samedi et le dimanche, d'après l'annuaire." in lines
    assert any(line.startswith("Téléphone : ") for line in lines)
    assert lines[-1] == "Ces horaires datent d'août 2024 : appelez avant de vous déplacer."
    titles = [b["title"] for b in reply.buttons]
    assert titles == ["Préparer ma visite", "Chercher un autre lieu", "Parler à un conseiller"]
    week = hours_reply(desks[0]).text
    assert "Le mercredi" not in week and "Du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h." in week


def test_whether_to_book_comes_first_when_asked(desks):
    """« il faut prendre rdv ? » right after the desks got the refusal of medical appointments."""
    assert asks_appointment("il faut prendre rdv ?") and not asks_appointment("c'est ouvert le samedi ?")
    lines = hours_reply(desks[0], appointment_first=True).text.splitlines()
    assert lines[1] in ("Sur rendez-vous.", "Avec ou sans rendez-vous.") and lines.count(lines[1]) == 1
