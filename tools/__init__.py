"""Maintainer and operator tooling, run as ``python -m tools <command>``: checks (quality.py), reports,
review of real conversations (review/), the external evaluation (evaluation/), calibration, fingerprint.
It reads bot/ and rasa_ext/; nothing in bot/ imports it."""
