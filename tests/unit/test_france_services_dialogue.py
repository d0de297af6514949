"""The France Services search dialogue and its answer, without Rasa."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.france_services.answer import (
    FAR_KM,
    ODD_HOURS,
    asked_day,
    has_odd_hours,
    map_link,
    next_opening,
    open_on,
    results_replies,
    shown_points,
    spoken_distance,
    spoken_hours,
)
from bot.france_services.dialogue import (
    MAX_FAILURES,
    UserTurn,
    in_france,
    interpret,
    other_places_reply,
    place_in_request,
    prompt,
    stop_reply,
)
from bot.france_services.directory import Directory, Lookup
from bot.guides import load_domain
from bot.places import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
TUESDAY_10H = datetime(2026, 12, 1, 10, 0)

RESPONSES = load_domain(Path(__file__).resolve().parents[2] / "domain")["responses"]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(ROOT / "data" / "geo")


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory(None)  # the shipped file


def answer(text: str, intent: str = "inform_place", confidence: float = 0.9, **kwargs) -> UserTurn:
    return UserTurn(text, intent, confidence, answering=True, **kwargs)


def test_one_message_request(gaz):
    decision = interpret(UserTurn("une France services près de Épinal", "find_france_services", 0.9), gaz)
    assert decision.outcome == "found"
    assert decision.label == "Épinal (88)"


def test_a_message_taken_for_a_place_without_any_place_is_not_understood(gaz):
    decision = interpret(UserTurn("zzzzzz qqqq", "inform_place", 0.7), gaz)
    assert (decision.outcome, decision.prompt) == ("stop", "not_understood")
    assert stop_reply("not_understood") == "utter_rephrase"
    # a name typed in capitals after « a » (« et a AUBUSSON le jeudi ? » after the desks near Guéret) is that place
    decision = interpret(UserTurn("et a AUBUSSON le jeudi ?", "inform_place", 0.7), gaz)
    assert (decision.outcome, decision.label) == ("found", "Aubusson (23)")


def test_request_without_place_asks(gaz):
    decision = interpret(UserTurn("trouver une france services", "find_france_services", 0.9), gaz)
    assert (decision.outcome, decision.prompt) == ("ask", "ask")


@pytest.mark.parametrize(("text", "label"), [("88000", "Épinal (88)"), ("54000", "Nancy (54)"),
                                            ("Saint-Dié-des-Vosges", "Saint-Dié-des-Vosges (88)"),
                                            ("St Die des Vosges", "Saint-Dié-des-Vosges (88)"),
                                            ("97400", "Saint-Denis (974)"), ("20000", "Ajaccio (2A)"),
                                            ("nacny", "Nancy (54)")])  # fmt: skip
def test_answers(gaz, text, label):
    decision = interpret(answer(text), gaz)
    assert (decision.outcome, decision.label) == ("found", label)


def test_department_answer_says_it_is_approximate(gaz):
    decision = interpret(answer("Vosges"), gaz)
    assert decision.outcome == "found"
    assert "département Vosges (88)" in decision.label


@pytest.mark.parametrize(
    ("name", "chosen", "own_payload", "other", "other_label"),
    [("Valence", "Valence (26)", "Valence 26", "Valence 82", "Valence (82)"),
     ("Saint-Denis", "Saint-Denis (974)", "Saint-Denis 974", "Saint-Denis 93", "Saint-Denis (93)")],
)  # fmt: skip
def test_ambiguous_name_answers_for_the_most_populous_and_offers_the_others(
    gaz, name, chosen, own_payload, other, other_label
):
    decision = interpret(answer(name), gaz)
    assert (decision.outcome, decision.label) == ("found", chosen)
    payloads = [c["payload"] for c in decision.choices]
    assert other in payloads and own_payload not in payloads
    # one tap on another commune is understood on its own
    assert interpret(answer(other), gaz).label == other_label
    reply = other_places_reply(decision.choices)
    assert reply is not None and [b["payload"] for b in reply.buttons] == payloads


def test_a_unique_name_has_no_other_choices(gaz):
    decision = interpret(answer("Remiremont"), gaz)
    assert decision.choices == [] and other_places_reply(decision.choices) is None


def test_place_in_a_help_request(gaz):
    found = place_in_request("je suis à Remiremont, qui peut m'aider ?", gaz)
    assert found is not None and found.label == "Remiremont (88)"
    typed = place_in_request("ya une france services a remiremont ?", gaz)  # lower case, a town of 7,400
    assert typed is not None and typed.label == "Remiremont (88)"
    assert place_in_request("mon code de carte bleue ne marche pas", gaz) is None
    assert place_in_request("", gaz) is None


@pytest.mark.parametrize(("text", "label"), [
    ("et a AUBUSSON le jeudi matin ?", "Aubusson (23)"),  # capitals, no accent: a persona after the desks
    ("AUBUSSON", "Aubusson (23)"),
    ("et pour Guéret ?", "Guéret (23)"),
    ("vers Bar le Duc plutot", "Bar-le-Duc (55)"),
    ("en bus c'est possible ?", None),  # no commune named Bus
    ("et pour mon fils ?", None),
    ("et le samedi ?", None),
    # a name that opens the message or its last sentence (a persona of 71 got « Je n'ai pas compris » three times)
    ("st mihiel c ouvert le samedi", "Saint-Mihiel (55)"),
    ("france services saint mihiel horaire samedi", "Saint-Mihiel (55)"),
    ("y en a pas une autre d ouverte le samedi matin dans le coin? st mihiel ou vaucouleur", "Saint-Mihiel (55)"),
    ("et vaucouleurs ?", "Vaucouleurs (55)"),
    ("vaucouleurs le samedi ?", "Vaucouleurs (55)"),
    ("merci beaucoup", None),
    ("elle est accessible en fauteuil ?", None),
    ("il me faut quoi exactement ?", None),
    ("pas de bus", None),
])  # fmt: skip
def test_right_after_the_desks_a_name_counts_alone_or_after_a_small_word(gaz, text, label):
    found = place_in_request(text, gaz, answer=True)
    assert (found.label if found else None) == label
    if label and text.isupper():
        assert place_in_request(text, gaz) is None  # in a first message, capitals say nothing of a name


@pytest.mark.parametrize("text", ["je ne sais pas", "Je sais pas !", "aucune idée", "j'en sais rien"])
def test_dont_know_offers_postcode_or_position(gaz, text):
    decision = interpret(answer(text, intent="nlu_fallback", confidence=0.1), gaz)
    assert (decision.outcome, decision.prompt) == ("ask", "dont_know")
    citizen = next(v for v in RESPONSES[prompt(decision.prompt)] if not v.get("condition"))
    assert "/share_position" in [b["payload"] for b in citizen["buttons"]]


@pytest.mark.parametrize("text", ["stop", "Arrêter", "laisse tomber", "annuler"])
def test_stop(gaz, text):
    decision = interpret(answer(text, intent="nlu_fallback", confidence=0.2), gaz)
    assert (decision.outcome, decision.prompt) == ("stop", "cancelled")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zzzzqqq", "unknown"),
        ("99999", "bad_postcode"),
        ("<script>alert(1)</script>", "unknown"),
        ("'; DROP TABLE france_services; --", "unknown"),
        ("a" * 300, "unknown"),
        ("", "unknown"),
        ("\u202eÉpinal\u0000", "unknown"),
    ],
)
def test_bad_answers_get_a_second_chance(gaz, text, expected):
    decision = interpret(answer(text, intent="nlu_fallback", confidence=0.1), gaz)
    assert (decision.outcome, decision.prompt, decision.failures) == ("ask", expected, 1)
    assert decision.label is None


def test_third_failure_stops_and_points_to_a_human(gaz):
    decision = interpret(answer("zzzzqqq", intent="nlu_fallback", failures=MAX_FAILURES - 1), gaz)
    assert (decision.outcome, decision.prompt) == ("stop", "gave_up")
    assert stop_reply("gave_up") == "utter_fs_gave_up"
    assert all("3422" in variation["text"] for variation in RESPONSES["utter_fs_gave_up"])


def test_other_topic_interrupts_the_search(gaz):
    assert interpret(answer("comment activer mon espace", intent="activation_start"), gaz).outcome == "reject"
    # a typo-like match does not win over a confident other intent ("bonjour" is not "Boncourt")
    assert interpret(answer("bonjour", intent="greet", confidence=0.95), gaz).outcome == "reject"


def test_markup_is_an_unusable_answer_however_it_is_classified(gaz):
    # « alert » read as « alertes » (notification settings) at 0.6 and more: still no place, asked again
    decision = interpret(answer("<script>alert('x')</script>", intent="faq", confidence=0.9), gaz)
    assert (decision.outcome, decision.prompt) == ("ask", "unknown")


def test_position(gaz):
    nancy = {"latitude": 48.6921, "longitude": 6.1844}
    decision = interpret(UserTurn("/share_position", "share_position", 1.0, nancy), gaz)
    assert (decision.outcome, decision.label) == ("found", "votre position")
    missing = interpret(UserTurn("utiliser ma position", "share_position", 0.9), gaz)
    assert (missing.outcome, missing.prompt) == ("ask", "position_missing")
    london = interpret(UserTurn("/share_position", "share_position", 1.0, {"latitude": 51.5, "longitude": -0.12}), gaz)
    assert (london.outcome, london.prompt) == ("ask", "position_outside")
    junk = interpret(UserTurn("/share_position", "share_position", 1.0, {"latitude": "nan", "longitude": "x"}), gaz)
    assert junk.prompt == "position_missing"


def test_in_france():
    assert in_france(48.17, 6.45) and in_france(-21.1, 55.5) and in_france(42.0, 9.0) and in_france(4.9, -52.3)
    assert not in_france(51.5, -0.12) and not in_france(0, 0) and not in_france(40.4, -3.7)


def test_spoken_forms():
    assert spoken_hours("08:30 - 12:00 / 13:30 - 17:00") == "de 8 h 30 à 12 h et de 13 h 30 à 17 h"
    assert spoken_distance(0.2) == "moins de 1 km"
    assert spoken_distance(1.24) == "1,2 km"
    assert spoken_distance(13.6) == "14 km"


def test_results_for_epinal(gaz, directory):
    decision = interpret(answer("88000"), gaz)
    replies = results_replies(decision.label, directory.nearest(decision.latitude, decision.longitude), TUESDAY_10H)
    assert len(replies) == 5
    assert replies[0].text == "Voici les 3 France services les plus proches d'Épinal (88) :"
    first = replies[1].text.splitlines()
    assert first[0].startswith("1. ") and "km" in first[0]
    assert any(line.startswith("Adresse : ") and "Épinal" in line for line in first)
    assert any(line.startswith("Aujourd'hui : ") for line in first)
    assert any(line.startswith("Plan : https://www.openstreetmap.org/?mlat=") for line in first)
    assert "août 2024" in replies[-1].text and "https://" in replies[-1].text
    # not only « appelez »: a deaf woman read it under every list (a persona of 71, 7 December 2026)
    assert "écrivez-leur" in replies[-1].text
    assert "/find_france_services" in [b["payload"] for b in replies[-1].buttons]


def test_a_town_whose_nearest_desk_is_far_gets_the_town_hall_and_the_caisse(gaz, directory):
    """« il ya rien dans saint dizier meme ? jai pa de voiture »: the nearest desks of Saint-Dizier were 11 to 16 km
    away, with no word of a nearer help (a persona of 62, 6 December 2026)."""
    decision = interpret(answer("Saint-Dizier"), gaz)
    lookup = directory.nearest(decision.latitude, decision.longitude)
    assert lookup.points[0].distance_km > FAR_KM
    intro = results_replies(decision.label, lookup, TUESDAY_10H)[0].text
    assert "mairie" in intro and "CPAM" in intro
    epinal = interpret(answer("88000"), gaz)
    near = results_replies(epinal.label, directory.nearest(epinal.latitude, epinal.longitude), TUESDAY_10H)[0].text
    assert "mairie" not in near


def test_on_a_closed_day_the_next_opening_is_given(gaz, directory):
    """« horaire france service saint die » asked on a Saturday got only « fermé ou horaires non connus »."""
    decision = interpret(answer("Saint-Dié-des-Vosges"), gaz)
    desks = directory.nearest(decision.latitude, decision.longitude).points
    desk = next(p for p in desks if p.name == "France services de Saint-Dié-des-Vosges")
    saturday, sunday = datetime(2026, 12, 5, 11, 0), datetime(2026, 12, 6, 11, 0)
    for day, first_line in ((saturday, "Aujourd'hui : fermé ou horaires non connus."),
                            (sunday, "Aujourd'hui dimanche : fermé.")):  # fmt: skip
        lines = results_replies(decision.label, Lookup([desk], "database"), day)[1].text.splitlines()
        at = lines.index(first_line)
        assert lines[at + 1] == "Prochaine ouverture : lundi de 8 h 30 à 12 h 30 et de 14 h à 17 h 30."
    friday_evening = results_replies(decision.label, Lookup([desk], "database"), datetime(2026, 12, 4, 18, 0))
    assert "Prochaine ouverture" not in friday_evening[1].text  # open today, closed at this hour: today's hours
    assert next_opening(replace(desk, hours=dict.fromkeys(desk.hours)), 5) is None


@pytest.mark.parametrize(("text", "day"), [
    ("ouvert le samedi matin ?", 5), ("le LUNDI", 0), ("et a AUBUSSON le jeudi ?", 3), ("le week-end", 5),
    ("les mardis", 1), ("dimanche", 6), ("près de Thionville", None), (None, None),
])  # fmt: skip
def test_a_day_named_in_a_request_is_read(text, day):
    assert asked_day(text) == day


@pytest.mark.parametrize("text", ["yutz, mais ouvert le samedi matin svp", "Yutz le samedi",
                                  "57970 le samedi après-midi"])  # fmt: skip
def test_a_day_after_the_place_does_not_hide_it(gaz, text):
    """« yutz, mais ouvert le samedi matin svp », answering the search's question, got the 3422's hours."""
    decision = interpret(answer(text, intent="faq", confidence=0.9), gaz)
    assert (decision.outcome, decision.label) == ("found", "Yutz (57)")
    assert interpret(answer("le samedi", intent="faq", confidence=0.9), gaz).outcome == "reject"


def test_with_a_day_asked_the_nearest_desks_open_that_day_are_shown(gaz, directory):
    decision = interpret(answer("Thionville"), gaz)
    near = directory.nearest(decision.latitude, decision.longitude, 60)
    saturday = results_replies(decision.label, near, TUESDAY_10H, day=5)
    assert saturday[0].text == ("Voici les 3 France services ouvertes le samedi les plus proches de Thionville (57), "
                                "d'après l'annuaire :")  # fmt: skip
    shown = shown_points(near.points, 5)
    assert shown == open_on(near.points, 5) and len(shown) == 3
    assert all(p.hours.get("sat") and p.distance_km <= 50 for p in shown)
    assert shown[0].distance_km > near.points[0].distance_km  # the nearest desk is closed on Saturdays
    for reply, desk in zip(saturday[1:4], shown, strict=True):
        assert reply.text.startswith(f"{shown.index(desk) + 1}. {desk.name}, à ")
        assert f"Le samedi : ouvert {spoken_hours(desk.hours['sat'])}." in reply.text.splitlines()
    assert shown_points(near.points) == near.points[:3]


def test_with_a_day_no_desk_opens_the_nearest_are_shown_and_it_is_said(gaz, directory):
    decision = interpret(answer("Thionville"), gaz)
    near = directory.nearest(decision.latitude, decision.longitude, 60)
    sunday = results_replies(decision.label, near, TUESDAY_10H, day=6)
    assert sunday[0].text.splitlines() == [
        "D'après l'annuaire, aucune France services n'ouvre le dimanche à moins de 50 km de Thionville (57). "
        "Appelez-les : leurs horaires ont pu changer.",
        "Voici les 3 France services les plus proches de Thionville (57) :"]  # fmt: skip
    assert "Le dimanche : fermé ou horaires non connus." in sunday[1].text.splitlines()
    assert open_on(near.points, 6) == [] and shown_points(near.points, 6) == near.points[:3]


def test_bus_results_carry_a_warning(directory):
    bus = next(p for p in directory.nearest(46.5, 2.5, limit=3000).points if p.kind == "bus" and p.comment)
    replies = results_replies("x", Lookup([bus], "database"), TUESDAY_10H)
    text = replies[1].text
    assert "Attention : c'est un bus" in text and "point de départ" in text and "Précision : " in text


def test_hours_that_look_mistyped_carry_a_warning(directory):
    """La Rochotte (Chaumont) opens « 08:12 - 14:18 » in the directory: given as written, with a warning (a persona)."""
    desks = directory.nearest(48.0916, 5.1373, limit=5).points
    rochotte = next(p for p in desks if p.name == "France services La Rochotte")
    assert ODD_HOURS in results_replies("Chaumont (52)", Lookup([rochotte], "database"), TUESDAY_10H)[1].text
    ordinary = next(p for p in desks if p.name != rochotte.name and not has_odd_hours(p))
    assert ODD_HOURS not in results_replies("Chaumont (52)", Lookup([ordinary], "database"), TUESDAY_10H)[1].text


def test_results_when_the_directory_is_empty():
    replies = results_replies("Épinal (88)", Lookup([], "none"), TUESDAY_10H)
    assert len(replies) == 1 and "3422" in replies[0].text


def test_map_link(directory):
    point = directory.nearest(48.1724, 6.4496).points[0]
    assert map_link(point).startswith("https://www.openstreetmap.org/?mlat=48.")


@pytest.mark.parametrize(("text", "label"), [("Lunéville aide démarches en ligne", "Lunéville (54)"),
                                             ("Valence 82", "Valence (82)"), ("Saint-Denis (93)", "Saint-Denis (93)")])
def test_a_place_given_alone_with_other_words_or_a_department(gaz, text, label):
    decision = interpret(UserTurn(text=text, intent="inform_place", confidence=0.9), gaz)
    assert (decision.outcome, decision.label) == ("found", label)  # « en ligne » is not Ligné (44)


def test_the_place_is_named_as_french_writes_it():
    from bot.france_services.answer import of_place

    assert of_place("Épinal (88)") == "d'Épinal (88)"
    assert of_place("Auxerre (89)") == "d'Auxerre (89)"
    assert of_place("Le Havre (76)") == "du Havre (76)"
    assert of_place("Les Mureaux (78)") == "des Mureaux (78)"
    assert of_place("Nancy (54)") == "de Nancy (54)" and of_place("La Bresse (88)") == "de La Bresse (88)"
    assert of_place("votre position") == "de votre position" and of_place("") == "de "


@pytest.mark.parametrize(("text", "label"), [
    ("je peux pas m'asseoir a coté d'elle je suis a Lyon !! qui peut l'aider sur place à Bar-le-Duc quand elle "
     "sortira ?", "Bar-le-Duc (55)"),
    ("je suis a Lyon. qui peut m'aider ?", "Lyon (69)"),  # the question names no place: the message's
])  # fmt: skip
def test_the_place_of_a_request_is_the_one_its_question_names(gaz, text, label):
    """« … je suis a Lyon !! qui peut l'aider sur place à Bar-le-Duc quand elle sortira ? » got the desks of Lyon (a
    daughter helping her mother, 7 December 2026)."""
    assert place_in_request(text, gaz).label == label
