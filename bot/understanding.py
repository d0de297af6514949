"""Calibrated decisions on the classifier's output: answer, decline (off-topic) or say « not sure ».

The classifier ranks intents and the bank's answers together; a separate detector, trained on a
broad negative class (``out_of_scope``: other administrations, insurance contracts, banking,
everyday tech, chit-chat), gives the probability that a message is off-topic. These thresholds
turn both into one of three moves. They are chosen on a validation split
(``python -m tools calibrate``) and written in ``config/thresholds.yml`` (section ``understanding``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.introduction import without_introduction
from bot.text import names_the_service, normalize

OUT_OF_SCOPE = "out_of_scope"
FIND_FRANCE_SERVICES = "find_france_services"
# Words of a request for human help (accents and case folded): with a place, it means « the nearest desks ».
# « une dame que j'aide », « je suis aide à domicile », « ma petite-fille m'a aidée » say who the person is or what was
# done, not that they ask for help (an aide à domicile got the desks of Lyon, where the lady's daughter lives, and a
# lady of 71 back from the hospital of Metz the desks of Metz, 6 December 2026)
# « qui peut voir mes comptes rendus » asks who has access, not who can help (« jai eu une operation du coeur a nancy…
# qui c est qui peut voir les compte rendu » got the desks of Nancy, a persona of 71, 7 December 2026)
_ACCESS_VERBS = (r"(?:voir|consulter|lire|acceder|avoir acces|regarder|deposer|ajouter|modifier|supprimer|effacer|"
                 r"fermer|cloturer|bloquer|masquer|savoir|connaitre|utiliser|ouvrir|gerer|recevoir|changer)\b")
_HELP_REQUEST = re.compile(
    r"\b((?<!\bj )(?<!\bje l )(?<!\bje les )(?:(?<!\ba )(?:aides?|aidees?)|aider|aidez)(?! a domicile| soignante?| "
    r"menagere| de vie)|"
    r"m ?aider|accompagn\w*|conseill\w*|quelqu ?un|une personne|france services?|permanence|"
    r"guichet|(?:un|1) (?:endroit|endroi|lieu) (?:pour|ou)|"
    r"ou (aller|trouver|m adresser|me renseigner)|qui peut(?! (?:[lsy] |les |en |me |le |la )?" + _ACCESS_VERBS + r")|"
    r"besoin d aide|depannage|demarches?)\b"
)
FALLBACK = "nlu_fallback"
EMERGENCY = "medical_emergency"
ANSWER_INTENT = "faq"
# In-domain intents whose sure prediction overrules the off-topic detector (``keep``): the bank's answers and
# the guides' starts (« comment créer mon compte » is the activation guide, whatever « compte » suggests).
FORGET_INTENT = "new_person"  # everything said before is forgotten (actions.ActionNewPerson)
KEPT_INTENTS = frozenset({ANSWER_INTENT, "activation_start", "child_activation_start"})
THRESHOLDS_FILE = Path("config") / "thresholds.yml"
# Where the classifier puts the off-topic detector's probability in the parse data (rasa_ext/nlu/linear_intent.py),
# read by the answer gate and the actions.
OFF_TOPIC_KEY = "off_topic"


@dataclass(frozen=True)
class Thresholds:
    """Minimum probability of the best label for each move."""

    answer: float = 0.3  # an answer of the bank
    intent: float = 0.3  # another intent (greetings, guide moves, France Services search…)
    decline: float = 0.5  # the off-topic detector's probability
    # an answer of the bank at least this likely is given even when the detector says off-topic
    # (« carte Vitale perdue : que faire ? » has its own answer); above 1: the detector always wins
    keep: float = 1.01
    # an answer less likely than this is sent with « see also » buttons: the other answers at least
    # ``see_also_share`` times as likely as it (bot/answers/respond.py)
    see_also_below: float = 0.0
    see_also_share: float = 1.0
    # in a conversation already about Mon espace santé, the detector's probability needed to decline a follow-up
    # (« c'est obligatoire de l'avoir ? » names nothing, the earlier turns do); above 1: as without context
    decline_in_conversation: float = 1.01
    # the classifier's own « medical emergency » class, below this, is « not sure » with the 15 / 112 line first
    # (« il a 3 ans et il apparaît pas » is not an emergency); bot.safety's words always give the emergency reply
    emergency: float = 0.0
    # below this, the emergency class is no sign of an emergency: the message is decided like any other (« et il fait
    # quel temps demain a Mulhouse ? » scored 0.17 for it and got the 15 / 112 line, a persona, 6 December 2026)
    emergency_possible: float = 0.0
    # in such a conversation, a follow-up whose best answer continues the previous answer (its task or its next
    # steps) at least this likely is answered whatever the detector says (« combien de temps ils sont gardés ? »
    # after « what happens to my data if I close »); above 1: never
    continue_answer: float = 1.01
    # such a follow-up whose best answer continues the previous answer but is less likely than ``continue_answer``,
    # at least this likely, gets the likeliest answers as buttons instead of a refusal; above 1: declined
    continue_suggest: float = 1.01
    # a sentence of a message that asks for another answer of the bank at least this likely is offered as a button
    # after the answer (bot/clauses.py); above 1: never
    other_question: float = 1.01
    # « Nouvel usager » forgets the whole conversation: below this, « not sure » rather than a reset
    forget: float = 0.0


def load_thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    """The ``understanding`` section of the thresholds file (defaults when a value is missing)."""
    content = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    section = content.get("understanding") or {}
    defaults = Thresholds()
    return Thresholds(
        answer=float(section.get("answer_min_confidence", defaults.answer)),
        intent=float(section.get("intent_min_confidence", defaults.intent)),
        decline=float(section.get("decline_min_confidence", defaults.decline)),
        keep=float(section.get("keep_answer_min_confidence", defaults.keep)),
        see_also_below=float(section.get("see_also_below_confidence", defaults.see_also_below)),
        see_also_share=float(section.get("see_also_min_share", defaults.see_also_share)),
        decline_in_conversation=float(
            section.get("decline_in_conversation_min_confidence", defaults.decline_in_conversation)
        ),
        emergency=float(section.get("emergency_min_confidence", defaults.emergency)),
        emergency_possible=float(section.get("emergency_possible_min_confidence", defaults.emergency_possible)),
        continue_answer=float(section.get("continue_answer_min_confidence", defaults.continue_answer)),
        continue_suggest=float(section.get("continue_suggest_min_confidence", defaults.continue_suggest)),
        other_question=float(section.get("other_question_min_confidence", defaults.other_question)),
        forget=float(section.get("forget_min_confidence", defaults.forget)),
    )


def decide(intent: str | None, confidence: float, thresholds: Thresholds, off_topic: float | None = None) -> str:
    """What to act on: ``out_of_scope`` when the detector says off-topic (unless the classifier is very sure
    of an answer of the bank), ``intent`` itself when the classifier is sure enough, else ``nlu_fallback``
    (« not sure »).

    Without a detector (``off_topic`` None) the classifier's own off-topic class decides. A medical emergency
    is never declined as off-topic: sure enough, it is the emergency; otherwise « not sure » (below
    ``emergency_possible``, it is decided like any other label)."""
    if intent == EMERGENCY:
        if confidence >= thresholds.emergency_possible:
            return EMERGENCY if confidence >= thresholds.emergency else FALLBACK
        intent = None  # too unsure to be a sign of one: decided like a message without a label
    kept = intent in KEPT_INTENTS and confidence >= thresholds.keep
    if off_topic is not None and off_topic >= thresholds.decline and not kept:
        return OUT_OF_SCOPE
    if not intent:
        return FALLBACK
    if intent == OUT_OF_SCOPE:
        return OUT_OF_SCOPE if off_topic is None and confidence >= thresholds.decline else FALLBACK
    limit = thresholds.answer if intent == ANSWER_INTENT else thresholds.intent
    if intent == FORGET_INTENT:
        limit = max(limit, thresholds.forget)
    return intent if confidence >= limit else FALLBACK


def might_be_an_emergency(ranking: list[dict], min_confidence: float = 0.0) -> bool:
    """Whether the classifier's best label was the medical emergency (``intent_ranking``, best first), at least
    ``min_confidence`` likely: a message left « not sure » by ``decide`` then gets the 15 / 112 line first."""
    return bool(ranking) and ranking[0].get("name") == EMERGENCY and ranking[0].get("confidence", 1.0) >= min_confidence


def follow_up_move(
    ranking: list[dict], off_topic: float | None, in_conversation: bool, thresholds: Thresholds, continues: bool = False
) -> str:
    """What to do with a message declined as off-topic: ``decline``, or, when the conversation is already about
    Mon espace santé and the detector is not sure enough for a follow-up, what the classifier alone says:
    ``answer`` (an answer of the bank, sure enough) or ``clarify`` (offer the likeliest answers).

    ``ranking`` is the classifier's intent ranking (``intent_ranking`` of the parse data, best first).
    ``continues``: the classifier's best answer continues the previous answer (same task or one of its next
    steps); at least ``continue_answer`` likely, it is given even when the detector is sure; at least
    ``continue_suggest`` likely, the likeliest answers are offered (« mon fils il est sur la carte de son père, on est
    séparés » after « my child does not show up » is about the child's profile, whatever « carte » suggests)."""
    best = ranking[0] if ranking else {}
    name, confidence = best.get("name"), float(best.get("confidence") or 0.0)
    if in_conversation and continues and name == ANSWER_INTENT:
        if confidence >= thresholds.continue_answer:
            return "answer"
        if confidence >= thresholds.continue_suggest:
            return "clarify"
    if not in_conversation or off_topic is None or off_topic >= thresholds.decline_in_conversation or not ranking:
        return "decline"
    if name == OUT_OF_SCOPE and confidence >= thresholds.decline:
        return "decline"
    return "answer" if name == ANSWER_INTENT and confidence >= thresholds.answer else "clarify"


# « et la cpam à Épinal, on peut aller là-bas aussi ? » asks for the caisse's own desk (the answer cpam_help), not for
# the nearest France Services (an 81-year-old got the same three desks again, persona session, 6 December 2026).
_CAISSE_DESK = re.compile(r"\b(?:la|ma|sa|votre|a la|l accueil de la) (?:cpam|caisse|secu|securite sociale)\b")


# « non je cherche pas un france services. je demande si mon cardiologue peut voir… » got the desks of Reims, after
# those of Charleville (a persona of 63, 7 December 2026): a France Services refused is no request for one
_REFUSES_A_DESK = re.compile(
    r"\b(?:(?:cherche|cherchais|veux|jveux|veut|voulais|demande|demandais|parle|parlais)\s+pas\b[^.?!]{0,20}"
    r"|pas besoin d(?:e|u|es)?\s+|arret\w*\s+avec\s+(?:les\s+|vos\s+|la\s+|votre\s+)?|sans\s+)"
    r"(?:(?:un|une|de|d|la|les|des)\s+)?(?:france services?|guichet)\b"
)


def refuses_a_desk(text: str | None) -> bool:
    """Whether ``text`` says no France Services is wanted (« je ne cherche pas de guichet à Paris »)."""
    return _REFUSES_A_DESK.search(normalize(text or "")) is not None


def is_help_request(text: str | None) -> bool:
    """True when the message asks for someone's help (« qui peut m'aider », « où aller », « un conseiller »); an
    advisor's introduction (« Bonjour, conseillère France Services. ») is no such request (bot/introduction.py), nor a
    question about the caisse's own desk that does not name France Services, nor a message that refuses a France
    Services (« je cherche pas un france services »)."""
    if not text or asks_for_the_caisse(text):
        return False
    plain = normalize(without_introduction(text) or text)
    return _HELP_REQUEST.search(plain) is not None and _REFUSES_A_DESK.search(plain) is None


def asks_for_the_caisse(text: str | None) -> bool:
    """Whether a message asks about the caisse's own desk (« et la cpam à Épinal ? ») and names no France Services."""
    plain = normalize(text or "")
    return _CAISSE_DESK.search(plain) is not None and "france service" not in plain


# « Mon fils habite à Metz, il pourrait le faire pour moi ? »: the town where someone else lives (a persona of 76 got
# the desks near Metz on Sunday, 6 December 2026)
_LIVES_ELSEWHERE = re.compile(
    r"\b(?:il|elle|ils|elles|fils|fille|filles|enfants?|mere|pere|parents?|soeur|frere|mari|femme|compagnon|compagne|"
    # « mon petit-fils [nom], qui est à Paris » (a persona of 88, 7 December 2026: the name redacted on the site)
    r"voisine?|petite? fils|petite? fille)(?:\s+nom)?\s+(?:qui\s+)?(?:habite\w*|vi[tv]|vivent|demeure\w*|reste\w*|"
    r"travaille\w*|"
    # « sa fille est à Lyon, elle peut l'aider à distance ? » (an advisor got the desks near Lyon, 7 December 2026)
    r"(?:est|sont) a(?! l | la | le | les | jour\b| cote\b))\b"
)
# The relative far away is the one who helps (« elle peut l'aider à distance »), not someone to find a desk for
_HELPS_FROM_AFAR = re.compile(r"\b(?:a distance|de loin|par (?:telephone|tel|visio))\b")
# A request for a desk itself (« où aller », « une France Services »), or for help for the one who lives there (« ma
# voisine habite Bruyères, qui peut l'aider ? », « il y a quelque chose pour elle ? »), not for the help that person
# could give (« pour m'aider », « derniere q pour elle : … donner accès à son espace à sa fille qui habite Nancy pour
# l'aider », an advisor, 7 December 2026)
_ASKS_FOR_A_DESK = re.compile(r"\b(?:france services?|guichet|permanence|ou (?:aller|trouver|m adresser)|"
                              r"(?:un|1) (?:endroit|endroi|lieu)|pres de chez moi|a cote de chez moi|"
                              r"(?:qui|quelqu un) (?:peut|pourrait|pourra|va|sait|saurait)\b[^.?!]{0,12}"
                              r"\b(?:l|les) (?:aider|accompagner)|"
                              r"(?:quelque chose|qqch|qqc|de l aide|aide|quelqu un) pour (?:elle|lui|eux|elles))\b")


def names_where_someone_else_lives(text: str | None) -> bool:
    """Whether a message says where someone else lives or works (« mon fils habite à Metz »): without a request for
    a desk, that place is no place to find a desk near."""
    return _LIVES_ELSEWHERE.search(normalize(text or "")) is not None


def names_only_someone_elses_town(text: str | None) -> bool:
    """Whether the place in a message is only where someone else lives (« ma fille habite Nancy… pour m'aider ? »):
    no desk is asked there, nor help for them (``asks_for_a_desk``)."""
    if not names_where_someone_else_lives(text):
        return False
    return not asks_for_a_desk(text) or _HELPS_FROM_AFAR.search(normalize(text or "")) is not None


# A place named as where care happens or happened (« le cardiologue de charleville », « le compte rendu de reims »,
# « opéré à Nancy »): a persona of 63 asking whether his new cardiologist could read his report got the desks of
# Charleville (7 December 2026)
_PLACE_OF_CARE = re.compile(
    r"\b(?:cardiologue|medecin|docteur|dr|hopital|chu|chr|clinique|labo|laboratoire|pharmacie|pharmacien|kine|"
    r"dentiste|gyneco(?:logue)?|sage femme|radiolog\w*|compte rendu|comptes rendus|cr|operation|operee?|"
    r"hospitalis\w*|urgences|maternite|specialiste|infirmiere?|cabinet|centre hospitalier)"
    r"\s+(?:de|du|d|a|au|sur)\s+(?!chez\b)\w"
)


# « je veux savoir si MOI je peux activer l'espace de ma mère depuis Lyon » (a daughter got the desks of Lyon, 7
# December 2026): the town a helper would act from, a name with its capital after « depuis »
_ACTS_FROM = re.compile(r"\bdepuis\s+(?:chez\s+(?:moi|nous)\s+(?:a|à)\s+)?[A-ZÀ-Ý]")


def names_no_place_of_ones_own(text: str | None) -> bool:
    """Whether the place in a message is not one to find a desk near: where someone else lives
    (``names_only_someone_elses_town``), where care happens, or where a helper would act from, unless the message
    asks for a desk (``asks_for_a_desk``)."""
    elsewhere = _PLACE_OF_CARE.search(normalize(text or "")) is not None or _ACTS_FROM.search(text or "") is not None
    return (elsewhere and not asks_for_a_desk(text)) or names_only_someone_elses_town(text)


def asks_for_a_desk(text: str | None) -> bool:
    """Whether a message asks for a place to go (« où aller », « une France Services près de chez moi ») or for help
    for someone else (« qui peut l'aider ? »), not for the help a relative could give (« ma fille habite Nancy, elle
    pourrait consulter mes papiers pour m'aider ? »)."""
    return _ASKS_FOR_A_DESK.search(normalize(text or "")) is not None


# The account of another service (« comment on supprime son compte doctolib ? », « et facebook, on supprime le compte
# définitivement comment ? »): closing it or its password is off-topic, however close « supprimer le compte » is to
# closing Mon espace santé (a persona got the steps to close Mon espace santé for Doctolib, and the late person's line
# for Facebook, 6 December 2026). Telephone operators are left out: « je suis chez Orange » can come with a Mon espace
# santé code that does not arrive.
_OTHER_SERVICE = re.compile(
    r"\b(?:doctolib|facebook|instagram|insta|whatsapp|messenger|snapchat|tiktok|twitter|linkedin|gmail|hotmail|"
    r"outlook|yahoo|amazon|leboncoin|vinted|netflix|paypal|caf|impots|ants|france travail|pole emploi)\b"
)
_ACCOUNT_CHANGE = re.compile(r"\b(?:supprim\w*|ferm\w*|effac\w*|desactiv\w*|resili\w*|clotur\w*|desinscri\w*|"
                             r"pirat\w*|hack\w*|mot de passe|mdp|annul\w*)\b")


# « il veut fermer son espace, il a lu sur facebook que… »: the other service is where something was read, the space is
# Mon espace santé (an advisor's in-scope question was declined, 7 December 2026)
_OUR_RECORD = re.compile(r"\b(?:espace|dossier (?:medical|sante|partage)|dmp)\b")


def about_another_services_account(text: str | None) -> bool:
    """Whether a message asks to close, delete or unlock the account of another service (Doctolib, Facebook, the
    CAF…) and does not name Mon espace santé: an off-topic question, even in a conversation about closing."""
    plain = normalize(text or "")
    return (_OTHER_SERVICE.search(plain) is not None and _ACCOUNT_CHANGE.search(plain) is not None
            and not names_the_service(text or "") and _OUR_RECORD.search(plain) is None)  # fmt: skip


SHARE_POSITION = "share_position"  # the page's « Utiliser ma position » button, or a typed request for it
_POSITION_WORDS = re.compile(r"\b(?:posi\w*|locali\w*|loc|geoloc\w*|gps|emplacement|ou je (?:suis|me trouve)"
                             r"|autour de moi)\b")


def typed_without_position(intent: str | None, text: str | None) -> bool:
    """Whether a typed message was taken for « use my position » without saying anything of a position: « donc je
    peux ou je peux pas » got « Je n'ai pas reçu votre position » (a persona of 83, 7 December 2026). The page's
    button sends ``/share_position{…}``, which is kept."""
    plain = normalize(text or "")
    return intent == SHARE_POSITION and bool(text) and not (text or "").startswith("/") \
        and _POSITION_WORDS.search(plain) is None
