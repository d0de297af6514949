"""The maintainers' review of real conversations (``python -m tools review``), read from the tracker store.

``events``: rows -> checked events -> conversations; ``messages``: missed messages grouped by wording,
intents, fallback rate; ``journeys``: procedure funnels, France Services outcomes, conversations per day;
``analysis``: all figures of a period; ``writers`` and ``plots``: the output files; ``append``: labelled
examples -> data/nlu/reviewed.yml; ``cli``: the commands. Only redacted texts are read, and they are
redacted once more before anything is written; usage.md and summary.json hold counts only.
"""
