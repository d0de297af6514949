"""An advisor's introduction of themselves is not their question.

France Services advisors often start with who and where they are: « Bonjour, je suis conseillère France Services à
Rambervillers. J'accompagne une dame qui… », « M. Rousseau, conseiller France Services (54). J'ai une usagère… ».
In a newcomers' session (5 December 2026) both got the list of the nearest France Services, the first twice
(« la garde » then read as the town La Garde): the words « France Services » and a place made it a search for desks.
``without_introduction`` removes the introduction, so that the classifier ranks the question and the place
finder does not take the advisor's own town for the person's. A citizen looking for an advisor (« je cherche un
conseiller France Services à Épinal ») introduces no one: it is kept whole.
"""

from __future__ import annotations

import re

from bot.text import fold_accents

# Who speaks: « je suis », « ici », « moi c'est », « en tant que », « nous sommes (déjà) », or a name then a comma
# (« M. Rousseau, », « Mme Benali », comma or not).
_SPEAKER = r"(?:(?:je suis|ici|moi c'est|moi c est|en tant que|nous sommes|on est)(?:\s+deja)?|je travaille)\s+"
# On the site the name is already redacted (bot/privacy): « M. [nom], »; « Mme [nom] France Services » too (until
# 5 December 2026 the name detector took the role word with the name).
_NAMED = r"(?:m|mme|mr|madame|monsieur)\.?\s+(?:\[nom\]|[a-z'-]+)\s*,?\s*"
_ROLE = (r"(?:(?:un|une|le|la|l')\s*)?(?:conseill\w*|agent\w*|animat\w*|accompagnat\w*|mediat\w*|referent\w*)"
         r"(?:\s+(?:numeriques?|d'accueil|d accueil|sociale?s?))?\s+")  # fmt: skip
_DESK = (r"(?:(?:a|de|d'|chez|dans|en|pour|au sein de)\s*)?(?:la\s+|une\s+|l')?(?:maison\s+)?"
         r"(?:france[ -]?services?|msap|fs)\b")  # fmt: skip
# « bjr, conseillère France Services Bar-le-Duc. » (an advisor, 7 December 2026)
_GREETING = r"(?:(?:bonjour|bonsoir|salut|hello|bjr|bsr|slt|coucou)\s*[,!.]?\s*)?"
# Where the advisor works, after the desk: « à Rambervillers », « (54) », « de Bar-le-Duc », up to the end of the
# sentence or the start of what they ask (« et », « j'… », « nous », « on », « une dame »…).
_TAIL = r"[^.?!;:,\n]*?(?=[.?!;:,\n]|\s(?:et|j'|j|je|nous|on|avec|qui|pour|une|un|mon|ma|mes|l'usager|l usager)\s|$)"
# A first name before the desk or the role: « Bonjour, Sophie, France Services Bar-le-Duc. Usager 45a, … », « Bonjour,
# Laure de France Services Charleville. », « Bonjour, Samia, conseillère France Services Sedan. » (three advisors, 7
# December 2026).
_FIRST_NAME = r"(?:(?:\[nom\]|[a-z][a-z'-]{1,20})(?:\s*,\s*|\s+(?=de\s|d')))?"
_INTRODUCTION = re.compile(
    rf"(?:\b{_SPEAKER}(?:{_ROLE})?|(?<![\w'])(?:{_NAMED})(?:{_ROLE})?){_DESK}{_TAIL}[.!;:,]*"
    # a heading at the start (« Bonjour, conseillère France Services à Bar-le-Duc : … ») when a request follows;
    # alone, « conseiller france services epinal » is a citizen looking for one
    rf"|^\s*{_GREETING}(?:{_NAMED}|{_FIRST_NAME}){_ROLE}{_DESK}{_TAIL}[.!;:,]+(?=\s*\w)"
)
# Only the desk as a heading (« Bonjour, France Services Charleville. J'ai devant moi un monsieur… »): an introduction
# when a full stop or a colon ends it and the rest asks nothing about a desk (« France Services Épinal : horaires ? »).
_DESK_HEADING = re.compile(rf"^\s*{_GREETING}{_FIRST_NAME}{_DESK}{_TAIL}[.!:]+(?=\s*\w)")
_ABOUT_A_DESK = re.compile(
    r"\b(?:ou|adresses?|horaires?|ouverte?s? (?:le|ce|aujourd)|ouvre|proches?|pres|trouver|loin|telephone|joindre"
    r"|(?:lun|mar|mercre|jeu|vendre|same)di|dimanche|aide[rsz]?|rdv|rendez)\b"
)
_LEFT_OVER = re.compile(r"^[\s,.;:!-]+|[\s,;:-]+$")


def without_introduction(text: str) -> str:
    """``text`` without the advisor's introduction (and what is left of its punctuation): ``text`` itself when it
    introduces no one, an empty string when it is nothing else."""
    if not isinstance(text, str):
        return ""
    folded = fold_accents(text.replace("’", "'"))
    match = _INTRODUCTION.search(folded)
    if match is None:
        match = _DESK_HEADING.search(folded)
        if match is None or _ABOUT_A_DESK.search(folded[match.end() :]):
            return text
    written = text if len(folded) == len(text) else folded  # cut the text as written when folding kept its length
    rest = f"{written[: match.start()].rstrip()} {written[match.end() :].lstrip()}"
    rest = _LEFT_OVER.sub("", re.sub(r"\s+([,.;:])", r"\1", rest)).strip()
    rest = re.sub(r"^(\w+)\s*,\s*[.;:]\s*", r"\1, ", rest)  # « Bonjour, . J'accompagne » → « Bonjour, J'accompagne »
    return rest if re.search(r"\w", rest) else ""


# An advisor moving on to the next person without « Nouvel usager »: « usagère suivante : … », « 3e usager : … », « dame
# suivante, elle … » (two advisors' sessions mixed their users' sheets and situations, 6 December 2026).
# « Merci. Là c'est un monsieur, il a masqué… » too: a person brought in with « un » or « une » is someone new (a
# third advisor's session, 6 December 2026); the same person is « la dame », « il ».
_PERSON = r"(?:usag\w*|personne|dame|monsieur|jeune|homme|femme|mamie|papi|papa|maman|couple|etudiante?)"
_NEXT_PERSON = re.compile(
    r"^\s*(?:(?:bon|ok|alors|merci|et)\W+)*(?:(?:\d+\s*(?:e|eme|ieme)|deuxieme|troisieme|quatrieme|cinquieme|autre|"
    rf"nouvel(?:le)?|prochaine?)\s+{_PERSON}|(?:l |la |le )?{_PERSON}\s+suivante?|"
    r"(?:(?:la|maintenant|ensuite|apres)\s+)?(?:c\W?est|j\W?ai|voici|il y a)\s+(?:maintenant\s+)?"
    rf"(?:un|une)\s+(?:autre\s+|nouvel(?:le)?\s+|nouveau\s+)?{_PERSON}|"
    # « Je passe à une nouvelle personne, une jeune femme… », « on passe au monsieur suivant » (a fifth advisor)
    rf"(?:je|on)\s+passe\s+(?:a|au|aux)\s+(?:(?:un|une|la|le)\s+|l'\s*)?(?:autre\s+|nouvel(?:le)?\s+|nouveau\s+)?"
    rf"{_PERSON}|"
    # « Suivante : une dame… », « Au suivant : jeune papa… » (a fourth advisor's session, 6 December 2026)
    r"(?:au\s+)?suivante?\s*[:,;.!-]|"
    # « usager 2 : monsieur… », « usagère n°3 - … »: numbered notes (an advisor's session, 7 December 2026: the sheet
    # printed for the fifth person held the questions of the second, third and fourth)
    r"usag\w*\s*(?:n\W{0,2}\s*|no\s*|numero\s*)?\d+\s*[:,;.!-])"
    r"(?:\b|(?<=[:,;.!-]))\s*[:,.;!-]*"
)


_SENTENCE_END = re.compile(r"[.!?;\n]+\s*")


def opens_with_next_person(text: str) -> bool:
    """Whether an advisor's message opens by moving on to the next person (« usagère suivante : elle a perdu son
    code ») and goes on with a request."""
    if not isinstance(text, str):
        return False
    folded = _folded(text)
    # at the start of the message or of one of its sentences (« merci c'est bon pour lui. personne suivante : une
    # maman… »: the previous person's sheet went on to the mother's, a persona session, 6 December 2026)
    starts = (0, *(m.end() for m in _SENTENCE_END.finditer(folded)))
    return any((words := _words_after_next_person(folded, start)) is not None and words >= 2 for start in starts)


def ends_with_next_person(text: str) -> bool:
    """Whether an advisor's message of several sentences ends by moving on to the next person, with nothing after
    (« … c'est contradictoire, et y a rien sur le mari décédé. Je passe à l'usager suivant »: an advisor got the
    previous person's answer again, 7 December 2026)."""
    if not isinstance(text, str):
        return False
    folded = _folded(text)
    starts = [m.end() for m in _SENTENCE_END.finditer(folded) if m.end() < len(folded)]
    words = _words_after_next_person(folded, starts[-1]) if starts else None
    return words is not None and words < 2


def _folded(text: str) -> str:
    return fold_accents(text.replace("’", "'")).lower()


def _words_after_next_person(folded: str, start: int) -> int | None:
    """How many words follow a move to the next person that opens ``folded`` at ``start``; None without one."""
    match = _NEXT_PERSON.match(folded[start:])
    return None if match is None else len(re.findall(r"\w+", folded[start + match.end() :]))
