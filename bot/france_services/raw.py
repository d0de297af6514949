"""Read France Services CSV files in either format: the project's normalised one or the official ANCT one.

The official (``raw``) file is the one data.gouv.fr publishes (columns ``id_fs``, ``lib_fs``, ``h_lundi``…).
``convert_rows`` maps it to the normalised columns exactly as the shipped
``data/france_services/france_services_anct_20240801.csv`` was built from it; ``read_table`` detects the
format from the header and validates every row with the store's own checks.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from bot.france_services.store import COLUMNS, DataFileError, _parse_row

Format = Literal["normalised", "raw"]
Row = dict[str | None, Any]

# Official column -> normalised column (``kind`` and ``full_address`` are derived, ``labelled_since`` parsed).
RAW_TO_NORMALISED: dict[str, str] = {
    "id_fs": "id",
    "insee_dep": "dep_code",
    "lib_fs": "name",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "insee_com": "insee_code",
    "code_postal": "postcode",
    "lib_com": "commune",
    "latitude": "latitude",
    "longitude": "longitude",
    "mail": "email",
    "telephone": "phone",
    "h_lundi": "hours_mon",
    "h_mardi": "hours_tue",
    "h_mercredi": "hours_wed",
    "h_jeudi": "hours_thu",
    "h_vendredi": "hours_fri",
    "h_samedi": "hours_sat",
    "prise_rdv": "appointment",
    "commentaire": "comment",
    "type_fs": "structure_type",
    "format_fs": "format_raw",
    "groupe_fs": "group",
    "labellisation_fs": "labelled_since",
}
RAW_COLUMNS = tuple(RAW_TO_NORMALISED)
NORMALISED_TO_RAW = {v: k for k, v in RAW_TO_NORMALISED.items()} | {"kind": "format_fs", "full_address": "adresse"}

STRUCTURE_TYPES = ("Principal", "Antenne")
FORMAT_KINDS: dict[str, str] = {
    "Fixe": "fixed",
    "Fixe_antenne(s)": "fixed",
    "Bus_équivalent": "bus",
    "Itinérante": "itinerant",
    "Multisites": "multisite",
}

_NEWLINES_RE = re.compile(r"\s*[\r\n]+\s*")
_DATE_RE = re.compile(r"(?:^|\D)(\d{2})/(\d{2})/(\d{4})(?:\D|$)")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOSE_INTERVAL_RE = re.compile(r"^(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})$")
_DELIMITERS = (",", ";", "\t")


def _error(line: int, column: str, message: str) -> DataFileError:
    return DataFileError(f"ligne {line}, colonne {column}: {message}")


def clean(value: str) -> str:
    """Strip a value and replace embedded line breaks (with the spaces around them) by `` / ``."""
    return _NEWLINES_RE.sub(" / ", value.strip())


def detect_format(header: Iterable[str]) -> Format:
    """Tell the format from the header row; raise DataFileError if a required column is missing."""
    names = set(header)
    if "id_fs" in names:
        fmt: Format = "raw"
        required: tuple[str, ...] = RAW_COLUMNS
    elif "id" in names:
        fmt, required = "normalised", COLUMNS
    else:
        message = "en-tête non reconnu : ni le format officiel ANCT (id_fs, lib_fs…) ni le format normalisé (id, name…)"
        raise _error(1, "id_fs", message)
    for col in required:
        if col not in names:
            raise _error(1, col, "colonne absente de l'en-tête")
    return fmt


def _hours(value: str) -> str:
    """Rewrite loosely spaced hours (``9h00-12h00/14:00 -17:00``) as ``9:00 - 12:00 / 14:00 - 17:00``.

    Values that are already well formed, or that cannot be read, are returned unchanged (the store's
    check reports the latter).
    """
    parts = [p.strip() for p in value.split("/")]
    matches = [_LOOSE_INTERVAL_RE.match(p) for p in parts]
    if not value or not all(matches):
        return value
    return " / ".join(f"{m[1]}:{m[2]} - {m[3]}:{m[4]}" for m in matches if m)


def _labelled_since(value: str, line: int) -> str:
    """``Espace labellisé 01/01/2020`` (or an ISO date) -> ``2020-01-01``; empty stays empty."""
    if not value or _ISO_DATE_RE.match(value):
        return value
    match = _DATE_RE.search(value)
    if not match:
        raise _error(line, "labellisation_fs", f"date de labellisation introuvable dans « {value} »")
    day, month, year = match.groups()
    return f"{year}-{month}-{day}"


def convert_row(raw: Mapping[str | None, Any], line: int) -> dict[str, str]:
    """Map one official-format row to normalised column values (all strings, not yet validated)."""
    if raw.get(None):
        raise _error(line, "(fin de ligne)", "trop de valeurs sur la ligne")
    values: dict[str, str] = {}
    for raw_col, col in RAW_TO_NORMALISED.items():
        value = raw.get(raw_col)
        if value is None:
            raise _error(line, raw_col, "valeur manquante (ligne trop courte)")
        values[col] = clean(value)
    structure_type, fmt = values["structure_type"], values["format_raw"]
    if structure_type not in STRUCTURE_TYPES:
        raise _error(line, "type_fs", f"type « {structure_type} » inconnu (attendu : {', '.join(STRUCTURE_TYPES)})")
    if structure_type == "Antenne":
        kind = "antenna"
    elif fmt in FORMAT_KINDS:
        kind = FORMAT_KINDS[fmt]
    else:
        raise _error(line, "format_fs", f"format « {fmt} » inconnu (attendu : {', '.join(FORMAT_KINDS)})")
    for col in ("latitude", "longitude"):
        values[col] = values[col].replace(",", ".")  # decimal comma in some exports
    for day in ("mon", "tue", "wed", "thu", "fri", "sat"):
        values[f"hours_{day}"] = _hours(values[f"hours_{day}"])
    values["labelled_since"] = _labelled_since(values["labelled_since"], line)
    locality = f"{values['postcode']} {values['commune']}".strip()
    parts = (values["address"], values["address_complement"], locality)
    values["kind"] = kind
    values["full_address"] = ", ".join(p for p in parts if p)
    return {col: values[col] for col in COLUMNS}


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str | None, Any]]], fmt: Format = "normalised"
) -> list[dict[str, Any]]:
    """Validate ``(line, row)`` pairs with the store's checks; return rows ready for ``store.load_rows``.

    Raw rows are converted first, and errors then name the official column (``h_lundi``, not ``hours_mon``).
    Duplicate identifiers are refused.
    """
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, raw in rows:
        if fmt == "raw":
            row = _parse_raw_row(raw, line)
            id_column = "id_fs"
        else:
            row = _parse_row(dict(raw), line)
            id_column = "id"
        if row["id"] in seen:
            raise _error(line, id_column, f"identifiant « {row['id']} » en double")
        seen.add(row["id"])
        parsed.append(row)
    return parsed


def _parse_raw_row(raw: Mapping[str | None, Any], line: int) -> dict[str, Any]:
    converted = convert_row(raw, line)
    try:
        return _parse_row(dict(converted), line)
    except DataFileError as exc:
        # Rename the normalised column in the store's message to the column of the official file.
        prefix = f"ligne {line}, colonne "
        text = str(exc)
        if text.startswith(prefix):
            column, _, message = text[len(prefix) :].partition(": ")
            raise _error(line, NORMALISED_TO_RAW.get(column, column), message) from None
        raise


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


def read_text(text: str) -> tuple[Format, list[dict[str, Any]]]:
    """Detect the format of CSV ``text`` and return it with the validated rows."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _error(1, "(en-tête)", "fichier vide")
    delimiter = max(_DELIMITERS, key=text.partition("\n")[0].count)
    header, rows = _records(io.StringIO(text, newline=""), delimiter)
    fmt = detect_format(header)
    return fmt, parse_rows(rows, fmt)


def read_table(path: str | os.PathLike[str]) -> tuple[Format, list[dict[str, Any]]]:
    """Read a France Services CSV file in either format; raise DataFileError on the first problem."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _error(line, "(toutes)", f"le fichier n'est pas encodé en UTF-8 (octet {exc.start + 1})") from None
    return read_text(text)


def read_raw_rows(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Convert an official-format file to normalised string rows (checks the conversion only, not the values)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, rows = _records(handle)
        if detect_format(header) != "raw":
            raise _error(1, "id_fs", "ce fichier n'est pas au format officiel ANCT")
        return [convert_row(raw, line) for line, raw in rows]


def write_normalised(rows: Iterable[Mapping[str, str]], path: str | os.PathLike[str]) -> None:
    """Write normalised string rows as the shipped file is written (comma, minimal quoting, CRLF)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
