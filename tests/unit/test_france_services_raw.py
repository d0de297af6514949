"""The official ANCT CSV file: the schema's columns, how each value is read, and the errors."""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.france_services.index import Point
from bot.france_services.raw import SHIPPED_FILE as RAW
from bot.france_services.raw import DataFileError, check_header, read_table, read_text
from bot.france_services.schema import (
    FIELDS,
    HOURS_COLUMNS,
    NAMES,
    OFFICIAL_COLUMNS,
    POINT_COLUMNS,
    FranceServicesPoint,
    clean,
)

ROOT = Path(__file__).resolve().parents[2]
RAW_COLUMNS = OFFICIAL_COLUMNS
SAMPLE = ROOT / "tests" / "fixtures" / "france_services_raw_sample.csv"


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def _edit(text: str, id_fs: str, column: str, value: str) -> str:
    """Set ``column`` of the record ``id_fs`` (all quoted, so that the change stays local)."""
    rows = list(csv.reader(text.splitlines(keepends=True)))
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == id_fs:
            row[index] = value
    lines: list[str] = []
    for row in rows:
        lines.append(",".join('"' + field.replace('"', '""') + '"' for field in row) + "\n")
    return "".join(lines)


def test_one_schema_for_the_file_the_table_and_the_points():
    with open(RAW, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert sorted(OFFICIAL_COLUMNS) == sorted(header)  # every official column read, and once only
    assert tuple(c.name for c in FranceServicesPoint.__table__.columns) == NAMES
    assert len(set(NAMES)) == len(FIELDS)
    point_fields = [f.name for f in dataclasses.fields(Point)]
    assert point_fields == [*(n for n in POINT_COLUMNS if n not in HOURS_COLUMNS), "hours", "distance_km"]


def test_the_shipped_file():
    rows = read_table(RAW)
    assert len(rows) == len({row["id"] for row in rows}) == 2845
    assert Counter(row["kind"] for row in rows) == {
        "fixed": 2397, "multisite": 161, "bus": 134, "antenna": 124, "itinerant": 29,
    }  # fmt: skip
    assert rows[0] == {
        "id": "1", "name": "France services de Valserhône", "kind": "fixed", "structure_type": "Principal",
        "format_raw": "Fixe", "address": "5-9 Rue des Papetiers", "address_complement": "", "postcode": "01200",
        "commune": "Valserhône", "insee_code": "01033", "dep_code": "01",
        "full_address": "5-9 Rue des Papetiers, 01200 Valserhône", "latitude": 46.1060711578546,
        "longitude": 5.8260084241619, "phone": "04 50 56 87 49", "email": "franceservices@ccpb01.fr",
        "hours_mon": "13:30 - 17:00", "hours_tue": "09:00 - 12:00 / 13:30 - 17:00",
        "hours_wed": "09:00 - 12:00 / 13:30 - 17:00", "hours_thu": "09:00 - 12:00 / 13:30 - 17:00",
        "hours_fri": "09:00 - 12:00 / 13:30 - 16:00", "hours_sat": "", "appointment": False, "comment": "",
        "group": "", "labelled_since": date(2020, 1, 1),
    }  # fmt: skip


def test_sample_fixture_is_a_slice_of_the_raw_file(sample_text):
    rows = read_text(sample_text)
    by_id = {row["id"]: row for row in read_table(RAW)}
    assert len(rows) == 198
    assert all(row == by_id[row["id"]] for row in rows)
    assert {row["kind"] for row in rows} == {"fixed", "bus", "itinerant", "multisite", "antenna"}


def test_kind_full_address_dates_and_newlines(sample_text):
    rows = {row["id"]: row for row in read_text(sample_text)}
    assert rows["1"]["kind"] == "fixed" and rows["1"]["full_address"] == "5-9 Rue des Papetiers, 01200 Valserhône"
    assert str(rows["1"]["labelled_since"]) == "2020-01-01"
    assert rows["844"]["full_address"] == (
        "191 Rue Louis Aragon, Centre Socioculturel Espace Famille, 34070 Montpellier"
    )
    assert rows["844"]["comment"].startswith("Contact pour les RDV : 04 67 27 43 92 / Tous les mardis")
    assert rows["2632"]["address"] == "27 Avenue Robert Schuman"  # trailing newlines dropped
    assert rows["2314"]["name"] == "France services de Boulazac-Isle-Manoire"  # trailing no-break space


def test_clean():
    assert clean("  a \n\n\nb  \r\n c\xa0") == "a / b / c"
    assert clean("a/b") == "a/b"


def test_check_header():
    check_header(RAW_COLUMNS)
    with pytest.raises(DataFileError, match="ligne 1, colonne id_fs: en-tête non reconnu"):
        check_header(["foo", "bar"])
    with pytest.raises(DataFileError, match="ligne 1, colonne id_fs: en-tête non reconnu"):
        check_header(NAMES)  # the table's own names are not the official file's
    with pytest.raises(DataFileError, match="ligne 1, colonne latitude: colonne absente"):
        check_header([c for c in RAW_COLUMNS if c != "latitude"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("latitude", "quarante", "colonne latitude: « quarante » n'est pas un nombre"),
        ("longitude", "200", "colonne longitude: 200.0 hors de l'intervalle"),
        ("h_lundi", "le matin", "colonne h_lundi: horaires « le matin » illisibles"),
        ("prise_rdv", "Peut-être", "colonne prise_rdv: « Peut-être » au lieu de Oui/Non"),
        ("format_fs", "Drone", "colonne format_fs: format « Drone » inconnu"),
        ("type_fs", "Annexe", "colonne type_fs: type « Annexe » inconnu"),
        ("labellisation_fs", "bientôt", "colonne labellisation_fs: date de labellisation introuvable"),
        ("labellisation_fs", "Espace labellisé 31/02/2021", "colonne labellisation_fs: date « 2021-02-31 » invalide"),
        ("lib_fs", " ", "colonne lib_fs: nom vide"),
    ],
)
def test_bad_value_names_line_and_official_column(sample_text, column, value, message):
    # After _edit every record is on one line: record n is on line n + 1; id "3" is the third record.
    with pytest.raises(DataFileError, match=f"^ligne 4, {message}"):
        read_text(_edit(sample_text, "3", column, value))


def test_line_number_is_where_a_multiline_record_starts(sample_text):
    lines = sample_text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines, 1) if line.startswith('"844"'))
    assert not lines[start].startswith('"')  # the record of id 844 spans several lines (newlines in commentaire)
    text = sample_text.replace('""ALLER VERS"".","Principal"', '""ALLER VERS"".","Annexe"', 1)
    with pytest.raises(DataFileError, match=f"^ligne {start}, colonne type_fs: type « Annexe » inconnu"):
        read_text(text)


def test_duplicate_short_and_long_rows(sample_text):
    with pytest.raises(DataFileError, match=r"^ligne 4, colonne id_fs: identifiant « 2 » en double"):
        read_text(_edit(sample_text, "3", "id_fs", "2"))
    header, first, *_ = sample_text.splitlines(keepends=True)
    with pytest.raises(DataFileError, match=r"^ligne 2, colonne labellisation_fs: valeur manquante"):
        read_text(header + first.rsplit(",", 1)[0] + "\n")
    with pytest.raises(DataFileError, match=r"^ligne 2, colonne \(fin de ligne\): trop de valeurs"):
        read_text(header + first.rstrip("\n") + ',"x"\n')


def test_bom_semicolons_decimal_commas_and_loose_hours(sample_text):
    rows = list(csv.reader(sample_text.splitlines(keepends=True)))
    rows[1][rows[0].index("latitude")] = "46,1060711578546"
    rows[1][rows[0].index("h_lundi")] = "9h00-12h00/14:00 -17h30"
    text = "\ufeff" + "".join(";".join(row) + "\r\n" for row in rows[:3])
    parsed = read_text(text)
    assert [row["id"] for row in parsed] == ["1", "2"]
    assert parsed[0]["latitude"] == 46.1060711578546
    assert parsed[0]["hours_mon"] == "9:00 - 12:00 / 14:00 - 17:30"


def test_unreadable_files(tmp_path):
    with pytest.raises(DataFileError, match="fichier vide"):
        read_text("\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(RAW_COLUMNS).encode() + '\n"1","01","Fenêtre"\n'.encode("latin-1"))
    with pytest.raises(DataFileError, match=r"^ligne 2, colonne \(toutes\): le fichier n'est pas encodé en UTF-8"):
        read_table(latin1)


def test_padding_intervals_of_the_official_file_are_no_opening(sample_text):
    # Dun-sur-Meuse, Monday in the file of 01/08/2024: read « ouvert de 0 h à 0 h et de 9 h à 12 h » before
    rows = list(csv.reader(sample_text.splitlines(keepends=True)))
    rows[1][rows[0].index("h_lundi")] = "00:00 - 00:00 / 00:00 - 00:00 / 09:00 - 12:00 / 13:30 - 16:30"
    rows[1][rows[0].index("h_mardi")] = "00:00 - 00:00"
    parsed = read_text("".join(",".join(f'"{v}"' for v in row) + "\n" for row in rows[:2]))
    assert parsed[0]["hours_mon"] == "09:00 - 12:00 / 13:30 - 16:30"
    assert parsed[0]["hours_tue"] == ""
