"""Place resolution on the real COG 2026 gazetteer."""

from pathlib import Path

import pytest

from bot.places import Gazetteer, normalize_place

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(DATA)


def _found(gaz: Gazetteer, text: str, **kwargs) -> str:
    res = gaz.resolve(text, **kwargs)
    assert res.status == "found", (text, res)
    assert res.places[0].latitude and res.places[0].longitude
    return res.places[0].name


def test_normalize_place():
    assert normalize_place("  Saint-Dié-des-Vosges ") == "saint die des vosges"
    assert normalize_place("St Dié des Vosges") == "saint die des vosges"
    assert normalize_place("Ste-Marie-aux-Mines") == "sainte marie aux mines"
    assert normalize_place("L'Haÿ-les-Roses") == "hay les roses"
    assert normalize_place("Le Havre") == "havre"


@pytest.mark.parametrize("text", ["Épinal", "epinal", "EPINAL", "88000", "Epinall", "88000 Épinal"])
def test_epinal(gaz, text):
    assert _found(gaz, text) == "Épinal"


def test_postcode_with_several_communes_gives_most_populous_first(gaz):
    res = gaz.resolve("88000")
    assert len(res.places) > 1
    assert res.places[0].name == "Épinal"
    assert all(p.postcode == "88000" for p in res.places)


@pytest.mark.parametrize("text", ["st die des vosges", "Saint-Dié-des-Vosges", "ST DIE DES VOSGES"])
def test_saint_die(gaz, text):
    assert _found(gaz, text) == "Saint-Dié-des-Vosges"


@pytest.mark.parametrize("text", ["Saint-Dié", "st die"])
def test_the_first_words_of_a_longer_name_are_a_shortened_name_not_a_typo(gaz, text):
    res = gaz.resolve(text, fuzzy=False, prefix=True)
    assert res.status == "found" and res.kind == "prefix"
    assert [p.name for p in res.places] == ["Saint-Dié-des-Vosges"]


def test_a_far_bigger_town_whose_name_begins_with_the_name_comes_first_and_the_namesake_is_offered(gaz):
    res = gaz.resolve("Charleville", fuzzy=False)
    assert res.status == "ambiguous" and res.kind == "commune"
    assert [(p.name, p.dep_code) for p in res.places] == [("Charleville-Mézières", "08"), ("Charleville", "51")]
    # a namesake as big as the longer names stays alone: Nancy is not Nancy-sur-Cluses
    assert [p.name for p in gaz.resolve("Nancy", fuzzy=False).places] == ["Nancy"]
    # the department settles it, as for any ambiguous name
    assert [p.name for p in gaz.resolve("Charleville", dep_code="51").places] == ["Charleville"]


@pytest.mark.parametrize("text", ["54000", "Nancy", "Nacny"])
def test_nancy(gaz, text):
    assert _found(gaz, text) == "Nancy"


def test_a_name_typed_with_its_accents_puts_the_commune_spelt_so_first(gaz):
    """« Blâmont » (Meurthe-et-Moselle) typed with its accent gave Blamont (Doubs), a few more people, first."""
    assert [(p.name, p.dep_code) for p in gaz.resolve("Blâmont").places] == [("Blâmont", "54"), ("Blamont", "25")]
    assert [(p.name, p.dep_code) for p in gaz.resolve("blamont").places] == [("Blamont", "25"), ("Blâmont", "54")]


def test_ambiguous_name_then_settled_by_department(gaz):
    res = gaz.resolve("Saint-Denis")
    assert res.status == "ambiguous"
    codes = [code for code, _ in res.departments]
    assert {"93", "974"} <= set(codes)
    assert codes[0] == "974"  # biggest population first
    settled = gaz.resolve("Saint-Denis", dep_code="93")
    assert settled.status == "found"
    assert settled.places[0].insee_code == "93066"
    assert gaz.resolve("Saint-Denis 974").places[0].insee_code == "97411"


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Paris 15e", "75115"),
        ("Paris 15", "75115"),
        ("paris 15eme arrondissement", "75115"),
        ("75015", "75115"),
        ("Lyon 3", "69383"),
        ("Marseille 13e", "13213"),
        ("13003", "13203"),
    ],
)
def test_arrondissements(gaz, text, insee):
    res = gaz.resolve(text)
    assert res.status == "found"
    assert res.places[0].insee_code == insee


def test_corsica_postcode(gaz):
    res = gaz.resolve("20000")
    assert res.status == "found"
    assert (res.places[0].name, res.places[0].dep_code) == ("Ajaccio", "2A")


def test_overseas_postcode(gaz):
    res = gaz.resolve("97400")
    assert res.status == "found"
    place = res.places[0]
    assert (place.name, place.dep_code, place.dep_name) == ("Saint-Denis", "974", "La Réunion")


def test_former_commune_resolves_to_parent(gaz):
    res = gaz.resolve("Bellegarde-sur-Valserine")
    assert res.status == "found"
    assert (res.places[0].name, res.places[0].insee_code) == ("Valserhône", "01033")


@pytest.mark.parametrize("text", ["88", "Vosges", "vosges"])
def test_department_vosges(gaz, text):
    res = gaz.resolve(text)
    assert res.status == "found"
    assert res.places[0].name == "Épinal"
    assert all(p.dep_code == "88" for p in res.places)


@pytest.mark.parametrize(("text", "name"), [("2A", "Ajaccio"), ("971", "Les Abymes")])
def test_department_codes(gaz, text, name):
    assert _found(gaz, text) == name


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 300, "'; DROP TABLE communes;--", "<script>alert(1)</script>", "!!!", "x", "zzzzqqqq", "00000"],
)
def test_bad_inputs_do_not_raise(gaz, text):
    res = gaz.resolve(text)
    assert res.status in {"invalid", "not_found"}
    assert res.places == []


@pytest.mark.parametrize("text", ["", "x" * 300, "'; DROP TABLE communes;--", "<script>alert(1)</script>", "!!!"])
def test_hostile_inputs_are_invalid(gaz, text):
    assert gaz.resolve(text).status == "invalid"


def test_candidates_are_capped_and_have_coordinates(gaz):
    res = gaz.resolve("Saint-Martin")  # dozens of communes and a collectivity share this name
    assert 0 < len(res.places) <= 10
    res = gaz.resolve("Vosges")
    assert len(res.places) <= 10
    assert all(p.latitude is not None and p.longitude is not None for p in res.places)


def _typos(name: str) -> list[str]:
    """A few misspellings of ``name``: two letters swapped, one dropped, one replaced, one added."""
    middle = len(name) // 2
    return [name[:middle - 1] + name[middle] + name[middle - 1] + name[middle + 1:], name[:middle] + name[middle + 1:],
            name[:middle] + "e" + name[middle + 1:], name + "s"]  # fmt: skip


def test_the_fuzzy_search_scores_only_names_that_can_match_and_finds_the_same(gaz, monkeypatch):
    from rapidfuzz import fuzz

    from bot.places.resolve import FUZZY_CUTOFF

    queries = [typo for name in gaz._choices[::701] for typo in _typos(name)]
    queries += ["nacny", "epinla", "zzzzqqq", "bonjour"]
    fast = {query: gaz._fuzzy(query, None) for query in queries}
    for query in queries:  # every name that reaches the cutoff is a candidate
        candidates = set(gaz._fuzzy_candidates(query))
        assert len(candidates) < len(gaz._choices) / 5
        assert {n for n in gaz._choices if fuzz.ratio(query, n) >= FUZZY_CUTOFF} <= candidates, query
    monkeypatch.setattr(gaz, "_fuzzy_candidates", lambda query: gaz._choices)
    assert {query: gaz._fuzzy(query, None) for query in queries} == fast


def test_a_cheap_test_tells_whether_a_text_may_open_with_a_communes_name(gaz):
    """Read before a costlier search for the name that opens a message right after the desks (st mihiel…)."""
    assert gaz.may_start_a_name("st mihiel c ouvert le samedi")
    assert gaz.may_start_a_name("Saint-Dié")
    assert not gaz.may_start_a_name("comment activer mon espace")
    assert not gaz.may_start_a_name("")
