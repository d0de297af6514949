"""Hypothesis strategies for the redaction properties: personal identifiers in every format and separator,
embedded in French sentences (``Planted``), and sentences holding only public data (``Public``).

Identifiers are built by libraries where validity matters: NIR keys checked by ``stdnum.fr.nir``, phone
numbers by ``phonenumbers.is_valid_number``, IBANs built with ``stdnum.iban`` check digits and validated by
it, dates by ``st.dates``. Real commune names and postcodes come from the gazetteer in data/geo.

A ``Planted`` knows what must not survive, once every separator is stripped: its digits (any run of
``window`` consecutive digits of the identifier's core), its letters and digits (``alnum``), its words
(names), or exact pieces (a coordinate's third decimal). The sentence around an identifier never holds a
digit, so any digit of the identifier left in the output is seen, wherever the separators were.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import phonenumbers
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

T = TypeVar("T")
GEO = Path(__file__).resolve().parent.parent / "data" / "geo"

SEPARATORS: dict[str, str] = {  # shrinking goes to the first: no separator, then a plain space
    "none": "",
    "space": " ",
    "dot": ".",
    "dash": "-",
    "en dash": "\u2013",
    "slash": "/",
    "underscore": "_",
    "tab": "\t",
    "no-break space": "\u00a0",
    "narrow no-break space": "\u202f",
    "thin space": "\u2009",
}
_CHARACTERS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
INSIDE: dict[str, str] = {"zero-width space": "\u200b", "line break": "\n"}
"""Characters that appear once inside an identifier (copied from a PDF, or a line wrapped by the phone)."""

# Every placeholder the redaction may write, today's and those being added: the text around an identifier,
# placeholders included, must not already contain what is checked.
PLACEHOLDER_TEXT = " ".join(
    f"[{kind}]"
    for kind in (
        "numéro de sécurité sociale", "numéro de carte Vitale", "coordonnées bancaires", "adresse e-mail",
        "numéro de téléphone", "adresse", "code", "date de naissance", "nom", "position", "texte masqué",
        "suite du texte masquée",
    )
)  # fmt: skip

OUTER = (  # French sentences around a phrase: start, middle, end, punctuation, typographic spaces
    "{}",
    "{}.",
    "{} !",
    "{} ?",
    "Bonjour, {}.",
    "bonjour {} merci",
    "voilà : {}",
    "{}, merci d'avance",
    "Je vous écris parce que {}. Pouvez-vous m'aider ?",
    "« {} »",
    "«\u00a0{}\u00a0»",
    "({})",
    "re-bonjour… {} ; c'est normal ?",
    "svp {} svp",
    "{}\nMerci",
)
CASES: dict[str, Callable[[str], str]] = {"as written": str, "lower": str.lower, "upper": str.upper, "capitalised": str}


# ---------------------------------------------------------------- what must not survive


def digits_of(text: str) -> str:
    """Only the ASCII digits of ``text``: every separator, letter and placeholder gone."""
    return "".join(c for c in text if "0" <= c <= "9")


def alnum_of(text: str) -> str:
    """Letters and digits of ``text``, case-folded: every separator and punctuation gone."""
    return "".join(c for c in text.casefold() if c.isalnum())


def longest_common(core: str, text: str) -> str:
    """The longest substring of ``core`` found in ``text``."""
    best = ""
    for start in range(len(core)):
        for end in range(len(core), start + len(best), -1):
            if core[start:end] in text:
                best = core[start:end]
                break
    return best


@dataclass(frozen=True)
class Planted:
    """A sentence with one personal identifier, and what of it must not be left after redaction."""

    category: str
    form: str
    text: str
    secret: str
    digits: tuple[str, ...] = ()
    alnum: tuple[str, ...] = ()
    window: int = 0
    words: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Planted({self.category!r}, {self.form!r}, {self.text!r})"

    def leaks(self, output: str, strict: bool = True) -> list[str]:
        """What survives in ``output``: pieces of the cores, words of a name, exact pieces.

        ``window`` consecutive characters of a core are a leak (the whole core when 0). Not ``strict``, for
        long texts full of other sentences and numbers (a report): only whole cores of 8 characters or more
        (a shorter one, « inc », is found in any JSON) and exact pieces.
        """
        found: list[str] = []
        for cores, normalised in ((self.digits, digits_of(output)), (self.alnum, alnum_of(output))):
            for core in cores if strict else [c for c in cores if len(c) >= 8]:
                size = min(self.window, len(core)) if strict and self.window else len(core)
                piece = longest_common(core, normalised)
                if len(piece) >= size:
                    found.append(piece)
        if strict:
            found += [w for w in self.words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", output, re.IGNORECASE)]
        found += [piece for piece in self.exact if piece in output]
        return found


@dataclass(frozen=True)
class Public:
    """A sentence that holds only public data: it must come out of the redaction unchanged."""

    form: str
    text: str

    def __repr__(self) -> str:
        return f"Public({self.form!r}, {self.text!r})"


# ---------------------------------------------------------------- shared pieces


@functools.cache
def fixed_text(alphabet: str, size: int) -> st.SearchStrategy[str]:
    """``size`` characters of ``alphabet`` in a single draw (one number written in base ``len(alphabet)``).

    Hypothesis spends most of its time per draw: one number instead of ``size`` characters keeps a run of
    thousands of examples fast. Hypothesis favours small numbers, 0 first: through an affine map (a large
    prime factor and an offset, modulo the count: one to one) they give characters spread over the whole
    alphabet, and the examples it shrinks to look like real identifiers rather than 00000000.
    """
    base = len(alphabet)

    def spell(number: int) -> str:
        number = (number * 1_000_000_007 + 0x5DEECE66D) % base**size
        chars = []
        for _ in range(size):
            number, rest = divmod(number, base)
            chars.append(alphabet[rest])
        return "".join(reversed(chars))

    return st.integers(0, base**size - 1).map(spell)


def joined(draw: st.DrawFn, groups: Sequence[str]) -> tuple[str, str]:
    """``groups`` joined by one separator, or a mix, maybe with a zero-width space or a line break inside."""
    names, gaps = list(SEPARATORS), len(groups) - 1
    if gaps < 2 or draw(st.integers(0, 3)) < 3:
        name = draw(st.sampled_from(names))
        separators, label = [SEPARATORS[name]] * gaps, name
    else:  # a different separator in each gap (never none): one number, a digit per gap
        code, chosen = draw(st.integers(0, (len(names) - 1) ** gaps - 1)), []
        for _ in range(gaps):
            code, rest = divmod(code, len(names) - 1)
            chosen.append(names[1 + rest])
        separators, label = [SEPARATORS[n] for n in chosen], "mixed " + "/".join(dict.fromkeys(chosen))
    slots = gaps * len(INSIDE)
    inside = draw(st.integers(0, 4 * slots - 1)) - 3 * slots if gaps else -1  # one time in four
    if inside >= 0:
        gap, which = divmod(inside, len(INSIDE))
        name = list(INSIDE)[which]
        separators[gap] = INSIDE[name]
        label += f", {name} inside"
    text = groups[0] + "".join(sep + group for sep, group in zip(separators, groups[1:], strict=True))
    return text, label


def cut(draw: st.DrawFn, text: str, keep_together: Sequence[int] = ()) -> list[str]:
    """``text`` cut into arbitrary groups (never at the positions in ``keep_together``)."""
    allowed = [i for i in range(1, len(text)) if i not in keep_together]
    mask = draw(st.integers(0, 2 ** len(allowed) - 1))
    bounds = [0, *(i for bit, i in enumerate(allowed) if mask >> bit & 1), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def split_at(text: str, sizes: Sequence[int]) -> list[str]:
    groups, start = [], 0
    for size in sizes:
        groups.append(text[start : start + size])
        start += size
    return [g for g in groups if g]


def _cased(name: str, prefix: str, secret: str, suffix: str) -> tuple[str, str, str]:
    if name == "capitalised":
        if prefix:
            return prefix[:1].upper() + prefix[1:], secret, suffix
        return prefix, secret[:1].upper() + secret[1:], suffix
    change = CASES[name]
    return change(prefix), change(secret), change(suffix)


def planted(
    draw: st.DrawFn,
    category: str,
    form: str,
    secret: str,
    phrases: Sequence[str],
    outer: Sequence[str] = OUTER,
    cases: Sequence[str] = tuple(CASES),
    **checks: Any,
) -> Planted:
    """``secret`` inside a phrase (its cue) inside a sentence, in some case; what to check in ``checks``."""
    phrase = draw(st.sampled_from(list(phrases)))
    around = draw(st.sampled_from(list(outer)))
    case = draw(st.sampled_from(list(cases)))
    before, after = phrase.split("{}")
    start, end = around.split("{}")
    prefix, secret, suffix = _cased(case, start + before, secret, after + end)
    lowered = {key: tuple(v.casefold() for v in value) if key == "alnum" else value for key, value in checks.items()}
    result = Planted(category, f"{form}, {case}", prefix + secret + suffix, secret, **lowered)
    assume(not result.leaks(f"{prefix} {suffix} {PLACEHOLDER_TEXT}"))  # the words around are not the secret
    return result


def _read_geo() -> tuple[list[str], list[tuple[str, str]]]:
    with (GEO / "communes_gazetteer_cog2026.csv").open(encoding="utf-8") as f:
        communes = sorted({r["name"] for r in csv.DictReader(f) if r["type"] == "commune"})
    with (GEO / "postcodes_to_communes_cog2026.csv").open(encoding="utf-8") as f:
        pairs = sorted({(r["postcode"], r["name"]) for r in csv.DictReader(f) if r["type"] == "commune"})
    return [c for c in communes if not digits_of(c)], [p for p in pairs if not digits_of(p[1])]


COMMUNES, POSTCODES = _read_geo()
communes = st.sampled_from(COMMUNES)
postcodes = st.sampled_from(POSTCODES)


def _read_desks() -> list[dict[str, str]]:
    """The France Services desks of the shipped directory that publish a phone, an e-mail and an address."""
    from bot.france_services.raw import SHIPPED_FILE, read_table

    return [r for r in read_table(SHIPPED_FILE) if r["phone"] and r["email"] and r["address"] and r["postcode"]]


desks = st.sampled_from(_read_desks())


def digit_text(size: int) -> st.SearchStrategy[str]:
    return fixed_text("0123456789", size)


# ---------------------------------------------------------------- social security number (NIR)

NIR_PHRASES = (
    "{}",
    "mon numéro de sécu est {}",
    "mon numéro de sécurité sociale : {}",
    "NIR {}",
    "c'est le {}",
    "le numéro de ma fille est {}",
    "j'ai tapé {} et ça ne marche pas",
    "{} c'est mon numéro",
)


NIR_PLACES = {  # kind of birthplace -> (how many, its department and commune (or country) from a number)
    "mainland": (94 * 990, lambda n: f"{n // 990 + 1 + (n // 990 >= 19):02d}{n % 990 + 1:03d}"),  # no 20
    "Corsica": (2 * 990, lambda n: f"2{'AB'[n // 990]}{n % 990 + 1:03d}"),
    "overseas": (6 * 90, lambda n: f"{971 + n // 90}{n % 90 + 1:02d}"),
    "abroad": (891, lambda n: f"99{n + 100:03d}"),
}


def nir_numbers(draw: st.DrawFn) -> str:
    """A NIR with its key (15 characters): sex, year, month, department and commune (or country), order."""
    sex = draw(st.sampled_from(("1", "2", "1", "2", "1", "2", "7", "8")))  # 7, 8: temporary numbers
    year, month = divmod(draw(st.integers(0, 100 * 12 - 1)), 12)
    count, place = NIR_PLACES[draw(st.sampled_from(list(NIR_PLACES)))]
    body = f"{sex}{year:02d}{month + 1:02d}{place(draw(st.integers(0, count - 1)))}{draw(st.integers(1, 999)):03d}"
    number = body + stdnum_nir.calc_check_digits(body + "00")  # 97 - (n mod 97), 2A/2B read as 19/18
    assert stdnum_nir.is_valid(number), number
    return number


@st.composite
def nir_sentences(draw: st.DrawFn) -> Planted:
    number = nir_numbers(draw)
    with_key = draw(st.booleans())
    written = number if with_key else number[:13]
    corsica = [6] if number[5:7] in ("2A", "2B") else []
    grouping = draw(st.sampled_from(["1 23 45 67 890 123 45", "arbitrary"]))
    groups = cut(draw, written, corsica) if grouping == "arbitrary" else split_at(written, [1, 2, 2, 2, 3, 3, 2])
    text, separators = joined(draw, groups)
    form = f"{len(written)} characters, groups {grouping}, {separators}"
    return planted(draw, "NIR", form, text, NIR_PHRASES, digits=(digits_of(number[:13]),), window=6)


# ---------------------------------------------------------------- phone numbers

PHONE_PHRASES = (
    "{}",
    "appelez-moi au {}",
    "mon portable : {}",
    "tél {}",
    "mon numéro c'est le {}",
    "vous pouvez me joindre au {} après midi",
    "{} c'est mon fixe",
)
# Regions whose numbers are written with ten digits from a trunk 0, like mainland France.
TEN_DIGIT_REGIONS = ("FR", "RE", "YT", "GP", "BL", "MF", "MQ", "GF")
SHORT_REGIONS = ("NC", "PF", "PM", "WF")  # 6 to 8 digits: only written with their country code here
PHONE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)


def phone_numbers(draw: st.DrawFn) -> phonenumbers.PhoneNumber:
    """A valid number of France or an overseas territory: the example number with random last digits."""
    region = draw(st.sampled_from(["FR", "FR", "FR", *TEN_DIGIT_REGIONS[1:], *SHORT_REGIONS]))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(PHONE_TYPES)))
    national = phonenumbers.national_significant_number(example)
    if region == "FR":
        national = draw(st.sampled_from("123456779")) + draw(digit_text(8))
    else:
        changed = draw(st.integers(2, min(6, len(national) - 2)))
        national = national[:-changed] + draw(digit_text(changed))
    number = phonenumbers.parse("+" + str(example.country_code) + national)
    assume(phonenumbers.is_valid_number(number))
    return number


def _groups(formatted: str) -> list[str]:
    return [g for g in re.split(r"[ .\-]", formatted) if g]


@st.composite
def phone_sentences(draw: st.DrawFn) -> Planted:
    number = phone_numbers(draw)
    region = phonenumbers.region_code_for_number(number)
    national_digits = phonenumbers.national_significant_number(number)
    code = f"+{number.country_code}"
    international = _groups(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))[1:]
    forms = ["INTERNATIONAL", "E164", "00", "(+cc)"]
    if region in TEN_DIGIT_REGIONS:
        forms += ["NATIONAL", "NATIONAL", "NATIONAL", "NATIONAL arbitrary groups", "+cc (0)"]
    form = draw(st.sampled_from(forms))
    if form == "E164":
        text, separators = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), "none"
    elif form.startswith("NATIONAL"):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        groups = _groups(written) if form == "NATIONAL" else cut(draw, "0" + national_digits)
        text, separators = joined(draw, groups)
    elif form == "+cc (0)":
        rest, separators = joined(draw, international)
        text = f"{code} (0){rest}"
    else:
        rest, separators = joined(draw, international)
        lead = {"INTERNATIONAL": code, "00": "00" + code[1:], "(+cc)": f"({code})"}[form]
        text = f"{lead} {rest}"
    label = f"{region} {form}, {separators}"
    return planted(draw, "phone", label, text, PHONE_PHRASES, digits=(national_digits,), window=4)


# ---------------------------------------------------------------- e-mail addresses

WOMEN = (
    "Jeanne", "Chloé", "Léa", "Manon", "Camille", "Inès", "Louise", "Emma", "Zoé", "Noémie", "Maëlys", "Françoise",
    "Fatima", "Yasmine", "Sophie", "Nathalie", "Marie-Claire",
)  # fmt: skip
MEN = (
    "Lucas", "Hugo", "Nathan", "Théo", "Louis", "Gabriel", "Jules", "Arthur", "Mathis", "Sébastien", "Mohamed", "Kévin",
    "Jean-Pierre",
)  # fmt: skip
FIRST_NAMES = WOMEN + MEN
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Laurent", "Lefèvre", "Garcia", "Bertrand",
    "Fournier", "Morel", "Girard", "Dupont", "Lambert", "Bonnet", "Martinez", "Nguyen", "Benali", "Haddad",
    "Diallo", "Rousseau", "Mercier", "Blanchard", "Guérin", "Muller", "Faure", "Chevalier", "Gauthier", "Perrin",
)  # fmt: skip
DOMAINS = (
    "gmail.com", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr",
    "outlook.com", "icloud.com", "sante-88.gouv.fr", "ac-nancy-metz.fr",
)  # fmt: skip
EMAIL_PHRASES = (
    "{}",
    "mon mail est {}",
    "écrivez-moi à {}",
    "mon adresse mail : {}",
    "{} c'est mon adresse",
    "j'ai changé pour {} hier",
)


def ascii_word(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def email_locals(draw: st.DrawFn) -> str:
    """A local part made of a person's names, or of random letters and digits."""
    if draw(st.booleans()):
        first, last = ascii_word(draw(st.sampled_from(FIRST_NAMES))), ascii_word(draw(st.sampled_from(LAST_NAMES)))
        local = draw(st.sampled_from(["{f}.{l}", "{f}{l}", "{f}_{l}", "{f}-{l}", "{l}.{f}", "{f}.{l}{n}", "{f}{n}"]))
        return local.format(f=first, l=last, n=draw(st.integers(1, 99)))
    size = draw(st.integers(3, 9))
    return draw(fixed_text("abcdefghijklmnopqrstuvwxyz", 1)) + draw(fixed_text(_CHARACTERS["c"].lower(), size - 1))


EMAIL_FORMS: dict[str, Callable[[str, str], str]] = {
    "plain": lambda local, domain: f"{local}@{domain}",
    "spaced": lambda local, domain: f"{local} @ {domain}",
    "spaced dots": lambda local, domain: f"{local.replace('.', ' . ')} @ {domain.replace('.', ' . ')}",
    "arobase": lambda local, domain: f"{local} arobase {domain}",
    "spelled": lambda local, domain: f"{local.replace('.', ' point ')} arobase {domain.replace('.', ' point ')}",
    "at dot": lambda local, domain: f"{local} at {domain.replace('.', ' dot ')}",
    "(at) (dot)": lambda local, domain: f"{local} (at) {domain.replace('.', ' (dot) ')}",
    "[at] [dot]": lambda local, domain: f"{local} [at] {domain.replace('.', ' [dot] ')}",
    "(at) glued": lambda local, domain: f"{local}(at){domain}",
    "full-width @": lambda local, domain: f"{local}\uff20{domain}",
}


@st.composite
def email_sentences(draw: st.DrawFn) -> Planted:
    local = email_locals(draw)
    if draw(st.integers(0, 3)) == 0:
        local = ".".join(part.capitalize() for part in local.split("."))
    domain = draw(st.sampled_from(DOMAINS))
    form = draw(st.sampled_from(list(EMAIL_FORMS)))
    text = EMAIL_FORMS[form](local, domain)
    words = tuple(w for w in re.split(r"[._+\-]", local) if len(w) >= 3 and not w.isdigit())
    return planted(draw, "e-mail", form, text, EMAIL_PHRASES, alnum=(alnum_of(local),), words=words)


# ---------------------------------------------------------------- IBAN

IBAN_PHRASES = (
    "{}",
    "mon IBAN est {}",
    "RIB : {}",
    "voici mes coordonnées bancaires {}",
    "remboursez sur {} svp",
)
IBAN_COUNTRIES = ("FR", "FR", "FR", "FR", "MC", "DE", "IT", "GB", "LU", "CH", "NL", "PT")


def bbans(draw: st.DrawFn, country: str) -> str:
    """A basic bank account number with the structure stdnum's IBAN registry gives for ``country``."""
    structure = stdnum_iban._ibandb.info(country + "00")[0][1]["bban"]
    parts = []
    for size, kind in re.findall(r"(\d+)!?([nac])", structure):
        alphabet = _CHARACTERS[kind] if kind != "c" or draw(st.integers(0, 3)) == 3 else _CHARACTERS["n"]
        parts.append(draw(fixed_text(alphabet, int(size))))
    return "".join(parts)


@st.composite
def iban_sentences(draw: st.DrawFn) -> Planted:
    country = draw(st.sampled_from(IBAN_COUNTRIES))
    bban = bbans(draw, country)
    number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
    assume(stdnum_iban.is_valid(number))
    grouping = draw(st.sampled_from(["by 4", "compact", "by 4, no-break space", "by 4, narrow no-break space"]))
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    text = number if grouping == "compact" else SEPARATORS[grouping[6:] or "space"].join(groups)
    if grouping != "compact" and draw(st.integers(0, 4)) == 4:  # copied from a PDF: wrapped once
        gap = draw(st.integers(1, len(groups) - 1))
        text = SEPARATORS[grouping[6:] or "space"].join(groups[:gap]) + "\n" + " ".join(groups[gap:])
        grouping += ", line break inside"
    if draw(st.booleans()):
        text, grouping = text.lower(), grouping + ", lower case"
    form = f"{country}, {grouping}"
    return planted(draw, "IBAN", form, text, IBAN_PHRASES, alnum=(bban,), window=8)


# ---------------------------------------------------------------- codes

CODE_PHRASES = (
    "mon code provisoire est {}",
    "code : {}",
    "code provisoire : {}",
    "le code reçu par SMS est {}",
    "mon code d'activation c'est {}",
    "j'ai saisi le code {} mais ça ne marche pas",
    "mot de passe : {}",
)
BARE_PHRASES = ("{}", "{}.", " {} ", "{} ?")


@st.composite
def code_sentences(draw: st.DrawFn) -> Planted:
    form = draw(st.sampled_from(["letters and digits", "8 digits in two groups", "8 letters", "6 digits", "bare"]))
    phrases, outer = CODE_PHRASES, OUTER
    if form == "letters and digits":
        letters, figures = draw(fixed_text(_CHARACTERS["a"], 8)), draw(digit_text(8))
        mask = draw(st.integers(1, 2**8 - 2))  # which places hold a letter: at least one, not all
        code = written = "".join(letters[i] if mask >> i & 1 else figures[i] for i in range(8))
    elif form == "8 digits in two groups":
        code = draw(digit_text(8))
        written = code[:4] + " " + code[4:]
    elif form == "8 letters":
        code = written = draw(fixed_text(_CHARACTERS["a"].lower(), 8))
    else:
        code = written = draw(digit_text(6))
        if form == "bare":  # the user types only the code received by SMS
            phrases, outer = BARE_PHRASES, ("{}",)
    checks: dict[str, Any] = {"digits": (code,), "window": 4} if code.isdigit() else {"alnum": (code,), "window": 0}
    return planted(draw, "code", form, written, phrases, outer, **checks)


# ---------------------------------------------------------------- dates of birth

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
)  # fmt: skip
_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "treize", "quatorze", "quinze", "seize",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def french_number(n: int) -> str:
    """0 to 9999 in French words (traditional spelling): 1950 -> mille neuf cent cinquante."""
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + ("" if unit == 0 else " et un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante et onze" if n == 71 else "soixante-" + french_number(n - 60)
    if n < 100:
        return "quatre-vingts" if n == 80 else "quatre-vingt-" + french_number(n - 80)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else _UNITS[hundreds] + " cent"
        return head + ("s" if hundreds > 1 else "") if rest == 0 else f"{head} {french_number(rest)}"
    thousands, rest = divmod(n, 1000)
    head = "mille" if thousands == 1 else french_number(thousands) + " mille"
    return head if rest == 0 else f"{head} {french_number(rest)}"


BIRTH_PHRASES = (
    "né le {}",
    "née le {}",
    "je suis né le {}",
    "je suis née le {}",
    "ma fille est née le {}",
    "mon fils est né le {}",
    "date de naissance : {}",
    "date de naissance {}",
    "DDN {}",
    "né(e) le {}",
)


@st.composite
def birth_date_sentences(draw: st.DrawFn) -> Planted:
    day = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31)))
    forms = ["figures", "figures, two-digit year", "day month year", "words", "words, dix-neuf cent"]
    form = draw(st.sampled_from(forms))
    checks: dict[str, Any]
    if form.startswith("figures"):
        separator = draw(st.sampled_from(["/", ".", "-", " "]))
        padded = draw(st.booleans())
        d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
        y = str(day.year) if form == "figures" else f"{day.year % 100:02d}"
        text = separator.join((d, m, y))
        form += f" {separator!r}"
        checks = {"digits": (digits_of(text),), "window": 4}
    elif form == "day month year":
        first = "1er" if day.day == 1 and draw(st.booleans()) else str(day.day)
        text = f"{first} {MONTHS[day.month - 1]} {day.year}"
        checks = {"digits": (digits_of(text),), "window": 4}
    else:
        year = french_number(day.year)
        if form == "words, dix-neuf cent":
            assume(1920 <= day.year < 2000)
            year = "dix-neuf cent " + french_number(day.year % 100)
        first = "premier" if day.day == 1 else french_number(day.day)
        text = f"{first} {MONTHS[day.month - 1]} {year}"
        checks = {"alnum": (alnum_of(f"{first} {MONTHS[day.month - 1]}"), alnum_of(year))}
    phrases = BIRTH_PHRASES
    if draw(st.integers(0, 3)) == 0:  # « né à Lyon le 3 avril 1948 »
        place = draw(communes)
        phrases = (f"né à {place} le {{}}", f"née à {place} le {{}}", f"je suis née à {place} le {{}}")
        form += ", with the birthplace"
    return planted(draw, "date of birth", form, text, phrases, **checks)


# ---------------------------------------------------------------- street addresses

STREET_TYPES = (  # type, its article ("de la rue", "du boulevard"), its abbreviation
    ("rue", "de la", "r."), ("avenue", "de l'", "av."), ("boulevard", "du", "bd"), ("place", "de la", "pl."),
    ("chemin", "du", "ch."), ("allée", "de l'", "all."), ("impasse", "de l'", "imp."), ("route", "de la", "rte"),
    ("quai", "du", "quai"), ("square", "du", "sq."),
)  # fmt: skip
STREET_NAMES = (
    "de la Paix", "Victor Hugo", "Foch", "Jean Jaurès", "du Général de Gaulle", "Pasteur", "des Lilas",
    "de la République", "Gambetta", "du Moulin", "des Tilleuls", "Carnot", "Émile Zola", "de Verdun",
    "Saint-Michel", "des Écoles", "du Château", "de la Gare", "Jeanne d'Arc", "du Stade", "des Vignes",
    "de la Liberté", "Anatole France", "des Acacias",
)  # fmt: skip
_PARTICLES = frozenset({"de", "la", "du", "des", "d", "l"})
ADDRESS_PHRASES = ("j'habite {}", "mon adresse est {}", "{}", "mon adresse : {}", "envoyez-le {}")


def street_words(name: str) -> tuple[str, ...]:
    """The words of a street name that point at it: « Jeanne d'Arc » -> Jeanne, Arc."""
    return tuple(w for w in re.split(r"[ '\-]", name) if w and w.lower() not in _PARTICLES)


@st.composite
def address_sentences(draw: st.DrawFn) -> Planted:
    number = draw(st.integers(1, 250))
    street, article, abbreviation = draw(st.sampled_from(STREET_TYPES))
    name = draw(st.sampled_from(STREET_NAMES))
    form = draw(st.sampled_from(["number type name", "abbreviated type", "au N de la rue", "bis/ter", "comma"]))
    if form == "number type name":
        text = f"{number} {street} {name}"
    elif form == "abbreviated type":
        text = f"{number} {abbreviation} {name}"
    elif form == "au N de la rue":
        text = f"au {number} {article}{'' if article.endswith(chr(39)) else ' '}{street} {name}"
    elif form == "bis/ter":
        text = f"{number} {draw(st.sampled_from(['bis', 'ter', 'B']))} {street} {name}"
    else:
        text = f"{number}, {street} {name}"
    after = draw(st.sampled_from(["", "postcode and commune", "comma, postcode and commune", "à commune"]))
    if after:
        postcode, commune = draw(postcodes)
        assume(not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", commune, re.I) for w in street_words(name)))
        text += {"postcode and commune": f" {postcode} {commune}", "comma, postcode and commune":
                 f", {postcode} {commune}", "à commune": f" à {commune}"}[after]  # fmt: skip
        form += f", then {after}"
    phrases = ("j'habite {}", "{}") if form.startswith("au N") else ADDRESS_PHRASES
    return planted(draw, "address", form, text, phrases, words=street_words(name))


# ---------------------------------------------------------------- names

SELF, TITLED, RELATIVE = (  # what can be said around each kind of cue
    ("{}", "{} et je n'arrive pas à me connecter"),
    ("{}", "{} à l'appareil", "c'est pour {}", "{} n'a pas reçu sa carte"),
    ("{}", "c'est pour {}", "{} n'a pas reçu sa carte"),
)
NAME_FORMS = (  # cue, which names it takes (f: a woman's first name, m: a man's, l: the last name), sentences
    ("je m'appelle {} {}", "fl", SELF),
    ("je m'appelle {} {}", "ml", SELF),
    ("je m'appelle {}", "f", SELF),
    ("mon nom est {}", "l", SELF),
    ("mon nom c'est {}", "l", SELF),
    ("mon nom de famille est {}", "l", SELF),
    ("cordialement, {} {}", "fl", ("{}",)),
    ("Mme {}", "l", TITLED),
    ("Madame {}", "l", TITLED),
    ("M. {}", "l", TITLED),
    ("Monsieur {} {}", "ml", TITLED),
    ("ma fille {}", "f", RELATIVE),
    ("mon fils {}", "m", RELATIVE),
)


@st.composite
def name_sentences(draw: st.DrawFn) -> Planted:
    cue, parts, phrases = draw(st.sampled_from(NAME_FORMS))
    pools = {"f": WOMEN, "m": MEN, "l": LAST_NAMES}
    names = [draw(st.sampled_from(pools[part])) for part in parts]
    words = tuple(w for name in names for w in name.split("-"))
    form = cue.format(*({"f": "first", "m": "first", "l": "last"}[p] for p in parts))
    # After « ma fille », only a capitalised word is taken for a name: « ma fille aînée » and « ma fille jeanne »
    # look alike in lower case or in capitals (a documented limit of bot/privacy/detectors/name.py).
    cases = ("as written", "capitalised") if phrases is RELATIVE else tuple(CASES)
    return planted(draw, "name", form, cue.format(*names), phrases, cases=cases, words=words)


# ---------------------------------------------------------------- positions

REGIONS = (  # whole degrees of latitude and longitude
    (41, 50, -4, 8),  # mainland France
    (-21, -21, 55, 55),  # Réunion
    (15, 16, -61, -61),  # Guadeloupe
    (2, 5, -54, -52),  # Guyane
    (-12, -12, 45, 45),  # Mayotte
    (-22, -20, 164, 167),  # Nouvelle-Calédonie
)
POSITION_FORMS = (
    "{lat}, {lon}", "{lat},{lon}", "{lat} {lon}", "{lat}; {lon}", "lat {lat} lon {lon}",
    "latitude : {lat}, longitude : {lon}", "({lat}, {lon})", "https://maps.google.com/?q={lat},{lon}",
)  # fmt: skip
PAYLOADS = (  # what the page sends when the user shares a position (a client may send it unrounded)
    '/share_position{{"latitude": {lat}, "longitude": {lon}}}',
    '/share_position{{"latitude": "{lat}", "longitude": "{lon}"}}',
)
POSITION_PHRASES = ("{}", "je suis à {}", "ma position : {}", "voici mes coordonnées GPS {}", "position {}")


@st.composite
def position_sentences(draw: st.DrawFn) -> Planted:
    south, north, west, east = draw(st.sampled_from(REGIONS))
    decimals = draw(st.integers(4, 6))

    def coordinate(low: int, high: int) -> str:
        """Degrees with exactly ``decimals`` decimals, the last one not 0 (48.6900 says no more than 48.69)."""
        degrees = draw(st.integers(low, high))
        fraction = draw(digit_text(decimals - 1)) + draw(st.sampled_from("123456789"))
        return f"{degrees}.{fraction}"

    written = [coordinate(south, north), coordinate(west, east)]
    comma = draw(st.integers(0, 4)) == 0
    pattern = draw(st.sampled_from([*POSITION_FORMS, *PAYLOADS]))
    if comma and pattern in ("{lat} {lon}", "{lat}; {lon}"):
        written = [w.replace(".", ",") for w in written]
    text = pattern.format(lat=written[0], lon=written[1])
    precise = tuple(w[: len(w) - decimals + 3] for w in written)  # up to the third decimal: about 100 m
    form = f"{pattern}, {decimals} decimals"
    if pattern in PAYLOADS:  # a button payload is the whole message, as the page sends it
        return planted(draw, "position", form, text, ("{}",), ("{}",), ("as written",), exact=precise)
    return planted(draw, "position", form, text, POSITION_PHRASES, exact=precise)


# ---------------------------------------------------------------- every kind at once


def personal_sentences() -> st.SearchStrategy[Planted]:
    """A sentence with one identifier of any category."""
    return st.one_of(
        nir_sentences(), phone_sentences(), email_sentences(), iban_sentences(), code_sentences(),
        birth_date_sentences(), address_sentences(), name_sentences(), position_sentences(),
    )  # fmt: skip


# ---------------------------------------------------------------- public data

SERVICE_NUMBERS = ("3422", "3646", "3919", "15", "112", "114", "119")
DEPARTMENTS = (*(f"{d:02d}" for d in range(1, 96) if d != 20), "2A", "2B", "971", "972", "973", "974", "976")


def hours(draw: st.DrawFn) -> str:
    """Opening hours: 8h30-12h, de 9h à 17h, 14h00 – 17h30."""

    def time_of_day(hour: int) -> str:
        minutes = draw(st.sampled_from(["", "", "00", "15", "30", "45"]))
        return f"{hour}h{minutes}"

    start = draw(st.integers(7, 14))
    end = draw(st.integers(start + 1, 19))
    joiner = draw(st.sampled_from(["de {} à {}", "{}-{}", "{} - {}", "{}\u2013{}", "{} à {}"]))
    return joiner.format(time_of_day(start), time_of_day(end))


def plain_dates(draw: st.DrawFn) -> str:
    """A date with no birth word around it: le 12 mars 2026, le 12/03/2026."""
    day = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    if draw(st.booleans()):
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


PUBLIC_TEMPLATES: dict[str, tuple[str, ...]] = {
    "postcode and commune": (
        "une France services à {postcode} {commune}", "j'habite à {commune} ({postcode})", "{postcode} {commune}",
        "je suis à {commune}, {postcode}", "code {postcode}", "code postal {postcode}", "code postal : {postcode}",
        "mon code postal est {postcode}", "c'est dans le {postcode}",
    ),
    "commune": ("une France services près de {commune}", "j'habite à {commune}", "{commune}", "à {commune} ?"),
    "hours": ("ouvert {hours}", "le samedi {hours}", "{hours}", "c'est ouvert le lundi {hours} ?"),
    "service number": ("appelez le {service}", "le {service} ne répond pas", "j'ai appelé le {service} hier"),
    "department": ("je suis dans le {department}", "une France services dans le {department}",
                   "département {department}", "les France services du {department}"),
    "date without a birth word": ("le {date}", "rendez-vous le {date} à {hours}", "activé depuis le {date}",
                                  "mon espace santé a été créé le {date}"),
    "France Services desk": (
        "{desk_name}, {desk_address}, {desk_postcode} {desk_commune}, tél. {desk_phone}, e-mail {desk_email}",
        "Adresse : {desk_address}, {desk_postcode} {desk_commune} / Téléphone : {desk_phone}",
        "appelez la France services au {desk_phone} ou écrivez à {desk_email}",
    ),
    "all together": ("une France services à {postcode} {commune} ouverte {hours} ? j'ai appelé le {service} "
                     "le {date}, je suis dans le {department}",),
}  # fmt: skip


@st.composite
def public_sentences(draw: st.DrawFn) -> Public:
    form = draw(st.sampled_from(list(PUBLIC_TEMPLATES)))
    template = draw(st.sampled_from(PUBLIC_TEMPLATES[form]))
    postcode, commune = draw(postcodes)
    if form == "commune":
        commune = draw(communes)
    values = {"postcode": postcode, "commune": commune, "service": draw(st.sampled_from(SERVICE_NUMBERS)),
              "department": draw(st.sampled_from(DEPARTMENTS))}  # fmt: skip
    if "{hours}" in template:
        values["hours"] = hours(draw)
    if "{date}" in template:
        values["date"] = plain_dates(draw)
    if "{desk_" in template:
        desk = draw(desks)
        fields = ("name", "address", "postcode", "commune", "phone", "email")
        values.update({f"desk_{key}": desk[key] for key in fields})
    around = draw(st.sampled_from(OUTER))
    case = draw(st.sampled_from(["as written", "lower", "capitalised"]))
    text = around.replace("{}", template.format(**values))
    text = text.lower() if case == "lower" else text[:1].upper() + text[1:] if case == "capitalised" else text
    return Public(f"{form}, {case}", text)


# ---------------------------------------------------------------- fixed samples

SAMPLE_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def sample(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """``count`` values of ``strategy``, the same at every run (for a plain loop, not a property)."""
    found: list[T] = []

    @settings(SAMPLE_SETTINGS, max_examples=count)
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    collect()
    return found
