"""A small, fast intent classifier: TF-IDF n-grams (+ optional dense vectors) and a linear model.

Short user questions are mostly recognised by their words and word pieces;
character n-grams absorb typos, missing accents and SMS spelling. With ``with_stems``, the words'
French stems (Snowball) are added after the text, so that one word's forms share features
(« activer », « activée », « activation »: « activ »). A linear
model trains in seconds, answers in well under a millisecond and, on our
held-out sentences, generalises better than a neural classifier trained on the
same few thousand examples (see README, "Performances").

Two linear models: a linear SVM (``kind="svm"``, the default: with some 280 labels it trains 30×
faster than logistic regression for the same accuracy), whose scores become probabilities through
a softmax with a ``temperature`` chosen on a validation split (``python -m tools calibrate``); or a
multinomial logistic regression (``kind="logreg"``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.utils.extmath import softmax
from snowballstemmer import stemmer

from bot.courtesy import is_farewell, is_long_request, past_subject_remainder, request_behind
from bot.introduction import ends_with_next_person, without_introduction
from bot.lexicon import Lexicon
from bot.text import fold_accents, names_the_service


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain."""
    return fold_accents(text.replace("’", "'"))


# The off-topic detector's margin becomes a probability through a logistic curve of this slope.
DETECTOR_SCALE = 4.0


def off_topic_probability(margins: np.ndarray) -> np.ndarray:
    """The probability that a message is off-topic, from the detector's margin (positive: off-topic)."""
    return 1.0 / (1.0 + np.exp(-DETECTOR_SCALE * np.asarray(margins)))


_WORD = re.compile(r"\w+")
# Snowball in pure Python takes about 0.1 ms a word; the same words come back all the time, so each is stemmed
# once (bounded: 50,000 words, a few MB).
_stem_word = lru_cache(maxsize=50_000)(stemmer("french").stemWord)


def stems(text: str) -> str:
    """The words' French stems (Snowball), accents removed after stemming: « activées » and « activation »
    give « activ »; « résultats » and « resultat » give « resultat » (« activee », typed without its accent,
    gives « active »: the character n-grams still join it to « activée »)."""
    return fold(" ".join(_stem_word(word) for word in _WORD.findall(text.lower())))


def family_rows(vectorizer: TfidfVectorizer, families: Sequence[str]) -> csr_matrix:
    """``vectorizer.transform(families)`` for the fitted family vectorizer (words and pairs of family tokens,
    sublinear tf, idf, l2 norm), without scikit-learn's per-call overhead: 0.3 ms → a few µs per message."""
    vocabulary, idf = vectorizer.vocabulary_, vectorizer.idf_
    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for text in families:
        tokens = text.split()
        counts: dict[int, int] = {}
        for term in [*tokens, *(" ".join(pair) for pair in pairwise(tokens))]:
            column = vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        values = {column: (1.0 + np.log(count)) * idf[column] for column, count in counts.items()}
        norm = np.sqrt(sum(v * v for v in values.values())) or 1.0
        for column in sorted(values):
            columns.append(column)
            data.append(values[column] / norm)
        pointers.append(len(columns))
    return csr_matrix((data, columns, pointers), shape=(len(families), len(vocabulary)))


# A word of the message « belongs » to a greeting, thank-you or goodbye when its first letters are those of a word of
# that label's examples (« bonjourr » and « merciii » do; « aaa », « bof » do not).
GROUNDING_PREFIX = 4
FAREWELL = "goodbye"  # the label of a message that thanks and signs off (bot.courtesy.is_farewell)
NEXT_PERSON = "new_person"  # the label of a message that ends by moving on to the next person (an advisor's)


def _first(label: str, ranking: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``ranking`` with ``label`` first and sure, every other label after it at 0."""
    return [(label, 1.0), *((other, 0.0) for other, _ in ranking if other != label)]


def _word_prefixes(text: str) -> set[str]:
    return {word[:GROUNDING_PREFIX] for word in _WORD.findall(fold(text)) if len(word) >= 2 and not word.isdigit()}


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class IntentModel:
    """Fit on (text, intent) pairs; rank intents for new texts."""

    def __init__(
        self,
        c: float = 20.0,
        char_ngrams: tuple[int, int] = (2, 5),
        word_ngrams: tuple[int, int] = (1, 2),
        dense_weight: float = 0.5,
        max_iter: int = 3000,
        kind: str = "logreg",
        temperature: float = 1.0,
        min_df: int = 1,
        negative_label: str | None = None,
        negative_c: float = 0.3,
        with_stems: bool = False,
        lexicon: Lexicon | None = None,
        lexicon_weight: float = 0.5,
        courtesy_labels: Sequence[str] = (),
        courtesy_targets: Sequence[str] = (),
        courtesy_min_confidence: float = 0.2,
    ) -> None:
        self.dense_weight = dense_weight
        self.kind = kind
        self.temperature = temperature
        self.negative_label = negative_label
        self.with_stems = with_stems
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight
        # « bonjour, komen jactive ? » taken for a greeting: the request behind the courtesy words (bot/courtesy.py)
        # is ranked on its own, and its ranking kept when its best label is one of ``courtesy_targets`` (an intent,
        # or « faq » for every answer of the bank) at least ``courtesy_min_confidence`` likely
        self.courtesy_labels = tuple(courtesy_labels)
        self.courtesy_targets = tuple(courtesy_targets)
        self.courtesy_min_confidence = courtesy_min_confidence
        # The word families a message names (bot/lexicon.py), one and two at a time.
        self.families = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")
        self.detector = LinearSVC(C=negative_c, class_weight="balanced", random_state=0) if negative_label else None
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=char_ngrams, sublinear_tf=True, min_df=min_df)
        self.word = TfidfVectorizer(
            analyzer="word", ngram_range=word_ngrams, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", min_df=min_df
        )
        if kind == "svm":
            self.classifier = LinearSVC(C=c, class_weight="balanced", max_iter=max_iter, random_state=0)
        elif kind == "logreg":
            self.classifier = LogisticRegression(C=c, max_iter=max_iter, tol=1e-3, class_weight="balanced")
        else:
            raise ValueError(f"unknown classifier kind: {kind}")

    def _features(self, texts: Sequence[str], dense: np.ndarray | None, fit: bool) -> csr_matrix:
        lexicon = self.__dict__.get("lexicon")  # absent from models saved before the option
        if lexicon is not None:
            texts = [lexicon.respell(t) for t in texts]  # « komen » -> « comment » (data/lexicon/spellings.yml)
        folded = [fold(t) for t in texts]
        if self.__dict__.get("with_stems"):  # absent from models saved before the option
            folded = [f"{f} || {stems(t)}" for f, t in zip(folded, texts, strict=True)]
        if fit:
            parts = [self.char.fit_transform(folded), self.word.fit_transform(folded)]
        else:
            parts = [self.char.transform(folded), self.word.transform(folded)]
        if lexicon is not None and self.lexicon_weight > 0:
            families = [lexicon.tokens(t) for t in texts]
            matrix = self.families.fit_transform(families) if fit else family_rows(self.families, families)
            parts.append(matrix * self.lexicon_weight)
        if dense is not None and self.dense_weight > 0:
            parts.append(csr_matrix(_unit_rows(np.asarray(dense, dtype=float)) * self.dense_weight))
        return hstack(parts).tocsr()

    def fit(self, texts: Sequence[str], intents: Sequence[str], dense: np.ndarray | None = None) -> IntentModel:
        if len(set(intents)) < 2:
            raise ValueError("at least two intents are needed to train")
        features = self._features(texts, dense, fit=True)
        self.classifier.fit(features, list(intents))
        # the words of the courtesy labels' examples (see ``_ungrounded``)
        self.grounding = {label: set().union(*(_word_prefixes(t) for t, i in zip(texts, intents, strict=True)
                                              if i == label)) for label in self.courtesy_labels}  # fmt: skip
        if self.kind == "svm":  # keep one copy of the weights, laid out for sparse × dense products
            self._weights = np.ascontiguousarray(self.classifier.coef_.T, dtype=np.float32)
            del self.classifier.coef_
        if self.detector is not None:
            negative = [intent == self.negative_label for intent in intents]
            if any(negative) and not all(negative):
                self.detector.fit(features, negative)
            else:
                self.detector = None
        return self

    def off_topic_scores(self, texts: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        """The off-topic detector's scores (positive: off-topic); zeros without a detector."""
        if self.detector is None:
            return np.zeros(len(texts))
        return self._detector_margins(texts, self._features(texts, dense, fit=False))

    def _detector_margins(self, texts: Sequence[str], features: csr_matrix) -> np.ndarray:
        """The detector's margins. A message that names Mon espace santé is about it, whatever else it holds
        (« CV volée, il veut activer MES quand même » was declined for its « CV » and « volée »): its margin is
        -inf, off-topic probability 0, so only the classifier's own off-topic class may decline it (README,
        « Refus calibré »); calibrate's cross-validation reads the same margins as the live bot."""
        named = np.array([names_the_service(text) for text in texts], dtype=bool)
        return np.where(named, -np.inf, self.detector.decision_function(features))

    def analyse(
        self, texts: Sequence[str], dense: np.ndarray | None = None
    ) -> list[tuple[list[tuple[str, float]], float | None]]:
        """For each text: every label with its probability (best first), and the probability that it
        is off-topic according to the separate detector (None without one). An advisor's introduction of themselves
        (« je suis conseillère France Services à Rambervillers. ») is left out (bot/introduction.py)."""
        moving_on = [ends_with_next_person(text) for text in texts]  # « ok merci. personne suivante »
        texts = [without_introduction(text) or text for text in texts]
        results = self._analyse(texts, dense)
        labels = self.__dict__.get("courtesy_labels") or ()  # absent from models saved before the option
        behind = [(i, request_behind(text)) for i, text in enumerate(texts) if results[i][0][0][0] in labels]
        behind = [(i, rest) for i, rest in behind if rest]
        if behind:
            rows = None if dense is None else np.asarray(dense)[[i for i, _ in behind]]  # the whole message's vector
            for (i, rest), result in zip(behind, self._analyse([rest for _, rest in behind], rows), strict=True):
                label, probability = result[0][0]
                sure = probability >= self.courtesy_min_confidence or is_long_request(rest)
                if label.split("/", 1)[0] in self.courtesy_targets and sure:
                    results[i] = result
        self._past_subject(texts, dense, results)
        if FAREWELL in labels:  # thanks and a sign-off, asking nothing: a goodbye, whatever else it names
            results = [(_first(FAREWELL, ranking), off_topic) if is_farewell(text) else (ranking, off_topic)
                       for text, (ranking, off_topic) in zip(texts, results, strict=True)]  # fmt: skip
        if any(moving_on) and NEXT_PERSON in self.intents:  # « ok merci. personne suivante » got « Avec plaisir »
            results = [(_first(NEXT_PERSON, ranking), off_topic) if moves else (ranking, off_topic)
                       for moves, (ranking, off_topic) in zip(moving_on, results, strict=True)]  # fmt: skip
        return [self._ungrounded(text, result) for text, result in zip(texts, results, strict=True)]

    def _past_subject(
        self,
        texts: Sequence[str],
        dense: np.ndarray | None,
        results: list[tuple[list[tuple[str, float]], float | None]],
    ) -> None:
        """« ok pour l'email. mais sans mon accord elle peut ? »: the question after the acknowledged subject
        (bot/courtesy.py, ``past_subject_remainder``) is ranked on its own, however unsure (then the likeliest
        answers are offered rather than the acknowledged subject's answer again)."""
        if not self.__dict__.get("courtesy_labels"):  # the option is off, or a model saved before it
            return
        after = [(i, rest) for i, text in enumerate(texts) if (rest := past_subject_remainder(text))]
        if not after:
            return
        rows = None if dense is None else np.asarray(dense)[[i for i, _ in after]]
        for (i, _), result in zip(after, self._analyse([rest for _, rest in after], rows), strict=True):
            results[i] = result

    def _ungrounded(
        self, text: str, result: tuple[list[tuple[str, float]], float | None]
    ) -> tuple[list[tuple[str, float]], float | None]:
        """« aaa bbb ccc » or « bof » taken for a greeting by their letters alone: a greeting, thank-you or goodbye
        that has none of the words of its examples keeps its place in the ranking with a confidence of 0, so that
        the gate asks to rephrase. A message without any word (« 👋 ») is left as it is."""
        grounding = self.__dict__.get("grounding") or {}  # absent from models saved before the check
        ranking, off_topic = result
        label = ranking[0][0]
        if label not in grounding:  # most messages: nothing to split into words
            return result
        words = _word_prefixes(text)
        if not words or words & grounding[label]:
            return result
        return [(label, 0.0), *ranking[1:]], off_topic

    def _analyse(
        self, texts: Sequence[str], dense: np.ndarray | None = None
    ) -> list[tuple[list[tuple[str, float]], float | None]]:
        if not texts:
            return []
        features = self._features(texts, dense, fit=False)
        names = self.intents
        rankings = [sorted(zip(names, map(float, row), strict=True), key=lambda pair: -pair[1])
                    for row in self._probabilities(features)]  # fmt: skip
        if self.__dict__.get("detector") is None:
            return [(ranking, None) for ranking in rankings]
        off = off_topic_probability(self._detector_margins(texts, features))
        return [(ranking, float(p)) for ranking, p in zip(rankings, off, strict=True)]

    def _probabilities(self, features: csr_matrix) -> np.ndarray:
        """LogisticRegression.predict_proba for the multinomial model, 100× faster.

        scikit-learn multiplies the sparse features by ``coef_.T``, a transposed (non-contiguous)
        view: 7 ms per message here. A contiguous copy of it gives the same numbers in 0.1 ms
        (tests/unit/test_intent_model.py compares both)."""
        classifier = self.classifier
        if getattr(self, "kind", "logreg") == "svm":
            return softmax(self.scores(features) * self.temperature)
        multi_class = getattr(classifier, "multi_class", "auto")
        if multi_class in ("ovr", "warn") or len(classifier.classes_) <= 2 or classifier.solver == "liblinear":
            return classifier.predict_proba(features)
        weights = self.__dict__.get("_weights")
        if weights is None or weights.shape != classifier.coef_.T.shape:
            weights = self._weights = np.ascontiguousarray(classifier.coef_.T)
        return softmax(np.asarray(features @ weights) + classifier.intercept_)

    def scores(self, features: csr_matrix) -> np.ndarray:
        """Raw SVM scores (one column per label) from contiguous float32 weights (fast and half the memory).

        The features are cast to float32 first: multiplied by float64 features, scipy would copy the whole
        weight matrix to float64 at every message (about 170 MB with the answer bank: 15 ms per message)."""
        weights = self.__dict__["_weights"]
        return np.asarray(features.astype(weights.dtype) @ weights, dtype=np.float64) + self.classifier.intercept_

    def raw_scores(self, texts: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        """Linear scores of ``texts`` (calibration of the temperature)."""
        return self.scores(self._features(texts, dense, fit=False))

    @property
    def intents(self) -> list[str]:
        return [str(c) for c in self.classifier.classes_]

    def rank(self, texts: Sequence[str], dense: np.ndarray | None = None) -> list[list[tuple[str, float]]]:
        """For each text, every intent with its probability, most likely first."""
        return [ranking for ranking, _ in self.analyse(texts, dense)]
