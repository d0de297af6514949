"""Medical-emergency detection, a safety net beside the NLU model.

Whatever the classifier says, a message with these words gets the 15 / 112
first. The words describe a person in danger; questions about the emergency
*feature* of Mon espace santé ("accès en cas d'urgence", "SAMU") do not match.
"""

from __future__ import annotations

import re

from bot.text import normalize

_EMERGENCY_PATTERNS = [
    r"\b(douleur|mal|serre|serrement|oppression)\w* (a|au|dans|de) (la |le )?(poitrine|thorax|coeur)",
    r"\bdouleur\w* thoracique",
    r"\b(crise cardiaque|infarctus|arret cardiaque)",
    r"\b(peu[xt]|arrive|arrivons) (plus|pas|pa|pu) (a )?respirer",
    r"\b(respire|respirer) (plus|pas|pu|mal|difficilement)",
    # « il a du mal à respirer » after a thank-you got « Avec plaisir » (a persona, 6 December 2026)
    r"\b(du mal|mal|difficulte\w*|peine) (a|pour) respirer",
    r"\b(etouffe|s etouffe|m etouffe|suffoque)",
    r"\b(inconscient|inconsciente|evanoui|evanouie|perdu connaissance|ne repond plus|reagit plus)",
    # « AVC », but not « avc » typed for « avec » (« jpeu tout faire avc l appli » got the 15): the noun after « un »,
    # « d' », « son »…, or « avc » not followed by an article or a pronoun
    r"\b(?:un|d|l|son|mon|ma|sa|du|de|cas d|signes? d)\s+avc\b",
    r"\bavc\b(?!\s+(?:l|le|la|les|mon|ma|mes|ton|ta|tes|son|sa|ses|un|une|des|moi|toi|lui|elle|eux|nous|vous)\b)",
    r"\b(visage|bouche) (paralyse|de travers|deforme|tombe)",
    r"\bbras (paralyse|ne bouge plus|lourd|engourdi)",
    r"\b(n arrive plus a parler|parle (bizarrement|mal d un coup)|plus parler d un coup)",
    r"\b(saigne|saignement|hemorragie)\w*( beaucoup| abondant| enorme| ne s arrete pas)",
    # bleeding while pregnant, even asked « si » (« si j'ai des saignements la nuit, j'écris à ma sage-femme ? »):
    # the answer is the 15 or the maternity ward, never the messaging
    r"\b(saigne|saignement|perte\w* de sang)\w*\b.*\b(enceinte|grossesse|sage femme|maternite)",
    r"\b(enceinte|grossesse)\b.*\b(saigne|saignement|perte\w* de sang)",
    r"\b(suicid|me tuer|me suicider|en finir avec la vie|envie de mourir|mettre fin a mes jours)",
    r"\b(overdose|surdose|intoxication|intoxique|empoisonn)",
    r"\b(convulsion|convulse|crise d epilepsie)",
]
_EMERGENCY = re.compile("|".join(f"(?:{p})" for p in _EMERGENCY_PATTERNS))
# « Et si j'arrive aux urgences inconsciente, ils voient le document masqué ? » imagines the danger to ask what the
# record shows (newcomers' session, 5 December 2026: it got the 15). A danger the person imagines for themselves
# (« si je », « et si j' », « en cas de », « au cas où »… before it, in the same clause) in a question about who sees
# the record is that question. Anything else stays an emergency: a danger described (« ma femme est inconsciente,
# si j'appelle le 15 ils voient son dossier ? »), a doubt (« je ne sais pas si je fais un AVC »), someone else
# (« s'il perd connaissance »), or a danger no single clause holds.
_IMAGINED = re.compile(
    r"(?<!sais pas )(?<!sait pas )(?<!savoir )(?<!demande )"
    r"\b(?:si (?:je|j)|si jamais|en cas d\w*|au cas ou|(?:imaginons que|supposons que|le jour ou) (?:je|j))\b"
)
# Someone else's danger is imagined too when the question asks what will be seen (« si ce médecin est de garde et
# qu'il arrive inconscient, le médecin pourra voir son dossier malgré le blocage ? », an advisor, 7 December 2026,
# got the 15); « s'il est inconscient, le SAMU voit son dossier ? » (present tense) may be happening now: an emergency.
_IMAGINED_OTHER = re.compile(r"\b(?:si|s) (?:il|elle|ils|elles|on|ce|cet|cette|mon|ma|mes|son|sa|ses|un|une|le|la|"
                             r"les)\b")
_WILL_SEE = re.compile(r"\b(?:pourra|pourront|pourrait|pourraient|verra|verront|verrait|verraient|aura|auront|"
                       r"aurait|auraient)\b")
_CLAUSE = re.compile(r"[.?!,;:]")
_SEEING = r"\b(?:voi[st]|voient|verr\w*|voir|acces|acceder|accede\w*|consult\w*|lire|lisent)\b"
_RECORD = r"\b(?:dossier|documents?|espace|profil|masque\w*|donnees|informations|directives)\b"
_WHO_SEES_THE_RECORD = re.compile(rf"^(?=.*{_SEEING})(?=.*{_RECORD})")  # both, in either order
# A nurse's questions on her patients' consent, or on the emergency access itself (« bris de glace »), or a message
# that says it is no emergency: « Et si le patient est inconscient, aux urgences ? », « Non, ce n'est pas une urgence,
# je parle du mode d'accès bris de glace pour un patient inconscient » got the 15 three times (a persona, 7 December
# 2026). Only in a question about the record or the consent to open it.
_NO_DANGER_HERE = re.compile(r"\b(?:bris de glace|(?:c est|ce n est|c etait|ce n etait) pas une urgence(?! vitale)|"
                             r"(?:un|le|les|des|mes|nos|ses|leurs?) patients?)\b")
_ABOUT_ACCESS = re.compile(rf"{_RECORD}|\b(?:consentement|accord|acces)\b")


def is_medical_emergency(text: str | None) -> bool:
    """True when the message describes a person in immediate danger (not one the person imagines for themselves to
    ask who sees the record)."""
    if not text:
        return False
    folded = normalize(text)
    if _EMERGENCY.search(folded) is None:
        return False
    if _NO_DANGER_HERE.search(folded) and _ABOUT_ACCESS.search(folded):
        return False
    if _WHO_SEES_THE_RECORD.search(folded) is None:
        return True
    dangers = [(clause, found) for clause in map(normalize, _CLAUSE.split(text))
               if (found := _EMERGENCY.search(clause)) is not None]  # fmt: skip
    imagined = [_IMAGINED] + ([_IMAGINED_OTHER] if _WILL_SEE.search(folded) else [])
    return not dangers or any(
        all(marker.search(clause[: found.end()]) is None for marker in imagined) for clause, found in dangers
    )
