"""Tests of the France Services store on SQLite (the official ANCT CSV, as shipped)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.france_services import DataFileError, engine_from_url, load_csv, opening_today
from bot.france_services.directory import Directory
from bot.france_services.raw import SHIPPED_FILE as CSV

EPINAL = (48.1724, 6.4496)


def nearest(engine, latitude, longitude, limit=3):
    """The assistant's own search (directory.Directory, in memory), on a fresh read of ``engine``."""
    return Directory(engine, fallback_csv=None).nearest(latitude, longitude, limit).points


@pytest.fixture()
def engine(tmp_path):
    engine = engine_from_url(f"sqlite:///{tmp_path / 'fs.db'}")
    assert load_csv(engine, CSV) == 2845
    yield engine
    engine.dispose()


def test_load_twice_is_idempotent(engine):
    before = nearest(engine, *EPINAL, limit=10)
    assert load_csv(engine, CSV) == 2845
    assert nearest(engine, *EPINAL, limit=10) == before
    assert len(nearest(engine, *EPINAL, limit=5000)) == 2831  # 14 rows repeat a desk (index.one_per_place)


def test_nearest_to_epinal(engine):
    points = nearest(engine, *EPINAL)
    assert len(points) == 3
    distances = [p.distance_km for p in points]
    assert distances == sorted(distances)
    assert points[0].dep_code == "88"
    assert "Épinal" in points[0].full_address
    assert points[0].distance_km < 5


def test_env_var_url(monkeypatch, tmp_path):
    monkeypatch.setenv("FRANCE_SERVICES_DB_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert str(engine_from_url(None).url).endswith("env.db")


def _copy_with(tmp_path: Path, name: str, edit) -> Path:
    lines = CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / name
    path.write_text("".join(edit(lines)), encoding="utf-8")
    return path


def _bad_latitude(lines: list[str]) -> list[str]:
    assert ',"Lapalisse",46.2499928002438,' in lines[9]
    return [*lines[:9], lines[9].replace(',"Lapalisse",46.2499928002438,', ',"Lapalisse",91.5,'), *lines[10:]]


def _missing_column(lines: list[str]) -> list[str]:
    return [line.replace(',"mail",', ',"email",', 1) if i == 0 else line for i, line in enumerate(lines)]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [(_bad_latitude, "ligne 10, colonne latitude: 91.5 hors"), (_missing_column, "ligne 1, colonne mail")],
)
def test_bad_file_keeps_previous_data(engine, tmp_path, edit, expected):
    before = nearest(engine, *EPINAL, limit=5000)
    with pytest.raises(DataFileError, match=expected):
        load_csv(engine, _copy_with(tmp_path, "bad.csv", edit))
    assert nearest(engine, *EPINAL, limit=5000) == before


def test_opening_today(engine):
    point = nearest(engine, *EPINAL)[0]
    assert point.hours["mon"] == "08:30 - 12:00 / 13:30 - 17:00"
    monday_10h = datetime(2024, 8, 5, 10, 0)
    assert opening_today(point, monday_10h) == ("08:30 - 12:00 / 13:30 - 17:00", True)
    assert opening_today(point, datetime(2024, 8, 5, 8, 0, tzinfo=timezone.utc)) == (point.hours["mon"], True)
    assert opening_today(point, datetime(2024, 8, 5, 12, 30)) == (point.hours["mon"], False)
    assert opening_today(point, datetime(2024, 8, 4, 10, 0)) == (None, False)


def test_overseas_hours_are_read_in_local_time(engine):
    from bot.france_services.store import local_time_zone

    reunion = nearest(engine, -20.8823, 55.4504)[0]
    assert reunion.dep_code == "974" and local_time_zone("974").key == "Indian/Reunion"
    hours = reunion.hours["tue"]
    assert hours and hours.startswith("08:")
    # Tuesday 09:00 in La Réunion is 06:00 in Paris: open there, although Paris is not yet at work.
    tuesday_9h_reunion = datetime(2024, 8, 6, 5, 0, tzinfo=timezone.utc)
    assert opening_today(reunion, tuesday_9h_reunion) == (hours, True)
