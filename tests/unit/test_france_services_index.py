"""In-memory nearest search and the directory that survives database outages."""


import pytest
from sqlalchemy import create_engine

from bot.france_services.directory import Directory
from bot.france_services.index import PointIndex, haversine_km, one_per_place
from bot.france_services.raw import SHIPPED_FILE as CSV
from bot.france_services.raw import read_table
from bot.france_services.store import engine_from_url, load_csv, points_from_rows

EPINAL = (48.1724, 6.4496)


@pytest.fixture(scope="module")
def points():
    return points_from_rows(read_table(CSV))


def test_index_matches_a_plain_haversine_scan(points):
    index = PointIndex(points)
    for lat, lon in [EPINAL, (43.2965, 5.3698), (-20.8823, 55.4504), (16.2411, -61.5331), (42.0396, 9.0129)]:
        expected = sorted(points, key=lambda p: (haversine_km(lat, lon, p.latitude, p.longitude), p.id))[:5]
        got = index.nearest(lat, lon, limit=5)
        assert [p.id for p in got] == [p.id for p in expected]
        assert [p.distance_km for p in got] == [
            round(haversine_km(lat, lon, p.latitude, p.longitude), 1) for p in expected
        ]


def test_index_ties_are_broken_by_id(points):
    index = PointIndex(list(reversed(points)))
    colocated = {}
    for p in points:
        colocated.setdefault((p.latitude, p.longitude), []).append(p.id)
    ids = next(v for v in colocated.values() if len(v) > 1)
    first = next(p for p in points if p.id == ids[0])
    got = index.nearest(first.latitude, first.longitude, limit=len(ids))
    assert [p.id for p in got] == sorted(ids)


def test_index_limits(points):
    index = PointIndex(points)
    assert index.nearest(*EPINAL, limit=0) == []
    assert len(index.nearest(*EPINAL, limit=10_000)) == len(points)
    assert PointIndex([]).nearest(*EPINAL) == []


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_directory_reads_the_database_then_keeps_its_copy_when_it_goes_down(tmp_path):
    engine = engine_from_url(f"sqlite:///{tmp_path / 'fs.db'}")
    load_csv(engine, CSV)
    clock = Clock()
    directory = Directory(engine, fallback_csv=None, reload_seconds=60, clock=clock)
    first = directory.nearest(*EPINAL)
    assert first.source == "database" and len(first.points) == 3
    (tmp_path / "fs.db").unlink()  # the database disappears
    engine.dispose()
    clock.now = 120
    after = directory.nearest(*EPINAL)
    assert after.source == "memory"
    assert after.points == first.points


def test_directory_without_database_answers_from_the_shipped_file():
    broken = create_engine("postgresql://nobody@127.0.0.1:1/none", future=True)
    directory = Directory(broken)
    lookup = directory.nearest(*EPINAL)
    assert lookup.source == "file"
    assert lookup.points[0].dep_code == "88"


def test_directory_with_nothing_at_all_says_so(tmp_path):
    directory = Directory(None, fallback_csv=tmp_path / "missing.csv")
    assert directory.nearest(*EPINAL).source == "none"
    assert directory.nearest(*EPINAL).points == []


def test_two_rows_of_one_desk_are_given_once(points):
    """Mulhouse: the bus and the antenna of « Lavoisier Brustlein » share street, telephone and e-mail (a persona got
    both among the three nearest desks); the row that knows the opening days is kept. Agde's two desks, a few metres
    apart on the map but in two streets, stay two."""
    desks = one_per_place(points)
    names = [p.name for p in PointIndex(desks).nearest(47.7559, 7.3192, limit=3)]
    assert sum("Lavoisier Brustlein" in name for name in names) == 1
    assert "Bus France services Lavoisier Brustlein" in names  # the antenna's row has no hours
    agde = [p for p in desks if p.name.startswith("France services Hérault Méditerranée - Agde")]
    assert len(agde) == 2
    assert 2800 < len(desks) < len(points)
