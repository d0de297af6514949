"""The project's Rasa components (config.yml names them ``components.*``).

Rasa imports this package when it trains or loads the project's model: that is where the project's
two fixes to Rasa's hot path are applied (bot/rasa_speedups.py), so they hold wherever this model is
served (rasa run, rasa shell, the tests' Agent, the bench) and for no other model.
"""

from bot.rasa_speedups import install

install()
