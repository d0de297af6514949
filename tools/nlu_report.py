"""Intent classification scores: per-intent precision, recall, F1 and the macro average."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path


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


def confusion_png(pairs: list[tuple[str, str]], path: str | Path, max_intents: int = 40) -> list[tuple[str, str, int]]:
    """Draw the confusion matrix of the intents involved in errors (at most ``max_intents``) to ``path``.

    Returns the confused (expected, predicted, count) pairs, most frequent first. The full
    matrix of 80 intents is unreadable: only the rows and columns that hold an error are drawn.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    confusions = Counter((exp, pred or "(aucune)") for exp, pred in pairs if exp != pred)
    ranked = [(exp, pred, n) for (exp, pred), n in confusions.most_common()]
    labels = list(dict.fromkeys(name for exp, pred, _ in ranked for name in (exp, pred)))[:max_intents]
    index = {name: i for i, name in enumerate(labels)}
    size = max(len(labels), 1)
    matrix = [[0] * size for _ in range(size)]
    for (exp, pred), n in Counter((e, p or "(aucune)") for e, p in pairs).items():
        if exp in index and pred in index:
            matrix[index[exp]][index[pred]] = n
    figure, axes = plt.subplots(figsize=(2 + 0.35 * size, 1.5 + 0.35 * size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("intention prédite")
    axes.set_ylabel("intention attendue")
    axes.set_title("Confusions sur les phrases de test")
    for row in range(len(labels)):
        for col in range(len(labels)):
            if matrix[row][col]:
                axes.text(col, row, matrix[row][col], ha="center", va="center", fontsize=6)
    figure.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return ranked
