"""`python -m tools purge` and `review` reach the database the assistant uses, however endpoints.yml names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasa_ext.stores.tracker_store import configured_db_url

TYPE = "tracker_store:\n  type: rasa_ext.stores.tracker_store.RedactingSQLTrackerStore\n"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("  url: sqlite:///var/elsewhere.db\n", "sqlite:///var/elsewhere.db"),
        (
            "  dialect: postgresql\n  url: 127.0.0.1\n  port: 5433\n  db: mes\n  username: mes_tracker\n",
            "postgresql://mes_tracker@127.0.0.1:5433/mes",
        ),
    ],
)
def test_endpoints_keys_name_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: str, expected: str):
    monkeypatch.delenv("MES_TRACKER_DB_URL", raising=False)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(TYPE + keys, encoding="utf-8")
    assert configured_db_url(endpoints) == expected


def test_sqlite_db_key_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("MES_TRACKER_DB_URL", raising=False)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(TYPE + f"  db: {tmp_path}/t.db\n", encoding="utf-8")
    assert configured_db_url(endpoints) == f"sqlite:///{tmp_path}/t.db"


def test_without_keys_the_environment_then_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(TYPE, encoding="utf-8")
    monkeypatch.setenv("MES_TRACKER_DB_URL", f"sqlite:///{tmp_path}/env.db")
    assert configured_db_url(endpoints) == f"sqlite:///{tmp_path}/env.db"
    monkeypatch.delenv("MES_TRACKER_DB_URL")
    assert configured_db_url(tmp_path / "missing.yml") == "sqlite:///var/trackers.db"
