"""A fingerprint of everything a trained model depends on, to retrain only when it changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUFFIXES = {".yml", ".yaml", ".py", ".txt"}
# Files and folders whose content shapes the model (relative to the project root): its config, data,
# NLU components (rasa_ext/nlu) and the bot/ and rasa_ext/ code they import (a test checks that list).
MODEL_INPUTS = (
    "config.yml", "domain", "data", "rasa_ext/nlu", "bot/safety.py", "bot/intent_model.py", "bot/lexicon.py",
    "bot/text.py", "bot/courtesy.py", "bot/introduction.py", "rasa_ext/speedups.py", "bot/understanding.py",
    "bot/clauses.py", "bot/typed_buttons.py", "bot/answers/bank.py", "bot/contact.py", "bot/guides.py",
    "bot/procedures.py",
    "bot/places", "requirements.lock",
)  # fmt: skip


def model_inputs(root: Path) -> list[Path]:
    """The input files, sorted, so the fingerprint does not depend on listing order."""
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = root / name
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES]
        elif path.is_file():
            files.append(path)
    return sorted(files)


def fingerprint(root: Path) -> str:
    """SHA-256 over the input files' relative paths and contents."""
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
