"""A request behind a greeting or a thank-you: « bonjour komen jactive mon espace sante » asks how to activate.

Many people open with « Bonjour » or « Merci, et … ». The classifier learnt greetings and thanks from messages that
are only that, so a question behind one was often taken for a greeting: measured on 121 outside questions, 18 with
« bonjour » in front and 51 with « merci. et » in front. ``courtesy_remainder`` gives what follows the courtesy
words when it reads as a request, or what follows a thank-you that ends a sentence inside the message (« Je l'ai
reçue, merci ! Je peux l'envoyer au labo ? » was taken for a thank-you); the classifier ranks it on its own
(``IntentModel``, options ``courtesy_*``).
"""

from __future__ import annotations

import re

from bot.introduction import opens_with_next_person
from bot.text import fold_accents, normalize

_GREETING = r"(?:bonjour|bonsoir|salut|hello|coucou|allo|bjr|slt)"
_ACKNOWLEDGEMENT = (r"(?:merci|je vous remercie|je te remercie|ok|okay|d'accord|d accord|daccord|dac|parfait|super|"
                   r"tres bien|bien|ah|oui|non)")
_AFTER = r"(?:beaucoup|bien|bcp|encore|madame|monsieur|messieurs|mesdames|a vous|a tous|tout le monde|docteur)"
_PREFIX = re.compile(rf"^\s*(?:(?:{_GREETING}|{_ACKNOWLEDGEMENT})(?:\s+{_AFTER})*\s*[,.!;:)-]*(?:\s+|$))+")
_ACKNOWLEDGES = re.compile(rf"\b{_ACKNOWLEDGEMENT}\b")
# After « merci » or « ok », only a question or a new request is one (« merci, je comprends mieux » is not).
_QUESTION_START = re.compile(
    r"^(?:et|mais|alors|donc|comment|komen|koman|pourquoi|quand|ou|qui|quel\w*|combien|est ce|c est quoi|que|"
    r"qu est|quest|keske|kesk|peut on|je peux|on peut|il faut|faut il|j ai une autre question|justement|par contre)\b"
)
# « merci pour votre aide », « merci du renseignement »: what follows is what the thanks are for.
_THANKS_FOR = re.compile(r"^(?:pour|du|de|d|des|a)\b")
# Words that only address the assistant (« hello l'équipe mon espace santé »): no request in them.
_ADDRESS = re.compile(r"\b(?:mon espace sante|l assistant|l equipe|a tous|tout le monde|le robot)\b")
MIN_REQUEST_WORDS = 2
# A request this long behind a thank-you is a question of its own, however unsure the classifier is of it: « ok merci.
# la dame veut aussi activer MES mais sans CV… ca suffit ? » got « Avec plaisir » (two persona sessions, 6 December
# 2026); unsure, it gets the likeliest answers instead.
LONG_REQUEST_WORDS = 6
# A thank-you inside the message, ending a sentence: « Je l'ai reçue, merci ! Je peux l'envoyer au labo ? ».
_INNER_THANKS = re.compile(rf"\b(?:merci|parfait|super)(?:\s+{_AFTER})*\s*[.!;:]+\s+")


def courtesy_remainder(text: str) -> str | None:
    """What follows the greeting or thank-you that opens ``text``, when it is a request of at least
    ``MIN_REQUEST_WORDS`` words; else None (no courtesy words first, or nothing but courtesy)."""
    if not isinstance(text, str):
        return None
    folded = fold_accents(text.replace("’", "'"))
    match = _PREFIX.match(folded)
    if not match:
        return _after_inner_thanks(text, folded)
    rest = normalize(folded[match.end() :])
    if _THANKS_FOR.match(rest):  # « je vous remercie pour votre patience. Justement, … ? »: the next sentence
        return _after_first_sentence(text, folded, match.end())
    if len(_ADDRESS.sub(" ", rest).split()) < MIN_REQUEST_WORDS:
        return None
    # « ok merci. usager 2 : monsieur a changé de numéro… »: an advisor's next person is a request (7 December 2026)
    asks = "?" in folded[match.end() :] or _QUESTION_START.match(rest) is not None
    asks = asks or opens_with_next_person(folded[match.end() :])
    if _ACKNOWLEDGES.search(match.group(0)) and not asks:
        return None
    # the same place in the text as written (accents kept), when folding kept every character in place
    original = text[match.end() :] if len(folded) == len(text) else folded[match.end() :]
    return _after_inner_thanks(original, folded[match.end() :]) or original.strip()


# « Bien, j'appellerai ce numéro. Autre sujet : … personne de confiance ? » got the 3422 (a persona of 88, 7 December
# 2026): what comes before « autre sujet » closes the previous one.
_ANOTHER_SUBJECT = re.compile(r"(?:^|(?<=[.!?;]))\s*(?=(?:autre sujet|autre question|changement de sujet|"
                              r"deuxieme question|2e question)\b)", re.IGNORECASE)


def _from_another_subject(text: str) -> str | None:
    """``text`` from the sentence that opens another subject on (« Autre sujet : … »), when the sentences before it
    ask nothing (they close the previous subject); else None."""
    folded = fold_accents(text)
    starts = [m.end() for m in _ANOTHER_SUBJECT.finditer(folded) if m.start() > 0]
    if not starts or len(folded) != len(text) or "?" in folded[: starts[-1]]:
        return None
    return text[starts[-1] :].strip()


# A question that opens by saying the previous answer missed (persona sessions, 5 and 6 December 2026), read on
# normalised text (bot.text.normalize).
REJECTION = re.compile(
    r"^(?:mais\s+)?(?:non|nan|nn|pas ca|c(?:e n)? ?est pas ca|ca n?(?: est)? ?pas (?:ca|ma question)|"
    r"c(?:e n)? ?est pas (?:ma|la) question|ca (?:ne )?repond pas|vous (?:ne )?m? ?(?:avez|avais) pas repondu|"
    r"vous (?:n )?avez pas (?:compris|repondu)|(?:je|j) (?:ne )?(?:parle|parlais|demande|demandais) pas (?:de )?ca|"
    r"(?:je|j) (?:n )?ai (?:pas|jamais) demande (?:ca|cela|ceci)|"
    r"(?:j ai|jai) (?:pas|jamais) (?:parle|demande) (?:de|d|du|des))\b"
)
# « mais jsuis pas mineur jai 19 ans. comment je cache un document moi meme ? »: the first sentence corrects what the
# previous answer assumed, the next one asks (a student of 19 got the minors' answer again, 7 December 2026)
_NOT_WHAT_ASSUMED = re.compile(r"^(?:mais\s+)?(?:je (?:ne )?suis|jsuis|j suis|chui|chuis) (?:pas|plus) \w+")
# « ok pour l'email. mais sans mon accord elle peut ? »: the first sentence closes a subject already answered, the next
# one (« mais », « par contre ») opens a new one. Not « et »: « merci pour le code. et pour ma fille ? » asks the same
# subject for someone else.
_NEW_SUBJECT = re.compile(r"^(?:mais|par contre|sinon|autre chose|autre question)\b")


def past_subject_remainder(text: str) -> str | None:
    """The new question after a sentence that acknowledges a subject (« ok pour l'email. mais sans mon accord elle
    peut ? », not « merci pour le code. et pour ma fille ? ») or that says the previous answer missed (« jai pas parlé
    de ma famille. ma sage femme elle voit mes echos ? »); None for any other message. The acknowledged subject's
    words would otherwise choose the answer again: a persona got the e-mail answer twice (6 December 2026)."""
    if not isinstance(text, str):
        return None
    if (other := _from_another_subject(text)) is not None:
        return other
    folded = fold_accents(text.replace("’", "'"))
    if REJECTION.match(normalize(folded)) or _NOT_WHAT_ASSUMED.match(normalize(folded)):
        # « jai pas parlé de ma famille lol. ma question c'etait : … ? », « mais jsuis pas mineur jai 19 ans. comment
        # je cache un document ? »
        return _after_first_sentence(text, folded, 0)
    match = _PREFIX.match(folded)
    if not match or not _ACKNOWLEDGES.search(match.group(0)):
        return None
    if not _THANKS_FOR.match(normalize(folded[match.end() :])):
        return None
    rest = _after_first_sentence(text, folded, match.end())
    return rest if rest and _NEW_SUBJECT.match(normalize(rest)) else None


def _after_first_sentence(text: str, folded: str, start: int) -> str | None:
    """The request in the sentences after the one that starts at ``start`` (what the thanks are for), if they ask."""
    end = re.search(r"[.!;:]+\s+", folded[start:])
    return None if end is None else _request_at(text, folded, start + end.end())


def _after_inner_thanks(text: str, folded: str) -> str | None:
    """The question after a thank-you that ends a sentence inside ``text`` (``folded``: the same, folded)."""
    matches = list(_INNER_THANKS.finditer(folded))
    # the last one: what follows it is the newest request
    return _request_at(text, folded, matches[-1].end()) if matches else None


def _request_at(text: str, folded: str, at: int) -> str | None:
    """What ``text`` says from ``at`` on (as written when folding kept every character in place), when it asks
    something in at least ``MIN_REQUEST_WORDS`` words; else None."""
    rest = normalize(folded[at:])
    if len(rest.split()) < MIN_REQUEST_WORDS or not ("?" in folded[at:] or _QUESTION_START.match(rest)):
        return None
    return (text[at:] if len(folded) == len(text) else folded[at:]).strip()


# A thank-you or a sign-off that closes a message of questions: « Mon épouse nous a quittés en septembre. Dois-je fermer
# son espace ? … Je vous remercie de votre aide. » got « Avec plaisir » (a persona of 69, 6 December 2026).
_CLOSING_THANKS = re.compile(
    r"(?:^|[.!?;:,)]\s*|\s)(?:(?:je vous|je te|nous vous) remercie|merci|cordialement|bien cordialement|"
    r"bonne (?:journee|soiree)|par avance)\b[^.!?]{0,40}[.!\s]*$"
)


def before_closing_thanks(text: str) -> str | None:
    """The request before the thank-you or sign-off that closes ``text`` (« … en ai-je un moi-même ? Je vous remercie
    de votre aide. »), when it asks something in at least ``MIN_REQUEST_WORDS`` words; else None."""
    if not isinstance(text, str):
        return None
    folded = fold_accents(text.replace("’", "'"))
    match = _CLOSING_THANKS.search(folded)
    if match is None or match.start() == 0:
        return None
    before = folded[: match.start() + 1]
    rest = normalize(before)
    if len(rest.split()) < MIN_REQUEST_WORDS or not ("?" in before or _QUESTION_START.match(rest)
                                                     or len(rest.split()) >= LONG_REQUEST_WORDS):
        return None
    return (text[: match.start() + 1] if len(folded) == len(text) else before).strip().rstrip(",;:").rstrip()


def request_behind(text: str) -> str | None:
    """The request between the courtesy words that open ``text`` and the thanks that close it (« Bonjour, … ? Je vous
    remercie par avance de votre obligeance. »: a persona of 71 got « Je vous en prie », 6 December 2026), or behind
    either alone; None when there is none."""
    rest = courtesy_remainder(text)
    return (before_closing_thanks(rest) or rest) if rest else before_closing_thanks(text)


def is_long_request(rest: str) -> bool:
    """Whether a request found behind courtesy words (``courtesy_remainder``) has at least ``LONG_REQUEST_WORDS``
    words."""
    return len(normalize(rest).split()) >= LONG_REQUEST_WORDS


# A question asked without its question mark, its question word last (« elle ouvre quand »)
_QUESTION_END = re.compile(r"\b(?:quand|comment|ou|combien|quoi|pourquoi|lequel|laquelle)$")
# A sign-off that ends a message: « Bonne fin de journée. », « Au revoir ».
# « Je vous souhaite une excellente journée. Bien cordialement, [nom] » (a persona of 88, 7 December 2026)
_SIGN_OFF = re.compile(r"\b(?:(?:bonne|belle|excellente) (?:fin de )?(?:journee|soiree|apres midi|semaine|"
                       r"continuation)|au revoir|a bientot|cordialement|salutations)(?:\W+nom)?\W*$")


def is_farewell(text: str) -> bool:
    """Whether ``text`` thanks, says what the person will do and signs off, asking nothing: « Je vous remercie
    sincèrement… Je vais appeler la France Services de Verdun pour prendre rendez-vous. Bonne fin de journée. » got
    the nearest desks again (a persona of 66, 7 December 2026)."""
    if not isinstance(text, str) or "?" in text:
        return False
    folded = fold_accents(text.replace("’", "'"))
    opening = _PREFIX.match(folded)
    if opening is None or not _ACKNOWLEDGES.search(opening.group(0)) or not _SIGN_OFF.search(normalize(folded)):
        return False
    sentences = (normalize(sentence) for sentence in re.split(r"[.!;:\n]+", folded[opening.end() :]))
    return not any(_QUESTION_START.match(sentence) or _QUESTION_END.search(sentence) for sentence in sentences)

