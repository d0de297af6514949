"""bot/typed_buttons.py: a button's title typed as text does what the button does."""

from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.answers.bank import BUTTON_INTENTS, load_bank
from bot.guides import load_domain
from bot.text import normalize
from bot.typed_buttons import GUIDE_MOVES, parse_payload, title_table, typed_button

BANK = load_bank()
RESPONSES = load_domain(Path("domain")).get("responses") or {}
TABLE = title_table(BANK, RESPONSES)


def test_every_answer_and_every_guide_or_search_button_can_be_typed():
    for unit in BANK:
        assert typed_button(unit.title, TABLE) == ("faq", {"answer": unit.id})
    for intent, title in BUTTON_INTENTS.items():
        assert typed_button(title.upper() + " ?", TABLE) == (intent, {})


def test_domain_buttons_are_typed_too_but_not_guide_moves_nor_titles_of_two_buttons():
    assert typed_button("Nouvel usager", TABLE) == ("new_person", {})
    assert typed_button("acces du second parent", TABLE) == ("start_procedure", {"procedure": "child_other_parent"})
    assert typed_button("Fait", TABLE) is None and typed_button("Problème", TABLE) is None
    # « Profil d'un enfant » starts the child's guide by two payloads in the domain: left to the classifier
    assert typed_button("Profil d'un enfant", TABLE) is None
    assert all(intent not in GUIDE_MOVES for intent, _ in TABLE.values())


def test_payloads_are_read_like_rasa_reads_them():
    assert parse_payload('/faq{"answer": "no_email"}') == ("faq", {"answer": "no_email"})
    assert parse_payload('/start_procedure{{"procedure": "x"}}') == ("start_procedure", {"procedure": "x"})
    assert parse_payload("/ask_summary") == ("ask_summary", {})
    assert parse_payload("Je ne sais pas") is None and parse_payload('/faq{"answer": ') is None
    assert parse_payload('/faq["answer"]') is None


@given(st.sampled_from(sorted(TABLE)), st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè", min_size=1, max_size=12))
def test_a_title_inside_a_sentence_is_left_to_the_classifier(title, word):
    text = f"je veux {word} {title}"
    assume(normalize(text) not in TABLE)
    assert typed_button(text, TABLE) is None and typed_button(title, TABLE) is not None


@given(st.text(max_size=40))
def test_only_a_whole_title_is_a_button(text):
    assert typed_button(text, TABLE) is None or normalize(text) in TABLE
    assert typed_button(None, TABLE) is None and typed_button("/faq", TABLE) is None
