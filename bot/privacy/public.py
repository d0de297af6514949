"""Public data that looks personal but must stay readable: the France Services desks' phones, e-mails and
street addresses, as published in the directory the project ships. A desk's number in an answer or on
the summary sheet is what the citizen needs; redacting it would break the product.

A street address is public only when the desk's own postcode follows it: « 7 rue de la Paix » exists in
many towns, and someone may live at one of them. Such an address is found whole, as the directory writes
it (« 28 Rue de la 101e Airborne, 50500 »), whatever part of it a detector took for an address."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.privacy.kinds import ADDRESS_KIND, EMAIL_KIND, PHONE_KIND

DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
"""The shipped France Services list (bot.france_services.raw.SHIPPED_FILE), read as the directory reads it."""

_NOT_ALNUM = re.compile(r"[^0-9a-zà-öø-ÿ@.]+")
_POSTCODE_AFTER = re.compile(r"^[\s,]*(\d{5})(?!\d)")
_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_WINDOW = 160  # characters before a postcode where its desk's street address may stand


def _phone_key(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    for prefix in ("0033", "33"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            return "0" + digits[len(prefix) :]
    return digits


def _text_key(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1)
def _public(path: Path = DIRECTORY) -> dict[str, frozenset[str]]:
    """Keys of the public phones, e-mails and addresses, by kind; empty when the list cannot be read."""
    phones: set[str] = set()
    emails: set[str] = set()
    addresses: set[str] = set()
    by_postcode: dict[str, list[str]] = {}
    from bot.france_services.raw import read_table  # the directory's own reader (schema.py)

    try:
        rows = read_table(path)
    except (OSError, ValueError):
        return {}  # fail closed: without the list, everything that looks personal is redacted
    for row in rows:
        if row["phone"]:
            phones.add(_phone_key(row["phone"]))
        for email in re.split(r"[\s,;/]+-?\s*|\s+-\s+", row["email"]):
            if "@" in email:  # some desks publish several, « a@x.fr - b@x.fr »
                emails.add(_text_key(email))
        if row["address"] and row["postcode"]:
            addresses.add(f"{_text_key(row['address'])} {row['postcode']}")
            by_postcode.setdefault(row["postcode"], []).append(row["address"])
    _ADDRESSES_BY_POSTCODE.clear()
    _ADDRESSES_BY_POSTCODE.update(by_postcode)
    return {PHONE_KIND: frozenset(phones), EMAIL_KIND: frozenset(emails), ADDRESS_KIND: frozenset(addresses)}


_ADDRESSES_BY_POSTCODE: dict[str, list[str]] = {}


@lru_cache(maxsize=4096)
def _address_pattern(address: str) -> re.Pattern[str]:
    """The address as the directory writes it, any case and spacing, ending where its postcode starts."""
    written = r"\s+".join(re.escape(word) for word in address.split())
    return re.compile(rf"(?<!\w){written}[\s,]*$", re.IGNORECASE)


def public_addresses(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a desk's street address as the directory writes it, followed by its postcode."""
    if not _public() or not _ADDRESSES_BY_POSTCODE:
        return []
    regions = []
    for postcode in _POSTCODE.finditer(text):
        window_start = max(0, postcode.start() - _WINDOW)
        for address in _ADDRESSES_BY_POSTCODE.get(postcode.group(), ()):
            found = _address_pattern(address).search(text, window_start, postcode.start())
            if found:
                regions.append((found.start(), found.end()))
    return regions


def is_public(kind: str, text: str, after: str = "") -> bool:
    """Whether ``text``, found as ``kind`` and followed by ``after``, is a France Services desk's published
    phone, e-mail or address (with its postcode)."""
    keys = _public().get(kind)
    if not keys:
        return False
    if kind == PHONE_KIND:
        return _phone_key(text) in keys
    if kind == ADDRESS_KIND:
        postcode = _POSTCODE_AFTER.match(after)
        return postcode is not None and f"{_text_key(text)} {postcode.group(1)}" in keys
    return _text_key(text) in keys
