"""Word families (data/lexicon): the families a message names, as extra features for the classifier.

The classifier learns each answer from a few dozen phrasings; a word none of them uses (« ophtalmo » where they
say « médecin ») reaches the answer only through the sentence vector. Naming the word's family as one more
token (« professionnel ») lets every member of the family share what the others learned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.text import fold_accents, normalize

LEXICON_FOLDER = Path(__file__).resolve().parents[1] / "data" / "lexicon"
_TOKEN_SAFE = re.compile(r"\W+")
_WORD = re.compile(r"\w+")
# a whole word not followed by an apostrophe: the « c » of « c'est » is not the SMS « c »
_WHOLE_WORD = re.compile(r"\b\w+\b(?!['’])")


def family_token(name: str) -> str:
    """The feature token of a family: « carte vitale » -> « fam_carte_vitale » (one word, no accents)."""
    return "fam_" + _TOKEN_SAFE.sub("_", normalize(name)).strip("_")


@dataclass(frozen=True)
class Lexicon:
    """Word -> family token for single words, and expressions of several words with their token."""

    words: dict[str, str] = field(default_factory=dict)
    expressions: tuple[tuple[str, str], ...] = ()
    # SMS and sound-alike spellings -> the usual word (« komen » -> « comment », « foto » -> « photo »)
    spellings: dict[str, str] = field(default_factory=dict)

    def respell(self, text: str) -> str:
        """``text`` with its SMS and sound-alike spellings written the usual way (whole words, case and accents
        ignored): « komen jactive mon espace » -> « comment j'active mon espace »."""
        spellings = self.__dict__.get("spellings")  # absent from lexicons saved before the option
        if not spellings:
            return text
        return _WHOLE_WORD.sub(lambda match: spellings.get(fold_accents(match.group(0)), match.group(0)), text)

    def families(self, text: str) -> list[str]:
        """The family tokens ``text`` names, in the order they first appear."""
        plain = _key(text)
        found: dict[str, None] = {}
        padded = f" {plain} "
        for expression, token in self.expressions:
            if f" {expression} " in padded:
                found.setdefault(token)
                # its words are not read again on their own: « sage femme » is not also « femme » (conjoint)
                padded = padded.replace(f" {expression} ", "  ")
        for word in padded.split():
            token = self.words.get(word)
            if token:
                found.setdefault(token)
        return list(found)

    def tokens(self, text: str) -> str:
        """The family tokens of ``text`` as one string (« fam_none » when it names none)."""
        return " ".join(self.families(text)) or "fam_none"


def _key(word: str) -> str:
    """A lexicon word as ``Lexicon.families`` sees the message: normalised, hyphens kept inside words."""
    return normalize(word.replace("-", "_"))


def lexicon_files(folder: Path = LEXICON_FOLDER) -> list[Path]:
    """The YAML files a lexicon is read from, in reading order (none when the folder is missing)."""
    return sorted(folder.glob("*.yml"))


def load_lexicon(folder: Path = LEXICON_FOLDER) -> Lexicon:
    """Every family of the folder's YAML files (``families: {name: [words]}``) and every spelling
    (``spellings: {written: usual}``); a word in two families, or a spelling of several words, is an error (the same
    word twice in one family, once with its accent and once without, is not)."""
    tokens: dict[str, str] = {}  # every word or expression, as the message is read -> its family's token
    spellings: dict[str, str] = {}
    for path in lexicon_files(folder):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for written, usual in (content.get("spellings") or {}).items():
            key = fold_accents(str(written))
            if not _WORD.fullmatch(key):
                raise ValueError(f"{path.name}: « {written} » doit être un seul mot")
            spellings[key] = str(usual)
        families = content.get("families") or {}
        for name, members in families.items():
            token = family_token(str(name))
            for member in members or []:
                key = _key(str(member))
                if tokens.setdefault(key, token) != token:  # the same word twice in its family is fine
                    raise ValueError(f"{path.name}: « {member} » est dans deux familles")
    words = {key: token for key, token in tokens.items() if " " not in key}
    return Lexicon(words, tuple((key, token) for key, token in tokens.items() if " " in key), spellings)
