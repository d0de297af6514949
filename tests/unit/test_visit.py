"""« Préparer ma visite »: the checklist for a France Services visit, from the knowledge file, nothing personal."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot import visit
from bot.france_services.index import Point
from bot.privacy import find_personal_data
from bot.summary import SAFETY

MOMENT = datetime(2026, 12, 3, 10, 0)
DESK = Point(
    id="fs-1", name="France services de Remiremont", kind="fixed", distance_km=1.2,
    full_address="6 rue Sainte Catherine, 54000 Nancy", phone="03 83 34 26 27", email="",
    hours={"mon": "09:00 - 12:00", "tue": None, "wed": "14:00 - 17:00", "thu": None, "fri": None, "sat": None},
    appointment=True, comment="", dep_code="54", latitude=48.69, longitude=6.18,
)  # fmt: skip


def lines(sheet):
    return [item for _, items in sheet.sections for item in items]


def test_the_sheet_says_what_to_bring_where_to_go_and_who_to_call():
    sheet = visit.build(DESK, None, MOMENT)
    assert sheet.title.startswith("Préparer ma visite") and sheet.date == "Préparée le 3 décembre 2026"
    assert [heading for heading, _ in sheet.sections] == ["À apporter", "Sur place", "Votre France services",
                                                          "Contacts utiles"]  # fmt: skip
    bring = dict(sheet.sections)["À apporter"]
    assert bring[0].startswith("Votre carte Vitale") and visit.FOR_CHILD in bring and visit.NO_EMAIL in bring
    desk = dict(sheet.sections)["Votre France services"]
    assert desk[:3] == [DESK.name, f"Adresse : {DESK.full_address}", f"Téléphone : {DESK.phone}"]
    assert "Horaires : lundi de 9 h à 12 h ; mercredi de 14 h à 17 h." in desk
    assert f"Sur rendez-vous. {visit.CALL_FIRST}" in desk
    assert SAFETY in lines(sheet) and visit.HOTLINE in lines(sheet) and "3422" in visit.HOTLINE


def test_after_the_childs_guide_the_childs_line_comes_first():
    journal = {"child_activation": {"status": "blocked", "reached": 2, "total": 6, "problems": []}}
    assert dict(visit.build(DESK, journal, MOMENT).sections)["À apporter"][0] == visit.FOR_CHILD
    assert dict(visit.build(DESK, {"activation": {}}, MOMENT).sections)["À apporter"][0] != visit.FOR_CHILD


def test_without_a_desk_the_sheet_says_how_to_find_one():
    desk = dict(visit.build(None, None, MOMENT).sections)["Votre France services"]
    assert len(desk) == 1 and "mairie" in desk[0]


def test_nothing_personal_besides_the_desks_public_data():
    text = visit.build(None, None, MOMENT).as_text()
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", [visit.BRING[0], visit.ALREADY_ACTIVATED, visit.NO_EMAIL, *visit.ON_SITE])
def test_every_line_is_short_plain_french(text):
    sentences = [s for s in text.replace(":", ".").split(".") if s.strip()]
    assert all(len(s.split()) <= 20 for s in sentences)


def test_the_facts_are_those_of_the_knowledge_file(root: Path):
    knowledge = (root / "docs" / "knowledge" / "mon-espace-sante.md").read_text(encoding="utf-8")
    facts = ("avec photo", "sans photo", "par SMS ou par e-mail", "deux agents formés", "date de naissance de l'enfant",
             "créer une adresse e-mail", "matériel informatique", "identifiant",
             "c'est la personne qui saisit ou qui dicte")
    for fact in facts:
        assert fact.lower() in knowledge.lower()


def test_the_sheet_fits_what_the_page_and_the_proxy_accept():
    payload = visit.build(DESK, None, MOMENT).as_payload()
    assert len(payload["sections"]) <= 8 and all(len(s["items"]) <= 20 for s in payload["sections"])
    assert all(len(item) <= 500 for s in payload["sections"] for item in s["items"])


def test_days_with_the_same_hours_are_said_together():
    same = "08:30 - 12:00 / 13:30 - 17:00"
    hours = {"mon": same, "tue": same, "wed": same, "thu": None, "fri": same, "sat": "09:00 - 12:00"}
    assert visit.opening_lines(hours) == [
        "du lundi au mercredi de 8 h 30 à 12 h et de 13 h 30 à 17 h",
        "vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h",
        "samedi de 9 h à 12 h",
    ]
    two = {"mon": same, "tue": same, "wed": "09:00 - 12:00"}
    assert visit.opening_lines(two)[0] == "lundi et mardi de 8 h 30 à 12 h et de 13 h 30 à 17 h"


def test_hours_too_long_for_one_page_are_asked_by_phone():
    busy = "08:45 - 10:00 / 10:30 - 11:30 / 13:30 - 14:30 / 15:00 - 16:15"  # a bus's stops, different every day
    desk = replace(DESK, hours={"mon": busy, "tue": "09:00 - 12:00", "wed": busy, "thu": "09:00 - 10:00"})
    assert "Horaires : différents selon les jours, demandez-les par téléphone." in visit.desk_lines(desk)
    closed = replace(DESK, hours={})
    assert not any(line.startswith("Horaires") for line in visit.desk_lines(closed))
