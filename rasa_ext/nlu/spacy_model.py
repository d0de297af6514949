"""A trimmed copy of spaCy's French model: the tokenizer and the word vectors, nothing else.

The NLU pipeline only needs tokens and their static vectors (SpacyTokenizer, SpacyFeaturizer, see
config.yml). `fr_core_news_md` also runs a tagger, a lemmatiser and an entity recogniser on every
message (about 9 ms of the 10 ms spaCy spends per message here) and loads 713,000 strings. The copy
keeps the tokenizer as it is and only the vectors of lowercase words: Rasa's SpacyNLP lowercases
every text (`case_sensitive: false`), so no other vector can ever be read. Same tokens, same vectors
(tests/unit/test_spacy_model.py compares both models on every training and test sentence), about a
third of the memory, no model weights to load.

`python -m tools spacy-model` builds it into var/spacy/ (`make install` does); config.yml loads it by path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

SOURCE = "fr_core_news_md"
TARGET = Path("var") / "spacy" / "fr_core_news_md-vectors"
# Every trained component of the source model; the tokenizer is not a pipeline component and stays.
DROPPED = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]


def lowercase_keys(nlp) -> list[tuple[int, int]]:
    """(key, row) of the vectors whose word is written in lowercase."""
    strings = nlp.vocab.strings
    kept = []
    for key, row in nlp.vocab.vectors.key2row.items():
        word = strings[key] if key in strings else None  # noqa: SIM401 (StringStore has no .get)
        if word is not None and word == word.lower():
            kept.append((key, row))
    return kept


def build(target: Path, source: str = SOURCE) -> dict:
    """Write the trimmed model to ``target`` (replaced atomically); what it kept, for the log."""
    import numpy as np
    import spacy
    from spacy.vectors import Vectors

    nlp = spacy.load(source, exclude=DROPPED)
    old = nlp.vocab.vectors
    kept = lowercase_keys(nlp)
    rows = sorted({row for _, row in kept})
    new_row = {row: index for index, row in enumerate(rows)}
    vectors = Vectors(strings=nlp.vocab.strings, data=np.ascontiguousarray(old.data[rows]), name=old.name)
    for key, row in kept:
        vectors.add(key, row=new_row[row])
    nlp.vocab.vectors = vectors
    nlp.meta["name"] = f"{nlp.meta.get('name', 'model')}_vectors"
    nlp.meta["description"] = f"{source} trimmed by rasa_ext/nlu/spacy_model.py: tokenizer and lowercase vectors only"
    building = target.with_name(target.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(building)
    # The vectors are looked up by hash: the 713,000 strings of the source are not needed at run time.
    (building / "vocab" / "strings.json").write_text("[]", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return {"keys": len(kept), "of_keys": len(old.key2row), "rows": len(rows), "of_rows": old.shape[0]}


def is_built(target: Path) -> bool:
    return (target / "meta.json").is_file() and (target / "vocab" / "vectors").exists()


def main(root: Path) -> int:
    target = root / TARGET
    figures = build(target)
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    print(f"Modèle spaCy réduit : {target.relative_to(root)} ({meta['name']} {meta['version']}), "
          f"{figures['keys']:,} mots sur {figures['of_keys']:,}, "
          f"{figures['rows']:,} vecteurs sur {figures['of_rows']:,}")  # fmt: skip
    return 0
