"""Generate Rasa's NLU data for the bank's answers: ``data/nlu/answers.yml`` (retrieval intents).

``python -m tools answers build`` writes it; a test fails when it is stale. Never edit it by hand:
the phrasings live with their answer in ``data/answers/*.yml``.
"""

from __future__ import annotations

from pathlib import Path

from bot.answers.bank import Bank

NLU_FILE = Path("data") / "nlu" / "answers.yml"
HEADER = (
    "# GENERATED from data/answers/*.yml by `python -m tools answers build`: do not edit.\n"
    "# Each answer unit is a retrieval intent faq/<id>; its title and phrasings are the examples.\n"
)


def _example(phrasing: str) -> str:
    """One example line; brackets and braces would be read as Rasa entity markup, so they become plain."""
    text = " ".join(phrasing.split())
    return text.translate(str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"}))


def render_nlu(bank: Bank) -> str:
    """The whole NLU file for ``bank``, in a stable order (file, then position in the file)."""
    lines = [HEADER + 'version: "3.1"', "", "nlu:"]
    for unit in bank:
        lines.append(f"- intent: {unit.label}")
        lines.append("  examples: |")
        seen: set[str] = set()
        # the title, the short question on the unit's button, is an example too (a test measured 295 → 299 of 387
        # outside questions, 5 December 2026); not for an answer that declines (« Remboursements » is no question)
        titled = (unit.title,) if unit.title_example and not unit.declines else ()
        for phrasing in (*titled, *unit.phrasings):
            example = _example(phrasing)
            if example.lower() not in seen:
                seen.add(example.lower())
                lines.append(f"    - {example}")
    return "\n".join(lines) + "\n"


def write_nlu(bank: Bank, root: Path = Path(".")) -> Path:
    path = root / NLU_FILE
    path.write_text(render_nlu(bank), encoding="utf-8")
    return path


def is_current(bank: Bank, root: Path = Path(".")) -> bool:
    """Whether ``data/nlu/answers.yml`` is exactly what the bank generates."""
    path = root / NLU_FILE
    return path.exists() and path.read_text(encoding="utf-8") == render_nlu(bank)
