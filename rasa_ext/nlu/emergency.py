"""NLU component: a message describing a medical emergency always gets the emergency intent.

It runs last in the pipeline, after the classifier and the fallback classifier,
so a confident wrong topic or a low-confidence fallback can never hide a person
in danger. The detection itself lives in ``bot.safety`` (plain Python).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import is_medical_emergency
from bot.understanding import EMERGENCY
from rasa_ext.nlu.base import ConfiguredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyIntentOverride(ConfiguredComponent):
    """Sets the intent to ``medical_emergency`` when ``bot.safety`` recognises one."""

    @classmethod
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> EmergencyIntentOverride:
        return cls()  # nothing to configure

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if is_medical_emergency(message.get(TEXT)):
                intent = {INTENT_NAME_KEY: EMERGENCY, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
        return messages
