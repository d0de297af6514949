"""The project's Rasa NLU components (config.yml names them ``rasa_ext.nlu.*``): thin glue over bot/.

Importing this package changes nothing in Rasa: the classifier applies the project's three fixes to
Rasa's hot path (``rasa_ext.speedups.install()``) by name, when Rasa creates or loads it.
"""
