"""What a person told us about their situation, kept for the rest of the conversation.

« j'ai 80 ans et pas internet chez moi », then « et pour activer ? »: the second answer described the application
step by step. « je suis à la MSA », then an answer that sends them to « votre CPAM ». Persona sessions found both
(README, « Comprendre les questions »). Two situations are recognised in what the person types; only their names
are kept (the ``situation`` slot), never the text. The answers read them: a citizen without internet is first told
where a person and a computer wait for them, with the France Services button; a member of the MSA is told that
their caisse is the MSA wherever an answer names the CPAM or ameli. Facts from docs/knowledge (sections 2.6 and 8).
"""

from __future__ import annotations

import re

from bot.text import normalize

NO_INTERNET = "no_internet"
MSA = "msa"
SITUATIONS = (NO_INTERNET, MSA)

_ARTICLE = r"(?:(?:d|de|du|l|la|le|un|une|d un|d une) )?"
_DEVICE = r"(?:ordinateur|ordi|pc|portable|smartphone|telephone|tablette)"
_FOUND = {
    NO_INTERNET: re.compile(
        rf"\b(?:pas|plus|jamais|ni) {_ARTICLE}(?:internet|connexion internet|wifi|wi fi|box)\b"
        r"|\bsans (?:internet|connexion|wifi)\b"
        rf"|\b(?:pas|ni) {_ARTICLE}{_DEVICE} ni {_ARTICLE}{_DEVICE}\b"
    ),
    MSA: re.compile(r"\b(?:msa|mutualite sociale agricole|regime agricole)\b"),
}
_DENIED = {MSA: re.compile(r"\bpas (?:a la |de la |a |la )?msa\b")}

LINES = {
    NO_INTERNET: "Sans internet chez vous ? Une France Services ou l'accueil de votre caisse vous aide : "
    "un ordinateur et une personne vous y attendent.",
    MSA: "Vous êtes à la MSA : pour vous, la caisse, c'est la MSA (son compte en ligne, ses accueils), pas la CPAM "
    "ni ameli.",
}
# Answers that ask the person to do something on the site or in the application.
_ONLINE = re.compile(r"\b(?:application|appli|site|monespacesante fr|connectez|touchez|cliquez|ouvrez|telechargez)\b")
_NOT_FOR_NO_INTERNET = frozenset({"help"})  # the help answers already say where a person is, as do those naming
# a France Services


def situations_in(text: object) -> set[str]:
    """The situations a message states (« j'ai pas internet », « je suis à la MSA »)."""
    if not isinstance(text, str) or not text:
        return set()
    plain = normalize(text)
    return {name for name, pattern in _FOUND.items()
            if pattern.search(plain) and not (name in _DENIED and _DENIED[name].search(plain))}  # fmt: skip


def remembered(kept: object, text: object) -> list[str]:
    """The slot's situations (unknown names dropped) plus those ``text`` states, in ``SITUATIONS`` order."""
    known = {name for name in kept if name in SITUATIONS} if isinstance(kept, list) else set()
    known |= situations_in(text)
    return [name for name in SITUATIONS if name in known]


def lines_for(situations: object, task: str, body: str) -> list[str]:
    """The lines to put before an answer's text (``task``, ``body``: the unit's task and the text to be sent)."""
    known = set(situations) if isinstance(situations, list) else set()
    plain = normalize(body)
    lines = []
    online = task not in _NOT_FOR_NO_INTERNET and _ONLINE.search(plain) and "france services" not in plain
    if NO_INTERNET in known and online:
        lines.append(LINES[NO_INTERNET])
    if MSA in known and ("cpam" in plain or "ameli" in plain) and "msa" not in plain:
        lines.append(LINES[MSA])
    return lines
