"""« Est-ce une arnaque ? » : the warning signs of a message a person received (SMS, e-mail, notes of a call).

``check(text)`` redacts the text first (``bot.privacy.redact``: it is idempotent, so text already redacted by
the caller is unchanged) and only ever reads the redacted text; nothing here logs or keeps the text.
``render(report, audience)`` writes the answer: one short line per sign found, never a claim that the
message is genuine, and always the same last line (``CLOSING``).

Every sentence comes from docs/knowledge/mon-espace-sante.md: section 2.9 (official sender, what the
Assurance Maladie never asks, warning signs, the right reflex), 2.8 (calls offering to help create the
space), 8.1 (the 3422 and its hours) and « Mises à jour du 3 décembre 2026 » n° 2 (the invitation e-mails).
The detection is a list of plain word patterns: it finds the usual signs, it cannot prove anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answers.bank import answer_payload
from bot.answers.render import HUMAN_BUTTON
from bot.contact import HOTLINE_HOURS
from bot.privacy import redact
from bot.privacy.kinds import EMAIL_KIND, MASKED, PHONE_KIND, PLACEHOLDER_RE, PLACEHOLDERS
from bot.text import fold_accents

ADVISOR = "advisor"
CLOSING = "Ne cliquez pas, tapez monespacesante.fr vous-même, ou appelez le 3422."
HOURS = f"Le 3422 répond {HOTLINE_HOURS}."
OFFICIAL_DOMAINS = ("monespacesante.fr", "ameli.fr")
# Under the check's reply, and what a follow-up (« et pour le signaler ? ») is about.
CHECK_TOPIC = "official_email_scam"
CHECK_BUTTONS = ({"title": "Signaler un message suspect", "payload": answer_payload("report_phishing")},
                 {"title": "Vérifier un autre message", "payload": "/check_message"}, HUMAN_BUTTON)  # fmt: skip
HELPLINES = ("3422", "3646")  # 8.1: the 3422 for Mon espace santé, the 3646 for the Assurance Maladie
SHORTENERS = frozenset({
    "bit.ly", "tinyurl.com", "t.co", "cutt.ly", "is.gd", "ow.ly", "rebrand.ly", "shorturl.at", "tiny.cc", "urlz.fr",
    "lstu.fr", "goo.gl", "buff.ly", "t.ly", "rb.gy", "s.id", "v.gd", "bl.ink", "short.io", "qrco.de",
})  # fmt: skip
# Words that make an unofficial address look like an official one (monespace-sante.fr, ameli-vital.fr…).
LOOK_ALIKE = ("ameli", "monespace", "espacesante", "espace-sante", "vitale", "assurance-maladie", "assurancemaladie",
              "secu", "cpam")  # fmt: skip

# ---- what is looked for: patterns on the redacted text, lowered and without accents ----
_TLD = (
    r"(?:fr|com|net|org|info|eu|be|ch|io|co|me|ly|gd|at|de|xyz|top|site|online|shop|app|link|live|cc|tk|biz|pro|club|"
    r"icu|vip|cloud|store|support|help|services?|care|health|sante|gouv|re|yt)"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»()]+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    + _TLD
    + r"\b(?:/[^\s<>\"«»()]*)?",
    re.IGNORECASE,
)
_ASK = (
    r"\b(?:communiqu|donnez|donner|envoy|transm|fourni|indiqu|confirm|renseign|saisi|entrez|entrer|rempli|verifi|"
    r"mettre a jour|mettez a jour|mise a jour|actualis|demand|partag|lire|lisez|dict|repond)"
)
_SECRET_WORDS = (
    r"(?:mot de passe|mots de passe|identifiants?|codes? (?:provisoire|secret|confidentiel|recu|sms|de (?:confirmation|"
    r"validation|securite|verification))|code a \d|login|franceconnect|france connect)"
)
_SECRET = re.compile(
    rf"{_ASK}\w*\W+(?:\w+\W+){{0,8}}?{_SECRET_WORDS}|{_SECRET_WORDS}\W+(?:\w+\W+){{0,4}}?(?:demande|"
    rf"a (?:communiquer|donner|"
    rf"fournir|saisir|confirmer|renseigner))"
)
_GIVE_CODE = re.compile(
    r"\b(?:communiquez|communiquer|donnez|donner|envoyez|envoyer|renvoyez|transmettez|transmettre|"
    r"fournissez|fournir|dictez|dicter|lisez|lire|repondez|repondre)\b\W+(?:\w+\W+){0,6}?code"
)
# The warning signs that one search finds, by kind (ALERT_KINDS); « secrets » also by _GIVE_CODE, below.
_ALERT_PATTERNS = {
    "secrets": _SECRET,
    "bank": re.compile(
        r"\b(?:rib|iban|bic)\b|carte (?:bancaire|bleue|de credit)|coordonnees bancaires|donnees bancaires|"
        r"informations bancaires|"
        r"numero de (?:votre |ta )?carte(?! vitale)|cryptogramme|date d'expiration de (?:votre|la) carte bancaire"
    ),
    "nir": re.compile(
        rf"{_ASK}\w*\W+(?:\w+\W+){{0,8}}?numero de securite sociale|"
        r"numero de securite sociale\W+(?:\w+\W+){0,3}?demande"
    ),
    "payment": re.compile(
        r"\bfrais\b|\bpayer\b|\bpayez\b|\bpaiement\b|\bregler\b|\breglez\b|\breglement\b|\bpayant\b|\bfactur|\bprelev|"
        r"remboursement (?:de|d'un montant)|\d+(?:[,.]\d+)?\s?(?:€|euros?\b)|recevoir un remboursement|"
        r"valid\w* (?:un|votre|le|d'un) remboursement"
    ),
    "urgency": re.compile(
        r"sous \d+\s?(?:h\b|heures?|jours?)|dans les \d+\s?(?:h\b|heures?)|dernier rappel|derniere relance|"
        r"suspendu|suspension|"
        r"\bexpir|bloque|blocage|desactiv|\burgent|rapidement|immediatement|sans delai|des reception|au plus vite|"
        r"avant le \d|cessera|interruption|renoncement|obsolete|perime|dernier delai|delai de \d+\s?(?:h\b|heures?)|"
        r"sera (?:supprime|ferme|clos)"
    ),
    "vitale": re.compile(
        r"(?:nouvelle|prochaine) (?:carte|edition)|(?:renouvel|command|remplac|expedi)\w*\W+(?:\w+\W+){0,4}?carte|"
        r"carte vitale (?:\d{4}|3\b|expir|arrive|perime|obsolete|a (?:renouveler|mettre a jour|expiration))|"
        r"(?:mise a jour|mettre a jour|actualis)\w*\W+(?:\w+\W+){0,3}?carte vitale|creation de votre nouvelle carte"
    ),
    "help_create": re.compile(
        r"aid\w*\W+(?:\w+\W+){0,3}?(?:creer|creation|ouvrir|ouverture|activer|activation)\W+(?:\w+\W+){0,3}?"
        r"(?:mon |votre )?espace sante"
    ),
}
# The neutral notes that one search finds, by kind (NOTE_KINDS).
_NOTE_PATTERNS = {
    "sender_claim": re.compile(
        r"assurance maladie|\bameli\b|\bcpam\b|securite sociale|\bla secu\b|mon espace sante|caisse (?:primaire|"
        r"d'assurance)|\bmsa\b"
    ),
    "activation_email": re.compile(
        r"activ\w*\W+(?:\w+\W+){0,3}?(?:mon|votre) (?:espace sante|profil)|service mon espace sante a ete cree|"
        r"mon espace sante (?:a ete|est) (?:cree|ouvert)"
    ),
    "click": re.compile(r"cliqu|le lien ci|lien suivant|suivant le lien|bouton|en cliquant|ouvrez le lien|appuyez"),
}
_CALL = re.compile(
    r"(?:appel|rappel|contact|compos|telephon|joindre|joignez)\w*\W+(?:\w+\W+){0,6}?(?:numtel|\b08\d{2}\b|surtaxe)"
)
_PREMIUM = re.compile(r"num[eé]ro (?:tres |fortement )?surtax")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


@dataclass(frozen=True)
class Sign:
    """One thing found: ``kind`` (see ``ALERT_KINDS`` / ``NOTE_KINDS``) and a detail (a web address) or ``""``."""

    kind: str
    detail: str = ""


ALERT_KINDS = (
    "foreign_link", "look_alike_link", "short_link", "secrets", "bank", "nir", "payment", "urgency", "vitale",
    "call_number", "help_create",
)  # fmt: skip
NOTE_KINDS = ("official_link", "sender_claim", "activation_email", "click", "email_hidden", "personal_data_hidden")


@dataclass(frozen=True)
class ScamReport:
    """What ``check`` found: warning signs (``alerts``) and neutral notes; never a verdict that a message is genuine."""

    alerts: tuple[Sign, ...] = ()
    notes: tuple[Sign, ...] = ()
    empty: bool = False  # nothing to read (empty text, a button payload)
    unreadable: bool = False  # redaction failed: the whole text was masked
    kinds: frozenset[str] = field(default_factory=frozenset)

    @property
    def flagged(self) -> bool:
        """At least one warning sign."""
        return bool(self.alerts)


def _fold(text: str) -> str:
    """Lowered, accents removed, typographic apostrophes straightened."""
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return fold_accents(text)


def _domain(url: str) -> str:
    host = re.sub(r"^(?:https?://)", "", url.strip(), flags=re.IGNORECASE).split("/", 1)[0].split("?", 1)[0]
    host = host.split("#", 1)[0].split("@")[-1].split(":", 1)[0].rstrip(".,;:!?»)").lower()
    return host[4:] if host.startswith("www.") else host


def _ascii_host(host: str) -> str | None:
    """The host as shown in the answer: ASCII letters, digits, dots and hyphens, or its punycode form (an address
    written with look-alike letters from other alphabets); ``None`` when it cannot be written so."""
    if _HOST.fullmatch(host):
        return host
    try:
        shown = host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    return shown if _HOST.fullmatch(shown) else None


def is_official_domain(host: str) -> bool:
    """monespacesante.fr, ameli.fr or one of their subdomains (info.ameli.fr, cms.monespacesante.fr)."""
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def _links(text: str) -> list[Sign]:
    signs: list[Sign] = []
    seen: set[str] = set()
    for match in _URL.finditer(text):
        host = _domain(match.group(0))
        if not host or "." not in host or host in seen or PLACEHOLDER_RE.search(host):
            continue
        seen.add(host)
        shown = _ascii_host(host)
        if shown is None:
            signs.append(Sign("foreign_link", "adresse illisible"))
        elif shown != host:  # letters from another alphabet: imitates an address
            signs.append(Sign("look_alike_link", shown))
        elif is_official_domain(host):
            signs.append(Sign("official_link", host))
        elif host in SHORTENERS:
            signs.append(Sign("short_link", host))
        elif any(word in host for word in LOOK_ALIKE):
            signs.append(Sign("look_alike_link", host))
        else:
            signs.append(Sign("foreign_link", host))
    return signs


def _without_placeholders(text: str) -> str:
    """Placeholders would be read as words (« [coordonnées bancaires] »): a phone number becomes ``numtel``."""
    phone = PLACEHOLDERS[PHONE_KIND]
    return PLACEHOLDER_RE.sub(lambda m: " numtel " if m.group(0) == phone else " ", text)


def _calls_other_number(folded: str) -> bool:
    if _PREMIUM.search(folded):
        return True
    for match in _CALL.finditer(folded):
        window = match.group(0)
        if not any(number in window.replace(" ", "") for number in HELPLINES):
            return True
    return False


def check(text: object) -> ScamReport:
    """The warning signs in ``text`` (redacted here first; an already redacted text is unchanged)."""
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    if not raw.strip() or raw.lstrip().startswith("/"):
        return ScamReport(empty=True)
    clean = redact(raw)
    if clean.strip() == MASKED:
        return ScamReport(unreadable=True)
    found: list[Sign] = _links(clean)
    folded = _fold(_without_placeholders(clean))
    found += [Sign(kind) for kind, pattern in _ALERT_PATTERNS.items() if pattern.search(folded)]
    if not any(s.kind == "secrets" for s in found) and _GIVE_CODE.search(folded):
        found.append(Sign("secrets"))
    if _calls_other_number(folded):
        found.append(Sign("call_number"))
    found += [Sign(kind) for kind, pattern in _NOTE_PATTERNS.items() if pattern.search(folded)]
    if PLACEHOLDERS[EMAIL_KIND] in clean:
        found.append(Sign("email_hidden"))
    if PLACEHOLDER_RE.search(clean.replace(PLACEHOLDERS[EMAIL_KIND], "")):
        found.append(Sign("personal_data_hidden"))
    alerts = tuple(s for s in found if s.kind in ALERT_KINDS)
    notes = tuple(s for s in found if s.kind in NOTE_KINDS)
    return ScamReport(alerts=alerts, notes=notes, kinds=frozenset(s.kind for s in found))


# ---- an address asked about in a question (« ameli-vitale-maj.com c un vrai site ? ») ----
# A persona of 16 asked it twice (6 December 2026) and was told what Mon espace santé is, never « no ».
_ASKS_IF_REAL = re.compile(
    r"\b(?:vrai|vraie|officiel\w*|arnaques?|fiables?|legit\w*|faux|fausse|bizarre|louche|normal|serieux|fake|"
    r"phishing|hameconn\w*|bon site|le bon|confiance|cliquer|clique|cliqu\w*)\b"
)
_DOUBTFUL_LINKS = frozenset({"look_alike_link", "short_link"})
# Where to click is no doubt about the official site: « on est sur monespacesante.fr avec elle. mdp oublié, on clique
# où ? » got the scam check twice (an advisor's session, 6 December 2026).
_ASKS_WHERE_TO_CLICK = re.compile(r"\bclique\w*\s+(?:ou|sur quoi)\b|\bou (?:je |on |il faut )?clique")


def asks_about_a_link(text: object) -> bool:
    """Whether ``text`` gives a web address to judge: one that imitates an official address or hides another
    (``ameli-vitale-maj.com``, a shortened link), or any address with a doubt about it (« vrai », « officiel »,
    « arnaque », « bizarre »…). ``check`` then says whether it is official."""
    if not isinstance(text, str) or not text.strip() or text.lstrip().startswith("/"):
        return False
    kinds = {sign.kind for sign in _links(text)}
    if kinds & _DOUBTFUL_LINKS:
        return True
    folded = _fold(text)
    return bool(kinds and _ASKS_IF_REAL.search(_ASKS_WHERE_TO_CLICK.sub(" ", folded)))


def check_addresses(text: object) -> ScamReport:
    """``check`` of a question about an address: « c un vrai site ameli ? » names the Assurance Maladie without being
    a message that claims to come from it (no « sender_claim »)."""
    report = check(text)
    return ScamReport(alerts=report.alerts, notes=tuple(s for s in report.notes if s.kind != "sender_claim"),
                      empty=report.empty, unreadable=report.unreadable,
                      kinds=report.kinds - {"sender_claim"})  # fmt: skip


# ---- the person's own question typed where the message was expected ----
# « nn c pas une arnaque jcrois, jveux juste activer mon compte, je tape le code ou ?? » (newcomers' session,
# 5 December 2026): the person says what they want, or that this is no message to check. Received messages
# rarely say so; with no warning sign at all and a question the classifier is sure of, it is answered instead.
_OWN_REQUEST = re.compile(
    r"\b(?:je veux|jveux|je voudrais|jvoudrais|je cherche|je sais pas|jsp|je ne sais pas|je comprends pas|"
    r"j'arrive pas|jarrive pas|je n'arrive pas|comment je|cmt je|ou je|je tape|je mets|"
    r"pas une arnaque|pas un message|c'est pas ca|c pas ca|ce n'est pas ca)\b"
)
# Said before answering the person's own question (actions/scam.py; listed in actions.actions.responses_sent).
NOT_A_MESSAGE_RESPONSE = "utter_not_a_message_to_check"
_TO_READER = re.compile(r"\b(?:votre|vos|vous)\b")
MAX_REQUEST_LENGTH = 200


def is_own_request(text: object, report: ScamReport) -> bool:
    """Whether ``text``, sent where the message to check was expected, is rather the person's own request: short,
    without any sign found in ``report``, and saying what they want (« jveux juste activer ») or that it is no
    message to check."""
    if not isinstance(text, str) or report.kinds or report.empty or report.unreadable:
        return False
    folded = _fold(text)
    # a received message speaks to its reader (« votre mot de passe »); the person's own question does not
    return len(text) <= MAX_REQUEST_LENGTH and _OWN_REQUEST.search(folded) is not None and not _TO_READER.search(folded)


# ---- the answer: citizen and advisor sentences, all from the knowledge file ----
_CITIZEN: dict[str, str] = {
    "foreign_link": "Le lien mène à « {detail} ». Ce n'est ni monespacesante.fr ni ameli.fr.",
    "look_alike_link": "Le lien mène à « {detail} ». Cette adresse ressemble à un site officiel, mais ce n'est ni "
    "monespacesante.fr ni ameli.fr.",
    "short_link": "Le lien est raccourci (« {detail} ») : on ne voit pas vers quel site il mène.",
    "secrets": "Le message demande un mot de passe, un code ou des identifiants. L'Assurance Maladie ne demande jamais "
    "votre mot de passe par e-mail ou SMS.",
    "bank": "Le message parle de vos coordonnées bancaires (RIB, carte bancaire). L'Assurance Maladie ne les demande "
    "jamais par e-mail ou SMS.",
    "nir": "Le message demande votre numéro de sécurité sociale. L'Assurance Maladie ne le demande "
    "jamais par e-mail ou SMS.",
    "payment": "Le message parle d'argent (frais, paiement, remboursement). Une demande de paiement "
    "est un signe d'alerte.",
    "urgency": "Le message vous presse ou vous menace (délai, blocage, expiration). L'urgence est un signe d'alerte.",
    "vitale": "Le message parle de renouveler ou de commander une carte Vitale. C'est un signe "
    "d'alerte connu, surtout s'il "
    "faut payer.",
    "call_number": "Le message vous demande d'appeler un autre numéro. Pour Mon espace santé, le numéro est le 3422.",
    "help_create": "Le message propose de vous aider à créer Mon espace santé. L'Assurance Maladie a alerté sur ces "
    "appels et messages.",
    "official_link": "Le message affiche l'adresse « {detail} », celle d'un site officiel. Mais un lien peut mener "
    "ailleurs : tapez l'adresse vous-même.",
    "sender_claim": "Le message dit venir de l'Assurance Maladie ou de Mon espace santé. Un nom ou un "
    "logo ne le prouve pas.",
    "activation_email": "De vrais e-mails invitent à activer Mon espace santé. Même dans ce cas, "
    "passez par le site tapé "
    "vous-même.",
    "email_hidden": "En 2022, le vrai e-mail venait de assurance-maladie@info.ameli.fr. Ne vous fiez pas seulement à "
    "l'expéditeur.",
    "personal_data_hidden": "J'ai masqué vos informations personnelles (numéros, e-mail, nom) avant "
    "de lire le message.",
}
_ADVISOR: dict[str, str] = {
    "foreign_link": "Le message montre un lien vers « {detail} », ni monespacesante.fr ni ameli.fr.",
    "look_alike_link": "Le message montre un lien vers « {detail} », qui imite une adresse officielle sans être "
    "monespacesante.fr ni ameli.fr.",
    "short_link": "Le message montre un lien raccourci (« {detail} ») : sa destination n'est pas visible.",
    "secrets": "Le message montre une demande de mot de passe, de code ou d'identifiants : jamais demandés par "
    "l'Assurance Maladie par e-mail ou SMS.",
    "bank": "Le message montre une demande de coordonnées bancaires : jamais demandées par e-mail ou SMS.",
    "nir": "Le message montre une demande du numéro de sécurité sociale : jamais demandé par e-mail ou SMS.",
    "payment": "Le message montre une question d'argent (frais, paiement, remboursement) : signe d'alerte fréquent.",
    "urgency": "Le message montre de l'urgence ou une menace (délai, blocage, expiration) : signe d'alerte fréquent.",
    "vitale": "Le message montre un « renouvellement » ou une commande de carte Vitale : signe "
    "d'alerte connu, surtout avec "
    "paiement.",
    "call_number": "Le message montre un numéro à rappeler autre que le 3422 (Mon espace santé).",
    "help_create": "Le message montre une offre « d'aider à créer Mon espace santé » : escroquerie signalée par "
    "l'Assurance Maladie (risque d'usurpation d'identité).",
    "official_link": "Le message montre un lien affiché vers « {detail} » (site officiel) ; un lien "
    "affiché peut mentir.",
    "sender_claim": "Le message se présente comme venant de l'Assurance Maladie ou de Mon espace "
    "santé : ce n'est pas une preuve.",
    "activation_email": "Des e-mails d'invitation à activer existent (campagne de fin septembre 2024 "
    "à mi-février 2025).",
    "click": "Le message demande de cliquer : faites taper l'adresse du site à la personne.",
    "email_hidden": "Expéditeur sourcé pour 2022 : assurance-maladie@info.ameli.fr ; l'adresse seule ne prouve rien.",
    "personal_data_hidden": "Les données personnelles du message ont été masquées avant l'analyse.",
}
_NEVER = "L'Assurance Maladie ne demande jamais votre mot de passe ni vos coordonnées bancaires par e-mail ou SMS."
_ALREADY = "Vous avez cliqué ou donné un mot de passe ? Changez-le tout de suite et appelez le 3422."
_ADVISOR_ALREADY = "Si la personne a saisi des informations : changement de mot de passe et appel au 3422 avec elle."


def _line(sign: Sign, audience: str | None) -> str:
    template = (_ADVISOR if audience == ADVISOR else _CITIZEN)[sign.kind]
    return template.format(detail=sign.detail)


def render(report: ScamReport, audience: str | None = None) -> str:
    """The answer: the signs found, one per line, then ``HOURS`` and ``CLOSING`` (always the last line)."""
    advisor = audience == ADVISOR
    lines: list[str] = []
    if report.empty:
        lines.append(
            "Je n'ai pas reçu de message à vérifier." if not advisor else "Aucun message à vérifier n'a été reçu."
        )
    elif report.unreadable:
        lines.append("Je n'ai pas pu lire ce message." if not advisor else "Le message n'a pas pu être analysé.")
    elif report.alerts:
        count = len(report.alerts)
        if advisor:
            lines.append(f"Le message montre {count} signe{'s' if count > 1 else ''} d'alerte :")
        else:
            lines.append(f"J'ai trouvé {count} signe{'s' if count > 1 else ''} d'alerte dans ce message :")
        lines += [_line(sign, audience) for sign in report.alerts]
    else:
        if advisor:
            lines.append("Le message ne montre aucun des signes d'alerte habituels. Cela ne prouve pas qu'il est vrai.")
        else:
            lines.append("Je n'ai trouvé aucun des signes d'alerte habituels dans ce message.")
            lines.append("Cela ne prouve pas que le message est vrai.")
    lines += [_line(sign, audience) for sign in report.notes if advisor or sign.kind in _CITIZEN]
    if not report.empty and not report.unreadable:
        if advisor:
            lines.append(_ADVISOR_ALREADY)
        else:
            if not report.kinds & {"secrets", "bank"}:
                lines.append(_NEVER)
            lines.append(_ALREADY)
    lines.append(HOURS)
    lines.append(CLOSING)
    return "\n".join(lines)


def ask_text(audience: str | None = None) -> str:
    """The question that asks for the message (sent by ``action_ask_pasted_message``)."""
    if audience == ADVISOR:
        return "\n".join([
            "Copiez ici le message reçu par la personne (SMS, e-mail, ou notes d'un appel), puis envoyez-le.",
            "Je relève les signes d'alerte. Les données personnelles sont masquées avant l'analyse.",
            "Un vrai message ne demande jamais mot de passe, coordonnées bancaires ni numéro de sécurité sociale.",
            "Ne cliquez pas sur le lien du message.",
        ])  # fmt: skip
    return "\n".join([
        "Copiez ici le message reçu (SMS, e-mail, ou ce qu'on vous a dit au téléphone), puis envoyez-le.",
        "Je regarde s'il a des signes d'arnaque.",
        "Vos informations personnelles (numéros, e-mail) sont masquées avant que je lise le message.",
        _NEVER,
        "Ne cliquez pas sur le lien du message.",
    ])  # fmt: skip
