"""Rasa stores named in endpoints.yml: the redacting SQL tracker store (with its bounded window) and
the Redis ticket lock store for several instances."""
