"""France Services points: storage, CSV loading, nearest-point search and opening hours."""

from bot.france_services.store import (
    DataFileError,
    Point,
    engine_from_url,
    load_csv,
    nearest,
    opening_today,
)

__all__ = ["DataFileError", "Point", "engine_from_url", "load_csv", "nearest", "opening_today"]
