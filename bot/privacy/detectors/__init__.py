"""Every detector, one per file. To add one: write its module (kind, cues, find) and list it here."""

from bot.privacy.detectors import (
    address,
    bank,
    birth_date,
    code_tokens,
    codes,
    email,
    name,
    nir,
    phone,
    position,
    vitale,
)

ALL = (
    nir.DETECTOR,
    vitale.DETECTOR,
    bank.DETECTOR,
    email.DETECTOR,
    phone.DETECTOR,
    address.DETECTOR,
    codes.DETECTOR,
    birth_date.DETECTOR,
    name.DETECTOR,
    position.DETECTOR,
    code_tokens.DETECTOR,
)
