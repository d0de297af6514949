"""Personal data redaction: one set of rules for the web proxy, the tracker store and the logs.

Every detector runs on the same text and returns spans; overlapping spans are merged and the
merged span takes the placeholder of its highest-priority kind (order of ``KINDS``), so a later
rule never reads a placeholder. A text in which something was found is read once more (a
placeholder can end a word glued to the secret), which makes ``redact`` idempotent.

Limits, on purpose:
- Only the first ``MAX_CHARS`` characters are analysed; the rest of a longer text is replaced
  wholesale by ``TRUNCATED`` (a chat message is at most a few thousand characters; this bounds
  the work on log lines and bodies of any size: about 20 ms at worst).
- Names of people are not detected; a street address is recognised by its number and street type
  (``12 rue …``) or by a keyword (``lieu-dit``, ``résidence``, ``bâtiment B``, ``BP 12``); the
  postcode and commune after it are kept, and a commune written with no postcode or comma after
  the street name is taken as part of it.
- Never touched: postcodes, communes, department codes, the short numbers (3422, 15…), times,
  ordinals, dates without a birth word, UUIDs and hex ids, and the long digit runs or codes inside
  a web link (a NIR, e-mail or phone number inside a link is still redacted).
- Any failure inside the detectors makes the whole text ``MASKED``: we fail closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

NIR_KIND = "numéro de sécurité sociale"
VITALE_KIND = "numéro de carte Vitale"
EMAIL_KIND = "adresse e-mail"
PHONE_KIND = "numéro de téléphone"
ADDRESS_KIND = "adresse"
CODE_KIND = "code"
BIRTH_DATE_KIND = "date de naissance"

KINDS: tuple[str, ...] = (NIR_KIND, VITALE_KIND, EMAIL_KIND, PHONE_KIND, ADDRESS_KIND, CODE_KIND, BIRTH_DATE_KIND)
"""Kinds of personal data, highest priority first."""
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind}]" for kind in KINDS}

TRUNCATED = "[suite du texte masquée]"
"""Replaces everything after the first ``MAX_CHARS`` characters."""
MASKED = "[texte masqué]"
"""Replaces a whole value that could not be analysed (internal error, nesting too deep)."""

MAX_CHARS = 20_000
"""Characters analysed per string; the rest is replaced by ``TRUNCATED``."""
MAX_DEPTH = 50
"""Nesting depth explored by ``redact_value``; deeper values become ``MASKED``."""

_R_NIR, _R_VITALE, _R_EMAIL, _R_PHONE, _R_ADDRESS, _R_CODE, _R_DATE = range(len(KINDS))
_MARGIN = 512  # longer than any single match: spans crossing MAX_CHARS are still seen whole
_MAX_PASSES = 6  # see _analyse: a text with personal data is read twice, glued secrets rarely three times

_SP = r"[ \u00a0\u202f]"  # space, no-break space, narrow no-break space (French typography)
_SEP = rf"(?:{_SP}?[.\-]{_SP}?|{_SP})?"  # optional separator between two digits


def _digit_run(count: int) -> str:
    return rf"\d(?:{_SEP}\d){{{count - 1}}}"


_DIGIT = re.compile(r"\d")

# --- Social security number (NIR): sex, year, month, department (2A/2B), commune, order, key.
_DIGIT_RUN = re.compile(  # starts with a character class, so that re skips other positions quickly
    rf"\d(?<![\d+]\d)(?:(?P<nir>(?<=[1278]){_SEP}\d{_SEP}\d{_SEP}"  # sex (1, 2; 7, 8 temporary), year
    rf"(?:0{_SEP}[1-9]|1{_SEP}[0-2]|[2-9]{_SEP}\d){_SEP}"  # month 01-12, or 20-99 (unknown/special)
    rf"(?:0{_SEP}[1-9]|[1-9]{_SEP}\d|2{_SEP}[AaBb]){_SEP}"  # department, Corsica 2A / 2B
    rf"{_digit_run(3)}{_SEP}{_digit_run(3)}(?:{_SEP}\d{_SEP}\d)?)"  # commune, order, optional key
    r"|(?<!\w\d)(?!(?<=0)0)(?:(?P<long>\d{13,14})|\d{10,12})(?![^\W\d_]))(?!\d)"  # standalone runs of 14-15
    # digits: a NIR anyway; of 11-13: a carte Vitale. Not inside a word: a4f1200045678901 is a hex id.
)

# --- Carte Vitale serial number.
_VITALE_CONTEXT = re.compile(r"(?i)\bs[ée]rie\b|\bvitale\b|\bnum[ée]ro\s+de\s+(?:la\s+|ma\s+|sa\s+)?carte\b")
_VITALE_CANDIDATE = re.compile(r"\d(?<![\d+.,]\d)(?:\d{7,12}|\d{0,3}(?:[ .\-\u00a0\u202f]\d{1,4}(?!\d)){1,12})(?!\d)")
_DIGIT_GROUPS = re.compile(r"\d+")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in [*PLACEHOLDERS.values(), TRUNCATED, MASKED]))
_PHONE_PREFIX = re.compile(r"(?:\+|00)\s?\d{1,3}[ .\-]?(?:\(0\)[ .\-]?)?$")

# --- E-mail, also "jean . dupont @ gmail . com", "(at)", "[at]", "arobase", "point".
_LOCAL_DOT = rf"(?:\.|{_SP}\.{_SP})"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_DOMAIN_DOT = rf"(?:\.|{_SP}\.{_SP}|{_SP}(?i:point|dot){_SP}|{_SP}?[(\[{{](?i:dot|point)[)\]}}]{_SP}?)"
_AT_SIGN = re.compile("[@＠]")
_AT_WORD = re.compile(rf"[(\[{{](?:at|arobase)[)\]}}]|(?<={_SP})arobase(?={_SP})", re.IGNORECASE)
_EMAIL_DOMAIN = re.compile(
    rf"{_SP}?{_LABEL}(?:{_DOMAIN_DOT}{_LABEL}){{0,6}}{_DOMAIN_DOT}(?:[a-z]{{2,24}}|[A-Z]{{2,24}})(?![^\W\d_])"
)
_EMAIL_LOCAL_REVERSED = re.compile(  # the local part, read backwards from the "@" in the reversed text
    rf"{_SP}?[\w+\-]{{1,64}}(?:{_LOCAL_DOT}[\w+\-]{{1,64}}){{0,8}}(?![\w+.\-])"
)

# --- Phone numbers: national (10 digits from 0), international (+33, 0033, +262, …, "(0)").
_PHONE = re.compile(
    rf"[+0](?<![\w+][+0])(?:(?<=0){_SEP}[1-9](?:{_SEP}\d){{8}}"  # 06 12 34 56 78, 0692 12 34 56
    rf"|(?:(?<=\+){_SP}?|(?<=0)0{_SP}?)[1-9]\d{{0,2}}(?:{_SEP}\(0\))?(?:{_SEP}\d){{6,12}})(?!\d)"  # +33, 0033, +262
)

# --- Street addresses. The postcode and commune that follow are kept.
_STREET_TYPES = (
    "rue", "ruelle", "avenue", "av.", "av", "boulevard", "bd", "bld", "bvd", "place", "pl.", "chemin", "ch.",
    "allée", "allee", "all.", "impasse", "imp.", "route", "rte", "quai", "cours", "résidence", "residence",
    "rés.", "square", "sq.", "passage", "sentier", "sente", "lotissement", "lot.", "hameau", "faubourg", "fbg",
    "rond-point", "cité", "cite", "esplanade", "promenade", "montée", "montee", "venelle", "traverse",
    "chaussée", "chaussee", "villa", "domaine", "parc", "clos", "lieu-dit", "lieudit", "voie",
)  # fmt: skip
_STREET_TYPE_SET = frozenset(_STREET_TYPES)
# Also ordinary words ("3 cours de yoga", "2 passages"): the name must then have a capital.
_AMBIGUOUS_STREET_TYPES = frozenset(
    {"cours", "place", "parc", "clos", "villa", "domaine", "voie", "passage", "traverse", "promenade", "sentier"}
)
_STOP_WORDS = frozenset(
    {
        "à", "a", "au", "aux", "et", "ou", "où", "mais", "pour", "dans", "chez", "sur", "près", "pres", "vers",
        "depuis", "avec", "sans", "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "est", "qui",
        "que", "quand", "comment", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "svp", "merci",
        "donc", "car", "puis", "alors", "bonjour", "cedex", "cédex", "tel", "tél", "téléphone", "mail", "email",
    }
)  # fmt: skip
_ELIDED_PRONOUNS = ("j'", "j’", "c'", "c’", "n'", "n’", "s'", "s’", "m'", "m’", "t'", "t’", "qu'", "qu’")
_NAME_WORD = re.compile(rf"{_SP}+([^\W\d_][\w'’\-]*|\d{{1,4}}(?!\d))")
_NUMBER_THEN_WORD = re.compile(  # "12 rue", "3 bis avenue", "15, boulevard", "12-14 rue"; the word is checked after
    rf"\d(?<![\w.,/\-]\d)\d{{0,3}}(?:{_SP}?(?i:bis|ter|quater)(?!\w)|[a-dA-D](?!\w))?"
    rf"(?:{_SP}?[-/]{_SP}?\d{{1,4}})?{_SP}*,?{_SP}*(?P<type>[^\W\d_][\w\-]*\.?)"
)
_ADDRESS_HINTS = (
    "lieu-dit", "lieu dit", "lieudit", "hameau", "sidence", "lotissement", "cité", "cite ", "bâtiment", "batiment",
    "bât", "bat ", "bat.", "appart", "appt", "apt ", "apt.", "escalier", "esc.", "bp", "b.p", "boîte postale",
    "boite postale",
)  # fmt: skip
_KEYWORD_ADDRESS = re.compile(
    rf"(?P<place>(?<![\w\[])(?i:lieu[- ]?dit)(?:{_SP}*:)?)"
    rf"|(?P<residence>(?<![\w\[])(?i:r[ée]sidence|lotissement|cit[ée]|hameau){_SP}+"
    rf"(?:[A-ZÀ-ÖØ-Ý][\w'’\-]*|(?i:les|le|la|du|des){_SP}+[^\W\d_][\w'’\-]*|(?i:l['’])[^\W\d_][\w'’\-]*))"
    rf"|(?<![\w\[])(?i:b[âa]timent|b[âa]t\.?|appartement|appart\.?|app?t\.?|escalier|esc\.)"
    rf"{_SP}*(?:(?i:n[°o]\.?|num[ée]ro){_SP}*)?(?:\d{{1,4}}[A-Za-z]?|[A-Z])(?!\w)"
    rf"|(?<![\w\[])(?:[Bb]\.?[Pp]\.?|(?i:bo[îi]te{_SP}+postale)|CS|TSA){_SP}*(?:(?i:n[°o]){_SP}*)?\d{{1,6}}(?!\d)"
)

# --- Dates of birth, only after a birth word ("né le", "date de naissance").
_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
    r"|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}{_SP}?[/.\-]{_SP}?\d{{1,2}}{_SP}?[/.\-]{_SP}?\d{{2,4}}"
    rf"|(?:1er|\d{{1,2}}){_SP}+(?i:{_MONTHS})(?:{_SP}+\d{{4}})?"
    rf"|\d{{1,2}}{_SP}\d{{1,2}}{_SP}\d{{4}}|\d{{8}})(?!\d)"
)
_DATE_OF_BIRTH = re.compile(
    rf"[nNdD](?<![\w\[][nNdD])(?:(?<=[nN])(?i:[ée]e?s?{_SP}+le|[ée]\(e\){_SP}+le|aissance)"
    rf"|(?<=[dD])(?i:ate{_SP}+de{_SP}+naissance|dn))"  # né le, née le, date de naissance, naissance, DDN
    rf"(?:{_SP}*[:=])?(?:{_SP}+(?i:est|c['’]est|le))*{_SP}*"
    rf"(?P<date>{_DATE}(?:(?:{_SP}*,{_SP}*|{_SP}+(?i:et|puis){_SP}+)(?:(?i:le){_SP}+)?{_DATE})*)"  # twins, siblings
)

# --- Codes, passwords, identifiers.
_TOKEN_CHAR = r"[^\s'’\"«»()\[\]{}<>,;]"
_DIGIT_TOKEN = re.compile(rf"\d{_TOKEN_CHAR}*")  # from a token's first digit to its end
_TOKEN_SEPARATORS = frozenset("'’\"«»()[]{}<>,;")
_CODE_CONTEXT = re.compile(  # « code … », « mot de passe », « mdp », « identifiant », then an optional "est" or ":"
    rf"[cCmMiIlLpP](?<![\w\[][cCmMiIlLpP])(?:(?<=[cC])(?i:odes?(?:{_SP}+(?:provisoires?|d['’]activation"
    rf"|d['’]acc[èe]s|secrets?|pin|confidentiel|de{_SP}+connexion|de{_SP}+validation|de{_SP}+s[ée]curit[ée]"
    rf"|[àa]{_SP}+usage{_SP}+unique|sms|re[çc]us?(?:{_SP}+par{_SP}+(?:sms|e-?mail|mail|courrier))?"
    rf"|par{_SP}+(?:sms|e-?mail|mail|courrier)))*)"
    rf"|(?<=[mM])(?i:ots?{_SP}+de{_SP}+passe|dp)|(?<=[iI])(?i:dentifiants?)|(?<=[lL])(?i:ogin)"
    rf"|(?<=[pP])(?i:assword|wd))"
    rf"(?P<sep>{_SP}*(?:[:=]|->|→){_SP}*|{_SP}+(?i:est|c['’]est|[ée]tait){_SP}*(?:[:=]{_SP}*)?(?:(?i:le|la){_SP}+)?"
    rf"|{_SP}+)(?P<token>{_TOKEN_CHAR}{{4,64}})"
)
_LEADING_MARKUP = "*_`~"  # Markdown around a word: **code provisoire**
_TRAILING_PUNCTUATION = ".:!?…*_`~"
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_HEX_ID = re.compile(  # UUIDs and hex digests (sender, message and model ids)
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{24,}"
)
_BENIGN_TOKEN = re.compile(
    r"(?i)"
    r"\d{1,2}(?:[h:]\d{0,2}(?:mi?n)?)?(?:[-–/à]\d{1,2}(?:[h:]\d{0,2}(?:mi?n)?)?)*"  # 8h30, 8h30-17h30, 24h/24
    r"|\d+(?:e|er|re|ère|ere|eme|ème|ième|ieme|è|nd|nde)s?"  # ordinals: 15e, 13ème, 1ère
    r"|\d+(?:[.,]\d+)?(?:ans?|mois|jours?|j|h|hrs?|heures?|mi?n|mins|minutes?|s|sec|secondes?|semaines?|kg|g|mg"
    r"|µg|ml|cl|l|cm|mm|km|m|mo|go|ko|to|€|euros?|eur|%|pages?|fois|x|docs?|documents?|enfants?|personnes?"
    r"|fichiers?|photos?|messages?|mails?|sms)"  # quantities: 30min, 10jours, 2Mo
    rf"|\d{{1,2}}(?:{_MONTHS})\d{{0,4}}"  # 12mars1950 is a date, not a code
    r"|n[°o]\d{1,5}"  # n°3422
    r"|v\d+(?:\.\d+)+"  # versions
    r"|[lrd]\d{3,4}(?:-\d{1,3})+"  # articles of the Code de la santé publique: L1111-14, R1111-27
    r"|[a-z]+(?:_[a-z0-9]+){2,}"  # names of slots, intents and actions: child_turning_18
    r"|(?:mi|fin|d[ée]but|[ée]t[ée]|hiver|printemps|automne)-\d{4}"  # mi-2026
    r"|(?:https?://|www\.).*|[\w\-]+(?:\.[\w\-]+)+/.*"  # links
    r"|(?:iphone|ipad|android|windows|win|galaxy|ios|pixel|redmi|xiaomi|samsung|huawei|honor|macos)-?\d{1,2}[a-z]?"
    r"|covid-?19|sars-cov-?2|h1n1|h5n1|hba1c|mp[34]|[2-5]g|a[3-5]|b2b|b2c|f5|f12"
)
_SERVICE_NUMBERS = frozenset({"3422", "3646", "3919", "3114", "15", "17", "18", "112", "114", "115", "119", "196"})
_NOT_SECRET = frozenset(
    {
        "franceconnect", "ameli", "vitale", "sms", "pdf", "dmp", "mss", "ins", "nir", "provisoire", "e-mail", "email",
        "mail", "courrier", "oublié", "oublie", "perdu", "bloqué", "bloque", "faux", "fausse", "incorrect",
        "incorrecte", "invalide", "expiré", "expire", "erroné", "errone", "refusé", "refuse", "illisible", "reçu",
        "recu", "jamais", "aucun", "toujours", "marche", "fonctionne", "pas", "plus", "bon", "bien", "vide",
        "impossible", "introuvable", "inconnu", "inconnue", "bloquée", "désactivé", "desactive", "personnel",
        "personnelle", "demandé", "demande", "nouveau", "nouvelle", "différent", "different", "obligatoire",
    }
)  # fmt: skip


_VITALE_HINTS = ("rie", "vitale", "carte")
_CODE_HINTS = ("code", "passe", "mdp", "identifiant", "login", "password", "pwd")


def _strip_token(text: str, start: int, end: int) -> tuple[int, int]:
    """The token without the Markdown around it and the sentence punctuation after it."""
    while start < end and text[start] in _LEADING_MARKUP:
        start += 1
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        end -= 1
    return start, end


def _emails(text: str) -> list[tuple[int, int, int]]:
    """E-mail addresses, found from their "@" (or "(at)", "arobase") outwards."""
    spans: list[tuple[int, int, int]] = []
    backwards = text[::-1]
    size = len(text)
    ats = list(_AT_SIGN.finditer(text)) if "@" in text or "＠" in text else []
    lowered = text.lower()
    if "arobase" in lowered or "at)" in lowered or "at]" in lowered or "at}" in lowered:
        ats.extend(_AT_WORD.finditer(text))
    for at in ats:
        domain = _EMAIL_DOMAIN.match(text, at.end())
        local = _EMAIL_LOCAL_REVERSED.match(backwards, size - at.start())
        if domain and local:
            spans.append((size - local.end(), domain.end(), _R_EMAIL))
    return spans


def _name_end(text: str, position: int, most: int) -> tuple[int, int]:
    """End of the street or place name starting at ``position`` and its number of words.

    The name stops before a 5-digit postcode, punctuation, or a word that starts a new clause
    (« à », « et », « je », « j'ai »…), so that the postcode and commune stay readable.
    """
    words = 0
    while words < most:
        m = _NAME_WORD.match(text, position)
        if m is None:
            break
        word = m.group(1).lower()
        if word in _STOP_WORDS or word.startswith(_ELIDED_PRONOUNS):
            break
        position = m.end()
        words += 1
    return position, words


def _has_capital_word(name: str) -> bool:
    return any(word[:1].isupper() for word in name.split())


def _addresses(text: str, lowered: str, has_digit: bool) -> list[tuple[int, int, int]]:
    spans: list[tuple[int, int, int]] = []
    street_words = _STREET_TYPE_SET.intersection(lowered.split()) if has_digit else ()
    if street_words:  # the number stands a few characters before the first street word: "12 bis, rue"
        first = min(lowered.find(word) for word in street_words)
        last_end = 0
        for m in _NUMBER_THEN_WORD.finditer(text, max(0, first - 32)):
            kind = m.group("type").lower()
            if m.start() >= last_end and (kind in _STREET_TYPE_SET or kind.rstrip(".") in _STREET_TYPE_SET):
                end, words = _name_end(text, m.end(), 7)
                if words and (kind not in _AMBIGUOUS_STREET_TYPES or _has_capital_word(text[m.end() : end])):
                    spans.append((m.start(), end, _R_ADDRESS))
                    last_end = end
    if "CS" in text or "TSA" in text or any(word in lowered for word in _ADDRESS_HINTS):
        for m in _KEYWORD_ADDRESS.finditer(text):
            end = m.end()
            if m.group("place"):
                end, words = _name_end(text, end, 7)
                if not words:
                    continue
            elif m.group("residence"):
                end = _name_end(text, end, 6)[0]
            spans.append((m.start(), end, _R_ADDRESS))
    return spans


def _blank(text: str, spans: list[tuple[int, int, int]]) -> str:
    """``text`` with the spans replaced by as many spaces: positions stay, words are cut."""
    pieces: list[str] = []
    position = 0
    for start, end, _ in sorted(spans):
        if end <= position:
            continue
        start = max(start, position)
        pieces.append(text[position:start])
        pieces.append(" " * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _codes(text: str) -> list[tuple[int, int, int]]:
    """Tokens of 6 to 16 characters mixing letters and digits."""
    spans: list[tuple[int, int, int]] = []
    for m in _DIGIT_TOKEN.finditer(text):
        start = m.start()
        if start == 0 or text[start - 1].isspace() or text[start - 1] in _TOKEN_SEPARATORS:
            if m.group().isdigit():
                continue  # a plain number
        else:
            while start and not text[start - 1].isspace() and text[start - 1] not in _TOKEN_SEPARATORS:
                start -= 1
        start, end = _strip_token(text, start, m.end())
        token = text[start:end]
        if 6 <= len(token) <= 16 and any(c.isalpha() for c in token) and not _is_benign(token):
            spans.append((start, end, _R_CODE))
    return spans


def _is_benign(token: str) -> bool:
    lowered = token.lower()
    return lowered in _SERVICE_NUMBERS or _BENIGN_TOKEN.fullmatch(lowered) is not None


def _looks_secret(token: str, explicit: bool, shouting: bool) -> bool:
    """A token after « code », « mot de passe »… that reads like a secret rather than a French word.

    ``shouting``: the keyword itself is in capitals, so capitals say nothing about the token.
    """
    if _is_benign(token) or token.lower() in _NOT_SECRET:
        return False
    if any(c.isdigit() for c in token) or any(not c.isalnum() and c not in "-'’" for c in token):
        return True
    letters = [c for c in token if c.isalpha()]
    if explicit and len(token) >= 8:  # "identifiant : jeandupont" (identifiers have 8 characters or more)
        return True
    if any(c.isupper() for c in letters[1:]) and any(c.islower() for c in letters):
        return True  # xYzAbc: mixed case
    return not shouting and len(letters) >= 6 and all(c.isupper() for c in letters)  # ABCDEFGH


def _is_vitale(match: re.Match[str]) -> bool:
    """A digit run in a message about the carte Vitale: 8 to 13 digits, not a phone number or a date."""
    text, start = match.string, match.start()
    groups = _DIGIT_GROUPS.findall(match.group())
    digits = "".join(groups)
    if not 8 <= len(digits) <= 13 or _PHONE_PREFIX.search(text, max(0, start - 8), start):
        return False
    if len(groups) > 1 and len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return False  # 06 12 34 56 78: the phone rule names it
    if len(groups) == 3 and len(groups[2]) in (2, 4) and len(groups[0]) <= 2 and len(groups[1]) <= 2:
        return not (1 <= int(groups[0]) <= 31 and 1 <= int(groups[1]) <= 12)  # 12 03 2023: a date
    return True


def _spans(text: str) -> list[tuple[int, int, int]]:
    """Every detection as (start, end, rank), possibly overlapping.

    Cheap substring checks decide which detectors run: most messages have no digit, no "@" and
    no keyword, and scanning them with every pattern would cost several times more.
    """
    spans: list[tuple[int, int, int]] = []
    add = spans.append
    lowered = text.lower()
    has_digit = _DIGIT.search(text) is not None
    if "@" in text or "＠" in text or "arobase" in lowered or "at)" in lowered or "at]" in lowered or "at}" in lowered:
        spans.extend(_emails(text))
    if has_digit:
        for m in _DIGIT_RUN.finditer(text):
            add((m.start(), m.end(), _R_NIR if m.group("nir") or m.group("long") else _R_VITALE))
        for m in _PHONE.finditer(text):
            add((m.start(), m.end(), _R_PHONE))
        if any(word in lowered for word in _VITALE_HINTS):
            context = _PLACEHOLDER.sub(" ", text) if "[" in text else text
            if _VITALE_CONTEXT.search(context):
                for m in _VITALE_CANDIDATE.finditer(text):
                    if _is_vitale(m):
                        add((m.start(), m.end(), _R_VITALE))
        for m in _DATE_OF_BIRTH.finditer(text):
            add((m.start("date"), m.end("date"), _R_DATE))
    spans.extend(_addresses(text, lowered, has_digit))
    if any(word in lowered for word in _CODE_HINTS):
        for m in _CODE_CONTEXT.finditer(text):
            start, end = _strip_token(text, m.start("token"), m.end("token"))
            # "identifiant : jeandupont": after ":" an identifier may be plain letters; a code may not.
            explicit = m.group()[0] not in "cC" and any(s in m.group("sep") for s in ":=>→")
            shouting = text[m.start() : m.start("sep")].isupper()
            if end - start >= 4 and _looks_secret(text[start:end], explicit, shouting):
                add((start, end, _R_CODE))
    spans = _not_in_links_or_ids(text, lowered, spans)
    if has_digit:  # after the others, which cut words as their placeholders will
        spans.extend(_not_in_links_or_ids(text, lowered, _codes(_blank(text, spans) if spans else text)))
    return spans


def _not_in_links_or_ids(text: str, lowered: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop the guesses inside web links (keep NIR, e-mail, phone) and anything inside a UUID or hex id."""
    if spans and ("http" in lowered or "www." in lowered):
        spans = _drop_inside(spans, _URL.finditer(text), (_R_VITALE, _R_CODE, _R_DATE))
    return [span for span in spans if not _inside_hex_id(text, span[0], span[1])]


def _is_id_char(char: str) -> bool:
    return char.isalnum() or char in "-_"


def _inside_hex_id(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a word that is a UUID or a long hex digest."""
    size = len(text)
    if (start == 0 or not _is_id_char(text[start - 1])) and (end == size or not _is_id_char(text[end])):
        return False  # a whole word: no detection is as long as an id
    while start and _is_id_char(text[start - 1]):
        start -= 1
    while end < size and _is_id_char(text[end]):
        end += 1
    return _HEX_ID.fullmatch(text, start, end) is not None


def _drop_inside(
    spans: list[tuple[int, int, int]], regions: Iterable[re.Match[str]], ranks: tuple[int, ...]
) -> list[tuple[int, int, int]]:
    """The spans, less those of the given ranks that lie wholly inside one of the regions."""
    bounds = [(m.start(), m.end()) for m in regions]
    if not bounds:
        return spans
    return [
        (start, end, rank)
        for start, end, rank in spans
        if rank not in ranks or not any(a <= start and end <= b for a, b in bounds)
    ]


def _merge(spans: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Union of overlapping spans, each labelled with its highest-priority (lowest) rank."""
    merged: list[tuple[int, int, int]] = []
    for start, end, rank in sorted(spans):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            last_start, last_end, last_rank = merged[-1]
            merged[-1] = (last_start, max(last_end, end), min(last_rank, rank))
        else:
            merged.append((start, end, rank))
    return merged


def _replace(text: str, spans: list[tuple[int, int, int]], end: int) -> str:
    """text[:end] with each merged span replaced by its placeholder."""
    pieces: list[str] = []
    position = 0
    for start, stop, rank in spans:
        pieces.append(text[position:start])
        pieces.append(PLACEHOLDERS[KINDS[rank]])
        position = stop
    pieces.append(text[position:end])
    return "".join(pieces)


def _analyse(text: str) -> tuple[str, list[int]]:
    """The redacted text and the ranks of the kinds found.

    A placeholder can make a new detection possible (its brackets end a word that was glued to the
    secret, or it hides the "+33" that made digits a phone number), so a changed result is analysed
    again until nothing changes: redact(redact(x)) == redact(x).
    """
    truncated = len(text) > MAX_CHARS
    window = text[: MAX_CHARS + _MARGIN] if truncated else text
    spans = _merge(_spans(window))
    cut = len(text)
    if truncated:
        cut = MAX_CHARS
        for start, end, _ in spans:
            if start < cut < end:
                cut = end  # never cut a detection in two
        spans = [span for span in spans if span[0] < cut]
    ranks = {rank for _, _, rank in spans}
    result = _replace(text, spans, cut) if spans or truncated else text
    for _ in range(_MAX_PASSES - 1):
        if not spans:
            break
        spans = _merge(_spans(result))
        ranks.update(rank for _, _, rank in spans)
        result = _replace(result, spans, len(result))
    if truncated:
        result += " " + TRUNCATED
    return result, sorted(ranks)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def redact(text: object) -> str:
    """``text`` with personal data replaced by French placeholders such as ``[adresse e-mail]``.

    Accepts anything (``None`` gives ``""``, other objects their ``str()``) and never raises.
    """
    try:
        return _analyse(_as_text(text))[0]
    except Exception:  # fail closed: nothing of a text we could not read leaves
        return MASKED


def find_personal_data(text: object) -> list[str]:
    """Kinds of personal data found in ``text`` (see ``KINDS``), highest priority first."""
    try:
        return [KINDS[rank] for rank in _analyse(_as_text(text))[1]]
    except Exception:
        return []


def redact_value(value: Any, _depth: int = 0) -> Any:
    """A copy of ``value`` with every string inside dicts, lists, tuples and sets redacted.

    Dict keys are kept; numbers, booleans, ``None`` and other objects are returned as they are.
    """
    try:
        if isinstance(value, str):
            return redact(value)
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if _depth >= MAX_DEPTH:
            return MASKED if isinstance(value, (dict, list, tuple, set, frozenset)) else value
        if isinstance(value, dict):
            return {key: redact_value(item, _depth + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [redact_value(item, _depth + 1) for item in value]
        if isinstance(value, tuple):
            return tuple(redact_value(item, _depth + 1) for item in value)
        if isinstance(value, (set, frozenset)):
            return type(value)(redact_value(item, _depth + 1) for item in value)
        return value
    except Exception:
        return MASKED
