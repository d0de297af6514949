"""France Services store on PostgreSQL: results must equal the SQLite ones.

Skipped when the server is unreachable, except when CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.france_services import engine_from_url, load_csv
from bot.france_services.directory import Directory
from tests.integration.conftest import serving_file

CSV = Path(__file__).resolve().parents[2] / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
EPINAL = (48.1724, 6.4496)


def nearest(engine, latitude, longitude, limit=3):
    """The assistant's own search (directory.Directory, in memory), on a fresh read of ``engine``."""
    return Directory(engine, fallback_csv=None).nearest(latitude, longitude, limit).points


@pytest.fixture()
def pg_engine():
    base = engine_from_url(PG_URL)
    try:
        with base.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        base.dispose()
        reason = f"PostgreSQL unreachable at {PG_URL}: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"fs_test_{uuid.uuid4().hex[:12]}"  # dedicated schema, dropped at the end
    with base.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.execution_options(schema_translate_map={None: schema})
    finally:
        with base.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        base.dispose()


def test_nearest_to_epinal_matches_sqlite(pg_engine, tmp_path):
    assert load_csv(pg_engine, CSV) == 2845
    assert load_csv(pg_engine, CSV) == 2845
    points = nearest(pg_engine, *EPINAL)
    assert len(points) == 3
    assert [p.distance_km for p in points] == sorted(p.distance_km for p in points)
    assert points[0].dep_code == "88"

    sqlite = engine_from_url(f"sqlite:///{tmp_path / 'fs.db'}")
    load_csv(sqlite, CSV)
    assert points == nearest(sqlite, *EPINAL)
    assert nearest(pg_engine, *EPINAL, limit=50) == nearest(sqlite, *EPINAL, limit=50)
    sqlite.dispose()


PLACES = ["Épinal", "Saint-Dié-des-Vosges", "54000", "nacny", "97400", "Ajaccio", "Paris 15e", "Bruyères"]


def test_whole_answers_are_identical_on_postgresql_and_sqlite(pg_engine, tmp_path):
    from datetime import datetime

    from bot.france_services.answer import results_replies
    from bot.france_services.dialogue import UserTurn, interpret
    from bot.places import Gazetteer

    sqlite = engine_from_url(f"sqlite:///{tmp_path / 'fs.db'}")
    load_csv(sqlite, CSV)
    load_csv(pg_engine, CSV)
    gazetteer = Gazetteer.load(CSV.parents[1] / "geo")
    on_pg, on_sqlite = Directory(pg_engine, fallback_csv=None), Directory(sqlite, fallback_csv=None)
    now = datetime(2026, 12, 1, 10, 0)
    for place in PLACES:
        decision = interpret(UserTurn(place, "inform_place", 0.9, answering=True), gazetteer)
        assert decision.outcome == "found", place
        pg_lookup = on_pg.nearest(decision.latitude, decision.longitude)
        assert pg_lookup.source == "database"
        assert results_replies(decision.label, pg_lookup, now) == results_replies(
            decision.label, on_sqlite.nearest(decision.latitude, decision.longitude), now
        )
    sqlite.dispose()


def test_refresh_into_postgresql_and_failed_refresh_keeps_the_data(pg_engine):
    import asyncio

    from bot.france_services.refresh import RefreshError, current_count, refresh

    async def go(payload: bytes, content_type: str) -> None:
        async with serving_file(payload, content_type) as source:
            await refresh(pg_engine, source, keep_dir=None)

    asyncio.run(go(CSV.read_bytes(), "text/csv"))
    assert current_count(pg_engine) == 2845
    before = nearest(pg_engine, *EPINAL, limit=20)
    with pytest.raises(RefreshError):
        asyncio.run(go(b"<html><body>Maintenance</body></html>", "text/html"))
    broken = CSV.read_text(encoding="utf-8").replace(',"Principal","Fixe",', ',"Principal","Soucoupe",', 1).encode()
    with pytest.raises(RefreshError):
        asyncio.run(go(broken, "text/csv"))
    assert current_count(pg_engine) == 2845
    assert nearest(pg_engine, *EPINAL, limit=20) == before
