"""Topic labels, suggestions and the "et pour mon enfant ?" follow-up."""

from bot import catalogue


def test_suggestions_keep_order_skip_unknown_and_duplicates():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "code_missing", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "code_missing", "confidence": 0.1},
        {"name": "code_invalid", "confidence": 0.1},
        {"name": "no_email", "confidence": 0.05},
    ]
    assert catalogue.suggestions(ranking) == [
        ("code_missing", catalogue.LABELS["code_missing"]),
        ("code_invalid", catalogue.LABELS["code_invalid"]),
    ]


def test_suggestions_ignore_unlikely_topics():
    ranking = [{"name": "code_missing", "confidence": 0.3}, {"name": "code_invalid", "confidence": 0.05}]
    assert [i for i, _ in catalogue.suggestions(ranking)] == ["code_missing"]


def test_suggestions_survive_bad_rankings():
    assert catalogue.suggestions([]) == []
    assert catalogue.suggestions([None, {"confidence": 1}, "x", {"name": "code_missing"}]) == []  # type: ignore[list-item]


def test_labels_are_short_and_unique():
    labels = list(catalogue.LABELS.values())
    assert len(labels) == len(set(labels))
    assert all(0 < len(label) <= 40 for label in labels)


def test_child_follow_up_depends_on_the_last_topic():
    assert catalogue.child_follow_up("code_missing") == "child_activation_start"
    assert catalogue.child_follow_up("oppose_or_close") == "utter_oppose_child"
    assert catalogue.child_follow_up("add_document") == "utter_child_add_documents"
    assert catalogue.child_follow_up("hide_document") == "utter_child_restrict_access"
    assert catalogue.child_follow_up("vaccinations") == "utter_vaccinations"
    assert catalogue.child_follow_up(None) == catalogue.CHILD_FOLLOW_UP_DEFAULT
    assert catalogue.child_follow_up("greet") == catalogue.CHILD_FOLLOW_UP_DEFAULT
