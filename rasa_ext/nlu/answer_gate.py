"""Rasa glue for ``bot.understanding``: answer, decline or « not sure », with calibrated thresholds;
and a help request that names a place goes to the France Services search.

Replaces Rasa's ``FallbackClassifier`` after the classifier. The thresholds are read from
``thresholds_file`` when the model is loaded, so a new calibration needs no retraining. The commune
index (bot/places, about 50 MB) is loaded with the model when ``places`` is on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.courtesy import is_farewell
from bot.places import Gazetteer
from bot.places.extract import find_place, trusted_in_request
from bot.understanding import (
    FALLBACK,
    FIND_FRANCE_SERVICES,
    OFF_TOPIC_KEY,
    OUT_OF_SCOPE,
    THRESHOLDS_FILE,
    Thresholds,
    about_another_services_account,
    decide,
    is_help_request,
    load_thresholds,
    names_no_place_of_ones_own,
    refuses_a_desk,
    typed_without_position,
)
from rasa_ext.nlu.base import ConfiguredComponent

GEO_FOLDER = Path("data") / "geo"
# The France Services search and a place given alone; moves inside a guide, which a place does not divert.
PLACE_INTENTS = frozenset({FIND_FRANCE_SERVICES, "inform_place"})
GUIDE_MOVES = frozenset({"share_position", "step_done", "step_failed", "step_back", "resume_procedure"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerGate(ConfiguredComponent):
    """Turn an unsure prediction into ``nlu_fallback``; keep the rankings for the suggestions."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"thresholds_file": str(THRESHOLDS_FILE), "places": True, "geo_folder": str(GEO_FOLDER)}

    def __init__(self, thresholds: Thresholds, gazetteer: Gazetteer | None = None) -> None:
        self.thresholds = thresholds
        self.gazetteer = gazetteer

    @classmethod
    def from_config(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> AnswerGate:
        gazetteer = Gazetteer.load(Path(config["geo_folder"])) if config["places"] else None
        return cls(load_thresholds(Path(config["thresholds_file"])), gazetteer)

    def _names_a_place(self, text: str | None) -> bool:
        if self.gazetteer is None or not text:
            return False
        # a typo only for a sizeable town (« aide en ligne » is not Ligné); a shortened name always (« Saint-Dié »)
        return trusted_in_request(find_place(self.gazetteer, text))

    @staticmethod
    def _without_a_search(message: Message) -> None:
        """« je ne cherche pas de guichet à Paris. mon petit-fils peut-il consulter mon dossier ? »: a message that
        refuses a France Services is no search, however sure the classifier is of one (a persona of 88 got the desks
        of Paris twice, 7 December 2026); its likeliest other intent instead."""
        predicted = message.get(INTENT) or {}
        if predicted.get(INTENT_NAME_KEY) not in PLACE_INTENTS:
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in PLACE_INTENTS]
        if ranking:
            best = ranking[0]
            other = {INTENT_NAME_KEY: best[INTENT_NAME_KEY],
                     PREDICTED_CONFIDENCE_KEY: best.get(PREDICTED_CONFIDENCE_KEY)}  # fmt: skip
            message.set(INTENT, other, add_to_output=True)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            refused = refuses_a_desk(text)
            if refused:
                self._without_a_search(message)
            predicted = message.get(INTENT) or {}
            name, confidence = predicted.get(INTENT_NAME_KEY), float(predicted.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            off_topic = message.get(OFF_TOPIC_KEY)
            move = decide(name, confidence, self.thresholds, off_topic)
            asks_help = name in PLACE_INTENTS or (name not in GUIDE_MOVES and is_help_request(text))
            # « ma fille habite Nancy, elle pourrait consulter mes papiers pour m'aider ? »: her town, no desk asked
            asks_help = asks_help and not names_no_place_of_ones_own(text)
            # « Je vous remercie… Je vais appeler la France Services de Verdun… Bonne fin de journée. »: a goodbye;
            # « je ne cherche pas de guichet à Paris » (a persona of 88 got the desks of Paris twice, 7 December 2026)
            asks_help = asks_help and not refused and not is_farewell(text)
            if asks_help and self._names_a_place(text):
                # « je suis à Remiremont, qui peut m'aider ? »: the nearest desks, whatever the topic, and a
                # search that names a place is never declined as off-topic
                desks = {INTENT_NAME_KEY: name if name in PLACE_INTENTS else FIND_FRANCE_SERVICES,
                         PREDICTED_CONFIDENCE_KEY: 1.0}  # fmt: skip
                message.set(INTENT, desks, add_to_output=True)
                continue
            if typed_without_position(name, text):
                move = FALLBACK  # « donc je peux ou je peux pas » is no request for the position: « not sure »
            if about_another_services_account(text):
                # « comment on supprime son compte doctolib ? »: declined, in a conversation too (actions/answers.py)
                move, off_topic = OUT_OF_SCOPE, 1.0
                message.set(OFF_TOPIC_KEY, off_topic, add_to_output=True)
            if move == name:
                continue
            if move == OUT_OF_SCOPE:
                chosen = {INTENT_NAME_KEY: OUT_OF_SCOPE, PREDICTED_CONFIDENCE_KEY: float(off_topic or confidence)}
            else:
                chosen = {INTENT_NAME_KEY: FALLBACK, PREDICTED_CONFIDENCE_KEY: confidence}
            message.set(INTENT, chosen, add_to_output=True)
        return messages
