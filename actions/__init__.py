"""Rasa custom actions (rasa_sdk). Every log line of the action server is redacted."""

from bot.privacy import logs

logs.install()
