"""What a person told us about their situation, kept for the rest of the conversation.

« j'ai 80 ans et pas internet chez moi », then « et pour activer ? »: the second answer described the application
step by step. « je suis à la MSA », then an answer that sends them to « votre CPAM ». Persona sessions found both
(README, « Comprendre les questions »). Eight situations are recognised in what the person types; only their names
are kept (the ``situation`` slot), never the text. The answers read them: a citizen without internet is first told
where a person and a computer wait for them, with the France Services button; a member of the MSA is told that
their caisse is the MSA wherever an answer names the CPAM or ameli; after « mon mari est décédé », an answer that has
the person log in, close or delete starts by saying not to use the dead person's codes, and who to ask. After « un
jeune de 17 ans » or « il est sous curatelle », an adult's answer that has the person activate, log in or close starts
by saying how it goes for them (an advisor's persona session, 6 December 2026: both were forgotten in the follow-ups).
After « j'ai changé de numéro », an answer that has a provisional code sent by SMS or e-mail starts by saying to give
the new one to the caisse first: the code goes to what the caisse knows (section 2.5). After « je suis malentendant »,
every answer that sends the person to a phone line loses its lines that only say to call the 3422 and ends with the
video interpreter of the application (sections 2.6, 8.1).
A minor who types (« j'ai 16 ans ») is told, before who sees or hides what, that their parents manage the
profile. The lines open with the situation (« Avant 18 ans », « Sous tutelle ou curatelle ») so that they stay true
when the next question is about someone else. Facts from docs/knowledge (sections 2.5, 2.6, 4.1, 4.7, 8 and 9.1).
"""

from __future__ import annotations

import re

from bot.contact import HOTLINE_HOURS
from bot.text import normalize

NO_INTERNET = "no_internet"
MSA = "msa"
DECEASED = "deceased"  # the person asked about has died (a widow's questions, persona session of 6 December 2026)
MINOR = "minor"  # the person asked about is under 18 (« un jeune de 17 ans », « j'ai 16 ans »)
PROTECTED = "protected"  # an adult under tutelle or curatelle
TEEN = "teen"  # the person who types is a minor (« j'ai 16 ans »): a minor too
# the phone number or e-mail address changed: the caisse may still have the old one (section 2.5)
NEW_CONTACT = "new_contact"
# deaf or hard of hearing: the 3422 is a phone line; the application offers a video interpreter (sections 2.6, 8.1)
HARD_OF_HEARING = "hard_of_hearing"
SITUATIONS = (NO_INTERNET, MSA, DECEASED, MINOR, PROTECTED, TEEN, NEW_CONTACT, HARD_OF_HEARING)

_ARTICLE = r"(?:(?:d|de|du|l|la|le|un|une|d un|d une) )?"
_CONTACT = r"(?:numero|num|tel|numero de (?:telephone|portable|tel)|adresse (?:mail|e mail|email|electronique)|"\
           r"mail|e mail|email|boite mail)\b"
_DEVICE = r"(?:ordinateur|ordi|pc|portable|smartphone|telephone|tablette)"
_FOUND = {
    NO_INTERNET: re.compile(
        rf"\b(?:pas|plus|jamais|ni) {_ARTICLE}(?:internet|connexion internet|wifi|wi fi|box)\b"
        r"|\bsans (?:internet|connexion|wifi)\b"
        rf"|\b(?:pas|ni) {_ARTICLE}{_DEVICE} ni {_ARTICLE}{_DEVICE}\b"
    ),
    MSA: re.compile(r"\b(?:msa|mutualite sociale agricole|regime agricole)\b"),
    # « c'est mort ? » is « is it over? », not a death (« si je ferme et que je regrette, je peux le rouvrir ? ou c'est
    # mort », a persona, 6 December 2026)
    DECEASED: re.compile(r"\b(?:decedee?s?|deces|defunte?|veuf|veuve|(?<!\bc )(?:est|sont|etait) morte?s?)\b"),
    PROTECTED: re.compile(r"\b(?:tutelle|curatelle|sous protection|majeure?s? protegee?s?|adultes? protegee?s?|"
                          r"habilitation familiale|mandat de protection(?: future)?|mandataire judiciaire|"
                          r"tuteur|tutrice|curateur|curatrice)\b"),
    # « j'ai changé de numéro y a 2 mois », « mon ancien numéro », « plus accès à mon adresse mail »: the code goes to
    # the contact details the caisse knows (a persona's and an advisor's sessions, 6 and 7 December 2026)
    NEW_CONTACT: re.compile(
        rf"\b(?:change|changee|changement) (?:de |d )?{_CONTACT}"
        rf"|\b(?:nouveau|nouvel|nouvelle|ancien|ancienne|vieux|vieille) {_CONTACT}"
        rf"|\b{_CONTACT} (?:a|ont|avons|avez) change"
        rf"|\b(?:plus|pas) (?:le meme|la meme) {_CONTACT}"
        rf"|\b(?:ai|jai|a|avons|avez|ont) plus (?:acces a |d acces a )?"
        rf"(?:ce|cet|cette|mon|ma|son|sa|le|la|l) ?{_CONTACT}"
    ),
    # « JE SUIS MALENTENDANT », « j'entends mal au téléphone »; not « faire la sourde oreille », « je m'entends mal avec
    # mon médecin » (a persona of 82, hard of hearing, was sent to the 3422 after saying so, 7 December 2026)
    HARD_OF_HEARING: re.compile(
        r"\b(?:sourde?s?(?! oreille)|malentendante?s?|mal entendante?s?|dure? d oreille|handicap auditif"
        r"|appareil(?:s)? auditifs?|appareillee?)\b"
        r"|(?<!\bm )(?<!\bs )\b(?:entends?|entendons|entendez|entendent) (?:mal|pas bien|plus bien|plus rien|"
        r"presque rien|plus tres bien|rien au tel\w*)\b"
    ),
}
# An age said of someone: « j'ai 16 ans », « il a 17 ans », « mon fils de 15 ans »; not « il y a 2 ans ».
# « g 17 ans »: « j'ai » typed as it sounds (a persona of 17, 6 December 2026)
_AGE = re.compile(r"\b(?:j ai|jai|g|il a|elle a|qui a|ayant|age de|agee de|(?:fils|fille|enfant|ado|adolescente?|"
                  r"garcon|jeune|neveu|niece|petite? fils|petite? fille)(?: de| a| qui a)?) (\d{1,2}) ?ans\b")
_MINOR_WORDS = re.compile(r"\b(?:mineure?s?|ado|adolescente?s?)\b")
_OWN_AGE = re.compile(r"\b(?:j ai|jai|g|moi) (\d{1,2}) ?ans\b")
# « jai 18 ans en mars », « j'ai bientôt 18 ans »: not yet an adult (a persona of 17 lost her minor's answers)
_FUTURE_AGE = re.compile(r"\b(?:j ai|jai) (?:bientot |presque )?\d{1,2} ?ans (?:en|dans|le|au|a la|cette|l an|l annee|"
                         r"le mois|bientot)\b|\b(?:j ai|jai) (?:bientot|presque) \d{1,2} ?ans\b"
                         r"|\bj aurai \d{1,2} ?ans\b")
_SELF_MINOR = re.compile(r"\b(?:je suis|jsuis|chui|suis) (?:mineure?|une? ado|ado|adolescente?|au lycee|au college|"
                         r"lyceenne?|collegienne?)\b")
_DENIED = {
    MSA: re.compile(r"\bpas (?:a la |de la |a |la )?msa\b"),
    # « je suis pas tutrice lol » (a mother who was answered about guardians, persona session, 6 December 2026)
    PROTECTED: re.compile(r"\b(?:pas|ni|aucune?|jamais) (?:de |d une |une |un |sous |sous une )?(?:tutelle|curatelle|"
                          r"tuteur|tutrice|curateur|curatrice)\b|\b(?:pas de|aucune|sans) mesure de protection\b"),
    HARD_OF_HEARING: re.compile(r"\bpas (?:sourde?|malentendante?)\b"),
}
# The person who types says they are an adult (« j'ai 19 ans », « je suis majeur ») or speaks of their past as a minor
# (« quand j'étais mineur ») : a young adult whose mother managed his profile got the minors' lines and was answered
# as the parent (persona session, 6 December 2026).
_SELF_ADULT = re.compile(r"\b(?:je suis|jsuis|chui|suis|je suis devenue?|maintenant) (?:majeure?|adulte)\b"
                         r"|\bj ?ai eu 18 ans\b")
_PAST_MINOR = re.compile(r"\b(?:quand|qd|lorsque|lorsqu) (?:j etais|jetais|j etait|jetait) (?:mineure?|petite?|"
                         r"enfant|ado|adolescente?)\b")

LINES = {
    NO_INTERNET: "Sans internet chez vous ? Une France Services ou l'accueil de votre caisse vous aide : "
    "un ordinateur et une personne vous y attendent.",
    MSA: "Vous êtes à la MSA : pour vous, la caisse, c'est la MSA (son compte en ligne, ses accueils), pas la CPAM "
    "ni ameli.",
    DECEASED: "Pour une personne décédée : ne vous connectez pas avec ses codes. Sa caisse ou le 3422 vous disent "
    "quoi faire.",
    MINOR: "Avant 18 ans : le profil se gère depuis le compte d'un parent (représentant légal).",
    PROTECTED: "Sous tutelle, curatelle ou habilitation familiale : la façon de faire à sa place n'est pas décrite. Le "
    "3422 ou sa caisse vous disent quoi faire.",
    # to a minor who types, before who sees or hides what (sections 4.1, 4.5 and 6.4; what parents see of a masked
    # document is « à vérifier »): a persona of 16 read that masking hides a document from her mother
    TEEN: "Avant 18 ans, ce sont vos parents qui gèrent votre profil.\n"
    "Masquer un document le cache aux soignants. Pour vos parents, nos sources ne le précisent pas.\n"
    "Pour garder un soin secret, dites-le au soignant pendant la consultation : il doit respecter votre choix.",
    NEW_CONTACT: "Nouveau numéro ou nouvel e-mail ? Donnez-les d'abord à la caisse (compte ameli ou accueil) : le code "
    "est envoyé aux coordonnées qu'elle connaît.",
    # the person who types, or the one they help (« ma mère est sourde »)
    HARD_OF_HEARING: "Pour qui entend mal, sans téléphoner : dans l'application, « Contactez un conseiller par "
    "visio-interprétation ». Ou une France Services, en face à face.",
}
# The advisor's version: the person beside them does not hear the phone (no « vous »)
ADVISOR_LINES = {
    HARD_OF_HEARING: "Personne sourde ou malentendante : plutôt que le 3422, le lien « Contactez un conseiller par "
    "visio-interprétation » dans l'application.",
}
# Answers that ask the person to do something on the site or in the application.
_ONLINE = re.compile(r"\b(?:application|appli|site|monespacesante fr|connectez|touchez|cliquez|ouvrez|telechargez)\b")
# Answers that have the person log in, close or delete: not for someone who has died (section 9.1: the heirs ask for
# access; no procedure is described)
_ACTS_ON_THE_ACCOUNT = re.compile(r"\b(?:connect\w*|identifiants?|mot de passe|codes?|clotur\w*|ferm\w*|supprim\w*|"
                                  r"effac\w*|parametres)\b")
# Steps that the owner of the space takes (activate, log in, close), for the minor's and the protected adult's lines:
# not every answer that names a code or a setting (« rien à payer pour l'activer »), nor the warnings about scams.
_OWNERS_STEPS = re.compile(r"\b(?:activez|activation|activer (?:mon|votre|son|sa|le) (?:espace|profil|compte)|"
                           r"connectez vous|cloturer|cloturez|fermer (?:mon|votre|son) (?:espace|compte|profil)|"
                           r"code provisoire|mot de passe)\b")
# Answers that have a provisional code sent by SMS or e-mail (to the contact details the caisse knows: not the codes
# sent at each login, which go to those given when activating), unless they already say to update them first
_SENDS_A_CODE = re.compile(r"\b(?:code provisoire|nouveau code)\b.*\b(?:sms|e mail|email)\b")
_UPDATES_CONTACT = re.compile(r"\b(?:mettez les a jour|enregistrez vos coordonnees|enregistrer ses coordonnees|"
                              r"donnez votre e mail|ancien numero|ancienne adresse|change de numero|"
                              r"code de connexion|chaque connexion|ne demande jamais)\b")
_SCAM = re.compile(r"\b(?:arnaques?|frauduleu\w*|hamecon\w*|mefiez)\b")
# Answers that send the person to a phone line (the 3422, the 3646, their caisse by phone), unless they already name
# the video interpreter
_BY_PHONE = re.compile(r"\b(?:3422|3646|appelez|appeler|telephonez|par telephone)\b")
# A line of an answer that only sends to the 3422 with its hours (« Besoin d'aide ? Appelez le 3422, du lundi au
# vendredi, de 8h30 à 17h30. », « Une question ? Appelez le 3422, … »)
_PHONE_HELP_LINE = re.compile(r"^(?:[^.?!]{0,50}[?,] )?(?:[Aa]ppelez|[Vv]ous pouvez aussi appeler|[Oo]u appelez) "
                              rf"le 3422, {re.escape(HOTLINE_HOURS)}\.$")
# Answers already about a child or a protected adult: no line for them.
_ABOUT_A_CHILD = re.compile(r"\b(?:enfants?|mineure?s?|representants? legaux|representant legal|parents?|bebes?|"
                            r"nouveau nes?|18 ans)\b")
_STEPS_FOR_THE_OWNER = frozenset({"activation", "closing"})
_NOT_FOR_NO_INTERNET = frozenset({"help"})  # the help answers already say where a person is, as do those naming
# a France Services


def situations_in(text: object) -> set[str]:
    """The situations a message states (« j'ai pas internet », « je suis à la MSA »)."""
    if not isinstance(text, str) or not text:
        return set()
    plain = _PAST_MINOR.sub(" ", normalize(text))
    found = {name for name, pattern in _FOUND.items()
             if pattern.search(plain) and not (name in _DENIED and _DENIED[name].search(plain))}  # fmt: skip
    adult = speaks_as_adult(plain)
    if not adult and (_SELF_MINOR.search(plain) or any(int(age) < 18 for age in _OWN_AGE.findall(plain))):
        found.add(TEEN)
    if TEEN in found or _MINOR_WORDS.search(plain) or any(int(age) < 18 for age in _AGE.findall(plain)):
        found = (found - {PROTECTED}) | {MINOR}  # a minor's tuteur is a parent's stand-in (section 4.4)
    return found


def without_hearing_trouble(text: str) -> str:
    """``text`` (normalised) without what it says of hearing badly (« ma mère est sourde », « j'entends mal »)."""
    return _FOUND[HARD_OF_HEARING].sub(" ", normalize(text))


def denies_protection(text: object) -> bool:
    """Whether ``text`` says that nobody is under protection (« mon mari n'est PAS sous tutelle ni sous curatelle »)."""
    return isinstance(text, str) and _DENIED[PROTECTED].search(normalize(text)) is not None


def speaks_as_adult(text: object) -> bool:
    """Whether the person who types says they are an adult (« j'ai 19 ans », « je suis majeur »)."""
    if not isinstance(text, str):
        return False
    plain = _FUTURE_AGE.sub(" ", normalize(text))
    return _SELF_ADULT.search(plain) is not None or any(int(age) >= 18 for age in _OWN_AGE.findall(plain))


def remembered(kept: object, text: object) -> list[str]:
    """The slot's situations (unknown names dropped) plus those ``text`` states, in ``SITUATIONS`` order; a person who
    says they are an adult is no longer taken for a minor."""
    known = {name for name in kept if name in SITUATIONS} if isinstance(kept, list) else set()
    if speaks_as_adult(text):
        known -= {MINOR, TEEN}
    known |= situations_in(text)
    return [name for name in SITUATIONS if name in known]


# A citizen who named a child's age and then speaks only of themselves (« la lettre avec le code, je l'ai jetée, je fais
# comment ») asks for themselves: the minors' line is not for them (a father closing his own space read « Avant 18 ans :
# … » before the answers about his code, persona session, 6 December 2026).
_SOMEONE_ELSE = re.compile(r"\b(?:il|elle|ils|elles|lui|son|sa|ses|leur|leurs|fils|filles?|enfants?|petite?s?|bebes?|"
                           r"ados?|adolescente?s?|mineure?s?|jeunes?|gamine?s?|garcons?|mome?s?)\b")
_SELF = re.compile(r"\b(?:je|j|jai|me|m|moi|mon|ma|mes)\b")


# A widower who speaks of himself (« JE VEUX PAS ACTIVER je veux fermer. je peux pas juste telephoner ? ») asks for his
# own space: his late wife's answers are not for him (a persona of 74, 7 December 2026, got the deceased's closing).
# (besides the third-person words of _SOMEONE_ELSE)
_RELATIVE = re.compile(r"\b(?:femme|mari|epoux|epouse|conjointe?|compagne?|pere|mere|papa|maman|frere|soeur|"
                       r"defunte?)\b")


def for_the_message(situations: list[str], text: object) -> list[str]:
    """The ``situations`` that suit a citizen's message: without the minor's when the message speaks only of the
    person who types (and does not say itself that someone is a minor), a minor who types keeps it; without a death
    when the message speaks only of the person who types and does not name the death."""
    if not isinstance(text, str):
        return situations
    plain = normalize(text)
    only_self = _SELF.search(plain) is not None and not _SOMEONE_ELSE.search(plain)
    said = situations_in(text)
    dropped = set()
    if MINOR in situations and TEEN not in situations and only_self and MINOR not in said:
        dropped.add(MINOR)
    if DECEASED in situations and only_self and not _RELATIVE.search(plain) and DECEASED not in said:
        dropped.add(DECEASED)
    return [name for name in situations if name not in dropped]


# « l'usagère peut-elle donner accès à son propre espace à sa fille ? » after her late husband's space, « mon
# petit-fils connaît mon mot de passe, dois-je le changer ? », « peut-il voir mon dossier depuis chez lui ? » after a
# widow's questions: the living person's own space
# (an advisor and a persona of 88 got the deceased's answer or line again, 7 December 2026)
_OWN_SPACE = re.compile(r"\b(?:son|sa|mon|ma|votre) propre (?:espace|profil|compte|dossier)\b"
                        r"|\b(?:mon|mes) (?:mot de passe|mots de passe|identifiants?|codes?|compte|dossier|espace)\b")
# What an advisor says of the person beside her, and a citizen of someone else: « ses propres documents », « son
# espace à elle », « Madame est vivante… de son vivant » (an advisor beside a widow, 8 December 2026; a widower's « je
# veux fermer son espace à elle » is his late wife's)
_HERS_TO_AN_ADVISOR = re.compile(r"\bses propres (?:documents|donnees)\b"
                                 r"|\b(?:son|sa|ses) (?:espace|dossier|compte|profil|documents?)(?: de sante)? a "
                                 r"(?:elle|lui)(?: meme)?\b|\b(?:est|bien) vivante?\b|\bde son vivant\b")
_THEIR_SPACE = re.compile(r"\b(?:son|sa|ses) (?:espace|dossier|compte|profil|mot de passe|codes?|identifiants?|"
                          r"documents?)\b")


def for_ones_own_space(situations: list[str], text: object, for_advisor: bool = False) -> list[str]:
    """The ``situations`` without a death when the message speaks of someone's own space (« son propre espace », « mon
    mot de passe »; to an advisor also « ses propres documents », « son espace à elle ») and of nobody else's (« ses
    documents »), nor of the death itself."""
    if DECEASED not in situations or not isinstance(text, str):
        return situations
    plain = normalize(text)
    if _FOUND[DECEASED].search(plain):
        return situations
    hers = for_advisor and _HERS_TO_AN_ADVISOR.search(plain) is not None
    someone_else = _THEIR_SPACE.search(plain) and "propre" not in plain
    if not hers and (not _OWN_SPACE.search(plain) or someone_else):
        return situations
    return [name for name in situations if name != DECEASED]


# A reply that already spoke of the person's situation (the answer on a late wife's space): its line is not needed.
_SPOKEN_OF = {DECEASED: _FOUND[DECEASED], PROTECTED: _FOUND[PROTECTED], MINOR: _MINOR_WORDS}
_EVERY_TIME = frozenset({HARD_OF_HEARING})  # situations whose line follows every answer it fits (hearing_line)


def not_yet_told(situations: list[str], sent: list[str]) -> list[str]:
    """The ``situations`` that none of the texts already ``sent`` in the conversation told: by their line, or, for a
    death, a minor or a protected adult, by speaking of it. Each line is said once (a widower read « Pour une
    personne décédée : … » before every answer, about his own card too, after an answer on his late wife's space),
    but hearing's, which replaces the phone each time."""
    plain = [normalize(text) for text in sent]

    def told(name: str) -> bool:
        spoken = _SPOKEN_OF.get(name)
        return any(LINES.get(name, "\0") in text for text in sent) or (
            spoken is not None and any(spoken.search(text) for text in plain))

    return [name for name in situations if name in _EVERY_TIME or not told(name)]


def lines_for(situations: object, task: str, body: str, for_advisor: bool = False) -> list[str]:
    """The lines to put before an answer's text (``task``, ``body``: the unit's task and the text to be sent). For an
    advisor, only the lines about the person (a death, a minor, a protected adult), not those said to a minor who types:
    an advisor beside the person sees for herself the computer and the caisse."""
    known = set(situations) if isinstance(situations, list) else set()
    plain = normalize(body)
    if for_advisor:
        known &= {DECEASED, MINOR, PROTECTED, NEW_CONTACT}
    lines = []
    online = task not in _NOT_FOR_NO_INTERNET and _ONLINE.search(plain) and "france services" not in plain
    if NO_INTERNET in known and online:
        lines.append(LINES[NO_INTERNET])
    if MSA in known and ("cpam" in plain or "ameli" in plain) and "msa" not in plain:
        lines.append(LINES[MSA])
    if DECEASED in known and _ACTS_ON_THE_ACCOUNT.search(plain) and not _FOUND[DECEASED].search(plain):
        lines.append(LINES[DECEASED])
    owners_steps = task in _STEPS_FOR_THE_OWNER and _OWNERS_STEPS.search(plain) and not _SCAM.search(plain)
    if MINOR in known and owners_steps and not _ABOUT_A_CHILD.search(plain):
        lines.append(LINES[MINOR])
    if PROTECTED in known and MINOR not in known and owners_steps and not _FOUND[PROTECTED].search(plain):
        lines.append(LINES[PROTECTED])
    if TEEN in known and task == "sharing" and not _ABOUT_A_CHILD.search(plain):
        lines.append(LINES[TEEN])
    sends_a_code = task == "activation" and _SENDS_A_CODE.search(plain) and not _SCAM.search(plain)
    if NEW_CONTACT in known and sends_a_code and not _UPDATES_CONTACT.search(plain):
        lines.append(LINES[NEW_CONTACT])
    return lines


def hearing_line(situations: object, body: str, for_advisor: bool = False) -> str | None:
    """The line to put after an answer (``body``) that sends the person to a phone line, for a person who said they
    hear badly: the application's video interpreter instead (sections 2.6, 8.1), every time (a deaf widow of 80 read
    « appelez le 3422 » in nearly every reply after saying she could not phone, persona session of 7 December 2026),
    or None."""
    if not isinstance(situations, list) or HARD_OF_HEARING not in situations:
        return None  # most conversations: no normalising of the body on this path
    plain = normalize(body)
    if "visio" in plain or not _BY_PHONE.search(plain):
        return None
    return (ADVISOR_LINES if for_advisor else LINES)[HARD_OF_HEARING]


def without_phone_help(body: str) -> str:
    """``body`` without its lines that only send the person to the 3422 (« Besoin d'aide ? Appelez le 3422, … »), for
    a person who hears badly (``hearing_line`` gives the alternative)."""
    return "\n".join(line for line in body.splitlines() if not _PHONE_HELP_LINE.match(line))
