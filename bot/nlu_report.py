"""Intent classification scores: per-intent precision, recall, F1 and the macro average."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score(pairs: list[tuple[str, str]]) -> tuple[list[IntentScore], float]:
    """Scores for (expected, predicted) pairs; macro F1 is averaged over the expected intents."""
    true_pos = Counter(exp for exp, pred in pairs if exp == pred)
    expected = Counter(exp for exp, _ in pairs)
    predicted = Counter(pred for _, pred in pairs)
    rows = []
    for intent in sorted(expected):
        precision = _ratio(true_pos[intent], predicted[intent])
        recall = _ratio(true_pos[intent], expected[intent])
        f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
        rows.append(IntentScore(intent, precision, recall, f1, expected[intent]))
    macro = sum(r.f1 for r in rows) / len(rows) if rows else 0.0
    return rows, macro


def markdown_table(rows: list[IntentScore], macro: float) -> str:
    """A Markdown table, worst intents first, with the macro F1 last."""
    lines = ["| intent | precision | recall | F1 | n |", "|---|---:|---:|---:|---:|"]
    for r in sorted(rows, key=lambda r: (r.f1, r.intent)):
        lines.append(f"| {r.intent} | {r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} | {r.support} |")
    lines.append(f"| **macro F1** | | | **{macro:.3f}** | {sum(r.support for r in rows)} |")
    return "\n".join(lines) + "\n"
