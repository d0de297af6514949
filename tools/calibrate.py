"""`python -m tools calibrate`: choose the softmax temperature and the refusal thresholds.

- Temperature: lowest negative log-likelihood of out-of-fold scores (5-fold cross-validation over every
  training example, with the classifier settings of config.yml).
- Thresholds: on the validation split, the « dev » part of the external questions (tests/external, the
  questions whose misses the team may look at; the « test » part is never used here). A model trained
  on all the data answers them, each reply is scored as `make eval` scores it. Among the thresholds that
  refuse at most 3 % of the in-scope training examples (out-of-fold predictions), the winner has the
  most right replies on the dev questions plus the highest share of off-topic training examples declined
  (out of fold): the dev questions are few, the thousand off-topic examples keep the decline threshold
  from drifting up where the dev questions cannot see it.
The values are written to ``config.yml`` (temperature) and ``config/thresholds.yml`` (``understanding``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.extmath import softmax

from bot.answers.bank import BANK_FOLDER, load_bank
from bot.intent_model import IntentModel, off_topic_probability
from bot.understanding import KEPT_INTENTS, THRESHOLDS_FILE, Thresholds, decide, load_thresholds
from tools.evaluation.offline import ReplyTexts
from tools.evaluation.questions import QUESTIONS_FOLDER, load_questions
from tools.evaluation.scoring import score

# At most this share of the in-scope training examples (cross-validated) may be refused, declined as
# off-topic or « not sure »: the bar, applied where the team has thousands of examples.
MAX_REFUSED = 0.03
GRID = [round(x, 3) for x in np.arange(0.05, 0.81, 0.025)]
TEMPERATURES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30]
# In a conversation already about Mon espace santé, a follow-up is declined only when the detector is at least this
# sure: the highest bar that still declines this share of the off-topic training examples (out of fold).
MIN_DECLINED_IN_CONVERSATION = 0.85
CONVERSATION_GRID = [round(x, 3) for x in np.arange(0.4, 0.951, 0.025)]
# Confidence of an answer above which the off-topic detector is overruled (above 1: never).
KEEP_GRID = [0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.01]


@dataclass(frozen=True)
class Outcomes:
    right: float
    wrong: float
    refused: float
    declined: float  # share of off-topic messages declined


def read_nlu(folder: Path) -> list[tuple[str, str]]:
    """(text, label) for every example of every NLU file of ``folder`` (retrieval intents kept whole)."""
    pairs = []
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            if isinstance(block, dict) and "intent" in block:
                for line in str(block.get("examples") or "").splitlines():
                    if line.strip().startswith("- "):
                        pairs.append((line.strip()[2:].strip(), block["intent"]))
    return pairs


def sentence_vectors(texts: list[str], spacy_model: Path) -> np.ndarray:
    """Mean of the non-zero word vectors of the lower-cased text, as Rasa's SpacyFeaturizer computes them."""
    import spacy

    nlp = spacy.load(spacy_model)
    rows = []
    for doc in nlp.pipe([t.lower() for t in texts]):
        vectors = [t.vector for t in doc if t.text.strip() and np.any(t.vector)]
        rows.append(np.mean(vectors, axis=0) if vectors else np.zeros(nlp.vocab.vectors_length))
    return np.asarray(rows)


def dev_outcomes(
    rows: list[tuple], replies: ReplyTexts, thresholds: Thresholds, root: Path, verdicts: dict | None = None
) -> Outcomes:
    """Right, wrong and refused shares on the validation questions for these thresholds (``verdicts``: a
    cache of scored replies, shared between calls)."""
    right = wrong = refused = off = declined = in_scope = 0
    verdicts = {} if verdicts is None else verdicts
    for question, ranking, off_topic in rows:
        label, confidence = ranking[0]
        intent = label.split("/", 1)[0]
        move = decide(intent, confidence, thresholds, off_topic)
        reply = label if move == intent else move
        if (question.id, reply) not in verdicts:
            verdicts[question.id, reply] = score(question, replies.text(reply), root)
        verdict = verdicts[question.id, reply]
        if question.task == "off_topic":
            off += 1
            declined += verdict.correct
            continue
        in_scope += 1
        right += verdict.correct
        refused += verdict.declined
        wrong += not verdict.correct and not verdict.declined
    return Outcomes(right / max(1, in_scope), wrong / max(1, in_scope), refused / max(1, in_scope),
                    declined / max(1, off))  # fmt: skip


def cross_validated_refusals(
    confidences: np.ndarray,
    off_topic: np.ndarray,
    in_scope: np.ndarray,
    thresholds: Thresholds,
    answers: np.ndarray | None = None,
) -> float:
    """Share of the in-scope examples that these thresholds would refuse (out-of-fold predictions);
    ``answers`` marks the examples whose best label may overrule the detector (``KEPT_INTENTS``)."""
    declined = _declined(confidences, off_topic, thresholds, answers)
    refused = declined | (confidences < thresholds.answer)
    return float(refused[in_scope].mean())


def cross_validated_declines(
    confidences: np.ndarray, off_topic: np.ndarray, in_scope: np.ndarray, thresholds: Thresholds, answers: np.ndarray
) -> float:
    """Share of the off-topic examples that these thresholds would decline (out-of-fold predictions)."""
    return float(_declined(confidences, off_topic, thresholds, answers)[~in_scope].mean())


def _declined(
    confidences: np.ndarray, off_topic: np.ndarray, thresholds: Thresholds, answers: np.ndarray | None
) -> np.ndarray:
    """``bot.understanding.decide``'s decline, for many examples at once: the detector says off-topic and no
    answer of the bank (``answers``; None: none) is sure enough to overrule it."""
    kept = (confidences >= thresholds.keep) & (answers if answers is not None else False)
    return (off_topic >= thresholds.decline) & ~kept


def choose(
    rows: list[tuple], replies: ReplyTexts, root: Path, allowed=lambda thresholds: True, bonus=lambda thresholds: 0.0
) -> tuple[Thresholds, Outcomes]:
    """The thresholds with the most right replies on the validation questions (right answers and declined
    off-topic ones, each in their share) plus ``bonus`` (the off-topic training examples declined), among
    those ``allowed``; ties go to the lower answer and decline thresholds and to the detector overruled the
    least."""
    off_share = sum(q.task == "off_topic" for q, _, _ in rows) / max(1, len(rows))
    best: tuple[float, Thresholds, Outcomes] | None = None
    verdicts: dict = {}
    by_hand = load_thresholds(root / THRESHOLDS_FILE)  # emergency and continue_answer: chosen by hand, not calibrated
    for keep in reversed(KEEP_GRID):
        for answer in GRID:
            for decline in GRID:
                candidate = Thresholds(answer=answer, intent=answer, decline=decline, keep=keep,
                                       emergency=by_hand.emergency, emergency_possible=by_hand.emergency_possible,
                                       continue_answer=by_hand.continue_answer)
                if not allowed(candidate):
                    continue
                result = dev_outcomes(rows, replies, candidate, root, verdicts)
                value = (1 - off_share) * result.right + off_share * result.declined + bonus(candidate)
                if best is None or value > best[0] + 1e-9:
                    best = (value, candidate, result)
    assert best is not None
    return best[1], best[2]


def temperature_for(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature with the lowest negative log-likelihood of the true labels."""
    def nll(t: float) -> float:
        p = softmax(scores * t)
        return float(-np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))

    return float(min(TEMPERATURES, key=nll))


def _component(root: Path) -> dict:
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    from rasa_ext.nlu.linear_intent import LinearIntentClassifier

    for step in config["pipeline"]:
        if step["name"].endswith("LinearIntentClassifier"):
            return {**LinearIntentClassifier.get_default_config(), **step}
    raise ValueError("LinearIntentClassifier manque dans config.yml")


def run(root: Path, folds: int = 5) -> dict:
    from rasa_ext.nlu.linear_intent import model_options

    options = model_options(_component(root))
    pairs = read_nlu(root / "data" / "nlu")
    texts, labels = [t for t, _ in pairs], np.array([label for _, label in pairs])
    spacy_model = root / "var" / "spacy" / "fr_core_news_md-vectors"
    dense = sentence_vectors(texts, spacy_model)
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    scores = np.zeros((len(texts), len(classes)))
    detector = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = IntentModel(**options).fit([texts[i] for i in train], labels[train], dense[train])
        columns = [index[c] for c in model.intents]
        held_out = [texts[i] for i in test]
        scores[np.ix_(test, columns)] = model.raw_scores(held_out, dense[test])
        detector[test] = model.off_topic_scores(held_out, dense[test])
    truth = np.array([index[label] for label in labels])
    temperature = temperature_for(scores, truth)
    cross_validated = float(np.mean(scores.argmax(axis=1) == truth))
    model = IntentModel(**{**options, "temperature": temperature}).fit(texts, labels, dense)
    questions = [q for q in load_questions(root / QUESTIONS_FOLDER) if q.split == "dev" and q.expect != "places"]
    analysed = model.analyse([q.text for q in questions], sentence_vectors([q.text for q in questions], spacy_model))
    rows = [(q, ranking, off) for q, (ranking, off) in zip(questions, analysed, strict=True)]
    replies = ReplyTexts(load_bank(root / BANK_FOLDER), root / "domain")
    in_scope = labels != options["negative_label"]
    confidences = softmax(scores * temperature).max(axis=1)
    off_topic = off_topic_probability(detector)

    answers = np.array([classes[i].split("/", 1)[0] in KEPT_INTENTS for i in scores.argmax(axis=1)])

    def allowed(thresholds: Thresholds) -> bool:
        return cross_validated_refusals(confidences, off_topic, in_scope, thresholds, answers) <= MAX_REFUSED

    def declined(thresholds: Thresholds) -> float:
        return cross_validated_declines(confidences, off_topic, in_scope, thresholds, answers)

    thresholds, result = choose(rows, replies, root, allowed, declined)
    # Intents that are not answers (greetings, guide moves, places…) are not in the external questions:
    # their threshold is the highest that refuses at most MAX_REFUSED of their own examples, out of fold.
    others = in_scope & np.array([not label.startswith("faq/") for label in labels])
    intent = max((t for t in GRID if float((confidences[others] < t).mean()) <= MAX_REFUSED), default=GRID[0])
    off_examples = off_topic[~in_scope]
    still_declined = [t for t in CONVERSATION_GRID if float((off_examples >= t).mean()) >= MIN_DECLINED_IN_CONVERSATION]
    conversation = max(still_declined, default=thresholds.decline)
    thresholds = Thresholds(answer=thresholds.answer, intent=intent, decline=thresholds.decline, keep=thresholds.keep,
                            decline_in_conversation=max(conversation, thresholds.decline),
                            emergency=thresholds.emergency, emergency_possible=thresholds.emergency_possible,
                            continue_answer=thresholds.continue_answer)  # fmt: skip
    refused_cv = cross_validated_refusals(confidences, off_topic, in_scope, thresholds, answers)
    return {"temperature": temperature, "thresholds": thresholds, "validation": result, "examples": len(texts),
            "declined_cv": declined(thresholds),
            "declined_in_conversation_cv": float((off_examples >= thresholds.decline_in_conversation).mean()),
            "labels": len(classes), "accuracy": cross_validated, "questions": len(rows),
            "refused_cv": refused_cv}  # fmt: skip


def write(root: Path, found: dict) -> None:
    config = root / "config.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(\n    temperature: )[0-9.]+", rf"\g<1>{found['temperature']:g}", text)
    config.write_text(text, encoding="utf-8")
    path = root / "config" / "thresholds.yml"
    thresholds: Thresholds = found["thresholds"]
    text = path.read_text(encoding="utf-8")
    for key, value in (("answer_min_confidence", thresholds.answer), ("intent_min_confidence", thresholds.intent),
                       ("decline_min_confidence", thresholds.decline),
                       ("keep_answer_min_confidence", thresholds.keep),
                       ("decline_in_conversation_min_confidence", thresholds.decline_in_conversation)):  # fmt: skip
        text = re.sub(rf"(\n  {key}: )[0-9.]+", rf"\g<1>{value:g}", text)
    path.write_text(text, encoding="utf-8")


def main(root: Path) -> int:
    found = run(root)
    v: Outcomes = found["validation"]
    print(f"{found['examples']} exemples, {found['labels']} étiquettes ; exactitude hors pli {found['accuracy']:.3f}")
    t: Thresholds = found["thresholds"]
    print(f"température {found['temperature']:g} ; seuils : réponse {t.answer:g}, intention {t.intent:g}, "
          f"hors sujet {t.decline:g}, réponse gardée {t.keep:g} "
          f"(validation croisée : exemples du domaine refusés {found['refused_cv']:.1%}, au plus {MAX_REFUSED:.0%} ; "
          f"exemples hors sujet déclinés {found['declined_cv']:.1%}) ; hors sujet dans une conversation "
          f"{t.decline_in_conversation:g} ({found['declined_in_conversation_cv']:.1%} des exemples hors sujet "
          "déclinés)")
    print(f"validation ({found['questions']} questions « dev ») : justes {v.right:.3f}, fausses {v.wrong:.3f}, "
          f"refusées {v.refused:.3f} ; hors sujet déclinées {v.declined:.3f}")  # fmt: skip
    write(root, found)
    return 0
