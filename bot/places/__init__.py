"""Place resolution (communes, postcodes, departments) for the chatbot."""

from bot.places.resolve import Gazetteer, Place, Resolution, normalize_place

__all__ = ["Gazetteer", "Place", "Resolution", "normalize_place"]
