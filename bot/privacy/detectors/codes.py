"""Codes, passwords and identifiers after their keyword: « code provisoire : AB12CD34 », « mdp = … »,
« code 1234 5678 »."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import MONTHS, SP, strip_token
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import CODE_KIND
from bot.privacy.words import NOT_SECRET, SERVICE_NUMBERS

TOKEN_CHAR = r"[^\s'’\"«»()\[\]{}<>,;]"
TOKEN_SEPARATORS = frozenset("'’\"«»()[]{}<>,;")
_CONTEXT = re.compile(  # « code … », « mot de passe », « mdp », « identifiant », then an optional "est" or ":"
    rf"[cCmMiIlLpP](?<![\w\[][cCmMiIlLpP])(?:(?<=[cC])(?i:odes?(?:{SP}+(?:provisoires?|d['’]activation"
    rf"|d['’]acc[èe]s|secrets?|pin|confidentiel|de{SP}+connexion|de{SP}+validation|de{SP}+s[ée]curit[ée]"
    rf"|[àa]{SP}+usage{SP}+unique|sms|re[çc]us?(?:{SP}+par{SP}+(?:sms|e-?mail|mail|courrier))?"
    rf"|par{SP}+(?:sms|e-?mail|mail|courrier)))*)"
    rf"|(?<=[mM])(?i:ots?{SP}+de{SP}+passe|dp)|(?<=[iI])(?i:dentifiants?)|(?<=[lL])(?i:ogin)"
    rf"|(?<=[pP])(?i:assword|wd))"
    rf"(?P<sep>{SP}*(?:[:=]|->|→){SP}*|{SP}+(?i:est|c['’]est|[ée]tait){SP}*(?:[:=]{SP}*)?(?:(?i:le|la){SP}+)?"
    rf"|{SP}+)(?P<token>{TOKEN_CHAR}{{4,64}})"
)
# More groups of the same code: « 1234 5678 », « AB12 CD34 »; a group holds a digit or is in capitals.
_NEXT_GROUP = re.compile(rf"{SP}(?!\d{{5}}(?![\w@.\-]))(?:[A-Za-z]*\d[A-Za-z0-9]*|[A-Z0-9]{{2,8}})(?![\w@\-]|\.\w)")
BENIGN_TOKEN = re.compile(
    r"(?i)"
    r"\d{1,2}(?:[h:]\d{0,2}(?:mi?n)?)?(?:[-–/à]\d{1,2}(?:[h:]\d{0,2}(?:mi?n)?)?)*"  # 8h30, 8h30-17h30, 24h/24
    r"|\d+(?:e|er|re|ère|ere|eme|ème|ième|ieme|è|nd|nde)s?"  # ordinals: 15e, 13ème, 1ère
    r"|\d+(?:[.,]\d+)?(?:ans?|mois|jours?|j|h|hrs?|heures?|mi?n|mins|minutes?|s|sec|secondes?|semaines?|kg|g|mg"
    r"|µg|ml|cl|l|cm|mm|km|m|mo|go|ko|to|€|euros?|eur|%|pages?|fois|x|docs?|documents?|enfants?|personnes?"
    r"|fichiers?|photos?|messages?|mails?|sms)"  # quantities: 30min, 10jours, 2Mo
    rf"|\d{{1,2}}(?:{MONTHS})\d{{0,4}}"  # 12mars1950 is a date, not a code
    r"|n[°o]\d{1,5}"  # n°3422
    r"|v\d+(?:\.\d+)+"  # versions
    r"|[lrd]\d{3,4}(?:-\d{1,3})+"  # articles of the Code de la santé publique: L1111-14, R1111-27
    r"|[a-z]+(?:_[a-z0-9]+){2,}"  # names of slots, intents and actions: child_turning_18
    r"|(?:mi|fin|d[ée]but|[ée]t[ée]|hiver|printemps|automne)-\d{4}"  # mi-2026
    r"|(?:https?://|www\.).*|[\w\-]+(?:\.[\w\-]+)+/.*"  # links
    r"|(?:iphone|ipad|android|windows|win|galaxy|ios|pixel|redmi|xiaomi|samsung|huawei|honor|macos)-?\d{1,2}[a-z]?"
    r"|covid-?19|sars-cov-?2|h1n1|h5n1|hba1c|mp[34]|[2-5]g|a[3-5]|b2b|b2c|f5|f12"
    r"|[a-z][a-z\-]*/\d+(?:\.\d+)*\"?|x86_64|amd64|arm64|aarch64"  # HTTP/1.1, Mozilla/5.0 in access logs
)
_POSTCODE = re.compile(r"\d{5}")
_CODE_LENGTH = 8  # a provisional code written in lower-case letters only is taken when it has this length
_MORE_WORDS = re.compile(rf"{SP}+[^\W\d_]")
_FRENCH_ENDING = re.compile(
    r"(?:ment|tion|sion|eurs?|euses?|aires?|elles?|iques?|ables?|ibles?|istes?|ances?|ences?|ieres?|iers?|iels?"
    r"|als?|aux|ait|ais|ants?|ents?|ons|ez|ers?|ees?|ites?|ours?|oirs?|eaux?|ages?|ines?|ises?|ues?|ects?)$"
)
_HINTS = ("code", "passe", "mdp", "identifiant", "login", "password", "pwd")


def is_benign(token: str) -> bool:
    """A time, an ordinal, a quantity, a link, a version…: never a secret."""
    lowered = token.lower()
    return lowered in SERVICE_NUMBERS or BENIGN_TOKEN.fullmatch(lowered) is not None


def _looks_secret(token: str, explicit: bool, shouting: bool) -> bool:
    """A token after « code », « mot de passe »… that reads like a secret rather than a French word.

    ``explicit``: the token is announced as the value (« identifiant : jeandupont », « code : abcdefgh »
    ending the sentence). ``shouting``: the keyword itself is in capitals, so capitals say nothing.
    """
    if is_benign(token) or token.lower() in NOT_SECRET or _POSTCODE.fullmatch(token):
        return False  # « code 88000 » is a postcode
    if any(c.isdigit() for c in token) or any(not c.isalnum() and c not in "-'’" for c in token):
        return True
    letters = [c for c in token if c.isalpha()]
    if explicit and len(token) >= 8 and "-" not in token:  # « identifiant : jeandupont », « code : abcdefgh »
        return True
    if len(token) == _CODE_LENGTH and token.isascii() and token.isalpha() and not _FRENCH_ENDING.search(token.lower()):
        return True  # « mon code provisoire est abcdefgh »: eight plain letters that do not end like a French word
    if any(c.isupper() for c in letters[1:]) and any(c.islower() for c in letters):
        return True  # xYzAbc: mixed case
    return not shouting and len(letters) >= 6 and all(c.isupper() for c in letters)  # ABCDEFGH


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    for m in _CONTEXT.finditer(text):
        start, end = strip_token(text, m.start("token"), m.end("token"))
        explicit = any(s in m.group("sep") for s in ":=>→")
        if explicit and m.group()[0] in "cC":  # « code : choisissez le lien » is a sentence, not a code
            explicit = end - start == _CODE_LENGTH and not _MORE_WORDS.match(text, end)
        shouting = text[m.start() : m.start("sep")].isupper()
        if end - start >= 4 and _looks_secret(text[start:end], explicit, shouting):
            while group := _NEXT_GROUP.match(text, end):
                end = group.end()
            yield start, end


DETECTOR = Detector(CODE_KIND, _find, cues=_HINTS, dropped_in_links=True)
