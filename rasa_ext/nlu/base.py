"""What the project's NLU components share: Rasa's ``create``, written once.

Rasa builds a graph component with ``create(config, model_storage, resource, execution_context)``; its
``load`` calls ``create`` unless the component overrides it. Each component here says only what it is made
of, in ``from_config``; the one with a trained model also overrides ``load``.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from typing_extensions import Self


class ConfiguredComponent(GraphComponent):
    """A graph component built from its config (``get_default_config`` filled in) by ``from_config``."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls.from_config({**cls.get_default_config(), **config}, model_storage, resource)

    @classmethod
    @abstractmethod
    def from_config(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> Self:
        """The component for this config (defaults filled in), before any training."""
