"""NLU component: a button's title typed as text (« Préparer ma visite ») is that button (bot/typed_buttons.py).

It runs after the answer gate, which would otherwise leave a sure button for « not sure », and before the emergency
override. The titles are read from the answer bank and the domain when the model loads, like the thresholds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.answers.bank import BANK_FOLDER, load_bank
from bot.guides import load_domain
from bot.typed_buttons import Button, title_table, typed_button
from rasa_ext.nlu.base import ConfiguredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TypedButtonTitles(ConfiguredComponent):
    """Sets the intent and entities of the button whose title the whole message is."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"bank_folder": str(BANK_FOLDER), "domain": "domain"}

    def __init__(self, table: dict[str, Button]) -> None:
        self.table = table

    @classmethod
    def from_config(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> TypedButtonTitles:
        responses = load_domain(Path(config["domain"])).get("responses") or {}
        return cls(title_table(load_bank(Path(config["bank_folder"])), responses))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            button = typed_button(message.get(TEXT), self.table)
            if button is None:
                continue
            intent, entities = button
            message.set(INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
            typed = [{ENTITY_ATTRIBUTE_TYPE: name, ENTITY_ATTRIBUTE_VALUE: value, EXTRACTOR: type(self).__name__}
                     for name, value in entities.items()]  # fmt: skip
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), *typed], add_to_output=True)
        return messages
