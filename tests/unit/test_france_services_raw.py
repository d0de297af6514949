"""The official ANCT CSV format: conversion to the normalised columns, format detection and errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.france_services.raw import (
    RAW_COLUMNS,
    clean,
    detect_format,
    read_raw_rows,
    read_table,
    read_text,
    write_normalised,
)
from bot.france_services.store import COLUMNS, DataFileError, read_csv

ROOT = Path(__file__).resolve().parents[2]
NORMALISED = ROOT / "data" / "france_services" / "france_services_anct_20240801.csv"
RAW = ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
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


def test_conversion_reproduces_the_shipped_normalised_file_exactly(tmp_path):
    converted = read_raw_rows(RAW)
    with open(NORMALISED, encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert len(converted) == len(expected) == 2845
    for got, want in zip(converted, expected, strict=True):
        assert got == want, got["id"]
    write_normalised(converted, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes() == NORMALISED.read_bytes()


def test_both_formats_give_the_same_validated_rows():
    assert read_table(RAW) == ("raw", read_csv(NORMALISED))
    assert read_table(NORMALISED) == ("normalised", read_csv(NORMALISED))


def test_sample_fixture_is_a_slice_of_the_raw_file(sample_text):
    fmt, rows = read_text(sample_text)
    by_id = {row["id"]: row for row in read_csv(NORMALISED)}
    assert fmt == "raw" and len(rows) == 198
    assert all(row == by_id[row["id"]] for row in rows)
    assert {row["kind"] for row in rows} == {"fixed", "bus", "itinerant", "multisite", "antenna"}


def test_kind_full_address_dates_and_newlines(sample_text):
    rows = {row["id"]: row for row in read_text(sample_text)[1]}
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


def test_detect_format():
    assert detect_format(RAW_COLUMNS) == "raw"
    assert detect_format(COLUMNS) == "normalised"
    with pytest.raises(DataFileError, match="ligne 1, colonne id_fs: en-tête non reconnu"):
        detect_format(["foo", "bar"])
    with pytest.raises(DataFileError, match="ligne 1, colonne latitude: colonne absente"):
        detect_format([c for c in RAW_COLUMNS if c != "latitude"])


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
    rows[1][RAW_COLUMNS.index("latitude")] = "46,1060711578546"
    rows[1][RAW_COLUMNS.index("h_lundi")] = "9h00-12h00/14:00 -17h30"
    text = "\ufeff" + "".join(";".join(row) + "\r\n" for row in rows[:3])
    fmt, parsed = read_text(text)
    assert fmt == "raw" and [row["id"] for row in parsed] == ["1", "2"]
    assert parsed[0]["latitude"] == 46.1060711578546
    assert parsed[0]["hours_mon"] == "9:00 - 12:00 / 14:00 - 17:30"


def test_unreadable_files(tmp_path):
    with pytest.raises(DataFileError, match="fichier vide"):
        read_text("\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(RAW_COLUMNS).encode() + '\n"1","01","Fenêtre"\n'.encode("latin-1"))
    with pytest.raises(DataFileError, match=r"^ligne 2, colonne \(toutes\): le fichier n'est pas encodé en UTF-8"):
        read_table(latin1)
    with pytest.raises(DataFileError, match="ligne 1, colonne id_fs: ce fichier n'est pas au format officiel"):
        read_raw_rows(NORMALISED)
