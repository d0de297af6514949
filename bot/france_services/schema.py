"""The France Services directory, column by column: the one place where a column is described.

Each :class:`Field` gives a column's name (the SQL column, the key of a loaded row and, when ``point`` is
set, the attribute of the assistant's ``index.Point``), the column of the official ANCT file it comes from
(data.gouv.fr « Liste des structures France services »: ``id_fs``, ``lib_fs``, ``h_lundi``…), how its text
is read (``parse``: cleaned text -> value, ``ValueError`` with a French message when the value is wrong),
its SQL type and, for a fact the answer says as « label : value », its ``label``.

Everything else reads :data:`FIELDS`: the SQLAlchemy model below, the file reader (``raw.py``), the
loader (``store.py``), the in-memory index (``index.py``) and the answer (``answer.py``).
Two columns are derived from others (``official`` is None): ``kind`` and ``full_address``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Date, Float, String, Table, Text
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeEngine

TABLE_NAME = "france_services"
KINDS = ("fixed", "bus", "itinerant", "multisite", "antenna")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
STRUCTURE_TYPES = ("Principal", "Antenne")
FORMAT_KINDS: dict[str, str] = {
    "Fixe": "fixed",
    "Fixe_antenne(s)": "fixed",
    "Bus_équivalent": "bus",
    "Itinérante": "itinerant",
    "Multisites": "multisite",
}

_NEWLINES_RE = re.compile(r"\s*[\r\n]+\s*")
_HOURS_RE = re.compile(r"^\d{1,2}:\d{2} - \d{1,2}:\d{2}( / \d{1,2}:\d{2} - \d{1,2}:\d{2})*$")
_LOOSE_INTERVAL_RE = re.compile(r"^(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})$")
_DATE_RE = re.compile(r"(?:^|\D)(\d{2})/(\d{2})/(\d{4})(?:\D|$)")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Invalid(ValueError):
    """A wrong value; ``column`` names the official column to blame when it is not the field's own."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def clean(value: str) -> str:
    """Strip a value and replace embedded line breaks (with the spaces around them) by `` / ``."""
    value = value.strip()
    return _NEWLINES_RE.sub(" / ", value) if "\n" in value or "\r" in value else value


# ---------------------------------------------------------------- parsers: cleaned official text -> value


def text(value: str) -> str:
    return value


def required(what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value:
            raise Invalid(f"{what} vide")
        return value

    return parse


def coordinate(bound: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        value = value.replace(",", ".")  # decimal comma in some exports
        try:
            number = float(value)
        except ValueError:
            raise Invalid(f"« {value} » n'est pas un nombre") from None
        if not math.isfinite(number) or abs(number) > bound:
            raise Invalid(f"{number} hors de l'intervalle [-{bound:g}, {bound:g}]")
        return number

    return parse


def hours(value: str) -> str:
    """``9h00-12h00/14:00 -17:00`` -> ``9:00 - 12:00 / 14:00 - 17:00``; empty = closed or unknown. The official file
    pads some days with ``00:00 - 00:00`` (« 00:00 - 00:00 / 09:00 - 12:00 »): an interval that ends where it starts
    is no opening and is dropped (it was read « ouvert de 0 h à 0 h et de 9 h à 12 h »)."""
    if not value:
        return value
    if not _HOURS_RE.match(value):
        parts = [p.strip() for p in value.split("/")]
        matches = [_LOOSE_INTERVAL_RE.match(p) for p in parts]
        if all(matches):
            value = " / ".join(f"{m[1]}:{m[2]} - {m[3]}:{m[4]}" for m in matches if m)
        if not _HOURS_RE.match(value):
            raise Invalid(f"horaires « {value} » illisibles")
    return " / ".join(part for part in value.split(" / ") if not _is_empty_interval(part))


def _is_empty_interval(interval: str) -> bool:
    start, end = (tuple(int(n) for n in t.split(":")) for t in interval.split(" - "))
    return start == end


def yes_no(value: str) -> bool:
    if value not in ("Oui", "Non", ""):
        raise Invalid(f"« {value} » au lieu de Oui/Non")
    return value == "Oui"


def one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise Invalid(f"type « {value} » inconnu (attendu : {', '.join(choices)})")
        return value

    return parse


def labelled_since(value: str) -> date | None:
    """``Espace labellisé 01/01/2020`` (or an ISO date) -> 2020-01-01; empty -> None."""
    if not value:
        return None
    if not _ISO_DATE_RE.match(value):
        match = _DATE_RE.search(value)
        if not match:
            raise Invalid(f"date de labellisation introuvable dans « {value} »")
        day, month, year = match.groups()
        value = f"{year}-{month}-{day}"
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"date « {value} » invalide") from None


# ---------------------------------------------------------------- derived columns: parsed row -> value


def kind(row: Mapping[str, Any]) -> str:
    """fixed, bus, itinerant, multisite or antenna, from ``type_fs`` and ``format_fs``."""
    if row["structure_type"] == "Antenne":
        return "antenna"
    fmt = row["format_raw"]
    if fmt not in FORMAT_KINDS:
        raise Invalid(f"format « {fmt} » inconnu (attendu : {', '.join(FORMAT_KINDS)})", "format_fs")
    return FORMAT_KINDS[fmt]


def full_address(row: Mapping[str, Any]) -> str:
    """« 5-9 Rue des Papetiers, 01200 Valserhône »: address, complement, postcode and commune."""
    locality = f"{row['postcode']} {row['commune']}".strip()
    return ", ".join(p for p in (row["address"], row["address_complement"], locality) if p)


# ---------------------------------------------------------------- the columns


@dataclass(frozen=True)
class Field:
    """One column of the directory."""

    name: str  # SQL column, key of a loaded row, attribute of index.Point
    official: str | None  # column of the official ANCT file; None: derived by ``derive``
    sql: TypeEngine[Any]
    parse: Callable[[str], Any] = text  # cleaned official text -> value (raises Invalid)
    derive: Callable[[Mapping[str, Any]], Any] | None = None  # for derived columns, from the parsed row
    point: bool = False  # carried by index.Point (what the assistant keeps in memory and says)
    label: str | None = None  # the answer says « label : value » when the value is not empty
    primary_key: bool = False
    nullable: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", "id_fs", String(32), required("identifiant"), point=True, primary_key=True),
    Field("name", "lib_fs", String(255), required("nom"), point=True),
    Field("kind", None, String(16), derive=kind, point=True),
    Field("structure_type", "type_fs", String(32), one_of(STRUCTURE_TYPES)),
    Field("format_raw", "format_fs", String(64)),
    Field("address", "adresse", Text()),
    Field("address_complement", "complement_adresse", Text()),
    Field("postcode", "code_postal", String(10)),
    Field("commune", "lib_com", String(255)),
    Field("insee_code", "insee_com", String(10)),
    Field("dep_code", "insee_dep", String(3), point=True),
    Field("full_address", None, Text(), derive=full_address, point=True),
    Field("latitude", "latitude", Float(), coordinate(90.0), point=True),
    Field("longitude", "longitude", Float(), coordinate(180.0), point=True),
    Field("phone", "telephone", String(64), point=True, label="Téléphone"),
    Field("email", "mail", String(255), point=True, label="E-mail"),
    Field("hours_mon", "h_lundi", String(255), hours, point=True),  # the hours_* fields make Point.hours
    Field("hours_tue", "h_mardi", String(255), hours, point=True),
    Field("hours_wed", "h_mercredi", String(255), hours, point=True),
    Field("hours_thu", "h_jeudi", String(255), hours, point=True),
    Field("hours_fri", "h_vendredi", String(255), hours, point=True),
    Field("hours_sat", "h_samedi", String(255), hours, point=True),
    Field("appointment", "prise_rdv", Boolean(), yes_no, point=True),
    Field("comment", "commentaire", Text(), point=True),
    Field("group", "groupe_fs", String(255)),
    Field("labelled_since", "labellisation_fs", Date(), labelled_since, nullable=True),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
OFFICIAL_COLUMNS: tuple[str, ...] = tuple(f.official for f in FIELDS if f.official)
HOURS_COLUMNS: dict[str, str] = {f"hours_{day}": day for day in DAYS}  # grouped as Point.hours
POINT_COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.point)
LABELLED: tuple[Field, ...] = tuple(f for f in FIELDS if f.point and f.label)
_TYPES = {Boolean: bool, Float: float, Date: date}


def python_type(field: Field) -> type:
    """The type of the field's value in a loaded row (str, float, bool or date)."""
    return next((py for sql, py in _TYPES.items() if isinstance(field.sql, sql)), str)


def parse_row(raw: Mapping[str, str]) -> dict[str, Any]:
    """Cleaned official values (keyed by official column) -> the row to store; raises Invalid naming a column."""
    row: dict[str, Any] = {}
    for field in FIELDS:
        if field.official is None:
            continue
        try:
            row[field.name] = field.parse(raw[field.official])
        except Invalid as exc:
            exc.column = exc.column or field.official
            raise
    for field in FIELDS:
        if field.derive is not None:
            row[field.name] = field.derive(row)
    return {name: row[name] for name in NAMES}


# ---------------------------------------------------------------- the SQL table (SQLAlchemy 1.4 and 2.0)

Base = declarative_base()


def _sql_column(field: Field) -> Column[Any]:
    # No Python-side defaults: the loader always writes every column.
    return Column(field.name, field.sql, primary_key=field.primary_key, nullable=field.nullable)


class FranceServicesPoint(Base):  # type: ignore[misc, valid-type]
    """One France Services point: the table ``france_services``, one column per field."""

    __table__ = Table(TABLE_NAME, Base.metadata, *(_sql_column(f) for f in FIELDS))
