"""Intent recognition on held-out sentences (tests/nlu/, never used for training)."""

from __future__ import annotations

import json

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.answers.respond import selector_ranking
from tools.nlu_report import confusion_png, markdown_table, score

pytestmark = pytest.mark.slow


def predicted_label(parsed: dict) -> str | None:
    """The intent, or ``faq/<id>`` for an answer of the bank (the response selector's choice)."""
    name = (parsed.get("intent") or {}).get("name")
    ranking = selector_ranking(parsed.get("response_selector"))
    return f"faq/{ranking[0][0]}" if name == "faq" and ranking else name


def test_held_out_macro_f1_meets_the_bar(agent, event_loop_session, root, thresholds):
    examples = load_data(str(root / "tests" / "nlu")).intent_examples
    assert examples, "no held-out sentences found in tests/nlu/"

    async def predict() -> list[tuple[str, str, str, float]]:
        results = []
        for example in examples:
            parsed = await agent.parse_message(example.get("text"))
            intent = parsed.get("intent") or {}
            results.append((example.get_full_intent(), predicted_label(parsed), example.get("text"),
                            intent.get("confidence")))  # fmt: skip
        return results

    results = event_loop_session.run_until_complete(predict())
    rows, macro = score([(expected, predicted) for expected, predicted, _, _ in results])

    out = root / "reports" / "nlu"
    out.mkdir(parents=True, exist_ok=True)
    (out / "intent_report.md").write_text(markdown_table(rows, macro), encoding="utf-8")
    errors = [
        {"text": text, "expected": exp, "predicted": pred, "confidence": conf}
        for exp, pred, text, conf in results
        if exp != pred
    ]
    (out / "errors.json").write_text(json.dumps(errors, ensure_ascii=False, indent=2), encoding="utf-8")
    pairs = [(expected, predicted) for expected, predicted, _, _ in results]
    confused = confusion_png(pairs, out / "confusion_matrix.png")
    top = [{"expected": e, "predicted": p, "count": n} for e, p, n in confused[:10]]
    summary = {"macro_f1": macro, "n": len(results), "errors": len(errors), "top_confusions": top}
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")

    bar = thresholds["nlu"]["min_macro_f1"]
    worst = ", ".join(f"{r.intent}={r.f1:.2f}" for r in sorted(rows, key=lambda r: r.f1)[:5])
    assert macro >= bar, f"macro F1 {macro:.3f} < {bar} (worst: {worst}); see reports/nlu/"


@pytest.mark.parametrize("courtesy", ["Bonjour, ", "Merci. Et "])
def test_a_question_keeps_its_answer_behind_a_greeting_or_a_thank_you(
    agent, event_loop_session, root, thresholds, courtesy
):
    """« Bonjour, j'ai perdu mon code » is not a greeting: with courtesy words in front, the held-out questions of
    the bank keep the answer they get alone (before bot/courtesy.py: 94 % behind « Bonjour, », 79 % behind
    « Merci. Et »)."""
    texts = [e.get("text") for e in load_data(str(root / "tests" / "nlu")).intent_examples
             if e.get_full_intent().startswith("faq/")]  # fmt: skip

    async def answers(prefix: str) -> list[str | None]:
        return [predicted_label(await agent.parse_message(prefix + text)) for text in texts]

    alone = event_loop_session.run_until_complete(answers(""))
    polite = event_loop_session.run_until_complete(answers(courtesy))
    same = sum(a == b for a, b in zip(alone, polite, strict=True)) / len(texts)
    bar = thresholds["nlu"]["min_same_answer_after_courtesy"]
    changed = [t for t, a, b in zip(texts, alone, polite, strict=True) if a != b][:5]
    assert same >= bar, f"{same:.3f} < {bar} behind « {courtesy} », e.g. {changed}"
