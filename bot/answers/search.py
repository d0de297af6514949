"""Search the bank by words: the answers whose phrasings, title or text are closest to a message.

Used when the classifier is not sure: its own ranking and this search are combined to offer the
three likeliest answers as buttons. TF-IDF over word pieces (character n-grams) absorbs typos and
missing accents.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.answers.bank import Bank
from bot.text import normalize


class AnswerSearch:
    """Cosine similarity between a message and each unit's phrasings, title and citizen text."""

    def __init__(self, bank: Bank) -> None:
        self.ids: list[str] = []
        documents: list[str] = []
        for unit in bank:
            for text in (*unit.phrasings, unit.title, unit.citizen):
                self.ids.append(unit.id)
                documents.append(normalize(text))
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
        self.matrix = self.vectorizer.fit_transform(documents)

    def scores(self, text: str) -> dict[str, float]:
        """Best similarity per unit (0 to 1) for ``text``."""
        query = self.vectorizer.transform([normalize(text or "")])
        similarities = np.asarray((self.matrix @ query.T).todense()).ravel()
        best: dict[str, float] = {}
        for unit_id, score in zip(self.ids, similarities, strict=True):
            if score > best.get(unit_id, 0.0):
                best[unit_id] = float(score)
        return best


def combine(classifier: list[tuple[str, float]], search: dict[str, float], limit: int = 3,
            search_weight: float = 0.5) -> list[str]:
    """Unit ids ranked by classifier probability plus weighted search similarity."""
    scores = {unit_id: search_weight * score for unit_id, score in search.items()}
    for unit_id, probability in classifier:
        scores[unit_id] = scores.get(unit_id, 0.0) + probability
    return [unit_id for unit_id, _ in sorted(scores.items(), key=lambda pair: -pair[1])[:limit]]
