"""Two questions in one message: « j'ai perdu ma carte vitale. et je n'ai pas d'adresse mail, je fais comment ? ».

People who write long messages often ask two things at once. The classifier gives one answer for the whole message;
``questions_in`` cuts the message into its sentences (and at « et comment… », « et est-ce que… »), so that each
can be ranked on its own (rasa_ext/nlu/linear_intent.py, parse data ``sentences``) and the other question
offered as a button after the answer (actions/answers.py, ``other_questions``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bot.text import normalize

# A sentence ends at ? ! . ; or a line break followed by more text.
_SENTENCE_END = re.compile(r"(?<=[?!.;])\s+|\s*\n+\s*")
# « … et comment je fais pour … », « …, et est-ce que … »: a second question joined by « et », « mais » or « aussi ».
_JOINED_QUESTION = re.compile(
    r"[,\s]+(?:et|mais|aussi|autre question|deuxieme question|et aussi|et puis)\s*[,:]?\s+"
    r"(?=(?:comment|komen|pourquoi|est[ -]ce|qui|quand|combien|quel\w*|peut[ -]on|on peut|je peux|"
    r"j'ai le droit|est[ -]il|faut[ -]il|o[uù] est|o[uù] sont|que faire|qu'est)\b)",
    re.IGNORECASE,
)
MIN_WORDS = 3
_EMPTY_LAST_WORDS = frozenset({"alors", "ca", "quoi", "comment", "pourquoi", "donc", "moi", "lui", "elle", "vrai",
                               "sur", "ok", "oui", "non", "hein", "bon", "bien"})
# Where the classifier puts each sentence's ranking in the parse data (rasa_ext/nlu/linear_intent.py), read by
# actions/answers.py.
SENTENCES_KEY = "sentences"


# A sentence that asks (besides a question mark): a question word first (« comment… », « je peux… »), or a wish.
_ASKS = re.compile(
    r"^(?:(?:et|mais|alors|donc|du coup)\s+)?(?:comment|komen|pourquoi|ou|quand|quel\w*|qui|combien|est ce|"
    r"peut on|peut elle|peut il|puis je|faut il|dois je|je peux|on peut|il peut|elle peut|ils peuvent|que faire|"
    r"qu est ce|quoi faire|aidez|expliquez)\b"
    r"|\b(?:veux|veut|veulent|voudrai\w*|souhait\w*|aimerai\w*|cherche\w*|besoin)\b"
)


def asks(sentence: str) -> bool:
    """Whether ``sentence`` asks something, rather than telling the situation (« la maman a fait la déclaration de
    naissance à la CPAM »: an advisor's persona got « Aller à ma caisse » offered for it)."""
    if not isinstance(sentence, str):
        return False
    return "?" in sentence or _ASKS.search(normalize(sentence)) is not None


# A sentence that sets a topic aside (« je veux pas supprimer », « je ne vous parle pas d'équipe de soins »): what it
# names is what the person does not ask (two personas were offered « Document d'un soignant » and « L'équipe de
# soins » by such sentences, 6 December 2026). « je ne veux pas que… » asks to prevent something: it still asks.
_SETS_ASIDE = re.compile(r"\b(?:je (?:ne )?(?:vous )?parle pas|je (?:ne )?veux pas (?!que\b|qu\b)|"
                         r"je (?:n )?ai (?:pas|jamais) demande|il ne s agit pas|"
                         r"(?:c est|ce n est) pas (?:de|d|ca|une|un)\b|pas question de)")


def sets_aside(sentence: str) -> bool:
    """Whether ``sentence`` says what the person does not ask (« je veux pas supprimer, je veux AJOUTER… »)."""
    return isinstance(sentence, str) and _SETS_ASIDE.search(normalize(sentence)) is not None


def _short_question(sentence: str) -> bool:
    """A question of two words with a word of its own (« c obligatoire ? » before « et ça coûte de l'argent ? »: a
    persona's first question was left unanswered), not « et alors ? »."""
    words = normalize(sentence).split()
    return sentence.rstrip().endswith("?") and len(words) == 2 and words[-1] not in _EMPTY_LAST_WORDS


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of ``text`` that may each be a question (at least ``MIN_WORDS`` words), in order, each with
    whether a question joined by « et », « mais »… follows it (then it asks too: « c'est obligé et est-ce que c'est
    payant ? » has its question mark at the end of the second)."""
    pieces = []
    for chunk in _SENTENCE_END.split(text.strip()):
        parts = _JOINED_QUESTION.split(chunk)
        pieces += [(part, index < len(parts) - 1) for index, part in enumerate(parts)]
    return [(p.strip(" ,;"), joined) for p, joined in pieces if len(normalize(p).split()) >= MIN_WORDS
            or _short_question(p)]  # fmt: skip


def questions_in(text: str) -> list[str]:
    """The sentences of ``text`` that may each be a question (at least ``MIN_WORDS`` words), in order; an empty
    list when there are fewer than two (a message with one question is left whole)."""
    if not isinstance(text, str):
        return []
    clauses = [sentence for sentence, _ in _sentences(text)]
    return clauses if len(clauses) >= 2 else []


def asking_sentences(text: str, vague: Callable[[str], bool] | None = None) -> list[bool]:
    """For each sentence of ``questions_in(text)``, whether it asks (``asks``, or a question joined to the next). With
    ``vague`` (a sentence that says nothing of its own: « Que dois-je faire ? »), such a question asks about the
    sentence before it, which asks in its place (« J'ai reçu une lettre avec un code… je l'ai perdue. Que dois-je
    faire ? » got the answer for those who clicked a scam link, 7 December 2026)."""
    sentences = _sentences(text) if isinstance(text, str) else []
    if len(sentences) < 2:
        return []
    asking = [joined or asks(sentence) for sentence, joined in sentences]
    if vague is not None:
        for index, (sentence, _) in enumerate(sentences):
            if index and asking[index] and vague(sentence):
                asking[index - 1], asking[index] = True, False
    return asking


def sure_sentences(sentences: object, min_confidence: float, max_off_topic: float) -> Iterator[tuple[int, str, float]]:
    """(index, best label, its probability) of each sentence of a message (``sentences``: dicts with ``label``,
    ``confidence`` and ``off_topic``, as the classifier ranks them) at least ``min_confidence`` likely and not
    off-topic (``max_off_topic`` and above)."""
    for index, sentence in enumerate(sentences if isinstance(sentences, list) else []):
        if not isinstance(sentence, dict):
            continue
        label, confidence = str(sentence.get("label") or ""), float(sentence.get("confidence") or 0.0)
        if confidence < min_confidence or _is_off_topic(sentence, max_off_topic):
            continue
        yield index, label, confidence


def _is_off_topic(sentence: dict, max_off_topic: float) -> bool:
    """Whether the off-topic detector scored a sentence ``max_off_topic`` or more."""
    off_topic = sentence.get("off_topic")
    return isinstance(off_topic, (int, float)) and off_topic >= max_off_topic


def answers_an_off_topic_sentence(answered: str, sentences: object, min_confidence: float, max_off_topic: float,
                                   prefix: str = "faq/") -> bool:
    """Whether the answer chosen for the whole message (``answered``, an id of the bank) was pulled by an off-topic
    sentence: a sentence is off-topic (the detector at ``max_off_topic`` or above), and no sure, on-topic sentence asks
    for that answer. « mon assurance habitation rembourse le vol de mon portable ? et on peut bloquer un medecin dans
    mon espace santé ? » got the insurers' answer first, and the blocking steps only as a button (7 December 2026)."""
    listed = [s for s in sentences if isinstance(s, dict)] if isinstance(sentences, list) else []
    sure = sure_sentences(listed, min_confidence, max_off_topic)
    off_topic = any(_is_off_topic(sentence, max_off_topic) for sentence in listed)
    return off_topic and all(label != f"{prefix}{answered}" for _, label, _ in sure)


def question_beside_statement(
    answered: str, text: str, sentences: object, min_confidence: float, max_off_topic: float,
    prefix: str = "faq/", alone: bool = False, vague: Callable[[str], bool] | None = None,
) -> str | None:
    """The answer that the question of a message asks for (an id of the bank), when the answer chosen for the whole
    message (``answered``) was pulled only by sentences that ask nothing: « et apres moi je pourrai voir ses documents ?
    parce que c moi qui lui lis tout, il lit pas bien le francais » got the answer on other languages a second time (a
    son typing for his father, 7 December 2026). ``sentences``: the classifier's ranking of each sentence of ``text``
    (``questions_in``), in the same order; the asking sentence's answer must be ``min_confidence`` likely and not
    off-topic; with ``alone``, it must be the only asking sentence given an answer of the bank, and the whole
    message's answer may be pulled by no sentence at all (the words of several mixed). None when no such question is
    found. ``vague``: as for ``asking_sentences``."""
    listed = sentences if isinstance(sentences, list) else []
    own, asking = f"{prefix}{answered}", asking_sentences(text, vague)
    if len(asking) < 2 or len(listed) != len(asking):
        return None
    labels = [str(s.get("label") or "") if isinstance(s, dict) else "" for s in listed]
    pulling = [i for i, label in enumerate(labels) if label == own]
    if (not pulling and not alone) or any(asking[i] for i in pulling):
        return None
    if alone and sum(asking[i] and label.startswith(prefix) for i, label in enumerate(labels)) > 1:
        return None
    asked = [(confidence, label[len(prefix):]) for i, label, confidence in
             sure_sentences(listed, min_confidence, max_off_topic)
             if asking[i] and label.startswith(prefix) and label != own]  # fmt: skip
    return max(asked)[1] if asked else None


def other_questions(
    answered: str,
    sentences: object,
    min_confidence: float,
    max_off_topic: float,
    prefix: str = "faq/",
    grounded: Callable[[int, str], bool] | None = None,
) -> list[str]:
    """The answers that sentences of a message ask for besides the one ``answered`` (an id of the bank), best
    first, each once: each sure sentence's best label (``sure_sentences``) when it is an answer (``prefix``) and, if
    ``grounded`` is given, ``grounded(index of the sentence, answer id)``."""
    found: dict[str, float] = {}
    for index, label, confidence in sure_sentences(sentences, min_confidence, max_off_topic):
        unit = label[len(prefix) :]
        if not label.startswith(prefix) or unit == answered:
            continue
        if grounded is not None and not grounded(index, unit):
            continue
        found[unit] = max(confidence, found.get(unit, 0.0))
    return sorted(found, key=lambda unit: -found[unit])
