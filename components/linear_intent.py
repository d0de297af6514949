"""Rasa glue for ``bot.intent_model.IntentModel``: train, persist, load and classify messages.

Uses the message text and, when the pipeline has one, the sentence vector of
the spaCy featurizer. Everything else (features, model) lives in ``bot/``.
"""

from __future__ import annotations

from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intent_model import IntentModel

MODEL_FILE = "intent_model.joblib"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Logistic regression over TF-IDF word and character n-grams (+ spaCy sentence vector)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"c": 100.0, "char_ngrams": [1, 5], "word_ngrams": [1, 2], "dense_weight": 0.5, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: IntentModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @staticmethod
    def _dense(messages: list[Message]) -> np.ndarray | None:
        vectors = []
        for message in messages:
            _, sentence = message.get_dense_features(TEXT)
            if sentence is None:
                return None
            vectors.append(np.asarray(sentence.features).reshape(-1))
        return np.vstack(vectors) if vectors else None

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        self.model = IntentModel(
            c=self.config["c"],
            char_ngrams=tuple(self.config["char_ngrams"]),
            word_ngrams=tuple(self.config["word_ngrams"]),
            dense_weight=self.config["dense_weight"],
        ).fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples], self._dense(examples))
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        with model_storage.read_from(resource) as directory:
            model = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = []
        for message in messages:
            if self.model is not None and (message.get(TEXT) or "").strip():
                todo.append(message)
            else:  # empty text: no intent, so the fallback asks the user to rephrase
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        if not todo:
            return messages
        for message, ranking in zip(todo, self.model.rank([m.get(TEXT) for m in todo], self._dense(todo)), strict=True):
            entries = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set("intent_ranking", entries[: self.config["ranking_length"]], add_to_output=True)
        return messages
