"""Which answer to send: the one a button asked for, the classifier's choice, or options when unsure."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from typing import Any

from bot.answers.bank import BUTTON_INTENTS, CHILDREN, Answer, Bank
from bot.answers.render import HELP_LINE_START
from bot.answers.search import AnswerSearch, combine
from bot.courtesy import REJECTION
from bot.lexicon import Lexicon, family_token, load_lexicon
from bot.situation import (
    DECEASED,
    HARD_OF_HEARING,
    MINOR,
    PROTECTED,
    denies_protection,
    situations_in,
    speaks_as_adult,
    without_hearing_trouble,
)
from bot.text import has_markup, names_the_service, normalize

MAX_OPTIONS = 3
# How many of the last answers sent are remembered: a typed question that would get one of them again gets other
# answers to choose from (a person does not ask again what was just answered to their satisfaction).
RECENT = 3
# How many answers the slot keeps for the summary sheet (bot/summary.py): two advisors' sheets lost the first topics
# of a visit (the allergies, the expired code) once three more answers had been given.
KEPT_FOR_SHEET = 6
# Below this combined score (probability + half the word similarity) an option is noise, not a suggestion.
MIN_OPTION_SCORE = 0.12
CHILD_DEFAULT = "utter_ask_for_child_default"  # domain response: « Que voulez-vous faire pour votre enfant ? »
# « Et pour mon enfant ? » after an answer of each task, unless the answer names its own (``for_child``).
CHILD_BY_TASK = {
    "activation": "child_activation_start",
    "closing": "child_close_profile",
    "sharing": "child_restrict_access",
}
# A follow-up (« et … ? », « donc … ? », « … aussi ? », « il peut y avoir accès ? ») after an answer: the answers
# of the same task, or offered after it, count this many times more (« mon mari peut y avoir accès aussi ? » after
# the child's profile is about the other parent, not about who may read an adult's file).
FOLLOW_UP_BOOST = 4.0
Ranking = list[tuple[str, float]]  # (unit id, probability), best first
_ADULT = re.compile(r"\b(?:ma|mon|sa|son|notre|votre) (?:mere|maman|pere|frere|soeur|mari|femme|epouse|epoux|"
                    r"conjointe?|compagnon|compagne|grand mere|grand pere|mamie|papi|oncle|tante|voisine?)\b")
_MYSELF = re.compile(r"\b(?:pour|et) (?:moi|moi meme|nous|mon compte|mon profil|mon espace)\b")
_CHILD = re.compile(r"\b(?:enfants?|fils|fille|bebe|petite?|ado|adolescente?|mineure?|nourrisson|gamine?|"
                    r"petits? enfants?)\b")
# Everyday words: they neither tell two lines of an answer apart (matching_line) nor tie a sentence to an answer
# (shares_a_word); « et si ça marche pas ? » after an answer says nothing of its own (an advisor got « pas sûr » and
# the activation's answers after adding a document, 6 December 2026).
_COMMON_WORDS = frozenset({
    "alors", "apres", "aussi", "autre", "autres", "avec", "avoir", "bien", "cela", "celle", "celles", "celui", "ces",
    "cette", "ceux", "chose", "combien", "comment", "dans", "des", "dois", "doit", "donc", "elle", "elles", "encore",
    "ensuite", "espace", "est", "ete", "etre", "faire", "fais", "fait", "faites", "faut", "fonctionne", "fonctionner",
    "ils", "jai", "les", "leur", "leurs", "lui", "maintenant", "mais", "marche", "marcher", "meme", "mes", "moi",
    "mon", "non", "nous", "oui", "par", "pas", "peut", "peux", "plus", "pour", "pourquoi", "puis", "quand", "que",
    "quel", "quelle", "quelles", "quels", "qui", "quoi", "sante", "ses", "son", "sont", "suis", "sur", "tes", "toi",
    "ton", "tous", "tout", "toute", "truc", "une", "veux", "vos", "votre", "vous",
})
SHORT_FOLLOW_UP_WORDS = 6
_FOLLOW_UP = re.compile(
    r"^(?:(?:ok|d accord|bon|alors|mais|merci)\s+)?et\b|^(?:donc|dc|du coup|alors)\b"
    r"|\b(?:aussi|pareil|egalement|meme chose)\b"
    r"|\b(?<!il )y (?:avoir|acceder|aller|mettre|voir)\b"
    # a pronoun for what was just talked about: « je dois le fermer ? » after a late mother's space, « je peux les
    # récupérer ? » after her documents (a persona session, 5 December 2026)
    r"|\b(?:le|la|les|l|lui|en) (?:fermer|cloturer|supprimer|effacer|voir|recuperer|activer|masquer|cacher|bloquer|"
    r"debloquer|telecharger|partager|envoyer|montrer|imprimer|ajouter|mettre|virer|garder|lire|ouvrir|modifier)\b"
)


def selector_ranking(selector: Any) -> list[tuple[str, float]]:
    """(unit id, probability) from a ``response_selector`` parse entry, best first; [] when absent."""
    if not isinstance(selector, dict):
        return []
    ranking: list[tuple[str, float]] = []
    # Rasa's own ResponseSelector, trained without a ``retrieval_intent``, files its prediction under
    # "default" (RESPONSE_SELECTOR_DEFAULT_INTENT), whatever the retrieval intents are called.
    names = [n for n in selector.get("all_retrieval_intents") or [] if isinstance(selector.get(n), dict)]
    for name in names or ["default"]:
        for entry in (selector.get(name) or {}).get("ranking") or []:
            key, confidence = entry.get("intent_response_key"), entry.get("confidence")
            if isinstance(key, str) and "/" in key and isinstance(confidence, (int, float)):
                ranking.append((key.split("/", 1)[1], float(confidence)))
    return sorted(ranking, key=lambda pair: -pair[1])


def is_follow_up(text: str) -> bool:
    """Whether ``text`` reads as a follow-up to the previous answer (« et pour le faire en ligne ? »)."""
    return bool(text) and _FOLLOW_UP.search(normalize(text)) is not None


# « et si il est toujours pas là demain je fais quoi ? », « ça marche toujours pas »: what the previous answer said
# did not work yet
_STILL_NOT = re.compile(r"\b(?:toujours|encore|tjrs|tjs) pas\b|\bmarche (?:toujours |encore )?pas\b")


def still_not_working(text: str) -> bool:
    """Whether ``text`` says that what the previous answer told has not worked yet (« toujours pas là demain »)."""
    return bool(text) and _STILL_NOT.search(normalize(text)) is not None


def related_answers(last_topic: str | None, bank: Bank) -> set[str]:
    """The answers that continue the answer ``last_topic``: those of its task and its next steps (none without it),
    not that answer itself: a follow-up that only the boost would bring back to it (« et la maternité elle va
    mettre des docs dedans ? » after adding a baby) got « Dans ma réponse … plus haut », a persona, 6 December 2026."""
    previous = bank.get(last_topic) if last_topic else None
    if previous is None:
        return set()
    return (set(previous.next) | {unit.id for unit in bank if unit.task == previous.task}) - {previous.id}


def continues_previous(selector: Any, last_topic: str | None, bank: Bank, recent: Any = ()) -> bool:
    """Whether the classifier's best answer (``response_selector`` parse entry) continues the answer ``last_topic``
    or one of the ``recent`` answers (``just_answered``): that answer itself, one of its task or one of its next steps
    (``related_answers``). « et sans la carte vitale on peut quand même faire la clôture ? » came after a question on
    a forgotten identifier, two answers after the closing ones, and was declined (an advisor, 6 December 2026)."""
    best = selector_ranking(selector)[:1]
    if not best:
        return False
    topics = dict.fromkeys(t for t in (*just_answered(recent), last_topic) if isinstance(t, str) and t in bank)
    return any(best[0][0] in {topic, *related_answers(topic, bank)} for topic in topics)


# « c'est définitif ? » after an answer, and the answers that undo what another one does (by their title).
_ASKS_IF_FINAL = re.compile(r"\b(?:definiti\w*|irreversible|pour toujours|a vie|(?:revenir|retour) en arriere|"
                            r"annul\w*|defaire)\b")
_UNDOES = re.compile(r"\b(?:debloqu\w*|annul\w*|reactiv\w*|changer d avis)\b")


def undoing_answer(last_topic: str | None, text: str, bank: Bank) -> str | None:
    """For « c'est définitif ? » after an answer, the next step of that answer that undoes it (« Débloquer un
    professionnel » after blocking one), or None. A persona asked it after blocking a doctor and got the deletion of
    documents, for its word « définitive » (6 December 2026). A longer message says what it asks: « si je veux tout
    supprimer définitivement (compte + documents + historique)… » after blocking got the unblocking (a persona,
    7 December 2026)."""
    previous = bank.get(last_topic) if last_topic else None
    if previous is None or not text or not _ASKS_IF_FINAL.search(normalize(text)):
        return None
    if len(_stems(text)) > SHORT_FOLLOW_UP_WORDS:
        return None
    undoes = [unit.id for unit in map(bank.get, previous.next) if unit and _UNDOES.search(normalize(unit.title))]
    return undoes[0] if undoes else None


# « mon fils de 15 ans », « notre ado »: the person's own minor child, named (not « ma fille » alone: a widow's « si je
# veux pas que ma fille voie… » after a late husband's record means that record)
_OWN_CHILD = re.compile(r"\b(?:mon|ma|notre) (?:(?:fils|fille|enfant|gamine?) (?:de |d )?1?\d ans|ado)\b")


def meant_after(last_topic: str | None, best: str, bank: Bank, text: str = "") -> str | None:
    """The answer that ``best`` means right after the answer ``last_topic``, by that answer's ``instead`` (« j'ai
    plus le papier avec le code » after closing: the closing's code, not the activation's, a persona session of
    6 December 2026); None when it means itself. An answer about children means itself when ``text`` names the
    person's own child: « et mon fils de 15 ans, il peut me cacher des trucs dans son dossier ? » after sharing a
    child's profile got who cannot see one's own record (a father, 7 December 2026)."""
    previous = bank.get(last_topic) if last_topic else None
    meant = dict(previous.instead).get(best) if previous is not None else None
    unit = bank.get(best)
    if meant and unit is not None and unit.task == CHILDREN and _OWN_CHILD.search(normalize(text)):
        return None
    return meant


def in_context(ranking: Ranking, last_topic: str | None, text: str, bank: Bank) -> Ranking:
    """The answers' ranking, re-weighted for a follow-up to the answer ``last_topic``: the answers of its task or
    among its next steps count ``FOLLOW_UP_BOOST`` times more (probabilities renormalised, best first). « c'est
    définitif ? » gets the answer that undoes the previous one, when it has one (``undoing_answer``); an answer
    that means another right after ``last_topic`` (``meant_after``) gives way to it, whatever the wording."""
    undo = undoing_answer(last_topic, text, bank)
    if ranking and undo is not None:
        return [(undo, 1.0), *((unit_id, p) for unit_id, p in ranking if unit_id != undo)]
    instead = meant_after(last_topic, ranking[0][0], bank, text) if ranking else None
    if instead is not None:
        return _first(instead, ranking)
    if not ranking or not is_follow_up(text):
        return ranking
    if ranking[0][0] == last_topic and still_not_working(text):
        # the previous answer did not work yet: not its neighbours (« et si il est toujours pas là demain je fais
        # quoi ? » after a missing report got how to report an abnormal access, an own chat, 7 December 2026);
        # asked again, it is quoted with the other likely answers and a human (actions.already_answered)
        return ranking
    related = related_answers(last_topic, bank)
    if not related:
        return ranking
    weighted = [(unit_id, p * (FOLLOW_UP_BOOST if unit_id in related else 1.0)) for unit_id, p in ranking]
    total = sum(p for _, p in weighted) or 1.0
    boosted = sorted(((unit_id, p / total) for unit_id, p in weighted), key=lambda pair: -pair[1])
    # the boost may bring up an answer that means another here: « donc il voit pas mes documents a moi ? » after
    # sharing a child's profile got the teenagers' confidentiality (a mother, 7 December 2026)
    instead = meant_after(last_topic, boosted[0][0], bank, text)
    return _first(instead, boosted) if instead is not None else boosted


def _first(unit_id: str, ranking: Ranking) -> Ranking:
    """``ranking`` with ``unit_id`` first, at the first answer's probability."""
    return [(unit_id, ranking[0][1]), *((other, p) for other, p in ranking[1:] if other != unit_id)]


def ranking_in_context(selector: Any, bank: Bank, last_topic: str | None = None, text: str = "") -> Ranking:
    """The classifier's ranking from a ``response_selector`` parse entry, ``in_context`` of the previous answer
    ``last_topic`` for a follow-up ``text``: compute it once per message for ``chosen_unit`` and ``see_also``."""
    return in_context(selector_ranking(selector), last_topic, text, bank)


CLOSING = "closing"  # the closing task (bot/answers/bank.TASKS)
_CLOSING_VERB = r"(?:fermer|clotur\w*|supprim\w*|resili\w*|desactiv\w*|effacer)"
# « je ne veux pas fermer », « sans fermer mon compte », « pas question de supprimer mon espace »
_KEEPS_THE_SPACE = re.compile(
    rf"\b(?:veux|veut|voulons|voulez|souhaite|souhaitons|compte|cherche) (?:surtout |absolument )?pas "
    rf"(?:le |la |l |les )?{_CLOSING_VERB}\b"
    rf"|\bsans (?:le |la |l )?{_CLOSING_VERB}\b|\bpas question de (?:le |la |l )?{_CLOSING_VERB}\b"
)


def keeps_the_space(text: str) -> bool:
    """Whether ``text`` says the person does not want to close (« je ne veux pas fermer mon espace »)."""
    return _KEEPS_THE_SPACE.search(normalize(text)) is not None


HEARING_UNIT = "deaf_hard_of_hearing"  # how to reach a person without the phone
# Beside the hearing answer, the next one must be at least this likely to be the question: « ma mère est sourde et
# elle a reçu une lettre… » 0.023 (the automatic creation), « je suis sourd et j'ai perdu mon code provisoire » 0.12;
# « je suis malentendante, comment activer ? » 0.009 (another insurance scheme: noise, the hearing answer stays)
MIN_BESIDE_HEARING = 0.02
# What a message that says someone hears badly asks of the hearing answer: a way to reach someone
_ASKS_FOR_CONTACT = re.compile(r"\b(?:contact\w*|joindre|appel\w*|telephon\w*|tel|conseill\w*|assistance|aid\w*|"
                               r"parler|signes|lsf|visio\w*|interpret\w*|adapte\w*|solution|accessib\w*)\b")
# Words of such a message that ask nothing else: who hears badly, greetings (first five letters)
_ABOUT_THE_PERSON = frozenset({"bonjo", "bonso", "mere", "pere", "mari", "femme", "epoux", "epous", "fille", "fils",
                               "usage", "perso", "madam", "monsi", "grand", "paren", "tres", "vraim", "compl",
                               "total", "depui", "naiss", "agee", "ages", "vieux", "vieil", "muett", "muet"})


def asks_beside_hearing(text: str) -> bool:
    """Whether a message that says someone hears badly asks something else than a way to reach a person (« ma mère
    est sourde et elle a reçu une lettre, elle doit faire quoi ? » got the answer for deaf people, own chat of 7
    December 2026): the hearing trouble is remembered (bot/situation.py) and each answer ends with the video
    interpreter, so the question itself is answered."""
    if HARD_OF_HEARING not in situations_in(text):
        return False
    rest = without_hearing_trouble(text)
    return not _ASKS_FOR_CONTACT.search(rest) and bool(_stems(rest) - _ABOUT_THE_PERSON)


# Besides the hearing trouble itself, words that speak of hearing or of the deaf's ways to talk
_SPEAKS_OF_HEARING = re.compile(r"\b(?:lsf|langue des signes|visio ?interpret\w*|surdite|auditi\w*|oreilles?)\b")


def hearing_unasked(unit: Answer | None, text: str) -> bool:
    """Whether ``unit`` is the hearing answer and ``text`` says nothing of hearing: « on s'entend pas trop bien » (we
    do not get along) was offered the deaf people's answer, 0.95 for that sentence (a separated father, 7 December
    2026)."""
    return unit is not None and unit.id == HEARING_UNIT and HARD_OF_HEARING not in situations_in(text) \
        and _SPEAKS_OF_HEARING.search(normalize(text)) is None


ACTIVATION = "activation"
_FOR_PROTECTED_ADULTS = frozenset({"protected_adult", "close_for_protected_adult"})  # tutelle, curatelle…
# « je veux juste les etapes pour fermer MON espace »: a closing asked for, nothing about activating
_ASKS_TO_CLOSE = re.compile(r"\b(?:fermer|fermez|fermeture|cloturer|cloturez|cloture|clore|resilier|supprimer)\b")
# « décider si vous en acceptez l'accès (ou le clôturez) » weighs both (a dev question of tests/external)
_ACTIVATING = re.compile(r"\bactiv\w*|\bouvr\w*|\bcreer\b|\bcreation\b|\baccept\w*|\bgarder\b")


def asks_to_close(text: str) -> bool:
    """Whether ``text`` asks about closing and says nothing of activating (« fermer … les étapes svp »)."""
    plain = normalize(text)
    return bool(_ASKS_TO_CLOSE.search(plain)) and not _ACTIVATING.search(plain) and not keeps_the_space(text)


# Answers of the children's task that are about adults: they still fit when the children are grown.
_ADULTS_AMONG_CHILDREN = frozenset({"child_turning_18", "protected_adult", "caregiver_access", "pregnancy_overview",
                                    "pregnancy_child_paths"})
GROWN_AGE = 25  # below it, a « fils de 19 ans » may still be the child who turns 18 (``child_turning_18``)
_CHILD_AGED = re.compile(r"\b(?:enfants?|fils|filles?)\s+"
                         r"(?:qui (?:a|ont) |de |(?:il|elle|ils|elles) (?:a|ont) |a |ont )(\d{2,3}) ans\b")
_GROWN_CHILDREN = re.compile(r"\b(?:enfants?|fils|filles?) (?:sont (?:grande?s|adultes)|(?:est )?adultes?)\b")
# « quand je serai morte », « après ma mort », « quand on meurt »: the person's own death, whose children are grown
_OWN_DEATH = re.compile(r"\b(?:quand|apres|lorsque|si) (?:je (?:serai|serais|vais etre|suis) "
                        r"(?:morte?|decedee?|partie?)|je (?:meurs|mourrai|mourrais)|on (?:meurt|est morte?|decede)"
                        r"|ma mort|mon deces)\b")


def speaks_of_grown_children(text: str) -> bool:
    """Whether ``text`` speaks of children who are adults (« ma fille elle a 58 ans », « mes enfants sont grands »)
    or of the person's own death (« quand je serai morte, mes enfants pourront le voir ? »): a widow of 83 got the
    minors' and the child's closing answers four times for « mes enfants » (a persona, 7 December 2026)."""
    plain = normalize(text)
    return (any(int(age) >= GROWN_AGE for age in _CHILD_AGED.findall(plain))
            or _GROWN_CHILDREN.search(plain) is not None or _OWN_DEATH.search(plain) is not None)


# « ma mère », « mon père », « ma grand-mère »: the person's own elder (not « son père », who may be a child's father)
_OWN_ELDER = re.compile(r"\b(?:ma|mon) (?:mere|pere|maman|papa|grand mere|grand pere|mamie|papi|papy)\b")
_NOT_A_MINOR = re.compile(r"\b(?:pas|pa|plus) (?:mineure?|un enfant|une enfant|un ado|une ado)\b")
_IS_SOMEONES_CHILD = re.compile(r"\bje suis (?:sa|son|leur) (?:fille|fils|enfant)\b")  # « je suis sa fille unique »
# the heir of someone who died (or will); not « ayant droit », which also names a child on a parent's card
_HEIR = re.compile(r"\b(?:heritiere?s?|heritage|succession)\b")
_DEATH = re.compile(r"\b(?:deced\w*|deces|mourir|meurt|mort|morte)\b")


def unfit_options(text: str, situations: Collection[str], bank: Bank) -> frozenset[str]:
    """The answers not to offer as close answers (buttons) for ``text``: those given after a death (the bank's
    ``in_situation`` for it), when neither the message nor the person's ``situations`` (bot/situation.py) speak of one.
    « Dossier d'un proche décédé » hurt a wife asking about her husband with Alzheimer's (two personas, 7 December
    2026)."""
    if DECEASED in situations or (text and _DEATH.search(normalize(text))):
        return frozenset()
    return frozenset(given for unit in bank for name, given in unit.in_situation if name == DECEASED)


def about_adults_only(text: str) -> bool:
    """Whether ``text`` speaks of adults and of no child: the person's own elder (« ma mère a 88 ans »), someone
    said not to be a minor (« jsui pa mineur »), or the person's own age of 18 or more (« jai 22 an »). A carer's
    mother of 88 and a young man of 22 got the teenagers' answers five times (two personas, 7 December 2026)."""
    plain = normalize(text)
    if _CHILD.search(_NOT_A_MINOR.sub(" ", _IS_SOMEONES_CHILD.sub(" ", plain))):
        return False
    elders = _OWN_ELDER.search(plain) or _HEIR.search(plain)
    return bool(elders or _NOT_A_MINOR.search(plain) or speaks_as_adult(text))


def not_about_minors(unit: Answer, text: str, situations: Collection[str] = ()) -> bool:
    """Whether a unit of the children's task misses ``text``, which speaks of adults only (``speaks_of_grown_children``,
    ``about_adults_only``), or names no child in a conversation about an adult under protection (``situations``,
    bot/situation.py). The answers about adults among them still fit, but for a death: « quand elle va
    décéder » about a mother of 88 got « Enfant qui a 18 ans » (a carer, 7 December 2026)."""
    if unit.task != CHILDREN or not text:
        return False
    adults = speaks_of_grown_children(text) or about_adults_only(text) or _about_protected_adult(text, situations)
    if unit.id in _ADULTS_AMONG_CHILDREN:
        return adults and unit.id == "child_turning_18" and _DEATH.search(normalize(text)) is not None
    return adults


def _about_protected_adult(text: str, situations: Collection[str]) -> bool:
    """« maman elle peut pas donner son accord, c'est moi qui doit dire oui a sa place ? » from a curatrice got the
    answer for a child attached to the other parent (a persona, 7 December 2026): with an adult under protection in
    the conversation and no minor, a message that names no child is about that adult."""
    return PROTECTED in situations and MINOR not in situations and not _CHILD.search(normalize(text))


def chosen_unit(
    answer_entity: str | None, ranking: Ranking, bank: Bank, text: str = "", situations: Collection[str] = ()
) -> Answer | None:
    """The unit a button asked for (``/faq{"answer": …}``), else the best answer of ``ranking`` (the classifier's
    ranking in context, from ``ranking_in_context``), or the one asked for when ``text`` denies its premise.
    ``situations``: the person's, from bot/situation.py."""
    if answer_entity:
        return bank.get(answer_entity)
    if not ranking:
        return None
    best = bank.get(ranking[0][0])
    if best is not None and best.denied_premise is not None and denies(best.denied_premise[0], text):
        return bank.get(best.denied_premise[1])
    if best is not None and closes(best) and keeps_the_space(text):
        # « je ne veux PAS fermer mon espace ! on ne peut pas juste arrêter les messages ? » got the closing steps
        # (a persona of 79, 7 December 2026), « je veux pas fermer quoi que ce soit. je parle de mon bebé » the closing
        # of a child's profile (a father, same day): the likeliest answer that is not about closing
        return _likeliest_after_first(ranking, bank, lambda unit: not closes(unit)) or best
    if best is not None and best.id in _FOR_PROTECTED_ADULTS and denies_protection(text):
        # « mon mari n'est PAS sous tutelle ni sous curatelle. Ai-je le droit d'utiliser ses identifiants ? » got the
        # answer on tutelle again (two personas, 7 December 2026): the likeliest answer about anyone else
        return _likeliest_after_first(ranking, bank, lambda unit: unit.id not in _FOR_PROTECTED_ADULTS) or best
    if best is not None and best.id == HEARING_UNIT and len(ranking) > 1 and (
            hearing_unasked(best, text) or (asks_beside_hearing(text) and ranking[1][1] >= MIN_BESIDE_HEARING)):
        # the hearing answer gives way to the next one: the message says nothing of hearing, or asks something else
        return bank.get(ranking[1][0]) or best
    if best is not None and best.task == ACTIVATION and asks_to_close(text):
        # « je veux juste les etapes pour fermer MON espace » got the activation steps, twice (two personas, 7 December
        # 2026: « étapes » weighs for activation): the likeliest answer about closing
        return likeliest_within(CLOSING, ranking, bank) or best
    if best is not None and not_about_minors(best, text, situations):
        # its answer for adults (``for_adult``), else the likeliest answer that is not about a minor
        return bank.get(best.for_adult or "") or likeliest_outside(CHILDREN, ranking, bank) or best
    return best


def closes(unit: Answer) -> bool:
    """Whether ``unit`` is about closing a space or a profile (the closing task, and a child's profile closed)."""
    return unit.task == CLOSING or unit.id == "child_close_profile"


def likeliest_outside(task: str, ranking: Ranking, bank: Bank) -> Answer | None:
    """The likeliest answer of ``ranking`` after its first that is not of ``task``, or None."""
    return _likeliest_after_first(ranking, bank, lambda unit: unit.task != task)


def likeliest_within(task: str, ranking: Ranking, bank: Bank) -> Answer | None:
    """The likeliest answer of ``ranking`` after its first that is of ``task``, or None."""
    return _likeliest_after_first(ranking, bank, lambda unit: unit.task == task)


def _likeliest_after_first(ranking: Ranking, bank: Bank, fits: Callable[[Answer], bool]) -> Answer | None:
    return next((unit for unit_id, _ in ranking[1:] if (unit := bank.get(unit_id)) and fits(unit)), None)


def denies(pattern: str, text: str) -> bool:
    """Whether ``text`` denies a premise, by a unit's ``denied_premise`` expression over the normalised text
    (« il n'a pas cliqué » after a SMS, « pas de bébé », « ma lettre est de cette année »)."""
    return _compiled(pattern).search(normalize(text)) is not None


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def in_situation(unit_id: str, situations: object, bank: Bank, just_sent: str | None = None) -> str:
    """The answer to give for ``unit_id`` in the person's ``situations`` (the slot's list, bot/situation.py): the
    unit's ``in_situation`` answer for the first situation it names, else itself. Not the answer ``just_sent``: the
    button « Un soin intime, qui le voit ? » under the teenagers' answer gave that answer again (a mother, 7 December
    2026)."""
    unit = bank.get(unit_id)
    replacements = dict(unit.in_situation) if unit is not None else {}
    for name in situations if isinstance(situations, list) else []:
        if (given := replacements.get(name)) and given != just_sent:
            return given
    return unit_id


def remember(recent: Any, unit_id: str, text: str = "") -> list[str]:
    """The last ``KEPT_FOR_SHEET`` answers sent, ``unit_id`` last (``recent``: the slot's value, a list or None); only
    the last ``RECENT`` of them count as just answered (``just_answered``). A question
    ``text`` that says the previous answer missed (``rejects_previous``) drops it: the summary sheet prints these
    answers, and an advisor's sheet carried « changer de médecin traitant » after « non, bloquer l'ancien médecin »."""
    earlier = [u for u in recent if isinstance(u, str) and u != unit_id] if isinstance(recent, list) else []
    if earlier and rejects_previous(text) and recent[-1] != unit_id:  # recent is a list: earlier is not empty
        earlier = earlier[:-1]
    return [*earlier, unit_id][-KEPT_FOR_SHEET:]


def just_answered(recent: Any) -> list[str]:
    """The last ``RECENT`` answers of the ``recent_answers`` slot: asked again, they get other answers instead."""
    return [u for u in recent if isinstance(u, str)][-RECENT:] if isinstance(recent, list) else []


def rejects_previous(text: str) -> bool:
    """Whether a typed question opens by saying the previous answer missed (« non c'est pas ça que je demande… »,
    « vous m'avez pas répondu », « non, bloquer l'ancien médecin »)."""
    return bool(text) and REJECTION.search(normalize(text)) is not None


def clarify_options(
    selector: Any,
    text: str,
    bank: Bank,
    search: AnswerSearch,
    limit: int = MAX_OPTIONS,
    exclude: Collection[str] = (),
) -> list[Answer]:
    """The likeliest answers for an unsure message, but those in ``exclude``: classifier ranking and word search
    combined. None for markup (« <script>alert(1)</script> »): the person is asked to rephrase."""
    if has_markup(text):
        return []
    similarities = search.scores(text)
    ranked = combine(selector_ranking(selector), similarities, limit=len(bank))
    classifier = dict(selector_ranking(selector))
    options = []
    for unit_id in ranked:
        score = classifier.get(unit_id, 0.0) + 0.5 * similarities.get(unit_id, 0.0)
        unit = bank.get(unit_id)
        if unit is None or unit.declines or unit_id in exclude or score < MIN_OPTION_SCORE:
            continue
        options.append(unit)
        if len(options) == limit:
            break
    return options


def see_also(ranking: Ranking, chosen: str, bank: Bank, below: float, share: float, limit: int = 2) -> list[Answer]:
    """Other answers worth one tap when the classifier chose ``chosen`` without being sure: when its probability
    in ``ranking`` (from ``ranking_in_context``) is under ``below``, the next answers at least ``share`` times as
    likely as it (never an off-topic one)."""
    if not ranking or ranking[0][0] != chosen or ranking[0][1] >= below:
        return []
    floor = share * ranking[0][1]
    options = [bank.get(unit_id) for unit_id, probability in ranking[1:] if probability >= floor]
    return [unit for unit in options if unit is not None and not unit.declines][:limit]


def first_line(unit: Answer, for_advisor: bool = False) -> str:
    """The first line of the answer (its core since no answer opens with « Oui » or « Non »), for « trop long » and
    the other question of a message; with the next line when it ends with a colon (a persona read « Votre mot de
    passe doit avoir : » and nothing after)."""
    text = unit.advisor if for_advisor and unit.advisor else unit.citizen
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):  # « Votre mot de passe doit avoir : » announces the next line
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else unit.title


def in_brief(unit: Answer, for_advisor: bool = False) -> str:
    """The unit's title and first line on one line: « Est-ce payant ? Mon espace santé est gratuit. … »."""
    return f"{unit.title}{' ' if unit.title.endswith('?') else ' : '}{first_line(unit, for_advisor)}"


def matching_line(unit: Answer, text: str, for_advisor: bool = False) -> str | None:
    """The line of ``unit`` that shares the most words with ``text`` (a question that would get that answer again:
    « png ça passe ? » after the file formats is answered by its line on png), or None when none shares a word
    that is not in the unit's title. Words match on their first five letters (« messages », « messagerie »)."""
    asked = _stems(text) - _stems(unit.title)
    if not asked:
        return None
    body = unit.advisor if for_advisor and unit.advisor else unit.citizen
    lines = [line.strip() for line in body.splitlines() if line.strip() and not line.startswith(HELP_LINE_START)]
    # an item of a list cut by « ; » or « , » means nothing alone: « 1. une copie de votre carte d'identité ; » was
    # quoted for « si je fais rattacher le bebe a ma carte vitale aussi… » (a father, 7 December 2026)
    scored = [(len(asked & _stems(line)), -index, line) for index, line in enumerate(lines)
              if not line.endswith((";", ","))]  # fmt: skip
    best = max(scored, default=(0, 0, ""))
    return best[2] if best[0] else None


# « donc c'est oui ou non ? », « vrai ou faux ? »: a plain yes or no asked again (a persona, 7 December 2026), and the
# line of an answer that says our sources do not settle it (« Une « vente » de données : nos informations n'en parlent
# pas »), both read on normalised text
_YES_OR_NO = re.compile(r"\b(?:oui ou (?:non|pas)|non ou oui|vrai ou faux|c est (?:oui|non)|cest (?:oui|non))\b"
                        r"|^(?:donc|dc|alors|bref)(?: en gros)?(?: c est)? (?:oui|non)\b")
_UNSETTLED = re.compile(r"\bnos (?:informations|sources) n(?: |e )"
                        r"|\bne (?:le|la|les) (?:disent|precisent|detaillent) pas\b")


def unsettled_line(unit: Answer, text: str, for_advisor: bool = False) -> str | None:
    """The line of ``unit`` that says our sources do not settle the point, when ``text`` asks a plain yes or no
    (« donc c'est oui ou non ? » after selling data got « plus haut… » with the answer's first line); else None."""
    if not _YES_OR_NO.search(normalize(text)) or len(_stems(text)) > SHORT_FOLLOW_UP_WORDS:
        return None
    body = unit.advisor if for_advisor and unit.advisor else unit.citizen
    return next((line.strip() for line in body.splitlines() if _UNSETTLED.search(normalize(line))), None)


def is_short_follow_up(text: str) -> bool:
    """Whether ``text`` is a follow-up (``is_follow_up``) with at most ``SHORT_FOLLOW_UP_WORDS`` words that are not
    small or everyday: a longer one says what it is about (« Autre chose : le médecin coordonnateur de l'EHPAD …
    peut-il les voir … ? » got a line on the 3422 of the previous answer, a persona session, 6 December 2026)."""
    return is_follow_up(text) and len(_stems(text)) <= SHORT_FOLLOW_UP_WORDS


def shares_a_word(text: str, unit: Answer | None) -> bool:
    """Whether ``text`` has a word (its first five letters, not an everyday word) of ``unit``'s title or phrasings:
    a second sentence offered as another question must say something of it (« et celui de mon grand ? » was
    offered « 3646 ou 3422 ? », a persona session)."""
    return unit is not None and bool(_stems(text) & _unit_stems(unit))


@functools.lru_cache(maxsize=512)
def _unit_stems(unit: Answer) -> frozenset[str]:
    return frozenset().union(*(_stems(text) for text in (unit.title, *unit.phrasings)))


# « source ? », « Quel article dit que l'assureur n'a pas le droit ? », « c'est écrit où ? » (a persona who checks, 6
# December 2026), read on normalised text
# « Conseil constitutionnel 2024 ? source ? quelle décision ? » after an answer that cites it was declined (a persona,
# 7 December 2026)
_LEGAL = (r"\b(?:textes? de loi|quels? articles?|quelle loi|ou (?:c est|cest|est ce) ecrit|c est ecrit ou|"
          r"dans quelle loi|quel(?:le)?s? (?:decisions?|arrets?|decrets?|textes?))\b")
_ASKS_LAW = re.compile(_LEGAL)
_ASKS_SOURCE = re.compile(r"\b(?:sources?|references?)\b|" + _LEGAL)
_OPENS_WITH_SOURCE = re.compile(r"^(?:et |mais )?(?:la |vos |votre |une )?sources?\b")  # « source ? pour le médecin… »
SOURCE_MAX_WORDS = 16
_SOURCE_WORDS = re.compile(r"\b(?:source|sources|references?|texte|textes|loi|lois|article|articles|quel|quels|"
                           r"quelle|ecrit|dit|dire|que|qui|ou|c|est|cest|ce|de|du|des|le|la|les|l|vos|votre|ta|tes|"
                           r"donnez|donner|moi|je|veux|voudrais|svp|merci|et|pour|ca|cela|non|mais|dans|avez|vous|"
                           r"une|un|precise|exacte?|officielle?)\b")
PREVIOUS, SUBJECT = "previous", "subject"


def asks_for_source(text: str) -> str | None:
    """What ``text`` asks the source of: ``PREVIOUS`` for the last answer's (« source ? », « le
    texte de loi ? », « c'est écrit où ? »), ``SUBJECT`` for a legal text on a subject it names (« quel article dit que
    l'assureur n'a pas le droit ? »: the classifier's answer); None for any other message (« la source de mes
    documents » asks where documents come from)."""
    plain = normalize(text)
    if has_markup(text) or len(plain.split()) > SOURCE_MAX_WORDS or not _ASKS_SOURCE.search(plain):
        return None
    subject = _SOURCE_WORDS.sub(" ", REJECTION.sub(" ", plain)).split()
    if len(subject) < 2:
        return PREVIOUS
    return SUBJECT if _ASKS_LAW.search(plain) or _OPENS_WITH_SOURCE.match(plain) else None


def source_unit(kind: str, ranking: Ranking, last_topic: str | None, bank: Bank, min_answer: float) -> Answer | None:
    """The answer whose source is asked (``kind`` from ``asks_for_source``): the previous one, or for a subject named,
    the classifier's answer when it is at least ``min_answer`` likely (else the previous one)."""
    if kind == SUBJECT and ranking and ranking[0][1] >= min_answer and ranking[0][0] in bank:
        return bank.get(ranking[0][0])
    return bank.get(last_topic)


def says_nothing_of_its_own(text: str) -> bool:
    """Whether ``text`` has words but none that is not small or everyday (« elle doit faire quoi », « et alors ? »): in
    a conversation it asks about what was just said, so it cannot be off-topic by itself (« elle doit faire quoi »
    after the answer about the activation e-mail was declined as off-topic, 6 December 2026)."""
    return bool(normalize(text).split()) and not _stems(text) and not has_markup(text)


def _stems(text: str) -> set[str]:
    """The first five letters of each word of ``text`` that is not a small or an everyday word."""
    return {word[:5] for word in normalize(text).split() if len(word) > 2 and word not in _COMMON_WORDS}


# Families (data/lexicon) a follow-up names when it is about someone else than a child: « et mon kiné ? » after who
# sees the documents asks about the physiotherapist (6 December 2026).
_NOT_A_CHILD = frozenset(family_token(name) for name in ("professionnel", "conjoint", "parent"))


def not_about_a_child(text: str | None) -> bool:
    """« et pour ma mère ? », « et pour moi ? », « et mon kiné ? », « et pour mon espace santé c'est le même ? »: the
    follow-up names an adult relative, the person themselves, a professional or the service, and no child (a carer
    got the child's guide for her mother and her brother under guardianship, 5 December 2026; « et pour mon espace
    santé » after the ameli password, and « et mon kiné ? », the child's answers too, 6 December)."""
    folded = normalize(text or "")
    families = set(_lexicon().families(text or ""))
    if speaks_of_grown_children(text or ""):
        return True
    if _CHILD.search(folded) or family_token("enfant") in families:
        return False
    return bool(_ADULT.search(folded) or _MYSELF.search(folded) or names_the_service(text or "")
                or families & _NOT_A_CHILD)


@functools.lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    return load_lexicon()


def child_follow_up(last_topic: str | None, bank: Bank) -> str:
    """What « et pour mon fils ? » means after ``last_topic``: a unit id, a guide intent or a response name."""
    unit = bank.get(last_topic)
    if unit is None:
        return "child_activation_start" if last_topic == "activation_start" else CHILD_DEFAULT
    target = unit.for_child or CHILD_BY_TASK.get(unit.task)
    if target and (target in bank or target in BUTTON_INTENTS):
        return target
    return CHILD_DEFAULT
