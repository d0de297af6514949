from tools.nlu_report import markdown_table, score


def test_scores_per_intent_and_macro():
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "nlu_fallback")]
    rows, macro = score(pairs)
    by = {r.intent: r for r in rows}
    assert by["a"].precision == 1.0 and by["a"].recall == 0.5
    assert round(by["b"].f1, 3) == round(2 * 0.5 * 1.0 / 1.5, 3)
    assert by["c"].f1 == 0.0
    assert "nlu_fallback" not in by  # only expected intents are averaged
    assert round(macro, 4) == round((2 / 3 + 2 / 3 + 0) / 3, 4)


def test_perfect_and_empty():
    assert score([("a", "a")])[1] == 1.0
    assert score([]) == ([], 0.0)


def test_table_lists_worst_first():
    rows, macro = score([("a", "a"), ("b", "a")])
    table = markdown_table(rows, macro)
    assert table.index("| b ") < table.index("| a ")
    assert "macro F1" in table


def test_confusion_png_draws_only_the_confused_intents(tmp_path):
    from tools.nlu_report import confusion_png

    pairs = [("a", "a"), ("a", "b"), ("a", "b"), ("c", "c"), ("d", None)]
    ranked = confusion_png(pairs, tmp_path / "m.png")
    assert ranked == [("a", "b", 2), ("d", "(aucune)", 1)]
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
