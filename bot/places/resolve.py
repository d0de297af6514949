"""Resolve free-text French place mentions (commune, postcode, department) to communes.

Pure Python, no Rasa dependency. Data: the COG 2026 gazetteer and postcode CSV files in ``data/geo``.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.text import fold_accents

GAZETTEER_FILE = "communes_gazetteer_cog2026.csv"
POSTCODES_FILE = "postcodes_to_communes_cog2026.csv"

MAX_INPUT_LENGTH = 100
MAX_CANDIDATES = 10
FUZZY_CUTOFF = 80.0  # fuzz.ratio; "nacny" -> "nancy" scores exactly 80
FUZZY_MIN_LENGTH = 4  # no fuzzy matching on very short queries
BIG_COMMUNE = 10_000  # a commune this big wins over a department of the same name (Vienne, Mayenne)
CURRENT_TYPES = frozenset({"commune", "arrondissement_municipal"})
FORMER_TYPES = frozenset({"commune_deleguee", "commune_associee"})
ARRONDISSEMENT_CITIES = frozenset({"paris", "lyon", "marseille"})

_ARTICLES = frozenset({"le", "la", "les", "l"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
# Letters (any script, with accents), digits, spaces and the punctuation found in place names.
_ALLOWED = re.compile(r"^[\w\s'’`\-.,()/]+$")
_SUSPICIOUS = re.compile(r"--|/\*|\b(select|insert|update|delete|drop|union)\b.*\b(from|into|set|table|select)\b", re.I)
_POSTCODE = re.compile(r"\b(\d{5})\b")
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d{1,2}) ?(?:e|er|eme|ieme|ere)?(?: arrondissement| arr)?$")
_DEP_CODE = re.compile(r"^(\d{1,3}|2a|2b)$")
_TRAILING_DEP = re.compile(r"^(.*\D)\s*\(?\b(\d{2,3}|2a|2b)\)?$")
_DEP_WORD = re.compile(r"^(?:departement|dept|dpt|dep)s?(?: (?:du|de la|de l|des|de|d))? (.+)$")
_REGION_DEPARTMENTS = {"corse": ("2A", "2B")}
PREFIX_MAX_CANDIDATES = 5  # "carhaix" -> "Carhaix-Plouguer", but not "saint" -> 4,000 names
LONGER_NAME_FACTOR = 10  # a town this many times bigger than the namesake is offered with it (« Charleville »)


def _spelling(text: str) -> str:
    """A name as spelt, accents kept: lower case, words only (« Blâmont » -> « blâmont »)."""
    return " ".join(re.findall(r"[^\W\d_]+", text.lower()))


def normalize_place(text: str) -> str:
    """Lower-case, strip accents and punctuation, expand St/Ste and drop a leading article."""
    text = fold_accents(text).replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = [_ABBREVIATIONS.get(tok, tok) for tok in text.split()]
    while len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _normalize_dep_code(code: str) -> str:
    """'2a' -> '2A', '1' -> '01', '971' -> '971'."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


# The department rules of ``Gazetteer.resolve``, shared with its pre-check ``Gazetteer.may_be_exact_name``.
def _after_department_word(query: str) -> str | None:
    """« departement des vosges » -> « vosges »; None when the normalized ``query`` does not begin so."""
    match = _DEP_WORD.match(query)
    return match.group(1) if match else None


def _trailing_department(query: str) -> tuple[str, str] | None:
    """« saint denis 93 », « saint denis (974) » -> (name, department code); None without a code at the end."""
    match = _TRAILING_DEP.match(query)
    return (match.group(1).strip(), _normalize_dep_code(match.group(2))) if match else None


_ALPHABET = 26  # a-z; every other character counts in one extra bin


def _letter_counts(text: str) -> list[int]:
    """How many times each letter a-z appears in ``text``, then all other characters together."""
    counts = [0] * (_ALPHABET + 1)
    for char in text:
        index = ord(char) - 97
        counts[index if 0 <= index < _ALPHABET else _ALPHABET] += 1
    return counts


@dataclass(frozen=True)
class Place:
    """A resolved commune (or municipal arrondissement)."""

    name: str
    insee_code: str
    dep_code: str
    dep_name: str
    latitude: float
    longitude: float
    postcode: str | None
    population: int = 0


@dataclass(frozen=True)
class Resolution:
    """Result of :meth:`Gazetteer.resolve`.

    ``departments`` lists the distinct (dep_code, dep_name) of the candidates when ``status == "ambiguous"``.
    """

    status: str  # "found" | "ambiguous" | "not_found" | "invalid"
    places: list[Place] = field(default_factory=list)
    departments: list[tuple[str, str]] = field(default_factory=list)
    # what matched: "postcode" | "arrondissement" | "department" | "commune" | "former" | "prefix" (the first
    # whole words of a longer name: « Saint-Dié » for Saint-Dié-des-Vosges) | "fuzzy" (a typo)
    kind: str = ""

    @property
    def place(self) -> Place | None:
        """Best candidate, if any."""
        return self.places[0] if self.places else None


@dataclass(frozen=True)
class _Entry:
    place: Place
    population: int
    is_arrondissement: bool


class Gazetteer:
    """In-memory index of French communes; build it once with :meth:`load`."""

    def __init__(self) -> None:
        self._by_insee: dict[str, _Entry] = {}  # current communes and arrondissements only
        self._by_name: dict[str, list[str]] = defaultdict(list)  # normalized name -> insee codes (current)
        self._former_by_name: dict[str, list[str]] = defaultdict(list)  # normalized name -> parent insee codes
        self._by_postcode: dict[str, list[str]] = defaultdict(list)
        self._arrondissements: dict[tuple[str, int], str] = {}  # (city, number) -> insee code
        self._dep_names: dict[str, str] = {}  # dep_code -> dep_name
        self._dep_by_name: dict[str, str] = {}  # normalized dep_name -> dep_code
        self._by_dep: dict[str, list[str]] = defaultdict(list)  # dep_code -> commune insee codes
        self._choices: list[str] = []
        self._first_words: frozenset[str] = frozenset()  # the first word of every name (normalized)
        self._letter_rows = np.zeros((_ALPHABET + 1, 0), dtype=np.int16)  # [letter, choice]: how many times
        self._choice_lengths = np.zeros(0, dtype=np.int64)

    @classmethod
    def load(cls, folder: Path) -> Gazetteer:
        """Load the gazetteer and postcode CSV files from ``folder``."""
        gaz = cls()
        folder = Path(folder)
        former_rows: list[dict[str, str]] = []
        with open(folder / GAZETTEER_FILE, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                gaz._dep_names.setdefault(row["dep_code"], row["dep_name"])
                if row["type"] in FORMER_TYPES:
                    former_rows.append(row)
                elif row["type"] in CURRENT_TYPES:
                    gaz._add_current(row)
        for row in former_rows:
            if row["parent_insee_code"] in gaz._by_insee:
                gaz._former_by_name[normalize_place(row["name"])].append(row["parent_insee_code"])
        with open(folder / POSTCODES_FILE, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["insee_code"] in gaz._by_insee:
                    gaz._by_postcode[row["postcode"]].append(row["insee_code"])
        gaz._dep_by_name = {normalize_place(name): code for code, name in gaz._dep_names.items()}
        for codes in gaz._by_dep.values():
            codes.sort(key=lambda c: -gaz._by_insee[c].population)
        gaz._choices = sorted(set(gaz._by_name) | set(gaz._former_by_name))
        gaz._first_words = frozenset(name.split()[0] for name in gaz._choices if name)
        counts = np.array([_letter_counts(name) for name in gaz._choices], dtype=np.int16).reshape(-1, _ALPHABET + 1)
        gaz._letter_rows = np.ascontiguousarray(counts.T)
        gaz._choice_lengths = counts.sum(axis=1, dtype=np.int64)
        return gaz

    def _add_current(self, row: dict[str, str]) -> None:
        if not row["latitude"] or not row["longitude"]:
            return  # candidates without coordinates are useless downstream
        postcodes = [p for p in row["postcodes"].split("|") if p]
        place = Place(
            name=row["name"],
            insee_code=row["insee_code"],
            dep_code=row["dep_code"],
            dep_name=row["dep_name"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            postcode=postcodes[0] if postcodes else None,
            population=int(row["population"]) if row["population"].isdigit() else 0,
        )
        is_arr = row["type"] == "arrondissement_municipal"
        population = place.population
        self._by_insee[place.insee_code] = _Entry(place, population, is_arr)
        if is_arr:
            match = re.match(r"^(\w+) (\d+)", normalize_place(row["name"]))
            if match:
                self._arrondissements[(match.group(1), int(match.group(2)))] = place.insee_code
        else:
            self._by_name[normalize_place(row["name"])].append(place.insee_code)
            self._by_dep[place.dep_code].append(place.insee_code)

    # ------------------------------------------------------------------ resolution

    def resolve(
        self, text: str, dep_code: str | None = None, fuzzy: bool = True, prefix: bool = False
    ) -> Resolution:
        """Resolve ``text`` to communes; ``dep_code`` (e.g. "93") optionally restricts candidates.

        ``fuzzy=False`` disables typo tolerance (used when scanning parts of a sentence); with
        ``prefix=True`` it still accepts a name of two words or more that begins a longer name
        ("st die" -> Saint-Dié-des-Vosges), which is not a typo but a shortened name.
        """
        if not isinstance(text, str):
            return Resolution("invalid")
        text = text.strip()
        if not text or len(text) > MAX_INPUT_LENGTH or not _ALLOWED.match(text) or _SUSPICIOUS.search(text):
            return Resolution("invalid")
        query = normalize_place(text)
        if not query:
            return Resolution("invalid")
        hint = _normalize_dep_code(dep_code) if dep_code else None

        # Postcode, alone or with a name ("88000 Epinal").
        postcode = _POSTCODE.search(query)
        if postcode:
            rest = normalize_place(_POSTCODE.sub(" ", query))
            return self._from_postcode(postcode.group(1), rest, hint)
        if query.isdigit() and len(query) == 4:  # postcode typed without its leading zero
            return self._from_postcode(query.zfill(5), "", hint)

        # Municipal arrondissement: "paris 15e", "lyon 3", "marseille 13 eme".
        arr = _ARRONDISSEMENT.match(query)
        if arr:
            code = self._arrondissements.get((arr.group(1), int(arr.group(2))))
            return replace(self._decide([code] if code else [], hint), kind="arrondissement")

        # "département 55", "département des Vosges".
        after_word = _after_department_word(query)
        if after_word is not None:
            query = after_word
            named = self._dep_by_name.get(query)
            if named and self._by_dep.get(named):
                return self._department(named)

        # Department code: "88", "2A", "971".
        if _DEP_CODE.match(query):
            code = _normalize_dep_code(query)
            return self._department(code)

        # Trailing department in the text: "Saint-Denis 93", "Saint-Denis (974)".
        trailing = _trailing_department(query)
        if trailing and hint is None and self._by_dep.get(trailing[1]):
            query, hint = trailing

        # "Corse": both Corsican departments, to choose from.
        if query in _REGION_DEPARTMENTS and hint is None:
            places = [self._by_insee[self._by_dep[code][0]].place for code in _REGION_DEPARTMENTS[query]]
            departments = [(p.dep_code, p.dep_name) for p in places]
            return Resolution("ambiguous", places, departments, kind="department")

        # Department name, unless a big commune has the same name (Vienne, Mayenne).
        dep = self._dep_by_name.get(query)
        big_namesake = any(self._by_insee[c].population >= BIG_COMMUNE for c in self._by_name.get(query, []))
        if dep and self._by_dep.get(dep) and hint in (None, dep) and not big_namesake:
            return self._department(dep)

        # Exact name (with the much bigger towns whose name it begins, see _with_bigger_longer_names), then
        # former commune name, then the beginning of a longer name, then a typo.
        if query in self._by_name:
            codes = self._with_bigger_longer_names(query)
            return replace(self._decide(codes, hint, spelled=text), kind="commune")
        if query in self._former_by_name:
            return replace(self._decide(self._former_by_name[query], hint), kind="former")
        if not fuzzy:
            if prefix and " " in query:
                return replace(self._decide(self._prefix_codes(query), hint), kind="prefix")
            return Resolution("not_found")
        prefixed = self._decide(self._prefix_codes(query), hint)
        if prefixed.status != "not_found":
            return replace(prefixed, kind="prefix")
        return replace(self._fuzzy(query, hint), kind="fuzzy")

    def may_start_a_name(self, text: str) -> bool:
        """A cheap test: whether the first word of ``text`` (normalized, St expanded, article dropped) is the first word
        of a commune's name (« st mihiel c ouvert » may be Saint-Mihiel, « comment activer » is no name)."""
        words = normalize_place(text).split()
        return bool(words) and words[0] in self._first_words

    def may_be_exact_name(self, text: str) -> bool:
        """A cheap test before ``resolve``: False only when ``resolve(text, fuzzy=False)`` cannot find a current
        commune by its exact name (kind ``commune``), with or without a department after it (« saint denis 93 »).
        Scanning every run of words of a long sentence costs half as much with it."""
        query = normalize_place(text)
        after_word = _after_department_word(query)
        candidates = {query} if after_word is None else {query, after_word}
        for name in list(candidates):
            trailing = _trailing_department(name)
            if trailing:
                candidates.add(trailing[0])
        return any(name in self._by_name for name in candidates)

    def _prefix_codes(self, query: str) -> list[str]:
        """Communes whose name starts with the query as whole words: "carhaix" -> "carhaix plouguer"."""
        if len(query) < FUZZY_MIN_LENGTH:
            return []
        start = bisect.bisect_left(self._choices, query + " ")
        names = []
        for name in self._choices[start:]:
            if not name.startswith(query + " "):
                break
            names.append(name)
            if len(names) > PREFIX_MAX_CANDIDATES:
                return []
        return [c for name in names for c in (self._by_name.get(name) or self._former_by_name.get(name, []))]

    def _with_bigger_longer_names(self, query: str) -> list[str]:
        """The communes named ``query``, plus the towns whose longer name it begins when they are big and far
        bigger: « Charleville » is mostly said for Charleville-Mézières (46,000), not Charleville (Marne, 300).
        The biggest comes first and the others are offered (``_decide`` makes it ambiguous)."""
        codes = self._by_name[query]
        biggest = max((self._by_insee[c].population for c in codes if c in self._by_insee), default=0)
        bigger = [c for c in self._prefix_codes(query) if c in self._by_insee
                  and self._by_insee[c].population >= max(BIG_COMMUNE, LONGER_NAME_FACTOR * biggest)]  # fmt: skip
        return [*codes, *bigger]

    def _from_postcode(self, postcode: str, rest: str, hint: str | None) -> Resolution:
        codes = self._by_postcode.get(postcode, [])
        if rest and codes:
            scored = [(fuzz.ratio(rest, normalize_place(self._by_insee[c].place.name)), c) for c in codes]
            best = max(score for score, _ in scored)
            if best >= FUZZY_CUTOFF:
                codes = [c for score, c in scored if score == best]
        places = self._sorted(codes, hint)
        # Place.postcode is the postcode the user typed.
        places = [replace(p, postcode=postcode) for p in places]
        return Resolution("found", places[:MAX_CANDIDATES], kind="postcode") if places else Resolution("not_found")

    def _department(self, dep_code: str) -> Resolution:
        codes = self._by_dep.get(dep_code, [])[:MAX_CANDIDATES]
        if not codes:  # e.g. a collectivity whose only entry has no coordinates
            return Resolution("not_found")
        return Resolution("found", [self._by_insee[c].place for c in codes], kind="department")

    def _fuzzy(self, query: str, hint: str | None) -> Resolution:
        if len(query) < FUZZY_MIN_LENGTH:
            return Resolution("not_found")
        matches = process.extract(query, self._fuzzy_candidates(query), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                  limit=50)  # fmt: skip
        # fuzz.ratio counts a swap of two letters as two edits; re-rank with OSA so "nacny" prefers "nancy".
        ranked = sorted(matches, key=lambda m: (OSA.distance(query, m[0]), -m[1]))
        best_codes: list[str] = []
        best_key: int | None = None
        for name, _score, _ in ranked:
            codes = self._by_name.get(name) or self._former_by_name.get(name, [])
            if hint:
                codes = [c for c in codes if c in self._by_insee and self._by_insee[c].place.dep_code == hint]
            # Names at the same edit distance are equally likely: ask rather than guess ("lilles").
            key = OSA.distance(query, name)
            if not codes or (best_key is not None and key != best_key):
                continue
            best_key = key
            best_codes.extend(codes)
        return self._decide(best_codes, hint)

    def _fuzzy_candidates(self, query: str) -> list[str]:
        """The names that can reach FUZZY_CUTOFF with ``query``, in the same order as ``_choices``.

        fuzz.ratio is 100 × (1 - indel distance / total length), and the indel distance is at least the
        total length minus twice the letters the two strings share (counted with repeats): so a name can
        only reach the cutoff when 200 × shared letters ≥ cutoff × total length. numpy counts the shared
        letters of every name at once, one row per letter of the query; only those names are scored. Same
        matches, about ten times faster than scoring the 35,000 names (tests/unit/test_places.py)."""
        shared = np.zeros(len(self._choices), dtype=np.int32)
        for letter, count in enumerate(_letter_counts(query)):
            if count:
                shared += np.minimum(self._letter_rows[letter], count)
        possible = 200 * shared >= FUZZY_CUTOFF * (self._choice_lengths + len(query))
        return [self._choices[i] for i in np.flatnonzero(possible)]

    def _sorted(self, codes: list[str], hint: str | None, spelled: str | None = None) -> list[Place]:
        """The communes, the most populous first; when ``spelled`` (the name as typed) has accents, those spelt
        with the same accents first (« Blâmont » is the one in Meurthe-et-Moselle, not Blamont in the Doubs)."""
        entries = {c: self._by_insee[c] for c in codes if c in self._by_insee}
        if hint:
            entries = {c: e for c, e in entries.items() if e.place.dep_code == hint}
        typed = _spelling(spelled) if spelled and not spelled.isascii() else None
        ordered = sorted(entries.values(), key=lambda e: (not e.is_arrondissement,
                                                          typed is not None and _spelling(e.place.name) != typed,
                                                          -e.population))  # fmt: skip
        return [e.place for e in ordered]

    def _decide(self, codes: list[str], hint: str | None, spelled: str | None = None) -> Resolution:
        places = self._sorted(codes, hint, spelled)
        if not places:
            return Resolution("not_found")
        # Departments come from all candidates, not only the first MAX_CANDIDATES places.
        departments = list(dict.fromkeys((p.dep_code, p.dep_name) for p in places))
        if len(departments) > 1:
            return Resolution("ambiguous", places[:MAX_CANDIDATES], departments)
        return Resolution("found", places[:MAX_CANDIDATES])
