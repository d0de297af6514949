"""A shared position is kept to about 1 km: rounding, the payload, the search dialogue and the nearest desks."""

from __future__ import annotations

import json
import math
import random
import re

import pytest

from bot.france_services.dialogue import POSITION_PAYLOAD, UserTurn, interpret
from bot.france_services.directory import Directory
from bot.france_services.index import haversine_km
from bot.places.position import round_coordinate, rounded_payload

NANCY = (48.69212, 6.18443)  # a home-precise position (~1 m)
# Half a step of 0.01° on both axes: the farthest a rounded position can be from the true one, under 0.8 km.
WORST_SHIFT_KM = haversine_km(0.0, 0.0, 0.005, 0.005)


def decimals(number: float) -> int:
    """How many decimals a number is written with (its shortest form)."""
    text = repr(float(number))
    return len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0


def test_coordinates_are_rounded_to_two_decimals():
    assert round_coordinate(48.69212) == 48.69 and round_coordinate(6.18443) == 6.18
    assert round_coordinate(-61.53315) == -61.53 and round_coordinate("48.7") == 48.7  # type: ignore[arg-type]
    assert repr(round_coordinate(-0.00312)) == "0.0"  # never « -0.0 »
    rng = random.Random(14)
    for _ in range(1000):
        value = rng.uniform(-180, 180)
        rounded = round_coordinate(value)
        assert decimals(rounded) <= 2 and abs(rounded - value) <= 0.005 + 1e-9
        assert round_coordinate(rounded) == rounded


@pytest.mark.parametrize(
    ("sent", "forwarded"),
    [
        ('/share_position{"latitude": 48.69212, "longitude": 6.18443}',
         '/share_position{"latitude": 48.69, "longitude": 6.18}'),
        ('/share_position{"latitude": "48.69212", "longitude": -0.12761}',  # numbers as strings, negative
         '/share_position{"latitude": "48.69", "longitude": -0.13}'),
        ('/share_position{"latitude": 4869212e-5, "longitude": 6.18443E0',  # exponents, malformed JSON
         '/share_position{"latitude": 48.69, "longitude": 6.18'),
        ('/share_position{"latitude": 48.69, "longitude": 6.2}', None),  # already coarse: unchanged
        ('/share_position{"latitude": 1e999, "longitude": 6}', None),  # not a number: nothing to hide
        ('/share_position', None),
        ('/faq{"answer": "ask_human"}', None),
        ("j'habite au 12 rue de la Gare, 48.69212", None),  # typed text: the privacy rules' business
        ("", None),
    ],
)  # fmt: skip
def test_a_payload_is_rounded_whatever_its_shape(sent, forwarded):
    assert rounded_payload(sent) == (sent if forwarded is None else forwarded)


def test_a_rounded_payload_never_carries_more_than_two_decimals():
    rng = random.Random(7)
    for _ in range(300):
        lat, lon = rng.uniform(41, 51), rng.uniform(-5, 9)
        payload = rounded_payload(f'{POSITION_PAYLOAD}{{"latitude": {lat}, "longitude": {lon}}}')
        entities = json.loads(payload[len(POSITION_PAYLOAD) :])
        assert all(decimals(value) <= 2 for value in entities.values())
        assert not re.search(r"\d\.\d{3}", payload)
        assert rounded_payload(payload) == payload


def shared(latitude: object, longitude: object) -> UserTurn:
    """The user pressed « Utiliser ma position »: Rasa gives the payload's numbers as entities."""
    return UserTurn(POSITION_PAYLOAD, "share_position", 1.0, {"latitude": latitude, "longitude": longitude})


def test_the_search_reads_a_precise_position_to_about_1_km_only():
    decision = interpret(shared(*NANCY), None)  # type: ignore[arg-type]  # a position needs no gazetteer
    assert decision.outcome == "found" and decision.kind == "position"
    assert (decision.latitude, decision.longitude) == (48.69, 6.18)
    decision = interpret(shared(str(NANCY[0]), str(NANCY[1])), None)  # type: ignore[arg-type]
    assert (decision.latitude, decision.longitude) == (48.69, 6.18)
    assert interpret(shared(51.50722, -0.12761), None).prompt == "position_outside"  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory(None)  # the shipped file


def test_the_nearest_desks_are_still_found_from_a_rounded_position(directory):
    exact = directory.nearest(*NANCY).points
    rounded = directory.nearest(round_coordinate(NANCY[0]), round_coordinate(NANCY[1])).points
    assert len(rounded) == 3 and [p.id for p in rounded] == [p.id for p in exact]
    assert rounded[0].name == "France services de la préfecture de Nancy" and rounded[0].distance_km < 1


def test_a_rounded_position_never_sends_anyone_more_than_about_1_5_km_further(directory):
    """Whatever the position, the desk found from the rounded one is at most twice the rounding shift further
    from the true position than the truly nearest desk (triangle inequality), here checked over France."""
    rng = random.Random(2024)
    for _ in range(300):
        lat, lon = rng.uniform(42.5, 50.5), rng.uniform(-4.0, 7.5)
        best = directory.nearest(lat, lon, limit=1).points[0]
        found = directory.nearest(round_coordinate(lat), round_coordinate(lon), limit=1).points[0]
        best_km = haversine_km(lat, lon, best.latitude, best.longitude)
        found_km = haversine_km(lat, lon, found.latitude, found.longitude)
        assert found_km <= best_km + 2 * WORST_SHIFT_KM + 1e-6
    assert math.isclose(WORST_SHIFT_KM, 0.786, abs_tol=0.01)
