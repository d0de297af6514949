"""Find the place in a whole sentence: "une France services près de Épinal", "j'habite au 88000"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.introduction import without_introduction
from bot.places.resolve import MAX_INPUT_LENGTH, Gazetteer, Resolution, normalize_place

_PUNCTUATION = " ,;:.!?\"'«»"  # stripped from a phrase before it is resolved

MAX_SENTENCE_LENGTH = 300
MAX_PHRASE_WORDS = 6
MAX_ANSWER_WORDS = 6  # a reply to "which commune?" longer than this is a sentence, not a name
# a longer reply to "which commune?" is read as a request: its weak cues (« à », « pour ») need a sizeable town
MAX_TRUSTED_REPLY_WORDS = 8
MAX_RUN_WORDS = 4  # the longest name looked for anywhere in a sentence, cue or not (« la seyne sur mer »)
# Many everyday words are also tiny communes ("Pas", "Fille", "Marche"): inside a sentence, a
# lower-case word only counts as a place when the commune is at least this big.
MIN_POPULATION_LOWERCASE = 10_000
# « ya une france services a remiremont » : right after « France services à », a lower-case name that ends the
# sentence is the desk's town, and a smaller one is enough. Not a name ending in « é » (« la france services a
# change » : the verb, not Changé).
MIN_POPULATION_AFTER_DESK = 2_000
# A typo of a town's name is trusted inside a help request only for a town this big (``trusted_in_request``).
MIN_POPULATION_TYPO = 20_000
_AFTER_DESK = re.compile(r"(?:france|fr)\s+services?\s+$")

_POSTCODE = re.compile(r"(?<!\d)(\d{5}|\d{2} \d{3})(?!\d)")
_ARRONDISSEMENT = re.compile(
    r"\b(paris|lyon|marseille)\s+(\d{1,2})\s*(?:e|er|ème|eme|ième|ieme|ère)?\b(?:\s+arrondissement)?", re.I
)
# Words after which a place usually comes. Strong cues announce a place for sure; after a weak
# one ("à", "en"), a lower-case word must be a sizeable town ("aide en ligne" is not Ligné).
_STRONG_CUES = (
    "pres de chez moi a", "a cote de", "a cote d'", "pres de", "pres d'", "proche de", "proche d'", "autour de",
    "autour d'", "aux alentours de", "du cote de", "du cote d'", "j'habite a", "j habite a", "j'habite",
    "j habite", "je vis a", "je suis a", "on est a", "habite a", "sur la commune de", "commune de", "commune d'",
    "ville de", "ville d'", "secteur de", "vers", "c'est a", "c est a", "pas loin de", "pas loin d'",
    "pas tres loin de", "pas tres loin d'", "non loin de", "non loin d'",
    # the same without the apostrophe, as typed on a phone: « pas loin d epinal »
    "a cote d", "pres d", "proche d", "autour d", "du cote d", "commune d", "ville d", "pas loin d",
    "pas tres loin d", "non loin d",
    # SMS spellings of « je suis à », « j'habite » (newcomers' session, 5 December 2026: « jsuis a dun sur meuse »)
    "jsuis a", "j suis a", "chui a", "chuis a", "jhabite a", "jhabite", "jvis a",
)
_WEAK_CUES = (
    "france services", "france service", "fr services", "fr service", "sur", "dans le", "dans la", "dans les",
    "dans", "a", "au", "aux", "en", "pour", "de la", "du", "des", "de", "d'",
    # « je peux conduire jusqu'à Verdun » (a persona session, 5 December 2026); weak: « jusqu'à quand »
    "jusqu'a", "jusqu a", "jusqua",
)  # fmt: skip
_CUES = tuple(sorted(_STRONG_CUES + _WEAK_CUES, key=len, reverse=True))
# Cues of nearness, which often lead to a landmark: after them an everyday word in lower case is the word (« c'est à
# côté de l'hôpital » got the desks of L'Hôpital, Moselle, for a persona in Charleville, 7 December 2026).
_NEAR_CUES = frozenset(cue for cue in _STRONG_CUES if cue.startswith(("a cote", "pres", "proche", "autour", "pas loin",
                                                                      "pas tres loin", "non loin", "aux alentours",
                                                                      "du cote")))  # fmt: skip
# Every cue, overlapping ones included: in « j'habite à côté de Remiremont », « j'habite à » and « à côté de ».
_CUE_AT = re.compile(r"(?<!\S)(?=(" + "|".join(re.escape(c) for c in _CUES) + r")(?:\s|(?<=['’])))", re.I)
_POLITENESS = re.compile(r"(?:\s+(?:svp|stp|s'il vous pla[iî]t|s'il te pla[iî]t|merci|please))+$", re.I)
_TRAILING_NOISE = re.compile(r"[\s?!.,;:]+$")
_HOSTILE = re.compile(
    r"[<>{}\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]|--|/\*|;\s*(?:drop|delete|insert|update)\b", re.I
)
_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’])([A-ZÀ-Ý][\w'’-]*(?:\s+(?:[A-ZÀ-Ý][\w'’-]*|sur|en|de|du|des|la|le|les|lès|et))*)"
)
# A number followed by a unit is a quantity, not a department: « ma mère a 85 ans », « à 10 km », « résumez-moi en 3
# lignes » (a father got the desks of the Allier, persona session of 7 December 2026), « mes 3 enfants », « 8 Mo ».
_QUANTITY = re.compile(
    r"\d+\s+(?:ans?|mois|jours?|semaines?|heures?|h|minutes?|min|euros?|€|%|fois|km|kilom[eè]tres?|lignes?|mots?|"
    r"phrases?|pages?|[ée]tapes?|points?|questions?|enfants?|gosses?|personnes?|usagers?|documents?|fichiers?|"
    r"photos?|mo|ko|go)(?![\w'’])",
    re.I,
)
# « 17 sur 10 », « 12/8 », « 2 sur 3 »: a measure or a score, whatever cue comes before or between.
_RATIO = re.compile(r"\d+(?:[,.]\d+)?\s*(?:sur|/)\s*\d+", re.I)
_RATIO_CUES = frozenset({"sur"})
_ENDS_WITH_NUMBER = re.compile(r"\d\s*$")
_NOT_PLACES = frozenset({"france", "france services", "france service", "services", "service", "maison", "mon",
                         "espace", "sante", "mon espace sante", "vitale", "carte vitale", "je", "bonjour"})  # fmt: skip
# Words that name a commune only with their article: « pas » alone is a negation, « Le Pas » the village.
_ONLY_WITH_ARTICLE = frozenset({"pas"})
# « je suis à la mairie » is not Magrie, « jusqu'à la poste » not Aoste, « à l'école » not École (5 December 2026):
# in lower case, these words are no commune even after a strong cue.
_PUBLIC_PLACES = frozenset({"mairie", "poste", "ville", "pharmacie", "banque", "ecole", "maison", "boulangerie",
                            "cpam", "caf", "clinique", "campagne", "plage", "mediatheque", "bibliotheque", "maternite"})
# Everyday words that are also the name of a commune (or of a former one): typed in lower case after a weak cue
# (« elle a la garde des enfants », « en avion », « l'ordinateur du salon », « pour lire »), they are the word; after
# a strong cue (« j'habite à La Garde ») or with a capital, the place. Found by running the finder over the training
# sentences that name no place (5 December 2026).
_EVERYDAY_WORDS = frozenset({"garde", "avion", "salon", "lire", "gare", "plaque", "union", "reunion", "lune", "pomme",
                             "voiture", "lien", "plan", "agence", "agenda", "courrier", "demain", "etranger",
                             "personne", "pres", "hopital", "avant", "bonne"}) | _PUBLIC_PLACES  # « Bonne journée »
# Grammatical words that are also a commune's name (« Son », Ardennes; « Eu », Seine-Maritime): with the capital that
# only starts a sentence, the word (« Son courrier avec le code provisoire a expiré » got an advisor the desks of the
# Ardennes, 7 December 2026). After a cue, or inside a sentence with its capital, still the place.
_FUNCTION_WORDS = frozenset({"son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes", "notre", "votre", "leur",
                             "leurs", "ce", "cette", "ces", "tout", "tous", "toute", "toutes", "on", "eu", "ou", "vers",
                             "quand", "lors", "plus", "si", "bien", "tant", "meme", "puis", "sans", "sous", "entre"})
_SENTENCE_OPENERS = _EVERYDAY_WORDS | _FUNCTION_WORDS
# A name of three words or more joined like a commune's (« dun sur meuse », « pont a mousson ») is no everyday phrase:
# after a weak cue it names the commune whatever its size.
_COMPOUND_NAME = re.compile(r"^\w[\w'-]*\s+(?:sur|sous|les|lès|en|a|à|aux|le|la)\s+\w[\w'-]*$|^\w+(?:-\w+){2,}$")
# A capitalised name right after one of these is a person's: « le docteur Mathieu m'a dit… » is not Mathieu (14), a
# persona's question on 5 December 2026 got the desks of Caen.
_PERSON_TITLES = frozenset({"docteur", "docteure", "dr", "doc", "professeur", "pr", "madame", "mme", "monsieur", "mr",
                            "mademoiselle", "mlle", "infirmier", "infirmiere", "maitre", "me", "dentiste", "kine",
                            "pharmacien", "pharmacienne", "sage-femme", "pediatre", "generaliste"})
# Departments named by an everyday word: alone, with a capital but no cue before, they are the word (« LE 3422 CA
# COUTE CHER ? » got the desks of Bourges, a persona session, 5 December 2026); « dans le Cher » still names it.
_EVERYDAY_DEPARTMENTS = frozenset({"cher", "lot", "manche", "somme", "creuse", "vienne", "orne", "nord"})
# A negation right before or after a cue says where the person is not: « j'habite pas Nancy, c'est mon fils »,
# « je ne suis plus à Nancy ».
_NEGATIONS = frozenset({"pas", "plus", "jamais", "point", "ni"})


@dataclass(frozen=True)
class Found:
    """A place found in a sentence, with the words that named it."""

    phrase: str
    resolution: Resolution


def find_place(gazetteer: Gazetteer, sentence: str, answer: bool = False) -> Found | None:
    """Return the place named in ``sentence`` (found or ambiguous), else None.

    ``answer=True`` when the sentence replies to "which commune?": the whole text counts, typos
    included, and every cue is trusted. Otherwise (a request such as "une France services près
    d'Épinal"), only a postcode, an arrondissement, the words after a cue ("près de", "j'habite")
    or a capitalised name count, so that everyday words are not taken for villages. A commune
    beats the department named with it ("Neufchâteau dans les Vosges").
    """
    if not isinstance(sentence, str) or not sentence.strip() or len(sentence) > MAX_SENTENCE_LENGTH:
        return None
    if _HOSTILE.search(sentence):
        return None
    if not answer:  # « je suis conseillère France Services à Rambervillers » says where the advisor is
        sentence = without_introduction(sentence)
        if not sentence.strip():
            return None
    text = _TRAILING_NOISE.sub("", " ".join(sentence.split()))
    text = _TRAILING_NOISE.sub("", _POLITENESS.sub("", text))
    short_answer = answer and len(text.split()) <= MAX_ANSWER_WORDS
    # a reply that is a whole sentence trusts its weak cues no more than a request does: « je demande pour le bus
    # itinérant » is not Bus (Pas-de-Calais), « je peux écrire à la place ? » not Placé (Mayenne) (a persona, 7
    # December 2026); « saint dizier je vous l'ai déjà dit » still names Saint-Dizier
    answer = answer and len(text.split()) <= MAX_TRUSTED_REPLY_WORDS
    if short_answer:
        found = _try(gazetteer, text, fuzzy=False)
        if found:
            return found
    for match in _POSTCODE.finditer(text):
        found = _try(gazetteer, match.group(1).replace(" ", ""), fuzzy=False)
        if found:
            return found
    arrondissement = _ARRONDISSEMENT.search(text)
    if arrondissement:
        found = _try(gazetteer, arrondissement.group(0), fuzzy=False)
        if found:
            return found
    department: Found | None = None
    for phrase, min_population, before in _candidates(text, answer):
        # A longer phrase that begins a name ("st die") beats a shorter exact one ("st": Le Saint).
        found = _try(gazetteer, phrase, fuzzy=False, min_population=min_population, prefix=True)
        if not found or _article_dropped(found, before):
            continue
        if found.resolution.kind != "department":
            return _narrowed_by_department(found, text)
        commune = _commune_in_department(gazetteer, before, found) or _named_elsewhere_in(gazetteer, text, found)
        if commune:
            return commune
        department = department or found
    if department:
        return department
    for phrase in _word_runs(text):
        # « aide charleville mezieres pour le numerique »: a town's whole name of two words or more (not counting
        # an article: « le sens » is not Sens), typed in lower case with no cue before it; a sizeable town only
        if " " not in normalize_place(phrase) or not gazetteer.may_be_exact_name(phrase.strip(_PUNCTUATION)):
            continue
        found = _try(gazetteer, phrase, fuzzy=False, min_population=MIN_POPULATION_LOWERCASE)
        if found and found.resolution.kind == "commune":
            return found
    if short_answer:
        found = _try(gazetteer, text, fuzzy=True)
        if found:
            return found
    for phrase, min_population, _ in _candidates(text, answer, fuzzy_only=True):
        found = _try(gazetteer, phrase, fuzzy=True, min_population=min_population)
        if found:
            return found
    return None


def trusted_in_request(found: Found | None) -> bool:
    """Whether a place found inside a help request may lead to the nearest desks: any place but a typo, and a typo
    only for a single town of at least ``MIN_POPULATION_TYPO`` people (« ya un endroi pour maider a roubais? » got the
    3422, a persona who writes as he speaks, 6 December 2026; « aide en ligne » is still not Ligné)."""
    if found is None or not found.resolution.places:
        return False
    if found.resolution.kind != "fuzzy":
        return True
    places = found.resolution.places
    return len(places) == 1 and places[0].population >= MIN_POPULATION_TYPO


def _candidates(text: str, answer: bool, fuzzy_only: bool = False) -> Iterator[tuple[str, int, str]]:
    """(phrase, smallest town a lower-case phrase may name (0: any), text before it) to try: words after each cue,
    longest first, then capitalised names.

    With ``fuzzy_only``, only the full remainder after each cue (at most 3 words) is given.
    """
    folded = _fold(text)
    cues = [(m.start(), m.start() + len(m.group(1)), m.group(1).lower()) for m in _CUE_AT.finditer(folded)]
    for start, end, cue in cues:
        rest = text[end:].lstrip()
        rest_at = len(text) - len(rest)
        if cue in _STRONG_CUES and any(start < other <= rest_at and other_end > end and other_cue in _STRONG_CUES
                                       for other, other_end, other_cue in cues):  # fmt: skip
            # another strong cue overlaps it or follows at once, and goes further: « j'habite à » then « à côté de
            # Remiremont » (not the village La Côte)
            continue
        word_after, word_before = (folded[rest_at:].split() or [""])[0], (folded[:start].split() or [""])[-1]
        if word_after in _NEGATIONS or word_before in _NEGATIONS:
            continue
        weak = not answer and cue in _WEAK_CUES
        after_desk = weak and cue == "a" and _AFTER_DESK.search(folded[:start]) is not None
        between_numbers = cue in _RATIO_CUES and _ENDS_WITH_NUMBER.search(text[:start]) is not None
        if _QUANTITY.match(rest) or _RATIO.match(rest) or between_numbers:
            continue  # « ma tension est de 17 sur 10 »: a measure, neither the department 17 nor the 10
        every_word = rest.split()
        words = every_word[:MAX_PHRASE_WORDS]
        before = text[:start]
        if fuzzy_only:
            if 0 < len(words) <= 3:
                yield " ".join(words), MIN_POPULATION_LOWERCASE if weak else 0, before
            continue
        for size in range(len(words), 0, -1):
            ends_sentence = size == len(every_word)
            smallest = MIN_POPULATION_AFTER_DESK if after_desk and ends_sentence else MIN_POPULATION_LOWERCASE
            phrase = " ".join(words[:size])
            if phrase[:1].islower() and normalize_place(phrase.strip(_PUNCTUATION)) in _PUBLIC_PLACES:
                continue
            if (cue in _WEAK_CUES or cue in _NEAR_CUES) and _is_everyday_word(phrase):
                continue  # even in a reply to « which commune? »: « y a-t-il une France services près de chez moi »
            if _cut_short(phrase):
                continue  # « à Chaumont, en Haute-Marne »: not the beginning of Chaumont-en-Vexin (a persona)
            compound = size >= 3 and _COMPOUND_NAME.search(phrase) is not None  # « dun sur meuse »: a name, any size
            yield phrase, smallest if weak and not compound else 0, before
    if fuzzy_only:
        return
    for run in _CAPITALISED_RUN.finditer(text):
        if (folded[: run.start()].split() or [""])[-1].strip(".") in _PERSON_TITLES:
            continue  # « le docteur Mathieu », « Dr. Nancy »: a person
        words = run.group(1).split()
        for start in range(len(words)):  # "France Services Nancy" -> "Services Nancy" -> "Nancy"
            phrase = " ".join(words[start:])
            if len(phrase) == 1:  # « Y a-t-il quelqu'un pour m'aider ? »: the pronoun, not Y (Somme)
                continue
            if normalize_place(phrase) in _EVERYDAY_DEPARTMENTS:
                continue
            if start == 0 and _starts_sentence(text, run.start()) and normalize_place(phrase) in _SENTENCE_OPENERS:
                continue  # « L'hôpital lui a dit… »: a capital that only starts the sentence, not L'Hôpital (57)
            yield phrase, MIN_POPULATION_LOWERCASE, text[: run.start()]


# Words that link a name to what follows (« Chaumont en Haute-Marne »): a phrase that ends with one, or that holds a
# comma, is no beginning of a longer name.
_LINKING_WORDS = frozenset({"en", "sur", "sous", "de", "du", "des", "la", "le", "les", "l", "d", "au", "aux", "a",
                            "et", "dans", "pres", "vers"})


def _cut_short(phrase: str) -> bool:
    """Whether ``phrase`` (several words) holds a comma or ends with a linking word (« Chaumont, en »)."""
    words = _fold(phrase.strip(_PUNCTUATION)).split()
    return len(words) > 1 and ("," in phrase.strip(_PUNCTUATION) or words[-1] in _LINKING_WORDS)


def _narrowed_by_department(found: Found, text: str) -> Found:
    """An ambiguous commune whose department the message names too (« Saint-Denis, Seine-Saint-Denis », « Chaumont
    en Haute-Marne »): that commune alone; otherwise ``found`` as it is."""
    if found.resolution.status != "ambiguous":
        return found
    folded = " " + normalize_place(text) + " "
    named = [place for place in found.resolution.places
             if f" {normalize_place(place.dep_name)} " in folded.replace(f" {normalize_place(found.phrase)} ", " ", 1)]
    if len({place.dep_code for place in named}) != 1:
        return found
    return Found(found.phrase, Resolution("found", named[:1], [], found.resolution.kind))


# « au Havre », « du Mans »: a cue that holds the commune's article
_ARTICLE_CUE = re.compile(r"(?:^|\s)(?:au|aux|du|des)\s*$", re.I)
_WITH_ARTICLE = re.compile(r"^(?:le|la|les|l)\b", re.I)


def _article_dropped(found: Found, before: str) -> bool:
    """Whether one word named, without its article, a commune whose name starts with one (« celui de Pierre » is
    not La Pierre: a wife who named her husband got the desks of Isère twice, 7 December 2026); « au Havre » keeps
    the article in its cue."""
    phrase = found.phrase.strip(_PUNCTUATION)
    if len(phrase.split()) > 1 or _WITH_ARTICLE.match(_fold(phrase)) or _ARTICLE_CUE.search(_fold(before)):
        return False
    places = found.resolution.places  # the most populous first: « celle » is La Celle (83) before Cellé (41)
    return (bool(places) and found.resolution.kind in ("commune", "former")
            and _WITH_ARTICLE.match(_fold(places[0].name)) is not None and " " in places[0].name.replace("'", " "))


def _word_runs(text: str) -> Iterator[str]:
    """Every run of 2 to MAX_RUN_WORDS words of ``text``, longest first."""
    words = re.findall(r"[\w'’-]+", text)
    for size in range(min(MAX_RUN_WORDS, len(words)), 1, -1):
        for start in range(len(words) - size + 1):
            yield " ".join(words[start : start + size])


def _commune_in_department(gazetteer: Gazetteer, before: str, department: Found) -> Found | None:
    """ "Sainte-Anne en Guadeloupe": the words before the department, as a commune of that department."""
    dep_codes = dict.fromkeys(p.dep_code for p in department.resolution.places)
    if department.resolution.status == "found":
        dep_codes = dict.fromkeys(list(dep_codes)[:1])  # a department's places all share its code
    words = _TRAILING_NOISE.sub("", before).split()[-MAX_PHRASE_WORDS:]
    return _in_department(gazetteer, (" ".join(words[start:]) for start in range(len(words))), dep_codes)


def _named_elsewhere_in(gazetteer: Gazetteer, text: str, department: Found) -> Found | None:
    """ « ya quelqun a neufchateau pour maider? jhabite a coté dans les vosges »: a commune of the department named,
    after a cue anywhere in the message, whatever its size (a small town in lower case is otherwise no place: the
    desks of Épinal, 70 km away, for a persona of 82, 7 December 2026)."""
    if department.resolution.status != "found":
        return None
    phrases = (phrase for phrase, _, _ in _candidates(text, answer=False))
    return _in_department(gazetteer, phrases, [department.resolution.places[0].dep_code])


def _in_department(gazetteer: Gazetteer, phrases: Iterable[str], dep_codes: Iterable[str]) -> Found | None:
    """The first of ``phrases`` that names a commune of one of ``dep_codes`` exactly."""
    codes = list(dep_codes)
    for phrase in phrases:
        phrase = phrase.strip(" ,;:" + _PUNCTUATION)
        for dep_code in codes if phrase else ():
            resolution = gazetteer.resolve(phrase, dep_code=dep_code, fuzzy=False)
            if resolution.status == "found" and resolution.kind != "department":
                return Found(phrase, resolution)
    return None


def _shouted(phrase: str) -> bool:
    """A phrase typed all in capitals (« MERE », « TENSION »): its capitals say nothing about a name."""
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _fold(text: str) -> str:
    """Lower-case and strip accents character by character, keeping every index in place."""
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text.lower())


def _starts_sentence(text: str, at: int) -> bool:
    return text[:at].rstrip()[-1:] in ("", ".", "!", "?", ":", ";")


def _is_everyday_word(phrase: str) -> bool:
    return phrase[:1].islower() and normalize_place(phrase.strip(_PUNCTUATION)) in _EVERYDAY_WORDS


def _try(
    gazetteer: Gazetteer, phrase: str, fuzzy: bool, min_population: int = 0, prefix: bool = False
) -> Found | None:
    """The place ``phrase`` names; typed in lower case, a commune smaller than ``min_population`` is no place."""
    phrase = phrase.strip(_PUNCTUATION)
    if (not phrase or len(phrase) > MAX_INPUT_LENGTH or normalize_place(phrase) in _NOT_PLACES
            or _fold(phrase).strip() in _ONLY_WITH_ARTICLE):  # fmt: skip
        return None
    if (min_population or fuzzy) and _is_everyday_word(phrase):
        return None
    resolution = gazetteer.resolve(phrase, fuzzy=fuzzy, prefix=prefix)
    if resolution.status not in ("found", "ambiguous"):
        return None
    lower = phrase[:1].islower() or _shouted(phrase)  # « c est ma MERE »: a word in capitals, not Méré (77, 78)
    if min_population and resolution.kind in ("commune", "former", "prefix", "fuzzy") and lower:
        biggest = max(p.population for p in resolution.places)
        if biggest < min_population or (resolution.kind == "fuzzy" and len(phrase) < 6):
            return None
        if min_population < MIN_POPULATION_LOWERCASE and biggest < MIN_POPULATION_LOWERCASE and any(
            p.name.endswith("é") for p in resolution.places
        ):
            return None
    return Found(phrase, resolution)
