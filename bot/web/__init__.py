"""Citizen web front: DSFR chat page and proxy to Rasa (``python -m bot.web``)."""

from bot.web.app import create_app

__all__ = ["create_app"]
