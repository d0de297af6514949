"""Names of people after the usual cues: « je m'appelle Jeanne Martin », « mon nom est Dupont »,
« Mme Lefèvre », « M. Durand », « ma fille Chloé », a signature (« Cordialement, Jeanne Martin »)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.common import SP
from bot.privacy.detector import Detector, Scan
from bot.privacy.kinds import NAME_KIND
from bot.privacy.words import ELIDED_PRONOUNS, FAMILY_WORDS, NAME_STOP_WORDS, NOT_NAMES, STOP_WORDS

_WORD = r"[^\W\d_][\w'’\-]*"
_CAPITALISED = r"[A-ZÀ-ÖØ-Ý][\w'’\-]*"
# After these, the name may be written in lower case.
_CALLED = re.compile(
    rf"(?<![\w\[])(?i:je{SP}+m['’]{SP}?appelle|(?:nom|pr[ée]nom)(?:{SP}+de{SP}+famille)?{SP}*:"
    rf"|(?:n[ée]e|nom{SP}+de{SP}+jeune{SP}+fille){SP}*:?)"
)
# The same, but a description may follow (« mon nom est écorché »): a lower-case participle is not a name.
_NAME_IS = re.compile(
    rf"(?<![\w\[])(?i:mon{SP}+(?:nom|pr[ée]nom)(?:{SP}+de{SP}+famille)?{SP}*(?::|est|c['’]est))"
)
# After a title, the name may be in any case (« mme lefèvre », « MADAME LEFÈVRE »).
_TITLE = re.compile(rf"(?<![\w\[])(?i:m\.|mr\.?|mme\.?|mlle\.?|monsieur|madame|mademoiselle)(?={SP})")
# A signature: what follows « Cordialement, » is a name, in any case.
_SIGNATURE = re.compile(
    rf"(?<![\w\[])(?i:cordialement|bien{SP}+[àa]{SP}+vous|salutations|sinc[èe]rement|amicalement)[,.!]?(?=\s)"
)
# « un monsieur sourd », « la dame » : after an article, a title is a common noun.
_ARTICLE_BEFORE = re.compile(r"(?i:\b(?:un|une|le|la|les|ce|cette|ces|du|des|au|aux|vieux|vieille|jeune)\s+)$")
# After these, only a capitalised word is a name (« ma fille Chloé », not « ma fille aînée », « merci beaucoup »).
_KIN = re.compile(
    rf"(?<![\w\[])(?:(?i:ma|mon){SP}+(?i:{'|'.join(re.escape(w) for w in FAMILY_WORDS)})"
    rf"|(?i:il|elle){SP}+s['’]appelle|merci)(?={SP})"
)
_NAME_WORD = re.compile(rf"\s+({_WORD})")
_MAX_WORDS = 3
_NOT_NAMES = STOP_WORDS | NOT_NAMES
_PARTICIPLE = re.compile(r"(?i).*(?:é|ée|és|ées)")


def _name_end(text: str, position: int, capitalised_only: bool, described: bool = False) -> int:
    """End of the (up to three) name words from ``position``; ``position`` itself when there is none."""
    end = position
    for _ in range(_MAX_WORDS):
        m = _NAME_WORD.match(text, end)
        if m is None:
            break
        word = m.group(1)
        if (
            word.lower() in _NOT_NAMES
            or word.capitalize() in NAME_STOP_WORDS
            or word.lower().startswith((*ELIDED_PRONOUNS, "l'", "l’", "d'", "d’"))
        ):
            break
        if capitalised_only and (not re.fullmatch(_CAPITALISED, word) or word.isupper()):
            break  # in capitals, « MA FILLE AÎNÉE » and « MA FILLE CHLOÉ » look alike: not taken
        if described and (word.islower() or word.isupper()) and _PARTICIPLE.fullmatch(word):
            break  # « mon nom est écorché »; « je m'appelle Chloé » is a name
        end = m.end()
    return end


def _find(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    patterns = ((_CALLED, False), (_NAME_IS, False), (_TITLE, False), (_SIGNATURE, False), (_KIN, True))
    for pattern, capitalised_only in patterns:
        for m in pattern.finditer(text):
            if _ARTICLE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            end = _name_end(text, m.end(), capitalised_only, described=pattern is _NAME_IS)
            if end > m.end():
                start = m.end() + len(text[m.end() : end]) - len(text[m.end() : end].lstrip())
                yield start, end


DETECTOR = Detector(
    NAME_KIND,
    _find,
    cues=("appelle", "nom", "m.", "mr", "mme", "mlle", "monsieur", "madame", "mademoiselle", "ma ", "mon ",
          "cordialement", "vous", "salutations", "rement", "merci"),
)
