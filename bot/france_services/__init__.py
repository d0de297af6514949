"""France Services points: the columns (schema.py), storage, CSV loading, nearest-point search, opening hours."""

from bot.france_services.store import DataFileError, engine_from_url, load_csv, opening_today

__all__ = ["DataFileError", "engine_from_url", "load_csv", "opening_today"]
