"""How long conversations are kept, as the assistant says it (bot/privacy/retention.py)."""

from __future__ import annotations

import pytest

from bot.privacy.retention import DEFAULT_RETENTION_DAYS, RETENTION_ENV_VAR, in_words, retention_days


@pytest.mark.parametrize(("days", "words"), [(30, "30 jours"), (1, "1 jour"), (1.5, "1,5 jour"), (2, "2 jours")])
def test_the_retention_is_told_in_french_words(days, words):
    assert in_words(days) == words


def test_the_retention_is_the_setting_or_thirty_days(monkeypatch):
    monkeypatch.delenv(RETENTION_ENV_VAR, raising=False)
    assert retention_days() == DEFAULT_RETENTION_DAYS == 30
    monkeypatch.setenv(RETENTION_ENV_VAR, "7")
    assert retention_days() == 7.0
