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

from bot.france_services import engine_from_url, load_csv, nearest

CSV = Path(__file__).resolve().parents[2] / "data" / "france_services" / "france_services_anct_20240801.csv"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
EPINAL = (48.1724, 6.4496)


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
