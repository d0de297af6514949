"""The maintainers' HTML report: built from whatever reports exist, honest about the missing ones."""

import json

from tools.report import build


def test_empty_reports_folder_says_what_to_run(tmp_path):
    page = build(tmp_path, 0.95)
    for command in ("make test-nlu", "make test-stories", "python -m tools review", "make bench"):
        assert command in page


def test_sections_show_scores_verdicts_and_embedded_plots(tmp_path):
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "summary.json").write_text(json.dumps({"macro_f1": 0.9, "n": 10, "errors": 1,
        "top_confusions": [{"expected": "a", "predicted": "<b>", "count": 1}]}))  # fmt: skip
    (tmp_path / "nlu" / "confusion_matrix.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (tmp_path / "conversations").mkdir()
    (tmp_path / "conversations" / "story_report.json").write_text(json.dumps({"utter_x": {"f1-score": 0.5,
                                                                                          "support": 2}}))  # fmt: skip
    (tmp_path / "conversations" / "failed_test_stories.yml").write_text("- story: broken\n")
    page = build(tmp_path, 0.95)
    assert 'class="ko">0.900' in page  # below the bar
    assert "data:image/png;base64," in page
    assert "&lt;b&gt;" in page and "<b>" not in page  # every value is escaped
    assert "des histoires échouent" in page and "utter_x" in page
