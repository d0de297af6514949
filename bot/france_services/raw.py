"""Read the official France Services CSV file (ANCT, data.gouv.fr): the file shipped and the one downloaded.

The columns and how each value is read are in ``schema.py``; this module reads the file itself: encoding,
delimiter, records spanning several lines, short or long rows, duplicate identifiers. Errors name the line
where the record starts and the official column (« ligne 11, colonne format_fs: … »).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bot.france_services.schema import OFFICIAL_COLUMNS, Invalid, clean, parse_row

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_FILE = ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
"""The official file of 01/08/2024, byte for byte (data/SOURCES.md): ``make data`` and the fallbacks read it."""

Row = dict[str | None, Any]
_DELIMITERS = (",", ";", "\t")


class DataFileError(ValueError):
    """The France Services CSV file is malformed; the message names the line and column."""


def _error(line: int, column: str, message: str) -> DataFileError:
    return DataFileError(f"ligne {line}, colonne {column}: {message}")


def check_header(header: Iterable[str]) -> None:
    """Raise DataFileError if a column of the official file is missing."""
    names = set(header)
    if "id_fs" not in names:
        raise _error(1, "id_fs", "en-tête non reconnu : ce n'est pas le format officiel ANCT (id_fs, lib_fs…)")
    for col in OFFICIAL_COLUMNS:
        if col not in names:
            raise _error(1, col, "colonne absente de l'en-tête")


def read_row(raw: Mapping[str | None, Any], line: int) -> dict[str, Any]:
    """One record of the official file -> the row to store (see ``schema.parse_row``)."""
    if raw.get(None):
        raise _error(line, "(fin de ligne)", "trop de valeurs sur la ligne")
    values: dict[str, str] = {}
    for col in OFFICIAL_COLUMNS:
        value = raw.get(col)
        if value is None:
            raise _error(line, col, "valeur manquante (ligne trop courte)")
        values[col] = clean(value)
    try:
        return parse_row(values)
    except Invalid as exc:
        raise _error(line, exc.column or "(toutes)", str(exc)) from None


def parse_rows(rows: Iterable[tuple[int, Mapping[str | None, Any]]]) -> list[dict[str, Any]]:
    """Validate ``(line, record)`` pairs; return rows ready for ``store.load_rows``. Duplicate ids are refused."""
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, raw in rows:
        row = read_row(raw, line)
        if row["id"] in seen:
            raise _error(line, "id_fs", f"identifiant « {row['id']} » en double")
        seen.add(row["id"])
        parsed.append(row)
    return parsed


def _records(handle: Iterable[str], delimiter: str = ",") -> tuple[list[str], Iterator[tuple[int, Row]]]:
    """Return the stripped header and an iterator of ``(first physical line, row)``, like ``csv.DictReader``.

    A quoted value may span several lines, so the line reported is the one where the record starts.
    Missing values are absent from the row and extra values are listed under the key ``None``.
    """
    reader = csv.reader(handle, delimiter=delimiter)
    header = [name.strip() for name in next(reader, [])]

    def rows() -> Iterator[tuple[int, Row]]:
        start = reader.line_num + 1
        try:
            for fields in reader:
                if fields:  # blank lines are skipped
                    row: Row = dict(zip(header, fields, strict=False))  # short rows: keys missing
                    if len(fields) > len(header):
                        row[None] = fields[len(header) :]
                    yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _error(start, "(toutes)", f"CSV illisible ({exc})") from None

    return header, rows()


def read_text(text: str) -> list[dict[str, Any]]:
    """The validated rows of the official CSV ``text`` (comma, semicolon or tab separated, BOM allowed)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _error(1, "(en-tête)", "fichier vide")
    delimiter = max(_DELIMITERS, key=text.partition("\n")[0].count)
    header, rows = _records(io.StringIO(text, newline=""), delimiter)
    check_header(header)
    return parse_rows(rows)


def read_table(path: str | os.PathLike[str] = SHIPPED_FILE) -> list[dict[str, Any]]:
    """Read a France Services CSV file in the official format; raise DataFileError on the first problem."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _error(line, "(toutes)", f"le fichier n'est pas encodé en UTF-8 (octet {exc.start + 1})") from None
    return read_text(text)
