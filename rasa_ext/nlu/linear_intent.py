"""Rasa glue for ``bot.intent_model.IntentModel``: train, persist, load and classify messages.

Uses the message text and, when the pipeline has one, the sentence vector of
the spaCy featurizer. Everything else (features, model) lives in ``bot/``.

One model ranks the intents and the answers of the bank together: answers are retrieval intents
(``faq/<id>``, generated from ``data/answers``). A message whose best label is an answer gets the
intent ``faq`` and, like Rasa's own ``ResponseSelector``, a ``response_selector`` entry naming the
answer, so that ``action_answer`` (or Rasa's ``utter_faq``) can send it.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    RESPONSE_SELECTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import intent_model
from bot.clauses import SENTENCES_KEY, questions_in
from bot.intent_model import IntentModel
from bot.lexicon import lexicon_files, load_lexicon
from bot.text import has_markup
from bot.understanding import OFF_TOPIC_KEY
from rasa_ext import speedups
from rasa_ext.nlu.base import ConfiguredComponent

MODEL_FILE = "intent_model.joblib"
RESPONSE_DELIMITER = "/"


def modules_imported(starts: Iterable[Path], root: Path, packages: tuple[str, ...] = ("bot",)) -> tuple[Path, ...]:
    """``starts`` and every module of ``packages`` (folders of ``root``) they import, directly or through another,
    sorted (also used by tests/unit/test_fingerprint.py to check the project's model inputs)."""
    seen = set(starts)
    pending = list(seen)
    while pending:
        for node in ast.walk(ast.parse(pending.pop().read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # « from bot.x import y » and « from bot import x » (a module imported by name)
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            for name in names:
                parts = name.split(".")
                path = root.joinpath(*parts).with_suffix(".py")
                if parts[0] in packages and len(parts) > 1 and path.is_file() and path not in seen:
                    seen.add(path)
                    pending.append(path)
    return tuple(sorted(seen))


# The code that turns a message into the classifier's features (part of the training fingerprint): found by
# following the imports, so that a new feature module cannot be left out of Rasa's cache key.
FEATURE_CODE = modules_imported([Path(intent_model.__file__)], Path(intent_model.__file__).parents[1])


def model_options(config: dict[str, Any]) -> dict[str, Any]:
    """The IntentModel settings in a component config (config.yml), shared with ``python -m tools calibrate``."""
    return {
        "kind": config["kind"],
        "c": config["c"],
        "temperature": config["temperature"],
        "char_ngrams": tuple(config["char_ngrams"]),
        "word_ngrams": tuple(config["word_ngrams"]),
        "min_df": config["min_df"],
        "dense_weight": config["dense_weight"],
        "negative_label": config.get("negative_label"),
        "negative_c": config.get("negative_c", 0.3),
        "with_stems": config.get("with_stems", False),
        "lexicon": load_lexicon(Path(config["lexicon"])) if config.get("lexicon") else None,
        "lexicon_weight": config.get("lexicon_weight", 0.5),
        "courtesy_labels": tuple(config.get("courtesy_labels") or ()),
        "courtesy_targets": tuple(config.get("courtesy_targets") or ()),
        "courtesy_min_confidence": config.get("courtesy_min_confidence", 0.2),
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(ConfiguredComponent, IntentClassifier):
    """Logistic regression over TF-IDF word and character n-grams (+ spaCy sentence vector)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "kind": "svm",
            "c": 1.0,
            "temperature": 5.0,
            "char_ngrams": [2, 5],
            "word_ngrams": [1, 2],
            "min_df": 2,
            "dense_weight": 1.0,
            "negative_label": "out_of_scope",
            "negative_c": 0.3,
            "ranking_length": 10,
        }

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
    def from_config(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> LinearIntentClassifier:
        speedups.install()  # this model is being trained: Rasa's hot path gets the project's three fixes
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """What Rasa's training cache does not see: the word families' files (config ``lexicon``) and the code that
        turns a message into features. Without it, a word added to data/lexicon would leave the old classifier
        restored from the cache."""
        digest = hashlib.sha256()
        files = lexicon_files(Path(config["lexicon"])) if config.get("lexicon") else []
        for path in (*FEATURE_CODE, *files):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

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
        texts, labels = [e.get(TEXT) for e in examples], [e.get_full_intent() for e in examples]
        self.model = IntentModel(**model_options(self.config)).fit(texts, labels, self._dense(examples))
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
        speedups.install()  # this model is being served: same three fixes (idempotent)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = []
        for message in messages:
            text = message.get(TEXT) or ""
            if self.model is not None and text.strip() and not has_markup(text):
                todo.append(message)
            else:  # empty text, or markup (« <script>alert… », read as the alerts otherwise): no intent, so the
                # fallback asks the user to rephrase
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        if not todo:
            return messages
        dense = self._dense(todo)
        analysed = self.model.analyse([m.get(TEXT) for m in todo], dense)
        for index, (message, (ranking, off_topic)) in enumerate(zip(todo, analysed, strict=True)):
            self._set_prediction(message, ranking)
            if off_topic is not None:
                message.set(OFF_TOPIC_KEY, off_topic, add_to_output=True)
            self._rank_sentences(message, None if dense is None else dense[index : index + 1])
        return messages

    def _rank_sentences(self, message: Message, dense: np.ndarray | None) -> None:
        """A message of several sentences (bot/clauses.py): each sentence's best label, its probability and its
        off-topic probability, for the answer action to offer another question as a button."""
        sentences = questions_in(message.get(TEXT) or "")
        if not sentences:
            return
        rows = None if dense is None else np.repeat(dense, len(sentences), axis=0)  # the whole message's vector
        ranked = [{"label": ranking[0][0], PREDICTED_CONFIDENCE_KEY: ranking[0][1], OFF_TOPIC_KEY: off_topic}
                  for ranking, off_topic in self.model.analyse(sentences, rows) if ranking]  # fmt: skip
        message.set(SENTENCES_KEY, ranked, add_to_output=True)

    def _set_prediction(self, message: Message, ranking: list[tuple[str, float]]) -> None:
        """Intent and intent ranking (answers folded into ``faq``), and the answers' ranking."""
        length = self.config["ranking_length"]
        top_label, top_confidence = ranking[0]
        intents: dict[str, float] = {}
        answers: list[dict[str, Any]] = []
        for label, confidence in ranking:
            intent, _, key = label.partition(RESPONSE_DELIMITER)
            intents.setdefault(intent, confidence)
            if key and len(answers) < length:
                answers.append({"id": key, PREDICTED_CONFIDENCE_KEY: confidence, INTENT_RESPONSE_KEY: label})
        top_intent = top_label.partition(RESPONSE_DELIMITER)[0]
        message.set(INTENT, {INTENT_NAME_KEY: top_intent, PREDICTED_CONFIDENCE_KEY: top_confidence}, add_to_output=True)
        ranked = [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: p} for n, p in list(intents.items())[:length]]
        message.set("intent_ranking", ranked, add_to_output=True)
        if answers:
            message.set(RESPONSE_SELECTOR, answer_selection(answers), add_to_output=True)


def answer_selection(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """The answers' ranking in the shape of Rasa's ResponseSelector output (best first)."""
    best = answers[0]
    prediction = {
        "response": {
            "responses": [],
            PREDICTED_CONFIDENCE_KEY: best[PREDICTED_CONFIDENCE_KEY],
            INTENT_RESPONSE_KEY: best[INTENT_RESPONSE_KEY],
            "utter_action": f"utter_{best[INTENT_RESPONSE_KEY]}",
        },
        "ranking": answers,
    }
    name = best[INTENT_RESPONSE_KEY].partition(RESPONSE_DELIMITER)[0]
    return {"all_retrieval_intents": [name], name: prediction}
