"""Rasa plug-ins: NLU components (nlu/), tracker and lock stores (stores/), and the hot-path fixes
(speedups.py). The only part of the project besides actions/ that imports Rasa; bot/ never does."""
