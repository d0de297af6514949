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
    r"\b(etouffe|s etouffe|m etouffe|suffoque)",
    r"\b(inconscient|inconsciente|evanoui|evanouie|perdu connaissance|ne repond plus|reagit plus)",
    r"\bavc\b",
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


def is_medical_emergency(text: str | None) -> bool:
    """True when the message describes a person in immediate danger."""
    return bool(text) and _EMERGENCY.search(normalize(text)) is not None
