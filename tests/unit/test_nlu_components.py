"""The project's NLU components are built by one shared ``create`` (rasa_ext/nlu/base.py), defaults filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.training.fingerprinting import calculate_fingerprint_key

from bot.places import Gazetteer
from bot.understanding import THRESHOLDS_FILE, load_thresholds
from rasa_ext import speedups
from rasa_ext.nlu.answer_gate import AnswerGate
from rasa_ext.nlu.emergency import EmergencyIntentOverride
from rasa_ext.nlu.linear_intent import LinearIntentClassifier

CONTEXT = ExecutionContext(GraphSchema({}), "test")
RESOURCE = Resource("component")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def test_the_classifier_gets_its_defaults_and_installs_the_speedups(
    storage: LocalModelStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(speedups, "install", lambda: calls.append(True))
    classifier = LinearIntentClassifier.create({"c": 2.0}, storage, RESOURCE, CONTEXT)
    assert classifier.config == {**LinearIntentClassifier.get_default_config(), "c": 2.0}
    assert classifier.model is None and calls == [True]


def test_editing_the_word_families_retrains_the_classifier_instead_of_reusing_rasa_s_cache(tmp_path: Path) -> None:
    (tmp_path / "families.yml").write_text("families:\n  professionnel: [médecin]\n", encoding="utf-8")
    config = {**LinearIntentClassifier.get_default_config(), "lexicon": str(tmp_path)}
    before = calculate_fingerprint_key(LinearIntentClassifier, config, {})
    assert calculate_fingerprint_key(LinearIntentClassifier, config, {}) == before  # stable when nothing changed
    (tmp_path / "families.yml").write_text("families:\n  professionnel: [médecin, kiné]\n", encoding="utf-8")
    assert calculate_fingerprint_key(LinearIntentClassifier, config, {}) != before


def test_the_gate_reads_its_thresholds_and_loads_like_it_is_created(storage: LocalModelStorage) -> None:
    created = AnswerGate.create({"places": False}, storage, RESOURCE, CONTEXT)
    loaded = AnswerGate.load({"places": False}, storage, RESOURCE, CONTEXT)
    assert created.thresholds == loaded.thresholds and created.gazetteer is None and loaded.gazetteer is None


def test_the_emergency_override_needs_no_config(storage: LocalModelStorage) -> None:
    assert isinstance(EmergencyIntentOverride.create({}, storage, RESOURCE, CONTEXT), EmergencyIntentOverride)
    assert isinstance(EmergencyIntentOverride.load({}, storage, RESOURCE, CONTEXT), EmergencyIntentOverride)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je suis à Saint-Dié, qui peut m'aider ?", True),  # a shortened name (« prefix ») is a place
        ("je suis à Remiremont, qui peut m'aider ?", True),
        # a typo, only for a single sizeable town (« roubais », a persona who writes as he speaks, 6 December 2026)
        ("je suis a Nacy, qui peut m'aider ?", False),  # capitalised after « a », no town is found
        ("ya un endroi pour maider a roubais?", True),
        ("je suis a Remiremon, qui peut m'aider ?", False),  # 7,000 people: a typo of a small town is not trusted
        ("j'ai besoin d'aide en ligne", False),
    ],
)
def test_the_gate_sends_a_help_request_to_the_nearest_desks_when_it_names_a_place(
    text: str, expected: bool, gazetteer: Gazetteer
) -> None:
    gate = AnswerGate(load_thresholds(THRESHOLDS_FILE), gazetteer)
    assert gate._names_a_place(text) is expected


@pytest.mark.parametrize(("text", "desks"), [
    # where someone else lives, or help already given, is no desk to find (two personas, 6 December 2026)
    ("Ma fille habite Nancy. Elle pourrait consulter mes papiers depuis chez elle, pour m'aider ?", False),
    ("Je sors du CHR de Metz. Ma petite-fille m'a aidée à ouvrir Mon espace santé. Où est mon compte rendu ?", False),
    ("ma fille habite à Nancy, où aller pour m'aider près de chez moi à Remiremont ?", True),
    ("je suis à Remiremont, qui peut m'aider ?", True),
    # a farewell that names the desk the person will call (a persona of 66, 7 December 2026)
    ("Je vous remercie pour tout. Je vais appeler la France Services de Verdun. Bonne fin de journée.", False),
    ("je ne cherche pas de guichet à Paris. mon petit-fils peut-il consulter mon dossier ?", False),
])  # fmt: skip
def test_the_gate_leaves_a_relatives_town_and_past_help_to_the_answers(text: str, desks: bool, gazetteer: Gazetteer):
    from rasa.shared.nlu.training_data.message import Message

    gate = AnswerGate(load_thresholds(THRESHOLDS_FILE), gazetteer)
    message = Message(data={"text": text, "intent": {"name": "faq", "confidence": 0.9}})
    gate.process([message])
    assert (message.get("intent")["name"] == "find_france_services") is desks


def test_a_refused_desk_or_a_farewell_is_no_search_even_when_the_classifier_says_so(gazetteer: Gazetteer):
    """« je ne cherche pas de guichet à Paris » got the desks of Paris twice, the classifier sure of a search (a
    persona of 88, 7 December 2026); a farewell that names the desk too."""
    from rasa.shared.nlu.training_data.message import Message

    gate = AnswerGate(load_thresholds(THRESHOLDS_FILE), gazetteer)
    ranking = [{"name": "find_france_services", "confidence": 0.6}, {"name": "faq", "confidence": 0.3}]
    refused = Message(data={"text": "je ne cherche pas de guichet à Paris. mon petit-fils peut-il consulter mon "
                                    "dossier ?", "intent": ranking[0], "intent_ranking": ranking})  # fmt: skip
    gate.process([refused])
    assert refused.get("intent") == {"name": "faq", "confidence": 0.3}  # the likeliest other intent
    farewell = Message(data={"text": "Je vous remercie pour tout. Je vais appeler la France Services de Verdun. Bonne "
                                     "fin de journée.", "intent": {"name": "goodbye", "confidence": 1.0}})  # fmt: skip
    gate.process([farewell])
    assert farewell.get("intent") == {"name": "goodbye", "confidence": 1.0}  # no place forced
    searched = Message(data={"text": "une France Services à Paris ?", "intent": {"name": "find_france_services",
                                                                                 "confidence": 0.99}})
    gate.process([searched])
    assert searched.get("intent")["confidence"] == 1.0  # a real search names its place: forced sure


@pytest.mark.parametrize(("text", "intent"), [
    ("merci. et pendant que j'y suis comment on supprime son compte doctolib ?", "out_of_scope"),
    ("je veux fermer mon espace santé", "faq"),
])  # fmt: skip
def test_the_gate_declines_the_account_of_another_service(text: str, intent: str, gazetteer: Gazetteer) -> None:
    """A persona's Doctolib account got the steps to close Mon espace santé (0.52 for them, off-topic 0.27)."""
    from rasa.shared.nlu.training_data.message import Message

    gate = AnswerGate(load_thresholds(THRESHOLDS_FILE), gazetteer)
    message = Message(data={"text": text, "intent": {"name": "faq", "confidence": 0.9}, "off_topic": 0.27})
    gate.process([message])
    assert message.get("intent")["name"] == intent
    assert (message.get("off_topic") == 1.0) is (intent == "out_of_scope")


def _share_position_examples() -> list[str]:
    import yaml

    nlu = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "nlu" / "places.yml").read_text("utf-8"))
    block = next(item["examples"] for item in nlu["nlu"] if item.get("intent") == "share_position")
    return [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize(("text", "intent"), [
    ("donc je peux ou je peux pas", "nlu_fallback"),  # a persona of 83 got « Je n'ai pas reçu votre position »
    ('/share_position{"latitude": 48.17, "longitude": 6.45}', "share_position"),  # the page's button
    *((example, "share_position") for example in _share_position_examples()),
])  # fmt: skip
def test_a_typed_message_is_a_request_for_the_position_only_when_it_says_so(text: str, intent: str) -> None:
    from rasa.shared.nlu.training_data.message import Message

    gate = AnswerGate(load_thresholds(THRESHOLDS_FILE))
    message = Message(data={"text": text, "intent": {"name": "share_position", "confidence": 0.6}})
    gate.process([message])
    assert message.get("intent")["name"] == intent


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(Path(__file__).resolve().parents[2] / "data" / "geo")


def test_markup_gets_no_intent_so_the_fallback_asks_to_rephrase(storage: LocalModelStorage) -> None:
    """« <script>alert('x')</script> » was read as the notification settings (« alert » ≈ « alertes »)."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.intent_model import IntentModel

    texts = ["régler les alertes", "mes notifications", "alerte par mail", "bonjour", "salut", "merci", "merci bien"]
    model = IntentModel(kind="svm").fit(texts, ["notifications"] * 3 + ["greet"] * 2 + ["thanks"] * 2)
    classifier = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), storage, RESOURCE, model)
    markup, plain = Message(data={"text": "<script>alert('x')</script>"}), Message(data={"text": "alerte par sms"})
    classifier.process([markup, plain])
    assert markup.get("intent") == {"name": None, "confidence": 0.0} and markup.get("intent_ranking") == []
    assert plain.get("intent")["name"] == "notifications"


def test_each_sentence_of_a_message_of_several_is_ranked_on_its_own(storage: LocalModelStorage) -> None:
    """« j'ai perdu ma carte vitale. et je n'ai pas d'adresse mail ? » asks two things (bot/clauses.py)."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.intent_model import IntentModel

    texts = ["carte vitale perdue", "j'ai perdu ma carte vitale", "carte vitale volée",
             "pas d'adresse mail", "je n'ai pas d'e-mail", "sans adresse e-mail", "bonjour", "salut"]  # fmt: skip
    model = IntentModel(kind="svm").fit(texts, ["faq/lost_card"] * 3 + ["faq/no_email"] * 3 + ["greet"] * 2)
    classifier = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), storage, RESOURCE, model)
    two = Message(data={"text": "j'ai perdu ma carte vitale hier. et je n'ai pas d'adresse mail, je fais comment ?"})
    one = Message(data={"text": "j'ai perdu ma carte vitale"})
    classifier.process([two, one])
    assert [s["label"] for s in two.get("sentences")] == ["faq/lost_card", "faq/no_email"]
    assert all(0 < s["confidence"] <= 1 for s in two.get("sentences"))
    assert one.get("sentences") is None


def test_a_typed_button_title_becomes_that_button(storage: LocalModelStorage) -> None:
    """« Préparer ma visite » typed as text got « je ne suis pas sûr » in a persona session (6 December 2026)."""
    from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from rasa_ext.nlu.typed_buttons import TypedButtonTitles

    component = TypedButtonTitles.load({}, storage, RESOURCE, CONTEXT)
    guessed = {"name": "nlu_fallback", "confidence": 0.3}
    messages = [Message(data={TEXT: text, INTENT: dict(guessed), ENTITIES: []})
                for text in ("Préparer ma visite", "bloquer un soignant !", "je veux préparer ma visite")]  # fmt: skip
    visit, block, sentence = component.process(messages)
    assert visit.get(INTENT) == {"name": "prepare_visit", "confidence": 1.0} and visit.get(ENTITIES) == []
    assert block.get(INTENT)["name"] == "faq"
    assert [(e["entity"], e["value"]) for e in block.get(ENTITIES)] == [("answer", "block_professional")]
    assert sentence.get(INTENT) == guessed  # a sentence around the title is left to the classifier
